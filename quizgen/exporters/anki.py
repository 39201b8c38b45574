"""Anki: an .apkg package (built with genanki), a deck per topic, a note per question.

Decks are named ``quizgen::<topic title>`` (Anki's ``::`` makes them subdecks of
one ``quizgen`` deck). Every bank question and every generated variant becomes one
note of a single note type; its fields are HTML with maths left as escaped
``\\( ... \\)`` for Anki's MathJax, so any ``<``, ``&`` or ``{{`` in a bank shows
as text, never as markup or a template tag; ``[`` is written ``&#91;`` so that Anki's
own bracket markup (``[sound:x.mp3]``, ``[latex]``) in a bank is text too.

Identities are stable, so importing a newer export updates notes instead of adding
copies: a note's GUID is ``genanki.guid_for("quizgen", question id)`` (a variant's
id is derived from its generator and seed), and deck and note-type ids are hashes
of the topic id and of the note type's name. Change ``MODEL_NAME`` when the fields
or templates change, so that Anki sees a new note type rather than a conflicting one.

:func:`notes` is the pure part (what each note holds, which the golden test pins);
:func:`write_collection` has genanki write the collection, note type and decks,
and adds the notes' rows itself, as genanki would write them but in one statement
per table. The current time is stamped into
the package (note and card ids, modification times: Anki's "update if newer"
import compares them), so two exports differ in bytes unless ``timestamp`` is given.
"""

from __future__ import annotations

import collections
import hashlib
import html
import io
import re
import shutil
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO, assert_never

import genanki  # type: ignore[import-untyped]

from ..models import (
    ChoiceQuestion,
    IntegerQuestion,
    MultiQuestion,
    NumericQuestion,
    Question,
    TextQuestion,
    TrueFalseQuestion,
)
from ..richtext import to_html
from ..textview import TYPE_LABELS, answer_text, circled
from .base import ExportSet

DECK_ROOT = "quizgen"
MODEL_NAME = "quizgen question"
FIELDS = ("Id", "Topic", "Question", "Answer", "Explanation", "Feedback", "Source")

_FRONT = '<div class="question">{{Question}}</div>'
_BACK = """{{FrontSide}}
<hr id="answer">
<div class="answer">{{Answer}}</div>
<div class="explanation">{{Explanation}}</div>
{{#Feedback}}<div class="feedback"><p>Why the other options are wrong:</p>{{Feedback}}</div>{{/Feedback}}
{{#Source}}<div class="source">{{Source}}</div>{{/Source}}"""
_CSS = """.card { font-family: sans-serif; font-size: 18px; text-align: left; color: black; background: white; }
.kind { color: #666; font-size: 80%; }
ul.options, .feedback ul { list-style: none; padding-left: 0.5em; }
.answer { font-weight: bold; margin-bottom: 0.5em; }
.feedback, .source { color: #444; font-size: 85%; }
.misconception { font-style: italic; }
"""


@dataclass(frozen=True)
class AnkiNote:
    """One note as it goes into the package: identity, deck, fields (in ``FIELDS`` order) and tags."""

    guid: str
    deck_name: str
    deck_id: int
    fields: tuple[str, ...]
    tags: tuple[str, ...]


def stable_id(kind: str, key: str) -> int:
    """A deck or note-type id from a hash of its key: the same on every run and machine.

    48 bits with the top bit set: above the millisecond timestamps Anki gives the
    ids it makes itself, and below 2**53, so JavaScript in Anki's screens reads it exactly.
    """
    digest = hashlib.sha256(f"quizgen-{kind}:{key}".encode()).digest()
    return (1 << 47) | int.from_bytes(digest[:6], "big")


_BASE91 = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~"
_BASE91_PAIRS = [high + low for high in _BASE91 for low in _BASE91]
"""Two base-91 digits at a time: half the divisions of a digit at a time."""


def note_guid(question_id: str) -> str:
    """``genanki.guid_for("quizgen", question_id)``, computed without its byte-by-byte loops.

    The first 8 bytes of SHA-256 of ``quizgen__<id>``, written in Anki's base 91
    without leading zeros (tests compare it with genanki's on thousands of ids).
    """
    number = int.from_bytes(hashlib.sha256(f"quizgen__{question_id}".encode()).digest()[:8], "big")
    chunks = []  # least significant first
    while number >= 91:  # a pair; its high digit is non-zero when it is the leading one
        number, pair = divmod(number, 91 * 91)
        chunks.append(_BASE91_PAIRS[pair])
    if number:
        chunks.append(_BASE91[number])
    return "".join(reversed(chunks))


def deck_name(title: str) -> str:
    """``quizgen::<title>``; a ``::`` inside the title would make a further subdeck, so it becomes ``:``."""
    return f"{DECK_ROOT}::{re.sub(r':{2,}', ':', title).strip()}"


def _html(text: str, inline: bool = False) -> str:
    return to_html(text.strip(), inline, "tex")


def _inline_html(text: str) -> str:
    return to_html(text.strip(), True, "tex")


_CIRCLED = tuple(circled(n) for n in range(21))
_TRUE_FALSE = f'<ul class="options"><li>{circled(1)} True</li><li>{circled(2)} False</li></ul>'
_KIND = {kind: f'<p class="kind">({label})</p>' for kind, label in TYPE_LABELS.items()}


class _Fields:
    """Renders a question's fields (bank text by :func:`richtext.to_html`, which memoises it)."""

    def __init__(self, data: ExportSet) -> None:
        self.data = data
        self.misconception_titles: dict[str, str] = {}

    def notes(
        self, questions: Iterable[Question], decks: dict[str, tuple[str, str, int]], generated: bool
    ) -> list[AnkiNote]:
        """The questions' notes; ``decks`` (topic id -> title field, deck name, deck id) fills as topics come."""
        question_field, answer_field, feedback_field, source_field = (
            self.question,
            self.answer,
            self.feedback,
            self.source,
        )
        result = []
        for question in questions:
            deck = decks.get(question.topic)
            if deck is None:
                topic = self.data.topic(question.topic)  # (a variant may name another topic of the bank)
                title = topic.title if topic else question.topic
                escaped = html.escape(title, quote=False).replace("[", "&#91;")
                deck = decks[question.topic] = (escaped, deck_name(title), stable_id("deck", question.topic))
            topic_field, name, deck_id = deck
            # Anki reads [sound:...], [latex]...[/latex], [$]...[/$] and [anki:...] in a field as
            # media and LaTeX to compile; as &#91; the bracket is only text (MathJax sees "[")
            fields = [
                html.escape(question.id, quote=False),
                question_field(question),
                answer_field(question),
                _html(question.explanation),
                feedback_field(question),
                source_field(question),
            ]
            fields = [field.replace("[", "&#91;") if "[" in field else field for field in fields]
            fields.insert(1, topic_field)
            generator = question.generator if generated else None
            tags = _tags(question.topic, question.type, question.tags, generator)
            result.append(AnkiNote(note_guid(question.id), name, deck_id, tuple(fields), tags))
        return result

    @staticmethod
    def question(question: Question) -> str:
        prompt = _html(question.prompt) + _KIND[question.type]
        match question:
            case ChoiceQuestion() | MultiQuestion():
                items = "".join(
                    [
                        f"<li>{_CIRCLED[n] if n < 21 else circled(n)} {_inline_html(o.text)}</li>"
                        for n, o in enumerate(question.options, start=1)
                    ]
                )
                return f'{prompt}<ul class="options">{items}</ul>'
            case TrueFalseQuestion():
                return prompt + _TRUE_FALSE
            case IntegerQuestion() | NumericQuestion() | TextQuestion():
                return prompt
            case _:
                assert_never(question)

    @staticmethod
    def answer(question: Question) -> str:
        return answer_text(question, _inline_html, separator="<br>")

    def feedback(self, question: Question) -> str:
        """Why each wrong option is wrong (its misconception and feedback), as a list; '' when none says."""
        match question:
            case ChoiceQuestion():
                correct = {question.answer}
            case MultiQuestion():
                correct = set(question.answers)
            case TrueFalseQuestion() | IntegerQuestion() | NumericQuestion() | TextQuestion():
                return ""
            case _:
                assert_never(question)
        items = []
        for number, option in enumerate(question.options, start=1):
            if number in correct or not (option.feedback or option.misconception):
                continue
            text = f"{_CIRCLED[number] if number < 21 else circled(number)} "
            if option.misconception:
                text += self._misconception(option.misconception)
                text += ": " if option.feedback else ""
            if option.feedback:
                text += _inline_html(option.feedback)
            items.append(f"<li>{text}</li>")
        return f"<ul>{''.join(items)}</ul>" if items else ""

    def _misconception(self, name: str) -> str:
        """The misconception's title as HTML (looked up once per export)."""
        title = self.misconception_titles.get(name)
        if title is None:
            known = self.data.misconceptions.get(name)
            escaped = html.escape(known.title if known else name, quote=False)
            title = self.misconception_titles[name] = f'<span class="misconception">{escaped}</span>'
        return title

    @staticmethod
    def source(question: Question) -> str:
        if question.source:
            return html.escape(f"Source: {question.source}", quote=False)
        if question.generator:
            return html.escape(f"Generated by {question.generator} (seed {question.seed})", quote=False)
        return ""


@lru_cache(maxsize=1024)
def _tags(topic: str, kind: str, tags: tuple[str, ...], generator: str | None) -> tuple[str, ...]:
    """Topic, type, the question's tags, "generated" (and the generator) or "bank"; Anki tags have no spaces."""
    candidates = [topic, kind, *tags, *(("generated", generator) if generator else ("bank",))]
    unique: dict[str, str] = {}  # Anki compares tags ignoring case; keep the first spelling
    for tag in candidates:
        unique.setdefault(tag.casefold(), "_".join(tag.split()))
    return tuple(unique.values())


def notes(data: ExportSet) -> list[AnkiNote]:
    """The notes of the export, bank questions first, then each generator's variants (pure)."""
    return [note for batch in note_batches(data) for note in batch]


def note_batches(data: ExportSet) -> Iterator[list[AnkiNote]]:
    """:func:`notes` a batch at a time: the bank questions, then one batch per generator.

    A group's variants are drawn one at a time as its notes are made (iterating a group keeps
    none of them): one group's notes in memory at a time.
    """
    render = _Fields(data)
    decks: dict[str, tuple[str, str, int]] = {}  # topic id -> (title field, deck name, deck id)
    yield render.notes(data.questions, decks, generated=False)
    for group in data.groups:
        yield render.notes(group, decks, generated=True)


def _model() -> Any:
    return genanki.Model(
        stable_id("model", MODEL_NAME),
        MODEL_NAME,
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": "Card", "qfmt": _FRONT, "afmt": _BACK}],
        css=_CSS,
    )


_STAGE = """CREATE TEMP TABLE staged (
    deck INTEGER NOT NULL, did INTEGER NOT NULL, guid TEXT NOT NULL, tags TEXT NOT NULL,
    flds TEXT NOT NULL, sfld TEXT NOT NULL)"""
_NUMBERED = (
    "FROM (SELECT *, :first + 2 * (row_number() OVER (ORDER BY deck, rowid) - 1) AS nid FROM temp.staged)"
)
# notes: id, guid, mid, mod, usn, tags, flds, sfld (the first field), csum, flags, data
_NOTES = (
    f"INSERT INTO notes SELECT nid, guid, :mid, :mod, -1, tags, flds, sfld, 0, 0, '' {_NUMBERED} ORDER BY nid"
)
# cards: id, nid, did, ord, mod, usn, type, queue, due, ivl, factor, reps, lapses, left, odue, odid, flags, data
_CARDS = f"INSERT INTO cards SELECT nid + 1, nid, did, 0, :mod, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '' {_NUMBERED} ORDER BY nid"


def write_collection(
    batches: Iterable[Iterable[AnkiNote]], cursor: Any, timestamp: float, first_id: int
) -> None:
    """The collection: the notes (batch by batch), then genanki writes its schema, the note
    type and a deck per topic.

    genanki's own ``Note.write_to_db`` costs two statements and a pass of checks per note;
    the rows here are the same, but the notes go into a temporary table as they come, and
    two statements copy them into ``notes`` and ``cards`` numbered as genanki numbers them
    (ids counted up from ``first_id`` in genanki's order: decks in order of first use, in
    each a note and then its card), so the result is row for row what genanki writes
    (tests/test_export_anki.py compares the two).
    """
    cursor.execute(_STAGE)
    decks: dict[int, tuple[int, str]] = {}  # deck id -> (order of first use, name)

    def rows(batch: Iterable[AnkiNote]) -> Iterator[tuple[int, int, str, str, str, str]]:
        for note in batch:
            deck = decks.get(note.deck_id)
            if deck is None:
                deck = decks[note.deck_id] = (len(decks), note.deck_name)
            fields = note.fields
            yield deck[0], note.deck_id, note.guid, f" {' '.join(note.tags)} ", "\x1f".join(fields), fields[0]

    insert = "INSERT INTO temp.staged VALUES(?,?,?,?,?,?)"
    for batch in batches:
        batch = list(batch)  # (twice, if need be; below)
        cursor.execute("SAVEPOINT batch")
        try:
            cursor.executemany(insert, rows(batch))
        except UnicodeEncodeError:  # a lone surrogate, which UTF-8 cannot hold: shown as U+FFFD instead
            cursor.execute("ROLLBACK TO batch")
            cursor.executemany(
                insert,
                (tuple(_encodable(v) if isinstance(v, str) else v for v in row) for row in rows(batch)),
            )
        cursor.execute("RELEASE batch")
        del batch
    model = _model()
    written = []
    for deck_id, (_, name) in decks.items():
        deck = genanki.Deck(deck_id, name)
        deck.add_model(model)
        written.append(deck)
    genanki.Package(written).write_to_db(cursor, timestamp, iter(()))  # (no notes: it takes no id)
    numbers = {"first": first_id, "mid": model.model_id, "mod": int(timestamp)}
    cursor.execute(_NOTES, numbers)
    cursor.execute(_CARDS, numbers)
    cursor.execute("DROP TABLE temp.staged")


def _encodable(text: str) -> str:
    return _SURROGATES.sub("\ufffd", text)


_SURROGATES = re.compile("[\ud800-\udfff]")

_ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)
"""The zip's own dates; the collection holds the real time."""


def write(data: ExportSet, stream: BinaryIO, *, timestamp: float | None = None) -> None:
    """The .apkg written to ``stream``. ``timestamp`` (seconds since the epoch) defaults to now.

    The collection is an SQLite file in a temporary folder (removed afterwards; genanki's
    own ``write_to_file`` leaves its temporary file behind), written group by group, so
    memory does not grow with the number of notes; then it is deflated into the zip.
    """
    when = time.time() if timestamp is None else timestamp
    with tempfile.TemporaryDirectory(prefix="quizgen-anki-") as folder:
        path = Path(folder) / "collection.anki2"
        connection = sqlite3.connect(path, isolation_level=None)
        try:
            # a scratch file, deleted on failure: no journal, no waiting for the disk
            connection.execute("PRAGMA journal_mode = OFF")
            connection.execute("PRAGMA synchronous = OFF")
            connection.execute(
                "BEGIN"
            )  # (genanki's executescript commits it, and the rest commits as it goes)
            write_collection(note_batches(data), connection.cursor(), when, int(when * 1000))
            if connection.in_transaction:
                connection.execute("COMMIT")
        finally:
            connection.close()
        # Level 1 deflate: a tenth of the size, at a third of level 6's time (genanki itself stores).
        with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            info = zipfile.ZipInfo("collection.anki2", _ZIP_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info._compresslevel = 1  # type: ignore[attr-defined, unused-ignore]  # what writestr(compresslevel=) sets
            info.file_size = path.stat().st_size  # (so that zipfile knows whether it needs zip64)
            with path.open("rb") as source, archive.open(info, "w") as target:
                shutil.copyfileobj(source, target, 1 << 20)
            archive.writestr(zipfile.ZipInfo("media", _ZIP_TIMESTAMP), "{}", zipfile.ZIP_DEFLATED, 1)


def export(data: ExportSet, *, timestamp: float | None = None) -> bytes:
    """The .apkg bytes (:func:`write` to a BytesIO; for small exports and tests)."""
    buffer = io.BytesIO()
    write(data, buffer, timestamp=timestamp)
    return buffer.getvalue()


# -- reading back (export --check) ----------------------------------------------------


def read_back(raw: bytes) -> collections.Counter[str]:
    """Question counts per type, read back as the format's consumer reads it (``export --check``)."""
    with tempfile.TemporaryDirectory() as folder, zipfile.ZipFile(io.BytesIO(raw)) as archive:
        name = next(n for n in ("collection.anki21", "collection.anki2") if n in archive.namelist())
        path = Path(folder) / name
        path.write_bytes(archive.read(name))
        with sqlite3.connect(path) as db:
            tags = [row[0].split() for row in db.execute("SELECT tags FROM notes")]
    found: collections.Counter[str] = collections.Counter()
    kinds = {"choice", "multi", "true_false", "integer", "numeric", "text"}
    for note_tags in tags:
        found[next((t for t in note_tags if t in kinds), "note")] += 1
    return found
