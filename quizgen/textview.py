"""Plain-text views of questions, as a person reads them in a terminal."""

from __future__ import annotations

from collections.abc import Callable

from .models import (
    ChoiceQuestion,
    IntegerQuestion,
    MultiQuestion,
    NumericQuestion,
    Question,
    TextQuestion,
    TrueFalseQuestion,
)
from .numbers import fmt

TYPE_LABELS = {
    "choice": "choose one",
    "multi": "select all that apply",
    "true_false": "true or false",
    "integer": "an integer",
    "numeric": "a number",
    "text": "a short answer",
}


def circled(number: int) -> str:
    """①, ②, ... for 1-20 (as the chapter numbers its options); '(21)' beyond."""
    if 1 <= number <= 20:
        return chr(0x2460 + number - 1)
    return f"({number})"


def answer_text(question: Question, render: Callable[[str], str] = str, separator: str = "; ") -> str:
    """The correct answer, written out; `render` turns bank text (options, answers) into the target format."""
    if isinstance(question, ChoiceQuestion):
        return f"{circled(question.answer)} {render(question.options[question.answer - 1].text)}"
    if isinstance(question, MultiQuestion):
        return separator.join(
            f"{circled(n)} {render(question.options[n - 1].text)}" for n in sorted(question.answers)
        )
    if isinstance(question, TrueFalseQuestion):
        return f"{circled(1)} True" if question.answer else f"{circled(2)} False"
    if isinstance(question, IntegerQuestion):
        return render(str(question.answer))
    if isinstance(question, NumericQuestion):
        text = fmt(question.answer)
        if question.tolerance:
            if question.tolerance_type == "relative":
                text += f" (within {fmt(question.tolerance * 100)}%)"
            else:
                text += f" (± {fmt(question.tolerance)})"
        return render(text)
    if isinstance(question, TextQuestion):
        also = f" (also accepted: {', '.join(question.accept)})" if question.accept else ""
        return render(question.answer + also)
    raise TypeError(f"unknown question type {type(question).__name__}")


def format_question(question: Question, *, show_answer: bool = False) -> str:
    """The question with its options; with ``show_answer``, the answer and worked solution."""
    lines = [
        f"{question.id}  [{question.topic}, {TYPE_LABELS[question.type]}, difficulty {question.difficulty}]",
        "",
        question.prompt.strip(),
    ]
    if isinstance(question, (ChoiceQuestion, MultiQuestion)):
        lines.append("")
        lines.extend(f"  {circled(n)} {option.text}" for n, option in enumerate(question.options, start=1))
    elif isinstance(question, TrueFalseQuestion):
        lines.extend(["", f"  {circled(1)} True", f"  {circled(2)} False"])
    if show_answer:
        lines.extend(["", f"Answer: {answer_text(question)}", "", question.explanation.strip()])
        if isinstance(question, (ChoiceQuestion, MultiQuestion)):
            notes = [
                f"  {circled(n)} "
                + (f"[{option.misconception}] " if option.misconception else "")
                + (option.feedback or "")
                for n, option in enumerate(question.options, start=1)
                if option.feedback or option.misconception
            ]
            if notes:
                lines.extend(["", "Why each option:", *notes])
        if isinstance(question, (IntegerQuestion, NumericQuestion)) and question.mistakes:
            lines.extend(["", "Named mistakes:"])
            lines.extend(
                f"  {fmt(m.value)}"
                + (f" [{m.misconception}]" if m.misconception else "")
                + (f" {m.feedback}" if m.feedback else "")
                for m in question.mistakes
            )
        if question.claims:
            lines.extend(["", f"Claims (quizgen claims --check): {', '.join(question.claims)}"])
    if question.source:
        lines.extend(["", f"Source: {question.source}"])
    return "\n".join(lines)
