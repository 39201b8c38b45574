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
"""

from __future__ import annotations

import ast
import collections
import math
import re
import xml.etree.ElementTree as ET
from typing import Any, BinaryIO

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
from .base import ExportSet, VariantGroup, utf8, xml_comment, xml_safe

ROOT = "$course$/top/quizgen"
MOODLE_FRACTIONS = ("100", "90", "83.33333", "80", "75", "70", "66.66667", "60", "50", "40", "33.33333", "30",
                    "25", "20", "16.66667", "14.28571", "12.5", "11.11111", "10", "5")  # fmt: skip
"""The grade fractions Moodle's importer accepts, written exactly as it expects them."""


class ExportCheckError(AssertionError):
    """A calculated question's formula disagrees with a variant the generator made (a bug)."""


def export(data: ExportSet) -> bytes:
    """The quiz, written question by question (memory stays flat however many there are)."""
    chunks = [
        b'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n',
        utf8(f"  <!-- {xml_comment(data.title)}: exported by quizgen, seed {data.seed} -->\n"),
    ]
    holder = ET.Element("quiz")  # category elements are built under it, then written and dropped

    def write(element: ET.Element) -> None:
        ET.indent(element, level=1)
        chunks.append(b"  " + ET.tostring(element, encoding="utf-8", xml_declaration=False) + b"\n")

    def category(path: str, title: str) -> None:
        _category(holder, path, title)
        write(holder[-1])
        holder.remove(holder[-1])

    by_topic: dict[str, list[Question]] = {}
    for question in data.questions:
        by_topic.setdefault(question.topic, []).append(question)
    for topic, questions in by_topic.items():
        category(f"{ROOT}/{topic}", data.topics[topic].title if topic in data.topics else topic)
        for question in questions:
            write(question_element(question))
    for group in data.groups:
        category(f"{ROOT}/{group.topic}/{group.id}", group.generator.title)
        for question in group.variants:
            write(question_element(question))
        calculated = calculated_element(group)
        if calculated is not None:
            category(f"{ROOT}/{group.topic}/{group.id}-calculated", f"{group.generator.title} (calculated)")
            write(calculated)
    chunks.append(b"</quiz>\n")
    return b"".join(chunks)


# -- elements ---------------------------------------------------------------------


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    """A child element; any character XML 1.0 forbids in its text becomes U+FFFD.

    (Attributes are this module's own constants: formats, fractions, types.)
    """
    element = ET.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = text if text.isprintable() else xml_safe(text)  # (xml_safe's quick test, inline)
    return element


def _text(parent: ET.Element, tag: str, value: str, html: bool = True) -> ET.Element:
    element = _sub(parent, tag, format="html") if html else _sub(parent, tag)
    _sub(element, "text", value)
    return element


def _html(text: str, inline: bool = False) -> str:
    """Bank text as HTML for Moodle, in which no ``{=...}`` is left for a calculated question to evaluate."""
    return inert_expressions(to_html(text, inline, "tex"))


def inert_expressions(html: str) -> str:
    """HTML with each ``{=`` written ``&#123;=``: shown the same, never evaluated.

    Moodle's calculated questions replace every ``{=expression}`` in their texts
    (question text, feedback) with its value when a student sees them. Only the
    expressions quizgen itself writes (the answer of a template's explanation) may be
    evaluated; in bank text ``{=`` is text. Moodle looks for ``{=`` in the stored HTML;
    the browser shows the entity as ``{``.
    """
    return html.replace("{=", "&#123;=") if "{=" in html else html


def _category(quiz: ET.Element, path: str, title: str) -> None:
    question = _sub(quiz, "question", type="category")
    _text(question, "category", path, html=False)
    _text(question, "info", _html(title, inline=True))


def _common(question: Question, kind: str, name: str | None = None) -> ET.Element:
    element = ET.Element("question", type=kind)
    _text(element, "name", name or question.id, html=False)
    _text(element, "questiontext", _html(question.prompt.strip()))
    _text(element, "generalfeedback", _html(question.explanation.strip()))
    _sub(element, "defaultgrade", "1.0000000")
    _sub(element, "penalty", "0.3333333")
    _sub(element, "hidden", "0")
    _sub(element, "idnumber", question.id)
    return element


def _tags(element: ET.Element, question: Question) -> None:
    tags = _sub(element, "tags")
    for tag in (
        question.topic,
        question.type,
        *question.tags,
        *([question.generator] if question.generator else []),
    ):
        _text(tags, "tag", tag, html=False)


def _fraction(value: float) -> str:
    """The closest fraction Moodle accepts (it refuses others on import)."""
    closest = min(MOODLE_FRACTIONS, key=lambda allowed: abs(float(allowed) - abs(value)))
    return f"-{closest}" if value < 0 else closest


def _answer(
    element: ET.Element, fraction: str, text: str, feedback: str | None, html: bool = True
) -> ET.Element:
    answer = _sub(element, "answer", fraction=fraction, format="html" if html else "moodle_auto_format")
    _sub(answer, "text", text)
    _text(answer, "feedback", _html(feedback, inline=True) if feedback else "")
    return answer


def question_element(question: Question) -> ET.Element:
    if isinstance(question, (ChoiceQuestion, MultiQuestion)):
        element = _common(question, "multichoice")
        single = isinstance(question, ChoiceQuestion)
        correct = {question.answer} if isinstance(question, ChoiceQuestion) else set(question.answers)
        wrong_count = len(question.options) - len(correct)
        _sub(element, "single", "true" if single else "false")
        _sub(element, "shuffleanswers", "true" if question.shuffle else "false")
        _sub(element, "answernumbering", "123")
        _sub(element, "showstandardinstruction", "0")
        _text(element, "correctfeedback", "Correct.")
        _text(element, "partiallycorrectfeedback", "Partly correct.")
        _text(element, "incorrectfeedback", "Not quite: read the worked solution.")
        for number, option in enumerate(question.options, start=1):
            if number in correct:
                fraction = "100" if single else _fraction(100 / len(correct))
            else:
                fraction = "0" if single or not wrong_count else _fraction(-100 / wrong_count)
            _answer(element, fraction, _html(option.text, inline=True), option.feedback)
    elif isinstance(question, TrueFalseQuestion):
        element = _common(question, "truefalse")
        for value in (True, False):
            _answer(element, "100" if question.answer is value else "0", str(value).lower(), None, html=False)
    elif isinstance(question, (IntegerQuestion, NumericQuestion)):
        element = _common(question, "numerical")
        tolerance = 0.0
        if isinstance(question, NumericQuestion):
            low, high = question.bounds()
            tolerance = (high - low) / 2
        answer = _answer(element, "100", _number(question.answer), None, html=False)
        _sub(answer, "tolerance", repr(float(tolerance)))
        for mistake in question.mistakes:  # 0 %: Moodle takes the first answer within tolerance
            around, width = mistake.value, 0.0
            if isinstance(question, NumericQuestion):
                low, high = Tolerance(around, question.tolerance, question.tolerance_type).bounds()
                width = (high - low) / 2
            shown = int(around) if isinstance(question, IntegerQuestion) and around.is_integer() else around
            wrong = _answer(element, "0", _number(shown), mistake.feedback, html=False)
            _sub(wrong, "tolerance", repr(float(width)))
        _numerical_units(element)
    elif isinstance(question, TextQuestion):
        element = _common(question, "shortanswer")
        _sub(element, "usecase", "0")
        for form in question.accepted_forms():
            _answer(element, "100", form, None, html=False)
    else:  # pragma: no cover - every type is handled above
        raise TypeError(type(question).__name__)
    _tags(element, question)
    return element


def _numerical_units(element: ET.Element) -> None:
    _sub(element, "unitgradingtype", "0")
    _sub(element, "unitpenalty", "0.1000000")
    _sub(element, "showunits", "3")
    _sub(element, "unitsleft", "0")


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


def calculated_element(group: VariantGroup) -> ET.Element | None:
    generator: Generator = group.generator
    spec = generator.calculated
    if spec is None or not group.variants:
        return None
    names = spec.params
    formula = Formula.parse(spec.answer, names)
    items: list[dict[str, Any]] = []
    for variant in group.variants:
        params = variant.params or {}
        values = {name: params[name] for name in names}
        expected = answer_value(variant)
        ours = formula.evaluate(values)  # type: ignore[arg-type]
        if expected is not None and not math.isclose(
            float(ours), float(expected), rel_tol=1e-9, abs_tol=1e-12
        ):
            raise ExportCheckError(
                f"{generator.id}: formula gives {ours} for {values}, the variant says {expected}"
            )
        items.append(values)
    element = ET.Element("question", type="calculated")
    _text(element, "name", f"{generator.id} (calculated)", html=False)
    _text(element, "questiontext", _html(_keep_latex_braces(spec.prompt, names)))
    _text(element, "generalfeedback", _explanation(spec.explanation, spec.answer, names))
    _sub(element, "defaultgrade", "1.0000000")
    _sub(element, "penalty", "0.3333333")
    _sub(element, "hidden", "0")
    _sub(element, "idnumber", f"{generator.id}-calculated")
    _sub(element, "synchronize", "0")
    _sub(element, "single", "0")
    _sub(element, "answernumbering", "abc")
    _sub(element, "shuffleanswers", "0")
    _text(element, "correctfeedback", "Correct.")
    _text(element, "partiallycorrectfeedback", "")
    _text(element, "incorrectfeedback", "Not quite: read the worked solution.")
    answer = _sub(element, "answer", fraction="100")
    _sub(answer, "text", moodle_formula(spec.answer, names))
    relative = spec.tolerance_type == "relative"
    _sub(answer, "tolerance", repr(float(spec.tolerance)))
    _sub(answer, "tolerancetype", "1" if relative else "2")  # 1 relative, 2 nominal (absolute)
    whole = (
        not relative
        and spec.tolerance == 0
        and all(isinstance(v, int) for v in map(answer_value, group.variants))
    )
    _sub(answer, "correctanswerformat", "1" if whole else "2")  # 1 decimals, 2 significant figures
    _sub(answer, "correctanswerlength", "0" if whole else "4")
    _text(answer, "feedback", "")
    _numerical_units(element)
    definitions = _sub(element, "dataset_definitions")
    for name in names:
        column = [item[name] for item in items]
        decimals = max((len(repr(v).split(".")[1]) if isinstance(v, float) else 0) for v in column)
        definition = _sub(definitions, "dataset_definition")
        _text(definition, "status", "private", html=False)
        _text(definition, "name", name, html=False)
        _sub(definition, "type", "calculated")
        _text(definition, "distribution", "uniform", html=False)
        _text(definition, "minimum", _number(min(column)), html=False)
        _text(definition, "maximum", _number(max(column)), html=False)
        _text(definition, "decimals", str(decimals), html=False)
        _sub(definition, "itemcount", str(len(column)))
        dataset = _sub(definition, "dataset_items")
        for number, value in enumerate(column, start=1):
            item = _sub(dataset, "dataset_item")
            _sub(item, "number", str(number))
            _sub(item, "value", _number(value))
        _sub(definition, "number_of_items", str(len(column)))
    tags = _sub(element, "tags")
    for tag in (generator.topic, "calculated", generator.id):
        _text(tags, "tag", tag, html=False)
    return element


def _number(value: Any) -> str:
    return repr(value) if isinstance(value, float) else str(value)


def write(data: ExportSet, stream: BinaryIO) -> None:
    """The export written to ``stream``."""
    stream.write(export(data))


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
