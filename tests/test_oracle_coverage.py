"""Every computed answer in the bundled banks has an independent oracle in one of tests/test_answers_*.py."""

from __future__ import annotations

from quizgen import IntegerQuestion, NumericQuestion

from . import (
    test_answers_core,
    test_answers_derivations_gains,
    test_answers_frameworks_beyond,
    test_answers_he_depth,
    test_answers_scenario_templates,
)
from .oracles import BANK

TABLES = (
    test_answers_core,
    test_answers_derivations_gains,
    test_answers_frameworks_beyond,
    test_answers_he_depth,
    test_answers_scenario_templates,
)


def test_every_integer_and_numeric_bank_question_has_exactly_one_oracle() -> None:
    owners: dict[str, list[str]] = {}
    for table in TABLES:
        for qid in table.ORACLES:
            owners.setdefault(qid, []).append(table.__name__)
    computed = {q.id for q in BANK if isinstance(q, (IntegerQuestion, NumericQuestion))}
    assert computed - set(owners) == set(), "computed answers without an oracle"
    assert set(owners) - computed == set(), "oracles for questions that are not computed"
    assert all(len(names) == 1 for names in owners.values())


def test_every_named_mistake_of_a_bank_question_is_recomputed() -> None:
    recomputed = {qid for table in TABLES for qid in getattr(table, "MISTAKES", {})}
    with_mistakes = {q.id for q in BANK if getattr(q, "mistakes", ())}
    assert with_mistakes - recomputed == set()
