"""Generator throughput: variants built and validated per second, per generator, one process.

Run:  python bench/generators.py [--repeats 5] [--seconds 0.5]

Each generator's `make(seed)` builds a fresh variant and validates it as a pydantic
Question. The figure is the median rate over the repeats (this machine is shared
and noisy). For comparison the same run times a bare baseline that draws the
layer-size parameters and builds the same fields as a plain dict, with no
validation: the floor any validated generator pays on top of. No peer tool for
parametric questions runs here (R/exams needs CRAN, which this machine cannot
reach), so the baseline is the honest comparison available.
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import time
from collections.abc import Callable

from quizgen import load_banks


def rate(make: Callable[[int], object], seconds: float, repeats: int) -> float:
    """Median variants per second over `repeats` runs of about `seconds` each."""
    rates = []
    for _ in range(repeats):
        count = 0
        started = time.perf_counter()
        deadline = started + seconds
        while time.perf_counter() < deadline:
            for seed in range(count, count + 500):
                make(seed)
            count += 500
        rates.append(count / (time.perf_counter() - started))
    return statistics.median(rates)


def baseline(seed: int) -> dict[str, object]:
    rng = random.Random(seed)
    n_in, n_out = rng.randrange(1, 1025), rng.randrange(1, 1025)
    return {
        "id": f"layer-size-{seed:08x}",
        "type": "integer",
        "params": {"n_in": n_in, "n_out": n_out},
        "prompt": f"A dense layer takes {n_in} inputs and produces {n_out} outputs. What is n_in + n_out?",
        "answer": n_in + n_out,
        "explanation": f"{n_in} + {n_out} = {n_in + n_out}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=0.5)
    args = parser.parse_args()
    generators = load_banks().generators
    print(
        f"# generator throughput ({platform.python_implementation()} {platform.python_version()}, "
        f"{platform.machine()}, median of {args.repeats} runs of {args.seconds} s)"
    )
    floor = rate(baseline, args.seconds, args.repeats)
    print(f"{'generator':<33} {'variants/s':>12} {'us/variant':>11} {'vs baseline':>12}")
    print(f"{'(baseline: dict, no validation)':<33} {floor:>12,.0f} {1e6 / floor:>11.1f} {1.0:>11.2f}x")
    for generator in generators.values():
        value = rate(generator.make, args.seconds, args.repeats)
        print(f"{generator.id:<33} {value:>12,.0f} {1e6 / value:>11.1f} {value / floor:>11.2f}x")
    target = rate(generators["layer-size"].make, args.seconds, args.repeats)
    verdict = "meets" if target >= 50_000 else "MISSES"
    print(f"\nlayer-size: {target:,.0f} variants/s; target 50,000/s: {verdict}")


if __name__ == "__main__":
    main()
