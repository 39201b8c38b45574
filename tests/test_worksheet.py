"""Worksheets: structure (html5lib), escaping, versions and rosters, reproducibility, golden files."""

from __future__ import annotations

import os
import re
from pathlib import Path

import html5lib
import pytest
from click.testing import CliRunner, Result

from quizgen import load_banks
from quizgen.cli import main

from .conftest import WriteBank

GOLDEN = Path(__file__).parent / "golden"
NS = {"h": "http://www.w3.org/1999/xhtml", "m": "http://www.w3.org/1998/Math/MathML"}

HOSTILE = """
questions:
  - id: hostile-01
    type: choice
    topic: definition
    prompt: "Is <script>alert(1)</script> & {{ config }} safe? Also $a < b$ and ${{x}}$."
    options:
      - "<b>bold</b> & co"
      - "{% raw %}{{ x }}{% endraw %}"
    answer: 1
    shuffle: false
    explanation: "Text such as <script>alert(2)</script> & {{ secret }} is only text."
"""


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output, result.output
    return result


def parse(path: Path) -> object:
    return html5lib.parse(path.read_text(encoding="utf-8"), treebuilder="etree", namespaceHTMLElements=True)


def questions_of(document: object) -> list[object]:
    return [
        li
        for li in document.iterfind(".//h:ol[@class='questions']/h:li", NS)  # type: ignore[attr-defined]
        if "figure" not in li.get("class", "")
    ]


def test_html_structure(tmp_path: Path) -> None:
    out = tmp_path / "sheet.html"
    result = run("worksheet", "--seed", "11", "--count", "12", "-o", str(out))
    assert result.exit_code == 0
    document = parse(out)
    items = questions_of(document)
    assert len(items) == 12
    assert [li.get("id") for li in items] == [f"q-{n}" for n in range(1, 13)]  # type: ignore[attr-defined]
    assert document.find(".//h:script", NS) is None  # type: ignore[attr-defined]
    assert document.findall(".//m:math", NS)  # type: ignore[attr-defined]
    body = document.find("h:body", NS)  # type: ignore[attr-defined]
    children = [child.tag.split("}")[1] + "." + child.get("class", "") for child in body]
    assert children == ["main."]  # the key is in its own file
    key_document = parse(tmp_path / "sheet-key.html")
    key_items = key_document.findall(".//h:section[@class='key']//h:ol[@class='key-items']/h:li", NS)  # type: ignore[attr-defined]
    assert len(key_items) == 12
    inline = tmp_path / "inline.html"
    assert run("worksheet", "--seed", "11", "--count", "12", "--key-inline", "-o", str(inline)).exit_code == 0
    assert not (tmp_path / "inline-key.html").exists()
    inline_body = parse(inline).find("h:body", NS)  # type: ignore[attr-defined]
    children = [child.tag.split("}")[1] + "." + child.get("class", "") for child in inline_body]
    assert children == ["main.", "section.key"]  # asked for: the key follows the sheet
    css = document.find(".//h:style", NS).text  # type: ignore[attr-defined]
    assert re.search(r"section\.key \{ break-before: page; page-break-before: always; \}", css)
    assert "break-inside: avoid" in css and "@page { size: A4;" in css
    footer = "".join(body.find(".//h:footer", NS).itertext())
    assert "Version A" in footer and "seed" in footer and "--seed 11" in footer
    for li in items:  # answer space sized to the type
        kind = li.get("data-type")  # type: ignore[attr-defined]
        has_bubbles = li.find(".//h:span[@class='bubble']", NS) is not None  # type: ignore[attr-defined]
        has_box = li.find(".//h:span[@class='answer-box']", NS) is not None  # type: ignore[attr-defined]
        assert has_bubbles == (kind in ("choice", "multi", "true_false"))
        assert has_box == (kind in ("integer", "numeric"))


def test_no_network_needed(tmp_path: Path) -> None:
    out = tmp_path / "sheet.html"
    run("worksheet", "--seed", "2", "--figures", "--topic", "vanishing", "-o", str(out))
    text = out.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text)
    assert "@import" not in text and "<link" not in text


def test_bank_text_is_escaped_in_html_and_markdown(write_bank: WriteBank, tmp_path: Path) -> None:
    bank = write_bank(HOSTILE.replace('"{% raw %}{{ x }}{% endraw %}"', '"{{ x }}"'))
    # Every definition question, so the sheet holds the hostile one too.
    every = str(len(load_banks([bank]).by_topic("definition")))
    html_out, md_out = tmp_path / "s.html", tmp_path / "s.md"
    for out in (html_out, md_out):
        result = run(
            "--bank",
            str(bank),
            "worksheet",
            "--topic",
            "definition",
            "--source",
            "bank",
            "--count",
            every,
            "--seed",
            "1",
            "-o",
            str(out),
        )
        assert result.exit_code == 0, result.output
    html_key = tmp_path / "s-key.html"
    for path in (html_out, html_key):
        html_text = path.read_text(encoding="utf-8")
        assert "<script>" not in html_text and "<b>" not in html_text
        assert parse(path).find(".//h:script", NS) is None  # type: ignore[attr-defined]
    all_text = "".join(parse(html_out).itertext())  # type: ignore[attr-defined]
    assert "Is <script>alert(1)</script> & {{ config }} safe?" in all_text
    assert "<b>bold</b> & co" in all_text and "{{ x }}" in all_text
    key_text = "".join(parse(html_key).itertext())  # type: ignore[attr-defined]
    assert "Text such as <script>alert(2)</script> & {{ secret }} is only text." in key_text
    md_text = md_out.read_text(encoding="utf-8")
    assert "Is &lt;script&gt;alert(1)&lt;/script&gt; &amp; {{ config }} safe?" in md_text
    assert "$a \\lt  b$" in md_text or "$a \\lt b$" in md_text
    assert "<script>" not in md_text


def test_markdown_sheet_with_key_file_key_section_or_named_key_file(tmp_path: Path) -> None:
    out = tmp_path / "sheet.md"
    run("worksheet", "--seed", "3", "--count", "5", "-o", str(out))
    text = out.read_text(encoding="utf-8")
    assert text.count("\n### ") == 5 and "Answer key" not in text
    assert "$" in text  # maths stays as $...$
    assert (tmp_path / "sheet-key.md").read_text(encoding="utf-8").count("\n1. **") == 1
    inline = tmp_path / "inline.md"
    run("worksheet", "--seed", "3", "--count", "5", "--key-inline", "-o", str(inline))
    assert "\n## Answer key · Version A" in inline.read_text(encoding="utf-8")
    assert not (tmp_path / "inline-key.md").exists()
    separate = tmp_path / "alone.md"
    key = tmp_path / "alone-key.md"
    run("worksheet", "--seed", "3", "--count", "5", "-o", str(separate), "--key-file", str(key))
    assert "Answer key" not in separate.read_text(encoding="utf-8")
    assert key.read_text(encoding="utf-8").count("**") >= 10


def test_same_seed_same_bytes_other_seed_other_variants(tmp_path: Path) -> None:
    paths = [tmp_path / f"{n}.html" for n in range(3)]
    for path, seed in zip(paths, ("21", "21", "22"), strict=True):
        run("worksheet", "--seed", seed, "--count", "10", "--figures", "-o", str(path))
    assert paths[0].read_bytes() == paths[1].read_bytes()
    assert paths[0].read_bytes() != paths[2].read_bytes()


def test_versions_cover_the_same_skills_with_other_variants(tmp_path: Path) -> None:
    result = run("worksheet", "--seed", "4", "--count", "10", "--versions", "3", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == [f"{kind}-{v}.html" for kind in ("key", "sheet") for v in "ABC"]
    skills, prompts = [], []
    for version in "ABC":
        items = questions_of(parse(tmp_path / "out" / f"sheet-{version}.html"))
        ids = [li.get("data-id") for li in items]  # type: ignore[attr-defined]
        skills.append([re.sub(r"-[0-9a-f]{8}$", "", i) for i in ids])  # a variant id names its generator
        prompts.append(["".join(li.itertext()) for li in items])  # type: ignore[attr-defined]
    assert skills[0] == skills[1] == skills[2]
    assert prompts[0] != prompts[1] != prompts[2]


def test_a_roster_of_thirty_gives_thirty_distinct_sheets(tmp_path: Path) -> None:
    roster = tmp_path / "class.csv"
    roster.write_text("name\n" + "".join(f"Student {n}\n" for n in range(30)), encoding="utf-8")
    out = tmp_path / "sheets"
    assert (
        run("worksheet", "--seed", "1", "--count", "20", "--roster", str(roster), "-o", str(out)).exit_code
        == 0
    )
    sheets = sorted(out.glob("sheet-*.html"))
    assert len(sheets) == 30 and len({p.read_bytes() for p in sheets}) == 30
    assert [p.name for p in out.glob("key*.html")] == ["key.html"]


def test_roster_one_sheet_per_student_and_one_key(tmp_path: Path) -> None:
    roster = tmp_path / "students.csv"
    roster.write_text("name,id\nAda Lovelace,s1\nAlan Turing,s2\nGrace Hopper,\n", encoding="utf-8")
    out = tmp_path / "sheets"
    result = run("worksheet", "--seed", "9", "--count", "6", "--roster", str(roster), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "key.html",
        "sheet-grace-hopper.html",
        "sheet-s1.html",
        "sheet-s2.html",
    ]
    ada = (out / "sheet-s1.html").read_text(encoding="utf-8")
    assert "Ada Lovelace (s1)" in ada
    key_text = "".join(parse(out / "key.html").itertext())  # type: ignore[attr-defined]
    for student in ("Ada Lovelace (s1)", "Alan Turing (s2)", "Grace Hopper"):
        assert f"Answer key · {student}" in key_text
    again = tmp_path / "again"
    run("worksheet", "--seed", "9", "--count", "6", "--roster", str(roster), "-o", str(again))
    assert (again / "sheet-s1.html").read_bytes() == ada.encode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("student,number\nAda,1\n", "students.csv:1: the roster needs a `name` column"),
        ("name,id\nAda,1\nAda,1\n", "students.csv:3: Ada (1) is listed twice"),
        ("name\n", "the roster lists no students"),
    ],
)
def test_bad_rosters(tmp_path: Path, content: str, message: str) -> None:
    roster = tmp_path / "students.csv"
    roster.write_text(content, encoding="utf-8")
    result = run("worksheet", "--roster", str(roster), "-o", str(tmp_path / "out"), "--seed", "1")
    assert result.exit_code == 1
    assert message in result.output


def test_figure_only_on_vanishing_or_exploding_sheets(tmp_path: Path) -> None:
    with_figure, without = tmp_path / "a.html", tmp_path / "b.html"
    run("worksheet", "--seed", "1", "--topic", "exploding", "--figures", "-o", str(with_figure))
    run("worksheet", "--seed", "1", "--topic", "he", "--figures", "-o", str(without))
    svg = parse(with_figure).findall(".//{http://www.w3.org/2000/svg}svg")  # type: ignore[attr-defined]
    assert len(svg) == 1
    assert "<svg" not in without.read_text(encoding="utf-8")


def test_usage_errors(tmp_path: Path) -> None:
    assert run("worksheet", "--versions", "2", "--roster", __file__, "-o", str(tmp_path)).exit_code == 2
    assert run("worksheet", "--topic", "xavir", "-o", str(tmp_path / "x.html")).exit_code == 2
    assert run("worksheet").exit_code == 2  # -o is required
    key_twice = run("worksheet", "--key-inline", "--key-file", "k.html", "-o", str(tmp_path / "x.html"))
    assert key_twice.exit_code == 2 and "--key-file or --key-inline, not both" in key_twice.output


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_golden_sheets(tmp_path: Path, fmt: str) -> None:
    """Exact output for one sheet; after a deliberate change: UPDATE_GOLDEN=1 pytest tests/test_worksheet.py."""
    out = tmp_path / f"sheet.{fmt}"
    run(
        "worksheet",
        "--seed",
        "2026",
        "--count",
        "8",
        "--topic",
        "layer-size",
        "--topic",
        "xavier-uniform",
        "-o",
        str(out),
    )
    for name in (f"sheet.{fmt}", f"sheet-key.{fmt}"):  # the sheet, and its key beside it
        golden = GOLDEN / name
        if os.environ.get("UPDATE_GOLDEN") == "1":
            golden.write_bytes((tmp_path / name).read_bytes())
        assert (tmp_path / name).read_text(encoding="utf-8") == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('name;id\nJosé Ñúñez;s1\n"Lee; Ann";s2\n', [("José Ñúñez", "s1"), ("Lee; Ann", "s2")]),
        ("name\tid\nAnn\t7\n", [("Ann", "7")]),
        ('"Surname; first",name,id\nx,Bo,1\n', [("Bo", "1")]),  # a ; inside quotes is not the separator
        ("\ufeffname,id\nAnn,1\n", [("Ann", "1")]),
    ],
)
def test_rosters_separated_as_spreadsheets_save_them(tmp_path: Path, content: str, expected: list) -> None:
    """Excel saves CSV with semicolons where the decimal mark is a comma (much of Europe)."""
    from quizgen.worksheet import read_roster

    roster = tmp_path / "class.csv"
    roster.write_text(content, encoding="utf-8")
    assert [(s.name, s.id) for s in read_roster(roster)] == expected
