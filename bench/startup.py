"""Drill start-up: time from launching `quizgen drill` to its first question on screen.

Run:  python bench/startup.py [--runs 15]

Launches the installed `quizgen` in a pseudo-terminal (pexpect) with a fresh
database each time and stops the clock when the answer prompt appears. Prints
the median and quartiles beside two floors measured the same way in the same
run: a bare `python -c` that prints a prompt (interpreter start-up), and
`quizgen --version` (the CLI without the drill). Then lists the imports that
cost most on the drill's path (`python -X importtime`). The target is 0.3 s.

Bytecode caching is left on for the children (PYTHONDONTWRITEBYTECODE removed),
as on a user's machine, and one warm-up run fills the caches.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pexpect

QUIZGEN = Path(sys.executable).parent / "quizgen"
PROMPT = "answer ("


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["NO_COLOR"] = "1"
    return env


def time_until(command: list[str], marker: str) -> float:
    started = time.perf_counter()
    child = pexpect.spawn(command[0], command[1:], env=child_env(), encoding="utf-8", timeout=30)
    child.expect_exact(marker)
    elapsed = time.perf_counter() - started
    child.terminate(force=True)
    return elapsed


def series(command_for_run: object, marker: str, runs: int) -> list[float]:
    return [time_until(command_for_run(n), marker) for n in range(runs)]  # type: ignore[operator]


def describe(name: str, times: list[float], floor: float | None = None) -> str:
    q1, median, q3 = statistics.quantiles(times, n=4)
    ratio = f"{median / floor:5.2f}x" if floor else "  1.00x"
    return f"{name:<34} {median * 1000:7.0f} ms   (IQR {q1 * 1000:.0f}-{q3 * 1000:.0f})   {ratio}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="quizgen-startup-"))

    def drill(n: int) -> list[str]:
        return [str(QUIZGEN), "drill", "--count", "1", "--seed", str(n), "--db", str(folder / f"run{n}.db")]

    time_until(drill(999), PROMPT)  # warm-up: bytecode caches
    python = series(lambda n: [sys.executable, "-c", "input('answer (')"], PROMPT, args.runs)
    version = series(lambda n: [str(QUIZGEN), "--version"], "version", args.runs)
    first = series(drill, PROMPT, args.runs)
    floor = statistics.median(python)
    print(f"# drill start-up, median of {args.runs} runs (ratio to the bare interpreter)")
    print(describe("python -c (interpreter floor)", python))
    print(describe("quizgen --version", version, floor))
    print(describe("quizgen drill: first question", first, floor))
    verdict = "meets" if statistics.median(first) <= 0.3 else "MISSES"
    print(f"target 300 ms: {verdict}")
    trace = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import quizgen.cli, quizgen.drill, quizgen.loader"],
        capture_output=True,
        text=True,
        env=child_env(),
        check=True,
    ).stderr.splitlines()
    costs = []
    for line in trace[1:]:
        parts = line.split("|")
        if len(parts) == 3:
            costs.append((int(parts[0].split(":")[1]), parts[2].strip()))
    print("\n# largest imports on the drill's path (self time)")
    for cost, module in sorted(costs, reverse=True)[:12]:
        print(f"{cost / 1000:7.1f} ms  {module}")


if __name__ == "__main__":
    main()
