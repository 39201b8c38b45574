"""Whole commands as users run them, each beside its peer's whole command in the same run (issue 12).

Run:  python bench/commands.py [qti|moodle|anki|generate|memory ...] [--quick] [--repeats N] [--source REV]

`--source REV` measures quizgen as committed at a git revision (unpacked with
`git archive`, put first on PYTHONPATH) instead of the working tree.

Every figure here is one whole command, started as a user starts it (the
`quizgen` console script, `text2qti`, `Rscript`, `python script.py`) and timed
with `/usr/bin/time -f '%e %M'`: elapsed seconds and peak resident memory
(KiB) of the process. Start-up, imports, loading the banks, building the
variants, writing the file: all included. quizgen and the peer run alternately
(quizgen first in even repeats, the peer first in odd ones), so a noisy moment
on this shared machine hits both; figures are medians, ratios are of medians.
Each command runs once untimed first (a warm-up: the file cache, quizgen's bank
cache, text2qti's config file), as a user's second run would.

Rows (the table of issue 12, section 2):

* qti      Canvas QTI 1.2 of ~5,000 and ~20,000 questions: `quizgen export --format qti
           --variants N` (N chosen so bank questions + variants are closest to the size) against
           `text2qti quiz.md` converting a Markdown quiz of as many questions of the same kinds
           (bench/text2qti_peer.py writes it). Goal: >= 5x faster at 5,000, >= 10x at 20,000.
* qti21    QTI 2.1 package of ~5,000 questions: `quizgen export --format qti21` against quizgen's own
           `--format qti` of the same selection (goal: at least as fast), and R/exams `exams2qti21` of
           100 copies of bench/peers/xavier_limit.Rmd, per question (figures only).
* moodle   Moodle XML of 1,000 copies of one numeric exercise, per variant: quizgen exports the
           template in bench/peers/xavier-limit.yaml (--bank, --topic of its own: one generator),
           R/exams runs `exams2moodle` with n = 1000 on bench/peers/xavier_limit.Rmd (the same
           exercise). Goal: >= 500x less time per variant. Skipped, saying so, without R or exams
           (install: bench/install_r_exams.sh).
* anki     Anki, ~5,000 and ~20,000 questions (one note per skill, its variants in it): `quizgen export --format anki` against the bare
           genanki script `python bench/genanki_peer.py --fields notes.json` writing the same
           note fields (read from quizgen's own .apkg beforehand). Goal: at most 1.5x its time.
* generate `quizgen generate ID --count 100000 --format json > /dev/null` for every generator
           (those with fewer distinct variants: all they have), variants per second and peak
           memory; xavier-variance also at 1,000,000 when the CLI allows it. Goal: >= 50,000
           variants/s for every generator; memory flat, <= 100 MiB at 1,000,000.
* memory   peak memory of `quizgen export` of ~60,000 questions, every format. Goal: <= 150 MiB.

`--quick` runs smaller sizes and fewer repeats (a smoke run: its figures are not the goals').
bench/run.py calls `measure()` and writes bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from text2qti_peer import text2qti_quiz  # noqa: E402  (imports no quizgen)

BIN = Path(sys.executable).parent
TIME = "/usr/bin/time"
MiB = 1024  # KiB per MiB
FORMATS_FALLBACK = ["moodle", "gift", "qti", "anki", "json"]


# --- running and timing a whole command -------------------------------------------------------


class CommandFailed(RuntimeError):
    pass


@dataclass(frozen=True)
class Run:
    seconds: float
    kib: int

    @property
    def mib(self) -> float:
        return self.kib / MiB


def tool(name: str) -> str:
    """The venv's console script `name` when there is one, else the one on PATH."""
    local = BIN / name
    return str(local) if local.exists() else (shutil.which(name) or name)


def shown(argv: Sequence[str]) -> str:
    """A command line as a user types it (tool names without their folder)."""
    words = []
    for word in argv:
        text = str(word)
        if text == sys.executable:
            text = "python"
        elif "/" in text and Path(text).name in {"quizgen", "text2qti", "Rscript"}:
            text = Path(text).name
        elif text.startswith(str(HERE)):
            text = "bench/" + str(Path(text).relative_to(HERE))
        words.append(text if re.fullmatch(r"[\w./=:,+-]+", text) else repr(text))
    return " ".join(words)


def timed(argv: Sequence[str], *, cwd: Path, check: bool = True) -> tuple[Run, str]:
    """Run `argv` under /usr/bin/time -f '%e %M' (stdout to /dev/null); its figures and its stderr."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as figures:
        result = subprocess.run(
            [TIME, "-f", "%e %M", "-o", figures.name, *map(str, argv)],
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        last = figures.read().strip().splitlines()[-1]  # after "Command exited with non-zero status N"
    if check and result.returncode != 0:
        raise CommandFailed(f"{shown(argv)}: exit {result.returncode}\n{result.stderr.strip()[-1500:]}")
    seconds, kib = last.split()
    return Run(float(seconds), int(kib)), result.stderr


def interleaved(
    commands: dict[str, Sequence[str]], repeats: int, cwd: Path, *, warm_up: bool = True
) -> dict[str, list[Run]]:
    """Each command `repeats` times, alternating (the order reversed every other repeat)."""
    names = list(commands)
    if warm_up:
        for name in names:
            timed(commands[name], cwd=cwd)
    runs: dict[str, list[Run]] = {name: [] for name in names}
    for i in range(repeats):
        for name in names if i % 2 == 0 else names[::-1]:
            runs[name].append(timed(commands[name], cwd=cwd)[0])
    return runs


def median_s(runs: list[Run]) -> float:
    return statistics.median(r.seconds for r in runs)


def median_mib(runs: list[Run]) -> float:
    return statistics.median(r.mib for r in runs)


def figures(label: str, runs: list[Run]) -> str:
    each = ", ".join(f"{r.seconds:.2f}" for r in runs)
    return f"{label:<34} {median_s(runs):8.2f} s  peak {median_mib(runs):6.0f} MiB   (runs: {each})"


def use_source(revision: str | None, scratch: Path) -> str:
    """Point every quizgen command of this run at `revision` (or the working tree); say which.

    With a revision, `git archive REVISION quizgen` (read-only) is unpacked in `scratch` and put
    first on PYTHONPATH, so the console script and the in-process scripts import it instead of
    the editable install: a stable baseline while the working tree is being edited. The commands
    run outside the repository, so the working tree's package is never picked up from the cwd.
    Either way the bank cache goes to a scratch folder (QUIZGEN_CACHE_DIR), warmed by the warm-ups.
    """
    root = HERE.parent
    cache = scratch / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    os.environ["QUIZGEN_CACHE_DIR"] = str(cache)

    def git(*words: str) -> str:
        result = subprocess.run(["git", "-C", str(root), *words], capture_output=True, text=True)
        return result.stdout.strip() if result.returncode == 0 else ""

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    if revision is None:
        dirty = bool(git("status", "--porcelain", "--", "quizgen"))
        return f"the working tree (commit {head}{' plus uncommitted changes to quizgen/' if dirty else ''})"
    commit = git("rev-parse", "--short", revision)
    if not commit:
        raise SystemExit(f"--source {revision}: not a revision of {root}")
    tree = scratch / "source"
    tree.mkdir(exist_ok=True)
    # quizgen/banks and quizgen/templates are symlinks to top-level folders: take what they point to too
    links = git("ls-tree", "-r", commit, "quizgen").splitlines()
    targets = [
        os.path.normpath(
            os.path.join(os.path.dirname(line.split("\t")[1]), git("cat-file", "-p", line.split()[2]))
        )
        for line in links
        if line.startswith("120000")
    ]
    archive = subprocess.run(
        ["git", "-C", str(root), "archive", commit, "quizgen", *targets], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tree), os.environ.get("PYTHONPATH", "")]))
    return f"commit {commit} (`git archive {revision}`), not the working tree"


# --- goals ---------------------------------------------------------------------------------------


@dataclass
class Goal:
    row: str
    measured: str
    goal: str
    met: bool | None  # None: not measured (skipped)
    gap: str = ""

    @property
    def verdict(self) -> str:
        if self.met is None:
            return f"not measured: {self.gap}"
        return "met" if self.met else f"MISSED: {self.gap}"


@dataclass
class Section:
    title: str
    commands: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)

    def say(self, line: str = "") -> None:
        self.lines.append(line)
        print(line, flush=True)


def faster_goal(row: str, ours: float, peer: float, target: float, unit: str = "s") -> Goal:
    ratio = peer / ours
    return Goal(
        row,
        f"quizgen {ours:.3g} {unit}, peer {peer:.3g} {unit}: {ratio:.1f}x faster",
        f">= {target:g}x faster",
        ratio >= target,
        f"{ratio:.1f}x, quizgen needs to be {target / ratio:.1f}x faster still",
    )


# --- sizes -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sizes:
    repeats: int
    qti: tuple[int, ...]
    anki: tuple[int, ...]
    moodle_copies: int
    generate_count: int
    generate_large: int
    memory_questions: int


FULL = Sizes(
    repeats=5,
    qti=(5_000, 20_000),
    anki=(5_000, 20_000),
    moodle_copies=1_000,
    generate_count=100_000,
    generate_large=1_000_000,
    memory_questions=60_000,
)
QUICK = Sizes(
    repeats=3,
    qti=(1_000,),
    anki=(1_000,),
    moodle_copies=100,
    generate_count=5_000,
    generate_large=20_000,
    memory_questions=5_000,
)


WROTE = re.compile(r"(\d+) bank questions and (\d+) variants")
ONLY = re.compile(r"(\S+) has only (\d+) distinct variants")


def exported_count(stderr_and_stdout: str) -> int | None:
    """Questions written, from `quizgen export --check`'s 'wrote F: B bank questions and V variants'."""
    match = WROTE.search(stderr_and_stdout)
    return int(match.group(1)) + int(match.group(2)) if match else None


def run_check(argv: Sequence[str], cwd: Path) -> str:
    """Run a quizgen command with --check and return what it printed (stdout and stderr)."""
    result = subprocess.run(
        [*map(str, argv), "--check"], cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL
    )
    if result.returncode != 0:
        raise CommandFailed(f"{shown(argv)} --check: exit {result.returncode}\n{result.stderr[-1500:]}")
    return result.stdout + result.stderr


def variants_for(target: int, work: Path) -> int:
    """--variants N for `quizgen export` such that bank questions + variants are closest to `target`.

    Through the CLI only: one small export gives the bank questions and the generators; the
    notes of an export at the estimate name the generators with fewer distinct variants; the
    estimate is corrected for those (twice at most).
    """
    quizgen = tool("quizgen")
    probe = run_check([quizgen, "export", "--format", "json", "--variants", "1", "-o", "probe.json"], work)
    match = WROTE.search(probe)
    if not match:
        return max(1, target // 17)
    bank, generators = int(match.group(1)), int(match.group(2))
    capped: dict[str, int] = {}

    def total(n: int) -> int:
        return bank + sum(min(n, s) for s in capped.values()) + (generators - len(capped)) * n

    n = max(1, (target - bank) // max(1, generators))
    for _ in range(2):
        text = run_check(
            [quizgen, "export", "--format", "gift", "--variants", str(n), "-o", "probe.txt"], work
        )
        capped.update({name: int(size) for name, size in ONLY.findall(text)})
        best = min(range(1, 10_001), key=lambda v: (abs(total(v) - target), v))
        if best == n:
            break
        n = best
    for name in ("probe.json", "probe.txt"):
        (work / name).unlink(missing_ok=True)
    return n


# --- rows --------------------------------------------------------------------------------------------


def qti(sizes: Sizes, work: Path) -> Section:
    section = Section("QTI 1.2: quizgen export against text2qti")
    quizgen, text2qti = tool("quizgen"), tool("text2qti")
    targets = {5_000: 5.0, 20_000: 10.0}
    for size in sizes.qti:
        try:
            variants = variants_for(size, work)
            ours = [
                quizgen,
                "export",
                "--format",
                "qti",
                "--variants",
                str(variants),
                "-o",
                "quizgen-qti.zip",
            ]
            count = exported_count(run_check(ours, work)) or size
            (work / "quiz.md").write_text(text2qti_quiz(count), encoding="utf-8")
            peer = [text2qti, "quiz.md"]
            section.commands += [shown(ours), shown(peer)]
            runs = interleaved({"quizgen": ours, "text2qti": peer}, sizes.repeats, work)
            assert (work / "quiz.zip").exists(), "text2qti wrote no quiz.zip"
            ratio = median_s(runs["text2qti"]) / median_s(runs["quizgen"])
            section.say(f"# {count:,} questions (quizgen --variants {variants}), median of {sizes.repeats}")
            section.say(figures("quizgen export --format qti", runs["quizgen"]))
            section.say(figures("text2qti quiz.md", runs["text2qti"]))
            section.say(f"quizgen is {ratio:.2f}x faster")
            section.say()
            goal = targets.get(size, 5.0 if size < 20_000 else 10.0)
            section.goals.append(
                faster_goal(
                    f"QTI 1.2, {count:,} questions, vs text2qti",
                    median_s(runs["quizgen"]),
                    median_s(runs["text2qti"]),
                    goal,
                )
            )
        except (CommandFailed, AssertionError) as error:  # one size failing leaves the others measured
            section.say(f"# ~{size:,}: FAILED: {error}")
            first = str(error).splitlines()[0][:200]
            section.goals.append(Goal(f"QTI 1.2, ~{size:,}", "failed", "-", False, first))
    return section


def qti21(sizes: Sizes, work: Path) -> Section:
    """QTI 2.1 package of ~5,000 questions against the QTI 1.2 export of the same selection (the issue's
    goal: at least as fast), and R/exams' exams2qti21 per question on one numeric exercise."""
    section = Section("QTI 2.1: quizgen export against its own QTI 1.2 export and R/exams exams2qti21")
    quizgen = tool("quizgen")
    size = sizes.qti[0]
    variants = variants_for(size, work)
    ours = [quizgen, "export", "--format", "qti21", "--variants", str(variants), "-o", "quizgen-qti21.zip"]
    canvas = [quizgen, "export", "--format", "qti", "--variants", str(variants), "-o", "quizgen-qti.zip"]
    count = exported_count(run_check(ours, work)) or size
    commands: dict[str, Sequence[str]] = {"qti21": ours, "qti": canvas}
    section.commands += [shown(ours), shown(canvas)]
    copies = max(10, sizes.moodle_copies // 10)
    missing = r_exams_missing()
    if missing is None:
        peer = r_exams_argv("exams2qti21", copies, work)
        section.commands.append(shown(peer))
        commands["R/exams"] = peer
    runs = interleaved(commands, sizes.repeats, work)
    ours_s, canvas_s = median_s(runs["qti21"]), median_s(runs["qti"])
    section.say(f"# {count:,} questions (--variants {variants}), median of {sizes.repeats}")
    section.say(figures("quizgen export --format qti21", runs["qti21"]))
    section.say(figures("quizgen export --format qti", runs["qti"]))
    section.say(f"qti21 takes {ours_s / canvas_s:.2f}x the time of qti")
    size_21 = (work / "quizgen-qti21.zip").stat().st_size
    size_12 = (work / "quizgen-qti.zip").stat().st_size
    section.say(f"package sizes: qti21 {size_21 / 2**20:.1f} MiB, qti {size_12 / 2**20:.1f} MiB")
    section.goals.append(
        Goal(
            f"QTI 2.1, {count:,} questions, vs quizgen's QTI 1.2 export",
            f"qti21 {ours_s:.2f} s, qti {canvas_s:.2f} s: {ours_s / canvas_s:.2f}x its time",
            "at most 1x the QTI 1.2 time",
            ours_s <= canvas_s,
            f"{ours_s / canvas_s:.2f}x, qti21 needs to be {ours_s / canvas_s:.1f}x faster",
        )
    )
    per_question = ours_s / count * 1000
    row = "QTI 2.1 per question vs R/exams exams2qti21"
    if missing is not None:
        section.say(f"R/exams exams2qti21: SKIPPED: {missing}")
        section.goals.append(Goal(row, f"quizgen {per_question:.3f} ms/question", "-", None, missing))
        return section
    peer_ms = median_s(runs["R/exams"]) / copies * 1000
    section.say(
        figures(f"R/exams exams2qti21, n = {copies:,}", runs["R/exams"]) + f"  {peer_ms:.1f} ms/question"
    )
    section.say(f"quizgen takes {peer_ms / per_question:.0f}x less time per question")
    section.goals.append(
        Goal(
            row,
            f"quizgen {per_question:.3f} ms/question, R/exams {peer_ms:.1f} ms/question "
            f"({peer_ms / per_question:.0f}x)",
            "(no goal set; for comparison)",
            None,
            "figures only",
        )
    )
    return section


def r_exams_argv(function: str, copies: int, work: Path) -> list[str]:
    """The Rscript command that runs R/exams' ``function`` (exams2moodle, exams2qti21, ...) on
    bench/peers/xavier_limit.Rmd ``copies`` times, writing into ``work``/exams-out."""
    shutil.copy(HERE / "peers" / "xavier_limit.Rmd", work / "xavier_limit.Rmd")
    (work / "exams-out").mkdir(exist_ok=True)
    code = (
        f"library(exams); set.seed(1); invisible({function}('xavier_limit.Rmd', n = {copies}, "
        "name = 'exams', dir = 'exams-out', verbose = FALSE))"
    )
    return ["Rscript", "-e", code]


def r_exams_missing() -> str | None:
    """Why R/exams cannot run here, or None."""
    rscript = shutil.which("Rscript")
    if not rscript:
        return "R is not installed (Rscript not on PATH); run bench/install_r_exams.sh"
    check = subprocess.run(
        [rscript, "-e", 'quit(status = if (requireNamespace("exams", quietly = TRUE)) 0 else 1)'],
        capture_output=True,
    )
    if check.returncode != 0:
        return "the R package exams is not installed; run bench/install_r_exams.sh"
    if not shutil.which("pandoc"):
        return "pandoc (exams2moodle's default converter) is not installed; run bench/install_r_exams.sh"
    return None


def moodle(sizes: Sizes, work: Path) -> Section:
    section = Section("Moodle XML: 1,000 copies of one numeric exercise, quizgen against R/exams")
    copies = sizes.moodle_copies
    quizgen = tool("quizgen")
    bank = HERE / "peers" / "xavier-limit.yaml"
    ours = [quizgen, "--bank", bank, "export", "--format", "moodle", "--topic", "bench-numeric"]
    ours += ["--variants", str(copies), "-o", "quizgen-moodle.xml"]
    written = exported_count(run_check(ours, work)) or copies
    # A bundled selection, for comparison: the smallest topic whose generators give 1,000 numeric variants.
    bundled = [quizgen, "export", "--format", "moodle", "--topic", "xavier", "--variants", str(copies)]
    bundled += ["-o", "quizgen-bundled.xml"]
    bundled_count = exported_count(run_check(bundled, work)) or copies
    commands: dict[str, Sequence[str]] = {"quizgen": ours, "bundled": bundled}
    section.commands += [shown(ours), shown(bundled)]
    missing = r_exams_missing()
    if missing is None:
        peer = r_exams_argv("exams2moodle", copies, work)
        section.commands.append(shown(peer))
        timed(r_exams_argv("exams2moodle", 5, work), cwd=work)  # warm-up, small: loads R and exams once
        commands["R/exams"] = peer
    runs = interleaved(commands, sizes.repeats, work, warm_up=False)
    ours_ms = median_s(runs["quizgen"]) / written * 1000
    section.say(f"# median of {sizes.repeats}; per variant = whole command / variants written")
    section.say(figures(f"quizgen, {written:,} variants", runs["quizgen"]) + f"  {ours_ms:.3f} ms/variant")
    section.say(
        figures(f"quizgen --topic xavier, {bundled_count:,} q.", runs["bundled"])
        + f"  {median_s(runs['bundled']) / bundled_count * 1000:.3f} ms/question"
    )
    section.say(
        "  (--topic xavier: the bank's 2 numeric generators xavier-variance and xavier-normal, "
        "plus the topic's bank questions: the CLI selects topics, not one generator)"
    )
    row = f"Moodle XML, {copies:,} copies of a numeric exercise, per variant, vs R/exams"
    if missing is not None:
        section.say(f"R/exams exams2moodle: SKIPPED: {missing}")
        section.goals.append(
            Goal(row, f"quizgen {ours_ms:.3f} ms/variant", ">= 500x less per variant", None, missing)
        )
        return section
    xml = (work / "exams-out" / "exams.xml").read_text(encoding="utf-8")
    theirs_count = xml.count('<question type="numerical"')
    assert theirs_count == copies, f"exams2moodle wrote {theirs_count} numerical questions, not {copies}"
    peer_ms = median_s(runs["R/exams"]) / copies * 1000
    section.say(
        figures(f"R/exams exams2moodle, n = {copies:,}", runs["R/exams"]) + f"  {peer_ms:.3f} ms/variant"
    )
    section.say(f"quizgen takes {peer_ms / ours_ms:.0f}x less time per variant")
    section.goals.append(faster_goal(row, ours_ms, peer_ms, 500.0, unit="ms/variant"))
    return section


def apkg_notes(path: Path) -> dict[str, object]:
    """The field names and every note's fields of an .apkg (its SQLite collection)."""
    with zipfile.ZipFile(path) as archive, tempfile.TemporaryDirectory() as folder:
        name = next(n for n in ("collection.anki21", "collection.anki2") if n in archive.namelist())
        archive.extract(name, folder)
        with sqlite3.connect(Path(folder) / name) as db:
            models = json.loads(db.execute("select models from col").fetchone()[0])
            notes = [row[0].split("\x1f") for row in db.execute("select flds from notes order by id")]
        db.close()
    names = [f["name"] for f in next(iter(models.values()))["flds"]]
    return {"names": names, "notes": notes}


def anki(sizes: Sizes, work: Path) -> Section:
    section = Section("Anki: quizgen export against a bare genanki script")
    quizgen = tool("quizgen")
    for size in sizes.anki:
        try:
            variants = variants_for(size, work)
            ours = [quizgen, "export", "--format", "anki", "--variants", str(variants), "-o", "quizgen.apkg"]
            count = exported_count(run_check(ours, work)) or size
            fields = apkg_notes(work / "quizgen.apkg")
            (work / "notes.json").write_text(json.dumps(fields), encoding="utf-8")
            peer = [sys.executable, HERE / "genanki_peer.py", "--fields", "notes.json", "-o", "bare.apkg"]
            section.commands += [shown(ours), shown(peer)]
            runs = interleaved({"quizgen": ours, "genanki": peer}, sizes.repeats, work)
            bare = apkg_notes(work / "bare.apkg")
            assert len(bare["notes"]) == len(fields["notes"]), (
                "the bare script wrote a different number of notes"
            )  # type: ignore[arg-type]
            ratio = median_s(runs["quizgen"]) / median_s(runs["genanki"])
            notes = len(fields["notes"])  # type: ignore[arg-type]
            section.say(
                f"# {count:,} questions in {notes:,} notes (one per skill; quizgen --variants {variants}), "
                f"median of {sizes.repeats}"
            )
            section.say(figures("quizgen export --format anki", runs["quizgen"]))
            section.say(figures("bare genanki script", runs["genanki"]))
            section.say(f"quizgen takes {ratio:.2f}x the bare script's time")
            section.say()
            section.goals.append(
                Goal(
                    f"Anki, {count:,} questions ({notes:,} notes), vs a bare genanki script",
                    f"quizgen {median_s(runs['quizgen']):.2f} s, bare genanki {median_s(runs['genanki']):.2f} s: {ratio:.2f}x",
                    "<= 1.5x the bare script",
                    ratio <= 1.5,
                    f"{ratio:.2f}x, quizgen needs to be {ratio / 1.5:.1f}x faster",
                )
            )
        except (CommandFailed, AssertionError) as error:  # one size failing leaves the others measured
            section.say(f"# ~{size:,}: FAILED: {error}")
            first = str(error).splitlines()[0][:200]
            section.goals.append(Goal(f"Anki, ~{size:,}", "failed", "-", False, first))
    return section


def generator_ids() -> list[str]:
    out = subprocess.run([tool("quizgen"), "list"], capture_output=True, text=True, check=True).stdout
    ids, inside = [], False
    for line in out.splitlines():
        if line.startswith("generator"):
            inside = True
        elif inside and line.strip():
            ids.append(line.split()[0])
    return ids


def generate_run(generator: str, count: int, work: Path) -> tuple[Run | None, int, str]:
    """One `quizgen generate` of `count` variants (fewer if the generator or the CLI allows fewer)."""
    argv = [tool("quizgen"), "generate", generator, "--count", str(count), "--seed", "1", "--format", "json"]
    run, stderr = timed(argv, cwd=work, check=False)
    only = ONLY.search(stderr) or re.search(r"only (\d+) distinct variants", stderr)
    if "distinct variants" in stderr and only:
        smaller = int(only.groups()[-1])
        if smaller < count:
            return generate_run(generator, smaller, work)
    if "Error" in stderr or "Invalid value" in stderr:
        return None, count, stderr.strip().splitlines()[-1]
    return run, count, ""


SMALL_SPACE = 1_000  # below this many distinct variants a generator's rate is start-up, not generation


def generate(sizes: Sizes, work: Path) -> Section:
    section = Section("Generators: quizgen generate ID --count N --format json > /dev/null")
    count = sizes.generate_count
    section.commands.append(f"quizgen generate ID --count {count} --seed 1 --format json > /dev/null")
    section.say(f"# one run each at {count:,} (or all a generator has); the floor is --count 1 (median of 3)")
    section.say(
        f"{'generator':<24} {'count':>8} {'seconds':>8} {'peak MiB':>9} {'variants/s':>11} {'beyond floor/s':>15}"
    )
    rates: dict[str, float] = {}  # the rate each generator is judged on
    unjudged: list[str] = []
    failed: list[str] = []
    big: dict[str, tuple[Run, Run]] = {}  # generator: (floor run, full run)
    for generator in generator_ids():
        run, n, error = generate_run(generator, count, work)
        if run is None:
            section.say(f"{generator:<24} failed: {error}")
            failed.append(generator)
            continue
        floors = [generate_run(generator, 1, work)[0] for _ in range(3)]
        floor = statistics.median(r.seconds for r in floors if r is not None)
        rate = n / run.seconds
        extra = run.seconds - floor
        beyond = (n - 1) / extra if extra > 0.05 else None
        note = ""
        if n >= count:
            rates[generator] = rate
            big[generator] = (floors[0] or run, run)
        elif n >= SMALL_SPACE and beyond is not None:
            rates[generator] = beyond  # all it has: judged on the rate beyond start-up
            note = f"  (only {n:,} distinct: judged beyond the floor)"
        else:
            unjudged.append(f"{generator} ({n:,})")
            note = f"  (only {n:,} distinct: not judged)"
        beyond_text = f"{beyond:>15,.0f}" if beyond is not None else f"{'-':>15}"
        section.say(
            f"{generator:<24} {n:>8,} {run.seconds:>8.2f} {run.mib:>9.0f} {rate:>11,.0f} {beyond_text}{note}"
        )
    slow = [g for g, r in rates.items() if r < 50_000]
    slowest = min(rates, key=rates.__getitem__) if rates else "-"
    if unjudged:
        section.say(
            f"not judged (fewer than {SMALL_SPACE:,} distinct variants, the whole command is start-up): "
            + ", ".join(unjudged)
        )
    gap = f"{len(slow) + len(failed)} below: {', '.join(slow + failed)}"
    if rates:
        gap += f"; the slowest ({slowest}) needs {50_000 / rates[slowest]:.1f}x"
    section.goals.append(
        Goal(
            f"generate, every generator at {count:,} (variants/s)",
            f"{len(rates) - len(slow)} of {len(rates)} judged at >= 50,000/s; "
            f"slowest {slowest} {rates.get(slowest, 0):,.0f}/s",
            ">= 50,000 variants/s each",
            not slow and not failed,
            gap,
        )
    )
    if "xavier-variance" in big:
        floor_run, run = big["xavier-variance"]
        section.goals.append(
            Goal(
                f"generate xavier-variance, {count:,}",
                f"{count / run.seconds:,.0f} variants/s, peak {run.mib:.0f} MiB (--count 1: {floor_run.mib:.0f} MiB)",
                ">= 50,000 variants/s",
                count / run.seconds >= 50_000,
                f"needs {50_000 * run.seconds / count:.1f}x faster",
            )
        )
    # xavier-variance at the large count: memory flat when streamed.
    large = sizes.generate_large
    row = f"generate xavier-variance, {large:,}: peak memory"
    help_text = subprocess.run([tool("quizgen"), "generate", "--help"], capture_output=True, text=True).stdout
    cap_match = re.search(r"1<=x<=(\d+)", help_text)
    cap = int(cap_match.group(1)) if cap_match else None
    section.commands.append(
        f"quizgen generate xavier-variance --count {large} --seed 1 --format json > /dev/null"
    )
    if cap is not None and cap < large:
        section.say(
            f"xavier-variance at {large:,}: the CLI caps --count at {cap:,}; the largest allowed is reported"
        )
        row = f"generate xavier-variance, {large:,}: peak memory (CLI caps --count at {cap:,})"
        large = cap
    rate = rates.get("xavier-variance", 0.0)
    if large == count and "xavier-variance" in big:
        run = big["xavier-variance"][1]
    elif rate and large / rate > 600:
        section.say(
            f"xavier-variance at {large:,}: skipped, at {rate:,.0f}/s it would take {large / rate:.0f} s"
        )
        section.goals.append(Goal(row, "not run", "<= 100 MiB, flat", None, "too slow to run here"))
        return section
    else:
        maybe, large, error = generate_run("xavier-variance", large, work)
        if maybe is None:
            section.say(f"xavier-variance at {large:,}: failed: {error}")
            section.goals.append(Goal(row, "failed", "<= 100 MiB, flat", False, error))
            return section
        run = maybe
        section.say(
            f"xavier-variance at {large:,}: {run.seconds:.2f} s, peak {run.mib:.0f} MiB, "
            f"{large / run.seconds:,.0f} variants/s"
        )
    reachable = large >= sizes.generate_large
    gap = f"{run.mib:.0f} MiB at {large:,}"
    if not reachable:
        gap += f"; {sizes.generate_large:,} cannot be asked of the CLI"
    section.goals.append(
        Goal(
            row,
            f"peak {run.mib:.0f} MiB at {large:,}",
            f"<= 100 MiB at {sizes.generate_large:,}",
            run.mib <= 100 and reachable,
            gap,
        )
    )
    return section


def export_formats() -> list[str]:
    help_text = subprocess.run([tool("quizgen"), "export", "--help"], capture_output=True, text=True).stdout
    match = re.search(r"--format \[([\w|-]+)\]", help_text)
    return match.group(1).split("|") if match else FORMATS_FALLBACK


def memory(sizes: Sizes, work: Path) -> Section:
    size = sizes.memory_questions
    section = Section(f"Peak memory: quizgen export of ~{size:,} questions, every format")
    variants = variants_for(size, work)
    section.say(f"# --variants {variants}; one run each (peak memory varies little)")
    for fmt in export_formats():
        suffix = {"moodle": "xml", "qti": "zip", "anki": "apkg", "gift": "txt"}.get(fmt, fmt)
        argv = [
            tool("quizgen"),
            "export",
            "--format",
            fmt,
            "--variants",
            str(variants),
            "-o",
            f"big.{suffix}",
        ]
        section.commands.append(shown(argv))
        try:
            run, _ = timed(argv, cwd=work)
        except CommandFailed as error:
            section.say(f"{fmt:<8} failed: {error}")
            section.goals.append(
                Goal(
                    f"export {fmt}, ~{size:,} questions: peak memory",
                    "failed",
                    "<= 150 MiB",
                    False,
                    str(error)[:200],
                )
            )
            continue
        written = (work / f"big.{suffix}").stat().st_size
        section.say(
            f"{fmt:<8} {run.seconds:7.2f} s  peak {run.mib:6.0f} MiB  file {written / 2**20:6.1f} MiB"
        )
        section.goals.append(
            Goal(
                f"export {fmt}, ~{size:,} questions: peak memory",
                f"{run.mib:.0f} MiB ({run.seconds:.1f} s)",
                "<= 150 MiB",
                run.mib <= 150,
                f"{run.mib:.0f} MiB, {run.mib / 150:.1f}x the goal",
            )
        )
        (work / f"big.{suffix}").unlink(missing_ok=True)
    return section


ROWS: dict[str, Callable[[Sizes, Path], Section]] = {
    "qti": qti,
    "qti21": qti21,
    "moodle": moodle,
    "anki": anki,
    "generate": generate,
    "memory": memory,
}


def measure(rows: Sequence[str], sizes: Sizes) -> list[Section]:
    """Run the rows (in a scratch folder of their own) and return their sections; a row that fails says so."""
    sections = []
    with tempfile.TemporaryDirectory(prefix="quizgen-bench-") as folder:
        for name in rows:
            work = Path(folder) / name
            work.mkdir()
            print(f"== whole commands: {name}", flush=True)
            try:
                sections.append(ROWS[name](sizes, work))
            except (CommandFailed, AssertionError, OSError, subprocess.SubprocessError) as error:
                section = Section(name)
                section.say(f"FAILED: {error}")
                section.goals.append(Goal(name, "failed", "-", False, str(error).splitlines()[0][:200]))
                sections.append(section)
    return sections


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("rows", nargs="*", help=f"rows to run: {', '.join(ROWS)} (default: all)")
    parser.add_argument("--quick", action="store_true", help="small sizes, 3 repeats")
    parser.add_argument("--repeats", type=int, help="repeats of each interleaved pair (default 5; quick 3)")
    parser.add_argument(
        "--source", metavar="REV", help="measure quizgen at this git revision (default: working tree)"
    )
    args = parser.parse_args()
    unknown = set(args.rows) - set(ROWS)
    if unknown:
        parser.error(f"unknown rows: {', '.join(sorted(unknown))}; choose from {', '.join(ROWS)}")
    sizes = QUICK if args.quick else FULL
    if args.repeats:
        sizes = dataclasses.replace(sizes, repeats=args.repeats)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory(prefix="quizgen-bench-source-") as scratch:
        print(f"quizgen: {use_source(args.source, Path(scratch))}", flush=True)
        sections = measure(args.rows or list(ROWS), sizes)
    for section in sections:
        print(f"\n## {section.title}")
        for goal in section.goals:
            print(f"{goal.row}: {goal.measured}; goal {goal.goal}: {goal.verdict}")


if __name__ == "__main__":
    main()
