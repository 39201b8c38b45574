"""Independent oracles for banks/frameworks.yaml (fw-) and banks/beyond.yaml (beyond-).

Every numeric and integer answer, and every named mistake, is recomputed here from the
question's data written out again (not read from the bank). The frameworks questions are also
checked against PyTorch itself: the layers are built and their `.weight.shape` read,
`_calculate_fan_in_and_fan_out` and `calculate_gain` are called, and every init function is
applied to large tensors whose sample standard deviation or largest |w| is compared with the
answer; nn.Linear's default bias bound is sampled; the zero-initialised MLP is trained. The
beyond questions are checked with numpy or PyTorch where they state a number or a property.
"""

from __future__ import annotations

import inspect
import itertools
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from quizgen import IntegerQuestion, MultiQuestion, NumericQuestion

from .conftest import torch_or_skip
from .oracles import BANK, check_answer, correct_texts

PREFIXES = ("fw-", "beyond-")

s = math.sqrt

ORACLES: dict[str, Callable[[], float]] = {
    # nn.Conv2d(56, 112, 3): fan_in = C_in * k_h * k_w.
    "fw-01": lambda: 56 * 3 * 3,
    # nn.Conv2d(32, 80, (3, 5)): fan_out = C_out * k_h * k_w.
    "fw-02": lambda: 80 * 3 * 5,
    # kaiming_normal_, mode='fan_out', relu, nn.Conv2d(80, 144, 3): sqrt(2) / sqrt(144 * 9).
    "fw-04": lambda: s(2) / s(144 * 9),
    # xavier_uniform_, gain 5/3, nn.Linear(120, 30): 5/3 * sqrt(6 / (120 + 30)).
    "fw-05": lambda: 5 / 3 * s(6 / (120 + 30)),
    # calculate_gain('leaky_relu', 0.3) = sqrt(2 / (1 + 0.3^2)).
    "fw-07": lambda: s(2 / (1 + 0.3**2)),
    # default nn.Linear(768, 192): U(-1/sqrt(768), 1/sqrt(768)), std = bound / sqrt(3).
    "fw-10": lambda: (1 / s(768)) / s(3),
    # torch.empty(784, 256) read by PyTorch as fan_in = 256: sqrt(2 / 256).
    "fw-12": lambda: s(2 / 256),
    # kaiming_uniform_, fan_in, relu, nn.Conv2d(40, 64, 5): sqrt(2) * sqrt(3 / (40 * 25)).
    "fw-13": lambda: s(2) * s(3 / (40 * 5 * 5)),
    # orthogonal 400 x 400: each row has norm 1, so the mean square is 400 / 400^2.
    "beyond-02": lambda: 400 / 400**2,
    # 20 layers of gain * orthogonal, |x| = 3.
    "beyond-03": lambda: 3 * 1.05**20,
    # LSUV: variance 6.25 -> multiply the weights by 1 / sqrt(6.25).
    "beyond-05": lambda: 1 / s(6.25),
    # BN with eps: sqrt(var / (var + eps)).
    "beyond-07": lambda: s(3e-5 / (3e-5 + 1e-5)),
    # Residual with Var(F) = Var(x), uncorrelated: x2 per block, 12 blocks.
    "beyond-08": lambda: 2**12,
    # Branch variance 2 Var(x), scaled by s = 1/sqrt(50): factor 1 + 2/50 per block, 50 blocks.
    "beyond-09": lambda: (1 + 2 * (1 / s(50)) ** 2) ** 50,
}

MISTAKES: dict[str, list[float]] = {
    "fw-01": [56, 112 * 3 * 3, 112 * 56 * 3 * 3],
    "fw-02": [80 * 3 * 3, 80 * 5 * 5, 80, 32 * 3 * 5],
    "fw-04": [s(2 / (80 * 9)), s(2 / 144), 2 / (144 * 9), s(6 / (144 * 9))],
    "fw-05": [s(6 / 150), 5 / 3 * s(2 / 150), 5 / 3 * s(6 / 120), 5 / 3 * s(6 / (120 * 30))],
    "fw-07": [s(2), 2 / (1 + 0.3**2), s(2 / (1 + 0.3))],
    "fw-10": [1 / s(768), s(2 / 768), 1 / s(3 * 192), 1 / (3 * 768)],
    "fw-12": [s(2 / 784), 2 / 256, s(6 / 256)],
    "fw-13": [s(2 / 1000), s(6 / 40), s(6 / (64 * 25)), s(3 / 1000)],
    "beyond-02": [1 / s(400), 1],
    "beyond-03": [3, 3 * 1.05 * 20, 3 * (1 + 20 * 0.05), 3 * 1.05**40],
    "beyond-05": [1 / 6.25, s(6.25)],
    "beyond-07": [3e-5 / (3e-5 + 1e-5), 1, s((3e-5 + 1e-5) / 3e-5)],
    "beyond-08": [2 * 12, 1 + 12],
    "beyond-09": [3**50, (1 + 2 / s(50)) ** 50, 1.04 * 50, 1 + 50 * 0.04],
}

# Bank answers are written to 6 or more significant figures; the tolerances are 0.6 % or tighter.
SIX_FIGURES = 5e-6


@pytest.fixture(autouse=True)
def _one_torch_thread() -> Any:
    """Small QR and matmul calls run many times faster on one thread (and are reproducible); restored after."""
    try:
        import torch
    except ImportError:
        yield
        return
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def _answer(qid: str) -> Any:
    """The answer field of a numeric, integer, true/false or text question."""
    question = BANK.get(qid)
    assert not isinstance(question, MultiQuestion)
    return question.answer


def _ours(prefixes: tuple[str, ...] = PREFIXES) -> list[Any]:
    return [q for q in BANK if q.id.startswith(prefixes)]


def test_enough_new_questions() -> None:
    fw = [q for q in BANK if q.id.startswith("fw-")]
    beyond = [q for q in BANK if q.id.startswith("beyond-")]
    assert len(fw) >= 12 and {q.topic for q in fw} == {"frameworks"}
    assert len(beyond) >= 10 and {q.topic for q in beyond} == {"beyond"}
    assert {q.type for q in fw} >= {"choice", "multi", "true_false", "integer", "numeric", "text"}
    assert {q.difficulty for q in fw + beyond} == {1, 2, 3}
    assert all(q.source for q in beyond), "every beyond question names its source"


@pytest.mark.parametrize("qid", sorted(ORACLES))
def test_answer_matches_the_oracle(qid: str) -> None:
    check_answer(qid, ORACLES[qid], rel=SIX_FIGURES)  # answers are written with six significant figures


@pytest.mark.parametrize("qid", sorted(MISTAKES))
def test_named_mistakes_match_their_formulas(qid: str) -> None:
    q = BANK.get(qid)
    assert isinstance(q, (NumericQuestion, IntegerQuestion))
    values = [m.value for m in q.mistakes]
    assert len(values) == len(MISTAKES[qid])
    for value, expected in zip(values, MISTAKES[qid], strict=True):
        assert value == pytest.approx(expected, rel=SIX_FIGURES)
        if isinstance(q, NumericQuestion):
            assert not q.accepts(expected)


def test_every_computed_answer_in_the_files_has_an_oracle() -> None:
    ids = {q.id for q in _ours() if isinstance(q, (NumericQuestion, IntegerQuestion))}
    assert ids == set(ORACLES)
    assert {q.id for q in _ours() if getattr(q, "mistakes", ())} == set(MISTAKES)


# -- PyTorch: the fans ---------------------------------------------------------------------


def test_fans_of_the_convolutions_and_linear_layers_as_pytorch_counts_them() -> None:
    torch = torch_or_skip()
    nn = torch.nn
    fans = nn.init._calculate_fan_in_and_fan_out

    conv = nn.Conv2d(56, 112, kernel_size=3)  # fw-01
    assert tuple(conv.weight.shape) == (112, 56, 3, 3)
    assert fans(conv.weight) == (_answer("fw-01"), 112 * 9)
    assert conv.weight.numel() == 56448

    conv = nn.Conv2d(32, 80, kernel_size=(3, 5))  # fw-02
    assert tuple(conv.weight.shape) == (80, 32, 3, 5)
    assert fans(conv.weight) == (480, _answer("fw-02"))

    conv = nn.Conv2d(128, 256, kernel_size=3, groups=4)  # fw-03: fan_out is NOT divided by the groups
    assert tuple(conv.weight.shape) == (256, 32, 3, 3)
    assert fans(conv.weight) == (288, 2304)
    assert correct_texts("fw-03") == ["288"]

    assert fans(nn.Conv2d(80, 144, 3).weight) == (720, 1296)  # fw-04
    assert fans(nn.Conv2d(40, 64, 5).weight) == (1000, 1600)  # fw-13
    assert fans(nn.Linear(120, 30).weight) == (120, 30)  # fw-05


def test_linear_weight_orientation_fw_11() -> None:
    torch = torch_or_skip()
    layer = torch.nn.Linear(784, 256)
    assert tuple(layer.weight.shape) == (256, 784)
    assert torch.nn.init._calculate_fan_in_and_fan_out(layer.weight) == (784, 256)
    assert correct_texts("fw-11") == [
        "`torch_layer.weight.shape` is `(256, 784)`",
        "`keras_layer.kernel.shape` is `(784, 256)`",
        "Both layers have fan-in 784",
    ]


# -- PyTorch: gains ------------------------------------------------------------------------


def test_calculate_gain_values() -> None:
    torch = torch_or_skip()
    gain = torch.nn.init.calculate_gain
    # fw-06: exactly 1 for linear, sigmoid, conv2d; not for tanh, relu, selu.
    assert [gain(name) for name in ("linear", "sigmoid", "conv2d")] == [1, 1, 1]
    assert gain("tanh") == pytest.approx(5 / 3)
    assert gain("relu") == pytest.approx(math.sqrt(2))
    assert gain("selu") == pytest.approx(3 / 4)  # beyond-12
    q = BANK.get("fw-06")
    assert isinstance(q, MultiQuestion)
    named = [o.text.split("'")[1] for o in q.options]
    assert {named[n - 1] for n in q.answers} == {n for n in named if gain(n) == 1}
    # fw-07, and the default slope 0.01 gives sqrt(2) to three figures (its explanation).
    assert _answer("fw-07") == pytest.approx(gain("leaky_relu", 0.3), rel=SIX_FIGURES)
    assert f"{gain('leaky_relu'):.3g}" == f"{math.sqrt(2):.3g}"


def test_kaiming_defaults_fw_16() -> None:
    torch = torch_or_skip()
    params = inspect.signature(torch.nn.init.kaiming_normal_).parameters
    assert params["nonlinearity"].default == _answer("fw-16") == "leaky_relu"
    assert params["a"].default == 0 and params["mode"].default == "fan_in"
    assert torch.nn.init.calculate_gain("leaky_relu", 0) == pytest.approx(math.sqrt(2))
    torch.manual_seed(0)
    w = torch.empty(1000, 500)
    torch.nn.init.kaiming_normal_(w)
    assert w.std().item() == pytest.approx(math.sqrt(2 / 500), rel=0.01)


# -- PyTorch: the init functions on large tensors ------------------------------------------


def _draws(torch: Any, make: Callable[[], Any], times: int) -> Any:
    """``times`` fresh draws of a weight (make() returns an initialised tensor), flattened together."""
    return torch.cat([make().detach().flatten().clone() for _ in range(times)])


def test_kaiming_normal_fan_out_on_a_convolution_fw_04() -> None:
    torch = torch_or_skip()
    torch.manual_seed(1)
    conv = torch.nn.Conv2d(80, 144, kernel_size=3)

    def make() -> Any:
        torch.nn.init.kaiming_normal_(conv.weight, mode="fan_out", nonlinearity="relu")
        return conv.weight

    std = _draws(torch, make, 8).std().item()
    assert std == pytest.approx(_answer("fw-04"), rel=0.01)
    assert std != pytest.approx(math.sqrt(2 / 720), rel=0.05)  # not fan-in


def test_xavier_uniform_with_the_tanh_gain_fw_05() -> None:
    torch = torch_or_skip()
    torch.manual_seed(2)
    layer = torch.nn.Linear(120, 30)

    def make() -> Any:
        torch.nn.init.xavier_uniform_(layer.weight, gain=torch.nn.init.calculate_gain("tanh"))
        return layer.weight

    w = _draws(torch, make, 300)
    bound = _answer("fw-05")
    assert w.abs().max().item() <= bound * (1 + SIX_FIGURES)
    assert w.abs().max().item() >= 0.999 * bound
    assert w.std().item() * math.sqrt(3) == pytest.approx(bound, rel=0.01)


def test_nn_linear_default_weights_fw_09_fw_10() -> None:
    torch = torch_or_skip()
    torch.manual_seed(3)
    w = _draws(torch, lambda: torch.nn.Linear(768, 192).weight, 4)
    bound = 1 / math.sqrt(768)
    assert w.abs().max().item() <= bound and w.abs().max().item() >= 0.999 * bound
    assert w.std().item() == pytest.approx(_answer("fw-10"), rel=0.01)
    # fw-09: Var(W) = 1 / (3 n_in), a sixth of He's 2 / n_in.
    assert w.var().item() == pytest.approx(1 / (3 * 768), rel=0.02)
    assert (2 / 768) / w.var().item() == pytest.approx(6, rel=0.02)
    assert _answer("fw-09") is False


def test_nn_linear_default_bias_fw_08() -> None:
    torch = torch_or_skip()
    torch.manual_seed(4)
    b = _draws(torch, lambda: torch.nn.Linear(250, 40).bias, 2000)
    bound = 1 / math.sqrt(250)
    assert b.abs().max().item() <= bound and b.abs().max().item() >= 0.999 * bound
    assert (b != 0).all()
    assert b.std().item() == pytest.approx(bound / math.sqrt(3), rel=0.02)
    assert "0.0632" in correct_texts("fw-08")[0] and f"{bound:.4f}" == "0.0632"


def test_kaiming_normal_reads_the_fan_in_from_dim_1_fw_12() -> None:
    torch = torch_or_skip()
    torch.manual_seed(5)

    def make() -> Any:
        w = torch.empty(784, 256)
        torch.nn.init.kaiming_normal_(w, mode="fan_in", nonlinearity="relu")
        return w

    std = _draws(torch, make, 3).std().item()
    assert std == pytest.approx(_answer("fw-12"), rel=0.01)
    # The fix the explanation names: initialise the transpose.
    w = torch.empty(784, 256)
    torch.nn.init.kaiming_normal_(w.T, mode="fan_in", nonlinearity="relu")
    assert w.std().item() == pytest.approx(math.sqrt(2 / 784), rel=0.01)


def test_kaiming_uniform_bound_on_a_convolution_fw_13() -> None:
    torch = torch_or_skip()
    torch.manual_seed(6)
    conv = torch.nn.Conv2d(40, 64, kernel_size=5)

    def make() -> Any:
        torch.nn.init.kaiming_uniform_(conv.weight, mode="fan_in", nonlinearity="relu")
        return conv.weight

    w = _draws(torch, make, 10)
    bound = _answer("fw-13")
    assert w.abs().max().item() <= bound * (1 + SIX_FIGURES)
    assert w.abs().max().item() >= 0.999 * bound


def test_the_largest_standard_deviation_fw_17() -> None:
    torch = torch_or_skip()
    torch.manual_seed(7)
    init = torch.nn.init

    def std(fill: Callable[[Any], Any]) -> float:
        def make() -> Any:
            w = torch.empty(324, 324)
            fill(w)
            return w

        return float(_draws(torch, make, 4).std().item())

    measured = {
        "kaiming": std(lambda w: init.kaiming_normal_(w, mode="fan_in", nonlinearity="relu")),
        "xavier": std(init.xavier_normal_),
        "xavier-tanh": std(lambda w: init.xavier_normal_(w, gain=init.calculate_gain("tanh"))),
        "default": float(_draws(torch, lambda: torch.nn.Linear(324, 324).weight, 4).std().item()),
    }
    expected = {
        "kaiming": math.sqrt(2) / 18,
        "xavier": 1 / 18,
        "xavier-tanh": 5 / 3 / 18,
        "default": 1 / (18 * math.sqrt(3)),
    }
    for key, value in expected.items():
        assert measured[key] == pytest.approx(value, rel=0.015), key
    assert max(measured, key=measured.__getitem__) == "xavier-tanh"
    assert "calculate_gain('tanh')" in correct_texts("fw-17")[0]


# -- PyTorch: behaviour --------------------------------------------------------------------


def test_zeros_on_every_layer_keeps_the_units_identical_fw_14() -> None:
    torch = torch_or_skip()
    nn = torch.nn
    torch.manual_seed(8)
    model = nn.Sequential(nn.Linear(20, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 1))
    for m in model.modules():
        if isinstance(m, nn.Linear):
            nn.init.zeros_(m.weight)
            nn.init.zeros_(m.bias)
    optimiser = torch.optim.SGD(model.parameters(), lr=0.1)
    x, y = torch.randn(256, 20), torch.randn(256, 1)
    for _ in range(30):
        optimiser.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        optimiser.step()
    for index in (0, 2):
        layer = model[index]
        assert torch.equal(layer.weight, layer.weight[:1].expand_as(layer.weight))
        assert torch.equal(layer.bias, layer.bias[:1].expand_as(layer.bias))
    hidden = model[:4](x)
    assert torch.equal(hidden, hidden[:, :1].expand_as(hidden))


def _he_mode_ratios(torch: Any, mode: str) -> tuple[float, float]:
    """Widening ReLU stack 64 -> ... -> 2048: (forward second moment last/first, gradient first/last)."""
    torch.manual_seed(9)
    widths = (64, 128, 256, 512, 1024, 2048)
    h = torch.randn(512, widths[0], dtype=torch.float64, requires_grad=True)
    activations = []
    for n_in, n_out in itertools.pairwise(widths):
        w = torch.empty(n_out, n_in, dtype=torch.float64)
        torch.nn.init.kaiming_normal_(w, mode=mode, nonlinearity="relu")
        h = torch.relu(h @ w.T)
        h.retain_grad()
        activations.append(h)
    (h * torch.randn_like(h)).sum().backward()
    forward = (activations[-1] ** 2).mean().item() / (activations[0] ** 2).mean().item()
    backward = (activations[0].grad ** 2).mean().item() / (activations[-1].grad ** 2).mean().item()
    return forward, backward


def test_fan_in_keeps_forward_fan_out_keeps_backward_fw_15() -> None:
    torch = torch_or_skip()
    forward_in, backward_in = _he_mode_ratios(torch, "fan_in")
    forward_out, backward_out = _he_mode_ratios(torch, "fan_out")
    assert 0.5 < forward_in < 2 and backward_in > 3
    assert 0.5 < backward_out < 2 and forward_out < 0.25
    assert "backpropagated" in correct_texts("fw-15")[0]


# -- beyond: orthogonal, LSUV, batch norm, residual, SELU ----------------------------------


def test_orthogonal_layers_keep_every_norm_beyond_01_02_03() -> None:
    torch = torch_or_skip()
    torch.manual_seed(10)
    x = torch.randn(16, 128, dtype=torch.float64)
    h = x
    for _ in range(50):
        w = torch.empty(128, 128, dtype=torch.float64)
        torch.nn.init.orthogonal_(w)
        h = h @ w.T
    assert torch.allclose(h.norm(dim=1), x.norm(dim=1), rtol=1e-10)
    assert _answer("beyond-01") is True

    w = torch.empty(400, 400, dtype=torch.float64)
    torch.nn.init.orthogonal_(w)
    assert (w**2).mean().item() == pytest.approx(_answer("beyond-02"), rel=1e-10)

    x = torch.randn(1, 100, dtype=torch.float64)
    x = 3 * x / x.norm()
    h = x
    for _ in range(20):
        w = torch.empty(100, 100, dtype=torch.float64)
        torch.nn.init.orthogonal_(w, gain=1.05)
        h = h @ w.T
    assert h.norm().item() == pytest.approx(_answer("beyond-03"), rel=SIX_FIGURES)


def test_lsuv_rescaling_beyond_05() -> None:
    rng = np.random.default_rng(11)
    batch = rng.standard_normal((512, 128))
    w = rng.standard_normal((64, 128))
    w *= math.sqrt(6.25 / float(np.var(batch @ w.T)))  # the layer's output variance is now 6.25
    assert float(np.var(batch @ w.T)) == pytest.approx(6.25, rel=1e-12)
    factor = _answer("beyond-05")
    assert float(np.var(batch @ (factor * w).T)) == pytest.approx(1.0, rel=1e-12)


def test_batch_norm_and_weight_scale_beyond_06_07() -> None:
    torch = torch_or_skip()
    torch.manual_seed(12)
    x = torch.randn(128, 64, dtype=torch.float64)
    w = torch.randn(32, 64, dtype=torch.float64) / 8

    def normalise(z: Any) -> Any:  # batch normalisation with eps = 0 (PyTorch refuses eps = 0 in training)
        return (z - z.mean(dim=0)) / z.std(dim=0, unbiased=False)

    assert torch.allclose(normalise(x @ w.T), normalise(x @ (50 * w).T), atol=1e-12)
    bn = torch.nn.BatchNorm1d(32, affine=False).double().train()  # eps = 1e-5: almost exact here
    assert torch.allclose(bn(x @ w.T), bn(x @ (50 * w).T), atol=1e-4)
    assert _answer("beyond-06") is False

    bn = torch.nn.BatchNorm1d(1).double().train()  # eps = 1e-5, the default
    assert bn.eps == 1e-5
    z = torch.randn(256, 1, dtype=torch.float64)
    z = (z - z.mean()) / z.std(unbiased=False) * math.sqrt(3e-5)  # batch variance exactly 3e-5
    exact = (z - z.mean()) / z.std(unbiased=False)
    ratio = (bn(z) / exact).flatten()
    assert torch.allclose(ratio, torch.full_like(ratio, _answer("beyond-07")), rtol=1e-5)


def test_residual_variance_growth_beyond_08_09() -> None:
    rng = np.random.default_rng(13)
    n = 512
    x = rng.standard_normal((128, n))
    h = x
    for _ in range(12):  # branch: a fresh random map with n Var(G) = 1: same variance, uncorrelated
        h = h + h @ (rng.standard_normal((n, n)) / math.sqrt(n)).T
    assert float(np.var(h) / np.var(x)) == pytest.approx(_answer("beyond-08"), rel=0.15)

    n, depth = 128, 50
    x = rng.standard_normal((128, n))
    growth = {}
    for name, scale in (("unscaled", 1.0), ("scaled", 1 / math.sqrt(depth))):
        h = x
        for _ in range(depth):
            w1 = rng.standard_normal((n, n)) * math.sqrt(2 / n)
            w2 = rng.standard_normal((n, n)) * math.sqrt(2 / n)
            branch = np.maximum(h @ w1.T, 0) @ w2.T
            h = h + scale * branch
        growth[name] = float(np.var(h) / np.var(x))
    assert growth["unscaled"] > 1e20
    assert growth["scaled"] == pytest.approx(_answer("beyond-09"), rel=0.2)
    # One He branch F(x) = W2 ReLU(W1 x) has about twice its input's variance (the prompt's premise).
    h = rng.standard_normal((4096, n))
    branch = np.maximum(h @ (rng.standard_normal((n, n)) * math.sqrt(2 / n)).T, 0)
    branch = branch @ (rng.standard_normal((n, n)) * math.sqrt(2 / n)).T
    assert float(np.var(branch) / np.var(h)) == pytest.approx(2, rel=0.15)


def test_zero_gamma_block_is_the_identity_and_gamma_learns_beyond_10() -> None:
    torch = torch_or_skip()
    nn = torch.nn
    torch.manual_seed(14)
    conv1, bn1 = nn.Conv2d(8, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8)
    conv2, bn2 = nn.Conv2d(8, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8)
    nn.init.zeros_(bn2.weight)  # what zero_init_residual=True does to the last BN of a BasicBlock
    x = torch.relu(torch.randn(4, 8, 6, 6))  # a block's input is the output of a ReLU
    out = torch.relu(x + bn2(conv2(torch.relu(bn1(conv1(x))))))
    assert torch.equal(out, x)
    (out * torch.randn_like(out)).sum().backward()
    assert bn2.weight.grad.abs().max().item() > 0


def test_zero_last_layer_blocks_beyond_11() -> None:
    torch = torch_or_skip()
    torch.manual_seed(15)
    x = torch.randn(32, 128)
    w1s = [torch.randn(128, 128, requires_grad=True) for _ in range(50)]
    w2s = [torch.zeros(128, 128, requires_grad=True) for _ in range(50)]
    h = x
    for w1, w2 in zip(w1s, w2s, strict=True):
        h = h + torch.relu(h @ w1.T) @ w2.T
    assert torch.equal(h, x)
    (h * torch.randn_like(h)).sum().backward()
    assert all(w2.grad.abs().max().item() > 0 for w2 in w2s)

    w1, w2 = torch.zeros(128, 128, requires_grad=True), torch.zeros(128, 128, requires_grad=True)
    h = x + torch.relu(x @ w1.T) @ w2.T
    (h * torch.randn_like(h)).sum().backward()
    assert w1.grad.abs().max().item() == 0 and w2.grad.abs().max().item() == 0


def test_selu_with_lecun_init_self_normalises_beyond_12() -> None:
    torch = torch_or_skip()
    torch.manual_seed(16)
    h = torch.randn(256, 512, dtype=torch.float64)
    for _ in range(30):
        w = torch.empty(512, 512, dtype=torch.float64)
        torch.nn.init.kaiming_normal_(w, mode="fan_in", nonlinearity="linear")  # LeCun normal
        assert w.std().item() == pytest.approx(1 / math.sqrt(512), rel=0.02)
        h = torch.selu(h @ w.T)
        assert abs(h.mean().item()) < 0.05 and 0.9 < h.var().item() < 1.1
    assert "nonlinearity='linear'" in correct_texts("beyond-12")[0]
    # The distractor's call: gain 3/4, so Var(W) = 0.5625 / n_in.
    w = torch.empty(2048, 512)
    torch.nn.init.kaiming_normal_(w, mode="fan_in", nonlinearity="selu")
    assert w.var().item() == pytest.approx(0.5625 / 512, rel=0.02)
