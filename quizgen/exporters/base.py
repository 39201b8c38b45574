"""What every exporter receives: bank questions, and for each generator a group of variants."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..bank import QuestionBank
from ..generators import Generator
from ..models import Misconception, Question, Topic


@dataclass
class VariantGroup:
    """N pre-rendered variants of one generator (an LMS draws one per student)."""

    generator: Generator
    variants: list[Question]

    @property
    def id(self) -> str:
        return self.generator.id

    @property
    def topic(self) -> str:
        return self.generator.topic


@dataclass
class ExportSet:
    title: str
    questions: list[Question]
    groups: list[VariantGroup]
    topics: dict[str, Topic]
    misconceptions: dict[str, Misconception] = field(default_factory=dict)
    seed: int = 0

    def all_questions(self) -> list[Question]:
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
    worksheets). A generator with fewer distinct variants than asked contributes all it has.
    """
    wanted = set(topics) or {t.id for t in bank.topics.values() if not t.extension}
    questions = [q for q in bank.questions if q.topic in wanted] if include_questions else []
    groups = []
    for generator in bank.generators.values():
        if generator.topic not in wanted or variants <= 0:
            continue
        count = min(variants, generator.space_size) if generator.space_size else variants
        groups.append(VariantGroup(generator, generator.variants(count, seed)))
    used = {q.topic for q in questions} | {q.topic for g in groups for q in g.variants}
    return ExportSet(
        title=title,
        questions=questions,
        groups=groups,
        topics={k: v for k, v in bank.topics.items() if k in used},
        misconceptions=bank.misconceptions,
        seed=seed,
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
