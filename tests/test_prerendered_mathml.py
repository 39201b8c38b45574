"""The prerendered MathML table (quizgen/prerendered-mathml.json) is exact and covers the bundled banks.

latex2mathml is most of the time a page or a worksheet of the whole bank takes to build, and
almost every formula it converts is a bank question's (the same on every run) or a generator's
with its numbers as markers. The table holds their MathML, converted once. These tests hold each
entry to a fresh conversion and require that the bundled banks need no formula the table lacks.

After a bank or richtext's conversion changes, regenerate it:  python tests/test_prerendered_mathml.py
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from quizgen import richtext

TABLE = Path(richtext.__file__).with_name(richtext.PRERENDERED)


def _formulas_asked() -> list[tuple[str, bool]]:
    """Every (formula, display) the page of the whole bank, every topic, 20 variants a generator, asks for."""
    from quizgen import load_banks
    from quizgen.exporters import build_export_set
    from quizgen.exporters.page import page_data

    asked: list[tuple[str, bool]] = []
    real = richtext._marked_mathml

    def record(template: str, display: bool) -> str | None:
        asked.append((template, display))
        return richtext.convert_formula(template, display)

    richtext.clear_caches()
    richtext._marked_mathml = functools.lru_cache(maxsize=None)(record)  # type: ignore[assignment]
    try:
        bank = load_banks()
        data = build_export_set(bank, topics=[t.id for t in bank.topics.values()], variants=20)
        page_data(data)
    finally:
        richtext._marked_mathml = real
        richtext.clear_caches()
    return list(dict.fromkeys(asked))


@pytest.fixture(scope="module")
def table() -> dict[str, str]:
    content = json.loads(TABLE.read_text(encoding="utf-8"))
    import latex2mathml

    assert content["latex2mathml"] == latex2mathml.__version__, (
        "the table was made by another latex2mathml: regenerate it (python tests/test_prerendered_mathml.py)"
    )
    formulas: dict[str, str] = content["formulas"]
    return formulas


def _entries(table: dict[str, str]) -> Iterator[tuple[str, bool, str]]:
    for key, mathml in table.items():
        kind, _, template = key.partition(":")
        yield template, kind == "b", mathml


def test_every_entry_is_a_fresh_conversion(table: dict[str, str]) -> None:
    wrong = [t for t, display, mathml in _entries(table) if richtext.convert_formula(t, display) != mathml]
    assert wrong == [], (
        f"{len(wrong)} stale entries, e.g. {wrong[:2]}: python tests/test_prerendered_mathml.py"
    )
    assert len(table) > 500


def test_the_bundled_banks_need_no_formula_the_table_lacks(table: dict[str, str]) -> None:
    missing = [f for f in _formulas_asked() if richtext.prerendered_key(*f) not in table]
    assert missing == [], (
        f"{len(missing)} formulas are not prerendered (a bank changed?), e.g. {missing[:2]}: "
        "regenerate with python tests/test_prerendered_mathml.py"
    )


def test_a_table_from_another_latex2mathml_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    import latex2mathml

    richtext._prerendered.cache_clear()
    try:
        assert richtext._prerendered()  # the shipped table is used...
        richtext._prerendered.cache_clear()
        monkeypatch.setattr(latex2mathml, "__version__", "0.0.1")
        assert richtext._prerendered() == {}  # ...unless another latex2mathml made it
    finally:
        richtext._prerendered.cache_clear()
        richtext.clear_caches()


def main() -> None:
    import latex2mathml

    formulas = {
        richtext.prerendered_key(t, d): mathml
        for t, d in _formulas_asked()
        if (mathml := richtext.convert_formula(t, d)) is not None
    }
    content = {"latex2mathml": latex2mathml.__version__, "formulas": dict(sorted(formulas.items()))}
    TABLE.write_text(json.dumps(content, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {TABLE}: {len(formulas)} formulas", file=sys.stderr)


if __name__ == "__main__":
    main()
