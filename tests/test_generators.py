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
from quizgen.generators import BUILTIN_GENERATORS, Generator, GeneratorError, formulas, variant_seeds
from quizgen.generators.base import _Seen
from quizgen.grading import grade

from .conftest import torch_or_skip
from .oracles import only_number, reads_as

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
    "conv-fan-code",
    "init-call",
    "gain-depth",
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
            "identical-units": "started at the same value",
            "huge-first-loss": "initialised far too large",
            "nan-after-normal": "learning rate is too high",
            "early-layers-stuck": "too small, so signals and gradients vanish",
            "flat-loss": "initialisation scale and the learning rate",
            "relu-shrinking": "use He initialisation",
            "tanh-saturated": "so tanh saturates",
        }[p["symptom"]]
    if gid == "conv-fan-code":
        kernel = [int(k) for k in str(p["kernel"]).split("x")]
        size = math.prod(kernel)
        fan_in, fan_out = p["C_in"] // p["groups"] * size, p["C_out"] * size
        if p["ask"] == "shape":
            return "`(" + ", ".join(map(str, [p["C_out"], p["C_in"] // p["groups"], *kernel])) + ")`"
        return {"fan_in": fan_in, "fan_out": fan_out, "sum": fan_in + fan_out}[p["ask"]]
    if gid == "init-call":
        k2 = p["k"] ** 2 or 1
        fan = {"fan_in": p["in"] * k2, "fan_out": p["out"] * k2}
        fan_in, fan_out = fan["fan_in"], fan["fan_out"]
        call = p["call"]
        if call == "kaiming_normal":
            return math.sqrt(2 / fan[p["mode"]])
        if call == "kaiming_uniform":
            return math.sqrt(6 / fan[p["mode"]])
        if call == "kaiming_leaky":
            return math.sqrt(2 / ((1 + p["a"] ** 2) * fan[p["mode"]]))
        if call == "xavier_uniform_tanh":
            return 5 / 3 * math.sqrt(6 / (fan_in + fan_out))
        if call == "xavier_normal":
            return math.sqrt(2 / (fan_in + fan_out))
        assert call == "default"
        return 1 / math.sqrt(fan_in)
    if gid == "gain-depth":
        per_layer = {
            "scaled": p.get("c", 0) ** 2,  # He keeps ReLU at 1; the bug scales the variance by c²
            "linear-gain-on-relu": 1 * 0.5,  # Var = 1/n keeps a linear layer; ReLU halves
            "tanh-gain-on-linear": (5 / 3) ** 2,  # Xavier with equal fans = 1/n, times gain²
            "leaky-gain-on-relu": 2 / (1 + p.get("a", 0) ** 2) * 0.5,
        }[p["case"]]
        return float(per_layer ** p["L"])
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
            if only_number(correct.text) is not None:  # an option shown as a number reads as the value
                assert reads_as(correct.text, expected), (correct.text, expected)
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


TYPED_ONLY = ("layer-size", "conv-fan", "init-call", "gain-depth")


@pytest.mark.parametrize("generator_id", [g for g in GENERATOR_IDS if g not in TYPED_ONLY])
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
    # 7 activations, each in one of the 4 settings that use it
    with pytest.raises(GeneratorError, match=r"has only 28 distinct variants; ask for 28 or fewer"):
        generator.variants(29, 3)


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


def test_conv_code_fans_and_shapes_match_torch() -> None:
    torch = _torch()
    fans = torch.nn.init._calculate_fan_in_and_fan_out
    for question in BUILTIN_GENERATORS["conv-fan-code"].variants(150, 7):
        p: dict[str, Any] = dict(question.params or {})
        kernel = tuple(int(k) for k in str(p["kernel"]).split("x"))
        conv_class = {1: torch.nn.Conv1d, 2: torch.nn.Conv2d, 3: torch.nn.Conv3d}[p["dims"]]
        with torch.device("meta"):  # shapes only: no memory for 512 x 512 x 7 x 7 x 7 weights
            conv = conv_class(
                p["C_in"], p["C_out"], kernel, groups=p["groups"], stride=p["stride"], padding=p["padding"]
            )
        fan_in, fan_out = fans(conv.weight)
        if p["ask"] == "shape":
            assert isinstance(question, ChoiceQuestion)
            shown = question.options[question.answer - 1].text
            assert shown == "`(" + ", ".join(map(str, conv.weight.shape)) + ")`"
        else:
            expected = {"fan_in": fan_in, "fan_out": fan_out, "sum": fan_in + fan_out}[p["ask"]]
            assert question.answer == expected  # type: ignore[union-attr]
            code = question.prompt.split("`conv = ")[1].split("`")[0]
            assert code.startswith(f"nn.Conv{p['dims']}d({p['C_in']}, {p['C_out']}, ")


def _apply_init_call(torch: Any, p: dict[str, Any]) -> Any:
    """The layer of an init-call variant, built and initialised by PyTorch as its prompt's code does."""
    layer = torch.nn.Linear(p["in"], p["out"]) if not p["k"] else torch.nn.Conv2d(p["in"], p["out"], p["k"])
    init, call = torch.nn.init, p["call"]
    if call == "kaiming_normal":
        init.kaiming_normal_(layer.weight, mode=p["mode"], nonlinearity="relu")
    elif call == "kaiming_uniform":
        init.kaiming_uniform_(layer.weight, mode=p["mode"], nonlinearity="relu")
    elif call == "kaiming_leaky":
        init.kaiming_normal_(layer.weight, a=p["a"], mode=p["mode"], nonlinearity="leaky_relu")
    elif call == "xavier_uniform_tanh":
        init.xavier_uniform_(layer.weight, gain=init.calculate_gain("tanh"))
    elif call == "xavier_normal":
        init.xavier_normal_(layer.weight)
    return layer.weight.detach().double().flatten()


def test_init_calls_match_what_torch_draws() -> None:
    torch = _torch()
    checked = set()
    for question in BUILTIN_GENERATORS["init-call"].variants(120, 11):
        p: dict[str, Any] = dict(question.params or {})
        assert isinstance(question, NumericQuestion)
        torch.manual_seed(0)
        weights = _apply_init_call(torch, p)
        if p["call"] in ("kaiming_uniform", "xavier_uniform_tanh", "default"):
            largest = weights.abs().max().item()
            assert question.answer * 0.97 <= largest <= question.answer * (1 + 1e-6), (p, largest)
        else:
            assert weights.std().item() == pytest.approx(question.answer, rel=0.05), p
        checked.add(p["call"])
    assert len(checked) == 6


def test_gain_depth_factors_match_a_network_built_with_torch() -> None:
    """Five layers of width 2048 initialised by torch.nn.init, run forward: the mean square moves by r^5."""
    torch = _torch()
    width, batch, depth = 2048, 256, 5
    one_per_case = {
        str((q.params or {})["case"]): q for q in BUILTIN_GENERATORS["gain-depth"].variants(44, 3)
    }
    assert len(one_per_case) == 4
    for question in one_per_case.values():
        p: dict[str, Any] = dict(question.params or {})
        assert isinstance(question, NumericQuestion)
        torch.manual_seed(1)
        h = torch.randn(batch, width)
        start = h.pow(2).mean().item()
        for _ in range(depth):
            w = torch.empty(width, width)
            case = p["case"]
            if case == "scaled":
                torch.nn.init.kaiming_normal_(w, nonlinearity="relu")
                w *= p["c"]
            elif case == "linear-gain-on-relu":
                torch.nn.init.kaiming_normal_(w, nonlinearity="linear")
            elif case == "tanh-gain-on-linear":
                torch.nn.init.xavier_normal_(w, gain=torch.nn.init.calculate_gain("tanh"))
            else:
                torch.nn.init.kaiming_normal_(w, a=p["a"], nonlinearity="leaky_relu")
            h = h @ w.T
            if case != "tanh-gain-on-linear":
                h = torch.relu(h)
        measured = h.pow(2).mean().item() / start
        per_layer = question.answer ** (1 / p["L"])
        assert measured == pytest.approx(per_layer**depth, rel=0.1), (p, measured, per_layer**depth)


# -- trusted questions and parameters drawn first (issue 12) ------------------------------------

TRUSTED_SEEDS = 3000


@pytest.mark.parametrize("generator_id", GENERATOR_IDS)
def test_trusted_questions_equal_the_fully_validated_ones(generator_id: str) -> None:
    """Built-in variants skip pydantic validation in production; here every one of thousands is
    validated too, so an invalid built-in still fails a test (as an AssertionError from make)."""
    generator = BUILTIN_GENERATORS[generator_id]
    rng = random.Random(generator_id)
    for seed in [*range(200), *(rng.getrandbits(32) for _ in range(TRUSTED_SEEDS))]:
        trusted = generator.make(seed)
        validated = generator.make(seed, validate=True)
        assert type(trusted) is type(validated)
        assert trusted == validated, (generator_id, seed)
        assert trusted.model_dump_json() == validated.model_dump_json(), (generator_id, seed)
        assert trusted.model_fields_set == validated.model_fields_set
        assert list(vars(trusted)) == list(vars(validated))  # the same fields in the same order
        for ours, theirs in zip(
            getattr(trusted, "options", ()), getattr(validated, "options", ()), strict=True
        ):
            assert vars(ours) == vars(theirs) and ours.model_fields_set == theirs.model_fields_set
            assert type(ours.value) is type(theirs.value)
        for ours, theirs in zip(
            getattr(trusted, "mistakes", ()), getattr(validated, "mistakes", ()), strict=True
        ):
            assert vars(ours) == vars(theirs) and type(ours.value) is type(theirs.value)


@pytest.mark.parametrize("generator_id", GENERATOR_IDS)
def test_drawn_keys_are_equal_exactly_when_the_params_are(generator_id: str) -> None:
    """`iter_variants` skips a seed by the key its parameter draw returns, before building the
    question: two keys must be equal exactly when the two questions' params are, and the question
    built from the draw must be the seed's question."""
    generator = BUILTIN_GENERATORS[generator_id]
    assert generator.draw is not None and generator.finish is not None
    by_key: dict[Any, str] = {}
    by_params: dict[str, Any] = {}
    rng = random.Random(f"keys-{generator_id}")
    for seed in (rng.getrandbits(32) for _ in range(2000)):
        draw_rng = random.Random(seed)
        key, state = generator.draw(draw_rng)
        question = generator.make(seed)
        assert generator._question(generator.finish(draw_rng, state), seed) == question
        params = repr(sorted((question.params or {}).items()))
        assert by_key.setdefault(key, params) == params, (generator_id, seed, key)
        assert by_params.setdefault(params, key) == key, (generator_id, seed, params)
        if isinstance(key, int):
            assert 0 <= key < 4 * (generator.space_size or 0) + 2**22  # a dense index: a small bitmap


@pytest.mark.parametrize("generator_id", ["layer-size", "xavier-variance", "conv-fan-code"])
def test_iter_variants_keeps_the_seeds_of_building_every_question_and_deduplicating(
    generator_id: str,
) -> None:
    """The parameters-first path keeps exactly the seeds that building every seed's question and
    dropping repeated params keeps (the way variants were chosen before issue 12)."""
    generator = BUILTIN_GENERATORS[generator_id]
    expected: list[Question] = []
    seen: set[str] = set()
    for seed in variant_seeds(4):
        if len(expected) == 3000:
            break
        question = generator.make(seed, validate=True)
        key = repr(sorted((question.params or {}).items()))
        if key not in seen:
            seen.add(key)
            expected.append(question)
    assert generator.variants(3000, 4) == expected


def test_a_small_space_is_enumerated_and_refused_beyond_it() -> None:
    for generator_id in ("init-call", "gain-depth", "depth-scaling", "init-diagnosis"):
        generator = BUILTIN_GENERATORS[generator_id]
        size = generator.space_size or 0
        found = {repr(sorted((q.params or {}).items())) for q in generator.variants(size, 8)}
        assert len(found) == size
        with pytest.raises(
            GeneratorError, match=rf"has only {size} distinct variants; ask for {size} or fewer"
        ):
            generator.iter_variants(size + 1, 8)


@pytest.mark.parametrize("spec", formulas.SPECS, ids=lambda spec: spec.id)
def test_the_quick_typed_check_agrees_with_the_precision_module(spec: formulas.FormulaSpec) -> None:
    """`_typed_refused` decides which layers a typed formula variant draws again; it must agree with
    `tolerance_problems` on every layer, those close to the refused ones above all."""
    rng = random.Random(spec.id)
    sizes = formulas.TYPICAL_SIZES
    layers = [(a, b) for a in sizes for b in sizes]
    layers += [(rng.randint(formulas.MIN_FAN, formulas.MAX_FAN), rng.randint(8, 1024)) for _ in range(20_000)]
    layers += [(n, m) for n in range(8, 40) for m in range(8, 1025, 3)]  # one small fan: the refused ones
    refused = 0
    for n_in, n_out in layers:
        slow = formulas._mistake_passes(
            spec, n_in, n_out, formulas.THREE_FIGURES, formulas.RELATIVE_TOLERANCE
        )
        assert formulas._typed_refused(spec, n_in, n_out) == slow, (spec.id, n_in, n_out)
        refused += slow
    assert refused  # the check is exercised both ways


def test_an_invalid_builtin_question_is_caught_when_validated() -> None:
    def broken(rng: random.Random) -> dict[str, Any]:
        return {"type": "integer", "params": {"n": 1}, "prompt": "p", "explanation": "e", "answer": 1.5}

    generator = Generator(id="broken", topic="xavier", title="t", description="d", params={}, build=broken)
    with pytest.raises(AssertionError, match="generator 'broken' built an invalid question"):
        generator.make(1, validate=True)


def test_seen_keys_in_a_bitmap_and_a_set() -> None:
    seen = _Seen()
    assert seen.add(0) and seen.add(7) and seen.add(1_000_000) and seen.add((1, 2)) and seen.add("x")
    assert not seen.add(0) and not seen.add(1_000_000) and not seen.add((1, 2)) and not seen.add("x")
    assert seen.add(8) and seen.add(999_999)
