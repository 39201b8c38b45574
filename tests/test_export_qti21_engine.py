"""The QTI 2.1 export's response processing, run by an independent interpreter (``qti21_engine``, written
from the QTI 2.1 specification, not from quizgen) and held to quizgen's own grader on every item of a
``--variants 20`` export: the correct answer, every option, each named mistake, the tolerance's edges and
just beyond them, text in every spelling the grader accepts, and input an engine cannot read.

First the engine itself, on small items written out here, with expected values worked by hand.

What a QTI engine cannot read and quizgen's grader does (fractions, products, decimal commas) is a
documented difference, listed in ``test_documented_differences``: the item says to type a decimal number.

The exact edges of each numeric tolerance have a test of their own: an engine computes ``x ± t`` in doubles,
so the item's width includes the grader's own slack for float rounding (without it, half the exact edges
were refused: 4.8005 - 0.0005 is 4.800000000000001).
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections import Counter
from decimal import Decimal, localcontext
from xml.etree import ElementTree as ET

import pytest

from quizgen import load_banks
from quizgen.exporters import build_export_set, export
from quizgen.exporters.qti21 import item_xml
from quizgen.grading import InvalidAnswer, grade
from quizgen.models import (
    ChoiceQuestion,
    IntegerQuestion,
    MultiQuestion,
    NumericQuestion,
    Question,
    TextQuestion,
    TrueFalseQuestion,
)

from .qti21_engine import QTI, Value, candidate_response, plain, run, shown_feedback, xsd_regex

QTI_NS = QTI.strip("{}")

# -- the engine, on items written out here ------------------------------------------------------


def _item(declarations: str, processing: str, feedback: str = "", body: str = "") -> ET.Element:
    return ET.fromstring(
        f'<assessmentItem xmlns="{QTI_NS}" identifier="t" title="t" adaptive="false" timeDependent="false">'
        f"{declarations}<itemBody>{body}</itemBody>"
        f"<responseProcessing>{processing}</responseProcessing>{feedback}</assessmentItem>"
    )


def _entry(base: str, correct: str = "") -> str:
    value = f"<correctResponse><value>{correct}</value></correctResponse>" if correct else ""
    return (
        f'<responseDeclaration identifier="RESPONSE" cardinality="single" baseType="{base}">{value}'
        "</responseDeclaration>"
    )


ENTRY_BODY = '<p><textEntryInteraction responseIdentifier="RESPONSE"/></p>'
RESULT = '<outcomeDeclaration identifier="RESULT" cardinality="single" baseType="boolean"/>'
RESPONSE = '<variable identifier="RESPONSE"/>'


def _result(
    declaration: str, expression: str, typed: str | list[str] | None, body: str = ENTRY_BODY
) -> object:
    """RESULT := expression, for a candidate who did ``typed``: True, False or None (NULL)."""
    item = _item(
        declaration + RESULT,
        f'<setOutcomeValue identifier="RESULT">{expression}</setOutcomeValue>',
        body=body,
    )
    return plain(run(item, {"RESPONSE": candidate_response(item, typed)})["RESULT"])


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("0.5", 0.5),
        (" 0.5\t", 0.5),  # XML Schema whitespace collapse
        (".5", 0.5),
        ("5.", 5.0),
        ("+1e3", 1000.0),
        ("-1E-2", -0.01),
        ("007", 7.0),
        ("INF", math.inf),
        ("-INF", -math.inf),
        ("", None),
        ("   ", None),
        ("0,5", None),
        ("1/2", None),
        ("abc", None),
        ("1 000", None),
        ("1_000", None),
        ("1e", None),
        ("e3", None),
        (".", None),
        ("+", None),
        ("inf", None),
        ("Infinity", None),
        ("+INF", None),  # XML Schema 1.0 has no +INF
        ("0x10", None),
        ("\u0661", None),  # an Arabic-Indic digit: xsd:double takes ASCII digits only
        ("\u00a00.5", None),  # a no-break space is not XML Schema whitespace
        ("5\u00d710\u207b\u00b2", None),
    ],
)
def test_float_response_is_xsd_double(typed: str, expected: float | None) -> None:
    item = _item(_entry("float"), "", body=ENTRY_BODY)
    assert plain(candidate_response(item, typed)) == expected


def test_nan_is_a_float_response() -> None:
    item = _item(_entry("float"), "", body=ENTRY_BODY)
    value = candidate_response(item, "NaN")
    assert value is not None and math.isnan(value.data)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12", 12),
        (" 12 ", 12),
        ("+7", 7),
        ("-0", 0),
        ("0012", 12),
        ("2147483647", 2147483647),
        ("-2147483648", -2147483648),
        ("2147483648", None),  # beyond xsd:int
        ("-2147483649", None),
        ("1.5", None),
        ("10.0", None),
        ("1e3", None),
        ("1,000", None),
        ("abc", None),
        ("", None),
    ],
)
def test_integer_response_is_xsd_int(typed: str, expected: int | None) -> None:
    item = _item(_entry("integer"), "", body=ENTRY_BODY)
    assert plain(candidate_response(item, typed)) == expected


def test_string_response_is_as_typed_and_empty_is_null() -> None:
    item = _item(_entry("string"), "", body=ENTRY_BODY)
    assert candidate_response(item, "") is None
    assert candidate_response(item, None) is None
    assert plain(candidate_response(item, "  Ab c ")) == "  Ab c "
    assert plain(candidate_response(item, " ")) == " "


CHOICES = (
    '<choiceInteraction responseIdentifier="RESPONSE" maxChoices="{most}">'
    '<simpleChoice identifier="A">a</simpleChoice><simpleChoice identifier="B">b</simpleChoice>'
    '<simpleChoice identifier="C">c</simpleChoice></choiceInteraction>'
)


def _choice_declaration(cardinality: str, *correct: str) -> str:
    values = "".join(f"<value>{c}</value>" for c in correct)
    return (
        f'<responseDeclaration identifier="RESPONSE" cardinality="{cardinality}" baseType="identifier">'
        f"<correctResponse>{values}</correctResponse></responseDeclaration>"
    )


def test_choice_responses() -> None:
    single = _item(_choice_declaration("single", "B"), "", body=CHOICES.format(most=1))
    assert candidate_response(single, None) is None
    assert candidate_response(single, "A") == Value("identifier", "single", "A")
    with pytest.raises(ValueError, match="cannot choose"):
        candidate_response(single, "D")
    with pytest.raises(ValueError, match="maxChoices=1"):
        candidate_response(single, ["A", "B"])
    multiple = _item(_choice_declaration("multiple", "A", "B"), "", body=CHOICES.format(most=0))
    assert candidate_response(multiple, []) is None  # an empty container is NULL
    assert candidate_response(multiple, None) is None
    assert plain(candidate_response(multiple, ["C", "A"])) == ("A", "C")


def test_outcome_defaults() -> None:
    item = _item(
        '<outcomeDeclaration identifier="S" cardinality="single" baseType="float"/>'
        '<outcomeDeclaration identifier="N" cardinality="single" baseType="integer"/>'
        '<outcomeDeclaration identifier="M" cardinality="single" baseType="float">'
        "<defaultValue><value>1</value></defaultValue></outcomeDeclaration>"
        '<outcomeDeclaration identifier="F" cardinality="multiple" baseType="identifier"/>'
        '<outcomeDeclaration identifier="G" cardinality="multiple" baseType="identifier">'
        "<defaultValue><value>X</value><value>Y</value></defaultValue></outcomeDeclaration>",
        "",
    )
    outcomes = {k: plain(v) for k, v in run(item, {}).items()}
    assert outcomes == {"S": 0.0, "N": 0, "M": 1.0, "F": None, "G": ("X", "Y")}
    assert isinstance(outcomes["S"], float) and isinstance(outcomes["N"], int)


NULL = '<variable identifier="NOTHING"/>'
TRUE = '<baseValue baseType="boolean">true</baseValue>'
FALSE = '<baseValue baseType="boolean">false</baseValue>'


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        (f"<isNull>{NULL}</isNull>", True),
        (f"<isNull>{TRUE}</isNull>", False),
        (f"<not>{NULL}</not>", None),
        (f"<not>{FALSE}</not>", True),
        (f"<and>{TRUE}{NULL}</and>", None),
        (f"<and>{FALSE}{NULL}</and>", False),
        (f"<and>{TRUE}{TRUE}</and>", True),
        (f"<or>{TRUE}{NULL}</or>", True),
        (f"<or>{FALSE}{NULL}</or>", None),
        (f"<or>{FALSE}{FALSE}</or>", False),
        (f'<match>{NULL}<baseValue baseType="identifier">A</baseValue></match>', None),
        (
            f'<equal toleranceMode="absolute" tolerance="1">{NULL}<baseValue baseType="float">1</baseValue></equal>',
            None,
        ),
        (f'<patternMatch pattern="a">{NULL}</patternMatch>', None),
        (f"<isNull><multiple>{NULL}{NULL}</multiple></isNull>", True),  # all NULL: NULL
        ('<isNull><baseValue baseType="string"></baseValue></isNull>', True),  # the empty string is NULL
    ],
)
def test_null_handling(expression: str, expected: bool | None) -> None:
    declarations = '<outcomeDeclaration identifier="NOTHING" cardinality="single" baseType="identifier"/>'
    item = _item(
        declarations + RESULT, f'<setOutcomeValue identifier="RESULT">{expression}</setOutcomeValue>'
    )
    assert plain(run(item, {})["RESULT"]) == expected


def test_a_null_condition_counts_as_false() -> None:
    item = _item(
        '<outcomeDeclaration identifier="NOTHING" cardinality="single" baseType="boolean"/>'
        '<outcomeDeclaration identifier="BRANCH" cardinality="single" baseType="integer"/>',
        "<responseCondition>"
        f'<responseIf><not>{NULL}</not><setOutcomeValue identifier="BRANCH"><baseValue baseType="integer">1'
        "</baseValue></setOutcomeValue></responseIf>"
        f'<responseElseIf>{TRUE}<setOutcomeValue identifier="BRANCH"><baseValue baseType="integer">2'
        "</baseValue></setOutcomeValue></responseElseIf>"
        f'<responseElseIf>{TRUE}<setOutcomeValue identifier="BRANCH"><baseValue baseType="integer">3'
        "</baseValue></setOutcomeValue></responseElseIf>"
        '<responseElse><setOutcomeValue identifier="BRANCH"><baseValue baseType="integer">4'
        "</baseValue></setOutcomeValue></responseElse>"
        "</responseCondition>",
    )
    assert plain(run(item, {})["BRANCH"]) == 2  # the first true branch, and only it


def _equal(attributes: str, target: str = "10") -> str:
    return f'<equal {attributes}>{RESPONSE}<baseValue baseType="float">{target}</baseValue></equal>'


@pytest.mark.parametrize(
    ("attributes", "typed", "expected"),
    [
        # absolute, 0.5 both sides: 10 is within [x - 0.5, x + 0.5] for x in [9.5, 10.5]
        ('toleranceMode="absolute" tolerance="0.5"', "9.5", True),
        ('toleranceMode="absolute" tolerance="0.5"', "10.5", True),
        ('toleranceMode="absolute" tolerance="0.5"', "9.4375", False),
        ('toleranceMode="absolute" tolerance="0.5"', "10.5625", False),
        ('toleranceMode="absolute" tolerance="0.5 0.5"', "10.5", True),
        # the range is around the FIRST expression (the response): for x = 10.5 the lower bound x - 0.5 is
        # 10, which the target equals; for x = 9.5 the upper bound is 10.
        ('toleranceMode="absolute" tolerance="0.5" includeLowerBound="false"', "10.5", False),
        ('toleranceMode="absolute" tolerance="0.5" includeLowerBound="false"', "9.5", True),
        ('toleranceMode="absolute" tolerance="0.5" includeUpperBound="false"', "9.5", False),
        ('toleranceMode="absolute" tolerance="0.5" includeUpperBound="false"', "10.5", True),
        ('toleranceMode="absolute" tolerance="0.5" includeUpperBound="false"', "10", True),
        # asymmetric: 10 within [x - 1, x + 2] for x in [8, 11]
        ('toleranceMode="absolute" tolerance="1 2"', "8", True),
        ('toleranceMode="absolute" tolerance="1 2"', "7.75", False),
        ('toleranceMode="absolute" tolerance="1 2"', "11", True),
        ('toleranceMode="absolute" tolerance="1 2"', "11.25", False),
        # relative, in percent of the response: x = 8 gives [6, 10]; 12.5 [10, 15]; 7.5 [5.625, 9.375]; 14 [10.5, 17.5]
        ('toleranceMode="relative" tolerance="25"', "8", True),
        ('toleranceMode="relative" tolerance="25"', "12.5", True),
        ('toleranceMode="relative" tolerance="25"', "7.5", False),
        ('toleranceMode="relative" tolerance="25"', "14", False),
        ("", "10", True),  # exact, the default
        ('toleranceMode="exact"', "10.0000001", False),
        ('toleranceMode="absolute" tolerance="0"', "10", True),
    ],
)
def test_equal_with_tolerance(attributes: str, typed: str, expected: bool) -> None:
    assert _result(_entry("float"), _equal(attributes), typed) is expected


def test_equal_compares_integer_and_float() -> None:
    assert _result(_entry("integer"), _equal('toleranceMode="exact"'), "10") is True
    assert _result(_entry("integer"), _equal('toleranceMode="exact"'), "11") is False


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("ab", "ab", True),
        ("ab", "xab", False),  # anchored at both ends, implicitly
        ("ab", "abx", False),
        ("ab", "ab\n", False),
        ("^ab$", "ab", False),  # ^ and $ are ordinary characters in XML Schema
        ("^ab$", "^ab$", True),
        (r"a\sb", "a b", True),
        (r"a\sb", "a\tb", True),
        (r"a\sb", "a\u00a0b", False),  # \s is only space, tab, CR, LF
        (r"a\sb", "a\u2003b", False),
        (r"a\Sb", "a\u00a0b", True),
        (r"[\s\-_]+", " -_\t", True),
        (r"[\s\-_]+", ".", False),
        (r"x[\s\-_.]*", "x.-. ", True),
        ("a.c", "abc", True),
        ("a.c", "a\nc", False),
        ("a.c", "a\rc", False),
        (r"\d+", "\u0661\u0662", True),  # XSD \d is \p{Nd}
        (r"\d+", "12a", False),
        ("[a-c]+", "abca", True),
        ("[a-c]+", "abcd", False),
        ("[^a-c]", "d", True),
        ("[sS][yY]", "Sy", True),
        ("(ab|cd){2}", "abcd", True),
        ("(ab|cd){2}", "ab", False),
        ("a{1,2}", "aaa", False),
        (r"\(1\+1\)\.", "(1+1).", True),
        ("a+b?", "aa", True),
    ],
)
def test_pattern_match(pattern: str, text: str, expected: bool) -> None:
    assert (xsd_regex(pattern).fullmatch(text) is not None) is expected
    expression = f'<patternMatch pattern="{pattern}">{RESPONSE}</patternMatch>'
    if (
        "\n" not in text and "\r" not in text and "\t" not in text
    ):  # (an attribute value would normalise them)
        assert _result(_entry("string"), expression, text) is expected


@pytest.mark.parametrize("pattern", [r"\w+", r"\p{L}", r"\i", "[a-z-[aeiou]]", r"\$", r"\1"])
def test_pattern_features_not_translated_raise(pattern: str) -> None:
    with pytest.raises(NotImplementedError):
        xsd_regex(pattern)


@pytest.mark.parametrize("pattern", ["*a", "a**", "a+?", "(?i)a", "[]", "[a", "a]", "a{2"])
def test_invalid_patterns_raise(pattern: str) -> None:
    with pytest.raises((ValueError, NotImplementedError)):
        xsd_regex(pattern)


def test_multiple_flattens_and_match_compares_sets() -> None:
    declarations = _choice_declaration("multiple", "A", "B") + (
        '<outcomeDeclaration identifier="F" cardinality="multiple" baseType="identifier"/>'
        '<outcomeDeclaration identifier="NOTHING" cardinality="single" baseType="identifier"/>' + RESULT
    )
    processing = (
        '<setOutcomeValue identifier="F"><multiple>'
        f'{RESPONSE}{NULL}<baseValue baseType="identifier">X</baseValue><multiple/>'
        "</multiple></setOutcomeValue>"
        f'<setOutcomeValue identifier="RESULT"><match>{RESPONSE}<correct identifier="RESPONSE"/></match>'
        "</setOutcomeValue>"
    )
    item = _item(declarations, processing, body=CHOICES.format(most=0))

    def outcomes(chosen: list[str]) -> tuple[object, object]:
        values = run(item, {"RESPONSE": candidate_response(item, chosen)})
        return plain(values["F"]), plain(values["RESULT"])

    assert outcomes(["B", "A"]) == (("A", "B", "X"), True)  # the order chosen does not matter
    assert outcomes(["A"]) == (("A", "X"), False)
    assert outcomes(["A", "B", "C"]) == (("A", "B", "C", "X"), False)
    assert outcomes([]) == (("X",), None)  # nothing chosen: NULL, and match of NULL is NULL


def test_containers_are_multisets() -> None:
    a = '<baseValue baseType="identifier">A</baseValue>'
    item = _item(
        '<outcomeDeclaration identifier="F" cardinality="multiple" baseType="identifier"/>' + RESULT,
        f'<setOutcomeValue identifier="F"><multiple>{a}{a}</multiple></setOutcomeValue>'
        f'<setOutcomeValue identifier="RESULT"><match><multiple>{a}{a}</multiple><multiple>{a}</multiple>'
        "</match></setOutcomeValue>",
    )
    outcomes = run(item, {})
    assert plain(outcomes["F"]) == ("A", "A")
    assert plain(outcomes["RESULT"]) is False


def test_integer_set_into_a_float_outcome_is_converted() -> None:
    item = _item(
        '<outcomeDeclaration identifier="S" cardinality="single" baseType="float"/>',
        '<setOutcomeValue identifier="S"><baseValue baseType="integer">1</baseValue></setOutcomeValue>',
    )
    assert run(item, {})["S"] == Value("float", "single", 1.0)


def test_a_wrong_type_raises() -> None:
    item = _item(
        '<outcomeDeclaration identifier="S" cardinality="single" baseType="float"/>',
        '<setOutcomeValue identifier="S"><baseValue baseType="identifier">A</baseValue></setOutcomeValue>',
    )
    with pytest.raises(TypeError):
        run(item, {})


@pytest.mark.parametrize(
    "processing",
    [
        f'<setOutcomeValue identifier="S"><sum>{TRUE}</sum></setOutcomeValue>',
        '<setOutcomeValue identifier="S"><mapResponse identifier="RESPONSE"/></setOutcomeValue>',
        "<exitResponse/>",
        f"<responseCondition><responseIf>{TRUE}<lookupOutcomeValue identifier='S'/></responseIf></responseCondition>",
    ],
)
def test_anything_else_raises(processing: str) -> None:
    item = _item('<outcomeDeclaration identifier="S" cardinality="single" baseType="float"/>', processing)
    with pytest.raises(NotImplementedError):
        run(item, {})


def test_a_template_raises() -> None:
    item = ET.fromstring(
        f'<assessmentItem xmlns="{QTI_NS}"><responseProcessing template="http://www.imsglobal.org/question/'
        'qti_v2p1/rptemplates/match_correct"/></assessmentItem>'
    )
    with pytest.raises(NotImplementedError):
        run(item, {})


def test_shown_feedback() -> None:
    def modal(identifier: str, show: str, outcome: str = "FEEDBACK") -> str:
        return f'<modalFeedback outcomeIdentifier="{outcome}" showHide="{show}" identifier="{identifier}"/>'

    item = _item(
        '<outcomeDeclaration identifier="FEEDBACK" cardinality="multiple" baseType="identifier"/>'
        '<outcomeDeclaration identifier="ONE" cardinality="single" baseType="identifier"/>',
        '<setOutcomeValue identifier="FEEDBACK"><multiple><baseValue baseType="identifier">A</baseValue>'
        '<baseValue baseType="identifier">B</baseValue></multiple></setOutcomeValue>',
        modal("A", "show")
        + modal("C", "show")
        + modal("B", "hide")
        + modal("D", "hide")
        + modal("X", "show", "ONE")
        + modal("Y", "hide", "ONE"),
    )
    assert shown_feedback(item, run(item, {})) == {"A", "D", "Y"}


# -- agreement with quizgen's grader on a --variants 20 export ----------------------------------

EVERY_TYPE = {"choice", "multi", "true_false", "integer", "numeric", "text"}
Probe = tuple[str | list[str] | None, str]
"""(what the candidate did in the QTI item, the text typed to quizgen's grader)"""


def _decimal(number: Decimal) -> str:
    return format(number, "f")


def _width(question: NumericQuestion, around: float) -> Decimal:
    """The width quizgen accepts around ``around``, in decimal: tolerance × |around| when relative; an exact
    answer (tolerance 0) has the grader's float slack, 1e-9 × max(1, |around|)."""
    centre = abs(Decimal(repr(around)))
    if question.tolerance == 0:
        return Decimal("1e-9") * max(Decimal(1), centre)
    width = Decimal(repr(question.tolerance))
    return width * centre if question.tolerance_type == "relative" else width


def _edges(question: NumericQuestion, around: float) -> tuple[list[str], list[str]]:
    """``around`` ± the width exactly; and just inside both edges (by a tenth of the width) and just beyond
    them (by a tenth of the width, or 1e-8 × max(1, |around|), ten times the grader's slack)."""
    with localcontext() as context:
        context.prec = 80
        centre, width = Decimal(repr(around)), _width(question, around)
        step = max(width / 10, Decimal("1e-8") * max(Decimal(1), abs(centre)))
        exact = [_decimal(centre - width), _decimal(centre + width)]
        near = [centre - width * Decimal("0.9"), centre + width * Decimal("0.9")]
        near += [centre - width - step, centre + width + step]
        return exact, [_decimal(number) for number in near]


def _words(form: str) -> list[str]:
    return [word for word in re.split(r"[\s\-_]+", form) if word]


def probes(question: Question) -> tuple[list[Probe], list[Probe]]:
    """What to try on ``question``: everything but the exact tolerance edges, and those edges (of the
    answer and of each named mistake; empty but for numeric questions)."""
    edges: list[str] = []
    match question:
        case ChoiceQuestion():
            return [(f"C{n}", str(n)) for n in range(1, len(question.options) + 1)] + [(None, "")], []
        case TrueFalseQuestion():
            return [("TRUE", "t"), ("FALSE", "f"), (None, "")], []
        case MultiQuestion():
            right, every = set(question.answers), set(range(1, len(question.options) + 1))
            sets = [right, every, set(), *({n} for n in every)]
            sets += [right - {n} for n in right] + [right | {n} for n in every - right]
            return [([f"C{n}" for n in sorted(s)], ",".join(map(str, sorted(s)))) for s in sets], []
        case IntegerQuestion():
            answer = question.answer
            texts = [str(answer), str(answer - 1), str(answer + 1), f" {answer} ", f"\t{answer}\n"]
            texts += [str(int(m.value)) if m.value.is_integer() else repr(m.value) for m in question.mistakes]
            texts += ["1.5", "abc", ""]
        case NumericQuestion():
            texts = [repr(question.answer), f" {question.answer!r} "]
            for value in (question.answer, *(m.value for m in question.mistakes)):
                exact, beyond = _edges(question, value)
                texts += [repr(value), *beyond]
                edges += exact
            texts += ["abc", ""]
        case TextQuestion():
            texts = ["", "qzxv", question.answer + " qzxv"]
            for form in question.accepted_forms():
                words = _words(form)
                texts += [
                    form,
                    form.upper(),
                    form.lower(),
                    form.title(),
                    form + ".",
                    f"  {form}  ",
                    f"{form}. ",
                ]
                texts += [
                    "-".join(words),
                    "_".join(words),
                    "  ".join(words),
                    " - ".join(words),
                    "\t".join(words),
                ]
                texts += [f"\t{form}\n", form.replace(words[0], words[0][:-1] + "q", 1)]
        case _:
            raise AssertionError(question)
    return [(text, text) for text in texts], [(text, text) for text in edges]


def _disagreement(question: Question, item: ET.Element, probe: Probe, modals: set[str]) -> str | None:
    """Where the engine and quizgen's grader differ on ``probe``, said in a line; None when they agree."""
    typed, text = probe
    try:
        verdict = grade(question, text)
    except InvalidAnswer:
        verdict = None
    response = candidate_response(item, typed)
    outcomes = run(item, {"RESPONSE": response})
    shown = shown_feedback(item, outcomes)
    feedback = set(plain(outcomes["FEEDBACK"]) or ())
    problems: list[str] = []
    named: set[str] = set()
    if verdict is None:
        expected_score, expected_shown = 0.0, {"SOLUTION"}
    else:
        expected_score = 1.0 if verdict.correct else 0.0
        expected_shown = {"SOLUTION", "CORRECT" if verdict.correct else "INCORRECT"}
        if isinstance(question, ChoiceQuestion | MultiQuestion):
            right = {question.answer} if isinstance(question, ChoiceQuestion) else set(question.answers)
            for n in verdict.chosen:
                option = question.options[n - 1]
                if f"C{n}" in modals:
                    expected_shown.add(f"C{n}")
                elif option.feedback or (n not in right and option.misconception):
                    problems.append(f"option {n} has feedback or a misconception but no modalFeedback C{n}")
        if isinstance(question, IntegerQuestion | NumericQuestion) and not verdict.correct:
            assert isinstance(verdict.response, int | float)
            mistake = question.mistake_for(verdict.response)
            if mistake is not None:
                k = next(k for k, m in enumerate(question.mistakes, start=1) if m is mistake)
                named = {f"M{k}"}
                if f"M{k}" in modals:
                    expected_shown.add(f"M{k}")
                elif mistake.feedback or mistake.misconception:
                    problems.append(f"mistake {k} has feedback or a misconception but no modalFeedback M{k}")
    if (response is None) != (verdict is None):
        problems.append("the engine's response is NULL" if response is None else "the grader refuses it")
    if plain(outcomes["SCORE"]) != expected_score:
        problems.append(f"SCORE {plain(outcomes['SCORE'])}, the grader says {expected_score}")
    if shown != expected_shown:
        problems.append(f"shown {sorted(shown)}, expected {sorted(expected_shown)}")
    if {f for f in feedback if re.fullmatch(r"M[0-9]+", f)} != named:
        problems.append(f"FEEDBACK {sorted(feedback)} names mistakes other than {sorted(named)}")
    if not problems:
        return None
    said = "unreadable" if verdict is None else f"correct={verdict.correct} response={verdict.response!r}"
    return (
        f"{item.get('identifier')} ({question.type}) probe {text!r} / {typed!r}: grader {said}; "
        f"engine response {plain(response)!r}: " + "; ".join(problems)
    )


Export = tuple[dict[str, Question], dict[str, ET.Element], set[str]]


@pytest.fixture(scope="module")
def variants_20() -> Export:
    """As `quizgen export --format qti21 --variants 20` builds it (the default seed 0): the questions by
    item identifier, the items (parsed once) by identifier and the export's misconception ids."""
    data = build_export_set(load_banks(), variants=20, seed=0)
    questions = {q.id if q.id[:1].isalpha() else f"Q{q.id}": q for q in data.all_questions()}
    items: dict[str, ET.Element] = {}
    with zipfile.ZipFile(io.BytesIO(export("qti21", data))) as archive:
        for name in archive.namelist():
            if name.startswith("items/"):
                item = ET.fromstring(archive.read(name))
                assert name == f"items/{item.get('identifier')}.xml"
                items[item.get("identifier", "")] = item
    return questions, items, set(data.misconceptions)


def _agreement(export: Export, edges: bool) -> tuple[Counter[str], list[str]]:
    """Probes per quizgen type, and every disagreement, over every item of the export."""
    questions, items, _ = export
    assert items.keys() == questions.keys()
    count: Counter[str] = Counter()
    disagreements: list[str] = []
    for identifier, item in items.items():
        question = questions[identifier]
        modals = {m.get("identifier", "") for m in item.findall(f"{QTI}modalFeedback")}
        for probe in probes(question)[edges]:
            count[question.type] += 1
            found = _disagreement(question, item, probe, modals)
            if found is not None:
                disagreements.append(found)
    return count, disagreements


def test_the_engine_agrees_with_the_grader_on_every_item(variants_20: Export) -> None:
    """Every item, every probe but the exact tolerance edges (below): the correct answer, every option,
    each named mistake, values just beyond the tolerance, other spellings, and unreadable input."""
    count, disagreements = _agreement(variants_20, edges=False)
    assert len(variants_20[1]) > 400
    assert set(count) == EVERY_TYPE, count
    assert sum(count.values()) > 10 * len(variants_20[1]), count
    assert not disagreements, f"{len(disagreements)} disagreements:\n" + "\n".join(disagreements[:30])


def test_the_engine_agrees_at_the_exact_tolerance_edges(variants_20: Export) -> None:
    """A numeric answer's and each named mistake's tolerance edges, typed as exact decimals."""
    count, disagreements = _agreement(variants_20, edges=True)
    assert count["numeric"] > 500, count
    assert not disagreements, f"{len(disagreements)} disagreements:\n" + "\n".join(disagreements[:30])


def test_every_named_misconception_and_tolerance_edge_was_probed(variants_20: Export) -> None:
    """The probes reach what they are for: every named mistake of the export (but those an earlier one
    with the same value hides) is typed and named by the grader, every wrong option with a misconception
    is chosen and named, and both exact edges of every numeric answer are correct to the grader."""
    questions, _, known = variants_20
    mistakes = options = edges = 0
    for question in questions.values():
        plain_probes, edge_probes = probes(question)
        texts = {text for _, text in plain_probes + edge_probes}
        if isinstance(question, IntegerQuestion | NumericQuestion):
            for mistake in question.mistakes:
                if question.mistake_for(mistake.value) is not mistake:
                    continue  # hidden by an earlier mistake: neither the grader nor the item can name it
                if isinstance(question, IntegerQuestion) and not mistake.value.is_integer():
                    continue
                typed = (
                    str(int(mistake.value)) if isinstance(question, IntegerQuestion) else repr(mistake.value)
                )
                assert typed in texts
                verdict = grade(question, typed)
                assert isinstance(verdict.response, int | float) and not verdict.correct
                assert question.mistake_for(verdict.response) is mistake
                mistakes += 1
        if isinstance(question, NumericQuestion):
            exact, near = _edges(question, question.answer)
            assert all(grade(question, text).correct for text in exact + near[:2])
            assert not any(grade(question, text).correct for text in near[2:])
            edges += 2
        if isinstance(question, ChoiceQuestion):
            for n, option in enumerate(question.options, start=1):
                if n != question.answer and option.misconception:
                    assert option.misconception in known
                    assert grade(question, str(n)).misconception == option.misconception
                    options += 1
    assert mistakes > 100 and options > 100 and edges > 200, (mistakes, options, edges)


# -- what quizgen's grader reads and a QTI engine does not ---------------------------------------


def _question(kind: str, **fields: object) -> Question:
    common = {"id": f"difference-{kind}", "topic": "he", "prompt": "Type it.", "explanation": "Because."}
    classes: dict[str, type[NumericQuestion | IntegerQuestion | TextQuestion]] = {
        "numeric": NumericQuestion,
        "integer": IntegerQuestion,
        "text": TextQuestion,
    }
    return classes[kind].model_validate({"type": kind, **common, **fields})


DIFFERENCES = [
    # (question, typed, what the grader reads, what the engine stores)
    (_question("numeric", answer=0.05, tolerance=0.001), "5\u00d710\u207b\u00b2", 0.05, None),
    (_question("numeric", answer=0.05, tolerance=0.001), "5*10^-2", 0.05, None),
    (_question("numeric", answer=0.05, tolerance=0.001), "1/20", 0.05, None),
    (_question("numeric", answer=0.05, tolerance=0.001), "0,05", 0.05, None),
    (_question("numeric", answer=0.05, tolerance=0.001), "sqrt(0.0025)", 0.05, None),
    (_question("numeric", answer=0.05, tolerance=0.001), "\u22120.05", -0.05, None),  # a Unicode minus
    (_question("integer", answer=1024), "2^10", 1024, None),
    (_question("integer", answer=1024), "1,024", 1024, None),
    (_question("integer", answer=1024), "1024.0", 1024, None),
    (_question("integer", answer=1024), "1.024e3", 1024, None),
    (_question("integer", answer=1024), "2048/2", 1024, None),
]


@pytest.mark.parametrize(("question", "typed", "read", "stored"), DIFFERENCES)
def test_documented_differences(question: Question, typed: str, read: object, stored: object) -> None:
    """Spellings quizgen's grader reads and an XML Schema typed response cannot hold: the engine leaves the
    response NULL (SCORE 0, only the solution shown). The item asks for a decimal number, so these are
    the student's to avoid, not the export's to fix."""
    item = ET.fromstring(item_xml(question))
    assert grade(question, typed).response == read
    response = candidate_response(item, typed)
    assert plain(response) == stored
    outcomes = run(item, {"RESPONSE": response})
    assert (plain(outcomes["SCORE"]), shown_feedback(item, outcomes)) == (0.0, {"SOLUTION"})


def test_documented_differences_the_other_way() -> None:
    """Input the grader refuses (and the drill asks again) but a QTI engine stores and marks wrong: INF and
    NaN are xsd:double values; a text of spaces is a non-empty string. And a no-break space between words,
    which Python's split reads as a space and XML Schema's \\s does not."""
    numeric = _question("numeric", answer=0.05, tolerance=0.001)
    item = ET.fromstring(item_xml(numeric))
    for typed in ("INF", "-INF", "NaN"):
        with pytest.raises(InvalidAnswer):
            grade(numeric, typed)
        outcomes = run(item, {"RESPONSE": candidate_response(item, typed)})
        assert (plain(outcomes["SCORE"]), shown_feedback(item, outcomes)) == (0.0, {"INCORRECT", "SOLUTION"})
    text = _question("text", answer="weight symmetry")
    item = ET.fromstring(item_xml(text))
    with pytest.raises(InvalidAnswer):
        grade(text, "   ")
    outcomes = run(item, {"RESPONSE": candidate_response(item, "   ")})
    assert (plain(outcomes["SCORE"]), shown_feedback(item, outcomes)) == (0.0, {"INCORRECT", "SOLUTION"})
    assert grade(text, "weight\u00a0symmetry").correct
    outcomes = run(item, {"RESPONSE": candidate_response(item, "weight\u00a0symmetry")})
    assert plain(outcomes["SCORE"]) == 0.0


def test_documented_difference_an_integer_beyond_xsd_int() -> None:
    """An integer answer beyond xsd:int is declared a float compared exactly (no bank or generator has one
    today): the engine reads "1.5" as a float and marks it wrong, where the grader refuses it."""
    big = _question("integer", answer=2**40)
    item = ET.fromstring(item_xml(big))
    with pytest.raises(InvalidAnswer):
        grade(big, "1.5")
    outcomes = run(item, {"RESPONSE": candidate_response(item, "1.5")})
    assert (plain(outcomes["SCORE"]), shown_feedback(item, outcomes)) == (0.0, {"INCORRECT", "SOLUTION"})
    for typed in (str(2**40), f" {2**40} ", "1099511627776.0"):
        outcomes = run(item, {"RESPONSE": candidate_response(item, typed)})
        assert grade(big, typed).correct and plain(outcomes["SCORE"]) == 1.0
