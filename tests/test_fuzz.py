"""Fuzzing: whatever a user types ends in a result or a QuizgenError that says where.

A user controls three inputs: bank files, the formulas of bank templates, and the
answers typed in a drill. Each is fed random and mutated input here, and exactly two
outcomes are allowed: a valid result, or the module's own error (a ``BankError`` whose
every problem names its file and line, a ``FormulaError``, an ``InvalidAnswer``).
Any other exception, a slow input or a memory blow-up fails.

``fuzz/run.py`` runs the same checks over hundreds of thousands of mutated inputs, and
``fuzz/*_fuzz.py`` are atheris harnesses; these tests are the part CI runs every time.
"""

from __future__ import annotations

import math
import re
import resource
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st
from pydantic import TypeAdapter

from quizgen import BankError, load_banks
from quizgen.bank import QuestionBank
from quizgen.errors import Problem
from quizgen.formula import FLOAT_LIMIT, INT_LIMIT, Formula, FormulaError
from quizgen.grading import InvalidAnswer, grade, parse_answer
from quizgen.loader import _FileParser
from quizgen.models import (
    ChoiceQuestion,
    IntegerQuestion,
    MultiQuestion,
    NumericQuestion,
    Question,
    TextQuestion,
    TrueFalseQuestion,
)

from .timing import within

LOAD_SECONDS = 2.0
"""Hang guards (see tests/timing.py): a bank file of a few kB loads in a few milliseconds."""
FORMULA_SECONDS = 0.5
ANSWER_SECONDS = 0.5


# --- bank files -----------------------------------------------------------------------------------


def load_bytes(data: bytes, limit: float = LOAD_SECONDS) -> list[Problem]:
    """Load ``data`` as the only bank file: a QuestionBank, or a BankError whose every problem is located.

    Every problem of a readable file carries its line: the loader re-reads a file with a
    problem with the careful reader, which knows the line of every key and item, and the
    file-level ones (empty, not a mapping, no `questions:`) are given line 1.
    """
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bank.yaml"
        path.write_bytes(data)
        try:
            bank = within(limit, lambda: load_banks([path], include_bundled=False, cache=False), data)
        except BankError as exc:
            problems = exc.problems
            assert problems, "a BankError lists at least one problem"
            assert str(exc)
        else:
            assert isinstance(bank, QuestionBank)
            assert bank.files == [str(path)]
            return []
    last_line = _yaml_lines(data) + 1  # libyaml may point just past the last line
    for problem in problems:
        assert problem.path == str(path), problem
        assert problem.line is not None, f"no line: {problem}"
        assert 1 <= problem.line <= last_line, problem
        assert problem.column is None or problem.column >= 1, problem
        assert problem.message.strip(), problem
    return problems


def _yaml_lines(data: bytes) -> int:
    """The lines of a file as YAML 1.1 (and so libyaml) counts them: also after \\r, U+0085, U+2028, U+2029."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.count(b"\n") + 1
    return len(re.findall("\r\n|[\r\n\x85\u2028\u2029]", text)) + 1


TOPICS = ["xavier", "he", "definition", "layer-size"]

SCALARS: list[Any] = [
    None, True, False, 0, -1, 2, 1.5, 10**400, -(10**400), 1e308, -1e308, 5e-324, math.nan, math.inf,
    -math.inf, "", " ", "\t", "x" * 3000, "yes", "no", "0x1F", "0o17", "1e3", "1_000", "~", "null", ".nan",
    "*a", "&a", "!!python/object:os.system", "{", "[", "]", ": ", "- ", "#", "'", '"', "\\", "%", "@", "`",
    "\u202e\u200fRTL", "\x00", "\x07", "\x85", "\u2028", "\ufeff", "\ufffe", "n_in > n_out", "sqrt(-1)",
    "9**9**9", "{n}", "{answer}", "$x$", "xavier", "q-01", "Q 01", "a" * 200,
]  # fmt: skip
"""Values for any field: wrong types, huge and non-finite numbers, YAML's special characters."""


def _choice(qid: str, topic: str) -> dict[str, Any]:
    return {
        "id": qid,
        "type": "choice",
        "topic": topic,
        "prompt": "In Xavier initialisation, $\\mathrm{Var}(W)$ is?",
        "options": [
            "2/(n_in + n_out)",
            {"text": "2/(n_in * n_out)", "misconception": "product-for-sum", "feedback": "The sum."},
            "1/(n_in + n_out)",
        ],
        "answer": 1,
        "explanation": "Var(W) = 2/(n_in + n_out).",
        "difficulty": 2,
        "tags": ["chapter-example"],
    }


def _multi(qid: str, topic: str) -> dict[str, Any]:
    return {
        "id": qid,
        "type": "multi",
        "topic": topic,
        "prompt": "Which keep the variance?",
        "options": ["Xavier", "He", "zeros"],
        "answers": [1, 2],
        "explanation": "Both scale by the fan.",
    }


def _simple(qid: str, topic: str, kind: str) -> dict[str, Any]:
    answers: dict[str, dict[str, Any]] = {
        "true_false": {"answer": True},
        "integer": {"answer": 784},
        "numeric": {"answer": 0.05, "tolerance": 0.01, "tolerance_type": "relative"},
        "text": {"answer": "Kaiming He", "accept": ["He", "Kaiming"]},
    }
    return {
        "id": qid,
        "type": kind,
        "topic": topic,
        "prompt": "What is it?",
        "explanation": "It is.",
        "hint": "Think.",
        **answers[kind],
    }


def _template(tid: str, topic: str, kind: str) -> dict[str, Any]:
    template: dict[str, Any] = {
        "id": tid,
        "type": kind,
        "topic": topic,
        "params": {"n_in": {"min": 10, "max": 100, "step": 10}, "n_out": {"choices": [5, 50, 500]}},
        "constraints": ["n_in != n_out"],
        "prompt": "A layer has $n_{in} = {n_in}$ and $n_{out} = {n_out}$. What is the limit?",
        "answer": "sqrt(6 / (n_in + n_out))" if kind != "integer" else "n_in + n_out",
        "explanation": "L = {answer}.",
    }
    if kind == "numeric":
        template["tolerance"] = 0.001
    if kind == "choice":
        template["distractors"] = [
            {"formula": "sqrt(3 / (n_in + n_out))", "misconception": "fan-in-only"},
            {"formula": "6 / (n_in + n_out)", "feedback": "{n_in} is not squared."},
        ]
    return template


@st.composite
def bank_data(draw: st.DrawFn) -> dict[str, Any]:
    """A valid bank: some questions of every type, templates, and declared topics."""
    makers = st.sampled_from(
        [
            _choice,
            _multi,
            *(lambda q, t, k=kind: _simple(q, t, k) for kind in ("true_false", "integer", "numeric", "text")),
        ]
    )
    count = draw(st.integers(0, 4))
    questions = [draw(makers)(f"q-{n:02d}", draw(st.sampled_from(TOPICS))) for n in range(count)]
    data: dict[str, Any] = {"title": "A bank", "questions": questions}
    if draw(st.booleans()):
        kinds = draw(st.lists(st.sampled_from(["integer", "numeric", "choice"]), max_size=2))
        data["templates"] = [_template(f"tpl-{n}", "xavier", kind) for n, kind in enumerate(kinds)]
    if draw(st.booleans()):
        data["topics"] = [{"id": "lecun", "title": "LeCun", "description": "LeCun initialisation."}]
        data["misconceptions"] = [{"id": "gain-twice", "title": "Gain twice", "description": "Once."}]
    return data


def _slots(value: Any) -> list[tuple[Any, Any]]:
    """Every (container, key or index) inside ``value``: the places a mutation can hit."""
    found: list[tuple[Any, Any]] = []
    stack = [value]
    while stack:
        node = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, child in items:
            found.append((node, key))
            stack.append(child)
    return found


def _deep(depth: int, leaf: Any, as_map: bool) -> Any:
    for _ in range(depth):
        leaf = {"a": leaf} if as_map else [leaf]
    return leaf


any_value = st.recursive(
    st.sampled_from(SCALARS) | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


@st.composite
def mutated_bank_data(draw: st.DrawFn) -> dict[str, Any]:
    """A valid bank with a few mutations: wrong types, missing, unknown and renamed keys, deep nesting."""
    data = draw(bank_data())
    for _ in range(draw(st.integers(1, 4))):
        slots = _slots(data)
        if not slots:
            break
        container, key = draw(st.sampled_from(slots))
        op = draw(st.sampled_from(["value", "value", "delete", "rename", "unknown", "deep", "wrap"]))
        if op == "value":
            container[key] = draw(any_value)
        elif op == "delete":
            del container[key]
        elif op == "rename" and isinstance(container, dict):
            container[draw(st.sampled_from([f"{key}s", str(key).upper(), f"{key}_", "typ", "answers"]))] = (
                container.pop(key)
            )
        elif op == "unknown" and isinstance(container, dict):
            container[draw(st.text(min_size=1, max_size=10))] = draw(any_value)
        elif op == "deep":
            depth = draw(st.sampled_from([5, 50, 99, 101, 120]))
            container[key] = _deep(depth, container[key], draw(st.booleans()))
        elif op == "wrap":
            container[key] = [container[key]]
    return data


FRAGMENTS = [
    "\t", "\ufeff", "&a ", "*a", "&a [*a]", "&b {x: *b}", "<<: *a", "<<: [*a, *a]", "!!python/object:os.system {}",
    "!!python/object/apply:os.system [true]", "!!python/name:os.system ''", "!!int x", "!!float ''",
    "!!bool maybe", "!!timestamp x", "!!timestamp 2001-13-45", "!!binary '!'", "!!set {a}", "!!omap [a: 1]",
    "!foo x", "!!str", "!!map", "!!seq", "%YAML 1.1\n---\n", "---\n", "...\n", "? [a, b]\n: c", "? ", ": ",
    "- ", "{", "}", "[", "]", ",", "'", '"', "|", ">", "#", "\\", "10" * 600, "0x" + "f" * 1200,
    "1e999", "-.inf", ".nan", "\x00", "\x85", "\u2028", "\ufffe", "\U0001f600",
]  # fmt: skip
"""Pieces of YAML syntax (and trouble) that text mutations insert."""


@st.composite
def mutated_yaml(draw: st.DrawFn) -> bytes:
    """A bank written as YAML (block or flow style), then mutated as text and as bytes."""
    data = draw(mutated_bank_data())
    text = yaml.safe_dump(
        data,
        sort_keys=False,
        allow_unicode=draw(st.booleans()),
        default_flow_style=draw(st.sampled_from([False, None, True])),
        width=draw(st.sampled_from([80, 10**6])),
    )
    lines = text.splitlines(keepends=True) or [""]
    for _ in range(draw(st.integers(0, 3))):
        index = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["insert", "insert", "duplicate", "delete", "tab", "indent", "anchor"]))
        line = lines[index]
        if op == "insert":
            at = draw(st.integers(0, len(line)))
            lines[index] = line[:at] + draw(st.sampled_from(FRAGMENTS)) + line[at:]
        elif op == "duplicate":  # a duplicate key, in a mapping
            lines.insert(index, line)
        elif op == "delete":
            del lines[index]
            lines = lines or [""]
        elif op == "tab":
            lines[index] = "\t" + line.lstrip(" ")
        elif op == "indent":
            lines[index] = " " * draw(st.integers(1, 3)) + line
        elif op == "anchor" and ": " in line:
            name = draw(st.sampled_from(["a", "b"]))
            key, _, value = line.partition(": ")
            lines[index] = f"{key}: &{name} {value}" if draw(st.booleans()) else f"{key}: *{name}\n"
    raw = "".join(lines).encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        raw = b"\xef\xbb\xbf" + raw
    for _ in range(draw(st.integers(0, 2))):  # bytes that are not UTF-8, or a flipped bit
        at = draw(st.integers(0, len(raw)))
        if draw(st.booleans()):
            raw = (
                raw[:at]
                + draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xc0\xaf", b"\x80"]))
                + raw[at:]
            )
        elif raw:
            at = min(at, len(raw) - 1)
            raw = raw[:at] + bytes([raw[at] ^ (1 << draw(st.integers(0, 7)))]) + raw[at + 1 :]
    return raw


@given(st.binary(max_size=3000))
@example(b"")
@example(b"\xef\xbb\xbf")
@example(b"\xff\xfe" + "questions: []\n".encode("utf-16-le"))
def test_random_bytes_load_or_fail_located(data: bytes) -> None:
    load_bytes(data)


@given(st.text(max_size=2000))
@example("questions:\n\t- x\n")
@example("questions: []\nquestions: []\n")
def test_random_text_loads_or_fails_located(text: str) -> None:
    load_bytes(text.encode("utf-8"))


@given(bank_data())
def test_generated_banks_load(data: dict[str, Any]) -> None:
    """The generator's unmutated banks are valid: the mutations start from working files."""
    assert load_bytes(yaml.safe_dump(data, sort_keys=False).encode()) == []


@given(mutated_bank_data(), st.sampled_from([False, None, True]))
def test_mutated_banks_load_or_fail_located(data: dict[str, Any], flow: bool | None) -> None:
    load_bytes(yaml.safe_dump(data, sort_keys=False, default_flow_style=flow).encode())


@given(mutated_yaml())
def test_mutated_yaml_text_loads_or_fails_located(data: bytes) -> None:
    load_bytes(data)


def _bomb(levels: int, width: int, kind: str) -> str:
    if kind == "list":
        lines = ["a0: &a0 [lol]"]
        lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * width)}]" for n in range(1, levels)]
    elif kind == "map":
        lines = ["a0: &a0 {x: lol}"]
        lines += [
            f"a{n}: &a{n} {{{', '.join(f'k{i}: *a{n - 1}' for i in range(width))}}}" for n in range(1, levels)
        ]
    else:  # the bomb in keys: ? *a
        lines = ["a0: &a0 [lol]"]
        lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * width)}]" for n in range(1, levels)]
        lines += [f"? *a{levels - 1}\n: 1"]
    return "\n".join(lines) + "\nquestions: []\n"


@pytest.mark.parametrize("kind", ["list", "map", "key"])
def test_billion_laughs_is_refused_in_little_time_and_memory(kind: str) -> None:
    text = _bomb(10, 10, kind)  # 10**9 values once expanded
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kB on Linux
    problems = load_bytes(text.encode())
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 200, f"peak memory grew by {grown_mb:.0f} MB"
    assert any("alias bomb" in p.message for p in problems), problems


@pytest.mark.parametrize(
    "text",
    [
        "a: &a [*a]\n",
        "&a {x: *a}\n",
        "a: &a\n  <<: *a\n",
        "&a\n<<: *a\n",
        "a: &a [1, [2, {b: *a}]]\nquestions: []\n",
        "questions:\n  - &q {id: q-1, type: text, options: [*q]}\n",
        "? &k [*k]\n: 1\n",
    ],
)
def test_recursive_aliases_are_refused(text: str) -> None:
    assert load_bytes(text.encode())


def test_ten_megabyte_strings_load_in_reasonable_time() -> None:
    """A 10 MB value: accepted where text is allowed, refused (quickly, by line) where it is not.

    Unknown keys and ids once went to difflib's 'did you mean', which took seconds and
    hundreds of MB for a 10 MB word; the limit here is generous for a 10 MB file.
    """
    big = "x" * (10 * 1024 * 1024)
    assert load_bytes(f"title: {big}\nquestions: []\n".encode(), limit=6) == []
    problems = load_bytes(f"? {big}\n: 1\nquestions: []\n".encode(), limit=6)
    assert [p.line for p in problems] == [1]
    question = f"questions:\n  - {{id: q, type: text, topic: {big}, prompt: p, answer: a, explanation: e}}\n"
    assert [p.line for p in load_bytes(question.encode(), limit=6)] == [2]


@pytest.mark.parametrize(
    "text",
    [
        "".join(" " * n + "-\n" for n in range(2_000)),
        "".join(" " * n + "a:\n" for n in range(2_000)),
        "[" * 100_000,
        "{a: " * 20_000 + "1" + "}" * 20_000,
        "questions:\n  - prompt: " + "[" * 101 + "]" * 101 + "\n",
        "questions:\n  - prompt:\n" + "".join("      " + "  " * n + "-\n" for n in range(150)),
        "questions:\n  - prompt:\n" + "".join("      " + "  " * n + "- a:\n" for n in range(1_000)),
    ],
)
def test_deep_nesting_is_refused(text: str) -> None:
    assert load_bytes(text.encode())


@pytest.mark.parametrize("indicator", ["- ", "? ", "- a:\n  "])
def test_deep_block_nesting_does_not_kill_the_process(tmp_path: Path, indicator: str) -> None:
    """yaml-rs has no depth limit: 11,000 nested blocks (`- - - ... x`, 22 kB) overflowed its stack
    and the process died (SIGSEGV). Run in a child process so that a regression fails this test
    instead of the whole session."""
    path = tmp_path / "deep.yaml"
    path.write_text(indicator * 20_000 + "x\n", encoding="utf-8")
    script = (
        "import sys\n"
        "from quizgen import BankError, load_banks\n"
        "try:\n"
        "    load_banks([sys.argv[1]], include_bundled=False, cache=False)\n"
        "except BankError as exc:\n"
        "    print(exc.problems[0].line)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    assert done.stdout.strip().isdigit(), done.stdout


def test_nesting_that_a_bank_needs_is_read() -> None:
    """The depth limit (100) is far above what a bank needs: a value nested 90 deep is just a wrong type."""
    text = "questions:\n  - id: q\n    type: text\n    prompt: " + "[" * 90 + "]" * 90 + "\n"
    problems = load_bytes(text.encode())
    assert [(p.line, p.message[:33]) for p in problems if "prompt" in p.message] == [
        (4, "prompt: should be a valid string,")
    ]


QUESTION_HEAD = (
    "questions:\n  - id: q\n    type: integer\n    topic: xavier\n    prompt: p\n    explanation: e\n"
)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("answer", "9" * 5000, "this number has 5,000 digits"),  # was a ValueError (Python's 4300 digits)
        ("answer", "-" + "9_" * 3000 + "9", "this number has 3,001 digits"),
        ("answer", "0x" + "f" * 4000, "this number has 4,000 digits"),
        ("seed", "0o" + "7" * 6000, "this number has 6,000 digits"),
        ("params", "{n: " + "9" * 5000 + "}", "this number has 5,000 digits"),
        ("answer", str(10**400), None),  # a valid (if silly) integer answer
        ("answer", "1" + "0" * 1000, "this number has 1,001 digits"),
        ("difficulty", "1e308", "difficulty"),
        ("difficulty", "1e999", "difficulty"),
        ("difficulty", ".nan", "difficulty"),
        ("difficulty", "-.inf", "difficulty"),
    ],
)
def test_huge_and_non_finite_numbers(field: str, value: str, message: str | None) -> None:
    text = (
        QUESTION_HEAD.replace("    prompt: p\n", "    prompt: p\n    answer: 1\n")
        if field != "answer"
        else QUESTION_HEAD
    )
    problems = load_bytes(f"{text}    {field}: {value}\n".encode())
    assert any(message in p.message for p in problems) if message else not problems, problems


def test_a_huge_number_where_any_number_is_accepted_is_refused_by_both_readers() -> None:
    """`params` of a question takes any int: a 5000-digit one must not slip through the fast reader."""
    text = QUESTION_HEAD + "    answer: 1\n    params: {n: " + "9" * 5000 + "}\n"
    assert [p.line for p in load_bytes(text.encode())] == [8]


@pytest.mark.parametrize(
    "value",
    [
        "!!int abc",  # was ValueError
        "!!float ''",  # was IndexError
        "!!float x",
        "!!bool maybe",  # was KeyError
        "!!timestamp x",  # was AttributeError
        "!!timestamp 2001-13-45",  # was ValueError
        "!!int " + "9" * 5000,
        "!!binary '!'",
        "!!python/object:os.system {}",
        "!!python/object/apply:os.system [true]",
        "!!python/name:os.system ''",
        "!foo x",
        "!!set {a}",
        "!!str {a: 1}",
    ],
)
def test_explicit_tags_are_refused_at_their_line(value: str) -> None:
    as_value = f"{QUESTION_HEAD}    answer: {value}\n"
    assert 7 in [p.line for p in load_bytes(as_value.encode())]
    as_key = f"{QUESTION_HEAD}    answer: 1\n    {value}: 1\n"
    assert 8 in [p.line for p in load_bytes(as_key.encode())]


@pytest.mark.parametrize(
    ("raw", "line", "column"),
    [
        (b"title: a\x00b\nquestions: []\n", 1, 9),  # was reported without a line
        (b"title: x\n\nx: \xc3\xa9\xf0\x9f\x98\x80 a\x01b\nquestions: []\n", 3, 8),  # libyaml counts bytes
        (b"questions: []\ntitle: a\xef\xbf\xbfb\n", 2, 9),
        (b"questions: []\ntitle: \xff\n", 2, 8),
    ],
)
def test_characters_yaml_refuses_are_located(raw: bytes, line: int, column: int) -> None:
    (problem,) = load_bytes(raw)
    assert (problem.line, problem.column) == (line, column), problem


def _read_both(raw: bytes) -> tuple[list[Problem], Any, list[Problem], Any]:
    fast: list[Problem] = []
    careful: list[Problem] = []
    fast_result = _FileParser("bank.yaml", raw, fast).parse(True)
    careful_result = _FileParser("bank.yaml", raw, careful).parse(False)
    return fast, _models(fast_result), careful, _models(careful_result)


def _models(parsed: Any) -> Any:
    if parsed is None:
        return None
    topics, misconceptions, entries = parsed
    return [t for t, _ in topics], [m for m, _ in misconceptions], [(e.section, e.item) for e in entries]


@given(mutated_yaml())
def test_a_file_the_fast_reader_accepts_the_careful_reader_reads_alike(data: bytes) -> None:
    """Otherwise a file would load or not, and say different things, as it has another mistake or not."""
    fast, fast_models, careful, careful_models = _read_both(data)
    if not fast:
        assert careful == []
        assert fast_models == careful_models


@pytest.mark.parametrize(
    "raw",
    [
        b"\tquestions: []\n",  # yaml-rs accepted a tab as indentation
        b"questions: []\ntitle: b\n\t\n",
        b"questions: []\ntitle: a\xc2\x85b\n",  # U+0085: a line break to libyaml, a character to yaml-rs
        b"questions: []\ntitle: a\xe2\x80\xa8b\n",
        b"questions: []\ntitle: a\xef\xbf\xbfb\n",  # U+FFFF, which YAML does not allow
        b"questions: []\ntitle: a\x00b\n",
        b"questions: []\ntitle: a\xef\xbb\xbfb\n",
        b"questions: []\ntitle: |\n  text",  # yaml-rs kept the last line break without a final newline
        b"questions: []\ntitle: >\n  text",
        b"questions: []\ndescription: 0x" + b"f" * 1001 + b"\n",
        b"questions:\n  - {id: q, type: integer, topic: xavier, prompt: |-p, answer: 7, explanation: e}\n",
    ],
)
def test_both_readers_agree_on_what_once_set_them_apart(raw: bytes) -> None:
    fast, fast_models, careful, careful_models = _read_both(raw)
    assert ([str(p) for p in fast], fast_models) == ([str(p) for p in careful], careful_models)


# --- formulas -------------------------------------------------------------------------------------


NAMES = ["n", "n_in", "n_out", "a"]

numbers = st.one_of(
    st.integers(-(10**6), 10**6),
    st.integers(),
    st.floats(),
    st.sampled_from(
        [0, 0.0, -0.0, 1, -1, 10**30, -(10**30), 10**31, 1e300, 1e301, 5e-324, math.inf, math.nan]
    ),
)
value_sets = st.dictionaries(
    st.sampled_from([*NAMES, "x", "_x"]),
    numbers | st.sampled_from([True, "3", None, 2 + 0j]),
    max_size=6,
)


def check_formula(
    source: str, names: list[str] | None, condition: bool, values: list[dict[str, Any]]
) -> None:
    """Parse and evaluate: a result of the right kind and size, or a FormulaError; quickly."""
    within(FORMULA_SECONDS, lambda: _check_formula(source, names, condition, values), source)


def _check_formula(
    source: str, names: list[str] | None, condition: bool, values: list[dict[str, Any]]
) -> None:
    try:
        formula = Formula.parse(source, names, condition=condition)
    except FormulaError as exc:
        assert exc.message
        assert exc.column is None or 1 <= exc.column <= len(source) + 1, (exc.column, source)
        return
    for given_values in values:
        try:
            result = formula.evaluate(given_values)
        except FormulaError as exc:
            assert exc.message
            continue
        if condition:
            assert isinstance(result, bool), (source, given_values, result)
        else:
            assert isinstance(result, int | float) and not isinstance(result, bool)
            assert math.isfinite(result), (source, given_values, result)
            assert abs(result) <= (INT_LIMIT if isinstance(result, int) else FLOAT_LIMIT)


@given(
    st.text(max_size=300),
    st.none() | st.just(NAMES),
    st.booleans(),
    st.lists(value_sets, max_size=3),
)
def test_random_text_formulas(source: str, names: list[str] | None, condition: bool, values: Any) -> None:
    check_formula(source, names, condition, values)


ATOMS = [
    "n", "n_in", "n_out", "a", "x", "_x", "__class__", "sqrt", "True", "None", "0", "1", "2", "9", "0.5",
    "10**30", "1e308", "1e-308", "1e999", "0x1F", "1_000", ".5", "5.", "1j", "'s'", "b''", "...", "-1", "0.0",
]  # fmt: skip
OPERATORS = [
    "+", "-", "*", "/", "//", "%", "**", "@", "<<", ">>", "|", "^", "&", " and ", " or ", "<", "<=", ">",
    ">=", "==", "!=", " is ", " in ", " not in ", ", ",
]  # fmt: skip
UNARY = ["-", "+", "~", "not ", "--", "- -"]
WRAPPERS = [
    "({})", "sqrt({})", "log({})", "log({}, 2)", "log({}, 1)", "exp({})", "abs({})", "min({}, 1)", "max({}, n)",
    "round({})", "round({}, 2)", "round({}, -400)", "round({}, 10**30)", "round({}, 0.5)", "sqrt()",
    "min({})", "foo({})", "{}.real", "{}.__class__.__bases__", "{}[0]", "{}[1:2]", "lambda: {}", "[{}]",
    "({},)", "{{}}", "{1: {}}", "{} if n else 1", "(y := {})", "f'{{}}'", "*{}", "sqrt(*{})",
    "min({}, key=1)", "sqrt(**{})", "__import__({})", "eval({})", "[x for x in {}]", "await {}",
    "{} ** {}", "9**9**{}", "({})**(10**30)", "2**-{}", "(-8)**(1/{})", "{}\n+1", "{}\\\n+1", "  {}  ",
]  # fmt: skip


def _expression(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(inner, st.sampled_from(OPERATORS), inner).map("".join),
        st.tuples(st.sampled_from(UNARY), inner).map("".join),
        st.tuples(st.sampled_from(WRAPPERS), inner).map(lambda t: t[0].replace("{}", t[1])),
    )


expressions = st.recursive(st.sampled_from(ATOMS), _expression, max_leaves=40)


@given(expressions, st.none() | st.just(NAMES), st.booleans(), st.lists(value_sets, max_size=3))
@example("9**9**9", None, False, [])
@example("2**10**10", None, False, [])
@example("n**n**n", NAMES, False, [{"n": 10**6}, {"n": 1e300}, {"n": -(10**30)}])
@example("(" * 60 + "n" + ")" * 60, NAMES, False, [{"n": 1}])
@example("sqrt(" * 100 + "n" + ")" * 100, NAMES, False, [{"n": 1}])
@example("-" * 999 + "1", None, False, [])
@example("().__class__.__bases__[0].__subclasses__()", None, False, [])
@example("round(n, a)", NAMES, False, [{"n": 1.5, "a": 10**30}, {"n": 10**30, "a": -(10**30)}])
@example("n % a", NAMES, False, [{"n": 1e300, "a": 5e-324}, {"n": -(10**30), "a": 1e-300}])
@example("n // a", NAMES, False, [{"n": 1e300, "a": 5e-324}])
@example("log(n, a)", NAMES, False, [{"n": 1e300, "a": 1.0000000000000002}])
def test_grammar_formulas(source: str, names: list[str] | None, condition: bool, values: Any) -> None:
    check_formula(source, names, condition, values)


# --- typed answers --------------------------------------------------------------------------------


def _question(**fields: Any) -> Question:
    base = {"id": "q", "topic": "xavier", "prompt": "p", "explanation": "e"}
    question: Question = TypeAdapter(Question).validate_python({**base, **fields})
    return question


QUESTIONS: list[Question] = [
    _question(type="choice", options=["a", "b", "c"], answer=2),
    _question(type="choice", options=[str(n) for n in range(12)], answer=11),
    _question(type="multi", options=["a", "b", "c", "d", "e"], answers=[1, 3]),
    _question(type="multi", options=[str(n) for n in range(12)], answers=[10, 12]),
    _question(type="true_false", answer=False),
    _question(type="integer", answer=784),
    _question(type="numeric", answer=0.05, tolerance=0.001),
    _question(type="numeric", answer=-1e300, tolerance=0.5, tolerance_type="relative"),
    _question(type="text", answer="Kaiming He", accept=["He"]),
]

ANSWER_PIECES = [
    "0", "1", "2", "3", "9", "10", "12", "13", ",", ", ", ".", "e", "E", "-", "+", "_", "/", "%", " ", "\t",
    "\n", "\u2212", "①", "③", "⑳", "(", ")", "\u202e", "\u200f", "\u200b", "\x00", "\x1b", "nan", "inf", "∞",
    "1" * 5000, "9" * 400, "e999999999", "e-999999999", "٣", "１", "t", "f", "yes", "No", "true",
    "Kaiming-He.", "\ud7ff", "\U0001f600",
]  # fmt: skip

answers = st.text(max_size=60) | st.lists(st.sampled_from(ANSWER_PIECES), max_size=8).map("".join)


def check_answer(question: Question, text: str) -> None:
    """Parse (and grade) a typed answer: a value of the question's kind, or InvalidAnswer."""
    try:
        response = within(ANSWER_SECONDS, lambda: parse_answer(question, text), text)
    except InvalidAnswer as exc:
        assert str(exc)
        return
    result = within(ANSWER_SECONDS, lambda: grade(question, text), text)
    assert result.response == response
    if isinstance(question, ChoiceQuestion):
        assert type(response) is int and 1 <= response <= len(question.options)
    elif isinstance(question, MultiQuestion):
        assert isinstance(response, tuple) and response == tuple(sorted(set(response)))
        assert all(type(n) is int and 1 <= n <= len(question.options) for n in response)
    elif isinstance(question, TrueFalseQuestion):
        assert type(response) is bool
    elif isinstance(question, IntegerQuestion):
        assert type(response) is int
    elif isinstance(question, NumericQuestion):
        assert type(response) is float and math.isfinite(response)
    elif isinstance(question, TextQuestion):
        assert response == text.strip() and response


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: str(q.type))
@given(text=answers)
@example(text="1" * 5000)
@example(text="-" + "9" * 999 + "e999999999")
@example(text="1,000,000,000")
@example(text="\u202e2\u202c")
@example(text="1/0")
@example(text="1e308/1e-308")
@example(text="0.5%")
def test_typed_answers(question: Question, text: str) -> None:
    check_answer(question, text)
