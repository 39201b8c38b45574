"""The library never toggles the garbage collector or writes to the user's cache unless asked.

A server may call `load_banks` and the exporters from several threads at once: a global
switch flipped inside a library call would race. The CLI (one thread) pauses the
collector around its own bulk work with `gc_paused`.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from quizgen import BankError, load_banks
from quizgen.exporters import FORMATS, build_export_set, export
from quizgen.gcpause import gc_paused

from .conftest import WriteBank


@pytest.fixture
def gc_untouchable(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    def refuse() -> None:
        raise AssertionError("a library call switched the garbage collector")

    monkeypatch.setattr(gc, "disable", refuse)
    monkeypatch.setattr(gc, "enable", refuse)
    yield


def test_loading_never_switches_the_collector(gc_untouchable: None, write_bank: WriteBank) -> None:
    load_banks()
    with pytest.raises(BankError):
        load_banks([write_bank("questions: [{id: x}]\n")], include_bundled=False)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_no_export_switches_the_collector(fmt: str, gc_untouchable: None) -> None:
    assert export(fmt, build_export_set(load_banks(), variants=1, seed=1))


def test_loading_writes_no_cache_unless_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZGEN_CACHE_DIR", str(tmp_path / "cache"))
    load_banks()
    assert not (tmp_path / "cache").exists()
    load_banks(cache=True)
    assert [p.name.startswith("banks-") for p in (tmp_path / "cache").iterdir()] == [True]


def test_a_collector_the_caller_turned_off_stays_off() -> None:
    gc.disable()
    try:
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_collector_is_paused_inside_and_back_after_an_exception() -> None:
    with pytest.raises(ValueError, match="inside"), gc_paused():
        assert not gc.isenabled()
        raise ValueError("inside")
    assert gc.isenabled()
