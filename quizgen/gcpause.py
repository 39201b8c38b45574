"""Pausing the cyclic garbage collector around bulk work (loading banks, writing exports).

Both build tens of thousands of containers (parsed mappings, models, notes, rows)
that live until the work is done; the collector would walk the growing heap again
and again and find nothing to free: a sixth of loading 10,000 questions, a fifth
of an Anki export of 5,000. Use as ``with gc_paused():``. The collector is back on
afterwards (also after an exception), and left off if it was off; nothing quizgen
does there makes cycles that wait for it.

The switch is process-wide, so only the CLI (one thread, its own process) uses it;
library calls never do, since a server may make them from several threads.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    if not gc.isenabled():  # the caller's choice, or an outer gc_paused
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
