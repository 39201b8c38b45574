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
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Literal, Protocol, assert_never

from .bank import QuestionBank, Skill, SkillKind, prepare, skills_of
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
from .scheduler import AGAIN, RATING_NAMES, Scheduler, plan, rating_for, rating_reason
from .store import Attempt, ProgressStore, StoreError, now_utc
from .termmath import render
from .textview import answer_form, answer_text, circled, question_title, type_label

SAVE_TRIES = 3
"""Without a person to ask (answers piped in), a failed save is tried this many times in all."""
RELEARN_GAP = 3
"""A question rated Again is asked again this many questions later in the same session (or last,
when fewer are left), as Anki's relearning steps bring a lapsed card back within minutes."""
MAX_AGAIN = 2
"""A skill is asked again at most this many times in one session."""

Kind = Literal["new", "review", "again"]
"""What a question is to the learner: never practised, a scheduled review, or asked again after a miss."""


class Terminal(Protocol):
    """Where the drill writes and reads. A terminal may say ``interactive = False`` (input piped
    in), so that the drill never reads a reply that is really the next answer."""

    def write(self, text: str = "", style: str | None = None) -> None: ...

    def read(self, prompt: str) -> str:
        """A line typed by the student; raises EOFError (Ctrl-D) or KeyboardInterrupt (Ctrl-C)."""
        ...


# A terminal may also offer ``read_key(prompt) -> str``: one key press, without Enter (used after a
# verdict to rate, undo or go on); without it the drill reads a line.


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
    title: str = ""
    """The skill as a student knows it (a generator's title, or the start of the question)."""
    due: datetime | None = None
    """When the skill is due again after this answer (None: skipped)."""
    kind: Kind = "new"


@dataclass
class Summary:
    results: list[Result] = field(default_factory=list)
    seconds: float = 0.0
    ended_by: str = "finished"  # finished | quit | interrupted
    weakest: tuple[str, datetime] | None = None  # (skill title, when it is due again)
    due_now: int = 0
    next_due: datetime | None = None
    next_title: str | None = None
    """The title of the skill due next (when it is one of this bank's)."""

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
    kind: Kind = "new"
    """new (never practised), review (scheduled before), again (missed earlier in this session)."""


@dataclass(frozen=True)
class Outline:
    """What a session holds, said before it starts: '3 due · 7 new'."""

    due: int
    new: int
    ahead: int
    """Practised skills not yet due, asked when nothing else fills the session (or by `review`)."""

    def __str__(self) -> str:
        parts = [f"{self.due} due" if self.due else "nothing due", f"{self.new} new"]
        if self.ahead:
            parts.append(f"{self.ahead} ahead of schedule")
        return " · ".join(parts)


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
    due: datetime | None = None
    """When the skill is due again (None: skipped)."""
    reason: str = ""
    """How the rating was chosen, in words ('correct in 14 s, about 20 s expected')."""
    again_after: int | None = None
    """Rated Again: asked again in this session after this many more questions (None: not asked again)."""
    chosen: tuple[int, ...] = ()
    missed: tuple[int, ...] = ()
    """Select all that apply: the right options not chosen."""
    wrong: tuple[int, ...] = ()
    """Select all that apply: the options chosen that are not right."""
    kind: Kind = "new"


class _Entry:
    """A place in the session's queue (compared by identity, so a re-ask can be taken back)."""

    __slots__ = ("kind", "skill")

    def __init__(self, skill: Skill, kind: Kind) -> None:
        self.skill = skill
        self.kind = kind


@dataclass
class _Last:
    """The last saved answer, which the learner may re-rate or undo until the next question."""

    attempt_id: int
    asked: Asked
    verdict: Verdict
    card_before: dict[str, Any] | None
    when: datetime
    again: _Entry | None
    proposed: int | None
    reason: str


def skill_title(bank: QuestionBank, skill: Skill, question: Question | None = None) -> str:
    """A skill as a student knows it: a generator's title, or the first sentence of the question
    (rendered for a terminal, at most about 60 characters)."""
    generator = bank.generators.get(skill.id) if skill.kind == "generator" else None
    if generator is not None:
        return generator.title
    if question is None:
        try:
            question = bank.get(skill.id)
        except Exception:  # a skill of a bank no longer loaded: its id is all there is
            return skill.id
    return question_title(question, render)


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
        states = store.skills()
        when = self.clock.now()
        self._queue = [_Entry(s, "review" if s.id in states else "new") for s in self.skills]
        self.outline = Outline(
            due=sum(1 for s in self.skills if s.id in states and states[s.id].due <= when),
            new=sum(1 for s in self.skills if s.id not in states),
            ahead=sum(1 for s in self.skills if s.id in states and states[s.id].due > when),
        )
        self._again_count: dict[str, int] = {}
        self._next_index = 0
        self._shown = 0.0
        self._hint_used = False
        self._pending: tuple[Attempt, datetime, tuple[dict[str, Any], datetime] | None, Verdict] | None = None
        self._pending_extra: tuple[dict[str, Any] | None, Asked] | None = None
        self._last: _Last | None = None
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
        self._last = None  # the last answer is final once the next question is asked
        while self._next_index < len(self._queue):
            entry = self._queue[self._next_index]
            self._next_index += 1
            try:
                question = prepare(self.bank, entry.skill, self.rng)
            except GeneratorError as exc:
                self.notices.append(str(exc))
                continue
            self.current = Asked(entry.skill, question, self._next_index, len(self._queue), entry.kind)
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
            chosen=graded.chosen,
            missed=graded.missed,
            wrong=graded.wrong,
        )

    def skip(self, text: str = "s") -> Verdict:
        """Skip the current question: recorded as skipped, not scheduled."""
        return self._conclude(text, None)

    def retry_save(self) -> Verdict:
        """Save the attempt whose save failed; its verdict. Raises StoreError again if it fails again."""
        if self._pending is None:
            raise RuntimeError("no answer is waiting to be saved")
        attempt, when, schedule, verdict = self._pending
        attempt_id = self.store.record(attempt, when, self._id, schedule)
        self._pending = None
        card_before, asked = self._pending_extra or (None, self._asked_now(verdict))
        self._pending_extra = None
        again = self._ask_again(verdict.skill) if verdict.rating == AGAIN else None
        if again is not None:
            verdict = replace(verdict, again_after=self._queue.index(again) - self._next_index)
        self.summary.results.append(self._result(verdict))
        self._last = _Last(
            attempt_id, asked, verdict, card_before, when, again, verdict.rating, verdict.reason
        )
        self.current = None
        return verdict

    # -- after a verdict: change the rating, or undo ---------------------------------

    @property
    def last(self) -> Verdict | None:
        """The verdict that may still be re-rated or undone (until ``next()``)."""
        return self._last.verdict if self._last is not None else None

    def rate(self, rating: int) -> Verdict:
        """Give the last answer another rating (1 Again, 2 Hard, 3 Good, 4 Easy), as the learner
        judges it: its schedule is worked out again from the skill's state before the answer, and
        saved in one transaction (a StoreError changes nothing). Again asks it again later."""
        last = self._last
        if last is None or last.verdict.correct is None:
            raise RuntimeError("no rated answer to change: rate right after a graded answer")
        if rating not in RATING_NAMES:
            raise ValueError(f"a rating is 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy), not {rating!r}")
        verdict = last.verdict
        schedule = self.scheduler.review(
            last.card_before, rating, last.when, verdict.seconds, skill=verdict.skill.id
        )
        self.store.rerate(last.attempt_id, rating, schedule)
        again = last.again
        if rating == AGAIN and again is None:
            again = self._ask_again(verdict.skill)
        elif rating != AGAIN and again is not None:
            self._take_back(again)
            again = None
        verdict = replace(
            verdict,
            rating=rating,
            due=schedule[1],
            reason=last.reason
            if rating == last.proposed
            else f"your choice; quizgen proposed {RATING_NAMES[last.proposed or AGAIN]}",
            again_after=None if again is None else self._queue.index(again) - self._next_index,
        )
        self._last = replace(last, verdict=verdict, again=again)
        self.summary.results[-1] = self._result(verdict)
        return verdict

    def undo(self) -> Asked:
        """Take back the last answer: the attempt is removed from the store and the skill's schedule
        restored exactly as it was, in one transaction (a StoreError changes nothing); the same
        question is asked again, its clock restarted."""
        last = self._last
        if last is None:
            raise RuntimeError("nothing to undo: undo right after an answer")
        self.store.undo(last.attempt_id)
        if last.again is not None:
            self._take_back(last.again)
        self.summary.results.pop()
        self._last = None
        self.current = last.asked
        self._shown = self.clock.monotonic()
        self._hint_used = False
        return last.asked

    def _ask_again(self, skill: Skill) -> _Entry | None:
        """Put a skill rated Again back in the queue, RELEARN_GAP questions later (at most MAX_AGAIN times)."""
        count = self._again_count.get(skill.id, 0)
        if count >= MAX_AGAIN:
            return None
        self._again_count[skill.id] = count + 1
        entry = _Entry(skill, "again")
        self._queue.insert(min(self._next_index + RELEARN_GAP, len(self._queue)), entry)
        return entry

    def _take_back(self, entry: _Entry) -> None:
        for index in range(self._next_index, len(self._queue)):
            if self._queue[index] is entry:
                del self._queue[index]
                self._again_count[entry.skill.id] -= 1
                return

    def _asked_now(self, verdict: Verdict) -> Asked:
        if self.current is not None:
            return self.current
        return Asked(verdict.skill, verdict.question, self._next_index, len(self._queue), verdict.kind)

    def _result(self, verdict: Verdict) -> Result:
        return Result(
            verdict.skill,
            verdict.question,
            verdict.correct,
            verdict.seconds,
            verdict.rating,
            skill_title(self.bank, verdict.skill, verdict.question),
            verdict.due,
            verdict.kind,
        )

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
        chosen: tuple[int, ...] = (),
        missed: tuple[int, ...] = (),
        wrong: tuple[int, ...] = (),
    ) -> Verdict:
        asked = self._asked()
        question, skill = asked.question, asked.skill
        seconds = self.clock.monotonic() - self._shown
        when = self.clock.now()
        rating = None
        schedule = None
        reason = ""
        card_before = None
        if correct is not None:
            rating = rating_for(correct, seconds, question.type, question.difficulty, self._hint_used)
            reason = rating_reason(correct, seconds, question.type, question.difficulty, self._hint_used)
            state = self.store.skills().get(skill.id)
            card_before = state.card if state else None
            schedule = self.scheduler.review(card_before, rating, when, seconds, skill=skill.id)
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
            skill,
            question,
            text,
            correct,
            seconds,
            rating,
            misconception,
            misconception_title,
            feedback,
            due=schedule[1] if schedule else None,
            reason=reason,
            chosen=chosen,
            missed=missed,
            wrong=wrong,
            kind=asked.kind,
        )
        self._pending = (attempt, when, schedule, verdict)
        self._pending_extra = (card_before, asked)
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
            titles = {r.skill.id: r.title for r in summary.results}
            summary.weakest = (titles.get(weakest.skill, weakest.skill), weakest.due)
        summary.due_now = sum(1 for s in states.values() if s.due <= when)
        future = [s for s in states.values() if s.due > when]
        if future:
            soonest = min(future, key=lambda s: s.due)
            summary.next_due = soonest.due
            known = {r.skill.id: r.title for r in summary.results}
            if soonest.skill in known:
                summary.next_title = known[soonest.skill]
            elif soonest.skill in self.bank or soonest.skill in self.bank.generators:
                kind: SkillKind = "generator" if soonest.skill in self.bank.generators else "question"
                summary.next_title = skill_title(self.bank, Skill(soonest.skill, soonest.topic, kind))


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
        self._explained = False

    def plan(self, count: int, topics: Sequence[str] = ()) -> list[Skill]:
        return plan_drill(self.bank, self.store, count, topics, when=self.clock.now(), rng=self.rng)

    @property
    def interactive(self) -> bool:
        """Whether a person types the input (not a pipe): only then is there a pause after a verdict."""
        return bool(getattr(self.terminal, "interactive", True))

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
            self.terminal.write(f"{session.outline}", "heading")
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

    def _show(self, asked: Asked) -> None:
        out = self.terminal.write
        question = asked.question
        out()
        out(
            f"{asked.position}/{asked.total} · {asked.kind} · {question.topic} · {type_label(question.type)}",
            "heading",
        )
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
        form = answer_form(question)
        if form is not None:
            out(f"Answer with {form}.", "dim")

    def _ask(self, session: Session, asked: Asked) -> bool:
        """Put one question (again after an undo); False when the student quits."""
        while True:
            self._show(asked)
            verdict = self._answer(session)
            if verdict is None:
                return False
            self._teach(verdict)
            after = self._after(session, verdict)
            if after == "undo":
                asked = session.current or asked
                continue
            return after == "next"

    def _answer(self, session: Session) -> Verdict | None:
        """The saved verdict on what the student typed; None when they quit."""
        out = self.terminal.write
        while True:
            text = self.terminal.read(f"answer ({CONTROLS}) > ").strip()
            command = text.casefold()
            if command == "q":
                return None
            if command == "?":
                hint = session.hint()
                out(f"Hint: {render(hint)}" if hint else "No hint for this one.", "hint")
                continue
            try:
                return self._saved(session, session.skip if command == "s" else session.answer, text)
            except InvalidAnswer as exc:
                out(str(exc), "warning")

    def _teach(self, verdict: Verdict) -> None:
        out = self.terminal.write
        question = verdict.question
        if verdict.correct is None:
            out(f"Skipped. The answer: {render(answer_text(question))}", "dim")
        elif verdict.correct:
            out("✓ Correct.", "good")
        else:
            out(f"✗ Not quite. The answer: {render(answer_text(question))}", "bad")
            if isinstance(question, MultiQuestion):
                self._partial(verdict, question)
            if verdict.misconception_title:
                what = "option" if isinstance(question, (ChoiceQuestion, MultiQuestion)) else "answer"
                out(f"  That {what} reflects a common mistake: {render(verdict.misconception_title)}.", "bad")
            if verdict.feedback:
                out(f"  {render(verdict.feedback)}")
        out(render(question.explanation.strip()))
        self._rated(verdict)

    def _partial(self, verdict: Verdict, question: MultiQuestion) -> None:
        """Select all that apply: what was chosen, missed, and why each wrong choice is wrong."""
        parts = [f"You chose {''.join(circled(n) for n in verdict.chosen)}"]
        if verdict.missed:
            parts.append(f"missed {''.join(circled(n) for n in verdict.missed)}")
        for number in verdict.wrong:
            feedback = question.options[number - 1].feedback
            parts.append(f"{circled(number)} is wrong" + (f": {render(feedback)}" if feedback else ""))
        self.terminal.write("  " + "; ".join(parts), "bad")

    def _rated(self, verdict: Verdict) -> None:
        if verdict.rating is None:
            return
        out = self.terminal.write
        line = f"Rated {RATING_NAMES[verdict.rating]} ({verdict.reason})"
        if verdict.due is not None:
            line += f" — next review {_until(verdict.due - self.clock.now())}"
        if verdict.again_after is not None:
            line += "; asked again " + (
                "next"
                if verdict.again_after == 0
                else f"after {_plural(verdict.again_after, 'more question')}"
            )
        out(line, "dim")
        if not self._explained and self.interactive:
            self._explained = True
            out(
                "  The rating sets the next review: Again if wrong; Hard if right but slow or with a hint; "
                "Good if right; Easy if right and quick (Good at most for choice and true/false). "
                "Change it with 1-4, as in Anki.",
                "dim",
            )

    def _after(self, session: Session, verdict: Verdict) -> Literal["next", "undo", "quit"]:
        """After a verdict (a person at the keyboard only): change the rating, undo, quit or go on."""
        if not self.interactive:
            return "next"
        out = self.terminal.write
        while True:
            rate = "1 Again · 2 Hard · 3 Good · 4 Easy · " if verdict.rating is not None else ""
            key = self._key(f"Enter: next · {rate}u undo · q quit > ")
            if key in ("", " ", "\r", "\n", "n"):
                return "next"
            if key == "q":
                return "quit"
            try:
                if key == "u":
                    session.undo()
                    out(
                        "Undone: the answer is removed and the skill's schedule is as it was; the question again:",
                        "warning",
                    )
                    return "undo"
                if key in ("1", "2", "3", "4") and verdict.rating is not None:
                    verdict = session.rate(int(key))
                    self._rated(verdict)
                    continue
            except StoreError as exc:
                out(f"Not changed: {exc}", "warning")
                continue
            out("Press Enter for the next question, 1-4 to change the rating, u to undo, q to quit.", "dim")

    def _key(self, prompt: str) -> str:
        read_key = getattr(self.terminal, "read_key", None)
        text = read_key(prompt) if read_key is not None else self.terminal.read(prompt)
        return text.strip().casefold()[:1] if text.strip() else ""

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
    """The end-of-session report as (line, style) pairs: the score and the session's one timing,
    each answer with its rating, its next review and the skill's title, then the outlook."""
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
    again = sum(1 for r in summary.results if r.kind == "again")
    tail = f" · {_plural(again, 'question')} asked again" if again else ""
    lines.append(
        (f"{score} in {minutes}:{seconds:02d}{tail}", "good" if summary.score == len(answered) else None)
    )
    by_topic: dict[str, list[Result]] = {}
    for result in answered:
        by_topic.setdefault(result.skill.topic, []).append(result)
    for topic, results in sorted(by_topic.items()):
        right = sum(1 for r in results if r.correct)
        bar = "█" * right + "░" * (len(results) - right)
        lines.append((f"  {topic:<16} {right}/{len(results)}  {bar}", None))
    lines.append(("Your answers (rating → next review):", None))
    for number, result in enumerate(summary.results, start=1):
        mark = "–" if result.correct is None else ("✓" if result.correct else "✗")
        if result.rating is None:
            rated = "skipped"
        else:
            rated = f"{RATING_NAMES[result.rating]:<5} → " + (
                _until(result.due - now).removeprefix("in ") if result.due is not None else "?"
            )
        lines.append((f"  {number:>2} {mark} {rated:<17} {result.title or result.skill.id}", None))
    if summary.weakest:
        lines.append((f"Weakest skill: {summary.weakest[0]}", "bad"))
    if summary.due_now:
        lines.append((f"Reviews due now: {summary.due_now}", None))
    elif summary.next_due is not None:
        which = f" ({summary.next_title})" if summary.next_title else ""
        lines.append((f"Next review {_until(summary.next_due - now)}{which}", None))
    return lines


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def drill_in_terminal(
    bank: QuestionBank,
    store: ProgressStore,
    terminal: Terminal,
    choose: Callable[[Drill], Sequence[Skill]],
    *,
    seed: int | None = None,
) -> Summary | None:
    """A whole drill in a terminal (what `quizgen drill` and `quizgen review` run): ``choose`` plans
    the skills; the summary is written at the end. None when nothing matches."""
    drill = Drill(bank, store, terminal, seed=seed)
    skills = choose(drill)
    if not skills:
        terminal.write("Nothing to practise here: no skill matches.")
        return None
    summary = drill.run(skills)
    for line, style in format_summary(summary, drill.clock.now()):
        terminal.write(line, style)
    return summary


def _until(delta: timedelta) -> str:
    seconds = max(0, round(delta.total_seconds()))
    if seconds < 60:
        return f"in {seconds} s"
    if seconds < 90 * 60:
        return f"in {round(seconds / 60)} min"
    if seconds < 36 * 3600:
        return f"in {round(seconds / 3600)} h"
    days = round(seconds / 86400)
    return f"in {days} day{'' if days == 1 else 's'}"
