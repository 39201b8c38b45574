"""Independent oracles for banks/he.yaml, banks/vanishing.yaml and banks/exploding.yaml.

Every numeric and integer answer (and its named mistakes), and every number in a correct option,
is recomputed here from the question's data written out again, not read from the bank. Where a
PyTorch function applies, the number is also checked against PyTorch itself: `calculate_gain`,
`_calculate_fan_in_and_fan_out`, the `kaiming_*_`/`xavier_*_` initialisers applied to real layers
(sample statistics of large weight tensors), the default initialisation of `nn.Linear`, and
autograd for the backward pass.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import pytest

from quizgen import ChoiceQuestion, IntegerQuestion, MultiQuestion, NumericQuestion

from .conftest import torch_or_skip
from .oracles import BANK, check_answer, correct_texts

PREFIXES = ("he-", "van-", "exp-")


def _smallest_depth(r: float, threshold: float, *, below: bool) -> int:
    """The smallest L with r**L below (or above) the threshold, by counting layers."""
    depth, factor = 0, 1.0
    while (factor >= threshold) if below else (factor <= threshold):
        depth += 1
        factor *= r
    return depth


ORACLES: dict[str, Callable[[], float]] = {
    # He normal, fan-in mode: std = sqrt(2 / n_in).
    "he-03": lambda: math.sqrt(2 / 450),
    # He uniform, fan-in mode: L = sqrt(6 / n_in).
    "he-05": lambda: math.sqrt(6 / 384),
    # Leaky ReLU, slope a: Var = 2 / ((1 + a^2) n_in).
    "he-08": lambda: 2 / ((1 + 0.5**2) * 160),
    # 2 / n_in = 1/64.
    "he-11": lambda: 2 / (1 / 64),
    # Conv 48 -> 128, 3x3: fan_in = 48 * 3 * 3.
    "he-13": lambda: math.sqrt(2 / (48 * 3 * 3)),
    "van-02": lambda: 0.7**10,
    "van-03": lambda: 320 * 0.025**2,
    "van-06": lambda: 0.25**5,
    "van-09": lambda: _smallest_depth(0.5, 0.001, below=True),
    # Xavier with equal fans: n Var = 1; ReLU keeps half of the second moment; 20 layers.
    "van-11": lambda: (0.5 * 1000 * 2 / (1000 + 1000)) ** 20,
    "van-14": lambda: (256 * 0.002) ** 5,
    "exp-02": lambda: 3**6,
    # Backward factor n_out Var(W).
    "exp-03": lambda: 600 * 0.005,
    "exp-04": lambda: 1.1**50,
    "exp-11": lambda: _smallest_depth(2.0, 1e6, below=False),
    # He's variance with an identity activation: n_in * 2 / n_in.
    "exp-13": lambda: 777 * (2 / 777),
}

MISTAKES: dict[str, list[float]] = {
    "he-03": [2 / 450, math.sqrt(1 / 450), math.sqrt(6 / 450)],
    "he-05": [math.sqrt(2 / 384), math.sqrt(3 / 384), 6 / 384, 2 / 384],
    "he-08": [2 / 160, 2 / ((1 + 0.5) * 160), 1 / ((1 + 0.5**2) * 160), math.sqrt(2 / ((1 + 0.5**2) * 160))],
    "he-11": [64, 1 / (2 * (1 / 64))],
    "he-13": [math.sqrt(2 / 48), math.sqrt(2 / (128 * 9)), 2 / (48 * 9), math.sqrt(1 / (48 * 9))],
    "van-02": [0.7 * 10, 0.7**5, 0.7**9],
    "van-03": [320 * 0.025],
    "van-06": [0.25 * 5, 0.5**5, 0.25**4],
    "van-09": [9, 3],
    "van-11": [1.0, 0.5 * 20, 0.5**10],
    "van-14": [0.512 * 5, 256 * 0.002, 0.512**2.5],
    "exp-02": [3 * 6, 3**5, 3**3],
    "exp-03": [150 * 0.005, 600 * math.sqrt(0.005)],
    "exp-04": [1 + 50 * 0.1, 1.1 * 50, 1.1**25],
    "exp-11": [19, 6],
    "exp-13": [0.5 * 2, math.sqrt(2)],
}


def _computed_ids() -> set[str]:
    return {
        q.id for q in BANK if q.id.startswith(PREFIXES) and isinstance(q, (NumericQuestion, IntegerQuestion))
    }


@pytest.mark.parametrize("qid", sorted(ORACLES))
def test_answer_matches_the_oracle(qid: str) -> None:
    check_answer(qid, ORACLES[qid])


def test_every_computed_answer_in_the_files_has_an_oracle() -> None:
    assert _computed_ids() == set(ORACLES)


@pytest.mark.parametrize("qid", sorted(MISTAKES))
def test_named_mistakes_match_their_recomputation(qid: str) -> None:
    q = BANK.get(qid)
    assert isinstance(q, (NumericQuestion, IntegerQuestion))
    assert sorted(m.value for m in q.mistakes) == pytest.approx(sorted(MISTAKES[qid]), rel=1e-9)


def test_every_computed_answer_names_its_mistakes() -> None:
    assert set(MISTAKES) == _computed_ids()


def test_integer_answers_are_integers() -> None:
    for qid in ("he-11", "van-09", "exp-02", "exp-11"):
        q = BANK.get(qid)
        assert isinstance(q, IntegerQuestion)
        assert float(ORACLES[qid]()).is_integer()


def test_the_smallest_depths_are_the_smallest() -> None:
    assert 0.5**9 >= 0.001 > 0.5**10
    assert 2**19 <= 1e6 < 2**20


# -- numbers in the options ------------------------------------------------------------------


def _number(text: str) -> float:
    match = re.fullmatch(r"\$?\s*([0-9.]+)\s*\$?", text.strip())
    assert match, f"not a plain number: {text!r}"
    return float(match.group(1))


def _sig(value: float, digits: int) -> float:
    return float(f"{value:.{digits}g}")


def test_he_04_options_are_the_values_they_stand_for() -> None:
    q = BANK.get("he-04")
    assert isinstance(q, ChoiceQuestion)
    values = [_number(o.text) for o in q.options]
    n_in = 288
    assert values == [
        _sig(2 / n_in, 3),  # variance-for-std
        _sig(math.sqrt(6 / n_in), 3),  # limit-for-std
        _sig(math.sqrt(2 / n_in), 3),  # the key
        _sig(math.sqrt(1 / n_in), 3),  # dropped-two
    ]
    assert q.answer == 3
    assert len(set(values)) == 4


def test_he_10_bounds_are_the_pytorch_default_and_its_mistakes() -> None:
    q = BANK.get("he-10")
    assert isinstance(q, ChoiceQuestion)
    n_in, n_out = 2500, 10
    assert correct_texts("he-10") == [f"$U[-{1 / math.sqrt(n_in):g}, {1 / math.sqrt(n_in):g}]$"]
    he_uniform = _sig(math.sqrt(6 / n_in), 2)
    assert q.options[0].text == f"$U[-{he_uniform:g}, {he_uniform:g}]$"
    assert q.options[1].text == f"$N(0, 2/{n_in})$"
    by_outputs = _sig(1 / math.sqrt(n_out), 3)  # shape-orientation
    assert q.options[4].text == f"$U[-{by_outputs:g}, {by_outputs:g}]$"


@pytest.mark.parametrize(
    ("qid", "n_in", "variances", "verdict"),
    [
        ("van-10", 100, (0.005, 0.01, 0.02), lambda r: r < 1),
        ("exp-10", 250, (0.001, 0.004, 0.02), lambda r: r > 1),
    ],
)
def test_the_keyed_variance_is_the_only_one_that_vanishes_or_explodes(
    qid: str, n_in: int, variances: tuple[float, ...], verdict: Callable[[float], bool]
) -> None:
    q = BANK.get(qid)
    assert isinstance(q, ChoiceQuestion)
    shown = [float(re.search(r"= ([0-9.]+)", o.text).group(1)) for o in q.options]  # type: ignore[union-attr]
    assert shown == list(variances)
    factors = [n_in * v for v in variances]
    keyed = [n for n, r in enumerate(factors, start=1) if verdict(r)]
    assert keyed == [q.answer]
    assert 1 in [pytest.approx(r) for r in factors]  # one option preserves the variance exactly


def test_he_14_key_is_the_he_relu_factor() -> None:
    n_in = 300
    factor = 0.5 * n_in * (2 / n_in)
    assert factor == pytest.approx(1.0)
    assert correct_texts("he-14")[0].startswith(f"{factor:g},")


def test_van_08_per_layer_factor_in_the_feedback() -> None:
    q = BANK.get("van-08")
    assert isinstance(q, MultiQuestion)
    factor = 0.5 * 512 * 0.01**2
    assert f"{factor:.2g}" in (q.options[1].feedback or "")
    assert math.sqrt(2 / 512) == pytest.approx(0.0625)


# -- PyTorch ---------------------------------------------------------------------------------


def _sample_std(weight: Any) -> float:
    return float(weight.detach().double().std())


def test_he_03_and_he_04_with_kaiming_normal() -> None:
    torch = torch_or_skip()
    torch.manual_seed(0)
    for qid, n_in in (("he-03", 450), ("he-04", 288)):
        layer = torch.nn.Linear(n_in, 4096)
        fan_in, _ = torch.nn.init._calculate_fan_in_and_fan_out(layer.weight)
        assert fan_in == n_in
        torch.nn.init.kaiming_normal_(layer.weight, mode="fan_in", nonlinearity="relu")
        exact = torch.nn.init.calculate_gain("relu") / math.sqrt(fan_in)
        assert _sample_std(layer.weight) == pytest.approx(exact, rel=0.01)
        if qid == "he-03":
            assert BANK.get(qid).answer == pytest.approx(exact, rel=1e-12)  # type: ignore[union-attr]
        else:
            assert _number(correct_texts(qid)[0]) == _sig(exact, 3)


def test_he_05_with_kaiming_uniform() -> None:
    torch = torch_or_skip()
    torch.manual_seed(1)
    weight = torch.empty(4096, 384)
    torch.nn.init.kaiming_uniform_(weight, mode="fan_in", nonlinearity="relu")
    bound = torch.nn.init.calculate_gain("relu") * math.sqrt(3 / 384)
    answer = BANK.get("he-05").answer  # type: ignore[union-attr]
    assert answer == pytest.approx(bound, rel=1e-12)
    assert float(weight.abs().max()) <= bound * (1 + 1e-6)
    assert float(weight.abs().max()) > 0.999 * bound
    assert _sample_std(weight) == pytest.approx(bound / math.sqrt(3), rel=0.01)  # std-for-limit mistake


def test_he_08_with_kaiming_normal_leaky_relu() -> None:
    torch = torch_or_skip()
    torch.manual_seed(2)
    weight = torch.empty(8192, 160)
    torch.nn.init.kaiming_normal_(weight, a=0.5, mode="fan_in", nonlinearity="leaky_relu")
    variance = torch.nn.init.calculate_gain("leaky_relu", 0.5) ** 2 / 160
    answer = BANK.get("he-08").answer  # type: ignore[union-attr]
    assert answer == pytest.approx(variance, rel=1e-12)
    assert float(weight.detach().double().var()) == pytest.approx(variance, rel=0.02)


def test_he_11_fan_in_from_the_variance() -> None:
    torch = torch_or_skip()
    n_in = BANK.get("he-11").answer  # type: ignore[union-attr]
    layer = torch.nn.Linear(n_in, 16)
    fan_in, _ = torch.nn.init._calculate_fan_in_and_fan_out(layer.weight)
    assert torch.nn.init.calculate_gain("relu") ** 2 / fan_in == pytest.approx(1 / 64, rel=1e-12)


def test_he_13_with_a_real_conv2d() -> None:
    torch = torch_or_skip()
    torch.manual_seed(3)
    conv = torch.nn.Conv2d(48, 128, kernel_size=3)
    fans = torch.nn.init._calculate_fan_in_and_fan_out(conv.weight)
    assert fans == (432, 1152)
    q = BANK.get("he-13")
    assert isinstance(q, NumericQuestion)
    torch.nn.init.kaiming_normal_(conv.weight, mode="fan_in", nonlinearity="relu")
    assert _sample_std(conv.weight) == pytest.approx(q.answer, rel=0.02)
    torch.nn.init.kaiming_normal_(conv.weight, mode="fan_out", nonlinearity="relu")
    fan_out_mistake = [m for m in q.mistakes if m.misconception == "fan-out-only"]
    assert len(fan_out_mistake) == 1
    assert _sample_std(conv.weight) == pytest.approx(fan_out_mistake[0].value, rel=0.02)
    channels_only = next(m for m in q.mistakes if m.misconception == "channels-only-fan")
    assert channels_only.value == pytest.approx(torch.nn.init.calculate_gain("relu") / math.sqrt(48))


def test_he_10_pytorch_default_linear() -> None:
    torch = torch_or_skip()
    torch.manual_seed(4)
    layer = torch.nn.Linear(2500, 10)
    assert torch.nn.init._calculate_fan_in_and_fan_out(layer.weight) == (2500, 10)
    bound = 1 / math.sqrt(2500)
    assert float(layer.weight.detach().abs().max()) <= bound
    assert float(layer.weight.detach().abs().max()) > 0.99 * bound
    assert (
        float(layer.bias.detach().abs().max()) <= bound and float(layer.bias.detach().abs().max()) > 0
    )  # not zero
    # kaiming_uniform_(a=sqrt(5)) is where the bound comes from.
    gain = torch.nn.init.calculate_gain("leaky_relu", math.sqrt(5))
    assert gain * math.sqrt(3 / 2500) == pytest.approx(bound, rel=1e-12)
    assert _number(correct_texts("he-10")[0].split(",")[1].rstrip("]$")) == pytest.approx(bound)


def _second_moment_factors(
    torch: Any, init: Callable[[Any], None], activation: Callable[[Any], Any]
) -> list[float]:
    """Per-layer factor of the activations' second moment in a 20-layer bias-free net of width 512."""
    torch.manual_seed(5)
    x = torch.randn(2000, 512, dtype=torch.float64)
    factors = []
    for _ in range(20):
        weight = torch.empty(512, 512, dtype=torch.float64)
        init(weight)
        y = activation(x @ weight.T)
        factors.append(float((y**2).mean() / (x**2).mean()))
        x = y
    return factors


def test_he_14_he_keeps_the_relu_second_moment() -> None:
    torch = torch_or_skip()
    factors = _second_moment_factors(
        torch, lambda w: torch.nn.init.kaiming_normal_(w, nonlinearity="relu"), torch.relu
    )
    assert sum(factors) / len(factors) == pytest.approx(0.5 * 512 * (2 / 512), rel=0.05)


def test_van_11_xavier_on_relu_halves_the_second_moment() -> None:
    torch = torch_or_skip()
    factors = _second_moment_factors(torch, torch.nn.init.xavier_normal_, torch.relu)
    assert sum(factors) / len(factors) == pytest.approx(0.5, rel=0.05)
    assert BANK.get("van-11").answer == pytest.approx(0.5**20, rel=1e-12)  # type: ignore[union-attr]


def test_exp_13_he_on_a_linear_activation_doubles_the_variance() -> None:
    torch = torch_or_skip()
    factors = _second_moment_factors(
        torch, lambda w: torch.nn.init.kaiming_normal_(w, nonlinearity="relu"), lambda z: z
    )
    assert factors[0] == pytest.approx(BANK.get("exp-13").answer, rel=0.05)  # type: ignore[union-attr]


def test_van_03_forward_factor_of_a_real_layer() -> None:
    torch = torch_or_skip()
    torch.manual_seed(6)
    layer = torch.nn.Linear(320, 4000, bias=False).double()
    torch.nn.init.normal_(layer.weight, std=0.025)
    x = torch.randn(3000, 320, dtype=torch.float64)
    factor = float(layer(x).detach().var() / x.detach().var())
    assert factor == pytest.approx(BANK.get("van-03").answer, rel=0.03)  # type: ignore[union-attr]


def test_exp_03_backward_factor_by_autograd() -> None:
    torch = torch_or_skip()
    torch.manual_seed(7)
    layer = torch.nn.Linear(150, 600, bias=False).double()
    torch.nn.init.normal_(layer.weight, std=math.sqrt(0.005))
    x = torch.randn(4000, 150, dtype=torch.float64, requires_grad=True)
    upstream = torch.randn(4000, 600, dtype=torch.float64)
    (layer(x) * upstream).sum().backward()
    backward = float(x.grad.var() / upstream.var())
    forward = float(layer(x).detach().var() / x.detach().var())
    q = BANK.get("exp-03")
    assert isinstance(q, NumericQuestion)
    assert backward == pytest.approx(q.answer, rel=0.03)
    assert forward == pytest.approx(min(m.value for m in q.mistakes), rel=0.03)  # the forward-factor mistake


def test_van_06_sigmoid_derivative_by_autograd() -> None:
    torch = torch_or_skip()
    z = torch.linspace(-20, 20, 400_001, dtype=torch.float64, requires_grad=True)
    torch.sigmoid(z).sum().backward()
    peak = float(z.grad.max())
    assert peak == pytest.approx(0.25, abs=1e-12)
    assert float(z.detach()[int(z.grad.argmax())]) == pytest.approx(0.0, abs=1e-9)
    assert BANK.get("van-06").answer == pytest.approx(peak**5, rel=1e-9)  # type: ignore[union-attr]
