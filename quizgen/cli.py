"""The `quizgen` command: a thin click layer over the library.

Commands parse options, call the library, and turn its errors into messages:
invalid content exits 1, bad usage exits 2 (click's convention), and neither
prints a traceback.
"""

from __future__ import annotations

import json
import secrets
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from . import __version__
from .errors import BankError, QuizgenError
from .loader import QuestionBank, load_banks
from .models import BankFile
from .serialize import variant_record
from .textview import format_question

BANK_PATH = click.Path(exists=True, path_type=Path)


class _State:
    def __init__(self, banks: tuple[Path, ...]) -> None:
        self.extra_banks = banks
        self._bank: QuestionBank | None = None

    def bank(self) -> QuestionBank:
        if self._bank is None:
            try:
                self._bank = load_banks(self.extra_banks)
            except BankError as exc:
                _fail_with_problems(exc)
        return self._bank


def _fail_with_problems(exc: BankError) -> NoReturn:
    for problem in exc.problems:
        click.echo(str(problem), err=True)
    count = len(exc.problems)
    files = len({p.path for p in exc.problems})
    click.echo(
        f"{count} problem{'s' if count != 1 else ''} in {files} file{'s' if files != 1 else ''}",
        err=True,
    )
    sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="quizgen")
@click.option(
    "--bank",
    "banks",
    multiple=True,
    type=BANK_PATH,
    help="A bank file or folder to add to the bundled banks (repeatable).",
)
@click.pass_context
def main(ctx: click.Context, banks: tuple[Path, ...]) -> None:
    """Quizzes and drills on weight initialisation of neural networks.

    \b
    Examples:
      quizgen list
      quizgen show xavier-01 --answer
      quizgen --bank my-questions.yaml validate
    """
    ctx.obj = _State(banks)


@main.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_obj
def list_command(state: _State, as_json: bool) -> None:
    """List the topics with their question counts, and the generators.

    \b
    Example:
      quizgen list --json
    """
    bank = state.bank()
    counts = bank.counts_by_topic()
    if as_json:
        payload: dict[str, Any] = {
            "topics": [
                {"id": t.id, "title": t.title, "description": t.description, "questions": counts[t.id]}
                for t in bank.topics.values()
            ],
            "questions": len(bank),
            "generators": [
                {
                    "id": g.id,
                    "topic": g.topic,
                    "title": g.title,
                    "description": g.description,
                    "params": g.params,
                    "origin": g.origin,
                }
                for g in bank.generators.values()
            ],
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    width = max(len(topic) for topic in counts)
    click.echo(f"{'topic':<{width}}  questions  title")
    for topic in bank.topics.values():
        click.echo(f"{topic.id:<{width}}  {counts[topic.id]:>9}  {topic.title}")
    click.echo(f"{'total':<{width}}  {len(bank):>9}")
    click.echo("")
    gwidth = max(len(g) for g in bank.generators)
    click.echo(f"{'generator':<{gwidth}}  {'topic':<{width}}  title")
    for generator in bank.generators.values():
        click.echo(f"{generator.id:<{gwidth}}  {generator.topic:<{width}}  {generator.title}")


@main.command()
@click.argument("paths", nargs=-1, type=BANK_PATH)
@click.pass_obj
def validate(state: _State, paths: tuple[Path, ...]) -> None:
    """Check bank files: the bundled banks, or the files and folders given.

    Prints one line per problem as path:line: question-id: message and exits 1
    when there is any; exits 0 when every bank is valid.

    \b
    Examples:
      quizgen validate
      quizgen validate my-banks/ extra.yaml
    """
    try:
        if paths:
            bank = load_banks((*state.extra_banks, *paths), include_bundled=False)
        else:
            bank = load_banks(state.extra_banks)
    except BankError as exc:
        _fail_with_problems(exc)
    click.echo(f"ok: {len(bank)} questions in {len(bank.files)} files")


@main.command()
@click.argument("question_id")
@click.option("--answer", is_flag=True, help="Also show the answer and the worked solution.")
@click.pass_obj
def show(state: _State, question_id: str, answer: bool) -> None:
    """Show one question as a student reads it.

    \b
    Example:
      quizgen show he-01 --answer
    """
    try:
        question = state.bank().get(question_id)
    except QuizgenError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(format_question(question, show_answer=answer))


@main.command()
@click.argument("generator_id")
@click.option(
    "--count", "-n", default=1, show_default=True, type=click.IntRange(min=1), help="How many variants."
)
@click.option(
    "--seed", type=click.IntRange(min=0), help="Session seed (default: a fresh one, printed on stderr)."
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: as a person reads it, with answers; json: JSON Lines, one variant per line.",
)
@click.pass_obj
def generate(state: _State, generator_id: str, count: int, seed: int | None, output_format: str) -> None:
    """Generate fresh variants of a parametric question, with answers.

    GENERATOR_ID is a built-in generator or a template from a bank (see
    `quizgen list`). The same --seed always gives the same variants, with
    distinct parameters.

    \b
    Examples:
      quizgen generate layer-size --count 5 --seed 1
      quizgen generate xavier-uniform --count 500 --seed 1 --format json > variants.jsonl
    """
    if seed is None:
        seed = secrets.randbelow(2**32)
        click.echo(f"seed: {seed} (use --seed {seed} to get these variants again)", err=True)
    try:
        generator = state.bank().generator(generator_id)
        questions = generator.variants(count, seed)
    except QuizgenError as exc:
        raise click.ClickException(str(exc)) from None
    if output_format == "json":
        for question in questions:
            click.echo(json.dumps(variant_record(question), ensure_ascii=False))
        return
    click.echo("\n\n".join(format_question(q, show_answer=True) for q in questions))


@main.command()
def schema() -> None:
    """Print the JSON Schema of a bank file (generated from the models).

    \b
    Example:
      quizgen schema > quizgen-bank.schema.json
    """
    click.echo(json.dumps(BankFile.model_json_schema(), indent=2, ensure_ascii=False))
