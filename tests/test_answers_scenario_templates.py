"""Independent oracles for banks/scenario.yaml and banks/templates.yaml.

Every numeric and integer answer of the scenario bank (and its named mistakes) is recomputed here
from the question's data written out again, not read from the bank; the templates are drawn many
times (`bank.generator(id).make(seed)`) and each variant's answer, named mistakes and option values
are recomputed from the variant's own `params`. Where PyTorch applies, the numbers are checked
against PyTorch itself (`calculate_gain`, `_calculate_fan_in_and_fan_out`, the `kaiming_*_` and
`xavier_*_` initialisers on real tensors, `nn.Linear`'s parameters), and the symptoms that the
scenario prompts quote (sixfold per layer, a factor 2 per layer, 95% of tanh units saturated) are
measured on small PyTorch networks built as the prompts describe them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest

from quizgen import ChoiceQuestion, IntegerQuestion, NumericQuestion
from quizgen.precision import stated_precision

from .conftest import torch_or_skip
from .oracles import BANK, check_answer, reads_as

DRAWS = 2_000

# -- scenario.yaml: computed answers -------------------------------------------------------

SCEN10_FAN_IN = 96 * 3 * 3  # nn.Conv2d(96, 96, kernel_size=3): C_in * k_h * k_w

ORACLES: dict[str, Callable[[], float]] = {
    # He normal in fan-in mode: std = sqrt(2 / fan_in).
    "scen-10": lambda: math.sqrt(2 / SCEN10_FAN_IN),
    # nn.Linear(360, 140): weight shape (140, 360); n_in + n_out.
    "scen-11": lambda: 360 + 140,
}

MISTAKES: dict[str, dict[str, float]] = {
    "scen-10": {
        "variance-for-std": 2 / SCEN10_FAN_IN,
        "channels-only-fan": math.sqrt(2 / 96),
        "dropped-two": math.sqrt(1 / SCEN10_FAN_IN),
        "limit-for-std": math.sqrt(6 / SCEN10_FAN_IN),
    },
}


@pytest.mark.parametrize("qid", sorted(ORACLES))
def test_answer_matches_the_oracle(qid: str) -> None:
    check_answer(qid, ORACLES[qid])


def test_every_computed_answer_in_the_scenario_bank_has_an_oracle() -> None:
    ids = {
        q.id for q in BANK if q.id.startswith("scen-") and isinstance(q, (NumericQuestion, IntegerQuestion))
    }
    assert ids == set(ORACLES)


@pytest.mark.parametrize("qid", sorted(MISTAKES))
def test_named_mistakes_match_the_oracle_and_are_rejected(qid: str) -> None:
    q = BANK.get(qid)
    assert isinstance(q, NumericQuestion)
    assert {m.misconception: m.value for m in q.mistakes} == pytest.approx(MISTAKES[qid], rel=1e-12)
    precision = stated_precision(q.prompt)
    assert precision is not None
    for value in MISTAKES[qid].values():
        assert not any(q.accepts(w) for w in (value, *precision.written(value)))
    assert all(q.accepts(w) for w in precision.written(ORACLES[qid]()))


def test_scen_10_with_pytorch() -> None:
    torch = torch_or_skip()
    conv = torch.nn.Conv2d(96, 96, kernel_size=3)
    fan_in, fan_out = torch.nn.init._calculate_fan_in_and_fan_out(conv.weight)
    assert (fan_in, fan_out) == (SCEN10_FAN_IN, SCEN10_FAN_IN)
    gain = torch.nn.init.calculate_gain("relu")
    q = BANK.get("scen-10")
    assert isinstance(q, NumericQuestion)
    assert q.answer == pytest.approx(gain / math.sqrt(fan_in), rel=1e-12)
    torch.manual_seed(0)
    big = torch.empty(16 * 96, 96, 3, 3)  # the layer's fan-in, 16 times its samples
    weight = torch.empty(64, 96, 3, 3)  # the layer's fan-in, 55,296 samples
    torch.nn.init.kaiming_normal_(big, mode="fan_in", nonlinearity="relu")
    assert big.std().item() == pytest.approx(q.answer, rel=0.01)
    # The limit-for-std mistake is kaiming_uniform_'s bound: the largest |w| approaches it.
    torch.nn.init.kaiming_uniform_(weight, mode="fan_in", nonlinearity="relu")
    bound = MISTAKES["scen-10"]["limit-for-std"]
    assert weight.abs().max().item() <= bound * (1 + 1e-6)
    assert weight.abs().max().item() > 0.999 * bound


def test_scen_11_with_pytorch() -> None:
    torch = torch_or_skip()
    layer = torch.nn.Linear(360, 140)
    assert tuple(layer.weight.shape) == (140, 360)  # the shape the prompt prints
    fan_in, fan_out = torch.nn.init._calculate_fan_in_and_fan_out(layer.weight)
    q = BANK.get("scen-11")
    assert isinstance(q, IntegerQuestion)
    assert q.answer == fan_in + fan_out
    assert math.sqrt(6 / (fan_in + fan_out)) == pytest.approx(0.110, abs=5e-4)  # the limit in the explanation


def test_numbers_quoted_in_scenario_explanations() -> None:
    # scen-03: 3x3 conv over 64 channels, std 0.01; ReLU halves; the std shrinks about sixfold per layer.
    r = 64 * 3 * 3 * 0.01**2
    assert r == pytest.approx(0.0576)
    assert r / 2 == pytest.approx(0.0288)
    assert 1 / math.sqrt(r / 2) == pytest.approx(6, rel=0.02)
    assert math.isclose(0.5**12, 2.4e-4, rel_tol=0.02)
    # scen-05: 0.5^30, and Leaky ReLU a = 0.01 keeps (1 + a^2)/2 of the second moment.
    assert math.isclose(0.5**30, 9e-10, rel_tol=0.08)
    assert math.isclose((1 + 0.01**2) / 2, 0.50005, rel_tol=1e-12)
    # scen-08: the tanh gain 5/3 with equal fans gives (5/3)^2 * 2 / (2 n) = 2.78 / n.
    assert math.isclose((5 / 3) ** 2 * 2 / 2, 2.78, abs_tol=0.005)
    # scen-10: old factor 864 * 1e-4, halved by ReLU; He std about five times 0.01.
    assert math.isclose(SCEN10_FAN_IN * 1e-4, 0.0864)
    assert math.sqrt(2 / SCEN10_FAN_IN) / 0.01 == pytest.approx(4.81, abs=0.01)


def test_scenario_symptoms_are_what_pytorch_networks_show() -> None:
    """The symptoms the prompts quote, measured on networks built as the prompts describe them."""
    torch = torch_or_skip()
    torch.manual_seed(0)
    nn = torch.nn

    # scen-03: 12 ReLU 3x3 convolutions with 64 channels, std 0.01: activations and backpropagated
    # gradients shrink about sixfold per layer, weight gradients are level across layers and tiny.
    def conv_stack(std: float | None) -> tuple[list[float], list[float], list[float]]:
        convs = [nn.Conv2d(64, 64, 3, padding=1, bias=False) for _ in range(12)]
        for conv in convs:
            if std is None:
                nn.init.kaiming_normal_(conv.weight, nonlinearity="relu")
            else:
                nn.init.normal_(conv.weight, std=std)
        x = torch.randn(4, 64, 32, 32)
        outputs = []
        for conv in convs:
            x = torch.relu(conv(x))
            x.retain_grad()
            outputs.append(x)
        (x * torch.randn_like(x)).sum().backward()  # a loss whose gradient has random signs
        act = [o.detach().pow(2).mean().sqrt().item() for o in outputs]
        back = [o.grad.pow(2).mean().sqrt().item() for o in outputs]
        weights = [c.weight.grad.norm().item() for c in convs]
        return act, back, weights

    act, back, weights = conv_stack(0.01)
    forward = (act[-1] / act[0]) ** (1 / 11)
    backward = (back[0] / back[-1]) ** (1 / 11)
    assert 1 / 7.5 < forward < 1 / 4.5
    assert 1 / 7.5 < backward < 1 / 4.5
    assert 1 / 3 < weights[0] / weights[-1] < 3
    _, _, he_weights = conv_stack(None)
    assert max(weights) < 1e-6 * min(he_weights)

    # scen-05: 30 ReLU layers of 256 units with Var(W) = 1/256: the mean square halves per layer.
    x = torch.randn(2048, 256)
    squares = []
    for _ in range(30):
        w = torch.randn(256, 256) / 16
        x = torch.relu(x @ w.T)
        squares.append(x.pow(2).mean().item())
    per_layer = (squares[-1] / squares[0]) ** (1 / 29)
    assert per_layer == pytest.approx(0.5, abs=0.03)

    # scen-06: 20 tanh layers of 512 units with N(0, 1) weights: about 95% of |a| beyond 0.9, and the
    # gradient backpropagated towards the input grows.
    x = torch.randn(256, 512, requires_grad=True)
    hidden = []
    for _ in range(20):
        x = torch.tanh(x @ torch.randn(512, 512))
        x.retain_grad()
        hidden.append(x)
    (x * torch.randn_like(x)).sum().backward()
    beyond = torch.cat([h.detach().abs().flatten() for h in hidden[1:]]).gt(0.9).float().mean().item()
    assert 0.92 < beyond < 0.98
    assert hidden[0].grad.norm().item() > 1e3 * hidden[-1].grad.norm().item()
    # ...while with Xavier almost none are.
    x = torch.randn(256, 512)
    xavier = []
    for _ in range(20):
        w = torch.empty(512, 512)
        nn.init.xavier_normal_(w)
        x = torch.tanh(x @ w.T)
        xavier.append(x)
    assert torch.cat([h.abs().flatten() for h in xavier[1:]]).gt(0.9).float().mean().item() < 0.01


# -- templates.yaml -------------------------------------------------------------------------


def _p(question: Any) -> dict[str, Any]:
    """A variant's parameters."""
    return dict(question.params or {})


def _variants(template_id: str, count: int = DRAWS) -> list[Any]:
    generator = BANK.generator(template_id)
    return [generator.make(seed) for seed in range(count)]


def test_leaky_relu_variance_variants() -> None:
    seen_slopes = set()
    for q in _variants("tpl-leaky-relu-variance"):
        assert isinstance(q, NumericQuestion)
        a, n_in = _p(q)["a"], _p(q)["n_in"]
        seen_slopes.add(a)
        answer = 2 / ((1 + a**2) * n_in)
        assert q.answer == pytest.approx(answer, rel=1e-12)
        expected = {
            "slope-ignored": 2 / n_in,
            "dropped-two": 1 / ((1 + a**2) * n_in),
            "std-for-variance": math.sqrt(answer),
            "gain-not-squared": math.sqrt(2 / (1 + a**2)) / n_in,
        }
        assert {m.misconception: m.value for m in q.mistakes} == pytest.approx(expected, rel=1e-12)
        precision = stated_precision(q.prompt)
        assert precision is not None and precision.kind == "significant" and precision.digits == 3
        assert all(q.accepts(w) for w in precision.written(answer))
        for value in expected.values():
            assert not any(q.accepts(w) for w in (value, *precision.written(value)))
    # Defect 12: the slope 0.01 (a 0.01% correction) is gone; every slope changes the answer by >= 1%.
    assert 0.01 not in seen_slopes
    assert min(seen_slopes) >= 0.1


def test_leaky_relu_variance_with_pytorch() -> None:
    torch = torch_or_skip()
    torch.manual_seed(0)
    checked = 0
    for q in _variants("tpl-leaky-relu-variance", 200):
        a, n_in = _p(q)["a"], _p(q)["n_in"]
        gain = torch.nn.init.calculate_gain("leaky_relu", a)
        assert q.answer == pytest.approx(gain**2 / n_in, rel=1e-12)
        mistake = {m.misconception: m.value for m in q.mistakes}["gain-not-squared"]
        assert mistake == pytest.approx(gain / n_in, rel=1e-12)
        if checked < 12:
            w = torch.empty(20_000, n_in)
            torch.nn.init.kaiming_normal_(w, a=a, mode="fan_in", nonlinearity="leaky_relu")
            assert w.var().item() == pytest.approx(q.answer, rel=0.01)
            checked += 1
    assert checked == 12


def _xavier_tanh_values(inputs: int, outputs: int) -> dict[str | None, float]:
    s = inputs + outputs
    return {
        None: 5 / 3 * math.sqrt(6 / s),
        "gain-ignored": math.sqrt(6 / s),
        "gain-squared-for-limit": (5 / 3) ** 2 * math.sqrt(6 / s),
        "gain-not-squared": math.sqrt(5 / 3 * 6 / s),
        "sqrt3-for-sqrt6": 5 / 3 * math.sqrt(3 / s),
        "product-for-sum": 5 / 3 * math.sqrt(6 / (inputs * outputs)),
    }


def test_xavier_tanh_gain_variants() -> None:
    shown: set[str | None] = set()
    for q in _variants("tpl-xavier-tanh-gain"):
        assert isinstance(q, ChoiceQuestion)
        inputs, outputs = _p(q)["n_in"], _p(q)["n_out"]
        assert inputs != outputs
        assert f"`nn.Linear({inputs}, {outputs})`" in q.prompt
        expected = _xavier_tanh_values(inputs, outputs)
        correct = q.options[q.answer - 1]
        assert correct.misconception is None
        assert correct.value == pytest.approx(expected[None], rel=1e-12)
        assert reads_as(correct.text, expected[None]), correct.text  # to the 3 significant figures shown
        # Defect 13: the correct option explains itself, not just the number.
        assert correct.feedback is not None and "gain" in correct.feedback and len(correct.feedback) > 40
        for number, option in enumerate(q.options, start=1):
            if number == q.answer:
                continue
            shown.add(option.misconception)
            assert option.misconception in expected, option
            assert option.value is not None
            assert option.value == pytest.approx(expected[option.misconception], rel=1e-12)
            assert reads_as(option.text, option.value), option.text
            assert abs(option.value - expected[None]) > 0.02 * expected[None]
            assert option.feedback
    # Every named mistake is offered in some variant; the old gain-times-variance one is gone.
    assert shown == set(_xavier_tanh_values(1, 2)) - {None}


def test_xavier_tanh_gain_with_pytorch() -> None:
    torch = torch_or_skip()
    torch.manual_seed(0)
    assert torch.nn.init.calculate_gain("tanh") == pytest.approx(5 / 3)
    for q in _variants("tpl-xavier-tanh-gain", 20):
        inputs, outputs = _p(q)["n_in"], _p(q)["n_out"]
        layer = torch.nn.Linear(inputs, outputs)
        fan_in, fan_out = torch.nn.init._calculate_fan_in_and_fan_out(layer.weight)
        assert (fan_in, fan_out) == (inputs, outputs)
        bound = torch.nn.init.calculate_gain("tanh") * math.sqrt(6 / (fan_in + fan_out))
        key = q.options[q.answer - 1].value
        assert key == pytest.approx(bound, rel=1e-6)
        with torch.no_grad():
            torch.nn.init.xavier_uniform_(layer.weight, gain=torch.nn.init.calculate_gain("tanh"))
        largest, samples = layer.weight.abs().max().item(), layer.weight.numel()
        # The largest of N uniform draws on [-key, key] lies below key, and above (1 - 10/N) key
        # except with probability about e^-10.
        assert largest <= key * (1 + 1e-6)
        assert largest > (1 - 10 / samples) * key


def test_dense_parameters_variants() -> None:
    torch = torch_or_skip()
    for index, q in enumerate(_variants("tpl-dense-parameters")):
        assert isinstance(q, IntegerQuestion)
        inputs, outputs = _p(q)["n_in"], _p(q)["n_out"]
        assert q.answer == inputs * outputs + outputs
        assert sorted(m.value for m in q.mistakes) == sorted([inputs * outputs, inputs * outputs + inputs])
        assert q.answer not in {m.value for m in q.mistakes}
        if index < 50:
            layer = torch.nn.Linear(inputs, outputs)
            assert q.answer == sum(p.numel() for p in layer.parameters())
            assert layer.weight.numel() == inputs * outputs
