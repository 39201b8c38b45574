"""LMS exports in one run: 5,000 questions to every format, beside text2qti and bare genanki.

Run:  python bench/exports.py [--questions 5000] [--repeats 3]

* every format: `quizgen.exporters.export(fmt, data)` for ~5,000 questions (the
  bank plus generator variants), rendering caches cleared before each run as in
  a fresh process;
* QTI beside text2qti (from PyPI) converting 5,000 questions of the same kinds
  (bench/text2qti_peer.py), the runs interleaved; target: quizgen at least 10x faster;
* Moodle XML of 1,000 generated variants; target: under 0.5 s (R/exams'
  exams2moodle takes about 14 s for 100 copies of two exercises: quoted, R
  cannot be installed here);
* Anki beside bare genanki writing the same notes (bench/genanki_peer.py);
  target: within 1.5x.
Figures are medians of the repeats.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from genanki_peer import bare_genanki_seconds, quizgen_anki_seconds
from text2qti_peer import export_set_of_about, text2qti_seconds

from quizgen import load_banks
from quizgen.exporters import FORMATS, build_export_set, export
from quizgen.exporters.anki import notes
from quizgen.richtext import clear_caches


def timed(fmt: str, data: object) -> tuple[float, int]:
    clear_caches()
    started = time.perf_counter()
    size = len(export(fmt, data))  # type: ignore[arg-type]
    return time.perf_counter() - started, size


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--questions", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    data = export_set_of_about(args.questions)
    total = len(data.all_questions())
    for fmt in FORMATS:  # warm-up: imports
        export(fmt, build_export_set(load_banks(), variants=1, seed=9))
    print(
        f"# {total} questions ({len(data.questions)} bank questions, {total - len(data.questions)} variants), "
        f"median of {args.repeats} runs, caches cold"
    )
    print(f"{'format':<8} {'seconds':>8} {'questions/s':>12} {'size':>9}")
    medians: dict[str, float] = {}
    for fmt in FORMATS:
        runs = [timed(fmt, data) for _ in range(args.repeats)]
        medians[fmt] = statistics.median(r[0] for r in runs)
        print(f"{fmt:<8} {medians[fmt]:8.3f} {total / medians[fmt]:12,.0f} {runs[0][1] / 1e6:8.2f} MB")

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        # Interleaved, a quizgen run beside each text2qti run, so a noisy moment hits both.
        ours_qti, peers = [], []
        for _ in range(args.repeats):
            ours_qti.append(timed("qti", data)[0])
            peers.append(text2qti_seconds(total, work))
        peer = statistics.median(peers)
        ratio = peer / statistics.median(ours_qti)
        print(
            f"\ntext2qti {peer:.3f} s, quizgen QTI {statistics.median(ours_qti):.3f} s for {total} questions: "
            f"quizgen is {ratio:.1f}x faster "
            f"(target at least 10x: {'meets' if ratio >= 10 else 'MISSES'})"
        )

        variants = build_export_set(load_banks(), variants=100, seed=3, include_questions=False)
        count = len(variants.all_questions())
        moodle = statistics.median(timed("moodle", variants)[0] for _ in range(args.repeats))
        print(
            f"moodle XML of {count} generated variants (with calculated questions): {moodle:.3f} s "
            f"(target under 0.5 s: {'meets' if moodle < 0.5 else 'MISSES'}); "
            "R/exams exams2moodle (quoted): ~14 s for 100 copies of 2 exercises"
        )

        fields = [list(note.fields) for note in notes(data)]
        ours, bare = [], []
        for _ in range(args.repeats):
            clear_caches()
            ours.append(quizgen_anki_seconds(data, work / "quizgen.apkg"))
            bare.append(bare_genanki_seconds(fields, work / "bare.apkg"))
        anki_ratio = statistics.median(ours) / statistics.median(bare)
        print(
            f"anki: quizgen {statistics.median(ours):.3f} s, bare genanki (same notes) {statistics.median(bare):.3f} s: "
            f"{anki_ratio:.2f}x (target within 1.5x: {'meets' if anki_ratio <= 1.5 else 'MISSES'})"
        )


if __name__ == "__main__":
    main()
