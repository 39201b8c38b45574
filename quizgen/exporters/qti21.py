"""IMS QTI 2.1 content package (format ``qti21``): Blackboard, Brightspace, OpenOLAT, Inspera, TAO and
Canvas New Quizzes import it.

The zip holds::

    items/<ID>.xml       one assessmentItem per bank question and per generator variant
    tests/<ID>.xml       one assessmentTest: a section per topic holding its bank questions, and in it,
                         per generator, a section with <selection select="1"/> over the variants
    imsmanifest.xml      IMS Content Packaging 1.1 with IMS Metadata 1.2.2: every item and the test as a
                         resource with its file; metadata: titles, quizgen's version, the quizgen ids

Identifiers are quizgen's own: an item's identifier is the bank question's id or the variant's
(``xavier-uniform-0a1b2c3d``), the same that names it in the drill log, a worksheet key, Moodle and Canvas
(a QTI identifier is an XML NCName, so an id that starts with a digit gets a ``Q`` in front; slugs are
lower case, so that never collides).

Items, by quizgen type (every item: ``RESPONSE``; outcomes ``SCORE`` 0..1, ``MAXSCORE`` 1 and ``FEEDBACK``,
the identifiers of the modal feedback to show)::

    choice      choiceInteraction maxChoices=1, options C1..Cn   match(RESPONSE, correct)
    true_false  choiceInteraction maxChoices=1, TRUE and FALSE    match(RESPONSE, correct)
    multi       choiceInteraction maxChoices=0, options C1..Cn   match: the same set (all-or-nothing, as
                                                                  the drill grades; no partial credit)
    integer     textEntryInteraction, integer                     match(RESPONSE, correct)
    numeric     textEntryInteraction, float                       equal, toleranceMode="absolute": the exact
                                                                  decimal width (a relative tolerance multiplied
                                                                  out) plus the grader's 1e-9 slack for rounding
    text        textEntryInteraction, string                      or(patternMatch per accepted form)

Response processing is written out in each item (no ``template``: the standard templates set only SCORE,
and every item also sets FEEDBACK). It mirrors :func:`quizgen.grading.grade`: SCORE is 1 exactly when
the drill would say correct; a wrong option shows its own feedback or its misconception's; a wrong number
that a named mistake gives (integer: that number; numeric: within the question's tolerance of it, the first
in order) shows the mistake's feedback; every answered item shows ``CORRECT`` or ``INCORRECT``, and every item
the worked solution (``SOLUTION``). A NULL response (nothing answered, or input the delivery engine cannot read
as the response's base type) scores 0 and shows only the solution. A text answer's pattern reads it as
:func:`quizgen.grading.normalise_text` does: any case, any run of spaces, hyphens and underscores between
words, surrounding spaces and final full stops; the declaration also maps every accepted spelling
(``base.short_answer_forms``, case-insensitive) for importers that read mappings rather than rules.

Maths is MathML 2 inside the item body (:func:`quizgen.richtext.to_html`), no LaTeX left as text. Bank
text is escaped once, by the Markdown renderer (raw HTML off), and is only ever element content or an
attribute value here.

Written as it is made: each item goes into the zip as its variant is drawn (nothing of it is kept); only
each item's identifiers, type, title and topic are kept (a tuple of shared strings), for the test and the
manifest, which come last, besides the zip's own index entry. Entries are deflated by ISA-L (``isal``)
when it is installed, zlib otherwise; the stream is written through without seeking, so a file, a pipe
and a BytesIO get the same bytes.

QTI 2.1's XHTML is narrower than what the Markdown renderer writes: a link's ``title`` is dropped and a
list numbered from another number than 1 says its numbers in its items (:func:`_qti_xhtml`). The test
asks engines to show feedback and solutions after submitting (QTI's defaults hide them).
"""

from __future__ import annotations

import collections
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any, BinaryIO, NamedTuple, assert_never
from xml.etree import ElementTree as ET

from .._version import __version__
from ..models import (
    ChoiceQuestion,
    IntegerQuestion,
    Misconception,
    MultiQuestion,
    NumericQuestion,
    Option,
    Question,
    TextQuestion,
    TrueFalseQuestion,
)
from ..precision import answer_form, stated_precision
from ..richtext import html_template, tighten_mathml, to_html, to_html_once
from ..termmath import render as _plain
from ..textview import answer_text, question_title
from .base import (
    ExportSet,
    decimal_plain,
    export_digest,
    person_number,
    short_answer_forms,
    tolerance_width,
    zip_info,
)
from .base import xml_safe as _xml_safe
from .check import ExportReadError

__all__ = ["ITEM_TYPES", "MANIFEST", "QTI_NS", "item_identifier", "item_xml", "read_back", "write"]

QTI_NS = "http://www.imsglobal.org/xsd/imsqti_v2p1"
QTI_XSD = "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
CP_NS = "http://www.imsglobal.org/xsd/imscp_v1p1"
MD_NS = "http://www.imsglobal.org/xsd/imsmd_v1p2"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
MATHML_NS = "http://www.w3.org/1998/Math/MathML"
MANIFEST = "imsmanifest.xml"

_DEFLATE: Any
try:
    from isal import isal_zlib as _DEFLATE  # type: ignore[import-not-found, unused-ignore, no-redef]
except ImportError:  # pragma: no cover (a platform without ISA-L's wheels: zlib, slower)
    _DEFLATE = None
INT32 = 2**31 - 1
"""QTI's integer base type is xsd:int; an integer answer beyond it is declared as a float compared exactly."""

ITEM_TYPES = ("choice", "multi", "true_false", "integer", "numeric", "text")
"""What ``--check`` counts, read from each item's interaction and response declaration."""

_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


# -- escaping -----------------------------------------------------------------------


def _text(value: str) -> str:
    """Element text: ``& < >`` escaped, characters XML cannot hold shown as U+FFFD."""
    return _xml_safe(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(value: str) -> str:
    """An attribute value (double-quoted): ``& < > "`` and the whitespace controls escaped."""
    value = _text(value).replace('"', "&quot;")
    return value.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")


_DIGITS = re.compile(r"[0-9]+")


def _html(text: str, inline: bool = False) -> str:
    """Bank Markdown as the XHTML and MathML a QTI 2.1 body holds (markdown-it escapes the text; raw HTML
    is off; MathML tightened). A text with numbers (a variant's) is made from its template, rendered once
    for every text that differs from it only in its digits; nothing is kept per variant."""
    text = text.strip()
    numbers = _DIGITS.findall(text)
    if not numbers:
        return _plain_html(text, inline)
    template = _template(_DIGITS.sub("0", text), inline)
    if template is not None:
        return template.format(*numbers)
    return _qti_xhtml(to_html_once(text, inline, "mathml"))


@lru_cache(maxsize=4096)
def _template(key: str, inline: bool) -> str | None:
    template = html_template(key, inline, "mathml")
    return None if template is None else _qti_xhtml(template)


@lru_cache(maxsize=4096)
def _plain_html(text: str, inline: bool) -> str:
    """A text without digits (a bank's feedback, a misconception's description), shared by many items."""
    return _qti_xhtml(to_html(text, inline, "mathml"))


_LINK_TITLE = re.compile(r'(<a href="[^"]*") title="[^"]*"')
_NUMBERED_FROM = re.compile(r'<ol start="')


def _qti_xhtml(html: str) -> str:
    """The renderer's HTML as QTI 2.1's XHTML takes it: XML-safe, MathML tightened, no ``title`` on a link
    (a tooltip QTI does not allow), and a list numbered from another number than 1 (``<ol start>``, which
    QTI does not allow) written as a list whose items say their numbers."""
    html = _LINK_TITLE.sub(r"\1", _xml_safe(tighten_mathml(html)))
    return _renumbered(html) if _NUMBERED_FROM.search(html) else html


def _renumbered(html: str) -> str:
    from lxml import etree  # type: ignore[import-untyped, unused-ignore]

    root = etree.fromstring(f'<div xmlns="{QTI_NS}">{html}</div>')
    for listing in root.iter(f"{{{QTI_NS}}}ol"):
        start = listing.attrib.pop("start", None)
        if start is None:
            continue
        listing.tag = f"{{{QTI_NS}}}ul"
        for number, item in enumerate(listing.iterchildren(f"{{{QTI_NS}}}li"), start=int(start)):
            target = (
                item[0]
                if len(item) and item[0].tag == f"{{{QTI_NS}}}p" and not (item.text or "").strip()
                else item
            )
            target.text = f"{number}. {target.text or ''}"
    inner: str = etree.tostring(root, encoding="unicode")
    return inner[inner.index(">") + 1 : inner.rindex("</div>")]


def _block(html: str) -> str:
    """HTML as block content: an inline rendering wrapped in <p> unless it already is blocks."""
    return html if html.startswith("<") and not html.startswith("<math") else f"<p>{html}</p>"


# -- identifiers ----------------------------------------------------------------------


def item_identifier(question_id: str) -> str:
    """The item's QTI identifier: the quizgen id, with ``Q`` in front when it starts with a digit (an
    NCName cannot)."""
    return question_id if question_id[:1].isalpha() else f"Q{question_id}"


def _test_identifier(data: ExportSet) -> str:
    return f"quizgen-test-{export_digest(data)}"


# -- items ----------------------------------------------------------------------------


def _outcomes() -> str:
    return (
        '<outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float" normalMaximum="1">'
        "<defaultValue><value>0</value></defaultValue></outcomeDeclaration>\n"
        '<outcomeDeclaration identifier="MAXSCORE" cardinality="single" baseType="float">'
        "<defaultValue><value>1</value></defaultValue></outcomeDeclaration>\n"
        '<outcomeDeclaration identifier="FEEDBACK" cardinality="multiple" baseType="identifier"/>\n'
    )


def _set(identifier: str, expression: str) -> str:
    return f'<setOutcomeValue identifier="{identifier}">{expression}</setOutcomeValue>'


def _value(base_type: str, value: str) -> str:
    return f'<baseValue baseType="{base_type}">{value}</baseValue>'


_RESPONSE = '<variable identifier="RESPONSE"/>'
_CORRECT = '<correct identifier="RESPONSE"/>'


def _feedback_set(*identifiers: str, with_response: bool = False) -> str:
    """FEEDBACK := the response's identifiers (options chosen) and the given ones."""
    parts = [_RESPONSE] if with_response else []
    parts += [_value("identifier", identifier) for identifier in identifiers]
    return _set("FEEDBACK", f"<multiple>{''.join(parts)}</multiple>")


def _score(value: str) -> str:
    return _set("SCORE", _value("float", value))


def _processing(condition: str, mistakes: tuple[tuple[str, str], ...], options: bool) -> str:
    """Response processing: NULL → 0 and the solution; ``condition`` → 1; each ``(mistake id, its test)``
    → 0 and that mistake's feedback; anything else → 0."""
    lines = [
        "<responseProcessing>",
        "<responseCondition>",
        f"<responseIf><isNull>{_RESPONSE}</isNull>{_score('0')}{_feedback_set('SOLUTION')}</responseIf>",
        f"<responseElseIf>{condition}{_score('1')}"
        f"{_feedback_set('CORRECT', 'SOLUTION', with_response=options)}</responseElseIf>",
    ]
    for identifier, test in mistakes:
        lines.append(
            f"<responseElseIf>{test}{_score('0')}"
            f"{_feedback_set('INCORRECT', identifier, 'SOLUTION')}</responseElseIf>"
        )
    lines.append(
        f"<responseElse>{_score('0')}"
        f"{_feedback_set('INCORRECT', 'SOLUTION', with_response=options)}</responseElse>"
    )
    lines += ["</responseCondition>", "</responseProcessing>"]
    return "\n".join(lines) + "\n"


_CHOICE_PROCESSING = _processing(f"<match>{_RESPONSE}{_CORRECT}</match>", (), True)


def _modal(identifier: str, html: str) -> str:
    return (
        f'<modalFeedback outcomeIdentifier="FEEDBACK" showHide="show" identifier="{identifier}">'
        f"{html}</modalFeedback>\n"
    )


class _Item(NamedTuple):
    """What the test and the manifest need of an item (kept while the items are written: a tuple of
    strings that, but for the identifier, every variant of a generator shares)."""

    identifier: str
    question_id: str
    kind: str
    """The quizgen type, as ``--check`` reads it back."""
    interaction: str
    """The QTI interaction (``choiceInteraction``, ``textEntryInteraction``): the manifest's metadata."""
    title: str
    topic: str


class _ItemWriter:
    """Items of one export: the misconceptions their feedback names."""

    def __init__(self, misconceptions: dict[str, Misconception]) -> None:
        self.misconceptions = misconceptions

    def item(self, question: Question, title: str | None = None) -> tuple[_Item, str]:
        """The question's record and its assessmentItem document; ``title`` by default is the prompt's
        start (a variant's is its generator's title, the same for every variant)."""
        identifier = item_identifier(question.id)
        title = _xml_safe(title if title is not None else question_title(question, _plain))
        form = _entry_form(question)
        prompt = _block(_html(question.prompt))
        feedback: list[str] = []
        match question:
            case ChoiceQuestion() | MultiQuestion() | TrueFalseQuestion():
                declaration, body, processing, feedback = self._choices(question)
                interaction = "choiceInteraction"
            case IntegerQuestion() | NumericQuestion() | TextQuestion():
                declaration, processing, feedback, length = self._entry(question)
                label = f"Answer with {form}: " if form else "Answer: "
                body = (
                    f"<p>{_text(label)}"
                    f'<textEntryInteraction responseIdentifier="RESPONSE" expectedLength="{length}"/></p>\n'
                )
                interaction = "textEntryInteraction"
            case _:
                assert_never(question)
        verdicts = _modal("CORRECT", "<p>\u2713 Correct.</p>") + _modal(
            "INCORRECT", "<p>\u2717 Not quite.</p>"
        )
        solution = _modal(
            "SOLUTION",
            f"<p>The answer: {_answer_html(question)}</p>\n{_block(_html(question.explanation))}",
        )
        document = (
            f"{_DECLARATION}"
            f'<assessmentItem xmlns="{QTI_NS}" xmlns:xsi="{XSI_NS}" '
            f'xsi:schemaLocation="{QTI_NS} {QTI_XSD}" identifier="{identifier}" '
            f'title="{_attr(title)}" adaptive="false" timeDependent="false">\n'
            f"{declaration}{_outcomes()}"
            f"<itemBody>\n{prompt}\n{body}</itemBody>\n"
            f"{processing}{verdicts}{''.join(feedback)}{solution}"
            "</assessmentItem>\n"
        )
        return _Item(identifier, question.id, question.type, interaction, title, question.topic), document

    def _choices(
        self, question: ChoiceQuestion | MultiQuestion | TrueFalseQuestion
    ) -> tuple[str, str, str, list[str]]:
        feedback: list[str] = []
        match question:
            case TrueFalseQuestion():
                choices = [("TRUE", "True"), ("FALSE", "False")]
                correct = ["TRUE" if question.answer else "FALSE"]
                single, shuffle = True, False
            case ChoiceQuestion() | MultiQuestion():
                numbers = range(1, len(question.options) + 1)
                choices = [
                    (f"C{n}", _html(option.text, True))
                    for n, option in zip(numbers, question.options, strict=True)
                ]
                right = {question.answer} if isinstance(question, ChoiceQuestion) else set(question.answers)
                correct = [f"C{n}" for n in sorted(right)]
                single, shuffle = isinstance(question, ChoiceQuestion), question.shuffle
                for n, option in zip(numbers, question.options, strict=True):
                    text = self._option_feedback(option, n in right)
                    if text is not None:
                        feedback.append(_modal(f"C{n}", _block(_html(text))))
            case _:
                assert_never(question)
        cardinality = "single" if single else "multiple"
        values = "".join(f"<value>{c}</value>" for c in correct)
        declaration = (
            f'<responseDeclaration identifier="RESPONSE" cardinality="{cardinality}" baseType="identifier">'
            f"<correctResponse>{values}</correctResponse></responseDeclaration>\n"
        )
        options = "\n".join(f'<simpleChoice identifier="{c}">{html}</simpleChoice>' for c, html in choices)
        body = (
            f'<choiceInteraction responseIdentifier="RESPONSE" shuffle="{"true" if shuffle else "false"}" '
            f'maxChoices="{1 if single else 0}">\n{options}\n</choiceInteraction>\n'
        )
        processing = _CHOICE_PROCESSING
        return declaration, body, processing, feedback

    def _option_feedback(self, option: Option, correct: bool) -> str | None:
        """An option's own feedback; for a wrong option without one, its misconception's title and description."""
        if option.feedback:
            return option.feedback
        if not correct and option.misconception:
            known = self.misconceptions.get(option.misconception)
            if known is not None:
                return f"{known.title}. {known.description}"
        return None

    def _mistake_feedback(self, feedback: str | None, misconception: str | None) -> str | None:
        if feedback:
            return feedback
        known = self.misconceptions.get(misconception) if misconception else None
        return f"{known.title}. {known.description}" if known is not None else None

    def _entry(
        self, question: IntegerQuestion | NumericQuestion | TextQuestion
    ) -> tuple[str, str, list[str], int]:
        feedback: list[str] = []
        mistakes: list[tuple[str, str]] = []
        match question:
            case IntegerQuestion():
                exact = abs(question.answer) <= INT32
                base = "integer" if exact else "float"
                answer = str(question.answer)
                declaration = _declaration(base, answer)
                condition = (
                    f"<match>{_RESPONSE}{_CORRECT}</match>"
                    if exact
                    else f'<equal toleranceMode="exact">{_RESPONSE}{_CORRECT}</equal>'
                )
                for n, mistake in enumerate(question.mistakes, start=1):
                    if not mistake.value.is_integer():  # an integer response never equals it
                        continue
                    value = str(int(mistake.value))
                    test = (
                        f"<match>{_RESPONSE}{_value('integer', value)}</match>"
                        if exact and abs(int(mistake.value)) <= INT32
                        else f'<equal toleranceMode="exact">{_RESPONSE}{_value("float", value)}</equal>'
                    )
                    mistakes.append((f"M{n}", test))
                    text = self._mistake_feedback(mistake.feedback, mistake.misconception)
                    if text is not None:
                        feedback.append(_modal(f"M{n}", _block(_html(text))))
                length = max(6, len(answer) + 2)
            case NumericQuestion():
                answer = person_number(question.answer)
                declaration = _declaration("float", answer)
                condition = _within(_CORRECT, _numeric_width(question, question.answer))
                for n, mistake in enumerate(question.mistakes, start=1):
                    m_width = _numeric_width(question, mistake.value)
                    mistakes.append(
                        (f"M{n}", _within(_value("float", person_number(mistake.value)), m_width))
                    )
                    text = self._mistake_feedback(mistake.feedback, mistake.misconception)
                    if text is not None:
                        feedback.append(_modal(f"M{n}", _block(_html(text))))
                length = max(8, len(answer) + 2)
            case TextQuestion():
                forms = short_answer_forms(question.accepted_forms()).forms
                entries = "".join(
                    f'<mapEntry mapKey="{_attr(form)}" mappedValue="1" caseSensitive="false"/>'
                    for form in forms
                )
                declaration = (
                    '<responseDeclaration identifier="RESPONSE" cardinality="single" baseType="string">'
                    f"<correctResponse><value>{_text(question.answer)}</value></correctResponse>"
                    f'<mapping defaultValue="0" lowerBound="0" upperBound="1">{entries}</mapping>'
                    "</responseDeclaration>\n"
                )
                patterns = [text_pattern(form) for form in question.accepted_forms()]
                tests = "".join(
                    f'<patternMatch pattern="{_attr(pattern)}">{_RESPONSE}</patternMatch>'
                    for pattern in dict.fromkeys(patterns)
                )
                condition = f"<or>{tests}</or>"
                length = max(12, max(len(form) for form in question.accepted_forms()) + 4)
            case _:
                assert_never(question)
        return declaration, _processing(condition, tuple(mistakes), False), feedback, length


def _entry_form(question: Question) -> str | None:
    """What to type, said before answering, as an LMS reads it: a decimal number (no fractions or
    products, which quizgen's own grader reads but a QTI engine does not)."""
    match question:
        case ChoiceQuestion() | MultiQuestion() | TrueFalseQuestion() | TextQuestion():
            return None
        case IntegerQuestion():
            return answer_form(None, integer=True)
        case NumericQuestion():
            precision = stated_precision(question.prompt)
            if precision is None:
                return "a number (e.g. 0.35)"
            if precision.kind == "exact":
                return "the exact value as a decimal number (e.g. 0.35)"
            return answer_form(precision)
        case _:
            assert_never(question)


def _numeric_width(question: NumericQuestion, around: float) -> Decimal:
    """The width accepted around ``around``: the question's tolerance as an exact decimal (a relative one
    multiplied by ``|around|``) plus quizgen's own slack for float rounding, 1e-9 times ``|around|`` (at
    least 1e-9). A QTI engine computes ``around ± width`` in doubles: without the slack it refuses half the
    answers that sit exactly on an edge (4.8005 - 0.0005 is 4.800000000000001), as the drill does not; and
    an exact answer with no short decimal (2/3) can be typed as the drill takes it."""
    slack = Decimal("1e-9") * max(Decimal(1), abs(Decimal(repr(float(around)))))
    if question.tolerance == 0:
        return slack
    return tolerance_width(around, question.tolerance, question.tolerance_type) + slack


def _declaration(base_type: str, answer: str) -> str:
    return (
        f'<responseDeclaration identifier="RESPONSE" cardinality="single" baseType="{base_type}">'
        f"<correctResponse><value>{answer}</value></correctResponse></responseDeclaration>\n"
    )


def _within(target: str, width: Decimal) -> str:
    """RESPONSE within ``width`` of ``target``, both bounds included."""
    tolerance = decimal_plain(width)
    return (
        f'<equal toleranceMode="absolute" tolerance="{tolerance} {tolerance}" '
        f'includeLowerBound="true" includeUpperBound="true">{_RESPONSE}{target}</equal>'
    )


def _answer_html(question: Question) -> str:
    match question:
        case MultiQuestion():
            return _html(answer_text(question, separator="; "), True)
        case _:
            return _html(answer_text(question), True)


# A text answer's pattern (XML Schema regular expression, matched against the whole response).
_SEPARATORS = r"[\s\-_]"
_XSD_SPECIAL = set("\\|.-^?*+{}()[]")  # ($ is an ordinary character in XML Schema patterns)


def text_pattern(form: str) -> str:
    """The XML Schema pattern that accepts what :func:`quizgen.grading.normalise_text` reads as ``form``:
    letters in either case, any run of spaces, hyphens and underscores between words, and around the answer
    spaces, hyphens, underscores and (after it) full stops."""
    from ..grading import normalise_text

    words = normalise_text(form).split(" ")
    pieces = [f"{_SEPARATORS}*"]
    for index, word in enumerate(words):
        if index:
            pieces.append(f"{_SEPARATORS}+")
        for char in word:
            upper, lower = char.upper(), char.lower()
            if upper != lower and len(upper) == 1 and len(lower) == 1 and upper.lower() == lower:
                pieces.append(f"[{lower}{upper}]")
            elif char in _XSD_SPECIAL:
                pieces.append("\\" + char)
            else:
                pieces.append(char)
    pieces.append(r"[\s\-_.]*")
    return "".join(pieces)


def item_xml(question: Question, misconceptions: dict[str, Misconception] | None = None) -> str:
    """One question's assessmentItem document (for tests and callers that want a single item)."""
    return _ItemWriter(misconceptions or {}).item(question)[1]


# -- the test and the manifest --------------------------------------------------------------------


@dataclass
class _Section:
    topic: str
    title: str
    items: list[_Item]
    groups: list[tuple[str, str, list[_Item]]]
    """(generator id, its title, its variants' items)"""


def _sections(data: ExportSet) -> dict[str, _Section]:
    """A section per topic, in the set's topic order (a topic only variants name comes after them)."""
    return {topic_id: _Section(topic_id, topic.title, [], []) for topic_id, topic in data.topics.items()}


def _section_for(data: ExportSet, sections: dict[str, _Section], topic_id: str) -> _Section:
    section = sections.get(topic_id)
    if section is None:
        topic = data.topic(topic_id)
        section = sections[topic_id] = _Section(topic_id, topic.title if topic else topic_id, [], [])
    return section


def _ref(item: _Item) -> str:
    return f'<assessmentItemRef identifier="{item.identifier}" href="../items/{item.identifier}.xml"/>'


def test_xml(data: ExportSet, sections: dict[str, _Section], identifier: str) -> Iterator[str]:
    """The assessmentTest, in pieces: a section per topic; in it the topic's bank questions, then a
    section per generator that draws one of its variants."""
    yield (
        f"{_DECLARATION}"
        f'<assessmentTest xmlns="{QTI_NS}" xmlns:xsi="{XSI_NS}" '
        f'xsi:schemaLocation="{QTI_NS} {QTI_XSD}" identifier="{identifier}" title="{_attr(data.title)}" '
        f'toolName="quizgen" toolVersion="{_attr(__version__)}">\n'
        '<outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float"/>\n'
        '<outcomeDeclaration identifier="MAXSCORE" cardinality="single" baseType="float"/>\n'
        '<testPart identifier="part-1" navigationMode="nonlinear" submissionMode="simultaneous">\n'
        # Engines show modal feedback and solutions only when asked (QTI's defaults are false); the test
        # is practice, so after submitting a student sees the verdict, the feedback and the worked solution.
        '<itemSessionControl maxAttempts="1" showFeedback="true" allowReview="true" showSolution="true"/>\n'
    )
    for index, section in enumerate(s for s in sections.values() if s.items or s.groups):
        yield (
            f'<assessmentSection identifier="topic-{index + 1}" title="{_attr(section.title)}" visible="true">\n'
        )
        for item in section.items:
            yield _ref(item) + "\n"
        for generator, title, items in section.groups:
            yield (
                f'<assessmentSection identifier="generator-{generator}" '
                f'title="{_attr(title)}" visible="false">\n<selection select="1"/>\n'
            )
            for item in items:
                yield _ref(item) + "\n"
            yield "</assessmentSection>\n"
        yield "</assessmentSection>\n"
    yield (
        "</testPart>\n<outcomeProcessing>\n"
        + _set("SCORE", '<sum><testVariables variableIdentifier="SCORE"/></sum>')
        + "\n"
        + _set("MAXSCORE", '<sum><testVariables variableIdentifier="MAXSCORE"/></sum>')
        + "\n</outcomeProcessing>\n</assessmentTest>\n"
    )


def _lom(identifier: str, title: str, keywords: Iterable[str] = (), description: str | None = None) -> str:
    md = "imsmd:"
    parts = [
        f"<{md}lom><{md}general>",
        f"<{md}identifier>{_text(identifier)}</{md}identifier>",
        f'<{md}title><{md}langstring xml:lang="en">{_text(title)}</{md}langstring></{md}title>',
    ]
    if description:
        parts.append(
            f'<{md}description><{md}langstring xml:lang="en">{_text(description)}</{md}langstring></{md}description>'
        )
    parts += [
        f'<{md}keyword><{md}langstring xml:lang="en">{_text(word)}</{md}langstring></{md}keyword>'
        for word in keywords
    ]
    parts += [
        f"</{md}general><{md}lifecycle>",
        f'<{md}version><{md}langstring xml:lang="en">quizgen {_text(__version__)}</{md}langstring></{md}version>',
        f"</{md}lifecycle></{md}lom>",
    ]
    return "".join(parts)


def manifest_xml(data: ExportSet, records: list[_Item], test: str) -> Iterator[str]:
    """imsmanifest.xml in pieces: the package's metadata, then every item (its file, title, quizgen id,
    topic and interaction) and the test, which depends on them all."""
    digest = export_digest(data)
    yield (
        f"{_DECLARATION}"
        f'<manifest xmlns="{CP_NS}" xmlns:imsmd="{MD_NS}" xmlns:xsi="{XSI_NS}" '
        f'identifier="quizgen-{digest}" '
        f'xsi:schemaLocation="{CP_NS} http://www.imsglobal.org/xsd/imscp_v1p1.xsd '
        f'{MD_NS} http://www.imsglobal.org/xsd/imsmd_v1p2p2.xsd">\n'
        "<metadata><schema>QTIv2.1 Package</schema><schemaversion>1.0.0</schemaversion>"
        + _lom(
            f"quizgen-{digest}", data.title, description=f"Made by quizgen {__version__} (seed {data.seed})."
        )
        + "</metadata>\n<organizations/>\n<resources>\n"
    )
    yield (
        f'<resource identifier="{test}" type="imsqti_test_xmlv2p1" href="tests/{test}.xml">\n'
        f"<metadata>{_lom(test, data.title)}</metadata>\n"
        f'<file href="tests/{test}.xml"/>\n'
    )
    for item in records:
        yield f'<dependency identifierref="item-{item.identifier}"/>\n'
    yield "</resource>\n"
    for item in records:
        href = f"items/{item.identifier}.xml"
        yield (
            f'<resource identifier="item-{item.identifier}" type="imsqti_item_xmlv2p1" href="{href}">\n'
            f"<metadata>{_lom(item.question_id, item.title, (item.topic, item.interaction))}</metadata>\n"
            f'<file href="{href}"/>\n</resource>\n'
        )
    yield "</resources>\n</manifest>\n"


# -- the package ----------------------------------------------------------------------


def _entry(archive: zipfile.ZipFile, name: str, size: int = 0) -> Any:
    """A zip entry open for writing, deflated by ISA-L when it is installed (4 times zlib's speed at the
    same size: deflating is a third of this export's time) and by zlib otherwise. zipfile has no public
    way to choose the deflater; the entry's compressor is swapped before anything is written."""
    info = zip_info(name, 1)
    info.file_size = size  # (zipfile decides from it whether the entry needs zip64 sizes)
    entry: Any = archive.open(info, "w")
    if _DEFLATE is not None and getattr(entry, "_compressor", None) is not None:
        entry._compressor = _DEFLATE.compressobj(1, _DEFLATE.DEFLATED, -15)
    return entry


def _put(archive: zipfile.ZipFile, name: str, content: bytes) -> None:
    with _entry(archive, name, len(content)) as entry:
        entry.write(content)


def _questions(data: ExportSet) -> Iterator[tuple[Question, str | None, str | None]]:
    """Every question with the generator it comes from (id and title), groups drawn one variant at a time."""
    for question in data.questions:
        yield question, None, None
    for group in data.groups:
        for question in group:
            yield question, group.id, group.generator.title


def write(data: ExportSet, stream: BinaryIO) -> None:
    """The QTI 2.1 package, written to ``stream`` as it is made (the same set gives the same bytes).

    Each item goes into the zip as it is made; the test and the manifest, which list them all, come last.
    (Deflating in a second thread is slower here: each small entry would hand the GIL back and forth.)
    """
    writer = _ItemWriter(data.misconceptions)
    sections = _sections(data)
    stream = _Forward(stream)  # type: ignore[assignment]  # the same bytes to a file, a pipe or a BytesIO
    groups: dict[str, list[_Item]] = {}
    records: list[_Item] = []
    test = _test_identifier(data)
    with zipfile.ZipFile(stream, "w") as archive:
        for question, generator, generator_title in _questions(data):
            item, document = writer.item(question, generator_title)
            _put(archive, f"items/{item.identifier}.xml", document.encode("utf-8"))
            records.append(item)
            if generator is None:
                _section_for(data, sections, question.topic).items.append(item)
                continue
            variants = groups.get(generator)
            if variants is None:
                variants = groups[generator] = []
                group = next(g for g in data.groups if g.id == generator)
                _section_for(data, sections, group.topic).groups.append(
                    (generator, _xml_safe(generator_title or generator), variants)
                )
            variants.append(item)
        with _entry(archive, f"tests/{test}.xml") as entry:
            for piece in test_xml(data, sections, test):
                entry.write(piece.encode("utf-8"))
        with _entry(archive, MANIFEST) as entry:
            for piece in manifest_xml(data, records, test):
                entry.write(piece.encode("utf-8"))


class _Forward(io.RawIOBase):
    """Writes through to a stream without offering to seek, so that zipfile writes every entry the one way
    it can to a pipe (sizes in a data descriptor after the data): the bytes never depend on the stream."""

    def __init__(self, stream: BinaryIO) -> None:
        super().__init__()
        self._stream = stream

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._stream.write(data)
        return len(data)

    def flush(self) -> None:
        self._stream.flush()


# -- reading back (export --check) ----------------------------------------------------


def _kind(root: ET.Element) -> str | None:
    """The quizgen type an item's declaration and interaction show."""
    q = f"{{{QTI_NS}}}"
    declaration = root.find(f"{q}responseDeclaration")
    if declaration is None:
        return None
    base, cardinality = declaration.get("baseType"), declaration.get("cardinality")
    if root.find(f".//{q}choiceInteraction") is not None:
        if cardinality == "multiple":
            return "multi"
        ids = {c.get("identifier") for c in root.iter(f"{q}simpleChoice")}
        return "true_false" if ids == {"TRUE", "FALSE"} else "choice"
    if root.find(f".//{q}textEntryInteraction") is not None:
        if base == "float" and any(e.get("toleranceMode") == "exact" for e in root.iter(f"{q}equal")):
            return "integer"  # an integer beyond xsd:int, declared as a float compared exactly
        return {"integer": "integer", "float": "numeric", "string": "text"}.get(base or "")
    return None


def read_back(raw: bytes) -> collections.Counter[str]:
    """Items per quizgen type, read as an importer reads the package: the manifest's item resources, each
    item's file, its interaction and response declaration."""
    found: collections.Counter[str] = collections.Counter()
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile:
        raise ExportReadError("not a zip file") from None
    with archive:
        names = set(archive.namelist())
        if MANIFEST not in names:
            raise ExportReadError("no imsmanifest.xml in the package")
        manifest = ET.fromstring(archive.read(MANIFEST))
        c = f"{{{CP_NS}}}"
        tests = 0
        for resource in manifest.iter(f"{c}resource"):
            kind = resource.get("type")
            href = resource.get("href") or ""
            if kind not in ("imsqti_item_xmlv2p1", "imsqti_test_xmlv2p1"):
                continue
            if href not in names:
                raise ExportReadError(f"the manifest lists {href!r}, which is not in the package")
            if kind == "imsqti_test_xmlv2p1":
                tests += 1
                continue
            item_type = _kind(ET.fromstring(archive.read(href)))
            if item_type is None:
                raise ExportReadError(f"{href}: not an item quizgen writes (no known interaction)")
            found[item_type] += 1
        if not tests:
            raise ExportReadError("the manifest lists no assessmentTest")
    return found
