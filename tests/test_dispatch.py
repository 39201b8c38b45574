"""Every dispatch on the question type is proved exhaustive by mypy.

A copy of the `quizgen` package gets a fake question type, added to `models.py` the way a new type is
(a `_QuestionBase` subclass with its own `type` literal, in `QUESTION_CLASSES`, the `Question` union
and `QuestionType`), and mypy, run with the project's configuration, must then report an error that
names the fake type in each module of DISPATCH_MODULES: each of them handles every type, and a
forgotten type is a type error there, not a wrong answer at run time. The unmodified copy must pass,
so the errors come from the fake type alone.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

import pytest
from pydantic import TypeAdapter

from quizgen.models import QUESTION_CLASSES, Question, QuestionType
from quizgen.serialize import answer_value
from quizgen.textview import TYPE_LABELS, answer_text, format_question, type_label

ROOT = Path(__file__).resolve().parent.parent

DISPATCH_MODULES: tuple[str, ...] = (
    "quizgen/grading.py",
    "quizgen/textview.py",
    "quizgen/scheduler.py",
    "quizgen/bank.py",
    "quizgen/drill.py",
    "quizgen/worksheet.py",
    "quizgen/exporters/moodle.py",
    "quizgen/exporters/gift.py",
    "quizgen/exporters/qti.py",
    "quizgen/exporters/anki.py",
    "quizgen/serialize.py",
)
"""Modules that dispatch on the question type; each must fail to type-check when a type is added.
Add a module here when it dispatches on the type (drill, worksheet, each exporter)."""

FAKE_CLASS = '''

class FakeQuestion(_QuestionBase):
    """A question type that no dispatch knows (tests/test_dispatch.py)."""

    type: Literal["fake"] = Field(description="A fake type.")
    answer: StrictInt = Field(description="Its answer.")

'''

_ERROR = re.compile(r"^(?P<path>[^:\n]+\.py):\d+: error: (?P<message>.*)$", re.MULTILINE)


def _edit(text: str, pattern: str, replacement: str) -> str:
    """``text`` with the one match of ``pattern`` replaced; fails loudly when models.py changed shape."""
    edited, count = re.subn(pattern, replacement, text, flags=re.MULTILINE)
    assert count == 1, f"models.py no longer matches {pattern!r} ({count} matches); update this test"
    return edited


def add_fake_type(models: str, *, to_question_type: bool = True) -> str:
    """models.py with FakeQuestion added to QUESTION_CLASSES, the Question union and (unless told
    not to) the QuestionType literal."""
    models = _edit(models, r"^(?=QUESTION_CLASSES\b)", FAKE_CLASS.lstrip("\n"))
    models = _edit(models, r"^(QUESTION_CLASSES\b.*= \{\n)", r'\1    "fake": FakeQuestion,\n')
    models = _edit(models, r"^(Question = Annotated\[\s*)", r"\1FakeQuestion | ")
    if to_question_type:
        models = _edit(models, r"^(QuestionType = Literal\[)", r'\1"fake", ')
    return models


@dataclass(frozen=True)
class MypyRun:
    status: int
    output: str

    def errors_by_module(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for match in _ERROR.finditer(self.output):
            found.setdefault(match["path"].replace("\\", "/"), []).append(match["message"])
        return found

    def modules_naming(self, word: str) -> set[str]:
        return {
            module
            for module, messages in self.errors_by_module().items()
            if any(word in message.casefold() for message in messages)
        }


@dataclass(frozen=True)
class Runs:
    clean: MypyRun
    fake: MypyRun
    fake_without_question_type: MypyRun


def _mypy(folder: Path) -> MypyRun:
    # The project's configuration: the copied pyproject.toml's [tool.mypy] (strict, pydantic plugin,
    # packages = ["quizgen"]), read from the working folder; the cache stays in the temporary folder.
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(folder / "pyproject.toml"),
            "--cache-dir",
            str(folder / ".mypy_cache"),
            "--no-color-output",
            "--no-pretty",
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return MypyRun(result.returncode, result.stdout + result.stderr)


def _ignore(directory: str, names: list[str]) -> set[str]:
    # Only the code: the bank and template folders are links to files outside the package.
    return {
        name
        for name in names
        if name in ("__pycache__", ".mypy_cache") or (Path(directory) / name).is_symlink()
    }


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    folder = tmp_path_factory.mktemp("dispatch")
    shutil.copytree(ROOT / "quizgen", folder / "quizgen", ignore=_ignore)
    shutil.copy2(ROOT / "pyproject.toml", folder / "pyproject.toml")
    models_path = folder / "quizgen" / "models.py"
    models = models_path.read_text(encoding="utf-8")
    clean = _mypy(folder)  # also fills the cache, so the runs below recheck only what the change touches
    models_path.write_text(add_fake_type(models), encoding="utf-8")
    fake = _mypy(folder)
    models_path.write_text(add_fake_type(models, to_question_type=False), encoding="utf-8")
    fake_without_question_type = _mypy(folder)
    return Runs(clean, fake, fake_without_question_type)


def test_the_fake_type_is_added_where_a_new_type_goes() -> None:
    models = add_fake_type((ROOT / "quizgen" / "models.py").read_text(encoding="utf-8"))
    namespace: dict[str, object] = {}
    exec(compile(models, "models.py", "exec"), namespace)  # the edited module is valid Python
    question = namespace["FakeQuestion"]
    assert namespace["QUESTION_CLASSES"]["fake"] is question  # type: ignore[index]
    assert "fake" in str(namespace["QuestionType"])
    assert "FakeQuestion" in str(namespace["Question"])


def test_mypy_passes_on_the_unmodified_copy(runs: Runs) -> None:
    assert runs.clean.status == 0, f"mypy fails on the unmodified copy of quizgen:\n{runs.clean.output}"


def test_a_fake_type_is_a_mypy_error_in_every_dispatch_module(runs: Runs) -> None:
    # Only errors that name the fake type count, so an unrelated error in the copy (reported by the
    # test above) neither hides nor fakes a module's complaint.
    assert runs.fake.status != 0, f"mypy accepts a question type that nothing handles:\n{runs.fake.output}"
    complained = runs.fake.modules_naming("fake")
    silent = [module for module in DISPATCH_MODULES if module not in complained]
    assert not silent, (
        f"these dispatch modules do not report the fake question type: {silent}\n"
        f"(modules that do: {sorted(complained)})\n{runs.fake.output}"
    )


def test_a_type_missing_from_question_type_is_a_mypy_error_in_models(runs: Runs) -> None:
    # Without this, a new type left out of QuestionType would slip past every match on the type tag.
    assert runs.fake_without_question_type.status != 0
    assert "quizgen/models.py" in runs.fake_without_question_type.modules_naming("fake"), (
        runs.fake_without_question_type.output
    )


# --- the per-type behaviour that the dispatches above return, at run time ---------------------------

QUESTION = TypeAdapter(Question)
BASE: dict[str, Any] = {"id": "q-01", "topic": "xavier", "prompt": "What is it?", "explanation": "Why."}
ONE_OF_EACH: dict[str, dict[str, Any]] = {
    "choice": {"options": [{"text": "a", "value": 0.5}, "b"], "answer": 1},
    "multi": {"options": ["a", "b", "c"], "answers": [1, 3]},
    "true_false": {"answer": False},
    "integer": {"answer": 7, "mistakes": [{"value": 12, "misconception": "product-for-sum"}]},
    "numeric": {"answer": 0.25, "tolerance": 0.1, "tolerance_type": "relative"},
    "text": {"answer": "Kaiming", "accept": ["He"]},
}


def make(kind: str, **fields: Any) -> Any:
    return QUESTION.validate_python({**BASE, "type": kind, **ONE_OF_EACH[kind], **fields})


def test_question_type_lists_exactly_the_question_classes_in_order() -> None:
    assert get_args(QuestionType) == tuple(QUESTION_CLASSES)
    assert get_args(QuestionType) == ("choice", "multi", "true_false", "integer", "numeric", "text")
    union = get_args(get_args(Question)[0])
    assert union == tuple(QUESTION_CLASSES.values())
    for kind, cls in QUESTION_CLASSES.items():
        assert get_args(cls.model_fields["type"].annotation) == (kind,)


def test_type_labels() -> None:
    expected = {
        "choice": "choose one",
        "multi": "select all that apply",
        "true_false": "true or false",
        "integer": "an integer",
        "numeric": "a number",
        "text": "a short answer",
    }
    assert list(TYPE_LABELS.items()) == list(expected.items())  # the order exports list them in
    assert {kind: type_label(kind) for kind in expected} == expected


def test_answer_value_of_each_type() -> None:
    values = {kind: answer_value(make(kind)) for kind in ONE_OF_EACH}
    assert values == {
        "choice": 0.5,
        "multi": None,
        "true_false": None,
        "integer": 7,
        "numeric": 0.25,
        "text": None,
    }
    assert answer_value(make("choice", answer=2)) is None  # the option stands for no number


def test_answer_text_of_each_type() -> None:
    texts = {kind: answer_text(make(kind), str.upper, " / ") for kind in ONE_OF_EACH}
    assert texts == {
        "choice": "① A",
        "multi": "① A / ③ C",
        "true_false": "② False",
        "integer": "7",
        "numeric": "0.25 (ACCEPT 0.225 TO 0.275)",
        "text": "KAIMING (ALSO ACCEPTED: HE)",
    }
    assert answer_text(make("true_false", answer=True)) == "① True"
    assert answer_text(make("numeric", tolerance_type="absolute")) == "0.25 (accept 0.15 to 0.35)"
    assert answer_text(make("numeric", tolerance=0.0)) == "0.25"


def test_format_question_shows_options_and_notes_by_type() -> None:
    choice = make(
        "choice",
        options=[{"text": "a", "feedback": "Right."}, {"text": "b", "misconception": "product-for-sum"}, "c"],
        source="chapter example",
    )
    assert format_question(choice, show_answer=True) == "\n".join(
        [
            "q-01  [xavier, choose one, difficulty 2]",
            "",
            "What is it?",
            "",
            "  ① a",
            "  ② b",
            "  ③ c",
            "",
            "Answer: ① a",
            "",
            "Why.",
            "",
            "Why each option:",
            "  ① Right.",
            "  ② [product-for-sum] ",
            "",
            "Source: chapter example",
        ]
    )
    assert format_question(make("true_false")).endswith("What is it?\n\n  ① True\n  ② False")
    assert format_question(make("multi", options=["a", "b"], answers=[2]), show_answer=True).endswith(
        "  ① a\n  ② b\n\nAnswer: ② b\n\nWhy."
    )
    integer = make("integer", claims=["xavier-keeps-variance"])
    assert format_question(integer, show_answer=True).endswith(
        "What is it?\n\nAnswer: 7\n\nWhy.\n\nNamed mistakes:\n  12 [product-for-sum]"
        "\n\nClaims (quizgen claims --check): xavier-keeps-variance"
    )
    numeric = make("numeric", mistakes=[{"value": 0.5, "feedback": "Doubled."}], difficulty=3)
    assert format_question(numeric, show_answer=True) == (
        "q-01  [xavier, a number, difficulty 3]\n\nWhat is it?\n\nAnswer: 0.25 (accept 0.225 to 0.275)\n\nWhy."
        "\n\nNamed mistakes:\n  0.5 Doubled."
    )
    assert format_question(make("numeric"), show_answer=True).endswith("(accept 0.225 to 0.275)\n\nWhy.")
    assert format_question(make("text")) == "q-01  [xavier, a short answer, difficulty 2]\n\nWhat is it?"
