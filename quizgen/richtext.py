"""Bank text (Markdown with inline LaTeX in `$...$`) for documents: safe HTML with MathML, or Markdown.

HTML: Markdown is parsed by markdown-it-py with raw HTML disabled, so any `<`,
`&` or `{{` in a bank is text, never markup. Maths goes through latex2mathml,
whose element tree is then rebuilt from a whitelist of MathML elements and
attributes and serialised with every text escaped (latex2mathml itself passes
`\\text{<script>}` and `\\href{javascript:...}` straight through; we do not).

Speed: an export or a worksheet run converts tens of thousands of texts that
differ only in their numbers, and markdown-it costs ~50 µs a text. :func:`to_html`
gives every text the output of markdown-it (:func:`_markdown_render`, the
reference the tests compare against) but takes the cheapest route that provably
gives it: plain text is only escaped; one paragraph of text, inline maths and
`code` is rendered by regular expressions (:func:`_fast_html`), which route a text
takes being decided once per shape (:func:`_route`); any other text with numbers
is rendered once per template (its numbers replaced by markers, then put back:
:func:`_template`); the rest goes to markdown-it. Formulas are converted to MathML
the same way, once per template (:func:`latex_to_mathml`), and whole texts are
memoised (:func:`clear_caches` forgets everything, for cold benchmarks).
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from typing import Any

MATHML_NS = "http://www.w3.org/1998/Math/MathML"

_ELEMENTS = frozenset(
    [
        "math",
        "mi",
        "mn",
        "mo",
        "ms",
        "mtext",
        "mspace",
        "mrow",
        "mfrac",
        "msqrt",
        "mroot",
        "mstyle",
        "merror",
        "mpadded",
        "mphantom",
        "mfenced",
        "menclose",
        "msub",
        "msup",
        "msubsup",
        "munder",
        "mover",
        "munderover",
        "mmultiscripts",
        "mprescripts",
        "none",
        "mtable",
        "mtr",
        "mtd",
        "mlabeledtr",
        "semantics",
        "annotation",
    ]
)
_ATTRIBUTES = frozenset(
    [
        "display",
        "mathvariant",
        "stretchy",
        "fence",
        "separator",
        "lspace",
        "rspace",
        "minsize",
        "maxsize",
        "symmetric",
        "largeop",
        "movablelimits",
        "accent",
        "accentunder",
        "form",
        "columnalign",
        "rowalign",
        "columnspacing",
        "rowspacing",
        "displaystyle",
        "scriptlevel",
        "linethickness",
        "notation",
        "width",
        "height",
        "depth",
    ]
)
_ENTITY = re.compile(r"&#x([0-9A-Fa-f]+);|&#(\d+);")
_NUMBER = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_MARKER_BASE = 987_650
_direct_conversions = 0
"""How often :func:`latex_to_mathml` converted a formula with digits as written (see :func:`_template`)."""


def _text(value: str | None) -> str:
    """latex2mathml's text: characters and numeric entities; decode the entities only."""
    if not value:
        return ""
    return _ENTITY.sub(lambda m: chr(int(m.group(1), 16) if m.group(1) else int(m.group(2))), value)


def _serialise(element: Any, out: list[str]) -> None:
    tag = element.tag.split("}")[-1]
    if tag not in _ELEMENTS:  # an element we do not know: keep its text, drop the element
        out.append(html.escape(_text(element.text), quote=False))
        for child in element:
            _serialise(child, out)
            out.append(html.escape(_text(child.tail), quote=False))
        return
    attributes = "".join(
        f' {name}="{html.escape(value, quote=True)}"'
        for name, value in sorted(element.attrib.items())
        if name in _ATTRIBUTES
    )
    if tag == "math":
        attributes = f' xmlns="{MATHML_NS}"' + attributes
    out.append(f"<{tag}{attributes}>")
    out.append(html.escape(_text(element.text), quote=False))
    for child in element:
        _serialise(child, out)
        out.append(html.escape(_text(child.tail), quote=False))
    out.append(f"</{tag}>")


LABEL_WORDS = frozenset(
    ["in", "out", "op", "lr", "min", "max", "avg", "eff", "std", "var", "init", "fan", "mean", "rms", "tot"]
)
"""Subscripts that are words (``n_{in}``, ``C_{out}``): set upright, as ``n_{\\mathrm{in}}`` is."""
BASE_WORDS = frozenset(["fan", "gain", "std", "var", "mean", "avg", "max", "min", "lr"])
"""Names written as letters before a subscript (``fan_{in}``): one upright word, not a product f·a·n."""
_INDEX_LETTERS = frozenset("ijklmnpqrst")


def _local(element: Any) -> str:
    return str(element.tag).split("}")[-1]


def _letter(element: Any, variant: str | None = None) -> bool:
    """A single-letter <mi> with no children (of ``mathvariant`` ``variant``; None: none given)."""
    text = element.text or ""
    return (
        _local(element) == "mi"
        and len(element) == 0
        and len(text) == 1
        and text.isalpha()
        and element.attrib.get("mathvariant") == variant
        and set(element.attrib) <= {"mathvariant"}
        and not (element.tail or "").strip()
    )


def _is_label(word: str) -> bool:
    """Whether letters in a subscript are a word (upright) rather than indices (``W_{ij}``)."""
    return word in LABEL_WORDS or (len(word) >= 3 and not set(word) <= _INDEX_LETTERS)


def _upright(element: Any, word: str) -> None:
    element.text = word
    element.attrib.clear()
    element.set("mathvariant", "normal")


def _tidy(element: Any) -> None:
    """Identifiers as a reader means them: ``\\mathrm{Var}`` one upright <mi> (latex2mathml writes one
    per letter), a word subscript upright (``n_{in}`` as ``n_{\\mathrm{in}}``), and a named quantity
    before a word subscript one upright name (``fan_{in}``, not the product f·a·n)."""
    for child in element:
        _tidy(child)
    if _local(element) == "mo" and _text(element.text) == "/" and not element.attrib:
        element.set("lspace", "0")  # a solidus is ordinary in TeX: no space either side (2/n, not 2 / n)
        element.set("rspace", "0")
        return
    children = list(element)
    # 1. a run of upright letters is one upright identifier
    index = 0
    while index < len(children):
        if _letter(children[index], "normal"):
            end = index + 1
            while end < len(children) and _letter(children[end], "normal"):
                end += 1
            if end - index > 1:
                _upright(children[index], "".join(c.text for c in children[index:end]))
                for extra in children[index + 1 : end]:
                    element.remove(extra)
                del children[index + 1 : end]
        index += 1
    # 2. a subscript or superscript that is a word is set upright
    if _local(element) in ("msub", "msup", "msubsup"):
        for script in children[1:]:
            letters = list(script) if _local(script) == "mrow" else [script]
            if len(letters) >= 2 and all(_letter(c) for c in letters):
                word = "".join(c.text for c in letters)
                if _is_label(word):
                    for extra in letters[1:]:
                        script.remove(extra)
                    _upright(letters[0], word)
        return
    # 3. letters before a subscript that is a word, or a known name, are one upright name
    for position, child in enumerate(children):
        if _local(child) not in ("msub", "msup", "msubsup") or len(child) < 2 or not _letter(child[0]):
            continue
        start = position
        while start > 0 and _letter(children[start - 1]):
            start -= 1
        if start == position:
            continue
        word = "".join(c.text for c in children[start:position]) + child[0].text
        script = child[1]
        while _local(script) == "mrow" and len(script) == 1:
            script = script[0]
        labelled = (
            _local(script) == "mi" and script.get("mathvariant") == "normal" and len(script.text or "") > 1
        )
        if word.lower() in BASE_WORDS or (labelled and len(word) >= 3):
            for extra in children[start:position]:
                element.remove(extra)
            _upright(child[0], word)


PRERENDERED = "prerendered-mathml.json"
"""Package data: the MathML of every formula of the bundled banks and built-in generators (with their
numbers as markers), converted once when the banks change (``python tests/test_prerendered_mathml.py``).
A page of the whole bank then converts almost nothing: latex2mathml is most of its build time.
Used only when it was made by the installed latex2mathml; a test holds every entry to a fresh conversion."""


@lru_cache(maxsize=1)
def _prerendered() -> dict[str, str]:
    from importlib.resources import files

    import latex2mathml

    try:
        table = json.loads((files("quizgen") / PRERENDERED).read_text(encoding="utf-8"))
    except (OSError, ValueError):  # not shipped, or damaged: convert everything
        return {}
    if not isinstance(table, dict) or table.get("latex2mathml") != getattr(latex2mathml, "__version__", None):
        return {}
    formulas = table.get("formulas")
    return formulas if isinstance(formulas, dict) else {}


def prerendered_key(template: str, display: bool) -> str:
    """A formula's key in the prerendered table: ``b:`` (display) or ``i:`` (inline), then the LaTeX."""
    return ("b:" if display else "i:") + template


@lru_cache(maxsize=4096)
def _marked_mathml(template: str, display: bool) -> str | None:
    known = _prerendered().get(prerendered_key(template, display))
    if known is not None:
        return known
    return convert_formula(template, display)


def convert_formula(template: str, display: bool) -> str | None:
    """latex2mathml's MathML for a formula, tidied and serialised safely (None when it cannot convert)."""
    from latex2mathml.converter import convert_to_element

    try:
        root = convert_to_element(template, display="block" if display else "inline")
    except Exception:  # latex2mathml raises many kinds of errors for malformed input
        return None
    _tidy(root)
    out: list[str] = []
    _serialise(root, out)
    return "".join(out)


def latex_to_mathml(latex: str, display: bool = False) -> str:
    """Safe MathML for a LaTeX formula; escaped LaTeX in a <code> when it cannot be converted."""
    numbers: list[str] = []

    def mark(match: re.Match[str]) -> str:
        numbers.append(match.group(0))
        return f"{{{_MARKER_BASE + len(numbers) - 1}}}"

    marked = _marked_mathml(_NUMBER.sub(mark, latex), display)
    if marked is not None:
        result = marked
        for index, number in enumerate(numbers):
            marker = f"<mn>{_MARKER_BASE + index}</mn>"
            if result.count(marker) != 1:  # not one plain number (e.g. inside \text): convert as written
                break
            result = result.replace(marker, f"<mn>{number}</mn>")
        else:
            return result
    if numbers:  # converted as written, where a marker could have been read otherwise (_template)
        global _direct_conversions
        _direct_conversions += 1
    direct = _marked_mathml(latex, display)
    return direct if direct is not None else f'<code class="tex">{html.escape(latex)}</code>'


def _tex(latex: str, display: bool) -> str:
    """Maths for LMS renderers (MathJax in Moodle, Canvas, Anki): \\( ... \\) or \\[ ... \\], escaped."""
    opening, closing = (r"\[", r"\]") if display else (r"\(", r"\)")
    return html.escape(f"{opening}{latex}{closing}", quote=False)


def _image_as_link(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    """An image becomes a link to it: nothing is fetched when a page opens (a reader may click).

    Banks may not hold images (:func:`remote_references`); this keeps every output
    free of ``<img src>`` whatever reaches it.
    """
    token = tokens[idx]
    source = str(token.attrGet("src") or "")
    alt = self.renderInlineAsText(token.children, options, env) if token.children else ""
    return f'<a href="{html.escape(source)}">{html.escape(alt or source, quote=False)}</a>'


@lru_cache(maxsize=2)
def _markdown(math: str = "mathml") -> Any:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.use(dollarmath_plugin, allow_space=True, allow_digits=False, double_inline=True)
    md.add_render_rule("image", _image_as_link)
    convert = latex_to_mathml if math == "mathml" else _tex
    md.add_render_rule(
        "math_inline", lambda self, tokens, idx, options, env: convert(tokens[idx].content, False)
    )
    md.add_render_rule(
        "math_inline_double", lambda self, tokens, idx, options, env: convert(tokens[idx].content, True)
    )
    md.add_render_rule(
        "math_block", lambda self, tokens, idx, options, env: convert(tokens[idx].content, True) + "\n"
    )
    return md


def _markdown_render(text: str, inline: bool = False, math: str = "mathml") -> str:
    """What markdown-it makes of the text: the reference for every shortcut of :func:`to_html`."""
    rendered: str = _markdown(math).render(text).strip()
    if inline and rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        rendered = rendered[3:-4]
    return defuse_mathjax(rendered) if math == "tex" else rendered


_MATHJAX_UNSAFE = re.compile(r"\\(style|require)(?![A-Za-z])")
"""MathJax commands that apply CSS (``\\style{background:url(...)}`` fetches the URL) or load code."""


def defuse_mathjax(text: str) -> str:
    """Text for a page that MathJax (or KaTeX) typesets, with ``\\style`` and ``\\require`` made inert.

    Each is written ``\\backslash{}style`` (``\\backslash{}require``): MathJax shows
    the command's name instead of running it. Banks may not hold these commands
    (:func:`remote_references`); this keeps every LMS output safe whatever reaches it.
    """
    if "\\" not in text or _MATHJAX_UNSAFE.search(text) is None:
        return text
    return _MATHJAX_UNSAFE.sub(r"\\backslash{}\1", text)


@lru_cache(maxsize=32_768)
def to_html(text: str, inline: bool = False, math: str = "mathml") -> str:
    """Bank text as safe HTML: paragraphs (or, with ``inline``, no wrapping <p>).

    ``math="mathml"`` renders maths as MathML (documents); ``math="tex"`` keeps it
    as escaped ``\\( ... \\)`` for an LMS whose MathJax renders it. Always exactly
    :func:`_markdown_render`'s output, by the cheapest route that is sure to give it.
    """
    return _render(text, inline, math, True)


def to_html_once(text: str, inline: bool = False, math: str = "mathml") -> str:
    """:func:`to_html` without keeping the result: for a text met once (a variant's, with its own
    numbers), so that memory does not grow with the variants of an export. The templates and formulas
    it is made of are still cached (their number is bounded by the banks)."""
    return _render(text, inline, math, True)


def _render(text: str, inline: bool, math: str, templates: bool) -> str:
    # Trailing spaces and line ends never change one paragraph (markdown-it strips it).
    core = text.rstrip(" \t\n") if text[-1:] in (" ", "\t", "\n") else text
    route = _OTHER
    if core and not core[0].isspace() and not core[-1].isspace():  # else perhaps indented code
        route = _route(core.encode("utf-8", "surrogatepass").translate(_ZERO_DIGITS))
        if route == _PLAIN:
            escaped = html.escape(core, quote=False).replace('"', "&quot;")  # nothing else to do
            return escaped if inline else f"<p>{escaped}</p>"
        if route == _SIMPLE and not (math == "mathml" and templates and "$" in core):
            return _fast_html(core, inline, math)
    # MathML for formulas with numbers costs more than filling in a template once made (a variant's texts).
    if templates:
        numbers = _DIGITS.findall(text)
        if numbers:
            template = _template(_DIGITS.sub("0", text), inline, math)
            if template is not None:
                return template.format(*numbers)
    if route == _SIMPLE:
        return _fast_html(core, inline, math)
    return _markdown_render(text, inline, math)


def html_template(key: str, inline: bool = False, math: str = "mathml") -> str | None:
    """The HTML of every text whose digit runs, each written ``0``, give ``key``, as a format string
    (``{k}`` for the k-th digit run): ``to_html(text) == html_template(key).format(*digit_runs)``.
    None when putting numbers back could give other HTML than markdown-it's (then use :func:`to_html`)."""
    return _template(key, inline, math)


_LEAF_IN_MROW = re.compile(r"<mrow>(<(m[ino]|mtext)(?: [^<>]*)?>[^<]*</\2>)</mrow>")


def tighten_mathml(html: str) -> str:
    """The same MathML in fewer bytes: no ``display="inline"`` (the default) and no <mrow> around a
    single token (an mrow of one child renders as the child, and stands for one argument as well)."""
    text = html.replace(' display="inline">', ">")
    while True:
        tighter = _LEAF_IN_MROW.sub(r"\1", text)
        if tighter == text:
            return text
        text = tighter


def clear_caches() -> None:
    """Forget every converted text, template and formula (for benchmarks of a cold run)."""
    to_html.cache_clear()
    _route.cache_clear()
    _template.cache_clear()
    _marked_mathml.cache_clear()


# -- one paragraph of text, maths and code, without markdown-it -------------------
#
# Plain text (none of the characters Markdown or the maths reads, no line that
# could start a block) is only escaped, as markdown-it escapes it (& < > ").
# _FAST accepts one paragraph whose only Markdown is inline maths, `code` spans and
# underscores inside words (n_in). A math span is what dollarmath (allow_space,
# allow_digits=False, double_inline) accepts: not empty, no `$` or `"` in it, not
# ending in a backslash (which would escape the closing `$`), and next to its `$`s
# outside only ASCII that is not a digit (dollarmath's str.isdigit() is also true
# of ², ① and others). A code span is one backtick each side, no backtick next to
# those, no `$` or backtick inside, no space at either end. No line may start what
# could be a block (list, quote, heading underline, math block), be blank or
# indented, or end in spaces. The text has no whitespace at either end (to_html
# strips what markdown-it would). tests/test_richtext.py checks all this against
# _markdown_render.
_SPECIAL = re.compile(r"[*_`\[\]$\\<>&#!|~\n\r\x00]")
_LIST = re.compile(r"\d+[.)]")
_OUTSIDE = r"[^$`*_\[\]\\<>&#!|~\r\x00]++|(?<=[A-Za-z0-9])_++(?=[A-Za-z0-9])"
_SPAN = r'[^$"\n\r\x00]*+(?<!\\)(?<!\$)'  # (?<!\$): not empty
_CODE = r"[^$`\s](?:[^$`\n\r\x00]*+(?<!\s))?"
_BEFORE = r"(?<![^\x01-\x2f\x3a-\x7f])"  # the start, or an ASCII character other than a digit
_AFTER = r"(?![^\x01-\x2f\x3a-\x7f])"
_FAST = re.compile(
    rf"(?:{_OUTSIDE}|(?<!`)`{_CODE}`(?!`)|{_BEFORE}\$\$(?:{_SPAN})\$\${_AFTER}|{_BEFORE}\$(?:{_SPAN})\${_AFTER})*+"
)
_BLOCK_START = r"(?:[-+=>]|\$\$|\d+[.)](?:\s|$))"
_FIRST_LINE = re.compile(_BLOCK_START)
_LINES = re.compile(rf"\n(?:{_BLOCK_START}|\s)|[ \t]\n")
_TOKEN = re.compile(rf"`({_CODE})`|\$\$({_SPAN})\$\$|\$({_SPAN})\$")


def _tex_token(match: re.Match[str]) -> str:
    code, display, inline = match.groups()  # already escaped, as _tex escapes
    if code is not None:
        return f"<code>{code}</code>"
    return rf"\[{display}\]" if inline is None else rf"\({inline}\)"


def _mathml_token(match: re.Match[str]) -> str:
    code, display, inline = match.groups()
    if code is not None:
        return f"<code>{code}</code>"
    latex = display if inline is None else inline
    latex = latex.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")  # as html.escape wrote
    return latex_to_mathml(latex, inline is None)


_ZERO_DIGITS = bytes.maketrans(b"123456789", b"000000000")
_OTHER, _PLAIN, _SIMPLE = range(3)


@lru_cache(maxsize=8192)
def _route(shape: bytes) -> int:
    """_PLAIN, _SIMPLE (for _fast_html) or _OTHER, for a stripped text of this shape.

    The shape is the text in UTF-8 with each ASCII digit written 0: the tests below
    tell digits from other characters but never one digit from another, so texts
    that differ only in their digits share a shape and a route.
    """
    text = shape.decode("utf-8", "surrogatepass")
    if not (_SPECIAL.search(text) or text[0] in "-+>" or (text[0].isdigit() and _LIST.match(text))):
        return _PLAIN
    return _SIMPLE if _fast_ok(text) else _OTHER


def _fast_ok(text: str) -> bool:
    """Whether a stripped text is one paragraph of text, maths and code that _fast_html renders."""
    if (text[0] in "-+=>$" or text[0].isdigit()) and _FIRST_LINE.match(text):
        return False  # the text could start a block
    if "\n" in text and _LINES.search(text):
        return False  # a line could start a block, be blank or indented, or end in spaces
    if not _FAST.fullmatch(text):
        return False
    return not (text[0] == "$" and text[-1].isdigit())  # dollarmath reads "before" position 0 as the end


def _fast_html(text: str, inline: bool, math: str) -> str:
    """markdown-it's HTML for a text that _fast_ok accepts."""
    body = html.escape(text, quote=False).replace('"', "&quot;")  # markdown-it escapes " outside maths
    if "$" in text or "`" in text:
        if math == "tex" and "`" not in text and "$$" not in text:
            parts = body.split("$")  # every $ opens or closes a span: _FAST matched
            parts[1::2] = [rf"\({latex}\)" for latex in parts[1::2]]
            body = "".join(parts)
        else:
            body = _TOKEN.sub(_tex_token if math == "tex" else _mathml_token, body)
        if math == "tex":
            body = defuse_mathjax(body)
    return body if inline else f"<p>{body}</p>"


# -- texts that differ only in their numbers: rendered once per template ----------
#
# A text's template is the text with each digit run written 0. It is rendered once,
# with the k-th digit run replaced by the marker 980000 + k (a digit run too, so
# Markdown and the `$` rules see the same kinds of characters), and each text of
# the template gets its own digit runs put back. That is exact unless a number's
# value or length matters: an entity (`&#8212;`), a percent-escape in a link, an
# autolink's scheme or e-mail address (`<...>`, of limited length), an ordered list
# (its start; only a list starting at 1 interrupts a paragraph), a formula with
# numbers that latex_to_mathml converts as written (where LaTeX may read one digit
# at a time: `\frac12`); or whether two numbers are equal: a link reference
# definition (`[1]: url`). Texts of such templates are rendered as they are.
_DIGITS = re.compile(r"[0-9]+")
_TEMPLATE_MARKER = re.compile(r"(?<![0-9])(98[0-9]{4})(?![0-9])")
_TEMPLATE_BASE = 980_000
_MAX_MARKERS = 10_000
_UNTEMPLATABLE = re.compile(r"[&%<\r]|\]:")
_LIST_LINE = re.compile(r"^[ \t>*+-]*[0-9]+[.)]", re.MULTILINE)


def _may_start_a_list(text: str) -> bool:
    """Whether a line of the text may start an ordered-list item (``12.`` or ``3)``)."""
    if "\n" in text:
        return _LIST_LINE.search(text) is not None
    return text.lstrip(" \t>*+-")[:1].isdigit() and _LIST_LINE.match(text) is not None


@lru_cache(maxsize=4096)
def _template(key: str, inline: bool, math: str) -> str | None:
    """The HTML of the texts whose digit runs, each written 0, give ``key``, as a format string.

    ``{k}`` stands for the k-th digit run; None when putting the numbers back could
    give other HTML than markdown-it's.
    """
    runs = key.count("0")
    if runs > _MAX_MARKERS or _UNTEMPLATABLE.search(key) or _may_start_a_list(key):
        return None
    pieces = key.split("0")
    pieces[1:] = [f"{_TEMPLATE_BASE + k}{piece}" for k, piece in enumerate(pieces[1:])]
    conversions = _direct_conversions
    rendered = _render("".join(pieces), inline, math, False)
    if _direct_conversions != conversions:
        return None  # a formula with digits converted as written: its numbers may not be plain
    pieces = _TEMPLATE_MARKER.split(rendered.replace("{", "{{").replace("}", "}}"))
    if "<ol" in rendered or set(pieces[1::2]) != {str(_TEMPLATE_BASE + k) for k in range(runs)}:
        return None  # a list's start number, or a number that Markdown consumed
    pieces[1::2] = [f"{{{int(marker) - _TEMPLATE_BASE}}}" for marker in pieces[1::2]]
    return "".join(pieces)


_MD_SPECIAL = re.compile(r"[<>&]")
_MATH_SPAN = re.compile(r"(\$\$.+?\$\$|\$[^$\n]+?\$)", re.DOTALL)
_UNESCAPED = r"(?<!\\)((?:\\\\)*)"
"""An even number of backslashes (none included) before what follows: that is not escaped."""
_MD_IMAGE = re.compile(_UNESCAPED + r"!(?=\[)")
_BAD_SCHEME = r"(?=[ \t]*(?:\r\n?|\n)?[ \t]*(?:javascript|vbscript|data|file)\\?:)"
_MD_BAD_LINK = re.compile(r"\](\(|:)" + _BAD_SCHEME, re.IGNORECASE)
"""A link ``[text](dest)`` or a link reference definition ``[label]: dest`` whose destination runs code or
carries a document (the schemes markdown-it refuses in HTML), its scheme's colon perhaps escaped."""


def to_markdown(text: str) -> str:
    """Bank text for a GitHub-flavoured Markdown file: maths kept as $...$, nothing a viewer runs or fetches.

    `<`, `>` and `&` outside maths become entities (so `<script>` shows as text);
    inside maths they become LaTeX (`\\lt`, `\\gt`, `\\&`). As in the HTML, an image
    becomes a link to it (its `!` escaped; `{!}` inside maths, where `\\!` is a
    space), a link to a `javascript:`, `vbscript:`, `data:` or `file:` address is
    left as text, and MathJax's `\\style` and `\\require` are inert.
    """
    parts = _MATH_SPAN.split(text)
    out = []
    for index, part in enumerate(parts):
        if index % 2:
            part = _MD_IMAGE.sub(r"\1{!}", part)
            part = _MD_BAD_LINK.sub(lambda m: "]{}" + m.group(1), part)
            out.append(part.replace("<", r"\lt ").replace(">", r"\gt ").replace("&", r"\&"))
        else:
            part = _MD_SPECIAL.sub(lambda m: {"<": "&lt;", ">": "&gt;", "&": "&amp;"}[m.group(0)], part)
            part = _MD_IMAGE.sub(r"\1\\!", part)
            part = _MD_BAD_LINK.sub(lambda m: "]" + ("&#40;" if m.group(1) == "(" else "&#58;"), part)
            out.append(part)
    return defuse_mathjax("".join(out))


_MD_TEXT_SPECIAL = re.compile(r"[\\`*_{}\[\]()#+\-.!|~$<>&]")
_MD_TEXT_ESCAPES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def markdown_text(value: str) -> str:
    """Plain text (a title, a student's name) for Markdown: shown as written, never read as markup.

    ``< > &`` become entities (no HTML, no entity of the text's own), and every other
    character that Markdown, GitHub's extensions or its maths read as syntax gets a
    backslash (no heading, list, link, image, emphasis, table or ``$`` maths); line
    breaks and other control characters become spaces, so the text stays on its line.
    """
    flat = _LINE_BREAKS.sub(" ", value)
    return _MD_TEXT_SPECIAL.sub(lambda m: _MD_TEXT_ESCAPES.get(m.group(0)) or "\\" + m.group(0), flat)


def markdown_code(value: str) -> str:
    """Text as one Markdown code span, whatever backticks it holds (line breaks become spaces)."""
    flat = _LINE_BREAKS.sub(" ", value)
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if flat.startswith(("`", " ")) or flat.endswith(("`", " ")) else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


# -- what a bank may not hold ---------------------------------------------------------

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_SHOWN = 80


def remote_references(text: str) -> list[str]:
    """Why the bank text would make an output load something, one message per reference (none: []).

    quizgen's outputs are single files that load nothing when opened (the README
    promises no network). Refused: every Markdown image (``![alt](url)``, also by
    reference): a URL with a scheme (``http:``, ``https:``, ``ftp:``, ``data:``, ...) or
    protocol-relative (``//host``) would be loaded by whoever opens a sheet or an LMS
    page, and a relative path names a file that no output carries. Also MathJax's
    ``\\style`` (CSS, which can load a URL) and ``\\require`` (code). Links
    (``[text](https://...)``) are allowed: nothing is loaded until a reader clicks.
    The loader reports each message with the text's file, line and question id.
    """
    messages: list[str] = []
    if "![" in text:
        for url in _image_sources(text):
            shown = repr(url if len(url) <= _SHOWN else url[: _SHOWN - 1] + "…")
            scheme = _SCHEME.match(url)
            if url.startswith("//") or (scheme and url[scheme.end() :].startswith("//")):
                messages.append(
                    f"image {shown} would be fetched from the network by whoever opens a sheet or an LMS "
                    "page, and quizgen's outputs make no network requests: remove the image, or make it a "
                    "link, [text](url), which fetches nothing until a reader clicks it"
                )
            elif scheme:
                messages.append(
                    f"image {shown} is a {scheme.group(0)!r} address, and quizgen's outputs hold no images: "
                    "remove the image, or describe it in words"
                )
            else:
                messages.append(
                    f"image {shown} is a local file, and no quizgen output can carry one (sheets and "
                    "exports are single files): remove the image, or describe it in words"
                )
    if "\\" in text:
        for command in dict.fromkeys(m.group(1) for m in _MATHJAX_UNSAFE.finditer(text)):
            effect = "apply CSS, which can fetch a URL" if command == "style" else "load code"
            messages.append(f"'\\{command}' makes MathJax (in Moodle, Canvas and Anki) {effect}: remove it")
    return messages


def _image_sources(text: str) -> list[str]:
    """The source of every image markdown-it finds in the text, as written (before URL encoding)."""
    found: list[str] = []

    def walk(tokens: Any) -> None:
        for token in tokens or ():
            if token.type == "image":
                found.append(str(token.attrGet("src") or ""))
            walk(token.children)

    walk(_markdown("tex").parse(text))
    from urllib.parse import unquote

    return [unquote(url) for url in found]
