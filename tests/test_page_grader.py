"""The practice page's grader (templates/practice/grader.js) against quizgen's (quizgen/grading.py).

One grading rule, two implementations. Held together here, in Chromium:

- the shared table (tests/shared/grading-table.json: verdicts written out by hand) gives the same
  verdicts and misconceptions in the page as in Python (tests/test_grading_table.py);
- a property test draws tens of thousands of answers (realistic spellings and random strings) for
  questions of every type and requires the two graders to agree on everything: verdict, value,
  misconception, named mistake, options chosen, missed and wrong, and the message;
- the Python tables embedded in grader.js (whitespace, casefold, Unicode's unassigned code points)
  are regenerated here from this Python and must be equal, and the string primitives built on them
  agree with Python's over every code point.

`python tests/test_page_grader.py` prints the tables block to paste into grader.js.

math.pow: Python calls the C library's pow, which on glibc is within 0.52 ulp, not correctly rounded
(it misrounds about one power in a thousand), and differs between platforms. grader.js computes a
correctly rounded power. The property test grades in Python with math.pow replaced by a correctly
rounded one computed here with Decimal (`correctly_rounded_pow`), requires exact agreement with that,
and reports the inputs where this platform's math.pow gives a different value (by at most one ulp).
"""

from __future__ import annotations

import json
import math
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import time
import types
import unicodedata
from collections.abc import Callable, Iterator
from decimal import Decimal, localcontext
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from quizgen import grading, load_banks
from quizgen.exporters.pagedata import grading_spec
from quizgen.grading import InvalidAnswer, grade
from quizgen.models import IntegerQuestion, NumericQuestion, Question

from .gradingtable import QUESTION, QUESTIONS, TABLE

GRADER = Path(__file__).parent.parent / "templates" / "practice" / "grader.js"
PAGE_EMPTY_MESSAGE = "type an answer"  # the contract's: the drill's also names its keys
TOO_LARGE = "that number is too large; expected a number, e.g. 0.35"

# --- the tables grader.js embeds, written from this Python ----------------------------------------------


def _js(text: str) -> str:
    """``text`` as a JavaScript string literal, non-ASCII escaped as UTF-16 units."""
    out = []
    for index in range(0, len(units := text.encode("utf-16-be")), 2):
        code = int.from_bytes(units[index : index + 2], "big")
        out.append(chr(code) if 0x20 <= code < 0x7F and chr(code) not in '"\\' else f"\\u{code:04x}")
    return '"' + "".join(out) + '"'


def _rows(items: list[str], indent: str, separator: str) -> list[list[str]]:
    rows: list[list[str]] = []
    row: list[str] = []
    for item in items:
        if row and len(indent + separator.join([*row, item])) > 104:
            rows.append(row)
            row = []
        row.append(item)
    return [*rows, row] if row else rows


def python_tables() -> str:
    """The block between grader.js's BEGIN/END PYTHON TABLES lines, from this Python's Unicode data."""
    chars = [chr(code) for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF]
    space = "".join(char for char in chars if char.isspace())
    folds = [_js(char + char.casefold()) for char in chars if char.casefold() != char.lower()]
    ranges: list[list[int]] = []
    for char in chars:
        if unicodedata.category(char) == "Cn":
            code = ord(char)
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    spans = [f"{low:x}" if low == high else f"{low:x}-{high:x}" for low, high in ranges]
    version = unicodedata.unidata_version
    lines = [
        "  // BEGIN PYTHON TABLES: written by tests/test_page_grader.py (python_tables) from this Python's",
        f"  // unicodedata (Unicode {version}); that test fails when they differ. Do not edit by hand.",
        f'  var PY_UNICODE_VERSION = "{version}";',
        "  // str.isspace(): what str.strip(), str.split() and the regex \\s of grading.py treat as whitespace.",
        f"  var PY_WHITESPACE = {_js(space[:14])} +",
        f"    {_js(space[14:])};",
        "  // Each character whose str.casefold() is not its str.lower(), followed by its casefold.",
        "  var PY_CASEFOLD = [",
    ]
    lines += ["    " + ", ".join(row) + "," for row in _rows(folds, "    ", ", ")]
    lines[-1] = lines[-1].rstrip(",")
    lines += [
        "  ];",
        "  // Code points unassigned in this Unicode version (hex, a-b a range): Python neither cases nor",
        "  // normalises them, whatever the browser's newer Unicode says.",
        "  var PY_UNASSIGNED =",
    ]
    rows = _rows(spans, "    ", " ")
    for number, row in enumerate(rows):
        last = number == len(rows) - 1
        lines.append('    "' + " ".join(row) + ('";' if last else ' " +'))
    lines.append("  // END PYTHON TABLES")
    return "\n".join(lines) + "\n"


def test_the_embedded_tables_are_this_pythons() -> None:
    source = GRADER.read_text(encoding="utf-8")
    found = re.search(r"^  // BEGIN PYTHON TABLES.*?^  // END PYTHON TABLES\n", source, re.S | re.M)
    assert found is not None, "grader.js has lost its BEGIN/END PYTHON TABLES block"
    assert found.group() == python_tables(), (
        "grader.js's Python tables are not this Python's: run `python tests/test_page_grader.py` "
        "and paste its output over the block"
    )


def test_the_grader_is_valid_javascript() -> None:
    node = shutil.which("node")
    if node is None:
        if os.environ.get("QUIZGEN_REQUIRE_CHROMIUM") == "1":
            pytest.fail("QUIZGEN_REQUIRE_CHROMIUM=1 but node is missing")
        pytest.skip("node is missing")
    result = subprocess.run([node, "--check", str(GRADER)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


# --- the grader in Chromium -----------------------------------------------------------------------------

# Arguments and results cross as one JSON text each: Playwright's own serialisation of 20,000 objects
# takes seconds, JSON milliseconds.
_RUN = """(payload) => {
  const [specs, cases] = JSON.parse(payload);
  return JSON.stringify(cases.map(([index, typed]) => {
    const spec = specs[index];
    const result = QuizgenGrader.grade(spec, typed);
    if (spec.type === "numeric" && typeof result.value === "number") {
      result.value = Object.is(result.value, -0) ? "-0" : String(result.value);  // exactly, as text
    }
    return result;
  }));
}"""


@pytest.fixture
def grader(page: Any) -> Any:
    """A blank page with grader.js loaded, as the practice page inlines it."""
    page.set_content("<!doctype html><html lang='en'><title>grader</title></html>")
    page.add_script_tag(content=GRADER.read_text(encoding="utf-8"))
    return page


def run_in_page(page: Any, specs: list[dict[str, Any]], cases: list[tuple[int, str]]) -> list[dict[str, Any]]:
    """``QuizgenGrader.grade(specs[i], typed)`` for each case, in one call, in the page."""
    results: list[dict[str, Any]] = json.loads(page.evaluate(_RUN, json.dumps([specs, cases])))
    return results


def test_the_shared_table_in_chromium(grader: Any) -> None:
    names = list(QUESTIONS)
    specs = [grading_spec(QUESTIONS[name]) for name in names]
    cases = [(names.index(case[0]), case[1]) for case in TABLE["cases"]]
    results = run_in_page(grader, specs, cases)
    failures = []
    for case, result in zip(TABLE["cases"], results, strict=True):
        name, typed, verdict, *mistake = case
        misconception = mistake[0] if mistake else None
        if result["verdict"] != verdict or result.get("misconception") != misconception:
            failures.append(f"{name} {typed!r}: expected {verdict} {misconception}, page gave {result}")
    assert not failures, "\n".join(failures)
    assert len(results) == len(TABLE["cases"])


# --- Python's grade, with a correctly rounded pow -----------------------------------------------------------


def correctly_rounded_pow(x: float, y: float) -> float:
    """x ** y rounded once to the nearest double (ties to even), with math.pow's exceptions."""
    if x <= 0 or x == 1 or y == 0 or not (math.isfinite(x) and math.isfinite(y)):
        return math.pow(x, y)
    if y == int(y) and abs(y) <= 1100:
        exact = Fraction(x) ** int(y)
        return float(exact)  # int / int: correctly rounded; OverflowError when too large
    guesses = []
    for digits in (60, 120, 400):
        with localcontext() as context:
            context.prec = digits
            context.Emax = 10**6
            context.Emin = -(10**6)
            power = Decimal(y) * Decimal(x).ln()
            if power > 710:  # e^710 > the largest double
                raise OverflowError("math range error")
            guesses.append(float(power.exp()) if power > -746 else 0.0)  # e^-746 < half the least double
        if len(guesses) > 1 and guesses[-1] == guesses[-2]:
            break
    if math.isinf(guesses[-1]):
        raise OverflowError("math range error")
    return guesses[-1]


_EXACT_MATH = types.SimpleNamespace(
    **{name: getattr(math, name) for name in dir(math) if not name.startswith("_")}
)
_EXACT_MATH.pow = correctly_rounded_pow


def python_result(question: Question, typed: str) -> dict[str, Any]:
    """What the page's grader must return for ``typed``, from quizgen.grading.grade."""
    try:
        result = grade(question, typed)
    except InvalidAnswer as error:
        message = PAGE_EMPTY_MESSAGE if not typed.strip() else str(error)
        return {"verdict": "unreadable", "message": message, "misconception": None}
    out: dict[str, Any] = {
        "verdict": "correct" if result.correct else "wrong",
        "misconception": result.misconception,
    }
    value = result.response
    match question.type:
        case "choice":
            out |= {"value": value, "option": value, "chosen": list(result.chosen)}
        case "multi":
            out |= {
                "value": list(result.chosen),
                "chosen": list(result.chosen),
                "missed": list(result.missed),
                "wrong": list(result.wrong),
            }
        case "integer":
            out["value"] = str(value)
        case _:
            out["value"] = value
    if isinstance(question, IntegerQuestion | NumericQuestion) and not result.correct:
        assert isinstance(value, int | float)
        mistake = question.mistake_for(value)
        if mistake is not None:
            out["mistake"] = next(i for i, m in enumerate(question.mistakes) if m is mistake)
    return out


def _bits(value: float) -> bytes:
    return struct.pack("<d", value)


def same(expected: dict[str, Any], got: dict[str, Any]) -> bool:
    """Whether the page's result is Python's; a numeric value compares as the same double (sign too)."""
    if "value" in expected and isinstance(expected["value"], float):
        if not isinstance(got.get("value"), str) or _bits(float(got["value"])) != _bits(expected["value"]):
            return False
        return {**expected, "value": None} == {**got, "value": None}
    return expected == got


# --- the questions: the table's, the bundled bank's, generators' variants, and edge cases -------------------

_EDGES: dict[str, dict[str, Any]] = {
    "choice12": {
        "type": "choice",
        "options": [{"text": f"option {n}"} for n in range(1, 12)]
        + [{"text": "twelve", "misconception": "product-for-sum"}],
        "answer": 10,
    },
    "multi12": {"type": "multi", "options": [f"option {n}" for n in range(1, 13)], "answers": [1, 12]},
    "false": {"type": "true_false", "answer": False},
    "intbig": {
        "type": "integer",
        "answer": 12345678901234567890123,
        "mistakes": [{"value": 1e22, "misconception": "product-for-sum"}, {"value": 35006}],
    },
    "intneg": {"type": "integer", "answer": -5, "mistakes": [{"value": 5, "misconception": "m-sign"}]},
    "numzero": {"type": "numeric", "answer": 0.0, "tolerance": 0.0, "mistakes": [{"value": 0.001}]},
    "numneg": {
        "type": "numeric",
        "answer": -2.5,
        "tolerance": 0.01,
        "tolerance_type": "relative",
        "mistakes": [{"value": 2.5, "misconception": "m-sign"}],
    },
    "numtiny": {"type": "numeric", "answer": 1e-300, "tolerance": 0.01, "tolerance_type": "relative"},
    "numhuge": {
        "type": "numeric",
        "answer": 1e300,
        "tolerance": 0.001,
        "tolerance_type": "relative",
        "mistakes": [{"value": 1e301}],
    },
    "numroot2": {"type": "numeric", "answer": math.sqrt(2), "tolerance": 0.0},
    "numthird": {"type": "numeric", "answer": 1 / 3, "tolerance": 0.0001, "mistakes": [{"value": 0.3}]},
    "textgreek": {"type": "text", "answer": "Σίσυφος", "accept": ["ΟΔΟΣ", "Straße", "ﬁnal café"]},
}


def _questions() -> list[Question]:
    questions = list(QUESTIONS.values())
    for name, fields in _EDGES.items():
        base = {"id": f"edge-{name}", "topic": "he", "prompt": "Which one?", "explanation": "Because."}
        questions.append(QUESTION.validate_python({**base, **fields}))
    bank = load_banks(cache=False)
    questions += list(bank)
    for generator in bank.generators.values():
        questions += list(generator.iter_variants(3, 20260514))
    return questions


# --- what students type ---------------------------------------------------------------------------------------

SYMBOLS = "×·⋅∙÷√−⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺①②③④⑤⑨⑩⑳∞%ſKßﬁﬅİıΣσςµ₂ⁿ"
ODDITIES = (
    "\u00a0\u3000\x1c\x1f\x85\u2028\ufeff\u200b\t\n é\u0301Å\U0001d7d0\U0001f600ǅΩ\u0308"
    "\u1c89\ua7cb\U00010d50\U00011383"  # assigned after this Python's Unicode: cased and composed by browsers
)
ALPHABET = "0123456789" * 3 + ".,/+-*^()eE_ xX" * 2 + "abcdefghijklmnopqrstuvwxyzTFYN" + SYMBOLS + ODDITIES
SPACES = ["", "", "", " ", "  ", "\t", "\u00a0", "\u3000", "\x1c", "\x85", "\n", "\ufeff", "\u200b"]
SUPERSCRIPT = str.maketrans("0123456789-+", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺")


def _digits(rng: random.Random, low: int = 1, high: int = 6) -> str:
    return "".join(rng.choice("0123456789") for _ in range(rng.randint(low, high)))


def plain_number(rng: random.Random) -> str:
    """A number as people type one: signs, grouping, decimal commas, exponents, extremes."""
    kind = rng.randrange(14)
    sign = rng.choice(["", "", "", "-", "+", "−"])
    if kind == 0:
        return sign + _digits(rng)
    if kind == 1:
        return (
            sign + _digits(rng, 1, 3) + "".join(rng.choice([",", "_"]) + _digits(rng, 3, 3) for _ in range(2))
        )
    if kind == 2:
        return sign + _digits(rng, 1, 3) + "," + _digits(rng, 3, 3)  # ambiguous
    if kind == 3:
        return sign + rng.choice(["", "0", _digits(rng, 1, 3)]) + "." + _digits(rng, 0, 6)
    if kind == 4:
        return sign + _digits(rng, 1, 2) + "," + _digits(rng, 1, 5)  # decimal comma
    if kind == 5:
        mantissa = _digits(rng, 1, 2) + rng.choice(["", "." + _digits(rng, 1, 3)])
        return sign + mantissa + rng.choice("eE") + rng.choice(["", "-", "+"]) + _digits(rng, 1, 3)
    if kind == 6:
        return sign + rng.choice(
            ["1e400", "1e-400", "1e308", "1.8e308", "4.9e-324", "2e-324", "1e9999999999"]
        )
    if kind == 7:
        return sign + rng.choice(["0", "0.0", "00", "0e5", "0e-999999999999", ".0", "0."])
    if kind == 8:
        return sign + _digits(rng, 1, 4) + "/" + rng.choice(["", "-", "−"]) + _digits(rng, 1, 4)
    if kind == 9:
        return sign + _digits(rng, 25, 40) + rng.choice(["", "." + _digits(rng, 1, 30)])
    if kind == 10:
        return sign + "1" + "0" * rng.choice([998, 999, 1000, 1001]) + rng.choice(["", ".0", "e-2"])
    if kind == 11:
        return sign + rng.choice(["inf", "Infinity", "nan", "NaN", "∞", "ınf", "inﬁnity", "INF"])
    if kind == 12:
        return plain_number(rng) + rng.choice(SPACES) + "%"
    return sign + "." + _digits(rng, 1, 4) + rng.choice(["", "e-" + _digits(rng, 1, 2)])


def expression(rng: random.Random, depth: int = 0) -> str:
    """A product, quotient, power or root, as people and quizgen write them (and some sums)."""
    kind = rng.randrange(12 if depth < 3 else 4)
    if kind == 0:
        return rng.choice(["2", "3", "10", "0.5", "1/4", "7", "0", "12.5", "1e3", "2,5", "1,000", "9"])
    if kind == 1:
        return plain_number(rng)
    if kind == 2:
        base = rng.choice(["10", "2", "1.5", "(1/4)", "√2", "0", "0.1", "(-8)", "e", "3"])
        return (
            base
            + rng.choice(["^", "**", "^-", "^(", "²", "³", "⁻²", "⁻¹", "¹⁰"])
            + rng.choice(["2", "0.5", "1/3)", "-1", "10000", "10001", "3", "(1/2)", "400", "0"])
        )
    if kind == 3:
        return (
            _digits(rng, 1, 2)
            + rng.choice(["×", "*", "·", "x", "⋅", "∙", "X"])
            + "10"
            + rng.choice(["⁻²", "^-2", "⁶", "^" + _digits(rng, 1, 3), "⁻" + "⁴⁰⁰", "^-400", "⁺³", "⁻⁻2"])
        )
    if kind == 4:
        return rng.choice(["sqrt", "√", "SQRT", "Sqrt", "ſqrt", "√ "]) + rng.choice(
            ["(" + expression(rng, depth + 1) + ")", "2", "-4", "(1/400)", "0"]
        )
    if kind == 5:
        return (
            expression(rng, depth + 1)
            + rng.choice(["*", "/", "÷", "×", "·", ""])
            + expression(rng, depth + 1)
        )
    if kind == 6:
        return "(" + expression(rng, depth + 1) + ")"
    if kind == 7:
        return rng.choice(["-", "+", "−", "--"]) + expression(rng, depth + 1)
    if kind == 8:
        return expression(rng, depth + 1) + rng.choice([" + ", "-", "+", " − "]) + expression(rng, depth + 1)
    if kind == 9:
        deep = rng.choice([18, 19, 20, 21, 25])
        return "(" * deep + expression(rng, 3) + ")" * deep
    if kind == 10:
        return rng.choice(["1*", "2x", "√"]) * rng.choice([60, 99, 101]) + "1"
    return expression(rng, depth + 1) + rng.choice(["^", "**"]) + expression(rng, depth + 1)


def option_form(rng: random.Random, count: int) -> str:
    number = rng.choice([0, 1, 2, count, count + 1, rng.randint(1, max(1, count)), 20, 21, 10**12])
    forms = [str(number), f"({number})", f"( {number} )", f"{number}.", f"{number})", "0" + str(number)]
    if 1 <= number <= 20:
        forms.append(chr(0x2460 + number - 1))
    return rng.choice(forms)


def option_list(rng: random.Random, count: int) -> str:
    picks = [option_form(rng, count) for _ in range(rng.randint(1, 4))]
    separator = rng.choice([",", ", ", " ", ",,", " , ", "", "\u3000", ";"])
    return separator.join(picks)


def true_false_word(rng: random.Random) -> str:
    word = rng.choice(["t", "f", "true", "false", "yes", "no", "y", "n", "1", "2", "①", "②", "(1)", "3"])
    word = rng.choice([word, word.upper(), word.title(), word + ".", word + "..", word.replace("s", "ſ")])
    return rng.choice([word, "YEſ", "Yeﬆ", "tRuE", "no.", "nO", "0", "maybe", "T\u0301", "01"])


def text_answer(rng: random.Random, forms: list[str]) -> str:
    word = rng.choice(
        [*forms, "Kaiming He", "Xavier", "He", "Straße", "STRASSE", "ΣΊΣΥΦΟΣ", "ﬁnal cafe\u0301"]
    )
    change = rng.randrange(8)
    if change == 0:
        word = word.upper()
    elif change == 1:
        word = word.replace(" ", rng.choice(["-", "_", "  ", "\u00a0", "\t", " - "]))
    elif change == 2:
        word += rng.choice([".", "..", " .", ". .", "!"])
    elif change == 3:
        word = unicodedata.normalize(rng.choice(["NFD", "NFKD", "NFC"]), word)
    elif change == 4 and word:
        at = rng.randrange(len(word))
        word = word[:at] + rng.choice(ALPHABET) + word[at + 1 :]
    return word


def right_answer(rng: random.Random, spec: dict[str, Any]) -> str:
    """The right answer, in one of the spellings the drill accepts (and some near misses of them)."""
    kind = spec["type"]
    if kind == "choice":
        return (
            option_form(rng, spec["n"])
            if rng.random() < 0.2
            else rng.choice(_option_spellings(spec["answer"]))
        )
    if kind == "multi":
        picks = [rng.choice(_option_spellings(n)) for n in rng.sample(spec["answers"], len(spec["answers"]))]
        return rng.choice([",", ", ", " ", "" if spec["n"] <= 9 else " ", " ,"]).join(picks)
    if kind == "true_false":
        words = (
            ["t", "true", "yes", "y", "1", "①", "(1)"]
            if spec["answer"]
            else ["f", "false", "no", "n", "2", "②"]
        )
        word = rng.choice(words)
        return rng.choice([word, word.upper(), word.title(), word + "."])
    if kind == "text":
        return text_answer(rng, list(spec["forms"]))
    if kind == "integer":
        n = int(spec["answer"])
        forms = [str(n), f"{n:,}", f"{n:_}", f"{n}.0", f"+{n}", f"{n}*1", f"({n})", f"{2 * n}÷2", f"{n}e0"]
        forms += [f"sqrt({n * n})", f"√{n * n}"] if n >= 0 else [str(n).replace("-", "−")]
        if n and n % 1000 == 0:
            forms.append(f"{n // 1000}e3")
        return rng.choice(forms)
    x = spec["answer"]
    forms = [
        repr(x),
        f"{x:.3g}",
        f"{x:.4g}",
        f"{x:.6g}",
        f"{x:.3e}",
        f"{x:.5e}",
        f"{x:.4g}".replace(".", ","),
    ]
    mantissa, _, exponent = f"{x:.3e}".partition("e")
    forms += [
        mantissa + "×10" + str(int(exponent)).translate(SUPERSCRIPT),
        mantissa + "*10^" + str(int(exponent)),
        mantissa + "·10^(" + str(int(exponent)) + ")",
    ]
    if x:
        ratio = Fraction(x).limit_denominator(rng.choice([100, 1000, 100000]))
        forms += [f"{ratio.numerator}/{ratio.denominator}", f"{ratio.numerator}÷{ratio.denominator}"]
        if 0 < x < 1e100:
            forms += [f"sqrt({x * x!r})", f"({x * x:.6g})^0.5", f"({x**3:.8g})^(1/3)", f"1/{1 / x:.6g}"]
    return rng.choice(forms)


def _option_spellings(number: int) -> list[str]:
    forms = [str(number), f"({number})", f"{number}.", f"{number})", f"0{number}"]
    return [*forms, chr(0x2460 + number - 1)] if number <= 20 else forms


def random_text(rng: random.Random) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(rng.choice([0, 1, 1, 2, 3, 5, 8, 12, 20])))


def drawn_answers(rng: random.Random, question: Question, spec: dict[str, Any], count: int) -> Iterator[str]:
    """``count`` answers to ``question``: mostly its own kind of answer, some of others', some noise."""
    for _ in range(count):
        roll = rng.random()
        if roll < 0.15:
            typed = random_text(rng)
        elif roll < 0.25:
            typed = rng.choice([plain_number, expression])(rng)
        elif roll < 0.5:
            typed = right_answer(rng, spec)
        elif spec["type"] in ("choice", "multi"):
            typed = option_list(rng, spec["n"]) if rng.random() < 0.6 else option_form(rng, spec["n"])
        elif spec["type"] == "true_false":
            typed = true_false_word(rng)
        elif spec["type"] == "text":
            typed = text_answer(rng, list(spec["forms"]))
        else:
            typed = rng.choice([plain_number, expression, expression, lambda r: _near(r, spec)])(rng)
        yield rng.choice(SPACES) + typed + rng.choice(SPACES)


def _near(rng: random.Random, spec: dict[str, Any]) -> str:
    """The answer or a named mistake, written the ways a student would (and just outside the tolerance)."""
    values = [float(spec["answer"])] + [m["value"] for m in spec["mistakes"]]
    value = rng.choice(values)
    if spec["type"] == "numeric" and rng.random() < 0.4:
        width = spec["tolerance"] * (abs(value) if spec["kind"] == "relative" else 1.0)
        value += rng.choice([-1, 1]) * width * rng.choice([0.999, 1.0, 1.001, 1.0000001, 2])
    written = rng.choice(
        [repr(value), f"{value:.3g}", f"{value:.4g}", f"{value:.2e}", f"{value:.6f}", f"{value:,.0f}"]
    )
    if spec["type"] == "integer" and rng.random() < 0.5:
        written = spec["answer"] if rng.random() < 0.5 else str(int(spec["answer"]) + rng.choice([-1, 1]))
    if rng.random() < 0.3 and "e" in written:
        mantissa, _, exponent = written.partition("e")
        written = mantissa + rng.choice(["×10", "*10^", "·10^"]) + exponent.lstrip("+").translate(SUPERSCRIPT)
    return written


# --- the property test --------------------------------------------------------------------------------------

ANSWERS_PER_QUESTION = 100
VERDICTS = ("correct", "wrong", "unreadable")


def _python_results(
    questions: list[Question], cases: list[tuple[int, str]], pow_: Callable[..., float]
) -> list:
    saved = grading.math
    grading.math = types.SimpleNamespace(**{**vars(_EXACT_MATH), "pow": pow_})  # type: ignore[assignment]
    try:
        return [python_result(questions[index], typed) for index, typed in cases]
    finally:
        grading.math = saved


def test_the_page_and_python_grade_alike(grader: Any) -> None:
    rng = random.Random(14_2026)
    questions = _questions()
    specs = [grading_spec(question) for question in questions]
    assert {spec["type"] for spec in specs} == {"choice", "multi", "true_false", "integer", "numeric", "text"}
    cases = [(index, case[1]) for case in TABLE["cases"] for index in [list(QUESTIONS).index(case[0])]]
    for index, question in enumerate(questions):
        cases += [
            (index, typed) for typed in drawn_answers(rng, question, specs[index], ANSWERS_PER_QUESTION)
        ]

    started = time.perf_counter()
    page_results = run_in_page(grader, specs, cases)
    page_seconds = time.perf_counter() - started
    started = time.perf_counter()
    expected = _python_results(questions, cases, correctly_rounded_pow)
    python_seconds = time.perf_counter() - started
    platform = _python_results(questions, cases, math.pow)

    failures = [
        f"{specs[index]} {typed!r}:\n  python {want}\n  page   {got}"
        for (index, typed), want, got in zip(cases, expected, page_results, strict=True)
        if not same(want, got)
    ]
    assert not failures, f"{len(failures)} of {len(cases)} differ:\n" + "\n".join(failures[:20])

    # Where this platform's math.pow rounds otherwise, it is by one ulp at most.
    off = [(e, p) for e, p in zip(expected, platform, strict=True) if e != p]
    for exact, rounded in off:
        assert isinstance(exact.get("value"), float) and isinstance(rounded.get("value"), float), (
            exact,
            rounded,
        )
        assert abs(exact["value"] - rounded["value"]) <= math.ulp(exact["value"]), (exact, rounded)

    verdicts = {verdict: sum(r.get("verdict") == verdict for r in expected) for verdict in VERDICTS}
    print(
        f"\n{len(cases)} answers to {len(questions)} questions graded alike by grader.js and grading.py "
        f"({verdicts}); page {page_seconds:.2f} s, python {python_seconds:.2f} s; "
        f"{len(off)} where this platform's math.pow is one ulp off the correctly rounded power"
    )
    assert len(cases) >= 10_000
    assert min(verdicts.values()) >= 1000  # every verdict drawn often


# --- Python's string primitives over every code point ----------------------------------------------------------

_EVERY_CODE_POINT = """() => {
  const P = QuizgenGrader._python;
  const folds = [], nfcs = [], expression = [], spaces = [], splits = [];
  for (let code = 0; code < 0x110000; code++) {
    if (code >= 0xd800 && code <= 0xdfff) continue;
    const ch = String.fromCodePoint(code);
    const fold = P.casefold(ch);
    if (fold !== ch) folds.push([code, fold]);
    const normal = P.nfc(ch);
    if (normal !== ch) nfcs.push([code, normal]);
    if (P.expression.test(ch)) expression.push(code);
    if (P.strip(ch) === "") spaces.push(code);
    if (P.split("a" + ch + "b").length === 2) splits.push(code);
  }
  return {folds, nfcs, expression, spaces, splits, text: P.casefold("ΣΑΣ Σ") + "|" + P.nfc("e\\u0301\\u{11383}e\\u0301")};
}"""


def test_casefold_nfc_whitespace_and_ignorecase_are_pythons_on_every_code_point(grader: Any) -> None:
    got = grader.evaluate(_EVERY_CODE_POINT)
    chars = [chr(code) for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF]
    assert [(code, fold) for code, fold in got["folds"]] == [
        (ord(c), c.casefold()) for c in chars if c.casefold() != c
    ]
    assert [(code, text) for code, text in got["nfcs"]] == [
        (ord(c), unicodedata.normalize("NFC", c)) for c in chars if unicodedata.normalize("NFC", c) != c
    ]
    pattern = grading._EXPRESSION_RE
    assert got["expression"] == [ord(c) for c in chars if pattern.search(c)]
    assert got["spaces"] == got["splits"] == [ord(c) for c in chars if c.isspace()]
    # casefold has no final-sigma context; a character Python does not know blocks composition
    assert got["text"] == "ΣΑΣ Σ".casefold() + "|" + unicodedata.normalize("NFC", "e\u0301\U00011383e\u0301")


def test_both_refuse_a_quotient_by_a_tiny_number(grader: Any) -> None:
    """√2/1e-400: the divisor is a nonzero fraction that is 0.0 as a float (once a traceback in Python)."""
    question = QUESTIONS["numabs"]
    page_says = run_in_page(grader, [grading_spec(question)], [(0, "√2/1e-400")])[0]
    assert page_says == {"verdict": "unreadable", "message": TOO_LARGE, "misconception": None}
    with pytest.raises(InvalidAnswer, match="too large"):
        grade(question, "√2/1e-400")


def test_the_power_is_correctly_rounded(grader: Any) -> None:
    """grader.js's pow against this file's Decimal one, on powers that a reader meets and edge cases."""
    rng = random.Random(7)
    pairs = [
        (math.sqrt(2), 2.0),
        (2.0, 0.5),
        (0.0025, 0.5),
        (8.0, 1 / 3),
        (10.0, -0.5),
        (1 - 2**-53, -1.0),
        (1 - 2**-53, 0.5),
        (1 + 2**-52, 2.0**60),
        (5e-324, 0.5),
        (1e300, 1.5),
        (1e-300, 1.5),
        (2.0, 1023.5),
        (2.0, -1074.5),
        (2.0, -1075.0),
        (0.5, 1074.0),
    ]
    for _ in range(3000):
        base = rng.choice([math.sqrt(rng.randint(2, 999)), rng.uniform(0, 100), rng.randint(1, 99) / 7])
        exponent = rng.choice(
            [rng.randint(-70, 70), rng.randint(-20, 20) / rng.randint(1, 12), rng.uniform(-9, 9)]
        )
        pairs.append((base, float(exponent)))
    got = grader.evaluate(
        "(pairs) => pairs.map(([x, y]) => { const v = QuizgenGrader._python.pow(Number(x), Number(y)); "
        "return Number.isFinite(v) ? String(v) : 'inf'; })",
        [[repr(x), repr(y)] for x, y in pairs],
    )
    for (x, y), text in zip(pairs, got, strict=True):
        try:
            want = correctly_rounded_pow(x, y)
        except OverflowError:
            want = math.inf
        assert float(text) == want, (x, y, text, want)


if __name__ == "__main__":
    sys.stdout.write(python_tables())
