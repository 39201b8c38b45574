"""Read an export back (what `quizgen export --check` prints): question counts per type.

Each format's ``read_back`` parses the file the way its consumer would (XML, the zip,
Anki's SQLite, the bank loader) rather than trusting the writer's own bookkeeping;
this module turns what can go wrong into one message.
"""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from ..errors import QuizgenError

if TYPE_CHECKING:
    from . import Format


class ExportReadError(QuizgenError):
    """An export could not be read back as its format (``--check``)."""


def counts(fmt: Format, path: Path) -> dict[str, int]:
    """Question counts per type, read from the file; :class:`ExportReadError` when it cannot be read."""
    try:
        return dict(sorted(fmt.read_back(path.read_bytes()).items()))
    except OSError as exc:
        raise ExportReadError(f"{path}: cannot read the export back ({exc.strerror})") from None
    except (ET.ParseError, zipfile.BadZipFile, sqlite3.Error, ValueError, KeyError, StopIteration) as exc:
        raise ExportReadError(
            f"{path}: the {fmt.name} export cannot be read back ({exc}); please report this as a quizgen bug"
        ) from None
