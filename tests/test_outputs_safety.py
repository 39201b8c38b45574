"""Issue 11, what quizgen writes: findings 7 (atomic outputs), 8 (roster file names), 9 (nothing fetched),
10 (Moodle `{=...}`), 12 (well-formed XML whatever the text) and 13 (safe Markdown).

Library modules that BASE lacks (quizgen.outputs, richtext.remote_references) are imported inside the
tests, so that each test fails on its own assertion there.
"""

from __future__ import annotations

import errno
import html
import io
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner, Result
from lxml import etree

from quizgen import BankError, load_banks
from quizgen.bank import QuestionBank
from quizgen.cli import main
from quizgen.exporters import ExportSet, anki, build_export_set, export
from quizgen.models import ChoiceQuestion, NumericQuestion, Option, Question, TextQuestion

from .conftest import WriteBank


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output, result.output
    return result


@pytest.fixture(scope="module")
def bank() -> QuestionBank:
    return load_banks()


def leftovers(folder: Path, *keep: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)


# -- finding 7: every output is written whole or not at all --------------------------------


def test_finding_7_a_failed_write_keeps_the_previous_file_and_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quizgen import outputs

    target = tmp_path / "quiz.xml"
    target.write_bytes(b"<quiz>the good one</quiz>\n")

    def disk_full(descriptor: int, data: bytes) -> None:
        os.write(descriptor, data[: len(data) // 2])  # some bytes reach the disk, then it is full
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(outputs, "_write_all", disk_full)
    with pytest.raises(outputs.OutputError) as failure:
        outputs.write_atomic(target, b"<quiz>" + b"x" * 100_000 + b"</quiz>\n")
    assert target.read_bytes() == b"<quiz>the good one</quiz>\n"
    assert leftovers(tmp_path) == ["quiz.xml"]
    message = str(failure.value)
    assert "\n" not in message and "No space left on device" in message and str(target) in message


@pytest.mark.parametrize("command", ["export", "worksheet"])
def test_finding_7_a_full_disk_is_one_line_exit_1_and_the_previous_file_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    from quizgen import outputs

    target = tmp_path / ("quiz.xml" if command == "export" else "sheet.html")
    args = (
        ["export", "--format", "moodle", "--variants", "1", "-o", str(target)]
        if command == "export"
        else ["worksheet", "--seed", "1", "--count", "3", "-o", str(target)]
    )
    assert run(*args).exit_code == 0
    good = target.read_bytes()

    def disk_full(descriptor: int, data: bytes) -> None:
        os.write(descriptor, data[:1000])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(outputs, "_write_all", disk_full)
    result = run(*args)
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "No space left on device" in result.output, result.output
    assert target.read_bytes() == good
    key = [] if command == "export" else [f"{target.stem}-key{target.suffix}"]  # a sheet's key sits beside it
    assert leftovers(tmp_path) == sorted([target.name, *key])


def _limited_file_size(limit: int) -> None:
    """In the child: writes past `limit` bytes fail with EFBIG (Python ignores SIGXFSZ), like a full disk."""
    import resource

    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def _quizgen(*args: str, **options: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "quizgen", *args], capture_output=True, text=True, check=False, **options
    )


def test_finding_7_a_write_that_runs_out_of_space_leaves_the_previous_file(tmp_path: Path) -> None:
    """A real failing write in another process (its file-size limit reached), not a simulated one."""
    target = tmp_path / "quiz.xml"
    assert _quizgen("export", "--format", "moodle", "--variants", "1", "-o", str(target)).returncode == 0
    good = target.read_bytes()
    assert len(good) > 300_000
    done = _quizgen(
        "export",
        "--format",
        "moodle",
        "--variants",
        "2",
        "-o",
        str(target),
        preexec_fn=lambda: _limited_file_size(200_000),
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1, done.stderr
    assert "File too large" in done.stderr
    assert target.read_bytes() == good  # not truncated at 200,000 bytes
    assert leftovers(tmp_path) == ["quiz.xml"]


def _complete_json(data: bytes) -> bool:
    try:
        return bool(json.loads(data)["questions"])
    except ValueError:
        return False


def _kill_while_writing(target: Path, folder: Path) -> None:
    """Start a large export to `target` and SIGKILL it as soon as it starts writing (the final name or a
    temporary beside it changes)."""
    before = {p.name: p.stat() for p in folder.iterdir()}

    def changed() -> bool:
        with os.scandir(folder) as entries:
            for entry in entries:
                old = before.get(entry.name)
                try:
                    info = entry.stat(follow_symlinks=False)
                except FileNotFoundError:  # renamed or removed since listed: a change
                    return True
                if old is None or (info.st_size, info.st_mtime_ns, info.st_ino) != (
                    old.st_size,
                    old.st_mtime_ns,
                    old.st_ino,
                ):
                    return True
        return False

    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "quizgen",
            "export",
            "--format",
            "json",
            "--variants",
            "300",
            "-o",
            str(target),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    try:
        while process.poll() is None and time.monotonic() < deadline:
            if changed():
                process.send_signal(signal.SIGKILL)
                break
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        process.wait()


def test_finding_7_sigkill_during_a_large_export_never_leaves_a_partial_file(tmp_path: Path) -> None:
    old = b'{"questions": [{"old": true}]}\n'
    fresh, replaced = tmp_path / "fresh", tmp_path / "replaced"
    fresh.mkdir()
    replaced.mkdir()
    (replaced / "bank.json").write_bytes(old)
    for trial in range(2):
        _kill_while_writing(replaced / "bank.json", replaced)
        content = (replaced / "bank.json").read_bytes()
        assert content == old or _complete_json(content), (trial, len(content))
        _kill_while_writing(fresh / "bank.json", fresh)
        if (fresh / "bank.json").exists():
            assert _complete_json((fresh / "bank.json").read_bytes()), trial
            (fresh / "bank.json").unlink()
    # the next write removes the temporaries that the killed writers could not
    assert (
        _quizgen(
            "export", "--format", "json", "--variants", "0", "-o", str(replaced / "bank.json")
        ).returncode
        == 0
    )
    assert leftovers(replaced) == ["bank.json"]


def test_finding_7_the_helper_keeps_permissions_follows_links_and_writes_devices(tmp_path: Path) -> None:
    from quizgen.outputs import write_atomic

    target = tmp_path / "quiz.xml"
    target.write_bytes(b"old")
    target.chmod(0o640)
    link = tmp_path / "latest.xml"
    link.symlink_to(target.name)
    write_atomic(link, "new ✓")
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "new ✓"
    assert target.stat().st_mode & 0o777 == 0o640
    write_atomic(Path(os.devnull), b"not a regular file: written in place")
    assert leftovers(tmp_path, "quiz.xml", "latest.xml") == []


# -- finding 8: one file per student, named before anything is written -----------------------


def test_finding_8_roster_file_names_are_unique_and_the_count_is_true(tmp_path: Path) -> None:
    roster = tmp_path / "class.csv"
    roster.write_text("name\n王伟\n李娜\nAnn Lee\nAnn-Lee\nBob\n", encoding="utf-8")
    out = tmp_path / "sheets"
    result = run("worksheet", "--seed", "3", "--count", "4", "--roster", str(roster), "-o", str(out))
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 6 and "key.html" in names
    assert {"sheet-王伟.html", "sheet-李娜.html", "sheet-bob.html", "sheet-ann-lee.html"} <= set(names)
    assert result.output.startswith("wrote 6 files")
    sheets = [(out / n).read_text(encoding="utf-8") for n in names if n.startswith("sheet-")]
    for student in ("王伟", "李娜", "Ann Lee", "Ann-Lee", "Bob"):
        assert sum(f"Name: {student}<" in sheet for sheet in sheets) == 1, student
        assert f"Answer key · {student}<" in (out / "key.html").read_text(encoding="utf-8")


def test_finding_8_names_are_distinct_by_construction() -> None:
    from quizgen.worksheet import Student, file_stems, same_file_key

    students = [
        Student("Ann Lee"),
        Student("Ann-Lee"),
        Student("ann lee!"),
        Student("Ann Lee 2"),
        Student("Ada", "s-1"),
        Student("Alan", "S 1"),
        Student("José"),
        Student("Jose\u0301"),  # the same name, decomposed
        Student("!!!"),
        Student("???"),
        Student("x" * 400),
    ]
    stems = file_stems(students)
    assert len({same_file_key(s) for s in stems}) == len(students)
    assert stems[:2] == ["ann-lee", "ann-lee-2"] and stems[4:6] == ["s-1", "s-1-alan"]
    assert stems[6] == "josé" and stems[8] == "student"
    assert all(len(f"sheet-{s}.html".encode()) < 255 for s in stems)


def test_finding_8_a_collision_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    sheet = tmp_path / "out" / "sheet.html"
    result = run("worksheet", "--seed", "1", "-o", str(sheet), "--key-file", str(sheet))
    assert result.exit_code == 1 and "give each its own name" in result.output
    assert not sheet.exists()


# -- finding 9: no output makes a viewer fetch anything ---------------------------------------

HOSTILE_TEXTS = [
    "![](http://host/pixel.png) a tracking pixel",
    "![alt](//host/relative-protocol.png)",
    "![by reference][pic]\n\n[pic]: https://host/reference.png",
    "![inline](data:image/png;base64,iVBORw0KGgo=)",
    "![local](figures/local.png)",
    "<img src=http://host/raw.png> <script src=//host/x.js></script> <link rel=stylesheet href=http://host/s.css>",
    "<style>@import url(http://host/s.css)</style> <iframe src=http://host/f></iframe> <object data=http://host/o>",
    '<embed src=http://host/e> <video poster=http://host/p.png></video> <img srcset="http://host/a.png 2x">',
    '<svg><image href="http://host/i.png"/></svg> <meta http-equiv=refresh content="0;url=http://host/">',
    "[a link](https://example.org/page) and <https://example.org/autolink>",
    "[bad](javascript:alert(1)) [bad2](vbscript:msgbox) [bad3](data:text/html,<b>x</b>)",
    r"$\style{background:url(http://host/m.png)}{x}$ and $\require{http://host/ext.js}$",
    r"\\(\style{background:url(http://host/n.png)}{y}\\) $a$",
    "`<img src=http://host/code.png>` &lt;img src=http://host/entity.png&gt; &#60;script&#62;",
]


def hostile_questions() -> list[Question]:
    """Questions whose texts hold every way of asking for a resource (the models accept them; the
    loader's check, richtext.remote_references, refuses the images)."""
    questions: list[Question] = []
    for number, text in enumerate(HOSTILE_TEXTS, start=1):
        questions.append(
            ChoiceQuestion(
                id=f"fetch-{number:02d}",
                type="choice",
                topic="definition",
                prompt=f"Prompt: {text}",
                options=(
                    Option(text=f"Option: {text.splitlines()[0]}", feedback=f"Feedback: {text}"),
                    Option(text="Plain", misconception="product-for-sum"),
                ),
                answer=1,
                shuffle=False,
                explanation=f"Explanation: {text}",
                hint=f"Hint: {text}",
            )
        )
    questions.append(
        NumericQuestion(
            id="fetch-numeric",
            type="numeric",
            topic="definition",
            prompt=f"How many? {HOSTILE_TEXTS[0]} Give 3 significant figures.",
            answer=1.5,
            tolerance=0.005,
            tolerance_type="relative",
            explanation=HOSTILE_TEXTS[5],
        )
    )
    questions.append(
        TextQuestion(
            id="fetch-text",
            type="text",
            topic="definition",
            prompt=HOSTILE_TEXTS[2],
            answer="fan in",
            explanation=HOSTILE_TEXTS[7],
        )
    )
    return questions


_FETCHING_TAGS = {"img", "image", "script", "iframe", "frame", "frameset", "object", "embed", "applet", "link",
                  "audio", "video", "source", "track", "picture", "portal", "base", "use", "feimage", "bgsound"}  # fmt: skip
_URL_ATTRIBUTES = {"src", "srcset", "poster", "data", "background", "lowsrc", "dynsrc", "formaction",
                   "codebase", "archive", "longdesc", "ping", "xlink:href"}  # fmt: skip
_CSS_FETCH = re.compile(r"url\s*\(|@import|image-set\s*\(|expression\s*\(", re.IGNORECASE)
_SAFE_HREF = re.compile(r"(?:https?:|mailto:|#|[^:]*$|data:image/(?:gif|png|jpeg|webp);)", re.IGNORECASE)
"""Links a reader may click: the web, mail, the page itself, relative ones; markdown-it's data: images."""
_MATHJAX_ACTIVE = re.compile(r"\\(?:style|require)(?![A-Za-z])")


class _Fetches(HTMLParser):
    """Everything in an HTML document or fragment that a browser (and MathJax) would load or run."""

    def __init__(self, mathjax: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.mathjax = mathjax
        self.found: list[str] = []
        self.text: list[str] = []
        self.style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _FETCHING_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = value or ""
            if name in _URL_ATTRIBUTES:
                self.found.append(f"<{tag} {name}={value!r}>")
            if name == "href" and (tag != "a" or not _SAFE_HREF.match(value.strip())):
                self.found.append(f"<{tag} href={value!r}>")
            if name == "style" and _CSS_FETCH.search(value):
                self.found.append(f"<{tag} style={value!r}>")
            if tag == "meta" and name == "http-equiv":
                self.found.append(f"<meta http-equiv={value!r}>")
        self.style = tag == "style"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.style = False

    def handle_endtag(self, tag: str) -> None:
        self.style = False

    def handle_data(self, data: str) -> None:
        if self.style and _CSS_FETCH.search(data):
            self.found.append(f"<style>{data[:60]!r}")
        self.text.append(data)

    def close(self) -> None:
        super().close()
        text = "".join(self.text)
        if self.mathjax and _MATHJAX_ACTIVE.search(text):
            self.found.append(f"MathJax command in {_MATHJAX_ACTIVE.search(text)!r}")


def fetches(fragments: Iterable[str], mathjax: bool = False) -> list[str]:
    found: list[str] = []
    for fragment in fragments:
        parser = _Fetches(mathjax)
        parser.feed(fragment)
        parser.close()
        found += parser.found
    return found


def _moodle_html(content: bytes) -> Iterator[str]:
    for parent in ET.fromstring(content).iter():
        if parent.get("format") == "html":  # what Moodle shows as HTML
            yield parent.findtext("text") or ""


def _gift_html(content: bytes) -> Iterator[str]:
    """The file as Moodle's importer reads it: each backslash escape undone (the texts are [html])."""
    text = content.decode("utf-8")
    yield re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), text)


def _qti_html(content: bytes) -> Iterator[str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            root = etree.fromstring(archive.read(name))
            for element in root.iter("{*}mattext"):
                yield element.text or ""


def test_the_anki_card_script_loads_nothing() -> None:
    """The one script an Anki card holds fetches, imports and writes no markup from outside the card."""
    for word in (
        "fetch(",
        "XMLHttpRequest",
        "import(",
        ".src",
        "innerHTML",
        "eval(",
        "Function(",
        "document.write",
    ):
        assert word not in anki.CARD_SCRIPT, word


def _anki_html(content: bytes, folder: Path) -> Iterator[str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        (folder / "collection.anki2").write_bytes(archive.read("collection.anki2"))
    with sqlite3.connect(folder / "collection.anki2") as db:
        for (fields,) in db.execute("SELECT flds FROM notes"):
            yield from fields.split("\x1f")
        for (models,) in db.execute("SELECT models FROM col"):
            for model in json.loads(models).values():
                yield f"<style>{model['css']}</style>"
                for template in model["tmpls"]:
                    # quizgen's own card script (no bank text in it, and it loads nothing) is the one
                    # script a card may hold; everything else is checked as before
                    html_ = template["qfmt"] + template["afmt"]
                    yield html_.replace(f"<script>{anki.CARD_SCRIPT}</script>", "")
    (folder / "collection.anki2").unlink()


@pytest.fixture(scope="module")
def everything(bank: QuestionBank) -> ExportSet:
    """Every bundled question (extensions too), 3 variants of every generator, and the hostile questions."""
    data = build_export_set(bank, topics=list(bank.topics), variants=3, seed=5)
    data.questions += hostile_questions()
    data.topics = dict(bank.topics)
    return data


@pytest.mark.parametrize("fmt", ["moodle", "gift", "qti", "anki"])
def test_finding_9_no_lms_output_makes_a_viewer_fetch_anything(
    everything: ExportSet, fmt: str, tmp_path: Path
) -> None:
    content = export(fmt, everything)
    fragments = {
        "moodle": lambda: _moodle_html(content),
        "gift": lambda: _gift_html(content),
        "qti": lambda: _qti_html(content),
        "anki": lambda: _anki_html(content, tmp_path),
    }[fmt]()
    assert fetches(fragments, mathjax=True) == []


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_finding_9_no_worksheet_makes_a_viewer_fetch_anything(everything: ExportSet, fmt: str) -> None:
    from quizgen import worksheet as ws
    from quizgen.figures import activation_std_svg

    questions = everything.all_questions()
    document = ws.Worksheet("Sheet <img src=http://host/title.png>", 1, [])
    student = ws.Student("<img src=http://host/name.png>", "![](http://host/id.png)")
    sheet = ws.Sheet(document.title, student.name, 1, questions, [], student, activation_std_svg(seed=1))
    texts = [
        ws.render(document, sheet, fmt_name=fmt, answer_key=True),  # type: ignore[arg-type]
        ws.render_key(document, [sheet], fmt_name=fmt),  # type: ignore[arg-type]
    ]
    if fmt == "md":
        texts = [rendered for text in texts for rendered in markdown_renderings(text)]
    assert fetches(texts) == []


def test_finding_9_the_bank_check_refuses_images_and_allows_links() -> None:
    from quizgen.richtext import remote_references

    for text in HOSTILE_TEXTS[:5]:
        (message,) = remote_references(text)
        assert "remove the image" in message, (text, message)
    assert "fetched from the network" in remote_references(HOSTILE_TEXTS[0])[0]
    assert "fetched from the network" in remote_references(HOSTILE_TEXTS[1])[0]
    assert "'data:' address" in remote_references(HOSTILE_TEXTS[3])[0]
    assert "local file, and no quizgen output can carry one" in remote_references(HOSTILE_TEXTS[4])[0]
    assert len(remote_references(HOSTILE_TEXTS[11])) == 2  # \style and \require
    for allowed in [
        "[a link](https://example.org/page)",
        "<https://example.org>",
        "a `![x](y)` in code",
        "5! [1]",
    ]:
        assert remote_references(allowed) == [], allowed


def _texts(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _texts(item)


def test_finding_9_no_bundled_text_is_refused(bank: QuestionBank) -> None:
    from quizgen.richtext import remote_references

    models = [*bank.questions, *bank.templates, *bank.topics.values(), *bank.misconceptions.values()]
    refused = [(text, remote_references(text)) for m in models for text in _texts(m.model_dump())]
    assert [r for r in refused if r[1]] == []


# -- finding 10: Moodle evaluates {=...} in calculated questions ---------------------------

EXPRESSION_TEMPLATE = r"""
templates:
  - id: tpl-expressions
    type: numeric
    topic: he
    title: "Expressions {=1/0}"
    params:
      n: {choices: [50, 128, 200]}
    prompt: >-
      With $n = {n}$ inputs {=pow(10, 9)} and $x = {=1+1}$ and {={n}*1000}, what is $\sqrt{2/n}$?
      Give 3 significant figures.
    answer: sqrt(2 / n)
    tolerance: 0.005
    tolerance_type: relative
    explanation: >-
      $\sqrt{2/n} \approx {answer}$ for $n = {n}$; not {=exp(700)} nor {={n}/0} nor &#123;=1}.
"""
FORMULAS_IN_TEXT = re.compile(r"\{=([^{}]*(?:\{[^{}]+\}[^{}]*)*)\}")
"""Moodle's qtype_calculated::FORMULAS_IN_TEXT_REGEX: what it evaluates in a calculated question's texts."""


def test_finding_10_moodle_evaluates_only_the_answer_quizgen_writes(write_bank: WriteBank) -> None:
    from quizgen.exporters.moodle import moodle_formula, shown_formula
    from quizgen.precision import stated_precision

    bank = load_banks([write_bank(EXPRESSION_TEMPLATE, "expressions.yaml")])
    data = build_export_set(bank, topics=["he"], variants=3, seed=2)
    root = ET.fromstring(export("moodle", data))
    evaluated = []
    for question in root.iter("question"):
        for text in question.iter("text"):
            evaluated += [(question.get("type"), e) for e in FORMULAS_IN_TEXT.findall(text.text or "")]
    ours = [
        ("calculated", shown_formula(moodle_formula(spec.answer, spec.params), stated_precision(spec.prompt)))
        for spec in (g.generator.calculated for g in data.groups)
        if spec is not None and "{answer}" in spec.explanation
    ]
    assert len(ours) >= 2 and sorted(evaluated) == sorted(ours)
    (element,) = [q for q in root.iter("question") if q.findtext("idnumber") == "tpl-expressions-calculated"]
    shown = html.unescape(element.findtext("questiontext/text") or "")  # what the browser shows
    assert "{=pow(10, 9)}" in shown and "{={n}*1000}" in shown


def test_finding_10_gift_and_plain_moodle_questions_hold_no_expression(write_bank: WriteBank) -> None:
    bank = load_banks([write_bank(EXPRESSION_TEMPLATE, "expressions.yaml")])
    data = build_export_set(bank, topics=["he"], variants=3, seed=2)
    for fmt, fragments in [
        ("moodle", lambda c: (t.text or "" for q in ET.fromstring(c).iter("question")
                              if q.get("type") != "calculated" for t in q.iter("text"))),
        ("gift", _gift_html),
    ]:  # fmt: skip
        texts = list(fragments(export(fmt, data)))
        assert any("pow(10, 9)" in t for t in texts), fmt
        assert [t for t in texts if "{=" in t] == [], fmt


# -- finding 12: every XML output is well-formed, whatever text reaches it ------------------

FORBIDDEN = "a\ufffe b\uffff c\x01 d\x0b e\x1f f\ud800 g"


def _forbidden_question() -> ChoiceQuestion:
    """A question built without validation (which refuses these characters), as if something slipped by."""
    option = Option.model_construct(text=f"opt {FORBIDDEN}", feedback=f"fb {FORBIDDEN}", misconception=None)
    plain = Option.model_construct(text="plain", feedback=None, misconception=None)
    return ChoiceQuestion.model_construct(
        id="forbidden-01",
        type="choice",
        topic="he",
        prompt=f"prompt {FORBIDDEN}",
        explanation=f"explanation {FORBIDDEN}",
        options=(option, plain),
        answer=1,
        shuffle=False,
    )


TITLES = ["Week 3 --- final", "ends with a dash -", f"control and more {FORBIDDEN} --", "-->"]


@pytest.mark.parametrize("title", TITLES)
def test_finding_12_moodle_and_qti_stay_well_formed(bank: QuestionBank, title: str) -> None:
    data = build_export_set(bank, topics=["he"], variants=1, seed=1, title=title)
    data.questions.append(_forbidden_question())
    moodle = export("moodle", data)
    root = etree.fromstring(moodle)  # strict: raises on any ill-formed byte
    comments = [c.text or "" for c in root.iter(etree.Comment)]
    assert comments and all("--" not in c and not c.endswith("-") for c in comments)
    assert any("prompt a" in (t.text or "") for t in root.iter("text"))
    with zipfile.ZipFile(io.BytesIO(export("qti", data))) as archive:
        for name in archive.namelist():
            etree.fromstring(archive.read(name))
    for fmt in ("gift", "json", "anki"):
        assert export(fmt, data)


@pytest.mark.parametrize("fmt", ["moodle", "qti", "gift", "json"])
def test_finding_12_check_reads_back_what_a_hostile_title_gives(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "quiz.out"
    result = run(
        "export", "--format", fmt, "--variants", "1", "--title", "Week 3 --- final -", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    checked = run(
        "export", "--format", fmt, "--variants", "1", "--title", TITLES[2], "--check", "-o", str(out)
    )
    assert checked.exit_code == 0, checked.output
    assert re.search(r"^\s+\S+\s+\d+$", checked.output, re.MULTILINE)


def test_finding_12_an_undecodable_title_byte_is_written_as_a_replacement_character(tmp_path: Path) -> None:
    for fmt in ("moodle", "qti", "gift", "json", "anki"):
        done = subprocess.run(
            [sys.executable, "-m", "quizgen", "export", "--format", fmt, "--variants", "0", "--check",
             "--title", b"Week \xff 3", "-o", str(tmp_path / f"quiz.{fmt}")],
            capture_output=True, check=False,
        )  # fmt: skip
        assert done.returncode == 0 and b"Traceback" not in done.stderr, (fmt, done.stderr)
    sheet = tmp_path / "sheet.html"
    done = subprocess.run(
        [sys.executable, "-m", "quizgen", "worksheet", "--seed", "1", "--count", "2", "--title", b"T \xff", "-o",
         str(sheet)],
        capture_output=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "T \ufffd" in sheet.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["moodle", "qti", "anki", "json"])
def test_finding_12_check_reports_an_unreadable_export_in_one_line(tmp_path: Path, fmt: str) -> None:
    from quizgen.exporters import counts
    from quizgen.exporters.check import ExportReadError

    broken = tmp_path / "broken"
    broken.write_bytes(b'<?xml version="1.0"?>\n<quiz><!-- a -- b --></quiz>\n')
    with pytest.raises(
        ExportReadError, match=r"^\S*broken: the \w+ export cannot be read back \("
    ) as failure:
        counts(fmt, broken)
    assert "\n" not in str(failure.value)


# -- finding 13: Markdown sheets are as safe as the HTML ones --------------------------------


def markdown_renderings(text: str) -> list[str]:
    """HTML from two Markdown renderers that trust their input: markdown-it with raw HTML on and every
    link scheme allowed, and Python-Markdown (another implementation, which passes raw HTML too)."""
    import markdown
    from markdown_it import MarkdownIt

    permissive = MarkdownIt("commonmark", {"html": True})
    permissive.validateLink = lambda url: True  # type: ignore[method-assign]
    return [permissive.render(text), markdown.markdown(text)]


_BAD_LINK = re.compile(r"""href\s*=\s*["']?\s*(?:javascript|vbscript|data|file):""", re.IGNORECASE)


def test_finding_13_markdown_sheets_neutralise_links_names_and_titles(bank: QuestionBank) -> None:
    from quizgen import worksheet as ws

    title = "Week 3 --- <b>final</b>\n\n<img src=x onerror=alert(1)> [t](javascript:alert(2)) `x` # $y$"
    student = ws.Student("<script>alert(3)</script> *Ann* [n](javascript:alert(4))", "<i>7</i>")
    questions = [*hostile_questions(), *bank.questions[:5]]
    document = ws.Worksheet(title, 1, [], command=f"quizgen worksheet --title {title!r}")
    sheet = ws.Sheet(title, student.name, 1, questions, [], student)
    sources = [
        ws.render(document, sheet, fmt_name="md", answer_key=True),
        ws.render_key(document, [sheet], fmt_name="md"),
    ]
    for source in sources:
        for rendered in markdown_renderings(source):
            assert _BAD_LINK.search(rendered) is None, _BAD_LINK.search(rendered)
            assert not re.search(r"<(?:script|img|b|i|iframe|style|object)\b", rendered), re.findall(
                r"<(?:script|img|b|i|iframe|style|object)\b[^>]*>", rendered
            )
            assert fetches([rendered]) == []
    heading = sources[0].splitlines()[0]  # the title, shown as written on one line
    assert html.unescape(re.sub(r"\\(.)", r"\1", heading)) == "# " + re.sub(r"\n+", " ", title)


def test_finding_13_markdown_text_keeps_ordinary_bank_markdown() -> None:
    from quizgen.richtext import markdown_code, markdown_text, to_markdown

    assert to_markdown("See [the paper](https://arxiv.org/abs/1502.01852) and $a<b$.") == (
        r"See [the paper](https://arxiv.org/abs/1502.01852) and $a\lt b$."
    )
    assert to_markdown("[x](javascript:alert(1))") == "[x]&#40;javascript:alert(1))"
    assert to_markdown("[x]: JAVASCRIPT\\:alert(1)") == "[x]&#58; JAVASCRIPT\\:alert(1)"
    assert to_markdown("![a](http://h/p.png)") == "\\![a](http://h/p.png)"
    assert markdown_text("Ann *Lee*") == "Ann \\*Lee\\*"
    assert markdown_code("a `b` c") == "``a `b` c``"


def test_finding_9_the_loader_refuses_an_image_at_its_line(tmp_path: Path) -> None:
    """The bank check reaches every text field, declarations and templates included, with its line."""
    bank = tmp_path / "img.yaml"
    bank.write_text(
        "misconceptions:\n"
        "  - id: pixel-watcher\n"
        "    title: Looks at pixels\n"
        "    description: 'See ![x](//tracker.example/p.png)'\n"
        "questions:\n"
        "  - id: q-01\n"
        "    type: true_false\n"
        "    topic: definition\n"
        "    prompt: Is this true?\n"
        "    answer: true\n"
        "    hint: 'Look at ![chart](chart.png)'\n"
        "    explanation: An explanation that is long enough to teach something.\n",
        encoding="utf-8",
    )
    with pytest.raises(BankError) as info:
        load_banks([bank], include_bundled=False, cache=False)
    found = [(p.line, p.message.split(":")[0]) for p in info.value.problems]
    assert found == [(4, "description"), (11, "hint")]
