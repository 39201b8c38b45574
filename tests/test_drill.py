"""The drill, end to end: transcripts through CliRunner, the rows written, and the library loop."""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from quizgen import load_banks
from quizgen.bank import shuffle_options
from quizgen.cli import main
from quizgen.drill import Clock, Drill, format_summary
from quizgen.store import ProgressStore

from .conftest import WriteBank

# Two integer questions with the same answer, so the transcript does not depend on their order.
DEMO = """
topics:
  - {id: demo, title: Demo, description: Two sums.}
questions:
  - id: demo-a
    type: integer
    topic: demo
    prompt: "A: what is $4 + 6$?"
    hint: "Add them."
    explanation: "4 + 6 = 10, the chapter's calculation example."
    answer: 10
  - id: demo-b
    type: integer
    topic: demo
    prompt: "B: what is $n_{in} + n_{out}$ for $n_{in} = 3$, $n_{out} = 7$?"
    explanation: "3 + 7 = 10: Xavier adds the fans."
    answer: 10
"""


def drill(write_bank: WriteBank, db: Path, keys: str, *extra: str) -> Result:
    bank = write_bank(DEMO, "demo.yaml")
    result = CliRunner().invoke(
        main,
        [
            "--bank",
            str(bank),
            "drill",
            "--topic",
            "demo",
            "--count",
            "2",
            "--seed",
            "5",
            "--db",
            str(db),
            *extra,
        ],
        input=keys,
        env={"NO_COLOR": "1"},
    )
    assert "Traceback" not in result.output
    return result


def rows(db: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as raw:
        return raw.execute(
            "SELECT skill, answer, correct, skipped, hint_used, rating FROM attempts ORDER BY id"
        ).fetchall()


def test_transcript_unusable_input_is_not_graded(write_bank: WriteBank, tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    result = drill(write_bank, db, "abc\n?\n10\n\n7 apples\n11\n10\n")
    assert result.exit_code == 0
    out = result.output
    assert out.startswith("nothing due · 2 new\n")  # what the session holds, before the first question
    assert out.count("expected a whole number, e.g. 10") == 2  # 'abc' and '7 apples' were refused
    assert "type an answer, or ? for a hint, s to skip, q to quit" in out  # the empty line
    assert "1/2 · new · demo · an integer" in out and "2/2 · new · demo · an integer" in out
    assert out.count("Answer with a whole number (e.g. 10).") == 3  # the form wanted, before answering
    assert "✓ Correct." in out
    assert "✗ Not quite. The answer: 10" in out
    # the miss is asked again in the same session (last, as fewer than three questions were left)
    assert "Rated Again (not correct) — next review in 1 min; asked again next" in out
    assert "3/3 · again · demo · an integer" in out
    assert "Session complete" in out
    assert "Score: 2/3 (67%) in 0:00 · 1 question asked again" in out
    assert "  demo             2/3  ██░" in out
    summary = out[out.index("Your answers (rating → next review):") :].splitlines()
    assert re.fullmatch(r"   1 ✓ Hard  → 6 min     [AB]: what is .*", summary[1])  # hinted: Hard
    assert re.fullmatch(r"   2 ✗ Again → 1 min     [AB]: what is .*", summary[2])
    assert summary[2][24:] == summary[3][24:]  # the same question, asked again
    assert re.search(r"Weakest skill: [AB]: what is ", out)
    assert "demo-" not in out  # skills are named by what they ask, not by their ids
    recorded = rows(db)
    assert [(r[1], r[2], r[3]) for r in recorded] == [("10", 1, 0), ("11", 0, 0), ("10", 1, 0)]
    assert recorded[1][5] == 1  # wrong: Again
    assert recorded[1][0] == recorded[2][0]


def test_maths_is_rendered_for_the_terminal(write_bank: WriteBank, tmp_path: Path) -> None:
    result = drill(write_bank, tmp_path / "p.db", "10\n10\n")
    assert "n_in + n_out for n_in = 3, n_out = 7?" in result.output
    assert "$" not in result.output


def test_hint_is_shown_and_caps_the_rating(write_bank: WriteBank, tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    result = drill(write_bank, db, "?\n10\n?\n10\n")
    assert "Hint: Add them." in result.output
    assert "No hint for this one." in result.output
    hinted = [r for r in rows(db) if r[4]]
    assert [(r[0], r[5]) for r in hinted] == [("demo-a", 2)]  # Hard at best


@pytest.mark.parametrize("keys", ["q\n", "", "10\nq\n"])
def test_q_and_end_of_input_end_with_the_summary(write_bank: WriteBank, tmp_path: Path, keys: str) -> None:
    db = tmp_path / "p.db"
    result = drill(write_bank, db, keys)
    assert result.exit_code == 0
    assert ("Session ended" in result.output) or ("Session interrupted" in result.output)
    assert len(rows(db)) == keys.count("10")


def test_skip_is_recorded_but_not_scheduled(write_bank: WriteBank, tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    result = drill(write_bank, db, "s\n10\n")
    assert "Skipped. The answer: 10" in result.output
    assert "Score: 1/1 (100%), 1 skipped" in result.output
    skipped, answered = rows(db)
    assert (skipped[2], skipped[3], skipped[5]) == (None, 1, None)  # recorded, not rated
    assert (answered[2], answered[3]) == (1, 0)
    assert answered[5] in (3, 4)  # Good or Easy, by how fast CliRunner answered


def test_stats_after_a_drill(write_bank: WriteBank, tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    drill(write_bank, db, "10\n11\n")
    bank = write_bank(DEMO, "demo.yaml")
    result = CliRunner().invoke(main, ["--bank", str(bank), "stats", "--json", "--db", str(db)])
    report = json.loads(result.output)
    demo = next(t for t in report["topics"] if t["topic"] == "demo")
    assert (report["attempts"], demo["attempts"], demo["correct"], demo["practised"], demo["skills"]) == (
        2,
        2,
        1,
        2,
        2,
    )
    assert demo["accuracy"] == 0.5
    assert 0.0 < demo["mastery"] <= 1.0
    chart = CliRunner().invoke(main, ["--bank", str(bank), "stats", "--db", str(db)])
    assert "demo" in chart.output and "█" in chart.output


def test_review_drills_the_skill_answered_wrong(write_bank: WriteBank, tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    drill(write_bank, db, "10\n11\n11\n")
    wrong_skill = rows(db)[1][0]
    bank = write_bank(DEMO, "demo.yaml")
    result = CliRunner().invoke(
        main, ["--bank", str(bank), "review", "--db", str(db)], input="10\n", env={"NO_COLOR": "1"}
    )
    assert "1/1 · review · demo" in result.output
    assert rows(db)[-1][:3] == (wrong_skill, "10", 1)


def test_unknown_topic_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["drill", "--topic", "xavir", "--db", str(tmp_path / "p.db")])
    assert result.exit_code == 2
    assert "unknown topic 'xavir' (did you mean 'xavier'?)" in result.output


def test_a_foreign_database_is_a_clear_error(tmp_path: Path) -> None:
    db = tmp_path / "notes.db"
    db.write_bytes(b"not sqlite" * 50)
    result = CliRunner().invoke(main, ["drill", "--db", str(db)], input="q\n")
    assert result.exit_code == 1
    assert f"Error: {db}: is not a SQLite database, or is damaged" in result.output
    assert db.read_bytes() == b"not sqlite" * 50


def test_quizgen_db_environment_variable(write_bank: WriteBank, tmp_path: Path) -> None:
    db = tmp_path / "from-env.db"
    bank = write_bank(DEMO, "demo.yaml")
    CliRunner().invoke(
        main,
        ["--bank", str(bank), "drill", "--topic", "demo", "-n", "1"],
        input="10\n",
        env={"QUIZGEN_DB": str(db)},
    )
    assert len(rows(db)) == 1


def test_default_database_lives_in_the_user_data_folder(write_bank: WriteBank, tmp_path: Path) -> None:
    bank = write_bank(DEMO, "demo.yaml")
    CliRunner().invoke(main, ["--bank", str(bank), "drill", "--topic", "demo", "-n", "1"], input="10\n")
    import platformdirs

    default = Path(platformdirs.user_data_dir("quizgen", appauthor=False)) / "progress.db"
    assert default.is_relative_to(os.environ["XDG_DATA_HOME"])  # the autouse fixture's temporary home
    assert len(rows(default)) == 1


class Scripted:
    """A terminal that types the given lines, then raises what it is told to."""

    def __init__(
        self, lines: list[str], then: type[BaseException] = EOFError, interactive: bool = False
    ) -> None:
        self.lines: Iterator[str] = iter(lines)
        self.then = then
        self.interactive = interactive
        self.output: list[str] = []

    def write(self, text: str = "", style: str | None = None) -> None:
        self.output.append(text)

    def read(self, prompt: str) -> str:
        try:
            return next(self.lines)
        except StopIteration:
            raise self.then from None


class FakeClock(Clock):
    def __init__(self) -> None:
        self.wall = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
        self.mono = 0.0
        super().__init__(now=lambda: self.wall, monotonic=self.tick)

    def tick(self) -> float:
        self.mono += 4.0  # every look at the clock: four seconds later
        self.wall += timedelta(seconds=4)
        return self.mono


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt, EOFError])
def test_interrupts_end_with_a_summary_and_keep_answers(
    tmp_path: Path, interrupt: type[BaseException]
) -> None:
    bank = load_banks()
    with ProgressStore(tmp_path / "p.db") as store:
        terminal = Scripted(["s"], then=interrupt)
        session = Drill(bank, store, terminal, clock=FakeClock(), seed=1)
        summary = session.run(session.plan(5))
        assert summary.ended_by == "interrupted"
        assert len(summary.results) == 1
        assert len(store.attempts()) == 1
        lines = [line for line, _ in format_summary(summary, datetime(2026, 5, 1, 12, 1, tzinfo=UTC))]
        assert "Session interrupted" in lines
        assert any(line.startswith("Score: 0/0, 1 skipped in 0:") for line in lines)


def test_a_seeded_session_is_reproducible(tmp_path: Path) -> None:
    bank = load_banks()
    outputs = []
    for name in ("a.db", "b.db"):
        with ProgressStore(tmp_path / name) as store:
            terminal = Scripted(["s"] * 6)
            session = Drill(bank, store, terminal, clock=FakeClock(), seed=42)
            session.run(session.plan(6))
            outputs.append(terminal.output)
    assert outputs[0] == outputs[1]


def test_generator_skills_show_a_fresh_variant_each_time(tmp_path: Path) -> None:
    bank = load_banks()
    seen = set()
    with ProgressStore(tmp_path / "p.db") as store:
        for seed in range(3):
            session = Drill(bank, store, Scripted(["s"]), clock=FakeClock(), seed=seed)
            skills = [s for s in session.plan(200) if s.id == "layer-size"]
            session.run(skills[:1])
        seen = {row["variant"] for row in store.attempts()}
    assert len(seen) == 3


def test_shuffle_options_keeps_the_answer() -> None:
    import random

    bank = load_banks()
    for question in bank.questions:
        moved = shuffle_options(question, random.Random(3))
        if question.type == "choice":
            assert moved.options[moved.answer - 1] == question.options[question.answer - 1]  # type: ignore[union-attr]
        if question.type == "multi":
            before = {question.options[a - 1] for a in question.answers}  # type: ignore[union-attr]
            assert {moved.options[a - 1] for a in moved.answers} == before  # type: ignore[union-attr]


class Locked(Scripted):
    """A terminal during whose first question another program takes the file's write lock.

    Interactive, its user answers "could not be saved" by closing that program (the lock
    goes) and typing the next line; not interactive (answers piped in), nobody is asked.
    """

    def __init__(self, lines: list[str], holder: sqlite3.Connection, interactive: bool = True) -> None:
        super().__init__(lines, interactive=interactive)
        self.holder = holder
        self.prompts: list[str] = []

    def read(self, prompt: str) -> str:
        self.prompts.append(prompt)
        if len(self.prompts) == 1:
            self.holder.execute("BEGIN IMMEDIATE")
        if prompt.startswith("Press Enter") and self.holder.in_transaction:
            self.holder.execute("COMMIT")
        return super().read(prompt)


@pytest.fixture
def locked_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[ProgressStore, Any]]:
    """A store with a short busy timeout (0.2 s), and a second connection to lock it with."""
    import quizgen.store

    monkeypatch.setattr(quizgen.store, "BUSY_TIMEOUT_MS", 200)
    with ProgressStore(tmp_path / "p.db") as store:
        holder = sqlite3.connect(store.path, isolation_level=None)
        yield store, holder
        if holder.in_transaction:
            holder.execute("ROLLBACK")
        holder.close()


@pytest.mark.parametrize("retry", ["", "q"])
def test_a_failed_save_keeps_the_answer_and_asks(locked_store: tuple[ProgressStore, Any], retry: str) -> None:
    store, holder = locked_store
    terminal = Locked(["s", retry, ""], holder)  # the last: Enter after the verdict
    session = Drill(load_banks(), store, terminal, clock=FakeClock(), seed=3)
    summary = session.run(session.plan(1))
    warning = next(line for line in terminal.output if line.startswith("Your answer is not saved yet"))
    assert f"{store.path}: is still locked by another program after 0.2 s" in warning
    if retry == "":
        assert [row["skipped"] for row in store.attempts()] == [1]
        assert summary.ended_by == "finished"
    else:
        assert store.attempts() == []
        assert summary.ended_by == "interrupted"


def test_piped_answers_are_never_read_as_a_reply_to_a_failed_save(
    locked_store: tuple[ProgressStore, Any],
) -> None:
    """With input from a pipe the next line is the next answer: the save is retried, then a clear error."""
    from quizgen.store import StoreError

    store, holder = locked_store
    terminal = Locked(["s", "1", "2"], holder, interactive=False)
    session = Drill(load_banks(), store, terminal, clock=FakeClock(), seed=3)
    skills = session.plan(3)
    with pytest.raises(
        StoreError, match=rf"still locked .* \(the answer 's' to {skills[0].id} is not saved\)"
    ):
        session.run(skills)
    assert terminal.prompts == ["answer (? hint · s skip · q quit) > "]  # "1" and "2" were not consumed
