"""The practice page and its SCORM package: build time, size, first interaction in Chromium (issue 14).

Run:  python bench/practice.py [--quick] [--repeats N] [--loads N] [--source REV]

The goals (issue 14, "Speed and size"): a page of the whole bank with 20 variants per generator is
under 1 MB and under 1 s to build, and a student can answer in Chromium under 200 ms after load.
The peer is R/exams' `exams2html`, which writes one HTML page of as many exercises (the numeric
exercise bench/peers/xavier_limit.Rmd, repeated K times, K = the questions in quizgen's page). Its
page is static (questions and solutions, no answer field and nothing checked), so it is the peer
for building and for loading a page of that size, not for answering.

Rows:

* build    whole commands, as bench/commands.py times them (`/usr/bin/time -f '%e %M'`, elapsed
           seconds and peak memory of the process; start-up, imports, the banks, the variants, the
           file, all included): `quizgen export --format html --variants 20 -o practice.html`,
           `quizgen export --format scorm --variants 20 -o practice-scorm.zip`,
           `quizgen export --format json ...` (the same selection with no page: start-up, banks
           and variants, so what the page itself adds can be read off) and
           `Rscript -e "exams2html(rep('xavier_limit.Rmd', K), n = 1, ...)"`, alternating (the
           order reversed every other repeat), each once untimed first (R/exams on 5 exercises: it
           loads R and exams); medians. Goal: the page < 1 s (the SCORM package, the same page
           zipped with its manifest, is judged against the same second).
* size     bytes of quizgen's page and SCORM zip, beside the peer's page and the supporting files
           it writes next to it (the whole output folder). Goal: the page < 1 MB (1,000,000 bytes).
* chromium Playwright for Python driving Debian's Chromium (/usr/bin/chromium, headless,
           --no-sandbox). Each load is a fresh browser context (its own storage: no saved
           progress) opening the page from file://; quizgen's page and the peer's alternate (one untimed load of each
           first). A probe injected before the page's own scripts checks on every DOM mutation and
           every animation frame and notes `performance.now()` (0 = navigation start):
             answerable   the first moment `window.QuizgenPractice.ready` is true and the first
                          card has its first input. "shown" is the next animation frame after it,
                          or the first contentful paint if that is later (nothing is on screen
                          before it): the figure judged. The peer has no input: its row is the
                          first exercise (`ol > li`) present, and shown.
             DOMContentLoaded, load event end, first contentful paint: from the browser's own
                          Navigation and Paint Timing entries, for both pages.
           An empty page (one list item), loaded the same way in turn, gives the floor: what a
           fresh context opening any file costs on this machine.
             check        quizgen's page only: Playwright clicks the first card's first option (or
                          types "1" in its box) then Check; from the Check click event's timeStamp
                          to the verdict in the page, and to the next animation frame.
           Medians of `--loads` loads (9; 5 with --quick). Goal: answerable (shown) < 200 ms,
           counted from navigation start (the issue's "after load" read strictly: from the moment
           the page is asked for, not from its load event).

The machine is shared: its load average is printed before and after. `--quick` uses 3 build repeats
and 5 loads (a smoke run). bench/run.py calls `measure()` and puts the section in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from commands import (  # noqa: E402  (bench/commands.py imports no quizgen)
    CommandFailed,
    Goal,
    Section,
    exported_count,
    figures,
    interleaved,
    median_s,
    r_exams_missing,
    run_check,
    shown,
    timed,
    tool,
    use_source,
)

VARIANTS = 20
PAGE = "practice.html"
SCORM = "practice-scorm.zip"
PEER_DIR = "exams-out"
MB = 1_000_000
EMPTY_PAGE = '<!DOCTYPE html>\n<html lang="en"><title>empty</title><ol><li>an empty page</li></ol></html>\n'
LABELS = {"quizgen": "quizgen practice.html", "R/exams": "R/exams exams1.html", "empty": "empty page (floor)"}
BUILD_GOAL_S = 1.0
ANSWERABLE_GOAL_MS = 200.0


@dataclass(frozen=True)
class Sizes:
    repeats: int  # interleaved build runs of each command
    loads: int  # Chromium loads of each page


FULL = Sizes(repeats=5, loads=9)
QUICK = Sizes(repeats=3, loads=5)


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def peer_code(count: int) -> str:
    return (
        f"library(exams); set.seed(1); invisible(exams2html(rep('xavier_limit.Rmd', {count}), n = 1, "
        f"name = 'exams', dir = '{PEER_DIR}', verbose = FALSE))"
    )


def folder_bytes(folder: Path) -> tuple[int, int]:
    """Total bytes and number of files under `folder`."""
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


# --- build and size --------------------------------------------------------------------------------


def build(sizes: Sizes, work: Path, section: Section) -> dict[str, Path]:
    """Time the whole commands, judge build and size; the pages to load in Chromium."""
    quizgen = tool("quizgen")
    page_cmd = [quizgen, "export", "--format", "html", "--variants", str(VARIANTS), "-o", PAGE]
    scorm_cmd = [quizgen, "export", "--format", "scorm", "--variants", str(VARIANTS), "-o", SCORM]
    json_cmd = [quizgen, "export", "--format", "json", "--variants", str(VARIANTS), "-o", "practice.json"]
    count = exported_count(run_check(page_cmd, work))
    if count is None:
        raise CommandFailed(f"{shown(page_cmd)} --check did not say how many questions it wrote")
    commands: dict[str, Sequence[str]] = {"page": page_cmd, "json": json_cmd}
    section.commands += [shown(page_cmd), shown(json_cmd)]
    scorm_error = None
    try:
        run_check(scorm_cmd, work)
        commands["scorm"] = scorm_cmd
        section.commands.append(shown(scorm_cmd))
    except CommandFailed as error:
        scorm_error = str(error).splitlines()[-1][:200]
    missing = r_exams_missing()
    if missing is None:
        shutil.copy(HERE / "peers" / "xavier_limit.Rmd", work / "xavier_limit.Rmd")
        (work / PEER_DIR).mkdir(exist_ok=True)
        timed(["Rscript", "-e", peer_code(5)], cwd=work)  # warm-up, small: loads R and exams once
        for command in commands.values():
            timed(command, cwd=work)
        peer = ["Rscript", "-e", peer_code(count)]
        commands["R/exams"] = peer
        section.commands.append(shown(peer))
        runs = interleaved(commands, sizes.repeats, work, warm_up=False)
    else:
        runs = interleaved(commands, sizes.repeats, work)

    section.say(
        f"# build: the whole bank, --variants {VARIANTS}: {count:,} questions; median of {sizes.repeats}"
    )
    section.say(figures("quizgen export --format html", runs["page"]))
    page_s = median_s(runs["page"])
    if "scorm" in runs:
        section.say(figures("quizgen export --format scorm", runs["scorm"]))
    else:
        section.say(f"quizgen export --format scorm: FAILED: {scorm_error}")
    json_s = median_s(runs["json"])
    section.say(figures("quizgen export --format json", runs["json"]))
    section.say(
        f"  (json: the same selection without a page, for scale: the page's own work is about "
        f"{page_s - json_s:.2f} s of the {page_s:.2f})"
    )
    if "R/exams" in runs:
        html = (work / PEER_DIR / "exams1.html").read_text(encoding="utf-8")
        written = html.count("<h4>Question</h4>")
        assert written == count, f"exams2html wrote {written} exercises, not {count}"
        section.say(figures(f"R/exams exams2html, {count:,} ex.", runs["R/exams"]))
        peer_s = median_s(runs["R/exams"])
        section.say(f"quizgen's page builds {peer_s / page_s:.0f}x faster than R/exams' page")
    else:
        section.say(f"R/exams exams2html: SKIPPED: {missing}")
    section.say()

    # sizes
    page_bytes = (work / PAGE).stat().st_size
    section.say("# size")
    section.say(f"{'quizgen page (' + PAGE + ')':<34} {page_bytes:>11,} bytes")
    if "scorm" in runs:
        section.say(f"{'quizgen SCORM package (zip)':<34} {(work / SCORM).stat().st_size:>11,} bytes")
    if "R/exams" in runs:
        total, files = folder_bytes(work / PEER_DIR)
        peer_page = (work / PEER_DIR / "exams1.html").stat().st_size
        section.say(
            f"{'R/exams page (exams1.html)':<34} {peer_page:>11,} bytes"
            f"  ({files} file{'s' if files != 1 else ''} written, {total:,} bytes in all)"
        )
        section.say(f"quizgen's page is {page_bytes / peer_page:.2f}x the size of R/exams' page")
    section.say()

    row = f"practice page build, whole bank, {count:,} questions (--variants {VARIANTS})"
    peer_text = f", R/exams exams2html {median_s(runs['R/exams']):.2f} s" if "R/exams" in runs else ""
    section.goals.append(
        Goal(
            row,
            f"quizgen {page_s:.2f} s{peer_text}",
            "< 1 s",
            page_s < BUILD_GOAL_S,
            f"{page_s:.2f} s, {page_s / BUILD_GOAL_S:.2f}x the goal",
        )
    )
    if "scorm" in runs:
        scorm_s = median_s(runs["scorm"])
        scorm_bytes = (work / SCORM).stat().st_size
        section.goals.append(
            Goal(
                "SCORM package build, same selection",
                f"{scorm_s:.2f} s",
                "< 1 s (the page's goal)",
                scorm_s < BUILD_GOAL_S,
                f"{scorm_s:.2f} s, {scorm_s / BUILD_GOAL_S:.2f}x the goal",
            )
        )
        section.goals.append(
            Goal(
                "SCORM package size, same selection",
                f"{scorm_bytes:,} bytes",
                "< 1 MB (the page's goal)",
                scorm_bytes < MB,
                f"{scorm_bytes / MB:.2f}x the goal",
            )
        )
    else:
        section.goals.append(Goal("SCORM package build", "failed", "< 1 s", False, scorm_error or ""))
    section.goals.append(
        Goal(
            f"practice page size, {count:,} questions",
            f"{page_bytes:,} bytes",
            "< 1 MB (1,000,000 bytes)",
            page_bytes < MB,
            f"{page_bytes / MB:.2f}x the goal",
        )
    )
    pages = {"quizgen": work / PAGE}
    if "R/exams" in runs:
        pages["R/exams"] = work / PEER_DIR / "exams1.html"
    floor = work / "empty.html"
    floor.write_text(EMPTY_PAGE, encoding="utf-8")
    pages["empty"] = floor
    return pages


# --- Chromium ----------------------------------------------------------------------------------------

# Runs before the page's scripts (Playwright's init script). Notes performance.now() (0 = navigation
# start) the first time each condition holds, checking on every DOM mutation and animation frame,
# and again at the next animation frame (the frame that draws it).
PROBE = r"""
(() => {
  const marks = (window.__bench = {});
  const card = () => document.querySelector("main section.card");
  const answerable = () => {
    const qp = window.QuizgenPractice;
    const c = card();
    return !!(qp && qp.ready && c && c.querySelector("input, textarea, select"));
  };
  const firstExercise = () => !!document.querySelector("ol > li");
  const verdict = () => {
    const v = document.querySelector("main section.card .verdict");
    return !!(v && !v.hidden && v.getClientRects().length && /\b(right|wrong)\b/.test(v.className));
  };
  const note = (name) => {
    marks[name] = performance.now();
    requestAnimationFrame(() => (marks[name + "Frame"] = performance.now()));
  };
  const check = () => {
    if (marks.answerable === undefined && answerable()) note("answerable");
    if (marks.firstExercise === undefined && firstExercise()) note("firstExercise");
    if (marks.click !== undefined && marks.verdict === undefined && verdict()) note("verdict");
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
  const frame = () => {
    check();
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  document.addEventListener(
    "click",
    (event) => {
      const button = event.target.closest && event.target.closest("button[type=submit]");
      if (button && marks.click === undefined) marks.click = event.timeStamp;
    },
    true,
  );
})();
"""

TIMING = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const fcp = performance.getEntriesByName("first-contentful-paint")[0];
  return {
    domContentLoaded: nav ? nav.domContentLoadedEventEnd : null,
    load: nav ? nav.loadEventEnd : null,
    fcp: fcp ? fcp.startTime : null,
    marks: window.__bench,
  };
}"""


def chromium_missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install playwright)"
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        return "Chromium is not installed (apt-get install chromium)"
    return None


def one_load(browser: Any, path: Path, ours: bool) -> Load:
    """One fresh-context load of `path`; its figures in ms from navigation start."""
    context = browser.new_context()
    try:
        context.add_init_script(PROBE)
        page = context.new_page()
        page.goto(path.as_uri(), wait_until="load")
        if ours:
            page.wait_for_function("() => window.__bench.answerableFrame !== undefined", timeout=30_000)
            card = page.locator("main section.card").first
            option = card.locator("input[type=radio], input[type=checkbox]")
            if option.count():
                option.first.check()
            else:
                card.locator("input, textarea").first.fill("1")
            card.locator("button[type=submit]").first.click()
            page.wait_for_function("() => window.__bench.verdictFrame !== undefined", timeout=30_000)
        else:
            page.wait_for_function("() => window.__bench.firstExerciseFrame !== undefined", timeout=30_000)
        page.wait_for_function(
            "() => performance.getEntriesByType('navigation')[0].loadEventEnd > 0", timeout=30_000
        )
        timing = page.evaluate(TIMING)
    finally:
        context.close()
    marks = timing.pop("marks")
    figures: Load = dict(timing)
    mark = "answerable" if ours else "firstExercise"
    figures["ready"] = marks[mark]
    figures["shown"] = max(marks[mark + "Frame"], timing["fcp"] or 0.0)
    if ours:
        figures["check"] = marks["verdict"] - marks["click"]
        figures["checkShown"] = marks["verdictFrame"] - marks["click"]
    return figures


Load = dict[str, float | None]  # one page load's figures, ms


def med(runs: list[Load], key: str) -> float | None:
    """The median of one figure over loads (None when the browser gave it in none)."""
    known = [value for run in runs if (value := run.get(key)) is not None]
    return statistics.median(known) if known else None


def ms(value: float | None) -> str:
    return f"{value:.1f}" if value is not None else "-"


def chromium(sizes: Sizes, pages: dict[str, Path], section: Section) -> None:
    row = f"first interaction in Chromium, median of {sizes.loads} loads"
    missing = chromium_missing()
    if missing is not None:
        section.say(f"# Chromium: SKIPPED: {missing}")
        section.goals.append(Goal(row, "not run", "< 200 ms after load", None, missing))
        return
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    loads: dict[str, list[Load]] = {name: [] for name in pages}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=executable, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
            )
            try:
                version = browser.version
                names = list(pages)
                for name in names:  # warm-up: the browser's first context and first page
                    one_load(browser, pages[name], name == "quizgen")
                for i in range(sizes.loads):
                    for name in names if i % 2 == 0 else names[::-1]:
                        loads[name].append(one_load(browser, pages[name], name == "quizgen"))
            finally:
                browser.close()
    except (PlaywrightError, KeyError, TypeError) as error:  # the page never became answerable, ...
        first = str(error).strip().splitlines()[0][:200]
        section.say(f"# Chromium: FAILED: {first}")
        section.goals.append(Goal(row, "failed", "< 200 ms after load", False, first))
        return

    section.say(
        f"# Chromium {version} (headless), file://, a fresh context per load; "
        f"ms from navigation start, median of {sizes.loads} (pages alternating)"
    )
    section.say(
        f"{'page':<24} {'DOMContentLoaded':>16} {'load':>7} {'FCP':>7} {'answerable':>10} {'shown':>7}"
    )
    for name, runs in loads.items():
        label = LABELS[name]
        row_figures = [ms(med(runs, key)) for key in ("domContentLoaded", "load", "fcp", "ready", "shown")]
        section.say(
            f"{label:<24} {row_figures[0]:>16} {row_figures[1]:>7} {row_figures[2]:>7} "
            f"{row_figures[3]:>10} {row_figures[4]:>7}"
        )
    if "R/exams" in loads:
        section.say(
            "  (R/exams' page has no answer field: its 'answerable' is the first exercise present, "
            "and nothing can be checked in it)"
        )
    section.say("  (the empty page, one list item, is the floor: a fresh context opening a file)")
    ours = loads["quizgen"]
    shown = med(ours, "shown") or 0.0
    each = ", ".join(f"{r['shown'] or 0:.0f}" for r in ours)
    section.say(f"quizgen answerable (shown), each load: {each}")
    check, check_shown = med(ours, "check") or 0.0, med(ours, "checkShown") or 0.0
    section.say(
        f"quizgen click on Check -> verdict shown: {check:.1f} ms (next frame {check_shown:.1f} ms), "
        f"median of {sizes.loads}"
    )
    peer_text = ""
    if "R/exams" in loads:
        peer_shown = med(loads["R/exams"], "shown") or 0.0
        peer_text = f"; R/exams' static page shows its first exercise at {peer_shown:.0f} ms"
        section.say(f"quizgen answerable / R/exams first exercise shown: {shown / peer_shown:.2f}x")
    section.goals.append(
        Goal(
            row,
            f"answerable at {shown:.0f} ms, verdict {check_shown:.0f} ms after Check{peer_text}",
            "< 200 ms after load",
            shown < ANSWERABLE_GOAL_MS,
            f"{shown:.0f} ms, {shown / ANSWERABLE_GOAL_MS:.2f}x the goal",
        )
    )


# --- the section ------------------------------------------------------------------------------------


def practice(sizes: Sizes, work: Path) -> Section:
    section = Section("Practice page and SCORM package: build, size, first interaction in Chromium")
    section.say(f"# load average (1, 5, 15 min) before: {load_average()}")
    pages = build(sizes, work, section)
    chromium(sizes, pages, section)
    section.say(f"# load average after: {load_average()}")
    return section


def measure(quick: bool = False, repeats: int | None = None, loads: int | None = None) -> list[Section]:
    """The section (a failing part says so in it), as bench/run.py collects sections."""
    sizes = QUICK if quick else FULL
    sizes = Sizes(repeats or sizes.repeats, loads or sizes.loads)
    print("== whole commands: practice page", flush=True)
    with tempfile.TemporaryDirectory(prefix="quizgen-bench-practice-") as folder:
        try:
            return [practice(sizes, Path(folder))]
        except (CommandFailed, AssertionError, OSError, KeyError) as error:
            section = Section("Practice page and SCORM package")
            section.say(f"FAILED: {error}")
            section.goals.append(
                Goal("practice page", "failed", "-", False, str(error).splitlines()[0][:200])
            )
            return [section]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="3 build repeats, 5 loads (a smoke run)")
    parser.add_argument("--repeats", type=int, help="interleaved build runs of each command (default 5)")
    parser.add_argument("--loads", type=int, help="Chromium loads of each page (default 9)")
    parser.add_argument(
        "--source", metavar="REV", help="measure quizgen at this git revision (default: working tree)"
    )
    args = parser.parse_args()
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory(prefix="quizgen-bench-source-") as scratch:
        print(f"quizgen: {use_source(args.source, Path(scratch))}", flush=True)
        sections = measure(args.quick, args.repeats, args.loads)
    for section in sections:
        print(f"\n## {section.title}")
        for goal in section.goals:
            print(f"{goal.row}: {goal.measured}; goal {goal.goal}: {goal.verdict}")


if __name__ == "__main__":
    main()
