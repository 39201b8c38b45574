"""Moodle XML: structure per question type, categories, calculated questions checked independently."""

from __future__ import annotations

import html
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from quizgen import __version__, load_banks
from quizgen.cli import main
from quizgen.exporters import build_export_set, export
from quizgen.exporters.moodle import MOODLE_FRACTIONS
from quizgen.richtext import to_html

from .conftest import WriteBank

GOLDEN = Path(__file__).parent / "golden"


def exported(**options: object) -> ET.Element:
    data = build_export_set(load_banks(), **options)  # type: ignore[arg-type]
    return ET.fromstring(export("moodle", data))


def test_well_formed_with_a_category_per_topic_and_per_generator() -> None:
    root = exported(variants=3, seed=1)
    categories = [q.findtext("category/text") for q in root.iter("question") if q.get("type") == "category"]
    # every export under a category of its own: quizgen's version and 8 hex digits of content digest
    top = categories[0] or ""
    assert re.fullmatch(rf"\$course\$/top/quizgen/{re.escape(__version__)}-[0-9a-f]{{8}}", top), top
    for topic in (
        "definition",
        "xavier",
        "he",
        "vanishing",
        "exploding",
        "xavier-uniform",
        "layer-size",
        "scenario",
    ):
        assert f"{top}/{topic}" in categories
    assert f"{top}/layer-size/layer-size" in categories
    assert f"{top}/xavier-uniform/xavier-uniform-calculated" in categories


def test_each_question_type_by_structure() -> None:
    root = exported(variants=0)
    bank = {q.id: q for q in load_banks()}
    for element in root.iter("question"):
        kind = element.get("type")
        if kind == "category":
            continue
        question = bank[element.findtext("idnumber") or ""]
        answers = element.findall("answer")
        assert element.findtext("questiontext/text")
        assert element.findtext("generalfeedback/text")  # the worked explanation
        if kind == "multichoice":
            fractions = [float(a.get("fraction", "nan")) for a in answers]
            allowed = {"0", *MOODLE_FRACTIONS, *(f"-{f}" for f in MOODLE_FRACTIONS)}
            assert {a.get("fraction") for a in answers} <= allowed
            if question.type == "choice":
                assert element.findtext("single") == "true"
                assert fractions.index(100) + 1 == question.answer  # type: ignore[union-attr]
            else:
                assert element.findtext("single") == "false"
                right = [n for n, f in enumerate(fractions, 1) if f > 0]
                assert right == sorted(question.answers)  # type: ignore[union-attr]
                assert sum(f for f in fractions if f > 0) == pytest.approx(100, abs=0.01)
            for answer, option in zip(answers, question.options, strict=True):  # type: ignore[union-attr]
                if option.feedback:
                    assert answer.findtext("feedback/text")
        elif kind == "truefalse":
            assert question.type == "true_false"
            right = [a.findtext("text") for a in answers if a.get("fraction") == "100"]
            assert right == [str(question.answer).lower()]
        elif kind == "numerical":
            answer, *wrong = answers
            assert answer.get("fraction") == "100" and all(w.get("fraction") == "0" for w in wrong)
            value, tolerance = (
                float(answer.findtext("text") or "nan"),
                float(answer.findtext("tolerance") or "nan"),
            )
            if question.type == "numeric":
                low, high = question.bounds()  # type: ignore[union-attr]
                assert value - tolerance == pytest.approx(low) and value + tolerance == pytest.approx(high)
            else:
                assert (value, tolerance) == (question.answer, 0.0)
                assert answer.findtext("tolerance") == "0"
            # Named mistakes follow as 0 % answers (Moodle takes the first answer in range: the right one).
            mistakes = question.mistakes  # type: ignore[union-attr]
            assert [float(w.findtext("text") or "nan") for w in wrong] == pytest.approx(
                [m.value for m in mistakes], rel=1e-14
            )
            for element_, mistake in zip(wrong, mistakes, strict=True):
                assert bool(element_.findtext("feedback/text")) == bool(mistake.feedback)
        elif kind == "shortanswer":
            forms = [a.findtext("text") or "" for a in answers]
            accepted = question.accepted_forms()  # type: ignore[union-attr]
            assert forms[: len(accepted)] == list(accepted)  # as written first; then spellings (test_lms_ux)
            assert element.findtext("usecase") == "0"
        else:
            pytest.fail(f"unexpected type {kind}")


def moodle_eval(formula: str, values: dict[str, float]) -> float:
    """An evaluator of Moodle's formula syntax written for this test (Moodle uses PHP's functions)."""
    expression = re.sub(r"\{(\w+)\}", lambda m: repr(float(values[m.group(1)])), formula)
    functions = {"pow": math.pow, "sqrt": math.sqrt, "log": math.log, "exp": math.exp, "abs": abs,
                 "min": min, "max": max, "round": round, "floor": math.floor, "fmod": math.fmod}  # fmt: skip
    return float(
        eval(expression, {"__builtins__": {}}, functions)
    )  # test-only: the formula is our own output


def test_calculated_dataset_items_reproduce_the_variants_answers() -> None:
    data = build_export_set(load_banks(), variants=12, seed=4)
    root = ET.fromstring(export("moodle", data))
    calculated = [q for q in root.iter("question") if q.get("type") == "calculated"]
    assert {q.findtext("idnumber") for q in calculated} >= {
        "layer-size-calculated", "xavier-variance-calculated", "xavier-uniform-calculated",
        "he-normal-calculated", "depth-scaling-calculated", "tpl-leaky-relu-variance-calculated",
    }  # fmt: skip
    groups = {g.id: g for g in data.groups}
    for element in calculated:
        generator_id = (element.findtext("idnumber") or "").removesuffix("-calculated")
        formula = element.findtext("answer/text") or ""
        definitions = element.findall("dataset_definitions/dataset_definition")
        names = [d.findtext("name/text") or "" for d in definitions]
        assert set(re.findall(r"\{(\w+)\}", formula)) <= set(names)  # every wildcard has a dataset
        columns = {
            d.findtext("name/text"): [
                float(i.findtext("value") or "nan") for i in d.findall("dataset_items/dataset_item")
            ]
            for d in definitions
        }
        count = len(next(iter(columns.values())))
        tolerance = float(element.findtext("answer/tolerance") or "nan")
        variants = groups[generator_id].variants
        for index in range(count):
            values = {name: columns[name][index] for name in names}
            (variant,) = [
                v for v in variants if all(float((v.params or {})[k]) == x for k, x in values.items())
            ][:1]
            expected = _oracle(generator_id, variant)
            got = moodle_eval(formula, values)
            assert got == pytest.approx(expected, rel=1e-9, abs=1e-12)
            assert tolerance >= 0
            for wildcard in re.findall(r"\{(\w+)\}", element.findtext("questiontext/text") or ""):
                if wildcard in values:
                    break
            else:
                pytest.fail(f"{generator_id}: the question text shows no wildcard")


def _oracle(generator_id: str, question: object) -> float:
    """The answer from the variant's params, written again here; else the variant's own stated value."""
    p = question.params or {}  # type: ignore[attr-defined]
    closed = {
        "layer-size": lambda: p["n_in"] + p["n_out"],
        "xavier-variance": lambda: 2 / (p["n_in"] + p["n_out"]),
        "xavier-normal": lambda: (2 / (p["n_in"] + p["n_out"])) ** 0.5,
        "xavier-uniform": lambda: (6 / (p["n_in"] + p["n_out"])) ** 0.5,
        "he-variance": lambda: 2 / p["n_in"],
        "he-normal": lambda: (2 / p["n_in"]) ** 0.5,
        "he-uniform": lambda: (6 / p["n_in"]) ** 0.5,
        "depth-scaling": lambda: (p["n"] * p["var_w"]) ** p["L"],
        "tpl-leaky-relu-variance": lambda: 2 / ((1 + p["a"] ** 2) * p["n_in"]),
        "tpl-dense-parameters": lambda: p["n_in"] * p["n_out"] + p["n_out"],
    }
    return float(closed[generator_id]())


def test_hostile_text_survives_as_visible_text(write_bank: WriteBank) -> None:
    hostile = "<b>bold</b> & <script>alert(1)</script> { } = ~ # :"
    path = write_bank(
        f"""
        questions:
          - id: hostile-01
            type: choice
            topic: definition
            prompt: '{hostile}'
            options: ['{hostile} option', 'plain']
            answer: 1
            explanation: 'Because {hostile}.'
        """
    )
    data = build_export_set(load_banks([path]), topics=["definition"], variants=0)
    raw = export("moodle", data)
    assert b"<script>" not in raw and b"<b>" not in raw
    element = next(q for q in ET.fromstring(raw).iter("question") if q.findtext("idnumber") == "hostile-01")
    shown = html.unescape(re.sub(r"</?p>", "", element.findtext("questiontext/text") or ""))
    assert shown == hostile
    assert html.unescape(element.findtext("answer/text") or "") == f"{hostile} option"


def test_cli_check_prints_counts(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["export", "--format", "moodle", "--variants", "2", "-o", str(tmp_path / "q.xml"), "--check"]
    )
    assert result.exit_code == 0, result.output
    assert re.search(r"calculated\s+\d+", result.output)
    assert re.search(r"multichoice \(single\)\s+\d+", result.output)


def test_golden_moodle() -> None:
    """Exact output; after a deliberate change: UPDATE_GOLDEN=1 pytest tests/test_export_moodle.py."""
    import os

    data = build_export_set(load_banks(), topics=["layer-size", "xavier-uniform"], variants=3, seed=1)
    out = export("moodle", data)
    golden = GOLDEN / "export-moodle.xml"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_bytes(out)
    assert out == golden.read_bytes()


def test_json_export_loads_back_as_a_bank(tmp_path: Path) -> None:
    data = build_export_set(load_banks(), variants=2, seed=3)
    path = tmp_path / "bank.json"
    path.write_bytes(export("json", data))
    assert load_banks([path], include_bundled=False).questions == data.all_questions()


SQRT_TEMPLATE = r"""
templates:
  - id: tpl-sqrt-n
    type: numeric
    topic: he
    title: He standard deviation sqrt(2/n)
    params:
      n: {choices: [50, 128, 200]}
    prompt: >-
      With $n = {n}$ inputs, He's standard deviation is $\sqrt{2/n}$, also written
      $\frac{\sqrt{2}}{\sqrt{n}}$ or $(2/n)^{1/2}$ with $n^{n}$ not involved. What is it?
    answer: sqrt(2 / n)
    tolerance: 0.01
    tolerance_type: relative
    explanation: >-
      $\sqrt{2/n} = \sqrt{2/{n}} \approx {answer}$ for $n = {n}$.
"""


def moodle_substitutes(text: str, values: dict[str, object]) -> str:
    """What Moodle's qtype_calculated_variable_substituter does to a text: str_replace of each {name}."""
    for name, value in values.items():
        text = text.replace("{" + name + "}", str(value))
    return text


def test_calculated_text_shows_what_quizgen_shows(write_bank: WriteBank) -> None:
    """Moodle replaces every {n}, even LaTeX's \\sqrt{n}: such groups are written { n} to keep them."""
    bank = load_banks([write_bank(SQRT_TEMPLATE, "sqrt.yaml")])
    data = build_export_set(bank, topics=["he"], variants=3, seed=2, include_questions=False)
    root = ET.fromstring(export("moodle", data))
    (element,) = [q for q in root.iter("question") if q.findtext("idnumber") == "tpl-sqrt-n-calculated"]
    text = element.findtext("questiontext/text") or ""
    assert r"\sqrt{ n}" in text and "n^{ n}" in text and "{n}" in text
    (group,) = [g for g in data.groups if g.id == "tpl-sqrt-n"]
    for variant in group.variants:
        shown_by_moodle = moodle_substitutes(text, variant.params or {}).replace("{ n}", "{n}")
        assert html.unescape(shown_by_moodle) == html.unescape(to_html(variant.prompt, math="tex"))
