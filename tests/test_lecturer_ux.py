"""Issue 13, items 1-7: what a lecturer expects of printable worksheets.

Each item has its tests; the browser ones print through Chromium to PDF (as a lecturer does) and read the
PDF's pages with pypdf. Expected values are written out here or computed from the chapter's formulas,
never taken from the code under test.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import html5lib
from click.testing import CliRunner, Result

from quizgen import ChoiceQuestion, load_banks
from quizgen.bank import QuestionBank
from quizgen.cli import main
from quizgen.vocabulary import BUILTIN_CLAIMS

from .conftest import WriteBank
from .test_worksheet_browser import browse, chromium, print_pdf

NS = {"h": "http://www.w3.org/1999/xhtml", "m": "http://www.w3.org/1998/Math/MathML"}
SVG = "{http://www.w3.org/2000/svg}"


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output, result.output
    return result


def parse(path: Path) -> ET.Element:
    return html5lib.parse(path.read_text(encoding="utf-8"), treebuilder="etree", namespaceHTMLElements=True)  # type: ignore[no-any-return]


def text_of(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def questions_of(document: ET.Element) -> list[ET.Element]:
    return [
        li
        for li in document.iterfind(".//h:ol[@class='questions']/h:li", NS)
        if "figure" not in li.get("class", "")
    ]


def key_entries(document: ET.Element) -> list[ET.Element]:
    return list(document.iterfind(".//h:ol[@class='key-items']/h:li", NS))


# -- 1. the key in its own file by default --------------------------------------------------------


def test_1_a_single_sheet_and_its_key_are_two_files(tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.html"
    result = run("worksheet", "-o", str(sheet), "--seed", "7", "--count", "12")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sheet-key.html", "sheet.html"]
    assert "sheet-key.html" in result.output
    sheet_text = text_of(parse(sheet))
    assert "Answer key" not in sheet_text and "accept" not in sheet_text
    key = parse(tmp_path / "sheet-key.html")
    assert len(key_entries(key)) == 12 and "Answer key · Version A" in text_of(key)


def test_1_inline_only_when_asked_and_no_key_when_refused(tmp_path: Path) -> None:
    inline = tmp_path / "inline.html"
    assert run("worksheet", "-o", str(inline), "--seed", "7", "--count", "4", "--key-inline").exit_code == 0
    assert len(key_entries(parse(inline))) == 4
    bare = tmp_path / "bare" / "sheet.md"
    assert run("worksheet", "-o", str(bare), "--seed", "7", "--count", "4", "--no-answer-key").exit_code == 0
    assert [p.name for p in bare.parent.iterdir()] == ["sheet.md"]
    folder = tmp_path / "versions"
    assert (
        run("worksheet", "--versions", "2", "--key-inline", "--seed", "1", "-o", str(folder)).exit_code == 0
    )
    assert sorted(p.name for p in folder.iterdir()) == ["sheet-A.html", "sheet-B.html"]
    assert len(key_entries(parse(folder / "sheet-B.html"))) == 10


def test_1_chromium_prints_the_sheet_without_the_key_and_the_key_file_with_it(tmp_path: Path) -> None:
    chromium()
    sheet = tmp_path / "sheet.html"
    assert run("worksheet", "-o", str(sheet), "--seed", "7", "--count", "12").exit_code == 0
    sheet_pages = print_pdf(tmp_path, sheet)
    key_pages = print_pdf(tmp_path, tmp_path / "sheet-key.html")
    assert 1 <= len(sheet_pages) <= 4
    assert not any("Answer key" in page or "accept" in page for page in sheet_pages)
    assert "Answer key" in key_pages[0]
    key_text = " ".join(key_pages)
    assert all(f"{n}." in key_text for n in range(1, 13))
    assert "Score" in sheet_pages[0] and "/ 12" in sheet_pages[0]


# -- 2. the answer as asked, and the accepted range --------------------------------------------------

NUMERIC = """
questions:
  - id: marking-01
    type: numeric
    topic: he
    prompt: 'What is the weights'' standard deviation? Give 3 significant figures.'
    answer: 0.0604122
    tolerance: 0.006
    tolerance_type: relative
    explanation: '$\\sqrt{2/548} \\approx 0.0604$.'
  - id: marking-02
    type: numeric
    topic: he
    prompt: 'What is the variance? Give 3 significant figures.'
    answer: 3.6613e-5
    tolerance: 0.005
    tolerance_type: relative
    explanation: 'It is small.'
"""


def test_2_the_key_gives_the_answer_as_asked_and_the_range_not_a_percentage(
    write_bank: WriteBank, tmp_path: Path
) -> None:
    bank = write_bank(NUMERIC)
    out = tmp_path / "sheet.html"
    args = ["--bank", str(bank), "worksheet", "--id", "marking-01", "--id", "marking-02", "--seed", "1"]
    assert run(*args, "-o", str(out)).exit_code == 0
    first, second = key_entries(parse(tmp_path / "sheet-key.html"))
    # 0.0604122 to 3 s.f. is 0.0604; 0.6% either way is 0.060050 to 0.060775, so 0.0601 to 0.0607 as written
    assert "1. 0.0604 (3 significant figures; accept 0.0601 to 0.0607)" in text_of(first)
    # 3.6613e-5 is 3.66 × 10⁻⁵; 0.5% either way is 3.6430e-5 to 3.6796e-5: 3.65 to 3.67 × 10⁻⁵
    assert "2. 3.66 × 10−5 (3 significant figures; accept 3.65 × 10−5 to 3.67 × 10−5)" in text_of(
        second
    ).replace("\u00a0", " ")
    assert "%" not in text_of(first) + text_of(second) and "within" not in text_of(first)
    # typeset as the sheet's text is: the power a real superscript, never 3.66e-5
    answer = second.find(".//h:span[@class='answer']", NS)
    assert answer is not None and [sup.text for sup in answer.iterfind(".//h:sup", NS)] == ["\u22125"]
    assert "e-" not in text_of(second)
    markdown = tmp_path / "sheet.md"
    assert run(*args, "-o", str(markdown)).exit_code == 0
    md_key = (tmp_path / "sheet-key.md").read_text(encoding="utf-8")
    assert "**3.66 × 10⁻⁵** (3 significant figures; accept 3.65 × 10⁻⁵ to 3.67 × 10⁻⁵)" in md_key


# -- 3. a student's sheet is headed by the student -----------------------------------------------------


def test_3_roster_sheets_are_headed_by_the_student(tmp_path: Path) -> None:
    chromium()
    roster = tmp_path / "class.csv"
    roster.write_text("name;id\nJosé Ñúñez;s1\nAda Lovelace;\n", encoding="utf-8")
    out = tmp_path / "sheets"
    assert (
        run("worksheet", "--roster", str(roster), "--seed", "5", "--count", "3", "-o", str(out)).exit_code
        == 0
    )
    document = parse(out / "sheet-s1.html")
    header = text_of(document.find(".//h:header", NS))  # type: ignore[arg-type]
    footer = text_of(document.find(".//h:footer", NS))  # type: ignore[arg-type]
    assert header.startswith("Weight initialisation José Ñúñez (s1) · 3 questions")
    assert footer.startswith("José Ñúñez (s1) · seed")
    for text in (header, footer, text_of(document)):
        assert "Version" not in text
    pages = print_pdf(tmp_path, out / "sheet-s1.html")
    assert "José Ñúñez (s1)" in pages[0] and "Version" not in " ".join(pages)
    key = text_of(parse(out / "key.html"))
    assert "Answer key · José Ñúñez (s1)" in key and "Answer key · Ada Lovelace" in key


# -- 4. parallel versions ------------------------------------------------------------------------------


def asked(prompt_text: str) -> str:
    """The sentence that asks, numbers blanked: what kind of question it is (this test's own reading)."""
    sentences = [s for s in re.split(r"(?<=[.?!])\s+", prompt_text) if "?" in s]
    return re.sub(r"[0-9][0-9.,]*", "#", sentences[-1] if sentences else prompt_text)


def test_4_question_k_is_the_same_kind_of_question_in_every_version(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("worksheet", "--versions", "4", "--seed", "3", "--count", "20", "-o", str(out)).exit_code == 0
    versions = [questions_of(parse(out / f"sheet-{v}.html")) for v in "ABCD"]
    assert all(len(items) == 20 for items in versions)
    differ = 0
    for position in range(20):
        items = [v[position] for v in versions]
        sources = {re.sub(r"-[0-9a-f]{8}$", "", li.get("data-id", "")) for li in items}
        assert len(sources) == 1, (position, sources)  # the same bank question or generator
        assert len({li.get("data-type") for li in items}) == 1, position  # the same type
        prompts = [li.find(".//h:div[@class='prompt']", NS) for li in items]
        kinds = {asked(text_of(p)) for p in prompts if p is not None}
        assert len(kinds) == 1, (position, kinds)  # asks for the same thing
        differ += len({text_of(p) for p in prompts if p is not None}) > 1
    assert differ >= 5  # the generated ones ask it of other numbers


def test_4_the_mixed_types_of_one_generator_line_up(tmp_path: Path) -> None:
    """xavier-variance makes free-response and multiple-choice variants: each version agrees."""
    out = tmp_path / "out"
    args = ["worksheet", "--versions", "6", "--seed", "11", "-o", str(out)]
    assert run(*args, "--id", "xavier-variance", "--id", "he-normal", "--id", "depth-scaling").exit_code == 0
    types = [[li.get("data-type") for li in questions_of(parse(out / f"sheet-{v}.html"))] for v in "ABCDEF"]
    assert all(t == types[0] for t in types), types


# -- 5. maths in print ---------------------------------------------------------------------------------


def test_5_word_subscripts_and_names_are_upright_and_indices_italic() -> None:
    from quizgen.richtext import to_html

    fan = to_html("$fan_{in}$", True)
    assert '<mi mathvariant="normal">fan</mi>' in fan and '<mi mathvariant="normal">in</mi>' in fan
    assert "<mi>f</mi>" not in fan
    assert '<mi mathvariant="normal">out</mi>' in to_html("$n_{out}$", True)
    assert '<mi mathvariant="normal">Var</mi>' in to_html(r"$\mathrm{Var}(W)$", True)
    assert "<mi>i</mi><mi>j</mi>" in to_html("$W_{ij}$", True)  # indices stay italic
    assert "<mi>x</mi><mi>y</mi>" in to_html("$xy$", True)  # a product stays a product


def test_5_one_math_font_stack_sized_like_the_text(tmp_path: Path) -> None:
    out = tmp_path / "sheet.html"
    assert run("worksheet", "-o", str(out), "--seed", "1", "--count", "3").exit_code == 0
    css = parse(out).find(".//h:style", NS).text or ""  # type: ignore[union-attr]
    (rule,) = re.findall(r"(?m)^math \{([^}]*)\}", css)
    stack = re.search(r"font-family:([^;]*);", rule).group(1)  # type: ignore[union-attr]
    names = [name.strip().strip('"') for name in stack.split(",")]
    assert names[-1] == "math" and {"STIX Two Math", "Latin Modern Math", "Cambria Math"} <= set(names)
    assert "font-size: 1em" in rule
    assert not re.search(r"math \{[^}]*font-size: (?!1em)", css)  # no formula larger than its text
    body = re.search(r"(?m)^html \{[^}]*font-family:([^;]*);", css).group(1)  # type: ignore[union-attr]
    assert body.split(",")[0].strip('" ') == "DejaVu Serif" and names[0] == "DejaVu Math TeX Gyre"


def test_5_chromium_prints_the_maths_in_the_math_font(tmp_path: Path) -> None:
    """The printed PDF embeds the math font (DejaVu Math TeX Gyre: Debian's fonts-dejavu-extra)."""
    chromium()
    from pypdf import PdfReader

    out = tmp_path / "sheet.html"
    assert run("worksheet", "-o", str(out), "--seed", "1", "--count", "6", "--topic", "xavier").exit_code == 0
    pdf = tmp_path / "sheet.pdf"
    browse(tmp_path, out, f"--print-to-pdf={pdf}")
    fonts: set[str] = set()
    for page in PdfReader(pdf).pages:
        resources = page.get("/Resources")
        for font in (resources.get_object().get("/Font") or {}).values() if resources else ():
            fonts.add(str(font.get_object().get("/BaseFont")))
    assert any("DejaVuMathTeXGyre" in name for name in fonts), fonts
    assert any("DejaVuSerif" in name for name in fonts), fonts


def test_5_the_key_is_typeset_as_the_prompts_are(tmp_path: Path) -> None:
    out = tmp_path / "sheet.html"
    assert (
        run("worksheet", "-o", str(out), "--seed", "4", "--count", "12", "--source", "generators").exit_code
        == 0
    )
    key = parse(tmp_path / "sheet-key.html")
    numeric = [li for li in key_entries(key) if re.search(r"significant figures|exact", text_of(li))]
    assert numeric
    for entry in numeric:  # a number as a person writes it, not as Python prints a float
        answer = entry.find(".//h:span[@class='answer']", NS)
        assert answer is not None
        assert re.fullmatch(r"−?[0-9]+(\.[0-9]+)?( × 10−?[0-9]+)?", text_of(answer).replace("\u00a0", " "))
    for entry in key_entries(key):  # the key's maths is MathML, as the prompts' is: no TeX left over
        assert "$" not in text_of(entry) and "\\frac" not in text_of(entry)


# -- 6. choosing what goes on a sheet ------------------------------------------------------------------


def test_6_questions_by_id_in_the_order_given(tmp_path: Path) -> None:
    out = tmp_path / "sheet.html"
    ids = ["xavier-03", "he-01", "layer-size", "he-02"]
    result = run("worksheet", *[a for i in ids for a in ("--id", i)], "--seed", "1", "-o", str(out))
    assert result.exit_code == 0, result.output
    found = [li.get("data-id") for li in questions_of(parse(out))]
    assert found[:2] == ["xavier-03", "he-01"] and found[3] == "he-02"
    assert re.fullmatch(r"layer-size-[0-9a-f]{8}", found[2] or "")
    more = tmp_path / "more.html"
    assert run("worksheet", "--id", "he-01", "--count", "5", "--seed", "1", "-o", str(more)).exit_code == 0
    more_ids = [li.get("data-id") for li in questions_of(parse(more))]
    assert len(more_ids) == 5 and more_ids[0] == "he-01" and more_ids.count("he-01") == 1


def test_6_an_unknown_id_is_one_line_with_a_suggestion(tmp_path: Path) -> None:
    result = run("worksheet", "--id", "he-01", "--id", "xavier-normall", "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == (
        "Error: no question or generator has the id 'xavier-normall' (did you mean 'xavier-normal'?); "
        "`quizgen list --questions` lists them (--id)"
    )
    assert not (tmp_path / "x.html").exists()
    twice = run("worksheet", "--id", "he-01", "--id", "he-01", "-o", str(tmp_path / "x.html"))
    assert twice.exit_code == 1 and "named twice" in twice.output and "(--id)" in twice.output
    few = run("worksheet", "--id", "he-01", "--id", "he-02", "--count", "1", "-o", str(tmp_path / "x.html"))
    assert few.exit_code == 1 and "(--count)" in few.output


def difficulty_of(bank: QuestionBank, qid: str) -> int:
    """The difficulty of a sheet's question: its generator's for a variant id, else the bank question's."""
    generator = re.sub(r"-[0-9a-f]{8}$", "", qid)
    return bank.generators[generator].difficulty if generator in bank.generators else bank.get(qid).difficulty


def test_6_difficulty_filters_what_is_chosen_from_the_topics(tmp_path: Path) -> None:
    bank = load_banks()
    for chosen, allowed in (("1", {1}), ("2-3", {2, 3})):
        out = tmp_path / f"d{chosen}.html"
        result = run("worksheet", "--difficulty", chosen, "--count", "12", "--seed", "2", "-o", str(out))
        assert result.exit_code == 0, result.output
        for li in questions_of(parse(out)):
            qid = li.get("data-id") or ""
            level = difficulty_of(bank, qid)
            assert level in allowed, (qid, level)
    bad = run("worksheet", "--difficulty", "5", "-o", str(tmp_path / "x.html"))
    assert bad.exit_code == 2 and "--difficulty" in bad.output


def test_6_marks_per_question_and_the_total_on_sheet_and_key(tmp_path: Path) -> None:
    out = tmp_path / "sheet.html"
    assert run("worksheet", "--count", "6", "--marks", "2", "--seed", "3", "-o", str(out)).exit_code == 0
    document = parse(out)
    heads = [text_of(li.find(".//h:div[@class='head']", NS)) for li in questions_of(document)]  # type: ignore[arg-type]
    assert all(head.endswith("[2 marks]") for head in heads), heads
    assert "6 questions · 12 marks" in text_of(document) and "/ 12" in text_of(document)
    key = text_of(parse(tmp_path / "sheet-key.html"))
    assert "12 marks in total" in key and key.count("[2 marks]") == 6
    by_level = tmp_path / "level.html"
    assert (
        run(
            "worksheet", "--count", "8", "--marks", "difficulty", "--seed", "3", "-o", str(by_level)
        ).exit_code
        == 0
    )
    bank = load_banks()
    expected = 0
    for li in questions_of(parse(by_level)):
        level = difficulty_of(bank, li.get("data-id") or "")
        assert li.get("data-marks") == str(level)
        expected += level
    assert f"/ {expected}" in text_of(parse(by_level))
    assert run("worksheet", "--marks", "lots", "-o", str(tmp_path / "x.html")).exit_code == 2


def test_6_list_questions_prints_ids_types_difficulties_and_prompts() -> None:
    result = run("list", "--questions", "--topic", "he")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["id", "topic", "type", "d", "prompt"]
    bank = load_banks()
    he = [q for q in bank.questions if q.topic == "he"]
    rows = {line.split()[0]: line for line in lines[1:-1]}
    assert {q.id for q in he} <= set(rows)
    he01 = bank.get("he-01")
    assert re.search(rf"^he-01\s+he\s+choose one\s+{he01.difficulty}\s+\S", rows["he-01"])
    assert "he-normal" in rows and "generated" in rows["he-normal"]
    assert not any(row.split()[1] != "he" for row in rows.values())
    assert lines[-1].startswith(f"{len(he)} questions and ")
    assert run("list", "--topic", "he").exit_code == 2  # --topic belongs to --questions


# -- 7. the figure, referred to; Markdown options and figure ------------------------------------------


def test_7_the_figure_comes_with_a_question_about_it_keyed_from_the_simulation(tmp_path: Path) -> None:
    out = tmp_path / "sheet.html"
    args = ["worksheet", "--topic", "vanishing", "--figures", "--seed", "2", "--count", "6", "-o", str(out)]
    assert run(*args).exit_code == 0
    document = parse(out)
    items = list(document.iterfind(".//h:ol[@class='questions']/h:li", NS))
    assert len(questions_of(document)) == 6  # the figure's question is one of the --count
    at = next(n for n, li in enumerate(items) if "figure" in li.get("class", ""))
    after = items[at + 1]
    assert after.find(f".//{SVG}svg") is None and "Figure 1" in text_of(after)
    number = int(after.get("id", "q-0")[2:])
    entry = key_entries(parse(tmp_path / "sheet-key.html"))[number - 1]
    # He keeps a ReLU network's signal: ½ · n_in · 2/n_in = 1 per layer (He et al. 2015)
    assert re.match(rf"{number}\. \([a-e]\) He, ", text_of(entry))
    # the key quotes the simulation it was read from, and the values follow the theory: He keeps the
    # scale (factor 1 a layer), Xavier halves the second moment 14 times from layer 1 to 15 (std × 2^-7)
    he = re.search(r"He: (\d+(?:\.\d+)?) → (\d+(?:\.\d+)?)", text_of(entry))
    xavier = re.search(r"Xavier: (\d+(?:\.\d+)?) → (\d+(?:\.\d+)?)", text_of(entry))
    assert he and xavier, text_of(entry)
    assert 0.5 < float(he.group(2)) / float(he.group(1)) < 2
    assert 0.2 * 2**-7 < float(xavier.group(2)) / float(xavier.group(1)) < 5 * 2**-7
    from quizgen.figures import figure_question
    from quizgen.simulation import simulate

    question = figure_question(simulate(2), seed=2)
    assert set(question.claims) <= {c.id for c in BUILTIN_CLAIMS} and "he-relu-preserves" in question.claims


def test_7_the_figure_questions_key_follows_the_data() -> None:
    """Keyed from the simulation: with another series steadier, the key names it."""
    from quizgen.figures import figure_question
    from quizgen.simulation import Series

    flat = tuple(0.5 for _ in range(15))
    series = [
        Series("zero", "ReLU", tuple(0.0 for _ in range(15))),
        Series("too small (σ = 0.01)", "ReLU", tuple(0.1 * 0.2**n for n in range(15))),
        Series("too large (σ = 1)", "ReLU", tuple(10 * 11.0**n for n in range(15))),
        Series("Xavier", "ReLU", flat),
        Series("He", "ReLU", tuple(0.8 * 1.3**n for n in range(15))),
    ]
    question = figure_question(series, seed=0)
    assert isinstance(question, ChoiceQuestion)
    assert question.options[question.answer - 1].text.startswith("Xavier")


def test_7_markdown_options_print_as_lettered_boxes_and_the_figure_is_a_file_beside_it(
    tmp_path: Path,
) -> None:
    out = tmp_path / "sheet.md"
    args = ["worksheet", "--topic", "vanishing", "--figures", "--seed", "2", "--count", "6", "-o", str(out)]
    assert run(*args).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "○" not in text and "①" not in text and "☐" not in text
    assert re.search(r"^- \[ \] \*\*\(a\)\*\* \S", text, re.M) and re.search(
        r"^- \[ \] \*\*\(b\)\*\* ", text, re.M
    )
    (link,) = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert link == "sheet-figure-1.svg"
    svg = ET.parse(tmp_path / link).getroot()
    assert svg.tag == f"{SVG}svg" and svg.find(f"{SVG}title") is not None
    assert text.index("](sheet-figure-1.svg)") < text.index("In its ReLU panel")
    rendered = __import__("markdown_it").MarkdownIt("commonmark").render(text)
    assert '<img src="sheet-figure-1.svg"' in rendered


def test_a_drawn_seed_is_offered_only_for_sheets_that_were_written(tmp_path: Path) -> None:
    """ "use --seed N to make these sheets again" after an error would offer to remake nothing."""
    failed = CliRunner().invoke(main, ["worksheet", "--id", "no-such-id", "-o", str(tmp_path / "x.html")])
    assert failed.exit_code != 0 and "seed:" not in failed.output
    written = CliRunner().invoke(main, ["worksheet", "--count", "2", "-o", str(tmp_path / "y.html")])
    assert written.exit_code == 0 and re.search(r"seed: (\d+) \(use --seed \1 to make", written.output)
