"""Spellings of closed vocabularies (store types, categories, providers, countries, continents,
country codes, the products' `removed` words): other case and separators, synonyms, and the
vocabulary dirt (`ee` continents, `GGB`) as other junk around the word."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from multinational_assets.sandbox.dialects.forms import (
    Forms,
    choose_forms,
    object_array,
    padded,
    per_value,
    spell_by_forms,
)

_WORD_SPLIT = re.compile(r"[ _-]+")
_VOCAB_FORMS = {  # form -> (case, separator)
    "upper": ("upper", None), "lower": ("lower", None), "title": ("title", None),
    "upper_snake": ("upper", "_"), "upper_space": ("upper", " "), "lower_snake": ("lower", "_"),
    "title_dash": ("title", "-"),
    "lower_space": ("lower", " "), "title_space": ("title", " "), "camel": ("title", ""),
}


def _words_respelled(value: str, case: str, sep: str | None) -> str:
    if " / " in value:  # "Diners Club / Carte Blanche": respell each half, keep the slash
        return " / ".join(_words_respelled(part, case, " ") for part in value.split(" / "))
    words = _WORD_SPLIT.split(value)
    if sep is None:  # keep the value's own separators, change only the case
        pieces = re.split(r"([ _-]+)", value)
        words, seps = pieces[0::2], pieces[1::2]
    if case == "upper":
        words = [w.upper() for w in words]
    elif case == "lower":
        words = [w.lower() for w in words]
    else:
        words = [w[:1].upper() + w[1:].lower() for w in words]
    if sep is None:
        return "".join(w + s for w, s in zip(words, [*seps, ""]))
    return sep.join(words)


_VOCAB_SYNONYMS = {
    "Super Store": ("Superstore",),
    "Diners Club / Carte Blanche": ("Diners Club/Carte Blanche",),
}


def vocab(values: np.ndarray, rng: np.random.Generator, forms: Forms, cfg: dict,
          synonyms: Mapping[str, Sequence[str]] = _VOCAB_SYNONYMS) -> np.ndarray:
    """A closed vocabulary in other case and separators, or a synonym, then padded."""
    cache: dict[tuple[str, str], str] = {}

    def speller(form: str) -> Callable[[np.ndarray], list]:
        case, sep = _VOCAB_FORMS[form]

        def spell(vals):
            out = []
            for v in vals:
                key = (v, form)
                if key not in cache:
                    cache[key] = _words_respelled(v, case, sep)
                out.append(cache[key])
            return out
        return spell

    def synonym(vals):
        picks = rng.integers(0, 1 << 30, len(vals)).tolist()
        return [synonyms[v][p % len(synonyms[v])] if v in synonyms else v
                for v, p in zip(vals, picks)]

    spellers = {form: speller(form) for form in forms if form in _VOCAB_FORMS}
    spellers["syn"] = synonym
    out = values.copy()
    for value in pd.unique(values):  # each word of the vocabulary gets each spelling
        idx = np.flatnonzero(values == value)
        out[idx] = spell_by_forms(values[idx], rng, forms, spellers)
    return padded(out, rng, cfg)


_CONTINENT_DIRT = {
    "ee_upper": lambda w: "ee" + w.upper(),
    "dot": lambda w: w + ".",
    "x": lambda w: "x" + w,
    "underscores": lambda w: "_" + w + "_",
    "lower_dot": lambda w: w.lower() + ".",
}


def continents(values: np.ndarray, rng: np.random.Generator, cfg: dict) -> np.ndarray:
    """The continent vocabulary; the `ee` prefix dirt becomes other short junk around the word
    (at most half the word's length, never letters that would make another word)."""
    dirty_mask = np.array([v.startswith("ee") for v in values], dtype=bool)
    out = values.copy()
    clean = np.flatnonzero(~dirty_mask)
    out[clean] = vocab(values[clean], rng, cfg["continent"], cfg)
    dirty = np.flatnonzero(dirty_mask)
    spellers = {k: per_value(lambda v, f=f: f(v[2:])) for k, f in _CONTINENT_DIRT.items()}
    out[dirty] = padded(spell_by_forms(values[dirty], rng, cfg["continent_dirt"], spellers), rng, cfg)
    return out


_COUNTRY_CODE_DIRT = {"GBR": "GBR", "GB.": "GB.", "gGB": "gGB", "ggb": "ggb"}


def country_codes(values: np.ndarray, rng: np.random.Generator, cfg: dict) -> np.ndarray:
    dirty_mask = np.array([v == "GGB" for v in values], dtype=bool)
    out = values.copy()
    clean = np.flatnonzero(~dirty_mask)
    out[clean] = spell_by_forms(values[clean], rng, cfg["country_code"],
                                {"lower": per_value(str.lower)})
    dirty = np.flatnonzero(dirty_mask)
    out[dirty] = spell_by_forms(values[dirty], rng, cfg["country_code_dirt"],
                                {k: per_value(lambda v, t=t: t) for k, t in _COUNTRY_CODE_DIRT.items()})
    return padded(out, rng, cfg)


def removed(values: np.ndarray, rng: np.random.Generator, cfg: dict) -> np.ndarray:
    out = values.copy()
    for original, forms in cfg["removed"].items():  # each value's own list of spellings
        idx = np.flatnonzero(values == original)
        names, kind = choose_forms(rng, len(idx), forms)
        out[idx] = object_array([names[k] for k in kind.tolist()])
    return padded(out, rng, cfg)
