"""Variant identities recorded before issue 12's faster variants: the same seed names the same question.

`tests/golden/variant-identities.json` was written by the code as it was before generators drew
their parameters first and built trusted questions (commit 22eb934): for every built-in generator,
a digest of ``make(seed).model_dump_json()`` for 250 seeds, and for a few (count, seed) pairs the
seeds that ``variants(count, seed)`` kept and a digest of the questions. Variant ids name the same
question in drill logs, worksheet keys and LMS exports, so these must never change.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from quizgen.generators import BUILTIN_GENERATORS

GOLDEN = Path(__file__).parent / "golden" / "variant-identities.json"
RECORDED: dict[str, Any] = json.loads(GOLDEN.read_text(encoding="utf-8"))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def test_every_builtin_generator_was_recorded() -> None:
    assert sorted(RECORDED["make"]) == sorted(BUILTIN_GENERATORS)
    assert sorted(RECORDED["variants"]) == sorted(BUILTIN_GENERATORS)


@pytest.mark.parametrize("generator_id", sorted(BUILTIN_GENERATORS))
def test_make_gives_the_recorded_question_for_every_recorded_seed(generator_id: str) -> None:
    generator = BUILTIN_GENERATORS[generator_id]
    for seed, expected in zip(RECORDED["seeds"], RECORDED["make"][generator_id], strict=True):
        trusted = generator.make(seed)
        assert _digest(trusted.model_dump_json()) == expected, (generator_id, seed)
        assert trusted == generator.make(seed, validate=True)


@pytest.mark.parametrize("generator_id", sorted(BUILTIN_GENERATORS))
def test_variants_keep_the_recorded_seeds_and_questions(generator_id: str) -> None:
    generator = BUILTIN_GENERATORS[generator_id]
    for run, expected in RECORDED["variants"][generator_id].items():
        count, seed = map(int, run.split(","))
        questions = generator.variants(count, seed)
        assert [q.seed for q in questions[:10]] == expected["first"], (generator_id, run)
        assert _digest(" ".join(str(q.seed) for q in questions)) == expected["seeds"], (generator_id, run)
        assert _digest("\n".join(q.model_dump_json() for q in questions)) == expected["questions"], (
            generator_id,
            run,
        )
