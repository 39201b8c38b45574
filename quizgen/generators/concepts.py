"""Generators for reasoning rather than arithmetic: which initialisation fits an activation,
what depth does to a per-layer factor, and which cause a training symptom points to.

Every statement these questions make about how a network behaves names the claim
behind it (vocabulary.BUILTIN_CLAIMS, checked by simulation.py): He on tanh gives more
variance than needed but does not saturate; N(0, 1) weights saturate tanh; a loss that
is huge before any update points to the initial scale, one that starts normal and then
blows up points to the learning rate.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass
from typing import Any

from ..models import Tolerance
from ..numbers import approx, as_asked, fmt
from ..precision import Precision, tolerance_problems
from .base import Calculated, Candidate, Generator, choose_options, split

# -- which initialisation fits an activation ------------------------------------------------

RELU_CONTEXTS = (
    "a deep CNN for medical images",
    "an image autoencoder",
    "a fraud-detection MLP",
    "a speech-command classifier",
)
SMOOTH_CONTEXTS = (
    "a fraud-detection MLP",
    "a small MLP for tabular data",
    "a spam classifier",
    "a speech-command classifier",
)


@dataclass(frozen=True)
class _Activation:
    scheme: str  # "He" or "Xavier"
    why: str
    contexts: tuple[str, ...]
    large: str
    """What N(0, 1) weights do to it: "explode" or "saturate"."""


ACTIVATIONS: dict[str, _Activation] = {
    "ReLU": _Activation(
        "He",
        "ReLU zeroes the negative half of its input, halving the signal's second moment",
        RELU_CONTEXTS,
        "explode",
    ),
    "Leaky ReLU (slope 0.01)": _Activation(
        "He",
        "Leaky ReLU is in the ReLU family: with slope $a$ He's variance is $2/((1 + a^2)\\,n_{\\mathrm{in}})$, "
        "practically $2/n_{\\mathrm{in}}$ for $a = 0.01$",
        RELU_CONTEXTS,
        "explode",
    ),
    "PReLU": _Activation(
        "He",
        "PReLU is in the ReLU family (He et al. 2015 introduced He initialisation together with it)",
        RELU_CONTEXTS,
        "explode",
    ),
    "tanh": _Activation(
        "Xavier",
        "tanh is odd, symmetric around 0 and close to linear there, so it does not halve the signal; Xavier keeps "
        "its variance (PyTorch adds the gain 5/3 for tanh's contraction)",
        SMOOTH_CONTEXTS,
        "saturate",
    ),
    "sigmoid": _Activation(
        "Xavier",
        "sigmoid does not zero half of its input either, and the chapter pairs Xavier with tanh and sigmoid "
        "(sigmoid is not zero-centred: its outputs average about 0.5, one reason tanh is preferred in hidden layers)",
        SMOOTH_CONTEXTS,
        "saturate",
    ),
    "softsign": _Activation(
        "Xavier",
        "softsign, like tanh, is symmetric around 0 and does not halve the signal",
        SMOOTH_CONTEXTS,
        "saturate",
    ),
    "no activation (linear)": _Activation(
        "Xavier",
        "a linear layer passes the variance through unchanged, and Xavier keeps it in both passes",
        SMOOTH_CONTEXTS,
        "explode",
    ),
}

_SCHEMES = {
    "He": "He (Kaiming) initialisation, $\\mathrm{Var}(W) = 2/n_{\\mathrm{in}}$",
    "Xavier": "Xavier (Glorot) initialisation, $\\mathrm{Var}(W) = 2/(n_{\\mathrm{in}} + n_{\\mathrm{out}})$",
}
_ACTIVATION_CLAIMS = (
    "relu-halves-second-moment",
    "he-relu-preserves",
    "xavier-relu-vanishes",
    "xavier-tanh-stable",
    "he-tanh-not-saturated",
    "depth-multiplies-variance",
    "equal-weights-stay-symmetric",
    "large-weights-explode",
    "large-weights-saturate-tanh",
)


_ACTIVATION_NAMES = tuple(sorted(ACTIVATIONS))


def _activation_draw(rng: random.Random) -> tuple[tuple[str, str], tuple[str, str]]:
    activation = rng.choice(_ACTIVATION_NAMES)
    drawn = (activation, rng.choice(ACTIVATIONS[activation].contexts))
    return drawn, drawn


def _activation_finish(rng: random.Random, drawn: tuple[str, str]) -> dict[str, Any]:
    activation, context = drawn
    spec = ACTIVATIONS[activation]
    other = "Xavier" if spec.scheme == "He" else "He"
    claims = ["equal-weights-stay-symmetric"]
    if spec.scheme == "He":
        claims += ["relu-halves-second-moment", "he-relu-preserves", "xavier-relu-vanishes"]
        other_feedback = (
            "Xavier gives $n_{\\mathrm{in}}/(n_{\\mathrm{in}} + n_{\\mathrm{out}})$ of He's variance (half, for "
            "equal fans), so a ReLU-family network's signal vanishes layer by layer."
        )
        other_misconception: str | None = "xavier-for-relu"
    elif activation == "no activation (linear)":
        claims += ["depth-multiplies-variance"]
        other_feedback = (
            "He's factor 2 makes up for ReLU zeroing half the signal; a linear layer loses nothing, so He gives "
            "$r = n_{\\mathrm{in}}\\,\\mathrm{Var}(W) = 2$ per layer and the signal explodes like $2^L$."
        )
        other_misconception = "bigger-is-better"
    else:
        claims += ["xavier-tanh-stable", "he-tanh-not-saturated"]
        other_feedback = (
            f"He's factor 2 makes up for ReLU zeroing half the signal, which {activation} does not do: He gives it "
            "more variance than it needs (over 20 tanh layers about 7% of units beyond $|a| > 0.9$, not "
            "saturation, but no benefit either). The convention is Xavier."
        )
        other_misconception = "he-for-tanh"
    if spec.large == "explode":
        claims += ["large-weights-explode", "depth-multiplies-variance"]
        large_feedback = (
            "A fixed variance of 1 ignores the fan-in: each layer multiplies the variance by about "
            "$n_{\\mathrm{in}}$, so the signal explodes."
        )
    else:
        claims += ["large-weights-saturate-tanh"]
        large_feedback = (
            "A fixed variance of 1 ignores the fan-in: with $n_{\\mathrm{in}}$ inputs each pre-activation has "
            f"variance about $n_{{\\mathrm{{in}}}}$, so {activation} saturates (with 512 inputs, about 95% of tanh "
            "units sit beyond $|a| > 0.9$)."
        )
    correct = Candidate(_SCHEMES[spec.scheme], feedback=f"Correct: {spec.why}.")
    wrong = [
        Candidate(_SCHEMES[other], misconception=other_misconception, feedback=other_feedback),
        Candidate(
            "All weights set to 0",
            misconception="zero-init",
            feedback="If every weight starts at 0, every unit computes the same output and gets the same "
            "gradient: symmetry is never broken.",
        ),
        Candidate(
            "$N(0, 1)$ for every weight, whatever the layer size",
            misconception="bigger-is-better",
            feedback=large_feedback,
        ),
    ]
    options, answer = choose_options(rng, correct, wrong, 4)
    return {
        "type": "choice",
        "topic": "he" if spec.scheme == "He" else "xavier",
        "params": {"activation": activation, "context": context},
        "prompt": f"The hidden layers of {context} use **{activation}**. Which initialisation fits them best?",
        "options": options,
        "answer": answer,
        "explanation": (
            f"Use {_SCHEMES[spec.scheme]}: {spec.why}. The rule of thumb from the chapter: He for the ReLU "
            "family, Xavier for tanh and sigmoid. All-zero weights never break symmetry, and a fixed $N(0, 1)$ "
            "ignores the layer size."
        ),
        "hint": "Does the activation zero out half of its input?",
        "difficulty": 1,
        "tags": ("activations", "generated"),
        "claims": tuple(sorted(set(claims))),
    }


# -- what depth does to a per-layer factor --------------------------------------------------

_FACTORS = (0.5, 0.6, 0.8, 0.9, 1.0, 1.1, 1.2, 1.5, 2.0)
_WIDTHS = (100, 200, 250, 400, 500, 1000)
_DEPTHS = (5, 10, 20, 30, 50)
_OUTCOMES = {
    "vanishes": "It shrinks towards 0 as layers are added (vanishes)",
    "explodes": "It grows without bound as layers are added (explodes)",
    "preserved": "It keeps its scale at every depth (preserved)",
}
_DEPTH_CLAIMS = ("depth-multiplies-variance", "backward-uses-fan-out", "large-weights-explode")
THREE_FIGURES = Precision("significant", 3)
DEPTH_TOLERANCE = 0.006


def _depth_mistakes(r: float, depth: int) -> list[dict[str, Any]]:
    return [
        {
            "value": r * depth,
            "misconception": "product-for-power",
            "feedback": f"${fmt(r)} \\times {depth}$ multiplies by $L$; each layer multiplies by $r$, so the "
            f"factor is $r^L = {fmt(r)}^{{{depth}}}$.",
        },
        {
            "value": r ** (depth / 2),
            "misconception": "std-for-variance",
            "feedback": f"$r^{{L/2}}$ is the factor of the standard deviation; the variance is multiplied by "
            f"$r^L = {fmt(r)}^{{{depth}}}$.",
        },
        {
            "value": r,
            "misconception": None,
            "feedback": "That is one layer's factor $r$; over $L$ layers it compounds to $r^L$.",
        },
    ]


@functools.cache
def _factor_refused(r: float, depth: int) -> bool:
    """Whether ``r**depth`` cannot be asked for: r = 1, or a named mistake would pass (45 pairs)."""
    mistakes = _depth_mistakes(r, depth)
    named = [(str(i), m["misconception"], m["value"]) for i, m in enumerate(mistakes)]
    accepted = Tolerance(r**depth, DEPTH_TOLERANCE, "relative")
    return r == 1.0 or bool(tolerance_problems(accepted, THREE_FIGURES, named))


DepthScaling = tuple[str, float, int, int]


def _factor_text(factor: float, ask: str) -> str:
    """What follows $r^L$ in the worked text: the factor to the 3 significant figures a typed answer asks
    for ($\\approx 1.05 \\times 10^{6}$ for $2^{20}$), or, for the outcome, to 3 figures or exactly."""
    return as_asked(factor, 3, "latex") if ask == "factor" else approx(factor, 3, "latex")


def _depth_scaling_draw(rng: random.Random) -> tuple[DepthScaling, DepthScaling]:
    ask = rng.choice(("factor", "outcome"))
    while True:
        r = rng.choice(_FACTORS)
        n = rng.choice(_WIDTHS)
        depth = rng.choice(_DEPTHS)
        if ask == "outcome" or not _factor_refused(r, depth):
            break
    drawn = (ask, r, n, depth)
    return drawn, drawn


def _depth_scaling_finish(rng: random.Random, drawn: DepthScaling) -> dict[str, Any]:
    ask, r, n, depth = drawn
    var_w = round(r / n, 12)
    factor = r**depth
    outcome = "vanishes" if r < 1 else "explodes" if r > 1 else "preserved"
    layer = (
        f"A deep linear(ised) network has $L = {depth}$ layers, each with $n_{{\\mathrm{{in}}}} = {n}$ inputs per "
        f"unit and weights drawn with $\\mathrm{{Var}}(W) = {fmt(var_w)}$."
    )
    worked = (
        f"Each layer multiplies the variance by $r = n_{{\\mathrm{{in}}}}\\,\\mathrm{{Var}}(W) = {n} \\cdot "
        f"{fmt(var_w)} = {fmt(r)}$, so after {depth} layers the factor is $r^L = {fmt(r)}^{{{depth}}} "
        f"{_factor_text(factor, ask)}$. "
    )
    verdict = {
        "vanishes": "Since $r < 1$ the signal shrinks geometrically as layers are added (and so does the "
        "gradient sent back, whose factor is $n_{\\mathrm{out}}\\,\\mathrm{Var}(W)$, the same here with equal "
        "widths): it vanishes.",
        "explodes": "Since $r > 1$ the signal grows geometrically as layers are added (and so does the gradient "
        "sent back): it explodes, and deep enough it overflows to Inf or NaN.",
        "preserved": "Since $r = 1$ the variance is preserved at every depth: this is what Xavier and He aim for.",
    }[outcome]
    fields: dict[str, Any] = {
        "params": {"n": n, "var_w": var_w, "L": depth, "r": r, "ask": ask},
        "explanation": worked + verdict,
        "hint": "Multiply the fan-in by Var(W) to get the per-layer factor r, then raise it to the number of layers.",
        "tags": ("depth", "generated"),
        "topic": {"vanishes": "vanishing", "explodes": "exploding", "preserved": "definition"}[outcome],
        "claims": ("depth-multiplies-variance", "backward-uses-fan-out", "large-weights-explode"),
    }
    if ask == "factor":
        fields.update(
            type="numeric",
            prompt=f"{layer} By what overall factor $r^L$ is the variance of the signal multiplied from the "
            "input to the output? Give 3 significant figures.",
            answer=factor,
            tolerance=DEPTH_TOLERANCE,
            tolerance_type="relative",
            mistakes=_depth_mistakes(r, depth),
            difficulty=2,
        )
        return fields
    correct = Candidate(
        _OUTCOMES[outcome],
        feedback=f"Correct: $r = {fmt(r)}$, so $L$ layers multiply the variance by $r^L$ "
        f"(${approx(factor, 3, 'latex')}$ for these {depth}), and {'more' if outcome != 'preserved' else 'any number of'} "
        f"layers {'compound it' if outcome != 'preserved' else 'keep it at 1'}.",
    )
    wrong = []
    for other in _OUTCOMES:
        if other == outcome:
            continue
        if {outcome, other} == {"vanishes", "explodes"}:
            misconception: str | None = "vanishing-exploding-swap"
        elif other == "preserved":
            misconception = "factor-near-one-is-safe"
        else:
            misconception = None
        wrong.append(
            Candidate(
                _OUTCOMES[other],
                misconception=misconception,
                feedback=f"With $r = {fmt(r)}$ the factor after $L$ layers is $r^L$ (${approx(factor, 3, 'latex')}$ for these "
                f"{depth}): {'it moves further from 1 with every layer added' if r != 1 else 'exactly 1 at every depth'}.",
            )
        )
    wrong.append(
        Candidate(
            "It depends only on the learning rate",
            misconception="unrelated-hyperparameter",
            feedback="The forward signal's scale is set by the weights, before any learning rate acts.",
        )
    )
    options, answer = choose_options(rng, correct, wrong, 4)
    fields.update(
        type="choice",
        prompt=f"{layer} What happens to the scale of the signal as more such layers are stacked?",
        options=options,
        answer=answer,
        difficulty=2,
    )
    return fields


# -- from a training symptom to its cause -----------------------------------------------------


@dataclass(frozen=True)
class _Symptom:
    contexts: tuple[str, ...]
    """What is being trained; each fits the symptom (a tanh symptom never names a ReLU CNN)."""
    text: str
    cause: str
    why: str
    """The correct option's feedback."""
    explanation: str
    wrongs: tuple[tuple[str, str | None, str], ...]
    """(option, misconception, why it is wrong)."""
    claims: tuple[str, ...]
    ask: str = "What is the most likely cause?"


SYMPTOMS: dict[str, _Symptom] = {
    "identical-units": _Symptom(
        contexts=("a fraud-detection MLP", "a spam classifier", "a small MLP for tabular data"),
        text="after a thousand steps every unit of a hidden layer still has exactly the same incoming weights as "
        "the others, and the loss stopped improving early.",
        cause="Every weight in the network started at the same value (for example 0), so symmetry was never broken",
        why="Correct: units that start equal compute the same output and receive the same gradient, so they stay "
        "equal.",
        explanation="Units that start equal compute the same output and receive the same gradient, so gradient "
        "descent keeps them equal and each layer behaves like a single unit. This needs the whole network to "
        "start symmetric: with random weights downstream, the units of a zero layer drift apart after a few steps. "
        "Small random weights (Xavier, He) break the symmetry; zero biases are fine.",
        wrongs=(
            (
                "The learning rate is too small",
                "unrelated-hyperparameter",
                "A small step slows learning but never makes different units identical.",
            ),
            (
                "The biases were initialised to zero",
                "zero-bias-breaks-symmetry",
                "Zero biases are standard: random weights already give every unit a different output and gradient.",
            ),
            (
                "The weights were drawn from too wide a distribution",
                "bigger-is-better",
                "Large random weights differ from each other; they saturate tanh or explode, they do not make "
                "units identical.",
            ),
        ),
        claims=(
            "equal-weights-stay-symmetric",
            "one-zero-layer-recovers",
            "random-weights-break-symmetry",
            "large-weights-saturate-tanh",
            "large-weights-explode",
        ),
    ),
    "huge-first-loss": _Symptom(
        contexts=(
            "a 12-layer ReLU MLP for house prices",
            "a deep ReLU CNN for medical images",
            "an image autoencoder",
        ),
        text="the loss printed at the very first step, before any update, is about $10^8$ (a well-initialised copy "
        "of the same network starts near 1), and a few steps later it is NaN.",
        cause="The weights are initialised far too large, so the activations grow layer by layer",
        why="Correct: before the first update only the initial weights act, and they make the output enormous.",
        explanation="Before the first update only the initial weights act. With $\\mathrm{Var}(W)$ far above "
        "$1/n_{\\mathrm{in}}$ (for example $N(0, 1)$ whatever the fan-in) each layer multiplies the signal's "
        "variance by $r = n_{\\mathrm{in}}\\,\\mathrm{Var}(W) > 1$, so the output and the loss are enormous from "
        "step 0; the gradients are enormous too, and the next steps overflow to Inf and NaN. He (ReLU) or Xavier "
        "(tanh) scaling keeps $r$ near 1.",
        wrongs=(
            (
                "The learning rate is too high",
                "learning-rate-for-init",
                "At the first step the learning rate has not acted yet, and the loss is already huge. A learning "
                "rate that is too high shows as a normal first loss that blows up later.",
            ),
            (
                "The weights are initialised too small, so the gradients vanish",
                "vanishing-exploding-swap",
                "Too-small weights shrink the output towards 0; they do not make the first loss huge.",
            ),
            (
                "All weights were initialised to zero",
                "zero-init",
                "Zero weights give an output of 0 and a first loss of the order of the targets' square, not $10^8$.",
            ),
        ),
        claims=(
            "large-init-large-first-loss",
            "large-weights-explode",
            "high-learning-rate-diverges-later",
            "depth-multiplies-variance",
            "small-weights-vanish",
        ),
    ),
    "nan-after-normal": _Symptom(
        contexts=(
            "a fraud-detection MLP",
            "a speech-command classifier",
            "an image autoencoder",
            "a spam classifier",
        ),
        text="the first loss is about 0.7, as expected for this task, and it falls for a few steps; then it "
        "oscillates, grows, and after a few dozen steps it is NaN. The layers use the framework's default "
        "initialisation.",
        cause="The learning rate is too high",
        why="Correct: a normal first loss clears the initial scale; steps that overshoot further each time make "
        "the loss grow until it overflows.",
        explanation="A normal first loss shows that the initial scale is fine: with weights far too large the loss "
        "would be enormous before any update. Steps that are too large overshoot the minimum, each overshoot "
        "larger than the last, and the loss grows until it overflows to Inf or NaN. Lower the learning rate (or "
        "warm it up); gradient clipping is a safety net.",
        wrongs=(
            (
                "The weights are initialised far too large",
                "learning-rate-for-init",
                "Then the loss would be enormous at the very first step, before any update; here it started normal.",
            ),
            (
                "The weights are initialised too small, so the gradients vanish",
                "vanishing-exploding-swap",
                "Vanishing gradients stall the loss; they do not make it grow to NaN.",
            ),
            (
                "The training set is too small",
                "unrelated-hyperparameter",
                "A small data set leads to overfitting, not to a training loss that grows to NaN.",
            ),
        ),
        claims=("high-learning-rate-diverges-later", "large-init-large-first-loss", "small-weights-vanish"),
    ),
    "early-layers-stuck": _Symptom(
        contexts=(
            "a 30-layer tanh MLP for fraud detection",
            "a 30-layer tanh network for speech commands",
            "a 30-layer tanh regression network",
        ),
        text="the gradient that backpropagation delivers to the first layers' activations is about $10^{-9}$ of "
        "the gradient at the last layer, and the activations themselves shrink layer by layer towards 0.",
        cause="The weights are initialised too small, so signals and gradients vanish",
        why="Correct: with a per-layer factor below 1, the forward signal and the gradient sent back both shrink "
        "geometrically with depth.",
        explanation="With $r = n_{\\mathrm{in}}\\,\\mathrm{Var}(W) < 1$ per layer, both the forward signal and "
        "the gradient sent back shrink geometrically with depth: after 30 layers almost nothing reaches the start. "
        "Xavier's $2/(n_{\\mathrm{in}} + n_{\\mathrm{out}})$ keeps $r$ near 1 for tanh.",
        wrongs=(
            (
                "The weights are initialised too large, so tanh saturates",
                "vanishing-exploding-swap",
                "Too-large weights push tanh's activations towards ±1, not towards 0, and through many saturated "
                "layers the gradient grows rather than shrinks.",
            ),
            (
                "The batch size is too small",
                "unrelated-hyperparameter",
                "Batch size changes the noise of the gradient, not its scale across layers.",
            ),
            (
                "The learning rate is too small",
                "unrelated-hyperparameter",
                "A larger step scales every update, but the gradient reaching the first layers is still $10^{-9}$ "
                "of the last layer's: the scale problem is in the weights.",
            ),
        ),
        claims=(
            "small-weights-vanish",
            "depth-multiplies-variance",
            "xavier-tanh-stable",
            "large-weights-saturate-tanh",
            "saturated-tanh-gradients-grow",
        ),
    ),
    "flat-loss": _Symptom(
        contexts=(
            "a spam classifier",
            "a fraud-detection MLP",
            "an image autoencoder",
            "a speech-command classifier",
        ),
        text="the training loss barely decreases from the very first epoch.",
        cause="Check the initialisation scale and the learning rate first",
        why="Correct: the starting scale and the step size are the first suspects for a loss that does not move.",
        explanation="The chapter's first check for a loss that does not move is the starting point and the step "
        "size: a bad initial scale (signals that vanish or saturate, units that start identical) or an unsuitable "
        "learning rate stalls training before anything else matters. Both are quick to check: log each layer's "
        "activation scale and try a few learning rates.",
        wrongs=(
            (
                "Add dropout to regularise the network",
                "unrelated-hyperparameter",
                "Dropout fights overfitting; a loss that does not fall on the training data is not overfitting.",
            ),
            (
                "Train for many more epochs before changing anything",
                "unrelated-hyperparameter",
                "If almost no gradient reaches the weights, more epochs repeat the same tiny steps; check the start "
                "and the step size first.",
            ),
            (
                "Double the number of layers to add capacity",
                "unrelated-hyperparameter",
                "A deeper network with the same poor initial scale stalls even more: the per-layer factor compounds "
                "with depth.",
            ),
        ),
        claims=(
            "small-weights-vanish",
            "large-weights-saturate-tanh",
            "equal-weights-stay-symmetric",
            "depth-multiplies-variance",
        ),
        ask="What should you check first?",
    ),
    "relu-shrinking": _Symptom(
        contexts=(
            "a 20-layer ReLU MLP for tabular data",
            "a deep ReLU CNN for medical images",
            "a 20-layer ReLU network for speech commands",
        ),
        text="you log the mean square of each hidden layer's activations: it roughly halves from one layer to the "
        "next, and the last layers output almost 0. The loss hardly moves.",
        cause="The weights' variance is half of what ReLU layers need; use He initialisation, "
        "$\\mathrm{Var}(W) = 2/n_{\\mathrm{in}}$",
        why="Correct: ReLU halves the second moment at each layer, and only a doubled variance cancels it.",
        explanation="ReLU zeroes the negative half of its input, halving the second moment at each layer. An "
        "initialisation that keeps the variance of a linear layer ($1/n_{\\mathrm{in}}$, or Xavier with equal "
        "fans) leaves a factor 1/2 per layer, so after $L$ layers only $0.5^L$ of it is left "
        "($0.5^{20} \\approx 10^{-6}$). He's $2/n_{\\mathrm{in}}$ doubles the variance to cancel the halving.",
        wrongs=(
            (
                "Use Xavier initialisation instead",
                "xavier-for-relu",
                "With equal fans Xavier gives exactly $\\mathrm{Var}(W) = 1/n_{\\mathrm{in}}$: the factor 1/2 per "
                "layer you are seeing.",
            ),
            (
                "Initialise the biases to a small positive value, such as 0.01",
                "bias-for-scale",
                "A positive bias keeps some ReLUs active, but the weights' variance sets the per-layer factor: the "
                "halving stays.",
            ),
            (
                "Lower the learning rate",
                "unrelated-hyperparameter",
                "The halving is there in the forward pass before any update: no learning rate causes it.",
            ),
        ),
        claims=("xavier-relu-vanishes", "relu-halves-second-moment", "he-relu-preserves"),
        ask="What should you change?",
    ),
    "tanh-saturated": _Symptom(
        contexts=(
            "a tanh MLP with 512-unit layers for tabular data",
            "a 512-unit tanh network for speech commands",
            "a tanh autoencoder with 512-unit layers",
        ),
        text="the weights were drawn from $N(0, 1)$, and from the very first batch almost every hidden activation is "
        "close to $-1$ or $+1$.",
        cause="The weights are far too large for 512 inputs, so tanh saturates; scale them by the fan-in (Xavier)",
        why="Correct: with 512 inputs of variance-1 weights, each pre-activation has a standard deviation of "
        "about 23, deep in tanh's flat tails.",
        explanation="With $\\mathrm{Var}(W) = 1$ and $n_{\\mathrm{in}} = 512$, each pre-activation has variance "
        "about 512 (standard deviation about 23): tanh sits in its flat tails, and about 95% of the activations "
        "are beyond $|a| > 0.9$. A saturated unit's derivative is nearly 0, so it passes almost no gradient to its "
        "own incoming weights. Xavier's $\\mathrm{Var}(W) = 2/(n_{\\mathrm{in}} + n_{\\mathrm{out}}) = 2/1024$ "
        "keeps the units in their responsive range (PyTorch adds the gain 5/3 for tanh; He's $2/512$ would also "
        "leave only about 7% beyond 0.9, but tanh does not need its factor 2).",
        wrongs=(
            (
                "The weights are too small, so the signal vanishes",
                "vanishing-exploding-swap",
                "Small weights keep tanh near 0, not near ±1.",
            ),
            (
                "The learning rate is too high",
                "learning-rate-for-init",
                "The saturation is there in the first batch, before any update.",
            ),
            (
                "The inputs were not normalised",
                "unrelated-hyperparameter",
                "Unscaled inputs can saturate the first layer, but the later layers receive tanh outputs in "
                "$[-1, 1]$: their saturation comes from variance-1 weights summed over 512 inputs.",
            ),
        ),
        claims=(
            "large-weights-saturate-tanh",
            "saturated-unit-small-local-gradient",
            "xavier-tanh-stable",
            "he-tanh-not-saturated",
            "small-weights-vanish",
        ),
    ),
}


_SYMPTOM_IDS = tuple(sorted(SYMPTOMS))


def _init_diagnosis_draw(rng: random.Random) -> tuple[tuple[str, str], tuple[str, str]]:
    symptom_id = rng.choice(_SYMPTOM_IDS)
    drawn = (symptom_id, rng.choice(SYMPTOMS[symptom_id].contexts))
    return drawn, drawn


def _init_diagnosis_finish(rng: random.Random, drawn: tuple[str, str]) -> dict[str, Any]:
    symptom_id, context = drawn
    symptom = SYMPTOMS[symptom_id]
    correct = Candidate(symptom.cause, feedback=symptom.why)
    wrong = [Candidate(text, misconception=m, feedback=why) for text, m, why in symptom.wrongs]
    options, answer = choose_options(rng, correct, wrong, 4)
    return {
        "type": "choice",
        "params": {"symptom": symptom_id, "context": context},
        "prompt": f"While training {context}, {symptom.text} {symptom.ask}",
        "options": options,
        "answer": answer,
        "explanation": symptom.explanation,
        "hint": "Was it there before the first update? Is the signal too small, too large, or identical across units?",
        "difficulty": 2,
        "tags": ("diagnosis", "generated"),
        "claims": symptom.claims,
    }


CONCEPT_GENERATORS = (
    Generator(
        id="activation-choice",
        topic="he",
        title="Which initialisation fits an activation",
        description="Given a layer's activation (ReLU family, or tanh, sigmoid, softsign, linear), choose He or "
        "Xavier; distractors: the other scheme, zero init, a fixed N(0, 1).",
        params={"activation": ", ".join(sorted(ACTIVATIONS)), "context": "settings that use that activation"},
        build=split(_activation_draw, _activation_finish),
        draw=_activation_draw,
        finish=_activation_finish,
        space_size=sum(len(a.contexts) for a in ACTIVATIONS.values()),
        difficulty=1,
        claims=_ACTIVATION_CLAIMS,
    ),
    Generator(
        id="depth-scaling",
        topic="vanishing",
        title="Per-layer factor r = n_in Var(W) over L layers",
        description="The overall factor r^L, or whether the signal vanishes, explodes or is preserved as layers "
        "are added.",
        params={
            "n": ", ".join(map(str, _WIDTHS)) + " (the fan-in)",
            "var_w": "r/n",
            "L": ", ".join(map(str, _DEPTHS)),
            "r": ", ".join(map(fmt, _FACTORS)),
            "ask": "factor or outcome",
        },
        build=split(_depth_scaling_draw, _depth_scaling_finish),
        draw=_depth_scaling_draw,
        finish=_depth_scaling_finish,
        space_size=len(_FACTORS) * len(_WIDTHS) * len(_DEPTHS)
        + (len(_FACTORS) - 1) * len(_WIDTHS) * len(_DEPTHS),
        claims=_DEPTH_CLAIMS,
        calculated=Calculated(
            prompt="A deep linear(ised) network has $L = {L}$ layers, each with $n_{\\mathrm{in}} = {n}$ inputs per "
            "unit and weights drawn with $\\mathrm{Var}(W) = {var_w}$. By what overall factor $r^L$ is the variance "
            "of the signal multiplied from the input to the output? Give 3 significant figures.",
            answer="(n * var_w) ** L",
            explanation="Each layer multiplies the variance by $r = n_{\\mathrm{in}}\\,\\mathrm{Var}(W)$; over $L$ "
            "layers the factor is $r^L$: it vanishes when $r < 1$, explodes when $r > 1$.",
            tolerance=DEPTH_TOLERANCE,
            params=("n", "var_w", "L"),
        ),
    ),
    Generator(
        id="init-diagnosis",
        topic="scenario",
        title="From a training symptom to its cause",
        description="Identical units, a huge first loss, NaN after a normal start, early layers starved, a flat "
        "loss, shrinking ReLU activations, saturated tanh: the likely cause, initialisation or learning rate.",
        params={
            "symptom": ", ".join(sorted(SYMPTOMS)),
            "context": "settings that fit the symptom",
        },
        build=split(_init_diagnosis_draw, _init_diagnosis_finish),
        draw=_init_diagnosis_draw,
        finish=_init_diagnosis_finish,
        space_size=sum(len(s.contexts) for s in SYMPTOMS.values()),
        claims=tuple(sorted({c for s in SYMPTOMS.values() for c in s.claims})),
    ),
)
