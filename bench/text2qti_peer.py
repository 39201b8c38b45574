"""Canvas QTI export: quizgen against text2qti (gpoore/text2qti), the peer that writes the same format.

Run:  python bench/text2qti_peer.py [--questions 5000] [--repeats 3]

text2qti converts a plain-text quiz to a Canvas QTI .zip. This writes a quiz of n
questions of the kinds quizgen exports (multiple choice with feedback, multiple
answers, numerical with a margin, short answer with two accepted forms; simple
text, numbers varied so that no two questions are the same) and times text2qti's
conversion through its Python API (parse, build the XML, write the zip to
memory; not interpreter start-up), falling back to `python -m text2qti FILE` when
the API cannot be imported. quizgen's figure is `quizgen.exporters.qti.export`
on an export set of about the same number of questions (bank questions plus
generator variants), measured cold (`richtext.clear_caches()` first: no text,
template or formula cached) and warm (the texts kept from an earlier export in
the same process, as richtext's own cache does). Prints the medians and the ratios; the target is quizgen at least 10
times faster.

Needs `pip install text2qti` (the bench only; quizgen does not depend on it).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # quizgen is imported where it is used: bench/commands.py imports this module without it
    from quizgen.exporters import ExportSet

TARGET_RATIO = 10.0


def text2qti_quiz(n: int) -> str:
    """A text2qti quiz of n questions cycling through four kinds, every question and option distinct."""
    lines = ["Quiz title: quizgen bench", ""]
    for number in range(1, n + 1):
        a, b = 100 + number, 7 + number % 50
        kind = number % 4
        if kind == 1:
            lines += [
                f"{number}.  A dense layer has {a} inputs and {b} outputs. What is n_in + n_out?",
                f"... The fans add up: {a} + {b} = {a + b}.",
                f"a)  {a * b}",
                "... That is the number of weights, n_in * n_out.",
                f"*b) {a + b}",
                f"c)  {a + b + 1}",
                f"d)  {a}",
            ]
        elif kind == 2:
            lines += [
                f"{number}.  Which of these divide {a * 6} exactly?",
                "... Check each divisor in turn.",
                "[*] 2",
                "[*] 3",
                f"[ ] {a * 6 + 1}",
                "[*] 6",
            ]
        elif kind == 3:
            # n_in kept below 8,100: text2qti refuses accepted values under 0.0001 (20,000-question quizzes)
            n_in = 100 + number % 8000
            lines += [
                f"{number}.  What is the Xavier variance 2/(n_in + n_out) of layer {number},"
                f" with n_in = {n_in}, n_out = {b}?",
                f"... 2/({n_in} + {b}) = {2 / (n_in + b):.6f}.",
                f"=   {2 / (n_in + b):.6f} +- {2 / (n_in + b) / 100:.6f}",
            ]
        else:
            lines += [
                f"{number}.  Name the initialisation for ReLU networks (question {number}).",
                "... He (Kaiming) initialisation uses Var(W) = 2/n_in.",
                "*   He",
                "*   Kaiming",
            ]
        lines.append("")
    return "\n".join(lines)


def text2qti_seconds(n: int, workdir: Path) -> float:
    """Seconds text2qti takes to convert a quiz of n questions to a QTI zip (the conversion only)."""
    path = workdir / f"bench-{n}.txt"
    path.write_text(text2qti_quiz(n), encoding="utf-8")
    try:
        from text2qti.config import Config
        from text2qti.qti import QTI
        from text2qti.quiz import Quiz
    except ImportError:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "text2qti", str(path)], check=True, cwd=workdir)
        return time.perf_counter() - started
    text = path.read_text(encoding="utf-8")
    started = time.perf_counter()
    # Config() without .load(): the defaults, and no ~/.text2qti.bespon written.
    quiz = Quiz(text, config=Config(), source_name=path.as_posix())
    data = QTI(quiz).zip_bytes()
    seconds = time.perf_counter() - started
    assert data[:2] == b"PK"
    return seconds


def quizgen_qti_seconds(data: ExportSet, *, cold: bool = False) -> float:
    """Seconds quizgen takes to export an export set as a Canvas QTI zip.

    With ``cold``, every converted text is forgotten first (as in a fresh process,
    imports aside); otherwise texts converted by an earlier export in this process
    are reused, as a second export does.
    """
    from quizgen.exporters.qti import export
    from quizgen.richtext import clear_caches

    if cold:
        clear_caches()
    started = time.perf_counter()
    result = export(data)
    seconds = time.perf_counter() - started
    assert result[:2] == b"PK"
    return seconds


def export_set_of_about(n: int, seed: int = 1) -> ExportSet:
    """The bundled banks with N variants per generator, N chosen so that the total is closest to n."""
    from quizgen import load_banks
    from quizgen.exporters import build_export_set

    bank = load_banks()

    def total(variants: int) -> int:  # as build_export_set counts: small generators give all they have
        sizes = (g.space_size for g in bank.generators.values())
        return len(bank.questions) + sum(min(variants, s) if s else variants for s in sizes)

    best = min(range(n + 1), key=lambda variants: (abs(total(variants) - n), variants))
    return build_export_set(bank, variants=best, seed=seed)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--questions", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    from quizgen.exporters.qti import export

    data = export_set_of_about(args.questions)
    total = len(data.all_questions())
    variants = max((len(g.variants) for g in data.groups), default=0)
    export(data)  # imports and first-use set-up, so that "cold" means cold text caches only
    cold = [quizgen_qti_seconds(data, cold=True) for _ in range(args.repeats)]
    warm = [quizgen_qti_seconds(data) for _ in range(args.repeats)]
    with tempfile.TemporaryDirectory() as folder:
        theirs = [text2qti_seconds(args.questions, Path(folder)) for _ in range(args.repeats)]
    peer = statistics.median(theirs)
    print(f"# Canvas QTI export, median of {args.repeats} runs")
    print(
        f"{total} quizgen questions: {len(data.questions)} bank + up to {variants} variants"
        f" x {len(data.groups)} generators; text2qti quiz: {args.questions} questions"
    )
    print(f"text2qti:        {peer:.2f} s  (" + ", ".join(f"{t:.2f}" for t in theirs) + ")")
    for label, runs in [("quizgen (cold)", cold), ("quizgen (warm)", warm)]:
        median = statistics.median(runs)
        ratio = peer / median
        verdict = "meets" if ratio >= TARGET_RATIO else "MISSES"
        print(
            f"{label}: {median:.2f} s  (" + ", ".join(f"{t:.2f}" for t in runs) + f")  "
            f"{ratio:.1f}x faster; target {TARGET_RATIO:.0f}x: {verdict}"
        )
    print("cold: every converted text forgotten first; warm: texts kept from the previous export")


if __name__ == "__main__":
    main()
