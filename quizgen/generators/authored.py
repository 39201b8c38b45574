"""Templates authored in bank files: a lecturer's parametric question, without Python.

:func:`check_template` finds every problem a template can have at load time (bad
formulas, unknown placeholders, constraints nothing meets, a formula that fails
for some allowed parameters) so that generating from it can never fail later.
It checks the whole parameter domain when it is small and a seeded sample when
it is large. :func:`template_generator` turns a checked template into a
:class:`~.base.Generator` like the built-in ones.
"""

from __future__ import annotations

import difflib
import itertools
import math
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ..formula import Formula, FormulaError
from ..models import Template, Tolerance
from ..numbers import fmt
from ..precision import Precision, stated_precision, tolerance_problems
from .base import Calculated, Candidate, Generator, GeneratorError, choose_options, distinct_distractors

FieldPath = tuple[str | int, ...]
Values = dict[str, int | float]

ENUMERATE_UP_TO = 20_000
"""Domains with at most this many parameter sets are checked exhaustively."""
SAMPLE_SIZE = 2_000
"""Larger domains are checked on this many sets, drawn with a fixed seed."""
DRAW_ATTEMPTS = 1_000

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
    satisfying = _satisfying_sets(compiled)

    def build(rng: random.Random) -> dict[str, Any]:
        return _build(compiled, satisfying, rng)

    return Generator(
        id=template.id,
        topic=template.topic,
        title=template.title or template.prompt.splitlines()[0][:60],
        description=f"Template: answer = {template.answer}",
        params={name: _describe_domain(template, name) for name in compiled.names},
        build=build,
        space_size=len(satisfying) if satisfying is not None else None,
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
    )


def _parameter_sets(template: Template, names: Sequence[str]) -> tuple[Iterator[Values], int, bool]:
    """(parameter sets to check, how many, whether that is the whole domain)."""
    domains = [template.params[n] for n in names]
    total = math.prod(d.size() for d in domains)
    if total <= ENUMERATE_UP_TO:
        sets = (
            dict(zip(names, (d.value(i) for d, i in zip(domains, indices, strict=True)), strict=True))
            for indices in itertools.product(*(range(d.size()) for d in domains))
        )
        return sets, total, True
    rng = random.Random(0)
    sampled = (
        {n: d.value(rng.randrange(d.size())) for n, d in zip(names, domains, strict=True)}
        for _ in range(SAMPLE_SIZE)
    )
    return sampled, SAMPLE_SIZE, False


def _show(values: Values) -> str:
    return ", ".join(f"{k}={fmt(v)}" for k, v in values.items())


def _check_domain(compiled: _Compiled, problems: list[tuple[FieldPath, str]]) -> None:
    template = compiled.template
    sets, checked, whole = _parameter_sets(template, compiled.names)
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

    precision = stated_precision(template.prompt) or Precision("exact")
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


def _satisfying_sets(compiled: _Compiled) -> tuple[Values, ...] | None:
    sets, _, whole = _parameter_sets(compiled.template, compiled.names)
    if not whole:
        return None
    return tuple(v for v in sets if all(c.evaluate(v) for c in compiled.constraints))


def _describe_domain(template: Template, name: str) -> str:
    domain = template.params[name]
    if domain.choices is not None:
        return ", ".join(fmt(v) for v in domain.choices)
    step = f" step {domain.step}" if domain.step != 1 else ""
    return f"{domain.min}-{domain.max}{step}"


# -- building variants ----------------------------------------------------------------


def _draw(compiled: _Compiled, satisfying: tuple[Values, ...] | None, rng: random.Random) -> Values:
    if satisfying is not None:
        return dict(satisfying[rng.randrange(len(satisfying))])
    template = compiled.template
    for _ in range(DRAW_ATTEMPTS):
        values: Values = {
            n: template.params[n].value(rng.randrange(template.params[n].size())) for n in compiled.names
        }
        if all(c.evaluate(values) for c in compiled.constraints):
            return values
    raise GeneratorError(
        f"template {template.id!r}: no parameters meeting the constraints in {DRAW_ATTEMPTS} draws; loosen them"
    )


def _fill(text: str | None, values: dict[str, str]) -> str | None:
    if text is None:
        return None
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def _build(compiled: _Compiled, satisfying: tuple[Values, ...] | None, rng: random.Random) -> dict[str, Any]:
    template = compiled.template
    values = _draw(compiled, satisfying, rng)
    answer = compiled.answer.evaluate(values)
    shown = {name: fmt(value) for name, value in values.items()}
    shown["answer"] = fmt(answer)
    fields: dict[str, Any] = {
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
    if template.type in ("integer", "numeric"):
        mistakes = [
            {
                "value": (value := float(formula.evaluate(values))),
                "misconception": spec.misconception,
                "feedback": _fill(spec.feedback, shown)
                or f"{fmt(value)} comes from {spec.formula}; the answer is {template.answer}.",
            }
            for formula, spec in zip(compiled.distractors, template.distractors, strict=True)
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
    else:
        correct = Candidate(
            fmt(answer), float(answer), feedback=_fill(template.feedback, shown) or f"Correct: {fmt(answer)}."
        )
        wrong = [
            Candidate(
                fmt(value := float(formula.evaluate(values))),
                value,
                spec.misconception,
                _fill(spec.feedback, shown)
                or f"{fmt(value)} comes from {spec.formula}; the answer is {template.answer}.",
            )
            for formula, spec in zip(compiled.distractors, template.distractors, strict=True)
        ]
        usable = distinct_distractors(correct, wrong)
        count = min(template.options, len(usable) + 1)
        fields["options"], fields["answer"] = choose_options(rng, correct, usable, count)
    return fields
