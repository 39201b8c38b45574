"""The question model: what every bank file, generator, drill, worksheet and export shares.

A question is one of six types, told apart by its ``type`` field (a pydantic
discriminated union). Every model is frozen and forbids unknown fields; the
``Field`` descriptions become the published JSON Schema (``quizgen schema``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    ValidationInfo,
    field_validator,
    model_validator,
)

SLUG_PATTERN = r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$"


def _check_finite(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError(f"must be a finite number, not {value}")
    return value


_REFUSED = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff"
NOT_BLANK_PATTERN = rf"^[^{_REFUSED}]*[^\s{_REFUSED}][^{_REFUSED}]*$"
"""Not blank, and none of the characters a terminal or XML cannot take: no C0 control but tab and
line breaks (a form feed in a prompt is almost always `\frac` in a double-quoted YAML string, where
`\f` is an escape), no DEL, no C1 control (U+0080-U+009F: `\x9b` is a terminal's CSI, `\x9d` its
OSC), and not U+FFFE or U+FFFF, which XML 1.0 forbids (pydantic refuses lone surrogates itself)."""
_REFUSED_CHARACTER = re.compile(f"[{_REFUSED}]")


def refused_character(text: str) -> str | None:
    """Why ``text`` does not match NOT_BLANK_PATTERN, naming the character and where it is; None when
    the only fault is that it is blank. The loader's message for a pattern mismatch."""
    found = _REFUSED_CHARACTER.search(text)
    if found is None:
        return None
    code = ord(found.group())
    where = f"U+{code:04X} (character {found.start() + 1})"
    if code in (0xFFFE, 0xFFFF):
        return (
            f"contains {where}, a noncharacter that XML (Moodle, QTI) cannot carry and terminals show as "
            "garbage; delete it (it often comes from a byte-order mark read the wrong way round)"
        )
    kind = "C1 control character" if code >= 0x80 else "control character"
    return (
        f"contains the {kind} {where}, which a terminal would obey rather than show; in a double-quoted "
        "YAML string a backslash starts an escape (\\f in \\frac is a form feed, \\x9b a CSI): "
        "use single quotes or a block scalar"
    )


# Both checks run in pydantic-core (fast: generators build tens of thousands of
# questions a second); the loader turns a pattern mismatch into a readable message.
Slug = Annotated[str, Field(pattern=SLUG_PATTERN)]
Text = Annotated[str, Field(pattern=NOT_BLANK_PATTERN)]
FiniteFloat = Annotated[float, Field(strict=True), AfterValidator(_check_finite)]


def _normalise(text: str) -> str:
    """Case- and space-insensitive form used to compare options and accepted answers."""
    return " ".join(text.split()).casefold()


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Topic(_Model):
    """A topic of the chapter; questions are grouped and selected by topic."""

    id: Slug = Field(description="Identifier used in a question's `topic` field.")
    title: Text = Field(description="Short human-readable title.")
    description: Text = Field(description="What questions in this topic practise.")
    extension: StrictBool = Field(
        default=False,
        description="Beyond the chapter: drills and worksheets leave it out unless it is named with --topic.",
    )


class Claim(_Model):
    """A statement about how a network behaves, checked by a simulation (quizgen/simulation.py)."""

    id: Slug = Field(description="Identifier used in a question's `claims` field.")
    statement: Text = Field(description="What the simulation shows, as a student should read it.")


class Misconception(_Model):
    """A named mistake that a wrong option (a distractor) represents."""

    id: Slug = Field(description="Identifier used in an option's `misconception` field.")
    title: Text = Field(description="The mistake, in a few words.")
    description: Text = Field(description="Why it is wrong, as a student should read it.")


def _option_from_shorthand(value: Any) -> Any:
    if isinstance(value, str):
        return {"text": value}
    return value


class Option(_Model):
    """One option of a `choice` or `multi` question."""

    text: Text = Field(description="The option as shown (Markdown, inline maths in $...$).")
    feedback: Text | None = Field(
        default=None, description="Shown when a student picks this option: why it is right or wrong."
    )
    misconception: Slug | None = Field(
        default=None,
        description="Id of the misconception this wrong option represents (see `quizgen list`).",
    )
    value: StrictInt | FiniteFloat | None = Field(
        default=None, description="The number this option stands for, when it stands for one."
    )


OptionInput = Annotated[
    Option,
    BeforeValidator(_option_from_shorthand, json_schema_input_type=str | Option),
]


class _QuestionBase(_Model):
    id: Slug = Field(description="Stable identifier, unique across all loaded banks.")
    topic: Slug = Field(description="A built-in topic id or one declared in the bank's `topics`.")
    prompt: Text = Field(description="The question (Markdown; inline LaTeX maths in $...$).")
    explanation: Text = Field(description="The worked solution a student reads after answering.")
    difficulty: Annotated[StrictInt, Field(ge=1, le=3)] = Field(
        default=2, description="1 (recall) to 3 (multi-step reasoning)."
    )
    tags: tuple[Slug, ...] = Field(default=(), description="Free labels, e.g. `chapter-example`.")
    source: Text | None = Field(
        default=None, description="Where the question comes from, e.g. 'chapter example'."
    )
    hint: Text | None = Field(default=None, description="A nudge shown on request before answering.")
    generator: Slug | None = Field(
        default=None, description="For a generated variant: the generator or template that made it."
    )
    variant: Slug | None = Field(
        default=None, description="For a generated variant: its id, derived from (generator, seed)."
    )
    seed: Annotated[StrictInt, Field(ge=0)] | None = Field(
        default=None, description="For a generated variant: the seed it was drawn with."
    )
    params: dict[str, StrictInt | FiniteFloat | str] | None = Field(
        default=None, description="For a generated variant: the parameter values drawn."
    )
    claims: tuple[Slug, ...] = Field(
        default=(),
        description="Ids of the claims about network behaviour that the key relies on (`quizgen claims`); "
        "each is checked by a simulation.",
    )


def _check_options(options: tuple[Option, ...]) -> tuple[Option, ...]:
    if len(options) < 2:
        raise ValueError(f"needs at least 2 options, has {len(options)}")
    seen: dict[str, int] = {}
    for number, option in enumerate(options, start=1):
        key = _normalise(option.text)
        if key in seen:
            raise ValueError(
                f"options {seen[key]} and {number} are the same ({option.text!r}); "
                "every option must be different"
            )
        seen[key] = number
    return options


def _check_option_number(number: int, info: ValidationInfo) -> int:
    options = info.data.get("options")
    if options is None:  # the options themselves are invalid; that error is reported
        return number
    if not 1 <= number <= len(options):
        raise ValueError(
            f"option {number} does not exist; this question has {len(options)} options (1-{len(options)})"
        )
    return number


class ChoiceQuestion(_QuestionBase):
    """Multiple choice with exactly one correct option; options are numbered from 1."""

    type: Literal["choice"] = Field(description="Multiple choice, one correct option.")
    options: tuple[OptionInput, ...] = Field(
        description="At least 2 options, all different; a plain string is an option's text."
    )
    answer: StrictInt = Field(description="Number of the correct option, counting from 1.")
    shuffle: StrictBool = Field(
        default=True, description="Whether worksheets and exports may reorder the options."
    )

    _options = field_validator("options")(_check_options)

    @field_validator("answer")
    @classmethod
    def _answer_in_range(cls, value: int, info: ValidationInfo) -> int:
        return _check_option_number(value, info)


class MultiQuestion(_QuestionBase):
    """Select all that apply: one or more correct options."""

    type: Literal["multi"] = Field(description="Select all that apply.")
    options: tuple[OptionInput, ...] = Field(
        description="At least 2 options, all different; a plain string is an option's text."
    )
    answers: tuple[StrictInt, ...] = Field(
        description="Numbers of all correct options, counting from 1 (at least one)."
    )
    shuffle: StrictBool = Field(
        default=True, description="Whether worksheets and exports may reorder the options."
    )

    _options = field_validator("options")(_check_options)

    @field_validator("answers")
    @classmethod
    def _answers_valid(cls, value: tuple[int, ...], info: ValidationInfo) -> tuple[int, ...]:
        if not value:
            raise ValueError("needs at least one correct option")
        if len(set(value)) != len(value):
            raise ValueError(f"lists an option twice: {list(value)}")
        for number in value:
            _check_option_number(number, info)
        return value


class TrueFalseQuestion(_QuestionBase):
    """A statement that is true or false (the chapter numbers True as 1, False as 2)."""

    type: Literal["true_false"] = Field(description="True or false.")
    answer: StrictBool = Field(description="`true` or `false`.")


@dataclass(frozen=True)
class Tolerance:
    """The values accepted around an answer: within `tolerance`, absolute or relative to the answer."""

    answer: float
    tolerance: float
    kind: Literal["absolute", "relative"] = "absolute"

    def bounds(self) -> tuple[float, float]:
        width = self.tolerance * (abs(self.answer) if self.kind == "relative" else 1.0)
        return self.answer - width, self.answer + width

    def accepts(self, value: float) -> bool:
        """Whether ``value`` is within the bounds, with a hair of slack (1e-9) for float rounding."""
        low, high = self.bounds()
        eps = 1e-9 * max(1.0, abs(self.answer))
        return low - eps <= value <= high + eps


class Mistake(_Model):
    """A wrong number that a named mistake gives; a student who types it is told which mistake it is."""

    value: FiniteFloat = Field(description="The number the mistake gives.")
    misconception: Slug | None = Field(default=None, description="Id of the misconception it represents.")
    feedback: Text | None = Field(default=None, description="Why it is wrong, shown when a student types it.")


class IntegerQuestion(_QuestionBase):
    """An exact integer answer, such as `n_in + n_out`."""

    type: Literal["integer"] = Field(description="An exact integer.")
    answer: StrictInt = Field(description="The integer answer.")
    mistakes: tuple[Mistake, ...] = Field(
        default=(),
        description="Numbers that named mistakes give (each different from the answer); a student who "
        "types one is told the mistake.",
    )

    @model_validator(mode="after")
    def _mistakes_differ(self) -> IntegerQuestion:
        for number, mistake in enumerate(self.mistakes, start=1):
            if mistake.value == self.answer:
                raise ValueError(f"mistakes[{number}]: {mistake.value:g} is the answer itself; remove it")
        return self

    def mistake_for(self, value: float) -> Mistake | None:
        """The named mistake that ``value`` is exactly, if any."""
        return next((m for m in self.mistakes if m.value == value), None)


class NumericQuestion(_QuestionBase):
    """A number graded within an absolute or relative tolerance."""

    type: Literal["numeric"] = Field(description="A number within a tolerance.")
    answer: FiniteFloat = Field(description="The exact value.")
    tolerance: FiniteFloat = Field(
        description="Largest accepted distance from the answer (absolute, or a fraction of it)."
    )
    tolerance_type: Literal["absolute", "relative"] = Field(
        default="absolute",
        description="`absolute`: |given - answer| <= tolerance; "
        "`relative`: |given - answer| <= tolerance * |answer|.",
    )
    mistakes: tuple[Mistake, ...] = Field(
        default=(),
        description="Numbers that named mistakes give: each must lie outside the tolerance, and a student "
        "who types one is told the mistake.",
    )

    @field_validator("tolerance")
    @classmethod
    def _tolerance_non_negative(cls, value: float) -> float:
        if value < 0:
            raise ValueError(f"{value:g} is negative; use 0 or a positive number")
        return value

    @model_validator(mode="after")
    def _mistakes_rejected(self) -> NumericQuestion:
        for number, mistake in enumerate(self.mistakes, start=1):
            if self.accepts(mistake.value):
                low, high = self.bounds()
                raise ValueError(
                    f"mistakes[{number}]: {mistake.value:.6g} lies inside the accepted range "
                    f"{low:.6g} to {high:.6g}, so that mistake would be graded correct; tighten the "
                    "tolerance or remove it"
                )
        return self

    @property
    def accepted(self) -> Tolerance:
        return Tolerance(self.answer, self.tolerance, self.tolerance_type)

    def bounds(self) -> tuple[float, float]:
        """The closed interval of accepted values."""
        return self.accepted.bounds()

    def accepts(self, value: float) -> bool:
        """Whether ``value`` is within the tolerance (with a hair of slack for float rounding)."""
        return self.accepted.accepts(value)

    def mistake_for(self, value: float) -> Mistake | None:
        """The named mistake that ``value`` matches (within the question's own tolerance), if any."""
        for mistake in self.mistakes:
            if Tolerance(mistake.value, self.tolerance, self.tolerance_type).accepts(value):
                return mistake
        return None


class TextQuestion(_QuestionBase):
    """A short answer; `answer` and every form in `accept` are accepted, ignoring case."""

    type: Literal["text"] = Field(description="A short typed answer.")
    answer: Text = Field(description="The canonical answer, shown as the solution.")
    accept: tuple[Text, ...] = Field(
        default=(), description="Other accepted forms (aliases); matching ignores case and spacing."
    )

    @field_validator("accept")
    @classmethod
    def _accept_distinct(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        seen = {_normalise(info.data["answer"])} if "answer" in info.data else set()
        for form in value:
            key = _normalise(form)
            if key in seen:
                raise ValueError(f"accepted form {form!r} is listed twice (ignoring case)")
            seen.add(key)
        return value

    def accepted_forms(self) -> tuple[str, ...]:
        return (self.answer, *self.accept)


QUESTION_CLASSES: dict[str, type[_QuestionBase]] = {
    "choice": ChoiceQuestion,
    "multi": MultiQuestion,
    "true_false": TrueFalseQuestion,
    "integer": IntegerQuestion,
    "numeric": NumericQuestion,
    "text": TextQuestion,
}

Question = Annotated[
    ChoiceQuestion | MultiQuestion | TrueFalseQuestion | IntegerQuestion | NumericQuestion | TextQuestion,
    Field(discriminator="type"),
]
"""Any question; `type` selects the model."""

QuestionType = Literal["choice", "multi", "true_false", "integer", "numeric", "text"]
"""The `type` tag of a question, in the order of `QUESTION_CLASSES`. A new question type's tag goes here
as well as into `Question`: `_type_of` below makes mypy report a tag missing here, and every dispatch on
the type (a `match` ending in `assert_never`) then makes mypy report where the new type must be handled."""


def _type_of(question: Question) -> QuestionType:
    """The question's tag; here so that mypy proves every question's tag is a `QuestionType`."""
    return question.type


IDENTIFIER_PATTERN = r"^[A-Za-z][A-Za-z0-9_]*$"
MAX_DOMAIN_SIZE = 1_000_000


class ParamDomain(_Model):
    """The values a template parameter may take: a list, or an integer range with a step."""

    choices: tuple[StrictInt | FiniteFloat, ...] | None = Field(
        default=None, description="The allowed values (give this, or min and max)."
    )
    min: StrictInt | None = Field(default=None, description="Smallest value of an integer range.")
    max: StrictInt | None = Field(default=None, description="Largest value of an integer range (included).")
    step: Annotated[StrictInt, Field(ge=1)] = Field(default=1, description="Step of the integer range.")

    @model_validator(mode="after")
    def _one_kind(self) -> ParamDomain:
        if self.choices is not None:
            if self.min is not None or self.max is not None:
                raise ValueError("give either `choices` or `min`/`max`, not both")
            if not self.choices:
                raise ValueError("`choices` is empty; list at least one value")
            if len(set(self.choices)) != len(self.choices):
                raise ValueError("`choices` lists a value twice")
            return self
        if self.min is None or self.max is None:
            raise ValueError("give `choices: [...]`, or both `min` and `max`")
        if self.min > self.max:
            raise ValueError(f"min {self.min} is larger than max {self.max}")
        if self.size() > MAX_DOMAIN_SIZE:
            raise ValueError(
                f"the range holds {self.size():,} values; at most {MAX_DOMAIN_SIZE:,} are allowed"
            )
        return self

    def size(self) -> int:
        if self.choices is not None:
            return len(self.choices)
        assert self.min is not None and self.max is not None
        return (self.max - self.min) // self.step + 1

    def value(self, index: int) -> int | float:
        """The index-th value (0-based), without building the whole list."""
        if self.choices is not None:
            return self.choices[index]
        assert self.min is not None
        return self.min + index * self.step


class TemplateDistractor(_Model):
    """A wrong answer computed by a formula: an option of a `choice` template, a named mistake of a `numeric` one."""

    formula: Text = Field(description="Arithmetic of the parameters, e.g. `2/(n_in*n_out)`.")
    misconception: Slug | None = Field(default=None, description="The misconception it represents.")
    feedback: Text | None = Field(default=None, description="Why it is wrong; may use {name} placeholders.")


class Template(_Model):
    """A parametric question written in a bank: parameters, formulas, and text with {name} placeholders."""

    id: Slug = Field(description="Stable identifier; `quizgen generate ID` makes variants.")
    type: Literal["integer", "numeric", "choice"] = Field(description="The type of question it makes.")
    topic: Slug = Field(description="A built-in topic id or one declared in the bank.")
    title: Text | None = Field(default=None, description="A short name, shown by `quizgen list`.")
    params: dict[Annotated[str, Field(pattern=IDENTIFIER_PATTERN)], ParamDomain] = Field(
        description="Parameter name -> its domain (`choices: [...]` or `min`, `max`, `step`)."
    )
    constraints: tuple[Text, ...] = Field(
        default=(),
        max_length=20,
        description="Conditions every drawn parameter set must meet, e.g. `n_in > n_out` (at most 20).",
    )
    prompt: Text = Field(description="The question; {name} is replaced by a parameter's value.")
    answer: Text = Field(
        description="The answer as a formula of the parameters, e.g. `sqrt(6/(n_in + n_out))`."
    )
    explanation: Text = Field(description="The worked solution; {name} and {answer} are replaced.")
    tolerance: FiniteFloat | None = Field(default=None, description="For `numeric`: the accepted distance.")
    tolerance_type: Literal["absolute", "relative"] = Field(
        default="absolute", description="For `numeric`: how `tolerance` is measured."
    )
    distractors: tuple[TemplateDistractor, ...] = Field(
        default=(),
        max_length=12,
        description="Wrong answers as formulas, each with its misconception (at most 12): the options of a "
        "`choice` template; for an `integer` or `numeric` one, named mistakes that must never be graded correct.",
    )
    options: Annotated[StrictInt, Field(ge=2, le=8)] = Field(
        default=4, description="For `choice`: how many options to show (fewer if distractors coincide)."
    )
    feedback: Text | None = Field(
        default=None,
        description="For `choice`: shown with the correct option (why it is right); may use {name} and {answer}.",
    )
    difficulty: Annotated[StrictInt, Field(ge=1, le=3)] = Field(default=2, description="1 to 3.")
    tags: tuple[Slug, ...] = Field(default=(), description="Free labels.")
    source: Text | None = Field(default=None, description="Where the template comes from.")
    hint: Text | None = Field(default=None, description="A nudge; may use {name} placeholders.")
    claims: tuple[Slug, ...] = Field(
        default=(), description="Ids of the claims about network behaviour that the key relies on."
    )

    @field_validator("tolerance")
    @classmethod
    def _tolerance_non_negative(cls, value: float | None) -> float | None:
        if value is not None and value < 0:
            raise ValueError(f"{value:g} is negative; use 0 or a positive number")
        return value

    @model_validator(mode="after")
    def _fits_its_type(self) -> Template:
        if not self.params:
            raise ValueError("declare at least one parameter under `params`")
        if self.type == "numeric" and self.tolerance is None:
            raise ValueError("a numeric template needs a `tolerance`")
        if self.type == "choice" and not self.distractors:
            raise ValueError("a choice template needs `distractors` (formulas of wrong answers)")
        if self.type != "choice" and self.feedback is not None:
            raise ValueError(
                "`feedback` belongs to the correct option of a choice template; use `explanation`"
            )
        return self


class BankFile(_Model):
    """One bank file: optional new topics and misconceptions, and a list of questions."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "quizgen bank file",
        },
    )

    title: Text | None = Field(default=None, description="What this bank covers.")
    description: Text | None = Field(default=None, description="Longer notes for bank authors.")
    topics: tuple[Topic, ...] = Field(
        default=(), description="Topics this bank adds to the built-in vocabulary."
    )
    misconceptions: tuple[Misconception, ...] = Field(
        default=(), description="Misconceptions this bank adds to the built-in vocabulary."
    )
    questions: tuple[Question, ...] = Field(default=(), description="The questions.")
    templates: tuple[Template, ...] = Field(
        default=(), description="Parametric questions: each makes fresh variants with computed answers."
    )
