"""The terminal drill: ask, read, grade, teach, record, schedule; then a summary.

The session runs against a small :class:`Terminal` interface (write, read) and a
clock, so tests drive it with scripted input and a fake clock while the CLI
passes the real terminal. Every graded answer is committed to the progress
store before the next question appears.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from .bank import QuestionBank, Skill, prepare, skills_of
from .generators.base import GeneratorError
from .grading import InvalidAnswer, grade
from .models import ChoiceQuestion, MultiQuestion, Question, TrueFalseQuestion
from .scheduler import RATING_NAMES, Scheduler, plan, rating_for
from .store import Attempt, ProgressStore, StoreError, now_utc
from .termmath import render
from .textview import TYPE_LABELS, answer_text, circled

SAVE_TRIES = 3
"""Without a person to ask (answers piped in), a failed save is tried this many times in all."""


class Terminal(Protocol):
    """Where the drill writes and reads. A terminal may say ``interactive = False`` (input piped
    in), so that the drill never reads a reply that is really the next answer."""

    def write(self, text: str = "", style: str | None = None) -> None: ...

    def read(self, prompt: str) -> str:
        """A line typed by the student; raises EOFError (Ctrl-D) or KeyboardInterrupt (Ctrl-C)."""
        ...


@dataclass
class Clock:
    """Wall time for the schedule, monotonic time for response times; tests pass fakes."""

    now: Callable[[], datetime] = now_utc
    monotonic: Callable[[], float] = time.monotonic


@dataclass
class Result:
    skill: Skill
    question: Question
    correct: bool | None  # None: skipped
    seconds: float
    rating: int | None


@dataclass
class Summary:
    results: list[Result] = field(default_factory=list)
    seconds: float = 0.0
    ended_by: str = "finished"  # finished | quit | interrupted
    weakest: tuple[str, datetime] | None = None  # (skill id, when it is due again)
    due_now: int = 0
    next_due: datetime | None = None

    @property
    def answered(self) -> list[Result]:
        return [r for r in self.results if r.correct is not None]

    @property
    def score(self) -> int:
        return sum(1 for r in self.results if r.correct)


CONTROLS = "? hint · s skip · q quit"


class Drill:
    def __init__(
        self,
        bank: QuestionBank,
        store: ProgressStore,
        terminal: Terminal,
        *,
        scheduler: Scheduler | None = None,
        clock: Clock | None = None,
        seed: int | None = None,
    ) -> None:
        self.bank = bank
        self.store = store
        self.terminal = terminal
        self.scheduler = scheduler or Scheduler(fuzz=seed is None)
        self.clock = clock or Clock()
        self.seed = seed
        self.rng = random.Random(seed)

    def plan(self, count: int, topics: Sequence[str] = ()) -> list[Skill]:
        return plan(skills_of(self.bank, topics), self.store.skills(), count, self.clock.now(), self.rng)

    def run(self, skills: Sequence[Skill]) -> Summary:
        """Ask each skill in turn; the session is closed however the run ends.

        A bank template that makes no usable question (GeneratorError) is skipped with its
        message; the answers before and after it are saved and summarised as usual.
        """
        summary = Summary()
        started = self.clock.monotonic()
        session = self.store.start_session(self.seed, len(skills), self.clock.now())
        try:
            for position, skill in enumerate(skills, start=1):
                try:
                    question = prepare(self.bank, skill, self.rng)
                except GeneratorError as exc:
                    self.terminal.write(f"Skipped: {exc}", "warning")
                    continue
                result = self._ask(question, skill, position, len(skills), session)
                if result is None:
                    summary.ended_by = "quit"
                    break
                summary.results.append(result)
        except (KeyboardInterrupt, EOFError):
            summary.ended_by = "interrupted"
            self.terminal.write()
        except BaseException:  # an error on its way out: close the session first, report the error
            with suppress(StoreError):
                self.store.end_session(session, self.clock.now())
            raise
        summary.seconds = self.clock.monotonic() - started
        self.store.end_session(session, self.clock.now())
        self._outlook(summary)
        return summary

    # -- one question ---------------------------------------------------------------

    def _ask(
        self, question: Question, skill: Skill, position: int, total: int, session: int
    ) -> Result | None:
        out = self.terminal.write
        out()
        out(f"{position}/{total} · {question.topic} · {TYPE_LABELS[question.type]}", "heading")
        out(render(question.prompt.strip()))
        if isinstance(question, (ChoiceQuestion, MultiQuestion)):
            for number, option in enumerate(question.options, start=1):
                out(f"  {circled(number)} {render(option.text)}")
        elif isinstance(question, TrueFalseQuestion):
            out(f"  {circled(1)} True   {circled(2)} False")
        shown = self.clock.monotonic()
        hint_used = False
        while True:
            text = self.terminal.read(f"answer ({CONTROLS}) > ").strip()
            command = text.casefold()
            if command == "q":
                return None
            if command == "?":
                hint_used = hint_used or question.hint is not None
                out(f"Hint: {render(question.hint)}" if question.hint else "No hint for this one.", "hint")
                continue
            if command == "s":
                seconds = self.clock.monotonic() - shown
                self._record(question, skill, text, None, seconds, hint_used, session)
                out(f"Skipped. The answer: {render(answer_text(question))}", "dim")
                out(render(question.explanation.strip()))
                return Result(skill, question, None, seconds, None)
            try:
                graded = grade(question, text)
            except InvalidAnswer as exc:
                out(str(exc), "warning")
                continue
            break
        seconds = self.clock.monotonic() - shown
        rating = self._record(question, skill, text, graded.correct, seconds, hint_used, session)
        if graded.correct:
            out("✓ Correct.", "good")
        else:
            out(f"✗ Not quite. The answer: {render(answer_text(question))}", "bad")
            if graded.misconception:
                described = self.bank.misconceptions.get(graded.misconception)
                title = described.title if described else graded.misconception
                what = "option" if isinstance(question, (ChoiceQuestion, MultiQuestion)) else "answer"
                out(f"  That {what} reflects a common mistake: {render(title)}.", "bad")
        if graded.feedback and not graded.correct:
            out(f"  {render(graded.feedback)}")
        out(render(question.explanation.strip()))
        return Result(skill, question, graded.correct, seconds, rating)

    def _record(
        self,
        question: Question,
        skill: Skill,
        text: str,
        correct: bool | None,
        seconds: float,
        hint_used: bool,
        session: int,
    ) -> int | None:
        when = self.clock.now()
        rating = None
        schedule = None
        if correct is not None:
            rating = rating_for(correct, seconds, question.type, question.difficulty, hint_used)
            state = self.store.skills().get(skill.id)
            schedule = self.scheduler.review(state.card if state else None, rating, when, seconds)
        attempt = Attempt(
            skill=skill.id,
            topic=skill.topic,
            answer=text,
            correct=correct,
            response_ms=round(seconds * 1000),
            variant=question.variant,
            seed=question.seed,
            hint_used=hint_used,
            skipped=correct is None,
            rating=rating,
        )
        interactive = getattr(self.terminal, "interactive", True)
        tries = 0
        while True:
            tries += 1
            try:
                self.store.record(attempt, when, session, schedule)
                return rating
            except StoreError as exc:  # a full disk, a lock held too long: keep the answer, ask
                if not interactive:  # answers come from a pipe: the next line is an answer, not a reply
                    if tries < SAVE_TRIES:
                        continue
                    raise StoreError(f"{exc} (the answer {text!r} to {skill.id} is not saved)") from None
                self.terminal.write(f"Your answer is not saved yet: {exc}", "warning")
                choice = self.terminal.read("Press Enter to try saving it again, or q to quit > ")
                if choice.strip().casefold() == "q":
                    raise KeyboardInterrupt from None

    # -- the end ----------------------------------------------------------------------

    def _outlook(self, summary: Summary) -> None:
        states = self.store.skills()
        when = self.clock.now()
        wrong = {r.skill.id for r in summary.answered if not r.correct}
        candidates = [states[s] for s in (wrong or {r.skill.id for r in summary.answered}) if s in states]
        if candidates:  # the least stable memory: FSRS stability, then difficulty
            weakest = min(
                candidates,
                key=lambda s: (s.card.get("stability") or 0.0, -(s.card.get("difficulty") or 0.0), s.skill),
            )
            summary.weakest = (weakest.skill, weakest.due)
        summary.due_now = sum(1 for s in states.values() if s.due <= when)
        future = [s.due for s in states.values() if s.due > when]
        summary.next_due = min(future) if future else None


def format_summary(summary: Summary, now: datetime) -> list[tuple[str, str | None]]:
    """The end-of-session report as (line, style) pairs."""
    lines: list[tuple[str, str | None]] = [("", None)]
    answered = summary.answered
    skipped = len(summary.results) - len(answered)
    heading = {"finished": "Session complete", "quit": "Session ended", "interrupted": "Session interrupted"}
    lines.append((heading[summary.ended_by], "heading"))
    if not summary.results:
        lines.append(("No questions answered; nothing recorded.", None))
        return lines
    minutes, seconds = divmod(round(summary.seconds), 60)
    score = f"Score: {summary.score}/{len(answered)}"
    if answered:
        score += f" ({100 * summary.score / len(answered):.0f}%)"
    if skipped:
        score += f", {skipped} skipped"
    lines.append((f"{score} in {minutes}:{seconds:02d}", "good" if summary.score == len(answered) else None))
    by_topic: dict[str, list[Result]] = {}
    for result in answered:
        by_topic.setdefault(result.skill.topic, []).append(result)
    for topic, results in sorted(by_topic.items()):
        right = sum(1 for r in results if r.correct)
        bar = "█" * right + "░" * (len(results) - right)
        lines.append((f"  {topic:<16} {right}/{len(results)}  {bar}", None))
    if summary.weakest:
        skill, due = summary.weakest
        lines.append((f"Weakest skill: {skill}, back for review {_until(due - now)}", "bad"))
    if summary.next_due is not None or summary.due_now:
        outlook = f"Reviews due now: {summary.due_now}"
        if summary.next_due is not None:
            outlook += f"; next one {_until(summary.next_due - now)}"
        lines.append((outlook, None))
    ratings = [RATING_NAMES[r.rating] for r in answered if r.rating]
    if ratings:
        lines.append(("Ratings: " + ", ".join(ratings), "dim"))
    return lines


def _until(delta: timedelta) -> str:
    seconds = max(0, round(delta.total_seconds()))
    if seconds < 90:
        return f"in {seconds} s"
    if seconds < 90 * 60:
        return f"in {round(seconds / 60)} min"
    if seconds < 36 * 3600:
        return f"in {round(seconds / 3600)} h"
    return f"in {round(seconds / 86400)} days"
