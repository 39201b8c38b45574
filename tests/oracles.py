"""What the tests/test_answers_*.py files share: the banks, loaded once, and the checks of an oracle table.

Each of those files writes its questions' numbers out again (ORACLES: question id -> a
function computing the answer from the question's own data, PyTorch where it applies);
tests/test_oracle_coverage.py checks that together they cover every computed answer.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from quizgen import ChoiceQuestion, IntegerQuestion, MultiQuestion, NumericQuestion, load_banks

BANK = load_banks(cache=False)


def check_answer(qid: str, oracle: Callable[[], float], rel: float = 1e-9) -> None:
    """The bank's answer is the oracle's (an integer exactly; a number within ``rel``, and graded correct)."""
    question = BANK.get(qid)
    expected = oracle()
    if isinstance(question, IntegerQuestion):
        assert question.answer == pytest.approx(expected, rel=1e-12)  # 784 * (1/196) is 4.000...01
    else:
        assert isinstance(question, NumericQuestion)
        assert question.answer == pytest.approx(expected, rel=rel)
        assert question.accepts(expected)


def correct_texts(qid: str) -> list[str]:
    """The text of the keyed option(s) of a choice or multi question."""
    question = BANK.get(qid)
    if isinstance(question, ChoiceQuestion):
        return [question.options[question.answer - 1].text]
    assert isinstance(question, MultiQuestion)
    return [question.options[n - 1].text for n in question.answers]
