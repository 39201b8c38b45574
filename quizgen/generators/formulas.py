"""Generators for the initialisation formulas: Xavier and He variance, std and uniform limit.

Each is described by a :class:`FormulaSpec`: the correct expression and the wrong
ones that named misconceptions produce. A variant asks for the value (typed, to 3
significant figures), or offers values, or offers expressions, for a freshly drawn
layer.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..numbers import fmt
from .base import Calculated, Candidate, Generator, choose_options

Fn = Callable[[int, int], float]

TYPICAL_SIZES = (10, 32, 64, 100, 128, 200, 256, 300, 400, 500, 512, 784, 1000, 1024)
RELATIVE_TOLERANCE = 0.006
"""Answers to 3 significant figures are off by at most 0.5%; 0.6% accepts them all."""


@dataclass(frozen=True)
class Expr:
    """An expression of (n_in, n_out) in LaTeX, as a substitution, and as a function."""

    latex: str
    substituted: str  # with {n_in}, {n_out}, {s} = n_in + n_out
    fn: Fn
    misconception: str | None = None
    why: str = ""

    def value(self, n_in: int, n_out: int) -> float:
        return self.fn(n_in, n_out)

    def worked(self, n_in: int, n_out: int) -> str:
        return self.substituted.format(n_in=n_in, n_out=n_out, s=n_in + n_out)


@dataclass(frozen=True)
class FormulaSpec:
    id: str
    topic: str
    scheme: str  # "Xavier" or "He"
    quantity: str  # LaTeX of what is asked, e.g. \mathrm{Var}(W)
    noun: str  # "the variance of the weights"
    activation: tuple[str, ...]
    theory: str
    correct: Expr
    wrong: tuple[Expr, ...]
    title: str
    formula: str
    """The answer in formula-module syntax over n_in and n_out (for LMS calculated questions)."""
    exact_sums: tuple[int, ...] = ()
    """For the uniform limit: sums n_in + n_out whose limit is a clean number."""


def _sqrt(x: float) -> float:
    return math.sqrt(x)


XAVIER_THEORY = (
    "Xavier (Glorot) initialisation balances the forward condition $n_{\\mathrm{in}}\\mathrm{Var}(W) = 1$ "
    "and the backward condition $n_{\\mathrm{out}}\\mathrm{Var}(W) = 1$ with "
    "$\\mathrm{Var}(W) = \\frac{2}{n_{\\mathrm{in}} + n_{\\mathrm{out}}}$."
)
HE_THEORY = (
    "He (Kaiming) initialisation doubles the variance to make up for ReLU zeroing half of its "
    "input: $\\mathrm{Var}(W) = \\frac{2}{n_{\\mathrm{in}}}$, counting only the fan-in."
)
UNIFORM_NOTE = (
    "A uniform distribution on $[-L, L]$ has variance $L^2/3$, so $L = \\sqrt{3\\,\\mathrm{Var}(W)}$."
)

SPECS = (
    FormulaSpec(
        id="xavier-variance",
        formula="2/(n_in + n_out)",
        topic="xavier",
        scheme="Xavier",
        quantity="\\mathrm{Var}(W)",
        noun="the variance $\\mathrm{Var}(W)$ of the weights",
        activation=("tanh", "sigmoid"),
        theory=XAVIER_THEORY,
        title="Xavier variance 2/(n_in + n_out)",
        correct=Expr(
            "\\frac{2}{n_{\\mathrm{in}} + n_{\\mathrm{out}}}",
            "2/({n_in} + {n_out}) = 2/{s}",
            lambda i, o: 2 / (i + o),
        ),
        wrong=(
            Expr(
                "\\frac{2}{n_{\\mathrm{in}} \\cdot n_{\\mathrm{out}}}",
                "2/({n_in} × {n_out})",
                lambda i, o: 2 / (i * o),
                "product-for-sum",
                "Xavier divides by the sum of the fans, not their product.",
            ),
            Expr(
                "\\frac{1}{n_{\\mathrm{in}} + n_{\\mathrm{out}}}",
                "1/({n_in} + {n_out})",
                lambda i, o: 1 / (i + o),
                "dropped-two",
                "The 2 belongs to the formula: Var(W) = 2/(n_in + n_out).",
            ),
            Expr(
                "\\frac{2}{n_{\\mathrm{out}}}",
                "2/{n_out}",
                lambda i, o: 2 / o,
                "fan-out-only",
                "Xavier uses both fans, not n_out alone.",
            ),
            Expr(
                "\\frac{2}{n_{\\mathrm{in}}}",
                "2/{n_in}",
                lambda i, o: 2 / i,
                "fan-in-only",
                "2/n_in is He's variance (for ReLU); Xavier averages both fans.",
            ),
            Expr(
                "\\sqrt{\\frac{2}{n_{\\mathrm{in}} + n_{\\mathrm{out}}}}",
                "√(2/{s})",
                lambda i, o: _sqrt(2 / (i + o)),
                "std-for-variance",
                "That is the standard deviation; the variance has no square root.",
            ),
            Expr(
                "\\sqrt{\\frac{6}{n_{\\mathrm{in}} + n_{\\mathrm{out}}}}",
                "√(6/{s})",
                lambda i, o: _sqrt(6 / (i + o)),
                "limit-for-variance",
                "That is the uniform limit L; the variance is L²/3.",
            ),
        ),
    ),
    FormulaSpec(
        id="xavier-normal",
        formula="sqrt(2/(n_in + n_out))",
        topic="xavier",
        scheme="Xavier",
        quantity="\\sigma",
        noun="the standard deviation $\\sigma$ of the normal distribution $W \\sim N(0, \\sigma^2)$",
        activation=("tanh", "sigmoid"),
        theory=XAVIER_THEORY + " The normal version uses the square root as its standard deviation.",
        title="Xavier normal std sqrt(2/(n_in + n_out))",
        correct=Expr(
            "\\sqrt{\\frac{2}{n_{\\mathrm{in}} + n_{\\mathrm{out}}}}",
            "√(2/({n_in} + {n_out})) = √(2/{s})",
            lambda i, o: _sqrt(2 / (i + o)),
        ),
        wrong=(
            Expr(
                "\\frac{2}{n_{\\mathrm{in}} + n_{\\mathrm{out}}}",
                "2/{s}",
                lambda i, o: 2 / (i + o),
                "variance-for-std",
                "That is the variance; the standard deviation is its square root.",
            ),
            Expr(
                "\\sqrt{\\frac{6}{n_{\\mathrm{in}} + n_{\\mathrm{out}}}}",
                "√(6/{s})",
                lambda i, o: _sqrt(6 / (i + o)),
                "limit-for-std",
                "That is the uniform limit, √3 times the standard deviation.",
            ),
            Expr(
                "\\sqrt{\\frac{1}{n_{\\mathrm{in}} + n_{\\mathrm{out}}}}",
                "√(1/{s})",
                lambda i, o: _sqrt(1 / (i + o)),
                "dropped-two",
                "The variance is 2/(n_in + n_out): the 2 stays under the root.",
            ),
            Expr(
                "\\sqrt{\\frac{2}{n_{\\mathrm{in}} \\cdot n_{\\mathrm{out}}}}",
                "√(2/({n_in} × {n_out}))",
                lambda i, o: _sqrt(2 / (i * o)),
                "product-for-sum",
                "Xavier divides by the sum of the fans, not their product.",
            ),
            Expr(
                "\\sqrt{\\frac{2}{n_{\\mathrm{in}}}}",
                "√(2/{n_in})",
                lambda i, o: _sqrt(2 / i),
                "fan-in-only",
                "√(2/n_in) is He's standard deviation (for ReLU); Xavier uses both fans.",
            ),
        ),
    ),
    FormulaSpec(
        id="xavier-uniform",
        formula="sqrt(6/(n_in + n_out))",
        topic="xavier-uniform",
        scheme="Xavier",
        quantity="L",
        noun="the limit $L$ of the uniform distribution $W \\sim U[-L, L]$",
        activation=("tanh", "sigmoid"),
        theory=XAVIER_THEORY + " " + UNIFORM_NOTE,
        title="Xavier uniform limit sqrt(6/(n_in + n_out))",
        correct=Expr(
            "\\sqrt{\\frac{6}{n_{\\mathrm{in}} + n_{\\mathrm{out}}}}",
            "√(6/({n_in} + {n_out})) = √(6/{s})",
            lambda i, o: _sqrt(6 / (i + o)),
        ),
        wrong=(
            Expr(
                "\\sqrt{\\frac{3}{n_{\\mathrm{in}} + n_{\\mathrm{out}}}}",
                "√(3/{s})",
                lambda i, o: _sqrt(3 / (i + o)),
                "sqrt3-for-sqrt6",
                "L²/3 = 2/(n_in + n_out) gives L² = 6/(n_in + n_out), not 3/(n_in + n_out).",
            ),
            Expr(
                "\\sqrt{\\frac{2}{n_{\\mathrm{in}} + n_{\\mathrm{out}}}}",
                "√(2/{s})",
                lambda i, o: _sqrt(2 / (i + o)),
                "std-for-limit",
                "That is the standard deviation; the limit is √3 times larger.",
            ),
            Expr(
                "\\frac{2}{n_{\\mathrm{in}} + n_{\\mathrm{out}}}",
                "2/{s}",
                lambda i, o: 2 / (i + o),
                "variance-for-limit",
                "That is the variance; the limit is √(3 Var(W)).",
            ),
            Expr(
                "\\frac{6}{n_{\\mathrm{in}} + n_{\\mathrm{out}}}",
                "6/{s}",
                lambda i, o: 6 / (i + o),
                "forgot-sqrt",
                "6/(n_in + n_out) is L²; take its square root.",
            ),
            Expr(
                "\\sqrt{\\frac{6}{n_{\\mathrm{in}} \\cdot n_{\\mathrm{out}}}}",
                "√(6/({n_in} × {n_out}))",
                lambda i, o: _sqrt(6 / (i * o)),
                "product-for-sum",
                "Xavier divides by the sum of the fans, not their product.",
            ),
            Expr(
                "\\sqrt{\\frac{6}{n_{\\mathrm{in}}}}",
                "√(6/{n_in})",
                lambda i, o: _sqrt(6 / i),
                "fan-in-only",
                "√(6/n_in) is He's uniform limit (for ReLU); Xavier uses both fans.",
            ),
        ),
        exact_sums=(6, 24, 96, 150, 384, 600, 1536, 2400),
    ),
    FormulaSpec(
        id="he-variance",
        formula="2/n_in",
        topic="he",
        scheme="He",
        quantity="\\mathrm{Var}(W)",
        noun="the variance $\\mathrm{Var}(W)$ of the weights",
        activation=("ReLU", "Leaky ReLU"),
        theory=HE_THEORY,
        title="He variance 2/n_in",
        correct=Expr("\\frac{2}{n_{\\mathrm{in}}}", "2/{n_in}", lambda i, o: 2 / i),
        wrong=(
            Expr(
                "\\frac{2}{n_{\\mathrm{out}}}",
                "2/{n_out}",
                lambda i, o: 2 / o,
                "fan-out-only",
                "He (fan-in mode) divides by n_in, the number of inputs each unit sums.",
            ),
            Expr(
                "\\frac{1}{n_{\\mathrm{in}}}",
                "1/{n_in}",
                lambda i, o: 1 / i,
                "dropped-two",
                "1/n_in is LeCun's variance; He doubles it to make up for ReLU.",
            ),
            Expr(
                "\\frac{2}{n_{\\mathrm{in}} + n_{\\mathrm{out}}}",
                "2/({n_in} + {n_out})",
                lambda i, o: 2 / (i + o),
                "xavier-for-relu",
                "That is Xavier's variance, about half of what a ReLU layer needs.",
            ),
            Expr(
                "\\sqrt{\\frac{2}{n_{\\mathrm{in}}}}",
                "√(2/{n_in})",
                lambda i, o: _sqrt(2 / i),
                "std-for-variance",
                "That is the standard deviation; the variance has no square root.",
            ),
        ),
    ),
    FormulaSpec(
        id="he-normal",
        formula="sqrt(2/n_in)",
        topic="he",
        scheme="He",
        quantity="\\sigma",
        noun="the standard deviation $\\sigma$ of the normal distribution $W \\sim N(0, \\sigma^2)$",
        activation=("ReLU", "Leaky ReLU"),
        theory=HE_THEORY + " The normal version uses its square root as the standard deviation.",
        title="He normal std sqrt(2/n_in)",
        correct=Expr("\\sqrt{\\frac{2}{n_{\\mathrm{in}}}}", "√(2/{n_in})", lambda i, o: _sqrt(2 / i)),
        wrong=(
            Expr(
                "\\frac{2}{n_{\\mathrm{in}}}",
                "2/{n_in}",
                lambda i, o: 2 / i,
                "variance-for-std",
                "That is the variance; the standard deviation is its square root.",
            ),
            Expr(
                "\\sqrt{\\frac{2}{n_{\\mathrm{out}}}}",
                "√(2/{n_out})",
                lambda i, o: _sqrt(2 / o),
                "fan-out-only",
                "He (fan-in mode) divides by n_in, not n_out.",
            ),
            Expr(
                "\\sqrt{\\frac{1}{n_{\\mathrm{in}}}}",
                "√(1/{n_in})",
                lambda i, o: _sqrt(1 / i),
                "dropped-two",
                "The 2 stays under the root: He's variance is 2/n_in.",
            ),
            Expr(
                "\\sqrt{\\frac{6}{n_{\\mathrm{in}}}}",
                "√(6/{n_in})",
                lambda i, o: _sqrt(6 / i),
                "limit-for-std",
                "That is He's uniform limit, √3 times the standard deviation.",
            ),
            Expr(
                "\\sqrt{\\frac{2}{n_{\\mathrm{in}} + n_{\\mathrm{out}}}}",
                "√(2/({n_in} + {n_out}))",
                lambda i, o: _sqrt(2 / (i + o)),
                "xavier-for-relu",
                "That is Xavier's standard deviation, too small for ReLU.",
            ),
        ),
    ),
    FormulaSpec(
        id="he-uniform",
        formula="sqrt(6/n_in)",
        topic="he",
        scheme="He",
        quantity="L",
        noun="the limit $L$ of the uniform distribution $W \\sim U[-L, L]$",
        activation=("ReLU", "Leaky ReLU"),
        theory=HE_THEORY + " " + UNIFORM_NOTE,
        title="He uniform limit sqrt(6/n_in)",
        correct=Expr("\\sqrt{\\frac{6}{n_{\\mathrm{in}}}}", "√(6/{n_in})", lambda i, o: _sqrt(6 / i)),
        wrong=(
            Expr(
                "\\sqrt{\\frac{3}{n_{\\mathrm{in}}}}",
                "√(3/{n_in})",
                lambda i, o: _sqrt(3 / i),
                "sqrt3-for-sqrt6",
                "L²/3 = 2/n_in gives L² = 6/n_in, not 3/n_in.",
            ),
            Expr(
                "\\sqrt{\\frac{2}{n_{\\mathrm{in}}}}",
                "√(2/{n_in})",
                lambda i, o: _sqrt(2 / i),
                "std-for-limit",
                "That is the standard deviation; the limit is √3 times larger.",
            ),
            Expr(
                "\\frac{2}{n_{\\mathrm{in}}}",
                "2/{n_in}",
                lambda i, o: 2 / i,
                "variance-for-limit",
                "That is the variance; the limit is √(3 Var(W)).",
            ),
            Expr(
                "\\sqrt{\\frac{6}{n_{\\mathrm{out}}}}",
                "√(6/{n_out})",
                lambda i, o: _sqrt(6 / o),
                "fan-out-only",
                "He (fan-in mode) divides by n_in, not n_out.",
            ),
            Expr(
                "\\sqrt{\\frac{6}{n_{\\mathrm{in}} + n_{\\mathrm{out}}}}",
                "√(6/({n_in} + {n_out}))",
                lambda i, o: _sqrt(6 / (i + o)),
                "xavier-for-relu",
                "That is Xavier's uniform limit, too small for ReLU.",
            ),
            Expr(
                "\\frac{6}{n_{\\mathrm{in}}}",
                "6/{n_in}",
                lambda i, o: 6 / i,
                "forgot-sqrt",
                "6/n_in is L²; take its square root.",
            ),
        ),
    ),
)


def _size(rng: random.Random) -> int:
    if rng.random() < 0.5:
        return rng.choice(TYPICAL_SIZES)
    return rng.randrange(8, 1025)


def _draw_layer(rng: random.Random) -> tuple[int, int]:
    """n_in and n_out at least 8 and more than 10% apart (so 2/n_in and 2/n_out differ)."""
    n_in = _size(rng)
    while True:
        n_out = _size(rng)
        if abs(n_in - n_out) > 0.1 * max(n_in, n_out):
            return n_in, n_out


def _draw_exact_layer(rng: random.Random, sums: tuple[int, ...]) -> tuple[int, int]:
    total = rng.choice(sums)
    n_in = rng.randrange(1, total)
    return n_in, total - n_in


def _build(spec: FormulaSpec, rng: random.Random) -> dict[str, Any]:
    forms = ["typed", "values", "expressions"] + (["exact"] if spec.exact_sums else [])
    form = rng.choice(forms)
    if form == "exact":
        n_in, n_out = _draw_exact_layer(rng, spec.exact_sums)
    else:
        n_in, n_out = _draw_layer(rng)
    activation = rng.choice(spec.activation)
    value = spec.correct.value(n_in, n_out)
    layer = (
        f"A dense layer with {activation} activation has $n_{{\\mathrm{{in}}}} = {n_in}$ inputs and "
        f"$n_{{\\mathrm{{out}}}} = {n_out}$ outputs, initialised with {spec.scheme} initialisation."
    )
    worked = (
        f"Here ${spec.quantity} = {spec.correct.latex}$ = {spec.correct.worked(n_in, n_out)} ≈ {fmt(value)}."
    )
    if form == "exact":
        worked = (
            f"Here ${spec.quantity} = {spec.correct.latex}$ = {spec.correct.worked(n_in, n_out)} "
            f"= {fmt(value)} exactly (add the fans as integers first: {n_in} + {n_out} = {n_in + n_out})."
        )
    fields: dict[str, Any] = {
        "params": {"n_in": n_in, "n_out": n_out},
        "explanation": f"{spec.theory} {worked}",
        "hint": f"Which fans does {spec.scheme} use, and is a square root involved?",
        "tags": (spec.scheme.lower(), "generated"),
    }
    if form in ("typed", "exact"):
        ask = "Give the exact value." if form == "exact" else "Give the answer to 3 significant figures."
        fields.update(
            type="numeric",
            prompt=f"{layer} What is {spec.noun}? {ask}",
            answer=value,
            tolerance=0.0 if form == "exact" else RELATIVE_TOLERANCE,
            tolerance_type="absolute" if form == "exact" else "relative",
            difficulty=2,
        )
        return fields
    as_values = form == "values"
    correct = Candidate(
        fmt(value) if as_values else f"${spec.correct.latex}$",
        value,
        feedback=f"Correct: {spec.correct.worked(n_in, n_out)} ≈ {fmt(value)}.",
    )
    wrong = [
        Candidate(
            fmt(expr.value(n_in, n_out)) if as_values else f"${expr.latex}$",
            expr.value(n_in, n_out),
            expr.misconception,
            f"{expr.why} ({expr.worked(n_in, n_out)} ≈ {fmt(expr.value(n_in, n_out))})",
        )
        for expr in spec.wrong
    ]
    options, answer = choose_options(rng, correct, wrong, 4)
    ask = f"what is {spec.noun}?" if as_values else f"which expression gives ${spec.quantity}$?"
    fields.update(
        type="choice",
        prompt=f"{layer} Under {spec.scheme} initialisation, {ask}",
        options=options,
        answer=answer,
        difficulty=1 if not as_values else 2,
    )
    return fields


def _generator(spec: FormulaSpec) -> Generator:
    def build(rng: random.Random) -> dict[str, Any]:
        return _build(spec, rng)

    return Generator(
        id=spec.id,
        topic=spec.topic,
        title=spec.title,
        description=(
            f"{spec.scheme} initialisation for a drawn dense layer: ${spec.quantity} = {spec.correct.latex}$, "
            "typed to 3 significant figures or chosen among values or expressions; "
            "distractors from named misconceptions."
        ),
        params={"n_in": "8-1024 (typical sizes half the time)", "n_out": "8-1024, >10% away from n_in"},
        build=build,
        calculated=Calculated(
            prompt=(
                f"A dense layer with {spec.activation[0]} activation has $n_{{\\mathrm{{in}}}} = {{n_in}}$ inputs and "
                f"$n_{{\\mathrm{{out}}}} = {{n_out}}$ outputs, initialised with {spec.scheme} initialisation. What is "
                f"{spec.noun}? Give 3 significant figures."
            ),
            answer=spec.formula,
            explanation=f"{spec.theory} Here ${spec.quantity} = {spec.correct.latex}$ with "
            "$n_{\\mathrm{in}} = {n_in}$ and $n_{\\mathrm{out}} = {n_out}$.",
            tolerance=RELATIVE_TOLERANCE,
            params=("n_in", "n_out"),
        ),
    )


FORMULA_GENERATORS = tuple(_generator(spec) for spec in SPECS)
