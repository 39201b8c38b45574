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
import itertools
import re
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO

import genanki  # type: ignore[import-untyped]

from ..models import ChoiceQuestion, MultiQuestion, Question, TrueFalseQuestion
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

    @staticmethod
    def question(question: Question) -> str:
        prompt = _html(question.prompt) + _KIND[question.type]
        if isinstance(question, (ChoiceQuestion, MultiQuestion)):
            items = "".join(
                [
                    f"<li>{_CIRCLED[n] if n < 21 else circled(n)} {_inline_html(o.text)}</li>"
                    for n, o in enumerate(question.options, start=1)
                ]
            )
            return f'{prompt}<ul class="options">{items}</ul>'
        if isinstance(question, TrueFalseQuestion):
            return prompt + _TRUE_FALSE
        return prompt

    @staticmethod
    def answer(question: Question) -> str:
        return answer_text(question, _inline_html, separator="<br>")

    def feedback(self, question: Question) -> str:
        """Why each wrong option is wrong (its misconception and feedback), as a list; '' when none says."""
        if isinstance(question, ChoiceQuestion):
            correct = {question.answer}
        elif isinstance(question, MultiQuestion):
            correct = set(question.answers)
        else:
            return ""
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
    render = _Fields(data)
    question_field, answer_field, feedback_field, source_field = (
        render.question,
        render.answer,
        render.feedback,
        render.source,
    )
    decks: dict[str, tuple[str, str, int]] = {}  # topic id -> (title field, deck name, deck id)
    result = []
    for question, generated in [
        *((q, False) for q in data.questions),
        *((q, True) for g in data.groups for q in g.variants),
    ]:
        deck = decks.get(question.topic)
        if deck is None:
            topic = data.topics.get(question.topic)
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
        guid = note_guid(question.id)
        tags = _tags(question.topic, question.type, question.tags, question.generator if generated else None)
        result.append(AnkiNote(guid, name, deck_id, tuple(fields), tags))
    return result


def _model() -> Any:
    return genanki.Model(
        stable_id("model", MODEL_NAME),
        MODEL_NAME,
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": "Card", "qfmt": _FRONT, "afmt": _BACK}],
        css=_CSS,
    )


def write_collection(all_notes: list[AnkiNote], cursor: Any, timestamp: float, ids: Iterator[int]) -> None:
    """The collection: genanki writes its schema, the note type and a deck per topic; then the notes.

    genanki's own ``Note.write_to_db`` costs two statements and a pass of checks per
    note (a third of a 5,000-question export); the rows are the same, written with one
    ``executemany`` per table. They take their ids from ``ids`` in genanki's order
    (decks in order of first use; in each, a note and then its card), so the result
    is row for row what genanki writes (tests/test_export_anki.py compares the two).
    """
    model = _model()
    decks: dict[int, Any] = {}
    by_deck: dict[int, list[AnkiNote]] = {}
    for note in all_notes:
        if note.deck_id not in decks:
            decks[note.deck_id] = genanki.Deck(note.deck_id, note.deck_name)
            decks[note.deck_id].add_model(model)
            by_deck[note.deck_id] = []
        by_deck[note.deck_id].append(note)
    genanki.Package(list(decks.values())).write_to_db(cursor, timestamp, ids)
    modified = int(timestamp)
    note_rows, card_rows = [], []
    for deck_id, deck_notes in by_deck.items():
        for note in deck_notes:
            note_id, card_id = next(ids), next(ids)
            tags = f" {' '.join(note.tags)} "
            # id, guid, mid, mod, usn, tags, flds, sfld (the first field), csum, flags, data
            note_rows.append(
                (
                    note_id,
                    note.guid,
                    model.model_id,
                    modified,
                    -1,
                    tags,
                    "\x1f".join(note.fields),
                    note.fields[0],
                    0,
                    0,
                    "",
                )
            )
            # id, nid, did, ord, mod, usn, type, queue, due, ivl, factor, reps, lapses, left, odue, odid, flags, data
            card_rows.append(
                (card_id, note_id, deck_id, 0, modified, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "")
            )
    try:
        cursor.executemany("INSERT INTO notes VALUES(?,?,?,?,?,?,?,?,?,?,?)", note_rows)
    except UnicodeEncodeError:  # a lone surrogate, which UTF-8 cannot hold: shown as U+FFFD instead
        cursor.execute("DELETE FROM notes")
        encodable = [tuple(_encodable(v) if isinstance(v, str) else v for v in row) for row in note_rows]
        cursor.executemany("INSERT INTO notes VALUES(?,?,?,?,?,?,?,?,?,?,?)", encodable)
    cursor.executemany("INSERT INTO cards VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", card_rows)


def _encodable(text: str) -> str:
    return _SURROGATES.sub("\ufffd", text)


_SURROGATES = re.compile("[\ud800-\udfff]")


def export(data: ExportSet, *, timestamp: float | None = None) -> bytes:
    """The .apkg bytes. ``timestamp`` (seconds since the epoch) defaults to now.

    genanki's own ``write_to_file`` builds the collection in a temporary file it
    never deletes; the collection is built in memory instead and zipped the same way.
    """
    when = time.time() if timestamp is None else timestamp
    connection = sqlite3.connect(":memory:")
    try:
        write_collection(notes(data), connection.cursor(), when, itertools.count(int(when * 1000)))
        connection.commit()
        collection = connection.serialize()
    finally:
        connection.close()
    buffer = io.BytesIO()
    stamp = (1980, 1, 1, 0, 0, 0)  # the zip's own dates; the collection holds the real time
    # Level 1 deflate: a tenth of the size, at a third of level 6's time (genanki itself stores).
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr(zipfile.ZipInfo("collection.anki2", stamp), collection, zipfile.ZIP_DEFLATED, 1)
        archive.writestr(zipfile.ZipInfo("media", stamp), "{}", zipfile.ZIP_DEFLATED, 1)
    return buffer.getvalue()


def write(data: ExportSet, stream: BinaryIO) -> None:
    """The export written to ``stream``."""
    stream.write(export(data))


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
