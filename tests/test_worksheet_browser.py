"""A real browser prints a worksheet: Debian's headless Chromium, PDF page count, and a PNG artefact.

Skipped with a reason when Chromium is absent; .ci/run installs it and sets
QUIZGEN_REQUIRE_CHROMIUM=1, which turns the skip into a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from quizgen.cli import main

ARTIFACTS = Path(__file__).parent.parent / "test-artifacts"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
]


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("QUIZGEN_REQUIRE_CHROMIUM") == "1":
            pytest.fail("QUIZGEN_REQUIRE_CHROMIUM=1 but chromium is not installed")
        pytest.skip("Chromium is not installed (apt-get install chromium); .ci/run installs it")
    return found


def browse(tmp_path: Path, page: Path, *options: str) -> None:
    command = [chromium(), *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *options, page.as_uri()]
    subprocess.run(command, check=True, capture_output=True, timeout=120)


def print_pdf(tmp_path: Path, page: Path) -> list[str]:
    """Chromium prints ``page`` to PDF; the text of each printed page."""
    from pypdf import PdfReader

    pdf = page.with_suffix(".pdf")
    browse(tmp_path, page, f"--print-to-pdf={pdf}")
    return [p.extract_text() for p in PdfReader(pdf).pages]


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_chromium_prints_an_inline_key_on_pages_of_its_own(tmp_path: Path, paper: str) -> None:
    """--key-inline: one file to print, the key starting on a page of its own after the sheet."""
    from pypdf import PdfReader

    page = tmp_path / "sheet.html"
    result = CliRunner().invoke(
        main,
        [
            "worksheet",
            "--seed",
            "5",
            "--count",
            "12",
            "--figures",
            "--topic",
            "vanishing",
            "--topic",
            "he",
            "--paper",
            paper,
            "--key-inline",
            "-o",
            str(page),
        ],
    )
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "sheet.pdf"
    browse(tmp_path, page, f"--print-to-pdf={pdf}")
    reader = PdfReader(pdf)
    texts = [p.extract_text() for p in reader.pages]
    assert len(texts) > 1
    key_pages = [n for n, text in enumerate(texts) if "Answer key" in text]
    assert key_pages, "the key was not printed"
    first_key = key_pages[0]
    assert first_key > 0 and "Answer key" in texts[first_key].lstrip()[:40]  # the key starts a page
    assert not any("Answer key" in text for text in texts[:first_key])
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    expected = (595, 842) if paper == "a4" else (612, 792)  # points
    assert (round(width), round(height)) == expected
    if paper == "a4":
        ARTIFACTS.mkdir(exist_ok=True)
        shutil.copy(pdf, ARTIFACTS / "worksheet.pdf")
        screenshot = ARTIFACTS / "worksheet.png"
        browse(tmp_path, page, f"--screenshot={screenshot}", "--window-size=1000,1600")
        assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
