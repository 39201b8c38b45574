"""The installed `quizgen drill` in a real pseudo-terminal (pexpect), and killed with SIGKILL."""

from __future__ import annotations

import os
import signal
import sqlite3
import sys
from pathlib import Path

import pexpect
import pytest

from .conftest import WriteBank

QUIZGEN = Path(sys.executable).parent / "quizgen"
PROMPT = r"answer \(\? hint · s skip · q quit\) > "
AFTER = r"Enter: next · 1 Again · 2 Hard · 3 Good · 4 Easy · u undo · q quit > "
"""After each verdict on a terminal: one key (no Enter) to rate, undo, quit, or go on."""

THREE = """
topics:
  - {id: demo, title: Demo, description: Three sums.}
questions:
""" + "".join(
    f"""
  - id: demo-{n}
    type: integer
    topic: demo
    prompt: "Sum {n}: what is 4 + 6?"
    explanation: "4 + 6 = 10."
    answer: 10
"""
    for n in range(3)
)


def spawn(bank: Path, db: Path, *args: str, color: bool = False) -> pexpect.spawn:
    assert QUIZGEN.exists(), f"{QUIZGEN} is missing: install quizgen (pip install -e '.[test]')"
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env["TERM"] = "xterm-256color"
    if not color:
        env["NO_COLOR"] = "1"
    command = [
        str(QUIZGEN),
        "--bank",
        str(bank),
        "drill",
        "--topic",
        "demo",
        "--count",
        "3",
        "--seed",
        "3",
        "--db",
        str(db),
        *args,
    ]
    return pexpect.spawn(command[0], command[1:], env=env, encoding="utf-8", timeout=20, dimensions=(40, 200))


def attempts(db: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as raw:
        return raw.execute("SELECT answer, correct FROM attempts ORDER BY id").fetchall()


def test_drill_in_a_pty_then_ctrl_c(write_bank: WriteBank, tmp_path: Path) -> None:
    bank, db = write_bank(THREE), tmp_path / "d.db"
    child = spawn(bank, db)
    child.expect("nothing due · 3 new")
    child.expect(r"1/3 · new · demo · an integer")
    child.expect(r"Answer with a whole number \(e\.g\. 10\)\.")
    child.expect(PROMPT)
    child.sendline("10")
    child.expect("✓ Correct.")
    child.expect(AFTER)
    child.send("\r")  # Enter: the next question
    child.expect(r"2/3 · new · demo")
    child.expect(PROMPT)
    child.sendline("abc")
    child.expect("expected a whole number, e.g. 10")
    child.expect(PROMPT)
    child.sendline("11")
    child.expect("✗ Not quite. The answer: 10")
    child.expect(AFTER)
    child.send(" ")
    child.expect(r"3/4 · new · demo")  # the miss will be asked again: four questions now
    child.expect(PROMPT)
    child.sendintr()  # Ctrl-C
    child.expect("Session interrupted")
    child.expect(r"Score: 1/2 \(50%\)")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Traceback" not in (child.before or "")
    assert attempts(db) == [("10", 1), ("11", 0)]


def test_ctrl_d_ends_with_the_summary(write_bank: WriteBank, tmp_path: Path) -> None:
    bank, db = write_bank(THREE), tmp_path / "d.db"
    child = spawn(bank, db)
    child.expect(PROMPT)
    child.sendline("10")
    child.expect(AFTER)
    child.sendeof()  # Ctrl-D at the key prompt ends the session too
    child.expect("Session interrupted")
    child.expect(r"Score: 1/1")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert attempts(db) == [("10", 1)]


def ratings(db: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as raw:
        return raw.execute(
            "SELECT skill, answer, correct, rating, proposed_rating FROM attempts ORDER BY id"
        ).fetchall()


def schedule(db: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as raw:
        return raw.execute("SELECT * FROM skills ORDER BY skill").fetchall()


def test_rate_with_one_key_undo_and_a_miss_asked_again(write_bank: WriteBank, tmp_path: Path) -> None:
    """Items 9 and 11 in a real terminal: the rating shown with its reason and changed with one key
    (no Enter), an answer undone (row and schedule as before), a miss asked again later, the summary."""
    bank, db = write_bank(THREE), tmp_path / "d.db"
    child = spawn(bank, db)
    child.expect("nothing due · 3 new")
    child.expect(r"1/3 · new · demo")
    child.expect(PROMPT)
    child.sendline("10")  # answered at once: fast for an integer question, so quizgen proposes Easy
    child.expect(r"Rated Easy \(correct in .* expected\) — next review in \d+ days?")
    child.expect("The rating sets the next review")  # said once, the first time
    child.expect(AFTER)
    child.send("3")  # one key: Good instead
    child.expect(r"Rated Good \(your choice; quizgen proposed Easy\) — next review in ")
    child.expect(AFTER)
    (first,) = ratings(db)
    assert first[1:] == ("10", 1, 3, 4)  # kept Good, proposed Easy
    child.send("\r")
    child.expect(r"2/3 · new · demo")
    child.expect(PROMPT)
    before = schedule(db)
    child.sendline("11")  # wrong
    child.expect("✗ Not quite")
    child.expect(r"Rated Again \(not correct\) — next review in 1 min; asked again after 1 more question")
    child.expect(AFTER)
    assert len(ratings(db)) == 2
    child.send("u")  # undo: the attempt goes, the schedule is as it was, the question is asked again
    child.expect("Undone")
    child.expect(r"2/3 · new · demo")
    child.expect(PROMPT)
    assert len(ratings(db)) == 1
    assert schedule(db) == before
    child.sendline("12")  # wrong again, for real this time
    child.expect(r"asked again after 1 more question")
    child.expect(AFTER)
    child.send("\r")
    child.expect(r"3/4 · new · demo")
    child.expect(PROMPT)
    child.sendline("10")
    child.expect(AFTER)
    child.send("\r")
    child.expect(r"4/4 · again · demo")  # the miss, asked again
    child.expect(PROMPT)
    child.sendline("10")
    child.expect(AFTER)
    child.send("\r")
    child.expect("Session complete")
    child.expect(r"Score: 3/4 \(75%\) in \d+:\d\d · 1 question asked again")
    child.expect(r"Your answers \(rating → next review\):")
    child.expect(r" 1 ✓ Good  → \d+ \w+ +Sum \d: what is 4 \+ 6\?")
    child.expect(r" 2 ✗ Again → 1 min +Sum \d: what is 4 \+ 6\?")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    answers = ratings(db)
    assert [a[1:4] for a in answers] == [
        ("10", 1, 3),
        ("12", 0, 1),
        ("10", 1, answers[2][3]),
        ("10", 1, answers[3][3]),
    ]
    assert answers[1][0] == answers[3][0]  # the missed skill came back


def test_colour_on_a_terminal(write_bank: WriteBank, tmp_path: Path) -> None:
    child = spawn(write_bank(THREE), tmp_path / "d.db", color=True)
    child.expect(PROMPT)
    assert "\x1b[" in (child.before or "")  # styled heading
    child.sendline("q")
    child.expect("Session ended")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_sigkill_mid_session_keeps_every_answer_given(write_bank: WriteBank, tmp_path: Path) -> None:
    bank, db = write_bank(THREE), tmp_path / "d.db"
    child = spawn(bank, db)
    for answer in ("10", "12"):
        child.expect(PROMPT)
        child.sendline(answer)
        child.expect(AFTER)
        child.send("\r")
    child.expect(
        r"3/4 · new · demo"
    )  # the third question is on screen: both answers were committed before it
    child.expect(PROMPT)
    os.kill(child.pid, signal.SIGKILL)
    child.expect(pexpect.EOF)
    child.close()
    assert child.signalstatus == signal.SIGKILL
    assert attempts(db) == [("10", 1), ("12", 0)]
    with sqlite3.connect(db) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.parametrize("keys", ["q"])
def test_q_exits_zero(write_bank: WriteBank, tmp_path: Path, keys: str) -> None:
    child = spawn(write_bank(THREE), tmp_path / "d.db")
    child.expect(PROMPT)
    child.sendline(keys)
    child.expect("Session ended")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_four_drills_at_once_on_a_new_database(write_bank: WriteBank, tmp_path: Path) -> None:
    """Four `quizgen drill` processes start together on a file that does not exist yet: all finish, no row lost."""
    import subprocess

    bank = write_bank(THREE, "demo.yaml")
    db = tmp_path / "shared" / "progress.db"
    command = [str(QUIZGEN), "--bank", str(bank), "drill", "--topic", "demo", "--count", "3", "--db", str(db)]
    env = {**os.environ, "NO_COLOR": "1"}
    drills = [
        subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
        )
        for _ in range(4)
    ]
    results = [drill.communicate(b"10\n10\n10\n", timeout=60) for drill in drills]
    for drill, (out, err) in zip(drills, results, strict=True):
        assert drill.returncode == 0, err.decode()
        assert b"Traceback" not in out + err
        assert b"Score: 3/3" in out
    assert attempts(db) == [("10", 1)] * 12
    with sqlite3.connect(db) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert raw.execute("SELECT COUNT(*) FROM sessions WHERE ended_at IS NOT NULL").fetchone() == (4,)
