"""Issue 16: every test has a hard time limit (pytest-timeout, configured in pyproject.toml).

A test that hangs must fail within its limit. In Python code, pytest-timeout's ``thread``
method stops it at the limit: it prints every thread's stack and ends the run. Inside one C
call that holds the GIL (``9 ** 9 ** 9`` is one multiplication loop in C) no Python thread can
run, so pytest's faulthandler watchdog (a C thread) is the backstop: it dumps the stacks and
exits the process at ``faulthandler_timeout``. Each check runs pytest in a subprocess, with the
project's pyproject.toml, on a small generated test file; the limits are lowered with ``-o`` where
CI's own (minutes) cannot be waited for.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

from .timelimits import BACKSTOP_MARGIN, HYPOTHESIS_LIMIT

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "pyproject.toml"
LIMIT = 2  # seconds: the limit given to the generated tests
SLACK = 15  # seconds: pytest's start-up and the stack dump on a loaded, shared machine


def run_pytest(
    folder: Path, source: str, *options: str, plugin: bool = False
) -> tuple[subprocess.CompletedProcess[str], float]:
    """pytest on ``source`` (written to folder/test_generated.py) with the project's pyproject.toml,
    and with the suite's own time-limit plugin (tests/timelimits.py) when ``plugin``."""
    test = folder / "test_generated.py"
    test.write_text(source)
    command = [sys.executable, "-m", "pytest", "-c", str(CONFIG), "--rootdir", str(folder)]
    command += ["-p", "no:cacheprovider", "-q", *options, str(test)]
    environment = dict(os.environ)
    if plugin:
        command[3:3] = ["-p", "tests.timelimits"]
        environment["PYTHONPATH"] = os.pathsep.join(
            [str(ROOT), *filter(None, [environment.get("PYTHONPATH")])]
        )
    started = time.monotonic()
    # The outer timeout only stops this test from hanging if the limit under test does not work.
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=120, env=environment)
    return done, time.monotonic() - started


def assert_timed_out(
    done: subprocess.CompletedProcess[str],
    seconds: float,
    function: str,
    limit: float,
    banner: str,
    stream: str,
) -> None:
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    shown = done.stdout if stream == "stdout" else done.stderr
    assert banner in shown, output
    assert f"in {function}" in shown, output  # the hanging test's frame in the stack dump
    assert "passed" not in done.stdout, output
    assert seconds < limit + SLACK, f"ended after {seconds:.1f} s; limit {limit} s"
    assert seconds >= limit, f"ended after {seconds:.1f} s, before the {limit} s limit: not by the timeout"


def test_the_suite_configures_a_thread_timeout_for_every_test() -> None:
    options = tomllib.loads(CONFIG.read_text())["tool"]["pytest"]["ini_options"]
    assert options["timeout"] == 300
    assert options["timeout_method"] == "thread"
    assert options["faulthandler_timeout"] == 330
    assert options["faulthandler_exit_on_timeout"] is True


def test_a_test_looping_forever_fails_at_the_configured_limit(tmp_path: Path) -> None:
    """No marker: the limit comes from the ini option (here lowered to LIMIT, as CI's cannot be waited for)."""
    source = "def test_loops_forever():\n    while True:\n        pass\n"
    done, seconds = run_pytest(tmp_path, source, "-o", f"timeout={LIMIT}")
    # pytest-timeout's thread method: a "+++ Timeout +++" banner, then the stacks, on pytest's terminal
    assert_timed_out(done, seconds, "test_loops_forever", LIMIT, "+ Timeout +", "stdout")


def test_a_test_sleeping_fails_at_its_marked_limit(tmp_path: Path) -> None:
    """The way a hang test declares its own, tighter limit."""
    source = (
        "import time\n\nimport pytest\n\n\n"
        f"@pytest.mark.timeout({LIMIT})\n"
        "def test_sleeps():\n"
        "    time.sleep(3600)\n"
    )
    done, seconds = run_pytest(tmp_path, source)
    assert_timed_out(done, seconds, "test_sleeps", LIMIT, "+ Timeout +", "stdout")


def test_a_test_hanging_inside_one_c_call_is_ended_by_the_backstop(tmp_path: Path) -> None:
    """``9 ** 9 ** 9`` never returns to the interpreter: pytest-timeout's thread cannot run; faulthandler can."""
    source = "def test_huge_power():\n    exponent = 9 ** 9\n    assert 9 ** exponent > 0\n"
    backstop = LIMIT + 2
    done, seconds = run_pytest(
        tmp_path, source, "-o", f"timeout={LIMIT}", "-o", f"faulthandler_timeout={backstop}"
    )
    # faulthandler's "Timeout (0:00:04)!" and the stacks, on the standard error pytest started with
    assert_timed_out(done, seconds, "test_huge_power", backstop, f"Timeout (0:00:0{backstop})!", "stderr")


# A test marked with its own limit that hangs inside one C call (no Python thread can run meanwhile).
MARKED_C_HANG = (
    "import pytest\n\n\n"
    f"@pytest.mark.timeout({LIMIT})\n"
    "def test_huge_power():\n"
    "    exponent = 9 ** 9\n"
    "    assert 9 ** exponent > 0\n"
)


def test_the_backstop_follows_a_tests_own_limit(tmp_path: Path) -> None:
    """A test marked ``timeout(2)`` hanging in one C call ends at 2 + BACKSTOP_MARGIN seconds, not at
    the ini's 330 s: the suite's plugin re-arms faulthandler's watchdog for the test's own limit."""
    source = MARKED_C_HANG
    backstop = LIMIT + BACKSTOP_MARGIN
    done, seconds = run_pytest(tmp_path, source, plugin=True)
    assert_timed_out(
        done, seconds, "test_huge_power", backstop, f"Timeout (0:00:{backstop:02.0f})!", "stderr"
    )


def test_without_the_plugin_the_backstop_is_the_ini_setting(tmp_path: Path) -> None:
    """The same test without the plugin is still running after 2 + BACKSTOP_MARGIN + 5 seconds."""
    source = MARKED_C_HANG
    with pytest.raises(subprocess.TimeoutExpired):
        test = tmp_path / "test_generated.py"
        test.write_text(source)
        command = [sys.executable, "-m", "pytest", "-c", str(CONFIG), "--rootdir", str(tmp_path)]
        subprocess.run(
            [*command, "-p", "no:cacheprovider", "-q", str(test)],
            cwd=tmp_path,
            capture_output=True,
            timeout=LIMIT + BACKSTOP_MARGIN + 5,
        )


@pytest.mark.parametrize(("examples", "limit"), [(100, HYPOTHESIS_LIMIT), (1500, HYPOTHESIS_LIMIT * 10)])
def test_a_hypothesis_test_gets_a_limit_scaled_by_its_examples(
    tmp_path: Path, examples: int, limit: float
) -> None:
    source = (
        "import pytest\n"
        "from hypothesis import given, settings, strategies as st\n\n"
        f"settings.register_profile('generated', max_examples={examples})\n"
        "settings.load_profile('generated')\n\n\n"
        "@given(st.integers())\n"
        "def test_property(n):\n"
        "    pass\n\n\n"
        "@pytest.mark.timeout(7)\n"
        "@given(st.integers())\n"
        "def test_marked_property(n):\n"
        "    pass\n\n\n"
        "def test_limits(request):\n"
        "    limits = {item.name: item.get_closest_marker('timeout') for item in request.session.items}\n"
        f"    assert limits['test_property'].args == ({limit!r},)\n"
        "    assert limits['test_marked_property'].args == (7,)  # its own marker is kept\n"
        "    assert limits['test_limits'] is None  # not a Hypothesis test: the ini's limit\n"
    )
    done, _ = run_pytest(tmp_path, source, plugin=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 passed" in done.stdout


def test_a_test_within_its_limit_passes(tmp_path: Path) -> None:
    source = (
        "import time\n\nimport pytest\n\n\n"
        f"@pytest.mark.timeout({LIMIT + 3})\n"
        "def test_quick():\n"
        "    time.sleep(0.2)\n"
    )
    done, _ = run_pytest(tmp_path, source)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout


@pytest.mark.timeout(LIMIT + 3)
def test_the_marker_is_known_to_this_suite() -> None:
    """--strict-markers is on: the timeout marker must be registered (pytest-timeout installed)."""
