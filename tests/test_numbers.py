"""quizgen.numbers, function by function, with every expected text written out by hand.

`fmt` is a contract other modules read back (precision.py, textview, worksheets): up to 6
significant digits, an integer written as one (below 10¹⁵), ``e`` with no ``+`` and no leading
zero in the exponent. The other writers follow their docstrings: significant figures rounded
half up from the shortest decimal form, ``=`` for an exact value and ``≈`` (``\\approx`` in LaTeX)
for a rounded one, positional from 10⁻⁴ up to 10⁶, scientific outside. Each expectation below is
worked out from those rules, never computed by the module; tests/test_number_display.py checks
the generators' texts.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from quizgen import numbers
from quizgen.numbers import (
    approx,
    as_asked,
    decimal_text,
    fmt,
    option_figures,
    option_texts,
    rounded,
    short,
    significant,
)

# -- fmt ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # integers, and floats that are whole numbers below 10**15, are written as integers
        (3, "3"),
        (-7, "-7"),
        (0, "0"),
        (1234567, "1234567"),  # an int keeps all its digits, not 6 significant ones
        (10**20, "100000000000000000000"),
        (2.0, "2"),
        (-2.0, "-2"),
        (0.0, "0"),
        (-0.0, "0"),
        (1234567.0, "1234567"),
        (1e6, "1000000"),
        (999999999999999.0, "999999999999999"),  # the largest whole float below 10**15 written out
        # from 10**15 on a whole float is written as any float: 6 significant digits
        (1e15, "1e15"),
        (-1e15, "-1e15"),
        (1.5e15, "1.5e15"),
        (1e100, "1e100"),
        # up to 6 significant digits, trailing zeros dropped
        (2.5, "2.5"),
        (-0.5, "-0.5"),
        (123.456789, "123.457"),
        (0.1 + 0.2, "0.3"),  # 0.30000000000000004: no float noise
        (1.0000001, "1"),
        (123456.7, "123457"),
        (1234567.5, "1.23457e6"),  # not whole, and 7 digits before the point: scientific
        # positional down to 10**-4, scientific below: no '+', no leading zero in the exponent
        (0.0001, "0.0001"),
        (0.00012345678, "0.000123457"),
        (1e-5, "1e-5"),
        (-1e-5, "-1e-5"),
        (3.65616e-5, "3.65616e-5"),
        (1.25e-10, "1.25e-10"),
        (1e-300, "1e-300"),
        # a numpy float is written as the float it is
        (np.float64(2.0), "2"),
        (np.float64(0.25), "0.25"),
    ],
)
def test_fmt(value: float, expected: str) -> None:
    assert fmt(value) == expected


# -- rounded and decimal_text ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "figures", "expected"),
    [
        (0.0441942, 3, "0.0442"),
        (0.004, 3, "0.00400"),  # trailing zeros are kept: they are significant figures
        (0.09996, 3, "0.100"),  # rounds up to the next power of ten: still 3 figures, not 4
        (9.9996, 3, "10.0"),
        # 0.9996 to 3 figures is 1.000 (quantum 10⁻³), one figure too many: re-quantized to 10⁻², "1.00"
        (0.9996, 3, "1.00"),
        (0.0445, 2, "0.045"),  # half up from the written 0.0445, whatever its binary value
        (-0.0445, 2, "-0.045"),  # half up is away from zero
        (0.0078125, 4, "0.007813"),
        (123456.0, 2, "1.2E+5"),
        (0.0, 3, "0.0"),  # zero is returned as it is written
    ],
)
def test_rounded(value: float, figures: int, expected: str) -> None:
    result = rounded(value, figures)
    assert isinstance(result, Decimal)
    assert str(result) == expected


@pytest.mark.parametrize(
    ("number", "unicode", "latex", "plain"),
    [
        ("0", "0", "0", "0"),
        ("-0.000", "0", "0", "0"),
        ("0.0400", "0.0400", "0.0400", "0.0400"),  # exactly its digits
        ("0.0001", "0.0001", "0.0001", "0.0001"),  # 10⁻⁴ is still positional
        ("0.00009", "9 × 10⁻⁵", "9 \\times 10^{-5}", "9e-5"),
        ("-3.66E-5", "-3.66 × 10⁻⁵", "-3.66 \\times 10^{-5}", "-3.66e-5"),
        ("999999", "999999", "999999", "999999"),
        ("1.2E+5", "120000", "120000", "120000"),
        ("1E+6", "1 × 10⁶", "1 \\times 10^{6}", "1e6"),  # 10⁶ is scientific
        ("1.00E+6", "1.00 × 10⁶", "1.00 \\times 10^{6}", "1.00e6"),
        ("-1.5E+12", "-1.5 × 10¹²", "-1.5 \\times 10^{12}", "-1.5e12"),
        ("8.88E-16", "8.88 × 10⁻¹⁶", "8.88 \\times 10^{-16}", "8.88e-16"),
        ("Infinity", "Infinity", "Infinity", "Infinity"),
    ],
)
def test_decimal_text(number: str, unicode: str, latex: str, plain: str) -> None:
    assert decimal_text(Decimal(number)) == unicode
    assert decimal_text(Decimal(number), "unicode") == unicode
    assert decimal_text(Decimal(number), "latex") == latex
    assert decimal_text(Decimal(number), "plain") == plain


# -- significant -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "figures", "unicode", "latex", "plain"),
    [
        (0.0441941738, 3, "0.0442", "0.0442", "0.0442"),
        (0.25, 3, "0.250", "0.250", "0.250"),  # exact: padded with zeros to 3 figures
        (-0.25, 3, "-0.250", "-0.250", "-0.250"),
        (2.0, 3, "2.00", "2.00", "2.00"),
        (100.0, 3, "100", "100", "100"),  # no point after the last figure
        (99.96, 3, "100", "100", "100"),
        (1234.5678, 3, "1230", "1230", "1230"),
        (192216.8, 3, "192000", "192000", "192000"),
        (12345.0, 2, "12000", "12000", "12000"),  # 1.2 × 10⁴ written out: three zeros after "12"
        (45678.9, 1, "50000", "50000", "50000"),  # 5 × 10⁴: four zeros after "5"
        (999999.0, 3, "1.00 × 10⁶", "1.00 \\times 10^{6}", "1.00e6"),  # rounds up to 10⁶
        (1048576.0, 3, "1.05 × 10⁶", "1.05 \\times 10^{6}", "1.05e6"),
        (-1048576.0, 3, "-1.05 × 10⁶", "-1.05 \\times 10^{6}", "-1.05e6"),
        (2e6, 3, "2.00 × 10⁶", "2.00 \\times 10^{6}", "2.00e6"),
        # beyond 10⁶ too, not only at it: 12345678 is 1.23 × 10⁷, not 12300000
        (12345678.0, 3, "1.23 × 10⁷", "1.23 \\times 10^{7}", "1.23e7"),
        (0.000123456, 3, "0.000123", "0.000123", "0.000123"),
        (3.65616e-5, 3, "3.66 × 10⁻⁵", "3.66 \\times 10^{-5}", "3.66e-5"),
        (-3.65616e-5, 2, "-3.7 × 10⁻⁵", "-3.7 \\times 10^{-5}", "-3.7e-5"),
        (8.881784197001252e-16, 1, "9 × 10⁻¹⁶", "9 \\times 10^{-16}", "9e-16"),
        # ties as written (figures + 1 digits ending in 5) go up, away from zero
        (0.0445, 2, "0.045", "0.045", "0.045"),
        (-0.0445, 2, "-0.045", "-0.045", "-0.045"),
        (0.0078125, 4, "0.007813", "0.007813", "0.007813"),
        (2.5e-7, 1, "3 × 10⁻⁷", "3 \\times 10^{-7}", "3e-7"),
        (1.25, 2, "1.3", "1.3", "1.3"),
        (0.0, 3, "0", "0", "0"),
    ],
)
def test_significant(value: float, figures: int, unicode: str, latex: str, plain: str) -> None:
    assert significant(value, figures) == unicode
    assert significant(value, figures, "latex") == latex
    assert significant(value, figures, "plain") == plain


def test_significant_writes_three_figures_unless_told_otherwise() -> None:
    assert significant(0.0441941738) == "0.0442"
    assert significant(7) == "7.00"


# -- approx, short and as_asked ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "figures", "unicode", "latex", "plain"),
    [
        # a whole number below 10⁶ (either side of 0) is written out
        (1024.0, 3, "= 1024", "= 1024", "= 1024"),
        (999999.0, 3, "= 999999", "= 999999", "= 999999"),
        (-999999.0, 3, "= -999999", "= -999999", "= -999999"),
        (0.0, 3, "= 0", "= 0", "= 0"),
        # at most `figures` significant digits: written exactly, trailing zeros dropped
        (0.25, 3, "= 0.25", "= 0.25", "= 0.25"),
        (-0.004, 3, "= -0.004", "= -0.004", "= -0.004"),
        (0.125, 3, "= 0.125", "= 0.125", "= 0.125"),
        (1e6, 3, "= 1 × 10⁶", "= 1 \\times 10^{6}", "= 1e6"),  # 10⁶ is scientific
        (-2e6, 3, "= -2 × 10⁶", "= -2 \\times 10^{6}", "= -2e6"),
        (-1e6, 3, "= -1 × 10⁶", "= -1 \\times 10^{6}", "= -1e6"),  # -10⁶ too
        (1.2e7, 3, "= 1.2 × 10⁷", "= 1.2 \\times 10^{7}", "= 1.2e7"),  # beyond 10⁶: not 12000000
        (0.5, 1, "= 0.5", "= 0.5", "= 0.5"),
        (1.5e6, 6, "= 1.5 × 10⁶", "= 1.5 \\times 10^{6}", "= 1.5e6"),  # from 10⁶ on, whatever the figures
        (2.5e-5, 3, "= 2.5 × 10⁻⁵", "= 2.5 \\times 10^{-5}", "= 2.5e-5"),
        (1e-5, 3, "= 1 × 10⁻⁵", "= 1 \\times 10^{-5}", "= 1e-5"),
        # more digits than that: rounded, and said to be
        (0.0441941738, 3, "≈ 0.0442", "\\approx 0.0442", "≈ 0.0442"),
        (0.125, 2, "≈ 0.13", "\\approx 0.13", "≈ 0.13"),  # a tie goes up
        # one digit more than the figures, not a 0 or a 5 (a tie): rounded, so not exact
        (0.0446, 2, "≈ 0.045", "\\approx 0.045", "≈ 0.045"),
        (0.1239, 3, "≈ 0.124", "\\approx 0.124", "≈ 0.124"),
        (8.4606e28, 4, "≈ 8.461 × 10²⁸", "\\approx 8.461 \\times 10^{28}", "≈ 8.461e28"),
        (0.0078125, 3, "≈ 0.00781", "\\approx 0.00781", "≈ 0.00781"),
        (1048576.0, 3, "≈ 1.05 × 10⁶", "\\approx 1.05 \\times 10^{6}", "≈ 1.05e6"),
        (12345678.0, 3, "≈ 1.23 × 10⁷", "\\approx 1.23 \\times 10^{7}", "≈ 1.23e7"),  # not ≈ 12300000
        (-3.65616e-5, 3, "≈ -3.66 × 10⁻⁵", "\\approx -3.66 \\times 10^{-5}", "≈ -3.66e-5"),
        (1.1025000000000003, 4, "≈ 1.103", "\\approx 1.103", "≈ 1.103"),
    ],
)
def test_approx_and_short(value: float, figures: int, unicode: str, latex: str, plain: str) -> None:
    assert approx(value, figures) == unicode
    assert approx(value, figures, "latex") == latex
    assert approx(value, figures, "plain") == plain
    assert short(value, figures) == unicode[2:]
    assert short(value, figures, "latex") == latex.partition(" ")[2]
    assert short(value, figures, "plain") == plain[2:]


def test_approx_and_short_use_three_figures_unless_told_otherwise() -> None:
    assert approx(0.0441941738) == "≈ 0.0442"
    assert approx(0.0045) == "= 0.0045"
    assert approx(0.00453) == "= 0.00453"
    assert approx(0.004531) == "≈ 0.00453"
    assert short(0.004531) == "0.00453"
    assert short(0.5) == "0.5"


@pytest.mark.parametrize(
    ("value", "figures", "unicode", "latex"),
    [
        (0.0604122, 3, "≈ 0.0604", "\\approx 0.0604"),
        (0.004, 3, "= 0.00400", "= 0.00400"),  # exact: as the key writes it, to the figures asked
        (0.25, 3, "= 0.250", "= 0.250"),
        (-0.25, 2, "= -0.25", "= -0.25"),
        (1024.0, 3, "≈ 1020", "\\approx 1020"),  # a whole number is rounded too
        (1000.0, 2, "= 1000", "= 1000"),
        (2e6, 3, "= 2.00 × 10⁶", "= 2.00 \\times 10^{6}"),
        (0.0445, 2, "≈ 0.045", "\\approx 0.045"),  # a tie: rounded, so not exact
        (0.0446, 2, "≈ 0.045", "\\approx 0.045"),  # 3 digits, the last not 0: rounded, not exact
        (0.0440, 2, "= 0.044", "= 0.044"),  # 0.044 to 2 figures is itself
        # 0.0440 to 3 figures, but not 0.044: rounded down (0.04401) or up (0.04399), not exact
        (0.04401, 2, "≈ 0.044", "\\approx 0.044"),
        (0.04399, 2, "≈ 0.044", "\\approx 0.044"),
        (-0.04399, 2, "≈ -0.044", "\\approx -0.044"),
        (3.65616e-5, 3, "≈ 3.66 × 10⁻⁵", "\\approx 3.66 \\times 10^{-5}"),
        (0.125, 1, "≈ 0.1", "\\approx 0.1"),
        (0.5, 1, "= 0.5", "= 0.5"),
        (0.0, 3, "= 0", "= 0"),
    ],
)
def test_as_asked(value: float, figures: int, unicode: str, latex: str) -> None:
    assert as_asked(value, figures) == unicode
    assert as_asked(value, figures, "latex") == latex


def test_as_asked_in_plain_style() -> None:
    assert as_asked(1048576.0, 3, "plain") == "≈ 1.05e6"
    assert as_asked(2e6, 3, "plain") == "= 2.00e6"


# -- option_figures and option_texts -----------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "figures", "expected"),
    [
        ([0.0441942, 0.0765466, 0.125, 0.0416667], 3, 3),
        ([0.10012, 0.10024, 0.5], 3, 4),
        ([0.123451, 0.123452], 3, 6),
        ([0.5, 0.25], 1, 1),  # 0.5 and 0.3
        ([0.12, 0.13], 1, 2),  # 0.1 and 0.1 at one figure
        ([0.1, 0.1000000000000001], 3, 16),  # alike to 15 figures, distinct at the 16th
        ([1.0, 1.0000000000000002], 3, 17),  # the two floats next to each other
        ([0.5, 0.5], 3, 17),  # never distinct: the most a float has
    ],
)
def test_option_figures(values: list[float], figures: int, expected: int) -> None:
    assert option_figures(values, figures) == expected


def test_option_figures_counts_more_than_256_options() -> None:
    # 1, 2, ..., 300 all read differently at 3 figures (none has more than 3 digits): the count of
    # distinct texts is compared with the count of values by value, whatever their size
    assert option_figures([float(n) for n in range(1, 301)]) == 3


def test_option_figures_starts_at_three() -> None:
    assert option_figures([0.5, 0.25]) == 3


def test_option_texts() -> None:
    assert option_texts([0.0441942, 0.0765466, 0.125, 0.0416667]) == ["0.0442", "0.0765", "0.125", "0.0417"]
    assert option_texts([0.10012, 0.10024, 0.5]) == ["0.1001", "0.1002", "0.5000"]
    assert option_texts([0.12, 0.13], 1) == ["0.12", "0.13"]
    assert option_texts([3.65616e-5, 1048576.0], 2, "latex") == ["3.7 \\times 10^{-5}", "1.0 \\times 10^{6}"]
    assert option_texts([3.65616e-5, 1048576.0], 2, "plain") == ["3.7e-5", "1.0e6"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # (sign, significant digits, power of ten of the first digit) of the shortest decimal form
        (0.0441941738241592, ("", "441941738241592", -2)),  # two zeros after the point
        (0.00012, ("", "12", -4)),  # the smallest positional repr: three zeros
        (-1234.5, ("-", "12345", 3)),
        (100.0, ("", "1", 2)),  # trailing zeros dropped
        (1e-05, ("", "1", -5)),  # repr's exponent form
        (-2.5e-07, ("-", "25", -7)),
        (1.5e16, ("", "15", 16)),
        (7.0, ("", "7", 0)),
    ],
)
def test_digits(value: float, expected: tuple[str, str, int]) -> None:
    assert numbers._digits(value) == expected
