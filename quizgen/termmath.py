"""Question text for a terminal: Markdown with inline LaTeX maths, as readable Unicode.

``render`` turns what the banks write, for example ``$\\sqrt{\\frac{6}{n_{in} + n_{out}}}$``,
into ``√(6/(n_in + n_out))``: the ``$`` (and ``$$``) delimiters go, commands become their
symbols, fractions are written with ``/`` (parenthesising a compound numerator or
denominator), single-character sub- and superscripts use Unicode where it has them
(``x₁``, ``L²``, ``rᴸ``) and word subscripts keep the chapter's ``n_in`` form. Outside
maths only Markdown is touched: emphasis markers (``**bold**``, ``*italic*``) and code
backticks are stripped, and backslash escapes (``\\$``) give the literal character.

A dollar opens maths only when a non-space follows it and closes it only when a non-space
precedes it and no digit follows (Pandoc's rule), so ``$5 or $10`` stays as written.
Nothing raises: unbalanced dollars, braces or commands render best-effort, in time linear
in the input, and nesting is handled with an explicit stack rather than recursion.

This module is on the start-up path of ``quizgen drill``: it imports only ``re`` and
compiles its few patterns once, at import.
"""

from __future__ import annotations

import re

__all__ = ["render"]

# --- Tables -------------------------------------------------------------------------------

_GREEK = {
    "alpha": "α",
    "beta": "β",
    "gamma": "γ",
    "delta": "δ",
    "epsilon": "ε",
    "varepsilon": "ε",
    "zeta": "ζ",
    "eta": "η",
    "theta": "θ",
    "vartheta": "ϑ",
    "iota": "ι",
    "kappa": "κ",
    "lambda": "λ",
    "mu": "μ",
    "nu": "ν",
    "xi": "ξ",
    "omicron": "ο",
    "pi": "π",
    "varpi": "ϖ",
    "rho": "ρ",
    "varrho": "ϱ",
    "sigma": "σ",
    "varsigma": "ς",
    "tau": "τ",
    "upsilon": "υ",
    "phi": "φ",
    "varphi": "φ",
    "chi": "χ",
    "psi": "ψ",
    "omega": "ω",
    "Gamma": "Γ",
    "Delta": "Δ",
    "Theta": "Θ",
    "Lambda": "Λ",
    "Xi": "Ξ",
    "Pi": "Π",
    "Sigma": "Σ",
    "Upsilon": "Υ",
    "Phi": "Φ",
    "Psi": "Ψ",
    "Omega": "Ω",
}

# Commands without arguments: a symbol (or spacing) each.
_SYMBOLS = {
    **_GREEK,
    "cdot": "·",
    "cdotp": "·",
    "times": "×",
    "div": "÷",
    "ast": "∗",
    "star": "⋆",
    "circ": "∘",
    "bullet": "•",
    "pm": "±",
    "mp": "∓",
    "approx": "≈",
    "sim": "~",
    "simeq": "≃",
    "cong": "≅",
    "equiv": "≡",
    "propto": "∝",
    "le": "≤",
    "leq": "≤",
    "ge": "≥",
    "geq": "≥",
    "ne": "≠",
    "neq": "≠",
    "ll": "≪",
    "gg": "≫",
    "to": "→",
    "rightarrow": "→",
    "longrightarrow": "→",
    "leftarrow": "←",
    "gets": "←",
    "leftrightarrow": "↔",
    "Rightarrow": "⇒",
    "implies": "⇒",
    "Leftarrow": "⇐",
    "Leftrightarrow": "⇔",
    "iff": "⇔",
    "mapsto": "↦",
    "uparrow": "↑",
    "downarrow": "↓",
    "infty": "∞",
    "partial": "∂",
    "nabla": "∇",
    "sum": "∑",
    "prod": "∏",
    "int": "∫",
    "in": "∈",
    "notin": "∉",
    "subset": "⊂",
    "subseteq": "⊆",
    "supset": "⊃",
    "supseteq": "⊇",
    "cup": "∪",
    "cap": "∩",
    "setminus": "∖",
    "emptyset": "∅",
    "varnothing": "∅",
    "forall": "∀",
    "exists": "∃",
    "neg": "¬",
    "lnot": "¬",
    "land": "∧",
    "wedge": "∧",
    "lor": "∨",
    "vee": "∨",
    "top": "⊤",
    "perp": "⊥",
    "prime": "′",
    "degree": "°",
    "ldots": "…",
    "dots": "…",
    "dotsc": "…",
    "dotsb": "⋯",
    "cdots": "⋯",
    "vdots": "⋮",
    "ddots": "⋱",
    "langle": "⟨",
    "rangle": "⟩",
    "lfloor": "⌊",
    "rfloor": "⌋",
    "lceil": "⌈",
    "rceil": "⌉",
    "lbrace": "{",
    "rbrace": "}",
    "lbrack": "[",
    "rbrack": "]",
    "vert": "|",
    "lvert": "|",
    "rvert": "|",
    "mid": "|",
    "Vert": "‖",
    "lVert": "‖",
    "rVert": "‖",
    "backslash": "\\",
    "ell": "ℓ",
    "hbar": "ℏ",
    "colon": ":",
    "quad": " ",
    "qquad": "  ",
    "enspace": " ",
    "thinspace": " ",
    "medspace": " ",
    "thickspace": " ",
    "negthinspace": "",
    "displaystyle": "",
    "textstyle": "",
    "scriptstyle": "",
    "limits": "",
    "nolimits": "",
}

# A backslash and one non-letter.
_CONTROL_SYMBOLS = {
    ",": " ",
    ";": " ",
    ":": " ",
    ">": " ",
    " ": " ",
    "\t": " ",
    "\n": " ",
    "!": "",
    "/": "",
    "\\": "\n",
    "|": "‖",
}

# Commands that take arguments: name -> number of (mandatory) arguments.
_TEXT_LIKE = frozenset(
    [
        "mathrm",
        "text",
        "textrm",
        "textnormal",
        "textup",
        "mathit",
        "textit",
        "mathbf",
        "textbf",
        "boldsymbol",
        "bm",
        "mathsf",
        "textsf",
        "mathtt",
        "texttt",
        "mathcal",
        "mathscr",
        "mathfrak",
        "emph",
        "mbox",
        "hbox",
        "underline",
        "mathnormal",
        "operatorname",
        "operatorname*",
        "mathbb",
    ]
)
_DELIMITER_SIZES = frozenset(
    [
        "left",
        "right",
        "middle",
        "big",
        "Big",
        "bigg",
        "Bigg",
        "bigl",
        "bigr",
        "Bigl",
        "Bigr",
        "biggl",
        "biggr",
        "Biggl",
        "Biggr",
    ]
)
_ACCENTS = {
    "hat": "\u0302",
    "widehat": "\u0302",
    "bar": "\u0304",
    "overline": "\u0305",
    "tilde": "\u0303",
    "widetilde": "\u0303",
    "vec": "\u20d7",
    "dot": "\u0307",
    "ddot": "\u0308",
}
_ARITY = {
    "frac": 2,
    "dfrac": 2,
    "tfrac": 2,
    "cfrac": 2,
    "binom": 2,
    "dbinom": 2,
    "tbinom": 2,
    "overset": 2,
    "underset": 2,
    "stackrel": 2,
    "textcolor": 2,
    "color": 1,
    "sqrt": 1,
    "begin": 1,
    "end": 1,
    "^": 1,
    "_": 1,
    **dict.fromkeys(_TEXT_LIKE, 1),
    **dict.fromkeys(_DELIMITER_SIZES, 1),
    **dict.fromkeys(_ACCENTS, 1),
}

_DOUBLE_STRUCK = str.maketrans(
    {"N": "ℕ", "Z": "ℤ", "Q": "ℚ", "R": "ℝ", "C": "ℂ", "E": "𝔼", "P": "ℙ", "1": "𝟙"}
)

_SUPERSCRIPT_FROM = "0123456789+-−=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVWαβγδεθφχ′'⊤∘"
_SUPERSCRIPTS = str.maketrans(
    _SUPERSCRIPT_FROM, "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵅᵝᵞᵟᵋᶿᵠᵡ′′ᵀ°"
)
_SUBSCRIPT_FROM = "0123456789+-−=()aehijklmnoprstuvxβγρφχ"
_SUBSCRIPTS = str.maketrans(_SUBSCRIPT_FROM, "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ")
_SUPERSCRIPTABLE = frozenset(_SUPERSCRIPT_FROM)
_SUBSCRIPTABLE = frozenset(_SUBSCRIPT_FROM)

_ROOTS = {"": "√", "2": "√", "3": "∛", "4": "∜"}

# --- Patterns (compiled once) --------------------------------------------------------------

# Characters that can start Markdown or maths: text without any of them is returned as is.
_SPECIAL = re.compile(r"[\\`$*_]")
# One token of maths: a control word or symbol (or a lone trailing backslash), a run of
# whitespace, or any other single character. No nested quantifiers: linear time.
_MATH_TOKEN = re.compile(r"\\(?:operatorname\*|[A-Za-z]+|.)?|\s+|.", re.DOTALL)
_BACKTICKS = re.compile(r"`+")
_TWO_LETTERS = re.compile(r"[^\W\d_]{2}")
# Word characters of an operand (letters, digits, _, . and primes, once ′ is written ').
# Non-ASCII characters in a class would double the cost of compiling it.
_ATOM_HEAD = re.compile(r"[\w.']*")
_NUMBER_TIMES_LETTER = re.compile(r"[0-9][^\W\d_]")
_BRACKET = re.compile(r"[()\[\]]")
_MAX_ATOM = 80

_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_DIGITS = frozenset("0123456789")

# --- Maths -----------------------------------------------------------------------------------


def _is_atom(text: str) -> bool:
    """Whether ``text`` reads as one operand: ``n_in``, ``0.5``, ``Var(W)``, ``(a+b)``, ``x²``.

    Optionally a root sign, then letters, digits, ``_``, ``.`` and primes, then optionally one
    bracketed group that ends the text. Anything else (spaces, operators, ``/``, a number
    times a letter such as ``2n``) makes it compound; so does anything longer than
    ``_MAX_ATOM`` characters, which keeps the work per command bounded however deep the
    nesting (an operand wrongly called compound only gets parentheses it did not need).
    """
    if len(text) > _MAX_ATOM:
        return False
    text = text.lstrip("√∛∜").replace("′", "'")  # a root binds tightest: √2, √(a+b)
    head = _ATOM_HEAD.match(text)  # always matches, if only the empty string
    word_end = head.end() if head else 0
    if _NUMBER_TIMES_LETTER.search(text, 0, word_end):  # 2n is a product: 1/(2n)
        return False
    group = text[word_end:]
    if not group:
        return True
    if group[0] not in "([" or group[-1] not in ")]":
        return False
    depth = 0
    for bracket in _BRACKET.finditer(group):
        depth += 1 if bracket.group() in "([" else -1
        if depth <= 0 and bracket.end() < len(group):
            return False
    return depth == 0


def _operand(text: str) -> str:
    text = text.strip()
    return text if _is_atom(text) else f"({text})"


def _unicode_script(text: str, convertible: frozenset[str], table: dict[int, int]) -> str | None:
    """``text`` in sub- or superscript characters, or None if some character has none.

    A word (two letters in a row, like ``in`` or ``max``) is refused: ``n_in`` reads better
    than ``nᵢₙ``.
    """
    if not text or not convertible.issuperset(text) or _TWO_LETTERS.search(text):
        return None
    return text.translate(table)


def _superscript(text: str) -> tuple[str, bool]:
    compact = "".join(text.split())
    if not compact:
        return "", False
    unicode = _unicode_script(compact, _SUPERSCRIPTABLE, _SUPERSCRIPTS)
    if unicode is not None:
        return unicode, False
    if len(compact) == 1:
        return "^" + compact, True
    if compact[0] == "(" and _is_atom(compact):
        return "^" + compact, False
    return f"^({text.strip()})", False


def _subscript(text: str) -> tuple[str, bool]:
    compact = "".join(text.split())
    if not compact:
        return "", False
    unicode = _unicode_script(compact, _SUBSCRIPTABLE, _SUBSCRIPTS)
    if unicode is not None:
        return unicode, False
    if _is_atom(compact):
        return "_" + compact, compact[-1] not in ")]"
    return f"_({text.strip()})", False


def _accent(text: str, mark: str) -> str:
    text = text.strip()
    return text + mark if len(text) == 1 else text


def _symbol(token: str) -> tuple[str, bool]:
    """A token that takes no argument, rendered; with whether a following letter needs a space."""
    if token[0] != "\\":
        return token, False
    name = token[1:]
    if not name:
        return "", False
    if len(name) == 1 and not name.isalpha():
        return _CONTROL_SYMBOLS.get(name, name), False
    symbol = _SYMBOLS.get(name)
    if symbol is not None:
        return symbol, False
    # A named operator (``\log``) or an unknown command: its name, kept apart from what follows.
    return name.rstrip("*"), True


def _finish(name: str, args: list[str], option: str | None) -> tuple[str, bool]:
    """A command with its (possibly incomplete) arguments, rendered."""
    if name == "^":
        return _superscript(args[0]) if args else ("^", False)
    if name == "_":
        return _subscript(args[0]) if args else ("_", False)
    if name in ("frac", "dfrac", "tfrac", "cfrac"):
        if len(args) < 2:
            return "".join(args), False
        return f"{_operand(args[0])}/{_operand(args[1])}", True
    if name == "sqrt":
        index = (option or "").strip()
        root = _ROOTS.get(index)
        if root is None:
            root = (
                _unicode_script("".join(index.split()), _SUPERSCRIPTABLE, _SUPERSCRIPTS) or f"({index})"
            ) + "√"
        if not args:
            return root, False
        radicand = args[0].strip()
        if _is_atom(radicand):
            return root + radicand, bool(radicand)
        return f"{root}({radicand})", False
    if name in ("binom", "dbinom", "tbinom"):
        return (
            (f"C({args[0].strip()}, {args[1].strip()})", False) if len(args) == 2 else ("".join(args), False)
        )
    if name in ("overset", "underset", "stackrel", "textcolor"):
        return (args[-1] if len(args) == 2 else ""), False
    if name in ("begin", "end", "color"):
        return "", False
    if name in _DELIMITER_SIZES:
        delimiter = args[0].strip() if args else ""
        return ("" if delimiter == "." else delimiter), False
    if name in _ACCENTS:
        return (_accent(args[0], _ACCENTS[name]) if args else ""), False
    text = args[0] if args else ""
    if name == "mathbb":
        return text.translate(_DOUBLE_STRUCK), False
    return text, name.startswith("operatorname") and bool(text)


class _Frame:
    """One open construct: the whole formula, a ``{...}`` group, a ``[...]`` option, or a
    command waiting for its arguments."""

    __slots__ = ("args", "kind", "name", "need", "option", "parts", "spaced")

    def __init__(self, kind: str, name: str = "", need: int = 0) -> None:
        self.kind = kind  # "top", "group", "option" or "command"
        self.name = name
        self.need = need
        self.args: list[str] = []
        self.option: str | None = None
        self.parts: list[str] = []
        # The last part wants a space before a following letter or digit (``n_in Var``).
        self.spaced = False


def _deliver(stack: list[_Frame], value: str, spaced: bool) -> None:
    """Hand a rendered piece to the innermost frame, completing commands as they fill up."""
    while True:
        frame = stack[-1]
        if frame.kind == "command":
            frame.args.append(value)
            if len(frame.args) < frame.need:
                return
            stack.pop()
            value, spaced = _finish(frame.name, frame.args, frame.option)
            continue
        if value:
            if frame.spaced and (value[0].isalnum() or value[0] in "√∛∜("):
                frame.parts.append(" ")
            frame.parts.append(value)
            frame.spaced = spaced
        return


def _close(stack: list[_Frame]) -> None:
    """Close the innermost frame (at its end, or unbalanced at the end of the formula)."""
    frame = stack.pop()
    if frame.kind == "command":
        value, spaced = _finish(frame.name, frame.args, frame.option)
        _deliver(stack, value, spaced)
    elif frame.kind == "option":
        stack[-1].option = "".join(frame.parts)
    else:
        _deliver(stack, "".join(frame.parts), frame.spaced)


def _open_command(stack: list[_Frame], tokens: list[str], index: int, name: str) -> int:
    """Push a command that waits for arguments; returns the index of the next token."""
    stack.append(_Frame("command", name, _ARITY[name]))
    if name == "sqrt":
        ahead = index
        while ahead < len(tokens) and tokens[ahead].isspace():
            ahead += 1
        if ahead < len(tokens) and tokens[ahead] == "[":
            stack.append(_Frame("option"))
            return ahead + 1
    return index


def _command_name(token: str) -> str | None:
    """The name under which ``token`` takes arguments, or None for a plain token."""
    if token in ("^", "_"):
        return token
    if token[1:2].isalpha() and token[0] == "\\" and token[1:] in _ARITY:
        return token[1:]
    return None


def _render_math(source: str) -> str:
    tokens = _MATH_TOKEN.findall(source)
    stack = [_Frame("top")]
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        frame = stack[-1]
        if frame.kind == "command":
            if token.isspace():  # TeX skips spaces before an argument
                continue
            if token == "}":  # the group ends before the command has all its arguments
                _close(stack)
                index -= 1
                continue
        if token == "{":
            stack.append(_Frame("group"))
        elif token == "}":
            if frame.kind == "group":
                _close(stack)
            # else: an unbalanced closing brace, dropped
        elif token == "]" and frame.kind == "option":
            _close(stack)
        else:
            name = _command_name(token)
            if name is not None:
                index = _open_command(stack, tokens, index, name)
            else:
                _deliver(stack, *_symbol(token))
    while len(stack) > 1:
        _close(stack)
    return "".join(stack[0].parts)


# --- Markdown --------------------------------------------------------------------------------


def _escaped(text: str, position: int) -> bool:
    """Whether the character at ``position`` follows an odd number of backslashes."""
    count = 0
    while position > count and text[position - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def _dollar_closers(text: str) -> tuple[_Positions, _Positions]:
    """Positions that can close inline maths (``$``) and display maths (``$$``)."""
    inline = _Positions()
    display = _Positions()
    position = text.find("$")
    while position >= 0:
        if not _escaped(text, position):
            after = text[position + 1 : position + 2]
            if after == "$":
                display.positions.append(position)
            if position and not text[position - 1].isspace() and after not in _DIGITS:
                inline.positions.append(position)
        position = text.find("$", position + 1)
    return inline, display


class _Positions:
    """Sorted positions, asked for in increasing order (the scan only moves forward)."""

    __slots__ = ("index", "positions")

    def __init__(self) -> None:
        self.positions: list[int] = []
        self.index = 0

    def first_from(self, start: int) -> int:
        """The first position at or after ``start``, or -1."""
        positions = self.positions
        while self.index < len(positions) and positions[self.index] < start:
            self.index += 1
        return positions[self.index] if self.index < len(positions) else -1


def _is_punctuation(char: str) -> bool:
    return not char.isalnum() and not char.isspace()


def _strip_emphasis(parts: list[str], delimiters: list[tuple[int, str, bool, bool]]) -> None:
    """Pair emphasis delimiter runs (``*``, ``**``, ``_``...) and blank the paired ones."""
    openers: dict[str, list[int]] = {}
    for part, run, can_open, can_close in delimiters:
        key = run[0] + str(min(len(run), 3))
        waiting = openers.setdefault(key, [])
        if can_close and waiting:
            parts[waiting.pop()] = ""
            parts[part] = ""
        elif can_open:
            waiting.append(part)


_FENCE = re.compile(r"(`{3,}|~{3,})[^`]*")
"""A fence line: three or more backticks (or tildes), then an info string such as ``python``."""


def render(text: str) -> str:
    """Markdown + $LaTeX$ -> plain Unicode text for a terminal; fenced code indented, left as written.

    Fences are found line by line in one pass (bank text is untrusted: no backtracking).
    """
    if "```" not in text and "~~~" not in text:
        return _render_text(text)
    segments: list[tuple[bool, list[str]]] = [(False, [])]  # (is code, lines)
    fence = opener = ""
    for line in text.split("\n"):
        closing = line.rstrip()
        if not fence and (found := _FENCE.fullmatch(line)):
            fence, opener = found.group(1), line
            segments.append((True, []))
        elif fence and len(closing) >= len(fence) and set(closing) == {fence[0]}:
            fence = ""
            segments.append((False, []))
        else:
            segments[-1][1].append(line)
    if fence:  # never closed: the fence and what follows it are ordinary text
        _, tail = segments.pop()
        segments[-1][1].extend([opener, *tail])
    return "\n".join(
        "\n".join("    " + line for line in lines) if is_code else _render_text("\n".join(lines))
        for is_code, lines in segments
        if is_code or lines  # a fence on the first or last line leaves no prose beside it
    )


def _render_text(text: str) -> str:
    if not _SPECIAL.search(text):
        return text
    parts: list[str] = []
    delimiters: list[tuple[int, str, bool, bool]] = []
    inline, display = _dollar_closers(text)
    backtick_runs: dict[int, _Positions] = {}
    if "`" in text:
        for ticks in _BACKTICKS.finditer(text):
            backtick_runs.setdefault(len(ticks.group()), _Positions()).positions.append(ticks.start())
    length = len(text)
    start = 0  # of the literal text not yet copied to parts
    position = 0  # where to look for the next special character
    while (match := _SPECIAL.search(text, position)) is not None:
        position = match.start()
        char = text[position]
        if char == "\\":
            following = text[position + 1 : position + 2]
            if following and following in _ASCII_PUNCTUATION:
                parts.append(text[start:position])
                parts.append(following)
                start = position = position + 2
            else:
                position += 1
            continue
        run_end = position + 1
        if char != "$":  # a run of backticks or emphasis markers, skipped as a whole below
            while run_end < length and text[run_end] == char:
                run_end += 1
        run = text[position:run_end]
        if char == "`":
            runs = backtick_runs.get(len(run))
            closer = runs.first_from(run_end) if runs else -1
            if closer < 0:
                position = run_end
                continue
            code = text[run_end:closer]
            if len(code) >= 2 and code[0] == code[-1] == " " and code.strip():
                code = code[1:-1]
            parts.append(text[start:position])
            parts.append(code)
            start = position = closer + len(run)
        elif char == "$":
            math_end = -1
            if text.startswith("$$", position):
                closer = display.first_from(position + 2)
                if closer >= 0:
                    math = _render_math(text[position + 2 : closer]).strip()
                    math_end = closer + 2
            elif position + 1 < length and not text[position + 1].isspace():
                closer = inline.first_from(position + 2)
                if closer >= 0:
                    math = _render_math(text[position + 1 : closer])
                    math_end = closer + 1
            if math_end < 0:
                position += 1
                continue
            parts.append(text[start:position])
            parts.append(math)
            start = position = math_end
        else:  # "*" or "_": a run of emphasis delimiters, kept unless paired
            before = text[position - 1] if position else " "
            after = text[run_end] if run_end < length else " "
            left = not after.isspace() and (
                not _is_punctuation(after) or before.isspace() or _is_punctuation(before)
            )
            right = not before.isspace() and (
                not _is_punctuation(before) or after.isspace() or _is_punctuation(after)
            )
            if char == "_":
                can_open = left and (not right or _is_punctuation(before))
                can_close = right and (not left or _is_punctuation(after))
            else:
                can_open, can_close = left, right
            parts.append(text[start:position])
            if can_open or can_close:
                delimiters.append((len(parts), run, can_open, can_close))
            parts.append(run)
            start = position = run_end
    parts.append(text[start:])
    if delimiters:
        _strip_emphasis(parts, delimiters)
    return "".join(parts)
