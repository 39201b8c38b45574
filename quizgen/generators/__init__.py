"""Parametric generators: fresh variants of a question with computed answers.

The built-in generators (their ids are part of the interface; the CLI and other
tools rely on them)::

    layer-size, conv-fan                         fans.py
    xavier-variance, xavier-normal, xavier-uniform,
    he-variance, he-normal, he-uniform           formulas.py
    activation-choice, depth-scaling, init-diagnosis   concepts.py
    conv-fan-code, init-call, gain-depth         code.py (PyTorch code, gains)

Templates authored in bank files become generators too (authored.py).
"""

from __future__ import annotations

from .base import Generator, GeneratorError, variant_seeds
from .code import CODE_GENERATORS
from .concepts import CONCEPT_GENERATORS
from .fans import FAN_GENERATORS
from .formulas import FORMULA_GENERATORS

BUILTIN_GENERATORS: dict[str, Generator] = {
    g.id: g
    for g in (
        FAN_GENERATORS[0],
        FAN_GENERATORS[1],
        *FORMULA_GENERATORS,
        *CONCEPT_GENERATORS,
        *CODE_GENERATORS,
    )
}

__all__ = ["BUILTIN_GENERATORS", "Generator", "GeneratorError", "variant_seeds"]
