"""LMS exports: one registry of formats, each writing an :class:`ExportSet` to a binary stream.

``FORMATS`` is the only list of formats: the CLI's ``--format`` choices and help,
``export --check`` and the table in docs/lms.md are all built from it (a test holds
the docs to it). A format is a module here with

* ``write(data: ExportSet, stream: BinaryIO) -> None``: the export, written as it is
  made (variants are drawn group by group, so memory does not grow with their number);
* ``read_back(raw: bytes) -> Counter[str]``: question counts per type, read the way the
  format's consumer reads it (what ``--check`` prints);

and one :class:`Format` line below. Its test must read the output with a consumer
someone else wrote.
"""

from __future__ import annotations

import collections
import io
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

if TYPE_CHECKING:
    from .base import ExportReport, ExportSet, NothingToExportError, VariantGroup, build_export_set


@dataclass(frozen=True)
class Format:
    """One export format: its name, file suffix, module and a line for people."""

    name: str
    suffix: str
    module: str
    description: str

    def write(self, data: ExportSet, stream: BinaryIO) -> None:
        """Write the export to ``stream`` (imports only this format's module)."""
        import_module(f".{self.module}", __name__).write(data, stream)

    def read_back(self, raw: bytes) -> collections.Counter[str]:
        """Question counts per type, read from an export's bytes as the format's consumer reads it."""
        counts: collections.Counter[str] = import_module(f".{self.module}", __name__).read_back(raw)
        return counts


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format(
            "moodle", ".xml", "moodle", "Moodle XML: a category per topic and generator, calculated questions"
        ),
        Format("gift", ".gift", "gift", "GIFT text (Moodle's plain-text format)"),
        Format("qti", ".zip", "qti", "Canvas QTI 1.2 package: a question group per generator"),
        Format(
            "qti21",
            ".zip",
            "qti21",
            "IMS QTI 2.1 content package (Blackboard, Brightspace, OpenOLAT, Inspera, TAO, Canvas New Quizzes): "
            "an item per question and variant, a test that draws one variant per generator",
        ),
        Format("anki", ".apkg", "anki", "Anki deck package (.apkg): a deck per topic"),
        Format("json", ".json", "jsonbank", "quizgen's bank format as JSON (see `quizgen schema`)"),
        Format(
            "html",
            ".html",
            "page",
            "a self-contained practice page for any browser: the drill's grading and feedback, "
            "progress kept in the browser",
        ),
        Format(
            "scorm",
            ".zip",
            "scorm",
            "SCORM 1.2 package of the practice page: any LMS runs it and records the score in its gradebook",
        ),
    )
}


def export(fmt: str, data: ExportSet) -> bytes:
    """The whole export in memory (for small sets and tests; files are written with ``write_export``,
    which streams into an atomic file)."""
    buffer = io.BytesIO()
    FORMATS[fmt].write(data, buffer)
    return buffer.getvalue()


def write_export(fmt: str, data: ExportSet, path: Path) -> ExportReport:
    """Write ``data`` in format ``fmt`` (a key of ``FORMATS``) to ``path``, streamed into a temporary
    file beside it that replaces ``path`` only once complete (missing folders are created).

    Raises :class:`NothingToExportError` for an empty set, :class:`~quizgen.outputs.OutputError`
    when the file cannot be written (any previous file is then unchanged and no temporary is
    left), and :class:`~quizgen.generators.GeneratorError` when a template fails while its variants are drawn.
    """
    from ..outputs import OutputError, open_atomic
    from .base import ExportReport, NothingToExportError

    form = FORMATS[fmt]
    if data.empty:
        raise NothingToExportError("nothing to export: no bank question or generator of the chosen topics")
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(path, exc) from None
    with open_atomic(path) as stream:
        form.write(data, stream)
    return ExportReport(
        path=path,
        format=fmt,
        questions=len(data.questions),
        variants={g.id: g.count for g in data.groups},
        notes=tuple(data.notes),
    )


def counts(fmt: str, path: Path) -> dict[str, int]:
    """Question counts per type read back from a written export (what ``export --check`` prints)."""
    from .check import counts as read_counts

    return read_counts(FORMATS[fmt], path)


def formats_table() -> str:
    """The Markdown table of formats that docs/lms.md shows (a test keeps the two equal)."""
    lines = ["| format | file | what it is |", "|---|---|---|"]
    lines += [f"| `{f.name}` | `{f.suffix}` | {f.description} |" for f in FORMATS.values()]
    return "\n".join(lines)


_LAZY = (
    "ExportReport",
    "ExportSet",
    "NothingToExportError",
    "VariantGroup",
    "build_export_set",
    "write_export",
)


def __getattr__(name: str) -> Any:
    """``ExportSet``, ``build_export_set`` and the rest of :mod:`.base` on first use:
    the CLI reads the registry at start-up (for ``--format``'s choices) without loading the models
    and generators."""
    if name in _LAZY:
        from . import base

        return getattr(base, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "FORMATS",
    "ExportReport",
    "ExportSet",
    "Format",
    "NothingToExportError",
    "VariantGroup",
    "build_export_set",
    "counts",
    "export",
    "formats_table",
    "write_export",
]
