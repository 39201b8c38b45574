"""Terminal rendering of question text: Markdown and $LaTeX$ to readable Unicode.

Expected strings are written out by hand. The bank tests run over every text field of the
bundled banks and of 50 variants of every generator; the property tests check that any
string renders, quickly, without an exception.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizgen import load_banks
from quizgen.models import Question
from quizgen.termmath import render

from .timing import within

# --- Maths -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (r"$\sqrt{\frac{6}{n_{in} + n_{out}}}$", "√(6/(n_in + n_out))"),
        (r"$\sqrt{6/(n_{in}+n_{out})}$", "√(6/(n_in+n_out))"),
        (r"$\sqrt{3}$", "√3"),
        (r"$\sqrt{2/576}$", "√(2/576)"),
        (r"$\sqrt{\mathrm{Var}(W)}$", "√Var(W)"),
        (r"$\sqrt{(a+b)}$", "√(a+b)"),
        (r"$\sqrt2$", "√2"),
        (r"$\sqrt[3]{x}$", "∛x"),
        (r"$\sqrt[n]{x}$", "ⁿ√x"),
        (r"$\sqrt{3\,\mathrm{Var}(W)}$", "√(3 Var(W))"),
    ],
)
def test_square_roots(source: str, expected: str) -> None:
    assert render(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (r"$\frac{2}{n_{in}}$", "2/n_in"),
        (r"$\frac{2}{n_{in} + n_{out}}$", "2/(n_in + n_out)"),
        (r"$\frac{a+b}{c}$", "(a+b)/c"),
        (r"$\frac{1}{2}$", "1/2"),
        (r"$\tfrac{1}{2}$", "1/2"),
        (r"$\dfrac{1}{2}$", "1/2"),
        (r"$\frac12$", "1/2"),
        (r"$\frac{1}{\sqrt{2}}$", "1/√2"),
        (r"$\frac{1}{\mathrm{Var}(W)}$", "1/Var(W)"),
        (r"$\frac{2}{2n}$", "2/(2n)"),
        (r"$\frac{2}{(1 + a^2)\,n_{in}}$", "2/((1 + a²) n_in)"),
        (r"$\frac{6/(n_{in}+n_{out})}{3}$", "(6/(n_in+n_out))/3"),
        (r"$\frac{\frac{1}{2}}{3}$", "(1/2)/3"),
        (r"$\frac{-1}{2}$", "(-1)/2"),
    ],
)
def test_fractions(source: str, expected: str) -> None:
    assert render(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("$n_{in}$", "n_in"),
        ("$n_{out}$", "n_out"),
        ("$C_{in}$", "C_in"),
        (r"$\text{fan}_{in}$", "fan_in"),
        ("$x_1$", "x₁"),
        ("$W_{2}$", "W₂"),
        ("$k_h$", "kₕ"),
        ("$x_{12}$", "x₁₂"),
        ("$x_{i+1}$", "xᵢ₊₁"),
        ("$k_w$", "k_w"),  # no subscript w in Unicode
        ("$x_{i,j}$", "x_(i,j)"),
        ("$x_{}$", "x"),
    ],
)
def test_subscripts(source: str, expected: str) -> None:
    assert render(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("$L^2$", "L²"),
        ("$r^L$", "rᴸ"),
        ("$r^{L}$", "rᴸ"),
        ("$0.5^{10}$", "0.5¹⁰"),
        ("$(1 + a^2)$", "(1 + a²)"),
        ("$10^{-9}$", "10⁻⁹"),
        ("$W^T$", "Wᵀ"),
        ("$x^{(l)}$", "x⁽ˡ⁾"),
        ("$x^{n + 1}$", "xⁿ⁺¹"),
        ("$x^{q}$", "x^q"),  # no superscript q in Unicode: a caret
        ("$x^{q}y$", "x^q y"),  # ... kept apart from what follows
        ("$x^{max}$", "x^(max)"),  # a word is not written in superscript letters
        ("$e^{-x^2}$", "e^(-x²)"),  # a superscript inside a superscript
        (r"$x^{\prime}$", "x′"),
        (r"$90^\circ$", "90°"),
        ("$x_1^2$", "x₁²"),
        (r"$\mathrm{ReLU}(z)^2$", "ReLU(z)²"),
        (r"$\text{gain}^2 = 25/9$", "gain² = 25/9"),
    ],
)
def test_superscripts(source: str, expected: str) -> None:
    assert render(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (r"$\mathrm{Var}(W)$", "Var(W)"),
        (r"$\text{fan}_{in}$", "fan_in"),
        (r"$\mathrm{fan\_in}$", "fan_in"),
        (r"$\operatorname{x}$", "x"),
        (r"$\operatorname{erf}x$", "erf x"),
        (r"$a \cdot b$", "a · b"),
        (r"$3 \times 3$", "3 × 3"),
        (r"$x \approx 0.1$", "x ≈ 0.1"),
        (r"$W \sim U[-L, L]$", "W ~ U[-L, L]"),
        (r"$\pm 1$", "± 1"),
        (r"$a \le b \leq c$", "a ≤ b ≤ c"),
        (r"$a \ge b \geq c$", "a ≥ b ≥ c"),
        (r"$a \neq b \ne c$", "a ≠ b ≠ c"),
        (r"$784 \to 256 \rightarrow 10$", "784 → 256 → 10"),
        (r"$r^L \to \infty$", "rᴸ → ∞"),
        (r"$\sigma \mu$", "σ μ"),
        (
            r"$\alpha \beta \gamma \delta \epsilon \varepsilon \eta \theta \lambda \pi \rho \tau \phi \omega$",
            "α β γ δ ε ε η θ λ π ρ τ φ ω",
        ),
        (r"$\Gamma \Delta \Sigma \Omega$", "Γ Δ Σ Ω"),
        (r"$\mathcal{N}(0, 1)$", "N(0, 1)"),
        (r"$\mathbb{R}^n$", "ℝⁿ"),
        (r"$a\,b\;c\!d\quad e\ f$", "a b cd  e f"),
        (r"$\left(x\right)$", "(x)"),
        (r"$\left[x\right.$", "[x"),
        (r"$\{a\}$", "{a}"),
        (r"$\left\{a\right\}$", "{a}"),
        (r"$5\%$", "5%"),
        (r"$2/(\ldots)$", "2/(…)"),
        (r"$1, \dots, n$", "1, …, n"),
        (r"$\hat{x}$", "x̂"),
        (r"$\binom{n}{k}$", "C(n, k)"),
        (r"$\log x$", "log x"),
        (r"$\log\sigma$", "log σ"),
        (r"$\inf S$", "inf S"),
        (r"$|z|$", "|z|"),
        (r"$\sigma'(z) = \sigma(z)(1 - \sigma(z))$", "σ'(z) = σ(z)(1 - σ(z))"),
    ],
)
def test_commands(source: str, expected: str) -> None:
    assert render(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (r"$\foo$", "foo"),
        (r"$\foo{x}$", "foo x"),
        (r"$\widebar{x} + 1$", "widebar x + 1"),
        (r"$\mathrm{x}\unknowncommand$", "xunknowncommand"),
    ],
)
def test_unknown_commands_keep_their_name_and_argument(source: str, expected: str) -> None:
    assert render(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # LaTeX writes juxtaposition; a word subscript or an inline fraction needs a space.
        (r"$n_{in}\mathrm{Var}(W) = 1$", "n_in Var(W) = 1"),
        (r"$n_{in}n_{out}$", "n_in n_out"),
        (r"$\tfrac{1}{2}E[z^2]$", "1/2 E[z²]"),
        (r"$L = \frac{5}{3}\sqrt{6/600}$", "L = 5/3 √(6/600)"),
        (r"$\sqrt{3}x$", "√3 x"),
        # ... but not where the source already separates them, or before punctuation.
        (r"$n_{in}\,\mathrm{Var}(W)$", "n_in Var(W)"),
        (r"$C_{in} k_h$", "C_in kₕ"),
        (r"$n_{in}+n_{out}$", "n_in+n_out"),
        (r"$\mathrm{d}x$", "dx"),
    ],
)
def test_juxtaposition(source: str, expected: str) -> None:
    assert render(source) == expected


# --- Delimiters and Markdown -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("the weights $W$ and biases $b$", "the weights W and biases b"),
        ("$$x^2$$", "x²"),
        ("Display: $$ \\frac{a}{b} $$ done", "Display: a/b done"),
        (r"costs \$5", "costs $5"),
        (r"$\$5$", "$5"),
        # Pandoc's rule: no space after an opening or before a closing $, no digit after it.
        ("between $5 and $10", "between $5 and $10"),
        ("$ x$ and $x $", "$ x$ and $x $"),
        ("a lone $ sign", "a lone $ sign"),
        ("$a$5", "$a$5"),
        ("multi-line $n_{in} \\times\nn_{out}$ maths", "multi-line n_in ×\nn_out maths"),
    ],
)
def test_dollars(source: str, expected: str) -> None:
    assert render(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("How many **weights** are there?", "How many weights are there?"),
        ("the *same* gradient", "the same gradient"),
        ("***both***", "both"),
        ("__strong__ and _em_", "strong and em"),
        ("call `torch.nn.init.xavier_uniform_(w)`", "call torch.nn.init.xavier_uniform_(w)"),
        ("``a ` b``", "a ` b"),
        ("`Conv*` layers", "Conv* layers"),
        ("`$x$` is not maths in code", "$x$ is not maths in code"),
        ("**$n_{in}$ inputs**", "n_in inputs"),
        # Left alone: identifiers, products, lists, unpaired markers.
        ("n_in and xavier_uniform_ and fan_in", "n_in and xavier_uniform_ and fan_in"),
        ("2 * 3 = 6", "2 * 3 = 6"),
        ("* a list item", "* a list item"),
        ("an *unclosed marker", "an *unclosed marker"),
        ("an `unclosed code span", "an `unclosed code span"),
        (r"a \*literal\* star", "a *literal* star"),
        (r"C:\Users", r"C:\Users"),
        ("plain text, 50% (of it)", "plain text, 50% (of it)"),
    ],
)
def test_markdown(source: str, expected: str) -> None:
    assert render(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (r"$\frac{1}{2$", "1/2"),
        (r"$\frac{1}$", "1"),
        (r"$\sqrt$", "√"),
        ("$x^$", "x^"),
        ("$x_$", "x_"),
        ("${a$", "a"),
        ("$a}$", "a"),
        ("$a}}{{b$", "ab"),
        ("$a\\$", "$a$"),  # the only closing dollar is escaped: no maths, a literal $
        ("$\\sqrt[3$", "∛"),
        ("$\\left$", ""),
        ("${$", ""),
        ("", ""),
    ],
)
def test_unbalanced_input_renders_best_effort(source: str, expected: str) -> None:
    assert render(source) == expected


def test_deep_nesting_does_not_recurse() -> None:
    depth = 100
    source = "$" + r"\frac{" * depth + "1" + "}{2}" * depth + "$"
    expected = "1"
    for _ in range(depth):
        expected = f"{expected}/2" if expected == "1" else f"({expected})/2"
    assert render(source) == expected
    # Far deeper than Python's recursion limit, balanced or not.
    for source in (
        "$" + r"\frac{" * 5000 + "$",
        "$" + "{" * 5000 + "x" + "}" * 5000 + "$",
        "$" + r"\sqrt{" * 3000 + "x" + "}" * 3000 + "$",
        "$" + "x^{" * 3000 + "$",
    ):
        render(source)


# --- Real inputs: every bundled bank and every generator ----------------------------------------


def _text_fields(question: Question) -> Iterator[str]:
    yield question.prompt
    yield question.explanation
    if question.hint:
        yield question.hint
    for option in getattr(question, "options", None) or ():
        yield option.text
        if option.feedback:
            yield option.feedback


def _assert_clean(source: str) -> None:
    rendered = render(source)
    context = f"{source!r} -> {rendered!r}"
    assert "$" not in rendered, context
    assert "\\" not in rendered, context
    assert "\\frac" not in rendered, context
    if "{" in rendered:
        assert "\\{" in source, context
    if "}" in rendered:
        assert "\\}" in source, context


def test_every_bank_text_renders_clean() -> None:
    bank = load_banks()
    texts = [text for question in bank.questions for text in _text_fields(question)]
    assert len(texts) > 300
    assert any("$" in text for text in texts)
    for text in texts:
        _assert_clean(text)


def test_every_generator_renders_clean() -> None:
    bank = load_banks()
    assert bank.generators
    for generator in bank.generators.values():
        for question in generator.variants(min(50, generator.space_size or 50), 1):
            for text in _text_fields(question):
                _assert_clean(text)


def test_real_examples() -> None:
    assert (
        render(
            r"Xavier (Glorot) initialisation balances the forward condition $n_{in}\mathrm{Var}(W) = 1$ "
            r"and the backward condition $n_{out}\mathrm{Var}(W) = 1$ with "
            r"$\mathrm{Var}(W) = \frac{2}{n_{in} + n_{out}}$."
        )
        == "Xavier (Glorot) initialisation balances the forward condition n_in Var(W) = 1 "
        "and the backward condition n_out Var(W) = 1 with Var(W) = 2/(n_in + n_out)."
    )
    assert (
        render(r"$\mathrm{fan\_in} = C_{in} \cdot k_h \cdot k_w = 3 \times 3 \times 3 = 27$")
        == "fan_in = C_in · kₕ · k_w = 3 × 3 × 3 = 27"
    )
    assert (
        render(r"The range is $[-\sqrt{6/(n_{in}+n_{out})},\ +\sqrt{6/(n_{in}+n_{out})}]$.")
        == "The range is [-√(6/(n_in+n_out)), +√(6/(n_in+n_out))]."
    )
    assert render(r"so $E[\mathrm{ReLU}(z)^2] = \tfrac{1}{2}E[z^2]$") == "so E[ReLU(z)²] = 1/2 E[z²]"


# --- Robustness ------------------------------------------------------------------------------

MAX_SECONDS = 0.05


def _quick(text: str) -> None:
    within(MAX_SECONDS, lambda: render(text), text)


@given(st.text(max_size=2000))
def test_any_text_renders_quickly(text: str) -> None:
    assert isinstance(render(text), str)
    _quick(text)


_PIECES = st.sampled_from(
    [
        "$",
        "$$",
        "\\$",
        "\\",
        "{",
        "}",
        "[",
        "]",
        "(",
        ")",
        "^",
        "_",
        "`",
        "``",
        "*",
        "**",
        " ",
        "\n",
        "a",
        "2",
        "\\frac",
        "\\sqrt",
        "\\sqrt[",
        "\\mathrm{",
        "\\left",
        "\\right",
        "\\cdot",
        "\\{",
        "\\unknown",
        "n_{in}",
    ]
)


@given(st.lists(_PIECES, max_size=400).map("".join).filter(lambda text: len(text) <= 2000))
def test_markup_soup_renders_quickly(text: str) -> None:
    assert isinstance(render(text), str)
    _quick(text)


@pytest.mark.parametrize(
    "text",
    [
        "$" * 2000,
        "$a" * 1000,
        "$a $" * 500,
        "\\" * 2000,
        "`" * 2000,
        "".join("`" * k + "a" for k in range(1, 62)),
        "*a" * 1000,
        "_a" * 1000,
        "$" + "{" * 1998 + "$",
        "$" + "}" * 1998 + "$",
        "$" + "^" * 1998 + "$",
        "$" + "_" * 1998 + "$",
        "$" + "_(" * 999 + "$",
        "$" + "_{(" * 666 + "$",
        "$" + r"\sqrt[" * 333 + "$",
        "$" + r"\sqrt{(" * 285 + "$",
        "$" + r"\frac{x}{" * 220 + "$",
        "$" + "x^{" * 666 + "$",
        "$" + r"\left" * 399 + "$",
        "$" + r"\mathbb{" * 249 + "$",
        "$" + r"\hat{" * 399 + "$",
    ],
)
def test_pathological_input_renders_quickly(text: str) -> None:
    _quick(text)


def test_plain_text_is_unchanged() -> None:
    text = "Xavier uses n_in + n_out; He uses 2/n_in. Costs: 5 $ or 10 $. (a) [b] {c} ^ ~ 50%"
    assert render(text) == text


def test_import_is_light() -> None:
    """termmath is on the start-up path of `quizgen drill`: it must not pull in heavy modules."""
    code = (
        "import sys; import quizgen; before = set(sys.modules); import quizgen.termmath; "
        "print(sorted(set(sys.modules) - before - {'quizgen.termmath'}))"
    )
    added = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert added == "[]", added


def test_a_fenced_code_block_is_indented_and_left_as_written() -> None:
    text = "Read this:\n\n```python\nw = torch.empty(784, 256)  # a*b, x_in\n```\n\nThen $n_{\\mathrm{in}}$?"
    assert render(text) == "Read this:\n\n    w = torch.empty(784, 256)  # a*b, x_in\n\nThen n_in?"
    assert render("~~~\n$x$ *y*\n~~~") == "    $x$ *y*"
    assert render("An unclosed ``` fence stays text") == "An unclosed ``` fence stays text"
