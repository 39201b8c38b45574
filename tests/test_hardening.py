"""Issue 11, the terminal and generation half: control characters, templates that fail late, the
cost of a template, the progress store's messages, and counts (findings 4, 5, 6, 11, 12, 14, 15).

Each test is named after its finding and failed on the code before the fix (commit 9aaaef4).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from quizgen import load_banks
from quizgen.cli import main
from quizgen.generators import BUILTIN_GENERATORS, fans, formulas
from quizgen.generators import code as code_generators
from quizgen.generators.authored import template_generator
from quizgen.generators.base import GeneratorError
from quizgen.models import IntegerQuestion, NumericQuestion, Template
from quizgen.store import Attempt, ProgressStore, StoreError
from quizgen.terminal import ConsoleTerminal

from .conftest import WriteBank
from .timing import within

ESC, BEL, CSI, OSC, ST = "\x1b", "\x07", "\x9b", "\x9d", "\x9c"
RAW_CONTROLS = [chr(c) for c in (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))]
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def run(*args: str, input: str | None = None) -> Result:
    result = CliRunner().invoke(main, list(args), input=input, env={"NO_COLOR": "1"})
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def assert_no_raw_controls(text: str) -> None:
    found = sorted({f"U+{ord(c):04X}" for c in text if c in RAW_CONTROLS})
    assert not found, f"raw control characters reach the terminal: {found} in {text[:300]!r}"


# -- 4: C1 controls -----------------------------------------------------------------------------

C1_BANK = """
questions:
  - id: c1-01
    type: true_false
    topic: he
    prompt: "Clear the screen:\\x9b2J and set the title:\\x9d0;TITLE\\x9c"
    explanation: "Plain."
    answer: true
"""


def test_finding_4_c1_controls_in_bank_text_are_refused_like_c0(write_bank: WriteBank) -> None:
    result = run("validate", "--alone", str(write_bank(C1_BANK)))
    assert result.exit_code == 1, result.output
    (line, summary) = result.stderr.strip().splitlines()
    assert line.endswith(
        "bank.yaml:5: c1-01: prompt: contains the C1 control character U+009B (character 18), which a "
        "terminal would obey rather than show; in a double-quoted YAML string a backslash starts an escape "
        "(\\f in \\frac is a form feed, \\x9b a CSI): use single quotes or a block scalar"
    )
    assert summary == "1 problem in 1 file"
    for character in ("\\x9d", "\\x85", "\\x80", "\\x7f"):  # OSC, NEL, the first C1, and DEL
        body = C1_BANK.replace("\\x9b2J", character)
        assert run("validate", "--alone", str(write_bank(body))).exit_code == 1, character


def test_finding_4_the_drill_and_show_write_bank_text_through_the_sanitiser(
    capsys: pytest.CaptureFixture[str],
) -> None:
    terminal = ConsoleTerminal()
    terminal.write(f"prompt {CSI}2J {OSC}0;TITLE{ST} {ESC}[31mred {BEL}", "heading")
    written = capsys.readouterr().out
    assert_no_raw_controls(written)
    assert written == "prompt \\x9b2J \\x9d0;TITLE\\x9c \\x1b[31mred \\x07\n"


def test_finding_4_the_sanitiser_keeps_text_and_makes_every_control_visible() -> None:
    from quizgen.terminal import safe, safe_json  # new in the fix

    assert safe("√(6/(n_in + n_out)) · ①\tx\ny") == "√(6/(n_in + n_out)) · ①\tx\ny"
    assert safe("a\rb\x00\x7f\x9b\x9f") == "a\\x0db\\x00\\x7f\\x9b\\x9f"
    assert safe("name-\udcff.yaml") == "name-\\xff.yaml"  # a non-UTF-8 file name byte
    assert_no_raw_controls(safe("".join(RAW_CONTROLS)))
    payload = {"text": "x\x9b\x7f\x1b\u2028"}
    text = safe_json(json.dumps(payload, ensure_ascii=False))
    assert_no_raw_controls(text)
    assert json.loads(text) == payload


# -- 5: escape sequences in problem lines and messages ------------------------------------------

HOSTILE_ID = f"{ESC}]0;PWNED{BEL}{ESC}[2J"
BAD_ID_BANK = """
questions:
  - id: "\\e]0;PWNED\\a\\e[2J"
    type: true_false
    topic: he
    prompt: "A prompt."
    explanation: "An explanation."
    answer: true
"""


def test_finding_5_problem_lines_show_ids_and_file_names_escaped(
    bank_dir: Path, write_bank: WriteBank
) -> None:
    write_bank(BAD_ID_BANK, f"b{ESC}[31mx.yaml")
    result = run("--bank", str(bank_dir), "list")
    assert result.exit_code == 1
    assert_no_raw_controls(result.stderr)
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{bank_dir}/b\\x1b[31mx.yaml:2: \\x1b]0;PWNED\\x07\\x1b[2J: id: ")
    assert run("--bank", str(bank_dir), "validate").stderr == result.stderr


def test_finding_5_error_messages_are_escaped(tmp_path: Path) -> None:
    blocker = tmp_path / f"db{ESC}]0;TITLE{BEL}"
    blocker.write_text("a file where the database's folder should be")
    for command in (["stats"], ["drill"]):
        result = run(*command, "--db", str(blocker / "progress.db"), input="q\n")
        assert result.exit_code == 1, result.output
        assert_no_raw_controls(result.output)
        assert "db\\x1b]0;TITLE\\x07/progress.db: cannot create its folder" in result.stderr


# -- 12 (validation half): characters XML 1.0 forbids --------------------------------------------


@pytest.mark.parametrize("character", ["\\uFFFE", "\\uFFFF"])
def test_finding_12_xml_forbidden_characters_are_refused_by_name(
    write_bank: WriteBank, character: str
) -> None:
    body = (
        C1_BANK.replace("\\x9b2J", "")
        .replace("\\x9d0;TITLE\\x9c", "")
        .replace("Plain.", f"Pl{character}ain.")
    )
    result = run("validate", "--alone", str(write_bank(body)))
    assert result.exit_code == 1
    code = character[2:].upper()
    assert f"c1-01: explanation: contains U+{code} (character 3), a noncharacter that XML" in result.stderr


# -- 6: templates that pass validate and fail while generating ------------------------------------

# The sample that `validate` checks (2,000 sets of a 100,000-value domain) misses a % 5000 == 0,
# which one draw in 5,000 hits: seed RARE_SEED draws a = 5000 * k.
RARE = """
topics:
  - {id: rare, title: Rare, description: Templates that fail for one draw in 5000.}
templates:
  - id: tpl-rare-division
    type: numeric
    topic: rare
    params:
      a: {min: 1, max: 100000}
    prompt: 'What is 1000/(a mod 5000) for a = {a}? Give 3 significant figures.'
    answer: 1000 / (a % 5000)
    tolerance: 0.005
    tolerance_type: relative
    explanation: 'It is {answer}.'
  - id: tpl-rare-collapse
    type: choice
    topic: rare
    params:
      a: {min: 1, max: 100000}
    prompt: 'Which is {a}?'
    answer: a
    distractors:
      - formula: a * (1 + min(1, a % 5000))
        misconception: product-for-sum
    explanation: 'It is {answer}.'
  - id: tpl-rare-fraction
    type: integer
    topic: rare
    params:
      a: {min: 1, max: 100000}
    prompt: 'What is a + 1 for a = {a}? Give the exact integer.'
    answer: a + 1 - min(1, a % 5000) / 2 + 0.5
    explanation: 'It is {answer}.'
"""
RARE_SEED = 381400271
RARE_SESSION = 353  # its second variant seed is RARE_SEED


def test_finding_6_a_draw_that_fails_is_replaced_not_raised(write_bank: WriteBank) -> None:
    path = write_bank(RARE)
    assert run("validate", "--alone", str(path)).exit_code == 0  # the sample misses the failures
    bank = load_banks([path], include_bundled=False)
    for template in ("tpl-rare-division", "tpl-rare-collapse", "tpl-rare-fraction"):
        question = bank.generator(template).make(RARE_SEED)
        a = int((question.params or {})["a"])
        assert a % 5000 != 0, template  # the failing draw was skipped, another one made
        assert question == bank.generator(template).make(RARE_SEED)  # still one question per seed
        if isinstance(question, IntegerQuestion):  # never a fraction truncated into a wrong key
            assert question.answer == a + 1
        if isinstance(question, NumericQuestion):
            assert question.answer == pytest.approx(1000 / (a % 5000))


def test_finding_6_export_worksheet_and_generate_reach_the_rare_draw_cleanly(
    write_bank: WriteBank, tmp_path: Path
) -> None:
    path = str(write_bank(RARE))
    out = tmp_path / "rare.json"
    seed = str(RARE_SESSION)
    exported = run(
        "--bank",
        path,
        "export",
        "--format",
        "json",
        "--topic",
        "rare",
        "--variants",
        "2",
        "--seed",
        seed,
        "-o",
        str(out),
    )
    assert exported.exit_code == 0, exported.output
    assert "6 variants of 3 generators" in exported.stdout
    generated = run(
        "--bank", path, "generate", "tpl-rare-fraction", "-n", "2", "--seed", seed, "--format", "json"
    )
    assert generated.exit_code == 0, generated.output
    for line in generated.stdout.splitlines():
        record = json.loads(line)
        assert record["answer"] == record["params"]["a"] + 1


SPARSE = """
topics:
  - {id: sparse, title: Sparse, description: A template whose constraint is rarely met.}
questions:
  - {id: sparse-a, type: integer, topic: sparse, prompt: 'What is 4 + 6?', explanation: '4 + 6 = 10.', answer: 10}
  - {id: sparse-b, type: integer, topic: sparse, prompt: 'What is 3 + 7?', explanation: '3 + 7 = 10.', answer: 10}
templates:
  - id: tpl-sparse
    type: integer
    topic: sparse
    params:
      a: {min: 1, max: 100000}
    constraints: ['a % 1000 == 7']
    prompt: 'What is {a} + 1? Give the exact integer.'
    answer: a + 1
    explanation: 'It is {answer}.'
"""
SPARSE_DRILL_SEED = "3"  # plans sparse-b, tpl-sparse, sparse-a; tpl-sparse's draws all miss


def test_finding_6_the_drill_skips_a_template_that_cannot_generate_and_closes_its_session(
    write_bank: WriteBank, tmp_path: Path
) -> None:
    db = tmp_path / "p.db"
    path = str(write_bank(SPARSE))
    args = ["--bank", path, "drill", "--topic", "sparse", "--count", "3", "--seed", SPARSE_DRILL_SEED]
    result = run(*args, "--db", str(db), input="10\n10\n")
    assert result.exit_code == 0, result.output
    assert (
        "Skipped: template 'tpl-sparse': none of 1,000 drawn parameter sets meets the constraints"
        in result.output
    )
    assert "Score: 2/2 (100%)" in result.output
    with sqlite3.connect(db) as raw:
        assert raw.execute("SELECT skill, answer FROM attempts ORDER BY id").fetchall() == [
            ("sparse-b", "10"),
            ("sparse-a", "10"),
        ]
        assert raw.execute("SELECT COUNT(*) FROM sessions WHERE ended_at IS NULL").fetchone() == (0,)


def test_finding_6_every_command_reports_a_template_that_cannot_generate_in_one_line(
    write_bank: WriteBank, tmp_path: Path
) -> None:
    path = str(write_bank(SPARSE))
    commands = [
        [
            "export",
            "--format",
            "json",
            "--topic",
            "sparse",
            "--variants",
            "5",
            "-o",
            str(tmp_path / "x.json"),
        ],
        [
            "worksheet",
            "--topic",
            "sparse",
            "--source",
            "generators",
            "--count",
            "1",
            "--seed",
            "3",
            "-o",
            str(tmp_path / "w.html"),
        ],
        ["generate", "tpl-sparse", "-n", "5", "--seed", "1"],
    ]
    for command in commands:
        result = run("--bank", path, *command)
        (line,) = result.stderr.strip().splitlines()
        if command[0] == "export":  # an export skips it, as a drill does, and says so in one line
            assert result.exit_code == 0, (command, result.output)
            assert line.startswith("note: template 'tpl-sparse': none of 1,000 drawn parameter sets meets"), (
                line
            )
            assert "loosen them or narrow the params to where they hold" in line
            continue
        assert result.exit_code == 1, (command, result.output)
        assert line.startswith("Error: template 'tpl-sparse': none of 1,000 drawn parameter sets meets"), line
        assert line.endswith("loosen them or narrow the params to where they hold")


@pytest.mark.timeout(60)  # a hang fails here, not only a slow return
def test_finding_6_a_run_of_failing_draws_names_the_template_the_parameters_and_the_fix() -> None:
    # Straight to generation, past the load-time check (which a rarer failure slips through).
    template = Template.model_validate(
        {
            "id": "tpl-odd",
            "type": "integer",
            "topic": "he",
            "params": {"a": {"min": 2, "max": 200000, "step": 2}},
            "prompt": "What is {a}?",
            "answer": "a + 1 / (a % 2)",
            "explanation": "It is {answer}.",
        }
    )
    generator = template_generator(template, "bank.yaml:3")
    with pytest.raises(GeneratorError) as info:
        within(1.0, lambda: generator.make(7))
    message = str(info.value)
    assert message.startswith("template 'tpl-odd': no usable question in 1,000 draws; for a=")
    assert "the answer cannot be computed (division by zero: 'a % 2' is 0)" in message
    assert message.endswith("add a constraint that excludes such parameters (or narrow the params)")
    assert "\n" not in message


# -- 11: the cost of one template -------------------------------------------------------------------


def worst_template() -> str:
    """A template at every limit: 20 constraints and 12 distractors of ~240 nodes, 20,000 sets."""
    long = "min(" + ",".join(["a", "b"] * 120) + ")"
    constraints = "\n".join(f"      - '{long} >= 1'" for _ in range(20))
    distractors = "\n".join(
        f"      - formula: '{long} * {k + 2} + 1000'\n        misconception: product-for-sum"
        for k in range(12)
    )
    return f"""
templates:
  - id: tpl-worst
    type: integer
    topic: he
    params:
      a: {{min: 1, max: 100}}
      b: {{min: 1, max: 200}}
    constraints:
{constraints}
    prompt: 'What is the smaller of a = {{a}} and b = {{b}}, plus a + b? Give the exact integer.'
    answer: '{long} + a + b'
    explanation: 'It is {{answer}}.'
    distractors:
{distractors}
"""


@pytest.mark.timeout(60)  # a hang fails here, not only a slow return
def test_finding_11_a_worst_case_template_costs_little_at_load_and_at_generation(
    write_bank: WriteBank,
) -> None:
    path = write_bank(worst_template())
    within(3.0, lambda: load_banks([path], include_bundled=False, cache=False))  # checked: 19 s before
    load_banks([path], include_bundled=False, cache=True)  # writes the cache (the CLI asks for it)
    bank = within(0.5, lambda: load_banks([path], include_bundled=False, cache=True))  # 6.5 s before, cached
    generator = bank.generator("tpl-worst")
    questions = within(1.0, lambda: generator.variants(20, 1))
    assert all(isinstance(q, IntegerQuestion) for q in questions)
    within(0.5, lambda: generator.space_size)  # too costly to list: counted as unknown, quickly
    assert generator.space_size is None


# -- 14: the progress store's messages --------------------------------------------------------------


def healthy_store(path: Path) -> None:
    with ProgressStore(path) as store:
        store.record(Attempt("he-01", "he", "1", True, 900), T0)


@contextlib.contextmanager
def as_nobody() -> Iterator[None]:
    """Run as an unprivileged user for a moment (root ignores file permissions)."""
    if os.geteuid() != 0:
        yield
        return
    os.setegid(65534)
    os.seteuid(65534)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder that an unprivileged user can reach (pytest's own are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="quizgen-hardening-"))
    folder.chmod(0o777)
    try:
        yield folder
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder, ignore_errors=True)


def test_finding_14_a_healthy_database_in_a_read_only_folder_says_so(shared_folder: Path) -> None:
    path = shared_folder / "progress.db"
    healthy_store(path)
    path.chmod(0o666)
    shared_folder.chmod(0o555)
    with as_nobody(), pytest.raises(StoreError) as info:
        ProgressStore(path)
    message = str(info.value)
    assert message.startswith(
        f"{path}: cannot be opened: its folder {shared_folder} is read-only, and SQLite"
    )
    assert message.endswith(
        f"make the folder writable (chmod u+w {shared_folder}) or use a database file in a writable folder"
    )
    assert "damaged" not in message


def test_finding_14_a_failed_migration_reports_its_cause(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    connect = ProgressStore._connect

    def small_disk(self: ProgressStore) -> sqlite3.Connection:
        db = connect(self)
        db.execute("PRAGMA max_page_count = 2")  # what a full disk does to the first migration
        return db

    monkeypatch.setattr(ProgressStore, "_connect", small_disk)
    path = tmp_path / "progress.db"
    with pytest.raises(StoreError) as info:
        ProgressStore(path)
    assert str(info.value) == (
        f"{path}: cannot be written: the disk is full (SQLite says: database or disk is full); "
        "free some space and try again, or use a database file on another disk"
    )


def mount_tiny_disk(folder: Path, size: str = "1m") -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True
    )
    return done.returncode == 0


def test_finding_14_a_migration_on_a_small_disk_reports_the_full_disk_not_cannot_rollback(
    tmp_path: Path,
) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    if not mount_tiny_disk(disk, "64k"):
        pytest.skip("needs root and mount (a 64 KB tmpfs) for a real full disk")
    try:
        path = disk / "progress.db"
        with pytest.raises(StoreError) as info:
            ProgressStore(path)
        message = str(info.value)
        assert "cannot rollback" not in message
        assert message.startswith(f"{path}: cannot be written: the disk is full (")
        assert message.endswith("free some space and try again, or use a database file on another disk")
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_finding_14_a_healthy_database_on_a_full_disk_says_the_disk_is_full(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    if not mount_tiny_disk(disk):
        pytest.skip("needs root and mount (a 1 MB tmpfs) for a real full disk")
    try:
        path = disk / "progress.db"
        healthy_store(path)
        with (disk / "filler").open("wb", buffering=0) as filler, contextlib.suppress(OSError):
            while True:
                filler.write(b"x" * 4096)
        with pytest.raises(StoreError) as info:
            ProgressStore(path)
        message = str(info.value)
        assert message.startswith(f"{path}: cannot be opened: the disk is full (0 bytes free; SQLite says: ")
        assert message.endswith("free some space and try again, or use a database file on another disk")
    finally:
        subprocess.run(["umount", str(disk)], check=False)


@pytest.mark.parametrize(
    ("card", "reason"),
    [
        ('{"stability": "abc"}', "stability 'abc' is not a number"),
        ('{"stability": NaN, "difficulty": 5}', "stability nan is not a number"),
        ('{"state": 7}', "state 7 is not one of FSRS's values (1-3)"),
        ('{"due": 12}', "due 12 is not a date and time"),
    ],
)
def test_finding_14_a_hand_edited_schedule_row_names_the_file_and_the_fix(
    tmp_path: Path, card: str, reason: str
) -> None:
    db = tmp_path / "p.db"
    assert run("drill", "--count", "1", "--seed", "1", "--db", str(db), input="1\n").exit_code == 0
    with sqlite3.connect(db) as raw:
        raw.execute("UPDATE skills SET card = ?", (card,))
    for command in (["drill", "--count", "1", "--seed", "1"], ["stats"], ["review"]):
        result = run(*command, "--db", str(db), input="1\n")
        assert result.exit_code == 1, (command, result.output)
        assert (
            f"Error: {db}: has a damaged schedule for skill 'xu-04' ({reason}); restore a backup"
            in result.stderr
        )


def test_finding_14_a_card_missing_fields_is_scheduled_afresh(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    assert run("drill", "--count", "1", "--seed", "1", "--db", str(db), input="1\n").exit_code == 0
    with sqlite3.connect(db) as raw:
        raw.execute("""UPDATE skills SET card = '{"stability": 2.5}'""")
    assert run("stats", "--db", str(db)).exit_code == 0
    assert run("drill", "--count", "1", "--seed", "1", "--db", str(db), input="1\n").exit_code == 0


SEED_COMMANDS = {
    "drill": ["drill", "--db", "{tmp}/p.db"],
    "review": ["review", "--db", "{tmp}/p.db"],
    "generate": ["generate", "layer-size"],
    "worksheet": ["worksheet", "-o", "{tmp}/w.html"],
    "export": ["export", "--format", "json", "-o", "{tmp}/x.json"],
}


@pytest.mark.parametrize("command", sorted(SEED_COMMANDS))
def test_finding_14_a_seed_beyond_sqlite_is_bad_usage(command: str, tmp_path: Path) -> None:
    args = [a.format(tmp=tmp_path) for a in SEED_COMMANDS[command]]
    result = run(*args, "--seed", "9223372036854775808", input="q\n")
    assert result.exit_code == 2, result.output
    assert "9223372036854775808 is not in the range 0<=x<=9223372036854775807" in result.stderr


def test_finding_14_the_largest_seed_drills() -> None:
    result = run("drill", "--count", "1", "--seed", "9223372036854775807", input="q\n")
    assert result.exit_code == 0, result.output


# -- 15: counts -----------------------------------------------------------------------------------


def test_finding_15_export_caps_a_generator_at_its_space_with_a_note(tmp_path: Path) -> None:
    out = tmp_path / "fans.json"
    result = run("export", "--format", "json", "--topic", "layer-size", "--variants", "4321", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "note: conv-fan has only 4320 distinct variants; all of them are exported" in result.stderr
    assert "note: layer-size" not in result.stderr
    exported = json.loads(out.read_text(encoding="utf-8"))
    by_generator = [q.get("generator") for q in exported["questions"]]
    assert by_generator.count("conv-fan") == 4320
    assert by_generator.count("layer-size") == 4321


@pytest.mark.timeout(60)  # a hang fails here, not only a slow return
def test_finding_15_generate_refuses_counts_beyond_the_space_or_the_maximum() -> None:
    beyond = within(2.0, lambda: run("generate", "conv-fan", "-n", "4321", "--seed", "1"))
    assert beyond.exit_code == 1
    assert (
        "generator 'conv-fan' has only 4320 distinct variants; ask for 4320 or fewer (--count)"
        in beyond.stderr
    )
    huge = run("generate", "layer-size", "--count", str(10**12))
    assert huge.exit_code == 2
    assert "1000000000000 is not in the range 1<=x<=100000" in huge.stderr


def structural_sizes() -> dict[str, int]:
    """Every built-in generator's space, counted here from its tables (not from its declaration)."""
    apart = sum(
        1
        for n_in in range(formulas.MIN_FAN, formulas.MAX_FAN + 1)
        for n_out in range(formulas.MIN_FAN, formulas.MAX_FAN + 1)
        if abs(n_in - n_out) > 0.1 * max(n_in, n_out)
    )
    sizes = {"layer-size": 1024 * 1024, "conv-fan": 10 * 9 * 4 * 4 * 3}
    for spec in formulas.SPECS:
        exact = {
            (n_in, total - n_in)
            for total in spec.exact_sums
            if total >= 2 * formulas.MIN_FAN
            for n_in in range(
                max(formulas.MIN_FAN, total - formulas.MAX_FAN),
                min(formulas.MAX_FAN, total - formulas.MIN_FAN) + 1,
            )
        }
        sizes[spec.id] = apart + sum(
            1 for n_in, n_out in exact if not abs(n_in - n_out) > 0.1 * max(n_in, n_out)
        )
    conv = 0
    channels, kernels = code_generators._CHANNELS, code_generators._KERNELS
    for dims in (1, 2, 3):
        shapes = [(k,) for k in kernels] if dims == 1 else list(itertools.product(kernels, repeat=dims))
        for c_in, c_out in itertools.product(channels, channels[1:]):
            groups = [1, *(g for g in (2, 4, 8, 16, 32) if c_in % g == 0 and c_out % g == 0)]
            for kernel, g in itertools.product(shapes, groups):
                asks = 3 if c_in == c_out and g == 1 else 4
                conv += 2 * len({0, kernel[0] // 2}) * asks  # stride 1 or 2, padding 0 or k//2
    sizes["conv-fan-code"] = conv
    sizes_in = code_generators._SIZES
    layers = len(sizes_in) * (len(sizes_in) - 1) + 2 * sum(
        1 for a in (16, 32, 64, 128, 256) for b in (32, 64, 128, 256, 512) if a != b
    )
    sizes["init-call"] = layers * (2 + 2 + 2 * len(code_generators._SLOPES) + 3)
    return sizes


def test_finding_15_every_builtin_generator_declares_its_space() -> None:
    declared = {g.id: g.space_size for g in BUILTIN_GENERATORS.values()}
    assert all(isinstance(size, int) and size > 0 for size in declared.values()), declared
    counted = structural_sizes()
    assert {k: declared[k] for k in counted} == counted
    assert counted["conv-fan"] == 4320 and fans.FAN_GENERATORS[1].space_size == 4320
    rng = random.Random(11)
    for generator in BUILTIN_GENERATORS.values():  # a draw never falls outside the declared space
        seen = {json.dumps(generator.make(rng.getrandbits(32)).params, sort_keys=True) for _ in range(300)}
        assert len(seen) <= (generator.space_size or 0)


def test_finding_15_small_spaces_are_exactly_what_the_generators_draw() -> None:
    for generator_id in ("conv-fan", "init-call"):
        generator = BUILTIN_GENERATORS[generator_id]
        found = {
            json.dumps(q.params, sort_keys=True) for q in generator.variants(generator.space_size or 0, 5)
        }
        assert len(found) == generator.space_size


def test_sanitiser_module_stays_off_heavy_imports() -> None:
    code = "import sys, quizgen.terminal; print(sorted(m for m in ('yaml', 'jinja2', 'pydantic') if m in sys.modules))"
    assert (
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        == "[]\n"
    )
