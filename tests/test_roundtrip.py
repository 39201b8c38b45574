"""Any valid question survives a trip through the bank format, in YAML and in JSON."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from quizgen import Question, load_banks
from quizgen.serialize import bank_data, to_json, to_yaml
from quizgen.vocabulary import BUILTIN_MISCONCEPTIONS, BUILTIN_TOPICS

QUESTION = TypeAdapter(Question)

text = st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(str.strip)
slug = st.from_regex(r"[a-z0-9]{1,6}(-[a-z0-9]{1,4}){0,2}", fullmatch=True)
finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12)


@st.composite
def options(draw: st.DrawFn) -> list[dict[str, Any]]:
    texts = draw(st.lists(text, min_size=2, max_size=6, unique_by=lambda t: " ".join(t.split()).casefold()))
    result = []
    for option_text in texts:
        option: dict[str, Any] = {"text": option_text}
        if draw(st.booleans()):
            option["feedback"] = draw(text)
        if draw(st.booleans()):
            option["misconception"] = draw(st.sampled_from([m.id for m in BUILTIN_MISCONCEPTIONS]))
        result.append(option)
    return result


@st.composite
def questions(draw: st.DrawFn) -> Question:
    data: dict[str, Any] = {
        "id": draw(slug),
        "topic": draw(st.sampled_from([t.id for t in BUILTIN_TOPICS])),
        "prompt": draw(text),
        "explanation": draw(text),
        "difficulty": draw(st.integers(1, 3)),
        "tags": draw(st.lists(slug, max_size=3)),
    }
    for optional in ("source", "hint"):
        if draw(st.booleans()):
            data[optional] = draw(text)
    kind = draw(st.sampled_from(["choice", "multi", "true_false", "integer", "numeric", "text"]))
    data["type"] = kind
    if kind in ("choice", "multi"):
        data["options"] = draw(options())
        data["shuffle"] = draw(st.booleans())
        numbers = list(range(1, len(data["options"]) + 1))
        if kind == "choice":
            data["answer"] = draw(st.sampled_from(numbers))
        else:
            data["answers"] = draw(st.lists(st.sampled_from(numbers), min_size=1, unique=True))
    elif kind == "true_false":
        data["answer"] = draw(st.booleans())
    elif kind == "integer":
        data["answer"] = draw(st.integers(-(10**15), 10**15))
    elif kind == "numeric":
        data["answer"] = draw(finite)
        data["tolerance"] = draw(finite.map(abs))
        data["tolerance_type"] = draw(st.sampled_from(["absolute", "relative"]))
    else:
        data["answer"] = draw(text)
        data["accept"] = draw(
            st.lists(text, max_size=3, unique_by=lambda t: " ".join(t.split()).casefold()).filter(
                lambda forms: (
                    " ".join(data["answer"].split()).casefold()
                    not in {" ".join(f.split()).casefold() for f in forms}
                )
            )
        )
    return QUESTION.validate_python(data)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(questions())
def test_yaml_round_trip_through_the_loader(question: Question) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bank.yaml"
        path.write_text(to_yaml(bank_data([question])), encoding="utf-8")
        loaded = load_banks([path], include_bundled=False)
    assert loaded.questions == [question]


@pytest.mark.parametrize("text", ["08", "0o17", "0x1F", "1e-3", "1_000", ".5", "-07", ".inf"])
def test_strings_that_yaml_1_2_reads_as_numbers_are_quoted(text: str, tmp_path: Path) -> None:
    """Found by the property test above: the tag '08' came back as the number 8."""
    question = QUESTION.validate_python(
        {
            "id": "q",
            "type": "text",
            "topic": "definition",
            "prompt": text,
            "explanation": text,
            "answer": text,
        }
    )
    path = tmp_path / "bank.yaml"
    path.write_text(to_yaml(bank_data([question])), encoding="utf-8")
    assert load_banks([path], include_bundled=False).questions == [question]


@given(questions())
def test_json_round_trip(question: Question) -> None:
    text_form = to_json(bank_data([question]))
    assert QUESTION.validate_python(json.loads(text_form)["questions"][0]) == question
    assert QUESTION.validate_json(question.model_dump_json()) == question


def test_the_bundled_banks_round_trip() -> None:
    bank = load_banks()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "all.yaml"
        path.write_text(to_yaml(bank_data(bank.questions)), encoding="utf-8")
        assert load_banks([path], include_bundled=False).questions == bank.questions
