"""The commands the docs and every --help show are real: they name real commands, options and choices,
the help's examples run, and the LMS guide's `--check` sessions print what the command prints.

The README has its own test (tests/test_readme.py); this extends the same promise to docs/*.md and to the
"Examples:" block of every command's --help.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from quizgen.cli import main

ROOT = Path(__file__).parent.parent
DOCS = [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]


def _fences(text: str) -> list[str]:
    return re.findall(r"```[a-z]*\n(.*?)```", text, re.DOTALL)


def _command_lines(path: Path) -> list[str]:
    """Every `quizgen ...` command in a document: code-block lines (with or without a `$ ` prompt) and
    inline code spans."""
    text = path.read_text(encoding="utf-8")
    found = []
    for block in _fences(text):
        for line in block.splitlines():
            line = line.strip().removeprefix("$ ")
            if line.startswith("quizgen ") and not line.startswith("quizgen -h"):
                found.append(line)
    outside = re.sub(r"```.*?```", "", text, flags=re.DOTALL)
    found.extend(span for span in re.findall(r"`(quizgen [^`]+)`", outside))
    return found


def _tokens(line: str) -> list[str]:
    line = line.split(" #")[0].split(" > ")[0].split(" | ")[0]
    try:
        return shlex.split(line)[1:]
    except ValueError:  # an unbalanced quote in prose: take the words
        return line.split()[1:]


def _check(line: str) -> list[str]:
    """What in ``line`` click would refuse: an unknown command, option or choice."""
    problems: list[str] = []
    tokens = _tokens(line)
    command: click.Command = main
    params = {opt: p for p in main.params for opt in (*p.opts, *p.secondary_opts)}
    expect_value: click.Parameter | None = None
    for token in tokens:
        if expect_value is not None:
            kind = expect_value.type
            placeholder = re.search(r"[|\[\]<>]|\.\.\.", token)
            if isinstance(kind, click.Choice) and not placeholder and token not in kind.choices:
                problems.append(f"{token!r} is not a choice of {expect_value.opts[0]}")
            expect_value = None
            continue
        if token.startswith("-") and token not in ("-", "--"):
            name = token.split("=")[0]
            if name not in params:
                problems.append(f"{command.name}: no option {name}")
                continue
            param = params[name]
            if isinstance(param, click.Option) and not param.is_flag and not param.count and "=" not in token:
                expect_value = param
            continue
        if command is main and isinstance(main, click.Group):
            sub = main.commands.get(token)
            if sub is None:
                if not re.search(r"[|\[\]<>]|\.\.\.", token):
                    problems.append(f"no command {token!r}")
                break
            command = sub
            params.update({opt: p for p in sub.params for opt in (*p.opts, *p.secondary_opts)})
    return problems


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_every_command_in_the_docs_names_real_options(path: Path) -> None:
    lines = _command_lines(path)
    problems = [f"{path.name}: `{line}`: {problem}" for line in lines for problem in _check(line)]
    assert not problems, "\n".join(problems)


def test_the_checker_refuses_what_click_refuses() -> None:
    assert _check("quizgen export --format moodle -o quiz.xml --check") == []
    assert _check("quizgen export --format moodel -o x") == ["'moodel' is not a choice of --format"]
    assert _check("quizgen worksheet --no-such-thing") == ["worksheet: no option --no-such-thing"]
    assert _check("quizgen drlil") == ["no command 'drlil'"]
    assert _check("quizgen --bank my.yaml list") == []


def _help_examples(command: click.Command) -> list[str]:
    help_text = command.help or ""
    parts = re.split(r"Examples?:", help_text, maxsplit=1)
    if len(parts) == 1:
        return []
    tail = parts[1]
    return [line.strip() for line in tail.splitlines() if line.strip().startswith("quizgen ")]


def _all_examples() -> list[tuple[str, str]]:
    assert isinstance(main, click.Group)
    found = [("quizgen", line) for line in _help_examples(main)]
    for name, command in sorted(main.commands.items()):
        found.extend((name, line) for line in _help_examples(command))
    return found


EXAMPLES = _all_examples()


def test_most_commands_show_examples() -> None:
    assert isinstance(main, click.Group)
    with_examples = {name for name, _ in EXAMPLES}
    assert len(with_examples) >= len(main.commands) - 2, sorted(set(main.commands) - with_examples)


@pytest.mark.parametrize(("name", "line"), EXAMPLES, ids=[line for _, line in EXAMPLES])
def test_every_help_example_runs(
    name: str, line: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("QUIZGEN_DB", str(tmp_path / "progress.db"))
    (tmp_path / "students.csv").write_text("name,id\nAda Lovelace,1\nAlan Turing,2\n", encoding="utf-8")
    bank = "questions:\n- id: mine-01\n  topic: he\n  type: true_false\n  prompt: He suits ReLU.\n  answer: true\n"
    bank += "  explanation: He doubles the variance for ReLU.\n"
    for name_ in ("my-questions.yaml", "extra.yaml"):
        (tmp_path / name_).write_text(bank.replace("mine-01", name_.split(".")[0]), encoding="utf-8")
    (tmp_path / "my-banks").mkdir()
    (tmp_path / "my-banks" / "week1.yaml").write_text(bank.replace("mine-01", "week1-01"), encoding="utf-8")
    assert not _check(line), _check(line)
    args = _tokens(line)
    if "--db" not in args and name in ("drill", "review", "stats"):
        args += ["--db", str(tmp_path / "progress.db")]
    result = CliRunner().invoke(main, args, input="q\n" * 40)
    assert result.exit_code == 0, f"{line}: {result.output}"


def _check_sessions() -> list[tuple[str, list[str]]]:
    """The LMS guide's `$ quizgen export ... --check` sessions with the lines they show."""
    text = (ROOT / "docs" / "lms.md").read_text(encoding="utf-8")
    sessions = []
    for block in _fences(text):
        lines = block.rstrip("\n").splitlines()
        if lines and lines[0].startswith("$ quizgen export") and "--check" in lines[0] and len(lines) > 1:
            sessions.append((lines[0].removeprefix("$ "), lines[1:]))
    return sessions


SESSIONS = _check_sessions()


def test_the_lms_guide_shows_check_sessions() -> None:
    assert len(SESSIONS) >= 3


@pytest.mark.parametrize(("line", "shown"), SESSIONS, ids=[line for line, _ in SESSIONS])
def test_the_lms_guide_prints_what_the_export_prints(
    line: str, shown: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, _tokens(line))
    assert result.exit_code == 0, result.output
    expected = shown[: shown.index("...")] if "..." in shown else shown
    assert [row.rstrip() for row in result.output.splitlines()[: len(expected)]] == expected
