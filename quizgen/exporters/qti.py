r"""Canvas QTI 1.2: a .zip that Canvas imports as a quiz (Import course content > QTI .zip file).

The layout is the one Canvas exports and text2qti writes::

    imsmanifest.xml                  IMS Content Packaging manifest (Canvas's imsccv1p1 namespace)
    <ident>/<ident>.xml              the questestinterop assessment
    <ident>/assessment_meta.xml      Canvas's quiz settings: title, points, answer shuffling

Question types (Canvas's ``question_type`` in each item's qtimetadata)::

    choice      multiple_choice_question   response_lid Single; the correct option's varequal scores 100
    multi       multiple_answers_question  response_lid Multiple; and(correct options, not(wrong ones))
    true_false  true_false_question        two options, True and False
    integer     numerical_question         exact: or(varequal x, and(vargte x, varlte x))
    numeric     numerical_question         exact with a margin: or(varequal x, and(vargte lo, varlte hi))
    text        short_answer_question      one varequal per accepted form (and its spellings: base.short_answer_forms)

Bank questions are plain items of the root section, topic by topic. Each generator's
variants form a question group, as Canvas exports one: a ``<section>`` whose
``selection_ordering`` picks 1 of its N items, worth 1 point (``points_per_item``).

Feedback: the worked explanation is the general feedback (``itemfeedback general_fb``,
shown whatever the answer); an option's own feedback, or for a wrong option the
description of its misconception, is shown when that option is picked.

Text is escaped exactly once: bank Markdown becomes safe HTML (:func:`richtext.to_html`,
maths as ``\( ... \)`` for Canvas's MathJax), and that HTML is the text of a
``mattext`` element, which lxml escapes. A literal ``<b>`` in a bank is ``&lt;b&gt;``
in the HTML and ``&amp;lt;b&amp;gt;`` in the file, so Canvas shows ``<b>``; nothing
in a bank becomes markup.

Numbers are written without float artefacts: bounds are computed with Decimal from
the shortest repr of the answer and tolerance (3.14 +- 0.005 gives 3.135 and 3.145,
not 3.1350000000000002), then written as the shortest decimal that round-trips.

Idents are stable: SHA-256 of the export's title and the question or generator id
(never ``hash()``); an option's ident is its item's plus its number. The same export
set gives the same bytes, and Canvas recognises its questions on a second import.

Speed (5,000 questions in a fraction of a second): items of one shape (type, number
of options, which are correct, which have feedback) share one element tree, built
once by the ordinary builder with a marker in every varying text and attribute,
and serialised once by lxml; each question fills those slots in the serialised
text. Bank text is always a whole element text or attribute value, escaped
exactly as lxml escapes it (tests compare the two, and check that the whole
document is what lxml writes when it re-serialises it). The zip's deflate runs in
a second thread while the items are written. Rendering the ~17,000 distinct texts
of such an export is :func:`richtext.to_html`'s business (it renders texts that differ only in their
numbers once per template, and simple paragraphs without markdown-it).
"""

from __future__ import annotations

import collections
import hashlib
import io
import queue
import re
import threading
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Context, Decimal
from typing import Any, BinaryIO, NamedTuple, assert_never
from xml.etree import ElementTree as ET

from lxml import etree  # type: ignore[import-untyped, unused-ignore]

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
from ..richtext import to_html
from .base import ExportSet, short_answer_forms, xml_safe, zip_info

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
CP_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
"""Canvas writes its manifest in the Common Cartridge 1.1 flavour of the IMS CP 1.1 namespace."""
MD_NS = "http://www.imsglobal.org/xsd/imsmd_v1p2"
CANVAS_NS = "http://canvas.instructure.com/xsd/cccv1p0"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{{{XSI_NS}}}schemaLocation"

POINTS = "1.0"
"""Every question, and every question group's pick, is worth one point."""

_DECIMAL = Context(prec=60)
"""Exact for sums and products of two float reprs (17 significant digits each)."""


# -- numbers ------------------------------------------------------------------------


def number_text(value: int | float | Decimal) -> str:
    """A number for Canvas: the shortest decimal that round-trips to the same float, no exponent.

    Integers are written exactly; ``Decimal("3.135")`` and ``3.135`` give ``3.135``,
    ``1e-05`` gives ``0.00001`` and ``2.0`` gives ``2``.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    text = repr(float(value))  # the shortest round trip; Decimal only to spell out an exponent
    if "e" in text or "n" in text:  # 1e-05, and inf or nan as Decimal spells them
        text = format(Decimal(text), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def numeric_bounds(question: NumericQuestion) -> tuple[Decimal, Decimal]:
    """The accepted interval of :meth:`NumericQuestion.bounds`, computed in decimal.

    The answer and tolerance are read as the decimals their reprs show (what the
    bank author wrote), so 3.14 with tolerance 0.005 gives exactly 3.135 and 3.145.
    """
    answer = Decimal(repr(question.answer))
    width = Decimal(repr(question.tolerance))
    if question.tolerance_type == "relative":
        width = _DECIMAL.multiply(width, abs(answer))
    return _DECIMAL.subtract(answer, width), _DECIMAL.add(answer, width)


# -- idents -------------------------------------------------------------------------


def stable_ident(kind: str, *parts: str) -> str:
    """``quizgen_<kind>_`` and 24 hex digits of SHA-256 of the kind and parts (stable everywhere)."""
    # (surrogatepass: a title from the command line may hold a lone surrogate; valid text is plain UTF-8)
    digest = hashlib.sha256("\x1f".join((kind, *parts)).encode("utf-8", "surrogatepass")).hexdigest()[:24]
    return f"quizgen_{kind}_{digest}"


def assessment_ident(data: ExportSet) -> str:
    """The quiz's ident (and its folder in the zip): from the title, the seed, every bank
    question's id, and each generator's id with its number of variants.

    Those determine the variants (a generator's variants are its first N distinct ones for
    the seed), so the ident is known before any variant is made, and the assessment can be
    written while they are.
    """
    ids = [q.id for q in data.questions]
    ids += [f"{group.id}*{group.count}" for group in data.groups]
    return stable_ident("assessment", data.title, f"seed {data.seed}", *ids)


# -- the package --------------------------------------------------------------------


def write(data: ExportSet, stream: BinaryIO) -> None:
    """The Canvas QTI .zip, written to ``stream`` as it is made (deterministic: the same export
    set gives the same bytes).

    The assessment, nearly all of the bytes, comes first: its items are written as each
    group's variants are drawn (none is kept) and deflated in a second thread
    while this one writes the next chunk (zlib lets go of the GIL while it works). The
    two small files follow; the settings file needs to know whether every choice
    question shuffles, which the items tell as they are written. ``stream`` may be a
    file or a BytesIO (an unseekable stream works too: zipfile then writes data descriptors).
    """
    ident = assessment_ident(data)
    with zipfile.ZipFile(stream, "w") as archive:
        items = _ItemWriter(data.title, data.misconceptions)
        # zlib level 1: twice as fast as its default, for a zip 1.5 times larger (1.4 MB, 5,000 questions).
        with archive.open(zip_info(f"{ident}/{ident}.xml", 1), "w") as entry:
            _write_behind(entry, assessment_chunks(data, ident, items))
        meta = assessment_meta_xml(data, ident, items.shuffles)
        archive.writestr(zip_info(f"{ident}/assessment_meta.xml", 1), meta)
        archive.writestr(zip_info("imsmanifest.xml", 1), manifest_xml(data, ident))


def export(data: ExportSet) -> bytes:
    """The Canvas QTI .zip in memory (:func:`write` to a BytesIO; for small exports and tests)."""
    buffer = io.BytesIO()
    write(data, buffer)
    return buffer.getvalue()


def _write_behind(stream: Any, chunks: Iterable[bytes]) -> None:
    """Write ``chunks`` to ``stream`` from a second thread while the next ones are produced."""
    pending: queue.Queue[bytes | None] = queue.Queue(maxsize=4)
    failures: list[BaseException] = []

    def drain() -> None:
        while (chunk := pending.get()) is not None:
            if not failures:
                try:
                    stream.write(chunk)
                except BaseException as exc:  # reported by the producer, below
                    failures.append(exc)

    writer = threading.Thread(target=drain, name="quizgen-qti-deflate", daemon=True)
    writer.start()
    try:
        for chunk in chunks:
            if failures:
                break
            pending.put(chunk)
    finally:
        pending.put(None)
        writer.join()
    if failures:
        raise failures[0]


def _sub(parent: Any, tag: str, text: str | None = None, attributes: dict[str, str] | None = None) -> Any:
    element = etree.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = text
    return element


def _nsmap(default: str, **prefixed: str) -> Any:
    """An lxml namespace map: the default namespace and the prefixed ones."""
    return {None: default, **prefixed}


_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def _document(root: Any) -> bytes:
    body: bytes = etree.tostring(root, encoding="UTF-8", xml_declaration=False, pretty_print=True)
    return _DECLARATION + body


def manifest_xml(data: ExportSet, ident: str) -> bytes:
    """imsmanifest.xml: the assessment and its Canvas settings file as two resources."""
    dependency = stable_ident("dependency", ident)
    cp = f"{{{CP_NS}}}"
    root = etree.Element(
        f"{cp}manifest",
        {
            "identifier": stable_ident("manifest", ident),
            SCHEMA_LOCATION: f"{CP_NS} http://www.imsglobal.org/xsd/imscp_v1p1.xsd "
            f"{MD_NS} http://www.imsglobal.org/xsd/imsmd_v1p2p2.xsd",
        },
        nsmap=_nsmap(CP_NS, imsmd=MD_NS, xsi=XSI_NS),
    )
    metadata = _sub(root, f"{cp}metadata")
    _sub(metadata, f"{cp}schema", "IMS Content")
    _sub(metadata, f"{cp}schemaversion", "1.1.3")
    md = f"{{{MD_NS}}}"
    title = _sub(_sub(_sub(metadata, f"{md}lom"), f"{md}general"), f"{md}title")
    _sub(title, f"{md}langstring", _xml_safe(data.title))
    _sub(root, f"{cp}organizations")
    resources = _sub(root, f"{cp}resources")
    resource = _sub(resources, f"{cp}resource", attributes={"identifier": ident, "type": "imsqti_xmlv1p2"})
    _sub(resource, f"{cp}file", attributes={"href": f"{ident}/{ident}.xml"})
    _sub(resource, f"{cp}dependency", attributes={"identifierref": dependency})
    meta = f"{ident}/assessment_meta.xml"
    resource = _sub(
        resources,
        f"{cp}resource",
        attributes={
            "identifier": dependency,
            "type": "associatedcontent/imscc_xmlv1p1/learning-application-resource",
            "href": meta,
        },
    )
    _sub(resource, f"{cp}file", attributes={"href": meta})
    return _document(root)


def points_possible(data: ExportSet) -> int:
    """One point per bank question and one per question group (a student answers one variant)."""
    return len(data.questions) + sum(1 for g in data.groups if g.count)


def _description(data: ExportSet) -> str:
    topics = ", ".join(t.title for t in data.topics.values())
    groups = sum(1 for g in data.groups if g.count)
    text = f"{len(data.questions)} questions and {groups} question groups (seed {data.seed})"
    return _html(f"{text}. Topics: {topics}." if topics else f"{text}.")


def assessment_meta_xml(data: ExportSet, ident: str, shuffles: bool) -> bytes:
    """assessment_meta.xml: Canvas's quiz settings (no public schema; the fields text2qti writes).

    Canvas shuffles answers quiz-wide: ``shuffles`` only when no choice question asks to
    keep its order (what :attr:`_ItemWriter.shuffles` found while writing the items).
    """
    points = f"{points_possible(data)}.0"
    c = f"{{{CANVAS_NS}}}"
    root = etree.Element(
        f"{c}quiz",
        {"identifier": ident, SCHEMA_LOCATION: f"{CANVAS_NS} https://canvas.instructure.com/xsd/cccv1p0.xsd"},
        nsmap=_nsmap(CANVAS_NS, xsi=XSI_NS),
    )
    settings = [
        ("title", _xml_safe(data.title)),
        ("description", _description(data)),
        ("shuffle_answers", "true" if shuffles else "false"),
        ("scoring_policy", "keep_highest"),
        ("hide_results", None),
        ("quiz_type", "assignment"),
        ("points_possible", points),
        ("show_correct_answers", "true"),
        ("anonymous_submissions", "false"),
        ("could_be_locked", "false"),
        ("allowed_attempts", "1"),
        ("one_question_at_a_time", "false"),
        ("cant_go_back", "false"),
        ("available", "false"),
        ("one_time_results", "false"),
        ("show_correct_answers_last_attempt", "false"),
        ("only_visible_to_overrides", "false"),
        ("module_locked", "false"),
    ]
    for tag, value in settings:
        _sub(root, f"{c}{tag}", value)
    assignment = _sub(root, f"{c}assignment", attributes={"identifier": stable_ident("assignment", ident)})
    for tag, value in [
        ("title", _xml_safe(data.title)),
        ("workflow_state", "unpublished"),
        ("quiz_identifierref", ident),
        ("points_possible", points),
        ("grading_type", "points"),
        ("submission_types", "online_quiz"),
        ("position", "1"),
    ]:
        _sub(assignment, f"{c}{tag}", value)
    _sub(root, f"{c}assignment_group_identifierref", stable_ident("assignment-group", ident))
    return _document(root)


# -- the assessment -----------------------------------------------------------------

INDENT = "  "
_ITEM_LEVEL = 3
"""questestinterop > assessment > section root_section > item; a group's items are one deeper."""


def assessment_xml(data: ExportSet, ident: str) -> bytes:
    """The questestinterop document: bank questions topic by topic, then one group per generator."""
    return b"".join(assessment_chunks(data, ident, _ItemWriter(data.title, data.misconceptions)))


CHUNK_ITEMS = 250
"""Items per chunk of :func:`assessment_chunks` (about 1 MB of XML)."""


def assessment_chunks(data: ExportSet, ident: str, items: _ItemWriter) -> Iterator[bytes]:
    """:func:`assessment_xml` in chunks of UTF-8, for writing while the rest is produced.

    Written as text: the containers from their serialised tags, each item from its
    shape's serialised template with the slots filled in (see :class:`_Shape`). The
    result is byte for byte what lxml writes for the same tree (tests compare them).
    """
    level = _ITEM_LEVEL
    schema = f"{QTI_NS} http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd"
    head = [
        f'<questestinterop xmlns="{QTI_NS}" xmlns:xsi="{XSI_NS}" xsi:schemaLocation="{_attr(schema)}">',
        f"\n{INDENT}",
        f'<assessment ident="{_attr(ident)}" title="{_attr(_xml_safe(data.title))}">',
        f"\n{INDENT * 2}",
        _serialised(_assessment_metadata()),
        f"\n{INDENT * 2}",
        '<section ident="root_section">',
    ]
    # Each piece is encoded on its own: joining items of different string widths
    # (ASCII, and text with "≈" or "→") into one str before encoding is 3 times slower.
    out: list[bytes] = [_DECLARATION, "".join(head).encode("utf-8")]
    write = out.append
    written = 0
    question: Question | None = None
    for section, questions in _sections(data):
        if section is not None:
            write(f"\n{INDENT * level}{section}\n{INDENT * (level + 1)}".encode())
            write(_serialised(_selection(level + 1)).encode())
        depth = level if section is None else level + 1
        indent = f"\n{INDENT * depth}".encode()
        for question in questions:
            write(indent)
            write(items.item(question, depth).encode())
            written += 1
            if written % CHUNK_ITEMS == 0:
                yield b"".join(out)
                out.clear()
        del questions  # nothing of a group outlives its section
        question = None
        if section is not None:
            write(f"\n{INDENT * level}</section>".encode())
    write(f"\n{INDENT * 2}</section>\n{INDENT}</assessment>\n</questestinterop>\n".encode())
    yield b"".join(out)


def _sections(data: ExportSet) -> Iterator[tuple[str | None, Iterable[Question]]]:
    """The bank questions (no section of their own), then each generator's group as a section's start tag.

    A group's variants are drawn one at a time as its items are written (iterating a group
    builds each variant as it is needed and keeps none).
    """
    yield None, _by_topic(data.questions, data.topics)
    for group in data.groups:
        if not group.count:
            continue
        title = _xml_safe(group.generator.title)
        ident = stable_ident("group", data.title, group.id)
        yield f'<section ident="{_attr(ident)}" title="{_attr(title)}">', group


def _serialised(element: Any) -> str:
    text: str = etree.tostring(element, encoding="unicode")
    return text


def _assessment_metadata() -> Any:
    metadata = etree.Element("qtimetadata")
    _metadata(metadata, [("cc_maxattempts", "1")])
    etree.indent(metadata, INDENT, level=2)
    return metadata


def _selection(level: int) -> Any:
    """Canvas's question group: pick 1 item of the section, worth POINTS."""
    ordering = etree.Element("selection_ordering")
    selection = _sub(ordering, "selection")
    _sub(selection, "selection_number", "1")
    _sub(_sub(selection, "selection_extension"), "points_per_item", POINTS)
    etree.indent(ordering, INDENT, level=level)
    return ordering


def _by_topic(questions: list[Question], topics: Iterable[str]) -> list[Question]:
    """The questions in the order of the topics (then any topic not listed), each topic in bank order."""
    order = {topic: index for index, topic in enumerate(topics)}
    return sorted(questions, key=lambda q: order.get(q.topic, len(order)))


def _metadata(parent: Any, fields: list[tuple[str, str]]) -> None:
    for label, entry in fields:
        field = _sub(parent, "qtimetadatafield")
        _sub(field, "fieldlabel", label)
        _sub(field, "fieldentry", entry)


# -- items --------------------------------------------------------------------------
#
# An item is built from a mapping of slot names to final strings (idents, HTML,
# numbers). The builders below are the single description of each item type; the
# shape machinery only calls them with markers instead of values.


class _ChoiceShape(NamedTuple):
    question_type: str
    correct: tuple[bool, ...]
    feedback: tuple[bool, ...]
    shuffle: bool


def _item_head(values: Mapping[str, str], question_type: str) -> Any:
    item = etree.Element("item", {"ident": values["ident"], "title": values["title"]})
    _metadata(
        _sub(_sub(item, "itemmetadata"), "qtimetadata"),
        [
            ("question_type", question_type),
            ("points_possible", POINTS),
            ("original_answer_ids", values["answer_ids"]),
            ("assessment_question_identifierref", values["ref"]),
        ],
    )
    return item


def _material(parent: Any, html: str) -> None:
    _sub(_sub(parent, "material"), "mattext", html, {"texttype": "text/html"})


def _processing(item: Any) -> Any:
    """<resprocessing> with the SCORE variable and the general feedback, shown for any answer."""
    processing = _sub(item, "resprocessing")
    _sub(
        _sub(processing, "outcomes"),
        "decvar",
        attributes={"maxvalue": "100", "minvalue": "0", "varname": "SCORE", "vartype": "Decimal"},
    )
    _sub(_condition(processing, True, "general_fb"), "other")
    return processing


def _condition(parent: Any, continues: bool, feedback: str | None = None, score: bool = False) -> Any:
    """A respcondition; returns its conditionvar for the caller to fill."""
    condition = _sub(parent, "respcondition", attributes={"continue": "Yes" if continues else "No"})
    variables = _sub(condition, "conditionvar")
    if score:
        _sub(condition, "setvar", "100", {"action": "Set", "varname": "SCORE"})
    if feedback is not None:
        _sub(condition, "displayfeedback", attributes={"feedbacktype": "Response", "linkrefid": feedback})
    return variables


def _equal(parent: Any, value: str) -> None:
    _sub(parent, "varequal", value, {"respident": "response1"})


def _feedback(item: Any, ident: str, html: str) -> None:
    _material(_sub(_sub(item, "itemfeedback", attributes={"ident": ident}), "flow_mat"), html)


def _build_choice(values: Mapping[str, str], shape: _ChoiceShape) -> Any:
    """Multiple choice, multiple answers or true/false: options c1..cN with texts t1..tN."""
    multiple = shape.question_type == "multiple_answers_question"
    item = _item_head(values, shape.question_type)
    presentation = _sub(item, "presentation")
    _material(presentation, values["prompt"])
    response = _sub(
        presentation,
        "response_lid",
        attributes={"ident": "response1", "rcardinality": "Multiple" if multiple else "Single"},
    )
    render = _sub(response, "render_choice", attributes={"shuffle": "Yes" if shape.shuffle else "No"})
    numbers = range(1, len(shape.correct) + 1)
    for n in numbers:
        _material(_sub(render, "response_label", attributes={"ident": values[f"c{n}"]}), values[f"t{n}"])
    processing = _processing(item)
    for n, has_feedback in zip(numbers, shape.feedback, strict=True):
        if has_feedback:
            _equal(_condition(processing, True, values[f"c{n}_fb"]), values[f"c{n}"])
    variables = _condition(processing, False, score=True)
    if multiple:
        variables = _sub(variables, "and")
        for n, correct in zip(numbers, shape.correct, strict=True):
            _equal(variables if correct else _sub(variables, "not"), values[f"c{n}"])
    else:
        _equal(variables, values[f"c{shape.correct.index(True) + 1}"])
    _feedback(item, "general_fb", values["explanation"])
    for n, has_feedback in zip(numbers, shape.feedback, strict=True):
        if has_feedback:
            _feedback(item, values[f"c{n}_fb"], values[f"f{n}"])
    return item


def _build_short_answer(values: Mapping[str, str], forms: int) -> Any:
    """Short answer: each accepted form a1..aN is a varequal of the scoring condition."""
    item = _item_head(values, "short_answer_question")
    presentation = _sub(item, "presentation")
    _material(presentation, values["prompt"])
    response = _sub(presentation, "response_str", attributes={"ident": "response1", "rcardinality": "Single"})
    _sub(_sub(response, "render_fib"), "response_label", attributes={"ident": "answer1", "rshuffle": "No"})
    variables = _condition(_processing(item), False, score=True)
    for n in range(1, forms + 1):
        _equal(variables, values[f"a{n}"])
    _feedback(item, "general_fb", values["explanation"])
    return item


def _build_numerical(values: Mapping[str, str]) -> Any:
    """Canvas's "exact answer with margin": or(varequal exact, and(vargte low, varlte high))."""
    item = _item_head(values, "numerical_question")
    presentation = _sub(item, "presentation")
    _material(presentation, values["prompt"])
    response = _sub(presentation, "response_str", attributes={"ident": "response1", "rcardinality": "Single"})
    render = _sub(response, "render_fib", attributes={"fibtype": "Decimal"})
    _sub(render, "response_label", attributes={"ident": "answer1"})
    either = _sub(_condition(_processing(item), False, score=True), "or")
    _equal(either, values["exact"])
    both = _sub(either, "and")
    _sub(both, "vargte", values["low"], {"respident": "response1"})
    _sub(both, "varlte", values["high"], {"respident": "response1"})
    _feedback(item, "general_fb", values["explanation"])
    return item


class _Markers(Mapping[str, str]):
    """Stands in for an item's values while its shape is built: every slot reads as a marker."""

    def __init__(self) -> None:
        self.requested: set[str] = set()

    def __getitem__(self, key: str) -> str:
        self.requested.add(key)
        return f"\ue000{key}\ue001"

    def __iter__(self) -> Any:
        return iter(self.requested)

    def __len__(self) -> int:
        return len(self.requested)


_MARKER = re.compile("\ue000([^\ue001]+)\ue001")
_SAFE_SLOT = re.compile(r"ident|ref|answer_ids|c\d+(?:_fb)?|exact|low|high")
"""Slots whose values this module makes from idents (``quizgen_question_<hex>_2``) and
:func:`number_text` digits: nothing in them to escape, so :meth:`_Shape.fill` copies them."""


class _Shape:
    """One item shape serialised once, with its slots left open: :meth:`fill` writes an item as text.

    The shape's tree is built with a marker in every slot and serialised by lxml;
    the text is then cut at the markers. Each slot holds a whole attribute value or
    a whole element text, and is escaped as lxml escapes that place.
    """

    def __init__(self, build: Callable[[Mapping[str, str]], Any], level: int) -> None:
        markers = _Markers()
        root = build(markers)
        etree.indent(root, INDENT, level=level)
        pieces = _MARKER.split(_serialised(root))
        self.parts: list[str] = pieces[0::2]
        self.slots: list[tuple[int, str, Callable[[str], str] | None]] = []
        for index, key in enumerate(pieces[1::2]):
            before, after = pieces[2 * index], pieces[2 * index + 2]
            if before.endswith('="') and after.startswith('"'):
                escape = _attr
            elif before.endswith(">") and after.startswith("<"):
                escape = _text
            else:
                raise AssertionError(f"slot {key!r} is not a whole attribute value or element text")
            self.slots.append((2 * index + 1, key, None if _SAFE_SLOT.fullmatch(key) else escape))
            self.parts.insert(2 * index + 1, "")
        if {key for _, key, _ in self.slots} != markers.requested:
            raise AssertionError("an item builder used a slot value other than as a whole text")

    def fill(self, values: Mapping[str, str]) -> str:
        parts = self.parts.copy()
        for index, key, escape in self.slots:
            parts[index] = values[key] if escape is None else escape(values[key])
        return "".join(parts)


_TEXT_SPECIAL = re.compile("[&<>\r]")
_ATTR_SPECIAL = re.compile('[&<>"\n\r\t]')


def _text(value: str) -> str:
    """Element text escaped as libxml2 writes it: ``& < >`` and carriage return."""
    if _TEXT_SPECIAL.search(value) is None:
        return value
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value.replace("\r", "&#13;")


def _attr(value: str) -> str:
    """An attribute value escaped as libxml2 writes it: ``& < > "`` and the whitespace controls."""
    if _ATTR_SPECIAL.search(value) is None:
        return value
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return value.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")


class _ItemWriter:
    """Items for one export: their values, and a cache of shapes (a few dozen for thousands of items)."""

    def __init__(self, title: str, misconceptions: dict[str, Misconception]) -> None:
        self.title = title
        self.misconceptions = misconceptions
        self.shapes: dict[tuple[Any, ...], _Shape] = {}
        self.shuffles = True
        """Whether every choice and multiple-answer question written so far lets its options be shuffled."""

    def item(self, question: Question, level: int) -> str:
        """The question's <item>, serialised."""
        ident = stable_ident("question", self.title, question.id)
        html = _html
        values = {
            "ident": ident,
            "title": _xml_safe(question.id),
            "ref": f"{ident}_ref",
            "prompt": html(question.prompt),
            "explanation": html(question.explanation),
        }
        key: tuple[Any, ...]
        build: Callable[[Mapping[str, str]], Any]
        match question:
            case ChoiceQuestion() | MultiQuestion() | TrueFalseQuestion():
                shape = self._choices(question, ident, values)
                key, build = (shape, level), lambda v: _build_choice(v, shape)
            case TextQuestion():
                forms = short_answer_forms(question.accepted_forms()).forms  # Canvas compares strings
                values["answer_ids"] = f"{ident}_answer"
                values.update((f"a{n}", _xml_safe(form)) for n, form in enumerate(forms, start=1))
                key, build = ("text", len(forms), level), lambda v: _build_short_answer(v, len(forms))
            case NumericQuestion():
                values["answer_ids"] = f"{ident}_answer"
                values["exact"] = number_text(question.answer)
                values["low"], values["high"] = (number_text(b) for b in numeric_bounds(question))
                key, build = ("numerical", level), _build_numerical
            case IntegerQuestion():
                values["answer_ids"] = f"{ident}_answer"
                values["exact"] = values["low"] = values["high"] = number_text(question.answer)
                key, build = ("numerical", level), _build_numerical
            case _:
                assert_never(question)
        shape_tree = self.shapes.get(key)
        if shape_tree is None:
            shape_tree = self.shapes[key] = _Shape(build, level)
        return shape_tree.fill(values)

    def _choices(
        self, question: ChoiceQuestion | MultiQuestion | TrueFalseQuestion, ident: str, values: dict[str, str]
    ) -> _ChoiceShape:
        """Puts the options' idents, texts and feedback into ``values``; returns the item's shape."""
        options: list[tuple[str, bool, str | None]]
        match question:
            case TrueFalseQuestion():
                kind = "true_false_question"
                options = [("True", question.answer, None), ("False", not question.answer, None)]
                texts = ["True", "False"]
                suffixes = ["true", "false"]
                shuffle = False
            case ChoiceQuestion() | MultiQuestion():
                if isinstance(question, ChoiceQuestion):
                    kind, correct = "multiple_choice_question", {question.answer}
                else:
                    kind, correct = "multiple_answers_question", set(question.answers)
                options = [
                    (option.text, n in correct, self._option_feedback(option, n in correct))
                    for n, option in enumerate(question.options, start=1)
                ]
                texts = [_html(text, True) for text, _, _ in options]
                suffixes = [str(n) for n in range(1, len(options) + 1)]
                shuffle = question.shuffle
                self.shuffles = self.shuffles and shuffle
            case _:
                assert_never(question)
        idents = [f"{ident}_{suffix}" for suffix in suffixes]
        values["answer_ids"] = ",".join(idents)
        for n, (choice, text, (_, _, feedback)) in enumerate(
            zip(idents, texts, options, strict=True), start=1
        ):
            values[f"c{n}"] = choice
            values[f"t{n}"] = text
            if feedback is not None:
                values[f"c{n}_fb"] = f"{choice}_fb"
                values[f"f{n}"] = _html(feedback)
        return _ChoiceShape(
            kind,
            tuple(correct for _, correct, _ in options),
            tuple(feedback is not None for _, _, feedback in options),
            shuffle,
        )

    def _option_feedback(self, option: Option, correct: bool) -> str | None:
        """An option's own feedback; for a wrong option without one, its misconception's description."""
        if option.feedback:
            return option.feedback
        if not correct and option.misconception:
            known = self.misconceptions.get(option.misconception)
            if known is not None:
                return f"{known.title}. {known.description}"
        return None


# -- text ---------------------------------------------------------------------------


def _html(text: str, inline: bool = False) -> str:
    """Bank text as HTML for Canvas: :func:`richtext.to_html` with maths as ``\\( ... \\)``.

    (Characters that XML cannot hold become U+FFFD, so that a stray control
    character shows instead of breaking the file.)
    """
    return _xml_safe(to_html(text, inline, "tex"))  # (positional: a keyword makes lru_cache slower)


_xml_safe = xml_safe
"""The text with the characters XML 1.0 cannot hold (control characters, surrogates) shown as U+FFFD."""


# -- reading back (export --check) ----------------------------------------------------


def read_back(raw: bytes) -> collections.Counter[str]:
    """Question counts per type, read back as the format's consumer reads it (``export --check``)."""
    found: collections.Counter[str] = collections.Counter()
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        for name in archive.namelist():
            if not name.endswith(".xml") or name.endswith(("imsmanifest.xml", "assessment_meta.xml")):
                continue
            root = ET.fromstring(archive.read(name))
            for field in root.iter():
                if field.tag.endswith("qtimetadatafield"):
                    label = next((c.text for c in field if c.tag.endswith("fieldlabel")), None)
                    entry = next((c.text for c in field if c.tag.endswith("fieldentry")), None)
                    if label == "question_type" and entry:
                        found[entry] += 1
    return found
