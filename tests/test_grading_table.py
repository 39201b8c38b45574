"""The shared grading table: verdicts written out by hand, which quizgen's grader must give.

`tests/shared/grading-table.json` is the one statement of the drill's answer reading that every grader
is held to: the Python grader here, and the browser practice page's grader (issue 14) in Chromium.
The expected verdicts are typed in the table, not computed by quizgen.
"""

from __future__ import annotations

import pytest

from quizgen.grading import InvalidAnswer, grade

from .gradingtable import QUESTIONS, TABLE


def test_the_table_covers_every_question_type_and_verdict() -> None:
    assert {q.type for q in QUESTIONS.values()} == {
        "choice",
        "multi",
        "true_false",
        "integer",
        "numeric",
        "text",
    }
    verdicts = {case[2] for case in TABLE["cases"]}
    assert verdicts == {"correct", "wrong", "unreadable"}
    for name in QUESTIONS:  # each question is answered right, wrong and unreadably
        assert {case[2] for case in TABLE["cases"] if case[0] == name} == verdicts, name


@pytest.mark.parametrize("case", TABLE["cases"], ids=[f"{c[0]}:{c[1]!r}" for c in TABLE["cases"]])
def test_the_python_grader_gives_the_tables_verdict(case: list[str]) -> None:
    name, typed, expected, *mistake = case
    try:
        result = grade(QUESTIONS[name], typed)
    except InvalidAnswer:
        verdict = "unreadable"
    else:
        verdict = "correct" if result.correct else "wrong"
        if mistake:
            assert result.misconception == mistake[0]
    assert verdict == expected
