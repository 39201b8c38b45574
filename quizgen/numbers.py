"""How numbers are written for people: in prompts, options, answers and explanations."""

from __future__ import annotations


def fmt(value: float) -> str:
    """A number as a student reads it: up to 6 significant digits, no float artefacts."""
    if isinstance(value, int) or (float(value).is_integer() and abs(value) < 1e15):
        return str(int(value))
    text = f"{value:.6g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return f"{mantissa}e{int(exponent)}"
    return text
