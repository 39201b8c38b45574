"""Variant identities: the same seed names the same question, parameters, answer and options.

`tests/golden/variant-identities.json` holds, for every built-in generator, digests of
``make(seed)`` for 250 seeds, and for a few (count, seed) pairs the seeds that
``variants(count, seed)`` kept and digests of the questions. Variant ids name the same question
in drill logs, worksheet keys and LMS exports, so what a variant *is* must never change:

* ``identity`` (per seed) and ``variants[...]["identity"]``: digests of a question without its
  texts that show computed numbers (`identity` below): its id, type, prompt, hint, parameters,
  answer, tolerance, the option values and their order, the named mistakes' values. These were
  recorded by the code before issue 13 (commit 6d8082c, itself checked against the digests written
  before issue 12's faster variants, commit 22eb934) and are never regenerated.
* ``make`` (per seed) and ``variants[...]["questions"]``: digests of the whole question, texts
  included. Issue 13 (numbers written as a person would: options to 3 significant figures,
  explanations and feedback to the precision asked, no ``e`` exponent in prose) changed the
  explanations, the option texts that are numbers and the feedback, and nothing else; these digests
  were written again then. After another deliberate change of texts only:
  ``UPDATE_GOLDEN=1 pytest tests/test_variants_identity.py`` rewrites them (never the identities), and
  read the diff.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pytest

from quizgen import Question
from quizgen.generators import BUILTIN_GENERATORS

GOLDEN = Path(__file__).parent / "golden" / "variant-identities.json"
RECORDED: dict[str, Any] = json.loads(GOLDEN.read_text(encoding="utf-8"))
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def identity(question: Question) -> str:
    """The question without the texts that write computed numbers: the explanation, the feedback, and
    the text of an option that has a value (its value stays, so the options and their order do)."""
    data = question.model_dump(mode="json")
    data.pop("explanation")
    for option in data.get("options") or ():
        option.pop("feedback")
        if option.get("value") is not None:
            option.pop("text")
    for mistake in data.get("mistakes") or ():
        mistake.pop("feedback")
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


def test_every_builtin_generator_was_recorded() -> None:
    for part in ("identity", "make", "variants"):
        assert sorted(RECORDED[part]) == sorted(BUILTIN_GENERATORS), part


@pytest.mark.parametrize("generator_id", sorted(BUILTIN_GENERATORS))
def test_make_keeps_the_recorded_parameters_answer_and_options_for_every_recorded_seed(
    generator_id: str,
) -> None:
    generator = BUILTIN_GENERATORS[generator_id]
    texts = []
    for seed, expected in zip(RECORDED["seeds"], RECORDED["identity"][generator_id], strict=True):
        trusted = generator.make(seed)
        assert _digest(identity(trusted)) == expected, (generator_id, seed)
        assert trusted == generator.make(seed, validate=True)
        texts.append(_digest(trusted.model_dump_json()))
    if UPDATE:
        _update(("make", generator_id), texts)
    assert texts == RECORDED["make"][generator_id], "the texts changed: see this file's docstring"


@pytest.mark.parametrize("generator_id", sorted(BUILTIN_GENERATORS))
def test_variants_keep_the_recorded_seeds_and_questions(generator_id: str) -> None:
    generator = BUILTIN_GENERATORS[generator_id]
    for run, expected in RECORDED["variants"][generator_id].items():
        count, seed = map(int, run.split(","))
        questions = generator.variants(count, seed)
        assert [q.seed for q in questions[:10]] == expected["first"], (generator_id, run)
        assert _digest(" ".join(str(q.seed) for q in questions)) == expected["seeds"], (generator_id, run)
        assert _digest("\n".join(identity(q) for q in questions)) == expected["identity"], (generator_id, run)
        texts = _digest("\n".join(q.model_dump_json() for q in questions))
        if UPDATE:
            _update(("variants", generator_id, run, "questions"), texts)
        assert texts == expected["questions"], (
            generator_id,
            run,
            "the texts changed: see this file's docstring",
        )


def _update(path: tuple[str, ...], texts: Any) -> None:
    """Rewrites a text digest in the golden file (identities are never rewritten)."""
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    for data in (golden, RECORDED):
        for key in path[:-1]:
            data = data[key]
        data[path[-1]] = texts
    GOLDEN.write_text(json.dumps(golden, indent=1) + "\n", encoding="utf-8")
