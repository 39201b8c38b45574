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
import json
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

from ..grading import normalise_text
from ..models import (
    ChoiceQuestion,
    IntegerQuestion,
    MultiQuestion,
    NumericQuestion,
    Option,
    Question,
    TextQuestion,
    TrueFalseQuestion,
)
from ..richtext import to_html
from ..textview import TYPE_LABELS, answer_text, circled
from .base import ExportSet

DECK_ROOT = "quizgen"
MODEL_NAME = "quizgen skill"
"""A new name for new fields and templates (the old "quizgen question" type stays as it was in
collections that have it): Anki would otherwise meet a conflicting note type."""
FIELDS = ("Id", "Topic", "Variants", "Count", "Source")

CARD_SCRIPT = r"""(function () {
  "use strict";
  // quizgen card: show one variant of the skill (a new one each review), shuffle its options when
  // their order does not matter, and grade a typed answer as quizgen does. The front keeps its
  // choices (variant, order, typed text) in sessionStorage, or a window property where there is
  // none, for the back to show the same variant; without them the back shows the first variant.
  var roots = document.querySelectorAll(".qz");
  var root = roots[roots.length - 1];
  if (!root || root.getAttribute("data-ready")) { return; }
  root.setAttribute("data-ready", "1");
  root.className += " qz-js";
  var side = root.getAttribute("data-side");
  var key = "quizgen:" + root.getAttribute("data-id");

  function load() {
    try {
      var saved = window.sessionStorage.getItem(key);
      if (saved) { return JSON.parse(saved); }
    } catch (e) { /* no storage: the window property below */ }
    return (window.quizgenCards || {})[key] || null;
  }
  function save(state) {
    try { window.sessionStorage.setItem(key, JSON.stringify(state)); } catch (e) { /* see load */ }
    window.quizgenCards = window.quizgenCards || {};
    window.quizgenCards[key] = state;
  }
  function circled(n) { return n >= 1 && n <= 20 ? String.fromCharCode(0x2460 + n - 1) : "(" + n + ")"; }
  function identity(n) { var out = []; for (var i = 0; i < n; i++) { out.push(i); } return out; }

  // quizgen's grading.normalise_text: case folded, '-' and '_' as spaces, spaces collapsed, final '.' dropped
  function normalise(text) {
    if (text.normalize) { text = text.normalize("NFC"); }
    text = text.toLowerCase().replace(/[-_]/g, " ").replace(/\s+/g, " ").replace(/^ | $/g, "");
    return text.replace(/[. ]+$/, "");
  }
  // A number as quizgen reads it: 0.35 .35 3.5e-1 -0.2 1/12 0,35 (a decimal comma); NaN otherwise
  function number(text, integer) {
    text = text.replace(/\u2212/g, "-").replace(/^\s+|\s+$/g, "");
    var slash = text.split("/");
    if (slash.length === 2 && !integer) {
      var top = number(slash[0], false), bottom = number(slash[1], false);
      return bottom === 0 ? NaN : top / bottom;
    }
    if (/^[+-]?[0-9]{1,3}(,[0-9]{3})+$/.test(text) || /^[+-]?[0-9]{1,3}(_[0-9]{3})+$/.test(text)) {
      if (!integer && /^[+-]?[1-9][0-9]{0,2},[0-9]{3}$/.test(text)) { return NaN; }  // 1,000: ambiguous
      text = text.replace(/[,_]/g, "");
    } else if ((text.match(/,/g) || []).length === 1 && text.indexOf(".") < 0) {
      text = text.replace(",", ".");
    }
    if (!/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(text)) { return NaN; }
    return parseFloat(text);
  }
  function grade(check, typed) {
    if (check.t === "text") {
      var said = normalise(typed);
      for (var i = 0; i < check.f.length; i++) { if (check.f[i] === said) { return true; } }
      return false;
    }
    var value = number(typed, check.t === "integer");
    if (isNaN(value) || !isFinite(value)) { return null; }
    if (check.t === "integer") { return value === check.v; }
    return check.lo <= value && value <= check.hi;
  }

  var variants = root.querySelectorAll(".qz-v");
  if (!variants.length) { return; }
  var state = side === "front" ? null : load();
  if (side === "front") {
    state = { v: Math.floor(Math.random() * variants.length), order: null, typed: null };
  } else if (!state || !(state.v < variants.length)) {
    state = { v: 0, order: null, typed: null };
  }
  var shown = variants[state.v];
  shown.className += " qz-shown";

  var list = shown.querySelector("ul.qz-options");
  if (list) {
    var items = [];
    for (var c = 0; c < list.children.length; c++) { items.push(list.children[c]); }
    if (side === "front") {
      var order = identity(items.length);
      if (list.getAttribute("data-shuffle") === "1") {
        for (var i = order.length - 1; i > 0; i--) {
          var j = Math.floor(Math.random() * (i + 1));
          var swap = order[i]; order[i] = order[j]; order[j] = swap;
        }
      }
      state.order = order;
    }
    var used = state.order && state.order.length === items.length ? state.order : identity(items.length);
    for (var p = 0; p < used.length; p++) {
      var item = items[used[p]];
      list.appendChild(item);
      var label = item.querySelector(".qz-n");
      if (label) { label.textContent = circled(p + 1); }
      if (side === "back" && item.getAttribute("data-right") === "1") { item.className += " qz-right"; }
    }
  }

  var input = shown.querySelector("input.qz-typed");
  if (side === "front") {
    save(state);
    if (input) {
      input.addEventListener("input", function () { state.typed = input.value; save(state); });
      input.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && typeof window.pycmd === "function") { window.pycmd("ans"); }
      });
    }
    return;
  }
  var verdict = shown.querySelector(".qz-verdict");
  if (verdict && input) {
    var typed = state.typed;
    if (typed === null || typed === undefined || !typed.replace(/\s+/g, "")) {
      verdict.textContent = "(nothing typed)";
      return;
    }
    var check = JSON.parse(shown.getAttribute("data-check"));
    var right = grade(check, typed);
    verdict.setAttribute("data-right", String(right));
    verdict.textContent = "You typed " + typed + ": " +
      (right === null ? "not a number quizgen reads" : right ? "right" : "not accepted");
  }
})();
"""
"""The card's JavaScript (front and back): picks a variant, shuffles options, grades a typed answer."""
_FRONT = (
    '<div class="qz" data-side="front" data-id="{{Id}}">{{Variants}}</div>\n<script>'
    + CARD_SCRIPT
    + "</script>"
)
_BACK = (
    '<div class="qz" data-side="back" data-id="{{Id}}">{{Variants}}</div>\n'
    '{{#Source}}<div class="source">{{Source}}</div>{{/Source}}\n<script>' + CARD_SCRIPT + "</script>"
)
_CSS = """.card { font-family: sans-serif; font-size: 18px; text-align: left; }
.kind, .source, .qz-why, .qz-count { opacity: 0.75; font-size: 85%; }
ul.options { list-style: none; padding-left: 0.5em; }
.qz-v { display: none; }
.qz:not(.qz-js) .qz-v:first-of-type, .qz-v.qz-shown { display: block; }
.qz[data-side="front"] .qz-a, .qz[data-side="front"] .qz-e, .qz[data-side="front"] .qz-why { display: none; }
.qz[data-side="back"] input.qz-typed { display: none; }
.qz[data-side="back"] .qz-a { border-top: 1px solid currentColor; padding-top: 0.5em; font-weight: bold; }
.qz[data-side="back"] li.qz-right { font-weight: bold; }
.qz[data-side="back"] li.qz-right::after { content: " \\2714"; }
input.qz-typed { font-size: 1em; width: 90%; color: inherit; background: transparent;
  border: 1px solid currentColor; padding: 0.2em; }
.qz-verdict { font-weight: normal; }
.misconception { font-style: italic; }
"""
"""No colour of its own: Anki's own (light, and in night mode dark) background and text show
through; secondary text is dimmed with opacity, which reads on either."""


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
_WORDS = re.compile(r"[^\w]+")


def _kind(question: Question) -> str:
    """The type's label under the prompt, unless the prompt already says it ("Select all that apply.")."""
    label = TYPE_LABELS[question.type]
    said = " ".join(_WORDS.sub(" ", question.prompt.casefold()).split())
    if " ".join(_WORDS.sub(" ", label.casefold()).split()) in said:
        return ""
    return f'<p class="kind">({html.escape(label, quote=False)})</p>'


def _check(question: Question) -> dict[str, Any]:
    """What the card's script needs to grade a typed answer as quizgen does (for a number, quizgen's
    accepted range with its slack for float rounding; for text, the accepted forms normalised)."""
    match question:
        case IntegerQuestion():
            return {"t": "integer", "v": question.answer}
        case NumericQuestion():
            low, high = question.bounds()
            slack = 1e-9 * max(1.0, abs(question.answer))  # as Tolerance.accepts
            return {"t": "numeric", "lo": low - slack, "hi": high + slack}
        case TextQuestion():
            return {"t": "text", "f": sorted({normalise_text(form) for form in question.accepted_forms()})}
        case ChoiceQuestion() | MultiQuestion() | TrueFalseQuestion():
            return {"t": question.type}
        case _:
            assert_never(question)


_RIGHT = ' data-right="1"'
_INPUT = (
    '<p><input class="qz-typed" type="text" autocomplete="off" autocapitalize="off" spellcheck="false" '
    'placeholder="Type your answer, then show the answer"></p>'
)


class _Fields:
    """Renders the variants of a skill (bank text by :func:`richtext.to_html`, which memoises it)."""

    def __init__(self, data: ExportSet) -> None:
        self.data = data
        self.misconception_titles: dict[str, str] = {}

    def variant(self, question: Question) -> str:
        """One variant: its prompt, options or answer box, answer, explanation, in a ``.qz-v`` section
        (the card shows one; the back shows its answer parts)."""
        check = html.escape(json.dumps(_check(question), separators=(",", ":")), quote=True)
        return (
            f'<section class="qz-v" data-check="{check}">'
            f'<div class="qz-q">{self.question(question)}</div>'
            f'<div class="qz-a">{self.answer(question)}</div>'
            f'<div class="qz-e">{_html(question.explanation)}</div>'
            "</section>"
        )

    def question(self, question: Question) -> str:
        prompt = _html(question.prompt) + _kind(question)
        match question:
            case ChoiceQuestion() | MultiQuestion():
                right = {question.answer} if isinstance(question, ChoiceQuestion) else set(question.answers)
                items = "".join(
                    [
                        f'<li data-n="{n}"{_RIGHT if n in right else ""}>'
                        f'<span class="qz-n">{_CIRCLED[n] if n < 21 else circled(n)}</span> {_inline_html(o.text)}'
                        f"{self.why(o, n in right)}</li>"
                        for n, o in enumerate(question.options, start=1)
                    ]
                )
                shuffle = "1" if question.shuffle else "0"
                return f'{prompt}<ul class="options qz-options" data-shuffle="{shuffle}">{items}</ul>'
            case TrueFalseQuestion():
                items = "".join(
                    f'<li data-n="{n}"{_RIGHT if value is question.answer else ""}>'
                    f'<span class="qz-n">{circled(n)}</span> {text}</li>'
                    for n, (text, value) in enumerate((("True", True), ("False", False)), start=1)
                )
                return f'{prompt}<ul class="options qz-options" data-shuffle="0">{items}</ul>'
            case IntegerQuestion() | NumericQuestion() | TextQuestion():
                return prompt + _INPUT
            case _:
                assert_never(question)

    @staticmethod
    def answer(question: Question) -> str:
        """The right answer in words (options by their text: their numbers change when shuffled)."""
        match question:
            case ChoiceQuestion():
                text = _inline_html(question.options[question.answer - 1].text)
            case MultiQuestion():
                text = "<br>".join(
                    _inline_html(question.options[n - 1].text) for n in sorted(question.answers)
                )
            case TrueFalseQuestion():
                text = "True" if question.answer else "False"
            case IntegerQuestion() | NumericQuestion() | TextQuestion():
                text = answer_text(question, _inline_html, separator="<br>")
                text += '<div class="qz-verdict"></div>'
            case _:
                assert_never(question)
        return f"Answer: {text}"

    def why(self, option: Option, right: bool) -> str:
        """Why a wrong option is wrong (its misconception and feedback), shown under it on the back."""
        if right or not (option.feedback or option.misconception):
            return ""
        text = ""
        if option.misconception:
            text += self._misconception(option.misconception)
            text += ": " if option.feedback else ""
        if option.feedback:
            text += _inline_html(option.feedback)
        return f'<div class="qz-why">{text}</div>'

    def _misconception(self, name: str) -> str:
        """The misconception's title as HTML (looked up once per export)."""
        title = self.misconception_titles.get(name)
        if title is None:
            known = self.data.misconceptions.get(name)
            escaped = html.escape(known.title if known else name, quote=False)
            title = self.misconception_titles[name] = f'<span class="misconception">{escaped}</span>'
        return title

    def note(
        self,
        key: str,
        topic_id: str,
        questions: Iterable[Question],
        decks: dict[str, tuple[str, str, int]],
        generator: str | None,
    ) -> AnkiNote:
        """One note: a bank question, or a generator's variants (the card shows one per review)."""
        deck = decks.get(topic_id)
        if deck is None:
            topic = self.data.topic(topic_id)
            title = topic.title if topic else topic_id
            escaped = html.escape(title, quote=False).replace("[", "&#91;")
            deck = decks[topic_id] = (escaped, deck_name(title), stable_id("deck", topic_id))
        topic_field, name, deck_id = deck
        blocks: list[str] = []
        kinds: list[str] = []
        own_tags: list[str] = []
        source = ""
        count = 0
        for question in questions:
            blocks.append(self.variant(question))
            kinds.append(question.type)
            own_tags.extend(question.tags)
            count += 1
            if count == 1:
                if question.source:
                    source = html.escape(f"Source: {question.source}", quote=False)
                elif generator:
                    source = html.escape(f"Generated by {generator}", quote=False)
        if generator:
            source += f'<div class="qz-count">One of {count} variants; a new one each review.</div>'
        # Anki reads [sound:...], [latex]...[/latex], [$]...[/$] and [anki:...] in a field as
        # media and LaTeX to compile; as &#91; the bracket is only text (MathJax sees "[")
        fields = [html.escape(key, quote=False), "".join(blocks), str(count), source]
        fields = [field.replace("[", "&#91;") if "[" in field else field for field in fields]
        fields.insert(1, topic_field)
        tags = _tags(topic_id, tuple(dict.fromkeys(kinds)), tuple(dict.fromkeys(own_tags)), generator)
        return AnkiNote(note_guid(key), name, deck_id, tuple(fields), tags)


@lru_cache(maxsize=1024)
def _tags(
    topic: str, kinds: tuple[str, ...], tags: tuple[str, ...], generator: str | None
) -> tuple[str, ...]:
    """Topic, the types, the questions' tags, "generated" (and the generator) or "bank"; Anki tags have
    no spaces."""
    candidates = [topic, *kinds, *tags, *(("generated", generator) if generator else ("bank",))]
    unique: dict[str, str] = {}  # Anki compares tags ignoring case; keep the first spelling
    for tag in candidates:
        unique.setdefault(tag.casefold(), "_".join(tag.split()))
    return tuple(unique.values())


def notes(data: ExportSet) -> list[AnkiNote]:
    """The notes of the export, bank questions first, then a note per generator (pure)."""
    return [note for batch in note_batches(data) for note in batch]


def note_batches(data: ExportSet) -> Iterator[list[AnkiNote]]:
    """:func:`notes` a batch at a time: the bank questions, then one note per generator, which holds
    the generator's variants (drawn one at a time as the note is made)."""
    render = _Fields(data)
    decks: dict[str, tuple[str, str, int]] = {}  # topic id -> (title field, deck name, deck id)
    yield [render.note(q.id, q.topic, [q], decks, None) for q in data.questions]
    for group in data.groups:
        if group.count:
            yield [render.note(group.id, group.topic, group, decks, group.id)]


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
        if "generated" in note_tags:  # a generator's note: its variants rotate on one card
            found["rotating (generator)"] += 1
        else:
            found[next((t for t in note_tags if t in kinds), "note")] += 1
    return found
