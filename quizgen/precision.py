"""The form of number a question asks for, read from its prompt, and whether its tolerance fits that form.

A numeric or integer prompt says, before the student answers, what to write:

    "Give 3 significant figures."  "to 3 significant figures"   significant figures
    "Give 4 decimal places."       "to 2 decimal places"         decimal places
    "Give the exact value."        "(exact)"                     the exact number (a fraction is fine)
    "(an integer)"                 "a whole number"              an integer

A tolerance fits a stated precision when it accepts the answer written that way
(rounded half up or half to even) and rejects every named mistake written that way
(a mistake rounded to 3 significant figures must not pass for the answer).
:func:`precision_problems` says what does not fit; the loader reports it for bank
questions, the template checker for every parameter set, and the tests for every
generator.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from typing import Literal

from .models import NumericQuestion, Tolerance
from .numbers import fmt

Kind = Literal["significant", "decimals", "exact", "integer"]

_COUNT = r"(\d+|one|two|three|four|five|six)"
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_PATTERNS: tuple[tuple[Kind, re.Pattern[str]], ...] = (
    ("significant", re.compile(rf"\b{_COUNT} significant (?:figures?|digits?)\b", re.IGNORECASE)),
    ("decimals", re.compile(rf"\b{_COUNT} decimal places?\b", re.IGNORECASE)),
    ("exact", re.compile(r"\bexact (?:value|answer|number)\b|\(exact\)", re.IGNORECASE)),
    ("integer", re.compile(r"\ban integer\b|\ba whole number\b", re.IGNORECASE)),
)


@dataclass(frozen=True)
class Precision:
    """What a prompt asks for: `digits` significant figures or decimal places, the exact value, an integer."""

    kind: Kind
    digits: int = 0

    def __str__(self) -> str:
        if self.kind == "significant":
            return f"{self.digits} significant figure{'s' if self.digits != 1 else ''}"
        if self.kind == "decimals":
            return f"{self.digits} decimal place{'s' if self.digits != 1 else ''}"
        return "the exact value" if self.kind == "exact" else "an integer"

    def most_rounding(self, value: float) -> float:
        """An upper bound on how far ``value`` written at this precision can be from ``value``."""
        if self.kind == "significant":
            return 5.0 * 10.0**-self.digits * abs(value)  # half a unit of the last digit, at most
        if self.kind == "decimals":
            return 0.5 * 10.0**-self.digits
        return 0.5 if self.kind == "integer" else 0.0

    def written(self, value: float) -> tuple[float, ...]:
        """``value`` as a student writes it at this precision (both ways of rounding a tie)."""
        if self.kind == "exact" or value == 0 or not math.isfinite(value):
            return (value,)
        number = Decimal(repr(value))
        if self.kind == "significant":
            exponent = number.adjusted() - self.digits + 1
        elif self.kind == "decimals":
            exponent = -self.digits
        else:
            exponent = 0
        quantum = Decimal(1).scaleb(exponent)
        return tuple(
            dict.fromkeys(
                float(number.quantize(quantum, rounding=mode)) for mode in (ROUND_HALF_UP, ROUND_HALF_EVEN)
            )
        )


def stated_precision(prompt: str) -> Precision | None:
    """The precision a prompt states (the first phrase of the forms above), or None."""
    found: list[tuple[int, Precision]] = []
    for kind, pattern in _PATTERNS:
        match = pattern.search(prompt)
        if match is None:
            continue
        digits = 0
        if match.groups() and match.group(1) is not None:
            word = match.group(1).lower()
            digits = _WORDS.get(word) or int(word)
        found.append((match.start(), Precision(kind, digits)))
    return min(found, key=lambda item: item[0])[1] if found else None


def precision_problems(question: NumericQuestion) -> list[str]:
    """How the question's tolerance misfits the precision its prompt states (empty when it fits or states none)."""
    precision = stated_precision(question.prompt)
    if precision is None:
        return []
    values = [(f"mistakes[{n}]", m.misconception, m.value) for n, m in enumerate(question.mistakes, start=1)]
    return tolerance_problems(question.accepted, precision, values)


def tolerance_problems(
    accepted: Tolerance, precision: Precision, mistakes: Sequence[tuple[str, str | None, float]]
) -> list[str]:
    """What misfits: the answer written at ``precision`` rejected, or a mistake (label, misconception, value) accepted.

    A problem about a mistake starts with its label and a colon.
    """
    if precision.digits > 15:
        return [f"asks for {precision}; a float has at most 15 reliable digits"]
    if precision.kind == "significant" and precision.digits < 1:  # every number would read "0"
        return [f"asks for {precision}; ask for 1 or more"]
    problems = []
    low, high = accepted.bounds()
    where = f"the tolerance ({fmt(low)} to {fmt(high)})"
    for written in precision.written(accepted.answer):
        if not accepted.accepts(written):
            problems.append(
                f"the prompt asks for {precision}, but {where} rejects {fmt(written)}, the answer written that "
                "way; widen the tolerance"
            )
            break
    for label, misconception, value in mistakes:
        slack = 1e-9 * max(1.0, abs(accepted.answer))  # as Tolerance.accepts allows
        if abs(value - accepted.answer) > (high - low) / 2 + precision.most_rounding(value) * 1.001 + slack:
            continue  # too far for any way of writing it to land in range: skip the exact rounding
        for written in (value, *precision.written(value)):
            if accepted.accepts(written):
                named = f" ({misconception})" if misconception else ""
                shown = "" if written == value else f", written to {precision}, is {fmt(written)}"
                problems.append(
                    f"{label}: the mistake{named} {fmt(value)}{shown}, which {where} accepts; tighten the "
                    "tolerance or ask for more digits"
                )
                break
    return problems


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def decimal_text(number: Decimal, *, style: Literal["plain", "unicode"] = "plain") -> str:
    """A Decimal as a person writes it: positional between 10⁻⁴ and 10⁶ (and an integer given in full), else scientific.

    The digits kept are the Decimal's own (``0.0600`` stays ``0.0600``). ``plain`` writes
    ``3.66e-5`` (what a student types, and what Moodle and GIFT read); ``unicode`` writes
    ``3.66 × 10⁻⁵`` (for reading).
    """
    if number.is_zero():
        return f"{number:f}".lstrip("-")
    exponent = number.adjusted()
    if -4 <= exponent < 6 or (number.as_tuple().exponent == 0 and exponent < 15):
        return f"{number:f}"  # an integer written in full stays so: 1048576, but 1.05 × 10⁶
    sign, digits, _ = number.as_tuple()
    mantissa = "".join(map(str, digits))
    text = mantissa[0] + ("." + mantissa[1:] if len(mantissa) > 1 else "")
    text = ("-" if sign else "") + text
    if style == "unicode":
        return f"{text} × 10{str(exponent).translate(_SUPERSCRIPT)}"
    return f"{text}e{exponent}"


def _quantum(value: float, precision: Precision) -> Decimal | None:
    """The last written digit's unit at ``precision`` for a number of ``value``'s size (None: exact)."""
    if precision.kind == "exact" or value == 0 or not math.isfinite(value):
        return None
    if precision.kind == "significant":
        number = Decimal(repr(value))
        quantum = Decimal(1).scaleb(number.adjusted() - precision.digits + 1)
        if number.quantize(quantum, rounding=ROUND_HALF_UP).adjusted() > number.adjusted():
            quantum = quantum.scaleb(1)  # 0.09996 rounds up to 0.100, three figures, not 0.1000
        return quantum
    return Decimal(1).scaleb(-precision.digits if precision.kind == "decimals" else 0)


def written_as_asked(value: float, precision: Precision | None) -> Decimal:
    """``value`` rounded (half up) to ``precision``; its shortest exact form when none or exact is asked."""
    number = Decimal(repr(float(value)))
    quantum = None if precision is None else _quantum(value, precision)
    if quantum is None:
        return number.normalize() if number == number.to_integral_value() else Decimal(fmt(value))
    return number.quantize(quantum, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Marking:
    """What a marker needs for a numeric question: the answer as the prompt asks for it, and the
    range of answers written that way that are accepted (None when only the answer itself is)."""

    answer: Decimal
    low: Decimal | None
    high: Decimal | None
    precision: Precision | None

    def text(self, style: Literal["plain", "unicode"] = "unicode") -> str:
        """``0.0604 (accept 0.0601 to 0.0607)``; just the answer when nothing else is accepted."""
        shown = decimal_text(self.answer, style=style)
        if self.low is None or self.high is None or self.low == self.high:
            return shown
        return f"{shown} (accept {decimal_text(self.low, style=style)} to {decimal_text(self.high, style=style)})"

    def __str__(self) -> str:
        return self.text()


def marking(question: NumericQuestion) -> Marking:
    """The answer written as the prompt asks (3 significant figures: ``0.0604``), and the accepted range
    written the same way, rounded inwards so that every value in it is accepted."""
    precision = stated_precision(question.prompt)
    answer = written_as_asked(question.answer, precision)
    low, high = question.bounds()
    if (precision is not None and precision.kind in ("exact", "integer")) or high - low <= 2e-6 * abs(
        question.answer
    ):
        return Marking(answer, None, None, precision)  # no tolerance beyond float rounding: the answer itself
    quantum = None if precision is None else _quantum(question.answer, precision)
    if quantum is None:  # no stated digits: the bounds to 6 significant figures, rounded inwards
        low_q = Decimal(fmt(low))
        high_q = Decimal(fmt(high))
        low_q = low_q if question.accepts(float(low_q)) else Decimal(repr(low))
        high_q = high_q if question.accepts(float(high_q)) else Decimal(repr(high))
    else:
        low_q = Decimal(repr(low)).quantize(quantum, rounding=ROUND_CEILING)
        high_q = Decimal(repr(high)).quantize(quantum, rounding=ROUND_FLOOR)
        if low_q > high_q:
            return Marking(answer, None, None, precision)
    return Marking(answer, low_q, high_q, precision)


_EXAMPLE_DIGITS = "123456789012345"


def example_number(precision: Precision) -> str:
    """A made-up number written at ``precision`` (never the answer): ``0.0123 or 1.23e-2`` for 3
    significant figures, ``3.14`` for 2 decimal places; the forms a student may type."""
    if precision.kind == "significant":
        mantissa = _EXAMPLE_DIGITS[: max(1, precision.digits)]
        scientific = mantissa[0] + ("." + mantissa[1:] if len(mantissa) > 1 else "")
        return f"0.0{mantissa} or {scientific}e-2"
    if precision.kind == "decimals":
        return "3" + ("." + "14159265358979"[: precision.digits] if precision.digits else "")
    if precision.kind == "integer":
        return "10"
    return "1/12 or 0.35"


def answer_form(precision: Precision | None, *, integer: bool = False) -> str:
    """What to type, said before the student answers: ``a number to 3 significant figures (e.g.
    0.0123 or 1.23e-2)``; ``a whole number (e.g. 10)`` for an integer question."""
    if integer or (precision is not None and precision.kind == "integer"):
        return "a whole number (e.g. 10)"
    if precision is None:
        return "a number (e.g. 0.35, 1/12 or 5e-2)"
    if precision.kind == "exact":
        return "the exact value (e.g. 1/12 or 0.35; a fraction is fine)"
    return f"a number to {precision} (e.g. {example_number(precision)})"
