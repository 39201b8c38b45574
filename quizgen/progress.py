"""Progress reports from the store: per-topic attempts, accuracy, mastery and due reviews."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from .bank import QuestionBank, skills_of
from .scheduler import Scheduler
from .store import ProgressStore, now_utc

MASTERY_HORIZON = timedelta(days=7)


def topic_stats(bank: QuestionBank, store: ProgressStore) -> dict[str, Any]:
    """Per topic: attempts (skips included), skipped, correct, accuracy (of the graded ones),
    skills, practised, due, and mastery: the mean FSRS retrievability of the practised skills
    a week from now (how likely each is still recalled then)."""
    when = now_utc()
    scheduler = Scheduler(fuzz=False)
    states = store.skills()
    skills = skills_of(bank)
    attempts = store.attempts()
    rows = []
    for topic in bank.topics:
        topic_skills = [s for s in skills if s.topic == topic]
        mine = [a for a in attempts if a["topic"] == topic]
        graded = [a for a in mine if not a["skipped"]]
        correct = sum(1 for a in graded if a["correct"])
        practised = [states[s.id] for s in topic_skills if s.id in states]
        # recall a week from now: right after a review FSRS's recall is 100% even for a miss
        recall = [scheduler.retrievability(s.card, when + MASTERY_HORIZON) for s in practised]
        rows.append(
            {
                "topic": topic,
                "attempts": len(mine),
                "skipped": len(mine) - len(graded),
                "correct": correct,
                "accuracy": correct / len(graded) if graded else None,
                "skills": len(topic_skills),
                "practised": len(practised),
                "due": sum(1 for s in practised if s.due <= when),
                "mastery": sum(recall) / len(recall) if recall else None,
            }
        )
    return {
        "attempts": len(attempts),
        "skipped": sum(1 for a in attempts if a["skipped"]),
        "correct": sum(1 for a in attempts if a["correct"]),
        "due": sum(1 for s in states.values() if s.due <= when),
        "topics": rows,
    }
