"""atheris harness for template formulas: any text must parse and evaluate, or raise FormulaError.

    pip install atheris
    python fuzz/formula_fuzz.py -max_total_time=600 -timeout=5 fuzz/corpus-formula

The input gives the formula, whether it is a constraint, whether its parameter names are
fixed, and three sets of parameter values. ``Formula.parse`` and ``Formula.evaluate`` may
only return a result (a finite number within the documented limits, or a bool for a
constraint) or raise ``FormulaError``; anything else is a finding. fuzz/run.py does the
same without atheris.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Any

import atheris  # type: ignore[import-untyped, import-not-found, unused-ignore]

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

with atheris.instrument_imports():
    from quizgen.formula import FLOAT_LIMIT, INT_LIMIT, Formula, FormulaError

NAMES = ["n", "n_in", "n_out", "a"]
SPECIAL: list[Any] = [
    0,
    0.0,
    -1,
    10**30,
    -(10**30),
    10**31,
    1e300,
    1e301,
    5e-324,
    math.inf,
    math.nan,
    True,
    "3",
]


def _values(fdp: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in NAMES:
        kind = fdp.ConsumeIntInRange(0, 3)
        if kind == 1:
            values[name] = fdp.ConsumeInt(16)
        elif kind == 2:
            values[name] = fdp.ConsumeRegularFloat()
        elif kind == 3:
            values[name] = SPECIAL[fdp.ConsumeIntInRange(0, len(SPECIAL) - 1)]
    return values


def TestOneInput(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    condition = fdp.ConsumeBool()
    names = NAMES if fdp.ConsumeBool() else None
    value_sets = [_values(fdp) for _ in range(3)]
    source = fdp.ConsumeUnicodeNoSurrogates(fdp.remaining_bytes())
    try:
        formula = Formula.parse(source, names, condition=condition)
    except FormulaError:
        return
    for values in value_sets:
        try:
            result = formula.evaluate(values)
        except FormulaError:
            continue
        if condition:
            assert isinstance(result, bool), (source, values, result)
        else:
            assert isinstance(result, int | float) and not isinstance(result, bool), (source, result)
            limit = INT_LIMIT if isinstance(result, int) else FLOAT_LIMIT
            assert math.isfinite(result) and abs(result) <= limit, (source, values, result)


def main() -> None:
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
