"""What every exporter receives: bank questions, and for each generator a lazy group of variants.

An :class:`ExportSet` holds no generated question: a :class:`VariantGroup` is a generator,
a count and a seed, and a writer draws a group's variants when it reaches that group
(``for question in group`` streams them; ``group.variants`` builds that group's list,
to be taken once and dropped). Memory therefore stays flat in the number of variants.
:func:`~quizgen.exporters.write_export` streams a format into an atomic file and returns an
:class:`ExportReport` of what it wrote.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
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


def utf8(text: str) -> bytes:
    """The text in UTF-8; a lone surrogate (an undecodable byte of a command-line argument) becomes U+FFFD."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATES.sub("\ufffd", text).encode("utf-8")
