"""Arrow helpers every parser shares: turning any column into Arrow text, normalising it, and reading
the markers people write for "no value".

Everything here works on whole columns in Arrow's C++ kernels (no Python loop per value). Regular
expressions are RE2 (Arrow's engine): no look-around, `\\pL` / `\\pN` for Unicode letters and digits.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from multinational_assets.schema_types import arrow_held

# Horizontal white space of every kind people paste: tabs, non-breaking and typographic spaces.
_HSPACE = r"[\t\f\v \x{00A0}\x{1680}\x{2000}-\x{200A}\x{202F}\x{205F}\x{3000}]"
# Characters that take no room and carry no meaning in data: the zero-width space, the word joiner
# and a byte-order mark. (The zero-width joiners stay: emoji sequences and some scripts need them.)
_INVISIBLE = r"[\x{200B}\x{2060}\x{FEFF}]"

# What people write for "no value" (compared without regard to case, after trimming). `NA` and `-`
# are left out on purpose: `NA` is a country code (Namibia), and a lone dash reads as a value to some.
MISSING_MARKERS = ("", "null", "none", "n/a", "nan", "#n/a", "(null)", "<null>", "nil")


def arrow_text(values: pd.Series | pa.Array | pa.ChunkedArray | Iterable) -> pa.Array:
    """A column as one Arrow string array: Arrow-backed text is taken as it is, other values become
    their `str` (None and NaN are null)."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if isinstance(values, pa.Array):
        return values if values.type == pa.string() else values.cast(pa.string())
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    held = arrow_held(series)
    if held is not None:
        return arrow_text(held)
    if isinstance(series.dtype, pd.ArrowDtype):
        return arrow_text(pa.array(series.array))
    objects = series.astype(object)
    if pd.api.types.infer_dtype(objects, skipna=True) not in ("string", "empty"):
        missing = objects.isna()
        objects = objects.where(missing, objects.astype(str)).where(~missing, None)
    return pa.array(objects.to_numpy(), type=pa.string(), from_pandas=True)


def flags(mask: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """An Arrow boolean result as a numpy bool array, null counting as False."""
    if isinstance(mask, pa.ChunkedArray):
        mask = mask.combine_chunks()
    return pc.fill_null(mask, False).to_numpy(zero_copy_only=False).astype(bool)


def matches(values: pa.Array, pattern: str, ignore_case: bool = False) -> np.ndarray:
    """True where the whole value matches `pattern` (RE2), False elsewhere and for nulls."""
    return flags(pc.match_substring_regex(values, f"^(?:{pattern})$", ignore_case=ignore_case))


def contains(values: pa.Array, pattern: str) -> np.ndarray:
    """True where some part of the value matches `pattern` (RE2)."""
    return flags(pc.match_substring_regex(values, pattern))


def any_contains(values: pa.Array, pattern: str) -> bool:
    """Whether some value has a part matching `pattern` (RE2), answered in Arrow: no mask is made
    into numpy for the one answer."""
    return pc.any(pc.match_substring_regex(values, pattern)).as_py() is True


def replace(values: pa.Array, pattern: str, replacement: str) -> pa.Array:
    """Every match of `pattern` replaced, skipping the pass when nothing matches."""
    if not any_contains(values, pattern):
        return values
    return pc.replace_substring_regex(values, pattern, replacement)


def where(mask: np.ndarray, values: pa.Array, other: pa.Array | None) -> pa.Array:
    """`values` where `mask`, else `other` (null when None)."""
    if other is None:
        other = pa.nulls(len(values), type=values.type)
    return pc.if_else(pa.array(mask, type=pa.bool_()), values, other)


def normalise(values: pa.Array, multiline: bool = False) -> pa.Array:
    """Text as a careful reader sees it: Unicode NFC (composed accents), invisible characters removed,
    every run of horizontal white space (tabs, non-breaking spaces) one space, trimmed. Line breaks
    become spaces too, unless `multiline`: then each line is trimmed, `\\r\\n` and `\\r` become
    `\\n`, and empty lines are dropped."""
    ascii_only = pc.all(pc.string_is_ascii(values)).as_py() is not False
    if ascii_only and not multiline and not any_contains(values, r"[\t\n\r\f\v]|  |^ | $"):
        return values  # the usual case: nothing to do, found in one pass
    if not ascii_only:  # plain ASCII needs no Unicode pass
        # Invisible characters go first: one between a letter and its accent would stop NFC composing.
        values = replace(values, _INVISIBLE, "")
        values = _nfc(values)
    if multiline:
        values = replace(values, r"\r\n?", "\n")
        values = replace(values, f"{_HSPACE}+", " ")
        values = replace(values, r" ?\n[ \n]*", "\n")
    else:
        values = replace(values, f"(?:{_HSPACE}|[\\r\\n])+", " ")
    return pc.utf8_trim_whitespace(values)


def _nfc(values: pa.Array) -> pa.Array:
    """Unicode NFC (`e` + combining accent becomes `é`), one Python call per distinct non-ASCII value.
    (Arrow's `utf8_normalize` returned decomposed text for every form in pyarrow 21, seen here.)"""
    other = pa.array(~flags(pc.string_is_ascii(values)) & flags(pc.is_valid(values)))
    composed = per_distinct(pc.filter(values, other), lambda v: unicodedata.normalize("NFC", v), pa.string())
    # Put back in place by Arrow: the whole column through Python strings and back cost 0.3 ms a
    # column of 1,500 names.
    return pc.replace_with_mask(values, other, composed)


def _every_case(word: str) -> list[str]:
    spellings = [""]
    for ch in word:
        spellings = [s + c for s in spellings for c in dict.fromkeys((ch.lower(), ch.upper()))]
    return spellings


# Every spelling of every marker in any case (a few hundred strings): one hash lookup per value,
# without lower-casing the column first.
_MARKER_SPELLINGS = pa.array(sorted({s for m in MISSING_MARKERS for s in _every_case(m)}))


def missing_markers(values: pa.Array) -> np.ndarray:
    """True where a (normalised) value is one of the `MISSING_MARKERS`, e.g. `NULL`, `N/A`, `None`."""
    return flags(pc.is_in(values, value_set=_MARKER_SPELLINGS))


def strip_edge_junk(values: pa.Array) -> pa.Array:
    """Punctuation and symbols around a value removed (`?4111...`, `'5012...`, `GB.`, `"R7-31"`): only
    letters and digits may start or end a code."""
    return replace(values, r"^[^\pL\pN]+|[^\pL\pN]+$", "")


def per_distinct(values: pa.Array, read: Callable[[str], object], type: pa.DataType) -> pa.Array:
    """Apply a Python function once per distinct value and spread the results over the column: for
    the few families no Arrow kernel reads (month names, vocabularies). `read` returns the parsed
    value or None."""
    encoded = pc.dictionary_encode(values)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    results = pa.array([read(v) for v in encoded.dictionary.to_pylist()], type=type)
    return pc.take(results, encoded.indices)
