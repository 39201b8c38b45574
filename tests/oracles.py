"""What the tests/test_answers_*.py files share: the banks, loaded once, and the checks of an oracle table.

Each of those files writes its questions' numbers out again (ORACLES: question id -> a
function computing the answer from the question's own data, PyTorch where it applies);
tests/test_oracle_coverage.py checks that together they cover every computed answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest

from quizgen import ChoiceQuestion, IntegerQuestion, MultiQuestion, NumericQuestion, load_banks

BANK = load_banks(cache=False)


def check_answer(qid: str, oracle: Callable[[], float], rel: float = 1e-9) -> None:
    """The bank's answer is the oracle's (an integer exactly; a number within ``rel``, and graded correct)."""
    question = BANK.get(qid)
    expected = oracle()
    if isinstance(question, IntegerQuestion):
        assert question.answer == pytest.approx(expected, rel=1e-12)  # 784 * (1/196) is 4.000...01
    else:
        assert isinstance(question, NumericQuestion)
        assert question.answer == pytest.approx(expected, rel=rel)
        assert question.accepts(expected)


def correct_texts(qid: str) -> list[str]:
    """The text of the keyed option(s) of a choice or multi question."""
    question = BANK.get(qid)
    if isinstance(question, ChoiceQuestion):
        return [question.options[question.answer - 1].text]
    assert isinstance(question, MultiQuestion)
    return [question.options[n - 1].text for n in question.answers]


# -- numbers as the questions write them (read here without quizgen's own writer) ---------------

_SUPERSCRIPTS = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")
NUMBER = re.compile(
    r"(?<![\w.^{])(-?\d+(?:\.\d+)?)"  # a number, not inside a word, an exponent or a subscript
    r"(?:\s*(?:×|\\times)\s*10(?:\^\{(-?\d+)\}|([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)))?"  # × 10⁻⁵ or \times 10^{-5}
)
"""A number written for people: ``0.0442``, ``3.66 × 10⁻⁵`` or, in LaTeX, ``3.66 \\times 10^{-5}``."""


@dataclass(frozen=True)
class Shown:
    """A number as written: its value, its significant digits as shown (trailing zeros count), the
    unit of its last digit, and whether it is a whole number written out (``1024``, not ``1.02 × 10³``)."""

    text: str
    value: Decimal
    figures: int
    unit: Decimal
    whole: bool


def shown_number(match: re.Match[str]) -> Shown:
    mantissa, latex, unicode = match.group(1), match.group(2), match.group(3)
    exponent = int(latex if latex is not None else unicode.translate(_SUPERSCRIPTS) if unicode else 0)
    digits = mantissa.lstrip("-").replace(".", "").lstrip("0") or "0"
    decimals = len(mantissa.partition(".")[2])
    whole = "." not in mantissa and latex is None and unicode is None
    if whole and digits != "0":  # 192000: the trailing zeros of a whole number only place its digits
        decimals = -(len(digits) - len(digits.rstrip("0")))
        digits = digits.rstrip("0")
    return Shown(
        match.group(0),
        Decimal(mantissa).scaleb(exponent),
        len(digits),
        Decimal(1).scaleb(exponent - decimals),
        whole,
    )


def numbers_in(text: str) -> list[Shown]:
    """Every number of a text written for people (code spans left out)."""
    return [shown_number(m) for m in NUMBER.finditer(re.sub(r"`[^`]*`", "", text))]


def only_number(text: str) -> Shown | None:
    """The number a text is, when it is nothing but one (an option's text); else None."""
    match = NUMBER.fullmatch(text.strip())
    return shown_number(match) if match else None


def reads_as(text: str, value: float) -> bool:
    """Whether an option's text is ``value`` rounded to the digits it shows: within half a unit of its
    last digit (a tie may go either way)."""
    shown = only_number(text)
    return shown is not None and abs(shown.value - Decimal(repr(value))) <= shown.unit / 2
