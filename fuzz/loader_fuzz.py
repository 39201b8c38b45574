"""atheris harness for the bank loader: any bytes must load, or fail with located problems.

    pip install atheris
    python fuzz/loader_fuzz.py -max_total_time=600 -rss_limit_mb=2048 fuzz/corpus-loader banks

(the corpus folder is created and grown by libFuzzer; banks/ seeds it). Each input is
written to a temporary file and loaded with ``load_banks``; a ``BankError`` is the
expected failure, and each of its problems must name the file and a line. Anything else
(another exception, a problem without a line, a crash, a timeout: -timeout=5) is a finding.
fuzz/run.py does the same without atheris.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import atheris  # type: ignore[import-untyped, import-not-found, unused-ignore]

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

with atheris.instrument_imports():
    import yaml

    from quizgen import BankError, QuizgenError, load_banks, yamlsource

INSTRUMENTED = (yaml, yamlsource)
"""Imported in the block so that their code is instrumented too (the loader imports yamlsource lazily)."""

_FOLDER = tempfile.mkdtemp(prefix="quizgen-fuzz-")
_PATH = Path(_FOLDER) / "bank.yaml"


def TestOneInput(data: bytes) -> None:
    _PATH.write_bytes(data)
    try:
        load_banks([_PATH], include_bundled=False, cache=False)
    except BankError as exc:
        for problem in exc.problems:
            if problem.path != str(_PATH) or problem.line is None:
                raise AssertionError(f"problem without a place: {problem!r}") from None
    except QuizgenError:
        pass  # the only other QuizgenError would be a bug too, but a located one; BankError is expected
    # anything else propagates: atheris reports it with the input


def main() -> None:
    atheris.Setup(sys.argv, TestOneInput)
    try:
        atheris.Fuzz()
    finally:
        _PATH.unlink(missing_ok=True)
        os.rmdir(_FOLDER)


if __name__ == "__main__":
    main()
