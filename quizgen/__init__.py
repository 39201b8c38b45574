"""quizgen: typed question banks, parametric generators, drills, worksheets and LMS export.

The public API::

    import quizgen
    bank = quizgen.load_banks()            # the bundled banks (plus any paths you pass)
    question = bank.get("xavier-01")       # a Question model (pydantic)
    variant = bank.generator("layer-size").make(seed=7)   # a fresh, reproducible variant
    quizgen.grade(variant, "973").correct  # True
"""

from __future__ import annotations

from .errors import BankError, Problem, QuizgenError, UnknownQuestionError
from .formula import Formula, FormulaError
from .generators import BUILTIN_GENERATORS, Generator, GeneratorError
from .grading import Grade, InvalidAnswer, grade
from .loader import Location, QuestionBank, load_banks
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

__version__ = "0.1.0"

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
    "TextQuestion",
    "Topic",
    "TrueFalseQuestion",
    "UnknownQuestionError",
    "__version__",
    "grade",
    "load_banks",
]
