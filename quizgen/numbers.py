"""How numbers are written for people: in prompts, options, answers and explanations.

`fmt` writes a parameter or an exact value (up to 6 significant digits, ``3.66e-5`` beyond
10⁻⁴): its output is read back by other modules and must not change. The functions below write
a computed number as a person would in a question (issue 13): to a stated number of significant
figures (``0.0442``, not ``0.0441942``), never with float noise, and never with an ``e`` exponent
in prose: a very small or large number is ``3.66 × 10⁻⁵`` in plain text (``style="unicode"``),
``3.66 \\times 10^{-5}`` inside ``$...$`` maths (``style="latex"``), ``3.66e-5`` where a program
reads it (``style="plain"``).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

Style = Literal["plain", "unicode", "latex"]

OPTION_FIGURES = 3
"""Numeric options of a choice question show 3 significant figures (the chapter's convention), more
only when two options would otherwise read alike."""
SCIENTIFIC_BELOW = -4
SCIENTIFIC_FROM = 6
"""Numbers below 10⁻⁴ or from 10⁶ on are written in scientific notation."""
CACHED = 4096
"""Texts `approx` and `as_asked` remember: generators write the same values again and again (2/n_in
for the typical layer sizes), and generation is benchmarked."""


def fmt(value: float) -> str:
    """A number as a student reads it: up to 6 significant digits, no float artefacts."""
    if isinstance(value, int) or (float(value).is_integer() and abs(value) < 1e15):
        return str(int(value))
    text = f"{value:.6g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return f"{mantissa}e{int(exponent)}"
    return text


def rounded(value: float, figures: int) -> Decimal:
    """``value`` to ``figures`` significant figures, rounded half up from its shortest decimal form
    (as `precision.written_as_asked` rounds): ``0.0441942 → 0.0442``, ``0.004 → 0.00400``,
    ``0.09996 → 0.100``."""
    number = Decimal(repr(float(value)))
    if not number or not number.is_finite():
        return number
    exponent = number.adjusted() - figures + 1
    result = number.quantize(_quantum(exponent), rounding=ROUND_HALF_UP)
    if result.adjusted() > number.adjusted():  # rounded up to the next power of ten: one digit fewer
        result = result.quantize(_quantum(exponent + 1), rounding=ROUND_HALF_UP)
    return result


_QUANTA: dict[int, Decimal] = {}


def _quantum(exponent: int) -> Decimal:
    quantum = _QUANTA.get(exponent)
    if quantum is None:
        quantum = _QUANTA[exponent] = Decimal(1).scaleb(exponent)
    return quantum


_MILLION = float(10**SCIENTIFIC_FROM)
_APPROX = ("≈", "\\approx")
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def decimal_text(number: Decimal, style: Style = "unicode") -> str:
    """A Decimal written with exactly its digits (``0.0400`` stays ``0.0400``): positional between
    10⁻⁴ and 10⁶, scientific outside (``3.66 × 10⁻⁵``, ``3.66 \\times 10^{-5}`` or ``3.66e-5``)."""
    if number.is_zero():
        return "0"
    if not number.is_finite():
        return str(number)
    exponent = number.adjusted()
    if SCIENTIFIC_BELOW <= exponent < SCIENTIFIC_FROM:
        return f"{number:f}"
    sign, digits, _ = number.as_tuple()
    mantissa = "".join(map(str, digits))
    text = mantissa[0] + ("." + mantissa[1:] if len(mantissa) > 1 else "")
    if style == "latex":
        return f"{'-' if sign else ''}{text} \\times 10^{{{exponent}}}"
    if style == "unicode":
        return f"{'-' if sign else ''}{text} × 10{str(exponent).translate(_SUPERSCRIPT)}"
    return f"{'-' if sign else ''}{text}e{exponent}"


def _digits(value: float) -> tuple[str, str, int]:
    """(sign, significant digits, power of ten of the first digit) of ``value``'s shortest decimal form
    (``repr``): 0.0441941738241592 is ("", "441941738241592", -2). ``value`` is finite and not 0."""
    text = repr(value)
    sign = ""
    if text[0] == "-":
        sign, text = "-", text[1:]
    mantissa, _, power = text.partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = whole + fraction
    significant = digits.lstrip("0")
    first = (int(power) if power else 0) + len(whole) - 1 - (len(digits) - len(significant))
    return sign, significant.rstrip("0"), first


def _written(sign: str, digits: str, first: int, style: Style) -> str:
    """The number ``0.digits × 10^(first + 1)`` written with all of ``digits`` (as `decimal_text`).

    Only called where Python's ``g`` format chose an exponent: ``first`` is below -4 (scientific
    here too), or at least the count of ``digits`` less one (a whole number: digits, then zeros).
    """
    if first < SCIENTIFIC_BELOW or first >= SCIENTIFIC_FROM:
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        if style == "latex":
            return f"{sign}{mantissa} \\times 10^{{{first}}}"
        if style == "unicode":
            return f"{sign}{mantissa} × 10{_superscript(first)}"
        return f"{sign}{mantissa}e{first}"
    return f"{sign}{digits}{'0' * (first - len(digits) + 1)}"


@functools.cache
def _superscript(power: int) -> str:
    return str(power).translate(_SUPERSCRIPT)


def _rounded_text(value: float, figures: int, style: Style) -> tuple[str, bool]:
    """(``value`` written to ``figures`` significant figures, whether that is ``value`` exactly).

    The text of ``decimal_text(rounded(value, figures), style)``, made quickly (generation is
    benchmarked): float formatting rounds the binary value correctly, which is rounding its shortest
    decimal form half up unless that form is itself a tie (``figures + 1`` digits ending in 5, as
    0.0078125 to 4 figures), left to `rounded`. ``figures + 1`` digits that end in 0 and read back
    as the value say that it has at most ``figures`` (its shortest form is unique at that length).
    """
    if value and figures > 0 and value - value == 0:  # not 0, inf or nan
        longer = f"{value:.{figures}e}"
        last = longer[figures + 1 + (value < 0)]
        exact = False
        if (last == "0" or last == "5") and float(longer) == value:
            if last == "5":  # a tie
                return decimal_text(rounded(value, figures), style), False
            exact = True
        text = f"{value:#.{figures}g}"  # trailing zeros kept; positional from 10⁻⁴ to 10^figures
        if "e" not in text:
            return (text[:-1] if text[-1] == "." else text), exact
        mantissa, _, power = text.partition("e")
        return _written(
            "-" if value < 0 else "", mantissa.lstrip("-").replace(".", ""), int(power), style
        ), exact
    return decimal_text(rounded(value, figures), style), True


def significant(value: float, figures: int = OPTION_FIGURES, style: Style = "unicode") -> str:
    """``value`` written to ``figures`` significant figures: ``0.0442``, ``0.00400``, ``3.66 × 10⁻⁵``
    (the text of ``decimal_text(rounded(value, figures), style)``)."""
    return _rounded_text(float(value), figures, style)[0]


@functools.lru_cache(maxsize=CACHED)
def approx(value: float, figures: int = OPTION_FIGURES, style: Style = "unicode") -> str:
    """``= 0.004`` when the value is short enough to write exactly (at most ``figures`` significant
    digits, or an integer below 10⁶), else ``≈ 0.0442`` (``\\approx`` in LaTeX): what follows a
    worked expression."""
    value = float(value)
    if value.is_integer() and -_MILLION < value < _MILLION:
        return f"= {int(value)}"
    text, exact = _rounded_text(value, figures, style)
    if not exact:
        return f"{_APPROX[style == 'latex']} {text}"
    if value - value != 0:
        return f"= {value}"
    short = f"{value:.{figures}g}"  # trailing zeros dropped
    return f"= {_written(*_digits(value), style) if 'e' in short else short}"


def short(value: float, figures: int = OPTION_FIGURES, style: Style = "unicode") -> str:
    """``value`` written exactly when that is short (as `approx` decides), else to ``figures``
    significant figures: ``0.5``, ``0.943``, ``1024``, ``1.05 × 10⁶``."""
    return approx(value, figures, style).partition(" ")[2]


@functools.lru_cache(maxsize=CACHED)
def as_asked(value: float, figures: int, style: Style = "unicode") -> str:
    """The final answer of a question that asks for ``figures`` significant figures, as the key writes
    it: ``= 0.00400`` when that is the value exactly, else ``≈ 0.0604``."""
    text, exact = _rounded_text(float(value), figures, style)
    return f"{'=' if exact else _APPROX[style == 'latex']} {text}"


def option_figures(values: Sequence[float], figures: int = OPTION_FIGURES) -> int:
    """The fewest significant figures, ``figures`` or more, at which the values all read differently."""
    for count in range(figures, 17):
        shown = {rounded(v, count) for v in values}
        if len(shown) == len(values):
            return count
    return 17


def option_texts(
    values: Sequence[float], figures: int = OPTION_FIGURES, style: Style = "unicode"
) -> list[str]:
    """The options' texts for these values: all at the same number of significant figures, ``figures``
    unless more are needed for every option to read differently."""
    count = option_figures(values, figures)
    return [significant(v, count, style) for v in values]
