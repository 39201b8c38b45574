r"""GIFT, Moodle's text format: a category per topic and per generator, HTML text, every special escaped.

    // quizgen: weight initialisation: exported by quizgen, seed 1

    $CATEGORY: $course$/top/quizgen/xavier

    // [id:xavier-01] [tag:xavier] [tag:choice]
    ::xavier-01::[html]<p>Var(W) is?</p>{
        =\\(\\frac\{2\}\{n_\{in\} + n_\{out\}\}\\)#Right: the sum of the fans.
        ~\\(\\frac\{2\}\{n_\{in\} n_\{out\}\}\\)#Xavier uses the sum, not the product.
        ####<p>The worked solution.</p>
    }

* Bank questions go to `$course$/top/quizgen/<version>-<digest>/<topic>` (the Moodle XML export's
  categories); each generator's variants to
  `.../<topic>/<generator>`, for Moodle's "random question from category".
  A `// [id:...] [tag:...]` comment gives Moodle the question's id as its ID number, and tags
  (Moodle versions that predate this read it as a plain comment).
* choice `{=right ~wrong}`; multi `{~%50%a ~%50%b ~%-100%c}`: the right options share 100 %
  and the wrong ones -100 %, each written as the nearest grade Moodle accepts (so three right
  options get 33.33333 each, which Moodle's importer counts as 100 % in all); true/false `{T}`
  or `{F}`; integer `{#42}`; numeric `{#answer:tolerance}`, a relative tolerance turned into
  the absolute `tolerance * |answer|` in exact decimal arithmetic; text `{=form =form}`. A
  question with named mistakes lists each after the answer as a 0 % answer with its feedback,
  `{#=answer:tolerance =%0%mistake:tolerance#feedback}`, so Moodle names the mistake as the drill does.
* The worked explanation is the general feedback (`####`), an option's feedback its `#` feedback.
* Text is safe HTML from richtext, maths as `\( ... \)` for Moodle's MathJax. Then, as Moodle's
  own exporter does, `\ ~ = # { } :` each get a backslash and a line break becomes `\n`: both
  Moodle and gift-pegjs turn `\\` back into `\` and `\{` into `{`, so MathJax still sees
  `\(\frac{2}{n}\)`, and no question holds a blank line or a line starting with `//`.
* Numbers are positional decimals (`0.00001`, never `1e-05`): Moodle reads both, gift-pegjs
  only the first.
"""

from __future__ import annotations

import collections
import io
import re
from decimal import Context, Decimal
from typing import BinaryIO, assert_never

from ..errors import QuizgenError
from ..models import (
    ChoiceQuestion,
    IntegerQuestion,
    MultiQuestion,
    NumericQuestion,
    Question,
    TextQuestion,
    TrueFalseQuestion,
)
from .base import ExportSet, person_number, short_answer_forms, utf8, xml_safe
from .moodle import MOODLE_FRACTIONS, category_root, export_tags, inert_expressions, render_html

_SPECIAL = re.compile(r"[\\~=#{}:]")
# At the start of an answer these would be read as a weight or a text format, not as text.
_AMBIGUOUS_START = re.compile(r"%|\[(?:html|moodle|plain|markdown)\]")
_EXACT = Context(prec=80)  # enough digits for the exact product of two floats' shortest decimals


def write(data: ExportSet, stream: BinaryIO) -> None:
    """The export written into ``stream`` question by question; each group's variants are drawn as
    they are written (memory stays flat however many there are)."""
    title = " ".join(xml_safe(data.title).split())  # one line, no control character
    root = category_root(data)
    extra = export_tags(data)
    put = stream.write
    put(
        utf8(
            f"// {title}: exported by quizgen, seed {data.seed}\n"
            f"// {len(data.questions)} bank questions, {data.variant_count} variants "
            f"of {len(data.groups)} generators; import in Moodle: Question bank > Import > GIFT format"
        )
    )
    by_topic: dict[str, list[Question]] = {}
    for question in data.questions:
        by_topic.setdefault(question.topic, []).append(question)
    for topic, questions in by_topic.items():  # blocks apart by a blank line
        put(utf8(f"\n\n$CATEGORY: {root}/{topic}"))
        for question in questions:
            put(utf8("\n\n" + question_text(question, extra)))
    for group in data.groups:
        put(utf8(f"\n\n$CATEGORY: {root}/{group.topic}/{group.id}"))
        for question in group:
            put(utf8("\n\n" + question_text(question, extra)))
    put(b"\n")


def export(data: ExportSet) -> bytes:
    """The whole export in memory (small sets and tests)."""
    buffer = io.BytesIO()
    write(data, buffer)
    return buffer.getvalue()


def escape(text: str) -> str:
    """Text as GIFT reads it back: a backslash before each of ``\\ ~ = # { } :``, ``\\n`` for a line break."""
    escaped = _SPECIAL.sub(lambda match: "\\" + match.group(0), text)
    return escaped.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def question_text(question: Question, extra_tags: tuple[str, ...] = ()) -> str:
    """One question: an id-and-tags comment, ``::id::[html]prompt{ answers ####explanation }``."""
    notes: list[str] = []
    if isinstance(question, TextQuestion) and (arrows := _arrow_forms(question)):
        notes.append(
            f"// {question.id}: accepted forms left out, GIFT reads '->' as a matching pair: "
            + ", ".join(escape(form) for form in arrows)
        )
    if isinstance(question, TextQuestion):
        capped = short_answer_forms(question.accepted_forms()).note(question.id)
        if capped:
            notes.append(f"// {' '.join(capped.split())}")
    tags = [
        question.topic,
        question.type,
        *question.tags,
        *([question.generator] if question.generator else []),
        *extra_tags,
    ]
    meta = " ".join([f"[id:{_meta(question.id)}]", *(f"[tag:{_meta(t)}]" for t in dict.fromkeys(tags))])
    return "\n".join(
        [
            *notes,
            f"// {meta}",
            f"::{escape(question.id)}::[html]{_html(question.prompt)}{{",
            *(f"\t{line}" for line in _answers(question)),
            f"\t####{_html(question.explanation)}",
            "}",
        ]
    )


def _answers(question: Question) -> list[str]:
    match question:
        case ChoiceQuestion():
            return [
                ("=" if number == question.answer else "~") + _option(option.text, option.feedback)
                for number, option in enumerate(question.options, start=1)
            ]
        case MultiQuestion():
            right = set(question.answers)
            wrong_count = len(question.options) - len(right)
            right_weight = _weight(100 / len(right))
            wrong_weight = f"-{_weight(100 / wrong_count)}" if wrong_count else "0"
            return [
                f"~%{right_weight if number in right else wrong_weight}%"
                + _option(option.text, option.feedback)
                for number, option in enumerate(question.options, start=1)
            ]
        case TrueFalseQuestion():
            return ["T" if question.answer else "F"]
        case IntegerQuestion():
            if not question.mistakes:
                return [f"#{question.answer}"]
            return [
                f"#={question.answer}",
                *(_mistake(m.value, Decimal(0), m.feedback) for m in question.mistakes),
            ]
        case NumericQuestion():
            answer = f"{person_number(question.answer)}:{_decimal(_width(question, question.answer))}"
            if not question.mistakes:
                return [f"#{answer}"]
            return [
                f"#={answer}",
                *(_mistake(m.value, _width(question, m.value), m.feedback) for m in question.mistakes),
            ]
        case TextQuestion():
            return _forms(question)
        case _:
            assert_never(question)


def _arrow_forms(question: TextQuestion) -> list[str]:
    """Forms GIFT cannot hold: Moodle reads a block with `=` and `->` as a matching question, and
    GIFT has no escape for `-` or `>`."""
    return [form for form in short_answer_forms(question.accepted_forms()).forms if "->" in form]


def _forms(question: TextQuestion) -> list[str]:
    """The forms Moodle needs to grade as quizgen does (:func:`~.base.short_answer_forms`: each with
    space, hyphen, underscore or two spaces between words, and with a final full stop), as plain
    text (Moodle compares them with what the student typed), less `->` ones."""
    forms = [form for form in short_answer_forms(question.accepted_forms()).forms if "->" not in form]
    if not forms:
        raise QuizgenError(
            f"question {question.id!r}: GIFT cannot hold a short answer containing '->' "
            "(Moodle reads it as a matching question); export it as Moodle XML instead"
        )
    lines = []
    for form in forms:
        form = form.replace("*", "\\*")  # Moodle's short answer reads a bare * as a wildcard
        weight = "%100%" if form.startswith("%") else ""  # or `%5%...` would be read as a weight
        lines.append(f"={weight}{escape(form)}")
    return lines


def _width(question: NumericQuestion, around: float) -> Decimal:
    """The question's tolerance around ``around``, in exact decimal arithmetic."""
    width = Decimal(repr(question.tolerance))
    if question.tolerance_type == "relative":
        width = _EXACT.multiply(width, abs(Decimal(repr(around))))
    return width


def _mistake(value: float, width: Decimal, feedback: str | None) -> str:
    """A named mistake as a 0 % numerical answer: Moodle checks the answers in order, the right one first."""
    number = person_number(value)
    return f"=%0%{number}:{_decimal(width)}" + (f"#{_html(feedback, inline=True)}" if feedback else "")


def _option(text: str, feedback: str | None) -> str:
    return _html(text, inline=True) + (f"#{_html(feedback, inline=True)}" if feedback else "")


def _html(text: str, inline: bool = False) -> str:
    rendered = inert_expressions(
        render_html(text.strip(), inline, "tex")
    )  # as in Moodle XML: no {= to evaluate
    if _AMBIGUOUS_START.match(rendered):  # the same character as a numeric reference
        rendered = f"&#{ord(rendered[0])};{rendered[1:]}"
    return escape(rendered)


def _meta(value: str) -> str:
    """An id or tag inside `[id:...]` / `[tag:...]`, escaped as Moodle's exporter does."""
    return " ".join(value.split()).replace("]", "\\]")


def _weight(share: float) -> str:
    """The grade (percent) nearest to ``share`` among those Moodle's importer accepts."""
    return min(MOODLE_FRACTIONS, key=lambda allowed: abs(float(allowed) - share))


def _decimal(value: Decimal) -> str:
    """Digits and a point: PHP's is_numeric (Moodle) and gift-pegjs both read it; no float artefacts."""
    text = format(value.normalize(_EXACT), "f")
    return "0" if text == "-0" else text


# -- reading back (export --check) ----------------------------------------------------

_GIFT_QUESTION = re.compile(r"^::(?:[^:\\]|\\.)*::", re.MULTILINE)


def read_back(raw: bytes) -> collections.Counter[str]:
    """Question counts per type, read back as the format's consumer reads it (``export --check``)."""
    text = raw.decode("utf-8")
    return collections.Counter({"questions": len(_GIFT_QUESTION.findall(text))})
