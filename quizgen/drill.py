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
from typing import Any, Protocol, assert_never

from .bank import QuestionBank, Skill, prepare, skills_of
from .generators.base import GeneratorError
from .grading import InvalidAnswer, grade
from .models import (
    ChoiceQuestion,
    IntegerQuestion,
    MultiQuestion,
    NumericQuestion,
    Question,
    TextQuestion,
    TrueFalseQuestion,
)
from .scheduler import RATING_NAMES, Scheduler, plan, rating_for
from .store import Attempt, ProgressStore, StoreError, now_utc
from .termmath import render
from .textview import answer_text, circled, type_label

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


# -- the session: the drill's rules, stepped by any client ---------------------------------


@dataclass(frozen=True)
class Asked:
    """A question put to the learner: what to show, and where it is in the session."""

    skill: Skill
    question: Question
    position: int
    total: int


@dataclass(frozen=True)
class Verdict:
    """What an answer earned: correct or not (None: skipped), the rating, the teaching to show."""

    skill: Skill
    question: Question
    answer: str
    correct: bool | None
    seconds: float
    rating: int | None
    misconception: str | None = None
    """The named misconception the answer reflects (an option's or a mistake's)."""
    misconception_title: str | None = None
    feedback: str | None = None
    """The option's or mistake's feedback, for a wrong answer."""


class Session:
    """One drill session over planned skills, stepped by a client (the terminal, a test, a web page).

    ``next()`` puts the next question (a fresh variant or reordered options);
    ``answer(text)`` grades it (raising :class:`InvalidAnswer`, with nothing recorded,
    for input that cannot be read), saves the attempt and its schedule, and returns the
    :class:`Verdict`; ``skip()`` and ``hint()`` likewise; ``finish()`` closes the session
    and returns the :class:`Summary`. Every graded answer is committed to the store
    before the verdict is returned: when saving fails the :class:`StoreError` is
    raised, the attempt is kept, and ``retry_save()`` saves it (the answer is never
    lost while the session lives). Use as a context manager so that the store's session
    row is closed however the client ends.
    """

    def __init__(
        self,
        bank: QuestionBank,
        store: ProgressStore,
        skills: Sequence[Skill],
        *,
        scheduler: Scheduler | None = None,
        clock: Clock | None = None,
        seed: int | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.bank = bank
        self.store = store
        self.skills = list(skills)
        self.scheduler = scheduler or Scheduler(fuzz=seed is None)
        self.clock = clock or Clock()
        self.rng = rng if rng is not None else random.Random(seed)
        self.summary = Summary()
        self.current: Asked | None = None
        self.notices: list[str] = []
        """Skills passed over (a bank template that made no usable question), for the client to show."""
        self._next_index = 0
        self._shown = 0.0
        self._hint_used = False
        self._pending: tuple[Attempt, datetime, tuple[dict[str, Any], datetime] | None, Verdict] | None = None
        self._started = self.clock.monotonic()
        self._id = store.start_session(seed, len(self.skills), self.clock.now())
        self._closed = False

    def __enter__(self) -> Session:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if not self._closed:
            with suppress(StoreError):  # an error on its way out: close the session, keep the error
                self.store.end_session(self._id, self.clock.now())
            self._closed = True

    # -- stepping ---------------------------------------------------------------------

    def next(self) -> Asked | None:
        """The next question, or None when the planned skills are done."""
        if self._pending is not None:
            raise RuntimeError("the last answer is not saved yet: call retry_save() first")
        while self._next_index < len(self.skills):
            skill = self.skills[self._next_index]
            self._next_index += 1
            try:
                question = prepare(self.bank, skill, self.rng)
            except GeneratorError as exc:
                self.notices.append(str(exc))
                continue
            self.current = Asked(skill, question, self._next_index, len(self.skills))
            self._shown = self.clock.monotonic()
            self._hint_used = False
            return self.current
        self.current = None
        return None

    def hint(self) -> str | None:
        """The current question's hint (None when it has none); using one caps the rating at Hard."""
        asked = self._asked()
        if asked.question.hint is not None:
            self._hint_used = True
        return asked.question.hint

    def answer(self, text: str) -> Verdict:
        """Grade ``text``, save the attempt and schedule the skill; the verdict.

        Raises InvalidAnswer (nothing recorded: the learner tries again) or StoreError
        (kept: ``retry_save()``).
        """
        asked = self._asked()
        graded = grade(asked.question, text)  # InvalidAnswer: not graded, not recorded
        title = None
        if not graded.correct and graded.misconception:
            described = self.bank.misconceptions.get(graded.misconception)
            title = described.title if described else graded.misconception
        return self._conclude(
            text,
            graded.correct,
            misconception=graded.misconception if not graded.correct else None,
            misconception_title=title,
            feedback=graded.feedback if not graded.correct else None,
        )

    def skip(self, text: str = "s") -> Verdict:
        """Skip the current question: recorded as skipped, not scheduled."""
        return self._conclude(text, None)

    def retry_save(self) -> Verdict:
        """Save the attempt whose save failed; its verdict. Raises StoreError again if it fails again."""
        if self._pending is None:
            raise RuntimeError("no answer is waiting to be saved")
        attempt, when, schedule, verdict = self._pending
        self.store.record(attempt, when, self._id, schedule)
        self._pending = None
        self.summary.results.append(
            Result(verdict.skill, verdict.question, verdict.correct, verdict.seconds, verdict.rating)
        )
        self.current = None
        return verdict

    @property
    def unsaved(self) -> Verdict | None:
        """The verdict of an answer whose save failed (kept until ``retry_save()`` succeeds)."""
        return self._pending[3] if self._pending is not None else None

    def finish(self, ended_by: str = "finished") -> Summary:
        """Close the session; the summary with the outlook (weakest skill, reviews due)."""
        summary = self.summary
        summary.ended_by = ended_by
        summary.seconds = self.clock.monotonic() - self._started
        if not self._closed:
            self.store.end_session(self._id, self.clock.now())
            self._closed = True
        self._outlook(summary)
        return summary

    # -- inside -----------------------------------------------------------------------

    def _asked(self) -> Asked:
        if self.current is None:
            raise RuntimeError("no question is being asked: call next() first")
        if self._pending is not None:
            raise RuntimeError("the last answer is not saved yet: call retry_save() first")
        return self.current

    def _conclude(
        self,
        text: str,
        correct: bool | None,
        *,
        misconception: str | None = None,
        misconception_title: str | None = None,
        feedback: str | None = None,
    ) -> Verdict:
        asked = self._asked()
        question, skill = asked.question, asked.skill
        seconds = self.clock.monotonic() - self._shown
        when = self.clock.now()
        rating = None
        schedule = None
        if correct is not None:
            rating = rating_for(correct, seconds, question.type, question.difficulty, self._hint_used)
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
            hint_used=self._hint_used,
            skipped=correct is None,
            rating=rating,
        )
        verdict = Verdict(
            skill, question, text, correct, seconds, rating, misconception, misconception_title, feedback
        )
        self._pending = (attempt, when, schedule, verdict)
        return self.retry_save()

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


def plan_drill(
    bank: QuestionBank,
    store: ProgressStore,
    count: int,
    topics: Sequence[str] = (),
    *,
    when: datetime | None = None,
    rng: random.Random | None = None,
) -> list[Skill]:
    """What a drill practises: due reviews first, then new skills, topics interleaved."""
    return plan(skills_of(bank, topics), store.skills(), count, when or now_utc(), rng or random.Random())


def plan_review(bank: QuestionBank, store: ProgressStore, count: int) -> list[Skill]:
    """The skills most recently answered wrong (the latest first), at most ``count``."""
    by_id = {s.id: s for s in skills_of(bank)}
    last = store.last_results()
    wrong = sorted((when, skill) for skill, (ok, when) in last.items() if ok is False and skill in by_id)
    return [by_id[skill] for _, skill in reversed(wrong)][:count]


# -- the terminal client ------------------------------------------------------------------

CONTROLS = "? hint · s skip · q quit"


class Drill:
    """The drill in a terminal: a client of :class:`Session` that reads and writes a :class:`Terminal`."""

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
        return plan_drill(self.bank, self.store, count, topics, when=self.clock.now(), rng=self.rng)

    def run(self, skills: Sequence[Skill]) -> Summary:
        """Ask each skill in turn; the session is closed however the run ends.

        A bank template that makes no usable question (GeneratorError) is skipped with its
        message; the answers before and after it are saved and summarised as usual.
        """
        ended_by = "finished"
        with Session(
            self.bank,
            self.store,
            skills,
            scheduler=self.scheduler,
            clock=self.clock,
            seed=self.seed,
            rng=self.rng,
        ) as session:
            try:
                while True:
                    asked = session.next()
                    self._notices(session)
                    if asked is None:
                        break
                    if not self._ask(session, asked):
                        ended_by = "quit"
                        break
            except (KeyboardInterrupt, EOFError):
                ended_by = "interrupted"
                self.terminal.write()
            return session.finish(ended_by)

    def _notices(self, session: Session) -> None:
        for notice in session.notices:
            self.terminal.write(f"Skipped: {notice}", "warning")
        session.notices.clear()

    def _ask(self, session: Session, asked: Asked) -> bool:
        """Put one question; False when the student quits."""
        out = self.terminal.write
        question = asked.question
        out()
        out(f"{asked.position}/{asked.total} · {question.topic} · {type_label(question.type)}", "heading")
        out(render(question.prompt.strip()))
        match question:
            case ChoiceQuestion() | MultiQuestion():
                for number, option in enumerate(question.options, start=1):
                    out(f"  {circled(number)} {render(option.text)}")
            case TrueFalseQuestion():
                out(f"  {circled(1)} True   {circled(2)} False")
            case IntegerQuestion() | NumericQuestion() | TextQuestion():
                pass  # typed in
            case _:
                assert_never(question)
        while True:
            text = self.terminal.read(f"answer ({CONTROLS}) > ").strip()
            command = text.casefold()
            if command == "q":
                return False
            if command == "?":
                hint = session.hint()
                out(f"Hint: {render(hint)}" if hint else "No hint for this one.", "hint")
                continue
            try:
                verdict = self._saved(session, session.skip if command == "s" else session.answer, text)
            except InvalidAnswer as exc:
                out(str(exc), "warning")
                continue
            break
        if verdict.correct is None:
            out(f"Skipped. The answer: {render(answer_text(question))}", "dim")
        elif verdict.correct:
            out("✓ Correct.", "good")
        else:
            out(f"✗ Not quite. The answer: {render(answer_text(question))}", "bad")
            if verdict.misconception_title:
                what = "option" if isinstance(question, (ChoiceQuestion, MultiQuestion)) else "answer"
                out(f"  That {what} reflects a common mistake: {render(verdict.misconception_title)}.", "bad")
            if verdict.feedback:
                out(f"  {render(verdict.feedback)}")
        out(render(question.explanation.strip()))
        return True

    def _saved(self, session: Session, action: Callable[[str], Verdict], text: str) -> Verdict:
        """The verdict of an answer or a skip, once saved: a failed save is retried (asking the
        student, or up to SAVE_TRIES times when answers are piped in)."""
        try:
            return action(text)
        except StoreError as exc:
            if session.unsaved is None:  # not a failed save (a damaged schedule row): nothing to retry
                raise
            error = exc
        interactive = getattr(self.terminal, "interactive", True)
        tries = 1
        while True:
            if not interactive:  # answers come from a pipe: the next line is an answer, not a reply
                if tries >= SAVE_TRIES:
                    skill = session.unsaved.skill.id if session.unsaved else "?"
                    raise StoreError(f"{error} (the answer {text!r} to {skill} is not saved)") from None
            else:  # a full disk, a lock held too long: keep the answer, ask
                self.terminal.write(f"Your answer is not saved yet: {error}", "warning")
                choice = self.terminal.read("Press Enter to try saving it again, or q to quit > ")
                if choice.strip().casefold() == "q":
                    raise KeyboardInterrupt from None
            tries += 1
            try:
                return session.retry_save()
            except StoreError as exc:
                error = exc


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
