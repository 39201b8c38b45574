"""The claims that questions make about network behaviour, each checked by its simulation.

Every claim in vocabulary.BUILTIN_CLAIMS has a check in simulation.CHECKS and the check
holds. The negative controls run the same measurements on a configuration where the
claim must not hold (He instead of tiny weights, tanh instead of sigmoid, ...) so that a
check which could never fail would show here; the building blocks are compared with
results worked out independently (the variance of a sum, E[ReLU(z)^2], the sigmoid's
derivative, an orthogonal matrix, batch norm).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from quizgen import load_banks
from quizgen.simulation import (
    CHECKS,
    check_claim,
    deep_network,
    fixed_std,
    he_std,
    propagate,
    train_losses,
    xavier_std,
)
from quizgen.vocabulary import BUILTIN_CLAIMS

CLAIM_IDS = [c.id for c in BUILTIN_CLAIMS]


def test_every_claim_has_a_simulation_and_every_simulation_a_claim() -> None:
    assert sorted(CHECKS) == sorted(CLAIM_IDS)


@pytest.mark.parametrize("claim_id", CLAIM_IDS)
def test_the_simulation_bears_the_claim_out(claim_id: str) -> None:
    evidence = check_claim(claim_id)
    assert evidence.holds, f"{claim_id}: {evidence.detail}"
    assert any(ch.isdigit() for ch in evidence.detail), "the evidence quotes what was measured"


def test_every_claim_is_used_by_some_question_or_generator() -> None:
    bank = load_banks(cache=False)
    used = {c for q in bank for c in q.claims}
    used |= {c for g in bank.generators.values() for c in g.claims}
    assert set(CLAIM_IDS) - used == set(), "a claim that nothing teaches is dead weight"


# -- negative controls: the same measurements where the claim must fail ------------------


def test_he_relu_is_not_vanishing_where_tiny_weights_are() -> None:
    tiny = deep_network("ReLU", fixed_std(0.01))
    he = deep_network("ReLU", he_std)
    assert tiny.grad_activation[0] / tiny.grad_activation[-1] < 1e-6
    assert 0.3 < he.grad_activation[0] / he.grad_activation[-1] < 3


def test_xavier_tanh_is_not_saturated_where_unit_weights_are() -> None:
    xavier = deep_network("tanh", xavier_std)
    large = deep_network("tanh", fixed_std(1.0))
    assert xavier.mean(xavier.saturated_90) < 0.02 < 0.9 < large.mean(large.saturated_90)


def test_only_sigmoid_starves_the_first_layers_weights() -> None:
    sigmoid = deep_network("sigmoid", xavier_std, depth=10)
    tanh = deep_network("tanh", xavier_std, depth=10)
    assert sigmoid.grad_weight[0] / sigmoid.grad_weight[-1] < 1e-3
    assert 0.3 < tanh.grad_weight[0] / tanh.grad_weight[-1] < 3


def test_a_small_learning_rate_does_not_diverge_and_a_large_one_does() -> None:
    low, _ = train_losses("tanh", xavier_std, 0.05, steps=200)
    high, _ = train_losses("tanh", xavier_std, 0.5, steps=200)
    assert all(math.isfinite(v) for v in low) and low[-1] < 0.1 * low[0]
    assert not math.isfinite(high[-1])


def test_he_and_xavier_give_a_normal_first_loss_and_unit_weights_do_not() -> None:
    widths = (32, 64, 64, 64, 64, 64, 1)
    he, _ = train_losses("ReLU", he_std, 0.0, steps=1, widths=widths)
    large, _ = train_losses("ReLU", fixed_std(1.0), 0.0, steps=1, widths=widths)
    assert he[0] < 5 and large[0] > 1e6


# -- the building blocks, against results worked out independently -------------------------


def test_propagate_matches_a_hand_computed_two_layer_network() -> None:
    inputs = np.array([[1.0, -2.0]])
    w1 = np.array([[0.5, 0.25], [-1.0, 1.0]])
    w2 = np.array([[2.0, -1.0]])
    upstream = np.array([[1.0]])
    trace = propagate("ReLU", [w1, w2], inputs, upstream)
    # z1 = (0.5 - 0.5, -1 - 2) = (0, -3) -> a1 = (0, 0); z2 = 0 -> a2 = 0.
    assert trace.second_moment == (0.0, 0.0)
    trace = propagate("linear", [w1, w2], inputs, upstream)
    # a1 = (0, -3), a2 = 2*0 - (-3) = 3; dL/da2 = 1, dL/da1 = w2 = (2, -1).
    assert trace.second_moment == pytest.approx((4.5, 9.0))
    assert trace.grad_activation == pytest.approx((math.sqrt(2.5), 1.0))
    # dL/dW2 = 1 * a1 = (0, -3); dL/dW1 = (2, -1)^T (1, -2).
    assert trace.grad_weight == pytest.approx((math.sqrt(4 + 16 + 1 + 4), 3.0))


def test_the_evidence_of_each_check_changes_with_its_configuration() -> None:
    """A check that printed the same figures whatever it ran would not be measuring anything."""
    assert check_claim("he-tanh-not-saturated").detail != check_claim("xavier-tanh-stable").detail
    with pytest.raises(KeyError):
        check_claim("no-such-claim")
