"""Reading and grading a typed answer.

A drill asks a question and the student types an answer; :func:`grade` reads the
text for that question's type (:func:`parse_answer`) and checks the value
(:func:`is_correct_value`). Generators' tests use the same two steps to make sure
a stated answer is graded correct and every distractor wrong.

Text that cannot be read for the question is never graded: it raises
:class:`InvalidAnswer`, whose one-line message tells the student how to answer,
and the drill asks again.

What each type reads (surrounding whitespace is ignored)::

    choice      2  ②  (2)  2.  2)             an option number, 1 to len(options)
    multi       1,3  1 3  1, 3  ①③  13        option numbers; "13" is 1 and 3 with at most 9 options
    true_false  t f true false yes no y n     also 1 = true, 2 = false (the chapter's numbering), ① ②
    integer     10 +10 -3 1_000 1,000 10.0    a whole number
                2^10 10⁶ sqrt(400) 8^(1/3)    (or a product, quotient, power or root giving one:
                1614/2 1^10000                 a root that is exact stays exact)
    numeric     0.35 .35 3.5e-1 -0.2 1/12 0,35   a finite number; "0,35" (one comma, no dot) is 0.35;
                                                 a unicode minus is read as '-'; "1,000" is ambiguous
                5*10^-2 5×10⁻² 5·10^-2 2^10   products, quotients, powers (^, **, superscripts) and
                sqrt(1/400) √(1/400) 10⁶      roots of numbers: the spellings people and quizgen write
                                              (never eval: a small bounded parser; sums are refused)
    text        any non-empty text            compared after normalising case, '-', '_', spacing, a final '.'
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import assert_never

from .errors import QuizgenError
from .models import (
    ChoiceQuestion,
    IntegerQuestion,
    MultiQuestion,
    NumericQuestion,
    Question,
    TextQuestion,
    TrueFalseQuestion,
)

__all__ = [
    "Grade",
    "InvalidAnswer",
    "Response",
    "grade",
    "is_correct_value",
    "normalise_text",
    "parse_answer",
]

Response = int | float | bool | str | tuple[int, ...]
"""A parsed answer: option number (choice), sorted option numbers (multi), bool, int, float or str."""


class InvalidAnswer(QuizgenError):
    """A typed answer that cannot be read for this question; it is not graded."""


@dataclass(frozen=True)
class Grade:
    """The verdict on one typed answer."""

    correct: bool
    response: Response
    """The parsed answer (what :func:`parse_answer` returned)."""
    chosen: tuple[int, ...] = ()
    """Option numbers picked (choice and multi), counting from 1."""
    misconception: str | None = None
    """For a wrong choice option, or a number a named mistake gives: that misconception's id."""
    feedback: str | None = None
    """For a choice option: that option's feedback, right or wrong; for a named numeric mistake, its feedback."""
    missed: tuple[int, ...] = ()
    """Select all that apply: the right options not chosen."""
    wrong: tuple[int, ...] = ()
    """Select all that apply: the options chosen that are not right."""


EMPTY_MESSAGE = "type an answer, or ? for a hint, s to skip, q to quit"
TRUE_FALSE_MESSAGE = "answer t (true) or f (false); 1 = true, 2 = false"
WHOLE_NUMBER_MESSAGE = "expected a whole number, e.g. 10"
NUMBER_MESSAGE = "expected a number, e.g. 0.35"
FINITE_MESSAGE = "expected a finite number, e.g. 0.35"

_CIRCLED_FIRST = 0x2460  # ① .. ⑳ are U+2460 .. U+2473
_CIRCLED_LAST = 0x2473
_UNICODE_MINUS = "\u2212"

# An option number as typed: "2", "(2)", "2.", "2)" or one circled digit.
_OPTION_RE = re.compile(r"\(\s*([0-9]+)\s*\)|([0-9]+)[.)]?")
# A plain decimal number; the integer part is bare digits or grouped in thousands by ',' or '_'.
_NUMBER_RE = re.compile(
    r"(?P<sign>[+-]?)"
    r"(?P<int>[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,3}(?:_[0-9]{3})+)?"
    r"(?:\.(?P<frac>[0-9]*))?"
    r"(?:[eE](?P<exp>[+-]?[0-9]+))?"
)
# "1,000": a thousands separator or a decimal comma; the reading depends on the question type.
_AMBIGUOUS_COMMA_RE = re.compile(r"[+-]?[1-9][0-9]{0,2},[0-9]{3}")
_NON_FINITE = frozenset({"nan", "inf", "infinity", "\u221e"})
_TRUE_WORDS = frozenset({"t", "true", "y", "yes"})
_FALSE_WORDS = frozenset({"f", "false", "n", "no"})
_MAX_INTEGER_DIGITS = 1000  # a bigger integer is a typing accident, and too long to print


def parse_answer(question: Question, text: str) -> Response:
    """Read ``text`` as an answer to ``question``; raise :class:`InvalidAnswer` if it cannot be read."""
    text = text.strip()
    if not text:
        raise InvalidAnswer(EMPTY_MESSAGE)
    match question:
        case ChoiceQuestion():
            return _parse_choice(text, len(question.options))
        case MultiQuestion():
            return _parse_multi(text, len(question.options))
        case TrueFalseQuestion():
            return _parse_true_false(text)
        case IntegerQuestion():
            return _parse_integer(text)
        case NumericQuestion():
            return _parse_numeric(text)
        case TextQuestion():
            return text
        case _:
            assert_never(question)


def is_correct_value(question: Question, value: Response) -> bool:
    """Whether an already parsed ``value`` is a correct answer to ``question``.

    A value of the wrong type for the question (a bool for a choice question, a
    string for a numeric one) is a programming error and raises ``TypeError``.
    """
    match question:
        case ChoiceQuestion():
            return _as_int(value, question) == question.answer
        case MultiQuestion():
            if not isinstance(value, tuple) or not all(_is_int(number) for number in value):
                raise _type_error(value, question, "a tuple of option numbers")
            return set(value) == set(question.answers)
        case TrueFalseQuestion():
            if not isinstance(value, bool):
                raise _type_error(value, question, "a bool")
            return value is question.answer
        case IntegerQuestion():
            return _as_number(value, question) == question.answer
        case NumericQuestion():
            return question.accepts(_as_number(value, question))
        case TextQuestion():
            if not isinstance(value, str):
                raise _type_error(value, question, "a str")
            return normalise_text(value) in {normalise_text(form) for form in question.accepted_forms()}
        case _:
            assert_never(question)


def grade(question: Question, text: str) -> Grade:
    """Read ``text`` as an answer to ``question`` and grade it.

    Raises :class:`InvalidAnswer` (the answer is not graded) when the text cannot be read.
    """
    response = parse_answer(question, text)
    correct = is_correct_value(question, response)
    match question:
        case ChoiceQuestion():
            assert isinstance(response, int)
            option = question.options[response - 1]
            return Grade(
                correct=correct,
                response=response,
                chosen=(response,),
                misconception=None if correct else option.misconception,
                feedback=option.feedback,
            )
        case MultiQuestion():
            assert isinstance(response, tuple)
            right = set(question.answers)
            return Grade(
                correct=correct,
                response=response,
                chosen=response,
                missed=tuple(sorted(right - set(response))),
                wrong=tuple(n for n in response if n not in right),
            )
        case TrueFalseQuestion() | TextQuestion():
            return Grade(correct=correct, response=response)
        case IntegerQuestion() | NumericQuestion():
            if not correct:
                assert isinstance(response, (int, float))
                mistake = question.mistake_for(response)
                if mistake is not None:
                    return Grade(
                        correct=False,
                        response=response,
                        misconception=mistake.misconception,
                        feedback=mistake.feedback,
                    )
            return Grade(correct=correct, response=response)
        case _:
            assert_never(question)


def normalise_text(text: str) -> str:
    """The form in which a text answer and the accepted forms are compared.

    Case-folded, '-' and '_' read as spaces, runs of whitespace collapsed, and
    surrounding whitespace and trailing full stops dropped: "Kaiming-He." -> "kaiming he".
    """
    folded = unicodedata.normalize("NFC", text.casefold())
    spaced = " ".join(folded.replace("-", " ").replace("_", " ").split())
    return spaced.rstrip(". ")


# --- choice, multi, true/false ------------------------------------------------------------------


def _circled(char: str) -> int | None:
    code = ord(char)
    return code - _CIRCLED_FIRST + 1 if _CIRCLED_FIRST <= code <= _CIRCLED_LAST else None


def _option_digits(text: str) -> str | None:
    """The digits of an option number typed as "2", "(2)", "2." or "2)", else None."""
    match = _OPTION_RE.fullmatch(text)
    if match is None:
        return None
    return match.group(1) or match.group(2)


def _shown(digits: str) -> str:
    """An option number as typed, for a message (without leading zeros, shortened if absurd)."""
    digits = digits.lstrip("0") or "0"
    return digits if len(digits) <= 9 else digits[:9] + "..."


def _option_number(digits: str, count: int, how: str) -> int:
    """``digits`` as an option number from 1 to ``count``, else :class:`InvalidAnswer`."""
    shown = _shown(digits)
    number = int(shown) if len(shown) <= 9 else 0
    if not 1 <= number <= count:
        raise InvalidAnswer(f"there is no option {shown}; {how}")
    return number


def _parse_choice(text: str, count: int) -> int:
    how = f"answer with a number from 1 to {count}"
    if len(text) == 1 and (circled := _circled(text)) is not None:
        return _option_number(str(circled), count, how)
    digits = _option_digits(text)
    if digits is None:
        raise InvalidAnswer(how)
    return _option_number(digits, count, how)


def _parse_multi(text: str, count: int) -> tuple[int, ...]:
    how = f"answer with option numbers from 1 to {count}, separated by commas, e.g. 1,3"
    chosen: set[int] = set()
    tokens = [token for token in re.split(r"[,\s]+", text) if token]
    if not tokens:
        raise InvalidAnswer(how)
    for token in tokens:
        circled = [_circled(char) for char in token]
        if all(number is not None for number in circled):
            chosen.update(_option_number(str(number), count, how) for number in circled)
            continue
        digits = _option_digits(token)
        if digits is None:
            raise InvalidAnswer(how)
        if count <= 9 and digits == token and len(digits) > 1:  # "13" is options 1 and 3
            chosen.update(_option_number(digit, count, how) for digit in digits)
        else:
            chosen.add(_option_number(digits, count, how))
    return tuple(sorted(chosen))


def _parse_true_false(text: str) -> bool:
    word = text.casefold()
    if len(word) > 1:
        word = word.removesuffix(".")
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    number = _circled(text) if len(text) == 1 else None
    if number is None and (digits := _option_digits(text)) is not None:
        shown = _shown(digits)
        number = int(shown) if len(shown) <= 9 else None
    if number == 1:
        return True
    if number == 2:
        return False
    raise InvalidAnswer(TRUE_FALSE_MESSAGE)


# --- numbers ------------------------------------------------------------------------------------


class _Unreadable(Exception):
    """Internal: the text is not a plain number."""


def _read_decimal(text: str, *, thousands_first: bool) -> Decimal:
    """Read a plain number (no fraction, no percent) exactly.

    A single comma and no dot is a decimal comma ("0,35"). When it could also be a
    thousands separator ("1,000"), ``thousands_first`` decides; if it is False the
    text is ambiguous and InvalidAnswer says how to write it.
    """
    text = text.strip().replace(_UNICODE_MINUS, "-")
    if text.count(",") == 1 and "." not in text:
        if _AMBIGUOUS_COMMA_RE.fullmatch(text):
            if not thousands_first:
                whole, _, part = text.partition(",")
                raise InvalidAnswer(
                    f"{text} is ambiguous: write {whole}{part} if the comma separates thousands, "
                    f"or {whole}.{part} if it is a decimal comma"
                )
        else:
            text = text.replace(",", ".")
    match = _NUMBER_RE.fullmatch(text)
    if match is None or not (match["int"] or match["frac"]):
        raise _Unreadable
    exponent = match["exp"] or "0"
    if len(exponent.lstrip("+-").lstrip("0")) > 9:  # beyond what Decimal holds; as good as infinite
        exponent = "-999999999" if exponent.startswith("-") else "999999999"
    digits = (match["int"] or "0").replace(",", "").replace("_", "")
    try:
        return Decimal(f"{match['sign']}{digits}.{match['frac'] or '0'}e{exponent}")
    except InvalidOperation as error:  # pragma: no cover - the pattern admits only valid literals
        raise _Unreadable from error


def _is_non_finite(text: str) -> bool:
    return text.casefold().replace(_UNICODE_MINUS, "-").lstrip("+-").strip() in _NON_FINITE


def _parse_integer(text: str) -> int:
    if _is_non_finite(text):
        raise InvalidAnswer(WHOLE_NUMBER_MESSAGE)
    if _looks_like_expression(text) or "/" in text:  # 1614/2 is 807, as 1614÷2 is
        exact = _evaluate(text, WHOLE_NUMBER_MESSAGE)
        if isinstance(exact, float) or exact.denominator != 1:
            raise InvalidAnswer(f"that is not a whole number; {WHOLE_NUMBER_MESSAGE}")
        if exact and len(str(abs(exact.numerator))) > _MAX_INTEGER_DIGITS:
            raise InvalidAnswer(f"that number is too large; {WHOLE_NUMBER_MESSAGE}")
        return int(exact)
    try:
        value = _read_decimal(text, thousands_first=True)
    except _Unreadable:
        raise InvalidAnswer(WHOLE_NUMBER_MESSAGE) from None
    if value != value.to_integral_value():
        raise InvalidAnswer(WHOLE_NUMBER_MESSAGE)
    if value and value.adjusted() >= _MAX_INTEGER_DIGITS:
        raise InvalidAnswer(f"that number is too large; {WHOLE_NUMBER_MESSAGE}")
    return int(value)


def _parse_numeric(text: str) -> float:
    if _is_non_finite(text):
        raise InvalidAnswer(FINITE_MESSAGE)
    if text.endswith("%"):
        raise InvalidAnswer(_percent_message(text[:-1]))
    if _looks_like_expression(text):
        try:
            value = float(_evaluate(text, NUMBER_MESSAGE))
        except OverflowError:
            raise InvalidAnswer(f"that number is too large; {FINITE_MESSAGE}") from None
        if not math.isfinite(value):
            raise InvalidAnswer(f"that number is too large; {FINITE_MESSAGE}")
        return value
    try:
        if text.count("/") == 1:
            top, bottom = (_float(part) for part in text.split("/"))
            if bottom == 0:
                raise InvalidAnswer(f"cannot divide by zero; {NUMBER_MESSAGE}")
            value = top / bottom
        else:
            value = _float(text)
    except _Unreadable:
        raise InvalidAnswer(NUMBER_MESSAGE) from None
    if not math.isfinite(value):
        raise InvalidAnswer(f"that number is too large; {FINITE_MESSAGE}")
    return value


def _float(text: str) -> float:
    value = float(_read_decimal(text, thousands_first=False))
    if not math.isfinite(value):  # e.g. 1e400
        raise InvalidAnswer(f"that number is too large; {FINITE_MESSAGE}")
    return value


def _percent_message(number: str) -> str:
    general = "write a percentage as a plain number, e.g. 5% as 0.05"
    try:
        value = _read_decimal(number, thousands_first=True)
    except (_Unreadable, InvalidAnswer):
        return general
    if not -12 <= value.adjusted() <= 12:
        return general
    fraction = value.scaleb(-2).normalize()
    return f"write a percentage as a plain number: {number.strip()}% is {fraction:f}"


# --- products, powers and roots: the spellings people write (5×10⁻², 2^10, sqrt(1/400)) -------------

SUM_MESSAGE = "type one number, not a sum or difference (e.g. 0.35, 1/12 or 5×10⁻²)"
MAX_EXPRESSION_CHARS = 200
"""A longer answer written with operators is not a spelling of a number: refused before any work."""
_MAX_DEPTH = 20
"""Brackets and roots nested at most this deep."""
_MAX_BITS = 4000
"""An exact intermediate value's numerator and denominator at most this many bits (about 1,200 digits)."""
_MAX_FLOAT_TEN = 400
"""A number written in an answer at most 10^400 or at least 10^-400 (beyond a float either way)."""

_EXPRESSION_RE = re.compile(r"[*×·⋅∙^√()÷xX\u2070-\u209f\u00b2\u00b3\u00b9]|sqrt", re.IGNORECASE)
_SUPERSCRIPTS = {
    "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9",
    "⁻": "-", "⁺": "+",
}  # fmt: skip
_TIMES = frozenset("*×·⋅∙xX")
_TOKEN_RE = re.compile(
    r"(?P<number>(?:[0-9][0-9,_]*(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"
    r"|(?P<power>\*\*|\^)"
    r"|(?P<sqrt>sqrt|√)"
    r"|(?P<super>[⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+)"
    r"|(?P<op>[*×·⋅∙xX/÷()+-])",
    re.IGNORECASE,
)

Exact = Fraction | float
"""A value while reading an expression: exact while it can be, a float after a root or a fractional power."""


def _looks_like_expression(text: str) -> bool:
    """Whether ``text`` is written with operators (not a plain number or one fraction)."""
    return _EXPRESSION_RE.search(text) is not None or text.count("/") > 1


def _evaluate(text: str, message: str) -> Exact:
    """The value of a product, quotient, power or root of numbers, read without eval and bounded.

    Grammar (``*`` also ``×·x``, ``/`` also ``÷``, ``^`` also ``**`` or superscript digits)::

        product := signed (('*' | '/') signed | implicit)*     implicit: 2√2, 2(3)
        signed  := ('-' | '+') signed | power
        power   := atom superscript? ('^' signed)?              right-associative
        atom    := number | '(' product ')' | ('sqrt' | '√') atom

    A sum or difference raises :class:`InvalidAnswer` with SUM_MESSAGE, anything else unreadable
    with ``message``.
    """
    source = "".join(text.replace(_UNICODE_MINUS, "-").split())
    if len(source) > MAX_EXPRESSION_CHARS:
        raise InvalidAnswer(f"that answer is too long; {message}")
    tokens: list[tuple[str, str]] = []
    position = 0
    while position < len(source):
        match = _TOKEN_RE.match(source, position)
        if match is None:
            raise InvalidAnswer(message)
        kind = match.lastgroup or "op"
        value = match.group()
        if kind == "op" and value in _TIMES:
            value = "*"
        elif kind == "op" and value == "÷":
            value = "/"
        elif kind == "super":
            value = "".join(_SUPERSCRIPTS[char] for char in value)
        tokens.append((kind, value))
        position = match.end()
    reader = _Reader(tokens, message)
    result = reader.product(0)
    if reader.index != len(tokens):
        kind, value = tokens[reader.index]
        if kind == "op" and value in "+-":
            raise InvalidAnswer(SUM_MESSAGE)
        raise InvalidAnswer(message)
    return result


class _Reader:
    """Recursive descent over the tokens of :func:`_evaluate` (depth bounded by _MAX_DEPTH)."""

    def __init__(self, tokens: list[tuple[str, str]], message: str) -> None:
        self.tokens = tokens
        self.index = 0
        self.message = message

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise InvalidAnswer(self.message)
        self.index += 1
        return token

    def deeper(self, depth: int) -> int:
        if depth >= _MAX_DEPTH:
            raise InvalidAnswer(f"that answer is nested too deeply; {self.message}")
        return depth + 1

    def product(self, depth: int) -> Exact:
        value = self.signed(depth)
        while (token := self.peek()) is not None:
            kind, text = token
            if kind == "op" and text in "*/":
                self.index += 1
                right = self.signed(depth)
                value = _times(value, right) if text == "*" else _divide(value, right)
            elif kind == "sqrt" or (kind == "op" and text == "("):  # 2√2, 2(3)
                value = _times(value, self.signed(depth))
            elif kind == "op" and text in "+-":
                raise InvalidAnswer(SUM_MESSAGE)
            else:
                break
        return value

    def signed(self, depth: int) -> Exact:
        token = self.peek()
        if token is not None and token[0] == "op" and token[1] in "+-":
            self.index += 1
            value = self.signed(self.deeper(depth))
            return -value if token[1] == "-" else value
        return self.power(depth)

    def power(self, depth: int) -> Exact:
        value = self.atom(depth)
        token = self.peek()
        if token is not None and token[0] == "super":
            self.index += 1
            value = _raise(value, self.exponent(token[1]))
            token = self.peek()
        if token is not None and token[0] == "power":
            self.index += 1
            value = _raise(value, self.signed(self.deeper(depth)))
        return value

    def exponent(self, text: str) -> Fraction:
        sign = -1 if text.count("-") % 2 else 1
        digits = text.lstrip("+-")
        if not digits.isdigit() or len(digits) > 6:
            raise InvalidAnswer(self.message)
        return Fraction(sign * int(digits))

    def atom(self, depth: int) -> Exact:
        kind, text = self.take()
        if kind == "number":
            return _number(text, self.message)
        if kind == "sqrt":
            return _root(self.atom(self.deeper(depth)))
        if kind == "op" and text == "(":
            value = self.product(self.deeper(depth))
            if self.take() != ("op", ")"):
                raise InvalidAnswer(self.message)
            return value
        raise InvalidAnswer(self.message)


def _too_large() -> InvalidAnswer:
    return InvalidAnswer(f"that number is too large; {NUMBER_MESSAGE}")


def _too_small() -> InvalidAnswer:
    return InvalidAnswer(f"that number is too small; {NUMBER_MESSAGE}")


def _out_of_bounds(small: bool) -> InvalidAnswer:
    return _too_small() if small else _too_large()


def _bounded(value: Exact) -> Exact:
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _too_large()
        return value
    if value.numerator.bit_length() > _MAX_BITS or value.denominator.bit_length() > _MAX_BITS:
        raise _out_of_bounds(abs(value.numerator) < value.denominator)
    return value


def _number(text: str, message: str) -> Fraction:
    try:
        value = _read_decimal(text, thousands_first=False)
    except _Unreadable:
        raise InvalidAnswer(message) from None
    if value and not -_MAX_FLOAT_TEN <= value.adjusted() <= _MAX_FLOAT_TEN:
        raise _out_of_bounds(value.adjusted() < 0)
    if len(value.as_tuple().digits) > _MAX_INTEGER_DIGITS:
        raise _too_large()
    return Fraction(value)


def _times(left: Exact, right: Exact) -> Exact:
    try:
        return _bounded(left * right)
    except OverflowError:  # an exact value too large for a float, times a float
        raise _too_large() from None


def _divide(left: Exact, right: Exact) -> Exact:
    if right == 0:
        raise InvalidAnswer(f"cannot divide by zero; {NUMBER_MESSAGE}")
    try:
        return _bounded(left / right)
    except (OverflowError, ZeroDivisionError):  # ZeroDivisionError: √2/1e-400 (the divisor is 0.0 as a float)
        raise _too_large() from None


def _integer_root(number: int, degree: int) -> int | None:
    """The whole number whose ``degree``-th power is ``number`` (>= 0), if there is one."""
    if number < 2:
        return number
    if degree == 2:
        root = math.isqrt(number)
        return root if root * root == number else None
    if degree >= number.bit_length():  # 1 < the root < 2
        return None
    # The root has at most `size` bits. Few bits (a high degree): bisection, keeping
    # low ** degree <= number < high ** degree, one step a bit. Many bits: Newton's steps from
    # above, which fall to the root's floor in about log2(size) + degree steps. Both graders
    # do the same, so an answer costs the same work in either.
    size = -(-number.bit_length() // degree)
    if degree < size:
        root = 1 << size
        while (better := ((degree - 1) * root + number // root ** (degree - 1)) // degree) < root:
            root = better
    else:
        root, high = 1, 1 << size
        while high - root > 1:
            middle = (root + high) // 2
            if middle**degree <= number:
                root = middle
            else:
                high = middle
    return root if root**degree == number else None


def _exact_root(value: Fraction, degree: int = 2) -> Fraction | None:
    """The exact ``degree``-th root of ``value`` (>= 0) when it is a fraction: 9/4 -> 3/2, 8 -> 2 (cube)."""
    top = _integer_root(value.numerator, degree)
    bottom = _integer_root(value.denominator, degree) if top is not None else None
    return None if top is None or bottom is None else Fraction(top, bottom)


def _root(value: Exact) -> Exact:
    if value < 0:
        raise InvalidAnswer(f"cannot take the square root of a negative number; {NUMBER_MESSAGE}")
    if isinstance(value, Fraction) and (exact := _exact_root(value)) is not None:
        return exact
    try:
        return _bounded(math.sqrt(value))
    except OverflowError:
        raise _too_large() from None


def _raise(base: Exact, exponent: Exact) -> Exact:
    """``base ** exponent``: exact for a fraction to a whole power, or to a fractional power whose root
    is exact (4^0.5 is 2, 8^(1/3) is 2); otherwise a float. 0^0 is 1 on every path, as in Python."""
    if exponent == 0:
        return Fraction(1) if isinstance(base, Fraction) and isinstance(exponent, Fraction) else 1.0
    if isinstance(exponent, Fraction) and isinstance(base, Fraction):
        if exponent.denominator == 1:
            return _whole_power(base, exponent.numerator)
        if base >= 0 and (exact := _exact_root(base, exponent.denominator)) is not None:
            return _whole_power(exact, exponent.numerator)
    if base < 0:
        raise InvalidAnswer(f"a negative number to a fractional power is not a real number; {NUMBER_MESSAGE}")
    if base == 0:
        return 0.0 if exponent > 0 else _divide(Fraction(1), Fraction(0))
    try:
        return _bounded(math.pow(float(base), float(exponent)))
    except (OverflowError, ValueError):
        raise _too_large() from None


def _whole_power(base: Fraction, power: int) -> Exact:
    """``base ** power`` exactly, refused before any work when it cannot stay within _MAX_BITS."""
    if base == 0:
        if power < 0:
            raise InvalidAnswer(f"cannot divide by zero; {NUMBER_MESSAGE}")
        return Fraction(0)
    if abs(base.numerator) == 1 and base.denominator == 1:  # 1 and -1 to any whole power
        return Fraction(base.numerator ** (power % 2))
    # The larger of numerator and denominator has `size` bits, so its power has more than
    # (size - 1) * |power| bits: refuse when that is already beyond the bound.
    size = max(base.numerator.bit_length(), base.denominator.bit_length())
    if (size - 1) * abs(power) >= _MAX_BITS:
        raise _out_of_bounds((abs(base.numerator) < base.denominator) == (power > 0))
    return _bounded(base**power)


# --- checking parsed values ---------------------------------------------------------------------


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _as_int(value: Response, question: Question) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise _type_error(value, question, "an option number (int)")
    return value


def _as_number(value: Response, question: Question) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _type_error(value, question, "an int or a float")
    return value


def _type_error(value: Response, question: Question, expected: str) -> TypeError:
    return TypeError(
        f"a {question.type} question's answer is {expected}, not {type(value).__name__} {value!r}"
    )
