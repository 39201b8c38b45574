"""Plain-text views of questions, as a person reads them in a terminal."""

from __future__ import annotations

from collections.abc import Callable
from typing import assert_never, get_args

from .models import (
    ChoiceQuestion,
    IntegerQuestion,
    MultiQuestion,
    NumericQuestion,
    Question,
    QuestionType,
    TextQuestion,
    TrueFalseQuestion,
)
from .numbers import fmt, short, significant
from .precision import answer_form as _form
from .precision import marking, stated_precision


def type_label(question_type: QuestionType) -> str:
    """What a question of this type asks for, as its heading says: 'choose one', 'a number'."""
    match question_type:
        case "choice":
            return "choose one"
        case "multi":
            return "select all that apply"
        case "true_false":
            return "true or false"
        case "integer":
            return "an integer"
        case "numeric":
            return "a number"
        case "text":
            return "a short answer"
        case _:
            assert_never(question_type)


TYPE_LABELS: dict[str, str] = {kind: type_label(kind) for kind in get_args(QuestionType)}
"""`type_label` of every type, keyed by the type's tag (for templates and lookups by a plain string);
in code, prefer `type_label(question.type)`, which mypy checks."""


def circled(number: int) -> str:
    """①, ②, ... for 1-20 (as the chapter numbers its options); '(21)' beyond."""
    if 1 <= number <= 20:
        return chr(0x2460 + number - 1)
    return f"({number})"


def question_title(question: Question, render: Callable[[str], str] = str) -> str:
    """A question as a student knows it: the first sentence of its prompt (``render``ed: the terminal's
    Unicode maths, or plain text), at most about 60 characters."""
    text = " ".join(render(question.prompt).split())
    ends = [text.find(mark) for mark in (". ", "? ")]
    cut = min((end for end in ends if 20 <= end < 70), default=-1)
    if cut > 0:
        return text[: cut + 1]
    return text if len(text) <= 70 else text[:60].rstrip() + "…"


def answer_text(question: Question, render: Callable[[str], str] = str, separator: str = "; ") -> str:
    """The correct answer, written out; `render` turns bank text (options, answers) into the target format."""
    match question:
        case ChoiceQuestion():
            return f"{circled(question.answer)} {render(question.options[question.answer - 1].text)}"
        case MultiQuestion():
            return separator.join(
                f"{circled(n)} {render(question.options[n - 1].text)}" for n in sorted(question.answers)
            )
        case TrueFalseQuestion():
            return f"{circled(1)} True" if question.answer else f"{circled(2)} False"
        case IntegerQuestion():
            return render(str(question.answer))
        case NumericQuestion():
            return render(marking(question).text())
        case TextQuestion():
            also = f" (also accepted: {', '.join(question.accept)})" if question.accept else ""
            return render(question.answer + also)
        case _:
            assert_never(question)


def answer_form(question: Question) -> str | None:
    """What to type for a number, said before the student answers ('a number to 3 significant
    figures (e.g. 0.0123 or 1.23e-2)'); None for questions answered by option or in words."""
    match question:
        case IntegerQuestion():
            return _form(stated_precision(question.prompt), integer=True)
        case NumericQuestion():
            return _form(stated_precision(question.prompt))
        case ChoiceQuestion() | MultiQuestion() | TrueFalseQuestion() | TextQuestion():
            return None
        case _:
            assert_never(question)


def format_question(
    question: Question, *, show_answer: bool = False, render: Callable[[str], str] = str
) -> str:
    """The question with its options; with ``show_answer``, the answer and worked solution.

    ``render`` turns bank text into what is shown: ``termmath.render`` for a terminal (as the
    drill shows it, with the form of answer wanted), ``str`` for the bank's own text.
    """
    lines = [
        f"{question.id}  [{question.topic}, {type_label(question.type)}, difficulty {question.difficulty}]",
        "",
        render(question.prompt.strip()),
        *_option_lines(question, render),
    ]
    form = answer_form(question) if render is not str else None
    if form is not None:
        lines.extend(["", f"Answer with {form}."])
    if show_answer:
        lines.extend(
            ["", f"Answer: {answer_text(question, render)}", "", render(question.explanation.strip())]
        )
        lines.extend(_answer_notes(question, render))
        if question.claims:
            lines.extend(["", f"Claims (quizgen claims --check): {', '.join(question.claims)}"])
    if question.source:
        lines.extend(["", f"Source: {question.source}"])
    return "\n".join(lines)


def _option_lines(question: Question, render: Callable[[str], str] = str) -> list[str]:
    """The numbered options a student picks from, after a blank line; none for a typed answer."""
    match question:
        case ChoiceQuestion() | MultiQuestion():
            return [
                "",
                *(
                    f"  {circled(n)} {render(option.text)}"
                    for n, option in enumerate(question.options, start=1)
                ),
            ]
        case TrueFalseQuestion():
            return ["", f"  {circled(1)} True", f"  {circled(2)} False"]
        case IntegerQuestion() | NumericQuestion() | TextQuestion():
            return []
        case _:
            assert_never(question)


def _answer_notes(question: Question, render: Callable[[str], str] = str) -> list[str]:
    """With the answer: why each option is right or wrong, or the named mistakes of a number."""
    match question:
        case ChoiceQuestion() | MultiQuestion():
            notes = [
                f"  {circled(n)} "
                + (f"[{option.misconception}] " if option.misconception else "")
                + render(option.feedback or "")
                for n, option in enumerate(question.options, start=1)
                if option.feedback or option.misconception
            ]
            return ["", "Why each option:", *notes] if notes else []
        case IntegerQuestion() | NumericQuestion():
            if not question.mistakes:
                return []
            return [
                "",
                "Named mistakes:",
                *(
                    f"  {_mistake_number(question, m.value)}"
                    + (f" [{m.misconception}]" if m.misconception else "")
                    + (f" {render(m.feedback)}" if m.feedback else "")
                    for m in question.mistakes
                ),
            ]
        case TrueFalseQuestion() | TextQuestion():
            return []
        case _:
            assert_never(question)


def _mistake_number(question: IntegerQuestion | NumericQuestion, value: float) -> str:
    """A named mistake's number as the key writes the answer: exact for an integer question, else to the
    figures the prompt asks (3 when it states none)."""
    if isinstance(question, IntegerQuestion) or float(value).is_integer():
        return fmt(value)
    precision = stated_precision(question.prompt)
    if precision is not None and precision.kind == "significant":
        return significant(value, precision.digits)
    return short(value, 3)  # exact when that is short (0.5), else 3 significant figures
