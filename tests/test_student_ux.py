"""Issue 13, items 8-12: what a student meets in the drill, `stats` and `show`.

Expected values are written out (numbers, lines, rows read back with plain SQL) or come
from an independent oracle (`Precision.written`, which rounds with Decimal, for the
answers at a stated precision); none is taken from the module under test.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from quizgen import load_banks
from quizgen.bank import QuestionBank, Skill
from quizgen.cli import main
from quizgen.drill import Drill, Outline, Session, format_summary
from quizgen.grading import InvalidAnswer, grade, parse_answer
from quizgen.models import IntegerQuestion, NumericQuestion, Question
from quizgen.precision import decimal_text, marking, stated_precision
from quizgen.progress import topic_stats
from quizgen.store import Attempt, ProgressStore, StoreError

from .conftest import WriteBank
from .test_session import StepClock

T0 = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


class Scripted:
    """A terminal a person types into (interactive): the given lines, then end of input."""

    def __init__(self, lines: list[str], interactive: bool = True) -> None:
        self.lines: Iterator[str] = iter(lines)
        self.interactive = interactive
        self.output: list[str] = []
        self.prompts: list[str] = []

    def write(self, text: str = "", style: str | None = None) -> None:
        self.output.extend(text.split("\n"))

    def read(self, prompt: str) -> str:
        self.prompts.append(prompt)
        try:
            return next(self.lines)
        except StopIteration:
            raise EOFError from None


def sums(count: int, topic: str = "demo") -> str:
    return f"topics:\n  - {{id: {topic}, title: Demo, description: Sums.}}\nquestions:\n" + "".join(
        f"""
  - id: {topic}-{n:02d}
    type: integer
    topic: {topic}
    prompt: "Sum number {n}: what is {n} + 10?"
    explanation: "{n} + 10 = {n + 10}."
    answer: {n + 10}
"""
        for n in range(count)
    )


def raw(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as connection:
        return list(connection.execute(sql))


# -- item 8: the form wanted, said before answering; a correctly rounded answer is never wrong -----------


def _typed_questions() -> Iterator[Question]:
    bank = load_banks()
    yield from (q for q in bank.questions if isinstance(q, NumericQuestion | IntegerQuestion))
    for generator in bank.generators.values():
        for seed in range(25):
            question = generator.make(seed)
            if isinstance(question, NumericQuestion | IntegerQuestion):
                yield question


TYPED = list(_typed_questions())


def test_there_are_many_typed_questions_to_check() -> None:
    assert len(TYPED) > 300


@pytest.mark.parametrize("question", TYPED, ids=lambda q: str(q.variant or q.id))
def test_an_answer_written_at_the_stated_precision_is_accepted(question: Question) -> None:
    """Every way of writing the answer as the prompt asks (both roundings of a tie, positional and
    scientific, quizgen's own `× 10⁻⁵` form) and the ends of the range the key prints are graded right."""
    if isinstance(question, IntegerQuestion):
        assert grade(question, str(question.answer)).correct
        return
    assert isinstance(question, NumericQuestion)
    precision = stated_precision(question.prompt)
    forms: list[str] = []
    if precision is not None:
        for value in precision.written(question.answer):  # the oracle: Decimal rounding half up and half even
            number = Decimal(repr(value))
            forms += [f"{number:f}", f"{number:e}", decimal_text(number, style="unicode")]
    shown = marking(question)
    forms += [shown.text("plain").split(" (")[0], decimal_text(shown.answer, style="unicode")]
    for end in (shown.low, shown.high):
        if end is not None:
            forms += [decimal_text(end), decimal_text(end, style="unicode")]
    for form in forms:
        assert grade(question, form).correct, f"{form!r} for {question.id}: {question.prompt}"


def test_the_drill_says_what_form_is_wanted_before_the_answer(write_bank: WriteBank, tmp_path: Path) -> None:
    bank = load_banks(
        [
            write_bank(
                """
topics:
  - {id: demo, title: Demo, description: One number.}
questions:
  - id: sd-1
    type: numeric
    topic: demo
    prompt: "What is the standard deviation of W? Give 3 significant figures."
    explanation: "sqrt(2/548) = 0.0604."
    answer: 0.0604122
    tolerance: 0.005
    tolerance_type: relative
"""
            )
        ]
    )
    terminal = Scripted(["0.06", ""], interactive=False)
    with ProgressStore(tmp_path / "p.db") as store:
        Drill(bank, store, terminal, clock=StepClock(), seed=1).run([Skill("sd-1", "demo", "question")])
    out = terminal.output
    form = out.index("Answer with a number to 3 significant figures (e.g. 0.0123 or 1.23e-2).")
    # 0.0604122 ± 0.5% is 0.060110 to 0.060714: written to 3 significant figures, rounded inwards
    assert form < out.index("✗ Not quite. The answer: 0.0604 (accept 0.0602 to 0.0607)")


# -- item 12: spellings people (and quizgen) write ---------------------------------------------------


NUMERIC = NumericQuestion(
    id="n", topic="xavier", prompt="p", explanation="e", type="numeric", answer=0.05, tolerance=1e-9
)
INTEGER = IntegerQuestion(id="i", topic="xavier", prompt="p", explanation="e", type="integer", answer=1024)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("5*10^-2", 0.05),
        ("5×10⁻²", 0.05),
        ("5 × 10⁻²", 0.05),
        ("5·10^-2", 0.05),
        ("5 x 10^-2", 0.05),
        ("5*10**-2", 0.05),
        ("sqrt(1/400)", 0.05),
        ("√(1/400)", 0.05),
        ("1/20", 0.05),
        ("2^10", 1024.0),
        ("10⁶", 1_000_000.0),
        ("3.66 × 10⁻⁵", 3.66e-5),
        ("−5×10⁻²", -0.05),
        ("2√2", 2.8284271247461903),
        ("1/(2*10)", 0.05),
    ],
)
def test_numeric_spellings(text: str, value: float) -> None:
    assert parse_answer(NUMERIC, text) == pytest.approx(value, rel=1e-15)


@pytest.mark.parametrize(
    ("text", "value"), [("2^10", 1024), ("2**10", 1024), ("10⁶", 10**6), ("sqrt(400)", 20)]
)
def test_integer_spellings(text: str, value: int) -> None:
    assert parse_answer(INTEGER, text) == value
    assert type(parse_answer(INTEGER, text)) is int


def test_the_chapters_spellings_grade_right() -> None:
    for text in ("5*10^-2", "5×10⁻²", "5·10^-2", "sqrt(1/400)", "√(1/400)"):
        assert grade(NUMERIC, text).correct, text
    assert grade(INTEGER, "2^10").correct


@pytest.mark.parametrize(
    ("question", "text", "message"),
    [
        (NUMERIC, "2^3+1", "type one number, not a sum or difference (e.g. 0.35, 1/12 or 5×10⁻²)"),
        (NUMERIC, "10^100000", "that number is too large; expected a number, e.g. 0.35"),
        (NUMERIC, "9^9^9", "that number is too large; expected a number, e.g. 0.35"),
        (
            NUMERIC,
            "(" * 30 + "1" + ")" * 30,
            "that answer is nested too deeply; expected a number, e.g. 0.35",
        ),
        (NUMERIC, "2*" * 150 + "2", "that answer is too long; expected a number, e.g. 0.35"),
        (
            NUMERIC,
            "sqrt(-4)",
            "cannot take the square root of a negative number; expected a number, e.g. 0.35",
        ),
        (NUMERIC, "1/(5-5)", "type one number, not a sum or difference (e.g. 0.35, 1/12 or 5×10⁻²)"),
        (NUMERIC, "2^", "expected a number, e.g. 0.35"),
        (NUMERIC, "abc", "expected a number, e.g. 0.35"),
        (NUMERIC, "__import__('os')", "expected a number, e.g. 0.35"),
        (INTEGER, "2^0.5", "that is not a whole number; expected a whole number, e.g. 10"),
        (INTEGER, "10^-1", "that is not a whole number; expected a whole number, e.g. 10"),
    ],
)
def test_unreadable_expressions_keep_a_clear_message(question: Question, text: str, message: str) -> None:
    with pytest.raises(InvalidAnswer) as caught:
        parse_answer(question, text)
    assert str(caught.value) == message


MULTI_BANK = """
topics:
  - {id: demo, title: Demo, description: Select all.}
questions:
  - id: pick-all
    type: multi
    topic: demo
    prompt: "Which are even?"
    explanation: "2, 4 and 6 are even."
    shuffle: false
    options:
      - {text: "1", feedback: "1 is odd."}
      - {text: "2"}
      - {text: "3", feedback: "3 is odd: it leaves 1 over when halved."}
      - {text: "4"}
      - {text: "6"}
    answers: [2, 4, 5]
"""


def test_select_all_gets_partial_feedback(write_bank: WriteBank, tmp_path: Path) -> None:
    bank = load_banks([write_bank(MULTI_BANK)])
    terminal = Scripted(["2,3,4"], interactive=False)
    with ProgressStore(tmp_path / "p.db") as store:
        Drill(bank, store, terminal, clock=StepClock(), seed=1).run([Skill("pick-all", "demo", "question")])
    assert "  You chose ②③④; missed ⑤; ③ is wrong: 3 is odd: it leaves 1 over when halved." in terminal.output


# -- item 9: ratings shown, explained, changed with one key, undone ------------------------------------


@pytest.fixture
def demo(write_bank: WriteBank) -> QuestionBank:
    return load_banks([write_bank(sums(6))])


def skills(count: int) -> list[Skill]:
    return [Skill(f"demo-{n:02d}", "demo", "question") for n in range(count)]


def test_undo_restores_the_schedule_exactly_and_asks_again(demo: QuestionBank, tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    with ProgressStore(db) as store:
        with Session(demo, store, skills(1), clock=StepClock(), seed=1) as first:
            first.next()
            first.answer("10")
        before_skills = raw(db, "SELECT * FROM skills")
        before_attempts = raw(db, "SELECT * FROM attempts")
        with Session(demo, store, skills(1), clock=StepClock(), seed=1) as session:
            asked = session.next()
            assert asked is not None and asked.kind == "review"
            verdict = session.answer("99")
            assert verdict.rating == 1 and verdict.again_after == 0  # a miss: asked again next
            assert raw(db, "SELECT * FROM skills") != before_skills
            again = session.undo()
            assert again == asked  # the same question, asked again
            assert raw(db, "SELECT * FROM skills") == before_skills  # byte for byte
            assert raw(db, "SELECT * FROM attempts") == before_attempts
            assert session.summary.results == []
            right = session.answer("10")
            assert right.correct is True and right.again_after is None
            assert session.next() is None  # the taken-back miss is not asked again


def test_undo_of_a_new_skill_leaves_no_schedule(demo: QuestionBank, tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    with ProgressStore(db) as store, Session(demo, store, skills(1), clock=StepClock()) as session:
        session.next()
        session.answer("10")
        session.undo()
        assert raw(db, "SELECT COUNT(*) FROM skills") == [(0,)]
        assert raw(db, "SELECT COUNT(*) FROM attempts") == [(0,)]


def test_a_failed_undo_loses_nothing(
    demo: QuestionBank, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import quizgen.store

    monkeypatch.setattr(quizgen.store, "BUSY_TIMEOUT_MS", 200)
    db = tmp_path / "p.db"
    with ProgressStore(db) as store, Session(demo, store, skills(1), clock=StepClock()) as session:
        session.next()
        session.answer("10")
        attempts, schedule = raw(db, "SELECT * FROM attempts"), raw(db, "SELECT * FROM skills")
        holder = sqlite3.connect(db, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        with pytest.raises(StoreError, match="still locked"):
            session.undo()
        holder.execute("ROLLBACK")
        holder.close()
        assert (raw(db, "SELECT * FROM attempts"), raw(db, "SELECT * FROM skills")) == (attempts, schedule)
        session.undo()  # the lock is gone: now it works
        assert raw(db, "SELECT COUNT(*) FROM attempts") == [(0,)]


def test_changing_the_rating_reschedules_from_the_state_before(demo: QuestionBank, tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    with ProgressStore(db) as store, Session(demo, store, skills(5), clock=StepClock(), seed=1) as session:
        session.next()
        verdict = session.answer("10")  # 5 s for an integer question expecting 20 s: Easy
        assert verdict.rating == 4
        proposed = raw(db, "SELECT card, due FROM skills")
        assert raw(db, "SELECT rating, proposed_rating FROM attempts") == [(4, 4)]
        hard = session.rate(2)
        assert (hard.rating, hard.reason) == (2, "your choice; quizgen proposed Easy")
        assert raw(db, "SELECT rating, proposed_rating FROM attempts") == [(2, 4)]
        assert raw(db, "SELECT card, due FROM skills") != proposed
        again = session.rate(1)  # Again: asked again three questions later
        assert again.again_after == 3
        back = session.rate(4)  # back to what was proposed: the very schedule first recorded
        assert back.again_after is None and back.reason == verdict.reason
        assert raw(db, "SELECT card, due FROM skills") == proposed
        assert [session.next().skill.id for _ in range(4)] == ["demo-01", "demo-02", "demo-03", "demo-04"]  # type: ignore[union-attr]
        assert session.next() is None
        summary = session.finish()
    assert [r.rating for r in summary.results] == [4]


def test_rating_keys_and_undo_in_the_terminal(demo: QuestionBank, tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    # first question: right, then "2" (Hard), then Enter; second: wrong, "u" (undo), right, Enter
    terminal = Scripted(["10", "2", "", "99", "u", "11", ""])
    with ProgressStore(db) as store:
        summary = Drill(demo, store, terminal, clock=StepClock(), seed=1).run(skills(2))
    out = terminal.output
    assert out[0] == "nothing due · 2 new"
    assert "Rated Easy (correct in 5 s, under 40% of the 20 s expected) — next review in 8 days" in out
    assert "Rated Hard (your choice; quizgen proposed Easy) — next review in 6 min" in out
    assert "Rated Again (not correct) — next review in 1 min; asked again next" in out
    assert "Undone: the answer is removed and the skill's schedule is as it was; the question again:" in out
    assert out.count("2/2 · new · demo · an integer") == 2  # asked again after the undo
    assert raw(db, "SELECT skill, answer, correct, rating, proposed_rating FROM attempts ORDER BY id") == [
        ("demo-00", "10", 1, 2, 4),
        ("demo-01", "11", 1, 4, 4),
    ]
    lines = [line for line, _ in format_summary(summary, T0 + timedelta(minutes=1))]
    start = lines.index("Your answers (rating → next review):")
    assert lines[start + 1 : start + 3] == [
        "   1 ✓ Hard  → 5 min     Sum number 0: what is 0 + 10?",
        "   2 ✓ Easy  → 8 days    Sum number 1: what is 1 + 10?",
    ]


def test_a_missed_question_comes_back_three_questions_later(demo: QuestionBank, tmp_path: Path) -> None:
    with (
        ProgressStore(tmp_path / "p.db") as store,
        Session(demo, store, skills(6), clock=StepClock()) as session,
    ):
        asked = []
        answers = {"demo-00": "0"}  # the first is missed once; every other answer is right
        while (question := session.next()) is not None:
            asked.append((question.skill.id, question.kind))
            skill = question.skill.id
            text = answers.pop(skill, None) or str(int(skill[-2:]) + 10)
            session.answer(text)
    assert asked == [
        ("demo-00", "new"),
        ("demo-01", "new"),
        ("demo-02", "new"),
        ("demo-03", "new"),
        ("demo-00", "again"),
        ("demo-04", "new"),
        ("demo-05", "new"),
    ]


def test_the_session_says_what_it_holds(demo: QuestionBank, tmp_path: Path) -> None:
    assert str(Outline(due=3, new=7, ahead=0)) == "3 due · 7 new"
    assert str(Outline(due=0, new=10, ahead=0)) == "nothing due · 10 new"
    assert str(Outline(due=0, new=0, ahead=2)) == "nothing due · 0 new · 2 ahead of schedule"
    with ProgressStore(tmp_path / "p.db") as store:
        card = {"card_id": 1, "state": 2, "stability": 5.0, "difficulty": 5.0}
        store.record(Attempt("demo-00", "demo", "10", True, 4000), T0, None, (card, T0 - timedelta(hours=1)))
        store.record(Attempt("demo-01", "demo", "11", True, 4000), T0, None, (card, T0 + timedelta(days=2)))
        with Session(demo, store, skills(4), clock=StepClock()) as session:
            assert str(session.outline) == "1 due · 2 new · 1 ahead of schedule"
            kinds = []
            while (asked := session.next()) is not None:
                kinds.append(asked.kind)
                session.skip()
    assert kinds == ["review", "review", "new", "new"]


# -- item 10: stats -------------------------------------------------------------------------------


def test_mastery_counts_every_skill_and_says_what_it_means(write_bank: WriteBank, tmp_path: Path) -> None:
    bank = load_banks([write_bank(sums(15)), write_bank(sums(1, "solo"), "solo.yaml")])
    db = tmp_path / "p.db"
    # stable memories (stability 100 days, reviewed now: recall about 100%)
    sure = {"card_id": 1, "state": 2, "stability": 100.0, "difficulty": 5.0, "last_review": T0.isoformat()}
    with ProgressStore(db) as store:
        store.record(Attempt("demo-00", "demo", "10", True, 4000), T0, None, (sure, T0 + timedelta(days=30)))
        store.record(
            Attempt("solo-00", "solo", "7", False, 4000), T0, None, (sure, T0 + timedelta(minutes=5))
        )
        report = topic_stats(bank, store, when=T0 + timedelta(minutes=1), zone=UTC)
    rows = {row["topic"]: row for row in report["topics"]}
    assert (rows["demo"]["mastered"], rows["demo"]["skills"], rows["demo"]["mastery"]) == (1, 15, 1 / 15)
    assert (rows["solo"]["mastered"], rows["solo"]["skills"], rows["solo"]["mastery"]) == (0, 1, 0.0)
    assert report["mastery_means"].startswith("Mastered: your latest answer was right and FSRS estimates")


def test_a_right_answer_long_forgotten_is_not_mastered(write_bank: WriteBank, tmp_path: Path) -> None:
    bank = load_banks([write_bank(sums(2))])
    long_ago = T0 - timedelta(days=60)
    faded = {
        "card_id": 1,
        "state": 2,
        "stability": 1.0,
        "difficulty": 5.0,
        "last_review": long_ago.isoformat(),
    }
    with ProgressStore(tmp_path / "p.db") as store:
        store.record(Attempt("demo-00", "demo", "10", True, 4000), long_ago, None, (faded, long_ago))
        report = topic_stats(bank, store, when=T0, zone=UTC)
    (row,) = [r for r in report["topics"] if r["topic"] == "demo"]
    assert (row["mastered"], row["practised"], row["due"]) == (0, 1, 1)


def test_stats_shows_due_reviews_history_and_the_database(write_bank: WriteBank, tmp_path: Path) -> None:
    bank = load_banks([write_bank(sums(6))])
    db = tmp_path / "p.db"
    card = {"card_id": 1, "state": 2, "stability": 5.0, "difficulty": 5.0}
    dues = [T0 - timedelta(hours=2), T0 + timedelta(hours=3), T0 + timedelta(days=3), T0 + timedelta(days=30)]
    days = [T0 - timedelta(days=1), T0 - timedelta(days=1), T0 - timedelta(days=9), T0]
    with ProgressStore(db) as store:
        for n, (due, day) in enumerate(zip(dues, days, strict=True)):
            store.record(Attempt(f"demo-{n:02d}", "demo", "x", n != 1, 4000), day, None, (card, due))
        store.record(Attempt("demo-05", "demo", "s", None, 1000, skipped=True), T0)
        report = topic_stats(bank, store, when=T0, zone=UTC)  # noon UTC: "today" ends at midnight
    assert (report["due"], report["due_today"], report["due_week"]) == (1, 2, 3)
    assert report["history"][-2:] == [
        {"date": "2026-04-30", "answers": 2, "correct": 1},
        {"date": "2026-05-01", "answers": 1, "correct": 1},  # the skip is not an answer
    ]
    assert len(report["history"]) == 7 and report["history"][0]["date"] == "2026-04-25"
    assert report["database"] == str(db.resolve())
    result = CliRunner().invoke(main, ["--bank", str(write_bank(sums(6))), "stats", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Progress in {db.resolve()}\n")
    assert "Mastered: your latest answer was right" in result.output
    assert "Reviews due: " in result.output and "Last 7 days (answers, right):" in result.output


# -- item 12: show renders as the drill does ------------------------------------------------------


def test_show_renders_maths_as_the_drill_does() -> None:
    bank = load_banks()
    question = next(
        q for q in bank.questions if r"$\mathrm{Var}(W)$" in q.model_dump_json().replace("\\\\", "\\")
    )
    shown = CliRunner().invoke(main, ["show", question.id, "--answer"])
    assert shown.exit_code == 0
    assert "Var(W)" in shown.output
    assert "$" not in shown.output and "\\mathrm" not in shown.output
    source = CliRunner().invoke(main, ["show", question.id, "--answer", "--raw"])
    assert r"$\mathrm{Var}(W)$" in source.output
    assert (
        CliRunner().invoke(main, ["show", question.id, "--source"]).output
        == CliRunner().invoke(main, ["show", question.id, "--raw"]).output
    )


def test_show_says_what_form_a_number_wants(write_bank: WriteBank) -> None:
    path = write_bank(sums(1))
    result = CliRunner().invoke(main, ["--bank", str(path), "show", "demo-00"])
    assert result.output.splitlines()[2:] == [
        "Sum number 0: what is 0 + 10?",
        "",
        "Answer with a whole number (e.g. 10).",
    ]
