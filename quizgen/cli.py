"""The `quizgen` command: a thin click layer over the library.

Commands parse options, call the library, and turn its errors into messages:
invalid content exits 1, bad usage exits 2 (click's convention), and neither
prints a traceback.
"""

from __future__ import annotations

import itertools
import json
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NoReturn, cast

import click

from ._version import __version__
from .errors import BankError, QuizgenError
from .terminal import safe, safe_json

if TYPE_CHECKING:
    from .bank import QuestionBank

# Library modules are imported inside the commands that use them, so each command
# (above all `drill`, whose first question must appear within 0.3 s) loads only
# what it needs.

BANK_PATH = click.Path(exists=True, path_type=Path)
SEED = click.IntRange(0, 2**63 - 1)
"""Every --seed: at most SQLite's largest integer, since the progress store records a drill's seed
(a larger one was an OverflowError traceback)."""
JSON_CHUNK = 1000
"""`generate --format json` writes this many lines at a time (a write per line cost as much as making them)."""
MAX_GENERATE = 100_000
"""`generate --count` at most: variants are written as they are made, but a run should end."""


class _State:
    def __init__(self, banks: tuple[Path, ...]) -> None:
        self.extra_banks = banks
        self._bank: QuestionBank | None = None

    def bank(self) -> QuestionBank:
        if self._bank is None:
            from .gcpause import gc_paused
            from .loader import load_banks

            try:  # one thread here: pause the collector around bulk work (see gcpause.py)
                with gc_paused():
                    self._bank = load_banks(self.extra_banks, cache=True)  # the CLI asks for the cache
            except BankError as exc:
                _fail_with_problems(exc)
        return self._bank


def _echo(text: str = "", err: bool = False) -> None:
    """Print text for a person: every control character in it is made visible (terminal.safe)."""
    click.echo(safe(text), err=err)


def _echo_json(text: str) -> None:
    """Print JSON text: the same values, with nothing raw that a terminal would act on."""
    click.echo(safe_json(text))


class _Main(click.Group):
    """The command group; an error that reaches it is a one-line message with its control characters
    made visible (an id or a file name in a message is text from someone else)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.ClickException as exc:
            vars(exc)["message"] = safe(exc.message)  # BadParameter and UsageError keep their exit code 2
            raise
        except QuizgenError as exc:  # a safety net: commands turn the errors they expect into messages
            raise click.ClickException(safe(_message(exc))) from None


def _message(exc: QuizgenError) -> str:
    """The library's message, with the option that sets the value it asks to change."""
    if exc.parameter is None:
        return str(exc)
    return f"{exc} (--{exc.parameter.replace('_', '-')})"


def _fail_with_problems(exc: BankError) -> NoReturn:
    for problem in exc.problems:
        _echo(str(problem), err=True)
    count = len(exc.problems)
    files = len({p.path for p in exc.problems})
    _echo(
        f"{count} problem{'s' if count != 1 else ''} in {files} file{'s' if files != 1 else ''}",
        err=True,
    )
    sys.exit(1)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
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
@click.option(
    "--questions",
    is_flag=True,
    help="List every question and generator: id, topic, type, difficulty and the prompt's first words "
    "(the ids that `show` and `worksheet --id` take).",
)
@click.option("--topic", "topics", multiple=True, help="With --questions: only this topic (repeatable).")
@click.pass_obj
def list_command(state: _State, as_json: bool, questions: bool, topics: tuple[str, ...]) -> None:
    """List the topics with their question counts, and the generators.

    \b
    Examples:
      quizgen list --json
      quizgen list --questions --topic he
    """
    bank = state.bank()
    counts = bank.counts_by_topic()
    if topics and not questions:
        raise click.UsageError("--topic goes with --questions (the topic table lists every topic)")
    if questions:
        _check_topics(state, topics)
        from .termmath import render as plain
        from .textview import type_label

        wanted = set(topics) or set(bank.topics)
        rows: list[dict[str, Any]] = [
            {
                "id": q.id,
                "topic": q.topic,
                "type": type_label(q.type),
                "difficulty": q.difficulty,
                "prompt": " ".join(plain(q.prompt).split()),
            }
            for q in bank.questions
            if q.topic in wanted
        ]
        rows += [
            {
                "id": g.id,
                "topic": g.topic,
                "type": "generated",
                "difficulty": g.difficulty,
                "prompt": g.title,
            }
            for g in bank.generators.values()
            if g.topic in wanted
        ]
        if as_json:
            _echo_json(json.dumps({"questions": rows}, indent=2, ensure_ascii=False))
            return
        if not rows:
            _echo("no questions")
            return
        id_width = max(len(r["id"]) for r in rows)
        topic_width = max(len("topic"), *(len(r["topic"]) for r in rows))
        type_width = max(len(r["type"]) for r in rows)
        room = max(20, shutil.get_terminal_size((100, 24)).columns - id_width - topic_width - type_width - 12)
        _echo(f"{'id':<{id_width}}  {'topic':<{topic_width}}  {'type':<{type_width}}  d  prompt")
        for r in rows:
            prompt = r["prompt"] if len(r["prompt"]) <= room else r["prompt"][: room - 1] + "…"
            _echo(
                f"{r['id']:<{id_width}}  {r['topic']:<{topic_width}}  {r['type']:<{type_width}}  "
                f"{r['difficulty']}  {prompt}"
            )
        bank_count = sum(1 for r in rows if r["type"] != "generated")
        _echo(f"{_plural(bank_count, 'question')} and {_plural(len(rows) - bank_count, 'generator')}")
        return
    if as_json:
        payload: dict[str, Any] = {
            "topics": [
                {
                    "id": t.id,
                    "title": t.title,
                    "description": t.description,
                    "questions": counts[t.id],
                    "extension": t.extension,
                }
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
        _echo_json(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    width = max(len(topic) for topic in counts)
    _echo(f"{'topic':<{width}}  questions  title")
    for topic in bank.topics.values():
        note = f" (not drilled unless --topic {topic.id})" if topic.extension else ""
        _echo(f"{topic.id:<{width}}  {counts[topic.id]:>9}  {topic.title}{note}")
    _echo(f"{'total':<{width}}  {len(bank):>9}")
    _echo("")
    gwidth = max(len(g) for g in bank.generators)
    _echo(f"{'generator':<{gwidth}}  {'topic':<{width}}  title")
    for generator in bank.generators.values():
        _echo(f"{generator.id:<{gwidth}}  {generator.topic:<{width}}  {generator.title}")


@main.command()
@click.argument("paths", nargs=-1, type=BANK_PATH)
@click.option(
    "--alone",
    is_flag=True,
    help="Check the given files without the bundled banks (ids may then repeat theirs).",
)
@click.pass_obj
def validate(state: _State, paths: tuple[Path, ...], alone: bool) -> None:
    """Check bank files: the bundled banks, or the files and folders given.

    Prints one line per problem as path:line: question-id: message and exits 1
    when there is any; exits 0 when every bank is valid. Files are checked
    together with the bundled banks (as `--bank` would use them), so an id that
    repeats a bundled one is reported; `--alone` checks them by themselves.

    \b
    Examples:
      quizgen validate
      quizgen validate my-banks/ extra.yaml
    """
    from .loader import load_banks

    try:  # never from the cache: validate reads every file (and refreshes the cache)
        if paths:
            bank = load_banks((*state.extra_banks, *paths), include_bundled=not alone, cache="refresh")
        else:
            bank = load_banks(state.extra_banks, cache="refresh")
    except BankError as exc:
        _fail_with_problems(exc)
    templates = len(bank.templates)
    _echo(
        f"ok: {_plural(len(bank), 'question')}"
        + (f" and {_plural(templates, 'template')}" if templates else "")
        + f" in {_plural(len(bank.files), 'file')}"
    )


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


@main.command()
@click.argument("question_id")
@click.option("--answer", is_flag=True, help="Also show the answer and the worked solution.")
@click.option(
    "--raw",
    "--source",
    "raw",
    is_flag=True,
    help="Print the bank's own text (Markdown and $LaTeX$) instead of the terminal rendering.",
)
@click.pass_obj
def show(state: _State, question_id: str, answer: bool, raw: bool) -> None:
    """Show one question as a student reads it in the drill.

    Maths is written as the drill writes it (Var(W), √(6/(n_in + n_out))), with the
    form of answer a number question wants; --raw prints the bank's own text.

    \b
    Examples:
      quizgen show he-01 --answer
      quizgen show he-01 --raw
    """
    from .termmath import render
    from .textview import format_question

    try:
        question = state.bank().get(question_id)
    except QuizgenError as exc:
        raise click.ClickException(_message(exc)) from None
    _echo(format_question(question, show_answer=answer, render=str if raw else render))


@main.command()
@click.argument("generator_id")
@click.option(
    "--count",
    "-n",
    default=1,
    show_default=True,
    type=click.IntRange(1, MAX_GENERATE),
    help="How many variants (at most the generator's distinct variants).",
)
@click.option("--seed", type=SEED, help="Session seed (default: a fresh one, printed on stderr).")
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
    fresh_seed = seed is None
    if seed is None:
        import secrets

        seed = secrets.randbelow(2**32)
    try:
        generator = state.bank().generator(generator_id)
        stream = generator.iter_variants(count, seed)
        first = next(stream, None)  # a count beyond the space is refused here, before any output
    except QuizgenError as exc:
        hint = ""
        if generator_id in state.bank():
            hint = f"; {generator_id!r} is a bank question: `quizgen show {generator_id}`"
        raise click.ClickException(f"{_message(exc)}{hint}") from None
    if fresh_seed:
        _echo(f"seed: {seed} (use --seed {seed} to get these variants again)", err=True)
    from .serialize import variant_record
    from .textview import format_question

    # Written as they are made: a long run holds at most a chunk of lines, not every variant.
    variants = itertools.chain([first] if first is not None else [], stream)
    if output_format == "json":
        encode = json.JSONEncoder(ensure_ascii=False).encode
        while chunk := [encode(variant_record(q)) for q in itertools.islice(variants, JSON_CHUNK)]:
            _echo_json("\n".join(chunk))  # one sanitising pass and one write per chunk
        return
    for number, question in enumerate(variants):
        if number:
            _echo()
        _echo(format_question(question, show_answer=True))


@main.command()
@click.argument("claim_ids", nargs=-1)
@click.option("--check", is_flag=True, help="Run each claim's simulation and print what it measured.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.pass_obj
def claims(state: _State, claim_ids: tuple[str, ...], check: bool, as_json: bool) -> None:
    """List the claims about network behaviour that questions rely on; check them by simulation.

    A question that says how a network behaves (it saturates, vanishes, explodes,
    stays symmetric) names the claims its key relies on. Each claim is checked by
    a small seeded numpy simulation; --check runs them (a few seconds) and exits 1
    if any does not hold.

    \b
    Examples:
      quizgen claims
      quizgen claims --check he-tanh-not-saturated
    """
    from .vocabulary import BUILTIN_CLAIMS

    known = {c.id: c for c in BUILTIN_CLAIMS}
    for claim_id in claim_ids:
        if claim_id not in known:
            import difflib

            close = difflib.get_close_matches(claim_id, list(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise click.BadParameter(
                f"unknown claim {claim_id!r}{hint}; `quizgen claims` lists them", param_hint="CLAIM_IDS"
            )
    chosen = [known[c] for c in claim_ids] if claim_ids else list(BUILTIN_CLAIMS)
    bank = state.bank()
    cited = bank.citations(c.id for c in BUILTIN_CLAIMS)
    evidence = {}
    if check:
        from .simulation import check_claim

        evidence = {c.id: check_claim(c.id) for c in chosen}
    if as_json:
        payload = [
            {
                "id": c.id,
                "statement": c.statement,
                "cited_by": cited[c.id],
                **(
                    {"holds": evidence[c.id].holds, "measured": evidence[c.id].detail}
                    if c.id in evidence
                    else {}
                ),
            }
            for c in chosen
        ]
        _echo_json(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        for claim in chosen:
            generators = sum(1 for user in cited[claim.id] if user in bank.generators)
            questions = len(cited[claim.id]) - generators
            mark = "" if claim.id not in evidence else ("✓ " if evidence[claim.id].holds else "✗ ")
            _echo(
                f"{mark}{claim.id}  (cited by {_plural(questions, 'question')}, {_plural(generators, 'generator')})"
            )
            _echo(f"  {claim.statement}")
            if claim.id in evidence:
                _echo(f"  measured: {evidence[claim.id].detail}")
        if check:
            failed = [c for c in chosen if not evidence[c.id].holds]
            _echo(f"\n{len(chosen) - len(failed)} of {_plural(len(chosen), 'claim')} hold")
    if any(not e.holds for e in evidence.values()):
        sys.exit(1)


@main.command()
def schema() -> None:
    """Print the JSON Schema of a bank file (generated from the models).

    \b
    Example:
      quizgen schema > quizgen-bank.schema.json
    """
    from .models import BankFile

    _echo_json(json.dumps(BankFile.model_json_schema(), indent=2, ensure_ascii=False))


# -- practice -------------------------------------------------------------------------

DB_OPTION = click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Progress database (default: $QUIZGEN_DB, or progress.db in your user data folder).",
)


@contextmanager
def _open_store(db_path: Path | None) -> Iterator[Any]:
    """The progress store, closed afterwards; a store error at any point is a one-line message, exit 1."""
    from .store import ProgressStore, default_path

    try:
        with ProgressStore(db_path or default_path()) as store:
            yield store
    except QuizgenError as exc:
        raise click.ClickException(_message(exc)) from None


def _check_topics(state: _State, topics: tuple[str, ...]) -> None:
    import difflib

    known = list(state.bank().topics)
    for topic in topics:
        if topic not in known:
            close = difflib.get_close_matches(topic, known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise click.BadParameter(
                f"unknown topic {topic!r}{hint}; topics: {', '.join(known)}", param_hint="--topic"
            )


@main.command()
@click.option(
    "--topic",
    "topics",
    multiple=True,
    help="Practise only this topic (repeatable). Without it: every topic but those beyond the chapter.",
)
@click.option(
    "--count",
    "-n",
    default=10,
    show_default=True,
    type=click.IntRange(1, 500),
    help="Questions in the session.",
)
@click.option("--seed", type=SEED, help="Make the session reproducible (and scheduling unfuzzed).")
@DB_OPTION
@click.pass_obj
def drill(state: _State, topics: tuple[str, ...], count: int, seed: int | None, db_path: Path | None) -> None:
    """Practise in the terminal: instant feedback, worked solutions, spaced repetition.

    The session starts with what it holds ("3 due · 7 new"): due reviews first, then
    new skills, topics interleaved; a generator skill shows a fresh variant each time,
    and a question you miss is asked again a few questions later. Answer options with
    1 or ①, true/false with t/f (or 1/2), numbers in any common spelling (0.35, 1/12,
    5×10⁻², 2^10, sqrt(1/400)). Type ? for a hint, s to skip, q to quit; Ctrl-C and
    Ctrl-D also end with the summary. Every answer is saved before the next question.

    After each verdict the rating (which sets the next review) is shown: press 1-4
    to change it (Again, Hard, Good, Easy), u to undo the answer and try again, or
    Enter to go on.

    \b
    Examples:
      quizgen drill
      quizgen drill --topic he --topic xavier --count 5
    """
    from .drill import drill_in_terminal
    from .terminal import ConsoleTerminal

    _check_topics(state, topics)
    bank = state.bank()
    with _open_store(db_path) as store:
        drill_in_terminal(bank, store, ConsoleTerminal(), lambda d: d.plan(count, topics), seed=seed)


@main.command()
@click.option(
    "--count", "-n", default=10, show_default=True, type=click.IntRange(1, 500), help="At most this many."
)
@click.option("--seed", type=SEED, help="Make the session reproducible.")
@DB_OPTION
@click.pass_obj
def review(state: _State, count: int, seed: int | None, db_path: Path | None) -> None:
    """Drill the skills you most recently answered wrong.

    \b
    Example:
      quizgen review --count 5
    """

    from .drill import drill_in_terminal, plan_review
    from .terminal import ConsoleTerminal

    bank = state.bank()

    def choose(drill: Any) -> list[Any]:
        return plan_review(drill.bank, drill.store, count)

    with _open_store(db_path) as store:
        drill_in_terminal(bank, store, ConsoleTerminal(), choose, seed=seed)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a chart.")
@DB_OPTION
@click.pass_obj
def stats(state: _State, as_json: bool, db_path: Path | None) -> None:
    """Your progress: mastery per topic, reviews due, the last 7 days, and the database used.

    A skill is mastered when your latest answer to it was right and FSRS estimates at
    least a 90% chance that you recall it now; a topic's mastery is the share of ALL
    its skills mastered, so skills you have not practised count as not mastered.

    \b
    Examples:
      quizgen stats
      quizgen stats --json
    """
    from datetime import date

    from .progress import topic_stats

    bank = state.bank()
    with _open_store(db_path) as store:
        report = topic_stats(bank, store)
    if as_json:
        _echo_json(json.dumps(report, indent=2))
        return
    _echo(f"Progress in {report['database']}")
    _echo()
    width = max(len(t["topic"]) for t in report["topics"])
    _echo(f"{'topic':<{width}}  answers  right  practised  due  mastered")
    for row in report["topics"]:
        accuracy = f"{row['accuracy']:.0%}" if row["accuracy"] is not None else "-"
        mastery = row["mastery"] or 0.0
        bar = "█" * round(mastery * 20) + "·" * (20 - round(mastery * 20))
        practised = f"{row['practised']}/{row['skills']}"
        _echo(
            f"{row['topic']:<{width}}  {row['attempts']:>7}  {accuracy:>5}  {practised:>9}  {row['due']:>3}"
            f"  {bar} {row['mastered']}/{row['skills']} ({mastery:.0%})"
        )
    _echo()
    _echo(report["mastery_means"])
    _echo(
        f"Reviews due: {report['due']} now · {report['due_today']} by the end of today"
        f" · {report['due_week']} within 7 days"
    )
    _echo("Last 7 days (answers, right):")
    for day in report["history"]:
        when = date.fromisoformat(day["date"]).strftime("%a %d %b")
        _echo(f"  {when}  {day['answers']:>4}  {day['correct']:>4}")
    _echo(f"{report['attempts']} answers in all ({report['skipped']} skipped), {report['correct']} right")


# -- worksheets -----------------------------------------------------------------------


@main.command()
@click.option(
    "--topic",
    "topics",
    multiple=True,
    help="Only this topic (repeatable). Without it: every topic but those beyond the chapter.",
)
@click.option(
    "--count",
    "-n",
    type=click.IntRange(1, 200),
    help="Questions per sheet (default: 10, or as many as --id names; more than --id names adds questions "
    "chosen from the topics).",
)
@click.option(
    "--id",
    "ids",
    multiple=True,
    metavar="ID",
    help="A bank question or generator to put on the sheet, in this order (repeatable; "
    "`quizgen list --questions` shows the ids).",
)
@click.option(
    "--difficulty",
    "difficulties",
    multiple=True,
    metavar="1|2|3|LOW-HIGH",
    help="Only questions of this difficulty among those chosen from the topics (repeatable, or a range: 1-2).",
)
@click.option(
    "--marks",
    default="1",
    show_default=True,
    metavar="N|difficulty",
    help="Marks per question, printed beside it and totalled on the sheet and key; "
    "'difficulty' gives 1, 2 or 3 marks by difficulty.",
)
@click.option(
    "--seed",
    type=SEED,
    help="Worksheet seed (default: a fresh one, printed in each footer).",
)
@click.option(
    "--format",
    "fmt_name",
    type=click.Choice(["html", "md"]),
    help="Output format (default: from -o's suffix, else html).",
)
@click.option(
    "--versions",
    type=click.IntRange(1, 702),
    help="Write K versions (A, B, C, ...) and a key for each; -o is a folder.",
)
@click.option(
    "--roster",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV with `name` (and optional `id`): one sheet per student and one combined key; -o is a folder.",
)
@click.option(
    "--answer-key/--no-answer-key",
    default=True,
    show_default=True,
    help="Write the answer key (in its own file: sheet-key.html beside sheet.html, key-A.html, key.html).",
)
@click.option(
    "--key-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where a single sheet's key goes (default: beside it, with -key added to its name).",
)
@click.option(
    "--key-inline",
    is_flag=True,
    help="Put each sheet's key at its end, after a page break, instead of in its own file.",
)
@click.option(
    "--title", default="Weight initialisation", show_default=True, help="Title printed on every sheet."
)
@click.option(
    "--figures",
    is_flag=True,
    help="Add the simulated vanishing/exploding chart, and a question about it (one of the --count), to "
    "sheets on those topics; Markdown sheets link it as an SVG file beside them.",
)
@click.option(
    "--source",
    type=click.Choice(["mixed", "bank", "generators"]),
    default="mixed",
    show_default=True,
    help="Bank questions, generated variants, or both (about half each).",
)
@click.option(
    "--paper",
    type=click.Choice(["a4", "letter"]),
    default="a4",
    show_default=True,
    help="Paper size for printing (HTML).",
)
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(path_type=Path),
    help="Output file, or folder for --versions / --roster.",
)
@click.pass_obj
def worksheet(
    state: _State,
    topics: tuple[str, ...],
    count: int | None,
    ids: tuple[str, ...],
    difficulties: tuple[str, ...],
    marks: str,
    seed: int | None,
    fmt_name: str | None,
    versions: int | None,
    roster: Path | None,
    answer_key: bool,
    key_file: Path | None,
    key_inline: bool,
    title: str,
    figures: bool,
    source: str,
    paper: str,
    output: Path,
) -> None:
    """Write a printable worksheet (HTML or Markdown) and its answer key, in its own file.

    Mixes bank questions and fresh generated variants (or the questions named with
    --id); maths is MathML in HTML and $...$ in Markdown. Versions and roster sheets
    are parallel: question k asks the same kind of question on every sheet. The same
    options and --seed give byte-identical files.

    \b
    Examples:
      quizgen worksheet -o sheet.html --seed 7 --count 12
      quizgen worksheet -o sheet.html --seed 7 --key-inline
      quizgen worksheet --id he-01 --id xavier-normal --marks 2 -o quiz.html
      quizgen worksheet --difficulty 2-3 --marks difficulty -o hard.html
      quizgen worksheet --topic vanishing --topic exploding --figures -o sheet.html
      quizgen worksheet --versions 3 -o tutorial/
      quizgen worksheet --roster students.csv --format md -o sheets/
    """
    from . import worksheet as ws

    if versions and roster:
        raise click.UsageError("use --versions or --roster, not both")
    if key_file and (versions or roster):
        raise click.UsageError(
            "--key-file is for a single sheet; with --versions or --roster keys get their own files"
        )
    if key_file and key_inline:
        raise click.UsageError("use --key-file or --key-inline, not both")
    try:
        chosen_difficulties = ws.parse_difficulties(difficulties)
        chosen_marks = ws.parse_marks(marks)
    except QuizgenError as exc:
        raise click.BadParameter(str(exc), param_hint=f"'--{exc.parameter}'") from None
    _check_topics(state, topics)
    drawn_seed = seed is None  # said after the sheets are written, not before an error
    if seed is None:
        import secrets

        seed = secrets.randbelow(2**32)
    request = ws.WorksheetRequest(
        output=output,
        seed=seed,
        topics=topics,
        count=count,
        fmt=cast("Literal['html', 'md'] | None", fmt_name),
        versions=versions,
        roster=roster,
        answer_key=answer_key,
        key_file=key_file,
        key_inline=key_inline,
        title=title,
        figures=figures,
        source=cast("ws.Source", source),
        paper=cast("Literal['a4', 'letter']", paper),
        ids=ids,
        difficulties=chosen_difficulties,
        marks=chosen_marks,
    )
    bank = state.bank()
    show_progress = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:  # the library knows the count (the roster is read once)
        if show_progress and total > 1:
            click.echo(f"\rWriting sheets {done}/{total}", err=True, nl=done == total)

    try:
        written = ws.write_worksheets(bank, request, on_sheet=progress)
    except QuizgenError as exc:
        raise click.ClickException(_message(exc)) from None
    except OSError as exc:
        raise click.ClickException(
            f"{exc.filename or output}: cannot write ({exc.strerror}); choose another -o"
        ) from None
    _echo(
        f"wrote {len(written)} file{'s' if len(written) != 1 else ''}: {', '.join(str(p) for p in written[:4])}{' ...' if len(written) > 4 else ''}"
    )
    if drawn_seed:
        _echo(f"seed: {seed} (use --seed {seed} to make these sheets again)", err=True)


# -- export -------------------------------------------------------------------------


def _format_names() -> dict[str, str]:
    """The export registry's names and descriptions (the registry imports no format module)."""
    from .exporters import FORMATS

    return {f.name: f.description for f in FORMATS.values()}


FORMAT_NAMES = _format_names()


@main.command("export")
@click.option(
    "--format",
    "fmt",
    required=True,
    type=click.Choice(list(FORMAT_NAMES)),
    help="The format: " + "; ".join(f"{name}: {text}" for name, text in FORMAT_NAMES.items()) + ".",
)
@click.option(
    "--topic",
    "topics",
    multiple=True,
    help="Only this topic (repeatable). Without it: every topic but those beyond the chapter.",
)
@click.option(
    "--variants",
    default=10,
    show_default=True,
    type=click.IntRange(0, 10_000),
    help="Pre-rendered variants per generator (0: bank questions only).",
)
@click.option("--seed", default=0, show_default=True, type=SEED, help="Seed for the variants.")
@click.option(
    "--title", default="quizgen: weight initialisation", show_default=True, help="Quiz, deck or bank title."
)
@click.option(
    "--mode",
    type=click.Choice(["drill", "quiz"]),
    default=None,
    help="html and scorm: one question at a time (drill, the default) or the whole set on one page (quiz).",
)
@click.option(
    "--pass-mark",
    type=click.IntRange(0, 100),
    default=None,
    metavar="PERCENT",
    help="html and scorm: the score that passes (SCORM's masteryscore, so the LMS records passed or "
    "failed). Without it, answering every question completes the set.",
)
@click.option(
    "--check", is_flag=True, help="Read the written file back and print its question counts per type."
)
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Output file."
)
@click.pass_obj
def export_command(
    state: _State,
    fmt: str,
    topics: tuple[str, ...],
    variants: int,
    seed: int,
    title: str,
    mode: str | None,
    pass_mark: int | None,
    check: bool,
    output: Path,
) -> None:
    """Export questions and generator variants for an LMS: Moodle XML, GIFT, Canvas QTI, Anki, JSON;
    or a practice page for any browser (html) and the same page as a SCORM 1.2 package (scorm).

    Bank questions go in a category (or deck) per topic; each generator's
    variants in a category or question group of their own, so the LMS gives each
    student a different one. Moodle also gets `calculated` questions that draw
    their own numbers.

    \b
    Examples:
      quizgen export --format moodle -o quiz.xml --check
      quizgen export --format qti --variants 20 -o canvas.zip
      quizgen export --format anki --topic he -o he.apkg
      quizgen export --format html --variants 20 -o practice.html
    """
    from .exporters import NothingToExportError, build_export_set, write_export

    page_formats = ("html", "scorm")
    for given, name in ((mode, "--mode"), (pass_mark, "--pass-mark")):
        if given is not None and fmt not in page_formats:
            raise click.UsageError(f"{name} applies to --format html or scorm, not {fmt}")
    _check_topics(state, topics)
    from .gcpause import gc_paused

    bank = state.bank()
    try:
        with gc_paused():  # one thread here: the CLI pauses the collector around bulk work
            data = build_export_set(bank, topics=topics, variants=variants, seed=seed, title=title)
            data.mode = mode or "drill"
            data.pass_mark = pass_mark
            for note in data.notes:
                _echo(f"note: {note}", err=True)
            report = write_export(fmt, data, output)  # streamed; all of it or nothing
    except NothingToExportError:
        raise click.ClickException("nothing to export: no question or generator matches --topic") from None
    except QuizgenError as exc:
        raise click.ClickException(_message(exc)) from None
    _echo(report.summary())
    if check:
        from .exporters import counts

        try:
            found = counts(fmt, output)
        except QuizgenError as exc:
            raise click.ClickException(_message(exc)) from None
        for kind, number in found.items():
            _echo(f"  {kind:<24} {number:>6}")
