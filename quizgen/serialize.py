"""Writing questions back out in the bank format (YAML or JSON).

The output is a valid bank file: `load_banks` reads it back to equal models, and
`quizgen schema` describes it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, assert_never

import yaml

from .models import (
    ChoiceQuestion,
    IntegerQuestion,
    Misconception,
    MultiQuestion,
    NumericQuestion,
    Question,
    TextQuestion,
    Topic,
    TrueFalseQuestion,
)
from .yamlsource import YAML12_FLOAT, YAML12_INT


def bank_data(
    questions: Iterable[Question],
    *,
    title: str | None = None,
    topics: Iterable[Topic] = (),
    misconceptions: Iterable[Misconception] = (),
) -> dict[str, Any]:
    """A bank file as plain data; fields left at their defaults are omitted."""
    data: dict[str, Any] = {}
    if title is not None:
        data["title"] = title
    declared_topics = [t.model_dump(mode="json") for t in topics]
    if declared_topics:
        data["topics"] = declared_topics
    declared_misconceptions = [m.model_dump(mode="json") for m in misconceptions]
    if declared_misconceptions:
        data["misconceptions"] = declared_misconceptions
    data["questions"] = [_question_data(q) for q in questions]
    return data


def _question_data(question: Question) -> dict[str, Any]:
    data = question.model_dump(mode="json", exclude_defaults=True)
    data["type"] = question.type  # a default-valued tag would otherwise be dropped
    ordered: dict[str, Any] = {key: data[key] for key in ("id", "type", "topic") if key in data}
    ordered.update((key, value) for key, value in data.items() if key not in ordered)
    return ordered


class _Dumper(yaml.SafeDumper):
    """Quotes every string that the bank loader would read as something else."""


# PyYAML's dumper knows YAML 1.1, where `08`, `0o17` and `1e-3` are text; the loader reads them as
# numbers (YAML 1.2), so a string that looks like one must be quoted.
_Dumper.add_implicit_resolver("tag:yaml.org,2002:int", YAML12_INT, list("-+0123456789"))
_Dumper.add_implicit_resolver("tag:yaml.org,2002:float", YAML12_FLOAT, list("-+0123456789."))

_LINE_BREAKS_YAML_FOLDS = frozenset("\x85\u2028\u2029")


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    # PyYAML writes NEL and the Unicode line/paragraph separators raw in plain and
    # block styles, and reads them back as line breaks; double quotes escape them.
    if _LINE_BREAKS_YAML_FOLDS.intersection(value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return dumper.represent_str(value)


_Dumper.add_representer(str, _represent_str)


def to_yaml(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def to_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def variant_record(question: Question) -> dict[str, Any]:
    """A question as one JSON object: the model's fields plus `value`, the number it answers.

    `answer` keeps the model's meaning: the 1-based option number for `choice`,
    a list of them for `multi`, true/false, the integer, the number or the text.
    """
    data = question.model_dump(mode="json", exclude_none=True)
    ordered: dict[str, Any] = {
        key: data.pop(key)
        for key in ("id", "variant", "generator", "seed", "topic", "type", "difficulty", "params", "prompt")
        if key in data
    }
    ordered.update(data)
    value = answer_value(question)
    if value is not None:
        ordered["value"] = value
    return ordered


def answer_value(question: Question) -> int | float | None:
    """The number a question's correct answer stands for, when it stands for one."""
    match question:
        case ChoiceQuestion():
            return question.options[question.answer - 1].value
        case IntegerQuestion() | NumericQuestion():
            return question.answer
        case MultiQuestion() | TrueFalseQuestion() | TextQuestion():
            return None
        case _:
            assert_never(question)
