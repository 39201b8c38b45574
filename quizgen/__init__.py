"""quizgen: typed question banks, parametric generators, drills, worksheets and LMS export.

The public API::

    import quizgen
    bank = quizgen.load_banks()            # the bundled banks (plus any paths you pass)
    question = bank.get("xavier-01")       # a Question model (pydantic)
    variant = bank.generator("layer-size").make(seed=7)   # a fresh, reproducible variant
    quizgen.grade(variant, "973").correct  # True
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from ._version import __version__

# Names are imported on first use (PEP 562), so that `quizgen drill` pays only
# for the modules it needs: its first question must appear within 0.3 s.
_EXPORTS = {
    "BankError": "errors",
    "Problem": "errors",
    "QuizgenError": "errors",
    "UnknownQuestionError": "errors",
    "Formula": "formula",
    "FormulaError": "formula",
    "BUILTIN_GENERATORS": "generators",
    "Generator": "generators",
    "GeneratorError": "generators",
    "Grade": "grading",
    "InvalidAnswer": "grading",
    "grade": "grading",
    "Location": "bank",
    "QuestionBank": "bank",
    "Skill": "bank",
    "load_banks": "loader",
    "BankFile": "models",
    "ChoiceQuestion": "models",
    "IntegerQuestion": "models",
    "Misconception": "models",
    "MultiQuestion": "models",
    "NumericQuestion": "models",
    "Option": "models",
    "Question": "models",
    "TextQuestion": "models",
    "Topic": "models",
    "TrueFalseQuestion": "models",
}

__all__ = [
    "BUILTIN_GENERATORS",
    "BankError",
    "BankFile",
    "ChoiceQuestion",
    "Formula",
    "FormulaError",
    "Generator",
    "GeneratorError",
    "Grade",
    "IntegerQuestion",
    "InvalidAnswer",
    "Location",
    "Misconception",
    "MultiQuestion",
    "NumericQuestion",
    "Option",
    "Problem",
    "Question",
    "QuestionBank",
    "QuizgenError",
    "Skill",
    "TextQuestion",
    "Topic",
    "TrueFalseQuestion",
    "UnknownQuestionError",
    "__version__",
    "grade",
    "load_banks",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'quizgen' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:
    from .bank import Location, QuestionBank, Skill
    from .errors import BankError, Problem, QuizgenError, UnknownQuestionError
    from .formula import Formula, FormulaError
    from .generators import BUILTIN_GENERATORS, Generator, GeneratorError
    from .grading import Grade, InvalidAnswer, grade
    from .loader import load_banks
    from .models import (
        BankFile,
        ChoiceQuestion,
        IntegerQuestion,
        Misconception,
        MultiQuestion,
        NumericQuestion,
        Option,
        Question,
        TextQuestion,
        Topic,
        TrueFalseQuestion,
    )
