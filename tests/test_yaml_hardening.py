"""Issue 11, the YAML readers: alias expansion bounded in characters (finding 1), deep nesting read
without a crash whatever the PyYAML (finding 3), the careful reader within a small factor of the fast
one (finding 16), and one YAML 1.2 core schema on both paths (finding 18)."""

from __future__ import annotations

import gc
import importlib.util
import math
import re
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import quizgen.yamlsource as yamlsource
from quizgen import BankError, load_banks
from quizgen.errors import Problem
from quizgen.yamlsource import YamlProblem, fast_parse, parse

from .conftest import WriteBank
from .timing import within

ROOT = Path(__file__).resolve().parent.parent


def problems_of(*paths: Path) -> list[Problem]:
    with pytest.raises(BankError) as info:
        load_banks(paths, include_bundled=False, cache=False)
    return info.value.problems


def only_problem(*paths: Path) -> Problem:
    problems = problems_of(*paths)
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def shared_text_bank(characters: int, questions: int, *, flow: bool = False) -> str:
    """A bank whose questions all share one explanation of ``characters`` characters through an alias;
    with ``flow``, written in flow style, with the alias right after `"explanation":` (no blank)."""
    long = "x" * characters
    if flow:
        items = ",\n".join(
            f'{{"id": "q-{n}", "type": "true_false", "topic": "definition", '
            f'"prompt": "Is statement {n} true?", "answer": true, "explanation":*long}}'
            for n in range(questions)
        )
        return f'{{"title":&long "{long}",\n"questions": [\n{items}]}}\n'
    items = "\n".join(
        f"  - id: q-{n}\n    type: true_false\n    topic: definition\n"
        f"    prompt: Is statement {n} true?\n    answer: true\n    explanation: *long"
        for n in range(questions)
    )
    return f"title: &long '{long}'\nquestions:\n{items}\n"


# -- finding 1: aliases may not expand a document much beyond its own size --------------------


@pytest.mark.timeout(60)  # a hang fails here, not only a slow return
@pytest.mark.parametrize("flow", [False, True], ids=["block", "flow-adjacent-alias"])
def test_finding_1_aliases_that_expand_a_bank_to_far_more_than_its_size_are_refused(
    write_bank: WriteBank, flow: bool
) -> None:
    """1,000 questions sharing a 200 kB explanation: 200 MB once expanded, from a 0.2 MB file (the
    issue's 1 MB string made a 2 GB cache file). Refused before anything expands, at the alias that
    crosses the limit, in a second; in flow style too, where `"explanation":*long` has no blank
    after the colon and once reached yaml-rs, which copies what an alias names."""
    text = shared_text_bank(200_000, 1_000, flow=flow)
    path = write_bank(text)
    problem = within(5.0, lambda: only_problem(path))
    crossing = yamlsource.expansion_limit(text) // 200_001 + 1  # the alias that crosses the limit
    assert "aliases expand this document by more than" in problem.message
    assert "is it an alias bomb?" in problem.message
    lines = text.splitlines()
    line = lines[problem.line - 1] if problem.line else ""
    assert problem.column is not None and line[problem.column - 1 :].startswith("*long"), problem
    assert sum(earlier.count("*long") for earlier in lines[: problem.line - 1]) + 1 == crossing


def test_finding_1_both_readers_refuse_an_expanding_document_alike() -> None:
    """The fast path never expands an alias: it leaves every document with one to the careful
    reader, which refuses this one with a located message; and yaml-rs is given no alias to
    expand even where the fast path's own check would miss one."""
    for flow in (False, True):
        text = shared_text_bank(200_000, 1_000, flow=flow)
        assert fast_parse(text) is None
        with pytest.raises(YamlProblem, match="aliases expand this document") as info:
            parse(text)
        assert info.value.line is not None and info.value.column is not None


def test_finding_1_yaml_rs_is_given_no_alias_to_expand(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlsource, "_needs_care", lambda text: False)
    monkeypatch.setattr(yamlsource, "_adjacent_value", lambda text: False, raising=False)
    assert fast_parse("a: &x [1, 2]\nb: *x\n") is None
    assert fast_parse('{"a":&x "text", "b":*x}\n') is None


def test_finding_1_a_shared_explanation_within_the_limit_still_loads(write_bank: WriteBank) -> None:
    """200 questions sharing a 20 kB explanation (4 MB expanded from 24 kB) are a fair use of aliases."""
    bank = load_banks([write_bank(shared_text_bank(20_000, 200))], include_bundled=False, cache=False)
    assert len(bank) == 200
    assert all(len(q.explanation) == 20_000 for q in bank)


def test_the_expansion_limit_is_ten_times_the_file_plus_an_allowance_and_capped() -> None:
    assert yamlsource.expansion_limit("x" * 1_000) == 10_000 + yamlsource.EXPANSION_ALLOWANCE
    assert yamlsource.expansion_limit("x" * 100_000_000) == yamlsource.EXPANSION_CAP


def test_alias_chains_may_not_nest_beyond_the_depth_limit() -> None:
    """Each alias here wraps the previous one 60 levels deeper: 600 levels once expanded, though
    the text itself nests only 61; refused at the first alias that goes beyond 100."""
    lines = ["a0: &a0 " + "[" * 60 + "1" + "]" * 60]
    for n in range(1, 10):
        lines.append(f"a{n}: &a{n} " + "[" * 60 + f"*a{n - 1}" + "]" * 60)
    with pytest.raises(YamlProblem, match="nests more than 100 levels deep") as info:
        parse("\n".join(lines) + "\n")
    assert info.value.line == 2


# -- finding 3: deep nesting, read in a child process (a crash fails the test, not pytest) ---------

DEEP = {
    "flow-unclosed": "[" * 100_000,
    "flow-closed": "[" * 100_000 + "]" * 100_000 + "\n",
    "flow-mappings": "{a: " * 100_000 + "}" * 100_000 + "\n",
    "block-sequences": "- " * 100_000 + "x\n",
    "in-a-bank": "questions:\n  - id: q-1\n    prompt: " + "[" * 100_000 + "\n",
}


@pytest.mark.parametrize("shape", list(DEEP))
def test_finding_3_deep_nesting_is_refused_with_a_message_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shape: str
) -> None:
    """PyYAML 6.0 to 6.0.3 (which `pyyaml>=6.0` allows) compose in C, one call per level: 100,000
    `[` overflowed the stack (exit 139) before the depth check ran. Whatever the PyYAML, the
    command now ends with the reader's own located message and exit 1."""
    path = tmp_path / "deep.yaml"
    path.write_text(DEEP[shape], encoding="utf-8")
    monkeypatch.setenv("QUIZGEN_CACHE_DIR", "off")
    result = subprocess.run(
        [sys.executable, "-m", "quizgen", "--bank", str(path), "validate"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 1, (result.returncode, result.stderr[-500:])
    assert "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    assert re.fullmatch(
        rf"{re.escape(str(path))}:\d+:\d+: the document nests more than 100 levels deep.*", first
    ), first


def test_finding_3_the_reader_never_recurses_per_level(tmp_path: Path) -> None:
    """The same texts read by `parse` in a child process with a recursion limit of 200: the depth is
    counted as the parser's events come, and nothing recurses once per level (a crash, or a
    RecursionError, fails the test)."""
    for shape, text in DEEP.items():
        (tmp_path / f"{shape}.yaml").write_text(text, encoding="utf-8")
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from quizgen.yamlsource import YamlProblem, parse\n"
        "sys.setrecursionlimit(200)\n"
        "for path in sorted(Path(sys.argv[1]).glob('*.yaml')):\n"
        "    try:\n"
        "        parse(path.read_text(encoding='utf-8'))\n"
        "    except YamlProblem as exc:\n"
        "        print(path.stem, exc.line, exc.message)\n"
        "print(parse('[' * 99 + ']' * 99)[0] is not None)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert result.returncode == 0, (result.returncode, result.stderr[-500:])
    lines = result.stdout.splitlines()
    assert len(lines) == len(DEEP) + 1 and lines[-1] == "True", lines
    assert all(" the document nests more than 100 levels deep" in line for line in lines[:-1]), lines


# -- finding 16: the careful reader within a small factor of the fast one ----------------------


def bench_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_careful", ROOT / "bench" / "careful.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_ignoring_problems(path: Path) -> int:
    try:
        load_banks([path], include_bundled=False, cache=False)
    except BankError as exc:
        return len(exc.problems)
    return 0


def peak_memory(action: Callable[[], object]) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_finding_16_one_bad_value_costs_at_most_3x_the_time_and_2x_the_memory(tmp_path: Path) -> None:
    """A 3 MB bank (bench/careful.py writes the same at 27 MB): valid, it is read by the fast path
    alone; with one answer out of range it is read fast, then carefully to locate the problem.
    Before: 7x the time and 4.3x the memory at 27 MB (the careful reading was done twice, built a
    Node tree with two Marks per value, and kept the fast reading alive through a reference cycle)."""
    bench = bench_module()
    valid, bad = tmp_path / "valid.yaml", tmp_path / "bad.yaml"
    valid.write_text(bench.bank_text(3), encoding="utf-8")
    bad.write_text(bench.bank_text(3, bad=True), encoding="utf-8")
    assert load_ignoring_problems(valid) == 0
    assert load_ignoring_problems(bad) == 1
    fast = min(_seconds(lambda: load_ignoring_problems(valid)) for _ in range(3))
    within(3 * fast, lambda: load_ignoring_problems(bad), "the careful reading of a 3 MB bank")
    fast_memory = peak_memory(lambda: load_ignoring_problems(valid))
    careful_memory = peak_memory(lambda: load_ignoring_problems(bad))
    assert careful_memory <= 2 * fast_memory, (careful_memory, fast_memory)


def _seconds(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def test_finding_16_the_bad_value_is_located(tmp_path: Path) -> None:
    bench = bench_module()
    path = tmp_path / "bad.yaml"
    text = bench.bank_text(0.2, bad=True)
    path.write_text(text, encoding="utf-8")
    problem = only_problem(path)
    assert text.splitlines()[(problem.line or 0) - 1] == "    answer: 9"


# -- finding 18: one YAML 1.2 core schema on both paths -----------------------------------------


def core_schema(text: str) -> Any:
    """A plain scalar's value in the YAML 1.2 core schema (spec 10.3.2), with `_` between digits of
    a decimal number (as the banks have always allowed): the oracle both readers must match."""
    if text in ("", "~", "null", "Null", "NULL"):
        return None
    if text in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return text.lower() == "true"
    if re.fullmatch(r"[-+]?[0-9][0-9_]*", text):
        return int(text.replace("_", ""))
    if re.fullmatch(r"0o[0-7]+", text):
        return int(text[2:], 8)
    if re.fullmatch(r"0x[0-9a-fA-F]+", text):
        return int(text[2:], 16)
    if re.fullmatch(r"[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?", text):
        return float(text.replace("_", ""))
    if re.fullmatch(r"[-+]?\.(?:inf|Inf|INF)", text):
        return -math.inf if text.startswith("-") else math.inf
    if re.fullmatch(r"\.(?:nan|NaN|NAN)", text):
        return math.nan
    return text


def same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and a != a and b != b:
        return True  # NaN
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def read_as_the_loader_does(text: str) -> Any:
    fast = fast_parse(text)
    return fast if fast is not None else parse(text)[0]


def text_keys_only(value: Any) -> tuple[Any, bool]:
    """``value`` without the mapping keys that are not text, and whether it had any."""
    if isinstance(value, dict):
        kept, dropped = {}, False
        for k, v in value.items():
            if isinstance(k, str):
                kept[k], inner = text_keys_only(v)
                dropped |= inner
            else:
                dropped = True
        return kept, dropped
    if isinstance(value, list):
        items = [text_keys_only(v) for v in value]
        return [v for v, _ in items], any(d for _, d in items)
    return value, False


def assert_readers_agree(text: str) -> None:
    """What the loader reads (the fast reading, or the careful one when the fast path declines) is
    what the careful reader reads; what the careful reader refuses, the fast path never accepts.
    A key that is not text (`1e3: x`) is a problem either way: the careful reader reports it and
    leaves it out, the fast one keeps it, where no model takes it (the file is then read again)."""
    fast = fast_parse(text)
    try:
        careful, positions = parse(text)
    except YamlProblem:
        assert fast is None, (text, fast)
        return
    if fast is not None:
        kept, dropped = text_keys_only(fast)
        assert same(kept, careful), (text, fast, careful)
        assert dropped == bool(positions.bad_keys), (text, fast, positions.bad_keys)


ODD_SPELLINGS = [
    "0b101", "0B101", "0X1F", "0x1F", "-0x1", "+0x1", "0o17", "0O17", "-0o17", "0x_1", "0o1_7", "0b1_",
    "_1", "-_1", "1_", "1__0", "1_000", "_.5", "._5", ".5_", "1_.5", "1e1_0", "1e_1", "1.5e+_3", "1e3",
    "1E3", "1.e3", ".5e3", "5.", ".5", "-.5", "+.5", "00", "09", "-0", "+0", "1e400", "-1e400", "1e-400",
    ".inf", ".Inf", ".INF", ".iNf", "-.INf", "+.inf", ".nan", ".NaN", ".NAN", ".nAn", ".Nan", "-.nan",
    "+.nan", "true", "True", "TRUE", "tRue", "false", "FALSE", "fAlse", "null", "Null", "NULL", "nULL",
    "~", "yes", "no", "on", "off", "y", "n", "=", "<<x", "1:30", "2024-01-01", "0x", "0o", "0b", "0o8",
    "0x-1", "+-1", "--1", "1-2", "e1", ".e1", "1e", "0.5.5", "99999999999999999999999",
    "0x" + "F" * 30, "1" * 200 + ".5",
]  # fmt: skip


@pytest.mark.parametrize("spelling", ODD_SPELLINGS)
def test_finding_18_both_readers_read_each_spelling_as_the_core_schema_does(spelling: str) -> None:
    for text in (f"a: {spelling}\n", f"- {spelling}\n", f"[{spelling}, x]\n", f'{{"k": {spelling}}}\n'):
        value = read_as_the_loader_does(text)
        careful = parse(text)[0]
        assert same(value, careful), (text, value, careful)
        inner = value["a"] if isinstance(value, dict) and "a" in value else None
        if text.startswith("a: "):
            assert same(inner, core_schema(spelling)), (spelling, inner)


@pytest.mark.parametrize(
    "text", ["- \t{a: 1}\n", "-\tx\n", "a:\n  - \tx\n", "? \ta\n: b\n", '{"a":!!binary aGk=}\n', "{a:}\n"]
)
def test_finding_18_syntax_the_readers_took_differently(text: str) -> None:
    """Found by fuzz/run.py and the properties below: a tab after a block indicator (yaml-rs skips it,
    libyaml refuses it), a tag right after a quoted key's colon, an empty flow value."""
    assert_readers_agree(text)


def test_finding_18_an_answer_written_0b101_is_refused_alike_with_or_without_another_problem(
    write_bank: WriteBank,
) -> None:
    """Today `answer: 0b101` read as 5 in a clean file and was refused as text once another
    problem sent the file to the careful reader. In the core schema it is text, both ways."""
    question = """
      - id: q-{n}
        type: integer
        topic: layer-size
        prompt: How many weights has a 5-unit layer with one input?
        answer: {answer}
        explanation: One weight per unit.
    """
    for answer in ("0b101", "0X1F", "-0x1"):
        clean = write_bank("questions:" + question.format(n=1, answer=answer), f"clean-{answer}.yaml")
        other = write_bank(
            "questions:" + question.format(n=1, answer=answer) + question.format(n=2, answer="1.5"),
            f"other-{answer}.yaml",
        )
        alone = only_problem(clean)
        assert alone.line == 6 and f"should be a valid integer, not '{answer}'" in alone.message
        with_other = problems_of(other)
        assert (with_other[0].line, with_other[0].message) == (alone.line, alone.message)


@st.composite
def respelt(draw: st.DrawFn) -> str:
    """A word of the core schema or YAML 1.1 in any case, after any sign and dot (`-.iNf`, `tRUE`)."""
    word = draw(st.sampled_from(["inf", "nan", "true", "false", "null", "yes", "off"]))
    upper = draw(st.lists(st.booleans(), min_size=len(word), max_size=len(word)))
    lead = draw(st.sampled_from(["", "-", "+", ".", "-.", "+."]))
    return lead + "".join(c.upper() if up else c for c, up in zip(word, upper, strict=True))


NUMBERISH = st.one_of(
    st.sampled_from(ODD_SPELLINGS),
    st.from_regex(
        r"[-+]?(?:0[xXoObB])?[0-9a-fA-F_]{0,5}(?:\.[0-9_]{0,3})?(?:[eE][-+]?[0-9_]{0,3})?", fullmatch=True
    ).filter(bool),
    st.text(alphabet="0123456789_.eE+-xXoObBaAfFiInNlLuUtTrRsS~", min_size=1, max_size=8),
    respelt(),
)


@given(NUMBERISH)
def test_finding_18_property_both_readers_agree_on_every_scalar_text(spelling: str) -> None:
    """Generated scalar texts (numbers in every base, case and sign, with `_` anywhere, booleans, nulls,
    odd spellings), each as a value, a list item, a flow item, a key and after a quoted key."""
    for text in (
        f"a: {spelling}\n",
        f"- {spelling}\n",
        f"[{spelling}, {spelling}]\n",
        f"{spelling}: x\n",
        f'{{"k": {spelling}}}\n',
        f'["k":{spelling}]\n',
        f"a: {spelling} # comment\n",
    ):
        assert_readers_agree(text)
    try:
        careful = parse(f"a: {spelling}\n")[0]
    except YamlProblem:
        return
    assert same(careful["a"], core_schema(spelling)), (spelling, careful)


quoted_text = st.one_of(
    st.text(alphabet="ab 0#:'", max_size=6).map(lambda s: "'" + s.replace("'", "''") + "'"),
    st.lists(
        st.sampled_from(["a", "1", " ", "\\\\", '\\"', "\\t", "\\n", "\\x41", "\\u00e9", "\\N", "\\_", "\\/", "\\e", "\\q"]),
        max_size=4,
    ).map(lambda parts: '"' + "".join(parts) + '"'),
)  # fmt: skip
tag = st.sampled_from(["", "", "", "!!str ", "!!int ", "!!float ", "!!bool ", "!!binary ", "!!null ", "! "])
scalar = st.one_of(
    NUMBERISH, quoted_text, st.from_regex(r"[A-Za-z][A-Za-z0-9 _.-]{0,8}[A-Za-z0-9]", fullmatch=True)
)
key = st.one_of(st.from_regex(r"[a-z][a-z_]{0,6}", fullmatch=True), quoted_text, NUMBERISH)


@st.composite
def flow_node(draw: st.DrawFn, depth: int = 0) -> str:
    kind = draw(st.sampled_from(["scalar", "seq", "map"] if depth < 2 else ["scalar"]))
    if kind == "scalar":
        return draw(tag) + draw(scalar)
    if kind == "seq":
        return "[" + ", ".join(draw(st.lists(flow_node(depth + 1), max_size=3))) + "]"
    pairs = []
    for _ in range(draw(st.integers(0, 3))):
        name = draw(key)
        colon = draw(st.sampled_from([": ", ": ", ":"])) if name[:1] in "'\"" else ": "
        pairs.append(f"{name}{colon}{draw(flow_node(depth + 1))}")
    return "{" + ", ".join(pairs) + "}"


@st.composite
def small_documents(draw: st.DrawFn, depth: int = 0) -> str:
    lines = []
    for name in draw(st.lists(key, min_size=1, max_size=4, unique=True)):
        kind = draw(st.sampled_from(["scalar", "flow", "list"] + (["map"] if depth < 2 else [])))
        if kind == "scalar":
            lines.append(f"{name}: {draw(tag)}{draw(scalar)}")
        elif kind == "flow":
            lines.append(f"{name}: {draw(flow_node())}")
        elif kind == "list":
            lines.append(f"{name}:")
            lines.extend(f"  - {draw(tag)}{item}" for item in draw(st.lists(scalar, min_size=1, max_size=3)))
        else:
            lines.append(f"{name}:")
            lines.extend("  " + line for line in draw(small_documents(depth + 1)).splitlines())
    return "\n".join(lines) + "\n"


@given(small_documents())
def test_finding_18_property_both_readers_agree_on_small_documents(text: str) -> None:
    """Block and flow mappings and lists of those scalars, quoted strings with escapes, explicit
    tags, quoted keys with the value right after the colon: the loader reads each the same
    whichever reader reads it."""
    assert_readers_agree(text)


def test_the_bundled_banks_still_take_the_fast_path() -> None:
    from quizgen.resources import bundled_bank_files
    from quizgen.yamlsource import decode

    for entry in bundled_bank_files():
        assert fast_parse(decode(entry.read_bytes())) is not None, entry.name


@pytest.mark.timeout(120)  # a quadratic scan of 10 MB would hang: it fails here
@pytest.mark.parametrize("piece", ["_1", "0x_", ".iNf ", "x_1 ", "true_false ", "e1_ ", "1000_000 "])
def test_looking_for_odd_numbers_is_linear(piece: str) -> None:
    """Each word is looked at once: 10 MB of one endless number-like word, or of 2 million short
    ones that each need a look (`e1_`: 3 s here), is read in seconds, not hours."""
    text = piece * (10_000_000 // len(piece))
    within(10.0, lambda: yamlsource._odd_number(text), piece)
