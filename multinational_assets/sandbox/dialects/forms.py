"""The machinery every family of spellings shares: drawing one form per value by weight and applying
it, padding with spaces, tabs or NBSPs, free text and multi-line addresses, missing-value tokens and
junk strings."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

Forms = Mapping[str, float]


def object_array(values) -> np.ndarray:
    """`values` as a 1-d object array (never a 2-d one, whatever the values are)."""
    out = np.empty(len(values), dtype=object)
    out[:] = list(values)
    return out


def choose_forms(rng: np.random.Generator, n: int, forms: Forms) -> tuple[list[str], np.ndarray]:
    """A form for each of `n` values, drawn by weight; where there are values enough, every form is
    given to at least one (spellings before "keep"), so even rare dirt shows each of its spellings."""
    names = list(forms)
    p = np.asarray([forms[k] for k in names], dtype=float)
    kind = rng.choice(len(names), size=n, p=p / p.sum())
    order = [k for k in rng.permutation(len(names)).tolist() if names[k] != "keep"]
    order += [k for k, name in enumerate(names) if name == "keep"]
    m = min(n, len(order))
    if m:
        kind[rng.permutation(n)[:m]] = order[:m]
    return names, kind


def spell_by_forms(values: np.ndarray, rng: np.random.Generator, forms: Forms,
                   spellers: Mapping[str, Callable]) -> np.ndarray:
    """Each value rewritten by one form drawn from `forms` (weights); "keep" leaves it as it is.

    `spellers[form]` maps an object array of values to the new values (same length)."""
    out = values.copy()
    if not len(values):
        return out
    names, kind = choose_forms(rng, len(values), forms)
    for k, name in enumerate(names):
        if name == "keep":
            continue
        idx = np.flatnonzero(kind == k)
        if len(idx):
            out[idx] = object_array(spellers[name](values[idx]))
    return out


def per_value(func: Callable[[str], str]) -> Callable[[np.ndarray], list]:
    return lambda values: [func(v) for v in values]


def _on_a_share(values: np.ndarray, rng: np.random.Generator, share: float, choices: Sequence,
                change: Callable[[str, Any], str]) -> np.ndarray:
    """A copy with `change(value, choice)` applied to a random `share` of the text values, each with
    one of `choices` picked at random."""
    out = values.copy()
    chosen = np.flatnonzero(rng.random(len(values)) < share)
    which = rng.integers(0, len(choices), len(chosen))
    for i, w in zip(chosen.tolist(), which.tolist()):
        if isinstance(out[i], str):
            out[i] = change(out[i], choices[w])
    return out


def padded(values: np.ndarray, rng: np.random.Generator, cfg: dict) -> np.ndarray:
    """Surround a share of the text values with spaces, tabs or NBSPs (dialect's choice)."""
    return _on_a_share(values, rng, cfg["pad_share"], cfg["pads"], lambda v, pad: pad[0] + v + pad[1])


def _inner_spaces(values: np.ndarray, rng: np.random.Generator, cfg: dict) -> np.ndarray:
    """Free text: on a share of values every space becomes a double space or an NBSP."""
    return _on_a_share(values, rng, cfg["inner_share"], cfg["inner"], lambda v, space: v.replace(" ", space))


def free_text(values: np.ndarray, rng: np.random.Generator, cfg: dict) -> np.ndarray:
    return padded(_inner_spaces(values, rng, cfg), rng, cfg)


def address(values: np.ndarray, rng: np.random.Generator, cfg: dict) -> np.ndarray:
    """Multi-line addresses: CRLF line breaks, or spaces before the line breaks, then free text."""
    out = values.copy()
    crlf = rng.random(len(values)) < cfg["crlf_share"]
    line_pad = rng.random(len(values)) < cfg["line_pad_share"]
    for i in np.flatnonzero(crlf | line_pad).tolist():
        v = out[i]
        if crlf[i]:
            v = v.replace("\n", "\r\n")
        if line_pad[i]:
            v = v.replace("\n", " \n")
        out[i] = v
    return free_text(out, rng, cfg)


def missing_tokens(rng: np.random.Generator, n: int, tokens: Sequence) -> np.ndarray:
    return object_array([tokens[i] for i in rng.integers(0, len(tokens), n).tolist()])


_NOT_GARBAGE = re.compile(r"[0-9a-fA-F]{32}|\d{8,19}|[A-Za-z]+-[A-Za-z0-9]+")


def junk_strings(rng: np.random.Generator, n: int, cfg: dict) -> np.ndarray:
    """Junk strings: never a UUID, a card number, a letters-dash-code, a number or a missing token."""
    chars = cfg["garbage_chars"]
    out = []
    while len(out) < n:
        length = int(rng.integers(8, 15))
        text = "".join(chars[i] for i in rng.integers(0, len(chars), length).tolist())
        letters = sum(ch.isalpha() for ch in text)
        if letters < 2 or (cfg["garbage_digit"] and not any(ch.isdigit() for ch in text)):
            continue
        if _NOT_GARBAGE.fullmatch(text):
            continue
        try:
            float(text)
            continue
        except ValueError:
            pass
        out.append(text)
    return object_array(out)
