"""The bundled banks: coverage of the chapter, its worked examples, and authoring quality."""

from __future__ import annotations

import collections
import re

import pytest

from quizgen import ChoiceQuestion, IntegerQuestion, MultiQuestion, NumericQuestion, Question, load_banks
from quizgen.vocabulary import BUILTIN_TOPICS

BANK = load_banks()
QUESTIONS = list(BANK)
CHAPTER_TOPICS = [t.id for t in BUILTIN_TOPICS]


def test_enough_questions_in_every_topic() -> None:
    assert len(QUESTIONS) >= 80
    counts = collections.Counter(q.topic for q in QUESTIONS)
    assert set(counts) == set(CHAPTER_TOPICS)
    assert min(counts.values()) >= 8, counts


def test_every_question_type_is_used() -> None:
    assert {q.type for q in QUESTIONS} == {"choice", "multi", "true_false", "integer", "numeric", "text"}


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id)
def test_explanations_teach(question: Question) -> None:
    text = question.explanation.strip()
    assert len(text) >= 80, "an explanation is a worked solution, not a one-liner"
    assert not re.fullmatch(r"(the )?answer is .{0,20}", text, re.IGNORECASE)
    assert text != question.prompt.strip()


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id)
def test_misconceptions_mark_wrong_options_only(question: Question) -> None:
    if isinstance(question, ChoiceQuestion):
        correct = {question.answer}
    elif isinstance(question, MultiQuestion):
        correct = set(question.answers)
    else:
        return
    for number, option in enumerate(question.options, start=1):
        if number in correct:
            assert option.misconception is None, f"option {number} is correct but names a misconception"


def test_common_mistakes_are_tested() -> None:
    used = collections.Counter(
        option.misconception
        for q in QUESTIONS
        for option in getattr(q, "options", ())
        if option.misconception is not None
    )
    for mistake in (
        "product-for-sum",
        "dropped-two",
        "fan-out-only",
        "sqrt3-for-sqrt6",
        "xavier-for-relu",
        "zero-init",
    ):
        assert used[mistake] >= 2, f"{mistake} is tested only {used[mistake]} times"


@pytest.mark.parametrize(
    "question", [q for q in QUESTIONS if isinstance(q, NumericQuestion)], ids=lambda q: q.id
)
def test_numeric_tolerances_are_sensible(question: NumericQuestion) -> None:
    low, high = question.bounds()
    assert low < question.answer < high, "a numeric answer needs a tolerance above 0"
    assert high - question.answer <= 0.1 * abs(question.answer), "a tolerance over 10% gives the answer away"


def test_answer_positions_are_spread() -> None:
    positions = collections.Counter(
        q.answer for q in QUESTIONS if isinstance(q, ChoiceQuestion) and q.shuffle
    )
    total = sum(positions.values())
    assert positions[1] <= 0.4 * total, f"the correct option is first in {positions[1]} of {total}"


def _chapter_example(*words: str) -> Question:
    found = [
        q
        for q in QUESTIONS
        if "chapter-example" in q.tags and all(w.lower() in q.prompt.lower() for w in words)
    ]
    assert len(found) == 1, f"expected one chapter example with {words}, found {[q.id for q in found]}"
    return found[0]


def _correct_text(question: Question) -> str:
    assert isinstance(question, ChoiceQuestion)
    return question.options[question.answer - 1].text


def test_the_seven_worked_examples_have_the_chapters_answers() -> None:
    """The answers below are copied from the chapter (reference/chapter.md), not from the banks."""
    purpose = _chapter_example("main purpose")
    assert isinstance(purpose, ChoiceQuestion) and purpose.answer == 1
    assert "scale" in _correct_text(purpose).lower()

    relu = _chapter_example("relu")
    assert isinstance(relu, ChoiceQuestion) and relu.answer == 2
    assert [o.text for o in relu.options] == ["Xavier", "He", "Zero"]

    calculation = _chapter_example(r"n_{\mathrm{in}} = 4", r"n_{\mathrm{out}} = 6")
    assert isinstance(calculation, IntegerQuestion) and calculation.answer == 4 + 6

    statement = _chapter_example("process of setting")
    assert statement.type == "true_false" and statement.answer is True

    spam = _chapter_example("spam")
    assert isinstance(spam, ChoiceQuestion) and spam.answer == 1
    assert "initiali" in _correct_text(spam).lower() and "learning rate" in _correct_text(spam).lower()

    he_variance = _chapter_example("he initiali", "var")
    assert isinstance(he_variance, ChoiceQuestion) and he_variance.answer == 1
    assert re.sub(r"\s", "", _correct_text(he_variance)) in {
        r"$2/n_{\mathrm{in}}$",
        r"$\frac{2}{n_{\mathrm{in}}}$",
    }

    concept = _chapter_example("= 2")
    assert isinstance(concept, ChoiceQuestion) and concept.answer == 1
    assert [o.text for o in concept.options] == ["1", "2", "3"]
    assert len([q for q in QUESTIONS if "chapter-example" in q.tags]) == 7
