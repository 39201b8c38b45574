"""The README's examples stay true: its Python runs, its YAML loads, its session matches."""

from __future__ import annotations

import contextlib
import io
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from quizgen import load_banks
from quizgen.cli import main

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, re.DOTALL)


def test_python_example_runs_and_prints_what_its_comments_say() -> None:
    (code,) = blocks("python")
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(compile(code, "README.md", "exec"), {})
    printed = output.getvalue().splitlines()
    expected = [m.group(1).strip() for m in re.finditer(r"print\(.*\)\s+# (.*)", code)]
    assert len(printed) == len(expected) + 1  # the first print has no comment: its counts change
    for line, comment in zip(printed[1:], expected, strict=True):
        assert line == comment


def test_yaml_examples_are_valid_banks(tmp_path: Path) -> None:
    question_example, template_example = blocks("yaml")
    path = tmp_path / "example.yaml"
    path.write_text(question_example, encoding="utf-8")
    assert [q.id for q in load_banks([path], include_bundled=False)] == ["xavier-07"]
    path.write_text(template_example, encoding="utf-8")
    generator = load_banks([path], include_bundled=False).generator("tpl-limit")
    assert "A layer has" in generator.make(0).prompt


def test_console_session_matches_the_real_output() -> None:
    (session,) = blocks("console")
    commands = re.split(r"^\$ ", session, flags=re.MULTILINE)[1:]
    checked = 0
    for chunk in commands:
        command, *shown = chunk.rstrip("\n").split("\n")
        args = shlex.split(command.split("#")[0])
        if args[0] != "quizgen" or "my-bank.yaml" in args or ">" in args:
            continue
        result = CliRunner().invoke(main, args[1:])
        assert result.exit_code == 0, result.output
        expected = shown[: shown.index("...")] if "..." in shown else shown
        assert result.output.splitlines()[: len(expected)] == expected
        checked += 1
    assert checked >= 2


def test_every_quizgen_command_in_the_readme_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bash blocks' `quizgen ...` lines run as written (in a scratch folder; a drill gets `q`)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "students.csv").write_text("name,id\nAda,1\nAlan,2\n", encoding="utf-8")
    ran = 0
    for block in blocks("bash"):
        for line in block.splitlines():
            command = line.strip()
            if not command.startswith("quizgen ") or "$(" in command:
                continue
            args = shlex.split(command, comments=True)[1:]
            result = CliRunner().invoke(main, args, input="q\n")
            assert result.exit_code == 0, f"{command}: {result.output}"
            ran += 1
    assert ran >= 10
