"""GIFT: read back by gift-pegjs (npm) and by a port of Moodle's own importer; escaping; golden file.

gift-pegjs runs under Node: `npm install --prefix tests/gift` installs the version pinned in
tests/gift/package.json. Without it these tests skip, unless QUIZGEN_REQUIRE_GIFT_PARSER=1
(set by .ci/run), where they fail.
"""

from __future__ import annotations

import html
import json
import math
import os
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from quizgen import __version__, load_banks
from quizgen.cli import main
from quizgen.exporters import ExportSet, build_export_set, export
from quizgen.models import Question
from quizgen.richtext import to_html

from .conftest import WriteBank

HERE = Path(__file__).parent
GOLDEN = HERE / "golden"
GIFT_DIR = HERE / "gift"
ROOT = f"$course$/top/quizgen/{__version__}-"
"""Every export's categories are under a category of its own: version, then 8 hex digits of content digest."""
# Moodle's question_bank::fraction_options_full(), in percent: the only grades its importer accepts.
MOODLE_GRADES = (100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667,
                 14.28571, 12.5, 11.11111, 10, 5)  # fmt: skip
HOSTILE = "<b>bold</b> & <script>alert(1)</script> { } = ~ # : \\"

Parser = Callable[[bytes], list[dict[str, Any]]]


# -- the two readers ------------------------------------------------------------------


@pytest.fixture(scope="session")
def gift_pegjs(tmp_path_factory: pytest.TempPathFactory) -> Parser:
    """Parse GIFT bytes with gift-pegjs (through tests/gift/parse.mjs); its JSON question list."""
    node = shutil.which("node")
    missing = None
    if node is None:
        missing = "node is not installed (apt-get install nodejs)"
    elif not (GIFT_DIR / "node_modules" / "gift-pegjs").is_dir():
        missing = "gift-pegjs is not installed (npm install --prefix tests/gift)"
    if missing is not None or node is None:
        if os.environ.get("QUIZGEN_REQUIRE_GIFT_PARSER") == "1":
            pytest.fail(f"QUIZGEN_REQUIRE_GIFT_PARSER=1 but {missing}")
        pytest.skip(f"{missing}; the GIFT export is then read by the Moodle port only")
    folder = tmp_path_factory.mktemp("gift")

    def parse(content: bytes) -> list[dict[str, Any]]:
        path = folder / "export.gift"
        path.write_bytes(content)
        result = subprocess.run(
            [node, str(GIFT_DIR / "parse.mjs"), str(path)], capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, f"gift-pegjs refused the export: {result.stderr}"
        parsed: list[dict[str, Any]] = json.loads(result.stdout)
        return parsed

    return parse


@dataclass
class Read:
    """One question as a reader understood it, in a shape both readers share."""

    category: str | None
    name: str
    idnumber: str | None
    kind: str  # multichoice-single, multichoice-multiple, truefalse, numerical, shortanswer
    stem: str
    general: str
    options: list[tuple[str, float, str]] = field(default_factory=list)  # text, grade %, feedback
    truth: bool | None = None
    number: tuple[float, float] | None = None  # answer, absolute tolerance
    forms: list[str] = field(default_factory=list)
    mistakes: list[tuple[float, float, str]] = field(
        default_factory=list
    )  # 0 % answers: value, tolerance, feedback


def read_with_gift_pegjs(parsed: list[dict[str, Any]]) -> list[Read]:
    out: list[Read] = []
    category = None
    for item in parsed:
        if item["type"] == "Category":
            category = item["title"]
            continue
        read = Read(
            category=category,
            name=item["title"],
            idnumber=item.get("id"),
            kind="?",
            stem=item["stem"]["text"],
            general=(item.get("globalFeedback") or {}).get("text", ""),
        )
        if item["type"] == "MC":
            weighted = any(c["weight"] is not None for c in item["choices"])
            read.kind = "multichoice-multiple" if weighted else "multichoice-single"
            read.options = [
                (
                    c["text"]["text"],
                    c["weight"] if weighted else (100.0 if c["isCorrect"] else 0.0),
                    (c["feedback"] or {}).get("text", ""),
                )
                for c in item["choices"]
            ]
        elif item["type"] == "TF":
            read.kind, read.truth = "truefalse", item["isTrue"]
        elif item["type"] == "Numerical":
            read.kind = "numerical"
            choices = item["choices"]
            if isinstance(choices, dict):  # a single answer is the number itself
                choices = [{"weight": None, "text": choices, "feedback": None}]
            numbers = []
            for choice in choices:
                number = choice["text"]
                assert number["type"] in ("range", "simple")
                numbers.append((number["number"], number["range"] if number["type"] == "range" else 0.0))
            assert choices[0]["weight"] in (None, 100) and not choices[0]["feedback"]
            assert all(c["weight"] == 0 for c in choices[1:]), "named mistakes are worth 0 %"
            read.number = numbers[0]
            read.mistakes = [
                (*n, (c["feedback"] or {}).get("text", ""))
                for n, c in zip(numbers[1:], choices[1:], strict=True)
            ]
        elif item["type"] == "Short":
            read.kind = "shortanswer"
            read.forms = [c["text"]["text"] for c in item["choices"]]
            assert all(c["isCorrect"] and c["weight"] in (None, 100) for c in item["choices"])
        else:
            pytest.fail(f"gift-pegjs read {item['title']} as {item['type']}")
        out.append(read)
    return out


# A port of what Moodle's importer (question/format/gift/format.php, qformat_gift::readquestion,
# and the grade check of qformat_default) does with the parts of GIFT this export uses.
_PLACEHOLDERS = {":": "&&058;", "#": "&&035;", "=": "&&061;", "{": "&&123;", "}": "&&125;", "~": "&&126;"}
_WEIGHT = re.compile(r"^%-*([0-9]{1,2})\.?([0-9]*)%")


def _pre(text: str) -> str:
    text = text.replace("\\\\", "&&092;")
    for char, placeholder in _PLACEHOLDERS.items():
        text = text.replace("\\" + char, placeholder)
    return text.replace("\\n", "&&010").replace("&&092;", "\\")


def _post(text: str) -> str:
    for char, placeholder in _PLACEHOLDERS.items():
        text = text.replace(placeholder, char)
    return text.replace("&&010", "\n")


def _with_format(text: str, default: str = "moodle") -> tuple[str, str]:
    if text.startswith("[") and "]" in text:
        name = text[1 : text.index("]")]
        if name in ("moodle", "html", "plain", "markdown"):
            return _post(text[len(name) + 2 :]).strip(), name
    return _post(text).strip(), default


def _weighted(answer: str, default: float) -> tuple[float, str]:
    if _WEIGHT.match(answer):
        end = answer.index("%", 1)
        return float(answer[1:end]), answer[end + 1 :]
    return default, answer


def read_like_moodle(content: bytes) -> list[Read]:
    out: list[Read] = []
    category = None
    blocks, block = [], []
    for line in [*content.decode("utf-8").split("\n"), ""]:
        if line.strip():
            block.append(line.strip())
        elif block:
            blocks.append(block)
            block = []
    for lines in blocks:
        comments = "\n".join(line for line in lines if line.startswith("//"))
        text = "\n".join(" " if line.startswith("//") else line for line in lines).strip()
        if not text:
            continue
        text = _pre(text)
        if text.startswith("$CATEGORY:"):
            category = text[10:].strip()
            continue
        assert text.startswith("::"), text
        end = text.index("::", 2)
        name, text = _post(text[2:end]), text[end + 2 :].strip()
        start, finish = text.index("{"), text.index("}")
        assert text.endswith("}") and finish == len(text) - 1, "text after the answers: Moodle adds a blank"
        answers = text[start + 1 : finish].strip()
        stem, fmt = _with_format(text[:start])
        general = ""
        if "####" in answers:
            cut = answers.rindex("####")
            general, _ = _with_format(answers[cut + 4 :], fmt)
            answers = answers[:cut].strip()
        found = re.search(r"\[id:([^\x00-\x1F\x7F]+?)]", comments)
        read = Read(category, name, found.group(1) if found else None, "?", stem, general)
        if answers.startswith("#"):
            read.kind = "numerical"
            for number, answer in enumerate(a.strip() for a in answers[1:].split("=") if a.strip()):
                weight, answer = _weighted(answer, 100)
                answer, _, feedback = answer.partition("#")
                value, _, tolerance = answer.strip().partition(":")
                entry = (float(value), float(tolerance or 0))  # PHP's is_numeric takes these too
                if number == 0:
                    assert weight == 100 and not feedback
                    read.number = entry
                else:  # a named mistake: 0 %, with its feedback
                    assert weight == 0
                    read.mistakes.append((*entry, _with_format(feedback, fmt)[0]))
        elif "~" in answers:
            read.kind = "multichoice-multiple" if "=" not in answers else "multichoice-single"
            parts = [a.strip() for a in answers.replace("=", "~=").split("~")]
            for part in parts[1:] if not parts[0] else parts:
                weight, part = (100.0, part[1:]) if part.startswith("=") else _weighted(part, 0)
                option, _, feedback = part.partition("#")
                read.options.append(
                    (_with_format(option.strip(), fmt)[0], weight, _with_format(feedback, fmt)[0])
                )
        elif "=" in answers and "->" in answers:
            read.kind = "match"
        elif answers.split("#")[0].strip() in ("T", "TRUE", "F", "FALSE"):
            read.kind, read.truth = "truefalse", answers.split("#")[0].strip() in ("T", "TRUE")
        else:
            read.kind = "shortanswer"
            parts = [a.strip() for a in answers.split("=")]
            for part in parts[1:] if not parts[0] else parts:
                weight, part = _weighted(part, 100)
                assert weight == 100
                read.forms.append(_with_format(part.partition("#")[0].strip(), fmt)[0])
        # qformat_default: every grade must be one of Moodle's (within 5e-8 as a fraction), or the
        # import stops; qtype_multichoice: a multiple-answer question's positive grades add up to 100 %.
        for _, weight, _ in read.options:
            assert weight == 0 or any(abs(abs(weight) - g) / 100 < 5e-8 for g in MOODLE_GRADES), weight
        if read.kind == "multichoice-multiple":
            assert round(sum(w for _, w, _ in read.options if w > 0) / 100, 2) == 1
        out.append(read)
    return out


# -- what each question must come back as ----------------------------------------------------


def _visible(text: str) -> str:
    """What a reader sees: our own tags (<p>, <code>, ...) dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]*>", "", text))


def _same_html(got: str, text: str, inline: bool = False) -> bool:
    return html.unescape(got) == html.unescape(to_html(text.strip(), inline, math="tex"))


def expected_categories(data: ExportSet) -> dict[str, str]:
    """Question id -> its category: bank questions by topic, variants by their generator's topic and id."""
    categories = {q.id: f"/{q.topic}" for q in data.questions}
    for group in data.groups:
        categories.update({v.id: f"/{group.generator.topic}/{group.generator.id}" for v in group.variants})
    return categories


def check_read(read: Read, question: Question) -> None:
    """The reader got back what the question says (answers checked against the model, not the writer)."""
    assert (read.name, read.idnumber) == (question.id, question.id)
    assert _same_html(read.stem, question.prompt), (read.stem, question.prompt)
    assert _same_html(read.general, question.explanation)
    if question.type in ("choice", "multi"):
        assert len(read.options) == len(question.options)
        for (text, _, feedback), option in zip(read.options, question.options, strict=True):
            assert _same_html(text, option.text, inline=True)
            assert _same_html(feedback, option.feedback, inline=True) if option.feedback else feedback == ""
        weights = [w for _, w, _ in read.options]
    if question.type == "choice":
        assert read.kind == "multichoice-single"
        assert weights == [100 if n == question.answer else 0 for n in range(1, len(weights) + 1)]
    elif question.type == "multi":
        assert read.kind == "multichoice-multiple"
        right = [w for n, w in enumerate(weights, 1) if n in question.answers]
        wrong = [w for n, w in enumerate(weights, 1) if n not in question.answers]
        assert len(set(right)) == 1 and right[0] > 0 and sum(right) == pytest.approx(100, abs=1e-3)
        assert len(set(wrong)) <= 1 and all(w < 0 for w in wrong)
        if wrong:
            assert sum(wrong) == pytest.approx(-100, abs=1e-3)
    elif question.type == "true_false":
        assert (read.kind, read.truth) == ("truefalse", question.answer)
    elif question.type == "integer":
        assert (read.kind, read.number) == ("numerical", (question.answer, 0))
        assert [(v, t) for v, t, _ in read.mistakes] == [(m.value, 0) for m in question.mistakes]
    elif question.type == "numeric":
        assert read.kind == "numerical" and read.number is not None
        value, tolerance = read.number
        low, high = question.bounds()
        assert math.isclose(value, question.answer, rel_tol=1e-14)  # float noise left out
        assert math.isclose(value - tolerance, low, rel_tol=1e-12, abs_tol=1e-15)
        assert math.isclose(value + tolerance, high, rel_tol=1e-12, abs_tol=1e-15)
        assert len(read.mistakes) == len(question.mistakes)
        for (value, tolerance, feedback), mistake in zip(read.mistakes, question.mistakes, strict=True):
            width = question.tolerance * (abs(mistake.value) if question.tolerance_type == "relative" else 1)
            assert math.isclose(value, mistake.value, rel_tol=1e-14)
            assert math.isclose(tolerance, width, rel_tol=1e-12, abs_tol=1e-15)
            assert not question.accepts(value)  # the right answer's range never takes a mistake
            if mistake.feedback:
                assert _same_html(feedback, mistake.feedback, inline=True)
    elif question.type == "text":
        assert read.kind == "shortanswer"
        accepted = [f for f in question.accepted_forms() if "->" not in f]
        assert read.forms[: len(accepted)] == accepted  # as written; then spellings (tests/test_lms_ux.py)


def check_export(data: ExportSet, reads: list[Read]) -> None:
    questions = {q.id: q for q in data.all_questions()}
    assert len(reads) == len(questions)
    assert Counter(r.name for r in reads) == Counter(questions.keys())
    categories = expected_categories(data)
    for read in reads:
        check_read(read, questions[read.name])
        assert read.category is not None and read.category.startswith(ROOT)
        digest, _, rest = read.category.removeprefix(ROOT).partition("/")
        assert re.fullmatch("[0-9a-f]{8}", digest) and "/" + rest == categories[read.name]


def kinds(reads: list[Read]) -> Counter[str]:
    return Counter(r.kind for r in reads)


def expected_kinds(data: ExportSet) -> Counter[str]:
    names = {"choice": "multichoice-single", "multi": "multichoice-multiple", "true_false": "truefalse",
             "integer": "numerical", "numeric": "numerical", "text": "shortanswer"}  # fmt: skip
    return Counter(names[q.type] for q in data.all_questions())


SELECTIONS = {
    "everything": {"variants": 3, "seed": 1},
    "golden": {"topics": ["layer-size", "xavier-uniform"], "variants": 3, "seed": 1},
    "bank only": {"variants": 0},
}


Reader = Callable[[bytes], list[Read]]


@pytest.fixture(params=["gift-pegjs", "moodle-port"])
def reader(request: pytest.FixtureRequest) -> Reader:
    """Each reader in turn: gift-pegjs (skipped when not installed), then the port of Moodle's importer."""
    if request.param == "moodle-port":
        return read_like_moodle
    parse: Parser = request.getfixturevalue("gift_pegjs")
    return lambda content: read_with_gift_pegjs(parse(content))


# -- tests ---------------------------------------------------------------------------------


@pytest.mark.parametrize("selection", SELECTIONS)
def test_every_question_answer_and_category_reads_back(reader: Reader, selection: str) -> None:
    data = build_export_set(load_banks(), **SELECTIONS[selection])  # type: ignore[arg-type]
    reads = reader(export("gift", data))
    assert kinds(reads) == expected_kinds(data)
    check_export(data, reads)


def test_gift_pegjs_sees_each_category_once(gift_pegjs: Parser) -> None:
    data = build_export_set(load_banks(), variants=2, seed=5)
    parsed = gift_pegjs(export("gift", data))
    categories = [item["title"] for item in parsed if item["type"] == "Category"]
    assert len(categories) == len(set(categories)) == len(set(expected_categories(data).values()))
    assert parsed[0]["type"] == "Category"


HOSTILE_BANK = r"""
topics:
  - id: hostile
    title: Hostile text
    description: Markup and GIFT's special characters in every field.
questions:
  - id: hostile-choice
    type: choice
    topic: hostile
    prompt: '{h}'
    options:
      - text: '{h}'
        feedback: '{h}'
      - text: 'plain wrong'
        feedback: '{h} (wrong)'
    answer: 1
    explanation: '{h}'
  - id: hostile-multi
    type: multi
    topic: hostile
    prompt: '{h}'
    options: ['{h}', 'plain right', '%50% of {h}', '[plain] {h}']
    answers: [1, 2]
    explanation: '{h}'
  - id: hostile-true-false
    type: true_false
    topic: hostile
    prompt: '{h}'
    answer: false
    explanation: '{h}'
  - id: hostile-numeric
    type: numeric
    topic: hostile
    prompt: '{h}'
    answer: -0.1
    tolerance: 0.05
    tolerance_type: relative
    explanation: '{h}'
  - id: hostile-text
    type: text
    topic: hostile
    prompt: '{h}'
    answer: '{h}'
    accept: ['a{b}=c~d#e:f\g', '%5 off', 'star * here']
    explanation: '{h}'
"""


def hostile_export(write_bank: WriteBank) -> bytes:
    path = write_bank(HOSTILE_BANK.replace("{h}", HOSTILE))
    data = build_export_set(load_banks([path]), topics=["hostile"], variants=0)
    assert len(data.questions) == 5
    return export("gift", data)


def check_hostile(reads: list[Read]) -> None:
    by_name = {r.name: r for r in reads}
    for read in reads:
        assert _visible(read.stem) == HOSTILE
        assert _visible(read.general) == HOSTILE
    choice = by_name["hostile-choice"]
    assert [(_visible(t), w, _visible(f)) for t, w, f in choice.options] == [
        (HOSTILE, 100, HOSTILE),
        ("plain wrong", 0, f"{HOSTILE} (wrong)"),
    ]
    multi = by_name["hostile-multi"]
    assert [(_visible(t), w) for t, w, _ in multi.options] == [
        (HOSTILE, 50),
        ("plain right", 50),
        (f"%50% of {HOSTILE}", -50),
        (f"[plain] {HOSTILE}", -50),
    ]
    assert by_name["hostile-true-false"].truth is False
    assert by_name["hostile-numeric"].number == (-0.1, 0.005)
    # Plain text (compared with what a student types), so no HTML; Moodle reads `\*` as a literal *.
    forms = [HOSTILE, "a{b}=c~d#e:f\\g", "%5 off", "star \\* here"]
    assert by_name["hostile-text"].forms[:4] == forms  # then their spellings (tests/test_lms_ux.py)


def test_hostile_text_survives_as_the_same_visible_text(reader: Reader, write_bank: WriteBank) -> None:
    check_hostile(reader(hostile_export(write_bank)))


def test_maths_reach_mathjax_with_their_braces(reader: Reader, write_bank: WriteBank) -> None:
    path = write_bank(
        r"""
        questions:
          - id: maths-01
            type: true_false
            topic: xavier
            prompt: 'Xavier: $\mathrm{Var}(W) = \frac{2}{n_{in} + n_{out}}$, a set $\{1, 2\}$, $a < b$, and $$\sqrt{x}$$'
            answer: true
            explanation: 'See $\frac{2}{n}$.'
        """
    )
    data = build_export_set(load_banks([path]), topics=["xavier"], variants=0)
    content = export("gift", data)
    wanted = r"Xavier: \(\mathrm{Var}(W) = \frac{2}{n_{in} + n_{out}}\), a set \(\{1, 2\}\), \(a < b\), and \[\sqrt{x}\]"
    (read,) = [r for r in reader(content) if r.name == "maths-01"]
    assert _visible(read.stem) == wanted
    assert _visible(read.general) == r"See \(\frac{2}{n}\)."


def test_line_breaks_blank_lines_and_slashes_stay_inside_the_question(
    reader: Reader, write_bank: WriteBank
) -> None:
    """A blank line would end a GIFT question and a line starting with // is a comment: neither may leak."""
    path = write_bank(
        """
        questions:
          - id: lines-01
            type: integer
            topic: xavier
            prompt: |
              First line
              // not a comment

              ```
              code

              // more code
              ```
            answer: 3
            explanation: |
              One

              // Two
        """
    )
    data = build_export_set(load_banks([path]), topics=["xavier"], variants=0)
    (question,) = [q for q in data.questions if q.id == "lines-01"]
    (read,) = [r for r in reader(export("gift", data)) if r.name == "lines-01"]
    check_read(read, question)
    assert "// not a comment" in read.stem and "\n\n// more code" in read.stem
    assert _visible(read.general) == "One\n// Two"


def test_multi_weights_split_over_right_and_wrong_options(reader: Reader, write_bank: WriteBank) -> None:
    """Right options share 100 %, wrong ones -100 %, each the nearest grade Moodle accepts."""
    options = ", ".join(f"'option {n}'" for n in range(1, 11))
    questions = "".join(
        f"""
          - id: multi-{right:02d}
            type: multi
            topic: xavier
            prompt: 'Pick {right}.'
            options: [{options}]
            answers: {list(range(1, right + 1))}
            explanation: 'Because.'"""
        for right in range(1, 11)
    )
    path = write_bank("questions:" + questions)
    data = build_export_set(load_banks([path]), topics=["xavier"], variants=0)
    reads = {r.name: r for r in reader(export("gift", data))}
    shares = {
        1: 100,
        2: 50,
        3: 33.33333,
        4: 25,
        5: 20,
        6: 16.66667,
        7: 14.28571,
        8: 12.5,
        9: 11.11111,
        10: 10,
    }
    for right, share in shares.items():
        weights = [w for _, w, _ in reads[f"multi-{right:02d}"].options]
        wrong = [-shares[10 - right]] * (10 - right) if right < 10 else []
        assert weights == [share] * right + wrong


def test_numbers_have_no_float_artefacts_or_exponents(write_bank: WriteBank) -> None:
    path = write_bank(
        """
        questions:
          - id: num-01
            type: numeric
            topic: xavier
            prompt: 'A small one.'
            answer: 0.00001
            tolerance: 0.000001
            explanation: 'Because.'
          - id: num-02
            type: numeric
            topic: xavier
            prompt: 'Relative.'
            answer: 0.3
            tolerance: 0.1
            tolerance_type: relative
            explanation: 'Because.'
          - id: num-03
            type: numeric
            topic: xavier
            prompt: 'Large.'
            answer: 12345678901234567890.0
            tolerance: 0.5
            tolerance_type: relative
            explanation: 'Because.'
        """
    )
    data = build_export_set(load_banks([path]), topics=["xavier"], variants=0)
    text = export("gift", data).decode("utf-8")
    assert "\t#0.00001:0.000001\n" in text
    assert "\t#0.3:0.03\n" in text  # 0.1 * 0.3 in floats is 0.030000000000000002
    assert "\t#12345678901234567000:6172839450617283500\n" in text
    assert not re.search(r"#[-\d.]*e", text, re.IGNORECASE)


def test_a_short_answer_with_an_arrow_is_left_out_with_a_note(reader: Reader, write_bank: WriteBank) -> None:
    path = write_bank(
        """
        questions:
          - id: arrow-01
            type: text
            topic: xavier
            prompt: 'Which way?'
            answer: forward
            accept: ['input->output']
            explanation: 'Because.'
        """
    )
    data = build_export_set(load_banks([path]), topics=["xavier"], variants=0)
    content = export("gift", data)
    assert "// arrow-01: accepted forms left out, GIFT reads '->' as a matching pair: input->output" in (
        content.decode("utf-8")
    )
    (read,) = [r for r in reader(content) if r.name == "arrow-01"]
    assert (read.kind, read.forms[0]) == ("shortanswer", "forward")
    assert not any("->" in form for form in read.forms)
    assert "input >output" in read.forms  # a spelling quizgen accepts: '-' is a space


def test_cli_export_gift_with_check(tmp_path: Path) -> None:
    out = tmp_path / "quiz.gift"
    result = CliRunner().invoke(
        main, ["export", "--format", "gift", "--variants", "2", "-o", str(out), "--check"]
    )
    assert result.exit_code == 0, result.output
    data = build_export_set(load_banks(), variants=2)
    assert re.search(rf"questions\s+{len(data.all_questions())}\b", result.output), result.output
    assert out.read_bytes() == export("gift", data)


def test_golden_gift() -> None:
    """Exact output; after a deliberate change: UPDATE_GOLDEN=1 pytest tests/test_export_gift.py."""
    data = build_export_set(load_banks(), topics=["layer-size", "xavier-uniform"], variants=3, seed=1)
    out = export("gift", data)
    golden = GOLDEN / "export.gift"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_bytes(out)
    assert out == golden.read_bytes()
