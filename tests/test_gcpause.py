"""Loading and exporting pause the cyclic garbage collector; it is always back as the caller had it."""

from __future__ import annotations

import gc

import pytest

from quizgen import BankError, load_banks
from quizgen.exporters import FORMATS, build_export_set, export
from quizgen.gcpause import gc_paused

from .conftest import WriteBank


def test_loading_leaves_the_collector_on_even_after_an_error(write_bank: WriteBank) -> None:
    assert gc.isenabled()
    load_banks(cache=False)
    assert gc.isenabled()
    with pytest.raises(BankError):
        load_banks([write_bank("questions: [{id: x}]\n")], include_bundled=False, cache=False)
    assert gc.isenabled()


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_each_export_leaves_the_collector_on(fmt: str) -> None:
    data = build_export_set(load_banks(), variants=1, seed=1)
    assert export(fmt, data)
    assert gc.isenabled()


def test_a_collector_the_caller_turned_off_stays_off() -> None:
    gc.disable()
    try:
        load_banks(cache=False)
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
