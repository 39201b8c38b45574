"""Progress reports from the store for `quizgen stats`: per topic, what is mastered, and what is due.

**Mastered** is defined over every skill of a topic, practised or not: a skill is mastered
when its latest answer was right and FSRS estimates at least a 90% chance of recalling it
now (its retrievability). Mastery is the share of the topic's skills that are mastered, so
one right answer out of fifteen skills is 7%, and a wrong first answer is 0%.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Any

from .bank import QuestionBank, skills_of
from .scheduler import Scheduler
from .store import ProgressStore, now_utc, parse_time

MASTERED_RECALL = 0.9
"""FSRS retrievability at or above which a skill answered right last time counts as mastered."""
HISTORY_DAYS = 7
MASTERY_MEANING = (
    "Mastered: your latest answer was right and FSRS estimates at least a 90% chance you recall it "
    "now; mastery is the share of ALL the topic's skills mastered (unpractised ones count as not)."
)


def _local_day_end(when: datetime, zone: tzinfo | None) -> datetime:
    local = when.astimezone(zone)
    return datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=local.tzinfo)


def topic_stats(
    bank: QuestionBank, store: ProgressStore, *, when: datetime | None = None, zone: tzinfo | None = None
) -> dict[str, Any]:
    """Per topic: attempts (skips included), skipped, correct, accuracy (of the graded ones),
    skills, practised, due now, mastered and mastery (mastered / skills, see the module docstring).
    Overall: the same counts, reviews due now, by the end of today and within 7 days, the last 7
    days' answers and right answers (``zone``'s days: the local time zone unless given), and the
    database file."""
    when = when or now_utc()
    scheduler = Scheduler(fuzz=False)
    states = store.skills()
    last = store.last_results()
    skills = skills_of(bank, list(bank.topics))
    attempts = store.attempts()
    rows = []
    mastered_ids: set[str] = set()
    for skill in skills:
        state = states.get(skill.id)
        if state is None or last.get(skill.id, (None, ""))[0] is not True:
            continue
        if scheduler.retrievability(state.card, when) >= MASTERED_RECALL:
            mastered_ids.add(skill.id)
    for topic in bank.topics:
        topic_skills = [s for s in skills if s.topic == topic]
        mine = [a for a in attempts if a["topic"] == topic]
        graded = [a for a in mine if not a["skipped"]]
        correct = sum(1 for a in graded if a["correct"])
        practised = [states[s.id] for s in topic_skills if s.id in states]
        mastered = sum(1 for s in topic_skills if s.id in mastered_ids)
        rows.append(
            {
                "topic": topic,
                "title": bank.topics[topic].title,
                "attempts": len(mine),
                "skipped": len(mine) - len(graded),
                "correct": correct,
                "accuracy": correct / len(graded) if graded else None,
                "skills": len(topic_skills),
                "practised": len(practised),
                "due": sum(1 for s in practised if s.due <= when),
                "mastered": mastered,
                "mastery": mastered / len(topic_skills) if topic_skills else None,
            }
        )
    today_ends = _local_day_end(when, zone)
    week_ends = when + timedelta(days=7)
    today = when.astimezone(zone).date()
    days: dict[date, list[int]] = {today - timedelta(days=n): [0, 0] for n in range(HISTORY_DAYS - 1, -1, -1)}
    for attempt in attempts:
        if attempt["skipped"]:
            continue
        try:
            day = parse_time(attempt["answered_at"]).astimezone(zone).date()
        except (TypeError, ValueError):  # a hand-edited time: not in the history
            continue
        if day in days:
            days[day][0] += 1
            days[day][1] += 1 if attempt["correct"] else 0
    return {
        "database": str(Path(store.path).resolve()),
        "mastery_means": MASTERY_MEANING,
        "attempts": len(attempts),
        "skipped": sum(1 for a in attempts if a["skipped"]),
        "correct": sum(1 for a in attempts if a["correct"]),
        "skills": len(skills),
        "mastered": len(mastered_ids),
        "due": sum(1 for s in states.values() if s.due <= when),
        "due_today": sum(1 for s in states.values() if s.due < today_ends),
        "due_week": sum(1 for s in states.values() if s.due <= week_ends),
        "history": [
            {"date": day.isoformat(), "answers": answers, "correct": right}
            for day, (answers, right) in days.items()
        ],
        "topics": rows,
    }
