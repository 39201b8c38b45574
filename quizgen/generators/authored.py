"""Templates authored in bank files: a lecturer's parametric question, without Python.

:func:`check_template` finds every problem a template can have at load time (bad
formulas, unknown placeholders, constraints nothing meets, a formula that fails
for some allowed parameters). It checks the whole parameter domain when that is
small and cheap, and a seeded sample otherwise; so a failure too rare for the
sample can still be drawn later. Generation therefore never trusts a draw: a
draw whose formulas fail, whose integer answer is not whole, whose distractors
collapse onto the answer or whose tolerance would accept a named mistake is
skipped and another is drawn, and when a bounded number of draws all fail, a
one-line :class:`~.base.GeneratorError` names the template, the parameters and
the fix. Never a traceback (issue 11, finding 6).

The work is bounded everywhere (finding 11): checking one template evaluates at
most ``CHECK_WORK`` formula nodes, listing the parameter sets that meet the
constraints at most ``LIST_WORK`` (and only when a variant or the space size is
first needed, never at load), and one variant at most ``DRAW_WORK``.
:func:`template_generator` turns a checked template into a
:class:`~.base.Generator` like the built-in ones.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import math
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..formula import Formula, FormulaError
from ..models import Template, Tolerance
from ..numbers import decimal_text, fmt, option_figures, short, significant
from ..precision import Precision, stated_precision, tolerance_problems, written_as_asked
from .base import Calculated, Candidate, Generator, GeneratorError, choose_options, distinct_distractors

FieldPath = tuple[str | int, ...]
Values = dict[str, int | float]

ENUMERATE_UP_TO = 20_000
"""Domains with at most this many parameter sets are checked exhaustively (when CHECK_WORK allows)."""
SAMPLE_SIZE = 2_000
"""Larger domains are checked on this many sets, drawn with a fixed seed (fewer if CHECK_WORK says so)."""
CHECK_WORK = 4_000_000
"""Formula nodes that checking one template may evaluate (a formula node costs about 0.07 us: about
0.3 s). A template of 20 long constraints and 12 long distractors is checked on a smaller sample."""
LIST_WORK = 2_000_000
"""Formula nodes that listing the parameter sets meeting the constraints may evaluate; beyond it,
each draw is checked against the constraints instead."""
DRAW_ATTEMPTS = 1_000
"""Draws one variant may take (to meet the constraints, and to replace a draw that fails)."""
DRAW_WORK = 2_000_000
"""Formula nodes one variant may evaluate over all its draws."""

LATEX_BEFORE_BRACE = r"[_^}\\A-Za-z]"
"""After one of these, a ``{name}`` is a LaTeX group (``n_{\\mathrm{in}}``, ``\\sqrt{n}``), not a placeholder."""
PLACEHOLDER = re.compile(rf"(?<!{LATEX_BEFORE_BRACE})\{{([A-Za-z_][A-Za-z0-9_]*)\}}")
"""`{name}`, but not LaTeX's `n_{\\mathrm{in}}`, `x^{2}`, `\\frac{a}{b}` or `\\mathrm{Var}`."""


@dataclass(frozen=True)
class _Compiled:
    template: Template
    names: tuple[str, ...]
    answer: Formula
    constraints: tuple[Formula, ...]
    distractors: tuple[Formula, ...]
    precision: Precision

    @property
    def constraint_work(self) -> int:
        """Formula nodes that checking one parameter set against the constraints may evaluate."""
        return sum(c.size for c in self.constraints)

    @property
    def work(self) -> int:
        """Formula nodes that one parameter set may cost: constraints, answer and distractors."""
        return self.constraint_work + self.answer.size + sum(d.size for d in self.distractors)


def check_template(template: Template) -> list[tuple[FieldPath, str]]:
    """Every problem of a template, as (field path inside the template, message)."""
    problems: list[tuple[FieldPath, str]] = []
    compiled = _compile(template, problems)
    if compiled is None:
        return problems
    _check_domain(compiled, problems)
    return problems


def template_generator(template: Template, origin: str) -> Generator:
    """A generator that makes variants of a template that `check_template` accepted."""
    problems: list[tuple[FieldPath, str]] = []
    compiled = _compile(template, problems)
    if compiled is None or problems:
        raise GeneratorError(f"template {template.id!r} is invalid: {problems[0][1] if problems else '?'}")
    domain = _Domain(compiled)  # nothing evaluated yet: loading a bank stays cheap

    def build(rng: random.Random) -> dict[str, Any]:
        return _build(compiled, domain, rng)

    return Generator(
        id=template.id,
        topic=template.topic,
        title=template.title or template.prompt.splitlines()[0][:60],
        description=f"Template: answer = {template.answer}",
        params={name: _describe_domain(template, name) for name in compiled.names},
        build=build,
        space_size=domain.size,
        difficulty=template.difficulty,
        tags=template.tags,
        origin=origin,
        claims=template.claims,
        calculated=Calculated(
            prompt=template.prompt,
            answer=template.answer,
            explanation=template.explanation,
            tolerance=template.tolerance or 0.0,
            tolerance_type=template.tolerance_type,
            params=compiled.names,
        )
        if template.type in ("integer", "numeric")
        else None,
    )


# -- compiling and checking --------------------------------------------------------


def _compile(template: Template, problems: list[tuple[FieldPath, str]]) -> _Compiled | None:
    names = tuple(template.params)

    def parse(source: str, path: FieldPath, condition: bool = False) -> Formula | None:
        try:
            formula = Formula.parse(source, names, condition=condition)
            if not formula.names:  # constant: evaluate now, whatever the constraints say
                formula.evaluate({})
            return formula
        except FormulaError as exc:
            where = f" (column {exc.column})" if exc.column and "column" not in exc.message else ""
            problems.append((path, f"{exc.message}{where}"))
            return None

    answer = parse(template.answer, ("answer",))
    constraints = [parse(c, ("constraints", i), condition=True) for i, c in enumerate(template.constraints)]
    distractors = [
        parse(d.formula, ("distractors", i, "formula")) for i, d in enumerate(template.distractors)
    ]
    known = {*names, "answer"}
    texts: list[tuple[FieldPath, str | None]] = [
        (("prompt",), template.prompt),
        (("explanation",), template.explanation),
        (("hint",), template.hint),
        (("feedback",), template.feedback),
        *((("distractors", i, "feedback"), d.feedback) for i, d in enumerate(template.distractors)),
    ]
    for path, text in texts:
        for name in PLACEHOLDER.findall(text or ""):
            if name not in known:
                close = difflib.get_close_matches(name, sorted(known), n=1)
                hint = f" (did you mean {{{close[0]}}}?)" if close else ""
                problems.append(
                    (
                        path,
                        f"unknown placeholder {{{name}}}{hint}; placeholders: "
                        + ", ".join(f"{{{k}}}" for k in sorted(known)),
                    )
                )
    if "{answer}" in template.prompt:
        problems.append((("prompt",), "the prompt must not show {answer}"))
    if answer is None or None in constraints or None in distractors:
        return None
    return _Compiled(
        template,
        names,
        answer,
        tuple(c for c in constraints if c is not None),
        tuple(d for d in distractors if d is not None),
        stated_precision(template.prompt) or Precision("exact"),
    )


def _domain_size(template: Template, names: Sequence[str]) -> int:
    return math.prod(template.params[n].size() for n in names)


def _every_set(template: Template, names: Sequence[str]) -> Iterator[Values]:
    domains = [template.params[n] for n in names]
    return (
        dict(zip(names, (d.value(i) for d, i in zip(domains, indices, strict=True)), strict=True))
        for indices in itertools.product(*(range(d.size()) for d in domains))
    )


def _parameter_sets(
    template: Template, names: Sequence[str], work: int = 1
) -> tuple[Iterator[Values], int, bool]:
    """(parameter sets to check, how many, whether that is the whole domain), for sets that cost
    ``work`` formula nodes each: at most CHECK_WORK nodes in all."""
    total = _domain_size(template, names)
    if total <= ENUMERATE_UP_TO and total * work <= CHECK_WORK:
        return _every_set(template, names), total, True
    count = max(1, min(SAMPLE_SIZE, CHECK_WORK // max(1, work)))
    domains = [template.params[n] for n in names]
    rng = random.Random(0)
    sampled = (
        {n: d.value(rng.randrange(d.size())) for n, d in zip(names, domains, strict=True)}
        for _ in range(count)
    )
    return sampled, count, False


def _show(values: Values) -> str:
    return ", ".join(f"{k}={fmt(v)}" for k, v in values.items())


def _check_domain(compiled: _Compiled, problems: list[tuple[FieldPath, str]]) -> None:
    template = compiled.template
    sets, checked, whole = _parameter_sets(template, compiled.names, compiled.work)
    failed: set[FieldPath] = set()
    meeting = 0
    collapsed: Values | None = None

    def evaluate(formula: Formula, values: Values, path: FieldPath) -> int | float | bool | None:
        if path in failed:
            return None
        try:
            return formula.evaluate(values)
        except FormulaError as exc:
            failed.add(path)
            problems.append((path, f"for {_show(values)}: {exc.message}"))
            return None

    precision = compiled.precision
    misfit = False
    for values in sets:
        if not all(evaluate(c, values, ("constraints", i)) for i, c in enumerate(compiled.constraints)):
            continue
        meeting += 1
        answer = evaluate(compiled.answer, values, ("answer",))
        if answer is None:
            continue
        if template.type == "integer" and ("answer",) not in failed and not _integral(answer):
            failed.add(("answer",))
            problems.append(
                (
                    ("answer",),
                    f"for {_show(values)} the answer is {fmt(answer)}, not a whole number; "
                    "use type: numeric, or round(...)",
                )
            )
        wrong = [
            evaluate(d, values, ("distractors", i, "formula")) for i, d in enumerate(compiled.distractors)
        ]
        if template.type != "choice" and not misfit and all(w is not None for w in wrong):
            found = _tolerance_misfit(template, precision, answer, wrong)
            if found:
                misfit = True
                problems.append((found[0], f"for {_show(values)}: {found[1]}"))
        if template.type == "choice" and collapsed is None and all(w is not None for w in wrong):
            correct = Candidate(fmt(answer), float(answer))
            candidates = [Candidate(fmt(w), float(w)) for w in wrong if w is not None]
            if not distinct_distractors(correct, candidates):
                collapsed = values
    if meeting == 0 and not failed:
        scope = "of the" if whole else "in a sample of"
        problems.append(
            (
                ("constraints",),
                f"no parameter set {scope} {checked:,} meets the constraints; loosen them or widen the params",
            )
        )
    if collapsed is not None:
        problems.append(
            (
                ("distractors",),
                f"for {_show(collapsed)} every distractor equals the answer (within 2%); "
                "add distractors or constrain the params",
            )
        )


def _tolerance_misfit(
    template: Template,
    precision: Precision,
    answer: int | float | bool,
    wrong: Sequence[int | float | bool | None],
) -> tuple[FieldPath, str] | None:
    """Where and how the tolerance misfits one parameter set: rejects the answer as asked, or accepts a mistake."""
    accepted = Tolerance(float(answer), template.tolerance or 0.0, template.tolerance_type)
    labels = [
        (str(i), d.misconception, float(w or 0.0))
        for i, (d, w) in enumerate(zip(template.distractors, wrong, strict=True))
    ]
    for message in tolerance_problems(accepted, precision, labels):
        index, _, rest = message.partition(": ")
        if index.isdigit():
            return ("distractors", int(index)), rest
        return ("tolerance",), message
    return None


def _integral(value: int | float | bool) -> bool:
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def _meets(compiled: _Compiled, values: Values) -> bool:
    """Whether a parameter set meets every constraint; one that cannot be evaluated does not."""
    try:
        return all(c.evaluate(values) for c in compiled.constraints)
    except FormulaError:
        return False


class _Domain:
    """The parameter sets a template draws from: the list of those meeting the constraints, made on
    first use when it costs at most LIST_WORK formula nodes; otherwise draws are checked one by one."""

    def __init__(self, compiled: _Compiled) -> None:
        self.compiled = compiled
        self._listed: tuple[Values, ...] | None = None
        self._done = False

    def listed(self) -> tuple[Values, ...] | None:
        if not self._done:
            compiled = self.compiled
            total = _domain_size(compiled.template, compiled.names)
            if total <= ENUMERATE_UP_TO and total * compiled.constraint_work <= LIST_WORK:
                every = _every_set(compiled.template, compiled.names)
                self._listed = tuple(v for v in every if _meets(compiled, v))
            self._done = True
        return self._listed

    def size(self) -> int | None:
        """The number of distinct parameter sets, when they are listed."""
        listed = self.listed()
        return None if listed is None else len(listed)


def _describe_domain(template: Template, name: str) -> str:
    domain = template.params[name]
    if domain.choices is not None:
        return ", ".join(fmt(v) for v in domain.choices)
    step = f" step {domain.step}" if domain.step != 1 else ""
    return f"{domain.min}-{domain.max}{step}"


# -- building variants ----------------------------------------------------------------


class _Unusable(Exception):
    """A drawn parameter set that makes no usable question (its message says why)."""


def _build(compiled: _Compiled, domain: _Domain, rng: random.Random) -> dict[str, Any]:
    """The fields of one variant: the first draw that makes a usable question.

    Draws are bounded by DRAW_ATTEMPTS and DRAW_WORK. The first draw that works consumes the
    random numbers it always did, so a seed still names the same variant.
    """
    template = compiled.template
    listed = domain.listed()
    if listed is not None and not listed:
        raise GeneratorError(
            f"template {template.id!r}: no parameter set meets the constraints; loosen them or widen the params"
        )
    budget = DRAW_WORK
    draws = meeting = 0
    unusable: tuple[Values, str] | None = None
    while draws < DRAW_ATTEMPTS and budget > 0:
        draws += 1
        if listed is not None:
            values = dict(listed[rng.randrange(len(listed))])
        else:
            values = {
                n: template.params[n].value(rng.randrange(template.params[n].size())) for n in compiled.names
            }
            budget -= compiled.constraint_work
            if not _meets(compiled, values):
                continue
        meeting += 1
        budget -= compiled.work
        try:
            return _fields(compiled, values, rng)
        except _Unusable as exc:
            unusable = (values, str(exc))
    if unusable is None:
        raise GeneratorError(
            f"template {template.id!r}: none of {draws:,} drawn parameter sets meets the constraints; "
            "loosen them or narrow the params to where they hold"
        )
    values, reason = unusable
    raise GeneratorError(
        f"template {template.id!r}: no usable question in {draws:,} draws"
        + (f" ({meeting:,} met the constraints)" if meeting < draws else "")
        + f"; for {_show(values)} {reason}; add a constraint that excludes such parameters (or narrow the params)"
    )


def _value(formula: Formula, values: Values, what: str) -> int | float | bool:
    try:
        return formula.evaluate(values)
    except FormulaError as exc:
        raise _Unusable(f"{what} cannot be computed ({exc.message})") from None


Shown = dict[str, str | tuple[str, str]]
"""Placeholder name -> its text, or (text in prose, text inside $...$ maths) when they differ."""

_MATH = re.compile(r"(?<!\\)\$\$.+?(?<!\\)\$\$|(?<!\\)\$.+?(?<!\\)\$", re.DOTALL)


@functools.lru_cache(maxsize=512)
def _math_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Where ``text`` is ``$...$`` (or ``$$...$$``) maths: a template's text, the same for every variant."""
    return tuple(match.span() for match in _MATH.finditer(text))


def _fill(text: str | None, values: Shown) -> str | None:
    """``text`` with its placeholders replaced; a number that reads differently in maths (``3.66 \\times
    10^{-5}``) and in prose (``3.66 × 10⁻⁵``) is written as its place asks."""
    if text is None:
        return None

    def replace(match: re.Match[str]) -> str:
        value = values.get(match.group(1))
        if value is None:
            return match.group(0)
        if type(value) is str:
            return value
        start = match.start()
        return value[any(a <= start < b for a, b in _math_spans(text))]

    return PLACEHOLDER.sub(replace, text)


def _both(text: str, latex: str) -> str | tuple[str, str]:
    return text if text == latex else (text, latex)


def _parameter(value: int | float) -> str | tuple[str, str]:
    """A parameter exactly as `fmt` writes it, but with no ``e`` exponent: ``1e-5`` is ``1 × 10⁻⁵``."""
    text = fmt(value)
    if "e" not in text:
        return text
    number = Decimal(text)
    return (decimal_text(number, "unicode"), decimal_text(number, "latex"))


def _as_asked(value: float, precision: Precision) -> str | tuple[str, str]:
    """A computed number written to the precision the prompt states (exactly when it states none)."""
    if precision.kind == "significant":
        return _both(significant(value, precision.digits), significant(value, precision.digits, "latex"))
    if precision.kind == "decimals":
        number = written_as_asked(value, precision)
        return _both(decimal_text(number, "unicode"), decimal_text(number, "latex"))
    if _integral(value) and abs(value) < 1e15:
        return str(int(value))
    return _parameter(value)


def _choice_number(value: float, figures: int) -> str | tuple[str, str]:
    """A choice template's number in its texts: as its option shows it (or exactly, when short)."""
    return _both(short(value, figures), short(value, figures, "latex"))


def _prose(value: str | tuple[str, str]) -> str:
    return value if type(value) is str else value[0]


def _fields(compiled: _Compiled, values: Values, rng: random.Random) -> dict[str, Any]:
    """The question's fields for one parameter set; raises _Unusable when it makes no usable question."""
    template = compiled.template
    answer = _value(compiled.answer, values, "the answer")
    wrong = [
        float(_value(formula, values, f"distractor {i + 1} ({spec.formula})"))
        for i, (formula, spec) in enumerate(zip(compiled.distractors, template.distractors, strict=True))
    ]
    if template.type == "integer" and not _integral(answer):
        raise _Unusable(f"the answer is {fmt(answer)}, not a whole number")
    if template.type != "choice":
        misfit = _tolerance_misfit(template, compiled.precision, answer, wrong)
        if misfit is not None:
            raise _Unusable(misfit[1])
    shown: Shown = {name: _parameter(value) for name, value in values.items()}
    if template.type == "choice":
        return _choice_fields(compiled, values, rng, answer, wrong, shown)
    precision = compiled.precision
    shown["answer"] = _as_asked(answer, precision)
    fields = _text_fields(template, values, shown)
    mistakes = [
        {
            "value": value,
            "misconception": spec.misconception,
            "feedback": _fill(spec.feedback, shown)
            or f"{_prose(_as_asked(value, precision))} comes from {spec.formula}; the answer is {template.answer}.",
        }
        for value, spec in zip(wrong, template.distractors, strict=True)
    ]
    if template.type == "integer":
        fields.update(answer=int(answer), mistakes=mistakes)
    else:
        fields.update(
            answer=float(answer),
            tolerance=template.tolerance,
            tolerance_type=template.tolerance_type,
            mistakes=mistakes,
        )
    return fields


def _text_fields(template: Template, values: Values, shown: Shown) -> dict[str, Any]:
    return {
        "type": template.type,
        "params": values,
        "prompt": _fill(template.prompt, shown),
        "explanation": _fill(template.explanation, shown),
        "hint": _fill(template.hint, shown),
        "difficulty": template.difficulty,
        "tags": template.tags,
        "source": template.source,
        "claims": template.claims,
    }


def _choice_fields(
    compiled: _Compiled,
    values: Values,
    rng: random.Random,
    answer: int | float | bool,
    wrong: list[float],
    shown: Shown,
) -> dict[str, Any]:
    """A choice variant: options told apart (and drawn) as they always were, then written to 3 significant
    figures (more when two would read alike), and every number of its texts as its options show it."""
    template = compiled.template
    correct = Candidate(fmt(answer), float(answer))
    candidates = [
        Candidate(fmt(value), value, spec.misconception, str(i))
        for i, (value, spec) in enumerate(zip(wrong, template.distractors, strict=True))
    ]
    usable = distinct_distractors(correct, candidates)
    if not usable:
        raise _Unusable(f"every distractor equals the answer {fmt(answer)} (within 2%)")
    count = min(template.options, len(usable) + 1)
    options, position = choose_options(rng, correct, usable, count)
    figures = option_figures([option["value"] for option in options])
    for option in options:
        option["text"] = significant(option["value"], figures)
    shown["answer"] = _choice_number(answer, figures)
    for number, option in enumerate(options, start=1):
        if number == position:
            option["feedback"] = _fill(template.feedback, shown) or f"Correct: {option['text']}."
        else:
            spec = template.distractors[int(option["feedback"])]
            option["feedback"] = (
                _fill(spec.feedback, shown)
                or f"{_prose(_choice_number(option['value'], figures))} comes from {spec.formula}; "
                f"the answer is {template.answer}."
            )
    fields = _text_fields(template, values, shown)
    fields["options"], fields["answer"] = options, position
    return fields
