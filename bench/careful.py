"""The careful reader against the fast one: one big bank file, valid and with one bad value.

Run:  python bench/careful.py [--megabytes 27] [--repeats 1]

A valid file is read by the fast path (yaml-rs) alone. One bad value anywhere sends the
whole file to the careful reader (PyYAML with the line of every key), after the fast
read that found the problem, so that every message names its line. This writes a bank
of about ``--megabytes`` MB (mixed question types, block scalars, flow lists, option
mappings: the shapes real banks use) to a temporary folder, loads it in a fresh
interpreter with the cache off, once as written and once with one answer out of range,
and prints the seconds and peak resident memory of each and their ratios. Target
(issue 11, finding 16): the bad file within 3x the time and 2x the memory of the valid one.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

TOPICS = ("xavier", "he", "layer-size", "vanishing")


def question(n: int) -> str:
    """One question of bank text, its type chosen by ``n``; about 600 bytes."""
    topic = TOPICS[n % len(TOPICS)]
    head = (
        f"  - id: big-{n:07d}\n"
        f"    topic: {topic}\n"
        f"    difficulty: {n % 3 + 1}\n"
        f"    tags: [scale, part-{n % 17}, generated]\n"
        f"    source: 'bench/careful.py, question {n}'\n"
    )
    prompt = (
        "    prompt: |\n"
        f"      Question {n}: a layer has $n_{{\\mathrm{{in}}}} = {n % 900 + 10}$ inputs and\n"
        f"      $n_{{\\mathrm{{out}}}} = {n % 700 + 20}$ outputs. Which statement about its weights is right?\n"
    )
    explanation = (
        "    explanation: >\n"
        f"      Worked solution {n}: the variance of the weights is chosen so that the\n"
        "      variance of the activations stays the same from layer to layer.\n"
    )
    kind = n % 3
    if kind == 0:
        body = (
            "    type: choice\n"
            + prompt
            + "    options:\n"
            + f"      - 'Var(W) = 2 / {n % 900 + 10}'\n"
            + f"      - text: 'Var(W) = 1 / {n % 900 + 10}'\n"
            + "        misconception: dropped-two\n"
            + "        feedback: That is LeCun's variance; ReLU halves the signal.\n"
            + f'      - "Var(W) = {n % 900 + 10}"\n'
            + "    answer: 1\n"
        )
    elif kind == 1:
        body = "    type: true_false\n" + prompt + "    answer: true\n"
    else:
        body = (
            "    type: integer\n"
            + prompt
            + f"    answer: {n % 900 + 10 + n % 700 + 20}\n"
            + "    mistakes:\n"
            + f"      - value: {n % 900 + 10}\n"
            + "        feedback: That is the fan-in alone.\n"
        )
    return head + body + explanation


def bank_text(megabytes: float, *, bad: bool = False) -> str:
    """A bank of about ``megabytes`` MB; with ``bad``, the last choice question's answer is out of range."""
    parts = ["title: A big generated bank\nquestions:\n"]
    size = len(parts[0])
    n = 0
    while size < megabytes * 1_000_000:
        parts.append(question(n))
        size += len(parts[-1])
        n += 1
    if bad:
        last = max(i for i in range(1, len(parts)) if "type: choice" in parts[i])
        parts[last] = parts[last].replace("    answer: 1\n", "    answer: 9\n")
    return "".join(parts)


def child(path: Path) -> dict[str, float]:
    """Load ``path`` (cache off) in a fresh interpreter: seconds, peak RSS in MB, problems found."""
    code = (
        "import json, resource, sys, time\n"
        "from quizgen import BankError, load_banks\n"
        "import quizgen.loader, quizgen.yamlsource, quizgen.models\n"
        "t = time.perf_counter()\n"
        "try:\n"
        f"    load_banks([{str(path)!r}], include_bundled=False, cache=False)\n"
        "    problems = 0\n"
        "except BankError as exc:\n"
        "    problems = len(exc.problems)\n"
        "print(json.dumps({'seconds': time.perf_counter() - t, 'problems': problems,\n"
        "    'peak_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))\n"
    )
    env = {**os.environ, "QUIZGEN_CACHE_DIR": "off"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--megabytes", type=float, default=27)
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="quizgen-careful-"))
    figures = {}
    for label, bad in (("valid", False), ("one bad value", True)):
        path = work / f"{label.replace(' ', '-')}.yaml"
        path.write_text(bank_text(args.megabytes, bad=bad), encoding="utf-8")
        runs = [child(path) for _ in range(args.repeats)]
        seconds = statistics.median(r["seconds"] for r in runs)
        peak = max(r["peak_mb"] for r in runs)
        problems = int(runs[0]["problems"])
        figures[label] = (seconds, peak)
        size = path.stat().st_size / 1_000_000
        print(f"{label:<14} {size:.1f} MB: {seconds:.2f} s, peak RSS {peak:.0f} MB, {problems} problem(s)")
        path.unlink()
    (fast_s, fast_mb), (careful_s, careful_mb) = figures["valid"], figures["one bad value"]
    verdict = "meets" if careful_s <= 3 * fast_s and careful_mb <= 2 * fast_mb else "MISSES"
    print(
        f"careful / fast: {careful_s / fast_s:.2f}x the time, {careful_mb / fast_mb:.2f}x the memory "
        f"(target <= 3x and <= 2x: {verdict})"
    )
    work.rmdir()


if __name__ == "__main__":
    main()
