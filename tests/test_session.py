"""The drill's session object, stepped without any terminal: the rules a browser page will reuse.

Expected values are written out (verdicts, ratings as numbers, rows in the database
read with plain SQL), not taken from the drill's own constants.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizgen import InvalidAnswer, load_banks
from quizgen.bank import QuestionBank, Skill
from quizgen.drill import Clock, Session, plan_drill, plan_review
from quizgen.store import ProgressStore, StoreError

from .conftest import WriteBank

BANK = """
topics:
  - {id: demo, title: Demo, description: Sums.}
questions:
  - id: sum-a
    type: integer
    topic: demo
    prompt: "What is 4 + 6? (an integer)"
    hint: "Add them."
    explanation: "4 + 6 = 10."
    answer: 10
    mistakes:
      - {value: 24, misconception: product-for-sum, feedback: "That is the product."}
  - id: pick-b
    type: choice
    topic: demo
    prompt: "Which is even?"
    explanation: "2 is even."
    shuffle: false
    options:
      - {text: "2"}
      - {text: "3", misconception: zero-init, feedback: "3 is odd."}
    answer: 1
"""


class StepClock(Clock):
    """Each look at the monotonic clock is `step` seconds later; wall time follows."""

    def __init__(self, step: float = 5.0) -> None:
        self.wall = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
        self.mono = 0.0
        self.step = step
        super().__init__(now=lambda: self.wall, monotonic=self.tick)

    def tick(self) -> float:
        self.mono += self.step
        self.wall += timedelta(seconds=self.step)
        return self.mono


@pytest.fixture
def bank(write_bank: WriteBank) -> QuestionBank:
    return load_banks([write_bank(BANK, "demo.yaml")])


def rows(db: Path) -> list[tuple[str, str, int | None, int, int | None]]:
    with sqlite3.connect(db) as raw:
        return list(raw.execute("SELECT skill, answer, correct, skipped, rating FROM attempts ORDER BY id"))


def test_a_session_is_stepped_question_answer_verdict_schedule(bank: QuestionBank, tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    skills = [Skill("sum-a", "demo", "question"), Skill("pick-b", "demo", "question")]
    with ProgressStore(db) as store, Session(bank, store, skills, clock=StepClock(), seed=1) as session:
        first = session.next()
        assert first is not None and (first.skill.id, first.position, first.total) == ("sum-a", 1, 2)
        with pytest.raises(InvalidAnswer):
            session.answer("ten-ish")  # unreadable: not graded, nothing recorded
        assert rows(db) == []
        assert session.hint() == "Add them."
        verdict = session.answer("24")
        assert verdict.correct is False
        assert verdict.misconception == "product-for-sum"
        assert verdict.feedback == "That is the product."
        assert verdict.misconception_title == "n_in * n_out instead of n_in + n_out"
        assert verdict.rating == 1  # Again
        assert rows(db) == [("sum-a", "24", 0, 0, 1)]  # saved before the verdict came back
        second = session.next()
        assert second is not None and second.skill.id == "pick-b"
        right = session.answer("1")
        assert (right.correct, right.misconception, right.feedback) == (True, None, None)
        assert (
            right.rating == 3
        )  # Good: 5 s for a choice question expected to take 12 s is neither fast nor slow
        again = session.next()  # the miss comes back in the same session, after the one question left
        assert again is not None and (again.skill.id, again.kind, again.position, again.total) == (
            "sum-a",
            "again",
            3,
            3,
        )
        assert session.answer("10").correct is True
        assert session.next() is None
        summary = session.finish()
    assert (summary.score, len(summary.answered), summary.ended_by) == (2, 3, "finished")
    with sqlite3.connect(db) as raw:
        assert raw.execute("SELECT COUNT(*) FROM sessions WHERE ended_at IS NOT NULL").fetchone() == (1,)
        assert {row[0] for row in raw.execute("SELECT skill FROM skills")} == {"sum-a", "pick-b"}


def test_a_hint_caps_the_rating_and_a_skip_is_recorded_unscheduled(
    bank: QuestionBank, tmp_path: Path
) -> None:
    skills = [Skill("sum-a", "demo", "question"), Skill("pick-b", "demo", "question")]
    with (
        ProgressStore(tmp_path / "p.db") as store,
        Session(bank, store, skills, clock=StepClock(1.0)) as session,
    ):
        session.next()
        session.hint()
        assert session.answer("10").rating == 2  # fast and right, but hinted: Hard
        session.next()
        skipped = session.skip()
        assert (skipped.correct, skipped.rating) == (None, None)
        assert set(store.skills()) == {"sum-a"}
    assert rows(tmp_path / "p.db") == [("sum-a", "10", 1, 0, 2), ("pick-b", "s", None, 1, None)]


def test_steps_out_of_order_are_refused(bank: QuestionBank, tmp_path: Path) -> None:
    with ProgressStore(tmp_path / "p.db") as store, Session(bank, store, [], clock=StepClock()) as session:
        with pytest.raises(RuntimeError, match="call next"):
            session.answer("10")
        assert session.next() is None
        assert session.finish().results == []


def test_a_failed_save_keeps_the_attempt_until_retried(bank: QuestionBank, tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    with (
        ProgressStore(db) as store,
        Session(bank, store, [Skill("sum-a", "demo", "question")], clock=StepClock()) as session,
    ):
        session.next()
        record = store.record

        def full_disk(*args: object, **kwargs: object) -> None:
            raise StoreError("the disk is full")

        store.record = full_disk  # type: ignore[method-assign]
        with pytest.raises(StoreError):
            session.answer("10")
        assert session.unsaved is not None and session.unsaved.answer == "10"
        with pytest.raises(RuntimeError, match="not saved yet"):
            session.next()
        store.record = record  # type: ignore[method-assign]
        assert session.retry_save().correct is True
        assert session.unsaved is None
        assert session.next() is None
    assert rows(db) == [("sum-a", "10", 1, 0, 4)]  # Easy: 5 s for an integer question expected to take 20 s


def test_plans_for_a_drill_and_a_review(bank: QuestionBank, tmp_path: Path) -> None:
    with ProgressStore(tmp_path / "p.db") as store:
        planned = plan_drill(bank, store, 3, ["demo"])
        assert {s.id for s in planned} == {"sum-a", "pick-b"}  # only two skills in the topic
        with Session(
            bank,
            store,
            [Skill("sum-a", "demo", "question"), Skill("pick-b", "demo", "question")],
            clock=StepClock(),
        ) as session:
            session.next()
            session.answer("24")
            session.next()
            session.answer("2")
        assert [s.id for s in plan_review(bank, store, 5)] == ["pick-b", "sum-a"]  # latest wrong first
        assert [s.id for s in plan_review(bank, store, 1)] == ["pick-b"]
