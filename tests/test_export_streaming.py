"""Exports as streams (issue 12): an ExportSet holds no variant, writers draw each group once and keep
nothing, memory stays flat in the number of variants, and files are written atomically as a stream."""

from __future__ import annotations

import errno
import gc
import io
import json
import os
import random
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from quizgen import load_banks
from quizgen.bank import QuestionBank
from quizgen.exporters import (
    FORMATS,
    ExportSet,
    NothingToExportError,
    VariantGroup,
    build_export_set,
    export,
    write_export,
)
from quizgen.gcpause import gc_paused
from quizgen.generators import Generator, GeneratorError
from quizgen.models import Question, Topic

from .conftest import WriteBank

MINE = ("moodle", "gift", "json", "html", "scorm", "qti21")
"""The formats whose writers this file holds to streaming (qti and anki have their own tests)."""


@pytest.fixture(scope="module")
def bank() -> QuestionBank:
    return load_banks()


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The ids of the variants built (every variant goes through Generator._question)."""
    made: list[str] = []
    original = Generator._question

    def spy(self: Generator, fields: dict[str, Any], seed: int, validate: bool | None = None) -> Question:
        question = original(self, fields, seed, validate)
        made.append(question.id)
        return question

    monkeypatch.setattr(Generator, "_question", spy)
    yield made


# -- the set ------------------------------------------------------------------------------------------


def test_building_the_set_builds_no_variant(bank: QuestionBank, built: list[str]) -> None:
    """Only a bank template whose space cannot be counted is drawn (to learn how many it has)."""
    data = build_export_set(bank, variants=5000, seed=1)
    uncounted = {
        g.id for g in data.groups if g.generator.space_size is None and g.generator.origin != "built in"
    }
    assert {variant.rsplit("-", 1)[0] for variant in built} <= uncounted
    for group in data.groups:
        space = group.generator.space_size
        assert group.count == (min(5000, space) if space is not None else 5000)
        assert group.asked == 5000 and len(group) == group.count
    capped = [g.id for g in data.groups if g.capped]
    assert "activation-choice" in capped
    space = bank.generators["activation-choice"].space_size
    assert f"activation-choice has only {space} distinct variants; all of them are exported" in data.notes
    assert len(data.notes) == len(capped)


def test_a_group_gives_the_same_variants_as_its_generator(bank: QuestionBank) -> None:
    data = build_export_set(bank, topics=["layer-size"], variants=7, seed=3, include_questions=False)
    for group in data.groups:
        expected = group.generator.variants(7, 3)
        assert group.variants == expected == list(group) == group.variants
    assert data.variant_count == 7 * len(data.groups)
    assert data.all_questions() == [q for g in data.groups for q in g.generator.variants(7, 3)]


def test_topics_are_those_chosen_and_a_variant_of_another_topic_is_still_named(bank: QuestionBank) -> None:
    """activation-choice (topic he) makes Xavier variants: the set is about he; xavier is found by `topic`."""
    data = build_export_set(bank, topics=["he"], variants=28, seed=1)
    assert list(data.topics) == ["he"]
    variant_topics = {q.topic for g in data.groups for q in g}
    assert "xavier" in variant_topics
    for topic in variant_topics:
        found = data.topic(topic)
        assert found is not None and found.id == topic


def test_every_writer_draws_each_group_once(bank: QuestionBank, built: list[str]) -> None:
    data = build_export_set(bank, topics=["layer-size", "he"], variants=6, seed=2)
    for fmt in FORMATS:
        built.clear()
        export(fmt, data)
        assert len(built) == len(set(built)) == data.variant_count, fmt


@pytest.mark.parametrize("fmt", MINE)
def test_no_writer_uses_all_questions(fmt: str, bank: QuestionBank, monkeypatch: pytest.MonkeyPatch) -> None:
    data = build_export_set(bank, variants=2, seed=4)

    def refuse(self: ExportSet) -> list[Question]:
        raise AssertionError("a writer built every question at once")

    monkeypatch.setattr(ExportSet, "all_questions", refuse)
    assert export(fmt, data)


class _Null(io.RawIOBase):
    """A stream that keeps nothing (so that only the writer's own memory is measured)."""

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        return len(data)


def _peak(fmt: str, data: ExportSet) -> int:
    stream = io.BufferedWriter(_Null(), buffer_size=1 << 16)
    tracemalloc.start()
    try:
        FORMATS[fmt].write(data, stream)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("fmt", MINE)
def test_memory_stays_flat_in_the_number_of_variants(fmt: str, bank: QuestionBank) -> None:
    """Ten times the variants, about the same peak: far less than holding the extra 1,800 questions
    (about 7 KB each; the calculated dataset keeps a few numbers per variant)."""
    small, large = (
        build_export_set(bank, topics=["layer-size"], variants=n, seed=5, include_questions=False)
        for n in (200, 2000)
    )
    assert large.variant_count == 10 * small.variant_count
    _peak(fmt, small)  # (caches warmed)
    grown = _peak(fmt, large) - _peak(fmt, small)
    limit = 3_000_000
    if fmt == "qti21":  # a file per item: the zip's index holds an entry per file until it closes
        # (zipfile's ZipInfo, ~0.3 KB), and the test and manifest need each item's id: under 1 KB an item,
        # against ~7 KB (MathML and all) were the items kept
        limit = 1_000 * (large.variant_count - small.variant_count)
    assert grown < limit, grown


@pytest.mark.parametrize("fmt", [f for f in MINE if f != "qti21"])
def test_a_paused_collector_does_not_make_memory_grow(fmt: str, bank: QuestionBank) -> None:
    """The CLI pauses the cyclic collector around an export: a writer must leave no reference cycle per
    question (json.dumps with an indent makes one per call), or memory grows with the questions.
    (qti21 keeps a zip index entry per item while it writes, live objects this count cannot tell from
    garbage: test_export_qti21 counts what the collector finds instead.)"""
    small, large = (
        build_export_set(bank, topics=["layer-size"], variants=n, seed=6, include_questions=False)
        for n in (100, 1000)
    )
    export(fmt, small)  # (caches warmed)
    left = []
    for data in (small, large):
        gc.collect()
        with gc_paused():
            before = len(gc.get_objects())
            export(fmt, data)
            left.append(len(gc.get_objects()) - before)
    assert left[1] - left[0] < 500, left


def test_a_template_that_makes_no_variant_is_left_out_with_a_note(write_bank: WriteBank) -> None:
    bank = load_banks([write_bank(SPARSE)])
    data = build_export_set(bank, topics=["sparse"], variants=3, seed=1)  # its first draws all miss
    assert [g.id for g in data.groups] == []
    assert [q.id for q in data.questions] == ["sparse-q"]
    (note,) = data.notes
    assert note.startswith("template 'tpl-sparse': none of 1,000 drawn parameter sets meets the constraints")
    assert note.endswith("; it is left out")
    with pytest.raises(GeneratorError, match="tpl-sparse"):  # nothing else to export: the reason is the error
        build_export_set(bank, topics=["sparse"], variants=3, seed=1, include_questions=False)


def test_a_template_that_fails_after_some_variants_exports_those(
    write_bank: WriteBank, built: list[str]
) -> None:
    bank = load_banks([write_bank(SPARSE)])
    data = build_export_set(bank, topics=["sparse"], variants=3, seed=0)  # two variants, then the draws miss
    (group,) = data.groups
    assert (group.count, group.asked) == (2, 3)
    (note,) = data.notes
    assert note.startswith("template 'tpl-sparse': none of 1,000 drawn parameter sets meets the constraints")
    assert note.endswith("; the 2 variants drawn before it are exported")
    built.clear()
    exported = json.loads(export("json", data))
    assert [q["id"] for q in exported["questions"]] == ["sparse-q", *built] and len(built) == 2


def test_a_template_of_unknown_space_with_fewer_variants_is_capped() -> None:
    def build(rng: random.Random) -> dict[str, Any]:
        a = rng.randrange(3)
        return {
            "type": "integer",
            "params": {"a": a},
            "prompt": f"What is {a} + 1? Give the exact integer.",
            "answer": a + 1,
            "explanation": f"It is {a + 1}.",
        }

    generator = Generator("tpl-few", "few", "Few", "Three variants", {"a": "0-2"}, build, origin="a bank")
    assert generator.space_size is None  # not counted: learnt by drawing
    topic = Topic(id="few", title="Few", description="A template with three variants.")
    data = build_export_set(
        QuestionBank(topics={"few": topic}, generators={"tpl-few": generator}), variants=12
    )
    (group,) = data.groups
    assert (group.count, group.asked, group.capped) == (3, 12, True)
    assert sorted((q.params or {})["a"] for q in group.variants) == [0, 1, 2]
    assert data.notes == ["tpl-few has only 3 distinct variants; all of them are exported"]


SPARSE = """
topics:
  - {id: sparse, title: Sparse, description: A template whose constraint is rarely met.}
questions:
  - {id: sparse-q, type: integer, topic: sparse, prompt: 'What is 4 + 6?', explanation: '4 + 6 = 10.', answer: 10}
templates:
  - id: tpl-sparse
    type: integer
    topic: sparse
    params:
      a: {min: 1, max: 100000}
    constraints: ['a % 1000 == 7']
    prompt: 'What is {a} + 1? Give the exact integer.'
    answer: a + 1
    explanation: 'It is {answer}.'
"""


# -- files -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_write_export_streams_the_format_into_the_file(fmt: str, bank: QuestionBank, tmp_path: Path) -> None:
    data = build_export_set(bank, topics=["layer-size"], variants=3, seed=1)
    path = tmp_path / "new" / f"quiz{FORMATS[fmt].suffix}"  # missing folders are made
    report = write_export(fmt, data, path)
    assert report.questions == len(data.questions)
    assert report.variants == {g.id: 3 for g in data.groups}
    assert report.summary() == (
        f"wrote {path}: {len(data.questions)} bank questions and {3 * len(data.groups)} variants "
        f"of {len(data.groups)} generators"
    )
    if fmt not in ("anki", "qti"):  # (their packages hold the time of export)
        assert path.read_bytes() == export(fmt, data)
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_write_export_refuses_an_empty_set(bank: QuestionBank, tmp_path: Path) -> None:
    data = build_export_set(bank, topics=["layer-size"], variants=0, include_questions=False)
    with pytest.raises(NothingToExportError):
        write_export("json", data, tmp_path / "x.json")
    assert list(tmp_path.iterdir()) == []


def test_a_failure_while_streaming_keeps_the_previous_file(
    bank: QuestionBank, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A generator that fails half-way (the file already partly written) leaves the old file, no temporary."""
    target = tmp_path / "quiz.xml"
    target.write_bytes(b"<quiz>the good one</quiz>\n")
    data = build_export_set(bank, topics=["layer-size"], variants=3000, seed=1)
    group = data.groups[-1]

    def failing() -> Iterator[Question]:
        yield from group.generator.iter_variants(2000, 1)
        raise GeneratorError("template 'x': made no usable question")

    broken = _Failing(group.generator, group.count, group.seed, group.asked)
    broken.failing = failing  # type: ignore[attr-defined]
    data.groups[-1] = broken
    with pytest.raises(GeneratorError, match="made no usable question"):
        write_export("moodle", data, target)
    assert target.read_bytes() == b"<quiz>the good one</quiz>\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["quiz.xml"]


class _Failing(VariantGroup):
    def __iter__(self) -> Iterator[Question]:
        return self.failing()  # type: ignore[attr-defined, no-any-return]


def test_open_atomic_replaces_whole_or_not_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from quizgen import outputs
    from quizgen.outputs import OutputError, open_atomic

    target = tmp_path / "big.bin"
    target.write_bytes(b"old")
    target.chmod(0o640)
    with open_atomic(target) as stream:
        for _ in range(5):
            stream.write(b"x" * 1_000_000)
        assert target.read_bytes() == b"old"  # nothing replaced before the end
    assert target.read_bytes() == b"x" * 5_000_000
    assert target.stat().st_mode & 0o777 == 0o640
    with pytest.raises(KeyError), open_atomic(target) as stream:  # the caller's own error passes unchanged
        stream.write(b"y" * 3_000_000)
        raise KeyError("stop")
    assert target.read_bytes() == b"x" * 5_000_000

    def disk_full(descriptor: int, data: bytes) -> None:
        os.write(descriptor, data[:1000])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(outputs, "_write_all", disk_full)
    with pytest.raises(OutputError) as failure, open_atomic(target) as stream:
        stream.write(b"z" * 3_000_000)
    message = str(failure.value)
    assert "\n" not in message and "No space left on device" in message and str(target) in message
    assert "(any previous file there is unchanged)" in message
    assert target.read_bytes() == b"x" * 5_000_000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.bin"]


def test_open_atomic_follows_links_writes_devices_and_refuses_folders(tmp_path: Path) -> None:
    from quizgen.outputs import OutputError, open_atomic

    target = tmp_path / "quiz.json"
    target.write_bytes(b"old")
    link = tmp_path / "latest.json"
    link.symlink_to(target.name)
    with open_atomic(link) as stream:
        stream.write(json.dumps({"new": True}).encode())
    assert link.is_symlink() and json.loads(target.read_bytes()) == {"new": True}
    with open_atomic(Path(os.devnull)) as stream:
        stream.write(b"written in place")
    with pytest.raises(OutputError, match="it is a folder"), open_atomic(tmp_path) as stream:
        stream.write(b"never")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["latest.json", "quiz.json"]
