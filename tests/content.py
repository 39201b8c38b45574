"""What the content tests read: every bundled question and template, and many variants of every generator.

Shared by the claims, precision, fan-mode and notation tests (tests/test_content.py),
so that each reads exactly what a student can be shown.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from quizgen import Question, load_banks
from quizgen.bank import QuestionBank
from quizgen.generators.authored import PLACEHOLDER
from quizgen.models import Template

DRAWS = 2_000
"""Variants drawn from every generator and template by the property tests."""


@cache
def bank() -> QuestionBank:
    return load_banks(cache=False)


def bank_questions() -> list[Question]:
    return list(bank())


def templates() -> list[Template]:
    return list(bank().templates)


@cache
def variants(generator_id: str, count: int = DRAWS) -> list[Question]:
    """``count`` variants, seeds 0..count-1 (so a failure names a seed to reproduce with `make(seed)`)."""
    generator = bank().generator(generator_id)
    return [generator.make(seed) for seed in range(count)]


def generator_ids() -> list[str]:
    return list(bank().generators)


def texts(question: Question) -> Iterator[tuple[str, str]]:
    """(field, text) for every piece of text a student can see, options and feedback included."""
    yield "prompt", question.prompt
    yield "explanation", question.explanation
    if question.hint:
        yield "hint", question.hint
    for number, option in enumerate(getattr(question, "options", ()), start=1):
        yield f"options[{number}].text", option.text
        if option.feedback:
            yield f"options[{number}].feedback", option.feedback
    for number, mistake in enumerate(getattr(question, "mistakes", ()), start=1):
        if mistake.feedback:
            yield f"mistakes[{number}].feedback", mistake.feedback


def template_texts(template: Template) -> Iterator[tuple[str, str]]:
    """A template's texts with every `{name}` placeholder filled in (with 7), as students see them."""

    def filled(text: str) -> str:
        return PLACEHOLDER.sub("7", text)

    yield "prompt", filled(template.prompt)
    yield "explanation", filled(template.explanation)
    if template.hint:
        yield "hint", filled(template.hint)
    if template.feedback:
        yield "feedback", filled(template.feedback)
    for number, distractor in enumerate(template.distractors, start=1):
        if distractor.feedback:
            yield f"distractors[{number}].feedback", filled(distractor.feedback)


_CODE = re.compile(r"`[^`]*`")
_MATH = re.compile(r"\$[^$]*\$")


def math_segments(text: str) -> list[str]:
    """The inline maths of a text ($...$), code spans left out."""
    return _MATH.findall(_CODE.sub("", text))


def prose(text: str) -> str:
    """The text with its code spans and maths removed."""
    return _MATH.sub(" ", _CODE.sub(" ", text))


def name(question: Question) -> str:
    return question.id if question.seed is None else f"{question.generator} seed {question.seed}"
