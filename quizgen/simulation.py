"""Small, seeded numpy simulations of deep networks: the one place where claims are checked.

A question that says how a network behaves (it saturates, vanishes, explodes, stays
symmetric, ends in NaN) names the claims its key relies on (``claims:`` in a bank,
vocabulary.BUILTIN_CLAIMS for the statements). Each claim has a check here that runs
a real forward and backward pass, or a few steps of gradient descent, and reports
what it measured; tests/test_claims.py runs them all, and ``quizgen claims --check``
prints the evidence. The worksheet figure (figures.py) draws :func:`simulate`.

Everything is float64 numpy with an explicit ``numpy.random.default_rng(seed)``,
bias-free unless a check says otherwise, and small enough to run in well under a
second per claim.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
StdRule = Callable[[int, int], float]
"""The weights' standard deviation for a layer with (n_in, n_out)."""

# -- activations ------------------------------------------------------------------------

SELU_ALPHA = 1.6732632423543772
SELU_SCALE = 1.0507009873554805


def _sigmoid(z: FloatArray) -> FloatArray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # no overflow for large |z|


def _selu(z: FloatArray) -> FloatArray:
    return SELU_SCALE * np.where(z > 0, z, SELU_ALPHA * np.expm1(np.minimum(z, 0.0)))


FUNCTIONS: dict[str, Callable[[FloatArray], FloatArray]] = {
    "tanh": np.tanh,
    "ReLU": lambda z: np.maximum(z, 0.0),
    "sigmoid": _sigmoid,
    "linear": lambda z: z,
    "SELU": _selu,
}
DERIVATIVES: dict[str, Callable[[FloatArray, FloatArray], FloatArray]] = {
    # (pre-activation z, activation a) -> f'(z)
    "tanh": lambda z, a: 1.0 - a * a,
    "ReLU": lambda z, a: (z > 0).astype(np.float64),
    "sigmoid": lambda z, a: a * (1.0 - a),
    "linear": lambda z, a: np.ones_like(z),
    "SELU": lambda z, a: np.where(z > 0, SELU_SCALE, a + SELU_SCALE * SELU_ALPHA),
}


def xavier_std(n_in: int, n_out: int) -> float:
    return math.sqrt(2.0 / (n_in + n_out))


def he_std(n_in: int, n_out: int) -> float:
    return math.sqrt(2.0 / n_in)


def lecun_std(n_in: int, n_out: int) -> float:
    return math.sqrt(1.0 / n_in)


def fixed_std(sigma: float) -> StdRule:
    def rule(n_in: int, n_out: int) -> float:
        return sigma

    return rule


# -- a deep network, forward and backward -------------------------------------------------


@dataclass(frozen=True)
class Trace:
    """What one forward and backward pass through a stack of layers measured, layer 1 first."""

    std: tuple[float, ...]
    """Standard deviation of each layer's activations."""
    second_moment: tuple[float, ...]
    """E[a²] of each layer's activations."""
    pre_variance: tuple[float, ...]
    """Variance of each layer's pre-activations z = W h."""
    saturated_90: tuple[float, ...]
    """Fraction of activations with |a| > 0.9."""
    saturated_99: tuple[float, ...]
    """Fraction of activations with |a| > 0.99."""
    grad_activation: tuple[float, ...]
    """Root mean square of the backpropagated gradient dL/da at each layer's output."""
    grad_weight: tuple[float, ...]
    """Frobenius norm of each layer's weight gradient dL/dW."""

    def mean(self, values: Sequence[float], skip_first: bool = True) -> float:
        chosen = values[1:] if skip_first and len(values) > 1 else values
        return float(np.mean(chosen))


def layer_widths(depth: int, width: int) -> tuple[int, ...]:
    return (width,) * (depth + 1)


def random_weights(rng: np.random.Generator, widths: Sequence[int], rule: StdRule) -> list[FloatArray]:
    """One Gaussian matrix per layer, shape (n_out, n_in), with the rule's standard deviation."""
    return [
        rng.standard_normal((n_out, n_in)) * rule(n_in, n_out) for n_in, n_out in itertools.pairwise(widths)
    ]


def propagate(
    activation: str, weights: Sequence[FloatArray], inputs: FloatArray, upstream: FloatArray
) -> Trace:
    """Forward ``inputs`` (batch × n_in) through the layers, then backpropagate ``upstream`` = dL/da_L."""
    f, df = FUNCTIONS[activation], DERIVATIVES[activation]
    hs, zs = [inputs], []
    with np.errstate(over="ignore", invalid="ignore"):
        for w in weights:
            z = hs[-1] @ w.T
            zs.append(z)
            hs.append(f(z))
        grad_a: list[float] = [0.0] * len(weights)
        grad_w: list[float] = [0.0] * len(weights)
        d = upstream
        for index in reversed(range(len(weights))):
            grad_a[index] = float(np.sqrt(np.mean(d * d)))
            dz = d * df(zs[index], hs[index + 1])
            grad_w[index] = float(np.linalg.norm(dz.T @ hs[index]))
            d = dz @ weights[index]
    outs = hs[1:]
    return Trace(
        std=tuple(float(np.std(a)) for a in outs),
        second_moment=tuple(float(np.mean(a * a)) for a in outs),
        pre_variance=tuple(float(np.var(z)) for z in zs),
        saturated_90=tuple(float(np.mean(np.abs(a) > 0.9)) for a in outs),
        saturated_99=tuple(float(np.mean(np.abs(a) > 0.99)) for a in outs),
        grad_activation=tuple(grad_a),
        grad_weight=tuple(grad_w),
    )


@cache
def deep_network(
    activation: str,
    rule: StdRule,
    depth: int = 20,
    width: int = 512,
    batch: int = 256,
    seed: int = 0,
    widths: tuple[int, ...] | None = None,
) -> Trace:
    """A bias-free MLP fed N(0, 1) inputs, its output's gradient drawn from N(0, 1) (a random loss)."""
    rng = np.random.default_rng(seed)
    sizes = widths or layer_widths(depth, width)
    inputs = rng.standard_normal((batch, sizes[0]))
    weights = random_weights(rng, sizes, rule)
    upstream = rng.standard_normal((batch, sizes[-1]))
    return propagate(activation, weights, inputs, upstream)


# -- the worksheet figure's simulation ----------------------------------------------------

SCHEMES: tuple[str, ...] = ("zero", "too small (σ = 0.01)", "too large (σ = 1)", "Xavier", "He")
"""The initialisation schemes of the figure, in the order `simulate` returns them."""

ACTIVATIONS: tuple[str, ...] = ("tanh", "ReLU")
"""The figure's activations, in the order `simulate` returns them (and the panels left to right)."""


@dataclass(frozen=True)
class Series:
    """The standard deviation of the activations after each layer (layer 1 first)."""

    scheme: str
    activation: str
    stds: tuple[float, ...]


def weight_std(scheme: str, n_in: int, n_out: int) -> float:
    """The standard deviation of the normal weights that `scheme` draws for an n_in -> n_out layer."""
    if scheme == "zero":
        return 0.0
    if scheme == "too small (σ = 0.01)":
        return 0.01
    if scheme == "too large (σ = 1)":
        return 1.0
    if scheme == "Xavier":
        return xavier_std(n_in, n_out)
    if scheme == "He":
        return he_std(n_in, n_out)
    raise ValueError(f"unknown initialisation scheme: {scheme!r}")


def simulate(seed: int = 0, layers: int = 15, width: int = 256, batch: int = 512) -> list[Series]:
    """Propagate `batch` N(0, 1) inputs through `layers` bias-free layers of `width` units.

    Each layer computes h -> activation(W h). Returns one Series per (scheme, activation),
    schemes in the order of SCHEMES and, within a scheme, activations in the order of
    ACTIVATIONS: 10 series of `layers` values with the defaults. The std is taken over
    all batch x width activations of a layer (population std, float64).

    All ten runs share one input batch and one set of standard-normal matrices G_l, and
    scheme s uses W_l = sigma_s * G_l (common random numbers): the curves then differ only
    because of the initialisation scale and the activation, not because of different
    draws. (ReLU is positively homogeneous, so the too-small and too-large ReLU curves are
    the same curve shifted by exactly 100^l on the log axis.)
    """
    for name, value in (("layers", layers), ("width", width), ("batch", batch)):
        if value < 1:
            raise ValueError(f"{name} must be at least 1, not {value}")
    rng = np.random.default_rng(seed)
    inputs: FloatArray = rng.standard_normal((batch, width))
    # Row-vector convention: activations are (batch, width) and a layer is h @ G.T,
    # so G has shape (n_out, n_in) like a weight matrix W.
    gaussians: list[FloatArray] = [rng.standard_normal((width, width)) for _ in range(layers)]
    result: list[Series] = []
    for scheme in SCHEMES:
        sigma = weight_std(scheme, width, width)
        for activation in ACTIVATIONS:
            function = FUNCTIONS[activation]
            h = inputs
            stds: list[float] = []
            for g in gaussians:
                h = function(h @ (sigma * g).T)
                stds.append(float(np.std(h)))
            result.append(Series(scheme, activation, tuple(stds)))
    return result


# -- training a small network -------------------------------------------------------------


def _regression_data(rng: np.random.Generator, batch: int, d_in: int) -> tuple[FloatArray, FloatArray]:
    inputs = rng.standard_normal((batch, d_in))
    teacher = rng.standard_normal((1, d_in)) / math.sqrt(d_in)
    return inputs, np.sin(inputs @ teacher.T)


def train_losses(
    activation: str,
    rule: StdRule,
    learning_rate: float,
    *,
    steps: int,
    widths: tuple[int, ...] = (16, 64, 64, 64, 1),
    batch: int = 256,
    seed: int = 0,
    dtype: type[np.floating] = np.float32,
    clip: float | None = None,
) -> tuple[list[float], list[FloatArray]]:
    """Full-batch gradient descent on a regression task (mean squared error); the losses, and the final weights.

    Hidden layers use ``activation``, the output layer is linear. Stops at the first
    loss that is not finite (it is recorded). ``clip`` bounds the gradient's global norm.
    """
    rng = np.random.default_rng(seed)
    inputs, targets = _regression_data(rng, batch, widths[0])
    x, y = inputs.astype(dtype), targets.astype(dtype)
    weights = [w.astype(dtype) for w in random_weights(rng, widths, rule)]
    f, df = FUNCTIONS[activation], DERIVATIVES[activation]
    losses: list[float] = []
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            hs, zs = [x], []
            for index, w in enumerate(weights):
                z = hs[-1] @ w.T
                zs.append(z)
                hs.append(z if index == len(weights) - 1 else f(z))
            error = hs[-1] - y
            loss = float(np.mean(error * error))
            losses.append(loss)
            if not math.isfinite(loss):
                break
            d = 2.0 * error / batch
            grads: list[FloatArray] = [np.zeros(0)] * len(weights)
            for index in reversed(range(len(weights))):
                dz = d if index == len(weights) - 1 else d * df(zs[index], hs[index + 1])
                grads[index] = dz.T @ hs[index]
                d = dz @ weights[index]
            if clip is not None:
                total = math.sqrt(sum(float(np.sum(g.astype(np.float64) ** 2)) for g in grads))
                if total > clip:
                    grads = [g * (clip / total) for g in grads]
            weights = [w - learning_rate * g for w, g in zip(weights, grads, strict=True)]
    return losses, weights


def _symmetry_run(
    first: str, steps: int = 30, seed: int = 0, activation: str = "tanh"
) -> tuple[list[FloatArray], list[FloatArray]]:
    """A 8-16-16-1 network (tanh unless told) with biases, trained by gradient descent; (initial, final) weights.

    ``first``: "zero" (every weight and bias 0), "constant" (every weight 0.05, biases 0),
    "zero-first" (the first layer's weights 0, the others random), "random" (all random, biases 0).
    """
    rng = np.random.default_rng(seed)
    inputs, targets = _regression_data(rng, 64, 8)
    sizes = (8, 16, 16, 1)
    weights = random_weights(rng, sizes, xavier_std)
    biases = [np.zeros(n) for n in sizes[1:]]
    if first == "zero":
        weights = [np.zeros_like(w) for w in weights]
    elif first == "constant":
        weights = [np.full_like(w, 0.05) for w in weights]
    elif first == "zero-first":
        weights[0] = np.zeros_like(weights[0])
    initial = [w.copy() for w in weights]
    f, df = FUNCTIONS[activation], DERIVATIVES[activation]
    for _ in range(steps):
        hs, zs = [inputs], []
        for index, (w, b) in enumerate(zip(weights, biases, strict=True)):
            z = hs[-1] @ w.T + b
            zs.append(z)
            hs.append(z if index == len(weights) - 1 else f(z))
        d = 2.0 * (hs[-1] - targets) / len(inputs)
        for index in reversed(range(len(weights))):
            dz = d if index == len(weights) - 1 else d * df(zs[index], hs[index + 1])
            grad_w, grad_b = dz.T @ hs[index], dz.sum(axis=0)
            d = dz @ weights[index]
            weights[index] = weights[index] - 0.1 * grad_w
            biases[index] = biases[index] - 0.1 * grad_b
    return initial, weights


def _row_spread(w: FloatArray) -> float:
    """The largest distance between two units' incoming weights (rows of W)."""
    return float(np.max(np.linalg.norm(w[:, None, :] - w[None, :, :], axis=-1)))


def _closest_rows(w: FloatArray) -> float:
    """The smallest distance between two different units' incoming weights."""
    distances = np.linalg.norm(w[:, None, :] - w[None, :, :], axis=-1)
    return float(np.min(distances[~np.eye(len(w), dtype=bool)]))


# -- the claims -------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """What a claim's simulation measured, and whether that bears the claim out."""

    holds: bool
    detail: str


def _e(holds: bool | np.bool_, detail: str) -> Evidence:
    return Evidence(bool(holds), detail)


def _g(value: float) -> str:
    return f"{value:.3g}"


def _check_equal_weights() -> Evidence:
    parts, holds = [], True
    for first in ("zero", "constant"):
        initial, final = _symmetry_run(first)
        spread = max(_row_spread(w) for w in final[:2])
        moved = max(float(np.max(np.abs(a - b))) for a, b in zip(initial, final, strict=True))
        holds = holds and spread < 1e-12
        parts.append(f"{first}: largest difference between two units' weights after 30 steps {_g(spread)}")
        if first == "constant":
            holds = holds and moved > 1e-3
            parts.append(f"while the weights moved by up to {_g(moved)}")
    return _e(holds, "; ".join(parts))


def _check_one_zero_layer() -> Evidence:
    _, final = _symmetry_run("zero-first", steps=5)
    closest = _closest_rows(final[0])
    scale = float(np.mean(np.linalg.norm(final[0], axis=1)))
    _, relu = _symmetry_run("zero-first", steps=5, activation="ReLU")
    stuck = float(np.max(np.abs(relu[0])))
    return _e(
        closest > 0.01 * scale and stuck == 0.0,
        f"tanh, first layer zero, the rest random: after 5 steps the closest two units' weights differ by "
        f"{_g(closest)} (mean row norm {_g(scale)}); with ReLU the zero layer's largest weight is still "
        f"{_g(stuck)}",
    )


def _check_random_weights() -> Evidence:
    initial, final = _symmetry_run("random")
    before, after = _closest_rows(initial[0]), _closest_rows(final[0])
    return _e(
        before > 0.1 and after > 0.1,
        f"random weights, zero biases: the closest two units differ by {_g(before)} at the start and "
        f"{_g(after)} after 30 steps",
    )


def _check_variance_of_sum() -> Evidence:
    rng = np.random.default_rng(0)
    n_in, var_w, var_x = 256, 0.01, 2.0
    w = rng.standard_normal((512, n_in)) * math.sqrt(var_w)
    x = rng.standard_normal((2000, n_in)) * math.sqrt(var_x)
    measured = float(np.var(x @ w.T))
    expected = n_in * var_w * var_x
    return _e(
        abs(measured / expected - 1) < 0.03,
        f"n_in = {n_in}, Var(W) = {var_w}, Var(x) = {var_x}: Var(z) measured {_g(measured)}, "
        f"n_in Var(W) Var(x) = {_g(expected)}",
    )


def _check_depth_power() -> Evidence:
    parts, holds = [], True
    for r in (0.5, 1.0, 2.0):
        trace = deep_network("linear", fixed_std(math.sqrt(r / 512)), depth=10, width=512)
        factor = trace.second_moment[-1] / 1.0
        holds = holds and abs(math.log10(factor) - 10 * math.log10(r)) < 0.3
        parts.append(f"r = {r}: variance × {_g(factor)} after 10 layers (r^L = {_g(r**10)})")
    return _e(holds, "; ".join(parts))


def _check_backward_fan_out() -> Evidence:
    rng = np.random.default_rng(1)
    n_in, n_out, var_w = 128, 512, 0.004
    w = rng.standard_normal((n_out, n_in)) * math.sqrt(var_w)
    g = rng.standard_normal((2000, n_out))
    measured = float(np.var(g @ w))
    expected = n_out * var_w
    return _e(
        abs(measured / expected - 1) < 0.05,
        f"n_in = {n_in}, n_out = {n_out}, Var(W) = {var_w}: the gradient's variance × {_g(measured)} going "
        f"back, n_out Var(W) = {_g(expected)} (n_in Var(W) would be {_g(n_in * var_w)})",
    )


def _fan_out_he(n_in: int, n_out: int) -> float:
    return math.sqrt(2.0 / n_out)


def _check_he_modes() -> Evidence:
    widths = (64, 128, 256, 512, 1024, 2048)
    fan_in = deep_network("ReLU", he_std, widths=widths)
    fan_out = deep_network("ReLU", _fan_out_he, widths=widths)
    fwd_in = fan_in.second_moment[-1] / fan_in.second_moment[0]
    back_in = fan_in.grad_activation[0] / fan_in.grad_activation[-1]
    fwd_out = fan_out.second_moment[-1] / fan_out.second_moment[0]
    back_out = fan_out.grad_activation[0] / fan_out.grad_activation[-1]
    return _e(
        0.5 < fwd_in < 2 and 0.5 < back_out < 2 and back_in > 4 and fwd_out < 0.25,
        f"widths {'-'.join(map(str, widths))}, ReLU: fan-in mode keeps the forward second moment (× "
        f"{_g(fwd_in)}) while the gradient grows × {_g(back_in)} towards the input; fan-out mode keeps the "
        f"gradient (× {_g(back_out)}) while the forward second moment shrinks × {_g(fwd_out)}",
    )


def _check_relu_halves() -> Evidence:
    rng = np.random.default_rng(2)
    z = rng.standard_normal(1_000_000) * 2.0
    relu = float(np.mean(np.maximum(z, 0) ** 2) / np.mean(z * z))
    a = 0.2
    leaky = float(np.mean(np.where(z > 0, z, a * z) ** 2) / np.mean(z * z))
    return _e(
        abs(relu - 0.5) < 0.01 and abs(leaky - (1 + a * a) / 2) < 0.01,
        f"E[ReLU(z)²]/E[z²] = {relu:.4f}; Leaky ReLU (a = {a}): {leaky:.4f}, (1 + a²)/2 = {(1 + a * a) / 2}",
    )


def _per_layer(values: Sequence[float]) -> float:
    return float((values[-1] / values[0]) ** (1 / (len(values) - 1)))


def _check_xavier_relu() -> Evidence:
    trace = deep_network("ReLU", xavier_std)
    step = _per_layer(trace.second_moment)
    gradient = trace.grad_activation[0] / trace.grad_activation[-1]
    return _e(
        0.45 < step < 0.55 and gradient < 1e-2,
        f"20 ReLU layers, width 512, Xavier: second moment × {step:.3f} per layer; the gradient at layer 1 "
        f"is {_g(gradient)} of that at layer 20",
    )


def _check_he_relu() -> Evidence:
    trace = deep_network("ReLU", he_std)
    forward = trace.std[-1] / trace.std[0]
    gradient = trace.grad_activation[0] / trace.grad_activation[-1]
    return _e(
        0.5 < forward < 2 and 1 / 3 < gradient < 3,
        f"20 ReLU layers, width 512, He: activation std × {_g(forward)} from layer 1 to 20; gradient at "
        f"layer 1 / layer 20 = {_g(gradient)}",
    )


def _check_xavier_tanh() -> Evidence:
    trace = deep_network("tanh", xavier_std)
    saturated = trace.mean(trace.saturated_90)
    gradient = trace.grad_activation[0] / trace.grad_activation[-1]
    return _e(
        saturated < 0.02 and 0.1 < gradient < 10,
        f"20 tanh layers, width 512, Xavier: {saturated:.1%} of activations beyond |a| > 0.9 (layers 2-20); "
        f"gradient at layer 1 / layer 20 = {_g(gradient)}",
    )


def _check_he_tanh() -> Evidence:
    trace = deep_network("tanh", he_std)
    s90, s99 = trace.mean(trace.saturated_90), trace.mean(trace.saturated_99)
    gradient = trace.grad_weight[0] / trace.grad_weight[-1]
    return _e(
        0.02 < s90 < 0.15 and s99 < 0.01 and 1 < gradient < 10,
        f"20 tanh layers, width 512, He: {s90:.1%} beyond |a| > 0.9, {s99:.2%} beyond 0.99; weight gradient "
        f"of layer 1 / layer 20 = {_g(gradient)}; activation std at layer 20 {_g(trace.std[-1])}",
    )


def _tanh_gain(n_in: int, n_out: int) -> float:
    return 5 / 3 * xavier_std(n_in, n_out)


def _check_tanh_gain() -> Evidence:
    trace = deep_network("tanh", _tanh_gain)
    s99 = trace.mean(trace.saturated_99)
    variance = _tanh_gain(512, 512) ** 2 * 512
    return _e(
        s99 < 0.05 and variance > 2,
        f"20 tanh layers, width 512, Xavier × 5/3: n_in Var(W) = {variance:.3f} (He: 2); {s99:.2%} of "
        f"activations beyond |a| > 0.99",
    )


def _check_large_saturates() -> Evidence:
    trace = deep_network("tanh", fixed_std(1.0))
    saturated = trace.mean(trace.saturated_90)
    return _e(
        saturated > 0.9,
        f"20 tanh layers, width 512, N(0, 1): {saturated:.1%} of activations beyond |a| > 0.9",
    )


def _check_saturated_unit() -> Evidence:
    rng = np.random.default_rng(3)
    x = rng.standard_normal((256, 512))
    parts, means = [], {}
    for name, sigma in (("N(0, 1)", 1.0), ("Xavier", xavier_std(512, 512))):
        a = np.tanh(x @ (rng.standard_normal((512, 512)) * sigma).T)
        derivative = 1 - a * a
        means[name] = float(np.mean(derivative))
        flat = float(np.mean(derivative < 0.02))
        parts.append(f"{name}: mean tanh' {means[name]:.3f}, {flat:.0%} of units with tanh' < 0.02")
    return _e(
        means["N(0, 1)"] < 0.1 * means["Xavier"],
        "one tanh layer, n_in = 512: " + "; ".join(parts),
    )


def _check_saturated_gradients_grow() -> Evidence:
    trace = deep_network("tanh", fixed_std(1.0))
    gradient = trace.grad_activation[0] / trace.grad_activation[-1]
    return _e(
        gradient > 1e3,
        f"20 tanh layers, width 512, N(0, 1): the gradient at layer 1 is {_g(gradient)} times that at layer 20",
    )


def _check_small_vanish() -> Evidence:
    parts, holds = [], True
    for activation in ("tanh", "ReLU"):
        trace = deep_network(activation, fixed_std(0.01))
        forward = trace.std[-1] / trace.std[0]
        gradient = trace.grad_activation[0] / trace.grad_activation[-1]
        holds = holds and forward < 1e-6 and gradient < 1e-6
        parts.append(
            f"{activation}, σ = 0.01: activation std × {_g(forward)} from layer 1 to 20, gradient at layer 1 "
            f"/ layer 20 = {_g(gradient)}"
        )
    return _e(holds, "20 layers, width 512: " + "; ".join(parts))


def _check_weight_gradients_level() -> Evidence:
    parts, holds = [], True
    for activation, good in (("ReLU", he_std), ("tanh", xavier_std), ("linear", xavier_std)):
        small = deep_network(activation, fixed_std(0.01))
        fine = deep_network(activation, good)
        for trace in (small, fine):
            ratio = trace.grad_weight[0] / trace.grad_weight[-1]
            holds = holds and 0.5 < ratio < 2
        tiny = small.grad_weight[-1] / fine.grad_weight[-1]
        holds = holds and tiny < 1e-6
        parts.append(
            f"{activation}: layer-1/layer-20 weight gradient {_g(small.grad_weight[0] / small.grad_weight[-1])} "
            f"(σ = 0.01) and {_g(fine.grad_weight[0] / fine.grad_weight[-1])} (scaled), σ = 0.01 gradients "
            f"{_g(tiny)} of the scaled ones"
        )
    return _e(holds, "20 layers, width 512: " + "; ".join(parts))


def _check_sigmoid_starve() -> Evidence:
    trace = deep_network("sigmoid", xavier_std, depth=10)
    ratio = trace.grad_weight[0] / trace.grad_weight[-1]
    return _e(
        ratio < 1e-3,
        f"10 sigmoid layers, width 512, Xavier: layer 1's weight gradient is {_g(ratio)} of layer 10's",
    )


def _check_sigmoid_derivative() -> Evidence:
    z = np.linspace(-20.0, 20.0, 400_001)
    s = _sigmoid(z)
    derivative = s * (1 - s)
    where = float(z[int(np.argmax(derivative))])
    top = float(np.max(derivative))
    return _e(
        abs(top - 0.25) < 1e-12 and abs(where) < 1e-9,
        f"max of σ'(z) on [-20, 20] is {top:.12f}, at z = {where:g}",
    )


def _check_large_explode() -> Evidence:
    rng = np.random.default_rng(4)
    x = rng.standard_normal((64, 256)).astype(np.float32)
    h = x
    overflow_at = None
    with np.errstate(over="ignore", invalid="ignore"):
        for layer in range(1, 61):
            h = np.maximum(h @ rng.standard_normal((256, 256)).astype(np.float32).T, np.float32(0))
            if not np.all(np.isfinite(h)):
                overflow_at = layer
                break
    trace = deep_network("ReLU", fixed_std(1.0), depth=10, width=256)
    growth = trace.std[-1] / trace.std[0]
    gradient = trace.grad_activation[0] / trace.grad_activation[-1]
    return _e(
        overflow_at is not None and growth > 1e6 and gradient > 1e6,
        f"ReLU, width 256, N(0, 1) (r = 128): activation std × {_g(growth)} and gradient × {_g(gradient)} over "
        f"10 layers; in float32 the activations overflow to Inf at layer {overflow_at}",
    )


def _check_large_first_loss() -> Evidence:
    widths = (32, 64, 64, 64, 64, 64, 1)
    big, _ = train_losses("ReLU", fixed_std(1.0), 0.0, steps=1, widths=widths)
    good, _ = train_losses("ReLU", he_std, 0.0, steps=1, widths=widths)
    return _e(
        big[0] > 1e4 * good[0],
        f"6 ReLU layers: first loss {_g(big[0])} with N(0, 1) weights, {_g(good[0])} with He",
    )


def _check_high_learning_rate() -> Evidence:
    high, _ = train_losses("tanh", xavier_std, 0.5, steps=200)
    low, _ = train_losses("tanh", xavier_std, 0.05, steps=200)
    broke = next((step for step, loss in enumerate(high) if not math.isfinite(loss)), None)
    early = high[:4]
    holds = (
        broke is not None
        and broke > 8
        and all(math.isfinite(v) and v < 5 * high[0] for v in early)
        and low[-1] < low[0]
    )
    return _e(
        holds,
        f"4 tanh layers, Xavier: with learning rate 0.5 the losses start {', '.join(_g(v) for v in early)} "
        f"and are not finite at step {broke}; with 0.05 the loss falls from {_g(low[0])} to {_g(low[-1])}",
    )


def _check_clipping() -> Evidence:
    widths = (64,) + (256,) * 10
    rule = fixed_std(1.0)
    _, weights = train_losses("ReLU", rule, 0.01, steps=5, widths=(*widths, 1), dtype=np.float64, clip=1.0)
    rng = np.random.default_rng(5)
    h = rng.standard_normal((64, 64))
    start = float(np.std(h))
    for w in weights[:-1]:
        h = np.maximum(h @ w.T, 0.0)
    growth = float(np.std(h)) / start
    return _e(
        growth > 1e6,
        f"10 ReLU layers, N(0, 1), 5 steps with gradients clipped to norm 1: the activations still grow × "
        f"{_g(growth)} through the network",
    )


def _orthogonal(rng: np.random.Generator, n: int) -> FloatArray:
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return q * np.sign(np.diag(r))


def _check_orthogonal() -> Evidence:
    rng = np.random.default_rng(6)
    x = rng.standard_normal((32, 256))
    h = x
    for _ in range(50):
        h = h @ _orthogonal(rng, 256).T
    ratio = np.linalg.norm(h, axis=1) / np.linalg.norm(x, axis=1)
    worst = float(np.max(np.abs(ratio - 1)))
    return _e(worst < 1e-9, f"50 orthogonal 256 × 256 layers: every input's norm kept to within {_g(worst)}")


def _check_lsuv() -> Evidence:
    parts, holds = [], True
    for activation in ("tanh", "ReLU"):
        rng = np.random.default_rng(7)
        batch = rng.standard_normal((256, 256))
        weights = [_orthogonal(rng, 256) for _ in range(10)]
        h = batch
        for index, w in enumerate(weights):
            for _ in range(10):
                variance = float(np.var(h @ w.T))
                if abs(variance - 1) < 0.01:
                    break
                w = w / math.sqrt(variance)
            weights[index] = w
            h = FUNCTIONS[activation](h @ w.T)
        fresh = rng.standard_normal((256, 256))
        trace = propagate(activation, weights, fresh, np.zeros((256, 256)))
        low, high = min(trace.pre_variance), max(trace.pre_variance)
        holds = holds and low > 0.85 and high < 1.15
        parts.append(f"{activation}: pre-activation variance {low:.3f} to {high:.3f} on a fresh batch")
    return _e(holds, "10 layers, width 256, after LSUV: " + "; ".join(parts))


def _check_selu() -> Evidence:
    rng = np.random.default_rng(8)
    h = rng.standard_normal((512, 512))
    means, variances = [], []
    for _ in range(30):
        h = _selu(h @ (rng.standard_normal((512, 512)) * lecun_std(512, 512)).T)
        means.append(float(np.mean(h)))
        variances.append(float(np.var(h)))
    return _e(
        max(map(abs, means)) < 0.1 and min(variances) > 0.8 and max(variances) < 1.25,
        f"30 SELU layers, width 512, LeCun: means within ±{max(map(abs, means)):.3f}, variances "
        f"{min(variances):.3f} to {max(variances):.3f}",
    )


def _batch_norm(z: FloatArray, eps: float) -> FloatArray:
    normalised: FloatArray = (z - z.mean(axis=0)) / np.sqrt(z.var(axis=0) + eps)
    return normalised


def _check_batchnorm() -> Evidence:
    rng = np.random.default_rng(9)
    x = rng.standard_normal((128, 64))
    w = rng.standard_normal((32, 64)) * xavier_std(64, 32)
    reference = _batch_norm(x @ w.T, 0.0)
    exact = max(float(np.max(np.abs(_batch_norm(x @ (c * w).T, 0.0) - reference))) for c in (0.01, 100.0))
    with_eps = max(float(np.max(np.abs(_batch_norm(x @ (c * w).T, 1e-5) - reference))) for c in (0.1, 10.0))
    return _e(
        exact < 1e-9 and with_eps < 1e-2,
        f"weights × 0.01 or × 100: largest change of the normalised output {_g(exact)} (ε = 0); with "
        f"ε = 1e-5 and × 0.1 or × 10: {_g(with_eps)}",
    )


def _check_residual_identity() -> Evidence:
    rng = np.random.default_rng(10)
    x = rng.standard_normal((32, 128))
    h = x
    for _ in range(50):
        w1 = rng.standard_normal((128, 128)) * he_std(128, 128)
        w2 = np.zeros((128, 128))
        h = h + np.maximum(h @ w1.T, 0.0) @ w2.T
    return _e(
        bool(np.array_equal(h, x)),
        "50 residual blocks x + W2 ReLU(W1 x) with W2 = 0: the output equals the input exactly",
    )


def _check_residual_growth() -> Evidence:
    rng = np.random.default_rng(11)
    x = rng.standard_normal((64, 128))
    results = {}
    for name, scale in (("unscaled", 1.0), ("1/√L", 1 / math.sqrt(50))):
        h = x
        for _ in range(50):
            w1 = rng.standard_normal((128, 128)) * he_std(128, 128)
            w2 = rng.standard_normal((128, 128)) * he_std(128, 128)
            h = h + scale * (np.maximum(h @ w1.T, 0.0) @ w2.T)
        results[name] = float(np.var(h) / np.var(x))
    return _e(
        results["unscaled"] > 1e10 and results["1/√L"] < 10,
        f"50 residual blocks, He branches: variance × {_g(results['unscaled'])} unscaled, × "
        f"{_g(results['1/√L'])} with each branch scaled by 1/√50",
    )


CHECKS: dict[str, Callable[[], Evidence]] = {
    "equal-weights-stay-symmetric": _check_equal_weights,
    "one-zero-layer-recovers": _check_one_zero_layer,
    "random-weights-break-symmetry": _check_random_weights,
    "variance-of-sum": _check_variance_of_sum,
    "depth-multiplies-variance": _check_depth_power,
    "backward-uses-fan-out": _check_backward_fan_out,
    "he-modes-forward-backward": _check_he_modes,
    "relu-halves-second-moment": _check_relu_halves,
    "xavier-relu-vanishes": _check_xavier_relu,
    "he-relu-preserves": _check_he_relu,
    "xavier-tanh-stable": _check_xavier_tanh,
    "he-tanh-not-saturated": _check_he_tanh,
    "tanh-gain-unsaturated": _check_tanh_gain,
    "large-weights-saturate-tanh": _check_large_saturates,
    "saturated-unit-small-local-gradient": _check_saturated_unit,
    "saturated-tanh-gradients-grow": _check_saturated_gradients_grow,
    "small-weights-vanish": _check_small_vanish,
    "weight-gradients-level": _check_weight_gradients_level,
    "sigmoid-early-layers-starve": _check_sigmoid_starve,
    "sigmoid-derivative-quarter": _check_sigmoid_derivative,
    "large-weights-explode": _check_large_explode,
    "large-init-large-first-loss": _check_large_first_loss,
    "high-learning-rate-diverges-later": _check_high_learning_rate,
    "clipping-leaves-forward-scale": _check_clipping,
    "orthogonal-preserves-norm": _check_orthogonal,
    "lsuv-unit-variance": _check_lsuv,
    "selu-self-normalises": _check_selu,
    "batchnorm-ignores-weight-scale": _check_batchnorm,
    "residual-zero-branch-identity": _check_residual_identity,
    "residual-variance-grows": _check_residual_growth,
}
"""Claim id -> the simulation that checks it (the statements are in vocabulary.BUILTIN_CLAIMS)."""


def check_claim(claim_id: str) -> Evidence:
    """Run the simulation behind one claim; KeyError for an unknown id."""
    return CHECKS[claim_id]()
