"""Hang guards: a time limit far above the measured time, met by the best of three runs.

These checks catch hangs and blow-ups (an exponential backtrack, ``10**10**10`` actually
computed, a quadratic scan of a 10 MB string), not slowness: speed is measured in
``bench/``. A shared, noisy machine can stall any single run for a moment, so a check
fails only when three runs in a row are all over the limit; the action must be
repeatable (no side effects that change its result).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
TRIES = 3


def within(limit: float, action: Callable[[], T], what: object = None) -> T:
    """Run ``action`` (up to three times) and return its result or raise its exception;
    fail if no run beats ``limit`` seconds. A run that raises is timed like one that returns."""
    best = float("inf")
    for _ in range(TRIES):
        start = time.perf_counter()
        try:
            result = action()
        except Exception as exc:  # timed, then re-raised below
            error: Exception | None = exc
        else:
            error = None
        best = min(best, time.perf_counter() - start)
        if best < limit:
            if error is not None:
                raise error
            return result
    shown = "" if what is None else f" for {preview(what)}"
    raise AssertionError(f"{best:.3f} s in the best of {TRIES} runs (limit {limit} s){shown}")


def preview(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 200 else text[:200] + "..."
