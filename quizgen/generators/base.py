"""The generator framework: a generator turns a seed into a fresh, correct question.

A generator is a pure function of an explicit ``random.Random``: it draws
parameters, computes the answer, and builds the question's fields. Wrapping it in
:class:`Generator` gives it an id and a topic and makes variants reproducible:
``generator.make(seed)`` seeds its own ``Random(seed)`` (never the global RNG, no
``hash()``, no set order), so (generator id, seed) names one question on every
run, machine and Python version.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from pydantic import ValidationError

from ..errors import QuizgenError
from ..models import QUESTION_CLASSES, Question

Params = dict[str, int | float | str]
Build = Callable[[random.Random], dict[str, Any]]
"""Returns the question's fields (without id/topic/generator bookkeeping), including `params`."""

SEED_BITS = 32


class GeneratorError(QuizgenError):
    """A generator cannot give what was asked (an unknown id, too few distinct variants, a template
    none of whose draws makes a usable question)."""


Size = int | Callable[[], int | None] | None
"""A space size, or the function that counts it on first use."""


class _SpaceSize:
    """`Generator.space_size`: a number given when the generator is made, or counted on first use.

    Counting a template's space means evaluating its constraints over its whole domain: work that
    `list`, `show` and most drills never need, so it is not done when the bank loads (finding 11 of
    issue 11: it cost seconds on every command, the cache notwithstanding).
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self._slot = f"_{name}"

    @overload
    def __get__(self, instance: None, owner: Any = None) -> None: ...
    @overload
    def __get__(self, instance: object, owner: Any = None) -> int | None: ...
    def __get__(self, instance: object | None, owner: Any = None) -> int | None:
        if instance is None:  # the dataclass default
            return None
        value = instance.__dict__[self._slot]
        if callable(value):
            value = value()
            instance.__dict__[self._slot] = value  # frozen to callers; counted once
        return value  # type: ignore[no-any-return]

    def __set__(self, instance: object, value: Size) -> None:
        instance.__dict__[self._slot] = value


@dataclass(frozen=True)
class Calculated:
    """The generator as a formula question, so that an LMS (Moodle's `calculated`) draws the numbers.

    `prompt` and `explanation` use `{name}` wildcards for the numeric parameters;
    `answer` is a formula of them in quizgen's formula syntax (formula.py).
    """

    prompt: str
    answer: str
    explanation: str
    tolerance: float
    tolerance_type: str = "relative"  # "relative" or "absolute"
    params: tuple[str, ...] = ()


@dataclass(frozen=True)
class Generator:
    """A source of fresh question variants."""

    id: str
    topic: str
    title: str
    description: str
    params: dict[str, str]
    """Parameter name -> a description of its domain (shown by `quizgen list`)."""
    build: Build = field(repr=False)
    space_size: _SpaceSize = _SpaceSize()  # a descriptor default: the dataclass default is its None
    """The number of distinct parameter sets (a number, or a function that counts them on first use);
    None when it is too large to count."""
    difficulty: int = 2
    tags: tuple[str, ...] = ()
    origin: str = "built in"
    calculated: Calculated | None = None
    """Present when the answer is a formula of numeric parameters (for LMS calculated questions)."""
    claims: tuple[str, ...] = ()
    """Every claim (vocabulary.BUILTIN_CLAIMS) that one of its variants may name."""

    def variant_id(self, seed: int) -> str:
        return f"{self.id}-{seed:08x}"

    def make(self, seed: int) -> Question:
        """The variant with this seed: the same seed always gives the same question."""
        if seed < 0:
            raise GeneratorError(f"seed {seed} is negative; use 0 or more")
        fields = self.build(random.Random(seed))
        kind = fields.pop("type")
        topic = fields.pop("topic", self.topic)
        fields.setdefault("difficulty", self.difficulty)
        fields.setdefault("tags", self.tags)
        variant = self.variant_id(seed)
        try:
            question = QUESTION_CLASSES[kind](  # type: ignore[call-arg]
                id=variant,
                topic=topic,
                type=kind,
                generator=self.id,
                variant=variant,
                seed=seed,
                **fields,
            )
        except ValidationError as exc:
            if self.origin != "built in":  # a bank's template: the author's to fix, in one line
                error = exc.errors(include_url=False)[0]
                where = ".".join(str(part) for part in error["loc"])
                raise GeneratorError(
                    f"template {self.id!r} made an invalid question for {_shown(fields.get('params'))} "
                    f"(seed {seed}): {where}: {error['msg']}; add a constraint that excludes these "
                    "parameters"
                ) from None
            raise AssertionError(  # a bug in a built-in generator, not in the user's input
                f"generator {self.id!r} built an invalid question (seed {seed}): {exc}"
            ) from exc
        return question  # type: ignore[return-value]

    def variants(self, count: int, seed: int) -> list[Question]:
        """``count`` variants with distinct parameters, reproducible from ``seed``.

        Raises GeneratorError when the parameter space holds fewer than ``count``.
        """
        return list(self.iter_variants(count, seed))

    def iter_variants(self, count: int, seed: int) -> Iterator[Question]:
        """The variants of :meth:`variants`, one at a time (so that a long run is written as it is
        made, not held in memory). A count beyond the space is refused before the first variant."""
        if count < 0:
            raise GeneratorError(f"count {count} is negative")
        if self.space_size is not None and count > self.space_size:
            raise GeneratorError(self._too_few(count, self.space_size))
        found = 0
        seen: set[str] = set()
        limit = 50 * count + 200
        for attempt, variant_seed in enumerate(variant_seeds(seed), start=1):
            if found == count:
                break
            if attempt > limit:
                raise GeneratorError(self._too_few(count, found))
            question = self.make(variant_seed)
            key = _params_key(question.params or {})
            if key not in seen:
                seen.add(key)
                found += 1
                yield question

    def _too_few(self, count: int, available: int) -> str:
        kind = "generator" if self.origin == "built in" else "template"
        return (
            f"{kind} {self.id!r} has only {available} distinct variant"
            f"{'s' if available != 1 else ''}; ask for --count {available} or fewer"
        )


def _shown(params: Any) -> str:
    if not isinstance(params, dict):
        return "its parameters"
    return ", ".join(f"{name}={value}" for name, value in params.items())


def variant_seeds(seed: int) -> Iterator[int]:
    """The stream of variant seeds that a session seed stands for."""
    rng = random.Random(seed)
    while True:
        yield rng.getrandbits(SEED_BITS)


def _params_key(params: Params) -> str:
    return repr(sorted(params.items()))


# -- numbers and options ---------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A possible option: its text, the number it stands for, and why it is wrong (if it is)."""

    text: str
    value: float | None = None
    misconception: str | None = None
    feedback: str | None = None

    def option(self) -> dict[str, Any]:
        data: dict[str, Any] = {"text": self.text}
        if self.value is not None:
            data["value"] = self.value
        if self.misconception is not None:
            data["misconception"] = self.misconception
        if self.feedback is not None:
            data["feedback"] = self.feedback
        return data


MIN_RELATIVE_GAP = 0.02
"""Two options' values must differ by at least 2% (so no distractor passes for the answer)."""


def _too_close(a: Candidate, b: Candidate) -> bool:
    if " ".join(a.text.split()).casefold() == " ".join(b.text.split()).casefold():
        return True
    if a.value is None or b.value is None:
        return False
    return math.isclose(a.value, b.value, rel_tol=MIN_RELATIVE_GAP, abs_tol=1e-12)


def distinct_distractors(correct: Candidate, wrong: Sequence[Candidate]) -> list[Candidate]:
    """The wrong candidates that differ from the answer and from each earlier one."""
    usable: list[Candidate] = []
    for candidate in wrong:
        if not _too_close(candidate, correct) and not any(_too_close(candidate, u) for u in usable):
            usable.append(candidate)
    return usable


def choose_options(
    rng: random.Random, correct: Candidate, wrong: Sequence[Candidate], count: int
) -> tuple[list[dict[str, Any]], int]:
    """``count`` options: the correct one at a uniformly drawn position, and distinct distractors.

    Distractors that equal the answer (or each other) in text or within 2% in value
    are dropped first; the rest are drawn at random. Returns (options, 1-based answer).
    """
    usable = distinct_distractors(correct, wrong)
    if len(usable) < count - 1:
        raise AssertionError(
            f"only {len(usable)} distinct distractors for {correct.text!r}; need {count - 1}"
        )
    picked = rng.sample(usable, count - 1)
    position = rng.randrange(count)
    ordered = [*picked[:position], correct, *picked[position:]]
    return [c.option() for c in ordered], position + 1
