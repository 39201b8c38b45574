"""The fast reader (yaml-rs) and the careful one (PyYAML with positions) must read every plain document alike."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import quizgen.yamlsource
from quizgen import load_banks
from quizgen.yamlsource import _needs_care, fast_parse, parse

from .timing import within

TRICKY = [
    "yes", "no", "on", "off", "y", "n", "Yes", "NO", "true", "false", "True", "FALSE", "null", "~", "Null",
    "017", "0o17", "0x1F", "1_000", "1e3", "1e-3", "1.5e3", ".5", "5.", "-0", "+1", "1:30", "2024-01-01",
    ".inf", "-.inf", ".nan", "0.1", "-12", "12.50", "1,000", "3/4", "x1", "n_in", "He", "NaN", "inf",
]  # fmt: skip

scalar = st.one_of(
    st.sampled_from(TRICKY),
    st.from_regex(r"[A-Za-z][A-Za-z0-9 _.-]{0,12}", fullmatch=True).map(str.strip).filter(bool),
    st.integers(-(10**6), 10**6).map(str),
)
key = st.from_regex(r"[a-z][a-z_]{0,8}", fullmatch=True)


@st.composite
def documents(draw: st.DrawFn, depth: int = 0) -> str:
    lines = []
    for name in draw(st.lists(key, min_size=1, max_size=5, unique=True)):
        kind = draw(st.sampled_from(["scalar", "flow", "list"] + (["map"] if depth < 2 else [])))
        if kind == "scalar":
            lines.append(f"{name}: {draw(scalar)}")
        elif kind == "flow":
            lines.append(f"{name}: [{', '.join(draw(st.lists(scalar, max_size=4)))}]")
        elif kind == "list":
            lines.append(f"{name}:")
            lines.extend(f"  - {item}" for item in draw(st.lists(scalar, min_size=1, max_size=4)))
        else:
            inner = draw(documents(depth + 1))
            lines.append(f"{name}:")
            lines.extend("  " + line for line in inner.splitlines())
    return "\n".join(lines) + "\n"


def same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and a != a and b != b:
        return True  # NaN
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


@given(documents())
def test_both_readers_agree_on_plain_documents(text: str) -> None:
    fast = fast_parse(text)
    try:
        careful = parse(text)[0]
    except Exception:
        assert fast is None  # what the careful reader refuses, the fast one must not accept
        return
    if fast is not None:
        assert same(fast, careful), (text, fast, careful)


@pytest.mark.parametrize(
    "text", ["a: !!python/object/apply:os.system [x]\n", "a: &x [1]\nb: *x\n", "---\na: 1\n"]
)
def test_tags_aliases_and_markers_go_the_careful_way(text: str) -> None:
    assert fast_parse(text) is None


def test_the_bundled_banks_read_the_same_either_way(tmp_path: Path) -> None:
    from quizgen.resources import bundled_bank_files
    from quizgen.yamlsource import decode

    for entry in bundled_bank_files():
        text = decode(entry.read_bytes())
        fast = fast_parse(text)
        assert fast is not None, f"{entry.name} is not read by the fast path"
        assert same(fast, parse(text)[0])


def test_a_clean_bank_read_fast_still_knows_question_lines(tmp_path: Path) -> None:
    bank = load_banks(cache=False)
    location = bank.locations["he-01"]
    lines = Path(location.path).read_text(encoding="utf-8").splitlines()
    assert "id: he-01" in lines[(location.line or 0) - 1]


# -- which texts need the careful reader --------------------------------------------------

_NAME = re.compile(r"[A-Za-z0-9_-]+(?=[\s,\]}]|$)")


def needs_care_by_definition(text: str) -> bool:
    """The plain definition, one mark at a time: a `!`, or `&`/`*` and an alias name, at a value's start."""
    if "<<" in text or re.search(r"^(?:---|\.\.\.|%)", text, re.MULTILINE):
        return True
    for match in re.finditer(r"[!*&]", text):
        start = match.start()
        before = start
        while before > 0 and text[before - 1] in " \t":
            before -= 1
        previous = text[before - 1] if before > 0 else "\n"
        at_value = previous in "\n[{," or (
            previous in ":-?"
            and before < start
            and (before < 2 or text[before - 2] in " \t\n" or previous == ":")
        )
        if at_value and (match.group() == "!" or _NAME.match(text, start + 1)):
            return True
    return False


YAMLISH = st.text(st.sampled_from(list("!*&-?:[]{},. \t\na_b1<%")), max_size=16)


@pytest.mark.parametrize("many", [1_000, 0], ids=["mark-by-mark", "one-pass"])
@given(text=YAMLISH)
def test_needs_care_is_the_definition(many: int, text: str) -> None:
    """Both ways of looking (each mark in turn, or one pass when there are many) agree with the definition."""
    saved = quizgen.yamlsource.MANY_MARKS
    quizgen.yamlsource.MANY_MARKS = many
    try:
        assert _needs_care(text) == needs_care_by_definition(text)
    finally:
        quizgen.yamlsource.MANY_MARKS = saved


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: &x 1\nb: *x\n", True),
        ("tag: !!str 3\n", True),
        ("- &a\n", True),
        ("[&a, 1]\n", True),
        ("x- &a\n", False),  # a `-` inside a word starts nothing
        ("a: b & c\n", False),
        ("prompt: Wow! x * y\n", False),
        ("a:!x\n", False),
    ],
)
def test_needs_care_examples(text: str, expected: bool) -> None:
    assert _needs_care(text) is expected


@pytest.mark.timeout(120)  # a quadratic scan of 10 MB would hang: it fails here
@pytest.mark.parametrize("piece", ["&", "!", "x:!", "x- &a!", "a: b & c\n", "prompt: Is it right? Yes.\n"])
def test_needs_care_is_quick_on_10_mb(piece: str) -> None:
    text = piece * (10_000_000 // len(piece))
    within(3.0, lambda: _needs_care(text), piece)  # the one-mark-at-a-time definition takes 2.5 s on "&"
