"""Mutation scores, module by module: each mutant run against that module's own tests only.

Run:  pip install -e '.[bench]'   (installs cosmic-ray, the mutation tool; this script installs nothing)
      python bench/mutation.py numbers                 # one module
      python bench/mutation.py                         # every module in MODULES, one after another
      python bench/mutation.py grading --sample 120    # a seeded random sample of the mutants
      python bench/mutation.py --list                  # the modules, their functions and their tests
      python bench/mutation.py grading --jobs 2 --keep /tmp/m   # two processes; keep the sessions
      python bench/mutation.py grading --keep /tmp/m --resume   # go on after an interruption
      python bench/mutation.py grading --keep /tmp/m --rerun-survivors   # after adding tests

The tool is cosmic-ray (https://cosmic-ray.readthedocs.io): it makes one mutant at a time
(comparison and arithmetic operators flipped, constants changed, conditions negated,
``break``/``continue`` swapped, statements removed, ...) and runs a test command against it.
Its test command is set per module here, so a module's mutants meet that module's tests
(MODULES below) and not the whole suite, which would take days and would credit a module
with kills made by tests of other modules.

cosmic-ray edits the module's file in place while a mutant runs. So this script copies the
working tree (uncommitted edits included) to a scratch folder and mutates the copy: the
checkout is never touched and other test runs on the same tree are not disturbed. The
copy's ``quizgen`` is the one imported (checked before any mutant runs).

Per mutant: pytest with ``-x`` (the first failing test kills it), pytest-timeout's per-test
limit from pyproject.toml lowered to ``--test-timeout`` seconds and faulthandler's backstop to
10 s more (a mutant that makes a test hang fails there, even in one C call), and a whole-run
limit of 3x the unmutated run plus 60 s. A mutant is counted as:

- killed: a test failed;
- timeout: a test hit its time limit, or the whole run its backstop (killed too: the suite
  ended and failed, but it is listed apart because a hang is a weaker kill than an assertion);
- survived: every test passed;
- incompetent: cosmic-ray could not make or run the mutant (left out of the score).

score = (killed + timeout) / (killed + timeout + survived).

Mutants inside annotations are skipped before the run (the modules use ``from __future__ import
annotations``, so ``int | None`` mutated to ``int % None`` is never evaluated: equivalent by
construction, about a fifth of cosmic-ray's mutants of formula.py).

Survivors are printed with file:line and the mutated line, for writing tests that kill them
(some survivors are equivalent mutants: no input tells them from the original; set those aside
by hand, with why).
"""

from __future__ import annotations

import argparse
import ast
import os
import random
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Target:
    """What to mutate (a file, optionally only some of its functions) and the tests that are its own."""

    path: str
    tests: tuple[str, ...]
    functions: tuple[str, ...] = ()  # "name" or "Class.name"; empty: the whole file
    select: str = ""  # a pytest -k expression, when only some tests of a file are this module's


@dataclass(frozen=True)
class Module:
    targets: tuple[Target, ...]
    note: str = ""


# Each module's own tests: the files written to test it (a missing file, e.g. one another branch adds,
# is skipped with a note). Tests of other modules that happen to call it are left out on purpose.
MODULES: dict[str, Module] = {
    "numbers": Module(
        (Target("quizgen/numbers.py", ("tests/test_numbers.py", "tests/test_number_display.py")),),
    ),
    "grading": Module(
        (Target("quizgen/grading.py", ("tests/test_grading.py", "tests/test_grading_table.py")),),
    ),
    "formula": Module((Target("quizgen/formula.py", ("tests/test_formula.py",)),)),
    "scheduler": Module((Target("quizgen/scheduler.py", ("tests/test_scheduler.py",)),)),
    "yamlsource": Module(
        (Target("quizgen/yamlsource.py", ("tests/test_yaml_hardening.py", "tests/test_yaml_paths.py")),),
    ),
    "store": Module(
        (
            Target(
                "quizgen/store.py",
                ("tests/test_store.py", "tests/test_hardening.py"),
                select="not test_hardening or finding_14",  # finding 14: the store's messages
            ),
        ),
    ),
    "escaping": Module(
        (
            Target(
                "quizgen/exporters/base.py",
                ("tests/test_export_qti.py", "tests/test_export_moodle.py", "tests/test_outputs_safety.py"),
                functions=("xml_safe", "xml_comment", "utf8"),
                select="not test_outputs_safety or finding_12",
            ),
            Target(
                "quizgen/exporters/qti.py",
                ("tests/test_export_qti.py",),
                functions=("_text", "_attr"),
            ),
        ),
        note="the exporters' escaping: base.xml_safe/xml_comment/utf8 and qti._text/_attr",
    ),
}

# Left out of the copy: caches, build output, and node_modules (linked instead: large, read only).
IGNORED = (
    ".git",
    "__pycache__",
    ".hypothesis",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    "node_modules",
    "test-artifacts",
    "build",
    "dist",
    "*.egg-info",
    ".venv*",
    "mutants",
)
LINKED = ("tests/npm/node_modules", "tests/gift/node_modules")
# pytest-timeout's (signal and thread methods), then faulthandler's (the backstop for a C call)
TIMEOUT_MARKS = ("Timeout (>", "+++ Timeout +++", "Timeout (0:")


@dataclass
class Tally:
    mutants: int = 0
    killed: int = 0
    timeouts: int = 0
    survived: int = 0
    incompetent: int = 0
    skipped: int = 0
    survivors: list[str] = field(default_factory=list)

    @property
    def score(self) -> float | None:
        judged = self.killed + self.timeouts + self.survived
        return None if judged == 0 else (self.killed + self.timeouts) / judged

    def add(self, other: Tally) -> None:
        for name in ("mutants", "killed", "timeouts", "survived", "incompetent", "skipped"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.survivors += other.survivors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help=f"modules to run (default: all): {', '.join(MODULES)}")
    parser.add_argument("--list", action="store_true", help="print the modules and their tests, run nothing")
    parser.add_argument("--sample", type=int, default=0, help="run a seeded random sample of N mutants")
    parser.add_argument("--seed", type=int, default=16, help="the sample's seed (default 16)")
    parser.add_argument(
        "--test-timeout", type=float, default=30.0, help="pytest-timeout's per-test limit (default 30 s)"
    )
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (sessions, the copy)")
    parser.add_argument(
        "--rerun-survivors",
        action="store_true",
        help="with --keep: run again only the mutants that survived the sessions kept there, against the "
        "tests as they are now (the module itself must be unchanged: its mutants are the same)",
    )
    parser.add_argument(
        "--resume",
        action="store_true",
        help="with --keep: go on with the sessions kept there (the mutants not yet run), e.g. after an interruption",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="run the mutants in N processes, each in its own copy of the tree (default 1)",
    )
    parser.add_argument("--quiet", action="store_true", help="no survivor list")
    args = parser.parse_args(argv)

    unknown = [name for name in args.modules if name not in MODULES]
    if unknown:
        parser.error(f"unknown module {', '.join(unknown)}; the modules are {', '.join(MODULES)}")
    names = args.modules or list(MODULES)
    if (args.rerun_survivors or args.resume) and args.keep is None:
        parser.error("--rerun-survivors and --resume need --keep FOLDER, the folder of the kept sessions")
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    if args.list:
        for name in names:
            for target in MODULES[name].targets:
                where = f"{target.path} ({', '.join(target.functions)})" if target.functions else target.path
                print(f"{name}: {where} <- {' '.join(target.tests)}{_k(target.select)}")
        return 0
    try:
        import cosmic_ray  # noqa: F401  (only to say how to install it)
    except ImportError:
        print(
            "cosmic-ray is not installed: pip install -e '.[bench]'  (or: pip install cosmic-ray)",
            file=sys.stderr,
        )
        return 2

    work = args.keep or Path(tempfile.mkdtemp(prefix="quizgen-mutation-"))
    work.mkdir(parents=True, exist_ok=True)
    tallies: dict[str, Tally] = {}
    try:
        tree = _copy_tree(work / "tree")
        for name in names:
            started = time.monotonic()
            tally = Tally()
            for number, target in enumerate(MODULES[name].targets):
                tally.add(_run_target(name, number, target, tree, work, args))
            tallies[name] = tally
            print(f"== {name}: {_row(name, tally)}  ({time.monotonic() - started:.0f} s)", flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    _print_table(tallies, args)
    return 0


def _k(select: str) -> str:
    return f" -k {select!r}" if select else ""


def _copy_tree(tree: Path) -> Path:
    """The working tree as it is now (uncommitted edits included) in ``tree``, node_modules linked."""
    if tree.exists():
        shutil.rmtree(tree)
    shutil.copytree(ROOT, tree, symlinks=True, ignore=shutil.ignore_patterns(*IGNORED))
    for linked in LINKED:
        if (ROOT / linked).is_dir():
            (tree / linked).symlink_to(ROOT / linked)
    return tree


def _environment(tree: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(tree), *filter(None, [env.get("PYTHONPATH")])])
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # a stale .pyc of the unmutated file must never be run
    return env


def _test_command(target: Target, tree: Path, test_timeout: float) -> list[str] | None:
    tests = [test for test in target.tests if (tree / test).is_file()]
    if not tests:
        return None
    # Its own temporary folder, in the tree copy: pytest's shared /tmp/pytest-of-USER is cleaned by every
    # run, and a run racing another one's clean-up can fail after its tests passed (a false kill).
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "--no-header"]
    command += ["--basetemp=.pytest-tmp"]
    command += [f"--timeout={test_timeout:g}", "-o", f"faulthandler_timeout={test_timeout + 10:g}", *tests]
    if target.select:
        command += ["-k", target.select]
    return command


def _run_target(
    name: str, number: int, target: Target, tree: Path, work: Path, args: argparse.Namespace
) -> Tally:
    label = f"{name}: {target.path}"
    missing = [test for test in target.tests if not (tree / test).is_file()]
    if missing:
        print(f"   {label}: no such test file (skipped): {', '.join(missing)}", flush=True)
    command = _test_command(target, tree, args.test_timeout)
    if command is None:
        print(f"   {label}: none of its test files exists; not run", flush=True)
        return Tally()
    env = _environment(tree)

    where = subprocess.run(
        [sys.executable, "-c", "import quizgen; print(quizgen.__file__)"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not Path(where).resolve().is_relative_to(tree.resolve()):
        raise SystemExit(f"the copy's quizgen is not the one imported ({where}): mutants would not be tested")

    # The unmutated run must pass, and its time sets the backstop for a whole mutant run.
    started = time.monotonic()
    baseline = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True)
    seconds = time.monotonic() - started
    if baseline.returncode != 0:
        print(
            f"   {label}: its tests fail without any mutant; not run:\n{baseline.stdout[-3000:]}", flush=True
        )
        return Tally()
    print(f"   {label}: unmutated run passed in {seconds:.1f} s: {shlex.join(command[1:])}", flush=True)

    session = work / f"{name}-{number}.sqlite"
    config = work / f"{name}-{number}.toml"
    config.write_text(
        "[cosmic-ray]\n"
        f'module-path = "{target.path}"\n'
        f"timeout = {3 * seconds + 60:.0f}\n"
        "excluded-modules = []\n"
        # through sh, to keep the standard error too (faulthandler's dump): cosmic-ray keeps stdout only
        f"test-command = {_toml_string(shlex.join(['sh', '-c', f'exec {shlex.join(command)} 2>&1']))}\n"
        "\n[cosmic-ray.distributor]\n"
        'name = "local"\n'
    )
    cosmic = [sys.executable, "-m", "cosmic_ray.cli"]
    source = work / f"{name}-{number}.source"  # the module as its mutants were made
    if args.rerun_survivors or args.resume:
        _check_kept(session, source, tree / target.path)
        if args.rerun_survivors:
            reopened = _reopen_survivors(session)
            print(f"   {label}: {reopened} survivors of the kept session to run again", flush=True)
        print(f"   {label}: {_pending(session)} mutants to run", flush=True)
    else:
        session.unlink(missing_ok=True)
        subprocess.run([*cosmic, "init", str(config), str(session)], cwd=tree, env=env, check=True)
        shutil.copyfile(tree / target.path, source)
        chosen = _choose(session, target, tree, args.sample, args.seed)
        print(f"   {label}: {chosen} mutants to run", flush=True)
    if args.jobs == 1:
        subprocess.run([*cosmic, "exec", str(config), str(session)], cwd=tree, env=env, check=True)
    else:
        _exec_in_shards(session, config, tree, work / f"{name}-{number}", args.jobs)
    return _tally(session, tree)


def _pending(session: Path) -> int:
    from cosmic_ray.work_db import WorkDB, use_db

    with use_db(str(session), WorkDB.Mode.open) as db:
        return sum(1 for _ in db.pending_work_items)


_OTHER_SHARD = "in another shard"


def _exec_in_shards(session: Path, config: Path, tree: Path, stem: Path, jobs: int) -> None:
    """``cosmic-ray exec`` in ``jobs`` processes at once: each has a copy of the session in which only
    its share of the pending mutants is left pending, and its own copy of the tree (cosmic-ray
    mutates the module's file in place). The results are copied back into ``session``."""
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import WorkerOutcome, WorkResult

    with use_db(str(session), WorkDB.Mode.open) as db:
        pending = sorted(item.job_id for item in db.pending_work_items)
    shards = []
    for index in range(jobs):
        shard, copy = Path(f"{stem}.shard{index}.sqlite"), Path(f"{stem}.tree{index}")
        shutil.copyfile(session, shard)
        if copy.exists():
            shutil.rmtree(copy)
        shutil.copytree(tree, copy, symlinks=True)
        others = [job for number, job in enumerate(pending) if number % jobs != index]
        with use_db(str(shard), WorkDB.Mode.open) as db:
            db.set_multiple_results(
                others, WorkResult(output=_OTHER_SHARD, worker_outcome=WorkerOutcome.SKIPPED)
            )
        shards.append((shard, copy))
    cosmic = [sys.executable, "-m", "cosmic_ray.cli", "exec", str(config)]
    running = [
        subprocess.Popen([*cosmic, str(shard)], cwd=copy, env=_environment(copy)) for shard, copy in shards
    ]
    failed = [process.args for process in running if process.wait() != 0]
    with use_db(str(session), WorkDB.Mode.open) as db:
        for shard, _ in shards:  # results so far are kept even when a shard failed
            with use_db(str(shard), WorkDB.Mode.open) as part:
                for item, result in part.completed_work_items:
                    if item.job_id in pending and result.output != _OTHER_SHARD:
                        db.set_result(item.job_id, result)
    if failed:
        raise SystemExit(f"cosmic-ray exec failed: {failed}")


def _check_kept(session: Path, source: Path, module: Path) -> None:
    """A kept session may go on only for the same module text: a mutant is a (file, operator,
    occurrence), and its kills stand when tests are only added."""
    if not session.is_file() or not source.is_file():
        raise SystemExit(f"no kept session {session} (run once with --keep first)")
    if source.read_bytes() != module.read_bytes():
        raise SystemExit(
            f"{module.name} changed since the session in {session.parent} was made: its mutants are "
            "not the same; run it in full (without --resume or --rerun-survivors)"
        )


def _reopen_survivors(session: Path) -> int:
    """Mark the survivors of a kept session as not run, so that ``cosmic-ray exec`` runs them again;
    return how many. Kills whose run also met the clean-up race of pytest's shared temporary folder
    (runs before --basetemp was set) are run again too: pytest fails then even when every test passed."""
    import sqlite3

    # cosmic-ray's WorkDB has no call to forget one result; its table is work_results (8.x).
    with sqlite3.connect(session) as db:
        return db.execute(
            "DELETE FROM work_results WHERE test_outcome = 'SURVIVED' "
            "OR (test_outcome = 'KILLED' AND output LIKE '%/pytest-of-%')"
        ).rowcount


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _function_lines(source: str, functions: tuple[str, ...]) -> list[tuple[int, int]]:
    """The line ranges of the named functions (``name`` at the top level or ``Class.name``)."""
    found: dict[str, tuple[int, int]] = {}

    def visit(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                qualified = prefix + node.name
                first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
                found[qualified] = (first, node.end_lineno or node.lineno)
                if isinstance(node, ast.ClassDef):
                    visit(node.body, qualified + ".")

    visit(ast.parse(source).body, "")
    missing = [name for name in functions if name not in found]
    if missing:
        raise SystemExit(
            f"no function {', '.join(missing)} in the module: update MODULES in bench/mutation.py"
        )
    return [found[name] for name in functions]


def _annotations(source: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The (start, end) positions of every annotation, when the module never evaluates them.

    With ``from __future__ import annotations`` an annotation is a string nobody reads at run time
    (nothing here calls ``get_type_hints``), so its mutants (``int | None`` to ``int % None``, a
    dozen per annotation) are equivalent by construction: they are skipped, not run.
    """
    tree = ast.parse(source)
    future = any(
        isinstance(node, ast.ImportFrom)
        and node.module == "__future__"
        and any(alias.name == "annotations" for alias in node.names)
        for node in tree.body
    )
    if not future:
        return []
    found: list[ast.expr] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.returns is not None:
            found.append(node.returns)
        elif isinstance(node, ast.arg | ast.AnnAssign) and node.annotation is not None:
            found.append(node.annotation)
    return [((a.lineno, a.col_offset), (a.end_lineno or a.lineno, a.end_col_offset or 0)) for a in found]


def _choose(session: Path, target: Target, tree: Path, sample: int, seed: int) -> int:
    """Skip the mutants inside annotations and outside the chosen functions, then all but a seeded
    sample; return how many are left."""
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import WorkerOutcome, WorkResult

    source = (tree / target.path).read_text()
    ranges = _function_lines(source, target.functions) if target.functions else []
    annotations = _annotations(source)
    with use_db(str(session), WorkDB.Mode.open) as db:
        items = list(db.pending_work_items)
        typing_only = {
            item.job_id
            for item in items
            if all(
                any(start <= tuple(mutation.start_pos) < end for start, end in annotations)
                for mutation in item.mutations
            )
        }
        if typing_only:
            db.set_multiple_results(
                sorted(typing_only),
                WorkResult(output="in an annotation: equivalent", worker_outcome=WorkerOutcome.SKIPPED),
            )
        items = [item for item in items if item.job_id not in typing_only]
        outside = [
            item.job_id
            for item in items
            if ranges
            and not any(
                first <= mutation.start_pos[0] <= last
                for mutation in item.mutations
                for first, last in ranges
            )
        ]
        if outside:
            db.set_multiple_results(
                outside,
                WorkResult(output="not in the functions chosen", worker_outcome=WorkerOutcome.SKIPPED),
            )
        kept = sorted(item.job_id for item in items if item.job_id not in set(outside))
        if sample and len(kept) > sample:
            chosen = set(random.Random(seed).sample(kept, sample))
            dropped = [job for job in kept if job not in chosen]
            db.set_multiple_results(
                dropped, WorkResult(output="not in the sample", worker_outcome=WorkerOutcome.SKIPPED)
            )
            kept = sorted(chosen)
        return len(kept)


def _tally(session: Path, tree: Path) -> Tally:
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import TestOutcome, WorkerOutcome

    tally = Tally()
    with use_db(str(session), WorkDB.Mode.open) as db:
        for item, result in db.completed_work_items:
            if result.worker_outcome == WorkerOutcome.SKIPPED:
                tally.skipped += 1
                continue
            tally.mutants += 1
            output = result.output or ""
            if (
                result.worker_outcome != WorkerOutcome.NORMAL
                or result.test_outcome == TestOutcome.INCOMPETENT
            ):
                tally.incompetent += 1
            elif result.test_outcome == TestOutcome.SURVIVED:
                tally.survived += 1
                tally.survivors.append(_describe(item.mutations[0], result.diff or "", tree))
            elif output == "timeout" or any(mark in output for mark in TIMEOUT_MARKS):
                tally.timeouts += 1
            else:
                tally.killed += 1
    return tally


def _describe(mutation: object, diff: str, tree: Path) -> str:
    path = getattr(mutation, "module_path", "?")
    line = getattr(mutation, "start_pos", ("?", 0))[0]
    operator = str(getattr(mutation, "operator_name", "?")).split("/")[-1]
    removed = [d[1:].strip() for d in diff.splitlines() if d.startswith("-") and not d.startswith("---")]
    added = [d[1:].strip() for d in diff.splitlines() if d.startswith("+") and not d.startswith("+++")]
    change = f"{' / '.join(removed)}  ->  {' / '.join(added)}" if removed or added else "(no diff)"
    return f"{path}:{line} [{operator}] {change}"


def _row(name: str, tally: Tally) -> str:
    score = "n/a" if tally.score is None else f"{100 * tally.score:.1f}%"
    return (
        f"{tally.mutants} mutants, {tally.killed} killed, {tally.survived} survived, "
        f"{tally.timeouts} timeouts, {tally.incompetent} incompetent: score {score}"
    )


def _print_table(tallies: dict[str, Tally], args: argparse.Namespace) -> None:
    print()
    print("| module | mutants | killed | survived | timeouts | incompetent | score |")
    print("|---|---|---|---|---|---|---|")
    for name, tally in tallies.items():
        score = "n/a" if tally.score is None else f"{100 * tally.score:.1f}%"
        print(
            f"| {name} | {tally.mutants} | {tally.killed} | {tally.survived} | {tally.timeouts} "
            f"| {tally.incompetent} | {score} |"
        )
    if args.sample:
        print(f"\n(a seeded sample of at most {args.sample} mutants per target, seed {args.seed})")
    if not args.quiet:
        for name, tally in tallies.items():
            if tally.survivors:
                print(f"\nSurvivors, {name}:")
                for survivor in tally.survivors:
                    print(f"  {survivor}")


if __name__ == "__main__":
    sys.exit(main())
