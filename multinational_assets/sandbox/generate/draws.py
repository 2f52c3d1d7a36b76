"""Random values drawn without a Python loop per value (UUIDs, digits, dates, picks, labels), and
formatting rows by template: the building blocks every table module uses.

Every function draws from the generator it is given, in a fixed order, so a seed gives one world.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from multinational_assets.sandbox import vocabulary as vocab

_ALNUM = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"))


def garbage_strings(rng: np.random.Generator, rows: int, cols: int) -> np.ndarray:
    """`rows` x `cols` random 10-character `[A-Z0-9]` strings (object array)."""
    chars = _ALNUM[rng.integers(0, len(_ALNUM), size=(rows, cols, 10))]
    return np.ascontiguousarray(chars).view("<U10").reshape(rows, cols).astype(object)


def uuid4(rng: np.random.Generator, n: int) -> np.ndarray:
    """`n` random version-4 UUIDs as lower-case text (object array), built without a Python loop."""
    raw = rng.integers(0, 256, size=(n, 16), dtype=np.uint8)
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40  # version 4
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80  # RFC 4122 variant
    hex_digits = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
    nibbles = np.empty((n, 32), dtype=np.uint8)
    nibbles[:, 0::2] = hex_digits[raw >> 4]
    nibbles[:, 1::2] = hex_digits[raw & 0x0F]
    out = np.full((n, 36), ord("-"), dtype=np.uint8)
    for dst, src in ((0, 0), (9, 8), (14, 12), (19, 16), (24, 20)):
        width = {0: 8, 8: 4, 12: 4, 16: 4, 20: 12}[src]
        out[:, dst:dst + width] = nibbles[:, src:src + width]
    return out.view("S36").ravel().astype("U36").astype(object)


def unique_uuid4(rng: np.random.Generator, n: int) -> np.ndarray:
    values = uuid4(rng, n)
    while True:
        dup = pd.Series(values).duplicated().to_numpy()
        if not dup.any():
            return values
        values[dup] = uuid4(rng, int(dup.sum()))


def digit_strings(rng: np.random.Generator, n: int, width: int) -> np.ndarray:
    """`n` strings of `width` random decimal digits (leading zeros kept)."""
    if width == 0:
        return np.full(n, "", dtype=object)
    chars = rng.integers(48, 58, size=(n, width), dtype=np.uint8)
    return chars.view(f"S{width}").ravel().astype(f"U{width}").astype(object)


def random_days(rng: np.random.Generator, start: str, end: str, n: int) -> np.ndarray:
    """`n` uniform dates in [start, end] as datetime64[D]."""
    lo, hi = np.datetime64(start, "D"), np.datetime64(end, "D")
    return lo + rng.integers(0, (hi - lo).astype(int) + 1, size=n).astype("timedelta64[D]")


def iso_dates(days: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(days, unit="D").astype(object)


def odd_dates(rng: np.random.Generator, days: np.ndarray) -> list[str]:
    """The three odd source formats, spread evenly over `days` in random order."""
    formats = rng.permutation(np.arange(len(days)) % 3)
    out = []
    for day, fmt in zip(days.astype(object), formats):
        month = vocab.MONTH_NAMES[day.month - 1]
        if fmt == 0:
            out.append(f"{day.year}/{day.month:02d}/{day.day:02d}")
        elif fmt == 1:
            out.append(f"{month} {day.year} {day.day:02d}")
        else:
            out.append(f"{day.year} {month} {day.day:02d}")
    return out


def pick(rng: np.random.Generator, n: int, k: int) -> np.ndarray:
    """`k` distinct positions out of `n`, sorted."""
    return np.sort(rng.choice(n, size=k, replace=False)) if k else np.empty(0, dtype=int)


def choice(rng: np.random.Generator, words: Sequence[str], n: int) -> np.ndarray:
    return np.asarray(words, dtype=object)[rng.integers(0, len(words), size=n)]


def shuffled_labels(rng: np.random.Generator, counts: dict) -> np.ndarray:
    """An array holding each key `counts[key]` times, in random order."""
    labels = np.repeat(np.asarray(list(counts), dtype=object), list(counts.values()))
    return labels[rng.permutation(len(labels))]


def format_rows(kind: np.ndarray, templates: Sequence[Callable[..., str]],
                *columns: np.ndarray) -> np.ndarray:
    """Row i formatted by `templates[kind[i]]` applied to the i-th values of `columns`."""
    out = np.empty(len(kind), dtype=object)
    for k, template in enumerate(templates):
        idx = np.flatnonzero(kind == k)
        if len(idx):
            out[idx] = [template(*values) for values in zip(*(c[idx] for c in columns))]
    return out
