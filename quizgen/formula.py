"""Safe evaluation of the arithmetic formulas that bank authors write.

A parametric question template computes its answer, its distractors and its
constraints from formulas such as ``sqrt(6/(n_in + n_out))`` or ``n_in > n_out``.
Banks are data, never code, so a formula is not run as Python: it is parsed with
``ast.parse(source, mode="eval")``, every node of the tree is checked against the
whitelist below, and the checked tree is compiled once into nested Python closures.
Python's ``eval``, ``exec`` and ``compile`` are never used.

The whitelist:

- int and float literals (not booleans, strings, ``None`` or complex numbers such as ``1j``);
- parameter names (never starting with ``_``);
- unary ``+`` and ``-``, binary ``+ - * / // % **``, parentheses;
- calls, with positional arguments only, of ``sqrt(x)``, ``log(x)``, ``log(x, base)``,
  ``exp(x)``, ``abs(x)``, ``min(a, b, ...)``, ``max(a, b, ...)``, ``round(x)`` and
  ``round(x, ndigits)`` (``ndigits`` an integer; halves round to even, as in Python);
- in constraints only (``condition=True``): the comparisons ``< <= > >= == !=``, chained
  as in ``1 < n < 5``, combined with ``and``, ``or`` and ``not``.

Everything else (attributes, subscripts, other calls, keyword or starred arguments,
lambdas, comprehensions, strings, containers, ``x if c else y``, ...) is refused with a
:class:`FormulaError` that gives the 1-based column of the offending part.

Arithmetic follows Python: ``+ - * // %``, and ``**`` with a non-negative integer
exponent, keep integers exact; ``/`` always gives a float. The work is bounded: a
formula has at most 1000 characters, 500 nodes and 50 levels of nesting; every result,
intermediate ones included, must stay within 10**30 (integers) or 1e300 (floats); and a
power whose result would be huge is refused before it is computed. Line breaks count as
spaces, so a long formula may span several lines of YAML.
"""

from __future__ import annotations

import ast
import difflib
import math
import operator
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from .errors import QuizgenError

__all__ = ["ALLOWED_FUNCTIONS", "Formula", "FormulaError"]

Number = int | float
Values = Mapping[str, Number]
_NumberFn = Callable[[Values], Number]
_ConditionFn = Callable[[Values], bool]

ALLOWED_FUNCTIONS: tuple[str, ...] = ("sqrt", "log", "exp", "abs", "min", "max", "round")

MAX_LENGTH: Final = 1000
MAX_NODES: Final = 500
MAX_DEPTH: Final = 50
INT_LIMIT: Final = 10**30
FLOAT_LIMIT: Final = 1e300
_INT_MIN: Final = -INT_LIMIT  # precomputed: the range checks run for every operation
_FLOAT_MIN: Final = -FLOAT_LIMIT
_MAX_POWER_BITS: Final = 256
_MAX_FLOAT_EXPONENT: Final = 1e4
_TOO_DEEP: Final = f"formula is nested too deeply (more than {MAX_DEPTH} operations inside one another)"
_MIN_NDIGITS: Final = -400  # round(x, n) for n below this is 0 for every value in range

# Allowed number of positional arguments: (at least, at most or None for no limit).
_ARITY: Final[dict[str, tuple[int, int | None]]] = {
    "sqrt": (1, 1),
    "log": (1, 2),
    "exp": (1, 1),
    "abs": (1, 1),
    "min": (2, None),
    "max": (2, None),
    "round": (1, 2),
}

_BINARY_SYMBOLS: Final[dict[type[ast.operator], str]] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.Pow: "**",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitXor: "^",
    ast.BitAnd: "&",
}

_COMPARISONS: Final[dict[type[ast.cmpop], Callable[[Any, Any], bool]]] = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}

_FORBIDDEN: Final[dict[type[ast.AST], str]] = {
    ast.Lambda: "lambda is not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "comprehensions are not allowed",
    ast.List: "lists are not allowed",
    ast.Tuple: "tuples are not allowed",
    ast.Set: "sets are not allowed",
    ast.Dict: "dicts are not allowed",
    ast.IfExp: "conditional expressions ('a if c else b') are not allowed; use min() or max()",
    ast.NamedExpr: "assignments (':=') are not allowed",
    ast.JoinedStr: "f-strings are not allowed",
    ast.FormattedValue: "f-strings are not allowed",
    ast.Starred: "starred arguments ('*args') are not allowed",
    ast.Await: "'await' is not allowed",
    ast.Yield: "'yield' is not allowed",
    ast.YieldFrom: "'yield' is not allowed",
    ast.Slice: "subscripts ('[...]') are not allowed",
}


class FormulaError(QuizgenError):
    """A formula is invalid, or cannot be evaluated for some parameter values."""

    def __init__(self, message: str, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.column = column


@dataclass(frozen=True)
class Formula:
    """A checked formula, compiled for fast repeated evaluation; build it with :meth:`parse`."""

    source: str
    names: frozenset[str]
    is_condition: bool
    _params: tuple[str, ...] = field(repr=False, compare=False)
    _run: Callable[[Values], Number | bool] = field(repr=False, compare=False)
    size: int = field(default=1, repr=False, compare=False)
    """Its numbers, names and operations (at most MAX_NODES): what one evaluation costs, about a
    tenth of a microsecond each, so that callers can bound the work of evaluating it many times."""

    @classmethod
    def parse(cls, source: str, names: Iterable[str] | None = None, *, condition: bool = False) -> Formula:
        """Check ``source`` against the whitelist and compile it.

        ``names`` are the parameter names the formula may use; ``None`` allows any
        identifier. With ``condition=True`` the formula must be a constraint: a comparison,
        or comparisons combined with ``and``, ``or``, ``not``. Raises :class:`FormulaError`.
        """
        if isinstance(names, str):
            raise TypeError("names must be an iterable of parameter names, not a single str")
        allowed = None if names is None else tuple(dict.fromkeys(names))
        body, text = _parse_tree(source)
        size = _check_size(body, text)
        compiler = _Compiler(text, allowed, condition)
        run: Callable[[Values], Number | bool]
        if condition:
            run = compiler.condition(body, "a constraint must be a comparison such as 'n_in > n_out'")
        else:
            run = compiler.number(body)
        params = tuple(compiler.used)
        return cls(source, frozenset(params), condition, params, run, size)

    def evaluate(self, values: Mapping[str, int | float]) -> int | float | bool:
        """The value of the formula for these parameter values.

        Raises :class:`FormulaError` when a value is missing or is not a number, or when
        the formula has no finite value for them (division by zero, ``sqrt(-1)``, a result
        too large); the message does not repeat the values.
        """
        for name in self._params:
            try:
                value = values[name]
            except KeyError:
                raise FormulaError(f"no value for parameter '{name}'") from None
            if type(value) is int:
                if _INT_MIN <= value <= INT_LIMIT:
                    continue
            elif type(value) is float:
                if _FLOAT_MIN <= value <= FLOAT_LIMIT:
                    continue
            else:
                values = _coerce(values, self._params)
                break
            raise _bad_value(name, value)
        try:
            return self._run(values)
        except (ArithmeticError, ValueError) as exc:  # a safety net: the closures check first
            raise FormulaError(f"cannot evaluate the formula: {exc}") from None

    def __reduce__(self) -> tuple[Any, ...]:
        # The compiled closures cannot be pickled; parse the source again instead.
        return (_reparse, (self.source, self.names, self.is_condition))


def _reparse(source: str, names: frozenset[str], condition: bool) -> Formula:
    return Formula.parse(source, sorted(names), condition=condition)


def _coerce(values: Mapping[str, Any], params: tuple[str, ...]) -> dict[str, Number]:
    """The parameter values as plain ints and floats; the slow path of :meth:`Formula.evaluate`."""
    clean: dict[str, Number] = {}
    for name in params:
        value = values[name]
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise FormulaError(f"parameter '{name}' must be a number, not {type(value).__name__}")
        number: Number = int(value) if isinstance(value, int) else float(value)
        limit = INT_LIMIT if isinstance(number, int) else FLOAT_LIMIT
        if not -limit <= number <= limit:
            raise _bad_value(name, number)
        clean[name] = number
    return clean


def _bad_value(name: str, value: Number) -> FormulaError:
    if isinstance(value, float) and not math.isfinite(value):
        return FormulaError(f"parameter '{name}' is not a finite number")
    limit = "10**30" if isinstance(value, int) else "1e300"
    return FormulaError(f"parameter '{name}' is too large (the limit is {limit})")


# ---------------------------------------------------------------------------------------
# Parsing and checking


class _Text:
    """The text that is parsed, and the way back from AST offsets to columns of the source."""

    def __init__(self, source: str) -> None:
        flat = source
        # Line breaks (with or without a backslash) become spaces, one for one, so that the
        # columns of the flat text are the character positions of the source.
        for old, new in (("\\\r\n", "   "), ("\\\n", "  "), ("\\\r", "  "), ("\r", " "), ("\n", " ")):
            flat = flat.replace(old, new)
        self.text = flat.lstrip(" \t\f")
        self.shift = len(flat) - len(self.text)

    def column(self, node: ast.expr | ast.keyword) -> int:
        return self.column_at(node.col_offset)

    def column_at(self, byte_offset: int) -> int:
        """The 1-based column of a UTF-8 byte offset (AST offsets count bytes)."""
        data = self.text.encode("utf-8", "surrogatepass")
        return self.shift + len(data[:byte_offset].decode("utf-8", "replace")) + 1

    def segment(self, node: ast.expr, limit: int = 40) -> str:
        data = self.text.encode("utf-8", "surrogatepass")
        text = data[node.col_offset : node.end_col_offset].decode("utf-8", "replace")
        return text if len(text) <= limit else text[: limit - 3] + "..."

    def find(self, needle: str, start: int, end: int | None) -> int | None:
        """The column of ``needle`` between two byte offsets, if it is there."""
        data = self.text.encode("utf-8", "surrogatepass")
        found = data.find(needle.encode(), start, end)
        return None if found < 0 else self.column_at(found)


def _parse_tree(source: str) -> tuple[ast.expr, _Text]:
    if len(source) > MAX_LENGTH:
        raise FormulaError(f"formula is too long ({len(source)} characters; the limit is {MAX_LENGTH})")
    if "\0" in source:
        raise FormulaError("formula contains a null character", source.index("\0") + 1)
    text = _Text(source)
    if not text.text.strip():
        raise FormulaError("formula is empty")
    try:
        with warnings.catch_warnings():
            # Python only warns about some bad code (such as '1if'); refuse it the same way
            # whatever the caller's warning filters are.
            warnings.simplefilter("error")
            tree = ast.parse(text.text, mode="eval")
    except SyntaxError as exc:
        message = exc.msg or "invalid syntax"
        if exc.offset is None or exc.lineno != 1:
            raise FormulaError(f"syntax error: {message}") from None
        # Python gives offset 0 when the formula ends too early.
        column = text.shift + (exc.offset if exc.offset > 0 else len(text.text.rstrip()) + 1)
        raise FormulaError(f"syntax error at column {column}: {message}", column) from None
    except (RecursionError, MemoryError):
        raise FormulaError(_TOO_DEEP) from None
    except UnicodeError:
        raise FormulaError("formula is not valid Unicode text (it contains a lone surrogate)") from None
    except (ValueError, Warning) as exc:
        raise FormulaError(f"syntax error: {exc}") from None
    return tree.body, text


def _check_size(body: ast.expr, text: _Text) -> int:
    """Refuse too many nodes or too deep a nesting, before anything recurses over the tree; the
    number of nodes."""
    count = 0
    stack = [(body, 0)]  # depth: the operations around a node
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise FormulaError(_TOO_DEEP, text.column(node))
        count += 1
        if count > MAX_NODES:
            raise FormulaError(
                f"formula is too complex (more than {MAX_NODES} numbers, names and operations)"
            )
        stack.extend(
            (child, depth + 1) for child in ast.iter_child_nodes(node) if isinstance(child, ast.expr)
        )
    return count


# ---------------------------------------------------------------------------------------
# Compiling the checked tree into closures


class _Compiler:
    """Checks each node against the whitelist and turns it into a closure over the values."""

    def __init__(self, text: _Text, allowed: tuple[str, ...] | None, condition: bool) -> None:
        self.text = text
        self.allowed = allowed
        self.condition_mode = condition
        self.used: dict[str, None] = {}  # parameter names in order of first use

    def error(self, message: str, node: ast.expr | ast.keyword) -> FormulaError:
        return FormulaError(message, self.text.column(node))

    # Conditions -----------------------------------------------------------------------

    def condition(self, node: ast.expr, expected: str) -> _ConditionFn:
        if isinstance(node, ast.Compare):
            return self.compare(node)
        if isinstance(node, ast.BoolOp):
            word = "and" if isinstance(node.op, ast.And) else "or"
            parts = tuple(
                self.condition(value, f"'{word}' combines conditions such as 'n > 0', not numbers")
                for value in node.values
            )
            return _all(parts) if word == "and" else _any(parts)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            inner = self.condition(node.operand, "'not' applies to a condition such as 'n > 0', not a number")
            return lambda values: not inner(values)
        self.number(node)  # a forbidden node is reported as such, not as "not a condition"
        raise self.error(expected, node)

    def compare(self, node: ast.Compare) -> _ConditionFn:
        tests: list[Callable[[Any, Any], bool]] = []
        for op in node.ops:
            test = _COMPARISONS.get(type(op))
            if test is None:
                word = {ast.Is: "is", ast.IsNot: "is not", ast.In: "in", ast.NotIn: "not in"}[type(op)]
                raise self.error(f"'{word}' is not allowed; compare with < <= > >= == !=", node)
            tests.append(test)
        first = self.number(node.left)
        rest = [self.number(comparator) for comparator in node.comparators]
        if len(tests) == 1:
            test, second = tests[0], rest[0]
            return lambda values: test(first(values), second(values))
        steps = tuple(zip(tests, rest, strict=True))

        def chain(values: Values) -> bool:
            left = first(values)
            for test, operand in steps:
                right = operand(values)
                if not test(left, right):
                    return False
                left = right
            return True

        return chain

    # Numbers --------------------------------------------------------------------------

    def number(self, node: ast.expr) -> _NumberFn:
        if isinstance(node, ast.Constant):
            return self.constant(node)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.BinOp):
            return self.binary(node)
        if isinstance(node, ast.UnaryOp):
            return self.unary(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.Compare):
            if self.condition_mode:
                raise self.error("a comparison cannot be used as a number", node)
            raise self.error("comparisons are only allowed in constraints", node)
        if isinstance(node, ast.BoolOp):
            word = "and" if isinstance(node.op, ast.And) else "or"
            if self.condition_mode:
                raise self.error(f"a condition ('{word}') cannot be used as a number", node)
            raise self.error(f"'{word}' is only allowed in constraints", node)
        if isinstance(node, ast.Attribute):
            column = self.text.find(".", _end(node.value), _end(node))
            raise FormulaError(f"attribute access ('.{node.attr}') is not allowed", column)
        if isinstance(node, ast.Subscript):
            column = self.text.find("[", _end(node.value), _end(node))
            raise FormulaError("subscripts ('[...]') are not allowed", column)
        message = _FORBIDDEN.get(type(node), f"{type(node).__name__} expressions are not allowed")
        raise self.error(message, node)

    def constant(self, node: ast.Constant) -> _NumberFn:
        value = node.value
        if isinstance(value, bool):
            raise self.error("booleans (True, False) are not allowed", node)
        if isinstance(value, int):
            if value > INT_LIMIT:
                raise self.error("number too large (the limit is 10**30)", node)
        elif isinstance(value, float):
            if not value <= FLOAT_LIMIT:
                raise self.error("number too large (the limit is 1e300)", node)
        elif isinstance(value, complex):
            raise self.error(f"complex numbers ('{self.text.segment(node)}') are not allowed", node)
        elif isinstance(value, str | bytes):
            raise self.error("strings are not allowed", node)
        else:
            raise self.error(f"'{self.text.segment(node)}' is not allowed", node)
        number: Number = value
        return lambda _values: number

    def name(self, node: ast.Name) -> _NumberFn:
        name = node.id
        if name.startswith("_"):
            raise self.error(f"names starting with '_' are not allowed ('{name}')", node)
        if self.allowed is None or name not in self.allowed:
            if name in ALLOWED_FUNCTIONS:
                raise self.error(f"'{name}' is a function; call it as {name}(...)", node)
            if self.allowed is not None:
                message = f"unknown name '{name}'" + _did_you_mean(name, self.allowed)
                if self.allowed:
                    message += f"; parameters: {', '.join(self.allowed)}"
                else:
                    message += "; this formula has no parameters"
                raise self.error(message, node)
        self.used[name] = None
        getter: _NumberFn = operator.itemgetter(name)
        return getter

    def unary(self, node: ast.UnaryOp) -> _NumberFn:
        if isinstance(node.op, ast.Not):
            if self.condition_mode:
                raise self.error("a condition ('not') cannot be used as a number", node)
            raise self.error("'not' is only allowed in constraints", node)
        if isinstance(node.op, ast.Invert):
            raise self.error("operator '~' is not allowed", node)
        operand = self.number(node.operand)
        if isinstance(node.op, ast.UAdd):
            return operand
        return lambda values: -operand(values)

    def binary(self, node: ast.BinOp) -> _NumberFn:
        symbol = _BINARY_SYMBOLS.get(type(node.op), "?")
        column = self.text.find(symbol, _end(node.left), node.right.col_offset) or self.text.column(node)
        if isinstance(node.op, ast.MatMult | ast.LShift | ast.RShift | ast.BitOr | ast.BitXor | ast.BitAnd):
            raise FormulaError(f"operator '{symbol}' is not allowed", column)
        left = self.number(node.left)
        right = self.number(node.right)
        if isinstance(node.op, ast.Add):
            return _add(left, right, column)
        if isinstance(node.op, ast.Sub):
            return _subtract(left, right, column)
        if isinstance(node.op, ast.Mult):
            return _multiply(left, right, column)
        if isinstance(node.op, ast.Pow):
            return _power(left, right, column)
        division: Callable[[Number, Number], Number] = {
            ast.Div: operator.truediv,
            ast.FloorDiv: operator.floordiv,
            ast.Mod: operator.mod,
        }[type(node.op)]
        return _divide(
            division, left, right, f"division by zero: '{self.text.segment(node.right)}' is 0", column
        )

    def call(self, node: ast.Call) -> _NumberFn:
        if not isinstance(node.func, ast.Name):
            self.number(node.func)  # reports attributes, subscripts, ... as such
            raise self.error(f"only functions can be called: {', '.join(ALLOWED_FUNCTIONS)}", node)
        function = node.func.id
        if function not in ALLOWED_FUNCTIONS:
            hint = _did_you_mean(function, ALLOWED_FUNCTIONS)
            raise self.error(
                f"'{function}' is not an allowed function{hint}; allowed: {', '.join(ALLOWED_FUNCTIONS)}",
                node,
            )
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise self.error(_FORBIDDEN[ast.Starred], arg)
        for keyword in node.keywords:
            if keyword.arg is None:
                raise self.error("'**' arguments are not allowed", keyword)
            raise self.error(
                f"keyword argument '{keyword.arg}=' is not allowed; pass arguments by position", keyword
            )
        least, most = _ARITY[function]
        count = len(node.args)
        if count < least or (most is not None and count > most):
            if most is None:
                wanted = f"at least {least} arguments"
            elif least == most:
                wanted = f"exactly {least} argument{'s' if least != 1 else ''}"
            else:
                wanted = f"{least} or {most} arguments"
            raise self.error(f"{function}() takes {wanted} ({count} given)", node)
        if function == "round" and count == 2:
            _check_ndigits(self, node.args[1])
        args = [self.number(arg) for arg in node.args]
        return _FUNCTIONS[function](args, self.text.column(node))


def _end(node: ast.expr) -> int:
    return node.end_col_offset if node.end_col_offset is not None else node.col_offset


def _did_you_mean(name: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(candidates), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _check_ndigits(compiler: _Compiler, node: ast.expr) -> None:
    """Refuse a literal ``ndigits`` of round() that is not an integer (others are checked when run)."""
    literal = node.operand if isinstance(node, ast.UnaryOp) else node
    if isinstance(literal, ast.Constant) and isinstance(literal.value, float):
        raise compiler.error("round(): ndigits must be an integer", node)


def _all(parts: tuple[_ConditionFn, ...]) -> _ConditionFn:
    def run(values: Values) -> bool:
        return all(part(values) for part in parts)

    return run


def _any(parts: tuple[_ConditionFn, ...]) -> _ConditionFn:
    def run(values: Values) -> bool:
        return any(part(values) for part in parts)

    return run


# ---------------------------------------------------------------------------------------
# Run-time operations. + - * are written out for speed; every result is range checked.


def _out_of_range(result: Number, column: int | None) -> FormulaError:
    if isinstance(result, float) and math.isnan(result):
        return FormulaError("result is not a finite number", column)
    return FormulaError("result too large", column)


def _checked(result: Number, column: int | None) -> Number:
    if type(result) is int:
        if _INT_MIN <= result <= INT_LIMIT:
            return result
    elif _FLOAT_MIN <= result <= FLOAT_LIMIT:
        return result
    raise _out_of_range(result, column)


def _add(left: _NumberFn, right: _NumberFn, column: int | None) -> _NumberFn:
    def run(values: Values) -> Number:
        result = left(values) + right(values)
        if type(result) is int:
            if _INT_MIN <= result <= INT_LIMIT:
                return result
        elif _FLOAT_MIN <= result <= FLOAT_LIMIT:
            return result
        raise _out_of_range(result, column)

    return run


def _subtract(left: _NumberFn, right: _NumberFn, column: int | None) -> _NumberFn:
    def run(values: Values) -> Number:
        result = left(values) - right(values)
        if type(result) is int:
            if _INT_MIN <= result <= INT_LIMIT:
                return result
        elif _FLOAT_MIN <= result <= FLOAT_LIMIT:
            return result
        raise _out_of_range(result, column)

    return run


def _multiply(left: _NumberFn, right: _NumberFn, column: int | None) -> _NumberFn:
    def run(values: Values) -> Number:
        result = left(values) * right(values)
        if type(result) is int:
            if _INT_MIN <= result <= INT_LIMIT:
                return result
        elif _FLOAT_MIN <= result <= FLOAT_LIMIT:
            return result
        raise _out_of_range(result, column)

    return run


def _divide(
    division: Callable[[Number, Number], Number],
    left: _NumberFn,
    right: _NumberFn,
    message: str,
    column: int | None,
) -> _NumberFn:
    def run(values: Values) -> Number:
        dividend = left(values)
        divisor = right(values)
        if divisor == 0:
            raise FormulaError(message, column)
        return _checked(division(dividend, divisor), column)

    return run


def _power(left: _NumberFn, right: _NumberFn, column: int | None) -> _NumberFn:
    def run(values: Values) -> Number:
        return _raise_to(left(values), right(values), column)

    return run


def _raise_to(base: Number, exponent: Number, column: int | None) -> Number:
    """``base ** exponent``, refused before it is computed when the result would be huge."""
    if type(base) is int and type(exponent) is int and exponent >= 0:
        # Exact integer power; its bit length is about exponent * log2(|base|).
        if (base > 1 or base < -1) and exponent * math.log2(abs(base)) > _MAX_POWER_BITS:
            raise FormulaError(f"result too large ({base} ** {exponent})", column)
        exact: int = base**exponent
        if _INT_MIN <= exact <= INT_LIMIT:
            return exact
        raise FormulaError(f"result too large ({base} ** {exponent})", column)
    shown = f"({f'({base!r})' if base < 0 else repr(base)} ** {exponent!r})"
    if base == 0 and exponent < 0:
        raise FormulaError(f"division by zero: 0 cannot be raised to a negative power {shown}", column)
    if abs(exponent) > _MAX_FLOAT_EXPONENT:
        raise FormulaError(f"exponent too large {shown}; the limit is 1e4", column)
    if base < 0 and exponent != math.floor(exponent):
        raise FormulaError(f"result is not a real number {shown}", column)
    try:
        result: float = float(base) ** exponent
    except OverflowError:
        raise FormulaError(f"result too large {shown}", column) from None
    if result == 0 and base != 0:
        raise FormulaError(f"result too small to represent {shown}", column)
    if _FLOAT_MIN <= result <= FLOAT_LIMIT:
        return result
    raise FormulaError(f"result too large {shown}", column)


def _sqrt(args: list[_NumberFn], column: int | None) -> _NumberFn:
    (arg,) = args

    def run(values: Values) -> Number:
        x = arg(values)
        if x < 0:
            raise FormulaError("sqrt() of a negative number", column)
        return math.sqrt(x)

    return run


def _log(args: list[_NumberFn], column: int | None) -> _NumberFn:
    arg = args[0]
    base = args[1] if len(args) == 2 else None

    def run(values: Values) -> Number:
        x = arg(values)
        if x <= 0:
            raise FormulaError("log() of zero or a negative number", column)
        if base is None:
            return math.log(x)
        b = base(values)
        if b <= 0 or b == 1:
            raise FormulaError("log() base must be positive and not 1", column)
        return _checked(math.log(x, b), column)

    return run


def _exp(args: list[_NumberFn], column: int | None) -> _NumberFn:
    (arg,) = args

    def run(values: Values) -> Number:
        try:
            result = math.exp(arg(values))
        except OverflowError:
            result = math.inf
        if result > FLOAT_LIMIT:
            raise FormulaError("exp() result too large", column)
        return result

    return run


def _abs(args: list[_NumberFn], column: int | None) -> _NumberFn:
    (arg,) = args
    return lambda values: abs(arg(values))


def _min(args: list[_NumberFn], column: int | None) -> _NumberFn:
    parts = tuple(args)
    return lambda values: min([part(values) for part in parts])


def _max(args: list[_NumberFn], column: int | None) -> _NumberFn:
    parts = tuple(args)
    return lambda values: max([part(values) for part in parts])


def _round(args: list[_NumberFn], column: int | None) -> _NumberFn:
    arg = args[0]
    if len(args) == 1:
        return lambda values: _checked(round(arg(values)), column)
    ndigits = args[1]

    def run(values: Values) -> Number:
        x = arg(values)
        digits = ndigits(values)
        if type(digits) is not int:
            raise FormulaError("round(): ndigits must be an integer", column)
        # int.__round__ computes 10**-ndigits: keep that small (the result is 0 anyway).
        return _checked(round(x, max(digits, _MIN_NDIGITS)), column)

    return run


_FUNCTIONS: Final[dict[str, Callable[[list[_NumberFn], int | None], _NumberFn]]] = {
    "sqrt": _sqrt,
    "log": _log,
    "exp": _exp,
    "abs": _abs,
    "min": _min,
    "max": _max,
    "round": _round,
}
