"""What every exporter receives: bank questions, and for each generator a group of variants."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..generators import Generator
from ..loader import QuestionBank
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
