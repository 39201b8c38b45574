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

This module is on the drill's start-up path: it imports only ``re`` (and click, os, sys and
shutil when a :class:`ConsoleTerminal` is made, which only the CLI's drill does).

:class:`ConsoleTerminal` is the drill's terminal: click's styling (off under ``NO_COLOR``
and when output is not a terminal), wrapping at word boundaries, and one key press read
without Enter after a verdict (to rate, undo or go on).
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

__all__ = ["ConsoleTerminal", "safe", "safe_json"]

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


class ConsoleTerminal:
    """The drill's terminal (see the module docstring); everything written passes through :func:`safe`."""

    STYLES: ClassVar[dict[str, dict[str, Any]]] = {
        "heading": {"fg": "cyan", "bold": True},
        "good": {"fg": "green", "bold": True},
        "bad": {"fg": "red"},
        "warning": {"fg": "yellow"},
        "hint": {"fg": "magenta"},
        "dim": {"dim": True},
        "prompt": {"bold": True},
    }

    def __init__(self) -> None:
        import os
        import shutil
        import sys

        self.color: bool | None = False if os.environ.get("NO_COLOR") else None
        self.styled = self.color is None and sys.stdout.isatty()
        self.width = min(shutil.get_terminal_size().columns, 100) if sys.stdout.isatty() else 0
        self.interactive = sys.stdin.isatty()

    def write(self, text: str = "", style: str | None = None) -> None:
        import click

        text = safe(text)  # before styling: the style's own escapes are the only ones written
        if self.width:  # wrap at word boundaries on a terminal; keep option indentation
            text = "\n".join(self._wrap(line) for line in text.split("\n"))
        if style and self.styled:
            text = click.style(text, **self.STYLES[style])
        click.echo(text, color=self.color)

    def _wrap(self, line: str) -> str:
        import textwrap

        indent = line[: len(line) - len(line.lstrip())]
        hanging = indent + "  " if line.lstrip()[:1] in "①②③④⑤⑥⑦⑧⑨⑩" and line.strip() else indent
        return textwrap.fill(line, self.width, subsequent_indent=hanging, break_on_hyphens=False) or line

    def _prompt(self, prompt: str) -> str:
        import click

        return click.style(prompt, **self.STYLES["prompt"]) if self.styled else prompt

    def read(self, prompt: str) -> str:
        return input(self._prompt(prompt))

    def read_key(self, prompt: str) -> str:
        """One key press, without Enter, on a terminal (a line when input is piped); Ctrl-C raises
        KeyboardInterrupt and Ctrl-D EOFError, as for a line.

        The terminal leaves line mode *before* the prompt is written and without discarding input
        (``TCSANOW``, where ``tty.setraw`` and ``click.getchar`` flush), so a key pressed as soon
        as the prompt appears is never lost.
        """
        import click

        if not self.interactive:
            return self.read(prompt)
        try:
            import sys
            import termios
        except ImportError:  # Windows: click reads one key there
            click.echo(self._prompt(prompt), nl=False, color=self.color)
            key = click.getchar()
            click.echo()
            return key
        import os

        fd = sys.stdin.fileno()
        saved = termios.tcgetattr(fd)
        keys = termios.tcgetattr(fd)
        keys[3] &= ~(termios.ICANON | termios.ECHO)  # signals stay on: Ctrl-C is still SIGINT
        keys[6][termios.VMIN] = 1
        keys[6][termios.VTIME] = 0
        termios.tcsetattr(fd, termios.TCSANOW, keys)
        try:
            click.echo(self._prompt(prompt), nl=False, color=self.color)
            data = os.read(fd, 32)
        finally:
            termios.tcsetattr(fd, termios.TCSANOW, saved)
        key = data.decode(sys.stdin.encoding or "utf-8", "replace")
        if not data or key.startswith("\x04"):  # Ctrl-D, as at the answer prompt (the drill ends the line)
            raise EOFError
        click.echo()
        return key
