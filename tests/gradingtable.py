"""The shared grading table (`tests/shared/grading-table.json`), read once for every test that uses it:
the Python grader's (test_grading_table.py) and the page grader's in Chromium (test_page_grader.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from quizgen.models import Question

TABLE: dict[str, Any] = json.loads(
    (Path(__file__).parent / "shared" / "grading-table.json").read_text(encoding="utf-8")
)
QUESTION: TypeAdapter[Question] = TypeAdapter(Question)


def _question(name: str) -> Question:
    spec: dict[str, Any] = {
        "id": f"table-{name}",
        "topic": "he",
        "prompt": "Which one?",
        "explanation": "Because.",
        **TABLE["questions"][name],
    }
    return QUESTION.validate_python(spec)


QUESTIONS: dict[str, Question] = {name: _question(name) for name in TABLE["questions"]}
"""The table's questions by name."""
