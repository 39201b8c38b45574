"""Fuzz the bank loader, the formula evaluator, typed answers and roster names with seeded inputs; no atheris needed.

    python fuzz/run.py --inputs 100000 --target all --seed 0

Every input must end in a result or the module's own error; anything else is a failure:

* an unexpected exception (each kind is printed once, with its input saved in fuzz/crashes/);
* a hang: an input still running after --timeout seconds (5), stopped by SIGALRM;
* a problem without a line from the careful reader (the loader re-reads every file that has
  a problem with it, so that every problem can say where it is);
* a formula result that is not a finite number within the documented limits (or not a bool,
  for a constraint).

The loader's inputs are the bundled banks and a few small seeds, mutated: bit flips, YAML's
special characters inserted, lines duplicated, deleted and re-indented, splices of two files,
random bytes; a few are generated whole (alias bombs, deep nesting, huge numbers). Each is
read from memory by both readers (``_FileParser(...).parse(fast)``); every 100th also goes
through ``load_banks`` from a temporary file. A file that the fast reader accepts but the
careful one refuses (or reads differently) is counted as a divergence: the loader would
accept or refuse it depending on whether it has another problem.

A crash that kills the process (a segfault in an extension) leaves its input in
fuzz/crashes/.current-<target>.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import random
import resource
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quizgen import BankError, QuestionBank, load_banks  # noqa: E402
from quizgen.errors import Problem  # noqa: E402
from quizgen.formula import FLOAT_LIMIT, INT_LIMIT, Formula, FormulaError  # noqa: E402
from quizgen.loader import _FileParser  # noqa: E402

LABEL = "fuzz.yaml"
MAX_SIZE = 256 * 1024
FULL_LOAD_EVERY = 100
SAVED_DIVERGENCES = 20


class Hang(BaseException):
    """Raised by SIGALRM in the input that runs too long (a BaseException: `except Exception` lets it by)."""


class Failure(Exception):
    """An input ended in a way that is not allowed (a wrong result, a problem without a line)."""


@dataclass
class Stats:
    target: str
    inputs: int = 0
    results: int = 0
    errors: int = 0
    unexpected: int = 0
    hangs: int = 0
    divergences: int = 0
    full_loads: int = 0
    slowest: float = 0.0
    slowest_input: str = ""
    kinds: dict[str, str] = field(default_factory=dict)
    """Signature of each kind of failure -> the file its first input was saved to."""


# --- running one input ---------------------------------------------------------------------------


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise Hang


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def _signature(exc: BaseException) -> str:
    """The exception's type and where it was raised (the innermost frame): one line per kind of bug."""
    tb: TracebackType | None = exc.__traceback__
    where = "?"
    while tb is not None:
        code = tb.tb_frame.f_code
        where = f"{Path(code.co_filename).name}:{tb.tb_lineno} in {code.co_name}"
        tb = tb.tb_next
    if isinstance(exc, Failure):
        return f"Failure: {str(exc).split(':')[0]}"
    return f"{type(exc).__name__} at {where}"


def _short(data: bytes | str, limit: int = 70) -> str:
    text = repr(data)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class Runner:
    """Runs inputs of one target, each under a deadline, and keeps the figures."""

    def __init__(self, target: str, timeout: float, crashes: Path) -> None:
        self.stats = Stats(target)
        self.timeout = timeout
        self.crashes = crashes
        crashes.mkdir(parents=True, exist_ok=True)
        self.current = crashes / f".current-{target}"
        self._fd = os.open(self.current, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)

    def run(self, data: bytes | str, check: Callable[[], bool]) -> None:
        """Run ``check`` on one input; it returns True for a result, False for an expected error."""
        stats = self.stats
        stats.inputs += 1
        raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, raw, 0)
        start = time.perf_counter()
        try:
            with _deadline(self.timeout):
                ok = check()
        except Hang:
            stats.hangs += 1
            self._save(data, f"Hang (over {self.timeout:g} s)", None)
        except Exception as exc:
            stats.unexpected += 1
            self._save(data, _signature(exc), exc)
        else:
            if ok:
                stats.results += 1
            else:
                stats.errors += 1
        elapsed = time.perf_counter() - start
        if elapsed > stats.slowest:
            stats.slowest, stats.slowest_input = elapsed, f"{len(raw):,} bytes: {_short(data)}"

    def _save(self, data: bytes | str, signature: str, exc: BaseException | None) -> None:
        if signature in self.stats.kinds:
            return
        raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
        suffix = "yaml" if self.stats.target == "loader" else "txt"
        path = self.crashes / f"{self.stats.target}-{hashlib.sha1(raw).hexdigest()[:12]}.{suffix}"
        path.write_bytes(raw)
        self.stats.kinds[signature] = str(path)
        print(f"\n!! {self.stats.target}: {signature}\n   input ({len(raw):,} bytes): {_short(data, 200)}")
        print(f"   saved to {path}")
        if exc is not None:
            print("".join("   " + line for line in traceback.format_exception(exc)[-12:]))
        sys.stdout.flush()

    def close(self) -> None:
        os.close(self._fd)
        self.current.unlink(missing_ok=True)


# --- the loader ----------------------------------------------------------------------------------


SEEDS: list[bytes] = [
    b"",
    b"questions: []\n",
    b"title: t\nquestions:\n  - id: q-01\n    type: true_false\n    topic: he\n    prompt: p\n"
    b"    answer: true\n    explanation: e\n",
    b"questions:\n  - {id: q-02, type: integer, topic: xavier, prompt: p, answer: 784, explanation: e}\n",
    b"questions:\n  - id: q-03\n    type: choice\n    topic: xavier\n    prompt: p\n    options:\n"
    b"      - a\n      - text: b\n        misconception: product-for-sum\n        feedback: f\n"
    b"    answer: 1\n    explanation: e\n",
    b"questions:\n  - id: q-04\n    type: numeric\n    topic: he\n    prompt: p\n    answer: 0.05\n"
    b"    tolerance: 0.01\n    tolerance_type: relative\n    explanation: e\n",
    b"topics:\n  - {id: lecun, title: LeCun, description: d}\nmisconceptions:\n"
    b"  - {id: gain-twice, title: t, description: d}\nquestions:\n  - id: q-05\n    type: text\n"
    b"    topic: lecun\n    prompt: p\n    answer: LeCun\n    accept: [Yann LeCun]\n    explanation: e\n",
    b"base: &b {type: text, topic: he, prompt: p, explanation: e}\nquestions:\n"
    b"  - <<: *b\n    id: q-06\n    answer: a\n",
    b"templates:\n  - id: tpl-x\n    type: numeric\n    topic: xavier\n"
    b"    params: {n: {min: 1, max: 50}, m: {choices: [2, 4.5]}}\n    constraints: [n > m]\n"
    b"    prompt: n is {n}\n    answer: sqrt(6 / (n + m))\n    tolerance: 0.001\n"
    b"    explanation: '{answer}'\n",
]

SPECIALS: list[bytes] = [
    b":", b": ", b"- ", b"? ", b"#", b"&a ", b"*a", b"!", b"!!", b"!!int ", b"!!float ", b"!!bool ",
    b"!!timestamp ", b"!!binary ", b"!!python/object:os.system ", b"!!python/name:os.system ", b"!foo ",
    b"|", b">", b"|-", b"'", b'"', b"{", b"}", b"[", b"]", b",", b"%", b"@", b"`", b"\t", b"\n", b"\r\n",
    b"\r", b"\\", b"---\n", b"...\n", b"%YAML 1.1\n---\n", b"<<: ", b"<<: *a\n", b"~", b"null", b".nan",
    b".inf", b"-.inf", b"1e999", b"1e308", b"0x", b"0o", b"1_0", b"\xef\xbb\xbf", b"\x00", b"\x07", b"\xff",
    b"\xc3", b"\xed\xa0\x80", b"\xc2\x85", b"\xe2\x80\xa8", b"\xef\xbf\xbf", b"\xf0\x9f\x98\x80",
    b"\xe2\x80\xae", b"9" * 1100, b"f" * 1100, b"&a [*a]", b"*a, *a, *a, *a", b"{n}", b"{answer}",
    b"sqrt(-1)", b"9**9**9", b"1/0", b"id", b"type", b"choice", b"multi", b"template", b"answer",
]  # fmt: skip

VALUES: list[bytes] = [
    b"", b"~", b"[]", b"{}", b"[[[[]]]]", b"-1", b"0", b"3", b"99", str(10**400).encode(), b"9" * 1001,
    b"1e308", b"-1e308", b".nan", b".inf", b"yes", b"true", b"'x'", b'"\\0"', b'"\\u0085"', b"*a", b"&a x",
    b"|\n  block\n", b"!!str 1", b"!!int x", b"[a, b, c]", b"{id: x}", b"x" * 5000, b"he", b"xavier",
    b"q-01", b"[1, 1]", b"[0]", b"relative", b"n_in > n_out", b"sqrt(n) ** 9**9", b"'{zz}'",
]  # fmt: skip


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True) or [b""]


def mutate(rng: random.Random, data: bytes, corpus: list[bytes]) -> bytes:
    """One to five random edits of bytes, lines or values."""
    for _ in range(rng.randint(1, 5)):
        op = rng.randrange(13)
        at = rng.randint(0, len(data))
        if op == 0 and data:  # flip a bit
            at = min(at, len(data) - 1)
            data = data[:at] + bytes([data[at] ^ (1 << rng.randrange(8))]) + data[at + 1 :]
        elif op == 1 and data:  # a random byte
            at = min(at, len(data) - 1)
            data = data[:at] + bytes([rng.randrange(256)]) + data[at + 1 :]
        elif op in (2, 3):  # YAML's special characters and trouble
            data = data[:at] + rng.choice(SPECIALS) + data[at:]
        elif op == 4:  # random bytes
            data = data[:at] + rng.randbytes(rng.randint(1, 16)) + data[at:]
        elif op == 5:  # delete a range
            data = data[:at] + data[at + rng.randint(1, 64) :]
        elif op in (6, 7, 8):  # duplicate, delete, swap or re-indent a line
            lines = _lines(data)
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            kind = rng.randrange(5)
            if kind == 0:
                lines.insert(i, lines[j])
            elif kind == 1:
                del lines[i]
            elif kind == 2:
                lines[i], lines[j] = lines[j], lines[i]
            elif kind == 3:
                lines[i] = b" " * rng.randint(1, 4) + lines[i]
            else:
                lines[i] = lines[i].lstrip(b" ") if rng.random() < 0.5 else b"\t" + lines[i].lstrip(b" ")
            data = b"".join(lines)
        elif op == 9:  # splice: a run of lines of another file
            other = _lines(rng.choice(corpus))
            i = rng.randrange(len(other))
            chunk = b"".join(other[i : i + rng.randint(1, 20)])
            data = data[:at] + chunk + data[at:]
        elif op in (10, 11):  # replace a value
            lines = _lines(data)
            i = rng.randrange(len(lines))
            key, sep, _ = lines[i].partition(b": ")
            if sep:
                lines[i] = key + sep + rng.choice(VALUES) + b"\n"
            data = b"".join(lines)
        elif op == 12:  # truncate
            data = data[:at]
    return data[:MAX_SIZE]


def generated(rng: random.Random) -> bytes:
    """A whole input of a kind mutations seldom reach: bombs, deep nesting, huge values."""
    kind = rng.randrange(8)
    n = rng.choice([10, 100, 101, 1_000, 20_000])
    if kind == 0:  # billion laughs, in lists, mappings or keys
        levels, width = rng.randint(3, 12), rng.randint(2, 12)
        lines = ["a0: &a0 [lol]"]
        lines += [f"a{k}: &a{k} [{', '.join([f'*a{k - 1}'] * width)}]" for k in range(1, levels)]
        if rng.random() < 0.5:
            lines.append(f"? *a{levels - 1}\n: 1")
        return ("\n".join(lines) + "\nquestions: []\n").encode()
    if kind == 1:  # recursive aliases
        return rng.choice([b"a: &a [*a]\n", b"&a {x: *a}\n", b"a: &a\n  <<: *a\n", b"? &k [*k]\n: 1\n"])
    if kind == 2:
        return (rng.choice(["- ", "? ", "[", "{a: ", "- [", "- a:\n  "]) * n + "x").encode()
    if kind == 3:
        return "".join(" " * i + rng.choice(["-\n", "a:\n", "- a:\n"]) for i in range(min(n, 1_000))).encode()
    if kind == 4:
        return b"questions:\n  - id: q\n    type: integer\n    answer: " + rng.choice(VALUES) * rng.randint(
            1, 9
        )
    if kind == 5:
        return b"title: " + b"x" * rng.choice([10**5, 10**6]) + b"\nquestions: []\n"
    if kind == 6:
        return rng.randbytes(rng.randint(0, 512))
    return rng.choice(SPECIALS) * rng.randint(1, 2_000)


def _problem_lines(problems: list[Problem], what: str) -> None:
    for problem in problems:
        if problem.line is None:
            raise Failure(f"{what} problem without a line: {problem}")


def _models(parsed: Any) -> Any:
    if parsed is None:
        return None
    topics, misconceptions, entries = parsed
    return ([t for t, _ in topics], [m for m, _ in misconceptions], [(e.section, e.item) for e in entries])


class LoaderCheck:
    def __init__(self, runner: Runner, folder: Path) -> None:
        self.runner = runner
        self.path = folder / "fuzz.yaml"
        self.saved_divergences = 0

    def __call__(self, raw: bytes, full: bool) -> bool:
        results = []
        for fast in (True, False):
            problems: list[Problem] = []
            parsed = _FileParser(LABEL, raw, problems).parse(fast)
            if parsed is None and not problems:
                raise Failure("no result and no problem")
            if any(p.path != LABEL for p in problems):
                raise Failure("problem with the wrong path")
            if not fast:
                _problem_lines(problems, "careful reader's")
            results.append((problems, parsed))
        (fast_problems, fast_parsed), (careful_problems, careful_parsed) = results
        if not fast_problems and (careful_problems or _models(fast_parsed) != _models(careful_parsed)):
            self.runner.stats.divergences += 1
            if self.saved_divergences < SAVED_DIVERGENCES:
                self.saved_divergences += 1
                name = f"divergent-{hashlib.sha1(raw).hexdigest()[:12]}.yaml"
                (self.runner.crashes / name).write_bytes(raw)
        if full:
            self.runner.stats.full_loads += 1
            self.path.write_bytes(raw)
            try:
                bank = load_banks([self.path], include_bundled=False, cache=False)
            except BankError as exc:
                if any(p.path != str(self.path) for p in exc.problems):
                    raise Failure("load_banks: problem with the wrong path") from None
                _problem_lines(exc.problems, "load_banks")
            else:
                if not isinstance(bank, QuestionBank):
                    raise Failure("load_banks returned something else than a QuestionBank")
        return not careful_problems


def fuzz_loader(inputs: int, seed: int, runner: Runner, progress: int) -> None:
    rng = random.Random(seed)
    corpus = [p.read_bytes() for p in sorted((ROOT / "banks").glob("*.yaml"))] + SEEDS
    with tempfile.TemporaryDirectory() as folder:
        check = LoaderCheck(runner, Path(folder))
        for n in range(1, inputs + 1):
            roll = rng.random()
            if roll < 0.03:
                data = generated(rng)
            elif roll < 0.06:
                data = rng.randbytes(rng.randint(0, 256))
            else:
                data = mutate(rng, rng.choice(corpus), corpus)
            full = n % FULL_LOAD_EVERY == 0
            runner.run(data, partial(check, data, full))
            if progress and n % progress == 0:
                _report_progress(runner.stats)


# --- formulas ------------------------------------------------------------------------------------


NAMES = ["n", "n_in", "n_out", "a"]
ATOMS = [
    "n", "n_in", "n_out", "a", "x", "_x", "__class__", "sqrt", "True", "None", "0", "1", "2", "3", "9", "0.5",
    "10**30", "1e308", "1e-308", "1e999", "0x1F", "1_000", ".5", "5.", "1j", "'s'", "b''", "...", "-1", "0.0",
    "1e300", "999999999999999999999999999999", "5e-324",
]  # fmt: skip
OPERATORS = [
    "+", "-", "*", "/", "//", "%", "**", "@", "<<", ">>", "|", "^", "&", " and ", " or ", "<", "<=", ">",
    ">=", "==", "!=", " is ", " in ", " not in ", ", ", " if n else ",
]  # fmt: skip
UNARY = ["-", "+", "~", "not ", "--", "- -"]
WRAPPERS = [
    "({})", "sqrt({})", "log({})", "log({}, 2)", "log({}, 1)", "exp({})", "abs({})", "min({}, 1)",
    "max({}, n)", "min({}, {}, {})", "round({})", "round({}, 2)", "round({}, -400)", "round({}, 10**30)",
    "round({}, 0.5)", "sqrt()", "min({})", "foo({})", "{}.real", "{}.__class__.__bases__", "{}[0]",
    "{}[1:2]", "lambda: {}", "[{}]", "({},)", "{{}}", "{1: {}}", "(y := {})", "f'{{}}'", "*{}", "sqrt(*{})",
    "min({}, key=1)", "sqrt(**{})", "__import__({})", "eval({})", "[x for x in {}]", "await {}",
    "{} ** {}", "9**9**{}", "({})**(10**30)", "2**-{}", "(-8)**(1/{})", "{}\n+1", "{}\\\n+1", "  {}  ",
    "{}\r", "{} #", "({}", "{})",
]  # fmt: skip
TOKENS = [
    *ATOMS,
    *OPERATORS,
    *UNARY,
    "(",
    ")",
    ",",
    ".",
    "[",
    "]",
    ":",
    "=",
    "\\",
    "\n",
    "\t",
    "\0",
    "é",
    "٣",
]


def expression(rng: random.Random, depth: int) -> str:
    if depth <= 0 or rng.random() < 0.25:
        return rng.choice(ATOMS)
    kind = rng.randrange(4)
    if kind == 0:
        return expression(rng, depth - 1) + rng.choice(OPERATORS) + expression(rng, depth - 1)
    if kind == 1:
        return rng.choice(UNARY) + expression(rng, depth - 1)
    return rng.choice(WRAPPERS).replace("{}", expression(rng, depth - 1))


def formula_input(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.05:  # deep nesting and long chains
        n = rng.choice([10, 49, 50, 51, 60, 100, 200, 400, 999])
        pattern = rng.choice(["({})", "sqrt({})", "-{}", "not {}", "{}+1", "1+{}", "{}**2", "2**{}"])
        text = "n"
        for _ in range(n):
            text = pattern.replace("{}", text)
        return text
    if roll < 0.1:
        return "".join(rng.choice(TOKENS) for _ in range(rng.randint(0, 40)))
    if roll < 0.13:
        return "".join(chr(rng.randrange(0x20, 0x3000)) for _ in range(rng.randint(0, 30)))
    text = expression(rng, rng.randint(1, 7))
    for _ in range(rng.choice([0, 0, 1, 2, 3])):
        at = rng.randint(0, len(text))
        op = rng.randrange(4)
        if op == 0:
            text = text[:at] + rng.choice(TOKENS) + text[at:]
        elif op == 1:
            text = text[:at] + text[at + rng.randint(1, 5) :]
        elif op == 2:
            text = text[:at] + expression(rng, 2) + text[at:]
        else:
            end = min(len(text), at + rng.randint(1, 20))
            text = text[:at] + text[at:end] * rng.randint(2, 4) + text[end:]
    return text


NUMBERS: list[Any] = [
    0, 0.0, -0.0, 1, -1, 2, 0.5, 10**30, -(10**30), 10**31, 1e300, 1e301, 5e-324, 1e-300, math.inf, -math.inf,
    math.nan, True, "3", None, 2 + 0j,
]  # fmt: skip


def value_set(rng: random.Random) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in NAMES:
        roll = rng.random()
        if roll < 0.1:
            continue  # missing
        if roll < 0.4:
            values[name] = rng.choice(NUMBERS)
        elif roll < 0.7:
            values[name] = rng.randint(-1000, 1000)
        else:
            values[name] = rng.uniform(-1e6, 1e6) * 10 ** rng.randint(-300, 290)
    return values


def check_formula(
    source: str, names: list[str] | None, condition: bool, values: list[dict[str, Any]]
) -> bool:
    try:
        formula = Formula.parse(source, names, condition=condition)
    except FormulaError as exc:
        if exc.column is not None and not 1 <= exc.column <= len(source) + 1:
            raise Failure(f"column out of range: {exc.column} for {len(source)} characters") from None
        return False
    ok = True
    for given in values:
        try:
            result = formula.evaluate(given)
        except FormulaError:
            ok = False
            continue
        if condition:
            if not isinstance(result, bool):
                raise Failure(f"constraint gave a {type(result).__name__}")
        elif isinstance(result, bool) or not isinstance(result, int | float):
            raise Failure(f"formula gave a {type(result).__name__}")
        elif not math.isfinite(result) or abs(result) > (
            INT_LIMIT if isinstance(result, int) else FLOAT_LIMIT
        ):
            raise Failure("result out of range")
    return ok


def fuzz_formula(inputs: int, seed: int, runner: Runner, progress: int) -> None:
    rng = random.Random(seed)
    for n in range(1, inputs + 1):
        source = formula_input(rng)
        names = None if rng.random() < 0.3 else NAMES
        condition = rng.random() < 0.3
        values = [value_set(rng) for _ in range(3)]
        runner.run(source, partial(check_formula, source, names, condition, values))
        if progress and n % progress == 0:
            _report_progress(runner.stats)


# --- typed answers -------------------------------------------------------------------------------

_ANSWER_PIECES = (
    "0", "1", "2", "9", "13", "0.35", ".35", "3.5e-1", "1/12", "1e", "e", "-", "+", "/", "*", "^", ",",
    ".", " ", "\t", "\n", "\u2212", "\u2460", "\u2473", "\u2474", "%", "t", "f", "true", "no", "y",
    "inf", "nan", "1e400", "1e" + "9" * 20, "0" * 30 + "1", "\u00a0", "\x9b", "\x1b[2J", "\ufffe",
    "Kaiming", "symmetry", "NaN", "√", "²", "(", ")", "①③", "1, 3", "13",
)  # fmt: skip


def answer_input(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.1:
        return "".join(chr(rng.randrange(0x20, 0x3000)) for _ in range(rng.randrange(0, 40)))
    if roll < 0.5:  # one piece: often a readable answer, so grading is exercised as well as refusal
        return rng.choice(_ANSWER_PIECES)
    return "".join(rng.choice(_ANSWER_PIECES) for _ in range(rng.randrange(0, 8)))


def check_answer(question: Any, text: str) -> bool:
    """A typed answer is graded, or refused with InvalidAnswer; a grade is a plain verdict."""
    from quizgen.grading import InvalidAnswer, grade

    try:
        graded = grade(question, text)
    except InvalidAnswer as exc:
        if "\n" in str(exc) or len(str(exc)) > 300:
            raise Failure(f"a refusal that is not one short line: {str(exc)[:80]!r}") from None
        return False
    if not isinstance(graded.correct, bool):
        raise Failure("a grade that is not true or false")
    return True


def fuzz_answer(inputs: int, seed: int, runner: Runner, progress: int) -> None:
    """Random typed answers to bank questions and generated variants of every type."""
    rng = random.Random(seed)
    bank = load_banks()
    questions: list[Any] = list(bank)
    for generator in bank.generators.values():
        questions.extend(generator.make(s) for s in range(20))
    for n in range(1, inputs + 1):
        question = rng.choice(questions)
        text = answer_input(rng)
        runner.run(text, partial(check_answer, question, text))
        if progress and n % progress == 0:
            _report_progress(runner.stats)


# --- roster names --------------------------------------------------------------------------------

_NAME_PIECES = (
    "Ann", "Lee", "ann", "LEE", " ", "-", "_", ".", "..", "/", "\\", ":", "*", "?", "\"", "<", ">", "|",
    "\x00", "\x1b", "\x9b", "\n", "王伟", "李娜", "José", "Jose\u0301", "Ñúñez", "ß", "SS", "ﬁ", "İ",
    "\u200b", "\ufeff", "👩‍🎓", "CON", "nul", "key", "sheet", "%s", "{{ x }}", "<script>", "a" * 300,
)  # fmt: skip


def roster_input(rng: random.Random) -> list[tuple[str, str]]:
    def piece_text() -> str:
        return "".join(rng.choice(_NAME_PIECES) for _ in range(rng.randrange(0, 4)))

    return [(piece_text(), piece_text() if rng.random() < 0.5 else "") for _ in range(rng.randrange(1, 12))]


def check_roster(students: list[tuple[str, str]]) -> bool:
    """Roster file names: one per student, distinct however the file system folds them, and safe."""
    from quizgen.worksheet import Student, plan_files, same_file_key

    roster = [Student(name, sid) for name, sid in students]
    plan = plan_files([], roster, ".html", answer_key=True)
    names = [*plan.sheets, *([plan.combined_key] if plan.combined_key else [])]
    if len(plan.sheets) != len(roster):
        raise Failure("not one sheet per student")
    folded = [same_file_key(name) for name in names]
    if len(set(folded)) != len(folded):
        raise Failure(f"two students share a file: {names}")
    for name in names:
        if any(c in name for c in "/\\\x00") or any(ord(c) < 32 or 127 <= ord(c) < 160 for c in name):
            raise Failure(f"an unsafe file name: {name!r}")
        if len(name.encode("utf-8")) > 255:
            raise Failure(f"a file name over 255 bytes: {len(name.encode('utf-8'))}")
    return True


def fuzz_roster(inputs: int, seed: int, runner: Runner, progress: int) -> None:
    rng = random.Random(seed)
    for n in range(1, inputs + 1):
        students = roster_input(rng)
        runner.run(repr(students), partial(check_roster, students))
        if progress and n % progress == 0:
            _report_progress(runner.stats)


# --- reporting -----------------------------------------------------------------------------------


def _report_progress(stats: Stats) -> None:
    failures = stats.unexpected + stats.hangs
    print(f"  {stats.target}: {stats.inputs:,} inputs, {failures} failures, slowest {stats.slowest:.3f} s")
    sys.stdout.flush()


def summary(all_stats: list[Stats], seconds: float) -> str:
    header = ("target", "inputs", "results", "expected errors", "unexpected", "hangs", "slowest (s)")
    rows = [
        (
            s.target,
            f"{s.inputs:,}",
            f"{s.results:,}",
            f"{s.errors:,}",
            f"{s.unexpected:,}",
            f"{s.hangs:,}",
            f"{s.slowest:.3f}",
        )
        for s in all_stats
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    for s in all_stats:
        lines.append(f"{s.target} slowest input: {s.slowest_input}")
        if s.target == "loader":
            lines.append(
                f"loader: {s.full_loads:,} inputs also through load_banks; {s.divergences:,} divergences"
            )
        for kind, path in s.kinds.items():
            lines.append(f"{s.target} failure: {kind} (first input: {path})")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines.append(f"{seconds:.0f} s in all; peak memory {peak:.0f} MB")
    return "\n".join(lines)


FUZZERS: dict[str, Callable[[int, int, Runner, int], None]] = {
    "loader": fuzz_loader,
    "formula": fuzz_formula,
    "answer": fuzz_answer,
    "roster": fuzz_roster,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--inputs", type=int, default=100_000, help="inputs per target (default 100,000)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random mutations (default 0)")
    parser.add_argument("--target", choices=[*FUZZERS, "all"], default="all")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds before an input counts as a hang")
    parser.add_argument(
        "--crashes", type=Path, default=ROOT / "fuzz" / "crashes", help="where failing inputs go"
    )
    parser.add_argument(
        "--progress", type=int, default=10_000, help="print progress every N inputs (0: never)"
    )
    args = parser.parse_args(argv)

    signal.signal(signal.SIGALRM, _on_alarm)
    targets = list(FUZZERS) if args.target == "all" else [args.target]
    fuzzers = FUZZERS
    all_stats = []
    start = time.perf_counter()
    for target in targets:
        runner = Runner(target, args.timeout, args.crashes)
        print(f"fuzzing the {target}: {args.inputs:,} inputs, seed {args.seed}")
        try:
            fuzzers[target](args.inputs, args.seed, runner, args.progress)
        except KeyboardInterrupt:
            print("interrupted")
            all_stats.append(runner.stats)
            break
        finally:
            runner.close()
        all_stats.append(runner.stats)
    print()
    print(summary(all_stats, time.perf_counter() - start))
    return 1 if any(s.unexpected or s.hangs for s in all_stats) else 0


if __name__ == "__main__":
    sys.exit(main())
