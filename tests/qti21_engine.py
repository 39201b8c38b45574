"""A small QTI 2.1 delivery engine for the tests: what a candidate's answer becomes, and what response
processing then sets, read from the IMS QTI 2.1 specification (assessmentItem, response processing and
its expressions), not from quizgen's code (this module does not import quizgen).

It implements only what quizgen's export uses, and raises ``NotImplementedError`` naming anything else, so
a new operator in the export fails its test loudly rather than being skipped:

- :func:`candidate_response`: what a delivery engine stores for what a candidate did. A choiceInteraction
  stores the chosen identifiers (single: one or NULL; multiple: a multiset, empty is NULL). A
  textEntryInteraction stores the typed text converted to the response's base type by XML Schema's
  lexical rules, after XML Schema's whitespace collapse (leading and trailing spaces, tabs and line ends
  are dropped) for float and integer: float is ``xsd:double`` (``[+-]?(d+(.d*)?|.d+)([eE][+-]?d+)?`` with
  ASCII digits, and ``INF``, ``-INF``, ``NaN``, which XML Schema 1.0 reads as doubles, so this engine does
  too); integer is ``xsd:int`` (``[+-]?d+`` within -2^31..2^31-1). Text that is not in the lexical space
  leaves the response NULL, as engines such as QTIWorks do when input is not a valid value. A string is
  stored as typed; the empty string is NULL.
- :func:`run`: outcome defaults (``defaultValue``; else 0 for a single integer or float, NULL otherwise),
  then the response rules: responseCondition (responseIf / responseElseIf / responseElse; a condition that
  is NULL counts as false), setOutcomeValue; expressions baseValue, variable, correct, isNull, match,
  equal, patternMatch, multiple, and, or, not.
- :func:`shown_feedback`: the modalFeedback shown for the outcomes.

Values are :class:`Value` (base type, cardinality, data); NULL is ``None``. Per the specification an empty
container and an empty string are NULL, so they are never built. Numbers are IEEE doubles, as in Java
engines: ``equal`` computes its bounds in double arithmetic.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from xml.etree import ElementTree as ET

QTI = "{http://www.imsglobal.org/xsd/imsqti_v2p1}"
INT_MIN, INT_MAX = -(2**31), 2**31 - 1


@dataclass(frozen=True)
class Value:
    base: str
    """identifier, string, integer, float or boolean"""
    cardinality: str
    """single, multiple or ordered"""
    data: Any
    """single: the value; a container: a tuple of its values (never empty)"""


def plain(value: Value | None) -> Any:
    """A value for comparisons in tests: None for NULL, a single value as is, a multiple container as a
    sorted tuple (a multiset), an ordered one as its tuple."""
    if value is None or value.cardinality == "single":
        return None if value is None else value.data
    return tuple(sorted(value.data)) if value.cardinality == "multiple" else value.data


def _make(base: str, cardinality: str, values: Iterable[Any]) -> Value | None:
    """A value from Python values, NULL when nothing is left (None members, empty strings dropped)."""
    kept = tuple(v for v in values if v is not None and not (base == "string" and v == ""))
    if not kept:
        return None
    if cardinality == "single":
        if len(kept) != 1:
            raise ValueError(f"a single {base} value with {len(kept)} values")
        return Value(base, "single", kept[0])
    return Value(base, cardinality, kept)


def _boolean(flag: bool) -> Value:
    return Value("boolean", "single", flag)


# -- XML Schema lexical spaces ------------------------------------------------------------------

_DOUBLE = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
_INT = re.compile(r"[+-]?[0-9]+")
_SPECIAL_DOUBLES = {"INF": math.inf, "-INF": -math.inf, "NaN": math.nan}


def _collapse(text: str) -> str:
    """XML Schema's whitespace collapse: only space, tab, CR and LF are whitespace."""
    return re.sub(r"[ \t\n\r]+", " ", text).strip(" ")


def parse_value(base: str, text: str) -> Any:
    """``text`` as a value of ``base``, or None when it is not in the type's lexical space."""
    if base == "string":
        return text
    text = _collapse(text)
    if base == "float":
        if text in _SPECIAL_DOUBLES:
            return _SPECIAL_DOUBLES[text]
        return float(text) if _DOUBLE.fullmatch(text) else None
    if base == "integer":
        number = int(text) if _INT.fullmatch(text) else None
        return number if number is not None and INT_MIN <= number <= INT_MAX else None
    if base == "identifier":
        return text or None
    if base == "boolean":
        return {"true": True, "1": True, "false": False, "0": False}.get(text)
    raise NotImplementedError(f"base type {base!r}")


# -- what the candidate did ---------------------------------------------------------------------


def _declaration(item: ET.Element, kind: str, identifier: str) -> ET.Element:
    for element in item.iter(f"{QTI}{kind}"):
        if element.get("identifier") == identifier:
            return element
    raise ValueError(f"no {kind} {identifier!r}")


def candidate_response(
    item: ET.Element, typed: str | Iterable[str] | None, identifier: str = "RESPONSE"
) -> Value | None:
    """The response variable a delivery engine stores: ``typed`` is the chosen identifier(s) of a
    choiceInteraction, or the text typed into a textEntryInteraction; None is no answer."""
    declaration = _declaration(item, "responseDeclaration", identifier)
    base, cardinality = declaration.get("baseType", ""), declaration.get("cardinality", "")
    interaction = next((e for e in item.iter() if e.get("responseIdentifier") == identifier), None)
    kind = "(none)" if interaction is None else interaction.tag.removeprefix(QTI)
    if interaction is not None and kind == "choiceInteraction":
        chosen = [] if typed is None else [typed] if isinstance(typed, str) else list(typed)
        offered = {choice.get("identifier", "") for choice in interaction.iter(f"{QTI}simpleChoice")}
        if not set(chosen) <= offered or len(set(chosen)) != len(chosen):
            raise ValueError(f"a candidate cannot choose {chosen} from {sorted(offered)}")
        most = int(interaction.get("maxChoices", "1"))
        if most and len(chosen) > most:
            raise ValueError(f"maxChoices={most}: a candidate cannot choose {len(chosen)}")
        return _make(base, cardinality, chosen)
    if kind == "textEntryInteraction" and cardinality == "single":
        if typed is not None and not isinstance(typed, str):
            raise TypeError("a text entry takes a string")
        return None if typed is None else _make(base, "single", [parse_value(base, typed)])
    raise NotImplementedError(f"<{kind}> with cardinality {cardinality!r}")


# -- response processing ------------------------------------------------------------------------


@dataclass
class _State:
    item: ET.Element
    variables: dict[str, Value | None]
    outcomes: dict[str, tuple[str, str]]
    """outcome identifier -> (base type, cardinality)"""


def _values(declaration: ET.Element, holder: str) -> Value | None:
    base, cardinality = declaration.get("baseType", ""), declaration.get("cardinality", "")
    element = declaration.find(f"{QTI}{holder}")
    if element is None:
        return None
    values = [parse_value(base, v.text or "") for v in element.findall(f"{QTI}value")]
    if None in values:
        raise ValueError(f"<{holder}> of {declaration.get('identifier')} holds a value not of type {base}")
    return _make(base, cardinality, values)


def run(item: ET.Element, responses: Mapping[str, Value | None]) -> dict[str, Value | None]:
    """The outcome variables after response processing of ``responses`` (response identifier -> value)."""
    state = _State(item, dict(responses), {})
    for declaration in item.findall(f"{QTI}outcomeDeclaration"):
        identifier = declaration.get("identifier", "")
        base, cardinality = declaration.get("baseType", ""), declaration.get("cardinality", "")
        state.outcomes[identifier] = (base, cardinality)
        value = _values(declaration, "defaultValue")
        if declaration.find(f"{QTI}defaultValue") is None and cardinality == "single":
            value = {"integer": Value(base, "single", 0), "float": Value(base, "single", 0.0)}.get(base)
        state.variables[identifier] = value
    processing = item.find(f"{QTI}responseProcessing")
    if processing is not None:
        if processing.get("template") or processing.get("templateLocation"):
            raise NotImplementedError("responseProcessing by template")
        _rules(list(processing), state)
    return {identifier: state.variables[identifier] for identifier in state.outcomes}


def _rules(rules: list[ET.Element], state: _State) -> None:
    for rule in rules:
        name = rule.tag.removeprefix(QTI)
        if name == "responseCondition":
            _condition(rule, state)
        elif name == "setOutcomeValue":
            _set_outcome(rule, state)
        else:
            raise NotImplementedError(f"response rule <{name}>")


def _condition(rule: ET.Element, state: _State) -> None:
    branches = list(rule)
    names = [branch.tag.removeprefix(QTI) for branch in branches]
    if not names or names[0] != "responseIf" or "responseIf" in names[1:] or "responseElse" in names[:-1]:
        raise ValueError(f"a responseCondition of {names}")
    for branch, name in zip(branches, names, strict=True):
        if name == "responseElse":
            _rules(list(branch), state)
            return
        if name not in ("responseIf", "responseElseIf"):
            raise NotImplementedError(f"<{name}> in responseCondition")
        test, *body = list(branch)
        if _truth(_evaluate(test, state)):  # NULL is not true
            _rules(body, state)
            return


def _set_outcome(rule: ET.Element, state: _State) -> None:
    identifier = rule.get("identifier", "")
    if identifier not in state.outcomes:
        raise ValueError(f"setOutcomeValue of {identifier!r}, which is not an outcome")
    (expression,) = list(rule)
    value = _evaluate(expression, state)
    base, cardinality = state.outcomes[identifier]
    if value is not None:
        if value.cardinality != cardinality:
            raise TypeError(f"{identifier} is {cardinality}, given {value.cardinality}")
        if value.base == "integer" and base == "float":  # the one conversion the specification allows
            value = Value(
                "float",
                cardinality,
                float(value.data) if cardinality == "single" else tuple(map(float, value.data)),
            )
        if value.base != base:
            raise TypeError(f"{identifier} is {base}, given {value.base}")
    state.variables[identifier] = value


def _truth(value: Value | None) -> bool:
    if value is not None and (value.base, value.cardinality) != ("boolean", "single"):
        raise TypeError(f"a condition of {value.cardinality} {value.base}")
    return value is not None and value.data is True


def _single(value: Value, *bases: str) -> Any:
    if value.cardinality != "single" or value.base not in bases:
        raise TypeError(f"expected a single {' or '.join(bases)}, got {value.cardinality} {value.base}")
    return value.data


def _evaluate(element: ET.Element, state: _State) -> Value | None:
    name = element.tag.removeprefix(QTI)
    arguments = list(element)
    if name in ("baseValue", "variable", "correct") and arguments:
        raise ValueError(f"<{name}> has no sub-expressions")
    if name == "baseValue":
        base = element.get("baseType", "")
        value = parse_value(base, element.text or "")
        if value is None:
            raise ValueError(f"<baseValue baseType={base!r}>{element.text}</baseValue> is not of its type")
        return _make(base, "single", [value])
    if name == "variable":
        identifier = element.get("identifier", "")
        if identifier not in state.variables:
            raise ValueError(f"<variable identifier={identifier!r}> is not declared")
        return state.variables[identifier]
    if name == "correct":
        return _values(
            _declaration(state.item, "responseDeclaration", element.get("identifier", "")), "correctResponse"
        )
    values = [_evaluate(argument, state) for argument in arguments]
    if name == "multiple":
        members = [v for v in values if v is not None]
        if (
            any(v.cardinality not in ("single", "multiple") for v in members)
            or len({v.base for v in members}) > 1
        ):
            raise TypeError("<multiple> takes single or multiple values of one base type")
        flat = [x for v in members for x in (v.data if v.cardinality == "multiple" else (v.data,))]
        return _make(members[0].base, "multiple", flat) if members else None
    if name in ("and", "or"):
        if not values:
            raise ValueError(f"<{name}> needs a sub-expression")
        flags = [None if v is None else _single(v, "boolean") for v in values]
        decisive = name == "or"  # the value that decides: any true makes or true, any false makes and false
        if decisive in flags:
            return _boolean(decisive)
        return None if None in flags else _boolean(not decisive)
    if len(values) != {"isNull": 1, "not": 1, "patternMatch": 1, "match": 2, "equal": 2}.get(name, -1):
        if name in ("isNull", "not", "patternMatch", "match", "equal"):
            raise ValueError(f"<{name}> with {len(values)} sub-expressions")
        raise NotImplementedError(f"<{name}> is not an operator this engine implements")
    if name == "isNull":
        return _boolean(values[0] is None)
    if any(v is None for v in values):
        return None  # every other operator here is NULL when an operand is
    present = [v for v in values if v is not None]
    if name == "not":
        return _boolean(not _single(present[0], "boolean"))
    if name == "patternMatch":
        return _boolean(
            xsd_regex(element.get("pattern", "")).fullmatch(_single(present[0], "string")) is not None
        )
    if name == "match":
        return _boolean(_match(*present))
    return _boolean(_equal(element, *present))


def _match(a: Value, b: Value) -> bool:
    if (a.base, a.cardinality) != (b.base, b.cardinality):
        raise TypeError(f"<match> of {a.cardinality} {a.base} and {b.cardinality} {b.base}")
    if a.base == "float":
        raise TypeError("<match> must not compare floats (use <equal>)")
    if a.cardinality == "multiple":
        return Counter(a.data) == Counter(b.data)
    return bool(a.data == b.data)


def _equal(element: ET.Element, a: Value, b: Value) -> bool:
    """y (the second) within the range the first, x, and the tolerance define."""
    x, y = (float(_single(v, "integer", "float")) for v in (a, b))
    mode = element.get("toleranceMode", "exact")
    if mode == "exact":
        return x == y
    words = element.get("tolerance", "").split()
    if any(word.startswith("{") for word in words):
        raise NotImplementedError("a tolerance from a template variable")
    if not 1 <= len(words) <= 2 or any(not _DOUBLE.fullmatch(w) for w in words):
        raise ValueError(f"tolerance={element.get('tolerance')!r}")
    t0, t1 = float(words[0]), float(words[-1])
    if mode == "absolute":
        low, high = x - t0, x + t1
    elif mode == "relative":
        low, high = sorted((x * (1 - t0 / 100), x * (1 + t1 / 100)))  # (x < 0 swaps them)
    else:
        raise ValueError(f"toleranceMode={mode!r}")
    include_low = element.get("includeLowerBound", "true") == "true"
    include_high = element.get("includeUpperBound", "true") == "true"
    above = low <= y if include_low else low < y
    below = y <= high if include_high else y < high
    return above and below


# -- XML Schema regular expressions -------------------------------------------------------------

_SINGLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", **{c: c for c in "\\|.-^?*+{}()[]"}}
_SPACE = " \\t\\n\\r"  # XSD \s: only these four
_QUANTIFIER = re.compile(r"[?*+]|\{[0-9]+(,[0-9]*)?\}")


def _escape(pattern: str, i: int, in_class: bool) -> tuple[str, str]:
    """The escape at ``pattern[i]``: ("char", c) for a single character, or ("set", python fragment)."""
    e = pattern[i + 1 : i + 2]
    if e in _SINGLE_ESCAPES:
        return "char", _SINGLE_ESCAPES[e]
    sets = {
        "s": f"[{_SPACE}]",
        "S": f"[^{_SPACE}]",
        "d": r"\d",
        "D": r"\D",
    }  # Python's \d: Unicode Nd, as XSD's
    if e in sets and not (in_class and e == "S"):
        return "set", _SPACE if in_class and e == "s" else sets[e]
    raise NotImplementedError(f"the XML Schema escape \\{e} in {pattern!r}")


def _char_class(pattern: str, i: int) -> tuple[str, int]:
    """The character class at ``pattern[i] == '['`` as Python, and where it ends."""
    i += 1
    negate = pattern.startswith("^", i)
    i += negate
    tokens: list[tuple[str, str, bool]] = []  # (kind, text, written plainly)
    while True:
        if i >= len(pattern):
            raise ValueError(f"unclosed [ in {pattern!r}")
        c = pattern[i]
        if c == "]" and tokens:
            i += 1
            break
        if c in "[]":
            raise NotImplementedError(f"a nested class or class subtraction in {pattern!r}")
        if c == "\\":
            kind, text = _escape(pattern, i, True)
            tokens.append((kind, text, False))
            i += 2
        else:
            tokens.append(("char", c, True))
            i += 1
    out, j = [], 0
    while j < len(tokens):
        kind, text, _ = tokens[j]
        if (
            kind == "char"
            and j + 2 < len(tokens)
            and tokens[j + 1] == ("char", "-", True)
            and tokens[j + 2][0] == "char"
        ):
            if ord(text) > ord(tokens[j + 2][1]):
                raise ValueError(f"a reversed range in {pattern!r}")
            out.append(f"{re.escape(text)}-{re.escape(tokens[j + 2][1])}")
            j += 3
            continue
        if tokens[j] == ("char", "-", True) and 0 < j < len(tokens) - 1:
            raise ValueError(f"an unescaped - inside a class in {pattern!r}")
        out.append(re.escape(text) if kind == "char" else text)
        j += 1
    return f"[{'^' if negate else ''}{''.join(out)}]", i


@lru_cache(maxsize=4096)
def xsd_regex(pattern: str) -> re.Pattern[str]:
    """An XML Schema regular expression as a Python one; use ``fullmatch`` (XSD patterns are anchored)."""
    out: list[str] = []
    i, quantifiable = 0, False
    while i < len(pattern):
        c = pattern[i]
        quantifier = _QUANTIFIER.match(pattern, i)
        if quantifier:
            if not quantifiable:
                raise ValueError(f"a quantifier with nothing to repeat in {pattern!r}")
            out.append(quantifier.group())
            i, quantifiable = quantifier.end(), False
            continue
        if c == "\\":
            kind, text = _escape(pattern, i, False)
            out.append(re.escape(text) if kind == "char" else text)
            i += 2
        elif c == "[":
            text, i = _char_class(pattern, i)
            out.append(text)
        elif c == ".":
            out.append(r"[^\n\r]")
            i += 1
        elif c in "(|":
            out.append(c)
            i += 1
            quantifiable = False
            continue
        elif c == ")":
            out.append(c)
            i += 1
        elif c in "]{}":
            raise ValueError(f"an unescaped {c} in {pattern!r}")
        else:  # every other character is itself, ^ and $ too
            out.append(re.escape(c))
            i += 1
        quantifiable = True
    return re.compile("".join(out))


# -- feedback -----------------------------------------------------------------------------------


def shown_feedback(item: ET.Element, outcomes: Mapping[str, Value | None]) -> set[str]:
    """Identifiers of the item's modalFeedback shown: showHide="show" when its identifier is the outcome's
    value (or one of them), "hide" when it is not."""
    shown = set()
    for feedback in item.findall(f"{QTI}modalFeedback"):
        value = outcomes[feedback.get("outcomeIdentifier", "")]
        identifier = feedback.get("identifier")
        if value is None:
            present = False
        elif value.base != "identifier":
            raise TypeError(f"modalFeedback on a {value.base} outcome")
        else:
            present = identifier == value.data if value.cardinality == "single" else identifier in value.data
        if present == (feedback.get("showHide", "show") == "show"):
            shown.add(identifier or "")
    return shown
