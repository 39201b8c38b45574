"""JSON: the bank format itself, for any other system (`quizgen schema` describes it).

Bank questions and every generated variant become ordinary questions (variants
keep their generator, variant id, seed and params); topics and misconceptions
that are not built in are declared, so the file loads back with
`quizgen validate FILE.json` and `load_banks()`.

The document is written as it is made, question by question, in the layout of
``json.dumps(..., indent=2)``: ``title``, then ``questions``, then the ``topics`` and
``misconceptions`` the written questions name (known only once they are written; a bank
file's keys may come in any order).
"""

from __future__ import annotations

import collections
import io
import json
from typing import BinaryIO

from ..models import Misconception, Question, Topic
from ..serialize import bank_data
from ..vocabulary import BUILTIN_MISCONCEPTIONS, BUILTIN_TOPICS
from .base import ExportSet, utf8

_encode = json.JSONEncoder(ensure_ascii=False).encode
"""One JSON value on one line (json's C encoder where it can)."""


def _dumps(value: object, level: int) -> str:
    """``value`` as ``json.dumps(value, ensure_ascii=False, indent=2)`` writes it, ``level`` levels deep.

    (Not json.dumps itself: with an indent it builds nested closures, a reference cycle per call
    that only the cyclic collector frees; a caller that paused it would hold every question's.)
    """
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = "\n" + "  " * (level + 1)
        items = ",".join(
            f"{inner}{_encode(str(key))}: {_dumps(item, level + 1)}" for key, item in value.items()
        )
        return "{" + items + "\n" + "  " * level + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        inner = "\n" + "  " * (level + 1)
        items = ",".join(inner + _dumps(item, level + 1) for item in value)
        return "[" + items + "\n" + "  " * level + "]"
    return _encode(value)


def write(data: ExportSet, stream: BinaryIO) -> None:
    """The export written into ``stream``; each group's variants are drawn as they are written."""
    put = stream.write
    put(utf8(f'{{\n  {json.dumps("title")}: {_dumps(data.title, 1)},\n  "questions": ['))
    topics: set[str] = set()
    misconceptions: set[str] = set()
    first = True

    def question(q: Question) -> None:
        nonlocal first
        topics.add(q.topic)
        for named in (*getattr(q, "options", ()), *getattr(q, "mistakes", ())):
            if named.misconception:
                misconceptions.add(named.misconception)
        (record,) = bank_data((q,))["questions"]
        put(utf8(("\n    " if first else ",\n    ") + _dumps(record, 2)))
        first = False

    for q in data.questions:
        question(q)
    for group in data.groups:
        for q in group:
            question(q)
    put(b"]" if first else b"\n  ]")
    declared = _declarations(data, topics, misconceptions)
    for key, values in declared.items():
        put(utf8(f",\n  {json.dumps(key)}: {_dumps(values, 1)}"))
    put(b"\n}\n")


def _declarations(data: ExportSet, topics: set[str], misconceptions: set[str]) -> dict[str, list[object]]:
    """The topics and misconceptions the questions name that are not built in (what the loader needs)."""
    builtin_topics = {t.id for t in BUILTIN_TOPICS}
    builtin_misconceptions = {m.id for m in BUILTIN_MISCONCEPTIONS}
    known: dict[str, Topic] = {**data.known_topics, **data.topics}
    order = [*data.topics, *(k for k in data.known_topics if k not in data.topics)]
    declared_topics = [
        known[k].model_dump(mode="json") for k in order if k in topics and k not in builtin_topics
    ]
    named: list[Misconception] = [
        m
        for m in data.misconceptions.values()
        if m.id in misconceptions and m.id not in builtin_misconceptions
    ]
    declared: dict[str, list[object]] = {}
    if declared_topics:
        declared["topics"] = list(declared_topics)
    if named:
        declared["misconceptions"] = [m.model_dump(mode="json") for m in named]
    return declared


def export(data: ExportSet) -> bytes:
    """The whole export in memory (small sets and tests)."""
    buffer = io.BytesIO()
    write(data, buffer)
    return buffer.getvalue()


# -- reading back (export --check) ----------------------------------------------------


def read_back(raw: bytes) -> collections.Counter[str]:
    """Question counts per type, read back as the format's consumer reads it (``export --check``)."""
    document = json.loads(raw)
    return collections.Counter(q["type"] for q in document.get("questions", []))
