"""Time limits that follow each test (issue 16), loaded by tests/conftest.py as a plugin.

pytest-timeout gives every test the limit of pyproject.toml (300 s) or its own
``@pytest.mark.timeout(seconds)``; pytest's faulthandler watchdog is the backstop for a hang inside
one C call that holds the GIL, which pytest-timeout's timer thread cannot interrupt. That backstop
has one setting for the whole run (``faulthandler_timeout``, 330 s). Two additions here:

- the backstop follows a test's own marker: at ``limit + BACKSTOP_MARGIN`` seconds (when that is
  sooner than the ini setting) the watchdog dumps every thread's stack and ends the run, so a test
  marked ``timeout(5)`` that hangs in C fails within seconds, not after five and a half minutes;
- a Hypothesis test without a marker gets one: HYPOTHESIS_LIMIT seconds (its slowest test takes a few
  seconds), scaled by the profile's examples (``HYPOTHESIS_PROFILE=long`` runs 33 times as many).

Both only ever shorten a limit pyproject.toml sets; neither changes what a test checks.
"""

from __future__ import annotations

import faulthandler
import os
import sys
from collections.abc import Generator

import pytest

BACKSTOP_MARGIN = 10.0
"""Seconds between a marked test's limit (pytest-timeout's stack dump) and the watchdog's exit."""
HYPOTHESIS_LIMIT = 120.0
"""Seconds for a Hypothesis test under the default profile's 150 examples."""
HYPOTHESIS_EXAMPLES = 150

_STDERR = pytest.StashKey[int]()


def marked_limit(item: pytest.Item) -> float | None:
    """The seconds of the test's own ``timeout`` marker (``timeout(5)`` or ``timeout(timeout=5)``)."""
    marker = item.get_closest_marker("timeout")
    if marker is None:
        return None
    value = marker.args[0] if marker.args else marker.kwargs.get("timeout")
    return None if value is None else float(value)


def pytest_configure(config: pytest.Config) -> None:
    # The watchdog writes to the standard error pytest started with, as pytest's own faulthandler
    # plugin does (the test's captured one is lost when the process exits).
    try:
        fileno = sys.stderr.fileno()
    except (AttributeError, ValueError):  # a replaced stderr (pytest-xdist)
        assert sys.__stderr__ is not None
        fileno = sys.__stderr__.fileno()
    config.stash[_STDERR] = os.dup(fileno)


def pytest_unconfigure(config: pytest.Config) -> None:
    if _STDERR in config.stash:
        os.close(config.stash[_STDERR])
        del config.stash[_STDERR]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    from hypothesis import settings

    examples = settings().max_examples  # the loaded profile's
    for item in items:
        function = getattr(item, "obj", None)
        if marked_limit(item) is None and getattr(function, "is_hypothesis_test", False):
            scale = max(1.0, examples / HYPOTHESIS_EXAMPLES)
            item.add_marker(pytest.mark.timeout(HYPOTHESIS_LIMIT * scale))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    # Inside pytest's faulthandler wrapper (which arms the ini setting for the whole test and
    # cancels the watchdog when the test ends): re-arm it sooner for a marked test.
    limit = marked_limit(item)
    backstop = float(item.config.getini("faulthandler_timeout") or 0)
    if limit is not None and limit > 0 and backstop > 0 and limit + BACKSTOP_MARGIN < backstop:
        faulthandler.dump_traceback_later(
            limit + BACKSTOP_MARGIN,
            file=item.config.stash[_STDERR],
            exit=bool(item.config.getini("faulthandler_exit_on_timeout")),
        )
    return (yield)
