"""A cache of validated banks, so that `quizgen drill` starts without re-reading YAML.

The key is a SHA-256 of quizgen's and pydantic's versions, quizgen's own source
files (name, size, modification time: the vocabularies and checks are code), and
every bank file's path and exact contents, so any edit is a miss. The cache holds plain JSON (the
bank format itself, never pickled objects) and is validated again by the models
on the way in: a damaged or edited cache file can only cause a miss. It lives in
the user cache folder (`QUIZGEN_CACHE_DIR` overrides; `QUIZGEN_CACHE_DIR=off`
disables it); when it cannot be written, quizgen simply works without it.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .loader import QuestionBank

KEEP = 8
"""How many cached bank sets to keep (the least recently written go first)."""


def folder() -> Path | None:
    configured = os.environ.get("QUIZGEN_CACHE_DIR")
    if configured == "off":
        return None
    if configured:
        return Path(configured)
    import platformdirs

    return Path(platformdirs.user_cache_dir("quizgen", appauthor=False))


def key(labels: list[str], contents: list[bytes]) -> str:
    import pydantic

    from . import __version__

    digest = hashlib.sha256(f"quizgen {__version__} pydantic {pydantic.VERSION}".encode())
    digest.update(_code_stamp().encode())
    for label, content in zip(labels, contents, strict=True):
        digest.update(b"\0" + label.encode() + b"\0" + hashlib.sha256(content).digest())
    return digest.hexdigest()[:40]


def _code_stamp() -> str:
    """quizgen's own source files by name, size and modification time.

    The built-in vocabularies and the loader's checks are code: an edited or upgraded
    copy of quizgen must not be served a bank that an older one validated.
    """
    package = Path(__file__).parent
    stamps = []
    for path in sorted(package.rglob("*.py")):
        try:
            info = path.stat()
        except OSError:
            continue
        stamps.append(f"{path.relative_to(package)}:{info.st_size}:{info.st_mtime_ns}")
    return "\n".join(stamps)


def read(cache_key: str) -> QuestionBank | None:
    where = folder()
    if where is None:
        return None
    try:
        data = json.loads((where / f"banks-{cache_key}.json").read_text(encoding="utf-8"))
        return _revive(data) if data.get("key") == cache_key else None
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing, unreadable or not ours: load from the files


def write(cache_key: str, bank: QuestionBank) -> None:
    where = folder()
    if where is None:
        return
    data = {
        "key": cache_key,
        "questions": [q.model_dump(mode="json") for q in bank.questions],
        "templates": [t.model_dump(mode="json") for t in bank.templates],
        "topics": [t.model_dump(mode="json") for t in bank.topics.values()],
        "misconceptions": [m.model_dump(mode="json") for m in bank.misconceptions.values()],
        "locations": {k: [v.path, v.line] for k, v in bank.locations.items()},
        "files": bank.files,
    }
    try:
        where.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=where, prefix=".banks-", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out)
        os.replace(temporary, where / f"banks-{cache_key}.json")
        _prune(where)
    except OSError:
        return  # a read-only or full disk: no cache, nothing lost


def _prune(where: Path) -> None:
    entries = sorted(where.glob("banks-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in entries[KEEP:]:
        stale.unlink(missing_ok=True)


def _revive(data: dict[str, Any]) -> QuestionBank:
    from pydantic import ValidationError

    from .loader import Location, QuestionBank
    from .models import QUESTION_CLASSES, Misconception, Template, Topic

    try:
        return QuestionBank(
            questions=[QUESTION_CLASSES[q["type"]].model_validate(q) for q in data["questions"]],  # type: ignore[misc]
            templates=[Template.model_validate(t) for t in data["templates"]],
            topics={t["id"]: Topic.model_validate(t) for t in data["topics"]},
            misconceptions={m["id"]: Misconception.model_validate(m) for m in data["misconceptions"]},
            locations={k: Location(v[0], v[1]) for k, v in data["locations"].items()},
            files=list(data["files"]),
        )
    except ValidationError as exc:
        raise ValueError(str(exc)) from None
