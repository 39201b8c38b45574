"""JSON: the bank format itself, for any other system (`quizgen schema` describes it).

Bank questions and every generated variant become ordinary questions (variants
keep their generator, variant id, seed and params); topics and misconceptions
that are not built in are declared, so the file loads back with
`quizgen validate FILE.json` and `load_banks()`.
"""

from __future__ import annotations

import collections
import json
from typing import BinaryIO

from ..serialize import bank_data, to_json
from ..vocabulary import BUILTIN_MISCONCEPTIONS, BUILTIN_TOPICS
from .base import ExportSet, utf8


def export(data: ExportSet) -> bytes:
    builtin_topics = {t.id for t in BUILTIN_TOPICS}
    builtin_misconceptions = {m.id for m in BUILTIN_MISCONCEPTIONS}
    used_misconceptions = {
        named.misconception
        for q in data.all_questions()
        for named in (*getattr(q, "options", ()), *getattr(q, "mistakes", ()))
        if named.misconception
    }
    document = bank_data(
        data.all_questions(),
        title=data.title,
        topics=[t for t in data.topics.values() if t.id not in builtin_topics],
        misconceptions=[
            m
            for m in data.misconceptions.values()
            if m.id not in builtin_misconceptions and m.id in used_misconceptions
        ],
    )
    return utf8(to_json(document))


def write(data: ExportSet, stream: BinaryIO) -> None:
    """The export written to ``stream``."""
    stream.write(export(data))


# -- reading back (export --check) ----------------------------------------------------


def read_back(raw: bytes) -> collections.Counter[str]:
    """Question counts per type, read back as the format's consumer reads it (``export --check``)."""
    document = json.loads(raw)
    return collections.Counter(q["type"] for q in document.get("questions", []))
