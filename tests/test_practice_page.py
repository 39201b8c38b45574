"""The browser practice page (``quizgen export --format html``) used as a student uses it, in Chromium.

A small bank written here (one question of each type, named mistakes, a template with variants, and
hostile text) is exported through the CLI and opened from ``file://`` in headless Chromium (Playwright
pointed at Debian's Chromium). The tests answer it right, wrong and unreadably, by click, by keyboard
and by typing, and check what the page says (verdicts and feedback written out here, not taken from
quizgen), what it keeps in ``localStorage``, and that it loads nothing from anywhere.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import textwrap
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from quizgen.cli import main
from quizgen.exporters.page import page_document

from .browser import npm_file

BANK = r"""
topics:
  - {id: pagetest, title: Page test, description: One question of each type.}
misconceptions:
  - {id: product-for-sum-page, title: Multiplying the fans instead of adding them, description: Xavier adds.}
questions:
  - id: pt-choice
    type: choice
    topic: pagetest
    prompt: 'Which variance does Xavier initialisation give $W$?'
    options:
      - text: '$2/(n_{in} \cdot n_{out})$'
        misconception: product-for-sum-page
        feedback: 'That multiplies the fans.'
      - text: '$2/(n_{in} + n_{out})$'
      - text: '$1$'
    answer: 2
    explanation: 'Xavier uses the sum of the fans.'
  - id: pt-multi
    type: multi
    topic: pagetest
    prompt: 'Which of these are initialisations?'
    options:
      - Xavier
      - He
      - text: Dropout
        feedback: 'Dropout is a regulariser.'
      - LeCun
    answers: [1, 2, 4]
    explanation: 'Dropout is not an initialisation.'
  - id: pt-true
    type: true_false
    topic: pagetest
    prompt: 'Zero initialisation keeps the hidden units of a layer identical.'
    answer: true
    claims: [equal-weights-stay-symmetric]
    explanation: 'Every unit gets the same gradient, so they stay the same.'
  - id: pt-integer
    type: integer
    topic: pagetest
    prompt: 'What is $n_{in} + n_{out}$ for a 4-to-6 layer (an integer)?'
    answer: 10
    hint: 'Add, do not multiply.'
    mistakes:
      - value: 24
        misconception: product-for-sum-page
        feedback: 'That is the number of weights.'
    explanation: 'The sum is 4 + 6 = 10.'
  - id: pt-numeric
    type: numeric
    topic: pagetest
    prompt: 'What is $\sqrt{6/(n_{in}+n_{out})}$ for 400 and 600? Give 3 significant figures.'
    answer: 0.0774597
    tolerance: 0.005
    tolerance_type: relative
    mistakes:
      - value: 0.1
        feedback: 'That is the standard deviation of another rule.'
    explanation: 'The limit is the square root of 6/1000, about 0.0775.'
  - id: pt-text
    type: text
    topic: pagetest
    prompt: 'Who proposed the initialisation for ReLU networks (a surname)? <script>alert("x")</script> </script>'
    answer: He
    accept: [Kaiming He]
    explanation: 'Kaiming He and colleagues, 2015. <b>bold?</b>'
templates:
  - id: pt-sum
    type: integer
    topic: pagetest
    title: Adding the fans
    params:
      a: {choices: [3, 5, 7]}
      b: {choices: [10, 20]}
    prompt: 'What is the sum of the fans of a {a}-to-{b} layer (an integer)?'
    answer: a + b
    distractors:
      - formula: a * b
        misconception: product-for-sum-page
        feedback: 'That multiplies {a} by {b}.'
    explanation: 'The sum is {a} + {b}.'
"""

READY = "html[data-quizgen-ready]"
"""The page marks itself ready once its questions are read and the first is shown. (Not
`wait_for_function`: the page's Content-Security-Policy forbids the eval it polls with.)"""

TYPES = ["choice", "multi", "true_false", "integer", "numeric", "text", "integer"]


@pytest.fixture
def exported(tmp_path: Path) -> Any:
    """Write the test bank and export its topic as a page; returns a function of extra CLI options."""
    bank = tmp_path / "pagetest.yaml"
    bank.write_text(textwrap.dedent(BANK).lstrip(), encoding="utf-8")

    def export(*options: str, name: str = "practice.html") -> Path:
        out = tmp_path / name
        result = CliRunner().invoke(
            main,
            [
                "--bank",
                str(bank),
                "export",
                "--format",
                "html",
                "--topic",
                "pagetest",
                "-o",
                str(out),
                *options,
            ],
        )
        assert result.exit_code == 0, result.output
        return out

    return export


def open_page(page: Any, path: Path, requests: list[str] | None = None) -> dict[str, Any]:
    """Open ``path`` and wait for the page to start; fails on any script error or any request for
    anything but the page itself (the page is self-contained)."""
    errors: list[str] = []
    seen = requests if requests is not None else []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: seen.append(request.url))
    page.goto(path.as_uri())
    page.wait_for_selector(READY, state="attached")
    assert errors == []
    assert [url for url in seen if url != path.as_uri()] == []
    document: dict[str, Any] = page_document(path.read_text(encoding="utf-8"))
    return document


def stored(page: Any, document: dict[str, Any]) -> str | None:
    value: str | None = page.evaluate("key => localStorage.getItem(key)", "quizgen:" + document["set"])
    return value


def statuses(state: str | None) -> str:
    assert state is not None
    return state.split(";")[4]


def check(page: Any, index: int) -> str:
    page.click(f"#card-{index} button[type=submit]")
    text: str = page.inner_text(f"#card-{index} .verdict")
    return text


def next_question(page: Any, index: int) -> None:
    page.click(f"#card-{index} .verdict button.primary")


def test_a_student_answers_a_whole_set_right_wrong_and_unreadably(page: Any, exported: Any) -> None:
    path = exported("--variants", "3")
    document = open_page(page, path)
    skills = document["skills"]
    assert [s["variants"][0]["type"] for s in skills] == TYPES
    assert len(skills[-1]["variants"]) == 3  # the template's variants
    assert page.inner_text("#card-0 h2") == "Question 1 of 7"

    # 1. choice, wrong: the misconception's title and the option's feedback, then the explanation
    page.check("input[name=q0-option][value='1']")
    verdict = check(page, 0)
    assert verdict.startswith("✗ Not quite. The answer: ②")
    assert "That option reflects a common mistake: Multiplying the fans instead of adding them." in verdict
    assert "That multiplies the fans." in verdict
    assert "Xavier uses the sum of the fans." in verdict
    assert page.locator("#card-0 math").count() >= 2  # options and answer in MathML
    assert statuses(stored(page, document)) == "2000000"
    next_question(page, 0)

    # 2. multi, one missed and one wrong: what was chosen, missed and why the wrong one is wrong
    page.check("input[name=q1-option][value='1']")
    page.check("input[name=q1-option][value='3']")
    verdict = check(page, 1)
    assert "You chose ①③; missed ②④; ③ is wrong: Dropout is a regulariser." in verdict
    next_question(page, 1)

    # 3. true/false, right, answered with the keyboard: the option's number, then Enter
    page.focus("#card-2 input[value='1']")
    page.keyboard.press("1")
    page.keyboard.press("Enter")
    assert page.inner_text("#card-2 .verdict").startswith("✓ Correct.")
    assert page.evaluate("document.activeElement.textContent") == "Next question"
    page.keyboard.press("Enter")  # on to the next question

    # 4. integer: unreadable first (asked again, nothing recorded), then a named mistake
    box = "#q3-answer"
    page.fill(box, "4 + 6")
    page.press(box, "Enter")
    assert page.inner_text("#q3-problem") == "Expected a whole number, e.g. 10."
    assert page.locator("#card-3 .verdict").is_hidden()
    assert page.input_value(box) == "4 + 6"  # the answer is kept to be corrected
    assert statuses(stored(page, document)) == "2210000"  # the unreadable answer changed nothing
    assert page.inner_text("#card-3 .form") == "Answer with a whole number (e.g. 10)."
    page.click("#card-3 button:text('Hint')")
    assert "Add, do not multiply." in page.inner_text("#card-3 .hint")
    page.fill(box, "24")
    page.press(box, "Enter")
    verdict = page.inner_text("#card-3 .verdict")
    assert verdict.startswith("✗ Not quite. The answer: 10")
    assert "That answer reflects a common mistake: Multiplying the fans instead of adding them." in verdict
    assert "That is the number of weights." in verdict
    next_question(page, 3)

    # 5. numeric in a spelling the drill reads: 7.75×10⁻² is 0.0775, within 0.5%
    page.fill("#q4-answer", "7.75×10⁻²")
    verdict = check(page, 4)
    assert verdict.startswith("✓ Correct.")
    assert page.inner_text("#card-4 .form") == (
        "Answer with a number to 3 significant figures (e.g. 0.0123 or 1.23e-2)."
    )
    next_question(page, 4)

    # 6. text, with other spacing and case; hostile bank text shows as text, runs nothing
    assert '<script>alert("x")</script> </script>' in page.inner_text("#card-5 .prompt")
    page.fill("#q5-answer", "  kaiming-HE. ")
    assert check(page, 5).startswith("✓ Correct.")
    assert "<b>bold?</b>" in page.inner_text("#card-5 .verdict")
    next_question(page, 5)

    # 7. a generator: wrong, then another variant of the same skill, answered right
    first = page.inner_text("#card-6 .prompt")
    a, b = (int(n) for n in re.findall(r"\d+", first.split("of a")[1])[:2])
    page.fill("#q6-answer", str(a * b))
    assert "That multiplies" in check(page, 6)
    page.click("#card-6 .verdict button:text('Another variant')")
    second = page.inner_text("#card-6 .prompt")
    assert second != first and "variant 2 of 3" in page.inner_text("#card-6 .where")
    a, b = (int(n) for n in re.findall(r"\d+", second.split("of a")[1])[:2])
    page.fill("#q6-answer", f"{a + b}")
    assert check(page, 6).startswith("✓ Correct.")
    state = stored(page, document)
    assert statuses(state) == "2212111"
    page.click("#card-6 .verdict button:text('See my score')")

    summary = page.inner_text("section.summary")
    assert "You have 4 of 7 right (57%)." in summary
    assert "To practise again:" in summary and "Which of these are initialisations?" in summary
    assert page.inner_text("#status").startswith("Score 4 of 7 (57%)")


def test_progress_survives_a_reload_and_practise_what_i_missed_then_clear(page: Any, exported: Any) -> None:
    path = exported("--variants", "2")
    document = open_page(page, path)
    page.check("input[name=q0-option][value='3']")  # wrong
    check(page, 0)
    next_question(page, 0)
    page.check("input[name=q1-option][value='1']")
    page.check("input[name=q1-option][value='2']")
    page.check("input[name=q1-option][value='4']")
    assert check(page, 1).startswith("✓ Correct.")

    page.reload()
    page.wait_for_selector(READY, state="attached")
    assert "Welcome back" in page.inner_text("#notice")
    assert page.inner_text("#status").startswith("Score 1 of 7 (14%) · 2 answered · 1 to practise again")

    page.click("#btn-missed")  # the missed round: just the choice question
    assert page.inner_text("#card-0 h2") == "Question 1 of 1"
    page.check("input[name=q0-option][value='2']")
    assert check(page, 0).startswith("✓ Correct.")
    assert statuses(stored(page, document)) == "1100000"
    assert page.locator("#btn-missed").is_disabled()

    page.click("#btn-clear")
    page.click("#btn-clear-yes")
    assert stored(page, document) is None
    assert page.inner_text("#status").startswith("Score 0 of 7 (0%) · 0 answered")
    page.reload()
    page.wait_for_selector(READY, state="attached")
    assert page.inner_text("#card-0 h2") == "Question 1 of 7"
    assert page.locator("#notice").is_hidden()


def test_quiz_mode_shows_the_whole_set_and_passes_by_the_pass_mark(page: Any, exported: Any) -> None:
    path = exported("--variants", "1", "--mode", "quiz", "--pass-mark", "50")
    document = open_page(page, path)
    assert document["mode"] == "quiz" and document["passMark"] == 50
    assert page.locator("section.card").count() == 7
    answers = {3: "10", 4: "0.0775", 5: "He"}
    page.check("input[name=q0-option][value='2']")
    check(page, 0)
    page.check("input[name=q2-option][value='1']")
    check(page, 2)
    for index, text in answers.items():
        page.fill(f"#q{index}-answer", text)
        assert check(page, index).startswith("✓ Correct."), index
    assert "pass mark 50%" in page.inner_text("#status")
    assert "passed" not in page.inner_text("#status")  # not every question answered yet
    page.check("input[name=q1-option][value='3']")
    check(page, 1)
    skill = document["skills"][6]["variants"][0]["grade"]["answer"]
    page.fill("#q6-answer", str(int(skill) + 1))
    check(page, 6)
    assert page.inner_text("#status").endswith("passed")  # 5 of 7 = 71% >= 50%


def test_the_page_inflates_its_questions_itself(page: Any, exported: Any) -> None:
    """The page needs no DecompressionStream (Safari before 16.4 has none): its own inflate reads the set."""
    path = exported("--variants", "3")
    page.add_init_script("delete window.DecompressionStream;")
    document = open_page(page, path)
    assert page.evaluate("typeof DecompressionStream") == "undefined"
    assert page.inner_text("#card-0 h2") == "Question 1 of 7"
    assert page.evaluate("QuizgenPractice.progress().total") == len(document["skills"])


def test_a_phone_width_has_no_sideways_scrolling_and_dark_follows_the_system(
    browser: Any, exported: Any
) -> None:
    path = exported("--variants", "1")
    colours = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(viewport={"width": 360, "height": 740}, color_scheme=scheme)
        tab = context.new_page()
        open_page(tab, path)
        tab.check("input[name=q0-option][value='1']")
        check(tab, 0)
        assert tab.evaluate("document.documentElement.scrollWidth") <= 360
        colours[scheme] = tab.evaluate("getComputedStyle(document.documentElement).backgroundColor")
        font = tab.evaluate("getComputedStyle(document.querySelector('math')).fontFamily")
        assert font.startswith('"DejaVu Math TeX Gyre"')
        context.close()
    assert colours == {"light": "rgb(255, 255, 255)", "dark": "rgb(21, 23, 26)"}


def test_the_page_uses_the_worksheets_fonts() -> None:
    """Text and maths in the same font stacks as the printed worksheets."""
    root = Path(__file__).parent.parent / "templates"
    sheet = (root / "_style.css.j2").read_text(encoding="utf-8")
    page = (root / "practice" / "page.css").read_text(encoding="utf-8")
    for selector in ("html", "math"):
        stack = re.search(rf"^{selector} {{ font-family: ([^;]+);", sheet, re.MULTILINE)
        assert stack is not None, selector
        assert re.search(rf"^{selector} {{ font-family: {re.escape(stack.group(1))};", page, re.MULTILINE), (
            selector
        )


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("mode", ["drill", "quiz"])
def test_axe_core_finds_no_accessibility_violations(
    browser: Any, exported: Any, scheme: str, mode: str
) -> None:
    """axe-core (npm, Deque's engine) over the page as it starts, and with a verdict shown."""
    axe = npm_file("axe-core/axe.min.js").read_text(encoding="utf-8")
    path = exported("--variants", "2", "--mode", mode, name=f"{mode}.html")
    context = browser.new_context(color_scheme=scheme)
    tab = context.new_page()
    open_page(tab, path)
    for step in ("start", "verdict"):
        if step == "verdict":
            tab.check("input[name=q0-option][value='1']")
            check(tab, 0)
            if mode == "quiz":  # and an unreadable answer's message
                tab.fill("#q3-answer", "x")
                tab.click("#card-3 button[type=submit]")
        tab.add_script_tag(content=axe)
        result = tab.evaluate("async () => (await axe.run(document)).violations")
        found = [(v["id"], [n["target"] for n in v["nodes"]][:3], v["help"]) for v in result]
        assert found == [], json.dumps(found, indent=1)
    context.close()


INFLATE_CHECK = r"""
const fs = require("fs"), zlib = require("zlib");
const src = fs.readFileSync(process.argv[1], "utf8");
const body = src.slice(src.indexOf("  function gunzip(data)"), src.indexOf("  function run(DATA)"));
const gunzip = new Function(body + "; return gunzip;")();
const document = fs.readFileSync(process.argv[2]);
let checked = 0;
function check(buffer, level, strategy) {
  const out = Buffer.from(gunzip(new Uint8Array(zlib.gzipSync(buffer, { level, strategy }))));
  if (!out.equals(buffer)) throw new Error(`differs: ${buffer.length} bytes, level ${level}, strategy ${strategy}`);
  checked++;
}
// every zlib level (0: stored blocks) and strategy (filtered, Huffman only, RLE, fixed codes)
for (const level of [0, 1, 6, 9]) for (const strategy of [0, 1, 2, 3, 4]) check(document, level, strategy);
let seed = 1;
const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
for (let i = 0; i < 200; i++) {
  const buffer = Buffer.alloc(Math.floor(random() * 70000));
  const alphabet = 1 + Math.floor(random() * 255);
  for (let j = 0; j < buffer.length; j++) buffer[j] = random() < 0.5 ? j % alphabet : Math.floor(random() * alphabet);
  check(buffer, [0, 1, 6, 9][i % 4], i % 5);
}
const whole = zlib.gzipSync(document);
let refused = 0;
for (const cut of [11, 100, 1000, whole.length - 12]) {
  try { gunzip(new Uint8Array(whole.subarray(0, cut))); } catch (error) { refused++; }
}
console.log(JSON.stringify({ checked, refused }));
"""


def test_the_pages_inflate_reads_what_zlib_writes(tmp_path: Path) -> None:
    """page.js's inflate against Node's zlib (written by others): every level and strategy, random data,
    a whole page's document; truncated data is refused, never read as something else."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (.ci/run installs it for the GIFT tests)")
    out = tmp_path / "whole.html"
    result = CliRunner().invoke(main, ["export", "--format", "html", "--variants", "3", "-o", str(out)])
    assert result.exit_code == 0, result.output
    document = tmp_path / "document.json"
    document.write_text(json.dumps(page_document(out.read_text(encoding="utf-8"))), encoding="utf-8")
    script = Path(__file__).parent.parent / "templates" / "practice" / "page.js"
    run = subprocess.run(
        [node, "-e", INFLATE_CHECK, str(script), str(document)], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == {"checked": 220, "refused": 4}
