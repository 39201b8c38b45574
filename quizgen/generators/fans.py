"""Generators for reading layer sizes: n_in + n_out of a dense layer, fans of a convolution."""

from __future__ import annotations

import random
from typing import Any

from .base import Calculated, Generator, split

_DENSE_FORMS = (
    "A dense layer takes $n_{{\\mathrm{{in}}}} = {n_in}$ inputs and produces $n_{{\\mathrm{{out}}}} = {n_out}$ outputs.",
    "A fully connected layer maps {n_in} features to {n_out} features.",
    "A dense layer's weight matrix $W$ has shape ${n_out} \\times {n_in}$ (that is, $n_{{\\mathrm{{out}}}} \\times n_{{\\mathrm{{in}}}}$).",
    "In PyTorch, a layer is created as `nn.Linear({n_in}, {n_out})` (in_features, out_features).",
)


def _layer_size_draw(rng: random.Random) -> tuple[int, tuple[int, int]]:
    n_in = rng.randrange(1, 1025)
    n_out = rng.randrange(1, 1025)
    return (n_in - 1) * 1024 + n_out - 1, (n_in, n_out)


def _layer_size_finish(rng: random.Random, drawn: tuple[int, int]) -> dict[str, Any]:
    n_in, n_out = drawn
    form = rng.randrange(len(_DENSE_FORMS))
    total = n_in + n_out
    layer = _DENSE_FORMS[form].format(n_in=n_in, n_out=n_out)
    reading = (
        f"The weight matrix is $n_{{\\mathrm{{out}}}} \\times n_{{\\mathrm{{in}}}}$, so its {n_out} rows are the outputs and its "
        f"{n_in} columns the inputs. "
        if form == 2
        else ""
    )
    return {
        "type": "integer",
        "params": {"n_in": n_in, "n_out": n_out},
        "prompt": f"{layer} For Xavier initialisation, what is $n_{{\\mathrm{{in}}}} + n_{{\\mathrm{{out}}}}$ (an integer)?",
        "answer": total,
        "mistakes": [
            {
                "value": n_in * n_out,
                "misconception": "product-for-sum",
                "feedback": f"${n_in} \\times {n_out}$ is the number of weights; Xavier adds the fans.",
            }
        ]
        if n_in * n_out != total
        else [],
        "explanation": (
            f"{reading}Here $n_{{\\mathrm{{in}}}} = {n_in}$ (inputs to each unit, the fan-in) and $n_{{\\mathrm{{out}}}} = {n_out}$ "
            f"(the fan-out), so $n_{{\\mathrm{{in}}}} + n_{{\\mathrm{{out}}}} = {n_in} + {n_out} = {total}$. Xavier divides by this sum: "
            f"$\\mathrm{{Var}}(W) = 2/{total}$. Do not multiply the fans: ${n_in} \\times {n_out} = "
            f"{n_in * n_out}$ is the number of weights, not what Xavier uses."
        ),
        "hint": "Add the number of inputs and the number of outputs, as integers.",
        "difficulty": 1,
        "tags": ("layer-size", "calculation", "generated"),
    }


_CHANNELS = (1, 3, 8, 16, 32, 64, 96, 128, 256, 512)
_KERNELS = (1, 3, 5, 7)
_ASKS = ("fan_in", "fan_out", "sum")


ConvFan = tuple[int, int, int, int, str]


def _conv_fan_draw(rng: random.Random) -> tuple[ConvFan, ConvFan]:
    c_in = rng.choice(_CHANNELS)
    c_out = rng.choice(_CHANNELS[1:])
    k_h = rng.choice(_KERNELS)
    k_w = k_h if rng.random() < 0.7 else rng.choice(_KERNELS)
    ask = rng.choice(_ASKS)
    drawn = (c_in, c_out, k_h, k_w, ask)
    return drawn, drawn


def _conv_fan_finish(rng: random.Random, drawn: ConvFan) -> dict[str, Any]:
    c_in, c_out, k_h, k_w, ask = drawn
    fan_in = c_in * k_h * k_w
    fan_out = c_out * k_h * k_w
    answer = {"fan_in": fan_in, "fan_out": fan_out, "sum": fan_in + fan_out}[ask]
    question = {
        "fan_in": "its fan-in",
        "fan_out": "its fan-out",
        "sum": "fan-in + fan-out (the sum Xavier divides by)",
    }[ask]
    worked = {
        "fan_in": f"fan-in $= C_{{\\mathrm{{in}}}} k_h k_w = {c_in} \\cdot {k_h} \\cdot {k_w} = {fan_in}$",
        "fan_out": f"fan-out $= C_{{\\mathrm{{out}}}} k_h k_w = {c_out} \\cdot {k_h} \\cdot {k_w} = {fan_out}$",
        "sum": (
            f"fan-in $= {c_in} \\cdot {k_h} \\cdot {k_w} = {fan_in}$ and fan-out $= {c_out} \\cdot {k_h} \\cdot "
            f"{k_w} = {fan_out}$, so the sum is ${fan_in + fan_out}$"
        ),
    }[ask]
    return {
        "type": "integer",
        "params": {"C_in": c_in, "C_out": c_out, "k_h": k_h, "k_w": k_w, "ask": ask},
        "prompt": (
            f"A 2-D convolution has $C_{{\\mathrm{{in}}}} = {c_in}$ input channel{'s' if c_in != 1 else ''}, "
            f"$C_{{\\mathrm{{out}}}} = {c_out}$ output channels and a ${k_h} \\times {k_w}$ kernel. What is "
            f"{question} (an integer)?"
        ),
        "answer": answer,
        "mistakes": [
            m
            for m in (
                {
                    "value": {"fan_in": c_in, "fan_out": c_out, "sum": c_in + c_out}[ask],
                    "misconception": "channels-only-fan",
                    "feedback": "That counts only the channels: each fan also multiplies in the kernel's area "
                    f"${k_h} \\times {k_w}$.",
                },
            )
            if m["value"] != answer
        ],
        "explanation": (
            "Each output unit of a convolution sums over every input channel of its kernel window, so "
            "fan-in $= C_{\\mathrm{in}} \\cdot k_h \\cdot k_w$; each input unit feeds every output channel through the "
            f"window, so fan-out $= C_{{\\mathrm{{out}}}} \\cdot k_h \\cdot k_w$ (PyTorch counts them the same way). "
            f"Here {worked}. The image's height and width do not enter the fans."
        ),
        "hint": "Multiply the channels by the kernel's area.",
        "difficulty": 2,
        "tags": ("layer-size", "convolution", "generated"),
    }


FAN_GENERATORS = (
    Generator(
        id="layer-size",
        topic="layer-size",
        title="n_in + n_out of a dense layer",
        description="A dense layer given by its sizes, its weight shape or nn.Linear; the integer n_in + n_out "
        "(the chapter's calculation example).",
        params={"n_in": "1-1024", "n_out": "1-1024"},
        build=split(_layer_size_draw, _layer_size_finish),
        draw=_layer_size_draw,
        finish=_layer_size_finish,
        space_size=1024 * 1024,
        difficulty=1,
        calculated=Calculated(
            prompt="A dense layer takes $n_{\\mathrm{in}} = {n_in}$ inputs and produces $n_{\\mathrm{out}} = {n_out}$ outputs. "
            "For Xavier initialisation, what is $n_{\\mathrm{in}} + n_{\\mathrm{out}}$ (an integer)?",
            answer="n_in + n_out",
            explanation="Xavier divides by the sum of the fans: $n_{\\mathrm{in}} + n_{\\mathrm{out}} = {n_in} + {n_out}$. "
            "Do not multiply them: the product is the number of weights.",
            tolerance=0.0,
            tolerance_type="absolute",
            params=("n_in", "n_out"),
        ),
    ),
    Generator(
        id="conv-fan",
        topic="layer-size",
        title="Fan-in and fan-out of a 2-D convolution",
        description="fan_in = C_in*k_h*k_w, fan_out = C_out*k_h*k_w, or their sum, for a drawn convolution.",
        params={
            "C_in": "1-512 (typical channel counts)",
            "C_out": "3-512",
            "k_h": "1, 3, 5, 7",
            "k_w": "1, 3, 5, 7 (usually k_h)",
            "ask": "fan_in, fan_out or sum",
        },
        build=split(_conv_fan_draw, _conv_fan_finish),
        draw=_conv_fan_draw,
        finish=_conv_fan_finish,
        space_size=len(_CHANNELS) * (len(_CHANNELS) - 1) * len(_KERNELS) ** 2 * len(_ASKS),  # 4,320
    ),
)
