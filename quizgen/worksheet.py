"""Printable worksheets: which questions, which variants for whom, and rendering through jinja2.

A worksheet is planned once (its skills: bank questions and generators, topics
interleaved) and then made into one or more :class:`Sheet`s: versions A, B, C
or one per student. Every sheet covers the same skills with its own variants and
option orders, drawn from a seed derived from the worksheet seed and the sheet's
label, so any sheet can be made again from what its footer prints.

Rendering is a pure function of sheets -> text, through the templates in
`templates/` (one jinja2 Environment, autoescaped for HTML, StrictUndefined).
"""

from __future__ import annotations

import csv
import hashlib
import io
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from . import __version__
from .errors import QuizgenError
from .loader import QuestionBank
from .models import ChoiceQuestion, MultiQuestion, Question, TrueFalseQuestion
from .numbers import fmt
from .scheduler import Skill, interleave
from .selection import prepare, skills_of
from .textview import TYPE_LABELS, answer_text, circled

Source = Literal["mixed", "bank", "generators"]
FIGURE_TOPICS = frozenset({"vanishing", "exploding"})


class WorksheetError(QuizgenError):
    """A worksheet cannot be made as asked (no matching questions, a bad roster)."""


@dataclass(frozen=True)
class Student:
    name: str
    id: str = ""

    @property
    def label(self) -> str:
        return f"{self.name} ({self.id})" if self.id else self.name


@dataclass
class Sheet:
    title: str
    label: str  # "A", "B", ... or the student's name
    seed: int
    questions: list[Question]
    skills: list[Skill]
    student: Student | None = None
    figure: str | None = None

    @property
    def slug(self) -> str:
        """The file-name part: the version label (A, B, ...) or the student's id or name."""
        if self.student is None:
            return re.sub(r"[^A-Za-z0-9]+", "-", self.label).strip("-") or "sheet"
        base = self.student.id or self.student.name
        return re.sub(r"[^A-Za-z0-9]+", "-", base).strip("-").lower() or "sheet"


@dataclass
class Worksheet:
    title: str
    seed: int
    skills: list[Skill]
    sheets: list[Sheet] = field(default_factory=list)
    command: str = ""


def plan_skills(
    bank: QuestionBank, topics: Sequence[str], count: int, seed: int, source: Source = "mixed"
) -> list[Skill]:
    """The worksheet's skills: about half generators in the default mix, topics interleaved."""
    rng = random.Random(seed)
    pool = skills_of(bank, topics)
    questions = [s for s in pool if s.kind == "question"]
    generators = [s for s in pool if s.kind == "generator"]
    if source == "bank":
        generators = []
    elif source == "generators":
        questions = []
    if not questions and not generators:
        raise WorksheetError("no questions or generators match the chosen topics and --source")
    rng.shuffle(questions)
    rng.shuffle(generators)
    # about half generated, but no generator more than twice while bank questions remain
    n_generated = 0 if not generators else (count if not questions else min(count // 2, 2 * len(generators)))
    n_questions = count - n_generated
    if n_questions > len(questions):
        if not generators:
            raise WorksheetError(
                f"only {len(questions)} bank questions match; ask for --count {len(questions)} or fewer, "
                "or use --source mixed to add generated variants"
            )
        n_generated += n_questions - len(questions)
        n_questions = len(questions)
    chosen = questions[:n_questions] + [generators[i % len(generators)] for i in range(n_generated)]
    rng.shuffle(chosen)
    return interleave(chosen)


def sheet_seed(worksheet_seed: int, label: str) -> int:
    """A sheet's own seed, derived from the worksheet seed and its label (stable everywhere)."""
    digest = hashlib.sha256(f"quizgen-sheet:{worksheet_seed}:{label}".encode()).digest()
    return int.from_bytes(digest[:4], "big")


def make_sheet(
    bank: QuestionBank, title: str, skills: list[Skill], seed: int, label: str, **extra: Any
) -> Sheet:
    rng = random.Random(seed)
    return Sheet(title, label, seed, [prepare(bank, skill, rng) for skill in skills], skills, **extra)


def version_labels(count: int) -> list[str]:
    labels = []
    for n in range(count):
        label = ""
        n += 1
        while n:
            n, rest = divmod(n - 1, 26)
            label = chr(65 + rest) + label
        labels.append(label)
    return labels


def read_roster(path: Path) -> list[Student]:
    """Students from a CSV file with a `name` column and an optional `id` column."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise WorksheetError(f"{path}: cannot read the roster ({exc})") from None
    reader = csv.DictReader(io.StringIO(text))
    columns = [c.strip().casefold() for c in reader.fieldnames or []]
    if "name" not in columns:
        raise WorksheetError(
            f"{path}:1: the roster needs a `name` column (and optionally `id`); found: {columns}"
        )
    students: list[Student] = []
    seen: set[tuple[str, str]] = set()
    for line, row in enumerate(reader, start=2):
        clean = {(k or "").strip().casefold(): (v or "").strip() for k, v in row.items()}
        if not clean.get("name"):
            if any(clean.values()):
                raise WorksheetError(f"{path}:{line}: a student without a name; fill in the `name` column")
            continue
        student = Student(clean["name"], clean.get("id", ""))
        if (student.name, student.id) in seen:
            raise WorksheetError(f"{path}:{line}: {student.label} is listed twice; give each student an `id`")
        seen.add((student.name, student.id))
        students.append(student)
    if not students:
        raise WorksheetError(f"{path}: the roster lists no students")
    return students


# -- rendering ------------------------------------------------------------------------


@lru_cache(maxsize=1)
def environment() -> Any:
    """The one jinja2 Environment: packaged templates, autoescape for HTML, StrictUndefined."""
    import jinja2

    from .resources import templates_folder

    folder = templates_folder()

    def load(name: str) -> str | None:
        entry = folder / name
        return entry.read_text(encoding="utf-8") if entry.is_file() else None

    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(load),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2", "xml", "xml.j2")),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["circled"] = circled
    env.filters["fmt"] = fmt
    return env


def _item_context(question: Question, number: int, html: bool) -> dict[str, Any]:
    from markupsafe import Markup

    from .richtext import to_html, to_markdown

    def text(value: str, inline: bool = False) -> Any:
        return Markup(to_html(value, inline)) if html else to_markdown(value)

    options = []
    if isinstance(question, (ChoiceQuestion, MultiQuestion)):
        options = [
            {"mark": circled(n), "text": text(o.text, inline=True)} for n, o in enumerate(question.options, 1)
        ]
    elif isinstance(question, TrueFalseQuestion):
        options = [{"mark": circled(1), "text": "True"}, {"mark": circled(2), "text": "False"}]
    answer = answer_text(question, lambda value: to_html(value, True) if html else to_markdown(value), ", ")
    return {
        "number": number,
        "id": question.id,
        "type": question.type,
        "type_label": TYPE_LABELS[question.type],
        "topic": question.topic,
        "prompt": text(question.prompt.strip()),
        "options": options,
        "answer": Markup(answer) if html else answer,
        "explanation": text(question.explanation.strip()),
        "figure_before": False,
    }


def render(
    worksheet: Worksheet,
    sheet: Sheet,
    *,
    fmt_name: Literal["html", "md"],
    answer_key: bool,
    paper: str = "a4",
) -> str:
    """One sheet as a complete HTML or Markdown document (its key at the end when asked)."""
    html = fmt_name == "html"
    items = [_item_context(q, n, html) for n, q in enumerate(sheet.questions, start=1)]
    if sheet.figure:
        for item in items:
            if item["topic"] in FIGURE_TOPICS:
                item["figure_before"] = True
                break
    template = environment().get_template("worksheet.html.j2" if html else "worksheet.md.j2")
    return str(
        template.render(
            title=sheet.title,
            sheet=sheet,
            label=sheet.label,
            student=sheet.student.label if sheet.student else "",
            seed=sheet.seed,
            worksheet_seed=worksheet.seed,
            items=items,
            total=len(items),
            answer_key=answer_key,
            key_only=False,
            figure=sheet.figure or "",
            paper=paper,
            version=__version__,
            command=worksheet.command,
        )
    )


def render_key(
    worksheet: Worksheet, sheets: Sequence[Sheet], *, fmt_name: Literal["html", "md"], paper: str = "a4"
) -> str:
    """One document holding the answer keys of several sheets (the combined roster key)."""
    html = fmt_name == "html"
    template = environment().get_template("key.html.j2" if html else "key.md.j2")
    return str(
        template.render(
            title=worksheet.title,
            worksheet_seed=worksheet.seed,
            keys=[
                {
                    "label": s.student.label if s.student else s.label,
                    "seed": s.seed,
                    "entries": [_item_context(q, n, html) for n, q in enumerate(s.questions, start=1)],
                }
                for s in sheets
            ],
            paper=paper,
            version=__version__,
            command=worksheet.command,
        )
    )
