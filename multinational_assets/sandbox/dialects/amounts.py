"""Spellings of amounts: prices, weights (exact conversions only), staff numbers and coordinates."""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from decimal import Decimal

import numpy as np

from multinational_assets.sandbox.dialects.dates import COUNT
from multinational_assets.sandbox.dialects.forms import choose_forms, padded, per_value, spell_by_forms


def _pounds(v: str) -> str:
    """`£1234.50` -> `1,234.50` (thousands separated), `£39.99` -> `39.99`."""
    whole, pence = v[1:].split(".")
    return f"{int(whole):,}.{pence}"


MONEY = {
    "pound_space": per_value(lambda v: "£ " + _pounds(v)),
    "bare": per_value(_pounds),
    "code_after": per_value(lambda v: _pounds(v) + " GBP"),
    "code_before": per_value(lambda v: "GBP " + _pounds(v)),
    "pound_after": per_value(lambda v: _pounds(v) + "£"),
}

_WEIGHT_RE = re.compile(r"(?:(\d+) x )?(\d+(?:\.\d+)?)(kg|g|ml|oz)( \.)?")


def _dec(value: Decimal) -> str:
    """A Decimal as plain text without trailing zeros (`Decimal('1.600')` -> `1.6`)."""
    return format(value.normalize(), "f")


def weight_shape(v: str) -> str:
    """The dialect-0 shape of a weight: multipack, junk (`77g .`), oz, ml, g_decimal, g or kg."""
    count, number, unit, junk = _WEIGHT_RE.fullmatch(v).groups()
    if count:
        return "multipack"
    if junk:
        return "junk"
    if unit == "g" and "." in number:
        return "g_decimal"
    return unit


def weight_form(form: str) -> Callable[[str], str]:
    """One spelling of a weight, always the same kg (conversions only where they are exact)."""
    def spell(v: str) -> str:
        count, number, unit, junk = _WEIGHT_RE.fullmatch(v).groups()
        amount = Decimal(number)
        if form in ("upper", "upper_space"):
            space = " " if form == "upper_space" else ""
            if unit == "oz":
                return "1 LB"  # 16 oz is exactly 1 lb
            text = f"{number}{space}{unit.upper()}"
            return (f"{count} X {text}" if count else text) + (" ." if junk else "")
        simple = {
            "space": f"{number} {unit}",
            "grams": f"{number} grams", "grams_nospace": f"{number}grams",
            "kilograms": f"{number} kilograms", "kgs": f"{number}kgs",
            "to_kg": f"{_dec(amount / 1000)} kg", "to_kg_nospace": f"{_dec(amount / 1000)}kg",
            "to_g": f"{_dec(amount * 1000)} g", "to_mg": f"{_dec(amount * 1000)} mg",
            "to_l": f"{_dec(amount / 1000)} l", "to_l_nospace": f"{_dec(amount / 1000)}l",
            "lb": "1 lb", "lb_nospace": "1lb", "lbs": "1 lbs",
            "x_nospace": f"{count}x{number}{unit}", "times": f"{count} × {number}{unit}",
            "spaced_unit": f"{count} x {number} {unit}",
            "junk_space": f"{number} {unit}.", "junk_double": f"{number}{unit} ..",
        }
        return simple[form]
    return per_value(spell)


def weights(values: np.ndarray, rng: np.random.Generator, cfg: dict) -> np.ndarray:
    """Weights respelled shape by shape (see `weight_shape`), each shape with its own forms."""
    out = values.copy()
    shapes = np.array([weight_shape(v) for v in values], dtype=object)
    for shape, forms in cfg["weight"].items():
        idx = np.flatnonzero(shapes == shape)
        spellers = {form: weight_form(form) for form in forms if form != "keep"}
        out[idx] = spell_by_forms(values[idx], rng, forms, spellers)
    return padded(out, rng, cfg)


def staff(values: np.ndarray, rng: np.random.Generator, cfg: dict) -> np.ndarray:
    """Staff counts: zero-padded or `.0`; the stray-letter dirt with its letter in another case or
    place, or (3 digits or more) a second letter: never more than 2 letters, always fewer letters
    than digits."""
    lettered = np.array([not v.isdigit() for v in values], dtype=bool)
    out = values.copy()
    clean = np.flatnonzero(~lettered)
    out[clean] = spell_by_forms(values[clean], rng, cfg["staff"], COUNT)
    dirty = np.flatnonzero(lettered)
    names, kind = choose_forms(rng, len(dirty), cfg["staff_dirt"])
    letters = string.ascii_letters
    for i, k in zip(dirty.tolist(), kind.tolist()):
        v = values[i]
        digits = "".join(ch for ch in v if ch.isdigit())
        letter = next(ch for ch in v if ch.isalpha())
        form = names[k]
        if form == "case":
            out[i] = v.swapcase()
        elif form == "move" and len(digits) >= 2:
            pos = int(rng.integers(0, len(digits) + 1))
            out[i] = digits[:pos] + letter + digits[pos:]
        elif form == "two" and len(digits) >= 3:
            extra = letters[int(rng.integers(0, len(letters)))]
            pos = int(rng.integers(0, len(v) + 1))
            out[i] = v[:pos] + extra + v[pos:]
        else:
            out[i] = v.swapcase()
    return padded(out, rng, cfg)


def coordinates(values: np.ndarray, rng: np.random.Generator, cfg: dict) -> np.ndarray:
    def zeros(vals):
        extra = rng.integers(1, 4, len(vals)).tolist()
        return [v + "0" * k for v, k in zip(vals, extra)]
    out = spell_by_forms(values, rng, cfg["coordinate"], {"number": per_value(float), "zeros": zeros})
    return padded(out, rng, cfg)
