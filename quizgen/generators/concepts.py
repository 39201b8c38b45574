"""Generators for reasoning rather than arithmetic: which initialisation fits an activation,
what depth does to a per-layer factor, and which cause a training symptom points to."""

from __future__ import annotations

import random
from typing import Any

from ..numbers import fmt
from .base import Calculated, Candidate, Generator, choose_options

CONTEXTS = (
    "a spam classifier",
    "a deep CNN for medical images",
    "a fraud-detection MLP",
    "an image autoencoder",
    "a speech-command classifier",
)

# activation -> (the fitting scheme, why)
ACTIVATIONS: dict[str, tuple[str, str]] = {
    "ReLU": ("He", "ReLU zeroes the negative half of its input, halving the signal's second moment"),
    "Leaky ReLU (slope 0.01)": (
        "He",
        "Leaky ReLU is in the ReLU family: it nearly zeroes the negative half (He's variance becomes "
        "$2/((1 + a^2) n_{\\mathrm{in}})$, practically $2/n_{\\mathrm{in}}$ for $a = 0.01$)",
    ),
    "PReLU": ("He", "PReLU is in the ReLU family (He et al. introduced He initialisation together with it)"),
    "tanh": (
        "Xavier",
        "tanh is symmetric around 0 and close to linear there, so it does not halve the signal",
    ),
    "sigmoid": ("Xavier", "the chapter pairs Xavier with the smooth symmetric activations, tanh and sigmoid"),
    "softsign": ("Xavier", "softsign, like tanh, is symmetric around 0 and does not halve the signal"),
    "no activation (linear)": ("Xavier", "a linear layer passes the variance through unchanged"),
}

_SCHEMES = {
    "He": "He (Kaiming) initialisation, $\\mathrm{Var}(W) = 2/n_{\\mathrm{in}}$",
    "Xavier": "Xavier (Glorot) initialisation, $\\mathrm{Var}(W) = 2/(n_{\\mathrm{in}} + n_{\\mathrm{out}})$",
}


def _activation_choice(rng: random.Random) -> dict[str, Any]:
    activation = rng.choice(sorted(ACTIVATIONS))
    context = rng.choice(CONTEXTS)
    scheme, why = ACTIVATIONS[activation]
    other = "Xavier" if scheme == "He" else "He"
    correct = Candidate(_SCHEMES[scheme], feedback=f"Correct: {why}.")
    wrong = [
        Candidate(
            _SCHEMES[other],
            misconception="xavier-for-relu" if scheme == "He" else "he-for-tanh",
            feedback=(
                "Xavier's variance is about half of what a ReLU-family layer needs; the signal shrinks "
                "layer by layer."
                if scheme == "He"
                else "He's doubled variance suits ReLU; for a symmetric activation it is too large and "
                "pushes units towards saturation."
            ),
        ),
        Candidate(
            "All weights set to 0",
            misconception="zero-init",
            feedback="Zero weights give every unit the same output and gradient: symmetry is never broken.",
        ),
        Candidate(
            "$N(0, 1)$ for every weight, whatever the layer size",
            misconception="bigger-is-better",
            feedback="A fixed variance of 1 ignores the fan-in: with $n_{\\mathrm{in}}$ inputs each layer multiplies the "
            "variance by about $n_{\\mathrm{in}}$, so signals explode.",
        ),
    ]
    options, answer = choose_options(rng, correct, wrong, 4)
    return {
        "type": "choice",
        "params": {"activation": activation, "context": context},
        "prompt": f"The hidden layers of {context} use **{activation}**. Which initialisation fits them best?",
        "options": options,
        "answer": answer,
        "explanation": (
            f"Use {_SCHEMES[scheme]}: {why}. The rule of thumb from the chapter: He for the ReLU family, "
            "Xavier for tanh and sigmoid. Zero weights never break symmetry, and a fixed $N(0, 1)$ ignores "
            "the layer size."
        ),
        "hint": "Does the activation zero out half of its input?",
        "difficulty": 1,
        "tags": ("activations", "generated"),
    }


_FACTORS = (0.5, 0.6, 0.8, 0.9, 1.0, 1.1, 1.2, 1.5, 2.0)
_WIDTHS = (100, 200, 250, 400, 500, 1000)
_DEPTHS = (5, 10, 20, 30, 50)
_OUTCOMES = {
    "vanishes": "It shrinks towards 0 (vanishes)",
    "explodes": "It grows without bound (explodes)",
    "preserved": "It keeps its scale (preserved)",
}


def _depth_scaling(rng: random.Random) -> dict[str, Any]:
    r = rng.choice(_FACTORS)
    n = rng.choice(_WIDTHS)
    depth = rng.choice(_DEPTHS)
    var_w = round(r / n, 12)
    ask = rng.choice(("factor", "outcome"))
    factor = r**depth
    outcome = "vanishes" if r < 1 else "explodes" if r > 1 else "preserved"
    layer = (
        f"A deep linear(ised) network has $L = {depth}$ layers, each with $n = {n}$ inputs per unit and "
        f"weights drawn with $\\mathrm{{Var}}(W) = {fmt(var_w)}$."
    )
    worked = (
        f"Each layer multiplies the variance by $r = n \\cdot \\mathrm{{Var}}(W) = {n} \\cdot {fmt(var_w)} = "
        f"{fmt(r)}$, so after {depth} layers the factor is $r^L = {fmt(r)}^{{{depth}}} \\approx {fmt(factor)}$. "
    )
    verdict = {
        "vanishes": "Since $r < 1$ the signal (and the gradient, which scales the same way) vanishes.",
        "explodes": "Since $r > 1$ the signal (and the gradient) explodes: NaN or Inf is near.",
        "preserved": "Since $r = 1$ the variance is preserved: this is what Xavier and He aim for.",
    }[outcome]
    fields: dict[str, Any] = {
        "params": {"n": n, "var_w": var_w, "L": depth, "r": r, "ask": ask},
        "explanation": worked + verdict,
        "hint": "Multiply n by Var(W) to get the per-layer factor r, then raise it to the number of layers.",
        "tags": ("depth", "generated"),
        "topic": "exploding" if r > 1 else "vanishing",
    }
    if ask == "factor":
        fields.update(
            type="numeric",
            prompt=f"{layer} By what overall factor $r^L$ is the variance of the signal multiplied from the "
            "input to the output? Give 3 significant figures.",
            answer=factor,
            tolerance=0.006,
            tolerance_type="relative",
            difficulty=2,
        )
        return fields
    correct = Candidate(
        _OUTCOMES[outcome], feedback=f"Correct: $r = {fmt(r)}$ and $r^L \\approx {fmt(factor)}$."
    )
    wrong = []
    for other in _OUTCOMES:
        if other == outcome:
            continue
        swap = {outcome, other} == {"vanishes", "explodes"}
        wrong.append(
            Candidate(
                _OUTCOMES[other],
                misconception="vanishing-exploding-swap"
                if swap
                else ("smaller-is-safer" if outcome == "vanishes" else None),
                feedback=f"With $r = {fmt(r)}$ the factor after {depth} layers is $r^L \\approx {fmt(factor)}$.",
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
        prompt=f"{layer} What happens to the scale of the signal as it passes through the network?",
        options=options,
        answer=answer,
        difficulty=2,
    )
    return fields


# symptom id -> (symptom text, correct cause, explanation, wrong causes [(text, misconception, why)])
SYMPTOMS: dict[str, tuple[str, str, str, tuple[tuple[str, str | None, str], ...]]] = {
    "identical-units": (
        "After a thousand steps every hidden unit of a layer still has exactly the same weights, and the "
        "loss stopped improving early.",
        "All weights were initialised to the same value (e.g. zero), so symmetry was never broken",
        "Units that start equal compute the same output and receive the same gradient, so they stay equal "
        "forever: the layer behaves like a single unit. Small random weights break the symmetry.",
        (
            (
                "The learning rate is too small",
                "unrelated-hyperparameter",
                "A small step slows learning but does not make different units identical.",
            ),
            (
                "The weights were initialised too large",
                "bigger-is-better",
                "Large random weights differ from "
                "each other; they explode or saturate, they do not make units identical.",
            ),
            (
                "The biases were initialised to zero",
                "zero-bias-breaks-symmetry",
                "Zero biases are standard and harmless: random weights already break symmetry.",
            ),
        ),
    ),
    "nan-loss": (
        "The loss looks normal for a few steps, then becomes NaN; the gradient norms grow layer by layer "
        "towards the input.",
        "The weights are initialised too large, so the gradients explode",
        "Backpropagation multiplies one factor per layer; with weights too large each factor exceeds 1 and "
        "the product grows like $r^L$ until it overflows to Inf or NaN. Xavier or He scaling keeps $r$ near 1.",
        (
            (
                "The weights are initialised too small, so the gradients vanish",
                "vanishing-exploding-swap",
                "Too-small weights shrink gradients towards 0; they do not overflow.",
            ),
            (
                "All weights were initialised to zero",
                "zero-init",
                "Zero weights give zero or identical gradients, not growing ones.",
            ),
            (
                "The training set is too small",
                "unrelated-hyperparameter",
                "Data size does not make gradient norms grow layer by layer.",
            ),
        ),
    ),
    "early-layers-stuck": (
        "In a 30-layer tanh network the gradients that reach the first layers are around $10^{-9}$, and "
        "those layers barely change.",
        "The weights are initialised too small, so the gradients vanish",
        "With $r = n\\,\\mathrm{Var}(W) < 1$ per layer, the backpropagated gradient shrinks like $r^L$: after "
        "30 layers almost nothing reaches the start. Xavier's $2/(n_{\\mathrm{in}} + n_{\\mathrm{out}})$ keeps $r$ near 1.",
        (
            (
                "The weights are initialised too large, so the gradients explode",
                "vanishing-exploding-swap",
                "Exploding gradients grow towards the input; these shrink.",
            ),
            (
                "The batch size is too small",
                "unrelated-hyperparameter",
                "Batch size changes the noise of the gradient, not its scale across layers.",
            ),
            (
                "The biases were initialised to zero",
                "zero-bias-breaks-symmetry",
                "Zero biases are standard; the weights' scale sets how gradients shrink.",
            ),
        ),
    ),
    "flat-loss": (
        "The loss barely decreases from the very first epoch.",
        "Check the initialisation scale and the learning rate first",
        "The chapter's first check for a loss that does not move is the starting point and the step size: a "
        "bad initial scale (vanishing signals, saturation, symmetric units) or an unsuitable learning rate "
        "stalls training before anything else matters.",
        (
            (
                "Collect more training data, and change nothing else",
                "unrelated-hyperparameter",
                "More data does not help a network that cannot learn from the data it has.",
            ),
            (
                "Increase the batch size, and change nothing else",
                "unrelated-hyperparameter",
                "Batch size does not fix a bad starting scale.",
            ),
            (
                "Set every weight to zero to start from a neutral point",
                "zero-init",
                "Zero weights never break symmetry; this makes things worse.",
            ),
        ),
    ),
    "relu-shrinking": (
        "A 20-layer ReLU network initialised with Xavier: the activations' variance roughly halves at every "
        "layer, and the last layers output almost 0.",
        "Xavier was used with ReLU; switch to He initialisation",
        "ReLU zeroes half of its input, halving the second moment at each layer; Xavier does not compensate "
        "(for $n_{\\mathrm{in}} = n_{\\mathrm{out}}$ it gives $n\\,\\mathrm{Var}(W) = 1$, so the factor is 1/2 per layer). He's "
        "$\\mathrm{Var}(W) = 2/n_{\\mathrm{in}}$ doubles the variance to cancel the halving.",
        (
            (
                "The weights are initialised too large",
                "bigger-is-better",
                "Too-large weights grow the activations; these shrink.",
            ),
            (
                "He initialisation should be replaced by Xavier",
                "xavier-for-relu",
                "The network already uses Xavier; that is the problem.",
            ),
            (
                "The biases were initialised to zero",
                "zero-bias-breaks-symmetry",
                "Zero biases do not change the variance from layer to layer.",
            ),
        ),
    ),
    "tanh-saturated": (
        "A tanh network with 512-unit layers was initialised with $N(0, 1)$ weights: almost every activation "
        "is close to $\\pm 1$ and the gradients are tiny.",
        "The weights are far too large, so tanh saturates; use Xavier initialisation",
        "With $\\mathrm{Var}(W) = 1$ and 512 inputs, each pre-activation has variance about 512: tanh sits "
        "in its flat tails, where its derivative is nearly 0, so gradients vanish. Xavier's "
        "$\\mathrm{Var}(W) = 2/(n_{\\mathrm{in}} + n_{\\mathrm{out}}) = 2/1024$ keeps the units in their responsive range.",
        (
            (
                "The weights are too small, so the signal vanishes",
                "vanishing-exploding-swap",
                "Small weights keep tanh near 0, not near ±1.",
            ),
            (
                "tanh layers need He initialisation",
                "he-for-tanh",
                "He's doubled variance suits ReLU; for tanh it pushes further into saturation.",
            ),
            (
                "The learning rate is too high",
                "unrelated-hyperparameter",
                "The saturation is there before the first update.",
            ),
        ),
    ),
}


def _init_diagnosis(rng: random.Random) -> dict[str, Any]:
    symptom_id = rng.choice(sorted(SYMPTOMS))
    context = rng.choice(CONTEXTS)
    symptom, cause, explanation, wrongs = SYMPTOMS[symptom_id]
    correct = Candidate(cause, feedback=f"Correct: {explanation.split(': ')[0].split('. ')[0]}.")
    wrong = [Candidate(text, misconception=m, feedback=why) for text, m, why in wrongs]
    options, answer = choose_options(rng, correct, wrong, 4)
    return {
        "type": "choice",
        "params": {"symptom": symptom_id, "context": context},
        "prompt": f"While training {context}: {symptom} What is the most likely cause, or the first thing to "
        "check?",
        "options": options,
        "answer": answer,
        "explanation": explanation,
        "hint": "Is the signal too small, too large, or identical across units?",
        "difficulty": 2,
        "tags": ("diagnosis", "generated"),
    }


CONCEPT_GENERATORS = (
    Generator(
        id="activation-choice",
        topic="he",
        title="Which initialisation fits an activation",
        description="Given a layer's activation (ReLU family or tanh/sigmoid family), choose He or Xavier; "
        "distractors: the other scheme, zero init, a fixed N(0, 1).",
        params={"activation": ", ".join(sorted(ACTIVATIONS)), "context": f"{len(CONTEXTS)} settings"},
        build=_activation_choice,
        space_size=len(ACTIVATIONS) * len(CONTEXTS),
        difficulty=1,
    ),
    Generator(
        id="depth-scaling",
        topic="vanishing",
        title="Per-layer factor r = n Var(W) over L layers",
        description="The overall factor r^L, or whether the signal vanishes, explodes or is preserved.",
        params={
            "n": ", ".join(map(str, _WIDTHS)),
            "var_w": "r/n",
            "L": ", ".join(map(str, _DEPTHS)),
            "r": ", ".join(map(fmt, _FACTORS)),
            "ask": "factor or outcome",
        },
        build=_depth_scaling,
        space_size=len(_FACTORS) * len(_WIDTHS) * len(_DEPTHS) * 2,
        calculated=Calculated(
            prompt="A deep linear(ised) network has $L = {L}$ layers, each with $n = {n}$ inputs per unit and "
            "weights drawn with $\\mathrm{Var}(W) = {var_w}$. By what overall factor $r^L$ is the variance of the "
            "signal multiplied from the input to the output? Give 3 significant figures.",
            answer="(n * var_w) ** L",
            explanation="Each layer multiplies the variance by $r = n \\cdot \\mathrm{Var}(W)$; over $L$ layers "
            "the factor is $r^L$: it vanishes when $r < 1$, explodes when $r > 1$.",
            tolerance=0.006,
            params=("n", "var_w", "L"),
        ),
    ),
    Generator(
        id="init-diagnosis",
        topic="scenario",
        title="From a training symptom to its cause",
        description="Flat loss, NaN loss, early layers not learning, identical units, shrinking ReLU "
        "activations, saturated tanh: the likely initialisation cause.",
        params={"symptom": ", ".join(sorted(SYMPTOMS)), "context": f"{len(CONTEXTS)} settings"},
        build=_init_diagnosis,
        space_size=len(SYMPTOMS) * len(CONTEXTS),
    ),
)
