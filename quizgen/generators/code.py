"""Generators that read real PyTorch code: a layer's fans, what an init call draws, and gains over depth.

- ``conv-fan-code``: ``nn.Conv1d/2d/3d(...)`` with kernel tuples, groups, stride and
  padding; its fan-in, fan-out or weight shape, counted as PyTorch's
  ``torch.nn.init._calculate_fan_in_and_fan_out`` counts them (fan_in = C_in/groups ·
  kernel size, fan_out = C_out · kernel size; stride and padding do not enter).
- ``init-call``: a layer and a ``torch.nn.init`` call (kaiming with its mode and
  nonlinearity, xavier with a gain, or the layer's default); the standard deviation or
  the uniform bound it draws with.
- ``gain-depth``: a gain that does not match the activation (or a weight scale off by a
  few percent), compounded over L layers: the factor on the activations' mean square.

Typed variants list the named mistakes and are drawn again when one of them would
pass for the answer. tests/test_generators.py checks every answer against PyTorch.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..models import Tolerance
from ..numbers import approx, as_asked, fmt, short
from ..precision import Precision, tolerance_problems
from .base import Candidate, Generator, choose_options, split

THREE_FIGURES = Precision("significant", 3)
TOLERANCE = 0.006
"""Relative: every answer written to 3 significant figures passes, no named mistake does."""


def _passes(answer: float, mistakes: list[dict[str, Any]]) -> bool:
    """Whether some named mistake, written to 3 significant figures, would be graded correct."""
    named = [(str(i), m["misconception"], m["value"]) for i, m in enumerate(mistakes)]
    return bool(tolerance_problems(Tolerance(answer, TOLERANCE, "relative"), THREE_FIGURES, named))


def _mistake(value: float, misconception: str | None, feedback: str) -> dict[str, Any]:
    return {"value": value, "misconception": misconception, "feedback": feedback}


# -- fans of a convolution, from its constructor ----------------------------------------------

_CHANNELS = (3, 8, 16, 32, 48, 64, 96, 128, 192, 256, 512)
_KERNELS = (1, 3, 5, 7)


@dataclass(frozen=True)
class ConvLayer:
    dims: int  # 1, 2 or 3
    c_in: int
    c_out: int
    kernel: tuple[int, ...]
    groups: int
    stride: int
    padding: int
    tuple_kernel: bool

    @property
    def receptive(self) -> int:
        return math.prod(self.kernel)

    @property
    def fan_in(self) -> int:
        return self.c_in // self.groups * self.receptive

    @property
    def fan_out(self) -> int:
        return self.c_out * self.receptive

    def code(self) -> str:
        if self.tuple_kernel:
            kernel = f"kernel_size=({', '.join(map(str, self.kernel))})"
        else:
            kernel = str(self.kernel[0]) if self.dims else ""
        extras = [kernel]
        if self.stride != 1:
            extras.append(f"stride={self.stride}")
        if self.padding:
            extras.append(f"padding={self.padding}")
        if self.groups != 1:
            extras.append(f"groups={self.groups}")
        return f"nn.Conv{self.dims}d({self.c_in}, {self.c_out}, {', '.join(extras)})"

    def shape(self, c_out: int, c_in: int, kernel: tuple[int, ...]) -> str:
        return f"({', '.join(map(str, (c_out, c_in, *kernel)))})"


def _draw_conv(rng: random.Random) -> ConvLayer:
    dims = rng.choice((1, 2, 2, 2, 3))
    c_in = rng.choice(_CHANNELS)
    c_out = rng.choice(_CHANNELS[1:])
    square = rng.random() < 0.7 or dims == 1
    k = rng.choice(_KERNELS)
    kernel = (k,) * dims if square else tuple(rng.choice(_KERNELS) for _ in range(dims))
    groups = 1
    if rng.random() < 0.3:
        common = [g for g in (2, 4, 8, 16, 32) if c_in % g == 0 and c_out % g == 0]
        if common:
            groups = rng.choice(common)
    return ConvLayer(
        dims=dims,
        c_in=c_in,
        c_out=c_out,
        kernel=kernel,
        groups=groups,
        stride=rng.choice((1, 1, 2)),
        padding=rng.choice((0, kernel[0] // 2)),
        tuple_kernel=not square or (dims > 1 and rng.random() < 0.2),
    )


_ASKS = ("fan_in", "fan_out", "sum", "shape")
_GROUPS = (1, 2, 4, 8, 16, 32)


def _conv_fan_code_draw(rng: random.Random) -> tuple[int, tuple[ConvLayer, str]]:
    layer = _draw_conv(rng)
    ask = rng.choice(_ASKS)
    if ask == "shape" and layer.c_in == layer.c_out and layer.groups == 1:
        ask = rng.choice(_ASKS[:3])  # in/out swapped would be the answer itself
    # a dense index of the params (dims, C_in, C_out, kernel, groups, stride, padding, ask)
    kernel = sum(_KERNELS.index(k) * 4**i for i, k in enumerate(layer.kernel))
    key = (layer.dims - 1) * len(_CHANNELS) + _CHANNELS.index(layer.c_in)
    key = key * len(_CHANNELS) + _CHANNELS.index(layer.c_out)
    key = ((key * 64 + kernel) * len(_GROUPS) + _GROUPS.index(layer.groups)) * 2 + layer.stride - 1
    return (key * 4 + layer.padding) * len(_ASKS) + _ASKS.index(ask), (layer, ask)


def _conv_fan_code_finish(rng: random.Random, drawn: tuple[ConvLayer, str]) -> dict[str, Any]:
    layer, ask = drawn
    code = f"`conv = {layer.code()}`"
    k = " \\cdot ".join(map(str, layer.kernel))
    per_group = layer.c_in // layer.groups
    fan_in_worked = (
        f"$n_{{\\mathrm{{in}}}} = (C_{{\\mathrm{{in}}}}/\\mathrm{{groups}}) \\cdot {k} = {per_group} \\cdot {k} "
        f"= {layer.fan_in}$"
        if layer.groups > 1
        else f"$n_{{\\mathrm{{in}}}} = C_{{\\mathrm{{in}}}} \\cdot {k} = {layer.c_in} \\cdot {k} = {layer.fan_in}$"
    )
    fan_out_worked = f"$n_{{\\mathrm{{out}}}} = C_{{\\mathrm{{out}}}} \\cdot {k} = {layer.c_out} \\cdot {k} = {layer.fan_out}$"
    shape = layer.shape(layer.c_out, per_group, layer.kernel)
    explanation = (
        f"PyTorch stores the weight of {code} with shape {shape}: (out_channels, in_channels/groups, *kernel). "
        "`_calculate_fan_in_and_fan_out` multiplies the kernel size into both fans: the fan-in is "
        "`weight.size(1)` times the kernel size, the fan-out `weight.size(0)` times it. Here "
        f"{fan_in_worked} and {fan_out_worked}. Stride and padding change the output's size, not the fans."
    )
    fields: dict[str, Any] = {
        "params": {
            "dims": layer.dims,
            "C_in": layer.c_in,
            "C_out": layer.c_out,
            "kernel": "x".join(map(str, layer.kernel)),
            "groups": layer.groups,
            "stride": layer.stride,
            "padding": layer.padding,
            "ask": ask,
        },
        "explanation": explanation,
        "hint": "Weight shape (out_channels, in_channels/groups, *kernel); each fan multiplies in the kernel size.",
        "tags": ("pytorch", "convolution", "generated"),
        "claims": (),
    }
    if ask == "shape":
        correct = Candidate(
            f"`{shape}`", feedback=f"Correct: (out_channels, in_channels/groups, *kernel) = {shape}."
        )
        wrong = [
            Candidate(
                f"`{layer.shape(layer.c_in // layer.groups, layer.c_out, layer.kernel)}`",
                misconception="shape-orientation",
                feedback="PyTorch puts the output channels first: the weight is (out_channels, in_channels/groups, "
                "*kernel).",
            ),
            Candidate(
                f"`({', '.join(map(str, (*layer.kernel, per_group, layer.c_out)))})`",
                misconception="shape-orientation",
                feedback="Kernel first and output channels last is TensorFlow/Keras's layout, not PyTorch's.",
            ),
            Candidate(
                f"`({layer.c_out}, {per_group})`",
                misconception="channels-only-fan",
                feedback="A convolution's weight is not a matrix of channels: every filter holds a whole kernel "
                "for each input channel it sees.",
            ),
        ]
        if layer.groups > 1:
            wrong.append(
                Candidate(
                    f"`{layer.shape(layer.c_out, layer.c_in, layer.kernel)}`",
                    misconception="groups-ignored",
                    feedback=f"With groups={layer.groups} each filter sees only {per_group} of the {layer.c_in} "
                    "input channels.",
                )
            )
        options, answer = choose_options(rng, correct, wrong, 4)
        fields.update(
            type="choice",
            prompt=f"In PyTorch, {code}. What is the shape of `conv.weight`?",
            options=options,
            answer=answer,
            difficulty=2,
        )
        return fields
    value = {"fan_in": layer.fan_in, "fan_out": layer.fan_out, "sum": layer.fan_in + layer.fan_out}[ask]
    mistakes = []
    if ask in ("fan_in", "sum"):
        mistakes.append(
            _mistake(
                per_group + (layer.fan_out if ask == "sum" else 0),
                "channels-only-fan",
                "Each output sums over the whole kernel window of every input channel it sees: multiply by the "
                "kernel size.",
            )
        )
        if layer.groups > 1:
            mistakes.append(
                _mistake(
                    layer.c_in * layer.receptive + (layer.fan_out if ask == "sum" else 0),
                    "groups-ignored",
                    f"With groups={layer.groups} each output sees only {per_group} input channels.",
                )
            )
    if ask == "fan_in":
        mistakes.append(
            _mistake(
                layer.fan_out,
                "shape-orientation",
                "That is the fan-out, from the output channels; the fan-in counts inputs.",
            )
        )
    if ask == "fan_out":
        mistakes.append(
            _mistake(
                layer.c_out,
                "channels-only-fan",
                "The fan-out multiplies the output channels by the kernel size.",
            )
        )
        mistakes.append(
            _mistake(
                layer.fan_in,
                "shape-orientation",
                "That is the fan-in, from the input channels; the fan-out counts outputs.",
            )
        )
        if layer.groups > 1:
            mistakes.append(
                _mistake(
                    layer.c_out // layer.groups * layer.receptive,
                    "groups-ignored",
                    "PyTorch's fan-out is `weight.size(0)` times the kernel size: the output channels are not "
                    "divided by the groups.",
                )
            )
    if ask == "sum":
        mistakes.append(
            _mistake(
                layer.c_in + layer.c_out,
                "channels-only-fan",
                "Both fans include the kernel size: add the fans, not the channel counts.",
            )
        )
    question = {
        "fan_in": "the fan-in of `conv.weight`",
        "fan_out": "the fan-out of `conv.weight`",
        "sum": "fan-in + fan-out of `conv.weight` (the sum Xavier divides by)",
    }[ask]
    fields.update(
        type="integer",
        prompt=f"In PyTorch, {code}. What is {question}, as `torch.nn.init` counts it (an integer)?",
        answer=value,
        mistakes=[m for m in mistakes if m["value"] != value],
        difficulty=2,
    )
    return fields


# -- what a torch.nn.init call draws -----------------------------------------------------------

_SIZES = (64, 100, 128, 200, 256, 300, 384, 500, 512, 784, 1000, 1024)
_SLOPES = (0.1, 0.2, 0.3)


@dataclass(frozen=True)
class _Layer:
    code: str
    fan_in: int
    fan_out: int
    params: dict[str, int]


def _draw_layer(rng: random.Random) -> _Layer:
    if rng.random() < 0.6:
        n_in, n_out = rng.sample(_SIZES, 2)
        return _Layer(f"nn.Linear({n_in}, {n_out})", n_in, n_out, {"in": n_in, "out": n_out, "k": 0})
    c_in = rng.choice((16, 32, 64, 128, 256))
    c_out = rng.choice([c for c in (32, 64, 128, 256, 512) if c != c_in])
    k = rng.choice((3, 5))
    return _Layer(
        f"nn.Conv2d({c_in}, {c_out}, {k})", c_in * k * k, c_out * k * k, {"in": c_in, "out": c_out, "k": k}
    )


_CALLS = (
    "kaiming_normal",
    "kaiming_uniform",
    "kaiming_leaky",
    "xavier_uniform_tanh",
    "xavier_normal",
    "default",
)
InitCall = tuple[_Layer, str, str | None, float | None]
_REFUSED: dict[Hashable, bool] = {}
"""Whether a drawn init-call's named mistake would pass for its answer, by params (at most 2,262)."""


def _refused(key: Hashable, fields: Callable[[Any], dict[str, Any]], drawn: Any) -> bool:
    refused = _REFUSED.get(key)
    if refused is None:
        made = fields(drawn)
        refused = _REFUSED[key] = _passes(made["answer"], made["mistakes"])
    return refused


def _init_call_draw(rng: random.Random) -> tuple[Hashable, InitCall]:
    """A layer and a call (with its mode and slope), drawn again while a named mistake would pass."""
    while True:
        layer = _draw_layer(rng)
        kind = rng.choice(_CALLS)
        mode = rng.choice(("fan_in", "fan_out")) if kind.startswith("kaiming") else None
        a = rng.choice(_SLOPES) if kind == "kaiming_leaky" else None
        drawn = (layer, kind, mode, a)
        key = (layer.params["in"], layer.params["out"], layer.params["k"], kind, mode, a)
        if not _refused(key, _init_call_fields, drawn):
            return key, drawn


def _init_call_finish(rng: random.Random, drawn: InitCall) -> dict[str, Any]:
    return _init_call_fields(drawn)


def _init_call_fields(drawn: InitCall) -> dict[str, Any]:
    layer, kind, drawn_mode, drawn_a = drawn
    fi, fo = layer.fan_in, layer.fan_out
    fans = f"here $n_{{\\mathrm{{in}}}} = {fi}$ and $n_{{\\mathrm{{out}}}} = {fo}$"
    params: dict[str, Any] = {**layer.params, "call": kind}
    mistakes: list[dict[str, Any]] = []
    claims: tuple[str, ...] = ()
    if kind.startswith("kaiming"):
        mode = str(drawn_mode)
        fan, other = (fi, fo) if mode == "fan_in" else (fo, fi)
        params["mode"] = mode
        claims = ("he-modes-forward-backward", "relu-halves-second-moment")
        if kind == "kaiming_leaky":
            a = float(drawn_a or 0.0)
            params["a"] = a
            gain = math.sqrt(2 / (1 + a * a))
            call = (
                f"nn.init.kaiming_normal_(layer.weight, a={fmt(a)}, mode='{mode}', nonlinearity='leaky_relu')"
            )
            gain_text = f"`calculate_gain('leaky_relu', {fmt(a)})` $= \\sqrt{{2/(1 + a^2)}} {approx(gain, 4, 'latex')}$"
        else:
            gain = math.sqrt(2)
            name = "kaiming_normal_" if kind == "kaiming_normal" else "kaiming_uniform_"
            call = f"nn.init.{name}(layer.weight, mode='{mode}', nonlinearity='relu')"
            gain_text = "`calculate_gain('relu')` $= \\sqrt{2}$"
        uniform = kind == "kaiming_uniform"
        value = gain * math.sqrt(3 / fan) if uniform else gain / math.sqrt(fan)
        n = f"n_{{\\mathrm{{{mode[4:]}}}}}"
        formula = f"\\text{{gain}} \\cdot \\sqrt{{3/{n}}}" if uniform else f"\\text{{gain}}/\\sqrt{{{n}}}"
        worked = (
            f"`kaiming_{'uniform' if uniform else 'normal'}_` draws with "
            f"{'bound' if uniform else 'standard deviation'} ${formula}$: `mode='{mode}'` names the fan ({fans}) "
            f"and the gain is {gain_text}. So the {'bound' if uniform else 'standard deviation'} is "
            f"{_final(value)}."
        )
        mistakes = [
            _mistake(
                value * math.sqrt(fan / other),
                "fan-mode-ignored",
                f"That divides by the other fan, {other}; `mode='{mode}'` uses {fan}.",
            ),
            _mistake(
                value / gain,
                "gain-ignored",
                f"That leaves out the gain {short(gain, 4)} that `nonlinearity` asks for.",
            ),
            _mistake(
                value / math.sqrt(3) if uniform else value * math.sqrt(3),
                "limit-for-std" if not uniform else "std-for-limit",
                "That is the uniform bound; a normal draw's standard deviation is √3 times smaller."
                if not uniform
                else "That is the standard deviation of the normal version; the uniform bound is √3 times larger.",
            ),
        ]
    elif kind == "xavier_uniform_tanh":
        call = "nn.init.xavier_uniform_(layer.weight, gain=nn.init.calculate_gain('tanh'))"
        value = 5 / 3 * math.sqrt(6 / (fi + fo))
        worked = (
            "`xavier_uniform_` draws from $U[-b, b]$ with $b = \\text{gain} \\cdot \\sqrt{6/(n_{\\mathrm{in}} + "
            f"n_{{\\mathrm{{out}}}})}}$, and `calculate_gain('tanh')` is 5/3; {fans}, so "
            f"$b = \\tfrac{{5}}{{3}}\\sqrt{{6/{fi + fo}}} {as_asked(value, 3, 'latex')}$."
        )
        claims = ("tanh-gain-unsaturated",)
        mistakes = [
            _mistake(
                value * 3 / 5,
                "gain-ignored",
                "That leaves out the gain 5/3 that `calculate_gain('tanh')` returns.",
            ),
            _mistake(value * 5 / 3, None, "The gain multiplies the bound once; that applies it twice."),
            _mistake(
                5 / 3 * math.sqrt(6 / fi),
                "fan-in-only",
                "Xavier divides by the sum of both fans, not the fan-in alone.",
            ),
            _mistake(
                value / math.sqrt(3),
                "std-for-limit",
                "That is the standard deviation; the bound is √3 times larger.",
            ),
        ]
    elif kind == "xavier_normal":
        call = "nn.init.xavier_normal_(layer.weight)"
        value = math.sqrt(2 / (fi + fo))
        worked = (
            "`xavier_normal_` draws from $N(0, \\sigma^2)$ with $\\sigma = \\text{gain} \\cdot "
            f"\\sqrt{{2/(n_{{\\mathrm{{in}}}} + n_{{\\mathrm{{out}}}})}}$ and gain 1 by default; {fans}, so "
            f"$\\sigma = \\sqrt{{2/{fi + fo}}} {as_asked(value, 3, 'latex')}$."
        )
        claims = ("variance-of-sum", "backward-uses-fan-out")
        mistakes = [
            _mistake(
                value**2,
                "variance-for-std",
                "That is the variance; the standard deviation is its square root.",
            ),
            _mistake(
                math.sqrt(6 / (fi + fo)),
                "limit-for-std",
                "That is xavier_uniform_'s bound, √3 times the std.",
            ),
            _mistake(math.sqrt(2 / fi), "fan-in-only", "That uses the fan-in alone (He's formula)."),
        ]
    else:
        call = None
        value = 1 / math.sqrt(fi)
        worked = (
            "`nn.Linear` and `nn.Conv2d` call `kaiming_uniform_(self.weight, a=math.sqrt(5))` when they are built: "
            "the gain for slope $\\sqrt{5}$ is $\\sqrt{2/(1 + 5)} = \\sqrt{1/3}$, so the bound is "
            f"$\\sqrt{{1/3}} \\cdot \\sqrt{{3/n_{{\\mathrm{{in}}}}}} = 1/\\sqrt{{n_{{\\mathrm{{in}}}}}}$; {fans}, so "
            f"the bound is $1/\\sqrt{{{fi}}} {as_asked(value, 3, 'latex')}$."
        )
        mistakes = [
            _mistake(
                math.sqrt(6 / fi),
                "pytorch-default-is-zero-or-he",
                "$\\sqrt{6/n_{\\mathrm{in}}}$ is He uniform for ReLU, which you must ask for; the default is "
                "$1/\\sqrt{n_{\\mathrm{in}}}$.",
            ),
            _mistake(
                1 / math.sqrt(3 * fi),
                "std-for-limit",
                "That is the standard deviation of the default draw; the bound is √3 times larger.",
            ),
            _mistake(
                math.sqrt(6 / (fi + fo)),
                "pytorch-default-is-zero-or-he",
                "That is Xavier uniform (Keras's default), not PyTorch's.",
            ),
        ]
    asks_bound = kind in ("kaiming_uniform", "xavier_uniform_tanh", "default")
    quantity = (
        "the bound $b$ of $U[-b, b]$ that the weights are drawn from"
        if asks_bound
        else ("the standard deviation of the weights")
    )
    code = f"`layer = {layer.code}`" + (
        f" and then `{call}`" if call else ", leaving PyTorch's default initialisation"
    )
    return {
        "type": "numeric",
        "params": params,
        "prompt": f"A PyTorch model runs {code}. What is {quantity}? Give 3 significant figures.",
        "answer": value,
        "tolerance": TOLERANCE,
        "tolerance_type": "relative",
        "mistakes": [m for m in mistakes if not math.isclose(m["value"], value, rel_tol=1e-9)],
        "explanation": worked,
        "hint": "Find the fans from the layer (a convolution multiplies in the kernel size), then the gain, then "
        "the formula of the function called.",
        "difficulty": 3,
        "tags": ("pytorch", "generated"),
        "claims": claims,
    }


def _final(value: float) -> str:
    """A typed answer's value in prose, to the 3 significant figures asked: ``0.0604`` or ``about 0.0604``."""
    sign, _, shown = as_asked(value, 3).partition(" ")
    return shown if sign == "=" else f"about {shown}"


# -- a gain compounded over depth --------------------------------------------------------------

_DEPTHS = (10, 20, 30, 50)
_SCALES = (0.8, 0.9, 0.95, 1.05, 1.1, 1.2)
_LEAKY_SLOPES = (0.2, 0.3, 0.5)


_CASES = ("scaled", "linear-gain-on-relu", "tanh-gain-on-linear", "leaky-gain-on-relu")
GainDepth = tuple[int, str, float | None]


def _gain_depth_draw(rng: random.Random) -> tuple[Hashable, GainDepth]:
    """A depth and a case (with its scale or slope), drawn again while a named mistake would pass."""
    while True:
        depth = rng.choice(_DEPTHS)
        case = rng.choice(_CASES)
        factor = rng.choice(_SCALES) if case == "scaled" else None
        if case == "leaky-gain-on-relu":
            factor = rng.choice(_LEAKY_SLOPES)
        drawn = (depth, case, factor)
        if not _refused(("gain-depth", *drawn), _gain_depth_fields, drawn):
            return drawn, drawn


def _gain_depth_finish(rng: random.Random, drawn: GainDepth) -> dict[str, Any]:
    return _gain_depth_fields(drawn)


def _gain_depth_fields(drawn: GainDepth) -> dict[str, Any]:
    depth, case, factor = drawn
    params: dict[str, Any] = {"L": depth, "case": case}
    relu = case != "tanh-gain-on-linear"
    if case == "scaled":
        c = float(factor or 0.0)
        params["c"] = c
        setup = (
            f"Every layer of a {depth}-layer ReLU network of equal widths is initialised with "
            f"`nn.init.kaiming_normal_(w, nonlinearity='relu')`, and then a bug multiplies every weight by {fmt(c)}."
        )
        per_layer = c * c
        std_factor = c
        base = str(Decimal(fmt(c)) ** 2)  # c squared exactly (1.05² is 1.1025, not 1.1025000000000003)
        why = (
            f"He's variance $2/n_{{\\mathrm{{in}}}}$ makes ReLU's factor exactly 1; multiplying the weights by "
            f"{fmt(c)} multiplies their variance by ${fmt(c)}^2 = {base}$, so each layer multiplies the "
            f"mean square by $r = {base}$"
        )
    elif case == "linear-gain-on-relu":
        setup = (
            f"The {depth} hidden layers of an MLP of equal widths use ReLU, but they are initialised with "
            "`nn.init.kaiming_normal_(w, nonlinearity='linear')` (gain 1)."
        )
        per_layer = 0.5
        base = "0.5"
        std_factor = 1 / math.sqrt(2)
        why = (
            "Gain 1 gives $\\mathrm{Var}(W) = 1/n_{\\mathrm{in}}$, so the linear part keeps the mean square, and "
            "ReLU then halves it: $r = n_{\\mathrm{in}} \\cdot \\tfrac{1}{n_{\\mathrm{in}}} \\cdot \\tfrac12 = 0.5$"
        )
    elif case == "tanh-gain-on-linear":
        setup = (
            f"A deep linear network ({depth} layers of equal width, no activation) is initialised with "
            "`nn.init.xavier_normal_(w, gain=nn.init.calculate_gain('tanh'))`."
        )
        per_layer = 25 / 9
        base = "(25/9)"
        std_factor = 5 / 3
        why = (
            "Xavier with equal fans gives $\\mathrm{Var}(W) = 1/n_{\\mathrm{in}}$, and the gain 5/3 multiplies the "
            "standard deviation, so the variance by $(5/3)^2 = 25/9$. With no activation to contract the signal, "
            "each layer multiplies the mean square by $r = 25/9 \\approx 2.78$"
        )
    else:
        a = float(factor or 0.0)
        params["a"] = a
        setup = (
            f"The {depth} hidden layers of an MLP of equal widths use plain ReLU, but they are initialised with "
            f"`nn.init.kaiming_normal_(w, a={fmt(a)}, nonlinearity='leaky_relu')`."
        )
        per_layer = 1 / (1 + a * a)
        std_factor = math.sqrt(per_layer)
        divisor = Decimal(1) + Decimal(fmt(a)) ** 2  # 1 + a² exactly: 1.04, 1.09, 1.25
        base = f"(1/{divisor})"
        why = (
            f"The Leaky ReLU gain gives $\\mathrm{{Var}}(W) = 2/((1 + a^2)\\,n_{{\\mathrm{{in}}}})$ with $a = {fmt(a)}$, "
            "and plain ReLU halves the mean square, so each layer multiplies it by "
            f"$r = 1/(1 + a^2) = 1/{divisor} {approx(per_layer, 4, 'latex')}$"
        )
    value = per_layer**depth
    trend = (
        "it shrinks geometrically with depth (vanishes)"
        if per_layer < 1
        else "it grows geometrically with depth (explodes)"
    )
    mistakes = [
        _mistake(
            std_factor**depth,
            "gain-not-squared",
            "That compounds the standard deviation's factor; the mean square (a variance) takes its square.",
        ),
        _mistake(
            per_layer * depth,
            "product-for-power",
            "Each layer multiplies by $r$: over $L$ layers that is $r^L$, not $r L$.",
        ),
    ]
    if relu:
        mistakes.append(
            _mistake(
                (2 * per_layer) ** depth,
                "relu-halving-ignored",
                "That forgets that ReLU halves the mean square at every layer.",
            )
        )
    return {
        "type": "numeric",
        "topic": "gains",
        "params": params,
        "prompt": f"{setup} Treating the layers as wide, by what factor is the mean square of the activations "
        f"multiplied from the input of the first layer to the output of the last? Give 3 significant figures.",
        "answer": value,
        "tolerance": TOLERANCE,
        "tolerance_type": "relative",
        "mistakes": [m for m in mistakes if not math.isclose(m["value"], value, rel_tol=1e-9)],
        "explanation": f"{why}. Over $L = {depth}$ layers the factor is $r^L = {base}^{{{depth}}} "
        f"{as_asked(value, 3, 'latex')}$: {trend}.",
        "hint": "Find the per-layer factor $r = n_{\\mathrm{in}}\\,\\mathrm{Var}(W)$ (with the gain squared in "
        "$\\mathrm{Var}(W)$, and times ½ for ReLU), then raise it to $L$.",
        "difficulty": 3,
        "tags": ("gain", "depth", "generated"),
        "claims": ("depth-multiplies-variance", "relu-halves-second-moment", "he-relu-preserves"),
    }


CODE_GENERATORS = (
    Generator(
        id="conv-fan-code",
        topic="frameworks",
        title="Fans and weight shape of a PyTorch convolution",
        description="nn.Conv1d/2d/3d with kernel tuples, groups, stride and padding: fan-in, fan-out, their sum "
        "or the weight's shape, as torch.nn.init counts them.",
        params={
            "dims": "1, 2 or 3",
            "C_in": ", ".join(map(str, _CHANNELS)),
            "C_out": ", ".join(map(str, _CHANNELS[1:])),
            "kernel": "1, 3, 5, 7 per dimension",
            "groups": "1, or a common divisor",
            "ask": "fan_in, fan_out, sum or shape",
        },
        build=split(_conv_fan_code_draw, _conv_fan_code_finish),
        draw=_conv_fan_code_draw,
        finish=_conv_fan_code_finish,
        # every (dims, C_in, C_out, kernel, groups, stride, padding, ask) it can draw; counted by
        # tests/test_hardening.py from the tables above
        space_size=632_100,
        difficulty=2,
        tags=("pytorch", "convolution"),
    ),
    Generator(
        id="init-call",
        topic="frameworks",
        title="What a torch.nn.init call draws",
        description="nn.Linear or nn.Conv2d with kaiming_normal_/kaiming_uniform_ (mode, nonlinearity, slope), "
        "xavier_uniform_ with the tanh gain, xavier_normal_, or the default: the std or the uniform bound.",
        params={
            "layer": "nn.Linear(in, out) or nn.Conv2d(C_in, C_out, 3 or 5)",
            "call": "kaiming_normal, kaiming_uniform, kaiming_leaky, xavier_uniform_tanh, xavier_normal, default",
            "mode": "fan_in or fan_out (kaiming)",
            "a": ", ".join(map(fmt, _SLOPES)) + " (leaky_relu)",
        },
        build=split(_init_call_draw, _init_call_finish),
        draw=_init_call_draw,
        finish=_init_call_finish,
        # 174 layers (132 nn.Linear, 42 nn.Conv2d) times 13 calls (modes and slopes included); no
        # combination is refused by _passes (tests/test_hardening.py enumerates them)
        space_size=2_262,
        difficulty=3,
        tags=("pytorch",),
        claims=(
            "he-modes-forward-backward",
            "relu-halves-second-moment",
            "tanh-gain-unsaturated",
            "variance-of-sum",
            "backward-uses-fan-out",
        ),
    ),
    Generator(
        id="gain-depth",
        topic="gains",
        title="A gain compounded over depth",
        description="He with weights scaled by a few percent, a linear gain on ReLU layers, the tanh gain on "
        "linear layers, a Leaky ReLU gain on ReLU layers: the factor r^L on the activations' mean square.",
        params={
            "L": ", ".join(map(str, _DEPTHS)),
            "case": "scaled, linear-gain-on-relu, tanh-gain-on-linear, leaky-gain-on-relu",
            "c": "0.8-1.2 (scaled)",
            "a": "0.2, 0.3, 0.5 (leaky)",
        },
        build=split(_gain_depth_draw, _gain_depth_finish),
        draw=_gain_depth_draw,
        finish=_gain_depth_finish,
        space_size=len(_DEPTHS) * (len(_SCALES) + 2 + len(_LEAKY_SLOPES)),
        difficulty=3,
        tags=("gain", "depth"),
        claims=("depth-multiplies-variance", "relu-halves-second-moment", "he-relu-preserves"),
    ),
)
