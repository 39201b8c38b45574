"""The SCORM 1.2 package, checked by consumers someone else wrote: ADL's SCORM 1.2 schemas, and
scorm-again (an LMS-side SCORM 1.2 runtime) playing the LMS around the page in headless Chromium.

The manifest is validated against ``shared/xsd/scorm12/scorm12.xsd`` beside the checkout (the
tests that need it skip when that folder is absent). In the browser, a harness page creates
``window.API = new Scorm12API(...)`` and opens the package's page in an iframe; every call the page
makes goes to scorm-again, and the test reads back what scorm-again kept (``renderCMIToJSONObject``)
and every value the page sent, each checked against SCORM 1.2's data types as the RTE book writes them
(the regular expressions below are written from the specification, not from scorm.js; scorm-again
itself is deliberately lax about interactions and suspend_data, see its scorm12_regex).

The expected interactions are written out by hand for a small bank with one question of each type.
"""

from __future__ import annotations

import dataclasses
import io
import itertools
import json
import re
import time
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from quizgen import load_banks
from quizgen.exporters import ExportSet, build_export_set, scorm
from quizgen.exporters.base import export_digest
from quizgen.exporters.check import ExportReadError

from .browser import npm_file, serve
from .conftest import WriteBank

ROOT = Path(__file__).resolve().parents[1]
XSD = ROOT.parent / "shared" / "xsd"
SCORM_JS = ROOT / "templates" / "practice" / "scorm.js"
CP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
NS = {"cp": CP, "adlcp": ADLCP}

# -- SCORM 1.2's data types, from the RTE book (section 3.4 and appendix A), strictly ----------------

CMI_DECIMAL = re.compile(r"-?\d+(\.\d+)?")  # no exponent; a sign only for negatives
CMI_IDENTIFIER = re.compile(r"[A-Za-z0-9_-]{1,255}")  # 'alphanumeric ... no white space'
CMI_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,2})?")
CMI_TIMESPAN = re.compile(r"\d{2,4}:[0-5]\d:[0-5]\d(\.\d{1,2})?")
CHOICE = re.compile(r"[0-9a-z](,[0-9a-z])*|")  # single characters 0-9 / a-z, comma-separated
TRUE_FALSE = re.compile(r"[01tf]")
RESPONSE = {
    "choice": CHOICE,
    "true-false": TRUE_FALSE,
    "numeric": CMI_DECIMAL,
    "fill-in": re.compile(r"[\s\S]{0,255}"),
}
STATUS = {"passed", "completed", "failed", "incomplete", "browsed", "not attempted"}
EXIT = {"time-out", "suspend", "logout", ""}
SUSPEND_LIMIT = 4096

TOPIC = "scorm-practice"
BANK = """
topics:
  - id: scorm-practice
    title: "SCORM <practice> & co"
    description: "One question of each type, for the SCORM package's tests."
questions:
  - id: sc-choice
    type: choice
    topic: scorm-practice
    prompt: "Xavier's Var(W)?"
    options:
      - "1/(n_in + n_out)"
      - "2/(n_in + n_out)"
      - text: "2/(n_in * n_out)"
        misconception: product-for-sum
    answer: 2
    explanation: "The sum of the fans, doubled."
  - id: sc-multi
    type: multi
    topic: scorm-practice
    prompt: "Which keep the variance at 1? Select all that apply."
    options:
      - "Var(W) = 1/n_in for a linear layer"
      - "Var(W) = 1 for every layer"
      - "Var(W) = 2/n_in before a ReLU"
      - "Var(W) = 0"
    answers: [1, 3]
    explanation: "LeCun's and He's rules."
  - id: sc-tf
    type: true_false
    topic: scorm-practice
    prompt: "Zero weights break the symmetry between units."
    answer: false
    explanation: "False: every unit computes the same thing."
  - id: sc-int
    type: integer
    topic: scorm-practice
    prompt: "By what factor does the variance grow after 12 residual blocks that each double it (an integer)?"
    answer: 4096
    mistakes:
      - value: 24
        misconception: product-for-sum
    explanation: "2^12 = 4096."
  - id: sc-num
    type: numeric
    topic: scorm-practice
    prompt: "What is 1/400? Give the exact value."
    answer: 0.0025
    tolerance: 1.0e-9
    explanation: "1/400 = 0.0025."
  - id: sc-text
    type: text
    topic: scorm-practice
    prompt: "Which torchvision keyword zeroes the last batch-norm gamma of each residual branch?"
    answer: zero_init_residual
    explanation: "zero_init_residual=True."
"""


@dataclasses.dataclass(frozen=True)
class Answer:
    """One answer the tests give, and what the LMS must receive for it (written out by hand)."""

    skill: str
    typed: str
    value: Any  # what the page's grader reads (the contract's answer.value)
    result: str
    scorm_type: str
    response: str
    pattern: str
    clicks: tuple[int, ...] = ()  # on the real page: the options to pick (true_false: 1 = True, 2 = False)


ANSWERS = (
    Answer("sc-choice", "3", 3, "wrong", "choice", "c", "b", (3,)),
    Answer("sc-multi", "1, 3", [1, 3], "correct", "choice", "a,c", "a,c", (1, 3)),
    Answer("sc-tf", "t", True, "wrong", "true-false", "t", "f", (1,)),
    Answer("sc-int", "4096", "4096", "correct", "numeric", "4096", "4096"),
    Answer("sc-num", "2.5e-3", 0.0025, "correct", "numeric", "0.0025", "0.0025"),
    Answer(
        "sc-text",
        "Zero_Init_Residual",
        "Zero_Init_Residual",
        "correct",
        "fill-in",
        "Zero_Init_Residual",
        "zero init residual",
    ),
)
UNREADABLE = ("sc-int", "twelve")
"""An answer the grader cannot read: shown to the student, never recorded."""
RAW = 67
"""4 of the 6 skills' latest answers are right: round(100 * 4 / 6)."""


# -- the package ----------------------------------------------------------------------------------


def scorm_schema() -> Any:
    if not XSD.is_dir():
        pytest.skip(f"SCORM 1.2 schemas not found at {XSD} (shared/xsd beside the checkout); cannot validate")
    return etree.XMLSchema(etree.parse(str(XSD / "scorm12" / "scorm12.xsd")))


@pytest.fixture
def small_set(write_bank: WriteBank) -> ExportSet:
    bank = load_banks([write_bank(BANK)])
    return build_export_set(bank, topics=[TOPIC], variants=0, title='SCORM <practice> & "co"')


def with_pass_mark(data: ExportSet, pass_mark: int | None) -> ExportSet:
    return dataclasses.replace(data, pass_mark=pass_mark)


def package_page(data: ExportSet) -> str:
    """The package's page (page.py's ``render_page`` with scorm.js)."""
    from quizgen.exporters.page import render_page

    return render_page(data, scorm=True)


def manifest_of(data: ExportSet) -> bytes:
    return scorm.manifest_xml(data)


def test_the_manifest_validates_with_a_mastery_score(small_set: ExportSet) -> None:
    schema = scorm_schema()
    document = etree.fromstring(manifest_of(with_pass_mark(small_set, 80)))
    assert schema.validate(document), schema.error_log
    mastery = document.findall(".//cp:item/adlcp:masteryscore", NS)
    assert [m.text for m in mastery] == ["80"]
    assert document.get("version") == "1.2"
    assert document.findtext("cp:metadata/cp:schema", namespaces=NS) == "ADL SCORM"
    assert document.findtext("cp:metadata/cp:schemaversion", namespaces=NS) == "1.2"
    assert (
        document.findtext(".//cp:organization/cp:item/cp:title", namespaces=NS) == 'SCORM <practice> & "co"'
    )
    (resource,) = document.findall(".//cp:resource", NS)
    assert resource.get(f"{{{ADLCP}}}scormtype") == "sco"
    assert resource.get("href") == "index.html"
    assert [f.get("href") for f in resource.findall("cp:file", NS)] == ["index.html"]


def test_the_manifest_validates_without_a_mastery_score(small_set: ExportSet) -> None:
    schema = scorm_schema()
    document = etree.fromstring(manifest_of(with_pass_mark(small_set, None)))
    assert schema.validate(document), schema.error_log
    assert document.findall(".//adlcp:masteryscore", NS) == []


def test_the_title_is_escaped_once_and_fits_the_schema(small_set: ExportSet) -> None:
    schema = scorm_schema()
    raw = manifest_of(small_set)
    assert b'SCORM &lt;practice&gt; &amp; "co"' in raw
    long = dataclasses.replace(small_set, title="x" * 300 + "\x01")
    document = etree.fromstring(manifest_of(long))
    assert schema.validate(document), schema.error_log
    title = document.findtext(".//cp:organization/cp:title", namespaces=NS)
    assert title is not None and len(title) == 200 and title.endswith("…")


@pytest.mark.parametrize("bad", [-1, 101, 50.5, True])
def test_a_pass_mark_outside_0_to_100_is_one_line(small_set: ExportSet, bad: Any) -> None:
    with pytest.raises(
        scorm.ScormError, match=r"^the pass mark must be a whole percentage from 0 to 100"
    ) as info:
        scorm.manifest_xml(with_pass_mark(small_set, bad))
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    "drop", [".//cp:resources/cp:resource", ".//cp:resource/cp:file", "cp:organizations"]
)
def test_a_dropped_element_is_caught(small_set: ExportSet, drop: str) -> None:
    """Validation (or read_back's own check, where the schema makes the element optional) fails
    when a part of the manifest is removed."""
    schema = scorm_schema()
    document = etree.fromstring(manifest_of(small_set))
    for element in document.findall(drop, NS):
        element.getparent().remove(element)
    valid = schema.validate(document)
    package = zip_of({"imsmanifest.xml": etree.tostring(document), "index.html": package_page(small_set)})
    try:
        scorm.read_back(package)
        read = True
    except ExportReadError as exc:
        read = False
        assert "\n" not in str(exc)
    assert not (valid and read), f"dropping {drop} went unnoticed"
    if drop == ".//cp:resource/cp:file":  # optional in IMS CP: read_back's own check catches it
        assert valid and not read


def zip_of(files: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_identifiers_are_stable_and_follow_the_content(small_set: ExportSet) -> None:
    first = manifest_of(small_set)
    assert manifest_of(small_set) == first
    digest = export_digest(small_set)
    document = etree.fromstring(first)
    assert document.get("identifier") == f"quizgen-{digest}"
    other = etree.fromstring(manifest_of(dataclasses.replace(small_set, seed=small_set.seed + 1)))
    assert other.get("identifier") != document.get("identifier")


def test_read_back_refuses_a_package_without_its_parts(small_set: ExportSet) -> None:
    manifest = manifest_of(small_set)
    page = package_page(small_set)
    cases = {
        "no manifest": (zip_of({"index.html": page}), "has no imsmanifest.xml"),
        "no page": (zip_of({"imsmanifest.xml": manifest}), "launches 'index.html', which is not in the zip"),
        "not a zip": (b"PK nonsense", "is not a zip file"),
        "bad xml": (zip_of({"imsmanifest.xml": b"<manifest", "index.html": page}), "not well-formed XML"),
    }
    for name, (raw, message) in cases.items():
        with pytest.raises(ExportReadError, match=re.escape(message)) as info:
            scorm.read_back(raw)
        assert "\n" not in str(info.value), name


def test_read_back_counts_the_page_questions(small_set: ExportSet) -> None:
    package = zip_of({"imsmanifest.xml": manifest_of(small_set), "index.html": package_page(small_set)})
    expected = Counter({"choice": 1, "multi": 1, "true_false": 1, "integer": 1, "numeric": 1, "text": 1})
    assert scorm.read_back(package) == expected


def test_the_package_is_deterministic_and_complete(small_set: ExportSet) -> None:
    data = with_pass_mark(small_set, 80)
    raw = scorm.export(data)
    assert scorm.export(data) == raw
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        assert archive.testzip() is None
        infos = archive.infolist()
        assert [i.filename for i in infos] == ["imsmanifest.xml", "index.html"]
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        html = archive.read("index.html").decode("utf-8")
    assert "QuizgenBackend" in html  # scorm.js is inlined
    assert scorm.read_back(raw) == Counter(
        {"choice": 1, "multi": 1, "true_false": 1, "integer": 1, "numeric": 1, "text": 1}
    )


# -- the browser: scorm-again as the LMS ---------------------------------------------------------

HARNESS = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>LMS</title>
<script src="scorm12.min.js"></script>
<script>
window.lmsLog = [];
window.calls = [];
var lms = new Scorm12API({
  autocommit: false,
  logLevel: 4,
  onLogMessage: function (level, message) { window.lmsLog.push(String(level) + " " + message); }
});
lms.loadFromJSON(%(preload)s);
var getLastError = lms.LMSGetLastError.bind(lms);
["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit"].forEach(function (name) {
  var real = lms[name].bind(lms);
  lms[name] = function () {
    var args = Array.prototype.slice.call(arguments);
    var result = real.apply(null, args);
    window.calls.push({name: name, args: args, result: String(result), code: String(getLastError())});
    return result;
  };
});
window.API = lms;
</script></head>
<body><iframe id="sco" title="course" src="%(src)s" width="800" height="600"></iframe></body></html>
"""


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A folder served over http, holding scorm-again's runtime; yields (folder, base URL)."""
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "scorm12.min.js").write_bytes(npm_file("scorm-again/dist/scorm12.min.js").read_bytes())
    (folder / "done.html").write_text("<!DOCTYPE html><title>done</title><p>left</p>", encoding="utf-8")
    with serve(folder) as base:
        yield folder, base


def install(folder: Path, data: ExportSet, name: str = "pkg") -> str:
    """The package unzipped under ``folder/name``; returns its page's path relative to the site."""
    target = folder / name
    target.mkdir()
    with zipfile.ZipFile(io.BytesIO(scorm.export(data))) as archive:
        archive.extractall(target)
    return f"{name}/index.html"


def mastery_from_manifest(folder: Path, name: str = "pkg") -> str:
    """What an LMS reads from the manifest into cmi.student_data.mastery_score ('' without one)."""
    document = etree.parse(str(folder / name / "imsmanifest.xml"))
    return document.findtext(".//cp:item/adlcp:masteryscore", default="", namespaces=NS)


LAUNCHES = itertools.count(1)


def open_lms(
    page: Any, folder: Path, base: str, src: str, preload: dict[str, Any], ready: bool = True
) -> Any:
    """Open the harness with scorm-again preloaded as ``preload``; returns the SCO's frame (once the
    page is ready, unless ``ready`` is false)."""
    # A new name for each launch: the browser may serve an earlier harness from its cache.
    name = f"lms-{next(LAUNCHES)}.html"
    (folder / name).write_text(HARNESS % {"preload": json.dumps(preload), "src": src}, encoding="utf-8")
    page.goto(f"{base}/{name}")
    frame = page.frame_locator("#sco")
    frame.locator("body").wait_for()
    sco = next(f for f in page.frames if f.url.endswith(src))
    sco.wait_for_load_state("load")
    if ready:
        wait_ready(sco)
    return sco


def answer_all(sco: Any, answers: tuple[Answer, ...], unreadable: tuple[str, str] | None = None) -> None:
    """Answer through the page's form, as a student does (the unreadable answer typed first where it
    belongs: the page shows why and marks nothing)."""
    skills = skill_order(sco)
    for answer in answers:
        i = skills.index(answer.skill)
        card = sco.locator(f"#card-{i}")
        card.wait_for()
        if unreadable is not None and unreadable[0] == answer.skill:
            box = sco.locator(f"#q{i}-answer")
            box.fill(unreadable[1])
            box.press("Enter")
            problem = sco.locator(f"#q{i}-problem")
            assert problem.text_content().strip()
            assert card.locator(".verdict.right, .verdict.wrong").count() == 0  # not marked
        if answer.clicks:
            for number in answer.clicks:
                sco.locator(f'input[name="q{i}-option"][value="{number}"]').check()
            card.locator("button[type=submit]").click()
        else:
            box = sco.locator(f"#q{i}-answer")
            box.fill(answer.typed)
            box.press("Enter")
        verdict = card.locator(".verdict.right, .verdict.wrong")
        verdict.wait_for()
        assert ("right" if answer.result == "correct" else "wrong") in (
            verdict.get_attribute("class") or ""
        ).split()
        verdict.locator("button.primary").click()


def skill_order(sco: Any) -> list[str]:
    """The real page's skills in document order (a card's index is its skill's position)."""
    from quizgen.exporters.page import page_document

    document = page_document(sco.content())
    return [skill["id"] for skill in document["skills"]]


def wait_ready(sco: Any) -> None:
    """The page starts once its questions are unpacked."""
    sco.wait_for_selector("html[data-quizgen-ready]", state="attached")  # the page's CSP forbids eval polling


def shown_progress(sco: Any) -> tuple[int, int]:
    """(answered, right) as the page counts them."""
    progress = sco.evaluate("() => window.QuizgenPractice.progress()")
    return progress["answered"], progress["right"]


def leave(page: Any, base: str) -> None:
    """The student leaves: the SCO's frame goes to another page (pagehide, unload)."""
    page.evaluate("(url) => { document.getElementById('sco').src = url; }", f"{base}/done.html")
    page.wait_for_function("() => window.calls.some(c => c.name === 'LMSFinish')", timeout=5000)


def lms_state(page: Any, cmi: bool = True) -> dict[str, Any]:
    """What scorm-again kept (its CMI object, unless ``cmi`` is false: slow for thousands of
    interactions), every call the SCO made, and scorm-again's error log."""
    state: dict[str, Any] = page.evaluate(
        "(cmi) => ({cmi: cmi ? window.API.renderCMIToJSONObject().cmi : null, calls: window.calls, log: window.lmsLog})",
        cmi,
    )
    return state


def sets(state: dict[str, Any]) -> list[tuple[str, str]]:
    return [(c["args"][0], c["args"][1]) for c in state["calls"] if c["name"] == "LMSSetValue"]


def assert_no_scorm_error(state: dict[str, Any]) -> None:
    failed = [c for c in state["calls"] if c["code"] != "0" or c["result"] == "false"]
    assert failed == [], failed
    assert state["log"] == []


def assert_within_scorm_types(values: list[tuple[str, str]]) -> None:
    """Every value the SCO sent is of its element's SCORM 1.2 type."""
    types: dict[str, str] = {}
    for element, value in values:
        if m := re.fullmatch(r"cmi\.interactions\.(\d+)\.type", element):
            types[m[1]] = value
    for element, value in values:
        if element in ("cmi.core.score.raw", "cmi.core.score.min", "cmi.core.score.max"):
            assert CMI_DECIMAL.fullmatch(value) and 0 <= float(value) <= 100, (element, value)
        elif element == "cmi.core.lesson_status":
            assert value in STATUS, value
        elif element == "cmi.core.exit":
            assert value in EXIT, value
        elif element == "cmi.core.session_time":
            assert CMI_TIMESPAN.fullmatch(value), value
        elif element == "cmi.suspend_data":
            assert len(value) <= SUSPEND_LIMIT
        elif m := re.fullmatch(r"cmi\.interactions\.(\d+)\.(.+)", element):
            index, field = m[1], m[2]
            if field == "id":
                assert CMI_IDENTIFIER.fullmatch(value), value
            elif field == "type":
                assert value in RESPONSE, value
            elif field == "time":
                assert CMI_TIME.fullmatch(value), value
            elif field == "latency":
                assert CMI_TIMESPAN.fullmatch(value), value
            elif field == "result":
                assert value in ("correct", "wrong"), value
            elif field in ("student_response", "correct_responses.0.pattern"):
                assert len(value) <= 255 and RESPONSE[types[index]].fullmatch(value), (element, value)
            else:
                pytest.fail(f"unexpected element {element}")
        else:
            pytest.fail(f"unexpected element {element} = {value!r}")


def interactions(cmi: dict[str, Any]) -> list[dict[str, Any]]:
    found = cmi["interactions"]
    return [found[str(i)] for i in range(len(found))]


def expected_interactions(answers: tuple[Answer, ...], data: ExportSet) -> list[dict[str, str]]:
    assert {a.skill for a in answers} <= {q.id for q in data.questions}
    return [
        {
            "id": a.skill,
            "type": a.scorm_type,
            "student_response": a.response,
            "result": a.result,
            "pattern": a.pattern,
        }
        for a in answers
    ]


def recorded(cmi: dict[str, Any]) -> list[dict[str, str]]:
    return [
        {
            "id": i["id"],
            "type": i["type"],
            "student_response": i["student_response"],
            "result": i["result"],
            "pattern": i["correct_responses"]["0"]["pattern"],
        }
        for i in interactions(cmi)
    ]


@pytest.mark.parametrize(("pass_mark", "status"), [(60, "passed"), (80, "failed"), (None, "completed")])
def test_a_set_answered_in_the_lms_is_recorded(
    page: Any, site: tuple[Path, str], small_set: ExportSet, pass_mark: int | None, status: str
) -> None:
    folder, base = site
    data = with_pass_mark(small_set, pass_mark)
    src = install(folder, data)
    started = time.monotonic()
    sco = open_lms(
        page, folder, base, src, {"student_data": {"mastery_score": mastery_from_manifest(folder)}}
    )
    assert sco.evaluate("() => window.QuizgenBackend && window.QuizgenBackend.name") == "scorm"
    answer_all(sco, ANSWERS, UNREADABLE)
    if pass_mark == 60:  # the student presses the summary's Finish button
        sco.get_by_role("button", name="Finish and send my score").click()
        page.wait_for_function("() => window.calls.some(c => c.name === 'LMSFinish')", timeout=5000)
    else:  # or just leaves
        leave(page, base)
    elapsed = time.monotonic() - started
    state = lms_state(page)
    assert_no_scorm_error(state)
    cmi = state["cmi"]
    core = cmi["core"]
    assert (core["score"]["raw"], core["score"]["min"], core["score"]["max"]) == (str(RAW), "0", "100")
    assert core["lesson_status"] == status
    assert core["exit"] == ""  # finished: a normal exit
    assert recorded(cmi) == expected_interactions(ANSWERS, data)
    for item in interactions(cmi):
        assert CMI_TIME.fullmatch(item["time"]) and CMI_TIMESPAN.fullmatch(item["latency"])
    values = sets(state)
    assert_within_scorm_types(values)
    session = [v for e, v in values if e == "cmi.core.session_time"]
    assert len(session) == 1
    hours, minutes, seconds = session[0].split(":")
    assert 0 <= int(hours) * 3600 + int(minutes) * 60 + float(seconds) <= elapsed + 0.01
    names = [c["name"] for c in state["calls"]]
    assert names[0] == "LMSInitialize" and names[-1] == "LMSFinish" and names.count("LMSFinish") == 1
    assert names.count("LMSCommit") >= len(ANSWERS)


def test_leaving_before_the_end_suspends_and_a_second_launch_resumes(
    page: Any, site: tuple[Path, str], small_set: ExportSet
) -> None:
    folder, base = site
    data = with_pass_mark(small_set, 50)
    src = install(folder, data)
    sco = open_lms(page, folder, base, src, {"student_data": {"mastery_score": "50"}})
    answer_all(sco, ANSWERS[:3])  # wrong, right, wrong
    leave(page, base)
    first = lms_state(page)
    assert_no_scorm_error(first)
    core = first["cmi"]["core"]
    assert core["exit"] == "suspend"
    assert core["lesson_status"] == "incomplete"
    assert core["score"]["raw"] == "17"  # round(100 * 1 / 6)
    suspend_data = first["cmi"]["suspend_data"]
    assert suspend_data and len(suspend_data) <= SUSPEND_LIMIT

    sco = open_lms(
        page,
        folder,
        base,
        src,
        {"suspend_data": suspend_data, "core": {"entry": "resume"}, "student_data": {"mastery_score": "50"}},
    )
    assert shown_progress(sco) == (3, 1)
    assert "Welcome back" in (sco.locator("#notice").text_content() or "")
    sco.locator("#card-3").wait_for()  # the next question, where the student left
    answer_all(sco, ANSWERS[3:])
    leave(page, base)
    second = lms_state(page)
    assert_no_scorm_error(second)
    core = second["cmi"]["core"]
    assert (core["score"]["raw"], core["lesson_status"], core["exit"]) == (str(RAW), "passed", "")


def test_suspend_data_over_4096_characters_is_never_sent(
    page: Any, site: tuple[Path, str], small_set: ExportSet
) -> None:
    folder, base = site
    src = install(folder, small_set)
    sco = open_lms(page, folder, base, src, {})
    result = sco.evaluate(
        """() => [window.QuizgenBackend.save("x".repeat(4096)), window.QuizgenBackend.save("y".repeat(4097)),
                  window.QuizgenBackend.errors.slice()]"""
    )
    assert result[0] is True and result[1] is False
    assert result[2] == ["save: the state is 4097 characters, over suspend_data's 4,096; not saved"]
    state = lms_state(page)
    assert [v for e, v in sets(state) if e == "cmi.suspend_data"] == ["x" * 4096]


def test_an_lms_error_never_breaks_the_page(page: Any, site: tuple[Path, str], small_set: ExportSet) -> None:
    """An LMS that refuses every write (and one whose calls throw) leaves practice working."""
    folder, base = site
    src = install(folder, small_set)
    sco = open_lms(page, folder, base, src, {})
    page.evaluate(
        """() => {
             window.API.LMSSetValue = function () { throw new Error("LMS down"); };
             window.API.LMSCommit = function () { return "false"; };
           }"""
    )
    answer_all(sco, ANSWERS[:2])
    errors = sco.evaluate("() => window.QuizgenBackend.errors.slice()")
    assert errors and all("\n" not in e for e in errors)
    assert any("LMS down" in e for e in errors)
    assert shown_progress(sco) == (2, 1)


def test_without_an_lms_the_page_works_on_its_own(
    page: Any, site: tuple[Path, str], small_set: ExportSet
) -> None:
    folder, base = site
    src = install(folder, small_set)
    page.goto(f"{base}/{src}")
    assert page.evaluate("() => typeof window.QuizgenBackend") == "undefined"
    wait_ready(page)
    answer_all(page, ANSWERS[:2])
    assert shown_progress(page) == (2, 1)
    key = "quizgen:" + export_digest(small_set)  # progress kept in the browser, under the set's key
    assert page.evaluate("(key) => localStorage.getItem(key)", key)


def test_the_api_is_found_through_the_opener_and_not_across_origins(
    page: Any, site: tuple[Path, str], small_set: ExportSet
) -> None:
    folder, base = site
    src = install(folder, small_set)
    open_lms(page, folder, base, "done.html", {}, ready=False)
    with page.expect_popup() as popup_info:
        page.evaluate("(url) => { window.open(url); }", f"{base}/{src}")
    popup = popup_info.value
    popup.wait_for_load_state("load")
    wait_ready(popup)
    assert popup.evaluate("() => window.QuizgenBackend && window.QuizgenBackend.name") == "scorm"
    popup.close()
    # The same package served from another origin (localhost, not 127.0.0.1) cannot reach the API.
    other = base.replace("127.0.0.1", "localhost")
    page.evaluate("(url) => { document.getElementById('sco').src = url; }", f"{other}/{src}")
    page.wait_for_function("(url) => document.getElementById('sco').src === url", arg=f"{other}/{src}")
    for _ in range(100):
        frame = next((f for f in page.frames if f.url.startswith(other)), None)
        if frame is not None:
            break
        page.wait_for_timeout(50)
    assert frame is not None, [f.url for f in page.frames]
    frame.wait_for_load_state("load")
    wait_ready(frame)
    assert frame.evaluate("() => typeof window.QuizgenBackend") == "undefined"


# -- limits over the whole bank ------------------------------------------------------------------


RECORD_ALL = """(variants) => {
  const backend = window.QuizgenBackend;
  const wrongs = (spec) => {
    switch (spec.type) {
      case "choice": return [spec.answer === 1 ? 2 : 1, spec.n];
      case "multi": return [Array.from({length: spec.n}, (_, i) => i + 1), []];
      case "true_false": return [!spec.answer];
      case "integer": return [...spec.mistakes.map((m) => String(m.value)), "-" + spec.answer + "0".repeat(300)];
      case "numeric": return [...spec.mistakes.map((m) => m.value), 1e-300, 1.5e21, -3.5e-7];
      case "text": return ["\u00e9".repeat(254) + "\ud83d\ude00" + "x".repeat(40), "   "];
    }
  };
  const rights = (spec) => {
    switch (spec.type) {
      case "multi": return [spec.answers];
      case "text": return [spec.forms[0]];
      default: return [spec.answer];
    }
  };
  let n = 0;
  for (const v of variants) {
    for (const value of rights(v.grade)) {
      backend.record({n: n++, id: v.id, skill: v.id, type: v.type, spec: v.grade, value, result: "correct", latency: 1e7, when: new Date()});
    }
    for (const value of wrongs(v.grade)) {
      backend.record({n: n++, id: v.id, skill: v.id, type: v.type, spec: v.grade, value, result: "wrong", latency: 0.004, when: new Date()});
    }
  }
  backend.score({right: 1, answered: 3, total: 3, finished: true});
  backend.finish();
  return [n, backend.errors.slice()];
}"""


def test_every_value_sent_for_the_whole_bank_is_within_scorm_12(page: Any, site: tuple[Path, str]) -> None:
    """Every question of the bundled banks and 20 variants of each generator, answered right and in
    several wrong ways (long text, huge and tiny numbers): every value is of its SCORM 1.2 type."""
    from quizgen.exporters.page import page_document

    folder, base = site
    data = build_export_set(load_banks(), variants=20)
    src = install(folder, data)
    document = page_document((folder / src).read_text(encoding="utf-8"))
    variants = [v for s in document["skills"] for v in s["variants"]]
    assert len(variants) == len(data.questions) + data.variant_count > 400
    sco = open_lms(page, folder, base, src, {})
    # the page's state for the whole bank fits suspend_data
    assert 0 < sco.evaluate("() => window.QuizgenPractice.encode().length") <= SUSPEND_LIMIT
    count, errors = sco.evaluate(RECORD_ALL, variants)
    assert errors == []
    state = lms_state(page, cmi=False)
    assert_no_scorm_error(state)
    values = sets(state)
    assert_within_scorm_types(values)
    ids = [v for e, v in values if e.endswith(".id")]
    assert len(ids) == count
    latencies = {v for e, v in values if e.endswith(".latency")}
    assert latencies == {"2777:46:40.00", "0000:00:00.00"}
    # A value that cannot be written as its type (a 300-digit integer, 1e-300 positionally) is left
    # out, never sent invalid: one response fewer for each integer and numeric variant.
    responses = [v for e, v in values if e.endswith(".student_response")]
    numbers = sum(v["type"] in ("integer", "numeric") for v in variants)
    assert len(responses) == count - numbers
    assert "1500000000000000000000" in responses and "-0.00000035" in responses
    # A fill-in response is cut to 255 characters, never inside a surrogate pair (the emoji would cross 255).
    assert "\u00e9" * 254 in responses


def test_scorm_js_has_no_network_or_closing_script() -> None:
    text = SCORM_JS.read_text(encoding="utf-8")
    for forbidden in ("fetch(", "XMLHttpRequest", "sendBeacon", "import(", "</script", "http://", "https://"):
        assert forbidden not in text, forbidden
