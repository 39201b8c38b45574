"""One registry of export formats (issue 12): the CLI's choices, `--check`, the docs' table and every
format's read-back all come from `quizgen.exporters.FORMATS`."""

from __future__ import annotations

import collections
import importlib
import re
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from quizgen import load_banks
from quizgen.bank import QuestionBank
from quizgen.cli import main
from quizgen.exporters import FORMATS, ExportSet, build_export_set, export, formats_table
from quizgen.models import Question

DOCS = Path(__file__).parent.parent / "docs"


@pytest.fixture(scope="module")
def bank() -> QuestionBank:
    return load_banks()


def test_the_cli_offers_exactly_the_registry() -> None:
    command = main.commands["export"]
    (option,) = [p for p in command.params if p.name == "fmt"]
    assert isinstance(option.type, click.Choice)
    assert list(option.type.choices) == list(FORMATS)
    for fmt in FORMATS.values():
        assert fmt.description in (option.help or "")


def test_the_docs_show_the_registry_table_verbatim() -> None:
    assert formats_table() in (DOCS / "lms.md").read_text(encoding="utf-8")


def test_every_format_module_has_write_and_read_back() -> None:
    for fmt in FORMATS.values():
        module = importlib.import_module(f"quizgen.exporters.{fmt.module}")
        assert callable(module.write) and callable(module.read_back), fmt.name
        assert fmt.suffix.startswith(".") and fmt.description


# -- each format reads back its own output -------------------------------------------------------


def _moodle(question: Question) -> str:
    return {
        "choice": "multichoice (single)",
        "multi": "multichoice (multiple)",
        "true_false": "truefalse",
        "integer": "numerical",
        "numeric": "numerical",
        "text": "shortanswer",
    }[question.type]


def _qti(question: Question) -> str:
    return {
        "choice": "multiple_choice_question",
        "multi": "multiple_answers_question",
        "true_false": "true_false_question",
        "integer": "numerical_question",
        "numeric": "numerical_question",
        "text": "short_answer_question",
    }[question.type]


EXPECTED: dict[str, Callable[[Question], str]] = {
    "moodle": _moodle,
    "gift": lambda question: "questions",
    "qti": _qti,
    "anki": lambda question: question.type,
    "json": lambda question: question.type,
    "html": lambda question: question.type,
    "scorm": lambda question: question.type,
    "qti21": lambda question: question.type,
}


def expected_counts(fmt: str, data: ExportSet) -> collections.Counter[str]:
    """What the set holds, counted per type as the format names types (from the models, not the writer)."""
    found = collections.Counter(EXPECTED[fmt](q) for q in data.all_questions())
    if fmt == "anki":  # a note per bank question, and one per generator (its variants rotate on one card)
        found = collections.Counter(EXPECTED[fmt](q) for q in data.questions)
        found["rotating (generator)"] = sum(1 for g in data.groups if g.count)
        found = +found
    if fmt == "moodle":  # plus a calculated question per generator with an answer formula
        found["calculated"] = sum(1 for g in data.groups if g.generator.calculated is not None and g.count)
        found = +found
    return found


def test_every_format_has_its_expected_counts() -> None:
    assert set(EXPECTED) == set(FORMATS)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_reads_back_its_own_output(fmt: str, bank: QuestionBank) -> None:
    data = build_export_set(bank, variants=2, seed=7)
    assert FORMATS[fmt].read_back(export(fmt, data)) == expected_counts(fmt, data)


# -- export --check ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_check_goes_through_the_registry(fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--check` prints what the registry's format reads back: replace that read-back and the output follows."""
    module = importlib.import_module(f"quizgen.exporters.{FORMATS[fmt].module}")
    seen: list[bytes] = []

    def spy(raw: bytes) -> collections.Counter[str]:
        seen.append(raw)
        return collections.Counter({f"spied-{fmt}": 4242})

    monkeypatch.setattr(module, "read_back", spy)
    out = tmp_path / f"x{FORMATS[fmt].suffix}"
    result = CliRunner().invoke(
        main,
        ["export", "--format", fmt, "--topic", "layer-size", "--variants", "1", "-o", str(out), "--check"],
    )
    assert result.exit_code == 0, result.output
    assert re.search(rf"spied-{fmt}\s+4242", result.output), result.output
    assert seen == [out.read_bytes()]
