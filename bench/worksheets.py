"""Worksheet rendering: 500 per-student HTML sheets of 20 questions each, in one process.

Run:  python bench/worksheets.py [--students 500] [--count 20] [--repeats 3]

Plans one worksheet, then for each student derives the sheet seed, draws the
variants and option orders, and renders the HTML (MathML, inline CSS) to a
string, as `quizgen worksheet --roster` does, without disk writes. Prints the
median of the repeats and the target (under 5 s). The peer figure is quoted,
not measured: R/exams' exams2html took about 9 s for 100 copies of two
exercises on this machine class (per the project brief); R cannot be installed
here (CRAN is unreachable), so the two are not run side by side.
"""

from __future__ import annotations

import argparse
import statistics
import time

from quizgen import load_banks
from quizgen import worksheet as ws


def run(students: int, count: int) -> tuple[float, int]:
    bank = load_banks()
    started = time.perf_counter()
    skills = ws.plan_skills(bank, (), count, seed=1)
    document = ws.Worksheet("Weight initialisation", 1, skills)
    size = 0
    for n in range(students):
        student = ws.Student(f"Student {n}", f"s{n:04d}")
        sheet = ws.make_sheet(
            bank, document.title, skills, ws.sheet_seed(1, student.label), student.name, student=student
        )
        size += len(ws.render(document, sheet, fmt_name="html", answer_key=False))
    return time.perf_counter() - started, size


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--students", type=int, default=500)
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    times = []
    for _ in range(args.repeats):
        seconds, size = run(args.students, args.count)
        times.append(seconds)
    median = statistics.median(times)
    print(
        f"# {args.students} per-student HTML sheets x {args.count} questions, median of {args.repeats} runs"
    )
    print(
        "runs: " + ", ".join(f"{t:.2f} s" for t in times) + " (the first is cold: no formula or text cached)"
    )
    print(
        f"quizgen: {median:.2f} s ({args.students / median:.0f} sheets/s, {size / args.students / 1024:.0f} KiB per sheet)"
    )
    print("R/exams exams2html (quoted, not run here): ~9 s for 100 copies of 2 exercises")
    print(f"target under 5 s: {'meets' if median < 5 else 'MISSES'}")


if __name__ == "__main__":
    main()
