"""The built-in vocabularies are constructed without validation at import; validate them here."""

from __future__ import annotations

import pytest

from quizgen.models import Claim, Misconception, Topic
from quizgen.vocabulary import BUILTIN_CLAIMS, BUILTIN_MISCONCEPTIONS, BUILTIN_TOPICS


@pytest.mark.parametrize("topic", BUILTIN_TOPICS, ids=lambda t: t.id)
def test_builtin_topics_are_valid(topic: Topic) -> None:
    assert Topic.model_validate(topic.model_dump()) == topic


@pytest.mark.parametrize("misconception", BUILTIN_MISCONCEPTIONS, ids=lambda m: m.id)
def test_builtin_misconceptions_are_valid(misconception: Misconception) -> None:
    assert Misconception.model_validate(misconception.model_dump()) == misconception


def test_ids_are_unique() -> None:
    assert len({t.id for t in BUILTIN_TOPICS}) == len(BUILTIN_TOPICS) == 11
    assert len({m.id for m in BUILTIN_MISCONCEPTIONS}) == len(BUILTIN_MISCONCEPTIONS)


@pytest.mark.parametrize("claim", BUILTIN_CLAIMS, ids=lambda c: c.id)
def test_builtin_claims_are_valid(claim: Claim) -> None:
    assert Claim.model_validate(claim.model_dump()) == claim


def test_claim_ids_are_unique() -> None:
    assert len({c.id for c in BUILTIN_CLAIMS}) == len(BUILTIN_CLAIMS) >= 30


def test_only_the_extension_topic_is_off_by_default() -> None:
    assert [t.id for t in BUILTIN_TOPICS if t.extension] == ["beyond"]
