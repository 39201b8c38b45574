"""What a course team meets in Moodle, Canvas and Anki (issue 13, items 13-17).

* Short answers: Moodle grades a response by comparing it with each answer (case-insensitively,
  ``*`` a wildcard, nothing else forgiven); the export holds the spellings quizgen's grader
  accepts, so that quizgen and Moodle grade the same inputs alike. Moodle's matching is ported
  below from its source; the answers are read back from the Moodle XML (ElementTree) and from the
  GIFT file (gift-pegjs), never taken from the exporter.
* Numbers: calculated questions show the answer as the prompt asks, their tolerance is quizgen's,
  every number is written without float noise or exponent.
* Re-importing: every export has a category of its own named by version and content digest.
"""

from __future__ import annotations

import html
import json
import math
import re
import shutil
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from quizgen import __version__, load_banks
from quizgen.bank import QuestionBank
from quizgen.exporters import ExportSet, build_export_set, export
from quizgen.grading import InvalidAnswer, grade
from quizgen.models import ChoiceQuestion, IntegerQuestion, NumericQuestion, Question, TextQuestion

from .conftest import WriteBank
from .test_export_gift import Parser
from .test_export_gift import gift_pegjs as gift_pegjs  # the session fixture

# -- Moodle's short-answer matching, ported ---------------------------------------------------
#
# From moodle/moodle, question/type/shortanswer/question.php:
#   qtype_shortanswer_question::compare_string_with_wildcard($string, $pattern, $ignorecase)
#     $pattern = self::safe_normalize($pattern); $string = self::safe_normalize($string);  (NFC)
#     $bits = preg_split('/(?<!\\\\)\*+/', $pattern);
#     foreach ($bits as $bit) $escapedbits[] = preg_quote(str_replace('\*', '*', $bit), '|');
#     $regexp = '|^' . implode('.*', $escapedbits) . '$|u';  if ($ignorecase) $regexp .= 'i';
#     return preg_match($regexp, trim($string));
#   get_expected_data(): 'answer' => PARAM_RAW_TRIMMED (the response is trimmed when it arrives);
#   compare_response_with_answer(): compare_string_with_wildcard($response, $answer, !$this->usecase);
#   question_first_matching_answer_grading_strategy: the first answer that matches gives the grade.

_PREG_QUOTE = set(".\\+*?[^]$(){}=!<>|:-#/")
"""The characters PHP's preg_quote escapes (``#`` since PHP 7.3), besides the delimiter given."""


def php_trim(text: str) -> str:
    """PHP's trim(): spaces, tabs, line breaks, NUL and vertical tab only (not other Unicode spaces)."""
    return text.strip(" \t\n\r\0\x0b")


def preg_quote(text: str, delimiter: str) -> str:
    return "".join("\\" + c if c in _PREG_QUOTE or c == delimiter else c for c in text)


def compare_string_with_wildcard(string: str, pattern: str, ignorecase: bool) -> bool:
    pattern = unicodedata.normalize("NFC", pattern)
    string = unicodedata.normalize("NFC", string)
    bits = re.split(r"(?<!\\)\*+", pattern)
    escaped = [preg_quote(bit.replace("\\*", "*"), "|") for bit in bits]
    regexp = "^" + ".*".join(escaped) + "$"
    return re.search(regexp, php_trim(string), re.IGNORECASE if ignorecase else 0) is not None


def moodle_shortanswer_correct(response: str, answers: list[tuple[str, float]], usecase: bool) -> bool:
    """Moodle's grade for a response: the first matching answer's fraction (none matching: 0)."""
    response = php_trim(response)  # PARAM_RAW_TRIMMED
    for answer, fraction in answers:
        if compare_string_with_wildcard(response, answer, not usecase):
            return fraction == 1.0
    return False


def test_the_port_matches_what_moodle_documents() -> None:
    assert compare_string_with_wildcard(" Kaiming He ", "kaiming he", True)
    assert not compare_string_with_wildcard("Kaiming He", "kaiming he", False)
    assert not compare_string_with_wildcard("Kaiming-He", "Kaiming He", True)
    assert not compare_string_with_wildcard("symmetry.", "symmetry", True)
    assert not compare_string_with_wildcard("Kaiming  He", "Kaiming He", True)
    assert compare_string_with_wildcard("Kaiming anything He", "Kaiming*He", True)
    assert not compare_string_with_wildcard("a-b", "a\\*b", True) and compare_string_with_wildcard(
        "a*b", "a\\*b", True
    )
    assert compare_string_with_wildcard("1+1=2 (x)", "1+1=2 (x)", True)  # regexp characters are quoted


# -- the inputs a student types --------------------------------------------------------------

SEPARATORS = (" ", "-", "_", "  ")


def typed_variants(form: str) -> list[str]:
    """What students type for an accepted form: as written, in other case, with a final full stop,
    with space / hyphen / underscore / two spaces between its words (one throughout, and mixed)."""
    words = [w for w in re.split(r"[-_\s]+", form.strip().rstrip(". ")) if w]
    out = [form, form.upper(), form.lower(), form + ".", f"  {form}  ", form.upper() + "."]
    for separator in SEPARATORS:
        joined = separator.join(words)
        out += [joined, joined + ".", joined.swapcase(), joined.title() + "."]
    if len(words) > 2:  # mixed: each gap its own separator
        for shift in range(len(SEPARATORS)):
            mixed = words[0] + "".join(
                SEPARATORS[(i + shift) % len(SEPARATORS)] + w for i, w in enumerate(words[1:])
            )
            out += [mixed, mixed + "."]
    return out


def wrong_variants(form: str, other: str) -> list[str]:
    """Answers near a form that may or may not be right (quizgen decides): a letter short, one more,
    words run together, a wildcard, a double full stop, another question's answer."""
    words = [w for w in re.split(r"[-_\s]+", form.strip()) if w]
    return [
        form[:-1],
        form + "s",
        "".join(words),
        form + "*",
        "*",
        "not " + form,
        other,
        form[1:],
        form + ",",
        "",
    ]


def text_questions(bank: QuestionBank) -> list[TextQuestion]:
    return [q for q in bank.questions if isinstance(q, TextQuestion)]


def quizgen_correct(question: Question, typed: str) -> bool | None:
    """quizgen's verdict (None: the drill would ask again, e.g. for an empty answer)."""
    try:
        return grade(question, typed).correct
    except InvalidAnswer:
        return None


def moodle_xml_answers(raw: bytes) -> dict[str, tuple[list[tuple[str, float]], bool]]:
    """Short-answer questions read back from Moodle XML: name -> (answers with fractions, usecase)."""
    found = {}
    for element in ET.fromstring(raw).iter("question"):
        if element.get("type") != "shortanswer":
            continue
        answers = [
            ((a.findtext("text") or "").strip(), float(a.get("fraction") or "0") / 100)
            for a in element.findall("answer")
        ]
        found[element.findtext("name/text") or ""] = (answers, element.findtext("usecase") == "1")
    return found


def gift_answers(parsed: list[dict[str, Any]]) -> dict[str, tuple[list[tuple[str, float]], bool]]:
    """Short-answer questions as gift-pegjs reads them (GIFT has no case setting: Moodle uses usecase 0)."""
    found = {}
    for item in parsed:
        if item["type"] == "Short":
            answers = [
                (c["text"]["text"].strip(), (100 if c["weight"] is None else c["weight"]) / 100)
                for c in item["choices"]
            ]
            found[item["title"]] = (answers, False)
    return found


@pytest.fixture(scope="module")
def bank() -> QuestionBank:
    return load_banks()


@pytest.fixture(scope="module")
def text_export(bank: QuestionBank) -> ExportSet:
    """Every text question of the bundled banks (extensions too), no variants."""
    topics = sorted({q.topic for q in text_questions(bank)})
    return build_export_set(bank, topics=topics, variants=0)


def _disagreements(
    questions: list[TextQuestion], read: dict[str, tuple[list[tuple[str, float]], bool]]
) -> list[str]:
    problems = []
    checked = 0
    for number, question in enumerate(questions):
        answers, usecase = read[question.id]
        other = questions[(number + 1) % len(questions)].answer
        for form in question.accepted_forms():
            for typed in dict.fromkeys([*typed_variants(form), *wrong_variants(form, other)]):
                ours = quizgen_correct(question, typed)
                if ours is None:
                    continue
                checked += 1
                theirs = moodle_shortanswer_correct(typed, answers, usecase)
                if ours != theirs:
                    problems.append(f"{question.id}: {typed!r}: quizgen {ours}, Moodle {theirs}")
    assert checked > 1000
    return problems


def test_moodle_xml_grades_short_answers_as_quizgen_does(bank: QuestionBank, text_export: ExportSet) -> None:
    read = moodle_xml_answers(export("moodle", text_export))
    questions = text_questions(bank)
    assert set(read) == {q.id for q in questions}
    problems = _disagreements(questions, read)
    assert not problems, f"{len(problems)} disagreements:\n" + "\n".join(problems[:40])


def test_gift_grades_short_answers_as_quizgen_does(
    bank: QuestionBank, text_export: ExportSet, gift_pegjs: Parser
) -> None:
    read = gift_answers(gift_pegjs(export("gift", text_export)))
    questions = text_questions(bank)
    assert set(read) == {q.id for q in questions}
    problems = _disagreements(questions, read)
    assert not problems, f"{len(problems)} disagreements:\n" + "\n".join(problems[:40])


def test_the_reported_inputs_are_right_in_moodle(bank: QuestionBank, text_export: ExportSet) -> None:
    """The issue's examples: "symmetry.", doubled spaces, "Kaiming-He", "xavier uniform"."""
    read = moodle_xml_answers(export("moodle", text_export))
    for question_id, typed in [
        ("def-10", "symmetry."),
        ("def-10", "Weight  symmetry"),
        ("he-09", "Kaiming-He"),
        ("he-09", "kaiming_he."),
        ("xu-11", "xavier uniform"),
        ("xu-11", "Xavier-Uniform."),
    ]:
        answers, usecase = read[question_id]
        assert quizgen_correct(bank.get(question_id), typed)
        assert moodle_shortanswer_correct(typed, answers, usecase), (question_id, typed)


LONG_FORM = """
questions:
  - id: long-01
    topic: he
    type: text
    prompt: Name the rule.
    answer: the rule of five small words here
    accept: ['a*b']
    explanation: It is.
"""


def test_a_form_with_many_gaps_is_capped_and_says_so(write_bank: WriteBank, gift_pegjs: Parser) -> None:
    bank = load_banks([write_bank(LONG_FORM)], include_bundled=False, cache=False)
    data = build_export_set(bank, variants=0)
    question = bank.get("long-01")
    raw = export("moodle", data)
    answers, usecase = moodle_xml_answers(raw)["long-01"]
    assert 10 < len(answers) <= 64
    text = raw.decode("utf-8")
    assert re.search(
        r"<!-- long-01: \d+ accepted forms exported, \d+ more mixes of separators left out", text
    )
    gift = export("gift", data).decode("utf-8")
    assert re.search(r"// long-01: \d+ accepted forms exported, \d+ more mixes", gift)
    assert len(gift_answers(gift_pegjs(export("gift", data)))["long-01"][0]) == len(answers)
    # never a form quizgen refuses; the star is literal (no wildcard)
    for answer, _ in answers:
        assert quizgen_correct(question, answer.replace("\\*", "*")), answer
    assert moodle_shortanswer_correct("a*b", answers, usecase)
    assert not moodle_shortanswer_correct("aXb", answers, usecase) and not quizgen_correct(question, "aXb")
    # what the cap keeps: one separator throughout, with and without the full stop
    for separator in SEPARATORS:
        typed = separator.join(["the", "rule", "of", "five", "small", "words", "here"]) + "."
        assert moodle_shortanswer_correct(typed, answers, usecase), typed


# -- numbers (item 14) ------------------------------------------------------------------------

PLAIN = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def plain_and_short(text: str, value: float) -> bool:
    """Positional, and either the same float or a short number (at most 12 digits) within 1e-14."""
    if not PLAIN.fullmatch(text):
        return False
    if float(text) == value:
        return True
    digits = len(text.replace("-", "").replace(".", "").lstrip("0"))
    return digits <= 12 and math.isclose(float(text), value, rel_tol=1e-14)


@pytest.fixture(scope="module")
def full_export(bank: QuestionBank) -> tuple[ExportSet, ET.Element]:
    data = build_export_set(bank, variants=10, seed=0)
    return data, ET.fromstring(export("moodle", data))


def test_every_numerical_question_accepts_what_quizgen_accepts(
    full_export: tuple[ExportSet, ET.Element],
) -> None:
    data, root = full_export
    questions = {q.id: q for q in data.all_questions()}
    seen = 0
    for element in root.iter("question"):
        if element.get("type") != "numerical":
            continue
        question = questions[element.findtext("name/text") or ""]
        assert isinstance(question, NumericQuestion | IntegerQuestion)
        right, *mistakes = element.findall("answer")
        text, width = right.findtext("text") or "", right.findtext("tolerance") or ""
        assert plain_and_short(text, question.answer), text
        assert PLAIN.fullmatch(width), width  # no 9.9009900990099E-6, no 0.0010000000000000009
        value, tolerance = float(text), float(width)
        if isinstance(question, NumericQuestion):
            low, high = question.bounds()
            assert math.isclose(value - tolerance, low, rel_tol=1e-12, abs_tol=1e-15), (question.id, width)
            assert math.isclose(value + tolerance, high, rel_tol=1e-12, abs_tol=1e-15), (question.id, width)
            # the same verdicts inside and outside the range (Moodle: |x - answer| <= tolerance), outside
            # quizgen's own slack for float rounding (1e-9, at least absolute)
            inside = (high - low) / 100
            outside = inside + 2e-9 * max(1.0, abs(question.answer))
            for probe in (low + inside, high - inside, low - outside, high + outside, question.answer):
                assert question.accepts(probe) == (abs(probe - value) <= tolerance), (question.id, probe)
        else:
            assert (value, tolerance) == (question.answer, 0.0)
        for element_, mistake in zip(mistakes, question.mistakes, strict=True):
            assert plain_and_short(element_.findtext("text") or "", mistake.value)
            assert PLAIN.fullmatch(element_.findtext("tolerance") or "")
        seen += 1
    assert seen > 100


def php_string(value: float) -> str:
    """PHP's (string) of a float (precision = 14): %.14G, an integral value without a point."""
    return f"{value:.14G}"


def evaluate(formula: str, values: dict[str, float]) -> float:
    """Moodle's formula syntax with PHP's functions, written for this test (our own output only)."""
    expression = re.sub(r"\{(\w+)\}", lambda m: repr(float(values[m.group(1)])), formula)
    functions = {"pow": math.pow, "sqrt": math.sqrt, "log": math.log, "log10": math.log10, "abs": abs,
                 "round": lambda x, n=0: round(x, int(n)), "floor": math.floor, "fmod": math.fmod}  # fmt: skip
    return float(eval(expression, {"__builtins__": {}}, functions))  # test-only: our own export


def test_calculated_questions_show_and_accept_what_the_prompt_asks(
    full_export: tuple[ExportSet, ET.Element],
) -> None:
    data, root = full_export
    groups = {g.id: g for g in data.groups}
    calculated = [q for q in root.iter("question") if q.get("type") == "calculated"]
    assert len(calculated) >= 8
    for element in calculated:
        generator_id = (element.findtext("idnumber") or "").removesuffix("-calculated")
        prompt = element.findtext("questiontext/text") or ""
        answer = element.find("answer")
        assert answer is not None
        stated = re.search(r"(\d+) significant figures", prompt)
        shown = (answer.findtext("correctanswerformat"), answer.findtext("correctanswerlength"))
        if stated:  # 3 significant figures asked: 3 significant figures shown (format 2)
            assert shown == ("2", stated.group(1)), generator_id
        elif "(an integer)" in prompt:
            assert shown == ("1", "0"), generator_id
        tolerance = answer.findtext("tolerance") or ""
        assert PLAIN.fullmatch(tolerance)
        kind = {"1": "relative", "2": "absolute"}[answer.findtext("tolerancetype") or ""]
        definitions = element.findall("dataset_definitions/dataset_definition")
        columns = {
            d.findtext("name/text") or "": [
                i.findtext("value") or "" for i in d.findall("dataset_items/dataset_item")
            ]
            for d in definitions
        }
        for column in columns.values():
            assert all(PLAIN.fullmatch(v) for v in column), column
        variants = groups[generator_id].variants
        feedback = element.findtext("generalfeedback/text") or ""
        expressions = re.findall(r"\{=([^{}]*(?:\{[^{}]+}[^{}]*)*)}", feedback)
        count = len(next(iter(columns.values())))
        assert count >= 1
        for index in range(count):
            values = {name: float(column[index]) for name, column in columns.items()}
            matches = [v for v in variants if all(float((v.params or {})[k]) == x for k, x in values.items())]
            assert matches, (generator_id, values)
            variant = matches[0]
            # quizgen's own range for these numbers is the calculated question's
            if isinstance(variant, NumericQuestion):
                assert (variant.tolerance, variant.tolerance_type) == (float(tolerance), kind), variant.id
            elif isinstance(variant, IntegerQuestion):
                assert float(tolerance) == 0
            for expression in expressions:  # the feedback's numbers as a person writes them
                printed = php_string(evaluate(expression, values))
                assert "E" not in printed, (generator_id, printed)
                if stated:
                    digits = len(printed.replace("-", "").replace(".", "").lstrip("0").rstrip("0"))
                    assert digits <= int(stated.group(1)), (generator_id, printed)
        # a variant asked for the exact value is not an item of a question that allows 0.6 %
        for variant in variants:
            if isinstance(variant, NumericQuestion) and variant.tolerance == 0 and float(tolerance) != 0:
                params = variant.params or {}
                assert not any(
                    all(float(columns[k][i]) == float(params[k]) for k in columns) for i in range(count)
                ), variant.id


def test_xavier_uniform_exact_variants_stay_exact(bank: QuestionBank) -> None:
    """The issue's three xavier-uniform items: exact in quizgen, so not in the 0.6 % calculated question."""
    data = build_export_set(bank, topics=["xavier-uniform"], variants=40, seed=0)
    exact = [
        q
        for g in data.groups
        if g.id == "xavier-uniform"
        for q in g.variants
        if isinstance(q, NumericQuestion) and q.tolerance == 0
    ]
    assert exact
    text = export("moodle", data).decode("utf-8")
    root = ET.fromstring(text)
    (element,) = [q for q in root.iter("question") if q.findtext("idnumber") == "xavier-uniform-calculated"]
    items = {
        tuple(
            float(d.findall("dataset_items/dataset_item")[i].findtext("value") or "nan")
            for d in element.findall("dataset_definitions/dataset_definition")
        )
        for i in range(int(element.findtext("dataset_definitions/dataset_definition/itemcount") or "0"))
    }
    for variant in exact:
        params = variant.params or {}
        assert (float(params["n_in"]), float(params["n_out"])) not in items
        assert variant.id in text  # still exported, as a numerical question with tolerance 0


# -- telling exports apart (item 15) ----------------------------------------------------------


def categories_and_tags(raw: bytes) -> tuple[list[str], list[ET.Element]]:
    root = ET.fromstring(raw)
    categories = [
        q.findtext("category/text") or "" for q in root.iter("question") if q.get("type") == "category"
    ]
    return categories, [q for q in root.iter("question") if q.get("type") != "category"]


def test_each_export_has_a_category_of_its_own_and_keeps_ids(
    bank: QuestionBank, write_bank: WriteBank
) -> None:
    data = build_export_set(bank, topics=["he"], variants=2, seed=3)
    first = export("moodle", data)
    assert (
        export("moodle", build_export_set(bank, topics=["he"], variants=2, seed=3)) == first
    )  # same content
    categories, questions = categories_and_tags(first)
    top = categories[0]
    found = re.fullmatch(rf"\$course\$/top/quizgen/{re.escape(__version__)}-([0-9a-f]{{8}})", top)
    assert found, top
    digest = found.group(1)
    assert all(c == top or c.startswith(top + "/") for c in categories)
    for element in questions:
        name = element.findtext("name/text") or ""
        tags = [t.findtext("text") for t in element.findall("tags/tag")]
        assert f"quizgen-{__version__}" in tags and f"quizgen-export-{digest}" in tags
        if element.get("type") != "calculated":
            assert element.findtext("idnumber") == name  # the stable quizgen id stays the ID number
    # another seed, or a changed bank: another category, so a second import never meets the first's ID numbers
    other_seed, _ = categories_and_tags(
        export("moodle", build_export_set(bank, topics=["he"], variants=2, seed=4))
    )
    changed = load_banks(
        [
            write_bank(
                "questions:\n- {id: mine-01, topic: he, type: true_false, prompt: P., answer: true, explanation: E.}\n"
            )
        ],
        cache=False,
    )
    other_bank, _ = categories_and_tags(
        export("moodle", build_export_set(changed, topics=["he"], variants=2, seed=3))
    )
    assert len({top, other_seed[0], other_bank[0]}) == 3
    # GIFT files the same questions under the same categories, with the same ID numbers and tags
    gift = export("gift", data).decode("utf-8")
    assert f"$CATEGORY: {top}/he\n" in gift
    assert re.search(rf"// \[id:he-01\] .*\[tag:quizgen-export-{digest}\]", gift)


def test_the_guide_says_how_to_update_a_bank_in_moodle() -> None:
    guide = (Path(__file__).parent.parent / "docs" / "lms.md").read_text(encoding="utf-8")
    section = guide.split("### Importing again", 1)[1].split("\n## ", 1)[0]
    for words in ("delete", "new category", "ID number", "digest", "random question"):
        assert words in section, words


# -- Anki (item 16) ----------------------------------------------------------------------------


def test_the_card_script_is_valid_javascript(tmp_path: Path) -> None:
    from quizgen.exporters.anki import CARD_SCRIPT

    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    path = tmp_path / "card.js"
    path.write_text(CARD_SCRIPT, encoding="utf-8")
    subprocess.run([node, "--check", str(path)], check=True, capture_output=True, timeout=60)


def test_anki_cards_are_one_per_skill_readable_at_night_and_say_select_all_once(bank: QuestionBank) -> None:
    from quizgen.exporters.anki import _CSS, notes

    data = build_export_set(bank, topics=["he", "xavier"], variants=5, seed=2)
    built = notes(data)
    assert len(built) == len(data.questions) + len(data.groups)  # 5 variants of a generator: one note
    assert "white" not in _CSS and "background:" not in _CSS.replace("background: transparent", "")
    assert "color: black" not in _CSS
    multi = [n for n in built if "multi" in n.tags and "bank" in n.tags]
    assert multi
    for note in multi:
        text = re.sub(r"<[^>]+>", " ", note.fields[2]).casefold()
        assert text.count("select all that apply") == 1, note.fields[0]


def _harness(front: str, back: str, typed: list[list[str]], rounds: int) -> str:
    """A page that does what Anki's reviewer does: the front's HTML into #qa (its script run), the
    answer typed into the box, then the back's HTML into #qa (its script run); the result as JSON."""
    payload = json.dumps({"front": front, "back": back, "typed": typed, "rounds": rounds})
    return """<!doctype html><html><head><meta charset="utf-8"></head><body class="card">
<div id="qa"></div><pre id="out"></pre>
<script>
var P = %s;
function show(html) {
  var qa = document.getElementById("qa");
  qa.innerHTML = html;
  var scripts = qa.querySelectorAll("script");
  for (var i = 0; i < scripts.length; i++) {
    var fresh = document.createElement("script");
    fresh.text = scripts[i].text;
    scripts[i].parentNode.replaceChild(fresh, scripts[i]);
  }
}
function seen() {
  var all = document.querySelectorAll("#qa .qz-v"), shown = -1, count = 0;
  for (var i = 0; i < all.length; i++) {
    if (getComputedStyle(all[i]).display !== "none") { shown = i; count++; }
  }
  var v = all[shown];
  var items = v ? v.querySelectorAll("li") : [];
  var order = [], labels = [], right = [];
  for (var j = 0; j < items.length; j++) {
    order.push(items[j].getAttribute("data-n"));
    labels.push(items[j].querySelector(".qz-n").textContent);
    if (items[j].className.indexOf("qz-right") >= 0) { right.push(items[j].getAttribute("data-n")); }
  }
  var verdict = v && v.querySelector(".qz-verdict");
  var answer = v && v.querySelector(".qz-a");
  return {v: shown, count: count, order: order, labels: labels, right: right,
          verdict: verdict ? verdict.getAttribute("data-right") : null,
          verdictText: verdict ? verdict.textContent : null,
          answerShown: answer ? getComputedStyle(answer).display !== "none" : null};
}
var results = [];
for (var r = 0; r < P.rounds; r++) {
  show(P.front);
  var front = seen();
  var typedText = null;
  var input = document.querySelector("#qa .qz-v.qz-shown input.qz-typed");
  if (input && P.typed[front.v].length) {
    typedText = P.typed[front.v][r %% P.typed[front.v].length];
    input.value = typedText;
    input.dispatchEvent(new Event("input"));
  }
  show(P.back);
  results.push({front: front, back: seen(), typed: typedText});
}
document.getElementById("out").textContent = JSON.stringify(results);
</script></body></html>""".replace("%%", "%").replace("%s", payload.replace("</", "<\\/"), 1)


def _run_cards(
    tmp_path: Path, front: str, back: str, typed: list[list[str]], rounds: int = 24
) -> list[dict[str, Any]]:
    from .test_worksheet_browser import FLAGS, chromium

    page = tmp_path / "card.html"
    page.write_text(_harness(front, back, typed, rounds), encoding="utf-8")
    command = [chromium(), *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page.as_uri()]
    dom = subprocess.run(command, check=True, capture_output=True, text=True, timeout=120).stdout
    found = re.search(r'<pre id="out">(.*?)</pre>', dom, re.S)
    assert found and found.group(1), dom[-2000:]
    results: list[dict[str, Any]] = json.loads(html.unescape(found.group(1)))
    return results


def _typed_for(question: Question) -> list[str]:
    """What a student types for a variant: the answer as the prompt asks, a named mistake, a near miss."""
    from quizgen.precision import decimal_text, marking

    match question:
        case NumericQuestion():
            shown = marking(question)
            out = [decimal_text(shown.answer), str(question.answer).replace(".", ",")]
            out += [repr(m.value) for m in question.mistakes[:2]]
            return [*out, "2/3", "abc"]
        case IntegerQuestion():
            return [str(question.answer), str(question.answer + 1), f"{question.answer:,}", "1.5"]
        case TextQuestion():
            return [
                question.answer,
                question.answer.upper() + ".",
                question.answer.replace(" ", "-"),
                "wrong",
            ]
        case _:
            return []


@pytest.fixture(scope="module")
def anki_collection(tmp_path_factory: pytest.TempPathFactory, bank: QuestionBank) -> Any:
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    from quizgen.exporters import anki

    folder = tmp_path_factory.mktemp("anki")
    topics = ["he", "xavier", "definition", "layer-size"]
    data = build_export_set(bank, topics=topics, variants=6, seed=5)
    (folder / "deck.apkg").write_bytes(anki.export(data))
    col = Collection(str(folder / "collection.anki2"))
    col.import_anki_package(
        ImportAnkiPackageRequest(package_path=str(folder / "deck.apkg"), options=ImportAnkiPackageOptions())
    )
    yield col, data
    col.close()


@pytest.mark.parametrize(
    "skill", ["he-variance", "xavier-variance", "layer-size", "def-01", "he-09", "he-03"]
)
def test_a_card_shows_one_variant_and_its_own_answer_graded_as_quizgen_does(
    skill: str, anki_collection: Any, tmp_path: Path
) -> None:
    col, data = anki_collection
    if skill in {q.id for q in data.questions}:
        variants: list[Question] = [q for q in data.questions if q.id == skill]
    else:
        variants = [q for g in data.groups if g.id == skill for q in g.variants]
    assert variants, skill
    (card_id,) = col.find_cards(f'"Id:{skill}"')
    card = col.get_card(card_id)
    typed = [_typed_for(q) for q in variants]
    results = _run_cards(tmp_path, card.question(), card.answer(), typed)
    fronts = {r["front"]["v"] for r in results}
    for result in results:
        front, back = result["front"], result["back"]
        assert front["count"] == back["count"] == 1  # exactly one variant shown
        assert back["v"] == front["v"] and back["order"] == front["order"]  # the back answers the front
        assert front["answerShown"] is False and back["answerShown"] is True
        question = variants[front["v"]]
        assert front["labels"] == [chr(0x2460 + n) for n in range(len(front["labels"]))]  # ① ② ③ in place
        if isinstance(question, ChoiceQuestion):
            assert back["right"] == [str(question.answer)]
        if result["typed"] is not None:
            ours = quizgen_correct(question, result["typed"])
            theirs = back["verdict"]
            if ours is None:  # quizgen would not grade it (not a number it reads)
                assert theirs in ("null", "false"), result
            else:
                assert theirs == str(ours).lower(), (question.id, result["typed"], back["verdictText"])
    if len(variants) > 1:
        assert len(fronts) > 1  # variants rotate
    shuffles = [q for q in variants if isinstance(q, ChoiceQuestion) and q.shuffle]
    if shuffles and len(variants) == 1:
        assert len({tuple(r["front"]["order"]) for r in results}) > 1  # options shuffled per review


def test_the_export_category_does_not_depend_on_where_the_banks_are_installed(tmp_path: Path) -> None:
    """The same banks copied to two folders (a clone elsewhere, another machine) give the same category:
    a template's origin path must not reach the digest (CI's clean clone caught it)."""
    from quizgen.exporters.base import export_label
    from quizgen.resources import bundled_bank_files

    labels = []
    for folder in ("one", "somewhere/else"):
        target = tmp_path / folder
        target.mkdir(parents=True)
        for path in bundled_bank_files():
            shutil.copy(path, target / Path(path).name)
        copied = load_banks([target], include_bundled=False, cache=False)
        labels.append(
            export_label(build_export_set(copied, topics=["he", "xavier-uniform"], variants=2, seed=1))
        )
    assert labels[0] == labels[1]
    assert any(
        copied.generator(g).origin != "built in" for g in copied.generators
    )  # templates are in it: the case that broke
