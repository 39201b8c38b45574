"""`quizgen export --format html` without a browser: bad input gets one line, the page is data-safe,
deterministic and self-contained, and `--check` reads it back."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

import pytest
from click.testing import CliRunner

from quizgen.cli import main
from quizgen.exporters import ExportSet, export
from quizgen.exporters.check import ExportReadError
from quizgen.exporters.page import PageError, page_document, read_back, render_page
from quizgen.models import _QuestionBase

from .conftest import WriteBank

ONLY_A_TEMPLATE = """
topics:
  - {id: lonely, title: Lonely, description: A template and nothing else.}
templates:
  - id: lonely-sum
    type: integer
    topic: lonely
    title: A sum
    params:
      a: {choices: [1, 2]}
    prompt: 'What is {a} + 1 (an integer)?'
    answer: a + 1
    explanation: 'It is {a} + 1.'
"""


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.mark.parametrize("fmt", ["html", "scorm"])
def test_an_empty_selection_is_one_line_and_writes_nothing(
    fmt: str, write_bank: WriteBank, tmp_path: Path
) -> None:
    bank = write_bank(ONLY_A_TEMPLATE)
    out = tmp_path / "page.out"
    code, output = run(
        "--bank", str(bank), "export", "--format", fmt, "--topic", "lonely", "--variants", "0", "-o", str(out)
    )
    assert code == 1
    assert output == "Error: nothing to export: no question or generator matches --topic\n"
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--format", "moodle", "--pass-mark", "80"],
            "--pass-mark applies to --format html or scorm, not moodle",
        ),
        (["--format", "gift", "--mode", "quiz"], "--mode applies to --format html or scorm, not gift"),
        (["--format", "html", "--pass-mark", "120"], "120 is not in the range 0<=x<=100"),
        (["--format", "html", "--mode", "exam"], "'exam' is not one of 'drill', 'quiz'"),
    ],
)
def test_page_options_are_checked(args: list[str], message: str, tmp_path: Path) -> None:
    code, output = run("export", *args, "-o", str(tmp_path / "x"))
    assert code == 2
    assert message in output
    assert "Traceback" not in output


class _Matrix(_QuestionBase):
    """A question type the page does not know (built without validation, as a future type would be)."""

    type: Literal["matrix"] = "matrix"


def test_a_question_the_page_cannot_show_is_named_in_one_line() -> None:
    strange = _Matrix.model_construct(id="odd-01", topic="he", prompt="Fill the matrix.", explanation="…")
    data = ExportSet(title="t", questions=[strange], groups=[], topics={})  # type: ignore[list-item]
    with pytest.raises(PageError) as caught:
        render_page(data)
    assert str(caught.value) == (
        "question 'odd-01' is a 'matrix' question, which the practice page cannot show; "
        "leave it out with --topic, or export it in another format"
    )


def test_the_page_is_self_contained_deterministic_and_escapes_bank_text(
    write_bank: WriteBank, tmp_path: Path
) -> None:
    bank = write_bank(
        """
        topics:
          - {id: hostile, title: '</script><script>alert(1)</script>', description: x}
        questions:
          - id: hostile-01
            type: text
            topic: hostile
            prompt: 'Close it: </script><img src=x onerror=alert(1)> <!-- and -->'
            answer: '</script>'
            explanation: '<iframe src="https://example.com"></iframe>'
        """
    )
    pages = []
    for name in ("a.html", "b.html"):
        code, output = run(
            "--bank",
            str(bank),
            "export",
            "--format",
            "html",
            "--topic",
            "hostile",
            "-o",
            str(tmp_path / name),
        )
        assert code == 0, output
        pages.append((tmp_path / name).read_bytes())
    assert pages[0] == pages[1]  # the same set gives the same bytes
    html = pages[0].decode("utf-8")
    # bank text never reaches the markup as markup: only quizgen's own elements, and no address at all
    assert re.findall(r"<(script|iframe|img)\b[^>]*>", html) == ["script", "script", "script", "script"]
    assert "https://" not in html and "http://" not in html.replace("http://www.w3.org", "")
    assert "default-src 'none'" in html  # nothing may be fetched, whatever the page holds
    document = page_document(html)
    view = document["skills"][0]["variants"][0]
    assert "&lt;/script&gt;" in view["prompt"] and "<img" not in view["prompt"]
    assert "<iframe" not in view["explanation"]


def test_check_reads_the_page_back(tmp_path: Path) -> None:
    out = tmp_path / "p.html"
    code, output = run(
        "export", "--format", "html", "--topic", "layer-size", "--variants", "2", "-o", str(out), "--check"
    )
    assert code == 0, output
    counts = dict(re.findall(r"^  (\w+)\s+(\d+)$", output, re.MULTILINE))
    assert counts and all(int(n) > 0 for n in counts.values())


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"<html>not a page</html>", "it is not a quizgen practice page"),
        (
            b'<script type="application/json" id="quizgen-data">'
            b'{"format":1,"skills":[{"id":"x","count":1,"packed":"bm90IGd6aXA="}]}</script>',
            "cannot be read",
        ),
        (b'<script type="application/json" id="quizgen-data">{"format":1,</script>', "cannot be read"),
        (b'<script type="application/json" id="quizgen-data">{"format":0}</script>', "is format 0, not 1"),
        (b"\xff\xfe", "not UTF-8"),
    ],
)
def test_a_damaged_page_is_refused_in_one_line(raw: bytes, message: str) -> None:
    with pytest.raises(ExportReadError) as caught:
        read_back(raw)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_export_registry_builds_the_page(tmp_path: Path) -> None:
    from quizgen import load_banks
    from quizgen.exporters import build_export_set

    data = build_export_set(load_banks(), topics=["he"], variants=1)
    assert export("html", data).startswith(b"<!DOCTYPE html>")


def test_a_bank_question_of_an_unknown_type_is_named_before_any_page_is_written(
    write_bank: WriteBank, tmp_path: Path
) -> None:
    bank = write_bank(
        """
        questions:
          - id: odd-01
            type: matrix
            topic: he
            prompt: Fill the matrix.
            explanation: x
        """
    )
    out = tmp_path / "page.html"
    code, output = run("--bank", str(bank), "export", "--format", "html", "-o", str(out))
    assert code == 1
    assert f"{bank}:3: odd-01: unknown type 'matrix'" in output
    assert "Traceback" not in output and not out.exists()
