"""The Canvas QTI export, checked by consumers someone else wrote: the IMS XSDs and html5lib.

Every XML file is validated against the public IMS schemas (QTI 1.2 ASI for the
assessment, Content Packaging 1.1 with IMS Metadata for the manifest), found in
the `shared/xsd` folder beside the checkout; the tests that need them skip when
that folder is absent. The HTML inside each `mattext` is parsed with html5lib, as
a browser would. Golden files pin the exact XML; regenerate them with
`UPDATE_GOLDEN=1 pytest tests/test_export_qti.py` and read the diff.

(text2qti, the reference writer, has no QTI reader, so no round trip through it.)
"""

from __future__ import annotations

import io
import math
import os
import re
import threading
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import html5lib
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from quizgen import load_banks
from quizgen.bank import QuestionBank
from quizgen.exporters import ExportSet, build_export_set, qti
from quizgen.exporters import export as export_as
from quizgen.exporters.qti import export, number_text, numeric_bounds
from quizgen.models import (
    ChoiceQuestion,
    IntegerQuestion,
    MultiQuestion,
    NumericQuestion,
    TextQuestion,
    TrueFalseQuestion,
)
from quizgen.richtext import to_html

from .conftest import WriteBank

XSD = Path(__file__).resolve().parents[2] / "shared" / "xsd"
GOLDEN = Path(__file__).parent / "golden"
TOPICS = ["layer-size", "xavier-uniform"]
QTI = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
NS = {"q": QTI, "c": "http://canvas.instructure.com/xsd/cccv1p0"}
CANVAS_CP = b"http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
PLAIN_CP = b"http://www.imsglobal.org/xsd/imscp_v1p1"
QUESTION_TYPES = {
    ChoiceQuestion: "multiple_choice_question",
    MultiQuestion: "multiple_answers_question",
    TrueFalseQuestion: "true_false_question",
    IntegerQuestion: "numerical_question",
    NumericQuestion: "numerical_question",
    TextQuestion: "short_answer_question",
}
HOSTILE = "<b>bold</b> & <script>alert(1)</script> { } = ~ # :"
HOSTILE_BANK = """
topics:
  - id: hostile-text
    title: "Hostile <text> & co"
    description: "Markup-like text that must stay text."
questions:
  - id: hostile-01
    type: choice
    topic: hostile-text
    prompt: '<b>bold</b> & <script>alert(1)</script> { } = ~ # :'
    options:
      - '<i>right</i> & {answer}'
      - text: '<script>wrong()</script>'
        feedback: '</mattext> ]]> &amp; <b>no</b>'
    answer: 1
    explanation: 'Because <b>bold</b> & "quotes" stay text.'
  - id: hostile-02
    type: text
    topic: hostile-text
    prompt: 'Type <code>x</code> ]]> &lt;'
    answer: '<i>x</i> & y'
    accept: ['x < y']
    explanation: 'Either form: <i>x</i> & y.'
"""


MISCONCEPTION_BANK = """
questions:
  - id: mis-01
    type: choice
    topic: xavier
    prompt: "Xavier's variance?"
    options:
      - "2/(n_in + n_out)"
      - text: "2/(n_in * n_out)"
        misconception: product-for-sum
      - text: "1/(n_in + n_out)"
        misconception: dropped-two
        feedback: "Own words win."
    answer: 1
    explanation: "The sum of the fans."
"""


# -- helpers ------------------------------------------------------------------------


def schema(*parts: str) -> Any:
    path = XSD.joinpath(*parts)
    if not XSD.is_dir():
        pytest.skip(f"IMS schemas not found at {XSD} (shared/xsd beside the checkout); cannot validate")
    return etree.XMLSchema(etree.parse(str(path)))


def files(package: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


def split(package: bytes) -> tuple[bytes, bytes, bytes]:
    """(manifest, assessment, assessment_meta) of a package, located through the manifest."""
    contents = files(package)
    manifest = etree.fromstring(contents["imsmanifest.xml"])
    hrefs = [f.get("href") for f in manifest.iter("{*}file")]
    assessment = next(h for h in hrefs if not h.endswith("assessment_meta.xml"))
    meta = next(h for h in hrefs if h.endswith("assessment_meta.xml"))
    assert sorted(contents) == sorted(["imsmanifest.xml", assessment, meta])
    return contents["imsmanifest.xml"], contents[assessment], contents[meta]


def field(item: Any, label: str) -> str:
    entries = item.xpath(
        f"q:itemmetadata//q:qtimetadatafield[q:fieldlabel='{label}']/q:fieldentry", namespaces=NS
    )
    assert len(entries) == 1
    return str(entries[0].text or "")


def digits(number: str) -> int:
    """Significant digits of a decimal written without an exponent."""
    return len(number.lstrip("-").replace(".", "").lstrip("0"))


def visible_text(html: str) -> str:
    """What a browser shows for an HTML fragment (html5lib's parse, all text nodes)."""
    fragment = html5lib.parseFragment(html, treebuilder="etree", namespaceHTMLElements=False)
    return "".join(fragment.itertext())


def elements(html: str) -> set[str]:
    fragment = html5lib.parseFragment(html, treebuilder="etree", namespaceHTMLElements=False)
    return {e.tag for e in fragment.iter() if isinstance(e.tag, str)}


def scoring(item: Any) -> Any:
    """The conditionvar of the respcondition that sets SCORE to 100."""
    (condition,) = item.xpath("q:resprocessing/q:respcondition[q:setvar='100']/q:conditionvar", namespaces=NS)
    return condition


def label_text(item: Any, ident: str) -> str:
    (mattext,) = item.xpath(
        f"q:presentation//q:response_label[@ident='{ident}']/q:material/q:mattext", namespaces=NS
    )
    return str(mattext.text)


def items_by_id(assessment: bytes) -> dict[str, Any]:
    root = etree.fromstring(assessment)
    return {item.get("title"): item for item in root.iter(f"{{{QTI}}}item")}


# -- fixtures -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def bank() -> QuestionBank:
    return load_banks()


@pytest.fixture(scope="module")
def full(bank: QuestionBank) -> ExportSet:
    """Every bank question and three variants of every generator."""
    return build_export_set(bank, variants=3, seed=5)


@pytest.fixture(scope="module")
def full_package(full: ExportSet) -> bytes:
    return export(full)


# -- validity -----------------------------------------------------------------------


def test_assessment_validates_against_the_qti_12_schema(full_package: bytes) -> None:
    qti = schema("qti12", "domainProfile_4", "ims_qtiasiv1p2.xsd")
    _, assessment, _ = split(full_package)
    document = etree.fromstring(assessment)
    assert qti.validate(document), qti.error_log
    assert document.tag == f"{{{QTI}}}questestinterop"
    assert all(e.tag.startswith(f"{{{QTI}}}") for e in document.iter() if isinstance(e.tag, str))


def test_manifest_validates_against_ims_content_packaging(full_package: bytes) -> None:
    cp = schema("imscp11", "cp_with_md.xsd")
    manifest, _, _ = split(full_package)
    assert CANVAS_CP in manifest  # Canvas's Common Cartridge flavour, as Canvas and text2qti write it
    document = etree.fromstring(manifest.replace(CANVAS_CP, PLAIN_CP))
    assert cp.validate(document), cp.error_log
    resources = document.findall(".//{*}resource")
    assert [r.get("type") for r in resources] == [
        "imsqti_xmlv1p2",
        "associatedcontent/imscc_xmlv1p1/learning-application-resource",
    ]
    assert resources[0].find("{*}dependency").get("identifierref") == resources[1].get("identifier")


def test_assessment_meta_has_the_title_and_points(full: ExportSet, full_package: bytes) -> None:
    _, assessment, meta = split(full_package)
    quiz = etree.fromstring(meta)  # well-formed (Canvas publishes no schema for it)
    assert quiz.tag == "{http://canvas.instructure.com/xsd/cccv1p0}quiz"
    assert quiz.get("identifier") == etree.fromstring(assessment).find(f"{{{QTI}}}assessment").get("ident")
    points = len(full.questions) + len(full.groups)
    assert quiz.findtext("c:title", namespaces=NS) == full.title
    assert quiz.findtext("c:points_possible", namespaces=NS) == f"{points}.0"
    assert quiz.findtext("c:assignment/c:points_possible", namespaces=NS) == f"{points}.0"
    assert quiz.findtext("c:assignment/c:quiz_identifierref", namespaces=NS) == quiz.get("identifier")
    assert quiz.findtext("c:shuffle_answers", namespaces=NS) in {"true", "false"}


def test_the_cli_format_table_finds_the_exporter(full: ExportSet, full_package: bytes) -> None:
    assert export_as("qti", full) == full_package


# -- structure ----------------------------------------------------------------------


def test_question_types_are_counted_as_exported(full: ExportSet, full_package: bytes) -> None:
    _, assessment, _ = split(full_package)
    found: dict[str, int] = {}
    for item in items_by_id(assessment).values():
        kind = field(item, "question_type")
        found[kind] = found.get(kind, 0) + 1
    expected: dict[str, int] = {}
    for question in full.all_questions():
        kind = QUESTION_TYPES[type(question)]
        expected[kind] = expected.get(kind, 0) + 1
    assert found == expected
    assert set(found) == set(QUESTION_TYPES.values())  # the bundled banks use every type


def test_choice_items_score_the_right_options(full: ExportSet, full_package: bytes) -> None:
    _, assessment, _ = split(full_package)
    items = items_by_id(assessment)
    checked = 0
    for question in full.all_questions():
        item = items[question.id]
        labels = item.xpath("q:presentation//q:response_label/@ident", namespaces=NS)
        assert len(set(labels)) == len(labels)
        condition = scoring(item)
        if isinstance(question, ChoiceQuestion):
            (correct,) = condition.xpath("q:varequal/text()", namespaces=NS)
            expected = to_html(question.options[question.answer - 1].text, True, math="tex")
            assert label_text(item, correct) == expected
            assert item.find(".//{*}response_lid").get("rcardinality") == "Single"
            checked += 1
        elif isinstance(question, MultiQuestion):
            chosen = condition.xpath("q:and/q:varequal/text()", namespaces=NS)
            excluded = condition.xpath("q:and/q:not/q:varequal/text()", namespaces=NS)
            assert sorted(chosen + excluded) == sorted(labels)
            texts = {to_html(question.options[n - 1].text, True, math="tex") for n in question.answers}
            assert {label_text(item, ident) for ident in chosen} == texts
            assert item.find(".//{*}response_lid").get("rcardinality") == "Multiple"
            checked += 1
        elif isinstance(question, TrueFalseQuestion):
            (correct,) = condition.xpath("q:varequal/text()", namespaces=NS)
            assert label_text(item, correct) == ("True" if question.answer else "False")
            assert [label_text(item, ident) for ident in labels] == ["True", "False"]
            checked += 1
    assert checked > 50


def test_numerical_and_short_answer_items(full: ExportSet, full_package: bytes) -> None:
    _, assessment, _ = split(full_package)
    items = items_by_id(assessment)
    numeric = 0
    for question in full.all_questions():
        condition = scoring(items[question.id])
        if isinstance(question, NumericQuestion | IntegerQuestion):
            (exact,) = condition.xpath("q:or/q:varequal/text()", namespaces=NS)
            (low,) = condition.xpath("q:or/q:and/q:vargte/text()", namespaces=NS)
            (high,) = condition.xpath("q:or/q:and/q:varlte/text()", namespaces=NS)
            if isinstance(question, IntegerQuestion):
                assert exact == low == high == str(question.answer)
                continue
            assert float(exact) == question.answer
            for text, bound in zip((low, high), question.bounds(), strict=True):
                assert re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", text), text  # no exponent, no artefacts
                assert math.isclose(float(Decimal(text)), bound, rel_tol=1e-12, abs_tol=1e-15)
                assert Decimal(text) == Decimal(repr(float(text)))  # the shortest decimal of its float
                if digits(repr(question.answer)) + digits(repr(question.tolerance)) <= 12:
                    assert digits(text) <= 12, text  # short decimals stay short: never 3.1350000000000002
            assert Decimal(low) <= Decimal(exact) <= Decimal(high)
            numeric += 1
        elif isinstance(question, TextQuestion):
            forms = condition.xpath("q:varequal/text()", namespaces=NS)
            assert forms[: len(question.accepted_forms())] == list(
                question.accepted_forms()
            )  # then spellings
    assert numeric > 10


def test_groups_pick_one_of_their_variants(full: ExportSet, full_package: bytes) -> None:
    _, assessment, _ = split(full_package)
    root = etree.fromstring(assessment)
    (top,) = root.xpath("q:assessment/q:section", namespaces=NS)
    assert top.get("ident") == "root_section"
    groups = top.xpath("q:section", namespaces=NS)
    assert [g.get("title") for g in groups] == [g.generator.title for g in full.groups]
    for section, group in zip(groups, full.groups, strict=True):
        assert section.xpath("q:selection_ordering/q:selection/q:selection_number/text()", namespaces=NS) == [
            "1"
        ]
        assert section.xpath("q:selection_ordering//q:points_per_item/text()", namespaces=NS) == ["1.0"]
        assert section.xpath("q:item/@title", namespaces=NS) == [q.id for q in group.variants]
    assert sorted(top.xpath("q:item/@title", namespaces=NS)) == sorted(q.id for q in full.questions)
    idents = root.xpath("//q:item/@ident", namespaces=NS)
    assert len(set(idents)) == len(idents) == len(full.all_questions())


def test_feedback_explanation_and_misconceptions(full: ExportSet, full_package: bytes) -> None:
    _, assessment, _ = split(full_package)
    items = items_by_id(assessment)
    option_feedback = 0
    for question in full.all_questions():
        item = items[question.id]
        linked = set(item.xpath(".//q:displayfeedback/@linkrefid", namespaces=NS))
        given_feedback = set(item.xpath("q:itemfeedback/@ident", namespaces=NS))
        assert linked == given_feedback
        (general,) = item.xpath("q:itemfeedback[@ident='general_fb']//q:mattext/text()", namespaces=NS)
        assert general == to_html(question.explanation, math="tex")
        if not isinstance(question, ChoiceQuestion | MultiQuestion):
            continue
        correct = {question.answer} if isinstance(question, ChoiceQuestion) else set(question.answers)
        for n, option in enumerate(question.options, start=1):
            expected = option.feedback
            if expected is None and option.misconception and n not in correct:
                known = full.misconceptions[option.misconception]
                expected = f"{known.title}. {known.description}"
            option_feedback += expected is not None
            ident = item.xpath("q:presentation//q:response_label/@ident", namespaces=NS)[n - 1]
            shown = item.xpath(f"q:itemfeedback[@ident='{ident}_fb']//q:mattext/text()", namespaces=NS)
            assert shown == ([] if expected is None else [to_html(expected, math="tex")])
    assert option_feedback > 100


def test_a_wrong_option_without_feedback_shows_its_misconception(write_bank: WriteBank) -> None:
    bank = load_banks([write_bank(MISCONCEPTION_BANK)])
    data = build_export_set(bank, topics=["xavier"], variants=0)
    item = items_by_id(split(export(data))[1])["mis-01"]
    _, product, halved = item.xpath("q:presentation//q:response_label/@ident", namespaces=NS)
    product_of_fans = bank.misconceptions["product-for-sum"]
    feedback = {f.get("ident"): f.findtext(".//{*}mattext") for f in item.iterfind("{*}itemfeedback")}
    assert feedback == {
        "general_fb": "<p>The sum of the fans.</p>",
        f"{product}_fb": to_html(f"{product_of_fans.title}. {product_of_fans.description}", math="tex"),
        f"{halved}_fb": "<p>Own words win.</p>",
    }
    shown_for = item.xpath(
        "q:resprocessing/q:respcondition[q:displayfeedback/@linkrefid=$fb]/q:conditionvar/q:varequal/text()",
        namespaces=NS,
        fb=f"{product}_fb",
    )
    assert shown_for == [product]


def test_shuffle_is_quiz_wide_and_respects_fixed_orders(bank: QuestionBank) -> None:
    data = build_export_set(bank, topics=TOPICS, variants=1, seed=1)
    fixed = next(q for q in bank.questions if isinstance(q, ChoiceQuestion) and q.topic == "xavier")
    pinned = fixed.model_copy(update={"shuffle": False})
    _, assessment, meta = split(export(ExportSet(data.title, [*data.questions, pinned], [], data.topics)))
    assert etree.fromstring(meta).findtext("c:shuffle_answers", namespaces=NS) == "false"
    item = items_by_id(assessment)[pinned.id]
    assert item.find(".//{*}render_choice").get("shuffle") == "No"
    _, _, meta = split(export(data))
    assert etree.fromstring(meta).findtext("c:shuffle_answers", namespaces=NS) == "true"


# -- numbers ------------------------------------------------------------------------


def numeric(answer: float, tolerance: float, kind: str = "absolute") -> NumericQuestion:
    return NumericQuestion(
        id="n-01",
        topic="xavier",
        type="numeric",
        prompt="How much?",
        explanation="This much.",
        answer=answer,
        tolerance=tolerance,
        tolerance_type=kind,  # type: ignore[arg-type]
    )


def test_bounds_have_no_float_artefacts() -> None:
    question = numeric(3.14, 0.005)
    assert question.bounds()[0] == 3.1350000000000002  # the float arithmetic this avoids
    low, high = numeric_bounds(question)
    assert (number_text(low), number_text(high)) == ("3.135", "3.145")
    assert numeric_bounds(numeric(0.1, 0.1, "relative")) == (Decimal("0.09"), Decimal("0.11"))
    assert numeric_bounds(numeric(-2.5, 0.01, "relative")) == (Decimal("-2.525"), Decimal("-2.475"))
    assert numeric_bounds(numeric(7.0, 0.0)) == (Decimal("7.0"), Decimal("7.0"))


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (629, "629"),
        (2.0, "2"),
        (0.1 + 0.2, "0.30000000000000004"),  # a different float from 0.3: kept exactly
        (Decimal("3.135"), "3.135"),
        (Decimal("0.1234567890123456789012"), "0.12345678901234568"),  # shortest that round-trips
        (1e-05, "0.00001"),
        (1e20, "100000000000000000000"),
        (-0.0, "0"),
        (-1.5, "-1.5"),
    ],
)
def test_number_text(value: Any, text: str) -> None:
    assert number_text(value) == text
    assert float(text) == float(value)


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), st.floats(min_value=0, max_value=1e3))
def test_bounds_round_trip_to_the_float_bounds(answer: float, tolerance: float) -> None:
    question = numeric(answer, tolerance)
    # answer - tolerance can cancel (1.1754943508222875e-38 - 1.175494351e-38): the float
    # difference is then off by far more than 1e-15 of itself, the decimal one is exact.
    scale = 1e-15 * (abs(answer) + tolerance)
    for bound, expected in zip(numeric_bounds(question), question.bounds(), strict=True):
        text = number_text(bound)
        assert "e" not in text.lower()
        assert math.isclose(float(text), expected, rel_tol=1e-15, abs_tol=max(scale, 1e-300))


# -- text ---------------------------------------------------------------------------


def test_hostile_text_is_shown_as_text(write_bank: WriteBank) -> None:
    bank = load_banks([write_bank(HOSTILE_BANK)])
    data = build_export_set(bank, topics=["hostile-text"], variants=0)
    _, assessment, meta = split(export(data))
    assert b"&amp;lt;b&amp;gt;bold&amp;lt;/b&amp;gt;" in assessment  # HTML-escaped, then XML-escaped
    assert b"<script" not in assessment and b"<b>" not in assessment
    items = items_by_id(assessment)
    choice, text = items["hostile-01"], items["hostile-02"]
    (prompt,) = choice.xpath("q:presentation/q:material/q:mattext/text()", namespaces=NS)
    assert visible_text(prompt) == HOSTILE
    assert elements(prompt) <= {"p", "DOCUMENT_FRAGMENT"}
    mattexts = [str(m.text) for m in choice.iter("{*}mattext")] + [
        str(m.text) for m in text.iter("{*}mattext")
    ]
    for html in mattexts:
        assert not {"script", "b", "i", "code"} & elements(html), html
    shown = {visible_text(html) for html in mattexts}
    assert {
        HOSTILE,
        "<i>right</i> & {answer}",
        "<script>wrong()</script>",
        "</mattext> ]]> & <b>no</b>",  # Markdown reads &amp; and &lt; as entities, once
        'Because <b>bold</b> & "quotes" stay text.',
        "Type <code>x</code> ]]> <",
        "Either form: <i>x</i> & y.",
    } <= shown
    assert scoring(text).xpath("q:varequal/text()", namespaces=NS)[:2] == ["<i>x</i> & y", "x < y"]
    assert (
        etree.fromstring(meta).findtext("c:description", namespaces=NS).count("Hostile &lt;text&gt; &amp; co")
    )


XML_TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufffe\uffff").filter(
        lambda c: c in "\t\n\r" or c >= " "
    ),
    max_size=40,
) | st.lists(st.sampled_from(["&", "<", ">", '"', "'", "\r", "\n", "\t", "]]>", "&amp;", "a", " "])).map(
    "".join
)


@given(XML_TEXT)
def test_text_and_attributes_are_escaped_as_lxml_escapes_them(value: str) -> None:
    """Items are written as text, not through lxml: the escaping must be lxml's, to the byte."""
    element = etree.Element("e", {"a": value})
    element.text = value
    assert etree.tostring(element, encoding="unicode") == f'<e a="{qti._attr(value)}">{qti._text(value)}</e>'


def test_the_assessment_is_what_lxml_writes_for_its_own_tree(write_bank: WriteBank) -> None:
    """Parsed and serialised again by lxml, the assessment comes out byte for byte the same."""
    bank = load_banks([write_bank(HOSTILE_BANK)])
    data = build_export_set(bank, variants=2, seed=5)
    titled = ExportSet('A "quiz"\n\t<&> \r', data.questions, data.groups, data.topics, data.misconceptions)
    _, assessment, _ = split(export(titled))
    reserialised = etree.tostring(etree.fromstring(assessment), encoding="UTF-8", xml_declaration=False)
    assert assessment == b'<?xml version="1.0" encoding="UTF-8"?>\n' + reserialised + b"\n"
    assert etree.fromstring(assessment).find("{*}assessment").get("title") == 'A "quiz"\n\t<&> \r'


def test_control_characters_cannot_break_the_file(bank: QuestionBank) -> None:
    # Banks refuse control characters; a question built in code (unvalidated) still cannot break the XML.
    question = TrueFalseQuestion.model_construct(
        id="bell-01",
        topic="xavier",
        type="true_false",
        prompt="Ring\x07?",
        explanation="Ding\x00.",
        answer=True,
    )
    _, assessment, _ = split(export(ExportSet("bell\x0b", [question], [], {"xavier": bank.topics["xavier"]})))
    item = items_by_id(assessment)["bell-01"]
    assert visible_text(item.findtext(".//{*}mattext")) == "Ring\ufffd?"
    assert etree.fromstring(assessment).find("{*}assessment").get("title") == "bell\ufffd"


# -- stability ----------------------------------------------------------------------


def test_same_input_gives_the_same_bytes(bank: QuestionBank) -> None:
    first = export(build_export_set(bank, topics=TOPICS, variants=3, seed=1))
    second = export(build_export_set(load_banks(cache=False), topics=TOPICS, variants=3, seed=1))
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        infos = archive.infolist()
    # the assessment first (written as its items are made), then the two small files
    folder = infos[0].filename.split("/")[0]
    assert [i.filename for i in infos] == [
        f"{folder}/{folder}.xml",
        f"{folder}/assessment_meta.xml",
        "imsmanifest.xml",
    ]
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_idents_depend_on_the_title_and_ids_only(bank: QuestionBank) -> None:
    data = build_export_set(bank, topics=TOPICS, variants=2, seed=1)
    idents = items_by_id(split(export(data))[1])
    renamed = items_by_id(
        split(export(ExportSet("Another quiz", data.questions, data.groups, data.topics)))[1]
    )
    fewer = items_by_id(split(export(ExportSet(data.title, data.questions[:3], [], data.topics)))[1])
    assert {k: v.get("ident") for k, v in fewer.items()} == {k: idents[k].get("ident") for k in fewer}
    assert all(renamed[k].get("ident") != idents[k].get("ident") for k in idents)


@pytest.mark.parametrize("name", ["manifest", "assessment", "meta"])
def test_golden_files(bank: QuestionBank, name: str) -> None:
    data = build_export_set(bank, topics=TOPICS, variants=3, seed=1)
    produced = dict(zip(["manifest", "assessment", "meta"], split(export(data)), strict=True))[name]
    golden = GOLDEN / f"export-qti-{name}.xml"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_bytes(produced)
    assert produced.decode("utf-8") == golden.read_text(encoding="utf-8")


# -- writing behind -----------------------------------------------------------------


class Sink:
    def __init__(self, fail_at: int | None = None) -> None:
        self.chunks: list[bytes] = []
        self.fail_at = fail_at

    def write(self, chunk: bytes) -> int:
        if len(self.chunks) == self.fail_at:
            raise OSError(28, "No space left on device")
        self.chunks.append(chunk)
        return len(chunk)


def test_write_behind_keeps_the_order() -> None:
    sink = Sink()
    qti._write_behind(sink, (str(n).encode() for n in range(1000)))
    assert sink.chunks == [str(n).encode() for n in range(1000)]


def test_a_failed_write_reaches_the_caller_and_stops_the_producer() -> None:
    produced: list[int] = []

    def chunks() -> Any:
        for n in range(10_000):
            produced.append(n)
            yield b"x"

    with pytest.raises(OSError, match="No space left"):
        qti._write_behind(Sink(fail_at=3), chunks())
    assert len(produced) < 100  # the producer stopped soon after, rather than writing into the void


def test_a_failed_producer_reaches_the_caller_and_ends_the_writer() -> None:
    def chunks() -> Any:
        yield b"a"
        raise ValueError("broken question")

    sink = Sink()
    with pytest.raises(ValueError, match="broken question"):
        qti._write_behind(sink, chunks())
    assert sink.chunks == [b"a"]
    assert not [t for t in threading.enumerate() if t.name == "quizgen-qti-deflate"]


def test_slots_copied_unescaped_hold_nothing_to_escape(
    write_bank: WriteBank, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Idents and numbers skip escaping (qti._SAFE_SLOT): every such value of a hostile export is plain."""
    seen: dict[str, set[str]] = {}
    fill = qti._Shape.fill

    def spy(self: Any, values: Any) -> str:
        for key, value in values.items():
            if qti._SAFE_SLOT.fullmatch(key):
                seen.setdefault(key, set()).add(value)
        return fill(self, values)

    monkeypatch.setattr(qti._Shape, "fill", spy)
    bank = load_banks([write_bank(HOSTILE_BANK)])
    data = build_export_set(bank, variants=3, seed=8)
    export(ExportSet('<&"> title', data.questions, data.groups, data.topics, data.misconceptions))
    assert {"ident", "ref", "answer_ids", "c1", "exact", "low", "high"} <= set(seen)
    for key, values in seen.items():
        for value in values:
            assert re.fullmatch(r"[A-Za-z0-9_.,-]+", value), (key, value)


@given(st.floats(allow_nan=False, allow_infinity=False) | st.integers(-(10**30), 10**30))
def test_number_text_is_digits_only(value: float) -> None:
    assert re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", number_text(value))
