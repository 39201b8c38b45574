"""Generators: answers checked against oracles that share no code with them.

Three oracles: the closed forms written again here from each variant's params; a
sampling check (draw 200,000 weights from the stated distribution); and PyTorch's
own torch.nn.init (skipped with a reason when torch is absent; CI installs it).
"""

from __future__ import annotations

import collections
import math
import random
import statistics
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizgen import ChoiceQuestion, IntegerQuestion, NumericQuestion, Question
from quizgen.generators import BUILTIN_GENERATORS, GeneratorError
from quizgen.grading import grade

from .conftest import torch_or_skip

GENERATOR_IDS = [
    "layer-size",
    "conv-fan",
    "xavier-variance",
    "xavier-uniform",
    "xavier-normal",
    "he-variance",
    "he-normal",
    "he-uniform",
    "activation-choice",
    "depth-scaling",
    "init-diagnosis",
]


def test_the_promised_generator_ids_exist() -> None:
    assert sorted(BUILTIN_GENERATORS) == sorted(GENERATOR_IDS)


def closed_form(question: Question) -> float | str:
    """The answer recomputed from params alone (a number, or the expected option text)."""
    p: dict[str, Any] = dict(question.params or {})
    gid = question.generator
    if gid == "layer-size":
        return p["n_in"] + p["n_out"]
    if gid == "conv-fan":
        fan_in = p["C_in"] * p["k_h"] * p["k_w"]
        fan_out = p["C_out"] * p["k_h"] * p["k_w"]
        return {"fan_in": fan_in, "fan_out": fan_out, "sum": fan_in + fan_out}[p["ask"]]
    if gid == "xavier-variance":
        return 2.0 / (p["n_in"] + p["n_out"])
    if gid == "xavier-normal":
        return (2.0 / (p["n_in"] + p["n_out"])) ** 0.5
    if gid == "xavier-uniform":
        return (6.0 / (p["n_in"] + p["n_out"])) ** 0.5
    if gid == "he-variance":
        return 2.0 / p["n_in"]
    if gid == "he-normal":
        return (2.0 / p["n_in"]) ** 0.5
    if gid == "he-uniform":
        return (6.0 / p["n_in"]) ** 0.5
    if gid == "depth-scaling":
        r = p["n"] * p["var_w"]
        assert r == pytest.approx(p["r"])
        if p["ask"] == "factor":
            return r ** p["L"]
        return "vanishes" if r < 1 - 1e-9 else "explodes" if r > 1 + 1e-9 else "preserved"
    if gid == "activation-choice":
        relu_family = ("ReLU" in p["activation"]) or p["activation"] == "PReLU"
        return "He" if relu_family else "Xavier"
    if gid == "init-diagnosis":
        return {
            "identical-units": "same value",
            "nan-loss": "too large, so the gradients explode",
            "early-layers-stuck": "too small, so the gradients vanish",
            "flat-loss": "initialisation scale and the learning rate",
            "relu-shrinking": "switch to He",
            "tanh-saturated": "tanh saturates",
        }[p["symptom"]]
    raise AssertionError(f"no oracle for {gid}")


def check_against_oracle(question: Question) -> None:
    expected = closed_form(question)
    if isinstance(question, IntegerQuestion):
        assert question.answer == expected
    elif isinstance(question, NumericQuestion):
        assert isinstance(expected, float)
        assert question.answer == pytest.approx(expected, rel=1e-12)
        assert grade(question, repr(expected)).correct
    else:
        assert isinstance(question, ChoiceQuestion)
        correct = question.options[question.answer - 1]
        if isinstance(expected, str):
            assert expected in correct.text, (expected, correct.text)
            assert sum(expected in o.text for o in question.options) == 1
        else:
            assert correct.value == pytest.approx(expected, rel=1e-12)
            try:  # options shown as plain numbers must read as the value
                shown = float(correct.text)
            except ValueError:
                shown = None
            if shown is not None:
                assert shown == pytest.approx(expected, rel=1e-5)
            for number, option in enumerate(question.options, start=1):
                if number != question.answer:
                    assert option.value is not None
                    assert not math.isclose(option.value, expected, rel_tol=0.01), option


@pytest.mark.parametrize("generator_id", GENERATOR_IDS)
def test_two_hundred_variants_from_two_seeds_match_the_oracle(generator_id: str) -> None:
    generator = BUILTIN_GENERATORS[generator_id]
    for seed in (1, 2):
        count = min(100, generator.space_size or 100)
        for question in generator.variants(count, seed):
            check_against_oracle(question)


@pytest.mark.parametrize("generator_id", GENERATOR_IDS)
def test_no_choice_repeats_an_option_or_a_value(generator_id: str) -> None:
    generator = BUILTIN_GENERATORS[generator_id]
    for seed in range(300):
        question = generator.make(seed)
        if not isinstance(question, ChoiceQuestion):
            continue
        texts = [" ".join(o.text.split()).casefold() for o in question.options]
        assert len(set(texts)) == len(texts)
        values = [o.value for o in question.options if o.value is not None]
        for i, a in enumerate(values):
            for b in values[i + 1 :]:
                assert not math.isclose(a, b, rel_tol=0.01)


@pytest.mark.parametrize("generator_id", GENERATOR_IDS)
def test_every_wrong_option_names_its_misconception_and_explains_it(generator_id: str) -> None:
    generator = BUILTIN_GENERATORS[generator_id]
    for seed in range(100):
        question = generator.make(seed)
        if isinstance(question, ChoiceQuestion):
            for number, option in enumerate(question.options, start=1):
                if number != question.answer:
                    assert option.feedback, option
                    if generator_id not in ("depth-scaling",):
                        assert option.misconception, option


@pytest.mark.parametrize("generator_id", [g for g in GENERATOR_IDS if g not in ("layer-size", "conv-fan")])
def test_correct_position_is_spread_evenly(generator_id: str) -> None:
    generator = BUILTIN_GENERATORS[generator_id]
    positions = collections.Counter(
        q.answer for q in (generator.make(seed) for seed in range(4000)) if isinstance(q, ChoiceQuestion)
    )
    total = sum(positions.values())
    assert set(positions) == {1, 2, 3, 4}
    for count in positions.values():  # each of 4 positions within 20% of a quarter
        assert abs(count / total - 0.25) < 0.05, positions


@pytest.mark.parametrize("generator_id", GENERATOR_IDS)
def test_same_seed_same_question_and_recorded_identity(generator_id: str) -> None:
    generator = BUILTIN_GENERATORS[generator_id]
    first = generator.make(12345)
    assert first == generator.make(12345)
    assert first.generator == generator_id
    assert first.seed == 12345
    assert first.variant == first.id == f"{generator_id}-00003039"
    assert first.params


def test_a_variant_id_is_stable_across_runs_and_versions() -> None:
    """Frozen values: a change here breaks every saved worksheet, export and drill log."""
    question = BUILTIN_GENERATORS["layer-size"].make(7)
    assert question.params == {"n_in": 664, "n_out": 309}
    assert question.answer == 973  # type: ignore[union-attr]
    seeds = [q.seed for q in BUILTIN_GENERATORS["layer-size"].variants(3, 1)]
    assert seeds == [577090037, 2444712010, 3639700191]


def test_variants_are_distinct_and_depend_on_the_seed() -> None:
    generator = BUILTIN_GENERATORS["layer-size"]
    first = generator.variants(500, 1)
    again = generator.variants(500, 1)
    other = generator.variants(500, 2)
    assert first == again
    keys = {tuple(sorted((q.params or {}).items())) for q in first}
    assert len(keys) == 500
    assert {q.id for q in first}.isdisjoint({q.id for q in other})


def test_too_many_variants_is_a_clear_error() -> None:
    generator = BUILTIN_GENERATORS["activation-choice"]
    assert len(generator.variants(generator.space_size or 0, 3)) == generator.space_size
    with pytest.raises(GeneratorError, match=r"has only 35 distinct variants; ask for --count 35 or fewer"):
        generator.variants(36, 3)


@given(st.sampled_from(GENERATOR_IDS), st.integers(0, 2**32 - 1))
def test_any_seed_gives_a_valid_question_whose_answer_grades_correct(generator_id: str, seed: int) -> None:
    question = BUILTIN_GENERATORS[generator_id].make(seed)
    assert question == BUILTIN_GENERATORS[generator_id].make(seed)
    check_against_oracle(question)
    if isinstance(question, ChoiceQuestion):
        for number in range(1, len(question.options) + 1):
            assert grade(question, str(number)).correct == (number == question.answer)
    elif isinstance(question, (IntegerQuestion, NumericQuestion)):
        assert grade(question, repr(question.answer)).correct


# -- sampling oracle ---------------------------------------------------------------

SAMPLES = 200_000


def _sample_variance(draw: Any) -> tuple[float, float]:
    values = [draw() for _ in range(SAMPLES)]
    return statistics.pvariance(values, mu=0.0), max(abs(v) for v in values)


@pytest.mark.parametrize(
    ("generator_id", "variance_of"),
    [
        ("xavier-uniform", lambda p: 2 / (p["n_in"] + p["n_out"])),
        ("he-uniform", lambda p: 2 / p["n_in"]),
    ],
)
def test_sampled_uniform_with_the_stated_limit_has_the_schemes_variance(
    generator_id: str, variance_of: Any
) -> None:
    rng = random.Random(0)
    question = next(
        q
        for q in (BUILTIN_GENERATORS[generator_id].make(s) for s in range(50))
        if isinstance(q, NumericQuestion)
    )
    limit = question.answer
    variance, largest = _sample_variance(lambda: rng.uniform(-limit, limit))
    assert variance == pytest.approx(variance_of(question.params), rel=0.02)
    assert largest <= limit


@pytest.mark.parametrize(
    ("generator_id", "variance_of"),
    [
        ("xavier-normal", lambda p: 2 / (p["n_in"] + p["n_out"])),
        ("he-normal", lambda p: 2 / p["n_in"]),
    ],
)
def test_sampled_normal_with_the_stated_std_has_the_schemes_variance(
    generator_id: str, variance_of: Any
) -> None:
    rng = random.Random(0)
    question = next(
        q
        for q in (BUILTIN_GENERATORS[generator_id].make(s) for s in range(50))
        if isinstance(q, NumericQuestion)
    )
    variance, _ = _sample_variance(lambda: rng.gauss(0.0, question.answer))
    assert variance == pytest.approx(variance_of(question.params), rel=0.02)


# -- PyTorch oracle ----------------------------------------------------------------


def _torch() -> Any:
    return torch_or_skip()


def _fill_many(init: Any, shape: tuple[int, ...], **kwargs: Any) -> Any:
    torch = _torch()
    size = math.prod(shape)
    repeats = max(1, math.ceil(SAMPLES / size))
    chunks = []
    for _ in range(repeats):
        tensor = torch.empty(shape, dtype=torch.float64)
        init(tensor, **kwargs)
        chunks.append(tensor.flatten())
    return torch.cat(chunks)


def _numeric_variants(generator_id: str, count: int) -> list[NumericQuestion]:
    found = []
    for seed in range(1000):
        question = BUILTIN_GENERATORS[generator_id].make(seed)
        if isinstance(question, NumericQuestion):
            found.append(question)
        if len(found) == count:
            return found
    raise AssertionError("not enough numeric variants")


@pytest.mark.parametrize("generator_id", ["xavier-uniform", "he-uniform"])
def test_uniform_limits_match_torch(generator_id: str) -> None:
    torch = _torch()
    init = (
        torch.nn.init.xavier_uniform_ if generator_id == "xavier-uniform" else torch.nn.init.kaiming_uniform_
    )
    kwargs = {} if generator_id == "xavier-uniform" else {"mode": "fan_in", "nonlinearity": "relu"}
    for question in _numeric_variants(generator_id, 3):
        params = question.params or {}
        torch.manual_seed(0)
        weights = _fill_many(init, (int(params["n_out"]), int(params["n_in"])), **kwargs)
        largest = weights.abs().max().item()
        assert largest <= question.answer * (1 + 1e-12)
        assert largest >= question.answer * 0.995


@pytest.mark.parametrize("generator_id", ["xavier-normal", "he-normal"])
def test_normal_std_matches_torch(generator_id: str) -> None:
    torch = _torch()
    init = torch.nn.init.xavier_normal_ if generator_id == "xavier-normal" else torch.nn.init.kaiming_normal_
    kwargs = {} if generator_id == "xavier-normal" else {"mode": "fan_in", "nonlinearity": "relu"}
    for question in _numeric_variants(generator_id, 3):
        params = question.params or {}
        torch.manual_seed(0)
        weights = _fill_many(init, (int(params["n_out"]), int(params["n_in"])), **kwargs)
        assert weights.std().item() == pytest.approx(question.answer, rel=0.01)


@pytest.mark.parametrize("generator_id", ["xavier-variance", "he-variance"])
def test_variances_match_torch_samples(generator_id: str) -> None:
    torch = _torch()
    init = (
        torch.nn.init.xavier_normal_ if generator_id == "xavier-variance" else torch.nn.init.kaiming_normal_
    )
    kwargs = {} if generator_id == "xavier-variance" else {"mode": "fan_in", "nonlinearity": "relu"}
    for question in _numeric_variants(generator_id, 3):
        params = question.params or {}
        torch.manual_seed(0)
        weights = _fill_many(init, (int(params["n_out"]), int(params["n_in"])), **kwargs)
        assert weights.var().item() == pytest.approx(question.answer, rel=0.02)


def test_conv_fans_match_torch() -> None:
    torch = _torch()
    fans = torch.nn.init._calculate_fan_in_and_fan_out
    for question in BUILTIN_GENERATORS["conv-fan"].variants(100, 5):
        p: dict[str, Any] = dict(question.params or {})
        fan_in, fan_out = fans(torch.empty(p["C_out"], p["C_in"], p["k_h"], p["k_w"]))
        expected = {"fan_in": fan_in, "fan_out": fan_out, "sum": fan_in + fan_out}[p["ask"]]
        assert question.answer == expected  # type: ignore[union-attr]


def test_layer_size_matches_torch_linear() -> None:
    torch = _torch()
    fans = torch.nn.init._calculate_fan_in_and_fan_out
    for question in BUILTIN_GENERATORS["layer-size"].variants(50, 5):
        p: dict[str, Any] = dict(question.params or {})
        layer = torch.nn.Linear(p["n_in"], p["n_out"])
        fan_in, fan_out = fans(layer.weight)
        assert question.answer == fan_in + fan_out  # type: ignore[union-attr]
