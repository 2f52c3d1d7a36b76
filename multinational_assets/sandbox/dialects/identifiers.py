"""Spellings of identifiers: UUIDs, store and product codes, card numbers and expiry dates, e-mail
addresses."""

from __future__ import annotations

import numpy as np

from multinational_assets.sandbox.dialects.forms import object_array, padded, per_value, spell_by_forms

_UUID = {
    "upper": per_value(str.upper),
    "braces": per_value(lambda v: "{" + v + "}"),
    "braces_upper": per_value(lambda v: "{" + v.upper() + "}"),
    "hex": per_value(lambda v: v.replace("-", "")),
    "urn": per_value(lambda v: "urn:uuid:" + v),
}


def uuids(values: np.ndarray, rng: np.random.Generator, cfg: dict) -> np.ndarray:
    return padded(spell_by_forms(values, rng, cfg["uuid"], _UUID), rng, cfg)


def codes(values: np.ndarray, rng: np.random.Generator, cfg: dict, lower_share: float,
          pad_share: float) -> np.ndarray:
    """Store codes (lower-case or padded) and product codes (padded only: their case matters)."""
    out = values.copy()
    lower = np.flatnonzero(rng.random(len(values)) < lower_share)
    out[lower] = object_array([v.lower() for v in values[lower]])
    return padded(out, rng, {**cfg, "pad_share": pad_share})


def _groups(digits: str, sep: str) -> str:
    return sep.join(digits[i:i + 4] for i in range(0, len(digits), 4))


_CARD = {
    "float": per_value(lambda v: v + ".0"),
    "spaces": per_value(lambda v: _groups(v, " ")),
    "hyphens": per_value(lambda v: _groups(v, "-")),
}


def card_numbers(values: np.ndarray, rng: np.random.Generator, cfg: dict) -> np.ndarray:
    """Card numbers grouped in fours or with `.0`; the `?` prefix dirt becomes other junk."""
    prefixed = np.array([v.startswith("?") for v in values], dtype=bool)
    out = values.copy()
    plain = np.flatnonzero(~prefixed)
    out[plain] = spell_by_forms(values[plain], rng, cfg["card"], _CARD)
    dirty = np.flatnonzero(prefixed)
    grouping = {k: w for k, w in cfg["card"].items() if k != "float"}
    digits = object_array([v.lstrip("?") for v in values[dirty]])
    grouped = spell_by_forms(digits, rng, grouping, _CARD)
    junk = {prefix: 1.0 for prefix in cfg["card_prefix"]}
    out[dirty] = spell_by_forms(grouped, rng, junk, {
        prefix: per_value(lambda v, p=prefix: p + v) for prefix in junk})
    return out


EXPIRY = {
    "m_yy": per_value(lambda v: str(int(v[:2])) + v[2:]),
    "mm_yyyy": per_value(lambda v: f"{v[:3]}20{v[3:]}"),
    "mm-yy": per_value(lambda v: v.replace("/", "-")),
}


def emails(values: np.ndarray, rng: np.random.Generator, cfg: dict) -> np.ndarray:
    doubled = np.array(["@@" in v for v in values], dtype=bool)
    out = values.copy()
    clean = np.flatnonzero(~doubled)
    out[clean] = spell_by_forms(values[clean], rng, cfg["email"],
                                {"mailto": per_value(lambda v: "mailto:" + v)})
    dirty = np.flatnonzero(doubled)
    out[dirty] = spell_by_forms(values[dirty], rng, cfg["email_dirt"], {
        "@@@": per_value(lambda v: v.replace("@@", "@@@")),
        " @@ ": per_value(lambda v: v.replace("@@", " @@ ")),
    })
    return padded(out, rng, cfg)
