"""Safe YAML reading that remembers where every value came from.

Two readers, one YAML 1.2 core schema. The fast one (yaml-rs) reads clean, plain
documents; everything else, and every file with a problem to locate, goes to the
careful one, which reads the PyYAML parser's events itself, one at a time and
without recursion, so that it can

* record the line of every mapping key and sequence item (``Positions``), so a
  validation error can name the line of the offending field;
* reject duplicate keys (PyYAML silently keeps the last one);
* refuse deep nesting, alias bombs ("billion laughs": the characters aliases
  add are counted before anything is expanded) and recursive aliases;
* build only plain data (dicts, lists, scalars): no Python object tags, ever.

Whatever the fast reader accepts, the careful one reads the same (tests/test_yaml_paths.py
and tests/test_yaml_hardening.py check it with generated documents); the fast path
declines every text where yaml-rs would read otherwise.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml

from .positions import Path_, Positions

_C_READER = hasattr(yaml, "CSafeLoader")
"""libyaml reads the text: its reader errors give offsets in UTF-8 bytes, not characters."""


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe parser (libyaml's when present); its events are read by :class:`_Reader`.

    PyYAML follows YAML 1.1, where `yes` and `off` are booleans, `017` is octal,
    `1:30` is 90 and `1e-3` is text. Bank files are read as YAML 1.2 (core schema),
    like every other modern tool and like the fast parser below: :func:`core_scalar`
    gives plain scalars their meaning, and PyYAML's constructors serve only explicit
    tags (`!!str`, `!!int`, `!!binary`, ...).
    """


YAML12_INT = re.compile(r"^(?:[-+]?[0-9][0-9_]*|0o[0-7]+|0x[0-9a-fA-F]+)$")
YAML12_FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
"""The numbers bank files hold (YAML 1.2 core, with `_` separators); serialize.py quotes strings that match."""

MAX_NUMBER_DIGITS = 1000
"""Longer integers are refused: Python will not even print one of more than 4300 digits."""

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
_TAB_INDENT = re.compile(r"^[ ?:-]*\t", re.MULTILINE)
"""A tab where YAML expects indentation, or after a line's `- `, `? ` or `: ` (`- \t{a: 1}`): yaml-rs
accepts it, libyaml refuses it (the careful reader)."""
_NOT_A_BLOCK_SCALAR = re.compile(
    r"(?:^|[\[{,]|[:?-][ \t])[ \t]*[|>](?![-+0-9]*[ \t]*(?:#.*)?$)", re.MULTILINE
)
"""A value that starts with `|` or `>` but is not a block scalar (`{a: |-p}`, `[>]`): yaml-rs reads it
as text, libyaml refuses it (the careful reader)."""


_ADJACENT = re.compile(r":[!&*,\]}]")
"""A `:` right before a tag, anchor or alias, or before `,`, `]` or `}`; see :func:`_adjacent_value`."""
_ODD_NUMBER_HINTS = (
    re.compile(r"0[XOBbxo]"),
    re.compile(
        r"_(?:(?<![.0-9A-Za-z_]_)|(?<=\._)|(?<=\.[0-9]_)|(?<=\.[0-9][0-9]_)|(?<=[0-9._][eE]_)"
        r"|(?<=[0-9._][eE][-+]_)|(?<=[eE][0-9]_)|(?<=[eE][-+0-9][0-9]_)|(?<=[eE][-+][0-9][0-9]_)|(?<=[0-9]{3}_))"
    ),
    re.compile(r"\.[iInN]"),
)
"""Where a word that yaml-rs reads as a number and the core schema does not (or as another number) must
show itself; :func:`_odd_number` then looks at the whole word. Such a word has a `0b`, `0X`, `0O` (or a
signed `0x`, `0o`) prefix, a `_` where the core schema allows none (leading: `_1`, `-_1`, `_.5`; in
the fraction of a number without an integer part: `._5`, `.5_`; in the exponent: `1e_1`, `1e1_0`),
or `.inf`/`.nan` in another case (`.iNf`); a `_` after three digits may be in a long exponent or
fraction. One expression each, each starting with a character: ten times quicker than one with `|`,
and quick on the `true_false`, `n_in` and `1_000` of real banks."""
_RS_NUMBER = re.compile(
    r"[-+]?(?:0[xXoObB][0-9A-Fa-f_]+|[0-9_.]*[0-9][0-9_.]*(?:[eE][-+]?[0-9_]+)?|\.[iI][nN][fF]|\.[nN][aA][nN])"
)
"""A loose superset of the words yaml-rs reads as numbers: signs and `0b`, `0X` and `0O` prefixes, `_`
anywhere, any case of `.inf` and `.nan` (yaml-rs's scalar.rs)."""
_WORD = frozenset("+-._0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
"""The characters of such a word: a plain scalar that is a number has no other, and starts and ends
next to one that is not (a blank, an indicator, a line break, the text's ends)."""
_REST_OF_WORD = re.compile(r"[-+._0-9A-Za-z]*")
_LONGEST_NUMBER = 5 * MAX_NUMBER_DIGITS + 10
"""A longer word that yaml-rs reads as a number has a run of more than MAX_NUMBER_DIGITS digits."""


def _odd_number(text: str) -> bool:
    """Whether ``text`` has a word that yaml-rs would read as a number but the core schema does not (or
    not as the same number): then the careful reader reads the file, so that both readers agree.

    Each word is looked at once (linear in the text; a word too long to be a number that the
    other checks let through sends the text the careful way). In prose, a quoted string or a
    comment such a word only sends the file the careful way, which reads it right.
    """
    for hints in _ODD_NUMBER_HINTS:
        position = 0
        while (hint := hints.search(text, position)) is not None:
            start = hint.start()
            while start > 0 and text[start - 1] in _WORD:
                start -= 1
                if hint.start() - start > _LONGEST_NUMBER:
                    return True
            position = _REST_OF_WORD.match(text, hint.end()).end()  # type: ignore[union-attr]
            word = text[start:position]
            if len(word) > _LONGEST_NUMBER:
                return True
            if _RS_NUMBER.fullmatch(word) and not (YAML12_INT.match(word) or YAML12_FLOAT.match(word)):
                return True
    return False


def _adjacent_value(text: str) -> bool:
    """A tag, anchor or alias right after the `:` of a quoted or flow key (`{"a":*x}`, which YAML 1.2
    allows without a blank; `_needs_care` looks for a blank after `:`), or a `:` right before `,`, `]`
    or `}` (`{a:}`: yaml-rs reads an empty value there, libyaml refuses it). Either sends the text to
    the careful reader, which reads it as YAML does; found where a `:` is followed by one of them."""
    for match in _ADJACENT.finditer(text):
        if match.group()[1] in ",]}":
            return True
        before = match.start()
        while before > 0 and text[before - 1] in " \t":
            before -= 1
        if before > 0 and text[before - 1] in "]}\"'":
            return True
    return False


_NO_ALIASES: Any = None
"""yaml_rs.AliasLimits that refuse every alias (made on first use: yaml-rs is imported lazily)."""


def fast_parse(text: str) -> Any:
    """Plain data from a plain YAML document with yaml-rs (Rust; ~10x faster), or None.

    None means: use :func:`parse` (a feature the fast path leaves to it, an error
    to locate, or yaml-rs not installed). The fast path never reports problems itself.
    yaml-rs expands aliases by copying what they name, so it is given none: a text
    with an alias that the checks here did not see still goes the careful way,
    whose expansion limit (EXPANSION_CAP) then applies as to any other.
    """
    global _NO_ALIASES
    if _needs_care(text) or any(
        p.search(text)
        for p in (
            _DEEP_BLOCK,
            _LONG_DIGITS,
            _UNUSUAL_CHARACTER,
            _TAB_INDENT,
            _NOT_A_BLOCK_SCALAR,
        )
    ):
        return None
    if not text.endswith("\n"):  # yaml-rs keeps a block scalar's last line break even at the end
        return None
    if _adjacent_value(text) or _odd_number(text):
        return None
    try:
        import yaml_rs
    except ImportError:
        return None
    if _NO_ALIASES is None:
        _NO_ALIASES = yaml_rs.AliasLimits(max_total_replayed_events=0)
    try:
        return yaml_rs.loads(text, parse_datetime=False, alias_limits=_NO_ALIASES)
    except Exception:  # any failure: the careful parser finds and locates it
        return None


MERGE_TAG = "tag:yaml.org,2002:merge"
STR_TAG = "tag:yaml.org,2002:str"
_PLAIN_TAGS = frozenset({"tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"})
MAX_EXPANDED_NODES = 2_000_000
"""Aliases may repeat a node, but the expanded document may not exceed this many nodes."""
MAX_DEPTH = 100
"""Deeper documents are refused (a bank needs about 7 levels), aliases included: what the loader, the
models and the cache do with a document may recurse once or twice per level."""
_TOO_DEEP = f"the document nests more than {MAX_DEPTH} levels deep (aliases included); bank files need a few"
EXPANSION_FACTOR = 10
EXPANSION_ALLOWANCE = 8_000_000
EXPANSION_CAP = 64_000_000
"""What aliases may add to a document, in characters: at most EXPANSION_FACTOR times the file's own size
plus EXPANSION_ALLOWANCE (a long explanation shared by a few hundred questions), and never more than
EXPANSION_CAP. Counted before anything is expanded; a node counts one character besides its text."""


def expansion_limit(text: str) -> int:
    """How many characters aliases may add to the document ``text`` (see EXPANSION_CAP)."""
    return min(EXPANSION_FACTOR * len(text) + EXPANSION_ALLOWANCE, EXPANSION_CAP)


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
    """Parse one YAML document into plain data and the positions of its parts.

    The parser's events are turned into data here, one at a time and without recursion:
    PyYAML's own composer recurses once per level in C, and libyaml before 0.2.5's
    nesting limit (PyYAML 6.0 to 6.0.3) lets 50,000 nested `[` overflow its stack and
    kill the process. Here the depth is checked as each collection opens, and no
    Node tree (two Mark objects per value) is ever held, so the careful reader stays
    within a small factor of the fast one in time and memory.
    """
    try:
        loader = _Loader(text)  # PyYAML's own reader checks the characters here, libyaml's as it reads
        try:
            return _Reader(loader, expansion_limit(text)).read()
        finally:
            loader.dispose()
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow; it carries an offset
        line, column = _position(text, exc.position)
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise YamlProblem(
            f"invalid YAML: unacceptable character U+{code:04X}: {exc.reason}", line, column
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if mark is not None and "maximum nesting depth" in str(exc.problem):  # libyaml 0.2.5+ (PyYAML 6.0.4)
            raise YamlProblem(_TOO_DEEP, mark.line + 1, mark.column + 1) from None  # reads 1,000 levels
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


def _position(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of a reader's offset: libyaml counts UTF-8 bytes, PyYAML characters."""
    before = (
        text.encode("utf-8", "surrogatepass")[:offset].decode("utf-8", "replace")
        if _C_READER
        else text[:offset]
    )
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_NUMBER_START = frozenset("-+0123456789.")


def core_float(text: str) -> float:
    """A YAML12_FLOAT text's value (as PyYAML's float constructor reads it, without YAML 1.1's `1:30`)."""
    value = text.replace("_", "").lower()
    sign = -1.0 if value[0] == "-" else 1.0
    if value[0] in "+-":
        value = value[1:]
    if value == ".inf":
        return sign * math.inf
    if value == ".nan":
        return math.nan
    return sign * float(value)


def _core_int(text: str, line: int, column: int) -> int:
    """A YAML12_INT text's value; more than MAX_NUMBER_DIGITS digits are refused (Python would choke)."""
    text = text.replace("_", "")
    digits = len(text.lstrip("+-").removeprefix("0o").removeprefix("0x"))
    if digits > MAX_NUMBER_DIGITS:
        raise YamlProblem(
            f"this number has {digits:,} digits; the limit is {MAX_NUMBER_DIGITS:,} (quote it if it is text)",
            line,
            column,
        )
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)


def _construct_int(loader: Any, node: Any) -> int:
    """`!!int` on a scalar: the same reading as an untagged number."""
    return _core_int(str(loader.construct_scalar(node)), _line(node), int(node.start_mark.column) + 1)


_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)


def core_scalar(text: str, line: int = 0, column: int = 0) -> Any:
    """The value of a plain (unquoted, untagged) scalar in the YAML 1.2 core schema that both readers use:
    null (`~`, `null`, `Null`, `NULL`, nothing), true/false in three spellings, decimal integers (with
    `_` separators), `0o17` and `0x1F`, decimal floats and `.inf`/`.nan`; every other text is a string."""
    if not text:
        return None
    first = text[0]
    if first in _NUMBER_START:
        if YAML12_INT.match(text):
            return _core_int(text, line, column)
        if YAML12_FLOAT.match(text):
            return core_float(text)
        return text
    if first in "nN~":
        return None if text in _NULLS else text
    if first in "tTfF":
        return _BOOLS.get(text, text)
    return text


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


class _Anchor:
    """An anchored value: what an alias to it shares, and what it costs when expanded."""

    __slots__ = ("height", "key_lines", "line", "nodes", "open", "size", "text", "value")

    def __init__(self, line: int) -> None:
        self.value: Any = None
        self.text: str | None = None  # a scalar's text (an alias used as a key is named by it)
        self.size = 0
        self.nodes = 0
        self.height = 0
        self.key_lines: dict[Any, int] | None = None
        self.line = line
        self.open = True  # a collection still being read: an alias to it would contain itself


_KEY, _VALUE, _SKIP, _MERGE = range(4)
"""What a mapping expects next: a key, the value of a good key, the value of a bad key (read, then
dropped), or the mapping(s) of a merge key `<<`. A list under `<<` is a _MERGE list: mappings only."""


class _Frame:
    """A mapping or list being read."""

    __slots__ = (
        "anchor",
        "child_height",
        "container",
        "first_line",
        "is_map",
        "key",
        "line",
        "merged",
        "nodes",
        "path",
        "size",
        "state",
    )

    def __init__(self, container: Any, is_map: bool, path: Path_ | None, anchor: _Anchor | None, line: int):
        self.container = container
        self.is_map = is_map
        self.path = path  # None: positions are not recorded (a key, or the value of a dropped key)
        self.anchor = anchor
        self.line = line
        self.size = 1
        self.nodes = 1
        self.child_height = 0
        self.state = _KEY if is_map else _VALUE
        self.key: Any = None
        self.first_line: dict[Any, int] = {}
        self.merged: list[tuple[dict[Any, Any], dict[Any, int] | None, int]] = []


class _Reader:
    """Plain data and positions from a loader's events; the limits are checked as the events come."""

    def __init__(self, loader: Any, alias_limit: int) -> None:
        self.loader = loader
        self.positions = Positions()
        self.anchors: dict[str, _Anchor] = {}
        self.stack: list[_Frame] = []
        self.alias_limit = alias_limit
        self.repeated = 0  # characters that aliases add
        self.distinct = 0  # values written out in the text
        self.biggest_alias = (0, 0, 0)  # (nodes it repeats, line, column)
        self.root: Any = None
        self.root_nodes = 0

    def read(self) -> tuple[Any, Positions]:
        get = self.loader.get_event
        get()  # the stream's start
        event = get()
        if isinstance(event, yaml.StreamEndEvent):
            return None, self.positions
        first_document = event.start_mark
        stack = self.stack
        scalar_event, alias_event, sequence_start = yaml.ScalarEvent, yaml.AliasEvent, yaml.SequenceStartEvent
        mapping_start, collection_end = yaml.MappingStartEvent, yaml.CollectionEndEvent
        lines = self.positions.lines
        while True:
            event = get()
            kind = event.__class__
            if kind is scalar_event:
                # Most events: a plain or quoted scalar without anchor or tag, in a collection. Read
                # here, inline (a 27 MB bank has 2 million); everything else goes through _scalar.
                text = event.value
                if (
                    event.tag is not None
                    or event.anchor is not None
                    or not stack
                    or text == "<<"
                    or stack[-1].state == _MERGE
                    or len(stack) >= MAX_DEPTH
                ):
                    self._scalar(event)
                    if not stack:
                        break
                    continue
                frame = stack[-1]
                state = frame.state
                mark = event.start_mark
                if event.implicit[0]:
                    value = core_scalar(text, mark.line + 1, mark.column + 1) if text else None
                else:
                    value = text
                self.distinct += 1
                frame.size += len(text) + 1
                frame.nodes += 1
                if not frame.child_height:
                    frame.child_height = 1
                if not frame.is_map:
                    if frame.path is not None:
                        lines.setdefault((*frame.path, len(frame.container)), mark.line + 1)
                    frame.container.append(value)
                elif state == _VALUE:
                    frame.container[frame.key] = value
                    frame.state = _KEY
                elif state == _KEY:
                    self._key(frame, value, mark.line + 1, text, False)
                else:
                    frame.state = _KEY
                continue
            if kind is mapping_start or kind is sequence_start:
                self._start(event, kind is mapping_start)
            elif kind is alias_event or issubclass(kind, alias_event):
                self._alias(event)
            elif issubclass(kind, collection_end):
                self._end()
            if not stack:
                break
        get()  # the document's end
        event = get()
        if not isinstance(event, yaml.StreamEndEvent):
            raise yaml.composer.ComposerError(
                "expected a single document in the stream",
                first_document,
                "but found another document",
                event.start_mark,
            )
        if self.root_nodes > MAX_EXPANDED_NODES and self.root_nodes > 10 * self.distinct:
            _, line, column = self.biggest_alias
            raise YamlProblem(
                f"aliases expand this document to {self.root_nodes:,} values; "
                "remove the repeated aliases (is it an alias bomb?)",
                line or 1,
                column or None,
            )
        return self.root, self.positions

    # -- one event each --------------------------------------------------------------

    def _scalar(self, event: Any) -> None:
        mark = event.start_mark
        line, column = mark.line + 1, mark.column + 1
        if len(self.stack) >= MAX_DEPTH:
            self._too_deep(line, column)
        text = event.value
        tag = event.tag
        if tag is None or tag == "!":
            value = core_scalar(text, line, column) if event.implicit[0] else text
        elif tag == STR_TAG:
            value = text
        else:
            value = self._tagged(yaml.ScalarNode(tag, text, mark, event.end_mark, event.style))
        self.distinct += 1
        size = len(text) + 1
        if event.anchor is not None:
            anchor = self._anchor(event.anchor, line, column)
            anchor.value, anchor.text, anchor.size, anchor.nodes, anchor.height = value, text, size, 1, 1
            anchor.open = False
        self._add(
            value, line, size, 1, 1, None, text, tag == MERGE_TAG or (event.implicit[0] and text == "<<")
        )

    def _start(self, event: Any, is_map: bool) -> None:
        mark = event.start_mark
        line, column = mark.line + 1, mark.column + 1
        if len(self.stack) >= MAX_DEPTH:
            self._too_deep(line, column)
        tag = event.tag
        if tag is not None and tag != "!" and tag not in _PLAIN_TAGS:
            raise YamlProblem(f"unsupported tag {tag!r}; bank files hold plain data only", line, column)
        self.distinct += 1
        path = self._child_path()
        if path is not None:
            self._record(path, line)
        anchor = self._anchor(event.anchor, line, column) if event.anchor is not None else None
        frame = _Frame({} if is_map else [], is_map, path, anchor, line)
        parent = self.stack[-1] if self.stack else None
        if not is_map and parent is not None and parent.is_map and parent.state == _MERGE:
            frame.state = _MERGE  # `<<: [*a, *b]`: each item is merged into the parent
        if anchor is not None:
            anchor.value = frame.container
        self.stack.append(frame)

    def _end(self) -> None:
        frame = self.stack.pop()
        container = frame.container
        if frame.is_map and frame.merged:  # explicit keys win over merged ones, the first merge wins
            for values, key_lines, line in frame.merged:
                for key, value in values.items():
                    if key not in container:
                        if frame.path is not None:
                            self.positions.lines[(*frame.path, key)] = (key_lines or {}).get(key, line)
                        container[key] = value
        height = frame.child_height + 1
        key_lines = frame.first_line if frame.is_map else None
        anchor = frame.anchor
        if anchor is not None:
            anchor.size, anchor.nodes, anchor.height, anchor.key_lines = (
                frame.size,
                frame.nodes,
                height,
                key_lines,
            )
            anchor.open = False
        self._add(container, frame.line, frame.size, frame.nodes, height, key_lines, None, False)

    def _alias(self, event: Any) -> None:
        mark = event.start_mark
        line, column = mark.line + 1, mark.column + 1
        anchor = self.anchors.get(event.anchor)
        if anchor is None:
            raise YamlProblem(
                f"invalid YAML: found undefined alias *{event.anchor}; define it with &{event.anchor} first",
                line,
                column,
            )
        if anchor.open:
            raise YamlProblem("an alias refers to the mapping or list that contains it", anchor.line)
        if len(self.stack) + anchor.height > MAX_DEPTH:
            self._too_deep(line, column)
        self.repeated += anchor.size
        if self.repeated > self.alias_limit:
            raise YamlProblem(
                f"aliases expand this document by more than {self.alias_limit:,} characters (ten times the "
                f"file's size plus {EXPANSION_ALLOWANCE // 1_000_000} MB, at most "
                f"{EXPANSION_CAP // 1_000_000} MB): this alias repeats {anchor.size:,} more; write the text "
                "out or use fewer aliases (is it an alias bomb?)",
                line,
                column,
            )
        if anchor.nodes > self.biggest_alias[0]:
            self.biggest_alias = (anchor.nodes, line, column)
        self._add(
            anchor.value, line, anchor.size, anchor.nodes, anchor.height, anchor.key_lines, anchor.text, False
        )

    # -- helpers ---------------------------------------------------------------------

    def _too_deep(self, line: int, column: int) -> None:
        raise YamlProblem(_TOO_DEEP, line, column)

    def _anchor(self, name: str, line: int, column: int) -> _Anchor:
        earlier = self.anchors.get(name)
        if earlier is not None:
            raise YamlProblem(
                f"the anchor &{name} is defined twice (first on line {earlier.line}); give each its own name",
                line,
                column,
            )
        anchor = self.anchors[name] = _Anchor(line)
        return anchor

    def _child_path(self) -> Path_ | None:
        """Where the value that starts now sits, or None when its positions are not kept."""
        if not self.stack:
            return ()
        frame = self.stack[-1]
        if frame.path is None:
            return None
        if not frame.is_map:
            return frame.path if frame.state == _MERGE else (*frame.path, len(frame.container))
        if frame.state == _VALUE:
            return (*frame.path, frame.key)
        if frame.state == _MERGE:
            return (*frame.path, "<<")
        return None  # a key, or the value of a dropped key

    def _record(self, path: Path_, line: int) -> None:
        if path and isinstance(path[-1], int):  # a list item (a key's line is recorded with the key)
            self.positions.lines.setdefault(path, line)

    def _tagged(self, node: yaml.ScalarNode) -> Any:
        """A scalar with an explicit tag, through PyYAML's safe constructors (`!!binary`, `!!int x`)."""
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

    def _add(
        self,
        value: Any,
        line: int,
        size: int,
        nodes: int,
        height: int,
        key_lines: dict[Any, int] | None,
        text: str | None,
        merge_key: bool,
    ) -> None:
        """Put a finished value into the mapping or list being read (or make it the document)."""
        stack = self.stack
        if not stack:
            self.root, self.root_nodes = value, nodes
            return
        frame = stack[-1]
        frame.size += size
        frame.nodes += nodes
        if height > frame.child_height:
            frame.child_height = height
        if not frame.is_map:
            if frame.state == _MERGE:
                if not isinstance(value, dict):
                    raise YamlProblem("'<<' (merge) needs a mapping or a list of mappings", line)
                stack[-2].merged.append((value, key_lines, line))
                return
            if frame.path is not None:
                self.positions.lines.setdefault((*frame.path, len(frame.container)), line)
            frame.container.append(value)
            return
        state = frame.state
        if state == _KEY:
            self._key(frame, value, line, text, merge_key)
        elif state == _VALUE:
            frame.container[frame.key] = value
            frame.state = _KEY
        elif state == _MERGE:
            if isinstance(value, list):  # an alias to a list of mappings (a list written here was merged)
                for item in value:
                    if not isinstance(item, dict):
                        raise YamlProblem("'<<' (merge) needs a mapping or a list of mappings", line)
                    frame.merged.append((item, None, line))
            elif isinstance(value, dict):
                frame.merged.append((value, key_lines, line))
            else:
                raise YamlProblem("'<<' (merge) needs a mapping or a list of mappings", line)
            frame.state = _KEY
        else:
            frame.state = _KEY

    def _key(self, frame: _Frame, key: Any, line: int, text: str | None, merge_key: bool) -> None:
        path = frame.path
        if merge_key:
            frame.state = _MERGE
            return
        frame.state = _SKIP
        if text is None:
            if path is not None:
                self.positions.bad_keys.append((path, line, "a mapping or list used as a key"))
            return
        if not isinstance(key, str):
            if path is not None:
                self.positions.bad_keys.append((path, line, f"key {text!r} is not text; quote it"))
            return
        first = frame.first_line.get(key)
        if first is not None:
            if path is not None:
                self.positions.duplicates.append(((*path, key), line, first))
            return
        frame.first_line[key] = line
        if path is not None:
            self.positions.lines[(*path, key)] = line
        frame.key = key
        frame.state = _VALUE
