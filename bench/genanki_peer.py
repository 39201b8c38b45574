"""The Anki export against bare genanki: the same notes, timed both ways.

Run:  python bench/genanki_peer.py [--notes 5000] [--repeats 5]     (in-process, both tools)
      python bench/genanki_peer.py --fields notes.json -o bare.apkg  (the bare script, as a whole command)

With `--fields`, this is the bare genanki script of the whole-command Anki row
(bench/commands.py): it reads the field names and the notes (each a list of field strings, taken
from quizgen's own .apkg, as JSON), builds them with genanki and
writes the package; it imports neither quizgen nor anything of the bench.

`bare_genanki_seconds` is what a user of genanki alone would write: one model with
the same fields as quizgen's note type, one deck, a note per question,
`Package.write_to_file`. Its notes hold the same field contents as quizgen's
notes: the already-rendered strings of `quizgen.exporters.anki.notes`, computed
before the timing starts, so the ratio measures what quizgen adds (rendering the
bank text to HTML, a deck per topic, stable ids, tags), not the difference between
writing short and long fields. `quizgen_anki_seconds` times
`quizgen.exporters.anki.export` (everything, rendering included) plus writing the
bytes. bench/exports.py calls both; the target is quizgen within 1.5x of bare
genanki. Figures are medians (this machine is shared and noisy); each quizgen run
starts with cold rendering caches (`richtext.clear_caches()`), as a fresh process
would.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import genanki  # type: ignore[import-untyped]

if TYPE_CHECKING:  # quizgen is imported where it is used: the bare script (--fields) runs without it
    from quizgen.exporters import ExportSet

BARE_MODEL_ID = 1_607_392_319
BARE_DECK_ID = 2_059_400_110


def bare_genanki_seconds(fields: list[list[str]], path: Path, names: Sequence[str] | None = None) -> float:
    """Seconds to build a note per field list with genanki and write the package to `path`.

    `names` are the model's field names (quizgen's note fields when not given).
    """
    if names is None:
        from quizgen.exporters.anki import FIELDS

        names = FIELDS
    front = "Question" if "Question" in names else names[0]
    # genanki 0.13 builds the collection in a tempfile.mkstemp() file that it never
    # deletes: point tempfile at a folder of our own (outside the timing) and remove it.
    with tempfile.TemporaryDirectory() as scratch:
        saved, tempfile.tempdir = tempfile.tempdir, scratch
        try:
            started = time.perf_counter()
            model = genanki.Model(
                BARE_MODEL_ID,
                "Simple",
                fields=[{"name": name} for name in names],
                templates=[
                    {
                        "name": "Card 1",
                        "qfmt": "{{" + front + "}}",
                        "afmt": '{{FrontSide}}<hr id="answer">'
                        + "<br>".join("{{" + name + "}}" for name in names if name != front),
                    }
                ],
            )
            deck = genanki.Deck(BARE_DECK_ID, "quizgen bare")
            for note_fields in fields:
                deck.add_note(genanki.Note(model=model, fields=note_fields))
            genanki.Package(deck).write_to_file(str(path))
            return time.perf_counter() - started
        finally:
            tempfile.tempdir = saved


def quizgen_anki_seconds(data: ExportSet, path: Path) -> float:
    """Seconds for `export(data)` and writing its bytes to `path`."""
    from quizgen.exporters.anki import export

    started = time.perf_counter()
    path.write_bytes(export(data))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--notes", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--fields", type=Path, help="bare script: a JSON list of notes' field lists")
    parser.add_argument("-o", "--output", type=Path, default=Path("bare.apkg"), help="with --fields")
    args = parser.parse_args()
    if args.fields:
        data = json.loads(args.fields.read_text(encoding="utf-8"))  # {"names": [...], "notes": [[...], ...]}
        bare_genanki_seconds(data["notes"], args.output, data["names"])
        return
    in_process(args.notes, args.repeats)


def in_process(count: int, repeats: int) -> None:
    """quizgen's exporter and bare genanki in this process, on the same notes (medians of `repeats`)."""
    import platform
    import statistics

    from text2qti_peer import export_set_of_about

    from quizgen.exporters.anki import notes
    from quizgen.richtext import clear_caches

    data = export_set_of_about(count)
    questions = data.all_questions()
    fields = [list(note.fields) for note in notes(data)]  # quizgen's field contents, for bare genanki
    bare, ours, rendering = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        quizgen_anki_seconds(data, Path(folder) / "warm-up.apkg")  # imports markdown-it once
        for _ in range(repeats):
            clear_caches()
            started = time.perf_counter()
            notes(data)
            rendering.append(time.perf_counter() - started)
            clear_caches()
            ours.append(quizgen_anki_seconds(data, Path(folder) / "quizgen.apkg"))
            bare.append(bare_genanki_seconds(fields, Path(folder) / "bare.apkg"))
        sizes = {name: (Path(folder) / name).stat().st_size for name in ("bare.apkg", "quizgen.apkg")}
    variants = len(questions) - len(data.questions)
    print(f"python {platform.python_version()}, genanki {genanki.__version__}, median of {repeats} runs")
    print(f"{len(questions)} notes ({len(data.questions)} bank questions, {variants} variants)")
    print(f"bare genanki   {statistics.median(bare):7.3f} s   {sizes['bare.apkg'] / 1e6:6.2f} MB")
    print(f"quizgen anki   {statistics.median(ours):7.3f} s   {sizes['quizgen.apkg'] / 1e6:6.2f} MB")
    print(f"  of which notes() (rendering the fields)   {statistics.median(rendering):7.3f} s")
    print(f"ratio          {statistics.median(ours) / statistics.median(bare):7.2f}x  (target: at most 1.5x)")


if __name__ == "__main__":
    main()
