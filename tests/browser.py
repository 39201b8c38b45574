"""A real browser for the practice page's tests: Debian's Chromium driven by Playwright for Python.

Skipped with a reason when Chromium or Playwright is absent; ``.ci/run`` installs both and sets
QUIZGEN_REQUIRE_CHROMIUM=1, which turns the skip into a failure. The npm tools written by others
(scorm-again as the LMS, axe-core for accessibility) live in ``tests/npm/`` (installed by ``.ci/run``;
QUIZGEN_REQUIRE_NPM_TOOLS=1 turns their absence into a failure too).
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

NPM = Path(__file__).parent / "npm" / "node_modules"


def _missing(what: str, variable: str, how: str) -> None:
    if os.environ.get(variable) == "1":
        pytest.fail(f"{variable}=1 but {what} is missing ({how})")
    pytest.skip(f"{what} is missing ({how}); .ci/run installs it")


def chromium_path() -> str:
    """Debian's Chromium, or a skip (a failure under QUIZGEN_REQUIRE_CHROMIUM=1)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        _missing("Chromium", "QUIZGEN_REQUIRE_CHROMIUM", "apt-get install chromium")
    assert found is not None
    return found


def npm_file(relative: str) -> Path:
    """A file of an npm tool in tests/npm/node_modules, or a skip (failure under QUIZGEN_REQUIRE_NPM_TOOLS=1)."""
    path = NPM / relative
    if not path.is_file():
        _missing(
            f"tests/npm/node_modules/{relative}",
            "QUIZGEN_REQUIRE_NPM_TOOLS",
            "npm install --prefix tests/npm",
        )
    return path


def launch(playwright: Any) -> Any:
    """Headless Chromium (the system's, not a downloaded one)."""
    return playwright.chromium.launch(
        executable_path=chromium_path(), args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
    )


def sync_playwright() -> Any:
    try:
        from playwright.sync_api import sync_playwright as start
    except ImportError:
        _missing("Playwright for Python", "QUIZGEN_REQUIRE_CHROMIUM", "pip install playwright")
    return start()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """A local web server over ``folder`` (an LMS serves a SCORM package over http, not file://);
    yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
