"""Shared fixtures: temporary bank folders and a home that no test can touch."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

# `HYPOTHESIS_PROFILE=long pytest` runs the property tests much harder than CI does.
settings.register_profile("default", max_examples=150, deadline=None)
settings.register_profile("long", max_examples=5000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# The faulthandler backstop follows each test's own time limit; Hypothesis tests get one (issue 16).
pytest_plugins = ["tests.timelimits"]

WriteBank = Callable[..., Path]


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point HOME and the XDG folders at a temporary directory for every test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.delenv("QUIZGEN_DB", raising=False)
    monkeypatch.delenv("QUIZGEN_CACHE_DIR", raising=False)


@pytest.fixture
def bank_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "banks"
    folder.mkdir()
    return folder


@pytest.fixture
def write_bank(bank_dir: Path) -> WriteBank:
    """Write a bank file from (dedented) YAML text and return its path."""

    def write(text: str, name: str = "bank.yaml") -> Path:
        path = bank_dir / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write


VALID_CHOICE = """
questions:
  - id: q-01
    type: choice
    topic: xavier
    prompt: "In Xavier initialisation, Var(W) is?"
    options:
      - "2/(n_in + n_out)"
      - text: "2/(n_in * n_out)"
        misconception: product-for-sum
        feedback: "Xavier uses the sum of the fans."
      - "1/(n_in + n_out)"
    answer: 1
    explanation: "Var(W) = 2/(n_in + n_out) balances the forward and backward passes."
"""


def torch_or_skip() -> Any:
    """torch, or a skip with the reason; under QUIZGEN_REQUIRE_TORCH=1 (set by .ci/run) a failure."""
    try:
        import torch
    except ImportError:
        if os.environ.get("QUIZGEN_REQUIRE_TORCH") == "1":
            pytest.fail("QUIZGEN_REQUIRE_TORCH=1 but PyTorch is not installed")
        pytest.skip("PyTorch is not installed; .ci/run installs the CPU build (pip install torch==2.13.0)")
    return torch


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session's browser tests (see tests/browser.py)."""
    from .browser import launch, sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page in a fresh context (its own localStorage), closed after the test."""
    context = browser.new_context()
    tab = context.new_page()
    yield tab
    context.close()
