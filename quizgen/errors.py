"""The exceptions quizgen raises.

Every error a person can cause with bad input is a :class:`QuizgenError`, so that
callers (the CLI first of all) can catch one type and print its message::

    QuizgenError                 base: anything quizgen reports about its input
    ├── BankError                one or more bank files are invalid (carries .problems)
    ├── UnknownQuestionError     a question id that no loaded bank defines
    ├── FormulaError             a template formula is invalid or fails (formula.py)
    ├── GeneratorError           an unknown generator, or too few distinct variants (generators/)
    └── InvalidAnswer            a typed answer that cannot be read; it is not graded (grading.py)
"""

from __future__ import annotations

from dataclasses import dataclass


class QuizgenError(Exception):
    """Base class for every error quizgen reports about its input."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a bank file, located precisely enough to fix it."""

    path: str
    line: int | None
    message: str
    question_id: str | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        if self.question_id is not None:
            return f"{where}: {self.question_id}: {self.message}"
        return f"{where}: {self.message}"


class BankError(QuizgenError):
    """One or more bank files are invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the question banks"
        super().__init__(head + ":\n" + "\n".join(str(p) for p in self.problems))


class UnknownQuestionError(QuizgenError):
    """A question id was asked for that no loaded bank defines."""
