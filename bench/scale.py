"""Scale: a 10,000-question bank folder (made here), loaded, validated with 50 seeded errors, exported and rendered.

Run:  python bench/scale.py [--questions 10000] [--repeats 3]

Prints the median load time (cache off, so YAML is really read), the time and
the line accuracy of `quizgen validate` on a copy with 50 seeded errors, and the
peak resident memory of exporting (Moodle XML, QTI) and rendering (worksheet
HTML) the whole bank, each measured in a fresh child process (ru_maxrss).
Targets: load under 1 s; memory under 200 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

PER_FILE = 500


def make_bank(folder: Path, questions: int) -> None:
    for start in range(0, questions, PER_FILE):
        items = []
        for n in range(start, min(start + PER_FILE, questions)):
            items.append(
                {
                    "id": f"big-{n:05d}",
                    "type": "choice",
                    "topic": ("xavier", "he", "layer-size", "vanishing")[n % 4],
                    "prompt": f"Question {n}: a layer has $n_{{in}} = {n % 900 + 10}$ inputs. Which is right?",
                    "options": [
                        f"{n} right",
                        {"text": f"{n} wrong", "misconception": "dropped-two", "feedback": "No."},
                        f"{n} other",
                    ],
                    "answer": 1,
                    "explanation": f"Worked solution {n}: the first option follows from the formula.",
                }
            )
        (folder / f"bank{start // PER_FILE:03d}.yaml").write_text(
            yaml.safe_dump({"questions": items}, sort_keys=False)
        )


def seed_errors(folder: Path, count: int, rng: random.Random) -> dict[tuple[str, int], str]:
    """Break `count` questions (answer out of range) and return where each error is."""
    expected: dict[tuple[str, int], str] = {}
    files = sorted(folder.glob("*.yaml"))
    texts = {path: path.read_text().splitlines() for path in files}
    spots = [
        (path, i)
        for path, lines in texts.items()
        for i, line in enumerate(lines)
        if line.strip() == "answer: 1"
    ]
    for path, index in rng.sample(spots, count):
        texts[path][index] = texts[path][index].replace("answer: 1", "answer: 9")
        expected[(str(path), index + 1)] = "answer"
    for path, lines in texts.items():
        path.write_text("\n".join(lines) + "\n")
    return expected


def child(setup: str, code: str, env: dict[str, str]) -> dict[str, float]:
    """Run `code` after `setup` in a fresh interpreter: seconds for `code`, peak RSS of the whole process."""
    wrapper = (
        "import json, resource, time\n"
        f"{setup}\n"
        "t = time.perf_counter()\n"
        f"{code}\n"
        "print(json.dumps({'seconds': time.perf_counter() - t, "
        "'peak_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))\n"
    )
    out = subprocess.run([sys.executable, "-c", wrapper], capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="quizgen-scale-"))
    bank = work / "bank"
    bank.mkdir()
    make_bank(bank, args.questions)
    env = {**os.environ, "QUIZGEN_CACHE_DIR": "off"}
    imports = "from quizgen import load_banks\nimport quizgen.loader, quizgen.yamlsource, quizgen.models"
    load = f"b = load_banks([{str(bank)!r}], include_bundled=False)\nassert len(b) == {args.questions}"
    loads = [child(imports, load, env)["seconds"] for _ in range(args.repeats)]
    print(f"# scale: {args.questions:,} questions in {args.questions // PER_FILE} files")
    print(
        f"load and validate (cache off): median {statistics.median(loads):.2f} s over {args.repeats} runs; target < 1 s: "
        f"{'meets' if statistics.median(loads) < 1 else 'MISSES'}"
    )

    broken = work / "broken"
    broken.mkdir()
    for path in bank.glob("*.yaml"):
        (broken / path.name).write_text(path.read_text())
    expected = seed_errors(broken, 50, random.Random(7))
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "quizgen", "validate", str(broken)], capture_output=True, text=True, env=env
    )
    seconds = time.perf_counter() - started
    reported = set()
    for line in result.stderr.splitlines():
        parts = line.split(":")
        if len(parts) > 2 and parts[1].isdigit():
            reported.add((parts[0], int(parts[1])))
    found = len(set(expected) & reported)
    print(
        f"validate with {len(expected)} seeded errors: exit {result.returncode}, {found}/{len(expected)} reported at "
        f"the right line, {seconds:.2f} s"
    )

    for label, code in (
        (
            "export moodle",
            "from quizgen.exporters import build_export_set, export\nexport('moodle', build_export_set(b, variants=0))",
        ),
        (
            "export qti",
            "from quizgen.exporters import build_export_set, export\nexport('qti', build_export_set(b, variants=0))",
        ),
        (
            "worksheet html",
            "from quizgen import worksheet as ws\nfrom quizgen.scheduler import Skill\n"
            "skills = [Skill(q.id, q.topic, 'question') for q in b.questions]\n"
            "sheet = ws.make_sheet(b, 'Scale', skills, 1, 'A')\nws.render(ws.Worksheet('Scale', 1, skills), sheet, fmt_name='html', answer_key=True)",
        ),
    ):
        figures = child(imports + "\n" + load, code, env)
        verdict = "meets" if figures["peak_mb"] < 200 else "MISSES"
        print(
            f"{label:<15} all {args.questions:,}: {figures['seconds']:.2f} s, peak RSS {figures['peak_mb']:.0f} MB "
            f"(target < 200 MB: {verdict})"
        )


if __name__ == "__main__":
    main()
