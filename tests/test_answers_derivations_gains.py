"""Independent oracles for banks/derivations.yaml and banks/gains.yaml: every computed answer recomputed here.

Each question's data is written out again below (not read from the bank). The formulas are
recomputed in plain Python, checked against PyTorch where PyTorch defines them
(`calculate_gain`, `_calculate_fan_in_and_fan_out`, the `xavier_*`/`kaiming_*` functions applied
to real tensors), and every expectation a derivation claims (E[ReLU(z)^2] = E[z^2]/2,
Var(z) = n_in Var(W) E[x^2], the backward factor n_out Var(W), ...) is checked by numpy
Monte Carlo.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from quizgen import ChoiceQuestion, IntegerQuestion, MultiQuestion, NumericQuestion

from .conftest import torch_or_skip
from .oracles import BANK, check_answer

PREFIXES = ("deriv-", "gain-")

RELU_GAIN = math.sqrt(2.0)
TANH_GAIN = 5 / 3
SELU_GAIN = 3 / 4


def _leaky_gain(a: float) -> float:
    return math.sqrt(2 / (1 + a * a))


def _relu_variance(var_z: float) -> float:
    """Var(ReLU(z)) for z ~ N(0, var_z): E[ReLU^2] - E[ReLU]^2 = var_z/2 - var_z/(2 pi)."""
    return var_z / 2 - var_z / (2 * math.pi)


# -- the answers -----------------------------------------------------------------------------

ORACLES: dict[str, Callable[[], float]] = {
    # Var(z) = n_in Var(W) E[x^2], E[x^2] = Var(x) + E[x]^2
    "deriv-02": lambda: 150 * 0.004 * (0.64 + 0.6**2),
    # E[z^2] = n E[W^2] E[x^2] + n (n - 1) E[W]^2 E[x]^2
    "deriv-03": lambda: 400 * (0.0025 + 0.01**2) * 0.5 + 400 * 399 * 0.01**2 * 0.5**2,
    # Xavier forward factor n_in * 2/(n_in + n_out)
    "deriv-04": lambda: 1000 * 2 / (1000 + 250),
    # harmonic mean of 1/n_in and 1/n_out
    "deriv-05": lambda: 2 / (1 / (1 / 900) + 1 / (1 / 100)),
    # backward factor n_out Var(W)
    "deriv-07": lambda: 784 * (1 / 196),
    # product of n_out/n_in over the tapering layers
    "deriv-08": lambda: math.prod(o / i for i, o in itertools.pairwise((2048, 1024, 512, 256, 128, 64))),
    "deriv-09": lambda: 1.44 / 2,
    "deriv-10": lambda: _relu_variance(1.0),
    # U[-L, L] has variance L^2/3: L = sqrt(3 Var(W))
    "deriv-13": lambda: math.sqrt(3 * 2 / 294),
    "deriv-16": lambda: math.sqrt(3 * 1 / 625),
    # kaiming_normal_ std = gain / sqrt(fan_in), fan_in = C_in k_h k_w
    "gain-02": lambda: RELU_GAIN / math.sqrt(20 * 7 * 7),
    # xavier_normal_ variance = gain^2 * 2/(fan_in + fan_out)
    "gain-03": lambda: TANH_GAIN**2 * 2 / (720 + 720),
    # Leaky ReLU keeps (1 + a^2)/2 of the second moment
    "gain-06": lambda: (1 + 0.25**2) / 2,
    "gain-07": lambda: _leaky_gain(0.4) / math.sqrt(436),
    "gain-10": lambda: (SELU_GAIN / math.sqrt(225)) ** 2,
    # per-layer factor (1/2) * gain^2 compounded over 30 layers, relative to gain sqrt(2)
    "gain-13": lambda: ((1.1 * RELU_GAIN) ** 2 / RELU_GAIN**2) ** 30,
    "gain-14": lambda: 0.5 * TANH_GAIN**2,
    # kaiming_uniform_ bound = gain * sqrt(3/fan_in)
    "gain-17": lambda: TANH_GAIN * math.sqrt(3 / 675),
}

MISTAKES: dict[str, list[float]] = {
    "deriv-02": [150 * 0.004 * 0.64, 150 * 0.004 * (0.64 + 0.6)],
    "deriv-03": [
        400 * 0.0025 * 0.5,
        400 * (0.0025 + 0.01**2) * 0.5 - 400 * 0.01**2 * 0.5**2,
        400 * (0.0025 + 0.01**2) * 0.5,
    ],
    "deriv-04": [1.0, 250 * 2 / 1250, 1000 * 2 / (1000 * 250)],
    "deriv-05": [(1 / 900 + 1 / 100) / 2, 1 / math.sqrt(900 * 100), 1 / 900, 1 / (900 + 100)],
    "deriv-08": [1.0, 0.5, 0.5 * 5, 2.0**5],
    "deriv-09": [1.44, (math.sqrt(1.44) / 2) ** 2, _relu_variance(1.44)],
    "deriv-10": [0.5, 0.5 - 1 / math.sqrt(2 * math.pi), 1 / (2 * math.pi)],
    "deriv-13": [math.sqrt(2 / 294), math.sqrt(3 / 294), 6 / 294, math.sqrt(2 / 294) / math.sqrt(3)],
    "deriv-16": [math.sqrt(6 / 625), math.sqrt(1 / 625), 3 / 625, 1 / 625],
    "gain-02": [2 / math.sqrt(980), math.sqrt(2 / 20), 2 / 980, math.sqrt(2 / (40 * 49))],
    "gain-03": [TANH_GAIN * 2 / 1440, 2 / 1440, math.sqrt(TANH_GAIN**2 * 2 / 1440), 2 / 720],
    "gain-06": [0.5, (1 + 0.25) / 2, 0.25**2 / 2, 1 + 0.25**2],
    "gain-07": [
        math.sqrt(2 / 436),
        2 / (1.16 * 436),
        math.sqrt(2 / ((1 + 0.4) * 436)),
        _leaky_gain(0.4) / math.sqrt(128),
    ],
    "gain-10": [SELU_GAIN / 225, 1 / 225, SELU_GAIN / math.sqrt(225), SELU_GAIN**2 / 100],
    "gain-13": [1.1**30, 1.21 * 30, 1.21, 1.1 * 30],
    "gain-14": [0.5 * TANH_GAIN, TANH_GAIN**2, 1.0],
    "gain-17": [
        math.sqrt(3 / 675),
        TANH_GAIN**2 * math.sqrt(3 / 675),
        TANH_GAIN * math.sqrt(6 / 675),
        TANH_GAIN * math.sqrt(3 / 300),
    ],
}


def _ours(kind: tuple[type, ...]) -> set[str]:
    return {q.id for q in BANK if q.id.startswith(PREFIXES) and isinstance(q, kind)}


@pytest.mark.parametrize("qid", sorted(ORACLES))
def test_answer_matches_the_oracle(qid: str) -> None:
    check_answer(qid, ORACLES[qid])


def test_every_computed_answer_in_the_files_has_an_oracle() -> None:
    assert _ours((NumericQuestion, IntegerQuestion)) == set(ORACLES)


@pytest.mark.parametrize("qid", sorted(MISTAKES))
def test_named_mistakes_are_the_values_the_mistakes_give(qid: str) -> None:
    q = BANK.get(qid)
    assert isinstance(q, NumericQuestion)
    assert sorted(m.value for m in q.mistakes) == pytest.approx(sorted(MISTAKES[qid]), rel=1e-9)
    for value in MISTAKES[qid]:
        assert not q.accepts(value)


def test_every_numeric_question_with_mistakes_is_checked_here() -> None:
    with_mistakes = {
        q.id for q in BANK if q.id.startswith(PREFIXES) and isinstance(q, NumericQuestion) and q.mistakes
    }
    assert with_mistakes == set(MISTAKES)


def test_there_are_enough_new_questions_in_both_banks() -> None:
    derivations = [q for q in BANK if q.id.startswith("deriv-")]
    gains = [q for q in BANK if q.id.startswith("gain-")]
    assert len(derivations) >= 12 and len(gains) >= 12
    assert {q.topic for q in gains} == {"gains"}
    assert {q.topic for q in derivations} <= {"xavier", "he", "xavier-uniform", "vanishing", "definition"}
    assert len({q.type for q in derivations}) >= 5


# -- keys of choice questions that stand for a number or formula -------------------------------


def _key_text(qid: str) -> str:
    q = BANK.get(qid)
    assert isinstance(q, ChoiceQuestion)
    return q.options[q.answer - 1].text


def _keys(qid: str) -> list[str]:
    q = BANK.get(qid)
    assert isinstance(q, MultiQuestion)
    return [q.options[n - 1].text for n in q.answers]


def test_gain_01_key_is_pytorchs_relu_gain() -> None:
    torch = torch_or_skip()
    assert _key_text("gain-01") == r"$\sqrt{2}$"
    assert torch.nn.init.calculate_gain("relu") == pytest.approx(math.sqrt(2), rel=1e-12)


def test_gain_15_key_is_gain_squared() -> None:
    torch = torch_or_skip()
    assert _key_text("gain-15") == "$g^2$"
    torch.manual_seed(0)
    for g in (0.5, 5 / 3, 3.0):
        w1 = torch.nn.init.xavier_normal_(torch.empty(600, 400), gain=1.0)
        wg = torch.nn.init.xavier_normal_(torch.empty(600, 400), gain=g)
        assert float(wg.var() / w1.var()) == pytest.approx(g * g, rel=0.02)


def test_gain_16_key_bound_is_he_uniform() -> None:
    torch = torch_or_skip()
    assert r"\sqrt{6/n_{\mathrm{in}}}" in _key_text("gain-16")
    n_in = 500
    w = torch.nn.init.kaiming_uniform_(torch.empty(2000, n_in), mode="fan_in", nonlinearity="relu")
    bound = math.sqrt(2) * math.sqrt(3 / n_in)
    assert bound == pytest.approx(math.sqrt(6 / n_in), rel=1e-12)
    assert float(w.abs().max()) <= bound
    assert float(w.abs().max()) == pytest.approx(bound, rel=1e-3)
    assert float(w.var()) == pytest.approx(2 / n_in, rel=0.02)


def test_deriv_12_key_is_xavier_uniforms_limit() -> None:
    torch = torch_or_skip()
    assert r"L = \sqrt{6/(n_{\mathrm{in}}+n_{\mathrm{out}})}" in _key_text("deriv-12")
    fan_in, fan_out = 300, 500
    w = torch.nn.init.xavier_uniform_(torch.empty(fan_out, fan_in))
    limit = math.sqrt(6 / (fan_in + fan_out))
    assert float(w.abs().max()) <= limit
    assert float(w.abs().max()) == pytest.approx(limit, rel=1e-3)
    # the uniform on [-L, L] has variance L^2/3, Xavier's 2/(n_in + n_out)
    assert float(w.var()) == pytest.approx(limit**2 / 3, rel=0.02)
    assert limit**2 / 3 == pytest.approx(2 / (fan_in + fan_out), rel=1e-12)


def test_deriv_11_key_keeps_the_second_moment_for_any_c() -> None:
    """Var(W) = 1/(c n_in) keeps E[z^2] through a layer; checked with Leaky ReLU, c = (1 + a^2)/2."""
    assert _key_text("deriv-11") == r"$1/(c\,n_{\mathrm{in}})$"
    rng = np.random.default_rng(11)
    n_in, a = 400, 0.3
    c = (1 + a * a) / 2
    z = rng.standard_normal((4000, n_in)) * 1.7
    x = np.where(z > 0, z, a * z)
    w = rng.standard_normal((600, n_in)) * math.sqrt(1 / (c * n_in))
    z_next = x @ w.T
    assert float(np.mean(z_next**2) / np.mean(z**2)) == pytest.approx(1.0, rel=0.03)


def test_gain_12_keys_sigmoid_gain_one_derivative_quarter_mean_half() -> None:
    torch = torch_or_skip()
    keys = " ".join(_keys("gain-12"))
    assert "calculate_gain('sigmoid')" in keys and "1/4" in keys and "0.5" in keys
    assert torch.nn.init.calculate_gain("sigmoid") == 1
    z = np.linspace(-20, 20, 400_001)
    s = 1 / (1 + np.exp(-z))
    assert float(np.max(s * (1 - s))) == pytest.approx(0.25, abs=1e-12)
    assert float(z[np.argmax(s * (1 - s))]) == pytest.approx(0.0, abs=1e-9)
    zs = np.random.default_rng(12).standard_normal(1_000_000)
    assert float(np.mean(1 / (1 + np.exp(-zs)))) == pytest.approx(0.5, abs=0.002)


# -- PyTorch: the framework numbers on real tensors -------------------------------------------


def test_pytorch_gains_are_the_ones_the_banks_teach() -> None:
    torch = torch_or_skip()
    gain = torch.nn.init.calculate_gain
    assert gain("linear") == 1 and gain("conv2d") == 1 and gain("sigmoid") == 1
    assert gain("tanh") == pytest.approx(TANH_GAIN, rel=1e-12)
    assert gain("relu") == pytest.approx(RELU_GAIN, rel=1e-12)
    assert gain("selu") == pytest.approx(SELU_GAIN, rel=1e-12)
    assert gain("leaky_relu", 0.4) == pytest.approx(_leaky_gain(0.4), rel=1e-12)
    assert gain("leaky_relu", 0.25) ** 2 == pytest.approx(1 / ORACLES["gain-06"](), rel=1e-12)
    # the default slope 0.01 changes the variance by 0.01% (gain-08)
    assert 1 - gain("leaky_relu") ** 2 / 2 == pytest.approx(1 - 1 / 1.0001, rel=1e-9)
    assert 1 - gain("leaky_relu") ** 2 / 2 == pytest.approx(1e-4, rel=0.01)


def test_gain_02_conv_kaiming_normal_std() -> None:
    torch = torch_or_skip()
    torch.manual_seed(2)
    conv = torch.nn.Conv2d(20, 40, kernel_size=7)
    fan_in, fan_out = torch.nn.init._calculate_fan_in_and_fan_out(conv.weight)
    assert (fan_in, fan_out) == (980, 1960)
    # the conv has only 39 200 weights: sample a larger tensor with the same fan-in as well
    torch.nn.init.kaiming_normal_(conv.weight, mode="fan_in", nonlinearity="relu")
    assert float(conv.weight.detach().std()) == pytest.approx(ORACLES["gain-02"](), rel=0.02)
    big = torch.nn.init.kaiming_normal_(torch.empty(400, 20, 7, 7), mode="fan_in", nonlinearity="relu")
    assert float(big.std()) == pytest.approx(ORACLES["gain-02"](), rel=0.005)


def test_gain_03_xavier_normal_with_the_tanh_gain() -> None:
    torch = torch_or_skip()
    torch.manual_seed(3)
    layer = torch.nn.Linear(720, 720)
    torch.nn.init.xavier_normal_(layer.weight, gain=torch.nn.init.calculate_gain("tanh"))
    assert float(layer.weight.detach().var()) == pytest.approx(ORACLES["gain-03"](), rel=0.01)
    # 2.78/n_in for equal fans: more than He's 2/n_in
    assert 720 * ORACLES["gain-03"]() == pytest.approx(25 / 9, rel=1e-12)


def test_gain_07_kaiming_normal_leaky_relu_std() -> None:
    torch = torch_or_skip()
    torch.manual_seed(7)
    layer = torch.nn.Linear(436, 128)
    assert torch.nn.init._calculate_fan_in_and_fan_out(layer.weight) == (436, 128)
    torch.nn.init.kaiming_normal_(layer.weight, a=0.4, mode="fan_in", nonlinearity="leaky_relu")
    std = float(layer.weight.detach().std())
    assert std == pytest.approx(ORACLES["gain-07"](), rel=0.015)
    # the slope-ignored mistake is further off than the sample's noise
    assert abs(std / math.sqrt(2 / 436) - 1) > 0.05


def test_gain_10_kaiming_normal_selu_variance() -> None:
    torch = torch_or_skip()
    torch.manual_seed(10)
    layer = torch.nn.Linear(225, 100)
    assert torch.nn.init._calculate_fan_in_and_fan_out(layer.weight) == (225, 100)
    big = torch.nn.init.kaiming_normal_(torch.empty(4000, 225), mode="fan_in", nonlinearity="selu")
    assert float(big.var()) == pytest.approx(ORACLES["gain-10"](), rel=0.01)
    linear = torch.nn.init.kaiming_normal_(torch.empty(4000, 225), mode="fan_in", nonlinearity="linear")
    assert float(linear.var()) == pytest.approx(1 / 225, rel=0.01)  # LeCun, gain-09's key


def test_gain_17_kaiming_uniform_tanh_bound() -> None:
    torch = torch_or_skip()
    torch.manual_seed(17)
    layer = torch.nn.Linear(675, 300)
    assert torch.nn.init._calculate_fan_in_and_fan_out(layer.weight) == (675, 300)
    torch.nn.init.kaiming_uniform_(layer.weight, mode="fan_in", nonlinearity="tanh")
    bound = ORACLES["gain-17"]()
    w = layer.weight.detach()
    assert float(w.abs().max()) <= bound + 1e-7
    assert float(w.abs().max()) == pytest.approx(bound, rel=1e-3)
    assert float(w.var()) == pytest.approx(bound**2 / 3, rel=0.02)


def test_deriv_04_05_14_xavier_factors_on_real_tensors() -> None:
    torch = torch_or_skip()
    torch.manual_seed(4)
    w = torch.nn.init.xavier_normal_(torch.empty(250, 1000))  # nn.Linear(1000, 250).weight
    assert 1000 * float(w.var()) == pytest.approx(ORACLES["deriv-04"](), rel=0.02)
    assert 250 * float(w.var()) == pytest.approx(0.4, rel=0.02)
    w = torch.nn.init.xavier_normal_(torch.empty(100, 900))
    assert float(w.var()) == pytest.approx(ORACLES["deriv-05"](), rel=0.02)
    # deriv-14: forward + backward factors add up to 2 for any fans
    for fan_in, fan_out in ((1000, 250), (196, 784), (900, 100), (7, 3), (512, 512)):
        var = 2 / (fan_in + fan_out)
        assert fan_in * var + fan_out * var == pytest.approx(2.0, rel=1e-12)


def test_deriv_13_16_uniform_limits_on_real_tensors() -> None:
    torch = torch_or_skip()
    w = torch.nn.init.kaiming_uniform_(torch.empty(3000, 294), mode="fan_in", nonlinearity="relu")
    assert float(w.abs().max()) == pytest.approx(ORACLES["deriv-13"](), rel=1e-3)
    assert float(w.var()) == pytest.approx(2 / 294, rel=0.02)
    w = torch.nn.init.kaiming_uniform_(torch.empty(3000, 625), mode="fan_in", nonlinearity="linear")
    assert float(w.abs().max()) == pytest.approx(ORACLES["deriv-16"](), rel=1e-3)
    assert float(w.var()) == pytest.approx(1 / 625, rel=0.02)


# -- numpy Monte Carlo: the expectations the derivations claim --------------------------------


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def test_deriv_01_variance_of_sum_needs_no_gaussians_and_no_large_fan_in() -> None:
    """Uniform weights, correlated zero-mean inputs, fan-in 3: Var(z) = n_in Var(W) Var(x) still holds."""
    rng = _rng(1)
    n_in, samples, limit = 3, 2_000_000, 0.4
    w = rng.uniform(-limit, limit, (samples, n_in))
    shared = rng.standard_normal((samples, 1))
    x = 0.8 * shared + 0.6 * rng.standard_normal((samples, n_in))  # Var(x) = 1, strongly correlated
    z = np.sum(w * x, axis=1)
    assert float(np.var(z)) == pytest.approx(n_in * limit**2 / 3 * 1.0, rel=0.01)


def test_deriv_02_non_zero_mean_inputs_give_the_second_moment() -> None:
    rng = _rng(2)
    n_in, var_w = 150, 0.004
    # many units: the weights are random too, and the average runs over them as well as over x
    x = 0.6 + 0.8 * rng.standard_normal((4000, n_in))
    w = rng.standard_normal((6000, n_in)) * math.sqrt(var_w)
    z = x @ w.T
    assert float(np.var(z)) == pytest.approx(ORACLES["deriv-02"](), rel=0.03)
    assert abs(float(np.var(z)) - 150 * var_w * 0.64) > 0.15  # the Var(x) mistake is far off


def test_deriv_03_non_zero_mean_weights_add_a_shared_shift() -> None:
    rng = _rng(3)
    n_in = 400
    x = rng.integers(0, 2, (4000, n_in)).astype(float)  # 0 or 1: E[x] = E[x^2] = 0.5
    second_moments = []
    for _ in range(10):
        w = 0.01 + 0.05 * rng.standard_normal((400, n_in))
        second_moments.append(float(np.mean((x @ w.T) ** 2)))
    assert float(np.mean(second_moments)) == pytest.approx(ORACLES["deriv-03"](), rel=0.03)


def test_deriv_07_08_backward_factor_is_n_out_var_w() -> None:
    rng = _rng(7)
    w = rng.standard_normal((784, 196)) * math.sqrt(1 / 196)  # (n_out, n_in)
    g = rng.standard_normal((4000, 784))  # dL/dz, variance 1
    assert float(np.var(g @ w)) == pytest.approx(ORACLES["deriv-07"](), rel=0.03)

    widths = (2048, 1024, 512, 256, 128, 64)
    weights = [
        rng.standard_normal((n_out, n_in)) * math.sqrt(1 / n_in) for n_in, n_out in itertools.pairwise(widths)
    ]
    x = rng.standard_normal((2000, widths[0]))
    for w in weights:
        x = x @ w.T
    assert float(np.var(x)) == pytest.approx(1.0, rel=0.1)  # the forward pass is kept
    g = rng.standard_normal((2000, widths[-1]))
    for w in reversed(weights):
        g = g @ w
    assert float(np.var(g)) == pytest.approx(ORACLES["deriv-08"](), rel=0.1)


@pytest.mark.parametrize("distribution", ["gaussian", "laplace", "uniform"])
def test_deriv_09_relu_keeps_half_of_the_second_moment(distribution: str) -> None:
    rng = _rng(9)
    size = 2_000_000
    z: Any
    if distribution == "gaussian":
        z = rng.standard_normal(size) * 1.2
    elif distribution == "laplace":
        z = rng.laplace(0.0, 1.0, size)
    else:
        z = rng.uniform(-2.0, 2.0, size)
    ratio = float(np.mean(np.maximum(z, 0) ** 2) / np.mean(z**2))
    assert ratio == pytest.approx(0.5, abs=0.003)
    if distribution == "gaussian":
        assert float(np.mean(np.maximum(z, 0) ** 2)) == pytest.approx(ORACLES["deriv-09"](), rel=0.01)


def test_deriv_10_relu_variance_is_not_half() -> None:
    z = _rng(10).standard_normal(4_000_000)
    relu = np.maximum(z, 0)
    assert float(np.mean(relu)) == pytest.approx(1 / math.sqrt(2 * math.pi), rel=0.005)
    assert float(np.var(relu)) == pytest.approx(ORACLES["deriv-10"](), rel=0.005)


def test_deriv_15_backward_factor_includes_the_activation_derivative() -> None:
    """ReLU layer, He fan-out mode: n_out Var(W) E[f'(z)^2] = n_out (2/n_out) (1/2) = 1."""
    rng = _rng(15)
    n_in, n_out = 256, 640
    w = rng.standard_normal((n_out, n_in)) * math.sqrt(2 / n_out)
    z = rng.standard_normal((4000, n_out))
    upstream = rng.standard_normal((4000, n_out))
    grad_x = (upstream * (z > 0)) @ w
    assert float(np.var(grad_x)) == pytest.approx(1.0, rel=0.03)


def test_gain_05_tanh_contracts_the_second_moment() -> None:
    rng = _rng(5)
    z = rng.standard_normal(2_000_000)
    for scale in (0.1, 0.3, 1.0, 3.0):
        ratio = float(np.mean(np.tanh(scale * z) ** 2) / np.mean((scale * z) ** 2))
        assert ratio < 1
    assert float(np.mean(np.tanh(z) ** 2)) == pytest.approx(0.394, abs=0.003)
    assert float(np.mean(np.tanh(0.3 * z) ** 2) / 0.09) == pytest.approx(0.85, abs=0.01)


def test_gain_06_leaky_relu_fraction_by_monte_carlo() -> None:
    z = _rng(6).standard_normal(2_000_000)
    f = np.where(z > 0, z, 0.25 * z)
    assert float(np.mean(f**2) / np.mean(z**2)) == pytest.approx(ORACLES["gain-06"](), abs=0.003)


def test_gain_13_a_gain_ten_percent_too_large_over_30_relu_layers() -> None:
    """ReLU is positively homogeneous: scaling every weight by 1.1 scales layer l by exactly 1.1^l."""
    rng = _rng(13)
    width, depth = 256, 30
    base = [rng.standard_normal((width, width)) * math.sqrt(2 / width) for _ in range(depth)]
    x = rng.standard_normal((256, width))
    right, wrong = x, x
    for w in base:
        right = np.maximum(right @ w.T, 0)
        wrong = np.maximum(wrong @ (1.1 * w).T, 0)
    ratio = float(np.mean(wrong**2) / np.mean(right**2))
    assert ratio == pytest.approx(ORACLES["gain-13"](), rel=1e-9)


def test_gain_14_tanh_gain_on_relu_layers_gives_25_over_18() -> None:
    rng = _rng(14)
    n_in = 500
    x = np.maximum(rng.standard_normal((4000, n_in)), 0)  # ReLU outputs: second moment 1/2
    w = rng.standard_normal((800, n_in)) * (TANH_GAIN / math.sqrt(n_in))
    a = np.maximum(x @ w.T, 0)
    assert float(np.mean(a**2) / np.mean(x**2)) == pytest.approx(ORACLES["gain-14"](), rel=0.03)
