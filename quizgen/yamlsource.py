"""Safe YAML reading that remembers where every value came from.

PyYAML's safe composer builds a node tree with line numbers; this module walks
that tree itself so that it can

* record the line of every mapping key and sequence item (``Positions``), so a
  validation error can name the line of the offending field;
* reject duplicate keys (PyYAML silently keeps the last one);
* refuse alias bombs ("billion laughs") and recursive aliases before anything
  expands them;
* build only plain data (dicts, lists, scalars): no Python object tags, ever.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from .positions import Path_, Positions

_C_READER = hasattr(yaml, "CSafeLoader")
"""libyaml reads the text: its reader errors give offsets in UTF-8 bytes, not characters."""


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader (libyaml's when present) with YAML 1.2's core schema.

    PyYAML follows YAML 1.1, where `yes` and `off` are booleans, `017` is octal,
    `1:30` is 90 and `1e-3` is text. Bank files are read as YAML 1.2, like every
    other modern tool and like the fast parser below: true/false only, decimal
    integers (also 0o17 and 0x1F), and `1e-3` a number.
    """


_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag.rsplit(":", 1)[-1] not in ("bool", "int", "float", "timestamp")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
YAML12_INT = re.compile(r"^(?:[-+]?[0-9][0-9_]*|0o[0-7]+|0x[0-9a-fA-F]+)$")
YAML12_FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
"""The numbers bank files hold (YAML 1.2 core, with `_` separators); serialize.py quotes strings that match."""
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", YAML12_INT, list("-+0123456789"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:float", YAML12_FLOAT, list("-+0123456789."))


MAX_NUMBER_DIGITS = 1000
"""Longer integers are refused: Python will not even print one of more than 4300 digits."""


def _construct_int(loader: Any, node: Any) -> int:
    text = str(loader.construct_scalar(node)).replace("_", "")
    digits = len(text.lstrip("+-").removeprefix("0o").removeprefix("0x"))
    if digits > MAX_NUMBER_DIGITS:
        raise YamlProblem(
            f"this number has {digits:,} digits; the limit is {MAX_NUMBER_DIGITS:,} (quote it if it is text)",
            _line(node),
            int(node.start_mark.column) + 1,
        )
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)


_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)

_MARKERS = re.compile(r"^(?:---|\.\.\.|%)", re.MULTILINE)


_MARK_PATTERN = r"!|[*&](?=[A-Za-z0-9_-]+(?:[\s,\]}]|\Z))"
_MARK = re.compile(_MARK_PATTERN)
"""A tag, or an anchor or alias with its name: syntax only at a value's start (:func:`_at_value`)."""
_AT_VALUE = re.compile(rf"(?:(?:^|[\[{{,])[ \t]*|[:?-][ \t]+)(?:{_MARK_PATTERN})", re.MULTILINE)
"""The same marks, found only after what may start a value: a line's start, `[`, `{` or `,` (and
blanks), or `:`, `?` or `-` and at least one blank (`-` and `?` also need a blank or a line's start
before them, which :func:`_at_value` checks for the few matches)."""
MANY_MARKS = 1_000
"""Above this many `!`, `&` and `*`, one pass of _AT_VALUE beats a look at each of them."""


def _at_value(text: str, mark: int) -> bool:
    """Whether the mark at index ``mark`` starts a value: after a line's start, `[`, `{` or `,`
    (blanks between allowed), or after `:` and a blank, or after `-` or `?` that follow a
    blank or start a line, and a blank."""
    before = mark  # the start of the blanks in front of the mark
    while before > 0 and text[before - 1] in " \t":
        before -= 1
    previous = text[before - 1] if before > 0 else "\n"
    if previous in "\n[{,":
        return True
    return (
        previous in ":-?" and before < mark and (before < 2 or previous == ":" or text[before - 2] in " \t\n")
    )


def _needs_care(text: str) -> bool:
    """Tags, anchors, aliases, merge keys and document markers: for the careful reader only.

    A `!`, `*` or `&` counts where YAML reads it as syntax: at the start of a value
    (after `: `, `- `, `? `, `[`, `{`, `,` or at a line's start); in prose it is text.
    A bank has few of them, each looked at in turn; a file of thousands (10 MB of `&`)
    is searched in one pass of a regular expression instead, in a fraction of a
    second. tests/test_yaml_paths.py compares both ways with the plain definition.
    """
    if "<<" in text or _MARKERS.search(text):
        return True
    marks = text.count("!") + text.count("&") + text.count("*")
    if marks == 0:
        return False
    if marks <= MANY_MARKS:
        return any(_at_value(text, match.start()) for match in _MARK.finditer(text))
    return any(_at_value(text, match.end() - 1) for match in _AT_VALUE.finditer(text))


_DEEP_BLOCK = re.compile(r"^[ \t?:-]{100}", re.MULTILINE)
"""Very deep nesting: the careful reader refuses it with a message (MAX_DEPTH). A line whose content
starts 100 columns in, after spaces or `- `, `? `, `: ` indicators, may sit in a hundred nested blocks;
yaml-rs has no depth limit and overflows its stack (the process dies) at about 11,000 levels, which
`- - - ... x` on one line of 22 kB reaches. (yaml-rs limits flow nesting itself, to 255.)"""
_LONG_DIGITS = re.compile(rf"(?<![0-9A-Fa-f_])[0-9A-Fa-f_]{{{MAX_NUMBER_DIGITS}}}")
"""Huge numbers, decimal or hex: the careful reader refuses them with a message (MAX_NUMBER_DIGITS).
The look-behind tries each run of digits once: `[0-9_]{1000,}` takes seconds on a 10 MB file."""
_UNUSUAL_CHARACTER = re.compile(
    "[^\t\n\r -~\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
"""Characters YAML does not allow in a document (control characters, U+FFFE, U+FFFF), or that libyaml
reads as line breaks (U+0085, U+2028, U+2029), and a byte-order mark inside the text: yaml-rs reads
them otherwise, so the careful reader alone reads such a file, whether it has another problem or not."""
_TAB_INDENT = re.compile(r"^ *\t", re.MULTILINE)
"""A tab where YAML expects indentation: yaml-rs accepts it, libyaml refuses it (the careful reader)."""
_NOT_A_BLOCK_SCALAR = re.compile(
    r"(?:^|[\[{,]|[:?-][ \t])[ \t]*[|>](?![-+0-9]*[ \t]*(?:#.*)?$)", re.MULTILINE
)
"""A value that starts with `|` or `>` but is not a block scalar (`{a: |-p}`, `[>]`): yaml-rs reads it
as text, libyaml refuses it (the careful reader)."""


def fast_parse(text: str) -> Any:
    """Plain data from a plain YAML document with yaml-rs (Rust; ~10x faster), or None.

    None means: use :func:`parse` (a feature the fast path leaves to it, an error
    to locate, or yaml-rs not installed). The fast path never reports problems itself.
    """
    if _needs_care(text) or any(
        p.search(text)
        for p in (_DEEP_BLOCK, _LONG_DIGITS, _UNUSUAL_CHARACTER, _TAB_INDENT, _NOT_A_BLOCK_SCALAR)
    ):
        return None
    if not text.endswith("\n"):  # yaml-rs keeps a block scalar's last line break even at the end
        return None
    try:
        import yaml_rs
    except ImportError:
        return None
    try:
        return yaml_rs.loads(text, parse_datetime=False)
    except Exception:  # any failure: the careful parser finds and locates it
        return None


MERGE_TAG = "tag:yaml.org,2002:merge"
_PLAIN_TAGS = frozenset({"tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"})
MAX_EXPANDED_NODES = 2_000_000
"""Aliases may repeat a node, but the expanded document may not exceed this many nodes."""
MAX_DEPTH = 100
"""Deeper documents are refused (a bank needs about 7 levels); reading one recurses twice per level."""


class YamlProblem(Exception):
    """The text is not a usable YAML document; ``line``/``column`` are 1-based."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def decode(raw: bytes) -> str:
    """Decode a bank file's bytes as UTF-8 (a byte-order mark is dropped)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlProblem(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
            line,
            column,
        ) from None


def parse(text: str) -> tuple[Any, Positions]:
    """Parse one YAML document into plain data and the positions of its parts."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        positions = Positions()
        if node is None:
            return None, positions
        _check_size(node)
        data = _Builder(loader, positions).build(node, ())
        return data, positions
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow; it carries an offset
        line, column = _position(text, exc.position)
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise YamlProblem(
            f"invalid YAML: unacceptable character U+{code:04X}: {exc.reason}", line, column
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = str(exc.problem or exc.context)
        if exc.problem and exc.context:
            message += f" ({exc.context})"
        if mark is None:
            raise YamlProblem(f"invalid YAML: {message}") from None
        raise YamlProblem(f"invalid YAML: {message}", mark.line + 1, mark.column + 1) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"invalid YAML: {exc}") from None
    except RecursionError:
        raise YamlProblem("the document is nested too deeply to read") from None
    finally:
        loader.dispose()


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _position(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of a reader's offset: libyaml counts UTF-8 bytes, PyYAML characters."""
    before = (
        text.encode("utf-8", "surrogatepass")[:offset].decode("utf-8", "replace")
        if _C_READER
        else text[:offset]
    )
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def _check_size(root: yaml.Node) -> None:
    """Refuse recursive aliases and documents whose aliases expand beyond the limit."""
    sizes: dict[int, int] = {}
    active: set[int] = set()
    distinct = 0

    def size(node: yaml.Node) -> int:
        nonlocal distinct
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise YamlProblem("an alias refers to the mapping or list that contains it", _line(node))
        distinct += 1
        total = 1
        if isinstance(node, yaml.MappingNode):
            active.add(key)
            for k, v in node.value:
                total += size(k) + size(v)
            active.discard(key)
        elif isinstance(node, yaml.SequenceNode):
            active.add(key)
            for item in node.value:
                total += size(item)
            active.discard(key)
        sizes[key] = total
        return total

    stack_limit_guard = _iterative_depth(root)
    if stack_limit_guard > MAX_DEPTH:
        raise YamlProblem(
            f"the document nests {stack_limit_guard} levels deep; bank files need at most a few",
            _line(root),
        )
    total = size(root)
    if total > MAX_EXPANDED_NODES and total > 10 * distinct:
        raise YamlProblem(
            f"aliases expand this document to {total:,} values; "
            "remove the repeated aliases (is it an alias bomb?)",
            _line(root),
        )


def _iterative_depth(root: yaml.Node) -> int:
    """Nesting depth, computed without recursion (so deep documents cannot overflow)."""
    deepest = 0
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        deepest = max(deepest, depth)
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                stack.append((k, depth + 1))
                stack.append((v, depth + 1))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, depth + 1) for item in node.value)
    return deepest


class _Builder:
    def __init__(self, loader: yaml.SafeLoader, positions: Positions) -> None:
        self.loader = loader
        self.positions = positions
        self.built: dict[int, Any] = {}

    def build(self, node: yaml.Node, path: Path_) -> Any:
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if node.tag not in _PLAIN_TAGS:
            raise YamlProblem(
                f"unsupported tag {node.tag!r}; bank files hold plain data only",
                _line(node),
                int(node.start_mark.column) + 1,
            )
        key = id(node)
        if key in self.built:  # an alias: share the value, do not rebuild it
            return self.built[key]
        if isinstance(node, yaml.SequenceNode):
            items: list[Any] = []
            self.built[key] = items
            for index, item in enumerate(node.value):
                self.positions.lines.setdefault((*path, index), _line(item))
                items.append(self.build(item, (*path, index)))
            return items
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        raise YamlProblem(f"unsupported YAML node {type(node).__name__}", _line(node))

    def scalar(self, node: yaml.ScalarNode) -> Any:
        try:
            return self.loader.construct_object(node)
        except (yaml.YAMLError, YamlProblem):
            raise
        except Exception:  # PyYAML's constructors fail so on an explicit tag: `!!int abc`, `!!bool x`
            kind = str(node.tag).rsplit(":", 1)[-1]
            value = node.value if len(node.value) <= 40 else node.value[:37] + "..."
            raise YamlProblem(
                f"{value!r} is not a valid {kind}; remove the tag !!{kind} or correct the value",
                _line(node),
                int(node.start_mark.column) + 1,
            ) from None

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        self.built[id(node)] = result
        first_line: dict[Any, int] = {}
        merged: list[yaml.MappingNode] = []
        for key_node, value_node in node.value:
            if key_node.tag == MERGE_TAG:
                sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                for source in sources:
                    if not isinstance(source, yaml.MappingNode):
                        raise YamlProblem("'<<' (merge) needs a mapping or a list of mappings", _line(source))
                    merged.append(source)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.positions.bad_keys.append((path, _line(key_node), "a mapping or list used as a key"))
                continue
            key = self.scalar(key_node)
            if not isinstance(key, str):
                self.positions.bad_keys.append(
                    (path, _line(key_node), f"key {key_node.value!r} is not text; quote it")
                )
                continue
            line = _line(key_node)
            if key in first_line:
                self.positions.duplicates.append(((*path, key), line, first_line[key]))
                continue
            first_line[key] = line
            self.positions.lines[(*path, key)] = line
            result[key] = self.build(value_node, (*path, key))
        for source in merged:  # explicit keys win over merged ones, the first merge wins
            values = self.build(source, (*path, "<<"))
            key_lines = {k.value: _line(k) for k, _ in source.value if isinstance(k, yaml.ScalarNode)}
            for key, value in values.items():
                if key not in result:
                    self.positions.lines[(*path, key)] = key_lines.get(key, _line(source))
                    result[key] = value
        return result
