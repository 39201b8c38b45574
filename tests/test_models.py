"""The question models: what they accept and what they reject, with which message."""

from __future__ import annotations

import math
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from quizgen import (
    ChoiceQuestion,
    IntegerQuestion,
    MultiQuestion,
    NumericQuestion,
    Question,
    TextQuestion,
    TrueFalseQuestion,
)

QUESTION = TypeAdapter(Question)

BASE: dict[str, Any] = {
    "id": "q-01",
    "topic": "xavier",
    "prompt": "What is it?",
    "explanation": "Because of the worked reason.",
}


def make(**fields: Any) -> Any:
    return QUESTION.validate_python({**BASE, **fields})


def error_of(**fields: Any) -> str:
    with pytest.raises(ValidationError) as info:
        make(**fields)
    return str(info.value)


def test_each_type_is_chosen_by_its_tag() -> None:
    assert isinstance(make(type="choice", options=["a", "b"], answer=2), ChoiceQuestion)
    assert isinstance(make(type="multi", options=["a", "b", "c"], answers=[1, 3]), MultiQuestion)
    assert isinstance(make(type="true_false", answer=True), TrueFalseQuestion)
    assert isinstance(make(type="integer", answer=10), IntegerQuestion)
    assert isinstance(make(type="numeric", answer=0.5, tolerance=0.01), NumericQuestion)
    assert isinstance(make(type="text", answer="He", accept=["Kaiming"]), TextQuestion)


def test_option_shorthand_and_full_form_are_the_same_option() -> None:
    question = make(type="choice", options=["a", {"text": "b", "misconception": "zero-init"}], answer=1)
    assert question.options[0].text == "a"
    assert question.options[0].feedback is None
    assert question.options[1].misconception == "zero-init"


def test_defaults() -> None:
    question = make(type="integer", answer=3)
    assert (question.difficulty, question.tags, question.source, question.hint) == (2, (), None, None)


@pytest.mark.parametrize("answer", [0, 4, -1])
def test_choice_answer_out_of_range(answer: int) -> None:
    message = error_of(type="choice", options=["a", "b", "c"], answer=answer)
    assert f"option {answer} does not exist; this question has 3 options (1-3)" in message


def test_multi_answers_out_of_range_repeated_or_empty() -> None:
    assert "option 5 does not exist" in error_of(type="multi", options=["a", "b"], answers=[1, 5])
    assert "lists an option twice" in error_of(type="multi", options=["a", "b"], answers=[1, 1])
    assert "at least one correct option" in error_of(type="multi", options=["a", "b"], answers=[])


def test_fewer_than_two_options() -> None:
    assert "needs at least 2 options, has 1" in error_of(type="choice", options=["a"], answer=1)


def test_duplicate_options_ignore_case_and_spacing() -> None:
    message = error_of(type="choice", options=["He init", "he   INIT", "Xavier"], answer=1)
    assert "options 1 and 2 are the same" in message


def test_negative_tolerance() -> None:
    assert "-1 is negative" in error_of(type="numeric", answer=1.0, tolerance=-1)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_numeric_answer_must_be_finite(value: float) -> None:
    assert "finite" in error_of(type="numeric", answer=value, tolerance=0.1)


@pytest.mark.parametrize("field", ["prompt", "explanation"])
@pytest.mark.parametrize("value", ["", "   \n\t"])
def test_empty_prompt_or_explanation(field: str, value: str) -> None:
    with pytest.raises(ValidationError) as info:
        make(type="integer", answer=1, **{field: value})
    (error,) = info.value.errors()
    assert (error["loc"][-1], error["type"]) == (field, "string_pattern_mismatch")
    # the loader words it for people: see test_loader.test_empty_entries_and_empty_text


def test_strict_types_do_not_coerce() -> None:
    assert "valid integer" in error_of(type="integer", answer="10")
    assert "valid integer" in error_of(type="integer", answer=10.5)
    assert "valid boolean" in error_of(type="true_false", answer="yes")
    assert "valid integer" in error_of(type="choice", options=["a", "b"], answer=True)


def test_unknown_field_is_rejected() -> None:
    assert "Extra inputs are not permitted" in error_of(type="integer", answer=1, explaination="x")


def test_bad_identifier() -> None:
    assert "String should match pattern" in error_of(type="integer", answer=1, id="Bad Id")


def test_difficulty_range() -> None:
    assert "less than or equal to 3" in error_of(type="integer", answer=1, difficulty=4)


def test_text_accepted_forms_must_differ() -> None:
    assert "listed twice" in error_of(type="text", answer="He", accept=["Kaiming", "HE"])
    question = make(type="text", answer="He", accept=["Kaiming", "He initialization"])
    assert question.accepted_forms() == ("He", "Kaiming", "He initialization")


def test_numeric_bounds_absolute_and_relative() -> None:
    absolute = make(type="numeric", answer=0.5, tolerance=0.01)
    relative = make(type="numeric", answer=200.0, tolerance=0.01, tolerance_type="relative")
    assert absolute.bounds() == pytest.approx((0.49, 0.51))
    assert relative.bounds() == pytest.approx((198.0, 202.0))


def test_models_are_frozen() -> None:
    question = make(type="integer", answer=1)
    with pytest.raises(ValidationError):
        question.answer = 2
