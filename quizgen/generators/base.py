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
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from pydantic import ValidationError

from ..errors import QuizgenError
from ..models import QUESTION_CLASSES, Mistake, Option, Question

Params = dict[str, int | float | str]
Build = Callable[[random.Random], dict[str, Any]]
"""Returns the question's fields (without id/topic/generator bookkeeping), including `params`."""
Draw = Callable[[random.Random], tuple[Hashable, Any]]
"""Draws a variant's parameters: (a key that is equal exactly when the params are, a state for Finish)."""
Finish = Callable[[random.Random, Any], dict[str, Any]]
"""Builds the question's fields from the drawn state, continuing with the same rng."""


def split(draw: Draw, finish: Finish) -> Build:
    """The build function of a generator split into a parameter draw and the rest."""

    def build(rng: random.Random) -> dict[str, Any]:
        return finish(rng, draw(rng)[1])

    return build


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

    draw: Draw | None = field(default=None, repr=False)
    """For a built-in generator, ``build`` split in two: ``draw(rng)`` draws the parameters and returns
    (key, state), ``finish(rng, state)`` builds the rest from the same rng (so ``build`` is
    ``finish(rng, draw(rng)[1])``). Two draws have equal keys exactly when their ``params`` are equal;
    `iter_variants` skips a repeated key before building anything. An int key is a dense index into
    the space (kept in a bitmap)."""
    finish: Finish | None = field(default=None, repr=False)

    def variant_id(self, seed: int) -> str:
        return f"{self.id}-{seed:08x}"

    def make(self, seed: int, *, validate: bool | None = None) -> Question:
        """The variant with this seed: the same seed always gives the same question.

        A built-in generator's question is trusted (built without pydantic validation: the tests
        validate every built-in's output and require the two to be equal); a bank template's is
        validated (its errors are the author's). ``validate=True`` validates in any case.
        """
        if seed < 0:
            raise GeneratorError(f"seed {seed} is negative; use 0 or more")
        return self._question(self.build(random.Random(seed)), seed, validate)

    def _question(self, fields: dict[str, Any], seed: int, validate: bool | None = None) -> Question:
        kind = fields.pop("type")
        topic = fields.pop("topic", self.topic)
        fields.setdefault("difficulty", self.difficulty)
        fields.setdefault("tags", self.tags)
        variant = self.variant_id(seed)
        if validate is None:
            validate = self.origin != "built in"
        if not validate:
            return trusted_question(
                kind,
                id=variant,
                topic=topic,
                type=kind,
                generator=self.id,
                variant=variant,
                seed=seed,
                **fields,
            )
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
        made, not held in memory). A count beyond the space is refused before the first variant.

        The variant seeds are taken in order from `variant_seeds(seed)`, and a seed whose parameters
        repeat an earlier one's is skipped. A generator with a ``draw`` step draws only the
        parameters of a seed before deciding (the rest of the question is built for the seeds kept);
        the others build the whole question first. Either way the same seeds are kept."""
        if count < 0:
            raise GeneratorError(f"count {count} is negative")
        if self.space_size is not None and count > self.space_size:
            raise GeneratorError(self._too_few(count, self.space_size), parameter="count")
        return self._iter_variants(count, seed)

    def _iter_variants(self, count: int, seed: int) -> Iterator[Question]:
        found = 0
        seen = _Seen()
        limit = 50 * count + 200
        draw, finish = self.draw, self.finish
        rng = random.Random()
        for attempt, variant_seed in enumerate(variant_seeds(seed), start=1):
            if found == count:
                break
            if attempt > limit:
                raise GeneratorError(self._too_few(count, found), parameter="count")
            if draw is not None and finish is not None:
                rng.seed(variant_seed)
                key, state = draw(rng)
                if not seen.add(key):
                    continue
                question = self._question(finish(rng, state), variant_seed)
            else:
                question = self.make(variant_seed)
                if not seen.add(_params_key(question.params or {})):
                    continue
            found += 1
            yield question

    def _too_few(self, count: int, available: int) -> str:
        kind = "generator" if self.origin == "built in" else "template"
        return (
            f"{kind} {self.id!r} has only {available} distinct variant"
            f"{'s' if available != 1 else ''}; ask for {available} or fewer"
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


class _Seen:
    """The keys drawn so far: a bitmap for int keys (a dense index into a built-in's space, an
    eighth of a byte each: a million of them take 128 KiB), a set for any other key."""

    __slots__ = ("_bits", "_other")

    def __init__(self) -> None:
        self._bits = bytearray()
        self._other: set[Hashable] = set()

    def add(self, key: Hashable) -> bool:
        """Records ``key``; whether it is new."""
        if type(key) is int and key >= 0:
            byte, bit = key >> 3, 1 << (key & 7)
            bits = self._bits
            if byte >= len(bits):
                bits.extend(bytes(max(byte + 1, 2 * len(bits)) - len(bits)))
            if bits[byte] & bit:
                return False
            bits[byte] |= bit
            return True
        if key in self._other:
            return False
        self._other.add(key)
        return True


# -- trusted construction --------------------------------------------------------


class _Fields:
    """A model's fields in declared order with their defaults, and the ones without a default."""

    def __init__(self, cls: type[Any]) -> None:
        self.defaults: dict[str, Any] = {}
        required: list[str] = []
        for name, info in cls.model_fields.items():
            if info.is_required():
                required.append(name)
            self.defaults[name] = None if info.is_required() else info.get_default(call_default_factory=True)
        self.required = frozenset(required)


_FIELDS: dict[type[Any], _Fields] = {}
_set = object.__setattr__


def _construct(cls: type[Any], values: dict[str, Any]) -> Any:
    """A model instance from values that are already what validation would make of them: the same
    ``__dict__`` (fields in declared order, defaults filled in) and the same set fields."""
    fields = _FIELDS.get(cls)
    if fields is None:
        fields = _FIELDS[cls] = _Fields(cls)
    data = fields.defaults.copy()
    data.update(values)  # known fields keep their declared place
    if len(data) != len(fields.defaults) or not fields.required <= values.keys():
        raise AssertionError(
            f"{cls.__name__} built with unknown fields {sorted(set(data) - set(fields.defaults))} or without "
            f"required ones {sorted(fields.required - values.keys())}"
        )
    model = object.__new__(cls)
    _set(model, "__dict__", data)
    _set(model, "__pydantic_fields_set__", set(values))
    _set(model, "__pydantic_extra__", None)
    _set(model, "__pydantic_private__", None)
    return model


_OPTION = _Fields(Option)
_MISTAKE = _Fields(Mistake)


def _part(cls: type[Any], fields: _Fields, values: dict[str, Any]) -> Any:
    """An option or a mistake: `_construct` for the many small models of a question."""
    model = object.__new__(cls)
    if values.keys() - fields.defaults.keys() or not fields.required <= values.keys():
        return _construct(cls, values)  # which names the fields at fault
    _set(model, "__dict__", {name: values.get(name, default) for name, default in fields.defaults.items()})
    _set(model, "__pydantic_fields_set__", set(values))
    _set(model, "__pydantic_extra__", None)
    _set(model, "__pydantic_private__", None)
    return model


def trusted_question(kind: str, **values: Any) -> Question:
    """The question a built-in generator's fields make, without validating them.

    Does what validation does to a built-in's fields (options and mistakes become models, lists
    become tuples, a mistake's value a float) and nothing else: tests/test_generators.py builds
    thousands of variants of every built-in both ways and requires equal questions with equal JSON.
    """
    for name in ("tags", "claims"):
        if name in values and type(values[name]) is not tuple:
            values[name] = tuple(values[name])
    if "options" in values:
        values["options"] = tuple(
            _part(Option, _OPTION, option) if type(option) is dict else option for option in values["options"]
        )
    if "mistakes" in values:
        values["mistakes"] = tuple(
            _part(Mistake, _MISTAKE, {**mistake, "value": float(mistake["value"])})
            if type(mistake) is dict
            else mistake
            for mistake in values["mistakes"]
        )
    return _construct(QUESTION_CLASSES[kind], values)  # type: ignore[no-any-return]


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


def _normalised(text: str) -> str:
    return " ".join(text.split()).casefold()


def _values_close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return False
    return math.isclose(a, b, rel_tol=MIN_RELATIVE_GAP, abs_tol=1e-12)


def distinct_distractors(correct: Candidate, wrong: Sequence[Candidate]) -> list[Candidate]:
    """The wrong candidates that differ from the answer and from each earlier one: in text (ignoring
    case and spacing) and by at least 2% in value."""
    usable: list[Candidate] = []
    kept: list[tuple[str, float | None]] = [(_normalised(correct.text), correct.value)]
    for candidate in wrong:
        text, value = _normalised(candidate.text), candidate.value
        for other, number in kept:
            if text == other or _values_close(value, number):
                break
        else:
            usable.append(candidate)
            kept.append((text, value))
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
