"""The bank-authors guide's YAML examples are complete bank files that load, as the guide promises."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from quizgen import load_banks

GUIDE = Path(__file__).parent.parent / "docs" / "bank-authors.md"
EXAMPLES = [
    block
    for block in re.findall(r"```yaml\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    if re.search(r"^(questions|templates|topics):", block, re.M)
]


def test_the_guide_has_examples() -> None:
    assert len(EXAMPLES) >= 12


@pytest.mark.parametrize("number", range(len(EXAMPLES)))
def test_every_example_bank_loads(number: int, tmp_path: Path) -> None:
    path = tmp_path / f"example-{number}.yaml"
    path.write_text(EXAMPLES[number], encoding="utf-8")
    bank = load_banks([path], include_bundled=False, cache=False)
    assert len(bank) + len(bank.templates) >= 1
