"""The activation-std figure: the simulation obeys the physics, and the SVG is safe, accessible and exact.

Each physics check compares `simulate` with an expectation worked out independently of
it: the variance gain per layer n_in σ² × (1/2 for ReLU, about 1 for tanh near 0), and
the mean-field recursion for an infinitely wide layer, integrated numerically here.
"""

from __future__ import annotations

import itertools
import math
import re
import xml.etree.ElementTree as ET
from functools import cache

import numpy as np
import pytest

from quizgen.figures import ACTIVATIONS, SCHEMES, Series, activation_std_svg, simulate, weight_std

SVG = "{http://www.w3.org/2000/svg}"
SMALL = "too small (σ = 0.01)"
LARGE = "too large (σ = 1)"
SEEDS = (0, 1, 2)
LAYERS, WIDTH = 15, 256


@cache
def stds(seed: int) -> dict[tuple[str, str], tuple[float, ...]]:
    return {(s.scheme, s.activation): s.stds for s in simulate(seed)}


@cache
def svg(seed: int) -> str:
    return activation_std_svg(seed)


def ratio_per_layer(values: tuple[float, ...]) -> float:
    """The geometric mean of std(layer l+1) / std(layer l) over the layers."""
    return float((values[-1] / values[0]) ** (1 / (len(values) - 1)))


def mean_field(sigma: float, activation: str, layers: int = LAYERS, n: int = WIDTH) -> list[float]:
    """Std of the activations of an infinitely wide bias-free layer stack (mean-field theory).

    The pre-activation variance is q = n σ² E[h²] (E[x²] = 1 for the input); the activation
    then has E[φ(√q z)] and E[φ(√q z)²] with z ~ N(0, 1): exact for ReLU, numerical for tanh.
    """
    # A fine Riemann sum against the normal density: tanh(16 z) is almost a step, which
    # Gauss-Hermite quadrature integrates badly.
    nodes = np.linspace(-12.0, 12.0, 48_001)
    weights = np.exp(-(nodes**2) / 2)
    weights = weights / weights.sum()
    second_moment, out = 1.0, []
    for _ in range(layers):
        q = n * sigma**2 * second_moment
        if activation == "ReLU":
            mean, second_moment = math.sqrt(q / (2 * math.pi)), q / 2
        else:
            a = np.tanh(math.sqrt(q) * nodes)
            mean, second_moment = float(weights @ a), float(weights @ a**2)
        out.append(math.sqrt(max(second_moment - mean**2, 0.0)))
    return out


# --- the simulation ---------------------------------------------------------


def test_ten_series_of_fifteen_layers_in_a_fixed_order() -> None:
    series = simulate()
    assert [(s.scheme, s.activation) for s in series] == [(sc, a) for sc in SCHEMES for a in ACTIVATIONS]
    assert all(isinstance(s, Series) and len(s.stds) == LAYERS for s in series)
    assert all(isinstance(v, float) and math.isfinite(v) and v >= 0 for s in series for v in s.stds)
    assert SCHEMES == ("zero", SMALL, LARGE, "Xavier", "He")


def test_weight_stds_are_the_textbook_formulas() -> None:
    assert weight_std("zero", 256, 256) == 0
    assert weight_std(SMALL, 256, 256) == 0.01
    assert weight_std(LARGE, 256, 256) == 1
    assert weight_std("Xavier", 300, 100) == pytest.approx(math.sqrt(2 / 400))
    assert weight_std("He", 300, 100) == pytest.approx(math.sqrt(2 / 300))
    with pytest.raises(ValueError):
        weight_std("LeCun", 1, 1)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_zero_init_gives_exactly_zero(activation: str) -> None:
    assert stds(0)[("zero", activation)] == (0.0,) * LAYERS


@pytest.mark.parametrize("seed", SEEDS)
def test_he_relu_stays_roughly_constant(seed: int) -> None:
    values = stds(seed)[("He", "ReLU")]
    # Layer 1: pre-activations N(0, 2); std of ReLU(N(0, q)) is sqrt(q (1/2 - 1/(2π))).
    assert values[0] == pytest.approx(math.sqrt(2 * (0.5 - 1 / (2 * math.pi))), rel=0.05)
    assert all(0.6 <= v <= 1.5 for v in values)
    assert ratio_per_layer(values) == pytest.approx(1.0, rel=0.05)


def test_he_relu_seed_0_is_in_the_textbook_band() -> None:
    assert all(0.8 <= v <= 1.5 for v in stds(0)[("He", "ReLU")])


@pytest.mark.parametrize("seed", SEEDS)
def test_xavier_relu_halves_the_variance_each_layer(seed: int) -> None:
    values = stds(seed)[("Xavier", "ReLU")]
    # n_in = n_out: Var gain per layer = n σ² / 2 = 256 × (2/512) / 2 = 1/2, so std × 1/√2.
    assert ratio_per_layer(values) == pytest.approx(1 / math.sqrt(2), rel=0.10)
    assert all(0.5 < b / a < 0.9 for a, b in itertools.pairwise(values))


@pytest.mark.parametrize("seed", SEEDS)
def test_xavier_tanh_decays_slowly(seed: int) -> None:
    values = stds(seed)[("Xavier", "tanh")]
    steps = [b / a for a, b in itertools.pairwise(values)]
    # Every layer loses a little, the first most (tanh(N(0, 1/2)) has std 0.63), and the
    # loss slows down as the activations get small and tanh gets more nearly linear.
    assert 0.7 < steps[0] < 0.85
    assert all(0.8 < r < 1.0 for r in steps[1:]), steps
    assert sum(steps[-5:]) / 5 > 0.9
    assert 0.1 < values[-1] < values[0] / 2
    assert values == pytest.approx(mean_field(weight_std("Xavier", WIDTH, WIDTH), "tanh"), rel=0.1)


@pytest.mark.parametrize("seed", SEEDS)
def test_too_large_tanh_saturates_near_one(seed: int) -> None:
    values = stds(seed)[(LARGE, "tanh")]
    # Pre-activations have std ≈ 16: almost every unit sits at ±1.
    assert all(0.95 <= v < 1.0 for v in values)
    assert values == pytest.approx(mean_field(1.0, "tanh"), rel=0.02)


@pytest.mark.parametrize("seed", SEEDS)
def test_too_large_relu_explodes(seed: int) -> None:
    values = stds(seed)[(LARGE, "ReLU")]
    assert ratio_per_layer(values) == pytest.approx(math.sqrt(WIDTH / 2), rel=0.15)  # 11.3 per layer
    assert values[-1] > 1e13


@pytest.mark.parametrize("seed", SEEDS)
def test_too_small_vanishes(seed: int) -> None:
    tanh, relu = stds(seed)[(SMALL, "tanh")], stds(seed)[(SMALL, "ReLU")]
    # tanh is linear near 0: std × 0.01 × √256 = 0.16 per layer; ReLU also halves the variance.
    assert tanh[0] == pytest.approx(0.16, rel=0.05)
    assert ratio_per_layer(tanh) == pytest.approx(0.01 * math.sqrt(WIDTH), rel=0.10)
    assert ratio_per_layer(relu) == pytest.approx(0.01 * math.sqrt(WIDTH / 2), rel=0.15)
    assert tanh[-1] < 1e-10 and relu[-1] < 1e-12


@pytest.mark.parametrize("seed", SEEDS)
def test_every_series_follows_mean_field_theory(seed: int) -> None:
    for (scheme, activation), values in stds(seed).items():
        expected = mean_field(weight_std(scheme, WIDTH, WIDTH), activation)
        if scheme == "zero":
            assert expected == [0.0] * LAYERS
            continue
        # tanh contracts towards its fixed point, so finite-width noise stays small; ReLU's
        # noise multiplies up layer after layer (a random walk of the log-std).
        tolerance = 0.1 if activation == "tanh" else 0.5
        drift = max(abs(math.log(v / e)) for v, e in zip(values, expected, strict=True))
        assert drift < tolerance, (scheme, activation, drift)


def test_the_same_seed_gives_the_same_numbers_and_another_seed_others() -> None:
    assert simulate(0) == simulate(0)
    first, second = stds(0), stds(1)
    for key, values in first.items():
        if key[0] != "zero":
            assert values != second[key]


def test_other_sizes_and_bad_sizes() -> None:
    series = simulate(3, layers=4, width=8, batch=5)
    assert len(series) == 10 and all(len(s.stds) == 4 for s in series)
    for bad in ({"layers": 0}, {"width": 0}, {"batch": -1}):
        with pytest.raises(ValueError):
            simulate(0, **bad)


# --- the SVG -----------------------------------------------------------------


def root_of(text: str) -> ET.Element:
    return ET.fromstring(text)


def texts(element: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in element.iter(f"{SVG}text")]


def test_svg_parses_with_title_desc_and_the_required_attributes() -> None:
    root = root_of(svg(0))
    assert root.tag == f"{SVG}svg"
    assert root.get("width") == "100%"
    assert root.get("role") == "img"
    assert re.fullmatch(r"0 0 \d+ \d+", root.get("viewBox", ""))
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text and "activation" in title.text.lower()
    assert desc is not None and desc.text
    assert "tanh" in desc.text and "ReLU" in desc.text and "0 at every layer" in desc.text
    assert list(root)[:2] == [title, desc]  # first children: the accessible name and description


def test_svg_has_axis_titles_panels_ticks_and_the_zero_label() -> None:
    all_texts = texts(root_of(svg(0)))
    assert "layer" in all_texts
    assert "std of activations (log scale)" in all_texts
    assert "tanh activation" in all_texts and "ReLU activation" in all_texts
    assert all_texts.count("zero init: std = 0 at every layer") == 2
    assert "−12" in all_texts and "15" in all_texts and "10" in all_texts  # 10⁻¹², 10¹⁵ exponents


def test_svg_legend_has_an_entry_for_every_scheme() -> None:
    root = root_of(svg(0))
    legends = [g for g in root.iter(f"{SVG}g") if g.get("aria-label") == "legend"]
    assert len(legends) == 1
    entries = texts(legends[0])
    assert len(entries) == len(SCHEMES)
    for scheme, entry in zip(SCHEMES, entries, strict=True):
        assert entry.startswith(scheme)


def test_svg_is_self_contained() -> None:
    text = svg(0)
    lowered = text.lower()
    for forbidden in ("script", "foreignobject", "<style", "@import", "url(", "<image"):
        assert forbidden not in lowered
    root = root_of(text)
    for element in root.iter():
        assert element.tag.startswith(SVG)
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on")  # no event handlers
            if "href" in name.lower():
                assert not value.lower().startswith(("http", "//", "data:"))
    # The only URL is the SVG namespace itself.
    assert re.findall(r"https?://[^\s\"']+", text) == ["http://www.w3.org/2000/svg"]


def numbers(text: str) -> list[float]:
    return [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", text)]


def test_every_coordinate_lies_within_the_viewbox() -> None:
    root = root_of(svg(0))
    _, _, width, height = (float(v) for v in root.get("viewBox", "").split())

    def inside(x: float, y: float) -> bool:
        return 0 <= x <= width and 0 <= y <= height

    points: list[tuple[float, float]] = []
    for element in root.iter():
        tag = element.tag.removeprefix(SVG)
        if tag in ("polyline", "path"):
            raw = element.get("points") or element.get("d") or ""
            assert re.fullmatch(r"[MLZ0-9.,\s-]*", raw), raw[:80]  # absolute commands only
            values = numbers(raw)
            assert values and len(values) % 2 == 0
            points.extend(zip(values[::2], values[1::2], strict=True))
        elif tag == "line":
            points += [
                (float(element.get(f"x{i}", "nan")), float(element.get(f"y{i}", "nan"))) for i in (1, 2)
            ]
        elif tag == "circle":
            r = float(element.get("r", "nan"))
            cx, cy = float(element.get("cx", "nan")), float(element.get("cy", "nan"))
            points += [(cx - r, cy - r), (cx + r, cy + r)]
        elif tag == "rect":
            x, y = float(element.get("x", "nan")), float(element.get("y", "nan"))
            points += [
                (x, y),
                (x + float(element.get("width", "nan")), y + float(element.get("height", "nan"))),
            ]
        elif tag == "text":
            points.append((float(element.get("x", "nan")), float(element.get("y", "nan"))))
    assert len(points) > 300
    outside = [p for p in points if not inside(*p)]
    assert not outside


def test_each_series_is_drawn_with_one_point_per_layer() -> None:
    root = root_of(svg(0))
    polylines = list(root.iter(f"{SVG}polyline"))
    assert len(polylines) == len(SCHEMES) * len(ACTIVATIONS)
    for line in polylines:
        values = numbers(line.get("points", ""))
        xs = values[::2]
        assert len(xs) == LAYERS and xs == sorted(xs)


def test_styles_differ_by_more_than_colour() -> None:
    root = root_of(svg(0))
    dashes = {line.get("stroke-dasharray", "solid") for line in root.iter(f"{SVG}polyline")}
    colours = {line.get("stroke") for line in root.iter(f"{SVG}polyline")}
    assert len(dashes) == len(SCHEMES) and len(colours) == len(SCHEMES)


def test_svg_is_deterministic_small_and_fixed_precision() -> None:
    text = svg(0)
    assert text == activation_std_svg(0)
    assert text != svg(1)
    assert len(text.encode()) < 40_000
    coordinates = re.findall(r' (?:x|y|x1|x2|y1|y2|cx|cy|r|width|height)="([^"]+)"', text)
    coordinates = [c for c in coordinates if c != "100%"]  # the root's width
    assert coordinates and all(re.fullmatch(r"-?\d+\.\d\d", c) for c in coordinates)
    assert "-0.00" not in text
