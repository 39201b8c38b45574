"""What the browser practice page holds: each question as JSON, with the data its grader needs.

The page (``templates/practice/``) grades in JavaScript by the drill's rules. Everything the rules
need is written here, from the question, once: :func:`grading_spec` is the only input of the page's
grader (``templates/practice/grader.js``), whose answers the tests compare with
:func:`quizgen.grading.grade` on the shared table (``tests/shared/grading-table.json``) and on
thousands of drawn inputs. Display text (prompt, options, feedback, the worked explanation) is
rendered here to HTML with MathML, as the worksheets render it.
"""

from __future__ import annotations

from typing import Any, assert_never

from ..grading import normalise_text
from ..models import (
    ChoiceQuestion,
    IntegerQuestion,
    MultiQuestion,
    NumericQuestion,
    Question,
    TextQuestion,
    TrueFalseQuestion,
)

__all__ = ["grading_spec"]


def grading_spec(question: Question) -> dict[str, Any]:
    """The page grader's data for ``question`` (JSON-ready; the grader needs nothing else).

    ``choice``: ``n`` options, ``answer`` (1-based) and each option's ``misconceptions`` id or null;
    ``multi``: ``n`` and the right ``answers``; ``true_false``: ``answer``;
    ``integer``: ``answer`` as a decimal string (exact at any size) and ``mistakes`` (value, misconception);
    ``numeric``: ``answer``, ``tolerance``, ``kind`` (absolute/relative) and ``mistakes``, the numbers
    the grader compares exactly as :meth:`NumericQuestion.accepts` does;
    ``text``: the accepted ``forms``, already normalised (:func:`~quizgen.grading.normalise_text`).
    """
    match question:
        case ChoiceQuestion():
            return {
                "type": "choice",
                "n": len(question.options),
                "answer": question.answer,
                "misconceptions": [o.misconception for o in question.options],
            }
        case MultiQuestion():
            return {"type": "multi", "n": len(question.options), "answers": sorted(question.answers)}
        case TrueFalseQuestion():
            return {"type": "true_false", "answer": question.answer}
        case IntegerQuestion():
            return {
                "type": "integer",
                "answer": str(question.answer),
                "mistakes": [{"value": m.value, "misconception": m.misconception} for m in question.mistakes],
            }
        case NumericQuestion():
            return {
                "type": "numeric",
                "answer": question.answer,
                "tolerance": question.tolerance,
                "kind": question.tolerance_type,
                "mistakes": [{"value": m.value, "misconception": m.misconception} for m in question.mistakes],
            }
        case TextQuestion():
            forms: list[str] = []
            for form in question.accepted_forms():
                if (key := normalise_text(form)) not in forms:
                    forms.append(key)
            return {"type": "text", "forms": forms}
        case _:
            assert_never(question)
