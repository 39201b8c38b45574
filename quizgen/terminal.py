"""The one sanitiser for text that reaches a terminal.

Bank text, question ids, file names, answers typed earlier and error messages all
end up on someone's terminal, where a control character is an instruction, not a
character: ESC (``\\x1b``) and its 8-bit twin CSI (``\\x9b``) clear the screen or
recolour it, OSC (``\\x1b]`` or ``\\x9d``) sets the window title or writes to the
clipboard, a carriage return overwrites the line. Validation refuses control
characters in bank text, but ids, file names and messages are not bank text, so
everything quizgen prints for a person passes through :func:`safe` first (the CLI's
echo helpers, the drill's terminal and every error message), and :func:`safe_json`
for JSON output, which must stay valid JSON with the same values.

Every C0 control but tab and line feed, DEL and every C1 control become a visible
escape such as ``\\x1b`` or ``\\x9b``; a lone surrogate (a file name that is not
UTF-8, decoded by Python with ``surrogateescape``) becomes the byte it stands for,
``\\xff``, instead of a UnicodeEncodeError traceback. Everything else, Unicode
maths and box drawing included, is left as it is.

This module is on the drill's start-up path: it imports only ``re``.
"""

from __future__ import annotations

import re

__all__ = ["safe", "safe_json"]

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
"""C0 but tab and line feed, DEL, C1, and surrogates (which no terminal encoding can write)."""
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff]")
"""What ``json.dumps(..., ensure_ascii=False)`` leaves raw: DEL, C1, surrogates (and the two
line separators that break JavaScript readers). C0 controls it already escapes."""


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the undecodable byte itself
        return f"\\x{code - 0xDC00:02x}"
    if code > 0xFF:
        return f"\\u{code:04x}"
    return f"\\x{code:02x}"


def safe(text: str) -> str:
    """``text`` with every terminal control character written as a visible escape (see above)."""
    if _UNSAFE.search(text) is None:  # the common case: one scan, no copy
        return text
    return _UNSAFE.sub(_escape, text)


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def safe_json(text: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) with the characters it leaves raw
    escaped as ``\\uXXXX``: the same JSON value, and nothing a terminal acts on."""
    if _UNSAFE_IN_JSON.search(text) is None:
        return text
    return _UNSAFE_IN_JSON.sub(_json_escape, text)
