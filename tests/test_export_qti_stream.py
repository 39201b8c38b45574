"""The QTI writer streams: a group's variants are made once, when the group is written, and none
outlives its group; the package reaches the stream while it is being made.

The groups here make their variants when asked (as `VariantGroup` does) and record what they see;
the package they give must be byte for byte the one of the real groups.
"""

from __future__ import annotations

import gc
import io
import weakref
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest

from quizgen import load_banks
from quizgen.bank import QuestionBank
from quizgen.exporters import ExportSet, build_export_set, qti
from quizgen.generators import Generator
from quizgen.models import QUESTION_CLASSES, Question

QUESTION_CLASSES_TUPLE = tuple(QUESTION_CLASSES.values())


class Tracked(list[Question]):
    """A list of variants that a weak reference can watch."""


class Watch:
    """What the lazy groups of one export saw: accesses, and whether an earlier group's variants (the list,
    or any variant in it) were still alive when a group's were made."""

    def __init__(self) -> None:
        self.made: list[str] = []
        self.alive: list[weakref.ref[Tracked]] = []
        self.overlaps: list[str] = []
        self.addresses: set[int] = set()
        self.on_make: Any = None


class LazyGroup:
    """A variant group that makes its variants on each access of ``variants`` (count known up front)."""

    def __init__(self, generator: Generator, count: int, seed: int, watch: Watch) -> None:
        self.generator, self.count, self.seed, self.watch = generator, count, seed, watch

    @property
    def id(self) -> str:
        return self.generator.id

    @property
    def topic(self) -> str:
        return self.generator.topic

    def __iter__(self) -> Iterator[Question]:
        return iter(self.variants)

    def __len__(self) -> int:
        return self.count

    @property
    def variants(self) -> list[Question]:
        watch = self.watch
        if any(ref() is not None for ref in watch.alive) or any(
            type(o) in QUESTION_CLASSES_TUPLE and id(o) in watch.addresses
            for o in gc.get_objects()  # type(), not isinstance: no __class__ lookups (torch warns on some)
        ):  # (only these groups make questions during the export: an address is not reused by another's)
            watch.overlaps.append(self.id)
        if watch.on_make is not None:
            watch.on_make(self.id)
        watch.made.append(self.id)
        made = Tracked(self.generator.variants(self.count, self.seed))
        watch.alive.append(weakref.ref(made))
        watch.addresses.update(id(q) for q in made)
        return made


class NoWholeList(ExportSet):
    def all_questions(self) -> list[Question]:
        raise AssertionError("a writer asked for every question at once")


def lazy(data: ExportSet, watch: Watch) -> ExportSet:
    """The export set with groups that make their variants when asked (``data`` can then be dropped)."""
    groups: list[Any] = [LazyGroup(g.generator, g.count, data.seed, watch) for g in data.groups]
    return NoWholeList(
        data.title,
        data.questions,
        groups,
        data.topics,
        data.misconceptions,
        data.seed,
        known_topics=data.known_topics,
    )


@pytest.fixture(scope="module")
def bank() -> QuestionBank:
    return load_banks()


def made(bank: QuestionBank) -> ExportSet:
    return build_export_set(bank, variants=4, seed=3)


@pytest.fixture
def eager(bank: QuestionBank) -> ExportSet:
    return made(bank)


def test_each_group_is_made_once_and_alone_and_the_bytes_are_the_same(bank: QuestionBank) -> None:
    expected = qti.export(made(bank))  # (no variant of this export outlives it)
    watch = Watch()
    assert qti.export(lazy(made(bank), watch)) == expected
    assert watch.made == [g.generator.id for g in made(bank).groups if g.count]
    assert not watch.overlaps, "a group's variants were made while an earlier group's were still held"


def test_the_ident_needs_no_variant(eager: ExportSet) -> None:
    watch = Watch()
    data = lazy(eager, watch)
    assert qti.assessment_ident(data) == qti.assessment_ident(eager)
    assert qti.points_possible(data) == qti.points_possible(eager)
    assert watch.made == []


def test_the_ident_follows_the_seed_and_the_counts(bank: QuestionBank, eager: ExportSet) -> None:
    idents = {
        qti.assessment_ident(eager),
        qti.assessment_ident(build_export_set(bank, variants=4, seed=4)),
        qti.assessment_ident(build_export_set(bank, variants=5, seed=3)),
        qti.assessment_ident(build_export_set(bank, variants=4, seed=3, title="another")),
        qti.assessment_ident(build_export_set(bank, variants=4, seed=3, include_questions=False)),
    }
    assert len(idents) == 5


class Unseekable:
    """A pipe-like stream: write only."""

    def __init__(self) -> None:
        self.buffer = io.BytesIO()

    def write(self, data: bytes) -> int:
        return self.buffer.write(data)

    def flush(self) -> None:
        pass


def test_an_unseekable_stream_gets_the_same_files(eager: ExportSet) -> None:
    sink = Unseekable()
    qti.write(eager, sink)  # type: ignore[arg-type]
    with (
        zipfile.ZipFile(io.BytesIO(sink.buffer.getvalue())) as piped,
        zipfile.ZipFile(io.BytesIO(qti.export(eager))) as seekable,
    ):
        assert piped.testzip() is None
        assert piped.namelist() == seekable.namelist()
        for name in seekable.namelist():
            assert piped.read(name) == seekable.read(name)


def test_the_package_reaches_the_stream_while_groups_are_still_to_come(
    eager: ExportSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(qti, "CHUNK_ITEMS", 3)  # many chunks from a small export
    watch = Watch()
    sink = io.BytesIO()
    written_when_made: dict[str, int] = {}
    watch.on_make = lambda group: written_when_made.setdefault(group, sink.tell())
    qti.write(lazy(eager, watch), sink)
    last = watch.made[-1]
    assert 0 < written_when_made[last] < sink.tell()
