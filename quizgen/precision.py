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
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
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
