"""Numbers in generated questions are written as a person would (issue 13, items 5, 8 and 14).

Every generator (built-in and bank template) is run over hundreds of variants, and every text a
student or a lecturer reads is checked: options that are numbers show 3 significant figures (more
only when two options would otherwise read alike, all options of a question alike), each rounds
the value it stands for, explanations and feedback write computed numbers to the precision the
prompt asks (or 3-4 significant figures), with no ``e`` exponent in prose and no float noise, and
the explanation states the number the key gives (``precision.marking``).

The checks read the texts with tests/oracles.py's reader and round with Python's own ``format``:
nothing here calls quizgen's number writer except the tests of that writer itself, whose expected
texts are written out.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizgen import ChoiceQuestion, NumericQuestion, Question
from quizgen.numbers import approx, as_asked, decimal_text, fmt, option_texts, rounded, short, significant
from quizgen.precision import marking, stated_precision

from .oracles import BANK, numbers_in, only_number, reads_as

GENERATORS = sorted(BANK.generators)
VARIANTS = 300
"""Variants checked per generator and session seed (all of them when a generator has fewer)."""
WORKING_FIGURES = 4
"""The most significant figures a computed number may show where the prompt asks for no more."""
E_EXPONENT = re.compile(r"\d[eE][-+]?\d")


def _variants(generator_id: str) -> Iterator[Question]:
    generator = BANK.generator(generator_id)
    count = min(VARIANTS, generator.space_size or VARIANTS)
    for seed in (1, 13):
        yield from generator.variants(count, seed)


def _texts(question: Question) -> Iterator[tuple[str, str]]:
    """(field, text) of every text that shows numbers, code spans left out."""
    fields = [
        ("prompt", question.prompt),
        ("explanation", question.explanation or ""),
        ("hint", question.hint or ""),
    ]
    for number, option in enumerate(getattr(question, "options", ()), start=1):
        fields.append((f"options[{number}].text", option.text))
        fields.append((f"options[{number}].feedback", option.feedback or ""))
    for number, mistake in enumerate(getattr(question, "mistakes", ()), start=1):
        fields.append((f"mistakes[{number}].feedback", mistake.feedback or ""))
    for field, text in fields:
        yield field, re.sub(r"`[^`]*`", "", text)


def _three_figures(value: float, figures: int = 3) -> Decimal:
    """``value`` rounded to ``figures`` significant figures by Python's float formatting."""
    return Decimal(format(value, f".{figures - 1}e"))


def _exact(value: float) -> Decimal:
    return Decimal(repr(float(value)))


def _given(question: Question) -> set[Decimal]:
    """The numbers a question is given (its parameters, the numbers of its prompt) and their squares:
    written exactly wherever they appear (the gain-depth bug's 1.05 makes a variance factor 1.1025)."""
    given: set[Decimal] = set()
    for value in (question.params or {}).values():
        if isinstance(value, int | float) and not isinstance(value, bool):
            given.add(_exact(value))
    given.update(shown.value for shown in numbers_in(question.prompt))
    return given | {value * value for value in given}


def _allowed_figures(question: Question) -> int:
    precision = stated_precision(question.prompt) if isinstance(question, NumericQuestion) else None
    if precision is not None and precision.kind == "significant":
        return max(WORKING_FIGURES, precision.digits)
    return WORKING_FIGURES


# -- the writer, with its texts written out -------------------------------------------------


@pytest.mark.parametrize(
    ("value", "figures", "unicode", "latex", "plain"),
    [
        (0.0441941738, 3, "0.0442", "0.0442", "0.0442"),
        (0.004, 3, "0.00400", "0.00400", "0.00400"),  # trailing zeros are significant figures
        (0.09996, 3, "0.100", "0.100", "0.100"),  # rounds up to a power of ten: still 3 figures
        (3.65616e-5, 3, "3.66 × 10⁻⁵", "3.66 \\times 10^{-5}", "3.66e-5"),
        (1048576.0, 3, "1.05 × 10⁶", "1.05 \\times 10^{6}", "1.05e6"),
        (192216.8, 3, "192000", "192000", "192000"),
        (38.3376, 3, "38.3", "38.3", "38.3"),
        (0.0078125, 4, "0.007813", "0.007813", "0.007813"),  # a tie: half up, as precision.marking rounds
        (0.0445, 2, "0.045", "0.045", "0.045"),  # 0.0445 is a tie as written, whatever its binary value
        (0.000123456, 3, "0.000123", "0.000123", "0.000123"),
        (-0.0441941738, 3, "-0.0442", "-0.0442", "-0.0442"),
        (0.0, 3, "0", "0", "0"),
    ],
)
def test_significant_writes_these_texts(
    value: float, figures: int, unicode: str, latex: str, plain: str
) -> None:
    assert significant(value, figures) == unicode
    assert significant(value, figures, "latex") == latex
    assert significant(value, figures, "plain") == plain
    assert decimal_text(rounded(value, figures), "unicode") == unicode


@pytest.mark.parametrize(
    ("value", "figures", "unicode", "latex"),
    [
        (0.0441941738, 3, "≈ 0.0442", "\\approx 0.0442"),
        (0.004, 3, "= 0.004", "= 0.004"),  # exact: written as it is
        (0.1, 3, "= 0.1", "= 0.1"),
        (0.0078125, 3, "≈ 0.00781", "\\approx 0.00781"),  # exact, but longer than 3 figures
        (1024.0, 3, "= 1024", "= 1024"),  # a whole number below a million is written out
        (1048576.0, 3, "≈ 1.05 × 10⁶", "\\approx 1.05 \\times 10^{6}"),
        (1e-5, 3, "= 1 × 10⁻⁵", "= 1 \\times 10^{-5}"),
        (8.881784197001252e-16, 3, "≈ 8.88 × 10⁻¹⁶", "\\approx 8.88 \\times 10^{-16}"),
        (1.1025000000000003, 4, "≈ 1.103", "\\approx 1.103"),  # float noise is never shown
    ],
)
def test_approx_and_short_write_these_texts(value: float, figures: int, unicode: str, latex: str) -> None:
    assert approx(value, figures) == unicode
    assert approx(value, figures, "latex") == latex
    assert short(value, figures) == unicode.split(" ", 1)[1]
    assert short(value, figures, "latex") == latex.split(" ", 1)[1]


def test_as_asked_writes_the_answer_to_the_figures_asked() -> None:
    assert as_asked(0.0604122, 3) == "≈ 0.0604"
    assert as_asked(0.004, 3) == "= 0.00400"  # as the key writes it (precision.marking)
    assert as_asked(3.65616e-5, 3, "latex") == "\\approx 3.66 \\times 10^{-5}"
    assert as_asked(0.025, 3) == "= 0.0250"


def test_option_texts_add_figures_only_when_two_options_would_read_alike() -> None:
    assert option_texts([0.0441942, 0.0765466, 0.125, 0.0416667]) == ["0.0442", "0.0765", "0.125", "0.0417"]
    assert option_texts([0.10012, 0.10024, 0.5]) == ["0.1001", "0.1002", "0.5000"]
    assert option_texts([3.65616e-5, 0.25]) == ["3.66 × 10⁻⁵", "0.250"]


def test_fmt_keeps_its_contract() -> None:
    """Other modules read fmt's text back (precision.py, textview, worksheets): unchanged by issue 13."""
    assert [fmt(v) for v in (0.0441941738, 3.65616e-5, 2.0, 1048576.0, 0.1 + 0.2)] == [
        "0.0441942",
        "3.65616e-5",
        "2",
        "1048576",
        "0.3",
    ]


@given(
    st.floats(min_value=1e-12, max_value=1e12, allow_nan=False, allow_infinity=False),
    st.integers(min_value=1, max_value=8),
    st.booleans(),
)
def test_significant_rounds_as_python_does_except_that_a_written_tie_goes_up(
    value: float, figures: int, negative: bool
) -> None:
    value = -value if negative else value
    shown = only_number(significant(value, figures))
    assert shown is not None, significant(value, figures)
    assert shown.figures == figures or (shown.whole and shown.figures < figures), (value, figures, shown)
    expected = _three_figures(value, figures)
    if shown.value != expected:  # only a tie as the value is written (0.0445 to 2 figures) differs
        written = _exact(value)
        unit = Decimal(1).scaleb(written.adjusted() - figures + 1)
        assert shown.value == written.quantize(unit, rounding=ROUND_HALF_UP)
        assert abs(written - expected) == unit / 2


# -- every generator's texts ----------------------------------------------------------------


@pytest.mark.parametrize("generator_id", GENERATORS)
def test_no_e_exponent_and_no_float_noise_in_any_text(generator_id: str) -> None:
    for question in _variants(generator_id):
        allowed = _allowed_figures(question)
        given = _given(question)
        for field, text in _texts(question):
            assert not E_EXPONENT.search(text), (question.id, field, text)
            if field in ("prompt", "hint"):
                continue  # the question's own givens
            for shown in numbers_in(text):
                if shown.whole:
                    continue  # a whole number is exact (a count, a parameter, 2^10 = 1024)
                if shown.value in given:
                    continue
                assert shown.figures <= allowed, (question.id, field, shown.text, text)


@pytest.mark.parametrize("generator_id", GENERATORS)
def test_numeric_options_show_three_figures_that_round_their_values(generator_id: str) -> None:
    for question in _variants(generator_id):
        if not isinstance(question, ChoiceQuestion):
            continue
        texts = [" ".join(o.text.split()).casefold() for o in question.options]
        assert len(set(texts)) == len(texts), question.id
        shown = [(option, only_number(option.text)) for option in question.options]
        numeric = [(option, number) for option, number in shown if number is not None]
        if not numeric:
            continue
        assert len(numeric) == len(shown), (question.id, texts)  # all numbers, or none
        count = max(number.figures for _, number in numeric)  # every option at the same figures
        assert all(n.figures == count or (n.whole and n.figures < count) for _, n in numeric), texts  # 192000
        values = [option.value for option, _ in numeric]
        assert all(value is not None for value in values)
        at_three = {_three_figures(value) for value in values if value is not None}
        assert count == 3 or len(at_three) < len(values), (question.id, texts)
        for option, _ in numeric:
            assert option.value is not None and reads_as(option.text, option.value), (question.id, option)


@pytest.mark.parametrize("generator_id", GENERATORS)
def test_the_explanation_states_the_number_the_key_gives(generator_id: str) -> None:
    checked = 0
    for question in _variants(generator_id):
        stated = numbers_in(question.explanation or "")
        values = {number.value for number in stated}
        if isinstance(question, NumericQuestion):
            precision = stated_precision(question.prompt)
            key = marking(question)
            assert key.answer in values, (question.id, str(key), question.explanation)
            if precision is not None and precision.kind == "significant":
                low, high = question.bounds()
                for number in stated:  # no unrounded answer besides the one asked for
                    if low <= float(number.value) <= high:
                        assert number.figures <= precision.digits, (question.id, number.text)
            checked += 1
        elif isinstance(question, ChoiceQuestion):
            correct = question.options[question.answer - 1]
            if correct.value is None or not question.explanation:
                continue
            option = only_number(correct.text)
            expected = option.value if option is not None else _three_figures(correct.value)
            if expected not in values and _exact(correct.value) not in values:
                continue  # the explanation does not compute this value (a bank's own words)
            for number in stated:  # whatever it states near the answer is the answer as shown
                if math.isclose(float(number.value), correct.value, rel_tol=0.01):
                    assert number.value in (expected, _exact(correct.value)), (question.id, number.text)
            checked += 1
    generator = BANK.generator(generator_id)
    computes = any(
        isinstance(q, NumericQuestion) or (isinstance(q, ChoiceQuestion) and q.options[q.answer - 1].value)
        for q in generator.variants(min(20, generator.space_size or 20), 1)
    )
    assert checked or not computes, generator_id


@pytest.mark.parametrize("generator_id", GENERATORS)
def test_feedback_writes_an_option_number_as_the_option_shows_it(generator_id: str) -> None:
    for question in _variants(generator_id):
        if not isinstance(question, ChoiceQuestion):
            continue
        for option in question.options:
            shown = only_number(option.text)
            if shown is None or option.value is None or not option.feedback:
                continue
            for number in numbers_in(option.feedback):
                if math.isclose(float(number.value), option.value, rel_tol=0.01):
                    assert number.value in (shown.value, _exact(option.value)), (question.id, option)


def test_the_issue_examples_read_as_a_person_writes_them() -> None:
    """The texts quoted in issue 13: `quizgen generate he-normal --count 3 --seed 3` and its kin."""
    he = BANK.generator("he-normal").variants(3, 3)[0]
    assert isinstance(he, ChoiceQuestion)
    assert [o.text for o in he.options] == ["0.0442", "0.0765", "0.125", "0.0417"]
    assert he.explanation is not None and he.explanation.endswith("= \\sqrt{2/1024} \\approx 0.0442$.")
    assert he.options[1].feedback is not None and he.options[1].feedback.endswith(
        "($\\sqrt{6/1024} \\approx 0.0765$)"
    )
    depth = BANK.generator("depth-scaling").variants(4, 1)[0]
    assert isinstance(depth, NumericQuestion)
    assert "$r^L = 0.6^{20} \\approx 3.66 \\times 10^{-5}$" in (depth.explanation or "")
    assert str(marking(depth)) == "3.66 × 10⁻⁵ (accept 3.64 × 10⁻⁵ to 3.67 × 10⁻⁵)"
