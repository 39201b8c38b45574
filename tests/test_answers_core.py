"""Independent oracles for the core banks: definition, xavier, xavier-uniform and layer-size.

Every numeric and integer answer (and every named mistake) of banks/definition.yaml,
banks/xavier.yaml, banks/xavier-uniform.yaml and banks/layer-size.yaml is recomputed here
from the question's own data, written out again (not read from the bank); so is every
number shown in an option of their choice and multi questions. Where PyTorch has the
function, the value is also checked against PyTorch itself: the fans that
`torch.nn.init._calculate_fan_in_and_fan_out` counts for the very layer the prompt
describes, `calculate_gain`, and the spread of weights that `xavier_normal_` and
`xavier_uniform_` actually draw.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import pytest

from quizgen import ChoiceQuestion, IntegerQuestion, MultiQuestion, NumericQuestion

from .conftest import torch_or_skip
from .oracles import BANK, check_answer

PREFIXES = ("def-", "xavier-", "xu-", "size-")


def answer(qid: str) -> float:
    """The bank's answer to a numeric or integer question."""
    q = BANK.get(qid)
    assert isinstance(q, (NumericQuestion, IntegerQuestion)), qid
    return float(q.answer)


def xavier_var(n_in: float, n_out: float) -> float:
    return 2 / (n_in + n_out)


def xavier_std(n_in: float, n_out: float) -> float:
    return math.sqrt(2 / (n_in + n_out))


def xavier_limit(n_in: float, n_out: float, gain: float = 1.0) -> float:
    return gain * math.sqrt(6 / (n_in + n_out))


def conv_fans(c_in: int, c_out: int, k_h: int, k_w: int) -> tuple[int, int]:
    return c_in * k_h * k_w, c_out * k_h * k_w


def uniform_variance(low: float, high: float) -> float:
    return (high - low) ** 2 / 12


# -- the answers ------------------------------------------------------------------------

ORACLES: dict[str, Callable[[], float]] = {
    # definition: r = n_in Var(W) per layer, r^L over L layers
    "def-08": lambda: (160 * (1 / 32)) ** 4,
    "def-09": lambda: 1.0 * (125 * 0.0064) ** 6,
    # xavier
    "xavier-03": lambda: xavier_var(180, 70),
    "xavier-04": lambda: 1 / xavier_var(500, 140),
    "xavier-05": lambda: xavier_std(120, 80),
    "xavier-13": lambda: 1 / 0.5**8,
    "xavier-14": lambda: xavier_var(*conv_fans(16, 32, 3, 3)),
    # xavier uniform
    "xu-02": lambda: 16 + 8,
    "xu-03": lambda: xavier_limit(16, 8),
    "xu-04": lambda: xavier_limit(1024, 512),
    "xu-07": lambda: uniform_variance(-0.5, 0.5),
    "xu-09": lambda: 6 / 0.25**2,
    "xu-10": lambda: xavier_limit(512, 352, gain=5 / 3),
    # layer sizes
    "size-01": lambda: 4 + 6,
    "size-04": lambda: 784 + 256,
    "size-05": lambda: 784 * 256,
    "size-06": lambda: 784 * 256 + 256,
    "size-07": lambda: conv_fans(3, 64, 3, 3)[0],
    "size-08": lambda: sum(conv_fans(3, 64, 3, 3)),
    "size-09": lambda: xavier_var(784, 256),
    "size-13": lambda: xavier_std(*conv_fans(32, 96, 5, 5)),
}


@pytest.mark.parametrize("qid", sorted(ORACLES))
def test_answer_matches_the_oracle(qid: str) -> None:
    check_answer(qid, ORACLES[qid])


def test_every_computed_answer_in_the_files_has_an_oracle() -> None:
    ids = {
        q.id for q in BANK if q.id.startswith(PREFIXES) and isinstance(q, (NumericQuestion, IntegerQuestion))
    }
    assert ids == set(ORACLES)


# -- the named mistakes -----------------------------------------------------------------

MISTAKES: dict[str, dict[str, float]] = {
    "def-08": {"product-for-power": (160 / 32) * 4},
    "def-09": {
        "product-for-power": (125 * 0.0064) * 6,
        "factor-near-one-is-safe": 1.0,
        "std-for-variance": math.sqrt((125 * 0.0064) ** 6),
    },
    "xavier-03": {
        "dropped-two": 1 / (180 + 70),
        "product-for-sum": 2 / (180 * 70),
        "fan-in-only": 2 / 180,
        "std-for-variance": xavier_std(180, 70),
    },
    "xavier-04": {
        "dropped-two": 500 + 140,  # 1/Var(W) when Var(W) = 1/(n_in + n_out)
        "fan-in-only": 500 / 2,
        "product-for-sum": 500 * 140 / 2,
    },
    "xavier-05": {
        "variance-for-std": xavier_var(120, 80),
        "dropped-two": math.sqrt(1 / (120 + 80)),
        "limit-for-std": xavier_limit(120, 80),
        "fan-in-only": math.sqrt(2 / 120),
    },
    "xavier-13": {"product-for-power": 2 * 8},
    "xavier-14": {
        "channels-only-fan": xavier_var(16, 32),
        "fan-in-only": 2 / (16 * 9),
        "dropped-two": 1 / (16 * 9 + 32 * 9),
        "product-for-sum": 2 / (16 * 9 * 32 * 9),
    },
    "xu-02": {"product-for-sum": 16 * 8},
    "xu-03": {
        "std-for-limit": xavier_std(16, 8),
        "sqrt3-for-sqrt6": math.sqrt(3 / 24),
        "forgot-sqrt": 6 / 24,
        "product-for-sum": math.sqrt(6 / (16 * 8)),
    },
    "xu-04": {
        "std-for-limit": xavier_std(1024, 512),
        "sqrt3-for-sqrt6": math.sqrt(3 / 1536),
        "forgot-sqrt": 6 / 1536,
        "product-for-sum": math.sqrt(6 / (1024 * 512)),
    },
    "xu-07": {
        "limit-for-variance": 0.5,
        "std-for-variance": math.sqrt(uniform_variance(-0.5, 0.5)),
        "uniform-variance-over-12": 0.5**2 / 12,
    },
    "xu-09": {"sqrt3-for-sqrt6": 3 / 0.25**2, "forgot-sqrt": 6 / 0.25},
    "xu-10": {
        "gain-ignored": xavier_limit(512, 352),
        "std-for-limit": 5 / 3 * xavier_std(512, 352),
        "sqrt3-for-sqrt6": 5 / 3 * math.sqrt(3 / 864),
        "variance-for-limit": (5 / 3) ** 2 * xavier_var(512, 352),
    },
    "size-01": {"product-for-sum": 4 * 6},
    "size-04": {"product-for-sum": 784 * 256},
    "size-07": {"channels-only-fan": 3},
    "size-08": {"channels-only-fan": 3 + 64, "product-for-sum": 27 * 576},
    "size-09": {
        "product-for-sum": 2 / (784 * 256),
        "dropped-two": 1 / 1040,
        "fan-in-only": 2 / 784,
        "std-for-variance": xavier_std(784, 256),
    },
    "size-13": {
        "channels-only-fan": xavier_std(32, 96),
        "variance-for-std": xavier_var(800, 2400),
        "limit-for-std": xavier_limit(800, 2400),
        "fan-in-only": math.sqrt(2 / 800),
    },
}


@pytest.mark.parametrize("qid", sorted(ORACLES))
def test_named_mistakes_match_the_oracle(qid: str) -> None:
    q = BANK.get(qid)
    assert isinstance(q, (NumericQuestion, IntegerQuestion))
    named = {m.misconception: m.value for m in q.mistakes}
    assert named == pytest.approx(MISTAKES.get(qid, {}), rel=1e-9)


@pytest.mark.parametrize("qid", sorted(q for q in ORACLES if isinstance(BANK.get(q), NumericQuestion)))
def test_every_numeric_question_names_one_to_four_mistakes(qid: str) -> None:
    q = BANK.get(qid)
    assert isinstance(q, NumericQuestion)
    assert 1 <= len(q.mistakes) <= 4
    assert all(m.misconception and m.feedback for m in q.mistakes)


# -- the numbers shown in options -------------------------------------------------------

OPTION_VALUES: dict[str, dict[int, float]] = {
    # option number (from 1) -> the value its number stands for; the correct option first in each
    "xavier-01": {1: 2 / 2, 2: 2, 3: 3},
    "xavier-06": {
        3: xavier_std(784, 216),
        1: xavier_var(784, 216),
        2: math.sqrt(1 / 1000),
        4: math.sqrt(2 / (784 * 216)),
        5: xavier_limit(784, 216),
    },
    "xu-05": {
        2: xavier_limit(500, 100),
        1: xavier_var(500, 100),
        3: xavier_std(500, 100),
        4: math.sqrt(3 / 600),
        5: math.sqrt(6 / (500 * 100)),
    },
    "xu-08": {1: math.sqrt(6 / 24), 3: math.sqrt(3 / 24), 4: math.sqrt(2 / 24), 5: 0.6},
    "xu-12": {
        1: xavier_limit(*conv_fans(2, 4, 5, 5)),
        2: xavier_limit(2, 4),
        3: math.sqrt(6 / (50 * 100)),
        4: xavier_var(50, 100),
    },
    "xu-14": {
        5: xavier_limit(2, 4),
        1: xavier_var(2, 4),
        2: xavier_std(2, 4),
        3: math.sqrt(3 / 6),
        4: math.sqrt(6 / (2 * 4)),
    },
    "size-02": {2: 4 + 6, 1: 4 * 6, 3: 6, 4: 4},
    "size-03": {2: 512, 1: 128, 3: 512 + 128, 4: 512 * 128},
    "size-11": {2: 784 + 256, 4: 256 + 128, 5: 128 + 10, 1: 784 * 256, 3: 784 + 256 + 128 + 10},
}

_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?")


def _shown_number(text: str) -> str:
    """The last plain number of an option's text (the value, after any '≈')."""
    numbers: list[str] = _NUMBER.findall(text)
    assert numbers, f"no number in {text!r}"
    return numbers[-1]


@pytest.mark.parametrize("qid", sorted(OPTION_VALUES))
def test_every_number_in_an_option_is_the_value_rounded_as_shown(qid: str) -> None:
    q = BANK.get(qid)
    assert isinstance(q, (ChoiceQuestion, MultiQuestion))
    for number, value in OPTION_VALUES[qid].items():
        shown = _shown_number(q.options[number - 1].text)
        decimals = len(shown.partition(".")[2])
        assert abs(float(shown) - value) <= 0.5 * 10**-decimals + 1e-12, (number, shown, value)


def test_the_keyed_options_are_the_oracles_values() -> None:
    """The correct option of each question above is the first value listed for it."""
    for qid, values in OPTION_VALUES.items():
        q = BANK.get(qid)
        assert isinstance(q, (ChoiceQuestion, MultiQuestion))
        keyed = {q.answer} if isinstance(q, ChoiceQuestion) else set(q.answers)
        first = next(iter(values))
        assert first in keyed, qid


def test_xu_08_variance_option_is_one_twelfth() -> None:
    q = BANK.get("xu-08")
    assert isinstance(q, MultiQuestion)
    assert "1/12" in q.options[1].text and 2 in q.answers
    assert (
        2 / 24
        == pytest.approx(1 / 12)
        == pytest.approx(uniform_variance(-math.sqrt(6 / 24), math.sqrt(6 / 24)))
    )


# -- PyTorch ------------------------------------------------------------------------------


def _fans(torch: Any, module: Any) -> tuple[int, int]:
    fan_in, fan_out = torch.nn.init._calculate_fan_in_and_fan_out(module.weight)
    return int(fan_in), int(fan_out)


def _draw(torch: Any, shape: tuple[int, ...], fill: Callable[[Any], Any], samples: int = 2_000_000) -> Any:
    """At least ``samples`` weights drawn by ``fill`` into tensors of ``shape`` (the layer's own shape)."""
    tensor = torch.empty(shape, dtype=torch.float64)
    repeats = max(1, -(-samples // tensor.numel()))
    chunks = []
    for _ in range(repeats):
        fill(tensor)
        chunks.append(tensor.flatten().clone())
    return torch.cat(chunks)


LAYERS: dict[str, tuple[str, tuple[int, ...]]] = {
    # qid -> (module, constructor arguments) for the layer the prompt describes
    "xavier-03": ("Linear", (180, 70)),
    "xavier-04": ("Linear", (500, 140)),
    "xavier-05": ("Linear", (120, 80)),
    "xavier-06": ("Linear", (784, 216)),
    "xavier-14": ("Conv2d", (16, 32, 3)),
    "xu-03": ("Linear", (16, 8)),
    "xu-04": ("Linear", (1024, 512)),
    "xu-05": ("Linear", (500, 100)),
    "xu-10": ("Linear", (512, 352)),
    "xu-12": ("Conv2d", (2, 4, 5)),
    "xu-14": ("Linear", (2, 4)),
    "size-03": ("Linear", (512, 128)),
    "size-04": ("Linear", (784, 256)),
    "size-07": ("Conv2d", (3, 64, 3)),
    "size-08": ("Conv2d", (3, 64, 3)),
    "size-09": ("Linear", (784, 256)),
    "size-13": ("Conv2d", (32, 96, 5)),
}
EXPECTED_FANS: dict[str, tuple[int, int]] = {
    "xavier-03": (180, 70),
    "xavier-04": (500, 140),
    "xavier-05": (120, 80),
    "xavier-06": (784, 216),
    "xavier-14": conv_fans(16, 32, 3, 3),
    "xu-03": (16, 8),
    "xu-04": (1024, 512),
    "xu-05": (500, 100),
    "xu-10": (512, 352),
    "xu-12": conv_fans(2, 4, 5, 5),
    "xu-14": (2, 4),
    "size-03": (512, 128),
    "size-04": (784, 256),
    "size-07": conv_fans(3, 64, 3, 3),
    "size-08": conv_fans(3, 64, 3, 3),
    "size-09": (784, 256),
    "size-13": conv_fans(32, 96, 5, 5),
}


def _layer(torch: Any, qid: str) -> Any:
    kind, args = LAYERS[qid]
    return getattr(torch.nn, kind)(*args)


@pytest.mark.parametrize("qid", sorted(LAYERS))
def test_pytorch_counts_the_fans_the_question_uses(qid: str) -> None:
    torch = torch_or_skip()
    assert _fans(torch, _layer(torch, qid)) == EXPECTED_FANS[qid]


def test_pytorch_fans_give_the_layer_size_answers() -> None:
    torch = torch_or_skip()
    fan_in, fan_out = _fans(torch, _layer(torch, "size-07"))
    assert answer("size-07") == fan_in
    assert answer("size-08") == fan_in + fan_out
    dense = _layer(torch, "size-04")
    assert tuple(dense.weight.shape) == (256, 784)  # PyTorch stores (out_features, in_features)
    assert answer("size-04") == sum(_fans(torch, dense))
    assert answer("size-05") == dense.weight.numel()
    assert answer("size-06") == sum(p.numel() for p in dense.parameters())
    head = _layer(torch, "size-03")
    assert tuple(head.weight.shape) == (128, 512)
    assert _fans(torch, head)[0] == 512


# (qid, what the answer is, gain): measured from the weights PyTorch draws for the layer
NORMAL_CHECKS = [
    ("xavier-03", "var", 1.0),
    ("xavier-04", "1/var", 1.0),
    ("xavier-05", "std", 1.0),
    ("xavier-14", "var", 1.0),
    ("size-09", "var", 1.0),
    ("size-13", "std", 1.0),
]


@pytest.mark.parametrize(("qid", "kind", "gain"), NORMAL_CHECKS)
def test_xavier_normal_in_pytorch_draws_the_answer(qid: str, kind: str, gain: float) -> None:
    torch = torch_or_skip()
    torch.manual_seed(0)
    shape = tuple(_layer(torch, qid).weight.shape)
    w = _draw(torch, shape, lambda t: torch.nn.init.xavier_normal_(t, gain=gain))
    var = float(w.var())
    measured = {"var": var, "std": math.sqrt(var), "1/var": 1 / var}[kind]
    assert measured == pytest.approx(answer(qid), rel=0.01)


def test_xavier_normal_std_of_xavier_06_matches_its_keyed_option() -> None:
    torch = torch_or_skip()
    torch.manual_seed(1)
    shape = tuple(_layer(torch, "xavier-06").weight.shape)
    w = _draw(torch, shape, torch.nn.init.xavier_normal_)
    assert float(w.std()) == pytest.approx(0.0447, abs=0.0005)


# (qid, the limit L the question keys, gain)
UNIFORM_CHECKS = [
    ("xu-03", 0.5, 1.0),
    ("xu-04", 0.0625, 1.0),
    ("xu-05", 0.1, 1.0),
    ("xu-10", None, 5 / 3),
    ("xu-12", 0.2, 1.0),
    ("xu-14", 1.0, 1.0),
]


@pytest.mark.parametrize(("qid", "limit", "gain"), UNIFORM_CHECKS)
def test_xavier_uniform_in_pytorch_draws_within_the_keyed_limit(
    qid: str, limit: float | None, gain: float
) -> None:
    torch = torch_or_skip()
    torch.manual_seed(2)
    limit = answer(qid) if limit is None else limit
    shape = tuple(_layer(torch, qid).weight.shape)
    w = _draw(torch, shape, lambda t: torch.nn.init.xavier_uniform_(t, gain=gain), samples=400_000)
    top = float(w.abs().max())
    assert top <= limit * (1 + 1e-12)
    assert top >= limit * (1 - 1e-3)  # 400,000 draws come within 0.1% of the bound
    assert float(w.var()) == pytest.approx(limit**2 / 3, rel=0.01)


def test_pytorch_gain_for_tanh_is_the_one_xu_10_uses() -> None:
    torch = torch_or_skip()
    assert torch.nn.init.calculate_gain("tanh") == pytest.approx(5 / 3)
    fan_in, fan_out = _fans(torch, _layer(torch, "xu-10"))
    gain = torch.nn.init.calculate_gain("tanh")
    assert gain * math.sqrt(6 / (fan_in + fan_out)) == pytest.approx(answer("xu-10"), rel=1e-12)


def test_uniform_variance_of_xu_07_in_pytorch() -> None:
    torch = torch_or_skip()
    torch.manual_seed(3)
    w = torch.empty(2_000_000, dtype=torch.float64).uniform_(-0.5, 0.5)
    assert float(w.var()) == pytest.approx(answer("xu-07"), rel=0.005)


def _linear_stack_variance(
    torch: Any, width: int, var_w: float, depth: int, relu: bool = False, batch: int = 4096
) -> float:
    """E[a²] after ``depth`` bias-free layers of ``width`` with N(0, var_w) weights, for unit-variance input."""
    x = torch.randn(batch, width, dtype=torch.float64)
    start = float((x * x).mean())
    for _ in range(depth):
        w = torch.randn(width, width, dtype=torch.float64) * math.sqrt(var_w)
        x = x @ w.T
        if relu:
            x = torch.relu(x)
    return float((x * x).mean()) / start


def test_def_08_and_def_09_depth_factor_in_a_simulated_linear_stack() -> None:
    torch = torch_or_skip()
    torch.manual_seed(4)
    assert _linear_stack_variance(torch, 160, 1 / 32, 4) == pytest.approx(answer("def-08"), rel=0.1)
    assert _linear_stack_variance(torch, 125, 0.0064, 6) == pytest.approx(answer("def-09"), rel=0.1)


def test_xavier_13_relu_with_xavier_shrinks_the_second_moment() -> None:
    """Averaged over 16 independent networks, E[a²] after 8 Xavier ReLU layers of equal width is (1/2)^8.

    (One network of width 256 varies by about ±20% from its expectation; the average of 16 by about ±5%.
    The tolerance still tells 256 from 128 or 512.)
    """
    torch = torch_or_skip()
    torch.manual_seed(5)
    width = 256
    factors = [
        _linear_stack_variance(torch, width, xavier_var(width, width), 8, relu=True, batch=256)
        for _ in range(16)
    ]
    assert 1 / (sum(factors) / len(factors)) == pytest.approx(answer("xavier-13"), rel=0.15)
