"""Where the parts of a parsed bank file came from (filled by yamlsource, read by the loader)."""

from __future__ import annotations

from dataclasses import dataclass, field

Path_ = tuple[str | int, ...]


@dataclass
class Positions:
    """Line numbers (1-based) of the keys and items of a parsed document."""

    lines: dict[Path_, int] = field(default_factory=dict)
    duplicates: list[tuple[Path_, int, int]] = field(default_factory=list)
    """(path of the repeated key, its line, line of the first occurrence)."""
    bad_keys: list[tuple[Path_, int, str]] = field(default_factory=list)
    id_lines: dict[str, int] = field(default_factory=dict)
    """From the fast reader, which keeps no positions: the line of each `id:`."""
    """(path of the mapping, line, description) for keys that are not strings."""

    def line_of(self, path: Path_) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return None
