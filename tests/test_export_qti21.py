"""The QTI 2.1 package (issue 15), checked by consumers someone else wrote: IMS's QTI 2.1 schema (with
MathML 2) for every item and the test, IMS Content Packaging 1.1 with IMS Metadata for the manifest,
and IMS's response-processing templates; plus what each item must hold, derived from the question
(written here from the models, not from the writer). The response processing itself is run by an
independent interpreter in ``test_export_qti21_engine.py``.

The schemas are read from ``shared/xsd/`` beside the checkout; the tests that need them skip, saying
so, when it is absent.
"""

from __future__ import annotations

import collections
import gc
import io
import itertools
import re
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import etree

from quizgen import __version__, load_banks
from quizgen.bank import QuestionBank
from quizgen.cli import main
from quizgen.exporters import ExportSet, build_export_set, export, qti21
from quizgen.exporters.check import ExportReadError
from quizgen.gcpause import gc_paused
from quizgen.grading import normalise_text
from quizgen.models import (
    ChoiceQuestion,
    IntegerQuestion,
    MultiQuestion,
    NumericQuestion,
    Question,
    TextQuestion,
    TrueFalseQuestion,
)

ROOT = Path(__file__).resolve().parents[1]
XSD = ROOT.parent / "shared" / "xsd"
QTI_XSD = XSD / "qti21" / "www.imsglobal.org" / "xsd" / "imsqti_v2p1.xsd"
CP_XSD = XSD / "imscp11" / "cp_with_md.xsd"
RPTEMPLATES = XSD / "qti21" / "www.imsglobal.org" / "question" / "qti_v2p1" / "rptemplates"
QTI = "http://www.imsglobal.org/xsd/imsqti_v2p1"
CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
MD = "http://www.imsglobal.org/xsd/imsmd_v1p2"
MATHML = "http://www.w3.org/1998/Math/MathML"
NS = {"q": QTI, "cp": CP, "md": MD, "m": MATHML}
needs_schemas = pytest.mark.skipif(
    not (QTI_XSD.is_file() and CP_XSD.is_file()),
    reason=f"the IMS schemas are not at {XSD} (the shared folder beside the checkout)",
)


@pytest.fixture(scope="module")
def bank() -> QuestionBank:
    return load_banks()


@pytest.fixture(scope="module")
def data(bank: QuestionBank) -> ExportSet:
    return build_export_set(bank, variants=3, seed=7)


@pytest.fixture(scope="module")
def package(data: ExportSet) -> bytes:
    return export("qti21", data)


@pytest.fixture(scope="module")
def files(package: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture(scope="module")
def questions(data: ExportSet) -> dict[str, Question]:
    return {q.id: q for q in data.all_questions()}


@pytest.fixture(scope="module")
def qti_schema() -> Any:
    if not QTI_XSD.is_file():
        pytest.skip(f"the QTI 2.1 schema is not at {QTI_XSD}")
    return etree.XMLSchema(etree.parse(str(QTI_XSD)))


@pytest.fixture(scope="module")
def cp_schema() -> Any:
    if not CP_XSD.is_file():
        pytest.skip(f"the IMS CP schema is not at {CP_XSD}")
    return etree.XMLSchema(etree.parse(str(CP_XSD)))


def items(files: dict[str, bytes]) -> Iterator[tuple[str, Any]]:
    for name, raw in sorted(files.items()):
        if name.startswith("items/"):
            yield name, etree.fromstring(raw)


# -- what an item must hold, from the question ----------------------------------------------------

EXPECTED_DECLARATION = {
    "choice": ("single", "identifier"),
    "true_false": ("single", "identifier"),
    "multi": ("multiple", "identifier"),
    "integer": ("single", "integer"),
    "numeric": ("single", "float"),
    "text": ("single", "string"),
}


def _has_feedback(question: Question, n: int, misconceptions: dict[str, Any]) -> bool:
    assert isinstance(question, (ChoiceQuestion, MultiQuestion))
    option = question.options[n - 1]
    right = {question.answer} if isinstance(question, ChoiceQuestion) else set(question.answers)
    return bool(option.feedback) or (n not in right and option.misconception in misconceptions)


_MATH_SPAN = re.compile(r"\$\$.+?\$\$|\$[^$]+\$", re.DOTALL)


def _words(text: str) -> set[str]:
    """The words of bank text (four letters or more, maths left out): what a rendering must still show."""
    return set(re.findall(r"[A-Za-z]{4,}", _MATH_SPAN.sub(" ", text)))


def _shows(element: Any, text: str) -> bool:
    shown = "".join(element.itertext()) if element is not None else ""
    return all(word in shown for word in _words(text))


def content_problems(root: Any, question: Question, misconceptions: dict[str, Any]) -> list[str]:
    """What is missing from an item, judged from the question alone."""
    problems: list[str] = []

    def one(path: str) -> Any:
        found = root.findall(path, NS)
        if len(found) != 1:
            problems.append(f"{path}: {len(found)} found")
            return None
        return found[0]

    if root.get("identifier") != (question.id if question.id[0].isalpha() else f"Q{question.id}"):
        problems.append("identifier")
    declaration = one("q:responseDeclaration[@identifier='RESPONSE']")
    if declaration is not None:
        if (declaration.get("cardinality"), declaration.get("baseType")) != EXPECTED_DECLARATION[
            question.type
        ]:
            problems.append("declaration type")
        values = [v.text for v in declaration.findall("q:correctResponse/q:value", NS)]
        match question:
            case ChoiceQuestion():
                expected = [f"C{question.answer}"]
            case MultiQuestion():
                expected = [f"C{n}" for n in sorted(question.answers)]
            case TrueFalseQuestion():
                expected = ["TRUE" if question.answer else "FALSE"]
            case IntegerQuestion():
                expected = [str(question.answer)]
            case NumericQuestion():
                # written as a person writes it: float noise past 10 digits dropped (person_number)
                close = values and abs(float(values[0]) - question.answer) <= 1e-12 * max(
                    1, abs(question.answer)
                )
                expected = values if close else ["<the answer>"]
            case TextQuestion():
                expected = [question.answer]
        if values != expected:
            problems.append(f"correct response {values} != {expected}")
        if isinstance(question, TextQuestion):
            keys = {e.get("mapKey") for e in declaration.findall("q:mapping/q:mapEntry", NS)}
            if not set(question.accepted_forms()) <= keys:
                problems.append("the mapping lacks an accepted form")
            accepted = {normalise_text(form) for form in question.accepted_forms()}
            if any(normalise_text(key) not in accepted for key in keys):
                problems.append("the mapping accepts what the drill does not")
    for outcome, default in (("SCORE", "0"), ("MAXSCORE", "1"), ("FEEDBACK", None)):
        declared = one(f"q:outcomeDeclaration[@identifier='{outcome}']")
        if declared is not None and declared.findtext("q:defaultValue/q:value", namespaces=NS) != default:
            problems.append(f"{outcome}'s default")
    body = one("q:itemBody")
    if body is not None:
        if isinstance(question, (ChoiceQuestion, MultiQuestion, TrueFalseQuestion)):
            interaction = one(".//q:choiceInteraction")
            count = 2 if isinstance(question, TrueFalseQuestion) else len(question.options)
            if interaction is not None and len(interaction.findall("q:simpleChoice", NS)) != count:
                problems.append("options")
        else:
            one(".//q:textEntryInteraction")
        if not _shows(body, question.prompt):
            problems.append("the prompt is not all there")
        if isinstance(question, (ChoiceQuestion, MultiQuestion)):
            for n, option in enumerate(question.options, start=1):
                if not _shows(body.find(f".//q:simpleChoice[@identifier='C{n}']", NS), option.text):
                    problems.append(f"option {n} is not all there")
    processing = one("q:responseProcessing")
    if processing is not None and not len(processing) and not processing.get("template"):
        problems.append("empty response processing")
    feedback = {f.get("identifier") for f in root.findall("q:modalFeedback", NS)}
    wanted = {"CORRECT", "INCORRECT", "SOLUTION"}
    if isinstance(question, (ChoiceQuestion, MultiQuestion)):
        wanted |= {
            f"C{n}" for n in range(1, len(question.options) + 1) if _has_feedback(question, n, misconceptions)
        }
    if isinstance(question, (IntegerQuestion, NumericQuestion)):
        for n, mistake in enumerate(question.mistakes, start=1):
            named = bool(mistake.feedback) or mistake.misconception in misconceptions
            reachable = isinstance(question, NumericQuestion) or float(mistake.value).is_integer()
            if named and reachable:
                wanted.add(f"M{n}")
    for verdict, words in (("CORRECT", "Correct"), ("INCORRECT", "Not quite")):
        if not _shows(root.find(f"q:modalFeedback[@identifier='{verdict}']", NS), words):
            problems.append(f"the {verdict} feedback says nothing")
    solution = root.find("q:modalFeedback[@identifier='SOLUTION']", NS)
    if not _shows(solution, question.explanation):
        problems.append("the explanation is not all there")
    match question:
        case ChoiceQuestion():
            answer = f"The answer: {question.options[question.answer - 1].text}"
        case MultiQuestion():
            answer = "The answer: " + " ".join(question.options[n - 1].text for n in question.answers)
        case TrueFalseQuestion():
            answer = f"The answer: {question.answer}"
        case IntegerQuestion() | NumericQuestion() | TextQuestion():
            answer = f"The answer: {question.answer}" if isinstance(question, TextQuestion) else "The answer"
    first = solution[0] if solution is not None and len(solution) else None
    if first is None or not "".join(first.itertext()).startswith("The answer:") or not _shows(first, answer):
        problems.append("the solution does not start with the answer")

    def says(identifier: str, feedback: str | None, misconception: str | None) -> None:
        known = misconceptions.get(misconception) if misconception else None
        text = feedback or (f"{known.title} {known.description}" if known else "")
        element = root.find(f"q:modalFeedback[@identifier='{identifier}']", NS)
        if element is not None and not _shows(element, text):
            problems.append(f"{identifier}'s feedback is not all there")

    if isinstance(question, (ChoiceQuestion, MultiQuestion)):
        for n, option in enumerate(question.options, start=1):
            says(f"C{n}", option.feedback, option.misconception)
    if isinstance(question, (IntegerQuestion, NumericQuestion)):
        for n, mistake in enumerate(question.mistakes, start=1):
            says(f"M{n}", mistake.feedback, mistake.misconception)
    if feedback != wanted:
        problems.append(f"modal feedback {sorted(feedback)} != {sorted(wanted)}")
    return problems


# -- schema validity: every item, the test, the manifest --------------------------------------------


@needs_schemas
def test_every_item_and_the_test_are_valid_qti_21(files: dict[str, bytes], qti_schema: Any) -> None:
    checked = collections.Counter()
    for name, raw in files.items():
        if name.startswith(("items/", "tests/")):
            document = etree.fromstring(raw)
            assert qti_schema.validate(document), f"{name}: {qti_schema.error_log.last_error}"
            checked[name.split("/")[0]] += 1
    assert checked["tests"] == 1 and checked["items"] > 200, checked


@needs_schemas
def test_the_manifest_is_valid_ims_content_packaging(files: dict[str, bytes], cp_schema: Any) -> None:
    manifest = etree.fromstring(files["imsmanifest.xml"])
    assert cp_schema.validate(manifest), cp_schema.error_log.last_error


def test_every_item_holds_what_its_question_needs(
    files: dict[str, bytes], questions: dict[str, Question], data: ExportSet
) -> None:
    by_identifier = {qti21.item_identifier(q): q for q in questions}
    seen = collections.Counter()
    for name, root in items(files):
        question = questions[by_identifier[root.get("identifier")]]
        assert not content_problems(root, question, data.misconceptions), name
        seen[question.type] += 1
    assert set(seen) == set(EXPECTED_DECLARATION) and sum(seen.values()) == len(questions)


@needs_schemas
def test_dropping_any_qti_element_of_an_item_is_caught(
    files: dict[str, bytes], questions: dict[str, Question], data: ExportSet, qti_schema: Any
) -> None:
    """The checks above are not vacuous: for one item of each type, removing any one QTI element (not the
    XHTML or MathML inside texts) makes the schema or the content check fail, except elements whose loss
    only the response-processing interpreter can see (a rule's branch), which it checks."""
    by_identifier = {qti21.item_identifier(q): q for q in questions}
    samples: dict[str, tuple[Any, Question]] = {}
    for _, root in items(files):
        question = questions[by_identifier[root.get("identifier")]]
        samples.setdefault(question.type, (root, question))
    assert len(samples) == 6
    dropped = 0
    for kind, (root, question) in samples.items():
        paths = [root.getroottree().getpath(e) for e in root.iter(f"{{{QTI}}}*") if e is not root]
        for path in paths:
            copy = etree.fromstring(etree.tostring(root))
            (element,) = copy.xpath(path)
            if element.xpath("ancestor::q:responseProcessing", namespaces=NS):
                continue  # inside the rules: the interpreter's agreement test sees a lost branch
            if element.tag == f"{{{QTI}}}mapEntry" and element.get("mapKey") not in question.accepted_forms():
                continue  # one more spelling for importers that read mappings (the rules grade by pattern)
            element.getparent().remove(element)
            caught = not qti_schema.validate(copy) or content_problems(copy, question, data.misconceptions)
            assert caught, f"{kind}: dropping {path} went unnoticed"
            dropped += 1
    assert dropped > 60, dropped


def _check_template(url: str) -> None:
    """A responseProcessing template must name one of IMS's standard templates."""
    name = url.rstrip("/").rsplit("/", 1)[-1]
    if (
        not url.startswith("http://www.imsglobal.org/question/qti_v2p1/rptemplates/")
        or not (RPTEMPLATES / f"{name}.xml").is_file()
    ):
        raise AssertionError(f"{url} names no standard response-processing template")


@pytest.mark.skipif(not RPTEMPLATES.is_dir(), reason=f"IMS's rptemplates are not at {RPTEMPLATES}")
def test_response_processing_is_written_out_or_names_a_real_template(files: dict[str, bytes]) -> None:
    for name, root in items(files):
        processing = root.find("q:responseProcessing", NS)
        template = processing.get("template")
        if template is not None:
            _check_template(template)
        else:
            assert len(processing), f"{name}: no rules and no template"
    _check_template("http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_correct")
    with pytest.raises(AssertionError):
        _check_template("http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_corect")


# -- maths, text and escaping -------------------------------------------------------------------------

_LATEX_LEFT = re.compile(r"\$|\\\(|\\\[|\\(frac|sqrt|mathrm|cdot|times|sigma|approx)\b")


def test_maths_is_mathml_and_no_latex_is_left_as_text(
    files: dict[str, bytes], questions: dict[str, Question]
) -> None:
    by_identifier = {qti21.item_identifier(q): q for q in questions}
    with_maths = 0
    for name, root in items(files):
        question = questions[by_identifier[root.get("identifier")]]
        text = "".join(
            t
            for e in root.iter()
            if not str(e.tag).startswith(f"{{{MATHML}}}")
            for t in [e.text or "", e.tail or ""]
        )
        assert not _LATEX_LEFT.search(text), f"{name}: LaTeX left as text: {_LATEX_LEFT.search(text)}"
        if "$" in question.prompt:
            body = root.find("q:itemBody", NS)
            assert body.findall(".//m:math", NS), f"{name}: the prompt's formulas are not MathML"
            with_maths += 1
    assert with_maths > 50


HOSTILE = """
topics:
  - id: hostile
    title: 'Topic <b>bold</b> & "quoted"'
    description: "Escaping."
questions:
  - id: 9-hostile
    type: choice
    topic: hostile
    prompt: 'What does <script>alert(1)</script> & "x" ]]> print? $n_{in} < 3$'
    options:
      - text: '</simpleChoice><simpleChoice identifier="C9">'
        feedback: '<img src=x onerror=alert(1)>'
      - "plain"
    answer: 2
    explanation: "Text &amp; more."
  - id: big-integer
    type: integer
    topic: hostile
    prompt: "How many weights has a 60000 by 60000 layer (an integer)?"
    answer: 3600000000
    mistakes:
      - value: 120000
        feedback: "That is n_in + n_out."
    explanation: "60000 × 60000."
  - id: words
    type: text
    topic: hostile
    prompt: "Name the initialisation for ReLU."
    answer: Kaiming He
    accept: ["He (2015)", "a.b*c"]
    explanation: "He et al., 2015."
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[ExportSet, dict[str, bytes]]:
    folder = tmp_path_factory.mktemp("hostile")
    path = folder / "bank.yaml"
    path.write_text(HOSTILE.lstrip("\n"), encoding="utf-8")
    data = build_export_set(load_banks([path]), topics=["hostile"], title='Quiz <i>&</i> "1"')
    with zipfile.ZipFile(io.BytesIO(export("qti21", data))) as archive:
        return data, {name: archive.read(name) for name in archive.namelist()}


def test_bank_text_is_escaped_never_markup(hostile: tuple[ExportSet, dict[str, bytes]]) -> None:
    _, files = hostile
    root = etree.fromstring(files["items/Q9-hostile.xml"])
    assert not root.xpath("//*[local-name()='script' or local-name()='img']")
    choices = root.findall(".//q:simpleChoice", NS)
    assert [c.get("identifier") for c in choices] == ["C1", "C2"]
    assert choices[0].xpath("string()") == '</simpleChoice><simpleChoice identifier="C9">'
    body = root.find("q:itemBody", NS).xpath("string()")
    assert '<script>alert(1)</script> & "x" ]]> print?' in body
    feedback = root.find("q:modalFeedback[@identifier='C1']", NS)
    assert feedback.xpath("string()").strip() == "<img src=x onerror=alert(1)>"
    test = etree.fromstring(next(v for k, v in files.items() if k.startswith("tests/")))
    assert test.get("title") == 'Quiz <i>&</i> "1"'
    assert test.find(".//q:assessmentSection", NS).get("title") == 'Topic <b>bold</b> & "quoted"'


@needs_schemas
def test_hostile_text_a_digit_id_and_a_huge_integer_stay_valid(
    hostile: tuple[ExportSet, dict[str, bytes]], qti_schema: Any, cp_schema: Any
) -> None:
    data, files = hostile
    for name, raw in files.items():
        schema = cp_schema if name == "imsmanifest.xml" else qti_schema
        assert schema.validate(etree.fromstring(raw)), f"{name}: {schema.error_log.last_error}"
    manifest = etree.fromstring(files["imsmanifest.xml"])
    ids = manifest.xpath(
        "//cp:resource[@type='imsqti_item_xmlv2p1']/cp:metadata//md:general/md:identifier/text()",
        namespaces=NS,
    )
    assert sorted(ids) == ["9-hostile", "big-integer", "words"]  # quizgen's ids, even the one QTI must prefix
    big = etree.fromstring(files["items/big-integer.xml"])
    declaration = big.find("q:responseDeclaration", NS)
    assert declaration.get("baseType") == "float"  # beyond xsd:int
    assert declaration.findtext("q:correctResponse/q:value", namespaces=NS) == "3600000000"
    assert qti21.read_back(export("qti21", data)) == {"choice": 1, "integer": 1, "text": 1}


def test_a_text_answer_is_matched_as_the_grader_normalises_it(
    hostile: tuple[ExportSet, dict[str, bytes]],
) -> None:
    """The patterns, read as XML Schema reads them (here: Python's re with XSD's \\s), accept the spellings
    the drill accepts and refuse others; written-out cases."""
    _, files = hostile
    root = etree.fromstring(files["items/words.xml"])
    patterns = [p.get("pattern") for p in root.iter(f"{{{QTI}}}patternMatch")]
    assert all(re.fullmatch(r"(\[[^\]]*\]|[^\[\]])*", p) for p in patterns)  # \s only inside [...]
    compiled = [re.compile(p.replace(r"\s", r" \t\n\r")) for p in patterns]

    def accepted(typed: str) -> bool:
        return any(c.fullmatch(typed) for c in compiled)

    for typed in [
        "Kaiming He",
        "kaiming-he",
        " KAIMING   he. ",
        "kaiming_he",
        "he (2015)",
        "He (2015).",
        "A.B*C",
    ]:
        assert accepted(typed), typed
    for typed in ["Kaiming", "KaimingHe", "he 2015", "a.bbc", "xKaiming He", "Kaiming He!"]:
        assert not accepted(typed), typed


# -- the test, the manifest, identifiers -------------------------------------------------------------


def assessment_test_problems(test: Any, data: ExportSet, files: dict[str, bytes]) -> list[str]:
    """What the assessmentTest lacks, judged from the export set."""
    problems = []
    topics = test.findall("q:testPart/q:assessmentSection", NS)
    if [t.get("title") for t in topics] != [t.title for t in data.topics.values()][: len(topics)]:
        problems.append("a section per topic, in the set's order")
    groups = {s.get("identifier"): s for s in test.findall(".//q:assessmentSection/q:assessmentSection", NS)}
    if len(groups) != sum(1 for g in data.groups if g.count):
        problems.append("a section per generator")
    for group in data.groups:
        section = groups.get(f"generator-{group.id}")
        if group.count and (
            section is None
            or section.find("q:selection[@select='1']", NS) is None
            or len(section.findall("q:assessmentItemRef", NS)) != group.count
            or section.get("title") != group.generator.title
        ):
            problems.append(f"{group.id}: one of its {group.count} variants drawn")
    refs = [r.get("href") for r in test.iter(f"{{{QTI}}}assessmentItemRef")]
    if not len(refs) == len(set(refs)) == len(data.questions) + data.variant_count:
        problems.append("every item referenced once")
    if any(not (h.startswith("../items/") and h[3:] in files) for h in refs):
        problems.append("a reference to a file that is not there")
    for outcome in ("SCORE", "MAXSCORE"):
        if test.find(f"q:outcomeDeclaration[@identifier='{outcome}']", NS) is None:
            problems.append(f"{outcome} declared")
        total = test.find(
            f"q:outcomeProcessing/q:setOutcomeValue[@identifier='{outcome}']/q:sum/q:testVariables", NS
        )
        if total is None or total.get("variableIdentifier") != outcome:
            problems.append(f"{outcome} summed over the items")
    control = test.find("q:testPart/q:itemSessionControl", NS)  # QTI's defaults would hide all feedback
    if control is None or (control.get("showFeedback"), control.get("showSolution")) != ("true", "true"):
        problems.append("feedback and solutions shown")
    return problems


def manifest_problems(manifest: Any, questions: dict[str, Question], files: dict[str, bytes]) -> list[str]:
    """What the manifest lacks, judged from the questions and the package's files."""
    problems = []
    schema = (
        manifest.findtext("cp:metadata/cp:schema", namespaces=NS),
        manifest.findtext("cp:metadata/cp:schemaversion", namespaces=NS),
    )
    if schema != ("QTIv2.1 Package", "1.0.0"):
        problems.append("the package's schema and version")
    lom = "cp:metadata/md:lom"
    if not manifest.xpath(f"{lom}/md:general/md:title/md:langstring/text()", namespaces=NS):
        problems.append("the package's title")
    if manifest.xpath(f"{lom}/md:general/md:identifier/text()", namespaces=NS) != [
        manifest.get("identifier")
    ]:
        problems.append("the package's identifier in its metadata")
    made_by = manifest.xpath(f"{lom}/md:general/md:description/md:langstring/text()", namespaces=NS)
    if not (made_by and made_by[0].startswith(f"Made by quizgen {__version__}")):
        problems.append("what made the package")
    if manifest.xpath(f"{lom}/md:lifecycle/md:version/md:langstring/text()", namespaces=NS) != [
        f"quizgen {__version__}"
    ]:
        problems.append("the package's version")
    resources = manifest.findall("cp:resources/cp:resource", NS)
    listed = [f.get("href") for r in resources for f in r.findall("cp:file", NS)]
    if sorted(listed) != sorted(n for n in files if n != "imsmanifest.xml"):
        problems.append("every file listed once")
    if any(r.get("href") not in files for r in resources):
        problems.append("a resource's href")
    kinds = collections.Counter(r.get("type") for r in resources)
    if kinds != {"imsqti_test_xmlv2p1": 1, "imsqti_item_xmlv2p1": len(questions)}:
        problems.append("a resource per item and one for the test")
    tests = [r for r in resources if r.get("type") == "imsqti_test_xmlv2p1"]
    depends = {d.get("identifierref") for t in tests for d in t.findall("cp:dependency", NS)}
    if depends != {r.get("identifier") for r in resources if r.get("type") == "imsqti_item_xmlv2p1"}:
        problems.append("the test depends on every item")
    for resource in resources:
        general = resource.find("cp:metadata/md:lom/md:general", NS)
        version = resource.xpath(
            "cp:metadata/md:lom/md:lifecycle/md:version/md:langstring/text()", namespaces=NS
        )
        if general is None or version != [f"quizgen {__version__}"]:
            problems.append(f"{resource.get('identifier')}: metadata with quizgen's version")
            continue
        if not general.xpath("md:title/md:langstring/text()", namespaces=NS):
            problems.append(f"{resource.get('identifier')}: a title")
        if resource.get("type") == "imsqti_test_xmlv2p1":
            if general.findtext("md:identifier", namespaces=NS) != resource.get("identifier"):
                problems.append("the test's identifier in its metadata")
        else:
            question = questions.get(general.findtext("md:identifier", namespaces=NS) or "")
            words = general.xpath("md:keyword/md:langstring/text()", namespaces=NS)
            if question is None or words[:1] != [question.topic] or len(words) != 2:
                problems.append(f"{resource.get('identifier')}: its quizgen id, topic and interaction")
    return problems


def test_the_test_has_a_section_per_topic_and_draws_one_variant_per_generator(
    files: dict[str, bytes], data: ExportSet
) -> None:
    (name,) = [n for n in files if n.startswith("tests/")]
    assert not assessment_test_problems(etree.fromstring(files[name]), data, files)


def test_the_manifest_lists_every_file_with_its_metadata(
    files: dict[str, bytes], questions: dict[str, Question]
) -> None:
    manifest = etree.fromstring(files["imsmanifest.xml"])
    assert not manifest_problems(manifest, questions, files)
    ids = manifest.xpath("//cp:resource/cp:metadata//md:general/md:identifier/text()", namespaces=NS)
    assert set(questions) <= set(ids)


@needs_schemas
def test_dropping_any_element_of_the_test_or_the_manifest_is_caught(
    bank: QuestionBank, qti_schema: Any, cp_schema: Any
) -> None:
    """As for items: remove any one element of a small package's test or manifest, and the schema or the
    checks above notice."""
    data = build_export_set(bank, topics=["layer-size", "symmetry"], variants=2, seed=3)
    with zipfile.ZipFile(io.BytesIO(export("qti21", data))) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    questions = {q.id: q for q in data.all_questions()}
    (test_name,) = [n for n in files if n.startswith("tests/")]
    cases = [
        (files[test_name], qti_schema, lambda root: assessment_test_problems(root, data, files)),
        (files["imsmanifest.xml"], cp_schema, lambda root: manifest_problems(root, questions, files)),
    ]
    dropped = 0
    for raw, schema, problems in cases:
        original = etree.fromstring(raw)
        assert schema.validate(original) and not problems(original)
        for index in range(1, sum(1 for _ in original.iter())):
            copy = etree.fromstring(raw)
            element = next(itertools.islice(copy.iter(), index, None))
            path = copy.getroottree().getpath(element)
            element.getparent().remove(element)
            assert not schema.validate(copy) or problems(copy), f"dropping {path} went unnoticed"
            dropped += 1
    assert dropped > 100, dropped


def test_a_variant_has_the_same_id_here_as_in_the_canvas_export(
    data: ExportSet, files: dict[str, bytes]
) -> None:
    """The id that names a variant in the drill log and the worksheet key names it in both packages."""
    with zipfile.ZipFile(io.BytesIO(export("qti", data))) as archive:
        (name,) = [
            n for n in archive.namelist() if n.count("/") == 1 and not n.endswith("assessment_meta.xml")
        ]
        canvas = etree.fromstring(archive.read(name))
    titles = {i.get("title") for i in canvas.iter("{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}item")}
    here = {etree.fromstring(raw).get("identifier") for n, raw in files.items() if n.startswith("items/")}
    assert titles == here  # (no bundled id starts with a digit)


def test_the_same_set_gives_the_same_bytes(data: ExportSet, package: bytes) -> None:
    assert export("qti21", data) == package


def test_numeric_tolerances_are_the_exact_decimal_widths(
    files: dict[str, bytes], questions: dict[str, Question]
) -> None:
    """tolerance = the bank's tolerance (times |answer| when relative) in decimal, not float noise, plus
    the grader's own slack for float rounding (1e-9 times the answer, at least 1e-9)."""
    by_identifier = {qti21.item_identifier(q): q for q in questions}
    checked = 0
    for _, root in items(files):
        question = questions[by_identifier[root.get("identifier")]]
        if not isinstance(question, NumericQuestion):
            continue
        equal = root.find("q:responseProcessing//q:responseElseIf/q:equal", NS)
        low, high = equal.get("tolerance").split()
        width = Decimal(repr(question.tolerance))
        if question.tolerance_type == "relative":
            width *= abs(Decimal(repr(question.answer)))
        slack = Decimal("1e-9") * max(1, abs(Decimal(repr(question.answer))))  # the grader's, for rounding
        width = slack if question.tolerance == 0 else width + slack
        assert Decimal(low) == Decimal(high) == width, (question.id, low, width)
        checked += 1
    assert checked > 50


# -- the command, read-back and bad input ----------------------------------------------------------------


def test_export_check_prints_the_counts_per_type(tmp_path: Path) -> None:
    out = tmp_path / "package.zip"
    result = CliRunner().invoke(
        main,
        [
            "export",
            "--format",
            "qti21",
            "--topic",
            "layer-size",
            "--variants",
            "2",
            "-o",
            str(out),
            "--check",
        ],
    )
    assert result.exit_code == 0, result.output
    counted = dict(re.findall(r"^\s+(\w+)\s+(\d+)$", result.output, re.MULTILINE))
    assert counted and all(k in qti21.ITEM_TYPES for k in counted)
    with zipfile.ZipFile(out) as archive:
        assert sum(1 for n in archive.namelist() if n.startswith("items/")) == sum(map(int, counted.values()))


def test_read_back_refuses_a_broken_package(package: bytes) -> None:
    with pytest.raises(ExportReadError, match="not a zip"):
        qti21.read_back(b"PK\x03\x04 broken")
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(buffer, "w") as damaged:
        for name in source.namelist():
            if not name.startswith("items/a"):
                damaged.writestr(name, source.read(name))
    with pytest.raises(ExportReadError, match="which is not in the package"):
        qti21.read_back(buffer.getvalue())


def test_practice_page_options_are_refused_with_this_format(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["export", "--format", "qti21", "--pass-mark", "80", "-o", str(tmp_path / "p.zip")]
    )
    assert result.exit_code == 2 and "--pass-mark" in result.output
    assert not (tmp_path / "p.zip").exists()


def test_no_reference_cycle_per_question(bank: QuestionBank) -> None:
    """With the collector paused (as the CLI runs), nothing a writer leaves behind waits for it: the garbage
    it finds afterwards does not grow with the number of questions."""
    small, large = (
        build_export_set(bank, topics=["layer-size"], variants=n, seed=6, include_questions=False)
        for n in (100, 1000)
    )
    export("qti21", small)
    found = []
    for data in (small, large):
        gc.collect()
        with gc_paused():
            export("qti21", data)
        found.append(gc.collect())
    assert found[1] - found[0] < 200, found


def test_isal_deflates_what_zlib_would(
    data: ExportSet, files: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """ISA-L (a dependency, for speed) and the zlib fallback give packages with the same files; zipfile
    checks every entry's CRC as it reads it, and `unzip -t` agrees when it is installed."""
    assert qti21._DEFLATE is not None, "isal is a dependency: the fast deflater should be in use"
    monkeypatch.setattr(qti21, "_DEFLATE", None)
    with zipfile.ZipFile(io.BytesIO(export("qti21", data))) as archive:
        assert {name: archive.read(name) for name in archive.namelist()} == files


MARKDOWN = """
topics:
  - id: md
    title: Markdown
    description: "Every block a bank may write."
questions:
  - id: md-01
    type: choice
    topic: md
    prompt: |
      # Steps

      3. third
      4. fourth

      ```python
      torch.nn.init.xavier_uniform_(w)
      ```

      > quoted *text*, `code` and [a link](https://example.org "A tooltip")

      - a
        - nested

      line one\\
      line two

      ---

      $$\\sqrt{\\frac{6}{n_{in}+n_{out}}}$$
    options:
      - "**bold** option"
      - "`code` option"
    answer: 1
    explanation: "See <https://example.org>."
"""


@needs_schemas
def test_every_markdown_block_becomes_valid_qti_xhtml(tmp_path: Path, qti_schema: Any) -> None:
    """QTI 2.1's XHTML has no `start` on a list and no `title` on a link: a list numbered from 3 says its
    numbers in its items, and a link keeps its target without the tooltip."""
    path = tmp_path / "bank.yaml"
    path.write_text(MARKDOWN.lstrip("\n"), encoding="utf-8")
    data = build_export_set(load_banks([path]), topics=["md"])
    with zipfile.ZipFile(io.BytesIO(export("qti21", data))) as archive:
        root = etree.fromstring(archive.read("items/md-01.xml"))
    assert qti_schema.validate(root), qti_schema.error_log.last_error
    body = root.find("q:itemBody", NS)
    assert [li.xpath("string()") for li in body.findall("q:ul[1]/q:li", NS)] == ["3. third", "4. fourth"]
    (link,) = body.findall(".//q:a", NS)
    assert link.get("href") == "https://example.org" and link.text == "a link"
    assert body.find("q:pre/q:code", NS).text.startswith("torch.nn.init.xavier_uniform_(w)")
    assert body.find("m:math[@display='block']", NS) is not None
