"""LMS exports: each format is a pure function from an :class:`ExportSet` to bytes.

    moodle  Moodle XML (categories per topic and generator, calculated questions)   moodle.py
    gift    GIFT text                                                              gift.py
    qti     Canvas QTI 1.2 zip (manifest, assessment, meta)                        qti.py
    anki    Anki .apkg (genanki), a deck per topic                                 anki.py
    json    the bank format itself (what `quizgen schema` describes)              jsonbank.py

A new format: a module here with ``export(data: ExportSet) -> bytes`` and a line in
FORMATS; the CLI picks it up. Its test must read the output with a consumer
someone else wrote.
"""

from __future__ import annotations

from .base import ExportSet, VariantGroup, build_export_set

FORMATS: dict[str, tuple[str, str]] = {
    # name: (module, default file suffix)
    "moodle": ("moodle", ".xml"),
    "gift": ("gift", ".gift"),
    "qti": ("qti", ".zip"),
    "anki": ("anki", ".apkg"),
    "json": ("jsonbank", ".json"),
}


def export(fmt: str, data: ExportSet) -> bytes:
    """The export in one format (imports only that format's module)."""
    from importlib import import_module

    module = import_module(f".{FORMATS[fmt][0]}", __name__)
    result: bytes = module.export(data)
    return result


__all__ = ["FORMATS", "ExportSet", "VariantGroup", "build_export_set", "export"]
