"""The hang guard itself: one slow run is forgiven, three are not, and exceptions are timed too."""

from __future__ import annotations

import time

import pytest

from .timing import within


def test_a_single_stall_is_forgiven() -> None:
    delays = iter([0.05, 0.0])

    def action() -> str:
        time.sleep(next(delays))
        return "done"

    assert within(0.02, action) == "done"


def test_three_slow_runs_fail_with_the_best_time() -> None:
    with pytest.raises(AssertionError, match=r"s in the best of 3 runs \(limit 0.001 s\) for 'slow'"):
        within(0.001, lambda: time.sleep(0.01), "slow")


def test_a_slow_exception_is_not_a_pass() -> None:
    def refuse() -> None:
        time.sleep(0.01)
        raise ValueError("no")

    with pytest.raises(AssertionError, match="best of 3 runs"):
        within(0.001, refuse)
    with pytest.raises(ValueError, match="no"):
        within(1.0, refuse)
