"""The formula evaluator: right values, exact integers, every refusal, bounded work.

Expected values come from hand-written Python (and, for the property test, from a small
interpreter written here over a tree of tuples), never from the evaluator itself.
"""

from __future__ import annotations

import ast
import dataclasses
import enum
import math
import pickle
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

import numpy as np
import pytest
from hypothesis import event, given
from hypothesis import strategies as st

import quizgen.formula
from quizgen import QuizgenError
from quizgen.formula import ALLOWED_FUNCTIONS, Formula, FormulaError

from .timing import within

FANS = ["n_in", "n_out"]


def parse_error(source: str, names: list[str] | None = None, *, condition: bool = False) -> FormulaError:
    with pytest.raises(FormulaError) as info:
        Formula.parse(source, names, condition=condition)
    return info.value


def evaluate_error(source: str, values: dict[str, Any], *, condition: bool = False) -> FormulaError:
    formula = Formula.parse(source, condition=condition)
    with pytest.raises(FormulaError) as info:
        formula.evaluate(values)
    return info.value


# ---------------------------------------------------------------------------------------
# Values


@pytest.mark.parametrize(
    ("source", "values", "expected"),
    [
        ("n_in + n_out", {"n_in": 300, "n_out": 100}, 400),
        ("sqrt(6/(n_in + n_out))", {"n_in": 300, "n_out": 100}, 0.12247448713915890),
        ("2/(n_in*n_out)", {"n_in": 300, "n_out": 100}, 2 / 30000),
        ("2/(n_in + n_out)", {"n_in": 3, "n_out": 1}, 0.5),
        ("sqrt(2/n_in)", {"n_in": 8}, 0.5),
        ("n_in - n_out * 2", {"n_in": 3, "n_out": 4}, -5),
        ("(n_in - n_out) * 2", {"n_in": 3, "n_out": 4}, -2),
        ("-n ** 2", {"n": 3}, -9),
        ("2 ** 3 ** 2", {}, 512),
        ("2 ** -1", {}, 0.5),
        # ** at the edges of its cases (each written out by hand):
        ("n ** 0", {"n": 7}, 1),  # int ** 0 is the int 1 (exact path), not 1.0
        ("0 ** 3", {}, 0),  # base 0 skips the size check (log2(0) is undefined)
        ("(-1) ** 1000001", {}, -1),  # base -1 never grows
        ("n ** 2", {"n": 0.0}, 0.0),  # 0.0 ** positive is 0.0: not a division by zero, not 'too small'
        ("n ** m", {"n": 0.0, "m": 0}, 1.0),  # 0.0 ** 0 is 1.0, as in Python
        ("n ** m", {"n": 0, "m": 0.0}, 1.0),
        ("n ** m", {"n": -2, "m": 2.0}, 4.0),  # a negative base with a whole float exponent is real
        ("n ** m", {"n": 0.25, "m": 0.5}, 0.5),  # a base in [0, 1) with a fractional exponent
        ("n ** m", {"n": 0, "m": 0.5}, 0.0),  # 0 ** 0.5 is 0.0: zero is not a negative base
        ("n ** m", {"n": 1, "m": -10000}, 1.0),  # an exponent of size 10000 is within the limit
        ("n ** m", {"n": -1.0, "m": 10000.0}, 1.0),
        ("-7 // 2", {}, -4),
        ("-7 % 3", {}, 2),
        ("7.5 // 2", {}, 3.0),
        ("7.5 % 2", {}, 1.5),
        ("+n", {"n": 4}, 4),
        ("--n", {"n": 4}, 4),
        ("abs(-3)", {}, 3),
        ("abs(n - 10)", {"n": 2.5}, 7.5),
        ("min(3, 1, 2)", {}, 1),
        ("max(n, 2.5)", {"n": 3}, 3),
        ("round(2.675, 2)", {}, 2.67),  # the binary float is a little below 2.675
        ("round(2.5)", {}, 2),  # half to even, as Python rounds
        ("round(1234, -2)", {}, 1200),
        ("round(x, n)", {"x": 1.23456, "n": 3}, 1.235),
        ("log(100, 10)", {}, 2.0),
        ("log(8, 2)", {}, 3.0),
        ("log(8, n)", {"n": 0.5}, -3.0),  # a base below 1 is allowed: 0.5 ** -3 == 8
        ("log(1)", {}, 0.0),
        ("exp(0)", {}, 1.0),
        ("exp(1)", {}, 2.718281828459045),
        ("sqrt(16)", {}, 4.0),
        ("1e3 + 0.5", {}, 1000.5),
        ("0x10 + 1_000", {}, 1016),
        ("10**30", {}, 10**30),
        ("sqrt(6 /\n  (n_in + n_out))\n", {"n_in": 1, "n_out": 5}, 1.0),
        ("n +\\\n 1", {"n": 1}, 2),
        ("  n + 1", {"n": 1}, 2),
    ],
)
def test_values(source: str, values: dict[str, float], expected: float) -> None:
    result = Formula.parse(source).evaluate(values)
    assert result == expected
    assert type(result) is type(expected)


def test_values_against_a_hand_written_computation() -> None:
    formula = Formula.parse("sqrt(6/(n_in + n_out))", FANS)
    fan = Formula.parse("(n_in + n_out) / 2", FANS)
    for n_in in (1, 7, 64, 300, 1024):
        for n_out in (1, 10, 256):
            values = {"n_in": n_in, "n_out": n_out}
            assert formula.evaluate(values) == math.sqrt(6 / (n_in + n_out))
            assert fan.evaluate(values) == (n_in + n_out) / 2


@pytest.mark.parametrize(
    "source", ["n_in + n_out", "n_in - n_out", "n_in * n_out", "n_in // n_out", "n_in % n_out", "n_in ** 2"]
)
def test_integers_stay_integers(source: str) -> None:
    result = Formula.parse(source).evaluate({"n_in": 12, "n_out": 5})
    assert type(result) is int


def test_integer_arithmetic_is_exact() -> None:
    # 10**20 + 1 is not a float; a float round trip would lose the 1.
    assert Formula.parse("n * n + 1").evaluate({"n": 10**10}) == 10**20 + 1
    assert Formula.parse("3 ** 60").evaluate({}) == 42391158275216203514294433201


@pytest.mark.parametrize(("source", "expected"), [("n / 2", 2.0), ("sqrt(n)", 2.0), ("2 ** -2", 0.25)])
def test_division_and_functions_give_floats(source: str, expected: float) -> None:
    result = Formula.parse(source).evaluate({"n": 4})
    assert result == expected
    assert type(result) is float


@pytest.mark.parametrize(
    ("source", "values", "expected"),
    [
        ("n_in > n_out", {"n_in": 3, "n_out": 2}, True),
        ("n_in > n_out", {"n_in": 2, "n_out": 2}, False),
        ("1 < n < 5", {"n": 3}, True),
        ("1 < n < 5", {"n": 5}, False),
        ("1 < n < 5", {"n": 1}, False),
        ("0 <= n <= 10 != n", {"n": 9}, True),
        ("n == 2 or n == 3", {"n": 3}, True),
        ("n >= 2 and n != 3", {"n": 3}, False),
        ("not n > 2", {"n": 3}, False),
        ("not (n > 2 and n < 5)", {"n": 7}, True),
        ("n_in % 2 == 0 and sqrt(n_in) < n_out", {"n_in": 16, "n_out": 5}, True),
    ],
)
def test_conditions(source: str, values: dict[str, int], expected: bool) -> None:
    formula = Formula.parse(source, condition=True)
    assert formula.is_condition
    assert formula.evaluate(values) is expected


def test_and_or_and_chains_short_circuit() -> None:
    # Python's own order: the division is never computed when n is 0.
    assert Formula.parse("n != 0 and 1 / n > 0", condition=True).evaluate({"n": 0}) is False
    assert Formula.parse("n == 0 or 1 / n > 0", condition=True).evaluate({"n": 0}) is True
    assert Formula.parse("n > 0 < 1 / n", condition=True).evaluate({"n": 0}) is False


def test_names_are_the_parameters_used() -> None:
    formula = Formula.parse("sqrt(6/(n_in + n_out))", ["n_out", "n_in", "fan_avg"])
    assert formula.names == frozenset({"n_in", "n_out"})
    assert formula.source == "sqrt(6/(n_in + n_out))"
    assert not formula.is_condition
    assert Formula.parse("a * b + a").names == frozenset({"a", "b"})
    assert Formula.parse("2 + 2").names == frozenset()


def test_extra_values_are_ignored() -> None:
    values: dict[str, Any] = {"n": 1, "m": "not a number"}
    assert Formula.parse("n + 1").evaluate(values) == 2


def test_int_subclasses_are_numbers_but_bools_are_not() -> None:
    class Size(enum.IntEnum):
        SMALL = 3

    result = Formula.parse("n + 1").evaluate({"n": Size.SMALL})
    assert result == 4
    assert type(result) is int


def test_formulas_compare_by_source_and_pickle() -> None:
    formula = Formula.parse("sqrt(6/(n_in + n_out))", FANS)
    assert formula == Formula.parse("sqrt(6/(n_in + n_out))", ["n_in", "n_out", "k"])
    assert hash(formula) == hash(Formula.parse("sqrt(6/(n_in + n_out))"))
    copy = pickle.loads(pickle.dumps(formula))
    assert copy == formula
    assert copy.evaluate({"n_in": 1, "n_out": 2}) == math.sqrt(2)
    constraint = pickle.loads(pickle.dumps(Formula.parse("n > 1", condition=True)))
    assert constraint.evaluate({"n": 2}) is True


def test_repr_shows_the_source_names_and_kind_only() -> None:
    assert (
        repr(Formula.parse("a * 2")) == "Formula(source='a * 2', names=frozenset({'a'}), is_condition=False)"
    )
    assert (
        repr(Formula.parse("n > 1", condition=True))
        == "Formula(source='n > 1', names=frozenset({'n'}), is_condition=True)"
    )


def test_size_counts_numbers_names_and_operations() -> None:
    assert Formula.parse("a + 1").size == 3  # the +, the name a, the number 1
    assert Formula.parse("sqrt(n)").size == 3  # the call, the name sqrt, the name n
    assert Formula.parse("1 < n < 5", condition=True).size == 4  # the comparison and its three parts


def test_equality_and_hash_ignore_the_compiled_parts() -> None:
    # Two formulas with the same source, names and kind are equal whatever their parameter order
    # and size say: only source, names and is_condition are compared.
    formula = Formula.parse("a * b + b")
    other = dataclasses.replace(formula, _params=("b", "a"), size=99)
    assert other == formula
    assert hash(other) == hash(formula)


def test_condition_is_keyword_only_and_source_may_be_named() -> None:
    with pytest.raises(TypeError):
        Formula.parse("n > 1", None, True)  # type: ignore[call-arg]
    assert Formula.parse(source="n + 1").evaluate({"n": 1}) == 2
    assert Formula.parse(source="n > 1", names=["n"], condition=True).evaluate({"n": 2}) is True


class _EqualsEverything(type):
    """A metaclass whose classes claim to equal any other class (``Odd == int`` is True)."""

    def __eq__(cls, other: object) -> bool:
        return True

    __hash__ = type.__hash__


class Odd(metaclass=_EqualsEverything):
    """Not a number; its class only says it equals int and float."""


def test_a_value_whose_class_claims_to_be_int_is_still_refused() -> None:
    # The plain-number fast path tests the exact type, not == (which a metaclass can fake).
    error = evaluate_error("n + 1", {"n": Odd()})
    assert str(error) == "parameter 'n' must be a number, not Odd"


def test_formula_error_is_a_quizgen_error() -> None:
    assert issubclass(FormulaError, QuizgenError)
    assert ALLOWED_FUNCTIONS == ("sqrt", "log", "exp", "abs", "min", "max", "round")


def test_names_must_not_be_a_single_string() -> None:
    with pytest.raises(TypeError):
        Formula.parse("n", "n")


# ---------------------------------------------------------------------------------------
# Refused when parsed: the message and the column


@pytest.mark.parametrize(
    ("source", "message", "column"),
    [
        ("n_in + (n_out", "syntax error at column 8: '(' was never closed", 8),
        ("n_in +* n_out", "syntax error at column 7: invalid syntax", 7),
        ("n_in +", "syntax error at column 7: invalid syntax", 7),
        ("  n +* 1", "syntax error at column 6: invalid syntax", 6),
        ("   (n", "syntax error at column 4: '(' was never closed", 4),  # 3 spaces + column 1
        ("  n*", "syntax error at column 5: invalid syntax", 5),  # ends too early: 2 spaces + 'n*' + 1
        ("n +", "syntax error at column 4: invalid syntax", 4),  # ends too early: 3 characters + 1
        ("é + (", "syntax error at column 5: '(' was never closed", 5),  # columns count characters
        ("1if n else 2", "syntax error at column 1: invalid decimal literal", 1),
        (
            "x = 1",
            "syntax error at column 3: invalid syntax",
            3,
        ),
        ("", "formula is empty", None),
        ("  \n ", "formula is empty", None),
        ("1 +\0 2", "formula contains a null character", 4),
        ("\ud800", "formula is not valid Unicode text (it contains a lone surrogate)", None),
        ("n + '\udfff'", "formula is not valid Unicode text (it contains a lone surrogate)", None),
        ("n.real", "attribute access ('.real') is not allowed", 2),
        ("().__class__", "attribute access ('.__class__') is not allowed", 3),
        ("(1).__class__.__bases__", "attribute access ('.__bases__') is not allowed", 14),
        ("[1][0]", "subscripts ('[...]') are not allowed", 4),
        ("n [0]", "subscripts ('[...]') are not allowed", 3),
        ("n[1:2]", "subscripts ('[...]') are not allowed", 2),
        ("lambda: 1", "lambda is not allowed", 1),
        ("1 + (lambda: 1)()", "lambda is not allowed", 6),
        ("(1)(2)", "only functions can be called: sqrt, log, exp, abs, min, max, round", 1),
        ("[n for n in m]", "comprehensions are not allowed", 1),
        (
            "sum(n for n in m)",
            "'sum' is not an allowed function; allowed: " + ", ".join(ALLOWED_FUNCTIONS),
            1,
        ),
        ("max(*(n for n in m))", "starred arguments ('*args') are not allowed", 5),
        ("{n: 1 for n in m}", "comprehensions are not allowed", 1),
        ("[1, 2]", "lists are not allowed", 1),
        ("1, 2", "tuples are not allowed", 1),
        ("{1}", "sets are not allowed", 1),
        ("{}", "dicts are not allowed", 1),
        ("'a'", "strings are not allowed", 1),
        ("1 + b'a'", "strings are not allowed", 5),
        ("f'{n}'", "f-strings are not allowed", 1),
        ("1j", "complex numbers ('1j') are not allowed", 1),
        ("2 * 3j", "complex numbers ('3j') are not allowed", 5),
        ("True", "booleans (True, False) are not allowed", 1),
        ("n + None", "'None' is not allowed", 5),
        ("...", "'...' is not allowed", 1),
        ("n if n else 1", "conditional expressions ('a if c else b') are not allowed; use min() or max()", 1),
        ("(n := 1)", "assignments (':=') are not allowed", 2),
        ("~n", "operator '~' is not allowed", 1),
        ("n << 2", "operator '<<' is not allowed", 3),
        ("n & 1", "operator '&' is not allowed", 3),
        ("n @ n", "operator '@' is not allowed", 3),
        (
            "__import__('os')",
            "'__import__' is not an allowed function; allowed: " + ", ".join(ALLOWED_FUNCTIONS),
            1,
        ),
        ("eval('1')", "'eval' is not an allowed function; allowed: " + ", ".join(ALLOWED_FUNCTIONS), 1),
        (
            "1 + sqr(2)",
            "'sqr' is not an allowed function (did you mean 'sqrt'?); allowed: "
            + ", ".join(ALLOWED_FUNCTIONS),
            5,
        ),
        ("math.sqrt(2)", "attribute access ('.sqrt') is not allowed", 5),
        ("(sqrt)(2, 3)", "sqrt() takes exactly 1 argument (2 given)", 1),
        ("sqrt(x=4)", "keyword argument 'x=' is not allowed; pass arguments by position", 6),
        (
            "round(2.5, ndigits=1)",
            "keyword argument 'ndigits=' is not allowed; pass arguments by position",
            12,
        ),
        ("max(1, **k)", "'**' arguments are not allowed", 8),
        ("max(*n)", "starred arguments ('*args') are not allowed", 5),
        ("sqrt()", "sqrt() takes exactly 1 argument (0 given)", 1),
        ("exp(1, 2)", "exp() takes exactly 1 argument (2 given)", 1),
        ("abs(1, 2)", "abs() takes exactly 1 argument (2 given)", 1),
        ("log(1, 2, 3)", "log() takes 1 or 2 arguments (3 given)", 1),
        ("round()", "round() takes 1 or 2 arguments (0 given)", 1),
        ("min(1)", "min() takes at least 2 arguments (1 given)", 1),
        ("max()", "max() takes at least 2 arguments (0 given)", 1),
        ("round(2.5, 1.0)", "round(): ndigits must be an integer", 12),
        ("round(2.5, -1.0)", "round(): ndigits must be an integer", 12),
        ("sqrt + 1", "'sqrt' is a function; call it as sqrt(...)", 1),
        ("_n + 1", "names starting with '_' are not allowed ('_n')", 1),
        ("__builtins__", "names starting with '_' are not allowed ('__builtins__')", 1),
        (" _n + 1", "names starting with '_' are not allowed ('_n')", 2),  # a leading space counts
        ("   n + _n", "names starting with '_' are not allowed ('_n')", 8),
        ("n > 1", "comparisons are only allowed in constraints", 1),
        ("n + (n > 1)", "comparisons are only allowed in constraints", 6),
        ("n and m", "'and' is only allowed in constraints", 1),
        ("n or m", "'or' is only allowed in constraints", 1),
        ("not n", "'not' is only allowed in constraints", 1),
        ("1" + "0" * 31, "number too large (the limit is 10**30)", 1),
        ("1e301", "number too large (the limit is 1e300)", 1),
        ("1e999", "number too large (the limit is 1e300)", 1),
        ("1 +\n _x", "names starting with '_' are not allowed ('_x')", 6),  # line breaks count one column
    ],
)
def test_parse_refuses(source: str, message: str, column: int | None) -> None:
    error = parse_error(source)
    assert str(error) == message
    assert error.column == column
    assert "\n" not in str(error)


def test_unknown_names_get_a_hint_and_the_parameter_list() -> None:
    error = parse_error("sqrt(6/(n_inn + n_out))", FANS)
    assert str(error) == "unknown name 'n_inn' (did you mean 'n_in'?); parameters: n_in, n_out"
    assert error.column == 9
    error = parse_error("fan_avg * 2", FANS)
    assert str(error) == "unknown name 'fan_avg'; parameters: n_in, n_out"
    assert error.column == 1
    assert str(parse_error("n", [])) == "unknown name 'n'; this formula has no parameters"


def test_a_declared_parameter_may_share_a_function_name() -> None:
    assert Formula.parse("min * 2", ["min"]).evaluate({"min": 3}) == 6
    assert Formula.parse("min(min, 2)", ["min"]).evaluate({"min": 3}) == 2


@pytest.mark.parametrize(
    ("source", "message", "column"),
    [
        ("n + 1", "a constraint must be a comparison such as 'n_in > n_out'", 1),
        ("sqrt(n)", "a constraint must be a comparison such as 'n_in > n_out'", 1),
        ("n > 1 and n", "'and' combines conditions such as 'n > 0', not numbers", 11),
        ("n < 1 or 2", "'or' combines conditions such as 'n > 0', not numbers", 10),
        ("not n", "'not' applies to a condition such as 'n > 0', not a number", 5),
        ("(n > 1) + 1 > 0", "a comparison cannot be used as a number", 2),
        ("abs(n > 1 and n < 3) > 0", "a condition ('and') cannot be used as a number", 5),
        ("n is 1", "'is' is not allowed; compare with < <= > >= == !=", 1),
        ("n in m", "'in' is not allowed; compare with < <= > >= == !=", 1),
        ("n > 1 and n.real > 0", "attribute access ('.real') is not allowed", 12),
        ("n > 1 and 'a'", "strings are not allowed", 11),
    ],
)
def test_condition_refuses(source: str, message: str, column: int) -> None:
    error = parse_error(source, condition=True)
    assert str(error) == message
    assert error.column == column


def test_too_deep_for_the_parser_is_refused_as_too_deep() -> None:
    # 200 parentheses, each holding two minus signs: within the length and parenthesis limits, but
    # CPython 3.11's parser runs out of stack (MemoryError); it is reported as too deep.
    error = parse_error("(--" * 200 + "1" + ")" * 200)
    assert str(error) == "formula is nested too deeply (more than 50 operations inside one another)"


def _stack_depth() -> int:
    depth = 0
    frame: FrameType | None = sys._getframe()
    while frame is not None:
        depth += 1
        frame = frame.f_back
    return depth


def test_a_low_recursion_limit_gives_too_deep_not_recursion_error() -> None:
    # With little recursion left, building the tree of 999 nested minus signs raises RecursionError
    # inside ast.parse; the caller still gets a FormulaError.
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(_stack_depth() + 100)
    try:
        with pytest.raises(FormulaError) as info:
            Formula.parse("-" * 999 + "1")
    finally:
        sys.setrecursionlimit(old)
    assert str(info.value) == "formula is nested too deeply (more than 50 operations inside one another)"


def test_size_limits() -> None:
    assert str(parse_error("n" + " " * 1000)) == "formula is too long (1001 characters; the limit is 1000)"
    Formula.parse("n" + " " * 999)  # exactly 1000 characters is fine
    # max(-1, -1, ...): the call, the name max, and two nodes for each -1
    formula = Formula.parse("max(" + ",".join(["-1"] * 249) + ")")  # 500 nodes
    assert formula.evaluate({}) == -1
    assert formula.size == 500
    error = parse_error("max(" + ",".join(["-1"] * 249) + ",1)")  # 501 nodes: one too many
    assert str(error) == "formula is too complex (more than 500 numbers, names and operations)"
    error = parse_error("max(" + ",".join(["-1"] * 250) + ")")  # 502 nodes
    assert str(error) == "formula is too complex (more than 500 numbers, names and operations)"
    assert Formula.parse("-" * 50 + "n").evaluate({"n": 2}) == 2  # 50 operations inside one another
    error = parse_error("-" * 51 + "n")
    assert str(error) == "formula is nested too deeply (more than 50 operations inside one another)"
    assert error.column == 52
    assert str(parse_error("sqrt(" * 60 + "n" + ")" * 60)).startswith("formula is nested too deeply")


# ---------------------------------------------------------------------------------------
# Refused when evaluated


@pytest.mark.parametrize(
    ("source", "values", "message", "column"),
    [
        ("n_in / (n_out - 3)", {"n_in": 1, "n_out": 3}, "division by zero: 'n_out - 3' is 0", 6),
        ("n // m", {"n": 1, "m": 0}, "division by zero: 'm' is 0", 3),
        ("n % m", {"n": 1.5, "m": 0.0}, "division by zero: 'm' is 0", 3),
        ("0 ** n", {"n": -1}, "division by zero: 0 cannot be raised to a negative power (0 ** -1)", 3),
        ("sqrt(n - 5)", {"n": 3}, "sqrt() of a negative number", 1),
        ("sqrt(n)", {"n": -0.5}, "sqrt() of a negative number", 1),  # between -1 and 0 too
        ("log(n)", {"n": 0}, "log() of zero or a negative number", 1),
        ("log(n)", {"n": -2.5}, "log() of zero or a negative number", 1),
        ("log(8, n)", {"n": 1}, "log() base must be positive and not 1", 1),
        ("log(8, n)", {"n": -2}, "log() base must be positive and not 1", 1),
        ("log(8, n)", {"n": 0}, "log() base must be positive and not 1", 1),  # 0 and (-1, 0) too
        ("log(8, n)", {"n": -0.5}, "log() base must be positive and not 1", 1),
        ("exp(n)", {"n": 1000}, "exp() result too large", 1),
        ("exp(n)", {"n": 691}, "exp() result too large", 1),  # e**691 > 1e300
        ("n * n", {"n": 10**16}, "result too large", 3),
        ("n + n", {"n": 10**30}, "result too large", 3),
        ("n - n * 2", {"n": 6e299}, "result too large", 7),
        ("n / m", {"n": 1e300, "m": 1e-10}, "result too large", 3),
        ("round(n)", {"n": 1e200}, "result too large", 1),
        ("round(n, m)", {"n": 1.5, "m": 0.5}, "round(): ndigits must be an integer", 1),
        ("(0 - n) ** 0.5", {"n": 8}, "result is not a real number ((-8) ** 0.5)", 9),
        # bases in [-1, 0) too: Python would give a complex number
        ("n ** m", {"n": -0.5, "m": 0.5}, "result is not a real number ((-0.5) ** 0.5)", 3),
        ("n ** m", {"n": -1, "m": 0.5}, "result is not a real number ((-1) ** 0.5)", 3),
        ("n ** m", {"n": 10, "m": 31}, "result too large (10 ** 31)", 3),
        ("n ** m", {"n": 2.0, "m": 2000}, "result too large (2.0 ** 2000)", 3),
        ("n ** m", {"n": 1.5, "m": 20000}, "exponent too large (1.5 ** 20000); the limit is 1e4", 3),
        # the exponent limit is 10000 exactly: 10000 is allowed (see test_values), 10001 is not
        ("n ** m", {"n": 1, "m": -10001}, "exponent too large (1 ** -10001); the limit is 1e4", 3),
        ("n ** m", {"n": 1.0, "m": 10000.5}, "exponent too large (1.0 ** 10000.5); the limit is 1e4", 3),
        ("n ** m", {"n": 0.5, "m": 2000.0}, "result too small to represent (0.5 ** 2000.0)", 3),
        # a negative base underflows too: (-0.5) ** 2000 is below the smallest float
        ("n ** m", {"n": -0.5, "m": 2000}, "result too small to represent ((-0.5) ** 2000)", 3),
        ("(-2) ** n", {"n": -2000}, "result too small to represent ((-2) ** -2000)", 6),
        # the quoted divisor is cut at 40 characters: 40 are kept whole, 41 become 37 + '...'
        (
            "n / abcdefghijabcdefghijabcdefghijabcdefghij",
            {"n": 1, "abcdefghijabcdefghijabcdefghijabcdefghij": 0},
            "division by zero: 'abcdefghijabcdefghijabcdefghijabcdefghij' is 0",
            3,
        ),
        (
            "n / abcdefghijabcdefghijabcdefghijabcdefghijk",
            {"n": 1, "abcdefghijabcdefghijabcdefghijabcdefghijk": 0},
            "division by zero: 'abcdefghijabcdefghijabcdefghijabcdefg...' is 0",
            3,
        ),
    ],
)
def test_evaluate_refuses(source: str, values: dict[str, float], message: str, column: int) -> None:
    error = evaluate_error(source, values)
    assert str(error) == message
    assert error.column == column


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"n_in": 3}, "no value for parameter 'n_out'"),
        ({"n_in": 3, "n_out": True}, "parameter 'n_out' must be a number, not bool"),
        ({"n_in": 3, "n_out": "4"}, "parameter 'n_out' must be a number, not str"),
        ({"n_in": 3, "n_out": None}, "parameter 'n_out' must be a number, not NoneType"),
        ({"n_in": 3, "n_out": 1j}, "parameter 'n_out' must be a number, not complex"),
        ({"n_in": 3, "n_out": math.nan}, "parameter 'n_out' is not a finite number"),
        ({"n_in": 3, "n_out": -math.inf}, "parameter 'n_out' is not a finite number"),
        ({"n_in": 3, "n_out": 10**31}, "parameter 'n_out' is too large (the limit is 10**30)"),
        ({"n_in": 3, "n_out": -1e301}, "parameter 'n_out' is too large (the limit is 1e300)"),
        # every value is checked, not only up to the first good one (a float first, then an int)
        ({"n_in": 0.5, "n_out": 10**31}, "parameter 'n_out' is too large (the limit is 10**30)"),
        ({"n_in": 0.5, "n_out": math.nan}, "parameter 'n_out' is not a finite number"),
        ({"n_in": 3, "n_out": 1e301}, "parameter 'n_out' is too large (the limit is 1e300)"),
    ],
)
def test_bad_parameter_values(values: dict[str, Any], message: str) -> None:
    formula = Formula.parse("n_in + n_out", FANS)
    with pytest.raises(FormulaError) as info:
        formula.evaluate(values)
    assert str(info.value) == message
    assert info.value.column is None


def test_evaluate_messages_do_not_repeat_the_parameter_values() -> None:
    values = {"n_in": 123457, "n_out": 0}
    for source in ("n_in / n_out", "n_in % n_out", "sqrt(n_out - n_in)", "log(n_out * n_in)", "exp(n_in)"):
        error = evaluate_error(source, values)
        assert "123457" not in str(error), str(error)


# ---------------------------------------------------------------------------------------
# The range limits, inclusive: |int| <= 10**30, |float| <= 1e300, on every path

ABOVE_1E300 = 1.0000000000000002e300  # the float next above 1e300 (1e300 plus one unit in the last place)


class Count(int):
    """An int that is not a plain int: it takes the slow path of ``evaluate``."""


@pytest.mark.parametrize(
    ("source", "values", "expected"),
    [
        # parameters (the fast path for plain ints and floats)
        ("n", {"n": 10**30}, 10**30),
        ("n", {"n": -(10**30)}, -(10**30)),
        ("n", {"n": 1e300}, 1e300),
        ("n", {"n": -1e300}, -1e300),
        # literals (a negative literal is unary minus applied to a positive one)
        ("1000000000000000000000000000000", {}, 10**30),
        ("-1000000000000000000000000000000", {}, -(10**30)),
        ("1e300", {}, 1e300),
        ("-1e300", {}, -1e300),
        # + - * each check their own result
        ("n + m", {"n": 10**30 - 1, "m": 1}, 10**30),
        ("n + m", {"n": 1 - 10**30, "m": -1}, -(10**30)),
        ("n + m", {"n": 1e300, "m": 0.0}, 1e300),
        ("n + m", {"n": -1e300, "m": 0.0}, -1e300),
        ("n - m", {"n": 10**30 - 1, "m": -1}, 10**30),
        ("n - m", {"n": 1 - 10**30, "m": 1}, -(10**30)),
        ("n - m", {"n": 1e300, "m": 0.0}, 1e300),
        ("n - m", {"n": -1e300, "m": 0.0}, -1e300),
        ("n * m", {"n": 10**15, "m": 10**15}, 10**30),
        ("n * m", {"n": -(10**15), "m": 10**15}, -(10**30)),
        ("n * m", {"n": 1e300, "m": 1.0}, 1e300),
        ("n * m", {"n": 1e300, "m": -1.0}, -1e300),
        # / // % and round() share one check
        ("n // m", {"n": 10**30, "m": 1}, 10**30),
        ("n // m", {"n": 10**30, "m": -1}, -(10**30)),
        ("n / m", {"n": 1e300, "m": 1.0}, 1e300),
        ("n / m", {"n": 1e300, "m": -1.0}, -1e300),
        ("round(n)", {"n": 9.999999999999999e29}, 999999999999999879147136483328),  # the float below 1e30
        # ** with an integer result, and with a float one
        ("n ** 3", {"n": 10**10}, 10**30),
        ("n ** 3", {"n": -(10**10)}, -(10**30)),
        ("n ** m", {"n": 1e300, "m": 1}, 1e300),
        ("n ** m", {"n": -1e300, "m": 1}, -1e300),
        (
            "n ** m",
            {"n": 2.0, "m": 996},
            6.696928794914171e299,
        ),  # 2**996 = 669692879491417075...: the last power below
    ],
)
def test_results_exactly_on_the_limits_are_accepted(
    source: str, values: dict[str, float], expected: float
) -> None:
    result = Formula.parse(source).evaluate(values)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(
    ("source", "values", "message", "column"),
    [
        ("n + m", {"n": 10**30, "m": 1}, "result too large", 3),
        ("n + m", {"n": -(10**30), "m": -1}, "result too large", 3),
        ("n + m", {"n": 1e300, "m": 1e285}, "result too large", 3),
        ("n + m", {"n": -1e300, "m": -1e285}, "result too large", 3),
        ("n - m", {"n": 10**30, "m": -(10**30)}, "result too large", 3),
        ("n - m", {"n": 10**30, "m": -1}, "result too large", 3),
        ("n - m", {"n": -(10**30), "m": 1}, "result too large", 3),
        ("n - m", {"n": 1e300, "m": -1e285}, "result too large", 3),
        ("n - m", {"n": -1e300, "m": 1e285}, "result too large", 3),
        ("n * m", {"n": 10**15, "m": 10**15 + 1}, "result too large", 3),
        ("n * m", {"n": -(10**15), "m": 10**15 + 1}, "result too large", 3),
        ("n * m", {"n": 1e300, "m": 1.0000000000000002}, "result too large", 3),
        ("n * m", {"n": 1e300, "m": -1.0000000000000002}, "result too large", 3),
        ("n / m", {"n": 1e300, "m": 0.5}, "result too large", 3),
        ("n / m", {"n": -1e300, "m": 0.5}, "result too large", 3),
        # the float 1e30 is 1000000000000000019884624838656, a little above 10**30
        ("round(n)", {"n": 1e30}, "result too large", 1),
        ("round(n)", {"n": -1e30}, "result too large", 1),
        ("n ** 3", {"n": 10**10 + 1}, "result too large (10000000001 ** 3)", 3),
        ("n ** 3", {"n": -(10**10) - 1}, "result too large (-10000000001 ** 3)", 3),
        # 2.0 ** 1000 is about 1.07e301: a finite float (no OverflowError) above the limit
        ("n ** m", {"n": 2.0, "m": 1000}, "result too large (2.0 ** 1000)", 3),
        ("n ** m", {"n": -2.0, "m": 1001}, "result too large ((-2.0) ** 1001)", 3),
        ("n ** m", {"n": 2.0, "m": 997}, "result too large (2.0 ** 997)", 3),  # 2**997 > 1e300
    ],
)
def test_results_just_beyond_the_limits_are_refused(
    source: str, values: dict[str, float], message: str, column: int
) -> None:
    error = evaluate_error(source, values)
    assert str(error) == message
    assert error.column == column


@pytest.mark.parametrize(
    ("source", "message", "column"),
    [
        ("1000000000000000000000000000001", "number too large (the limit is 10**30)", 1),
        ("n + 1.0000000000000002e300", "number too large (the limit is 1e300)", 5),
    ],
)
def test_literals_just_beyond_the_limits_are_refused(source: str, message: str, column: int) -> None:
    error = parse_error(source)
    assert str(error) == message
    assert error.column == column


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (10**30 + 1, "parameter 'n' is too large (the limit is 10**30)"),
        (-(10**30) - 1, "parameter 'n' is too large (the limit is 10**30)"),
        (ABOVE_1E300, "parameter 'n' is too large (the limit is 1e300)"),
        (-ABOVE_1E300, "parameter 'n' is too large (the limit is 1e300)"),
        (Count(10**30 + 1), "parameter 'n' is too large (the limit is 10**30)"),
        (Count(-(10**30) - 1), "parameter 'n' is too large (the limit is 10**30)"),
        (np.float64(ABOVE_1E300), "parameter 'n' is too large (the limit is 1e300)"),
        (np.float64(-ABOVE_1E300), "parameter 'n' is too large (the limit is 1e300)"),
        (np.float64(math.inf), "parameter 'n' is not a finite number"),
        (np.float64(math.nan), "parameter 'n' is not a finite number"),
    ],
)
def test_parameters_just_beyond_the_limits_are_refused(value: object, message: str) -> None:
    error = evaluate_error("n * 1", {"n": value})
    assert str(error) == message
    assert error.column is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Count(10**30), 10**30),
        (Count(-(10**30)), -(10**30)),
        (np.float64(1e300), 1e300),
        (np.float64(-1e300), -1e300),
        (np.float64(1e31), 1e31),  # a float above 10**30 is within the float limit
        (np.float64(0.25), 0.25),
    ],
)
def test_numbers_that_are_not_plain_are_range_checked_and_made_plain(value: float, expected: float) -> None:
    result = Formula.parse("n").evaluate({"n": value})
    assert result == expected
    assert type(result) is type(expected)  # int or float, never a subclass nor a numpy scalar


def test_a_plain_parameter_after_a_numpy_one_is_still_range_checked() -> None:
    formula = Formula.parse("m + n")
    assert formula.evaluate({"m": np.float64(0.5), "n": 10**30 - 1}) == 1e30
    error = evaluate_error("m + n", {"m": np.float64(0.5), "n": 10**30 + 1})
    assert str(error) == "parameter 'n' is too large (the limit is 10**30)"
    error = evaluate_error("m + n", {"m": np.float64(0.5), "n": ABOVE_1E300})
    assert str(error) == "parameter 'n' is too large (the limit is 1e300)"


# ---------------------------------------------------------------------------------------
# Bounded work: hostile formulas fail fast


def _quick(action: Callable[[], object], seconds: float) -> FormulaError:
    def refused() -> FormulaError:
        with pytest.raises(FormulaError) as info:
            action()
        return info.value

    return within(seconds, refused)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("9**9**9", "result too large (9 ** 387420489)"),
        ("10**10**10", "result too large (10 ** 10000000000)"),
        # base 2 and -2: the smallest that the size check must catch (7 s and 400 MB to compute)
        ("2**1000000000", "result too large (2 ** 1000000000)"),
        ("(-2)**1000000001", "result too large (-2 ** 1000000001)"),
        ("2**-10000", "result too small to represent (2 ** -10000)"),
        ("(-2)**-100000", "exponent too large ((-2) ** -100000); the limit is 1e4"),
        ("2**1000 * 0", "result too large (2 ** 1000)"),
        ("10**31", "result too large (10 ** 31)"),
        ("1e300 * 1e300", "result too large"),
        ("2.0 ** 1e4", "result too large (2.0 ** 10000.0)"),
        ("__import__('os')", "'__import__' is not an allowed function"),
        ("().__class__", "attribute access ('.__class__') is not allowed"),
        ("n.real", "attribute access ('.real') is not allowed"),
        ("[1][0]", "subscripts ('[...]') are not allowed"),
        ("'a'", "strings are not allowed"),
        ("lambda: 1", "lambda is not allowed"),
        ("(" * 10000, "formula is too long (10000 characters; the limit is 1000)"),
        ("(" * 1000, "syntax error at column 201: too many nested parentheses"),
        ("-" * 999 + "1", "formula is nested too deeply"),
        ("+" * 999 + "1", "formula is nested too deeply"),
        ("not " * 249 + "n>0", "formula is nested too deeply"),
        ("1" * 1000, "number too large"),
        ("9" * 500 + "." + "9" * 499, "number too large"),
        ("1+" * 499 + "1", "formula is nested too deeply"),
    ],
)
@pytest.mark.timeout(30)  # a hang fails here; within() only times a call that returns
def test_hostile_formulas_fail_fast(source: str, message: str) -> None:
    error = _quick(lambda: Formula.parse(source, condition=source.startswith("not")).evaluate({"n": 1}), 1.0)
    assert str(error).startswith(message)


def _allocated_at_peak(action: Callable[[], object]) -> int:
    """The most memory (bytes) that ``action`` held at once, as tracemalloc counts it."""
    started = not tracemalloc.is_tracing()
    if started:
        tracemalloc.start()
    tracemalloc.reset_peak()
    before = tracemalloc.get_traced_memory()[0]
    try:
        action()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        if started:
            tracemalloc.stop()
    return peak - before


_HUGE = "1000000000000000000000000000000"  # 10**30 written out


@pytest.mark.parametrize(
    ("base", "exponent", "message"),
    [
        # Each is refused by the size check (exponent * log2|base| > 256 bits) before the power is
        # computed; computing it would take (bits of the result):
        (10**30, 156, f"result too large ({_HUGE} ** 156)"),  # 15,547 bits, about 5 kB more
        (-(10**30), 155, f"result too large (-{_HUGE} ** 155)"),  # 15,447 bits
        (10**30, 355, f"result too large ({_HUGE} ** 355)"),  # 35,379 bits
        (10**30, 25000, f"result too large ({_HUGE} ** 25000)"),  # 2,491,447 bits: 1.4 MB, 0.7 s
        (2**99, 157, "result too large (633825300114114700748351602688 ** 157)"),  # 15,544 bits
    ],
)
def test_a_huge_integer_power_is_refused_before_it_is_computed(
    base: int, exponent: int, message: str
) -> None:
    formula = Formula.parse("n ** m")

    def refusal(values: dict[str, int], expected: str) -> Callable[[], None]:
        def refuse() -> None:
            with pytest.raises(FormulaError) as info:
                formula.evaluate(values)
            assert str(info.value) == expected

        return refuse

    small = refusal({"n": 10, "m": 31}, "result too large (10 ** 31)")  # computed (104 bits), then refused
    huge = refusal({"n": base, "m": exponent}, message)
    small(), huge()  # warm up: one-time allocations are not counted
    # The same refusal, the same memory: nothing the size of the huge result was allocated.
    assert _allocated_at_peak(huge) < _allocated_at_peak(small) + 2000


@pytest.mark.timeout(30)  # a hang fails here; within() only times a call that returns
def test_round_to_a_huge_negative_ndigits_is_quick() -> None:
    # int.__round__ would compute 10**(10**30); the answer is 0, at once.
    assert within(1.0, lambda: Formula.parse("round(7, -10**30)").evaluate({})) == 0
    assert within(1.0, lambda: Formula.parse("round(n, -10**30)").evaluate({"n": 7.5})) == 0.0


def test_the_module_never_calls_eval_exec_or_compile() -> None:
    tree = ast.parse(Path(quizgen.formula.__file__).read_text(encoding="utf-8"))
    called = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            called.add(func.id if isinstance(func, ast.Name) else getattr(func, "attr", ""))
    assert not called & {"eval", "exec", "compile", "__import__", "getattr", "setattr"}


# ---------------------------------------------------------------------------------------
# Property tests


def _check_outcome(source: str, condition: bool, values: st.DataObject) -> None:
    """Parse and evaluate: a value of the right type, or a FormulaError, never anything else."""
    try:
        formula = Formula.parse(source, condition=condition)
    except FormulaError as error:
        event("refused when parsed")
        assert str(error)
        assert error.column is None or 1 <= error.column <= len(source) + 1
        return
    parameters = {name: values.draw(NUMBERS, label=name) for name in sorted(formula.names)}
    try:
        result = within(0.1, lambda: formula.evaluate(parameters), source)
    except FormulaError as error:
        event("refused when evaluated")
        assert not str(error).startswith("cannot evaluate"), str(error)  # the safety net stays unused
    else:
        event(f"evaluated to {type(result).__name__}")
        if condition:
            assert type(result) is bool
        elif type(result) is int:
            assert abs(result) <= 10**30
        else:
            assert type(result) is float
            assert math.isfinite(result)
            assert abs(result) <= 1e300


NUMBERS = st.one_of(
    st.integers(-1000, 1000),
    st.integers(),
    st.floats(-1e6, 1e6, allow_nan=False),
    st.floats(),
    st.booleans(),
)

FORMULA_ALPHABET = "0123456789.e+-*/%() \t\nnmx_,<>=!jsqrtlogexpabsminaxound[]'{}:@~&|^#\\"


@given(st.one_of(st.text(max_size=80), st.text(FORMULA_ALPHABET, max_size=60)), st.booleans(), st.data())
def test_random_text_parses_or_fails_cleanly(source: str, condition: bool, data: st.DataObject) -> None:
    _check_outcome(source, condition, data)


# Formulas from the allowed grammar, typed (numbers, and conditions over them), with some
# forbidden pieces mixed in: the allowed pieces are drawn much more often, so that about
# half of the formulas parse.
_GOOD_ATOMS = ["0", "1", "2", "7", "0.5", "2.5e3", "1e300", "10**30", "n", "m", "n_in", "n_out", "x1"]
_BAD_ATOMS = [
    *["_n", "1j", "'a'", "b'x'", "True", "None", "...", "n.real", "[1]", "()", "{}", "f'{n}'", "sqrt"],
    *["__import__", "lambda: 1", "(1, 2)", "[n for n in m]", "n > 1"],
]
_ATOMS = st.sampled_from(_GOOD_ATOMS * 10 + _BAD_ATOMS)
_FUNCTIONS = st.sampled_from([*ALLOWED_FUNCTIONS * 4, "eval", "getattr", "open", "__import__", "n"])
_OPERATORS = st.sampled_from(["+", " - ", "*", "/", "//", "%", "**"] * 4 + ["@", "<<", " is ", ",", " and "])


def _number_strings(parts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    good = [
        st.builds(lambda a, op, b: f"{a}{op}{b}", parts, _OPERATORS, parts),
        parts.map(lambda a: f"({a})"),
        parts.map(lambda a: f"-{a}"),
        st.builds(
            lambda f, args: f"{f}({', '.join(args)})", _FUNCTIONS, st.lists(parts, min_size=1, max_size=3)
        ),
    ]
    bad = [
        st.builds(lambda f, a, b: f"{f}({a}, key={b})", _FUNCTIONS, parts, parts),
        st.builds(lambda a, b: f"{a}[{b}]", parts, parts),
        st.builds(lambda a, b, c: f"{a} if {b} else {c}", parts, parts, parts),
        parts.map(lambda a: f"not {a}"),
    ]
    return st.one_of(*good * 3, *bad)


NUMBER_STRINGS = st.recursive(_ATOMS, _number_strings, max_leaves=10)
_COMPARISON_STRINGS = st.builds(
    lambda a, op, b: f"{a}{op}{b}",
    NUMBER_STRINGS,
    st.sampled_from(["<", " <= ", ">", ">=", "==", "!="]),
    st.one_of(NUMBER_STRINGS, NUMBER_STRINGS.map(lambda b: f"{b} < 5")),
)
CONDITION_STRINGS = st.recursive(
    _COMPARISON_STRINGS,
    lambda parts: st.one_of(
        st.builds(lambda a, op, b: f"{a}{op}{b}", parts, st.sampled_from([" and ", " or "]), parts),
        parts.map(lambda a: f"not ({a})"),
        parts.map(lambda a: f"({a})"),
    ),
    max_leaves=3,
)


@given(
    st.one_of(
        NUMBER_STRINGS.map(lambda source: (source, False)),
        CONDITION_STRINGS.map(lambda source: (source, True)),
        st.tuples(st.one_of(NUMBER_STRINGS, CONDITION_STRINGS), st.booleans()),
    ),
    st.data(),
)
def test_random_expressions_parse_or_fail_cleanly(case: tuple[str, bool], data: st.DataObject) -> None:
    source, condition = case
    _check_outcome(source, condition, data)


# An independent oracle: expression trees of tuples, rendered to text and interpreted
# here by hand with Python's own operators and the same limits.


class Undefined(Exception):
    """The expression has no value the evaluator may return (it must raise FormulaError)."""


Tree = tuple[Any, ...]
PARAMETERS = {"a": st.integers(-60, 60), "b": st.floats(-1e3, 1e3, allow_nan=False), "c": st.integers(0, 9)}


def _in_range(value: float) -> float:
    if isinstance(value, int) and abs(value) <= 10**30:
        return value
    if isinstance(value, float) and math.isfinite(value) and abs(value) <= 1e300:
        return value
    raise Undefined


def interpret(tree: Tree, env: dict[str, float]) -> Any:
    kind = tree[0]
    if kind == "num":
        return tree[1]
    if kind == "name":
        return env[tree[1]]
    if kind == "neg":
        return -interpret(tree[1], env)
    if kind == "bin":
        _, op, left_tree, right_tree = tree
        left = interpret(left_tree, env)
        right = interpret(right_tree, env)
        if op in ("/", "//", "%") and right == 0:
            raise Undefined
        if op == "+":
            return _in_range(left + right)
        if op == "-":
            return _in_range(left - right)
        if op == "*":
            return _in_range(left * right)
        if op == "/":
            return _in_range(left / right)
        if op == "//":
            return _in_range(left // right)
        return _in_range(left % right)
    if kind == "call":
        _, name, arg_trees = tree
        args = [interpret(arg, env) for arg in arg_trees]
        if name == "abs":
            return abs(args[0])
        if name == "sqrt":
            if args[0] < 0:
                raise Undefined
            return math.sqrt(args[0])
        if name == "round":
            return _in_range(round(args[0]))
        if name == "min":
            return min(args)
        return max(args)
    if kind == "cmp":  # a chain: a < b <= c ...
        _, ops, operand_trees = tree
        left = interpret(operand_trees[0], env)
        for op, operand in zip(ops, operand_trees[1:], strict=True):
            right = interpret(operand, env)
            holds = {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}
            holds |= {"==": left == right, "!=": left != right}
            if not holds[op]:
                return False
            left = right
        return True
    if kind == "not":
        return not interpret(tree[1], env)
    # "and" / "or", evaluated left to right with Python's short circuit
    for part in tree[1]:
        value = interpret(part, env)
        if value is (kind == "or"):
            return value
    return kind == "and"


def render(tree: Tree) -> str:
    kind = tree[0]
    if kind == "num":
        return repr(tree[1])
    if kind == "name":
        return str(tree[1])
    if kind == "neg":
        return f"-({render(tree[1])})"
    if kind == "bin":
        return f"({render(tree[2])}) {tree[1]} ({render(tree[3])})"
    if kind == "call":
        return f"{tree[1]}({', '.join(render(arg) for arg in tree[2])})"
    if kind == "cmp":
        text = f"({render(tree[2][0])})"
        for op, operand in zip(tree[1], tree[2][1:], strict=True):
            text += f" {op} ({render(operand)})"
        return text
    if kind == "not":
        return f"not ({render(tree[1])})"
    return f" {kind} ".join(f"({render(part)})" for part in tree[1])


_LEAVES = st.one_of(
    st.integers(-50, 50).map(lambda n: ("num", n)),
    st.floats(-1e3, 1e3, allow_nan=False).map(lambda x: ("num", x)),
    st.sampled_from(sorted(PARAMETERS)).map(lambda name: ("name", name)),
)


def _number_trees(children: st.SearchStrategy[Tree]) -> st.SearchStrategy[Tree]:
    return st.one_of(
        st.tuples(st.just("bin"), st.sampled_from(["+", "-", "*", "/", "//", "%"]), children, children),
        st.tuples(st.just("neg"), children),
        st.tuples(
            st.just("call"),
            st.sampled_from(["abs", "sqrt", "round"]),
            st.lists(children, min_size=1, max_size=1),
        ),
        st.tuples(
            st.just("call"), st.sampled_from(["min", "max"]), st.lists(children, min_size=2, max_size=3)
        ),
    )


NUMBER_TREES = st.recursive(_LEAVES, _number_trees, max_leaves=12)
_COMPARE_OPS = st.sampled_from(["<", "<=", ">", ">=", "==", "!="])
_COMPARISONS = st.integers(1, 3).flatmap(
    lambda n: st.tuples(
        st.just("cmp"),
        st.lists(_COMPARE_OPS, min_size=n, max_size=n),
        st.lists(NUMBER_TREES, min_size=n + 1, max_size=n + 1),
    )
)
CONDITION_TREES = st.recursive(
    _COMPARISONS,
    lambda children: st.one_of(
        st.tuples(st.just("not"), children),
        st.tuples(st.sampled_from(["and", "or"]), st.lists(children, min_size=2, max_size=3)),
    ),
    max_leaves=4,
)


@given(
    st.one_of(NUMBER_TREES.map(lambda t: (t, False)), CONDITION_TREES.map(lambda t: (t, True))),
    st.fixed_dictionaries(PARAMETERS),
)
def test_evaluation_agrees_with_an_independent_interpreter(
    case: tuple[Tree, bool], env: dict[str, float]
) -> None:
    tree, condition = case
    source = render(tree)
    try:
        expected = interpret(tree, env)
    except Undefined:
        expected = Undefined
    try:
        formula = Formula.parse(source, sorted(PARAMETERS), condition=condition)
    except FormulaError as error:  # a tree too big for the limits; everything else must parse
        event("too big")
        assert str(error).startswith(("formula is too long", "formula is too complex", "formula is nested"))
        return
    event("undefined" if expected is Undefined else f"a {type(expected).__name__}")
    if expected is Undefined:
        with pytest.raises(FormulaError):
            within(0.1, lambda: formula.evaluate(env), source)
    else:
        result = within(0.1, lambda: formula.evaluate(env), source)
        assert result == expected
        assert type(result) is type(expected)
