"""The question bank: the core aggregate every outlet (drill, worksheet, export, page) consumes.

A :class:`QuestionBank` holds validated questions, the vocabularies they use and
the generators (built-in ones and the banks' templates) that make fresh variants.
A *skill* is what a learner practises: a bank question or a generator. This module
says which skills a bank has, interleaves them by topic, and turns a skill into the
question put in front of someone (a fresh variant, or options reordered).

It imports only the models, the errors and the generator base: reading files is
the loader's business (`loader.load_banks` builds a bank), scheduling the
scheduler's, storage the store's.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal, assert_never

from .errors import UnknownQuestionError, did_you_mean
from .generators.base import Generator, GeneratorError
from .models import (
    ChoiceQuestion,
    IntegerQuestion,
    Misconception,
    MultiQuestion,
    NumericQuestion,
    Question,
    Template,
    TextQuestion,
    Topic,
    TrueFalseQuestion,
)


@dataclass(frozen=True)
class Location:
    """Where a question was defined."""

    path: str
    line: int | None

    def __str__(self) -> str:
        return self.path if self.line is None else f"{self.path}:{self.line}"


@dataclass
class QuestionBank:
    """All loaded questions with the vocabularies they use and the generators that make variants."""

    questions: list[Question] = field(default_factory=list)
    topics: dict[str, Topic] = field(default_factory=dict)
    misconceptions: dict[str, Misconception] = field(default_factory=dict)
    locations: dict[str, Location] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    templates: list[Template] = field(default_factory=list)
    generators: dict[str, Generator] = field(default_factory=dict)
    """Built-in generators, then the banks' templates (built by the loader)."""

    def __post_init__(self) -> None:
        self._by_id = {q.id: q for q in self.questions}

    def __len__(self) -> int:
        return len(self.questions)

    def __iter__(self) -> Iterator[Question]:
        return iter(self.questions)

    def __contains__(self, question_id: object) -> bool:
        return question_id in self._by_id

    def get(self, question_id: str) -> Question:
        """The question with this id; raises UnknownQuestionError with suggestions."""
        try:
            return self._by_id[question_id]
        except KeyError:
            hint = did_you_mean(question_id, list(self._by_id))
            raise UnknownQuestionError(
                f"no question has the id {question_id!r}{hint}; `quizgen list` shows the topics"
            ) from None

    def generator(self, generator_id: str) -> Generator:
        """The generator or bank template with this id; raises GeneratorError with suggestions."""
        try:
            return self.generators[generator_id]
        except KeyError:
            hint = did_you_mean(generator_id, list(self.generators))
            raise GeneratorError(
                f"no generator or template has the id {generator_id!r}{hint}; `quizgen list` shows them"
            ) from None

    def by_topic(self, topic: str) -> list[Question]:
        return [q for q in self.questions if q.topic == topic]

    def citations(self, claim_ids: Iterable[str]) -> dict[str, list[str]]:
        """Claim id -> the questions and generators that name it (every claim given, cited or not)."""
        cited: dict[str, list[str]] = {claim: [] for claim in claim_ids}
        for question in self.questions:
            for claim in question.claims:
                cited.setdefault(claim, []).append(question.id)
        for generator in self.generators.values():
            for claim in generator.claims:
                cited.setdefault(claim, []).append(generator.id)
        return cited

    def counts_by_topic(self) -> dict[str, int]:
        counts = {topic: 0 for topic in self.topics}
        for question in self.questions:
            counts[question.topic] += 1
        return counts

    def default_topics(self) -> set[str]:
        """The topics used when none are named: every topic but the extensions beyond the chapter."""
        return {t.id for t in self.topics.values() if not t.extension}

    def unknown_topic(self, topic: str) -> str | None:
        """Why ``topic`` cannot be chosen (with a suggestion and the known topics), or None if it can."""
        if topic in self.topics:
            return None
        known = list(self.topics)
        return f"unknown topic {topic!r}{did_you_mean(topic, known)}; topics: {', '.join(known)}"


# -- skills ---------------------------------------------------------------------------

SkillKind = Literal["question", "generator"]


@dataclass(frozen=True)
class Skill:
    """What a learner practises and the scheduler schedules: a bank question or a generator."""

    id: str
    topic: str
    kind: SkillKind


def skills_of(bank: QuestionBank, topics: Sequence[str] = ()) -> list[Skill]:
    """The practisable skills of ``topics`` (each bank question, generator and template).

    With no topics named, every topic but the extensions beyond the chapter (`Topic.extension`),
    which a student or lecturer opts into by naming them.
    """
    wanted = set(topics) or bank.default_topics()
    skills = [Skill(q.id, q.topic, "question") for q in bank.questions]
    skills += [Skill(g.id, g.topic, "generator") for g in bank.generators.values()]
    return [s for s in skills if s.topic in wanted]


def interleave(skills: Iterable[Skill]) -> list[Skill]:
    """Round-robin over topics, keeping each topic's own order."""
    by_topic: dict[str, list[Skill]] = {}
    for skill in skills:
        by_topic.setdefault(skill.topic, []).append(skill)
    queues = [list(reversed(queue)) for queue in by_topic.values()]  # pop() from the end: linear time
    result: list[Skill] = []
    while queues:
        for queue in queues:
            result.append(queue.pop())
        queues = [queue for queue in queues if queue]
    return result


def shuffle_options(question: Question, rng: random.Random) -> Question:
    """The question with its options in a new order (when its author allows), answer renumbered."""
    match question:
        case ChoiceQuestion() | MultiQuestion() if question.shuffle:
            order = list(range(len(question.options)))
            rng.shuffle(order)
            options = tuple(question.options[i] for i in order)
            new_number = {old + 1: new + 1 for new, old in enumerate(order)}
            if isinstance(question, ChoiceQuestion):
                return question.model_copy(update={"options": options, "answer": new_number[question.answer]})
            return question.model_copy(
                update={"options": options, "answers": tuple(sorted(new_number[a] for a in question.answers))}
            )
        case ChoiceQuestion() | MultiQuestion():
            return question  # its author fixed the order
        case TrueFalseQuestion() | IntegerQuestion() | NumericQuestion() | TextQuestion():
            return question  # no options to reorder
        case _:
            assert_never(question)


def prepare(bank: QuestionBank, skill: Skill, rng: random.Random) -> Question:
    """The question to ask for a skill: a fresh variant for a generator, reordered options for a bank question."""
    if skill.kind == "generator":
        return bank.generators[skill.id].make(rng.getrandbits(32))
    return shuffle_options(bank.get(skill.id), rng)
