"""Generators for the initialisation formulas: Xavier and He variance, std and uniform limit.

Each is described by a :class:`FormulaSpec`: the correct expression and the wrong
ones that named misconceptions produce. A variant asks for the value (typed, to 3
significant figures, or exact), or offers values, or offers expressions, for a
freshly drawn layer. A typed variant lists the wrong expressions' values as its
named mistakes, and a layer is drawn again whenever one of them, written to the
precision asked, would pass for the answer (with a fan far smaller than the other,
Xavier's and He's values can be 0.5% apart). He's prompts state the fan-in mode,
since 2/n_out (fan-out mode) is defensible too.
"""

from __future__ import annotations

import functools
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..models import Tolerance
from ..numbers import OPTION_FIGURES, approx, as_asked, fmt, option_figures, option_texts, short, significant
from ..precision import Precision, tolerance_problems
from .base import Calculated, Candidate, Generator, choose_options, split

Fn = Callable[[int, int], float]

TYPICAL_SIZES = (10, 32, 64, 100, 128, 200, 256, 300, 400, 500, 512, 784, 1000, 1024)
RELATIVE_TOLERANCE = 0.006
"""Answers to 3 significant figures are off by at most 0.5%; 0.6% accepts them all."""
THREE_FIGURES = Precision("significant", 3)
MIN_FAN, MAX_FAN = 8, 1024


@dataclass(frozen=True)
class Expr:
    """An expression of (n_in, n_out) in LaTeX, as a substitution, and as a function."""

    latex: str
    substituted: str  # with {n_in}, {n_out}, {s} = n_in + n_out
    fn: Fn
    misconception: str | None = None
    why: str = ""
    """Why it is wrong; ``{ratio}`` is replaced by its value divided by the answer's, for the drawn layer."""

    def value(self, n_in: int, n_out: int) -> float:
        return self.fn(n_in, n_out)

    def reason(self, n_in: int, n_out: int, answer: float) -> str:
        return self.why.replace("{ratio}", short(self.value(n_in, n_out) / answer, 3))

    def worked(self, n_in: int, n_out: int) -> str:
        """The substitution as LaTeX (without the dollars): ``\\sqrt{2/(860 + 320)} = \\sqrt{2/1180}``."""
        return _latex_template(self.substituted).format(n_in=n_in, n_out=n_out, s=n_in + n_out)


@functools.cache
def _latex_template(substituted: str) -> str:
    """A substitution template (``√(2/({n_in} + {n_out}))``) as a LaTeX one, still for ``str.format``:
    ``√(…)`` becomes ``\\sqrt{…}`` (its outer parentheses dropped) and ``×`` ``\\times``, so the worked
    numbers are typeset with the formula they follow rather than left as plain text beside it."""
    out: list[str] = []
    closers: list[bool] = []  # for each open parenthesis: whether it closes a root
    i = 0
    while i < len(substituted):
        char = substituted[i]
        if substituted.startswith("√(", i):
            out.append("\\sqrt{{")
            closers.append(True)
            i += 2
            continue
        if char == "(":
            closers.append(False)
        elif char == ")" and closers and closers.pop():
            out.append("}}")
            i += 1
            continue
        out.append(" \\times " if char == "×" else char)
        i += 1
    return "".join(out).replace("  \\times  ", " \\times ")


@dataclass(frozen=True)
class FormulaSpec:
    id: str
    topic: str
    scheme: str  # "Xavier" or "He"
    quantity: str  # LaTeX of what is asked, e.g. \mathrm{Var}(W)
    noun: str  # "the variance of the weights"
    activation: tuple[str, ...]
    method: str
    """How the prompt names the initialisation (He's states its fan mode)."""
    theory: str
    correct: Expr
    wrong: tuple[Expr, ...]
    title: str
    formula: str
    """The answer in formula-module syntax over n_in and n_out (for LMS calculated questions)."""
    exact_sums: tuple[int, ...] = ()
    """For the uniform limit: sums n_in + n_out whose limit is a clean number."""
    claims: tuple[str, ...] = ()


def _sqrt(x: float) -> float:
    return math.sqrt(x)


XAVIER_THEORY = (
    "Xavier (Glorot) initialisation balances the forward condition $n_{\\mathrm{in}}\\mathrm{Var}(W) = 1$ "
    "and the backward condition $n_{\\mathrm{out}}\\mathrm{Var}(W) = 1$ with "
    "$\\mathrm{Var}(W) = \\frac{2}{n_{\\mathrm{in}} + n_{\\mathrm{out}}}$."
)
HE_THEORY = (
    "He (Kaiming) initialisation doubles the variance to make up for ReLU zeroing half of its "
    "input: $\\mathrm{Var}(W) = \\frac{2}{n_{\\mathrm{in}}}$ in fan-in mode, which keeps the forward "
    "signal's scale (fan-out mode, $2/n_{\\mathrm{out}}$, keeps the backward gradient's instead)."
)
XAVIER_METHOD = "Xavier (Glorot) initialisation"
HE_METHOD = "He initialisation in fan-in mode (PyTorch's default, `mode='fan_in'`)"
XAVIER_CLAIMS = ("variance-of-sum", "backward-uses-fan-out")
HE_CLAIMS = ("relu-halves-second-moment", "he-relu-preserves", "he-modes-forward-backward")
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
        method=XAVIER_METHOD,
        claims=XAVIER_CLAIMS,
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
                "The 2 belongs to the formula: $\\mathrm{Var}(W) = 2/(n_{\\mathrm{in}} + n_{\\mathrm{out}})$.",
            ),
            Expr(
                "\\frac{2}{n_{\\mathrm{out}}}",
                "2/{n_out}",
                lambda i, o: 2 / o,
                "fan-out-only",
                "Xavier uses both fans, not $n_{\\mathrm{out}}$ alone.",
            ),
            Expr(
                "\\frac{2}{n_{\\mathrm{in}}}",
                "2/{n_in}",
                lambda i, o: 2 / i,
                "fan-in-only",
                "$2/n_{\\mathrm{in}}$ is He's variance (for ReLU); Xavier averages both fans.",
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
                "That is the uniform limit $L$; the variance is $L^2/3$.",
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
        method=XAVIER_METHOD,
        claims=XAVIER_CLAIMS,
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
                "The variance is $2/(n_{\\mathrm{in}} + n_{\\mathrm{out}})$: the 2 stays under the root.",
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
                "$\\sqrt{2/n_{\\mathrm{in}}}$ is He's standard deviation (for ReLU); Xavier uses both fans.",
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
        method=XAVIER_METHOD,
        claims=XAVIER_CLAIMS,
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
                "$L^2/3 = 2/(n_{\\mathrm{in}} + n_{\\mathrm{out}})$ gives $L^2 = 6/(n_{\\mathrm{in}} + n_{\\mathrm{out}})$, not $3/(n_{\\mathrm{in}} + n_{\\mathrm{out}})$.",
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
                "That is the variance; the limit is $\\sqrt{3\\,\\mathrm{Var}(W)}$.",
            ),
            Expr(
                "\\frac{6}{n_{\\mathrm{in}} + n_{\\mathrm{out}}}",
                "6/{s}",
                lambda i, o: 6 / (i + o),
                "forgot-sqrt",
                "$6/(n_{\\mathrm{in}} + n_{\\mathrm{out}})$ is $L^2$; take its square root.",
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
                "$\\sqrt{6/n_{\\mathrm{in}}}$ is He's uniform limit (for ReLU); Xavier uses both fans.",
            ),
        ),
        exact_sums=(24, 96, 150, 384, 600, 1536),
    ),
    FormulaSpec(
        id="he-variance",
        formula="2/n_in",
        topic="he",
        scheme="He",
        quantity="\\mathrm{Var}(W)",
        noun="the variance $\\mathrm{Var}(W)$ of the weights",
        activation=("ReLU",),
        method=HE_METHOD,
        claims=HE_CLAIMS,
        theory=HE_THEORY,
        title="He variance 2/n_in",
        correct=Expr("\\frac{2}{n_{\\mathrm{in}}}", "2/{n_in}", lambda i, o: 2 / i),
        wrong=(
            Expr(
                "\\frac{2}{n_{\\mathrm{out}}}",
                "2/{n_out}",
                lambda i, o: 2 / o,
                "fan-out-only",
                "He in fan-in mode divides by $n_{\\mathrm{in}}$, the inputs each unit sums over; $2/n_{\\mathrm{out}}$ is fan-out mode, which the question does not use.",
            ),
            Expr(
                "\\frac{1}{n_{\\mathrm{in}}}",
                "1/{n_in}",
                lambda i, o: 1 / i,
                "dropped-two",
                "$1/n_{\\mathrm{in}}$ is LeCun's variance; He doubles it to make up for ReLU.",
            ),
            Expr(
                "\\frac{2}{n_{\\mathrm{in}} + n_{\\mathrm{out}}}",
                "2/({n_in} + {n_out})",
                lambda i, o: 2 / (i + o),
                "xavier-for-relu",
                "That is Xavier's variance, {ratio} times He's for this layer ($n_{\\mathrm{in}}/(n_{\\mathrm{in}} "
                "+ n_{\\mathrm{out}})$): Xavier averages the fans for symmetric activations, and a ReLU layer "
                "needs $2/n_{\\mathrm{in}}$ to keep its signal.",
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
        activation=("ReLU",),
        method=HE_METHOD,
        claims=HE_CLAIMS,
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
                "He in fan-in mode divides by $n_{\\mathrm{in}}$, not $n_{\\mathrm{out}}$ (that is fan-out mode).",
            ),
            Expr(
                "\\sqrt{\\frac{1}{n_{\\mathrm{in}}}}",
                "√(1/{n_in})",
                lambda i, o: _sqrt(1 / i),
                "dropped-two",
                "The 2 stays under the root: He's variance is $2/n_{\\mathrm{in}}$.",
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
                "That is Xavier's standard deviation, {ratio} times He's for this layer: Xavier averages the "
                "fans for symmetric activations, and a ReLU layer needs $\\sqrt{2/n_{\\mathrm{in}}}$.",
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
        activation=("ReLU",),
        method=HE_METHOD,
        claims=HE_CLAIMS,
        theory=HE_THEORY + " " + UNIFORM_NOTE,
        title="He uniform limit sqrt(6/n_in)",
        correct=Expr("\\sqrt{\\frac{6}{n_{\\mathrm{in}}}}", "√(6/{n_in})", lambda i, o: _sqrt(6 / i)),
        wrong=(
            Expr(
                "\\sqrt{\\frac{3}{n_{\\mathrm{in}}}}",
                "√(3/{n_in})",
                lambda i, o: _sqrt(3 / i),
                "sqrt3-for-sqrt6",
                "$L^2/3 = 2/n_{\\mathrm{in}}$ gives $L^2 = 6/n_{\\mathrm{in}}$, not $3/n_{\\mathrm{in}}$.",
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
                "That is the variance; the limit is $\\sqrt{3\\,\\mathrm{Var}(W)}$.",
            ),
            Expr(
                "\\sqrt{\\frac{6}{n_{\\mathrm{out}}}}",
                "√(6/{n_out})",
                lambda i, o: _sqrt(6 / o),
                "fan-out-only",
                "He in fan-in mode divides by $n_{\\mathrm{in}}$, not $n_{\\mathrm{out}}$ (that is fan-out mode).",
            ),
            Expr(
                "\\sqrt{\\frac{6}{n_{\\mathrm{in}} + n_{\\mathrm{out}}}}",
                "√(6/({n_in} + {n_out}))",
                lambda i, o: _sqrt(6 / (i + o)),
                "xavier-for-relu",
                "That is Xavier's uniform limit, {ratio} times He's for this layer: Xavier averages the fans for "
                "symmetric activations, and a ReLU layer needs $\\sqrt{6/n_{\\mathrm{in}}}$.",
            ),
            Expr(
                "\\frac{6}{n_{\\mathrm{in}}}",
                "6/{n_in}",
                lambda i, o: 6 / i,
                "forgot-sqrt",
                "$6/n_{\\mathrm{in}}$ is $L^2$; take its square root.",
            ),
        ),
    ),
)


APART_LAYERS = 929_232
"""The (n_in, n_out) pairs `_draw_layer` can draw: both in MIN_FAN-MAX_FAN, more than 10% apart."""
SPACE_SIZES = {
    spec.id: APART_LAYERS + (146 if spec.exact_sums else 0)  # clean-limit layers closer than 10%
    for spec in SPECS
}
"""Distinct parameter sets per generator (counted by tests/test_hardening.py)."""


def _size(rng: random.Random) -> int:
    if rng.random() < 0.5:
        return rng.choice(TYPICAL_SIZES)
    return rng.randrange(MIN_FAN, MAX_FAN + 1)


def _draw_layer(rng: random.Random) -> tuple[int, int]:
    """n_in and n_out at least 8 and more than 10% apart (so 2/n_in and 2/n_out differ)."""
    n_in = _size(rng)
    while True:
        n_out = _size(rng)
        if abs(n_in - n_out) > 0.1 * max(n_in, n_out):
            return n_in, n_out


def _draw_exact_layer(rng: random.Random, sums: tuple[int, ...]) -> tuple[int, int]:
    """Fans with a clean limit, both between MIN_FAN and MAX_FAN."""
    total = rng.choice([s for s in sums if s >= 2 * MIN_FAN])
    n_in = rng.randrange(max(MIN_FAN, total - MAX_FAN), min(MAX_FAN, total - MIN_FAN) + 1)
    return n_in, total - n_in


def _mistake_passes(spec: FormulaSpec, n_in: int, n_out: int, precision: Precision, tolerance: float) -> bool:
    """Whether a named mistake, written to ``precision``, would be graded correct for this layer."""
    accepted = Tolerance(spec.correct.value(n_in, n_out), tolerance, "relative")
    mistakes = [(str(i), e.misconception, e.value(n_in, n_out)) for i, e in enumerate(spec.wrong)]
    return bool(tolerance_problems(accepted, precision, mistakes))


def _typed_refused(spec: FormulaSpec, n_in: int, n_out: int) -> bool:
    """``_mistake_passes(spec, n_in, n_out, THREE_FIGURES, RELATIVE_TOLERANCE)``, quickly.

    `tolerance_problems` finds a problem of two kinds. The answer written to 3 significant figures is
    off by at most 0.5% of it, well inside the 0.6% accepted: never a problem. A mistake is one only
    when it is no further from the answer than half the accepted range plus its own rounding (the
    test that function makes first, repeated here with the same floats); when some mistake is that
    close, the function itself decides (tests/test_generators.py compares the two)."""
    answer = spec.correct.fn(n_in, n_out)
    width = RELATIVE_TOLERANCE * abs(answer)
    half = (answer + width - (answer - width)) / 2
    slack = 1e-9 * max(1.0, abs(answer))
    for expr in spec.wrong:
        value = expr.fn(n_in, n_out)
        if abs(value - answer) <= half + THREE_FIGURES.most_rounding(value) * 1.001 + slack:
            return _mistake_passes(spec, n_in, n_out, THREE_FIGURES, RELATIVE_TOLERANCE)
    return False


LAYER_KEYS = MAX_FAN - MIN_FAN + 1


def _draw(spec: FormulaSpec, forms: tuple[str, ...], rng: random.Random) -> tuple[int, tuple[str, int, int]]:
    """(key, (form, n_in, n_out)): the parameters of a variant, drawn as `_build` always drew them."""
    form = rng.choice(forms)
    if form == "exact":
        n_in, n_out = _draw_exact_layer(rng, spec.exact_sums)
    else:
        n_in, n_out = _draw_layer(rng)
        while form == "typed" and _typed_refused(spec, n_in, n_out):
            n_in, n_out = _draw_layer(rng)
    return (n_in - MIN_FAN) * LAYER_KEYS + n_out - MIN_FAN, (form, n_in, n_out)


def _build(spec: FormulaSpec, rng: random.Random) -> dict[str, Any]:
    return _finish(spec, rng, _draw(spec, _forms(spec), rng)[1])


def _forms(spec: FormulaSpec) -> tuple[str, ...]:
    return ("typed", "values", "expressions") + (("exact",) if spec.exact_sums else ())


def _finish(spec: FormulaSpec, rng: random.Random, drawn: tuple[str, int, int]) -> dict[str, Any]:
    form, n_in, n_out = drawn
    activation = rng.choice(spec.activation)
    value = spec.correct.fn(n_in, n_out)
    correct_worked = spec.correct.worked(n_in, n_out)
    layer = (
        f"A dense layer with {activation} activation has $n_{{\\mathrm{{in}}}} = {n_in}$ inputs and "
        f"$n_{{\\mathrm{{out}}}} = {n_out}$ outputs, initialised with {spec.method}."
    )
    fields: dict[str, Any] = {
        "params": {"n_in": n_in, "n_out": n_out},
        "hint": f"Which fans does {spec.scheme} use, and is a square root involved?",
        "tags": (spec.scheme.lower(), "generated"),
        "claims": spec.claims,
    }
    values = [expr.fn(n_in, n_out) for expr in spec.wrong]
    figures = OPTION_FIGURES  # the numbers of the worked text: the options' figures, or the 3 asked for

    def why(index: int) -> str:  # each wrong expression's feedback, made only for those shown
        expr, wrong_value = spec.wrong[index], values[index]
        reason = expr.why
        if "{ratio}" in reason:
            reason = reason.replace("{ratio}", short(wrong_value / value, 3))
        return f"{reason} (${expr.worked(n_in, n_out)} {approx(wrong_value, figures, 'latex')}$)"

    if form in ("typed", "exact"):
        if form == "exact":
            ask = "Give the exact value."
            worked = (
                f"Here ${spec.quantity} = {spec.correct.latex} = {correct_worked} "
                f"= {fmt(value)}$ exactly (add the fans as integers first: {n_in} + {n_out} = {n_in + n_out})."
            )
        else:
            ask = "Give the answer to 3 significant figures."
            worked = f"Here ${spec.quantity} = {spec.correct.latex} = {correct_worked} {as_asked(value, 3, 'latex')}$."
        fields.update(
            type="numeric",
            prompt=f"{layer} What is {spec.noun}? {ask}",
            explanation=f"{spec.theory} {worked}",
            answer=value,
            tolerance=0.0 if form == "exact" else RELATIVE_TOLERANCE,
            tolerance_type="absolute" if form == "exact" else "relative",
            mistakes=[
                {"value": values[i], "misconception": e.misconception, "feedback": why(i)}
                for i, e in enumerate(spec.wrong)
            ],
            difficulty=2,
        )
        return fields
    as_values = form == "values"
    # choose_options tells the candidates apart by text and by value (2% apart): two values that far apart
    # never read alike at 3 significant figures, however rounded, so a quick 3-figure text draws the same
    # options as any other would; the options shown are then written properly, and each wrong option's
    # feedback is written only when it is picked
    correct = Candidate(f"{value:.3g}" if as_values else f"${spec.correct.latex}$", value)
    wrong = [
        Candidate(
            f"{values[i]:.3g}" if as_values else f"${expr.latex}$", values[i], expr.misconception, str(i)
        )
        for i, expr in enumerate(spec.wrong)
    ]
    options, answer = choose_options(rng, correct, wrong, 4)
    if as_values:
        texts = [_option_text(option["value"]) for option in options]
        if len(set(texts)) < len(texts):  # never with values 2% apart; the rule all the same
            figures = option_figures([option["value"] for option in options])
            texts = option_texts([option["value"] for option in options])
        for option, text in zip(options, texts, strict=True):
            option["text"] = text
    for number, option in enumerate(options, start=1):
        if number == answer:
            option["feedback"] = f"Correct: ${correct_worked} {approx(value, figures, 'latex')}$."
        else:
            option["feedback"] = why(int(option["feedback"]))
    ask = f"what is {spec.noun}?" if as_values else f"which expression gives ${spec.quantity}$?"
    worked = (
        f"Here ${spec.quantity} = {spec.correct.latex} = {correct_worked} {approx(value, figures, 'latex')}$."
    )
    fields.update(
        type="choice",
        prompt=f"{layer} Under this initialisation, {ask}",
        explanation=f"{spec.theory} {worked}",
        options=options,
        answer=answer,
        difficulty=1 if not as_values else 2,
    )
    return fields


def _option_text(value: float) -> str:
    """An option's value to 3 significant figures: the number its feedback shows, unless that is exact."""
    shown = approx(value)  # remembered: the feedback writes it again
    return shown[2:] if shown[0] == "≈" else significant(value)


def _generator(spec: FormulaSpec) -> Generator:
    forms = _forms(spec)

    def draw(rng: random.Random) -> tuple[int, tuple[str, int, int]]:
        return _draw(spec, forms, rng)

    def finish(rng: random.Random, drawn: tuple[str, int, int]) -> dict[str, Any]:
        return _finish(spec, rng, drawn)

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
        build=split(draw, finish),
        draw=draw,
        finish=finish,
        space_size=SPACE_SIZES[spec.id],
        claims=spec.claims,
        calculated=Calculated(
            prompt=(
                f"A dense layer with {spec.activation[0]} activation has $n_{{\\mathrm{{in}}}} = {{n_in}}$ inputs and "
                f"$n_{{\\mathrm{{out}}}} = {{n_out}}$ outputs, initialised with {spec.method}. What is "
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
