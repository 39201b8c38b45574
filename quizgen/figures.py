"""Figures for printable worksheets: an inline SVG chart of vanishing and exploding activations.

`simulate` (simulation.py, where the claims that questions make are checked too)
runs a real, seeded forward pass through a deep MLP for five weight
initialisations and two activations and records the standard deviation of the
activations after every layer; `activation_std_svg` draws the result as a
self-contained SVG string (no plotting library, no CSS, no fonts to fetch, no
scripts, no links) for embedding in an HTML worksheet.

The SVG is drawn for a print width of about 170 mm: its viewBox is 680 user units
wide, so 4 units are 1 mm, and a font size of 11 units prints at about 7.8 pt.
Schemes differ in colour (Okabe-Ito, colour-blind safe) and also in dash pattern
and marker shape, so the chart still reads on a greyscale printer.
Every number is written with fixed precision, so one seed gives one exact string.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from .models import Question
from .simulation import ACTIVATIONS, SCHEMES, Series, simulate, weight_std

__all__ = [
    "ACTIVATIONS",
    "SCHEMES",
    "Series",
    "activation_std_svg",
    "figure_question",
    "render_svg",
    "simulate",
    "weight_std",
]


# ---------------------------------------------------------------------------
# Drawing


@dataclass(frozen=True)
class _Style:
    colour: str
    dash: str  # stroke-dasharray; "" for a solid line
    marker: str  # cross, diamond, triangle, square, circle
    filled: bool


_STYLES: dict[str, _Style] = {
    "zero": _Style("#555555", "1.5 2.5", "cross", False),
    "too small (σ = 0.01)": _Style("#0072B2", "4 2.5", "diamond", False),
    "too large (σ = 1)": _Style("#D55E00", "10 3", "triangle", True),
    "Xavier": _Style("#009E73", "7 2.5 1.5 2.5", "square", False),
    "He": _Style("#5E3C99", "", "circle", True),
}

_VIEW_W = 680.0
_VIEW_H = 440.0
_FONT = "DejaVu Sans, Verdana, Arial, Helvetica, sans-serif"

# Panels (tanh | ReLU), in user units.
_PANEL_X = ((70.0, 320.0), (418.0, 668.0))
_PLOT_TOP = 66.0
_LOG_BOTTOM = 296.0  # bottom of the log-scaled area
_STRIP_TOP = 304.0  # the separate "std = 0" strip below an axis break
_ZERO_Y = 326.0
_STRIP_BOTTOM = 334.0
_X_PAD = 10.0

# A log axis cannot show 0; far beyond these decades the chart stops being readable,
# so positive values outside them are clamped to the edge (and the description says so).
_MIN_DECADE = -30
_MAX_DECADE = 30


def _n(value: float) -> str:
    """A coordinate with two decimals, never '-0.00'."""
    text = f"{value:.2f}"
    return "0.00" if text == "-0.00" else text


def _decade_bounds(values: Sequence[float]) -> tuple[int, int]:
    """Whole decades [lo, hi] that hold every positive value with a little room at both ends."""
    positive = [v for v in values if v > 0.0]
    if not positive:
        return -1, 1
    lo = math.floor(math.log10(min(positive)) - 0.1)
    hi = math.ceil(math.log10(max(positive)) + 0.1)
    lo = min(max(lo, _MIN_DECADE), _MAX_DECADE - 1)
    hi = max(min(hi, _MAX_DECADE), lo + 1)
    return lo, hi


def _label_step(lo: int, hi: int) -> int:
    """Label every 1st, 2nd, 5th, 10th... decade: the smallest step with at most 8 intervals."""
    for step in (1, 2, 5, 10, 20):
        if (hi - lo) / step <= 8:
            return step
    return 50


def _power_label(x: float, y: float, exponent: int) -> list[str]:
    """10^k right-aligned at x: "10" and a raised exponent, as two texts.

    Two text elements rather than a tspan, because some renderers align only the first
    part of a text with text-anchor="end"; the exponent's width is estimated (digits and
    the minus sign are about 0.64 em wide at font size 8).
    """
    sign = "−" if exponent < 0 else ""  # U+2212 MINUS SIGN
    power = f"{sign}{abs(exponent)}"
    start = x - 0.64 * 8 * len(power)
    return [
        f'<text x="{_n(start - 0.5)}" y="{_n(y)}" text-anchor="end" font-size="11">10</text>',
        f'<text x="{_n(start)}" y="{_n(y - 4.5)}" font-size="8">{power}</text>',
    ]


def _marker_d(x: float, y: float, shape: str) -> str:
    """The path data of one marker (absolute coordinates); circles are drawn as <circle>."""
    if shape == "square":
        s = 2.8
        return f"M{_n(x - s)},{_n(y - s)} L{_n(x + s)},{_n(y - s)} L{_n(x + s)},{_n(y + s)} L{_n(x - s)},{_n(y + s)} Z"
    if shape == "diamond":
        s = 3.8
        return f"M{_n(x)},{_n(y - s)} L{_n(x + s)},{_n(y)} L{_n(x)},{_n(y + s)} L{_n(x - s)},{_n(y)} Z"
    if shape == "triangle":
        s = 3.8
        return f"M{_n(x)},{_n(y - s)} L{_n(x + s)},{_n(y + 0.7 * s)} L{_n(x - s)},{_n(y + 0.7 * s)} Z"
    s = 3.0  # cross
    return (
        f"M{_n(x - s)},{_n(y - s)} L{_n(x + s)},{_n(y + s)} M{_n(x - s)},{_n(y + s)} L{_n(x + s)},{_n(y - s)}"
    )


def _markers(points: Sequence[tuple[float, float]], style: _Style) -> list[str]:
    """The markers of one series: one path for all of them (or circles)."""
    fill = style.colour if style.filled else "#ffffff"
    if style.marker == "circle":
        attrs = f'r="3.00" fill="{fill}" stroke="{style.colour}" stroke-width="1.2"'
        return [f'<circle cx="{_n(x)}" cy="{_n(y)}" {attrs}/>' for x, y in points]
    if style.marker == "cross":
        fill, width = "none", "1.3"
    else:
        width = "1.2"
    d = " ".join(_marker_d(x, y, style.marker) for x, y in points)
    return [f'<path d="{d}" fill="{fill}" stroke="{style.colour}" stroke-width="{width}"/>']


def _line_attrs(style: _Style, width: float = 1.7) -> str:
    dash = f' stroke-dasharray="{style.dash}"' if style.dash else ""
    return f'fill="none" stroke="{style.colour}" stroke-width="{width:.1f}"{dash} stroke-linejoin="round"'


def _legend_label(scheme: str, width: int) -> str:
    if scheme == "zero":
        return "zero (all weights 0)"
    if scheme == "Xavier":
        return f"Xavier (σ = √(2/(n_in + n_out)) ≈ {weight_std(scheme, width, width):.4f})"
    if scheme == "He":
        return f"He (σ = √(2/n_in) ≈ {weight_std(scheme, width, width):.4f})"
    return scheme


def _describe(series: Sequence[Series], layers: int, width: int, batch: int, seed: int) -> str:
    parts = [
        f"Line chart in two panels, tanh on the left and ReLU on the right, of the standard deviation "
        f"of the activations after each of the {layers} layers of a bias-free multilayer perceptron "
        f"{width} units wide, fed {batch} inputs drawn from N(0, 1) (seed {seed}), for five weight "
        f"initialisations. The vertical axis is logarithmic; zero initialisation, whose std is exactly 0, "
        f"is drawn in a separate strip below the axis break."
    ]
    for activation in ACTIVATIONS:
        lines = []
        for s in series:
            if s.activation != activation:
                continue
            if all(v == 0.0 for v in s.stds):
                lines.append(f"{s.scheme}: 0 at every layer")
            else:
                lines.append(f"{s.scheme}: {s.stds[0]:.2g} at layer 1, {s.stds[-1]:.2g} at layer {layers}")
        parts.append(f"{activation}: " + "; ".join(lines) + ".")
    return " ".join(parts)


def _panel(
    series: Sequence[Series], activation: str, x0: float, x1: float, layers: int, left_title: bool
) -> tuple[list[str], bool]:
    """One panel's elements, and whether any value had to be clamped to the axis range."""
    out: list[str] = []
    values = [v for s in series for v in s.stds]
    if not all(math.isfinite(v) for v in values):
        raise ValueError(f"{activation}: the simulation overflowed (a std is not finite)")
    lo, hi = _decade_bounds(values)
    step = _label_step(lo, hi)
    clamped = any(v > 0.0 and not 10.0**lo <= v <= 10.0**hi for v in values)

    def x_of(layer: int) -> float:
        if layers == 1:
            return (x0 + x1) / 2
        return x0 + _X_PAD + (layer - 1) * (x1 - x0 - 2 * _X_PAD) / (layers - 1)

    def y_of(value: float) -> float:
        if value == 0.0:
            return _ZERO_Y
        exponent = min(max(math.log10(value), lo), hi)
        return _LOG_BOTTOM - (exponent - lo) * (_LOG_BOTTOM - _PLOT_TOP) / (hi - lo)

    mid = (x0 + x1) / 2
    out.append(
        f'<text x="{_n(mid)}" y="{_n(_PLOT_TOP - 8)}" text-anchor="middle" font-size="12.5" '
        f'font-weight="bold">{escape(activation)} activation</text>'
    )
    # Grid: a faint line at every decade, a darker one at labelled decades, darkest at std = 1.
    labelled = [k for k in range(lo, hi + 1) if k % step == 0]
    grid: dict[str, list[str]] = {"#eeeeee": [], "#d4d4d4": [], "#999999": []}
    for k in range(lo, hi + 1):
        colour = "#999999" if k == 0 else "#d4d4d4" if k in labelled else "#eeeeee"
        y = _n(y_of(10.0**k))
        grid[colour].append(f"M{_n(x0)},{y} L{_n(x1)},{y}")
    for colour, lines in grid.items():
        if lines:
            out.append(f'<path d="{" ".join(lines)}" fill="none" stroke="{colour}" stroke-width="0.6"/>')
    # Frames: the log-scaled area, and below an axis break the strip where std = 0 is drawn.
    # A log axis has no place for 0, and clamping zero to the lowest decade would claim a
    # small positive std that the network does not have; a separate, labelled strip shows
    # "exactly zero" honestly and keeps the zero-init line away from the vanishing ones.
    for top, bottom in ((_PLOT_TOP, _LOG_BOTTOM), (_STRIP_TOP, _STRIP_BOTTOM)):
        out.append(
            f'<rect x="{_n(x0)}" y="{_n(top)}" width="{_n(x1 - x0)}" height="{_n(bottom - top)}" '
            f'fill="none" stroke="#333333" stroke-width="0.8"/>'
        )
    # Ticks: axis-break marks on the left edge between the two frames, y ticks at the
    # labelled decades and at 0, x ticks at every layer.
    ticks = [
        f"M{_n(x0 - 5)},{_n(_LOG_BOTTOM + 5)} L{_n(x0 + 5)},{_n(_LOG_BOTTOM + 1)}",
        f"M{_n(x0 - 5)},{_n(_STRIP_TOP - 1)} L{_n(x0 + 5)},{_n(_STRIP_TOP - 5)}",
    ]
    ticks.extend(
        f"M{_n(x0 - 4)},{_n(y)} L{_n(x0)},{_n(y)}" for y in [*map(y_of, (10.0**k for k in labelled)), _ZERO_Y]
    )
    ticks.extend(
        f"M{_n(x_of(layer))},{_n(_STRIP_BOTTOM)} L{_n(x_of(layer))},{_n(_STRIP_BOTTOM + 4)}"
        for layer in range(1, layers + 1)
    )
    out.append(f'<path d="{" ".join(ticks)}" fill="none" stroke="#333333" stroke-width="0.8"/>')
    # Tick labels: 10^k at labelled decades, 0 for the strip, odd layers (and the last).
    out.append('<g fill="#222222">')
    for k in labelled:
        out.extend(_power_label(x0 - 6, y_of(10.0**k) + 4, k))
    out.append(f'<text x="{_n(x0 - 6)}" y="{_n(_ZERO_Y + 4)}" text-anchor="end" font-size="11">0</text>')
    for layer in range(1, layers + 1):
        if layer % 2 == 1 or layer == layers:
            out.append(
                f'<text x="{_n(x_of(layer))}" y="{_n(_STRIP_BOTTOM + 15)}" text-anchor="middle" '
                f'font-size="11">{layer}</text>'
            )
    out.append("</g>")
    out.append(
        f'<text x="{_n(mid)}" y="{_n(_STRIP_BOTTOM + 31)}" text-anchor="middle" font-size="12">layer</text>'
    )
    if left_title:
        cy = (_PLOT_TOP + _STRIP_BOTTOM) / 2
        out.append(
            f'<text x="16.00" y="{_n(cy)}" text-anchor="middle" font-size="12" '
            f'transform="rotate(-90 16.00 {_n(cy)})">std of activations (log scale)</text>'
        )
    out.append(
        f'<text x="{_n(x0 + 6)}" y="{_n(_ZERO_Y - 8)}" font-size="10" fill="#333333">'
        f"zero init: std = 0 at every layer</text>"
    )
    # The series: zero first, so that no other line is hidden under it.
    for s in series:
        style = _STYLES[s.scheme]
        points = " ".join(f"{_n(x_of(i + 1))},{_n(y_of(v))}" for i, v in enumerate(s.stds))
        group = [f"<g aria-label={quoteattr(f'{s.scheme}, {activation}')}>"]
        group.append(f'<polyline points="{points}" {_line_attrs(style)}/>')
        group.extend(_markers([(x_of(i + 1), y_of(v)) for i, v in enumerate(s.stds)], style))
        group.append("</g>")
        out.extend(group)
    return out, clamped


def render_svg(series: Sequence[Series], *, seed: int, width: int, batch: int) -> str:
    """Draw the series from `simulate` (two panels, tanh | ReLU) as a standalone SVG string."""
    layers = len(series[0].stds) if series else 0
    if layers < 1 or any(len(s.stds) != layers for s in series):
        raise ValueError("every series needs the same, non-zero number of layers")
    for s in series:
        if s.scheme not in _STYLES or s.activation not in ACTIVATIONS:
            raise ValueError(f"no style for {s.scheme!r} / {s.activation!r}")
    body: list[str] = []
    any_clamped = False
    for index, activation in enumerate(ACTIVATIONS):
        x0, x1 = _PANEL_X[index]
        chosen = [s for s in series if s.activation == activation]
        elements, clamped = _panel(chosen, activation, x0, x1, layers, left_title=index == 0)
        body.extend(elements)
        any_clamped = any_clamped or clamped

    # Legend: two columns, three rows, below the panels.
    legend = ['<g aria-label="legend" font-size="11" fill="#111111">']
    for i, scheme in enumerate(SCHEMES):
        style = _STYLES[scheme]
        lx = 70.0 + (i % 2) * 300.0
        ly = 392.0 + (i // 2) * 18.0
        legend.append(
            f'<line x1="{_n(lx)}" y1="{_n(ly)}" x2="{_n(lx + 36)}" y2="{_n(ly)}" {_line_attrs(style)}/>'
        )
        legend.extend(_markers([(lx + 18, ly)], style))
        legend.append(
            f'<text x="{_n(lx + 44)}" y="{_n(ly + 4)}">{escape(_legend_label(scheme, width))}</text>'
        )
    legend.append("</g>")

    title = "Standard deviation of activations across layers, by weight initialisation (tanh and ReLU)"
    desc = _describe(series, layers, width, batch, seed)
    subtitle = (
        f"{layers}-layer MLP, {width} units per layer, no bias, {batch} inputs from N(0, 1), seed {seed}; "
        f"each panel has its own y range"
    )
    if any_clamped:
        note = f" Values outside 10^{_MIN_DECADE} to 10^{_MAX_DECADE} are drawn at the edge of the axis."
        desc += note
        subtitle += "; off-scale values drawn at the edge"
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_VIEW_W:.0f} {_VIEW_H:.0f}" width="100%" '
        f'role="img" font-family="{_FONT}">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(desc)}</desc>",
        f'<rect x="0.00" y="0.00" width="{_n(_VIEW_W)}" height="{_n(_VIEW_H)}" fill="#ffffff"/>',
        f'<text x="{_n(_VIEW_W / 2)}" y="20.00" text-anchor="middle" font-size="14" font-weight="bold" '
        f'fill="#111111">Vanishing and exploding activations: std after each layer</text>',
        f'<text x="{_n(_VIEW_W / 2)}" y="36.00" text-anchor="middle" font-size="10.5" fill="#444444">'
        f"{escape(subtitle)}</text>",
    ]
    return "\n".join([*head, *body, *legend, "</svg>"]) + "\n"


SIMULATION_LAYERS = 15
SIMULATION_WIDTH = 256
SIMULATION_BATCH = 512
"""The worksheet figure's network: 15 bias-free layers of 256 units, fed 512 inputs."""


def activation_std_svg(seed: int = 0) -> str:
    """Two side-by-side panels (tanh | ReLU) of the activation std across 15 layers, as inline SVG.

    Log-scale y axis (decade bounds from the data, per panel), tick labels 10^k, axis titles
    'layer' and 'std of activations (log scale)', a legend for the five schemes and a title;
    zero initialisation is drawn in a labelled strip below an axis break. The same seed
    always gives the same string.
    """
    width, batch = SIMULATION_WIDTH, SIMULATION_BATCH
    return render_svg(
        simulate(seed, layers=SIMULATION_LAYERS, width=width, batch=batch),
        seed=seed,
        width=width,
        batch=batch,
    )


# ---------------------------------------------------------------------------
# The question a sheet asks about its figure

FIGURE_CLAIMS = (
    "he-relu-preserves",
    "xavier-relu-vanishes",
    "relu-halves-second-moment",
    "small-weights-vanish",
)
"""What the figure question's key relies on (each checked by `quizgen claims --check`)."""


def _short(value: float) -> str:
    """A std read off the chart: 2 significant figures, ``3.3 × 10⁻³`` when small or large."""
    from decimal import Decimal

    from .precision import decimal_text

    if value == 0.0:
        return "0"
    if not math.isfinite(value):
        return "∞" if value > 0 else "NaN"
    return decimal_text(Decimal(f"{value:.1e}"), style="unicode")


def _scheme_option(scheme: str) -> str:
    return {
        "zero": "all weights zero",
        "too small (σ = 0.01)": "weights too small, $\\sigma = 0.01$",
        "too large (σ = 1)": "weights too large, $\\sigma = 1$",
        "Xavier": "Xavier, $\\mathrm{Var}(W) = 2/(n_{\\mathrm{in}} + n_{\\mathrm{out}})$",
        "He": "He, $\\mathrm{Var}(W) = 2/n_{\\mathrm{in}}$",
    }[scheme]


def figure_question(series: Sequence[Series], *, seed: int, question_id: str = "figure-1") -> Question:
    """A choice question on Figure 1's ReLU panel, keyed from the simulation it draws.

    Which initialisation keeps a non-zero signal at a steady scale from layer 1 to the last layer:
    the scheme whose last-layer std is nearest (on the log scale the chart uses) to its layer-1 std,
    among the schemes whose signal is not zero. The explanation quotes the simulated values.
    """
    from .models import ChoiceQuestion

    relu = [s for s in series if s.activation == "ReLU"]
    if not relu:
        raise ValueError("the figure question needs the ReLU series")
    layers = len(relu[0].stds)

    def drift(s: Series) -> float:
        first, last = s.stds[0], s.stds[-1]
        if not (first > 0 and last > 0 and math.isfinite(first) and math.isfinite(last)):
            return math.inf
        return abs(math.log10(last / first))

    steady = min(relu, key=drift)
    if not math.isfinite(drift(steady)):
        raise ValueError("no ReLU series keeps a finite, non-zero signal")
    readings = "; ".join(
        f"{'zero weights' if s.scheme == 'zero' else s.scheme}: {_short(s.stds[0])} → {_short(s.stds[-1])}"
        for s in relu
    )
    options = [{"text": _scheme_option(s.scheme)} for s in relu]
    explanation = (
        f"In the simulation drawn in Figure 1 (seed {seed}), the standard deviation of the ReLU activations "
        f"goes from layer 1 to layer {layers} as follows: {readings}. {steady.scheme} keeps the signal at "
        "the same scale. "
        "ReLU keeps half of the second moment of its input, so a layer multiplies it by "
        "$\\tfrac{1}{2}\\,n_{\\mathrm{in}}\\,\\mathrm{Var}(W)$: He's $\\mathrm{Var}(W) = 2/n_{\\mathrm{in}}$ makes "
        "that factor 1, Xavier's (here $1/n_{\\mathrm{in}}$) halves it at every layer, weights that are too small "
        "shrink it and weights that are too large blow it up; zero weights give no signal at all."
    )
    return ChoiceQuestion.model_validate(
        {
            "id": question_id,
            "type": "choice",
            "topic": "vanishing",
            "prompt": (
                f"Figure 1 shows the standard deviation of the activations after each of {layers} layers. "
                "In its ReLU panel (right), which initialisation keeps a non-zero signal at about the same "
                f"scale from layer 1 to layer {layers}?"
            ),
            "options": options,
            "answer": relu.index(steady) + 1,
            "explanation": explanation,
            "difficulty": 1,
            "claims": FIGURE_CLAIMS,
            "source": "quizgen's seeded simulation (Figure 1)",
        }
    )
