"""Stated precision, named mistakes and claims: read from a bank, checked at load, used when grading.

Expected values are written out here (rounded by hand), never taken from quizgen.precision.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from quizgen import load_banks
from quizgen.bank import skills_of
from quizgen.cli import main
from quizgen.exporters.base import build_export_set
from quizgen.grading import grade
from quizgen.models import IntegerQuestion, NumericQuestion
from quizgen.precision import Precision, precision_problems, stated_precision

from .conftest import WriteBank
from .test_loader import only_problem

# -- reading the precision a prompt states ----------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "kind", "digits"),
    [
        ("What is Var(W)? Give 3 significant figures.", "significant", 3),
        ("What is L, to three significant figures?", "significant", 3),
        ("to 2 significant digits", "significant", 2),
        ("What is the variance after 5 layers? (to 3 decimal places)", "decimals", 3),
        ("to 1 decimal place", "decimals", 1),
        ("What is L? Give the exact value.", "exact", 0),
        ("What is L (exact)?", "exact", 0),
        ("What is n_in + n_out (an integer)?", "integer", 0),
        ("How many layers? Answer with a whole number.", "integer", 0),
    ],
)
def test_the_stated_precision_is_read(prompt: str, kind: str, digits: int) -> None:
    assert stated_precision(prompt) == Precision(kind, digits)  # type: ignore[arg-type]


def test_no_phrase_no_precision_and_the_first_phrase_wins() -> None:
    assert stated_precision("What is the variance of W?") is None
    assert stated_precision("Has exactly the same weights") is None
    assert stated_precision("Give 3 significant figures, not an integer.") == Precision("significant", 3)


@pytest.mark.parametrize(
    ("precision", "value", "written"),
    [
        (Precision("significant", 3), 0.0604122, (0.0604,)),
        (Precision("significant", 3), 0.0589256, (0.0589,)),
        (Precision("significant", 3), 117.39085, (117.0,)),
        (Precision("significant", 2), 0.125, (0.13, 0.12)),  # a tie: half up, half to even
        (Precision("significant", 3), 9.5367431640625e-07, (9.54e-07,)),
        (Precision("decimals", 3), 0.32768, (0.328,)),
        (Precision("decimals", 2), 0.005, (0.01, 0.0)),
        (Precision("exact"), 0.0009765625, (0.0009765625,)),
        (Precision("integer"), 2.5, (3.0, 2.0)),
    ],
)
def test_a_value_written_at_a_precision(
    precision: Precision, value: float, written: tuple[float, ...]
) -> None:
    assert precision.written(value) == written


def _numeric(
    prompt: str, answer: float, tolerance: float, kind: str = "relative", **extra: object
) -> NumericQuestion:
    return NumericQuestion.model_validate(
        {
            "id": "n-01",
            "type": "numeric",
            "topic": "he",
            "prompt": prompt,
            "explanation": "worked",
            "answer": answer,
            "tolerance": tolerance,
            "tolerance_type": kind,
            **extra,
        }
    )


def test_a_tolerance_that_rejects_the_answer_as_asked_is_a_problem() -> None:
    # 0.0589256 to 3 significant figures is 0.0589: 0.04% off, outside a 0.01% tolerance.
    tight = _numeric("Give 3 significant figures.", 0.0589256, 0.0001)
    (problem,) = precision_problems(tight)
    assert problem.startswith(
        "the prompt asks for 3 significant figures, but the tolerance (0.0589197 to 0.0589315)"
    )
    assert problem.endswith("rejects 0.0589, the answer written that way; widen the tolerance")
    assert precision_problems(_numeric("Give 3 significant figures.", 0.0589256, 0.006)) == []


@pytest.mark.parametrize("prompt", ["Give 0 significant figures.", "Give it to 00 significant digits."])
def test_zero_significant_figures_is_a_problem(prompt: str) -> None:
    """Rounding to no significant figure writes every number as 0: the prompt is refused, not shown."""
    assert precision_problems(_numeric(prompt, 0.0589256, 0.006)) == [
        "asks for 0 significant figures; ask for 1 or more"
    ]


def test_zero_decimal_places_is_a_precision() -> None:
    """0 decimal places is rounding to a whole number: a tolerance of 0.5 around 12 fits it."""
    assert precision_problems(_numeric("Give 0 decimal places.", 12.0, 0.5, kind="absolute")) == []


def test_a_mistake_that_passes_when_written_as_asked_is_a_problem() -> None:
    # He's 2/1000 = 0.002 against Xavier's 2/1008 = 0.00198413: 0.8% apart, but Xavier's value
    # written to 2 significant figures is 0.002 itself.
    question = _numeric(
        "Give 2 significant figures.",
        0.002,
        0.006,
        mistakes=[{"value": 0.0019841269841269842, "misconception": "xavier-for-relu"}],
    )
    (problem,) = precision_problems(question)
    assert problem.startswith(
        "mistakes[1]: the mistake (xavier-for-relu) 0.00198413, written to 2 significant"
    )
    assert precision_problems(question.model_copy(update={"prompt": "Give 4 significant figures."})) == []


def test_a_mistake_inside_the_tolerance_is_refused_by_the_model() -> None:
    with pytest.raises(ValueError, match=r"mistakes\[1\]: 0.00199 lies inside the accepted range"):
        _numeric("Give 3 significant figures.", 0.002, 0.006, mistakes=[{"value": 0.00199}])


def test_an_integer_mistake_equal_to_the_answer_is_refused() -> None:
    with pytest.raises(ValueError, match=r"mistakes\[1\]: 10 is the answer itself"):
        IntegerQuestion.model_validate(
            {
                "id": "i-01",
                "type": "integer",
                "topic": "layer-size",
                "prompt": "What is 4 + 6 (an integer)?",
                "explanation": "worked",
                "answer": 10,
                "mistakes": [{"value": 10}],
            }
        )


# -- grading names the mistake -------------------------------------------------------------------


def test_typing_a_named_mistake_is_graded_wrong_and_names_it() -> None:
    question = _numeric(
        "Give 3 significant figures.",
        0.0625,
        0.006,
        mistakes=[
            {"value": 0.00390625, "misconception": "variance-for-std", "feedback": "That is the variance."}
        ],
    )
    graded = grade(question, "0.00391")
    assert (graded.correct, graded.misconception, graded.feedback) == (
        False,
        "variance-for-std",
        "That is the variance.",
    )
    other = grade(question, "0.07")
    assert (other.correct, other.misconception) == (False, None)
    assert grade(question, "0.0625").misconception is None


def test_typing_a_named_integer_mistake_names_it() -> None:
    question = IntegerQuestion.model_validate(
        {
            "id": "i-01",
            "type": "integer",
            "topic": "layer-size",
            "prompt": "What is n_in + n_out for 4 and 6 (an integer)?",
            "explanation": "worked",
            "answer": 10,
            "mistakes": [{"value": 24, "misconception": "product-for-sum"}],
        }
    )
    assert grade(question, "24").misconception == "product-for-sum"
    assert grade(question, "25").misconception is None


MISTAKE_BANK = """
topics:
  - {id: demo, title: Demo, description: One question.}
questions:
  - id: demo-std
    type: numeric
    topic: demo
    prompt: 'A ReLU layer has 512 inputs. What is the He normal standard deviation? Give 3 significant figures.'
    answer: 0.0625
    tolerance: 0.006
    tolerance_type: relative
    mistakes:
      - value: 0.00390625
        misconception: variance-for-std
        feedback: 'That is the variance; take its square root.'
    explanation: 'sqrt(2/512) = 0.0625.'
"""


def test_the_drill_names_the_mistake_a_student_typed(write_bank: WriteBank, tmp_path: Path) -> None:
    bank = write_bank(MISTAKE_BANK, "mistake.yaml")
    args = ["--bank", str(bank), "drill", "--topic", "demo", "--count", "1", "--seed", "1"]
    result = CliRunner().invoke(main, [*args, "--db", str(tmp_path / "p.db")], input="0.0039\n")
    assert "Traceback" not in result.output
    assert (
        "That answer reflects a common mistake: Variance where the standard deviation was asked."
        in result.output
    )
    assert "That is the variance; take its square root." in result.output


# -- the loader: located messages --------------------------------------------------------------


def test_the_loader_locates_a_tolerance_that_rejects_the_answer_as_asked(write_bank: WriteBank) -> None:
    # 0.0625 to 2 significant figures is 0.062 or 0.063, both 0.8% off: outside a 0.6% tolerance.
    path = write_bank(MISTAKE_BANK.replace("Give 3 significant", "Give 2 significant"))
    problem = only_problem(path)
    assert (problem.line, problem.question_id) == (9, "demo-std")  # the tolerance's line
    assert "asks for 2 significant figures" in problem.message and "widen the tolerance" in problem.message


def test_the_loader_names_an_unknown_claim_with_a_suggestion(write_bank: WriteBank) -> None:
    path = write_bank(
        MISTAKE_BANK.replace("    answer: 0.0625", "    claims: [he-relu-preserve]\n    answer: 0.0625")
    )
    problem = only_problem(path)
    assert problem.line == 8
    assert problem.message == (
        "claim 1: unknown claim 'he-relu-preserve' (did you mean 'he-relu-preserves'?); "
        "`quizgen claims` lists the claims that a simulation checks"
    )


def test_the_loader_names_an_unknown_misconception_of_a_mistake(write_bank: WriteBank) -> None:
    path = write_bank(
        MISTAKE_BANK.replace("misconception: variance-for-std", "misconception: varianse-for-std")
    )
    problem = only_problem(path)
    assert problem.message.startswith("mistake 1: unknown misconception 'varianse-for-std' (did you mean")


NUMERIC_TEMPLATE = """
templates:
  - id: tpl-leaky
    type: numeric
    topic: he
    params:
      a: {choices: [0.01, 0.5]}
      n_in: {choices: [100, 400]}
    prompt: 'Leaky ReLU, slope {a}, {n_in} inputs: He variance? Give 3 significant figures.'
    answer: 2 / ((1 + a**2) * n_in)
    tolerance: 0.006
    tolerance_type: relative
    distractors:
      - formula: 2 / n_in
        misconception: xavier-for-relu
    explanation: 'Var = {answer}.'
"""


def test_a_numeric_template_whose_tolerance_passes_a_distractor_is_refused(write_bank: WriteBank) -> None:
    problem = only_problem(write_bank(NUMERIC_TEMPLATE))
    assert problem.question_id == "tpl-leaky"
    assert problem.line == 13  # the distractor
    assert problem.message.startswith("for a=0.01, n_in=100: the mistake (xavier-for-relu) 0.02")


def test_a_numeric_template_that_rejects_its_distractors_makes_variants_with_mistakes(
    write_bank: WriteBank,
) -> None:
    path = write_bank(NUMERIC_TEMPLATE.replace("[0.01, 0.5]", "[0.3, 0.5]"))
    generator = load_banks([path], include_bundled=False).generator("tpl-leaky")
    question = generator.make(3)
    assert isinstance(question, NumericQuestion)
    (mistake,) = question.mistakes
    assert mistake.value == pytest.approx(2 / (question.params or {})["n_in"])  # type: ignore[operator]
    assert grade(question, repr(mistake.value)).misconception == "xavier-for-relu"


# -- topics beyond the chapter are opt-in ---------------------------------------------------------


def test_extension_topics_are_left_out_unless_named() -> None:
    bank = load_banks()
    assert bank.topics["beyond"].extension
    default = {s.topic for s in skills_of(bank)}
    assert "beyond" not in default and {"he", "xavier", "frameworks", "gains"} <= default
    assert {s.topic for s in skills_of(bank, ["beyond"])} == {"beyond"}
    assert "beyond" not in {q.topic for q in build_export_set(bank, variants=1).all_questions()}
    assert {q.topic for q in build_export_set(bank, topics=["beyond"], variants=1).all_questions()} == {
        "beyond"
    }
