"""The Anki writer streams: notes go into an SQLite file group by group (one group's variants in
memory at a time), the file is removed afterwards, and the package is the one the whole list gives."""

from __future__ import annotations

import gc
import io
import sqlite3
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import pytest

from quizgen import load_banks
from quizgen.bank import QuestionBank
from quizgen.exporters import ExportSet, anki
from quizgen.models import TrueFalseQuestion

from .test_export_qti_stream import Watch, lazy, made

TIMESTAMP = 1_700_000_000.5


@pytest.fixture(scope="module")
def bank() -> QuestionBank:
    return load_banks()


@pytest.fixture
def eager(bank: QuestionBank) -> ExportSet:
    return made(bank)


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder the writer's temporary files go to."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def rows(package: bytes, folder: Path, query: str) -> list[tuple[Any, ...]]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        (folder / "read.anki2").write_bytes(archive.read("collection.anki2"))
    with sqlite3.connect(folder / "read.anki2") as db:
        found = db.execute(query).fetchall()
    (folder / "read.anki2").unlink()
    return found


def test_each_group_is_made_once_and_alone_and_the_bytes_are_the_same(
    bank: QuestionBank, scratch: Path
) -> None:
    expected = anki.export(made(bank), timestamp=TIMESTAMP)  # (no variant of this export outlives it)
    watch = Watch()
    assert anki.export(lazy(made(bank), watch), timestamp=TIMESTAMP) == expected
    assert watch.made == [g.generator.id for g in made(bank).groups]
    assert not watch.overlaps, "a group's variants were made while an earlier group's were still held"
    assert [p for p in scratch.iterdir() if p.name.startswith("quizgen-anki-")] == []


def test_the_temporary_collection_goes_also_when_a_group_fails(eager: ExportSet, scratch: Path) -> None:
    watch = Watch()

    def fail(group: str) -> None:
        if len(watch.made) == 2:
            raise RuntimeError(f"{group} broke")

    watch.on_make = fail
    with pytest.raises(RuntimeError, match="broke"):
        anki.write(lazy(eager, watch), io.BytesIO())
    assert [p for p in scratch.iterdir() if p.name.startswith("quizgen-anki-")] == []


def test_a_lone_surrogate_becomes_a_replacement_character_and_its_batch_is_kept(
    eager: ExportSet, scratch: Path
) -> None:
    broken = TrueFalseQuestion.model_construct(
        id="surrogate-01", topic="xavier", type="true_false", prompt="Odd \ud800 byte?",
        explanation="Still shown.", answer=True, tags=(), source=None, generator=None, seed=None,
    )  # fmt: skip
    data = ExportSet(
        eager.title, [*eager.questions, broken], eager.groups, eager.topics, eager.misconceptions
    )
    package = anki.export(data, timestamp=TIMESTAMP)
    fields = [row[0].split("\x1f") for row in rows(package, scratch, "SELECT flds FROM notes")]
    assert len(fields) == len(eager.questions) + 1 + sum(
        1 for g in eager.groups if g.count
    )  # a note per generator
    (odd,) = [f for f in fields if f[0] == "surrogate-01"]
    assert "Odd \ufffd byte?" in odd[2]
    assert {f[0] for f in fields} >= {q.id for q in eager.questions}


def test_note_and_card_ids_run_deck_by_deck(eager: ExportSet, scratch: Path) -> None:
    package = anki.export(eager, timestamp=TIMESTAMP)
    cards = rows(package, scratch, "SELECT id, nid, did FROM cards ORDER BY id")
    first = int(TIMESTAMP * 1000)
    assert [nid for _, nid, _ in cards] == list(range(first, first + 2 * len(cards), 2))
    assert all(card == nid + 1 for card, nid, _ in cards)
    decks = [did for _, _, did in cards]
    assert len(set(decks)) > 1
    seen: list[int] = []
    for did in decks:  # each deck's cards are one run
        if not seen or seen[-1] != did:
            assert did not in seen
            seen.append(did)


def test_an_earlier_group_s_notes_are_gone_when_the_next_group_is_made(
    bank: QuestionBank, scratch: Path
) -> None:
    watch = Watch()
    alive: dict[str, int] = {}

    def count(group: str) -> None:
        alive[group] = sum(type(o) is anki.AnkiNote for o in gc.get_objects())

    before = sum(type(o) is anki.AnkiNote for o in gc.get_objects())  # (other tests' notes)
    watch.on_make = count
    anki.export(lazy(made(bank), watch), timestamp=TIMESTAMP)
    assert alive and max(alive.values()) == before, alive
