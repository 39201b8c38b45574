"""Every command through click's CliRunner: output, exit codes, and no tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner, Result

from quizgen import load_banks
from quizgen.cli import main
from quizgen.resources import bundled_bank_files
from quizgen.termmath import render

from .conftest import VALID_CHOICE, WriteBank

GENERATORS = [
    "layer-size",
    "conv-fan",
    "xavier-variance",
    "xavier-normal",
    "xavier-uniform",
    "he-variance",
    "he-normal",
    "he-uniform",
    "activation-choice",
    "depth-scaling",
    "init-diagnosis",
    "conv-fan-code",
    "init-call",
    "gain-depth",
]
TEMPLATES = ["tpl-leaky-relu-variance", "tpl-xavier-tanh-gain", "tpl-dense-parameters"]
TOPICS = [
    "definition",
    "xavier",
    "he",
    "vanishing",
    "exploding",
    "xavier-uniform",
    "layer-size",
    "scenario",
    "frameworks",
    "gains",
    "beyond",
]


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def test_list_shows_every_topic_with_counts() -> None:
    result = run("list")
    assert result.exit_code == 0
    topics_part, generators_part = result.output.split("\n\n")
    lines = topics_part.splitlines()
    assert lines[0].split() == ["topic", "questions", "title"]
    listed = {line.split()[0]: int(line.split()[1]) for line in lines[1:-1]}
    assert list(listed) == TOPICS
    assert lines[-2].endswith("(not drilled unless --topic beyond)")
    assert lines[-1].split() == ["total", str(sum(listed.values()))]
    generator_lines = generators_part.splitlines()
    assert generator_lines[0].split() == ["generator", "topic", "title"]
    assert [line.split()[0] for line in generator_lines[1:]] == GENERATORS + TEMPLATES


def test_list_json() -> None:
    result = run("list", "--json")
    payload = json.loads(result.output)
    assert [t["id"] for t in payload["topics"]] == TOPICS
    assert [t["id"] for t in payload["topics"] if t["extension"]] == ["beyond"]
    assert all(t["questions"] >= 8 for t in payload["topics"])
    assert payload["questions"] == sum(t["questions"] for t in payload["topics"])
    assert [g["id"] for g in payload["generators"]] == GENERATORS + TEMPLATES
    assert all(g["params"] and g["description"] for g in payload["generators"])


def test_list_json_counts_a_bank_added_with_bank(write_bank: WriteBank) -> None:
    before = json.loads(run("list", "--json").output)
    after = json.loads(run("--bank", str(write_bank(VALID_CHOICE)), "list", "--json").output)
    xavier = {t["id"]: t["questions"] for t in after["topics"]}["xavier"]
    assert xavier == {t["id"]: t["questions"] for t in before["topics"]}["xavier"] + 1


def test_validate_bundled_banks() -> None:
    result = run("validate")
    assert result.exit_code == 0
    assert result.output.startswith("ok: ")


def test_validate_given_paths(write_bank: WriteBank, bank_dir: Path) -> None:
    write_bank(VALID_CHOICE)
    result = run("validate", "--alone", str(bank_dir))
    assert (result.exit_code, result.output) == (0, "ok: 1 question in 1 file\n")


def test_validate_checks_against_the_bundled_banks_by_default(write_bank: WriteBank) -> None:
    path = write_bank(VALID_CHOICE.replace("id: q-01", "id: he-01"))
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert f"{path}:2: he-01: duplicate id; it is already used at" in result.stderr
    assert run("validate", "--alone", str(path)).exit_code == 0


def test_a_file_given_twice_is_read_once(write_bank: WriteBank) -> None:
    path = write_bank(VALID_CHOICE)
    assert run("--bank", str(path), "validate", "--alone", str(path)).exit_code == 0


def test_validate_reports_each_problem_on_its_own_line(write_bank: WriteBank) -> None:
    path = write_bank(VALID_CHOICE.replace("answer: 1", "answer: 7").replace("topic: xavier", "topic: hee"))
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{path}:4: q-01: unknown topic 'hee' (did you mean 'he'?); "
        "declare a new topic under `topics:` (id, title, description)",
        f"{path}:12: q-01: answer: option 7 does not exist; this question has 3 options (1-3)",
        "2 problems in 1 file",
    ]


def test_every_command_fails_cleanly_on_a_broken_extra_bank(write_bank: WriteBank) -> None:
    path = write_bank("questions: [\n")
    for command in (["list"], ["show", "q-01"], ["validate"]):
        result = run("--bank", str(path), *command)
        assert result.exit_code == 1
        assert f"{path}:2:1: invalid YAML" in result.stderr


def test_show_question_and_answer() -> None:
    bank = load_banks()
    question = bank.questions[0]
    plain = run("show", question.id)
    assert plain.exit_code == 0
    assert plain.output.startswith(f"{question.id}  [{question.topic},")
    assert render(question.prompt.strip()).splitlines()[0] in plain.output  # as the drill shows it
    assert "Answer:" not in plain.output
    full = run("show", question.id, "--answer")
    assert "Answer:" in full.output
    assert render(question.explanation.strip()).splitlines()[0] in full.output


def test_show_choice_numbers_options_like_the_chapter(write_bank: WriteBank) -> None:
    result = run("--bank", str(write_bank(VALID_CHOICE)), "show", "q-01", "--answer")
    assert "  ① 2/(n_in + n_out)\n  ② 2/(n_in * n_out)\n  ③ 1/(n_in + n_out)" in result.output
    assert "Answer: ① 2/(n_in + n_out)" in result.output
    assert "② [product-for-sum] Xavier uses the sum of the fans." in result.output


def test_show_unknown_id_suggests_a_near_one(write_bank: WriteBank) -> None:
    result = run("--bank", str(write_bank(VALID_CHOICE)), "show", "q-1")
    assert result.exit_code == 1
    assert "no question has the id 'q-1' (did you mean 'q-01'?)" in result.stderr


def test_schema_validates_every_bundled_bank() -> None:
    schema = json.loads(run("schema").output)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for entry in bundled_bank_files():
        validator.validate(yaml.safe_load(entry.read_text(encoding="utf-8")))


def test_schema_rejects_what_the_loader_rejects() -> None:
    schema = json.loads(run("schema").output)
    validator = jsonschema.Draft202012Validator(schema)
    bad = yaml.safe_load(VALID_CHOICE.replace("    explanation:", "    explaination:"))
    assert not validator.is_valid(bad)


@pytest.mark.parametrize(
    "args",
    [["--bank", "/no/such/file.yaml", "list"], ["frobnicate"], ["list", "--bogus"], ["show"]],
)
def test_bad_usage_exits_2(args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert "Usage:" in result.output or "Error:" in result.output


COMMANDS = sorted(main.commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", [[], *[[c] for c in COMMANDS]])
def test_every_command_has_help_with_an_example(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output
    assert "quizgen " in result.output.split("Example", 1)[1]
    assert "\\b" not in result.output and "\b" not in result.output  # click's no-rewrap marker was consumed


def test_version() -> None:
    result = run("--version")
    assert result.output.startswith("quizgen, version ")


def test_generate_json_lines_are_reproducible_and_answer_n_in_plus_n_out() -> None:
    first = run("generate", "layer-size", "--count", "500", "--seed", "1", "--format", "json")
    assert first.exit_code == 0
    lines = first.output.splitlines()
    assert len(lines) == 500
    records = [json.loads(line) for line in lines]
    assert len({json.dumps(r["params"], sort_keys=True) for r in records}) == 500
    for record in records:
        assert record["answer"] == record["params"]["n_in"] + record["params"]["n_out"]
        assert {"id", "variant", "generator", "topic", "type", "params", "prompt", "explanation"} <= set(
            record
        )
    assert (
        run("generate", "layer-size", "--count", "500", "--seed", "1", "--format", "json").output
        == first.output
    )
    other = run("generate", "layer-size", "--count", "500", "--seed", "2", "--format", "json").output
    assert {json.loads(line)["variant"] for line in other.splitlines()}.isdisjoint(
        {r["variant"] for r in records}
    )


def test_generate_choice_records_options_and_the_option_number() -> None:
    result = run("generate", "activation-choice", "-n", "5", "--seed", "3", "--format", "json")
    for line in result.output.splitlines():
        record = json.loads(line)
        assert record["type"] == "choice"
        assert 1 <= record["answer"] <= len(record["options"]) == 4
        assert record["options"][record["answer"] - 1]["text"].startswith(("He", "Xavier"))


def test_generate_text_shows_answers() -> None:
    result = run("generate", "xavier-uniform", "--seed", "4")
    assert result.exit_code == 0
    assert "Answer:" in result.output


def test_generate_without_seed_prints_the_seed_it_used() -> None:
    result = run("generate", "he-normal", "--format", "json")
    seed = int(result.stderr.split()[1])
    again = run("generate", "he-normal", "--format", "json", "--seed", str(seed))
    assert again.output == result.stdout


def test_generate_errors() -> None:
    unknown = run("generate", "xavier-unifrom")
    assert unknown.exit_code == 1
    assert "did you mean 'xavier-uniform'?" in unknown.stderr
    too_many = run("generate", "init-diagnosis", "--count", "1000", "--seed", "1")
    assert too_many.exit_code == 1
    assert "has only 23 distinct variants; ask for 23 or fewer (--count)" in too_many.stderr
    assert run("generate", "layer-size", "--count", "0").exit_code == 2


def test_claims_lists_every_claim_and_who_cites_it() -> None:
    result = run("claims")
    assert result.exit_code == 0
    assert "he-tanh-not-saturated  (cited by " in result.output
    assert "  He initialisation on 20 tanh layers gives more variance than tanh needs" in result.output
    payload = json.loads(run("claims", "--json").output)
    assert len(payload) >= 30 and all(entry["cited_by"] for entry in payload)


def test_claims_check_prints_what_each_simulation_measured() -> None:
    result = run("claims", "--check", "relu-halves-second-moment", "sigmoid-derivative-quarter")
    assert result.exit_code == 0
    assert "✓ relu-halves-second-moment" in result.output
    assert "  measured: E[ReLU(z)²]/E[z²] = 0.50" in result.output
    assert result.output.rstrip().endswith("2 of 2 claims hold")
    (entry,) = json.loads(run("claims", "--check", "--json", "sigmoid-derivative-quarter").output)
    assert entry["holds"] is True and "0.250000000000" in entry["measured"]


def test_claims_with_an_unknown_id_is_a_usage_error() -> None:
    result = run("claims", "he-relu-preserve")
    assert result.exit_code == 2
    assert "unknown claim 'he-relu-preserve' (did you mean 'he-relu-preserves'?)" in result.output


def test_a_failing_claim_exits_1(monkeypatch: pytest.MonkeyPatch) -> None:
    from quizgen import simulation

    monkeypatch.setitem(
        simulation.CHECKS, "relu-halves-second-moment", lambda: simulation.Evidence(False, "measured 0.7")
    )
    result = run("claims", "--check", "relu-halves-second-moment")
    assert result.exit_code == 1
    assert "✗ relu-halves-second-moment" in result.output and "0 of 1 claim hold" in result.output
