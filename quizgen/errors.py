"""The exceptions quizgen raises.

Every error a person can cause with bad input is a :class:`QuizgenError`, so that
callers (the CLI first of all) can catch one type and print its message::

    QuizgenError                 base: anything quizgen reports about its input
    ├── BankError                one or more bank files are invalid (carries .problems)
    ├── UnknownQuestionError     a question id that no loaded bank defines
    ├── FormulaError             a template formula is invalid or fails (formula.py)
    ├── GeneratorError           an unknown generator, or too few distinct variants (generators/)
    ├── InvalidAnswer            a typed answer that cannot be read; it is not graded (grading.py)
    ├── StoreError               the progress database cannot be opened, read or written (store.py)
    ├── WorksheetError           a worksheet cannot be made: a bad roster, clashing file names (worksheet.py)
    ├── OutputError              a file cannot be written where asked (outputs.py)
    └── ExportReadError          an export cannot be read back as its format (exporters/check.py)

Messages name what a Python caller passed (a count, a topic), not command-line flags;
the CLI adds its own wording where a flag is the fix.
"""

from __future__ import annotations

from dataclasses import dataclass


class QuizgenError(Exception):
    """Base class for every error quizgen reports about its input.

    ``parameter`` names the argument whose value to change when that is the fix (``"count"``,
    ``"db"``); the message itself speaks of values, so that it reads right to a Python caller,
    and the CLI adds the option that sets it.
    """

    parameter: str | None = None

    def __init__(self, *args: object, parameter: str | None = None) -> None:
        super().__init__(*args)
        if parameter is not None:
            self.parameter = parameter


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


def did_you_mean(word: str, choices: list[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest choice, or ``""`` when none is close."""
    # A word 2.4 times longer than every choice cannot reach the cutoff (difflib's ratio is at most
    # 2 * shorter / total): skip it, since difflib takes seconds and hundreds of MB on a 10 MB word.
    if len(word) > 3 * max(map(len, choices), default=0):
        return ""
    import difflib  # only when a name is wrong: off the start-up path

    matches = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean {matches[0]!r}?)" if matches else ""
