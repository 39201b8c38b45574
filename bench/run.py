"""Run every benchmark once and write bench/RESULTS.md (medians, ratios to peers, the machine).

Run:  pip install -e '.[test,bench]' && python bench/run.py [--quick]

Each benchmark is a script in bench/ that prints its own figures (medians over
repeats, ratios to the peer tool measured in the same run where a peer runs
here). This runs them one after another in fresh processes, on one machine, and
collects what they print into one Markdown report with a summary of the targets.
`--quick` uses fewer repeats (for a smoke run; the report says so).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent

BENCHMARKS: list[tuple[str, str, list[str], list[str]]] = [
    # (title, script, arguments, quick arguments)
    ("Generator throughput", "generators.py", ["--repeats", "5"], ["--repeats", "3", "--seconds", "0.2"]),
    ("Drill start-up", "startup.py", ["--runs", "15"], ["--runs", "5"]),
    ("Worksheet rendering", "worksheets.py", ["--repeats", "3"], ["--repeats", "1"]),
    ("LMS exports", "exports.py", ["--repeats", "5"], ["--repeats", "1"]),
    ("Scale", "scale.py", ["--repeats", "3"], ["--repeats", "1"]),
]

TARGET = re.compile(r"(?m)^.*\b(?:meets|MISSES)\b.*$")


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{platform.system()} {platform.release()}, {platform.machine()}, {cpu}, {os.cpu_count()} cores{memory}; "
        f"{platform.python_implementation()} {platform.python_version()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    sections: list[str] = []
    verdicts: list[tuple[str, str]] = []
    started = time.perf_counter()
    for title, script, arguments, quick in BENCHMARKS:
        command = [sys.executable, str(HERE / script), *(quick if args.quick else arguments)]
        print(f"== {title}: {' '.join(command[1:])}", flush=True)
        result = subprocess.run(command, capture_output=True, text=True, env=env)
        output = result.stdout.strip() or "(no output)"
        if result.returncode != 0:
            output += f"\n\nexit code {result.returncode}\n{result.stderr.strip()[-2000:]}"
        print(output, flush=True)
        verdicts.extend((title, match.group(0).strip()) for match in TARGET.finditer(output))
        sections.append(
            f"## {title}\n\n`python bench/{script} {' '.join(arguments if not args.quick else quick)}`\n\n```\n{output}\n```\n"
        )
    elapsed = time.perf_counter() - started
    summary = "\n".join(f"| {title} | {line} |" for title, line in _dedupe(verdicts))
    report = (
        "# Benchmark results\n\n"
        f"Produced by one run of `python bench/run.py{' --quick' if args.quick else ''}` on "
        f"{datetime.datetime.now(datetime.UTC).strftime('%Y-%m-%d %H:%M UTC')} ({elapsed:.0f} s in all).\n\n"
        f"Machine: {machine()}. The machine is shared and noisy: figures are medians, and ratios compare tools "
        "measured in the same run.\n\n"
        "## Targets\n\n| benchmark | result |\n|---|---|\n"
        f"{summary}\n\n" + "\n".join(sections)
    )
    args.output.write_text(report, encoding="utf-8")
    print(f"wrote {args.output}")


def _dedupe(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    seen, result = set(), []
    for row in rows:
        if row not in seen:
            seen.add(row)
            result.append(row)
    return result


if __name__ == "__main__":
    main()
