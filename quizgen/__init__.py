"""quizgen: typed question banks, parametric generators, drills, worksheets and LMS export.

The public API::

    import quizgen
    bank = quizgen.load_banks()            # the bundled banks (plus any paths you pass)
    question = bank.get("xavier-01")       # a Question model (pydantic)
"""

from __future__ import annotations

from .errors import BankError, Problem, QuizgenError, UnknownQuestionError
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
    "BankError",
    "BankFile",
    "ChoiceQuestion",
    "IntegerQuestion",
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
    "load_banks",
]
