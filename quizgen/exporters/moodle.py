"""Moodle XML: a category per topic, a category per generator, and `calculated` questions.

* Bank questions go to `$course$/top/quizgen/<topic>` as multichoice (single or
  multiple, with grade fractions from Moodle's list), truefalse, numerical (with
  an absolute tolerance, and each named mistake as a 0 % answer with its feedback after the
  right one) and shortanswer; the worked explanation is the general
  feedback, each option's misconception feedback its answer feedback.
* Each generator's N pre-rendered variants go to `$course$/top/quizgen/<topic>/<generator>`
  for Moodle's "random question from category".
* A generator whose answer is a formula of numeric parameters also becomes a
  `calculated` question (in `.../<generator>-calculated`) with wildcards, the
  answer formula in Moodle's syntax, its tolerance, and dataset items taken from
  the variants. Every item is checked while exporting: the formula, evaluated on
  the item, must give the variant's own answer.

Text is HTML (escaped once by the XML writer) with maths as `\\( ... \\)` for
Moodle's MathJax filter.

The document is written as text, question by question, into the stream (nothing but the
current question is held): every text is escaped for XML (``& < >``; any character XML 1.0
forbids becomes U+FFFD), and the layout is ElementTree's ``indent`` (two spaces a level, an
empty element as ``<tag />``), so that the bytes are those an ElementTree writer gives.
"""

from __future__ import annotations

import ast
import collections
import io
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from typing import Any, BinaryIO, assert_never

from ..formula import Formula
from ..generators import Generator
from ..generators.authored import LATEX_BEFORE_BRACE
from ..models import (
    ChoiceQuestion,
    IntegerQuestion,
    MultiQuestion,
    NumericQuestion,
    Question,
    TextQuestion,
    Tolerance,
    TrueFalseQuestion,
)
from ..richtext import to_html
from ..serialize import answer_value
from .base import ExportSet, utf8, xml_comment, xml_safe

render_html = to_html.__wrapped__
"""``richtext.to_html`` without its cache: an export renders each text once, and the cache would
otherwise keep up to 32,768 variant texts alive (memory growing with the number of variants)."""

ROOT = "$course$/top/quizgen"
MOODLE_FRACTIONS = ("100", "90", "83.33333", "80", "75", "70", "66.66667", "60", "50", "40", "33.33333", "30",
                    "25", "20", "16.66667", "14.28571", "12.5", "11.11111", "10", "5")  # fmt: skip
"""The grade fractions Moodle's importer accepts, written exactly as it expects them."""


class ExportCheckError(AssertionError):
    """A calculated question's formula disagrees with a variant the generator made (a bug)."""


def write(data: ExportSet, stream: BinaryIO) -> None:
    """The quiz, written into ``stream`` question by question; each group's variants are drawn as
    they are written (memory stays flat however many there are)."""
    put = stream.write
    put(b'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n')
    put(utf8(f"  <!-- {xml_comment(data.title)}: exported by quizgen, seed {data.seed} -->\n"))
    by_topic: dict[str, list[Question]] = {}
    for question in data.questions:
        by_topic.setdefault(question.topic, []).append(question)
    for topic, questions in by_topic.items():
        known = data.topic(topic)
        put(utf8(category_xml(f"{ROOT}/{topic}", known.title if known else topic)))
        for question in questions:
            put(utf8(question_xml(question)))
    for group in data.groups:
        put(utf8(category_xml(f"{ROOT}/{group.topic}/{group.id}", group.generator.title)))
        calculated = _Items(group.generator)
        for question in group:
            put(utf8(question_xml(question)))
            calculated.add(question)
        text = calculated.xml()
        if text is not None:
            put(
                utf8(
                    category_xml(
                        f"{ROOT}/{group.topic}/{group.id}-calculated", f"{group.generator.title} (calculated)"
                    )
                )
            )
            put(utf8(text))
    put(b"</quiz>\n")


def export(data: ExportSet) -> bytes:
    """The whole quiz in memory (small sets and tests)."""
    buffer = io.BytesIO()
    write(data, buffer)
    return buffer.getvalue()


# -- XML text ---------------------------------------------------------------------------
#
# Indentation: a question is at level 1 (two spaces), its children at level 2, and so on.

_L2, _L3, _L4, _L5, _L6 = "    ", "      ", "        ", "          ", "            "


def _escape(text: str) -> str:
    """Element text: ``& < >`` escaped, any character XML 1.0 forbids shown as U+FFFD."""
    if not text.isprintable():  # (xml_safe's quick test, inline)
        text = xml_safe(text)
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _attribute(text: str) -> str:
    """An attribute value between double quotes (as ElementTree writes it)."""
    text = _escape(text)
    if '"' in text:
        text = text.replace('"', "&quot;")
    for raw, entity in (("\r", "&#13;"), ("\n", "&#10;"), ("\t", "&#09;")):
        if raw in text:
            text = text.replace(raw, entity)
    return text


def _leaf(indent: str, tag: str, text: str | None) -> str:
    """``<tag>text</tag>`` on a line of its own; ``<tag />`` when there is no text."""
    if not text:
        return f"{indent}<{tag} />\n"
    return f"{indent}<{tag}>{_escape(text)}</{tag}>\n"


def _text(indent: str, tag: str, value: str, html: bool = True) -> str:
    """``<tag format="html"><text>value</text></tag>`` (Moodle's text holder), or without the format."""
    opening = f'<{tag} format="html">' if html else f"<{tag}>"
    inner = f"{indent}  <text>{_escape(value)}</text>\n" if value else f"{indent}  <text />\n"
    return f"{indent}{opening}\n{inner}{indent}</{tag}>\n"


def _html(text: str, inline: bool = False) -> str:
    """Bank text as HTML for Moodle, in which no ``{=...}`` is left for a calculated question to evaluate."""
    return inert_expressions(render_html(text, inline, "tex"))


def inert_expressions(html: str) -> str:
    """HTML with each ``{=`` written ``&#123;=``: shown the same, never evaluated.

    Moodle's calculated questions replace every ``{=expression}`` in their texts
    (question text, feedback) with its value when a student sees them. Only the
    expressions quizgen itself writes (the answer of a template's explanation) may be
    evaluated; in bank text ``{=`` is text. Moodle looks for ``{=`` in the stored HTML;
    the browser shows the entity as ``{``.
    """
    return html.replace("{=", "&#123;=") if "{=" in html else html


def category_xml(path: str, title: str) -> str:
    """A category "question": Moodle files the questions after it under ``path``."""
    return (
        '  <question type="category">\n'
        + _text(_L2, "category", path, html=False)
        + _text(_L2, "info", _html(title, inline=True))
        + "  </question>\n"
    )


def _common(question: Question, kind: str) -> list[str]:
    return [
        f'  <question type="{_attribute(kind)}">\n',
        _text(_L2, "name", question.id, html=False),
        _text(_L2, "questiontext", _html(question.prompt.strip())),
        _text(_L2, "generalfeedback", _html(question.explanation.strip())),
        f"{_L2}<defaultgrade>1.0000000</defaultgrade>\n{_L2}<penalty>0.3333333</penalty>\n{_L2}<hidden>0</hidden>\n",
        _leaf(_L2, "idnumber", question.id),
    ]


def _tags(tags: Iterable[str]) -> str:
    return f"{_L2}<tags>\n" + "".join(_text(_L3, "tag", tag, html=False) for tag in tags) + f"{_L2}</tags>\n"


def _question_tags(question: Question) -> str:
    return _tags(
        (question.topic, question.type, *question.tags, *([question.generator] if question.generator else []))
    )


def _fraction(value: float) -> str:
    """The closest fraction Moodle accepts (it refuses others on import)."""
    closest = min(MOODLE_FRACTIONS, key=lambda allowed: abs(float(allowed) - abs(value)))
    return f"-{closest}" if value < 0 else closest


def _answer(
    fraction: str, text: str, feedback: str | None, html: bool = True, tolerance: str | None = None
) -> str:
    """An ``<answer>``: its text, its feedback (HTML), then a numerical answer's tolerance.

    (``fraction`` is one of this module's grade strings, never bank text.)
    """
    kind = "html" if html else "moodle_auto_format"
    return (
        f'{_L2}<answer fraction="{fraction}" format="{kind}">\n'
        + _leaf(_L3, "text", text)
        + _text(_L3, "feedback", _html(feedback, inline=True) if feedback else "")
        + (_leaf(_L3, "tolerance", tolerance) if tolerance is not None else "")
        + f"{_L2}</answer>\n"
    )


_CHOICE_FEEDBACK = (
    _text(_L2, "correctfeedback", "Correct.")
    + _text(_L2, "partiallycorrectfeedback", "Partly correct.")
    + _text(_L2, "incorrectfeedback", "Not quite: read the worked solution.")
)
_NUMERICAL_UNITS = (
    f"{_L2}<unitgradingtype>0</unitgradingtype>\n{_L2}<unitpenalty>0.1000000</unitpenalty>\n"
    f"{_L2}<showunits>3</showunits>\n{_L2}<unitsleft>0</unitsleft>\n"
)


def _choices(question: ChoiceQuestion | MultiQuestion, correct: set[int], single: bool) -> list[str]:
    parts = _common(question, "multichoice")
    wrong_count = len(question.options) - len(correct)
    parts.append(
        _leaf(_L2, "single", "true" if single else "false")
        + _leaf(_L2, "shuffleanswers", "true" if question.shuffle else "false")
        + f"{_L2}<answernumbering>123</answernumbering>\n{_L2}<showstandardinstruction>0</showstandardinstruction>\n"
        + _CHOICE_FEEDBACK
    )
    for number, option in enumerate(question.options, start=1):
        if number in correct:
            fraction = "100" if single else _fraction(100 / len(correct))
        else:
            fraction = "0" if single or not wrong_count else _fraction(-100 / wrong_count)
        parts.append(_answer(fraction, _html(option.text, inline=True), option.feedback))
    return parts


def _numerical(question: IntegerQuestion | NumericQuestion, integer: bool) -> list[str]:
    parts = _common(question, "numerical")
    tolerance = 0.0
    if isinstance(question, NumericQuestion):
        low, high = question.bounds()
        tolerance = (high - low) / 2
    parts.append(_answer("100", _number(question.answer), None, html=False, tolerance=repr(float(tolerance))))
    for mistake in question.mistakes:  # 0 %: Moodle takes the first answer within tolerance
        around, width = mistake.value, 0.0
        if isinstance(question, NumericQuestion):
            low, high = Tolerance(around, question.tolerance, question.tolerance_type).bounds()
            width = (high - low) / 2
        shown = int(around) if integer and around.is_integer() else around
        parts.append(_answer("0", _number(shown), mistake.feedback, html=False, tolerance=repr(float(width))))
    parts.append(_NUMERICAL_UNITS)
    return parts


def question_xml(question: Question) -> str:
    """One question as Moodle XML text (at level 1, ending with a line break)."""
    match question:
        case ChoiceQuestion():
            parts = _choices(question, {question.answer}, single=True)
        case MultiQuestion():
            parts = _choices(question, set(question.answers), single=False)
        case TrueFalseQuestion():
            parts = _common(question, "truefalse")
            for value in (True, False):
                parts.append(
                    _answer("100" if question.answer is value else "0", str(value).lower(), None, html=False)
                )
        case IntegerQuestion():
            parts = _numerical(question, integer=True)
        case NumericQuestion():
            parts = _numerical(question, integer=False)
        case TextQuestion():
            parts = _common(question, "shortanswer")
            parts.append(f"{_L2}<usecase>0</usecase>\n")
            parts.extend(_answer("100", form, None, html=False) for form in question.accepted_forms())
        case _:
            assert_never(question)
    parts.append(_question_tags(question))
    parts.append("  </question>\n")
    return "".join(parts)


# -- calculated questions -------------------------------------------------------------


def moodle_formula(source: str, names: tuple[str, ...]) -> str:
    """quizgen formula syntax -> Moodle's: {wildcards}, pow(), fmod(), floor() for //."""
    tree = ast.parse(source.replace("\n", " "), mode="eval").body

    def walk(node: ast.expr) -> str:
        if isinstance(node, ast.Constant):
            return repr(node.value)
        if isinstance(node, ast.Name):
            return f"{{{node.id}}}" if node.id in names else node.id
        if isinstance(node, ast.UnaryOp):
            return ("-" if isinstance(node.op, ast.USub) else "+") + f"({walk(node.operand)})"
        if isinstance(node, ast.BinOp):
            left, right = walk(node.left), walk(node.right)
            if isinstance(node.op, ast.Pow):
                return f"pow({left}, {right})"
            if isinstance(node.op, ast.FloorDiv):
                return f"floor(({left}) / ({right}))"
            if isinstance(node.op, ast.Mod):
                return f"fmod({left}, {right})"
            symbol = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}[type(node.op)]
            return f"({left} {symbol} {right})"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            arguments = [walk(a) for a in node.args]
            if node.func.id == "log" and len(arguments) == 2:
                return f"(log({arguments[0]}) / log({arguments[1]}))"
            return f"{node.func.id}({', '.join(arguments)})"
        raise ValueError(f"cannot express {ast.dump(node)} in Moodle's formula syntax")

    return walk(tree)


def _keep_latex_braces(text: str, names: tuple[str, ...]) -> str:
    """``{name}`` groups that quizgen reads as LaTeX, written ``{ name}`` so that Moodle leaves them too.

    Moodle replaces every ``{name}`` of a wildcard (a plain ``str_replace``), even in
    ``\\sqrt{n}``; quizgen replaces a ``{name}`` only where it does not follow a letter,
    ``_``, ``^``, ``}`` or ``\\`` (see :mod:`quizgen.generators.authored`). A space
    inside the braces changes nothing in the maths MathJax draws.
    """
    if not names:
        return text
    wildcard = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    return re.sub(rf"(?<={LATEX_BEFORE_BRACE})\{{({wildcard})\}}", r"{ \1}", text)


def _explanation(text: str, answer: str, names: tuple[str, ...]) -> str:
    """The general feedback of a calculated question: ``{answer}`` becomes ``{=formula}``, Moodle's to evaluate.

    The text is rendered with a marker in place of ``{answer}`` (letters, which
    Markdown leaves alone) and any ``{=`` of its own made inert; then the marker
    becomes the one expression that quizgen writes.
    """
    marker = "QUIZGENANSWER"
    while marker in text or marker in _html(text):  # (an entity could spell it)
        marker += "X"
    rendered = _html(_keep_latex_braces(text, names).replace("{answer}", marker))
    return rendered.replace(marker, "{=" + moodle_formula(answer, names) + "}")


class _Items:
    """A calculated question's dataset, collected from the variants as they are written (only their
    parameter values and answers are kept), each checked against the answer formula."""

    def __init__(self, generator: Generator) -> None:
        self.generator = generator
        self.spec = generator.calculated
        self.items: list[dict[str, Any]] = []
        self.whole = True
        if self.spec is not None:
            self.formula = Formula.parse(self.spec.answer, self.spec.params)

    def add(self, variant: Question) -> None:
        if self.spec is None:
            return
        params = variant.params or {}
        values = {name: params[name] for name in self.spec.params}
        expected = answer_value(variant)
        ours = self.formula.evaluate(values)  # type: ignore[arg-type]
        if expected is not None and not math.isclose(
            float(ours), float(expected), rel_tol=1e-9, abs_tol=1e-12
        ):
            raise ExportCheckError(
                f"{self.generator.id}: formula gives {ours} for {values}, the variant says {expected}"
            )
        self.whole = self.whole and isinstance(expected, int)
        self.items.append(values)

    def xml(self) -> str | None:
        """The calculated question, or None when the generator has none (or no variant was written)."""
        if self.spec is None or not self.items:
            return None
        return calculated_xml(self.generator, self.items, self.whole)


def calculated_xml(generator: Generator, items: Sequence[dict[str, Any]], whole_answers: bool) -> str:
    """A ``calculated`` question of the generator with the dataset ``items`` (parameter values of its
    variants, already checked); ``whole_answers``: every variant's answer is an int."""
    spec = generator.calculated
    assert spec is not None
    names = spec.params
    relative = spec.tolerance_type == "relative"
    whole = not relative and spec.tolerance == 0 and whole_answers
    parts = [
        '  <question type="calculated">\n',
        _text(_L2, "name", f"{generator.id} (calculated)", html=False),
        _text(_L2, "questiontext", _html(_keep_latex_braces(spec.prompt, names))),
        _text(_L2, "generalfeedback", _explanation(spec.explanation, spec.answer, names)),
        f"{_L2}<defaultgrade>1.0000000</defaultgrade>\n{_L2}<penalty>0.3333333</penalty>\n{_L2}<hidden>0</hidden>\n",
        _leaf(_L2, "idnumber", f"{generator.id}-calculated"),
        f"{_L2}<synchronize>0</synchronize>\n{_L2}<single>0</single>\n{_L2}<answernumbering>abc</answernumbering>\n"
        f"{_L2}<shuffleanswers>0</shuffleanswers>\n",
        _text(_L2, "correctfeedback", "Correct."),
        _text(_L2, "partiallycorrectfeedback", ""),
        _text(_L2, "incorrectfeedback", "Not quite: read the worked solution."),
        f'{_L2}<answer fraction="100">\n',
        _leaf(_L3, "text", moodle_formula(spec.answer, names)),
        _leaf(_L3, "tolerance", repr(float(spec.tolerance))),
        _leaf(_L3, "tolerancetype", "1" if relative else "2"),  # 1 relative, 2 nominal (absolute)
        _leaf(_L3, "correctanswerformat", "1" if whole else "2"),  # 1 decimals, 2 significant figures
        _leaf(_L3, "correctanswerlength", "0" if whole else "4"),
        _text(_L3, "feedback", ""),
        f"{_L2}</answer>\n",
        _NUMERICAL_UNITS,
        f"{_L2}<dataset_definitions>\n",
    ]
    for name in names:
        column = [item[name] for item in items]
        decimals = max((len(repr(v).split(".")[1]) if isinstance(v, float) else 0) for v in column)
        parts += [
            f"{_L3}<dataset_definition>\n",
            _text(_L4, "status", "private", html=False),
            _text(_L4, "name", name, html=False),
            f"{_L4}<type>calculated</type>\n",
            _text(_L4, "distribution", "uniform", html=False),
            _text(_L4, "minimum", _number(min(column)), html=False),
            _text(_L4, "maximum", _number(max(column)), html=False),
            _text(_L4, "decimals", str(decimals), html=False),
            f"{_L4}<itemcount>{len(column)}</itemcount>\n",
            f"{_L4}<dataset_items>\n",
        ]
        parts += [
            f"{_L5}<dataset_item>\n{_L6}<number>{number}</number>\n"
            f"{_L6}<value>{_escape(_number(value))}</value>\n{_L5}</dataset_item>\n"
            for number, value in enumerate(column, start=1)
        ]
        parts += [f"{_L4}</dataset_items>\n", f"{_L4}<number_of_items>{len(column)}</number_of_items>\n"]
        parts.append(f"{_L3}</dataset_definition>\n")
    parts.append(f"{_L2}</dataset_definitions>\n")
    parts.append(_tags((generator.topic, "calculated", generator.id)))
    parts.append("  </question>\n")
    return "".join(parts)


def _number(value: Any) -> str:
    return repr(value) if isinstance(value, float) else str(value)


# -- reading back (export --check) ----------------------------------------------------


def read_back(raw: bytes) -> collections.Counter[str]:
    """Question counts per type, read back as the format's consumer reads it (``export --check``)."""
    root = ET.fromstring(raw)
    found: collections.Counter[str] = collections.Counter()
    for question in root.iter("question"):
        kind = question.get("type", "?")
        if kind == "multichoice":
            kind += " (single)" if question.findtext("single") == "true" else " (multiple)"
        if kind != "category":
            found[kind] += 1
    return found
