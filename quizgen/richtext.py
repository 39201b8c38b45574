"""Bank text (Markdown with inline LaTeX in `$...$`) for documents: safe HTML with MathML, or Markdown.

HTML: Markdown is parsed by markdown-it-py with raw HTML disabled, so any `<`,
`&` or `{{` in a bank is text, never markup. Maths goes through latex2mathml,
whose element tree is then rebuilt from a whitelist of MathML elements and
attributes and serialised with every text escaped (latex2mathml itself passes
`\\text{<script>}` and `\\href{javascript:...}` straight through; we do not).

Speed: a worksheet run converts tens of thousands of formulas that differ only
in their numbers. Each formula's numbers are replaced by markers, the marked
formula is converted once, and the numbers are put back into the `<mn>`
elements; whole texts are memoised too.
"""

from __future__ import annotations

import html
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
_PLAIN = re.compile(r"[*_`\[\]$\\<>&#!|~\n]|^\s*[-+>]|^\s*\d+[.)]")


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


@lru_cache(maxsize=4096)
def _marked_mathml(template: str, display: bool) -> str | None:
    from latex2mathml.converter import convert_to_element

    try:
        root = convert_to_element(template, display="block" if display else "inline")
    except Exception:  # latex2mathml raises many kinds of errors for malformed input
        return None
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
    direct = _marked_mathml(latex, display)
    return direct if direct is not None else f'<code class="tex">{html.escape(latex)}</code>'


def _tex(latex: str, display: bool) -> str:
    """Maths for LMS renderers (MathJax in Moodle, Canvas, Anki): \\( ... \\) or \\[ ... \\], escaped."""
    opening, closing = (r"\[", r"\]") if display else (r"\(", r"\)")
    return html.escape(f"{opening}{latex}{closing}", quote=False)


@lru_cache(maxsize=2)
def _markdown(math: str = "mathml") -> Any:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.use(dollarmath_plugin, allow_space=True, allow_digits=False, double_inline=True)
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


@lru_cache(maxsize=8192)
def to_html(text: str, inline: bool = False, math: str = "mathml") -> str:
    """Bank text as safe HTML: paragraphs (or, with ``inline``, no wrapping <p>).

    ``math="mathml"`` renders maths as MathML (documents); ``math="tex"`` keeps it
    as escaped ``\\( ... \\)`` for an LMS whose MathJax renders it.
    """
    if not _PLAIN.search(text):  # nothing for Markdown or maths to do
        escaped = html.escape(text, quote=False)
        return escaped if inline else f"<p>{escaped}</p>"
    rendered: str = _markdown(math).render(text).strip()
    if inline and rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        rendered = rendered[3:-4]
    return rendered


_MD_SPECIAL = re.compile(r"[<>&]")
_MATH_SPAN = re.compile(r"(\$\$.+?\$\$|\$[^$\n]+?\$)", re.DOTALL)


def to_markdown(text: str) -> str:
    """Bank text for a GitHub-flavoured Markdown file: maths kept as $...$, HTML-like text escaped.

    `<`, `>` and `&` outside maths become entities (so `<script>` shows as text);
    inside maths they become LaTeX (`\\lt`, `\\gt`, `\\&`).
    """
    parts = _MATH_SPAN.split(text)
    out = []
    for index, part in enumerate(parts):
        if index % 2:
            out.append(part.replace("<", r"\lt ").replace(">", r"\gt ").replace("&", r"\&"))
        else:
            out.append(_MD_SPECIAL.sub(lambda m: {"<": "&lt;", ">": "&gt;", "&": "&amp;"}[m.group(0)], part))
    return "".join(out)
