"""Run every benchmark once and write bench/RESULTS.md: whole commands against their peers, then in-process stages.

Run:  source /work/venv/bin/activate && python bench/run.py [--quick] [--no-in-process]

The headline is whole commands as users run them (bench/commands.py): quizgen's
command and the peer's command (text2qti, a bare genanki script, R/exams where R
is installed) timed with `/usr/bin/time -f '%e %M'`, alternating in the same run,
on the same number of questions; medians of 5 repeats and their ratios, with the
peak memory. The goals of issue 12 are checked against these figures, and the
report says which are met and by how much the others miss.

Then the in-process stage figures (each script in bench/ that times one stage
inside a Python process: generators.py, startup.py, worksheets.py, exports.py,
scale.py), which explain where a whole command's time goes. Each runs in a fresh
process; one that fails (the library API it uses has changed) is reported as
failed and the run goes on.

`--quick` uses small sizes and fewer repeats (a smoke run; the report says so and
its figures are not the goals' sizes).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import commands  # noqa: E402
import practice  # noqa: E402

IN_PROCESS: list[tuple[str, str, list[str], list[str]]] = [
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


def load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def version(argv: list[str]) -> str:
    try:
        result = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return "not installed"
    text = (result.stdout + result.stderr).strip().splitlines()
    return text[0].strip() if text and result.returncode == 0 else "not installed"


def versions() -> str:
    python = sys.executable
    parts = [
        f"quizgen {version([commands.tool('quizgen'), '--version']).split()[-1]}",
        f"text2qti {version([python, '-c', 'import text2qti; print(text2qti.__version__)'])}",
        f"genanki {version([python, '-c', 'import genanki; print(genanki.__version__)'])}",
    ]
    if shutil.which("Rscript"):
        parts.append(version(["Rscript", "--version"]).replace("Rscript (R) version", "R"))
        parts.append(
            "exams " + version(["Rscript", "-e", 'cat(as.character(packageVersion("exams")))']).split("\n")[0]
        )
        parts.append(version(["pandoc", "--version"]))
    else:
        parts.append("R not installed")
    return "; ".join(parts)


def in_process(quick: bool, env: dict[str, str]) -> tuple[list[str], list[tuple[str, str]]]:
    sections: list[str] = []
    verdicts: list[tuple[str, str]] = []
    for title, script, arguments, quick_arguments in IN_PROCESS:
        chosen = quick_arguments if quick else arguments
        command = [sys.executable, str(HERE / script), *chosen]
        print(f"== in process: {title}: {' '.join(command[1:])}", flush=True)
        # cwd bench/: never the repository root, whose quizgen/ would shadow --source for `python -c` children
        result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=HERE)
        output = result.stdout.strip() or "(no output)"
        if result.returncode != 0:
            output += f"\n\nFAILED: exit code {result.returncode}\n{result.stderr.strip()[-2000:]}"
        print(output, flush=True)
        verdicts.extend((title, match.group(0).strip()) for match in TARGET.finditer(output))
        sections.append(f"### {title}\n\n`python bench/{script} {' '.join(chosen)}`\n\n```\n{output}\n```\n")
    return sections, _dedupe(verdicts)


def goals_table(sections: list[commands.Section]) -> str:
    rows = ["| row (whole commands) | measured | goal | verdict |", "|---|---|---|---|"]
    for section in sections:
        for goal in section.goals:
            verdict = {True: "**met**", False: f"**MISSED**: {goal.gap}", None: f"not measured: {goal.gap}"}[
                goal.met
            ]
            rows.append(f"| {goal.row} | {goal.measured} | {goal.goal} | {verdict} |")
    return "\n".join(rows)


MUTATION_HEADING = "## Mutation scores (issue 16)"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, fewer repeats (a smoke run)")
    parser.add_argument("--no-in-process", action="store_true", help="whole commands only")
    parser.add_argument(
        "--source", metavar="REV", help="measure quizgen at this git revision (default: working tree)"
    )
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory(prefix="quizgen-bench-source-") as scratch:
        source = commands.use_source(args.source, Path(scratch))
        print(f"quizgen: {source}", flush=True)
        run(args, source)


def run(args: argparse.Namespace, source: str) -> None:
    env = dict(os.environ)
    started = time.perf_counter()
    load_before = load()
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    tools = versions()
    sizes = commands.QUICK if args.quick else commands.FULL
    whole = commands.measure(list(commands.ROWS), sizes)
    whole += practice.measure(args.quick)  # issue 14: the practice page and its SCORM package
    load_middle = load()
    stage_sections, stage_verdicts = ([], []) if args.no_in_process else in_process(args.quick, env)
    elapsed = time.perf_counter() - started
    flags = " ".join(f for f, on in (("--quick", args.quick), ("--no-in-process", args.no_in_process)) if on)
    if args.source:
        flags += f" --source {args.source}"

    parts = [
        "# Benchmark results\n",
        f"Produced by one run of `python bench/run.py{' ' + flags if flags else ''}` on {when} "
        f"({elapsed / 60:.1f} min in all)."
        + (" **Quick run: small sizes and 3 repeats, not the goals' sizes.**" if args.quick else "")
        + "\n",
        f"Machine: {machine()}. Load average (1, 5, 15 min) at the start {load_before}, after the whole "
        f"commands {load_middle}, at the end {load()}. The machine is shared and noisy: figures are medians, "
        "and ratios compare tools measured alternately in the same run.\n",
        f"Tools: {tools}. quizgen measured: {source}.\n",
        "## Goals (issues 12 and 14): whole commands\n",
        "Each figure is a whole command as a user runs it, timed with `/usr/bin/time -f '%e %M'` "
        "(elapsed seconds, peak RSS): start-up, imports, loading the banks, building variants and writing "
        f"the file included. quizgen and its peer alternate, {sizes.repeats} runs each after one untimed "
        "warm-up; the table quotes medians and ratios of medians.\n",
        goals_table(whole) + "\n",
        "## Whole commands\n",
        "`python bench/commands.py [row ...]` runs one row alone; the commands below are run in a scratch "
        "folder.\n",
    ]
    for section in whole:
        parts.append(f"### {section.title}\n")
        if section.commands:
            parts.append("```\n" + "\n".join(dict.fromkeys(section.commands)) + "\n```\n")
        parts.append("```\n" + "\n".join(section.lines).strip() + "\n```\n")
    if not args.no_in_process:
        parts.append("## In-process stages (they explain the whole-command figures)\n")
        parts.append(
            "Each script times one stage inside one Python process (no start-up; inputs built beforehand), "
            "so its figures are smaller than the whole commands'. Their own targets (older, in-process):\n"
        )
        parts.append(
            "| stage | result |\n|---|---|\n"
            + "\n".join(f"| {title} | {line} |" for title, line in stage_verdicts)
            + "\n"
        )
        parts.extend(stage_sections)
    parts.append(
        "## R/exams\n\n"
        "Debian has R but no r-cran-exams, and CRAN is not reachable here: `sh bench/install_r_exams.sh` "
        "installs r-base-core, pandoc, r-cran-knitr, r-cran-rmarkdown and r-cran-base64enc with apt-get, "
        "then builds exams from its public sources (github.com/cran/exams) with `R CMD INSTALL` (about 40 s). "
        "Without R or exams, the Moodle row says so and is not measured.\n"
    )
    # Mutation scores come from bench/mutation.py (hours, not part of this run): keep the last ones.
    previous = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
    kept = previous.find(MUTATION_HEADING)
    if kept >= 0:
        parts.append(previous[kept:].rstrip("\n") + "\n")
    args.output.write_text("\n".join(parts), encoding="utf-8")
    print(f"wrote {args.output} ({elapsed / 60:.1f} min)")


def _dedupe(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    seen, result = set(), []
    for row in rows:
        if row not in seen:
            seen.add(row)
            result.append(row)
    return result


if __name__ == "__main__":
    main()
