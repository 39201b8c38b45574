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
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, assert_never

from ._version import __version__
from .bank import QuestionBank, Skill, interleave, prepare, skills_of
from .errors import QuizgenError
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
from .richtext import markdown_code, markdown_text
from .textview import answer_text, circled, type_label

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
        """The file-name part on its own: the version label (A, B, ...) or the student's id or name.

        Two students' slugs may be equal; :func:`file_stems` makes them distinct.
        """
        if self.student is None:
            return _slug(self.label) or "sheet"
        return _slug(self.student.id or self.student.name).lower() or "student"


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
        raise WorksheetError(
            f"no {'questions' if source == 'bank' else 'generators' if source == 'generators' else 'questions or generators'} "
            "match the chosen topics; choose other topics or another source",
            parameter="source",
        )
    rng.shuffle(questions)
    rng.shuffle(generators)
    # about half generated, but no generator more than twice while bank questions remain
    n_generated = 0 if not generators else (count if not questions else min(count // 2, 2 * len(generators)))
    n_questions = count - n_generated
    if n_questions > len(questions):
        if not generators:
            raise WorksheetError(
                f"only {len(questions)} bank questions match; ask for {len(questions)} or fewer, "
                "or mix in generated variants (the source 'mixed')",
                parameter="count",
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


_SLUG_CHARACTERS = 60
_SLUG_BYTES = 150
"""A file name holds at most 255 bytes; ``sheet-``, a counter and the suffix fit in what is left."""


def _slug(text: str) -> str:
    """A file-name part: the letters, marks and digits of any script, each run of anything else one ``-``.

    File systems accept 王伟 and José; what they do not (``/``, NUL, control
    characters) or what a shell would mind is neither a letter nor a digit. NFC,
    so that a name typed in either Unicode form gives the same file.
    """
    text = unicodedata.normalize("NFC", text)
    kept = "".join(c if unicodedata.category(c)[0] in "LMN" else "-" for c in text)
    slug = re.sub("-+", "-", kept).strip("-")[:_SLUG_CHARACTERS]
    while len(slug.encode("utf-8")) > _SLUG_BYTES:
        slug = slug[:-1]
    return slug.strip("-")


def same_file_key(name: str) -> str:
    """Names that are one file on a case-insensitive or normalising file system (macOS, Windows) agree here."""
    return unicodedata.normalize("NFC", name).casefold()


def file_stems(students: Sequence[Student]) -> list[str]:
    """A distinct file-name part for each student, in roster order: unique by construction.

    The student's id (or, without one, the name) as :attr:`Sheet.slug` writes it;
    when that is taken (``Ann Lee`` and ``Ann-Lee``; two ids that differ only in
    punctuation or case), the id followed by the name, then the first of ``-2``,
    ``-3``, ... that is free. Taken means equal as :func:`same_file_key` compares.
    """
    used: set[str] = set()
    stems: list[str] = []
    for student in students:
        by_id, by_name = _slug(student.id).lower(), _slug(student.name).lower()
        first = by_id or by_name or "student"
        candidates = [first, f"{by_id}-{by_name}"] if by_id and by_name else [first]
        candidates += (f"{first}-{n}" for n in range(2, len(students) + 2))
        stem = next(c for c in candidates if same_file_key(c) not in used)
        used.add(same_file_key(stem))
        stems.append(stem)
    return stems


@dataclass(frozen=True)
class FilePlan:
    """The file names of a run of several sheets (versions or a roster), fixed before any is written."""

    sheets: list[str]
    """One per sheet, in order: ``sheet-A.html``, ``sheet-ann-lee.html``."""
    keys: list[str | None]
    """Each version's own key (``key-A.html``); None for roster sheets, which share one key."""
    combined_key: str | None = None
    """The roster's one key (``key.html``) when there is a key."""

    def names(self) -> list[str]:
        keys = [k for k in self.keys if k is not None]
        return [*self.sheets, *keys, *([self.combined_key] if self.combined_key else [])]


def plan_files(
    labels: Sequence[str], students: Sequence[Student] | None, suffix: str, answer_key: bool
) -> FilePlan:
    """File names for version sheets (``labels``) or roster sheets (``students``), each distinct."""
    if students is not None:
        stems = file_stems(students)
        return FilePlan(
            [f"sheet-{stem}{suffix}" for stem in stems],
            [None] * len(stems),
            f"key{suffix}" if answer_key else None,
        )
    stems = [_slug(label) or "sheet" for label in labels]
    return FilePlan(
        [f"sheet-{stem}{suffix}" for stem in stems],
        [f"key-{stem}{suffix}" if answer_key else None for stem in stems],
    )


def check_distinct(paths: Sequence[Path]) -> None:
    """Refuse, before anything is written, two outputs that would be one file (one would replace the other)."""
    seen: dict[str, Path] = {}
    for path in paths:
        resolved = str(path.resolve())
        key = same_file_key(resolved)
        if key in seen:
            earlier = seen[key]
            if str(earlier.resolve()) == resolved:
                raise WorksheetError(
                    f"{path}: two outputs would be written to this one file (-o and --key-file?), and one "
                    "would replace the other: give each its own name"
                )
            raise WorksheetError(
                f"{earlier} and {path} differ only in letter case, and are one file on macOS and Windows: "
                "give each its own name"
            )
        seen[key] = path


def _roster_delimiter(text: str) -> str:
    """The roster's column separator: a comma, or the semicolon (Excel's CSV in much of Europe) or
    tab that its header line uses instead. Read from the header, outside quotes."""
    header = text.split("\n", 1)[0]
    outside, quoted = [], False
    for character in header:
        if character == '"':
            quoted = not quoted
        elif not quoted:
            outside.append(character)
    counts = {d: outside.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_roster(path: Path) -> list[Student]:
    """Students from a CSV file with a `name` column and an optional `id` column."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise WorksheetError(f"{path}: cannot read the roster ({exc})") from None
    reader = csv.DictReader(io.StringIO(text), delimiter=_roster_delimiter(text))
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
    env.filters["md"] = markdown_text
    env.filters["md_code"] = markdown_code
    return env


def _item_context(question: Question, number: int, html: bool) -> dict[str, Any]:
    from markupsafe import Markup

    from .richtext import to_html, to_markdown

    def text(value: str, inline: bool = False) -> Any:
        return Markup(to_html(value, inline)) if html else to_markdown(value)

    options: list[dict[str, Any]]
    match question:
        case ChoiceQuestion() | MultiQuestion():
            options = [
                {"mark": circled(n), "text": text(o.text, inline=True)}
                for n, o in enumerate(question.options, 1)
            ]
        case TrueFalseQuestion():
            options = [{"mark": circled(1), "text": "True"}, {"mark": circled(2), "text": "False"}]
        case IntegerQuestion() | NumericQuestion() | TextQuestion():
            options = []  # answered in the space left for it
        case _:
            assert_never(question)
    answer = answer_text(question, lambda value: to_html(value, True) if html else to_markdown(value), ", ")
    return {
        "number": number,
        "id": question.id,
        "type": question.type,
        "type_label": type_label(question.type),
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


# -- a whole run: what `quizgen worksheet` does, for any front-end ------------------------

DEFAULT_TITLE = "Weight initialisation"


@dataclass(frozen=True)
class WorksheetRequest:
    """Everything a worksheet run needs: which questions, how many sheets, where they go.

    ``output`` is a file for a single sheet, a folder for ``versions`` or a ``roster``.
    The same request (seed included) always writes byte-identical files.
    """

    output: Path
    seed: int
    topics: tuple[str, ...] = ()
    count: int = 10
    fmt: Literal["html", "md"] | None = None
    """None: Markdown when ``output`` ends in .md or .markdown, else HTML."""
    versions: int | None = None
    roster: Path | None = None
    answer_key: bool = True
    key_file: Path | None = None
    """A single sheet's key in its own file (otherwise it follows the sheet)."""
    title: str = DEFAULT_TITLE
    figures: bool = False
    source: Source = "mixed"
    paper: Literal["a4", "letter"] = "a4"

    @property
    def format(self) -> Literal["html", "md"]:
        if self.fmt is not None:
            return self.fmt
        return "md" if self.output.suffix.lower() in (".md", ".markdown") else "html"

    @property
    def several(self) -> bool:
        """Whether ``output`` is a folder of sheets (versions or a roster) rather than one file."""
        return self.roster is not None or bool(self.versions and self.versions > 1)

    def command(self) -> str:
        """The command that makes these sheets again (printed in every footer)."""
        parts = ["quizgen worksheet", f"--seed {self.seed}", f"--count {self.count}"]
        parts += [f"--topic {t}" for t in self.topics]
        if self.versions:
            parts.append(f"--versions {self.versions}")
        if self.roster:
            parts.append(f"--roster {self.roster.name}")
        if self.source != "mixed":
            parts.append(f"--source {self.source}")
        if self.figures:
            parts.append("--figures")
        if self.title != DEFAULT_TITLE:
            import shlex

            parts.append(f"--title {shlex.quote(self.title)}")
        return " ".join(parts)

    def problem(self) -> str | None:
        """Why this request cannot be met as asked, or None."""
        if self.versions and self.roster:
            return "ask for versions or a roster, not both"
        if self.key_file is not None and (self.versions or self.roster):
            return "a separate key file is for a single sheet; versions and roster sheets get their own key files"
        return None


def write_worksheets(
    bank: QuestionBank,
    request: WorksheetRequest,
    on_sheet: Callable[[int, int], None] | None = None,
) -> list[Path]:
    """Plan, make, render and write every sheet and key of ``request``; the files written, in order.

    Every file's name is fixed and checked before any is written (two sheets never share
    one), and each is written atomically. ``on_sheet(done, total)`` follows progress.
    Raises :class:`WorksheetError` for a request that cannot be met; OSError when a
    folder cannot be made.
    """
    from .outputs import write_atomic

    problem = request.problem()
    if problem is not None:
        raise WorksheetError(problem)
    skills = plan_skills(bank, request.topics, request.count, request.seed, request.source)
    students = read_roster(request.roster) if request.roster else None
    figure = None
    if request.figures and any(s.topic in FIGURE_TOPICS for s in skills):
        from .figures import activation_std_svg

        figure = activation_std_svg(seed=request.seed)
    document = Worksheet(request.title, request.seed, skills, command=request.command())
    labels: list[tuple[str, Student | None]]
    if students is not None:
        labels = [(s.label, s) for s in students]
    elif request.versions:
        labels = [(label, None) for label in version_labels(request.versions)]
    else:
        labels = [("A", None)]
    fmt_name, output, paper = request.format, request.output, request.paper
    suffix = ".md" if fmt_name == "md" else ".html"
    several = request.several or len(labels) > 1
    plan = plan_files([label for label, _ in labels], students, suffix, request.answer_key)
    targets = [output / name for name in plan.names()] if several else [output]
    separate_key = request.answer_key and request.key_file is not None
    if not several and separate_key:
        targets.append(request.key_file)  # type: ignore[arg-type]
    check_distinct(targets)
    if several:
        output.mkdir(parents=True, exist_ok=True)
    elif output.parent and not output.parent.exists():
        output.parent.mkdir(parents=True, exist_ok=True)

    written: list[Path] = []

    def put(path: Path, text: str) -> None:
        write_atomic(path, text)
        written.append(path)

    sheets: list[Sheet] = []
    for index, (label, student) in enumerate(labels):
        sheet = make_sheet(
            bank,
            request.title,
            skills,
            sheet_seed(request.seed, label),
            label if student is None else student.name,
            student=student,
            figure=figure,
        )
        sheets.append(sheet)
        if not several:
            inline_key = request.answer_key and not separate_key
            put(output, render(document, sheet, fmt_name=fmt_name, answer_key=inline_key, paper=paper))
            if separate_key:
                put(request.key_file, render_key(document, [sheet], fmt_name=fmt_name, paper=paper))  # type: ignore[arg-type]
        else:
            put(
                output / plan.sheets[index],
                render(document, sheet, fmt_name=fmt_name, answer_key=False, paper=paper),
            )
            own_key = plan.keys[index]
            if own_key is not None:
                put(output / own_key, render_key(document, [sheet], fmt_name=fmt_name, paper=paper))
        if on_sheet is not None:
            on_sheet(index + 1, len(labels))
    if plan.combined_key is not None:
        put(output / plan.combined_key, render_key(document, sheets, fmt_name=fmt_name, paper=paper))
    return written
