"""What every exporter receives: bank questions, and for each generator a lazy group of variants.

An :class:`ExportSet` holds no generated question: a :class:`VariantGroup` is a generator,
a count and a seed, and a writer draws a group's variants when it reaches that group
(``for question in group`` streams them; ``group.variants`` builds that group's list,
to be taken once and dropped). Memory therefore stays flat in the number of variants.
:func:`~quizgen.exporters.write_export` streams a format into an atomic file and returns an
:class:`ExportReport` of what it wrote.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..bank import QuestionBank
from ..errors import QuizgenError
from ..generators import Generator
from ..generators.base import GeneratorError
from ..models import Misconception, Question, Topic


@dataclass(frozen=True)
class VariantGroup:
    """``count`` distinct variants of one generator, drawn from ``seed`` when they are read (an LMS
    draws one per student).

    ``count`` is known without building anything: what was asked, capped at the generator's space
    (``asked`` is what was asked). The variants are the same on every read.
    """

    generator: Generator
    count: int
    seed: int = 0
    asked: int | None = None

    @property
    def id(self) -> str:
        return self.generator.id

    @property
    def topic(self) -> str:
        return self.generator.topic

    @property
    def capped(self) -> bool:
        """Whether the generator has fewer distinct variants than were asked."""
        return self.asked is not None and self.count < self.asked

    @property
    def variants(self) -> list[Question]:
        """The group's variants, built now: each read builds them again, so take them once and drop them."""
        return self.generator.variants(self.count, self.seed)

    def __iter__(self) -> Iterator[Question]:
        """The variants one at a time (nothing is kept)."""
        return self.generator.iter_variants(self.count, self.seed)

    def __len__(self) -> int:
        return self.count


@dataclass
class ExportSet:
    """Bank questions and variant groups, with what a writer needs to name them.

    ``topics`` are the topics of the chosen bank questions and generators, in bank order (what
    the export is about; computed without building a variant). A variant may name another topic
    of the bank than its generator's (``activation-choice`` makes Xavier variants under ``he``,
    ``depth-scaling`` exploding ones under ``vanishing``): :meth:`topic` finds those in
    ``known_topics``, every topic of the bank.
    """

    title: str
    questions: list[Question]
    groups: list[VariantGroup]
    topics: dict[str, Topic]
    misconceptions: dict[str, Misconception] = field(default_factory=dict)
    seed: int = 0
    notes: list[str] = field(default_factory=list)
    """What was capped or left out while building the set (a line each, for people)."""
    known_topics: dict[str, Topic] = field(default_factory=dict)
    mode: str = "drill"
    """The practice page and SCORM package: one question at a time (``drill``) or the whole set (``quiz``)."""
    pass_mark: int | None = None
    """The practice page and SCORM package: the percentage that passes (SCORM's ``masteryscore``);
    None: finishing the set completes it."""

    def topic(self, topic_id: str) -> Topic | None:
        """The topic with this id, among the set's topics or any other of the bank's."""
        return self.topics.get(topic_id) or self.known_topics.get(topic_id)

    @property
    def variant_count(self) -> int:
        return sum(g.count for g in self.groups)

    @property
    def empty(self) -> bool:
        """Whether there is nothing to write: no bank question and no variant."""
        return not self.questions and not self.variant_count

    def all_questions(self) -> list[Question]:
        """Every question, variants built: for tests and small sets only (writers stream the groups)."""
        return [*self.questions, *(q for g in self.groups for q in g.variants)]


def build_export_set(
    bank: QuestionBank,
    *,
    topics: Sequence[str] = (),
    variants: int = 10,
    seed: int = 0,
    title: str = "quizgen: weight initialisation",
    include_questions: bool = True,
) -> ExportSet:
    """Bank questions of the chosen topics, and `variants` distinct variants of each of their generators.

    No topics means every topic but the extensions beyond the chapter (as in drills and
    worksheets). No variant is built here, except for a bank template whose space cannot be
    counted: its variants are drawn once (and dropped) to learn how many it really has.

    A generator with fewer distinct variants than asked contributes all it has; a bank template
    that makes none is left out. Both are said in ``notes``. When a template was left out and
    nothing else is left to export, its error is raised.
    """
    wanted = set(topics) or bank.default_topics()
    questions = [q for q in bank.questions if q.topic in wanted] if include_questions else []
    groups: list[VariantGroup] = []
    notes: list[str] = []
    left_out: list[GeneratorError] = []
    for generator in bank.generators.values():
        if generator.topic not in wanted or variants <= 0:
            continue
        count, problem = _available(generator, variants, seed)
        if not count:
            assert problem is not None
            left_out.append(problem)
            notes.append(f"{problem}; it is left out")
            continue
        if problem is not None and not _too_few(problem):
            notes.append(f"{problem}; the {_plural(count, 'variant')} drawn before it are exported")
        elif count < variants:
            notes.append(
                f"{generator.id} has only {_plural(count, 'distinct variant')}; all of them are exported"
            )
        groups.append(VariantGroup(generator, count, seed, asked=variants))
    if left_out and not questions and not groups:
        raise left_out[0]
    used = {q.topic for q in questions} | {g.topic for g in groups}
    return ExportSet(
        title=title,
        questions=questions,
        groups=groups,
        topics={k: v for k, v in bank.topics.items() if k in used},
        misconceptions=bank.misconceptions,
        seed=seed,
        notes=notes,
        known_topics=bank.topics,
    )


def _available(generator: Generator, asked: int, seed: int) -> tuple[int, GeneratorError | None]:
    """How many of ``asked`` distinct variants the generator gives, and what stopped it short.

    A known space caps the count; a bank template whose space cannot be counted is drawn (each
    variant dropped at once) until it gives ``asked`` variants, runs out of distinct ones, or fails
    to make one (drawing is reproducible: the writers then draw the same variants and stop there).
    """
    space = generator.space_size
    if space is not None:
        if space == 0:
            return 0, GeneratorError(f"template {generator.id!r}: no parameter set meets the constraints")
        return min(asked, space), None
    if generator.origin == "built in":  # trusted: built-ins are tested over their whole space
        return asked, None
    found = 0
    try:
        for _ in generator.iter_variants(asked, seed):
            found += 1
    except GeneratorError as exc:
        return found, exc
    return found, None


def _too_few(problem: GeneratorError) -> bool:
    """Whether the generator ran out of distinct variants (rather than failing to make one)."""
    return "distinct variant" in str(problem)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


# -- writing a file ---------------------------------------------------------------------


class NothingToExportError(QuizgenError):
    """The export set holds no bank question and no variant."""


@dataclass(frozen=True)
class ExportReport:
    """What :func:`~quizgen.exporters.write_export` wrote."""

    path: Path
    format: str
    questions: int
    """Bank questions written."""
    variants: dict[str, int]
    """Generator id -> variants written, in the order of the file."""
    notes: tuple[str, ...] = ()
    """What was capped or left out (``ExportSet.notes``)."""

    @property
    def variant_count(self) -> int:
        return sum(self.variants.values())

    def summary(self) -> str:
        """One line for people: ``wrote PATH: N bank questions and M variants of G generators``."""
        return (
            f"wrote {self.path}: {self.questions} bank questions and "
            f"{self.variant_count} variants of {len(self.variants)} generators"
        )


# -- text every writer can hold -------------------------------------------------------

_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""What XML 1.0's ``Char`` production leaves out: C0 controls but tab, LF and CR; surrogates; U+FFFE, U+FFFF."""
_SURROGATES = re.compile("[\ud800-\udfff]")


def xml_safe(text: str) -> str:
    """The text with every character XML 1.0 forbids shown as U+FFFD, so that the document stays well-formed.

    Banks may not hold such characters (validation refuses them); a title from the
    command line may (``--title $'\\xff'`` arrives as a lone surrogate).
    """
    if text.isprintable():  # a quick test: no control character, surrogate, U+FFFE or U+FFFF
        return text
    return _XML_FORBIDDEN.sub("\ufffd", text)


def xml_comment(text: str) -> str:
    """Text for inside ``<!-- ... -->``: XML-safe, no ``--`` and no ``-`` at the end (both end a comment)."""
    text = xml_safe(text)
    while "--" in text:
        text = text.replace("--", "- -")
    return text + " " if text.endswith("-") else text


ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)
"""Every zip entry's time: the same export gives the same bytes whenever it is made."""


def zip_info(name: str, level: int | None = None) -> zipfile.ZipInfo:
    """A deflated zip entry that gives the same bytes on every platform and at every time: a fixed
    timestamp, Unix as the system, mode 0644; ``level`` is zlib's (None: its default)."""
    info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
    info.compress_type = zipfile.ZIP_DEFLATED
    if level is not None:
        info._compresslevel = level  # type: ignore[attr-defined, unused-ignore]  # what writestr(compresslevel=) sets
    info.create_system = 3
    info.external_attr = 0o644 << 16
    return info


def utf8(text: str) -> bytes:
    """The text in UTF-8; a lone surrogate (an undecodable byte of a command-line argument) becomes U+FFFD."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATES.sub("\ufffd", text).encode("utf-8")


# -- what every LMS export shares: short-answer forms, numbers, the export's label --------

SEPARATORS = (" ", "-", "_", "  ")
"""What may stand between two words of a short answer, as quizgen's grader reads them alike
(``grading.normalise_text``: '-' and '_' are spaces, a run of spaces is one)."""
ENDINGS = ("", ".")
"""A short answer's ending: nothing, or the full stop quizgen's grader ignores."""
FORMS_CAP = 64
"""At most this many accepted forms per short-answer question in Moodle, GIFT and Canvas."""

_GAPS = re.compile(r"[-_\s]+")


@dataclass(frozen=True)
class ShortAnswerForms:
    """The accepted forms an LMS that compares strings (case-insensitively, nothing else) needs so
    that it grades a short answer as quizgen does, and what the cap left out."""

    forms: tuple[str, ...]
    left_out: int = 0
    """Combinations of separators and ending beyond :data:`FORMS_CAP` (not exported)."""

    @property
    def complete(self) -> bool:
        return not self.left_out

    def note(self, question_id: str) -> str:
        """One line saying what the cap left out (empty when nothing was)."""
        if self.complete:
            return ""
        return (
            f"{question_id}: {len(self.forms)} accepted forms exported, {self.left_out} more mixes of "
            "separators left out (each form is exported as written, with one separator throughout, and "
            "with a final full stop)"
        )


def _words(form: str) -> list[str]:
    """The words of a form as quizgen's grader compares them, in their own case: '-', '_' and spaces
    separate words, and a final full stop or separator is dropped."""
    text = unicodedata.normalize("NFC", form)
    return " ".join(_GAPS.sub(" ", text).split()).rstrip(". ").split(" ")


def short_answer_forms(
    forms: Sequence[str], same: Callable[[str], str] | None = None, cap: int = FORMS_CAP
) -> ShortAnswerForms:
    """Each accepted form as written (and with a final full stop), then every way of writing it with
    another separator (space,
    hyphen, underscore, two spaces) at each gap between its words and with or without a final
    full stop, first with one separator throughout, then mixed; at most ``cap`` forms, told apart
    ignoring case (Moodle's short answer ignores case).

    ``same`` (quizgen's ``grading.normalise_text``) checks each form made: one it would not read as
    an accepted form is never exported.
    """
    if same is None:
        from ..grading import normalise_text as same
    assert same is not None
    accepted = {same(form) for form in forms}
    chosen: dict[str, str] = {}
    left_out = 0

    def offer(candidate: str) -> None:
        nonlocal left_out
        key = candidate.casefold()
        if key in chosen or not candidate or same(candidate) not in accepted:
            return
        if len(chosen) >= cap:
            left_out += 1
            return
        chosen[key] = candidate

    written = [form.strip() for form in forms]
    for form in written:
        offer(form)
    for form in written:
        for ending in ENDINGS[1:]:
            offer(form + ending)
    split = [_words(form) for form in written]
    for words in split:  # one separator throughout
        for separator in SEPARATORS:
            for ending in ENDINGS:
                offer(separator.join(words) + ending)
    for words in split:  # mixed
        gaps = len(words) - 1
        for separators in itertools.product(SEPARATORS, repeat=gaps):
            if len(set(separators)) < 2:
                continue
            text = words[0] + "".join(s + w for s, w in zip(separators, words[1:], strict=True))
            for ending in ENDINGS:
                offer(text + ending)
    return ShortAnswerForms(tuple(chosen.values()), left_out)


def moodle_pattern(form: str) -> str:
    """A form as a Moodle short answer pattern: a ``*`` is a wildcard there, so it is written ``\\*``."""
    return form.replace("*", "\\*")


def person_number(value: float | int) -> str:
    """A number as a person writes it, positional (no exponent): the shortest decimal that gives the
    same float; or, when that takes 16 or 17 digits only because of float noise
    (``0.0010000000000000009``, ``0.0009765624999999983``), the number of at most 10 significant
    digits within 1e-14 of it (``0.001``, ``0.0009765625``)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    value = float(value)
    number = Decimal(repr(value))
    if len(number.as_tuple().digits) >= 16 and value:
        for digits in range(1, 11):
            rounded = f"{value:.{digits}e}"
            if abs(float(rounded) - value) <= 1e-14 * abs(value):
                number = Decimal(rounded)
                break
    return decimal_plain(number)


def decimal_plain(number: Decimal) -> str:
    """A Decimal positional, without trailing zeros: ``0.0000099``, ``1460``, ``0``."""
    text = format(number.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


_EXACT = 80


def tolerance_width(answer: float, tolerance: float, kind: str) -> Decimal:
    """A tolerance as an absolute width around ``answer``, exact in decimal (the product of the
    numbers the bank wrote): what quizgen accepts is ``answer ± width``."""
    from decimal import Context

    width = Decimal(repr(float(tolerance)))
    if kind == "relative":
        width = Context(prec=_EXACT).multiply(width, abs(Decimal(repr(float(answer)))))
    return width


def export_digest(data: ExportSet) -> str:
    """8 hex digits of SHA-256 of what the export holds: quizgen's version, the seed, every bank
    question, and each generator (its definition and number of variants). Known before any variant
    is drawn; the same export gives the same digest, a changed bank or version another."""
    from .._version import __version__

    digest = hashlib.sha256(f"quizgen {__version__}\x1fseed {data.seed}".encode())
    for question in data.questions:
        try:
            text = question.model_dump_json()
        except ValueError:  # a lone surrogate (a question built without validation): JSON refuses it
            text = repr(question.model_dump())
        digest.update(b"\x1e" + text.encode("utf-8", "surrogatepass"))
    for group in data.groups:
        g = group.generator
        origin = g.origin.replace("\\", "/").rsplit("/", 1)[
            -1
        ]  # the file and line, not where it is installed
        definition = (g.id, g.topic, g.title, g.description, g.params, g.difficulty, g.tags, g.claims, origin)
        digest.update(
            f"\x1d{definition!r}\x1f{g.calculated!r}\x1f{group.count}\x1f{group.seed}".encode(
                "utf-8", "surrogatepass"
            )
        )
    return digest.hexdigest()[:8]


def export_label(data: ExportSet) -> str:
    """``<version>-<digest>`` (``0.1.0-85a83c1f``): the name of the category an export's questions go
    under, so that two exports of different content never share one."""
    from .._version import __version__

    return f"{__version__}-{export_digest(data)}"
