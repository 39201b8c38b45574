"""Printable worksheets: which questions, which variants for whom, and rendering through jinja2.

A worksheet is planned once (its skills: bank questions and generators, topics
interleaved) and then made into one or more :class:`Sheet`s: versions A, B, C
or one per student. Every sheet covers the same skills with its own variants and
option orders, drawn from a seed derived from the worksheet seed and the sheet's
label, so any sheet can be made again from what its footer prints.

Versions are parallel: question k of every sheet comes from the same bank question
or generator, and a generated question k asks the same kind of question (the same
type and the same question sentence, :func:`variant_kind`) with its own numbers.

Rendering is a pure function of sheets -> text, through the templates in
`templates/` (one jinja2 Environment, autoescaped for HTML, StrictUndefined). The
answer key goes to its own file unless it is asked for inline.
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
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, assert_never
from urllib.parse import quote

from ._version import __version__
from .bank import QuestionBank, Skill, interleave, prepare, shuffle_options, skills_of
from .errors import QuizgenError, did_you_mean
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
from .precision import decimal_text, marking
from .richtext import markdown_code, markdown_text
from .textview import circled, type_label

Source = Literal["mixed", "bank", "generators"]
Marks = int | Literal["difficulty"]
"""Marks per question: the same number for each, or its difficulty (1, 2 or 3)."""
FIGURE_TOPICS = frozenset({"vanishing", "exploding"})
FIGURE_QUESTION_ID = "figure-1"
PARALLEL_TRIES = 64
"""Draws of a generator tried for a later version's question k before settling for a looser match."""
MAX_MARKS = 100


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
    marks: list[int] = field(default_factory=list)
    """Marks of each question, in order; empty: one mark each."""
    figure_at: int | None = None
    """The index of the question about the figure (printed right after it); None: the first question
    on the figure's topics."""
    figure_file: str | None = None
    """The figure's SVG file, next to a Markdown sheet (Markdown cannot hold the SVG itself)."""

    @property
    def heading(self) -> str:
        """What heads the sheet: the student (name and id), or ``Version A``."""
        return self.student.label if self.student is not None else f"Version {self.label}"

    def marks_of(self, index: int) -> int:
        return self.marks[index] if index < len(self.marks) else 1

    @property
    def total_marks(self) -> int:
        return sum(self.marks_of(i) for i in range(len(self.questions)))

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


def skill_difficulty(bank: QuestionBank, skill: Skill) -> int:
    """A bank question's difficulty, or the difficulty a generator gives its variants."""
    if skill.kind == "generator":
        return bank.generators[skill.id].difficulty
    return bank.get(skill.id).difficulty


def plan_skills(
    bank: QuestionBank,
    topics: Sequence[str],
    count: int,
    seed: int,
    source: Source = "mixed",
    difficulties: frozenset[int] = frozenset(),
    exclude: frozenset[str] = frozenset(),
) -> list[Skill]:
    """The worksheet's skills: about half generators in the default mix, topics interleaved.

    ``difficulties`` (empty: any) keeps the skills of those difficulties; ``exclude`` leaves out
    skills already on the sheet (chosen by id).
    """
    rng = random.Random(seed)
    pool = [s for s in skills_of(bank, topics) if s.id not in exclude]
    if difficulties:
        pool = [s for s in pool if skill_difficulty(bank, s) in difficulties]
    questions = [s for s in pool if s.kind == "question"]
    generators = [s for s in pool if s.kind == "generator"]
    if source == "bank":
        generators = []
    elif source == "generators":
        questions = []
    if not questions and not generators:
        what = {"bank": "questions", "generators": "generators"}.get(source, "questions or generators")
        if difficulties:
            levels = " or ".join(str(d) for d in sorted(difficulties))
            raise WorksheetError(
                f"no {what} of difficulty {levels} match the chosen topics; choose other difficulties, "
                "topics or another source",
                parameter="difficulty",
            )
        raise WorksheetError(
            f"no {what} match the chosen topics; choose other topics or another source",
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


def skills_by_id(bank: QuestionBank, ids: Sequence[str]) -> list[Skill]:
    """The skills named by id (bank questions or generators), in the order given."""
    skills: list[Skill] = []
    seen: set[str] = set()
    known = [*(q.id for q in bank.questions), *bank.generators]
    for name in ids:
        if name in bank:
            if name in seen:
                raise WorksheetError(
                    f"the question {name!r} is named twice; a bank question appears once on a sheet "
                    "(name a generator twice for two of its variants)",
                    parameter="id",
                )
            skills.append(Skill(name, bank.get(name).topic, "question"))
        elif name in bank.generators:
            skills.append(Skill(name, bank.generators[name].topic, "generator"))
        else:
            raise WorksheetError(
                f"no question or generator has the id {name!r}{did_you_mean(name, known)}; "
                "`quizgen list --questions` lists them",
                parameter="id",
            )
        seen.add(name)
    return skills


def choose_skills(bank: QuestionBank, request: WorksheetRequest) -> list[Skill]:
    """What goes on the sheet: the ``ids`` in their order, then (up to ``count``) skills planned from
    the topics, difficulties and source; without ids, ``count`` planned skills (10 by default)."""
    chosen = skills_by_id(bank, request.ids)
    count = request.count if request.count is not None else (len(chosen) or DEFAULT_COUNT)
    if count < len(chosen):
        raise WorksheetError(
            f"{len(chosen)} questions are named by id but only {count} asked for; ask for {len(chosen)} "
            "or more (the rest are chosen from the topics)",
            parameter="count",
        )
    if count == len(chosen):
        return chosen
    planned = plan_skills(
        bank,
        request.topics,
        count - len(chosen),
        request.seed,
        request.source,
        frozenset(request.difficulties),
        exclude=frozenset(s.id for s in chosen if s.kind == "question"),
    )
    return [*chosen, *planned]


def parse_difficulties(values: Sequence[str]) -> tuple[int, ...]:
    """``("1", "2-3")`` -> ``(1, 2, 3)``: each value a difficulty 1, 2 or 3, or a range ``low-high``."""
    found: set[int] = set()
    for value in values:
        text = value.strip()
        match = re.fullmatch(r"([123])(?:\s*(?:-|\.\.)\s*([123]))?", text)
        if match is None:
            raise WorksheetError(
                f"difficulty {value!r} is not 1, 2, 3 or a range such as 1-2", parameter="difficulty"
            )
        low = int(match.group(1))
        high = int(match.group(2) or low)
        if low > high:
            raise WorksheetError(
                f"difficulty range {value!r} runs backwards; write {high}-{low}", parameter="difficulty"
            )
        found.update(range(low, high + 1))
    return tuple(sorted(found))


def parse_marks(value: str) -> Marks:
    """``"2"`` -> 2 marks a question; ``"difficulty"`` -> as many marks as the question's difficulty."""
    text = value.strip().lower()
    if text == "difficulty":
        return "difficulty"
    if text.isdigit() and 1 <= int(text) <= MAX_MARKS:
        return int(text)
    raise WorksheetError(
        f"marks {value!r} is neither a whole number from 1 to {MAX_MARKS} nor 'difficulty'", parameter="marks"
    )


def question_marks(question: Question, marks: Marks) -> int:
    return question.difficulty if marks == "difficulty" else marks


def sheet_seed(worksheet_seed: int, label: str) -> int:
    """A sheet's own seed, derived from the worksheet seed and its label (stable everywhere)."""
    digest = hashlib.sha256(f"quizgen-sheet:{worksheet_seed}:{label}".encode()).digest()
    return int.from_bytes(digest[:4], "big")


_MATH_OR_CODE = re.compile(r"\$\$.*?\$\$|\$[^$]*\$|`[^`]*`", re.DOTALL)
_NUMBER_WORD = re.compile(r"\d+(?:[.,]\d+)*")
_SENTENCE_END = re.compile(r"(?<=[.?!:])\s+")


def variant_kind(question: Question) -> tuple[str, str]:
    """What kind of question a variant asks: its type and its question sentence, with the maths,
    code and numbers blanked (``What is the variance § of the weights?``).

    Two variants of one generator with equal kinds ask the same thing of other numbers; parallel
    versions put variants of one kind in the same place.
    """
    text = _NUMBER_WORD.sub("#", _MATH_OR_CODE.sub("§", question.prompt)).strip()
    sentences = _SENTENCE_END.split(text)
    asking = [s for s in sentences if "?" in s]
    return question.type, (asking[-1] if asking else sentences[-1])


def make_sheet(
    bank: QuestionBank,
    title: str,
    skills: list[Skill],
    seed: int,
    label: str,
    *,
    kinds: Sequence[tuple[str, str]] | None = None,
    **extra: Any,
) -> Sheet:
    """One sheet of ``skills`` drawn from its own seed.

    ``kinds`` (from :func:`variant_kind` of the first sheet's questions) makes the sheet parallel
    to that one: a generator's question k is drawn again until it is of kind ``kinds[k]`` (at most
    :data:`PARALLEL_TRIES` draws), or else of the same type.
    """
    rng = random.Random(seed)
    questions: list[Question] = []
    for index, skill in enumerate(skills):
        if kinds is None or skill.kind != "generator":
            questions.append(prepare(bank, skill, rng))
            continue
        wanted = kinds[index]
        generator = bank.generators[skill.id]
        drawn = [generator.make(rng.getrandbits(32))]
        while variant_kind(drawn[-1]) != wanted and len(drawn) < PARALLEL_TRIES:
            drawn.append(generator.make(rng.getrandbits(32)))
        same_type = [q for q in drawn if q.type == wanted[0]]
        questions.append(drawn[-1] if variant_kind(drawn[-1]) == wanted else (same_type or drawn)[0])
    return Sheet(title, label, seed, questions, skills, **extra)


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


def option_label(number: int) -> str:
    """a, b, ..., z, aa, ab, ...: how a sheet letters its options (the key names them the same way)."""
    return version_labels(number)[-1].lower()


def _number_html(number: Decimal) -> str:
    """A number as the sheet's text sets it: ``0.0604``, or ``3.66 × 10<sup>−5</sup>`` (never ``3.66e-5``)."""
    text = decimal_text(number, style="plain").replace("-", "\u2212")
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}\u00a0\u00d7\u00a010<sup>{exponent}</sup>"
    return f'<span class="num">{text}</span>'


def _numeric_answer(question: NumericQuestion, html: bool) -> str:
    """The answer written as the prompt asks, the form asked for, and the accepted range."""
    marked = marking(question)

    def number(value: Decimal) -> str:
        return _number_html(value) if html else decimal_text(value, style="unicode")

    notes = []
    if marked.precision is not None:
        notes.append(f"{marked.precision}" if marked.precision.kind != "exact" else "exact")
    if marked.low is not None and marked.high is not None and marked.low != marked.high:
        notes.append(f"accept {number(marked.low)} to {number(marked.high)}")
    shown = number(marked.answer)
    return f"{shown} ({'; '.join(notes)})" if notes else shown


def _answer(question: Question, html: bool) -> tuple[str, str]:
    """The key's answer (HTML or Markdown) and the note beside it (the accepted range, other spellings)."""
    from .richtext import to_html, to_markdown

    def text(value: str) -> str:
        return to_html(value, True) if html else to_markdown(value)

    def option(number: int, value: str) -> str:
        return f"({option_label(number)}) {text(value)}"

    match question:
        case ChoiceQuestion():
            return option(question.answer, question.options[question.answer - 1].text), ""
        case MultiQuestion():
            return "; ".join(option(n, question.options[n - 1].text) for n in sorted(question.answers)), ""
        case TrueFalseQuestion():
            return (option(1, "True") if question.answer else option(2, "False")), ""
        case IntegerQuestion():
            value = Decimal(question.answer)
            return (_number_html(value) if html else str(question.answer)), ""
        case NumericQuestion():
            full = _numeric_answer(question, html)
            main, _, note = full.partition(" (")
            return main, ("(" + note if note else "")
        case TextQuestion():
            also = ", ".join(text(a) for a in question.accept)
            return text(question.answer), (f"(also accepted: {also})" if also else "")
        case _:
            assert_never(question)


def _item_context(question: Question, number: int, html: bool, marks: int = 1) -> dict[str, Any]:
    from markupsafe import Markup

    from .richtext import to_html, to_markdown

    def text(value: str, inline: bool = False) -> Any:
        return Markup(to_html(value, inline)) if html else to_markdown(value)

    options: list[dict[str, Any]]
    match question:
        case ChoiceQuestion() | MultiQuestion():
            options = [
                {"mark": option_label(n), "text": text(o.text, inline=True)}
                for n, o in enumerate(question.options, 1)
            ]
        case TrueFalseQuestion():
            options = [{"mark": option_label(1), "text": "True"}, {"mark": option_label(2), "text": "False"}]
        case IntegerQuestion() | NumericQuestion() | TextQuestion():
            options = []  # answered in the space left for it
        case _:
            assert_never(question)
    answer, note = _answer(question, html)
    return {
        "number": number,
        "id": question.id,
        "type": question.type,
        "type_label": type_label(question.type),
        "topic": question.topic,
        "prompt": text(question.prompt.strip()),
        "options": options,
        "answer": Markup(answer) if html else answer,
        "answer_note": Markup(note) if html else note,
        "explanation": text(question.explanation.strip()),
        "claims": list(question.claims),
        "marks": marks,
        "marks_label": f"{marks} mark{'s' if marks != 1 else ''}",
        "figure_before": False,
    }


FIGURE_CAPTION = (
    "Figure 1. Standard deviation of the activations layer by layer in a 15-layer, 256-unit network, "
    "for five initialisations, with tanh and with ReLU (a seeded simulation)."
)


def _items(sheet: Sheet, html: bool) -> list[dict[str, Any]]:
    items = [_item_context(q, n, html, sheet.marks_of(n - 1)) for n, q in enumerate(sheet.questions, start=1)]
    if sheet.figure and items:
        at = sheet.figure_at
        if at is None:
            at = next((i for i, item in enumerate(items) if item["topic"] in FIGURE_TOPICS), None)
        if at is not None:
            items[at]["figure_before"] = True
    return items


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


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
    items = _items(sheet, html)
    template = environment().get_template("worksheet.html.j2" if html else "worksheet.md.j2")
    return str(
        template.render(
            title=sheet.title,
            sheet=sheet,
            label=sheet.label,
            heading=sheet.heading,
            student=sheet.student.label if sheet.student else "",
            seed=sheet.seed,
            worksheet_seed=worksheet.seed,
            items=items,
            total=len(items),
            questions_label=_plural(len(items), "question"),
            total_marks=sheet.total_marks,
            marks_label=_plural(sheet.total_marks, "mark"),
            answer_key=answer_key,
            key_only=False,
            figure=sheet.figure or "",
            figure_file=sheet.figure_file or "",
            figure_caption=FIGURE_CAPTION,
            paper=paper,
            version=__version__,
            command=worksheet.command,
        )
    )


def render_key(
    worksheet: Worksheet, sheets: Sequence[Sheet], *, fmt_name: Literal["html", "md"], paper: str = "a4"
) -> str:
    """One document holding the answer keys of one or several sheets (a version's key, the roster's)."""
    html = fmt_name == "html"
    template = environment().get_template("key.html.j2" if html else "key.md.j2")
    return str(
        template.render(
            title=worksheet.title,
            worksheet_seed=worksheet.seed,
            keys=[
                {
                    "label": s.heading,
                    "seed": s.seed,
                    "entries": _items(s, html),
                    "questions_label": _plural(len(s.questions), "question"),
                    "marks_label": _plural(s.total_marks, "mark"),
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
DEFAULT_COUNT = 10


def default_key_file(output: Path, suffix: str) -> Path:
    """A single sheet's key beside it: ``sheet.html`` -> ``sheet-key.html``."""
    return output.with_name(f"{output.stem}-key{output.suffix or suffix}")


@dataclass(frozen=True)
class WorksheetRequest:
    """Everything a worksheet run needs: which questions, how many sheets, where they go.

    ``output`` is a file for a single sheet, a folder for ``versions`` or a ``roster``.
    The same request (seed included) always writes byte-identical files.
    """

    output: Path
    seed: int
    topics: tuple[str, ...] = ()
    count: int | None = None
    """Questions per sheet; None: as many as ``ids`` name, or 10."""
    fmt: Literal["html", "md"] | None = None
    """None: Markdown when ``output`` ends in .md or .markdown, else HTML."""
    versions: int | None = None
    roster: Path | None = None
    answer_key: bool = True
    key_file: Path | None = None
    """Where a single sheet's key goes (default: beside it, ``sheet-key.html``)."""
    key_inline: bool = False
    """The key at the end of each sheet (after a page break) instead of in its own file."""
    title: str = DEFAULT_TITLE
    figures: bool = False
    source: Source = "mixed"
    paper: Literal["a4", "letter"] = "a4"
    ids: tuple[str, ...] = ()
    """Bank questions and generators by id, first on the sheet and in this order."""
    difficulties: tuple[int, ...] = ()
    """Only questions of these difficulties (empty: any) among those chosen from the topics."""
    marks: Marks = 1

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
        import shlex

        parts = ["quizgen worksheet", f"--seed {self.seed}"]
        if self.count is not None or not self.ids:
            parts.append(f"--count {self.count if self.count is not None else DEFAULT_COUNT}")
        parts += [f"--id {shlex.quote(i)}" for i in self.ids]
        parts += [f"--topic {shlex.quote(t)}" for t in self.topics]
        parts += [f"--difficulty {d}" for d in self.difficulties]
        if self.marks != 1:
            parts.append(f"--marks {self.marks}")
        if self.versions:
            parts.append(f"--versions {self.versions}")
        if self.roster:
            parts.append(f"--roster {shlex.quote(self.roster.name)}")
        if self.source != "mixed":
            parts.append(f"--source {self.source}")
        if self.figures:
            parts.append("--figures")
        if self.title != DEFAULT_TITLE:
            parts.append(f"--title {shlex.quote(self.title)}")
        return " ".join(parts)

    def problem(self) -> str | None:
        """Why this request cannot be met as asked, or None."""
        if self.versions and self.roster:
            return "ask for versions or a roster, not both"
        if self.key_file is not None and (self.versions or self.roster):
            return "a separate key file is for a single sheet; versions and roster sheets get their own key files"
        if self.key_file is not None and self.key_inline:
            return "ask for the key in its own file or inline (at the end of the sheet), not both"
        return None


def _figure_parts(
    request: WorksheetRequest, skills: list[Skill]
) -> tuple[str | None, Question | None, list[Skill]]:
    """The figure (SVG), the question about it, and the skills left beside it.

    The figure comes with sheets that have a question on vanishing or exploding signals. Its
    question takes the place of the last skill chosen from the topics, so that ``count`` stays the
    number of questions; on a sheet of questions named by id it comes in addition.
    """
    if not request.figures or not any(s.topic in FIGURE_TOPICS for s in skills):
        return None, None, skills
    from .figures import SIMULATION_BATCH, SIMULATION_LAYERS, SIMULATION_WIDTH, figure_question, render_svg
    from .simulation import simulate

    series = simulate(request.seed, layers=SIMULATION_LAYERS, width=SIMULATION_WIDTH, batch=SIMULATION_BATCH)
    svg = render_svg(series, seed=request.seed, width=SIMULATION_WIDTH, batch=SIMULATION_BATCH)
    question = figure_question(series, seed=request.seed, question_id=FIGURE_QUESTION_ID)
    planned = len(skills) - len(request.ids)
    if planned > 1 or (planned == 1 and skills[-1].topic not in FIGURE_TOPICS):
        skills = skills[:-1]
    return svg, question, skills


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
    skills = choose_skills(bank, request)
    students = read_roster(request.roster) if request.roster else None
    figure, figure_q, skills = _figure_parts(request, skills)
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
    separate_keys = request.answer_key and not request.key_inline
    plan = plan_files([label for label, _ in labels], students, suffix, separate_keys)
    targets = [output / name for name in plan.names()] if several else [output]
    key_file = None
    if not several and separate_keys:
        key_file = request.key_file or default_key_file(output, suffix)
        targets.append(key_file)
    figure_path = None
    if figure is not None and fmt_name == "md":  # Markdown links the figure: an SVG file beside the sheets
        figure_path = output / "figure-1.svg" if several else output.with_name(f"{output.stem}-figure-1.svg")
        targets.append(figure_path)
    check_distinct(targets)
    if several:
        output.mkdir(parents=True, exist_ok=True)
    elif output.parent and not output.parent.exists():
        output.parent.mkdir(parents=True, exist_ok=True)

    written: list[Path] = []

    def put(path: Path, text: str) -> None:
        write_atomic(path, text)
        written.append(path)

    if figure_path is not None and figure is not None:
        put(figure_path, figure)
    # where the figure's question goes: before the first question on the figure's topics
    figure_at = next((i for i, s in enumerate(skills) if s.topic in FIGURE_TOPICS), 0)
    sheets: list[Sheet] = []
    kinds: list[tuple[str, str]] | None = None
    for index, (label, student) in enumerate(labels):
        seed = sheet_seed(request.seed, label)
        sheet = make_sheet(
            bank,
            request.title,
            skills,
            seed,
            label if student is None else student.name,
            kinds=kinds,
            student=student,
            figure=figure,
            figure_file=quote(figure_path.name) if figure_path is not None else None,
        )
        if kinds is None:  # later sheets are parallel to the first
            kinds = [variant_kind(q) for q in sheet.questions]
        if figure_q is not None:
            sheet.questions.insert(figure_at, shuffle_options(figure_q, random.Random(seed)))
            sheet.skills = [
                *skills[:figure_at],
                Skill(FIGURE_QUESTION_ID, figure_q.topic, "question"),
                *skills[figure_at:],
            ]
            sheet.figure_at = figure_at
        sheet.marks = [question_marks(q, request.marks) for q in sheet.questions]
        sheets.append(sheet)
        inline = request.answer_key and request.key_inline
        if not several:
            put(output, render(document, sheet, fmt_name=fmt_name, answer_key=inline, paper=paper))
            if key_file is not None:
                put(key_file, render_key(document, [sheet], fmt_name=fmt_name, paper=paper))
        else:
            put(
                output / plan.sheets[index],
                render(document, sheet, fmt_name=fmt_name, answer_key=inline, paper=paper),
            )
            own_key = plan.keys[index]
            if own_key is not None:
                put(output / own_key, render_key(document, [sheet], fmt_name=fmt_name, paper=paper))
        if on_sheet is not None:
            on_sheet(index + 1, len(labels))
    if plan.combined_key is not None:
        put(output / plan.combined_key, render_key(document, sheets, fmt_name=fmt_name, paper=paper))
    return written
