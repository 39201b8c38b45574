"""The Anki export, read back by Anki itself (the `anki` package from PyPI, headless).

The consumer is the official `anki` library: its importer, deck list and card
renderer. A golden file pins what each note holds; regenerate it with
`UPDATE_GOLDEN=1 pytest tests/test_export_anki.py` and read the diff.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from dataclasses import asdict
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from anki import import_export_pb2
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

from quizgen import load_banks
from quizgen.bank import QuestionBank
from quizgen.exporters import ExportSet, build_export_set
from quizgen.exporters.anki import _model, export, note_guid, notes, stable_id, write_collection
from quizgen.models import Question
from quizgen.richtext import clear_caches

from .conftest import WriteBank

GOLDEN = Path(__file__).parent / "golden" / "export-anki.json"
TOPICS = ["layer-size", "xavier-uniform"]
ALWAYS = import_export_pb2.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_ALWAYS
IF_NEWER = import_export_pb2.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER
HOSTILE = "<b>bold</b> & <script>alert(1)</script> { } = ~ # : [sound:x.mp3] {{Id}}"


@pytest.fixture(scope="module")
def bank() -> QuestionBank:
    return load_banks()


@pytest.fixture
def data(bank: QuestionBank) -> ExportSet:
    return build_export_set(bank, topics=TOPICS, variants=3, seed=1)


@pytest.fixture
def collection(tmp_path: Path) -> Iterator[Any]:
    """A fresh, empty Anki collection, closed afterwards."""
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        yield col
    finally:
        col.close()


def import_package(col: Any, package: bytes, path: Path, update: int = ALWAYS) -> Any:
    """Import .apkg bytes the way Anki's File > Import does; returns Anki's import log."""
    path.write_bytes(package)
    request = ImportAnkiPackageRequest(
        package_path=str(path),
        options=ImportAnkiPackageOptions(update_notes=update, update_notetypes=update),
    )
    return col.import_anki_package(request).log


def only(question: Question, bank: QuestionBank) -> ExportSet:
    """An export of one question."""
    return ExportSet(
        title="one question",
        questions=[question],
        groups=[],
        topics={question.topic: bank.topics[question.topic]},
        misconceptions=bank.misconceptions,
    )


def card_for(col: Any, question_id: str) -> Any:
    (card_id,) = col.find_cards(f'"Id:{question_id}"')
    return col.get_card(card_id)


class _Visible(HTMLParser):
    """The text a browser shows for some HTML, and the elements it would build."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.elements: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(tag)
        self._skip += tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def visible(markup: str) -> tuple[str, list[str]]:
    parser = _Visible()
    parser.feed(markup)
    parser.close()
    return "".join(parser.text), parser.elements


def shown(prompt: str) -> str:
    """The visible text of a prompt of plain text, `code` and $maths$ (maths left for MathJax as \\( \\))."""
    return re.sub(r"`([^`]+)`", r"\1", re.sub(r"\$([^$]+)\$", r"\\(\1\\)", prompt.strip()))


def test_anki_imports_every_question_into_its_topic_deck(
    data: ExportSet, collection: Any, tmp_path: Path
) -> None:
    log = import_package(collection, export(data), tmp_path / "quizgen.apkg")

    skills = len(data.questions) + len(data.groups)  # a note per bank question and per generator
    assert collection.note_count() == skills == len(log.new)
    assert collection.card_count() == skills
    names = {deck.name for deck in collection.decks.all_names_and_ids()}
    assert names - {"Default"} == {
        "quizgen",
        "quizgen::Layer sizes and fans",
        "quizgen::Xavier uniform range",
    }
    for topic, title in [("layer-size", "Layer sizes and fans"), ("xavier-uniform", "Xavier uniform range")]:
        in_deck = collection.find_cards(f'"deck:quizgen::{title}"')
        assert len(in_deck) == sum(q.topic == topic for q in data.questions) + sum(
            g.topic == topic for g in data.groups
        )

    question = next(q for q in data.questions if q.id == "size-01")
    card = card_for(collection, question.id)
    assert collection.decks.name(card.did) == "quizgen::Layer sizes and fans"
    front, _ = visible(card.question())
    assert shown(question.prompt) in front
    assert "$" not in front
    answer_text, _ = visible(card.answer())
    assert f"{question.answer}" in answer_text
    assert "Source: chapter example (calculation)" in answer_text
    assert set(collection.get_note(card.nid).tags) == {"layer-size", "integer", "chapter-example", "bank"}

    group = data.groups[0]
    card = card_for(collection, group.id)  # one card holds the generator's variants
    front = visible(card.render_output().question_text)[0]
    for variant in group.variants:
        assert shown(variant.prompt) in front
        assert set(collection.get_note(card.nid).tags) >= {variant.topic, variant.type, "generated"}
    assert group.id in collection.get_note(card.nid).tags
    assert collection.get_note(card.nid)["Count"] == str(group.count)


def test_choice_card_numbers_its_options_and_explains_wrong_ones(
    bank: QuestionBank, collection: Any, tmp_path: Path
) -> None:
    question = next(
        q
        for q in bank.questions
        if q.type == "choice" and any(o.misconception and o.feedback for o in q.options)
    )
    import_package(collection, export(only(question, bank)), tmp_path / "a.apkg")
    card = card_for(collection, question.id)
    front, _ = visible(card.question())
    marks = [chr(ord("①") + n) for n in range(len(question.options))]
    assert all(mark in front for mark in marks)
    back, _ = visible(card.answer())
    correct = f"{marks[question.answer - 1]} {question.options[question.answer - 1].text}"
    assert back.count(correct) == 1  # the option (the script marks it on the back)
    assert f"Answer: {question.options[question.answer - 1].text}" in back  # by text: options shuffle
    for number, option in enumerate(question.options, start=1):
        if number != question.answer and option.misconception:
            assert bank.misconceptions[option.misconception].title in back


def test_reimport_updates_notes_instead_of_adding_them(
    data: ExportSet, collection: Any, tmp_path: Path
) -> None:
    now = time.time()
    package = export(data, timestamp=now)
    import_package(collection, package, tmp_path / "first.apkg")
    count = collection.note_count()

    log = import_package(collection, package, tmp_path / "again.apkg")
    assert collection.note_count() == count
    assert not log.new and len(log.duplicate) == count

    changed = data.questions[0].model_copy(update={"prompt": "A changed prompt: what is 2 + 2?"})
    edited = ExportSet(
        title=data.title,
        questions=[changed, *data.questions[1:]],
        groups=data.groups,
        topics=data.topics,
        misconceptions=data.misconceptions,
    )
    # Anki takes a note with the same modification time as unchanged even under "always
    # update", and genanki stamps whole seconds: the edited export is a second later.
    log = import_package(collection, export(edited, timestamp=now + 1), tmp_path / "edited.apkg")
    assert collection.note_count() == count
    assert not log.new
    assert changed.id in {entry.fields[0] for entry in log.updated}
    assert "A changed prompt: what is 2 + 2?" in card_for(collection, changed.id).question()


def test_update_if_newer_follows_the_export_time(
    data: ExportSet, bank: QuestionBank, collection: Any, tmp_path: Path
) -> None:
    """Anki's default ("update if newer") compares the times genanki stamps: an older export changes nothing."""
    question = data.questions[0]
    now = time.time()
    import_package(collection, export(only(question, bank), timestamp=now), tmp_path / "a.apkg", IF_NEWER)
    changed = question.model_copy(update={"prompt": "Changed."})
    stale = import_package(
        collection, export(only(changed, bank), timestamp=now - 60), tmp_path / "b.apkg", IF_NEWER
    )
    assert not stale.updated
    assert "Changed." not in card_for(collection, question.id).question()
    fresh = import_package(
        collection, export(only(changed, bank), timestamp=now + 60), tmp_path / "c.apkg", IF_NEWER
    )
    assert len(fresh.updated) == 1
    assert "Changed." in card_for(collection, question.id).question()
    assert collection.note_count() == 1


def test_hostile_text_shows_as_text_never_markup(
    write_bank: WriteBank, collection: Any, tmp_path: Path
) -> None:
    path = write_bank(
        f"""
        questions:
          - id: hostile-01
            type: choice
            topic: xavier
            prompt: {json.dumps(HOSTILE)}
            options:
              - {json.dumps("<i>one</i> & {{c1::two}}")}
              - text: "plain"
                misconception: product-for-sum
                feedback: {json.dumps("<script>x()</script> [latex]x[/latex]")}
            answer: 1
            explanation: {json.dumps("Because <b>" + HOSTILE)}
        """
    )
    bank = load_banks([path])
    question = next(q for q in bank.questions if q.id == "hostile-01")
    (note,) = notes(only(question, bank))
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;" in note.fields[2]
    assert note.fields[2].count("<script") == 0

    import_package(collection, export(only(question, bank)), tmp_path / "h.apkg")
    card = card_for(collection, "hostile-01")
    output = card.render_output()
    assert not output.question_av_tags and not output.answer_av_tags
    front_text, front_elements = visible(_without_card_script(card.question()))
    assert HOSTILE in front_text
    assert "<i>one</i> & {{c1::two}}" in front_text
    back_text, back_elements = visible(_without_card_script(card.answer()))
    assert "Because <b>" + HOSTILE in back_text
    assert "<script>x()</script> [latex]x[/latex]" in back_text
    for elements in (front_elements, back_elements):
        assert not {"b", "i", "script", "img"} & set(elements)
    assert "&lt;script&gt;" in collection.get_note(card.nid)["Variants"]


def _without_card_script(rendered: str) -> str:
    """A rendered side less the template's own script (the one <script> a card may hold)."""
    assert rendered.count("<script>") == 1
    return re.sub(r"<script>.*?</script>", "", rendered, flags=re.S)


def golden_summary(data: ExportSet) -> dict[str, Any]:
    built = notes(data)
    return {
        "decks": sorted({n.deck_name for n in built}),
        "notes": [asdict(n) for n in built],
    }


def test_notes_match_the_golden_file(data: ExportSet) -> None:
    summary = json.loads(json.dumps(golden_summary(data)))  # tuples as lists, as read back
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert summary == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_notes_are_deterministic(bank: QuestionBank) -> None:
    first = notes(build_export_set(bank, topics=TOPICS, variants=3, seed=1))
    clear_caches()
    second = notes(build_export_set(load_banks(cache=False), topics=TOPICS, variants=3, seed=1))
    assert first == second
    assert len({n.guid for n in first}) == len(first)
    for note in first:
        assert (1 << 47) <= note.deck_id < (1 << 53)


def test_export_with_a_fixed_timestamp_is_byte_identical(data: ExportSet) -> None:
    assert export(data, timestamp=1_700_000_000) == export(data, timestamp=1_700_000_000)


def test_ids_are_hashes_of_stable_keys() -> None:
    import hashlib

    digest = hashlib.sha256(b"quizgen-deck:xavier").digest()
    assert stable_id("deck", "xavier") == (1 << 47) | int.from_bytes(digest[:6], "big")
    assert stable_id("deck", "xavier") != stable_id("deck", "he") != stable_id("model", "xavier")


# -- the same collection as genanki's own writer -------------------------------------


def _genanki_collection(all_notes: list[Any], timestamp: float) -> dict[str, list[tuple[Any, ...]]]:
    """What genanki writes for these notes when each goes through ``genanki.Note`` (the reference)."""
    import itertools
    import sqlite3
    import warnings

    import genanki

    model = _model()
    decks: dict[int, Any] = {}
    for note in all_notes:
        deck = decks.setdefault(note.deck_id, genanki.Deck(note.deck_id, note.deck_name))
        deck.add_note(
            genanki.Note(model=model, fields=list(note.fields), tags=list(note.tags), guid=note.guid)
        )
    connection = sqlite3.connect(":memory:")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # genanki warns of fields with HTML tags it cannot read
        genanki.Package(list(decks.values())).write_to_db(
            connection.cursor(), timestamp, itertools.count(int(timestamp * 1000))
        )
    return _tables(connection)


def _tables(connection: Any) -> dict[str, list[tuple[Any, ...]]]:
    names = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {name: connection.execute(f"SELECT * FROM {name} ORDER BY 1").fetchall() for name in names}


@pytest.mark.parametrize("variants", [0, 3])
def test_the_collection_is_row_for_row_what_genanki_writes(bank: QuestionBank, variants: int) -> None:
    import sqlite3

    data = build_export_set(bank, variants=variants, seed=2)
    all_notes = notes(data)
    assert len({n.deck_id for n in all_notes}) > 1
    timestamp = 1_700_000_000.25
    connection = sqlite3.connect(":memory:")
    write_collection(
        [all_notes[:7], [], all_notes[7:]], connection.cursor(), timestamp, int(timestamp * 1000)
    )
    ours = _tables(connection)
    assert ours == _genanki_collection(all_notes, timestamp)
    assert len(ours["notes"]) == len(ours["cards"]) == len(all_notes)


def test_note_guids_are_genankis() -> None:
    import genanki

    ids = [f"q-{n}" for n in range(3000)] + ["", "ü-ß", "layer-size@00000000000000000001", "x" * 300]
    assert [note_guid(i) for i in ids] == [genanki.guid_for("quizgen", i) for i in ids]
