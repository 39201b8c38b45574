"""Which skills exist, and how a skill becomes the question put in front of someone.

Shared by the drill and the worksheets: a skill is a bank question or a
generator; a generator skill becomes a fresh variant, a bank question gets its
options reordered (when its author allows it).
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from .loader import QuestionBank
from .models import ChoiceQuestion, MultiQuestion, Question
from .scheduler import Skill


def skills_of(bank: QuestionBank, topics: Sequence[str] = ()) -> list[Skill]:
    """The practisable skills of ``topics`` (each bank question, generator and template).

    With no topics named, every topic but the extensions beyond the chapter (`Topic.extension`),
    which a student or lecturer opts into by naming them.
    """
    wanted = set(topics) or {t.id for t in bank.topics.values() if not t.extension}
    skills = [Skill(q.id, q.topic, "question") for q in bank.questions]
    skills += [Skill(g.id, g.topic, "generator") for g in bank.generators.values()]
    return [s for s in skills if s.topic in wanted]


def shuffle_options(question: Question, rng: random.Random) -> Question:
    """The question with its options in a new order (when its author allows), answer renumbered."""
    if not isinstance(question, (ChoiceQuestion, MultiQuestion)) or not question.shuffle:
        return question
    order = list(range(len(question.options)))
    rng.shuffle(order)
    options = tuple(question.options[i] for i in order)
    new_number = {old + 1: new + 1 for new, old in enumerate(order)}
    if isinstance(question, ChoiceQuestion):
        return question.model_copy(update={"options": options, "answer": new_number[question.answer]})
    return question.model_copy(
        update={"options": options, "answers": tuple(sorted(new_number[a] for a in question.answers))}
    )


def prepare(bank: QuestionBank, skill: Skill, rng: random.Random) -> Question:
    """The question to ask for a skill: a fresh variant for a generator, reordered options for a bank question."""
    if skill.kind == "generator":
        return bank.generators[skill.id].make(rng.getrandbits(32))
    return shuffle_options(bank.get(skill.id), rng)
