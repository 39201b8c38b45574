"""Moodle XML: a category per topic, a category per generator, and `calculated` questions.

* Every question goes under the export's own category, `$course$/top/quizgen/<version>-<digest>`
  (:func:`category_root`; tags `quizgen-<version>`, `quizgen-export-<digest>`).
* Bank questions go to `.../<topic>` as multichoice (single or
  multiple, with grade fractions from Moodle's list), truefalse, numerical (with
  an absolute tolerance, and each named mistake as a 0 % answer with its feedback after the
  right one) and shortanswer; the worked explanation is the general
  feedback, each option's misconception feedback its answer feedback.
* Each generator's N pre-rendered variants go to `.../<topic>/<generator>`
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

from .._version import __version__
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
    TrueFalseQuestion,
)
from ..precision import Precision, stated_precision
from ..richtext import to_html
from ..serialize import answer_value
from .base import (
    ExportSet,
    decimal_plain,
    export_digest,
    export_label,
    moodle_pattern,
    person_number,
    short_answer_forms,
    tolerance_width,
    utf8,
    xml_comment,
    xml_safe,
)

render_html = to_html.__wrapped__
"""``richtext.to_html`` without its cache: an export renders each text once, and the cache would
otherwise keep up to 32,768 variant texts alive (memory growing with the number of variants)."""

ROOT = "$course$/top/quizgen"
"""The category of every export; an export's own categories are under ``ROOT/<version>-<digest>``
(:func:`category_root`)."""
MOODLE_FRACTIONS = ("100", "90", "83.33333", "80", "75", "70", "66.66667", "60", "50", "40", "33.33333", "30",
                    "25", "20", "16.66667", "14.28571", "12.5", "11.11111", "10", "5")  # fmt: skip
"""The grade fractions Moodle's importer accepts, written exactly as it expects them."""


class ExportCheckError(AssertionError):
    """A calculated question's formula disagrees with a variant the generator made (a bug)."""


def category_root(data: ExportSet) -> str:
    """The category every question of this export goes under: ``$course$/top/quizgen/<version>-<digest>``.

    Moodle adds questions again on every import (it never updates one), and keeps an ID number
    only while it is unique in its category: a category per export content keeps two exports
    apart, each with its questions' ID numbers (see docs/lms.md, "Importing again").
    """
    return f"{ROOT}/{export_label(data)}"


def export_tags(data: ExportSet) -> tuple[str, ...]:
    """Tags every question of the export carries: quizgen's version and the export's digest."""
    return (f"quizgen-{__version__}", f"quizgen-export-{export_digest(data)}")


def write(data: ExportSet, stream: BinaryIO) -> None:
    """The quiz, written into ``stream`` question by question; each group's variants are drawn as
    they are written (memory stays flat however many there are)."""
    put = stream.write
    root = category_root(data)
    extra = export_tags(data)
    put(b'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n')
    put(
        utf8(
            f"  <!-- {xml_comment(data.title)}: exported by quizgen {__version__}, seed {data.seed}, "
            f"content digest {export_digest(data)} -->\n"
        )
    )
    put(
        utf8(
            category_xml(
                root,
                f"{data.title}: exported by quizgen {__version__} (seed {data.seed}, content digest "
                f"{export_digest(data)}). Each question's ID number is its quizgen id.",
            )
        )
    )
    by_topic: dict[str, list[Question]] = {}
    for question in data.questions:
        by_topic.setdefault(question.topic, []).append(question)
    for topic, questions in by_topic.items():
        known = data.topic(topic)
        put(utf8(category_xml(f"{root}/{topic}", known.title if known else topic)))
        for question in questions:
            put(utf8(question_xml(question, extra)))
    for group in data.groups:
        put(utf8(category_xml(f"{root}/{group.topic}/{group.id}", group.generator.title)))
        calculated = _Items(group.generator)
        for question in group:
            put(utf8(question_xml(question, extra)))
            calculated.add(question)
        text = calculated.xml(extra)
        if text is not None:
            put(
                utf8(
                    category_xml(
                        f"{root}/{group.topic}/{group.id}-calculated", f"{group.generator.title} (calculated)"
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


def _question_tags(question: Question, extra: Sequence[str] = ()) -> str:
    return _tags(
        dict.fromkeys(
            (
                question.topic,
                question.type,
                *question.tags,
                *([question.generator] if question.generator else []),
                *extra,
            )
        )
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
    """The answer and each named mistake with the width quizgen accepts around it, in exact decimal
    (a relative tolerance times the number, as the bank wrote both), written positionally."""
    parts = _common(question, "numerical")

    def width(around: float) -> str:
        if isinstance(question, NumericQuestion):
            return decimal_plain(tolerance_width(around, question.tolerance, question.tolerance_type))
        return "0"

    parts.append(
        _answer("100", person_number(question.answer), None, html=False, tolerance=width(question.answer))
    )
    for mistake in question.mistakes:  # 0 %: Moodle takes the first answer within tolerance
        around = mistake.value
        shown = int(around) if integer and around.is_integer() else around
        parts.append(
            _answer("0", person_number(shown), mistake.feedback, html=False, tolerance=width(around))
        )
    parts.append(_NUMERICAL_UNITS)
    return parts


def question_xml(question: Question, extra_tags: Sequence[str] = ()) -> str:
    """One question as Moodle XML text (at level 1, ending with a line break); ``extra_tags`` are
    added to the question's own (the export's version and digest)."""
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
            forms = short_answer_forms(question.accepted_forms())
            if not forms.complete:
                parts.insert(0, f"  <!-- {xml_comment(forms.note(question.id))} -->\n")
            parts.append(f"{_L2}<usecase>0</usecase>\n")
            parts.extend(_answer("100", moodle_pattern(form), None, html=False) for form in forms.forms)
        case _:
            assert_never(question)
    parts.append(_question_tags(question, extra_tags))
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


def shown_formula(formula: str, precision: Precision | None) -> str:
    """A Moodle formula whose value is the answer written as the prompt asks: Moodle prints a ``{=...}``
    with all of PHP's 14 digits (``0.0099009900990099``), so it is rounded in the formula itself
    (``round(x, 2 - floor(log10(abs(x))))`` for 3 significant figures; 6 when the prompt states none)."""
    if precision is not None and precision.kind == "decimals":
        return f"round({formula}, {precision.digits})"
    if precision is not None and precision.kind in ("integer", "exact"):
        return formula
    digits = precision.digits if precision is not None else 6
    return f"round({formula}, {digits - 1} - floor(log10(abs({formula}))))"


def _explanation(text: str, answer: str, names: tuple[str, ...], precision: Precision | None = None) -> str:
    """The general feedback of a calculated question: ``{answer}`` becomes ``{=formula}``, Moodle's to evaluate
    (rounded as the prompt asks: :func:`shown_formula`).

    The text is rendered with a marker in place of ``{answer}`` (letters, which
    Markdown leaves alone) and any ``{=`` of its own made inert; then the marker
    becomes the one expression that quizgen writes.
    """
    marker = "QUIZGENANSWER"
    while marker in text or marker in _html(text):  # (an entity could spell it)
        marker += "X"
    rendered = _html(_keep_latex_braces(text, names).replace("{answer}", marker))
    return rendered.replace(marker, "{=" + shown_formula(moodle_formula(answer, names), precision) + "}")


class _Items:
    """A calculated question's dataset, collected from the variants as they are written (only their
    parameter values and answers are kept), each checked against the answer formula."""

    def __init__(self, generator: Generator) -> None:
        self.generator = generator
        self.spec = generator.calculated
        self.items: list[dict[str, Any]] = []
        self.left_out: list[str] = []
        """Variants asked with another tolerance than the calculated question's (an exact value)."""
        self.whole = True
        self.rounds = True
        """Whether no item's answer is 0 (where rounding to significant figures takes log10(0))."""
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
        if not same_tolerance(variant, self.spec.tolerance, self.spec.tolerance_type):
            self.left_out.append(variant.id)  # quizgen asks these numbers another way (the exact value)
            return
        self.whole = self.whole and isinstance(expected, int)
        self.rounds = self.rounds and bool(ours)
        self.items.append(values)

    def xml(self, extra_tags: Sequence[str] = ()) -> str | None:
        """The calculated question, or None when the generator has none (or no variant was written)."""
        if self.spec is None or not self.items:
            return None
        return calculated_xml(
            self.generator, self.items, self.whole, extra_tags, left_out=self.left_out, rounds=self.rounds
        )


def same_tolerance(variant: Question, tolerance: float, kind: str) -> bool:
    """Whether quizgen accepts the same range for ``variant`` as a calculated question with this tolerance
    would (a choice variant asks no tolerance: its numbers are asked typed with the generator's)."""
    if isinstance(variant, NumericQuestion):
        if variant.tolerance == 0 and tolerance == 0:
            return True
        return (variant.tolerance, variant.tolerance_type) == (tolerance, kind)
    if isinstance(variant, IntegerQuestion):
        return tolerance == 0
    return True


def answer_display(precision: Precision | None, whole: bool) -> tuple[str, str]:
    """Moodle's ``correctanswerformat`` (1 decimals, 2 significant figures) and ``correctanswerlength``:
    the correct answer shown as the prompt asks for it (6 significant figures when it states nothing)."""
    if whole or (precision is not None and precision.kind == "integer"):
        return "1", "0"
    if precision is not None and precision.kind == "decimals":
        return "1", str(precision.digits)
    if precision is not None and precision.kind == "significant":
        return "2", str(precision.digits)
    return "2", "6"


def calculated_xml(
    generator: Generator,
    items: Sequence[dict[str, Any]],
    whole_answers: bool,
    extra_tags: Sequence[str] = (),
    *,
    left_out: Sequence[str] = (),
    rounds: bool = True,
) -> str:
    """A ``calculated`` question of the generator with the dataset ``items`` (parameter values of its
    variants, already checked); ``whole_answers``: every variant's answer is an int; ``left_out``:
    variants whose numbers quizgen asks with another tolerance (not in the dataset); ``rounds``:
    the feedback may round the answer (no item's answer is 0)."""
    spec = generator.calculated
    assert spec is not None
    names = spec.params
    relative = spec.tolerance_type == "relative"
    whole = not relative and spec.tolerance == 0 and whole_answers
    precision = stated_precision(spec.prompt)
    answer_format, answer_length = answer_display(precision, whole)
    shown = precision if rounds and not whole else Precision("exact")
    parts = [
        *(
            [
                f"  <!-- {xml_comment(', '.join(left_out))}: asked for the exact value, not in the dataset -->\n"
            ]
            if left_out
            else []
        ),
        '  <question type="calculated">\n',
        _text(_L2, "name", f"{generator.id} (calculated)", html=False),
        _text(_L2, "questiontext", _html(_keep_latex_braces(spec.prompt, names))),
        _text(_L2, "generalfeedback", _explanation(spec.explanation, spec.answer, names, shown)),
        f"{_L2}<defaultgrade>1.0000000</defaultgrade>\n{_L2}<penalty>0.3333333</penalty>\n{_L2}<hidden>0</hidden>\n",
        _leaf(_L2, "idnumber", f"{generator.id}-calculated"),
        f"{_L2}<synchronize>0</synchronize>\n{_L2}<single>0</single>\n{_L2}<answernumbering>abc</answernumbering>\n"
        f"{_L2}<shuffleanswers>0</shuffleanswers>\n",
        _text(_L2, "correctfeedback", "Correct."),
        _text(_L2, "partiallycorrectfeedback", ""),
        _text(_L2, "incorrectfeedback", "Not quite: read the worked solution."),
        f'{_L2}<answer fraction="100">\n',
        _leaf(_L3, "text", moodle_formula(spec.answer, names)),
        _leaf(_L3, "tolerance", person_number(spec.tolerance)),
        _leaf(_L3, "tolerancetype", "1" if relative else "2"),  # 1 relative, 2 nominal (absolute)
        _leaf(_L3, "correctanswerformat", answer_format),  # 1 decimals, 2 significant figures
        _leaf(_L3, "correctanswerlength", answer_length),
        _text(_L3, "feedback", ""),
        f"{_L2}</answer>\n",
        _NUMERICAL_UNITS,
        f"{_L2}<dataset_definitions>\n",
    ]
    for name in names:
        column = [item[name] for item in items]
        decimals = max(len(person_number(v).partition(".")[2]) if isinstance(v, float) else 0 for v in column)
        parts += [
            f"{_L3}<dataset_definition>\n",
            _text(_L4, "status", "private", html=False),
            _text(_L4, "name", name, html=False),
            f"{_L4}<type>calculated</type>\n",
            _text(_L4, "distribution", "uniform", html=False),
            _text(_L4, "minimum", person_number(min(column)), html=False),
            _text(_L4, "maximum", person_number(max(column)), html=False),
            _text(_L4, "decimals", str(decimals), html=False),
            f"{_L4}<itemcount>{len(column)}</itemcount>\n",
            f"{_L4}<dataset_items>\n",
        ]
        parts += [
            f"{_L5}<dataset_item>\n{_L6}<number>{number}</number>\n"
            f"{_L6}<value>{_escape(person_number(value))}</value>\n{_L5}</dataset_item>\n"
            for number, value in enumerate(column, start=1)
        ]
        parts += [f"{_L4}</dataset_items>\n", f"{_L4}<number_of_items>{len(column)}</number_of_items>\n"]
        parts.append(f"{_L3}</dataset_definition>\n")
    parts.append(f"{_L2}</dataset_definitions>\n")
    parts.append(_tags(dict.fromkeys((generator.topic, "calculated", generator.id, *extra_tags))))
    parts.append("  </question>\n")
    return "".join(parts)


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
