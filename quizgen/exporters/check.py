"""Read an export back (what `quizgen export --check` prints): question counts per type.

Each reader parses the file the way its consumer would (XML, the zip, Anki's
SQLite, the bank loader) rather than trusting the writer's own bookkeeping.
"""

from __future__ import annotations

import collections
import io
import json
import re
import sqlite3
import tempfile
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

from ..errors import QuizgenError


class ExportReadError(QuizgenError):
    """An export could not be read back as its format (``--check``)."""


def counts(fmt: str, path: Path) -> dict[str, int]:
    """Question counts per type, read from the file; :class:`ExportReadError` when it cannot be read."""
    reader = {"moodle": _moodle, "gift": _gift, "qti": _qti, "anki": _anki, "json": _json}[fmt]
    try:
        return dict(sorted(reader(path.read_bytes()).items()))
    except OSError as exc:
        raise ExportReadError(f"{path}: cannot read the export back ({exc.strerror})") from None
    except (ET.ParseError, zipfile.BadZipFile, sqlite3.Error, ValueError, KeyError, StopIteration) as exc:
        raise ExportReadError(
            f"{path}: the {fmt} export cannot be read back ({exc}); please report this as a quizgen bug"
        ) from None


def _moodle(data: bytes) -> collections.Counter[str]:
    root = ET.fromstring(data)
    found: collections.Counter[str] = collections.Counter()
    for question in root.iter("question"):
        kind = question.get("type", "?")
        if kind == "multichoice":
            kind += " (single)" if question.findtext("single") == "true" else " (multiple)"
        if kind != "category":
            found[kind] += 1
    return found


_GIFT_QUESTION = re.compile(r"^::(?:[^:\\]|\\.)*::", re.MULTILINE)


def _gift(data: bytes) -> collections.Counter[str]:
    text = data.decode("utf-8")
    return collections.Counter({"questions": len(_GIFT_QUESTION.findall(text))})


def _qti(data: bytes) -> collections.Counter[str]:
    found: collections.Counter[str] = collections.Counter()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if not name.endswith(".xml") or name.endswith(("imsmanifest.xml", "assessment_meta.xml")):
                continue
            root = ET.fromstring(archive.read(name))
            for field in root.iter():
                if field.tag.endswith("qtimetadatafield"):
                    label = next((c.text for c in field if c.tag.endswith("fieldlabel")), None)
                    entry = next((c.text for c in field if c.tag.endswith("fieldentry")), None)
                    if label == "question_type" and entry:
                        found[entry] += 1
    return found


def _anki(data: bytes) -> collections.Counter[str]:
    with tempfile.TemporaryDirectory() as folder, zipfile.ZipFile(io.BytesIO(data)) as archive:
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


def _json(data: bytes) -> collections.Counter[str]:
    document = json.loads(data)
    return collections.Counter(q["type"] for q in document.get("questions", []))
