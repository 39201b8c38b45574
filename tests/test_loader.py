"""The bank loader: every kind of broken bank gives a located, readable problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizgen import BankError, QuizgenError, load_banks
from quizgen.errors import Problem

from .conftest import VALID_CHOICE, WriteBank


def problems_of(*paths: Path) -> list[Problem]:
    with pytest.raises(BankError) as info:
        load_banks(paths, include_bundled=False)
    assert isinstance(info.value, QuizgenError)
    return info.value.problems


def only_problem(*paths: Path) -> Problem:
    problems = problems_of(*paths)
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def test_valid_bank_loads(write_bank: WriteBank) -> None:
    path = write_bank(VALID_CHOICE)
    bank = load_banks([path], include_bundled=False)
    assert [q.id for q in bank] == ["q-01"]
    assert str(bank.locations["q-01"]) == f"{path}:2"


def test_invalid_yaml_reports_line_and_column(write_bank: WriteBank) -> None:
    path = write_bank(
        """
        questions:
          - id: q-01
            prompt: [unclosed
            type: integer
        """
    )
    problem = only_problem(path)
    assert (problem.path, problem.line) == (str(path), 4)
    assert problem.column is not None
    assert str(problem).startswith(f"{path}:4:{problem.column}: invalid YAML: ")


def test_answer_out_of_range_names_the_answer_line(write_bank: WriteBank) -> None:
    path = write_bank(VALID_CHOICE.replace("answer: 1", "answer: 4"))
    problem = only_problem(path)
    assert str(problem) == (
        f"{path}:12: q-01: answer: option 4 does not exist; this question has 3 options (1-3)"
    )


def test_unknown_field_with_did_you_mean(write_bank: WriteBank) -> None:
    path = write_bank(VALID_CHOICE.replace("    explanation:", "    explaination:"))
    problems = problems_of(path)
    messages = {(p.line, p.message) for p in problems}
    assert (13, "unknown field 'explaination' (did you mean 'explanation'?)") in messages
    assert (2, "missing required field 'explanation'") in messages


def test_unknown_field_in_an_option(write_bank: WriteBank) -> None:
    path = write_bank(VALID_CHOICE.replace("        feedback:", "        fedback:"))
    problem = only_problem(path)
    assert (problem.line, problem.question_id) == (10, "q-01")
    assert problem.message == "options[2]: unknown field 'fedback' (did you mean 'feedback'?)"


def test_unknown_top_level_key(write_bank: WriteBank) -> None:
    path = write_bank("titel: x\n" + VALID_CHOICE.lstrip("\n"))
    problem = only_problem(path)
    assert (problem.line, problem.message) == (1, "unknown field 'titel' (did you mean 'title'?)")


def test_duplicate_id_across_two_files(write_bank: WriteBank) -> None:
    first = write_bank(VALID_CHOICE, "a.yaml")
    second = write_bank("# the same id again\n" + VALID_CHOICE.lstrip("\n"), "b.yaml")
    problem = only_problem(first, second)
    assert (problem.path, problem.line, problem.question_id) == (str(second), 3, "q-01")
    assert f"already used at {first}:2" in problem.message


def test_duplicate_id_against_the_bundled_banks(write_bank: WriteBank) -> None:
    bundled = load_banks()
    taken = bundled.questions[0].id
    path = write_bank(VALID_CHOICE.replace("id: q-01", f"id: {taken}"))
    with pytest.raises(BankError) as info:
        load_banks([path])
    assert [(p.path, p.line) for p in info.value.problems] == [(str(path), 2)]


def test_missing_explanation_names_the_question(write_bank: WriteBank) -> None:
    text = VALID_CHOICE.split("    explanation:")[0]
    path = write_bank(text)
    problem = only_problem(path)
    assert str(problem) == f"{path}:2: q-01: missing required field 'explanation'"


def test_wrong_type(write_bank: WriteBank) -> None:
    path = write_bank(VALID_CHOICE.replace("type: choice", "type: chioce"))
    problem = only_problem(path)
    assert problem.line == 3
    assert problem.message.startswith("unknown type 'chioce' (did you mean 'choice'?)")


def test_missing_type(write_bank: WriteBank) -> None:
    path = write_bank(VALID_CHOICE.replace("    type: choice\n", ""))
    problem = only_problem(path)
    assert (problem.line, problem.question_id) == (2, "q-01")
    assert problem.message.startswith("missing field 'type'")


def test_negative_tolerance_names_its_line(write_bank: WriteBank) -> None:
    path = write_bank(
        """
        questions:
          - id: num-01
            type: numeric
            topic: xavier-uniform
            prompt: "L for n_in + n_out = 24?"
            answer: 0.5
            tolerance: -1
            explanation: "sqrt(6/24) = 0.5"
        """
    )
    problem = only_problem(path)
    assert str(problem) == f"{path}:7: num-01: tolerance: -1 is negative; use 0 or a positive number"


def test_duplicate_yaml_key(write_bank: WriteBank) -> None:
    path = write_bank(VALID_CHOICE.replace("    answer: 1\n", "    answer: 1\n    answer: 2\n"))
    problem = only_problem(path)
    assert (problem.line, problem.message) == (
        13,
        "duplicate key 'answer' (first given on line 12); remove one",
    )


def test_all_problems_of_a_file_in_one_run(write_bank: WriteBank) -> None:
    path = write_bank(
        """
        questions:
          - id: a-01
            type: integer
            topic: layer-size
            prompt: "4 + 6?"
            answer: ten
            explanation: "4 + 6 = 10"
          - id: a-02
            type: true_false
            topic: xavir
            prompt: "Zero weights break symmetry."
            answer: false
            explanation: "   "
          - not a mapping
        """
    )
    problems = problems_of(path)
    assert [(p.line, p.question_id) for p in problems] == [
        (6, "a-01"),
        (10, "a-02"),
        (13, "a-02"),
        (14, "question 3"),
    ]
    assert "should be a valid integer, not 'ten'" in problems[0].message
    assert "unknown topic 'xavir' (did you mean 'xavier'?)" in problems[1].message
    assert "explanation: must not be empty" in problems[2].message


def test_unknown_misconception(write_bank: WriteBank) -> None:
    path = write_bank(VALID_CHOICE.replace("product-for-sum", "product-for-summ"))
    problem = only_problem(path)
    assert problem.line == 9
    assert "unknown misconception 'product-for-summ' (did you mean 'product-for-sum'?)" in problem.message


def test_a_bank_may_declare_a_topic_and_a_misconception(write_bank: WriteBank) -> None:
    path = write_bank(
        """
        topics:
          - id: lecun
            title: LeCun initialisation
            description: Var(W) = 1/n_in, for SELU networks.
        misconceptions:
          - id: lecun-for-relu
            title: LeCun for ReLU
            description: LeCun's variance is half of what ReLU needs.
        questions:
          - id: lecun-01
            type: choice
            topic: lecun
            prompt: "LeCun's Var(W)?"
            options: ["1/n_in", {text: "2/n_in", misconception: lecun-for-relu}]
            answer: 1
            explanation: "LeCun uses 1/n_in."
        """
    )
    bank = load_banks([path], include_bundled=False)
    assert bank.counts_by_topic()["lecun"] == 1
    assert "lecun-for-relu" in bank.misconceptions


def test_redeclaring_a_builtin_topic(write_bank: WriteBank) -> None:
    path = write_bank(
        """
        topics:
          - {id: xavier, title: Again, description: Twice.}
        questions: []
        """
    )
    problem = only_problem(path)
    assert (problem.line, problem.message) == (
        2,
        "topic 'xavier' is already built in; use it without declaring it",
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("- a\n- b\n", "a bank file is a mapping with a `questions:` list, not a list"),
        ("title: only a title\n", "no `questions:` list"),
        ("questions: {a: 1}\n", "`questions` must be a list, not a mapping"),
    ],
)
def test_file_shape_problems(write_bank: WriteBank, text: str, message: str) -> None:
    problem = only_problem(write_bank(text))
    assert problem.message.startswith(message)


def test_python_tags_are_refused(write_bank: WriteBank) -> None:
    path = write_bank("questions: !!python/object/apply:os.system ['echo hacked']\n")
    problem = only_problem(path)
    assert problem.line == 1
    assert "unsupported tag 'tag:yaml.org,2002:python/object/apply:os.system'" in problem.message


def test_python_tags_on_scalars_are_refused(write_bank: WriteBank) -> None:
    problem = only_problem(write_bank("title: !!python/name:os.system x\nquestions: []\n"))
    assert problem.line == 1
    assert "could not determine a constructor" in problem.message


def test_alias_bomb_is_refused(write_bank: WriteBank) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in range(1, 10):
        lines.append(f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]")
    problem = only_problem(write_bank("\n".join(lines) + "\nquestions: []\n"))
    assert "alias bomb" in problem.message


def test_recursive_alias_is_refused(write_bank: WriteBank) -> None:
    problem = only_problem(write_bank("questions: &q [*q]\n"))
    assert "refers to the mapping or list that contains it" in problem.message


def test_anchors_and_merge_keys_work(write_bank: WriteBank) -> None:
    path = write_bank(
        """
        questions:
          - &base
            id: m-01
            type: true_false
            topic: definition
            prompt: "Biases may start at zero."
            answer: true
            explanation: "Zero biases do not cause the symmetry problem; zero weights do."
          - <<: *base
            id: m-02
            prompt: "Weights may all start at zero."
            answer: false
        """
    )
    bank = load_banks([path], include_bundled=False)
    assert [(q.id, q.answer) for q in bank] == [("m-01", True), ("m-02", False)]  # type: ignore[union-attr]


def test_invalid_utf8_is_located(bank_dir: Path) -> None:
    path = bank_dir / "latin1.yaml"
    path.write_bytes(b"questions:\n  - id: caf\xe9\n")
    problem = only_problem(path)
    assert (problem.line, problem.column) == (2, 12)
    assert "not valid UTF-8" in problem.message


def test_byte_order_mark_is_accepted(bank_dir: Path) -> None:
    path = bank_dir / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + VALID_CHOICE.encode())
    assert len(load_banks([path], include_bundled=False)) == 1


def test_folders_are_searched_recursively(bank_dir: Path, write_bank: WriteBank) -> None:
    (bank_dir / "sub").mkdir()
    write_bank(VALID_CHOICE, "sub/deep.yml")
    (bank_dir / "notes.txt").write_text("not a bank")
    assert [q.id for q in load_banks([bank_dir], include_bundled=False)] == ["q-01"]


def test_missing_path_and_empty_folder(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    problems = problems_of(tmp_path / "nope.yaml", empty)
    assert [p.message for p in problems] == [
        "no such file or folder",
        "no bank files (*.yaml, *.yml) in this folder",
    ]


def test_non_text_keys(write_bank: WriteBank) -> None:
    problem = only_problem(write_bank("questions: []\n1: x\n"))
    assert (problem.line, problem.message) == (2, "key '1' is not text; quote it")


def test_yaml_12_style_exponents_are_numbers(write_bank: WriteBank) -> None:
    path = write_bank(
        """
        questions:
          - id: e-01
            type: numeric
            topic: vanishing
            prompt: "0.5 ** 10?"
            answer: 9.765625e-4
            tolerance: 1e-6
            explanation: "Ten halvings: 0.5^10 = 1/1024 = 0.0009765625."
        """
    )
    (question,) = load_banks([path], include_bundled=False)
    assert question.tolerance == 1e-6  # type: ignore[union-attr]


def test_empty_entries_and_empty_text(write_bank: WriteBank) -> None:
    path = write_bank(
        """
        questions:
          - null
          - {id: t-01, type: true_false, topic: he, prompt: "", explanation: "x", answer: true}
        """
    )
    problems = problems_of(path)
    assert [(p.line, p.question_id, p.message) for p in problems] == [
        (2, "question 1", "a question is a mapping of fields, not an empty entry"),
        (3, "t-01", "prompt: must not be empty"),
    ]


def test_bad_identifier_is_explained(write_bank: WriteBank) -> None:
    problem = only_problem(write_bank(VALID_CHOICE.replace("id: q-01", "id: Q 01")))
    assert problem.line == 2
    assert problem.message.startswith("id: 'Q 01' is not a valid identifier; use lower-case letters")


def test_double_quoted_latex_escapes_are_caught(write_bank: WriteBank) -> None:
    path = write_bank(
        VALID_CHOICE.replace(
            'prompt: "In Xavier initialisation, Var(W) is?"',
            'prompt: "Is $\\frac{2}{n}$ right?"'.replace("\\\\", "\\"),
        )
    )
    problem = only_problem(path)
    assert problem.line == 5
    assert "contains the control character U+000C" in problem.message
