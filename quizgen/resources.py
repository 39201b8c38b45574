"""Files that ship inside the package (bank files, templates), read with importlib.resources."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

BANK_SUFFIXES = (".yaml", ".yml")


def bundled_bank_files() -> list[Traversable]:
    """The bank files shipped with quizgen, in a stable (sorted) order."""
    folder = files("quizgen") / "banks"
    return sorted(
        (entry for entry in folder.iterdir() if entry.is_file() and entry.name.endswith(BANK_SUFFIXES)),
        key=lambda entry: entry.name,
    )


def templates_folder() -> Traversable:
    """The folder of jinja2 templates shipped with quizgen."""
    return files("quizgen") / "templates"
