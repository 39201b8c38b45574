"""richtext.to_html's shortcuts against markdown-it itself.

`to_html` skips markdown-it for plain text and for one paragraph of text, maths
and code (`_fast_ok`, `_fast_html`), and renders texts that differ only in their
numbers once per template (`_template`). Each route must give exactly what markdown-it gives
(`_markdown_render`), in both maths modes: the bundled banks' texts, awkward
cases, and texts made up by hypothesis.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from quizgen import load_banks, richtext
from quizgen.bank import QuestionBank
from quizgen.exporters import build_export_set
from quizgen.richtext import _DIGITS, _fast_html, _fast_ok, _markdown_render, _template, to_html

MATHS = ["tex", "mathml"]


def fast(text: str, inline: bool, math: str) -> str | None:
    """The text's HTML by the regular expressions of richtext's fast path, or None when they decline it."""
    return _fast_html(text, inline, math) if _fast_ok(text) else None


def templated(text: str, inline: bool, math: str) -> str | None:
    """The text's HTML from its template (its numbers put back), or None when it has none."""
    numbers = _DIGITS.findall(text)
    template = _template(_DIGITS.sub("0", text), inline, math) if numbers else None
    return None if template is None else template.format(*numbers)


def assert_same(text: str, math: str) -> None:
    """Every route that takes the text gives markdown-it's HTML, inline or not."""
    for inline in (False, True):
        expected = _markdown_render(text, inline, math)
        assert to_html(text, inline, math) == expected, (text, inline, math)
        stripped = text.strip()
        if stripped:
            found = fast(stripped, inline, math)
            assert found is None or found == _markdown_render(stripped, inline, math), (text, inline, math)
        from_template = templated(text, inline, math)
        assert from_template is None or from_template == expected, (text, inline, math)


@pytest.fixture(scope="module")
def bank() -> QuestionBank:
    return load_banks()


def bank_texts(bank: QuestionBank) -> list[tuple[str, bool]]:
    """Every text the exporters render, with 20 variants of every generator (as written and stripped)."""
    data = build_export_set(bank, variants=20, seed=3)
    texts: dict[tuple[str, bool], None] = {}
    for question in data.all_questions():
        options = getattr(question, "options", ())
        for text, inline in [
            (question.prompt, False),
            (question.explanation, False),
            *((o.text, True) for o in options),
            *((o.feedback, False) for o in options if o.feedback),
        ]:
            texts[text, inline] = texts[text.strip(), inline] = None
    for misconception in bank.misconceptions.values():
        texts[f"{misconception.title}. {misconception.description}", False] = None
    return list(texts)


@pytest.mark.parametrize("math", MATHS)
def test_every_bank_text_renders_as_markdown_it_does(bank: QuestionBank, math: str) -> None:
    richtext.clear_caches()
    fast_ones = from_template = 0
    for text, inline in bank_texts(bank):
        expected = _markdown_render(text, inline, math)
        assert to_html(text, inline, math) == expected, text
        stripped = text.strip()
        found = fast(stripped, inline, math) if stripped else None
        if found is not None:
            fast_ones += 1
            assert found == _markdown_render(stripped, inline, math), text
        found = templated(text, inline, math)
        if found is not None:
            from_template += 1
            assert found == expected, text
    assert fast_ones > 1000  # the shortcuts are the common case
    assert from_template > 1000


# Where the shortcuts meet their edges: maths, code spans, quotes, line starts,
# whitespace, numbers that Markdown reads (lists, entities, links).
TRICKY = [
    "$a$",
    "$a$ 1",
    "$a$1",
    "1$a$",
    "$a$$b$",
    "$a$$$b$$",
    "$$a$$",
    "x $$a$$ y",
    "$ a $ and $b $",
    r"$a\$ b$",
    r"$a\\$ b",
    "`code` and $x$",
    "` code`",
    "`a_b` n_in",
    "n_in_out",
    "_n_ $x$",
    "n__in $x$",
    '"quoted" $x < y$ & z',
    '"quoted" plain text',
    '$"x"$',
    "0.5",
    "1. item $x$",
    "1. item",
    "1.5 $x$",
    "10) $x$",
    "line one $x$\nline two",
    "line one\n- item $x$",
    "line one\n  indented $x$",
    "line one  \nbreak $x$",
    "para $x$\n\npara",
    "a\n$$\nx\n$$",
    "$x$ [link](http://e.com)",
    "$x$ at end 2",
    "$x$ ends in digit 2",
    "a $x$ ends in digit 2",
    "=== $x$",
    "a\n=== $x$",
    "tab\there $x$",
    "tab\there",
    "unicode ≈ √ ² $x$",
    "$a$² b",
    "x²$a$",
    "x ①$a$ and ٣$b$",
    "$a$ is L²",
    "`1``1`",
    "",
    " ",
    "\n",
    "plain",
    "  plain  ",
    "    indented code",
    "\tindented",
    "plain\n",
    "plain \t\n\n",
    "\nplain",
    "plain\r\nline",
    "plain\rline",
    "nul\x00 here",
    "\xa0non-breaking\xa0",
    "form\x0cfeed",
    "$x$ \n",
    "$x = 1$\n",
    "- 1",
    "+ 2",
    "> 3",
    "# 4",
    "x^22 and $x^22$ and $\\frac12$ **b**",
    "$\\text{4 apples}$ and **b**",
    "$x_{12}^{3}$ costs 2 and **b**",
    "$\\sqrt[3]{27} = 3$, **so**",
    "Here $n_{in} = 428$ and $n_{out} = 201$, so 428 + 201 = 629.",
    "Here **$n_{in} = 428$** and $n_{out} = 201$, so 428 + 201 = 629.",
    "Intro\n1. first\n2. second",
    "Intro\n3. not a list\n\n1) a list",
    "Intro\n- 1. nested",
    "[1]: http://example.com/2\n\nSee [x][1] and 1.",
    "Text&#49;2 and &frac12; 12",
    "[a](http://e.com/%20x1) 2",
    "<http://e1.com> 2 and <a1234567890123456789012345678901:x>",
    "<a1@b2.c3> **x**",
    "**1**2 and 3**4**",
    "`x = 1` **and** `y = 22`",
    "{1} {{2}} *x*",
    "987650 and 980000 *x*",
    "<b>bold</b> & <script>alert(1)</script> { } = ~ # : [sound:x.mp3] {{Id}}",
]


@pytest.mark.parametrize("text", TRICKY)
@pytest.mark.parametrize("math", MATHS)
def test_tricky_texts_render_as_markdown_it_does(text: str, math: str) -> None:
    assert_same(text, math)


@pytest.mark.parametrize("text", [t for t in TRICKY if any(c.isdigit() for c in t)])
def test_texts_that_differ_only_in_digits_are_each_rendered_right(text: str) -> None:
    """Routes and templates are shared by texts that differ in their digits, whichever comes first."""
    for digit in "09":
        richtext.clear_caches()
        assert_same(re.sub("[0-9]", digit, text), "tex")
        assert_same(text, "tex")
        assert_same(re.sub("[0-9]+", "1234567", text), "tex")


def test_the_shortcuts_take_the_texts_they_are_for() -> None:
    assert fast("Here $n_{in} = 4$ and `code`, n_in.", False, "tex") == (
        r"<p>Here \(n_{in} = 4\) and <code>code</code>, n_in.</p>"
    )
    assert fast("**bold** $x$", False, "tex") is None
    assert templated("**bold** and 12", True, "tex") == "<strong>bold</strong> and 12"
    assert templated("Intro\n1. first", False, "tex") is None  # a list's number matters
    assert templated("&#49;2 **b**", False, "tex") is None  # so does an entity's
    assert to_html('say "hi" & go', math="tex") == "<p>say &quot;hi&quot; &amp; go</p>"


def test_clear_caches_forgets_texts_and_templates() -> None:
    to_html("**a** 1", math="tex")
    richtext.clear_caches()
    assert to_html.cache_info().currsize == 0
    assert richtext._template.cache_info().currsize == 0
    assert richtext._route.cache_info().currsize == 0
    assert to_html("**a** 2", math="tex") == "<p><strong>a</strong> 2</p>"


# Pieces that meet at the edges of the shortcuts.
PIECES = ["a", "word", " ", "1", "0.5", "n_in", "$x$", "$ x $", "$$y$$", r"$a\\$", r"$\alpha<1$", '$"$']
PIECES += ["`code`", "` c`", "``", "`", '"', "-", "=", ">", "1.", "2)", "\\", "&", "$", "9", "$x^22$"]
PIECES += ["\n", "\n ", "  \n", "\t", "²", "é", "①", "\r", "\xa0", "**", "*", "_", "#", "[1]", "(2)"]
MARKDOWN_BITS = [
    "1", "2.", "10)", "007", "3.14", " ", "\n", "$", "$$", "x", "_", "*", "`", "#", ">", "-", "[", "](", ")",
    "&", "&#49;", "%20", "{", "}", "\\", "<", "a1b", "n_{in}", "\\sqrt{6/", "1e-05", "\\text{2 x}", "^",
]  # fmt: skip
TEXTS = (
    st.text(alphabet="ab1 9²①_$`\"'\\\n\t<>&*#+[]-.)={}\r\xa0", max_size=40)
    | st.lists(st.sampled_from(PIECES), max_size=12).map("".join)
    | st.lists(st.sampled_from(MARKDOWN_BITS), max_size=12).map("".join)
)


@given(TEXTS)
@example("$a$ 1")
@example("Intro\n3. not a list\n\n1) a list")
@example(" 1. a")
def test_made_up_texts_render_as_markdown_it_does_tex(text: str) -> None:
    assert_same(text, "tex")
    assert_same(text.strip(), "tex")


@given(TEXTS)
@example("$x^22$ 3 **b**")
def test_made_up_texts_render_as_markdown_it_does_mathml(text: str) -> None:
    assert_same(text, "mathml")
    assert_same(text.strip(), "mathml")
