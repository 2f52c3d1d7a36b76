"""Property-based tests of `multinational_assets.parsing`, one module per parsing module.

The helpers here read values the way the pipeline does (`text.normalise`, then the missing-value
markers made null, then `kind.read`) and check, on every read, the invariants every kind keeps:
aligned output, missing input never rejected and still missing, `rejected` exactly where a present
value could not be read and always with a reason, repairs and doubts only on present values.

Hypothesis settings are modest and derandomised, so the suite is quick and CI is stable.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from multinational_assets.parsing import Kind, Parsed
from multinational_assets.parsing.text import missing_markers, normalise

# `PARSING_EXAMPLES=1000 PARSING_RANDOM=1 pytest ...` searches deeper and wider locally; CI keeps the
# defaults (derandomised: the same examples every run).
_EXAMPLES = int(os.environ.get("PARSING_EXAMPLES", "50"))
SETTINGS = settings(
    max_examples=_EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("PARSING_RANDOM"),
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)
# For the tests that read whole columns of up to 50 values (more work per example).
COLUMN_SETTINGS = settings(SETTINGS, max_examples=max(1, _EXAMPLES * 4 // 5))

# Text of every kind, including the Unicode people paste, empty strings and white space only.
ANY_TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    st.text(alphabet=" \t\u00a0\n\r0123456789.,-+/:@xXkKgG£$pP", max_size=20),
    st.sampled_from(["", " ", "\t", "\u00a0", "\n", "NULL", "n/a", "-", ".", "0", "1e5", "\u200b"]),
    # Numbers too large for a float.
    st.sampled_from(["9" * 400, "£" + "9" * 400 + ".99", "9" * 400 + "kg", "12 x " + "9" * 400 + "g", "9" * 400 + "°N"]),
)


def pipeline_text(values: Sequence[str | None], multiline: bool = False) -> pa.Array:
    """Raw values as a kind receives them in the pipeline: normalised, missing markers null."""
    text = normalise(pa.array(list(values), type=pa.string()), multiline=multiline)
    marker = missing_markers(text)
    if marker.any():
        text = pc.if_else(pa.array(marker), pa.nulls(len(text), pa.string()), text)
    return text


def read(kind: Kind, values: Sequence[str | None]) -> Parsed:
    """`values` read by `kind` as the pipeline reads them, with the invariants checked."""
    text = pipeline_text(values, kind.multiline)
    parsed = kind.read(text)
    assert_invariants(kind, text, parsed)
    return parsed


def read_text(kind: Kind, text: pa.Array) -> Parsed:
    """Text read by `kind` as it is (no normalisation), with the invariants checked."""
    parsed = kind.read(text)
    assert_invariants(kind, text, parsed)
    return parsed


def assert_invariants(kind: Kind, text: pa.Array, parsed: Parsed) -> None:
    n = len(text)
    present = pc.is_valid(text).to_numpy(zero_copy_only=False).astype(bool)
    assert len(parsed.values) == n
    assert parsed.values.type == kind.arrow_type
    rejected = np.asarray(parsed.rejected)
    assert rejected.dtype == bool and rejected.shape == (n,)
    assert np.asarray(parsed.reasons).shape == (n,)
    values_valid = pc.is_valid(parsed.values).to_numpy(zero_copy_only=False).astype(bool)
    # Missing stays missing and is never rejected.
    assert not values_valid[~present].any(), "a missing input got a value"
    assert not rejected[~present].any(), "a missing input was rejected"
    # Rejected exactly where a present value could not be read, always with a reason.
    assert (rejected == (present & ~values_valid)).all()
    for i in np.flatnonzero(rejected):
        assert isinstance(parsed.reasons[i], str) and parsed.reasons[i], f"no reason for {text[i]!r}"
    for i in np.flatnonzero(~rejected):
        assert parsed.reasons[i] is None
    if kind.arrow_type == pa.float64():  # a quantity is a finite number or nothing
        numbers = pc.fill_null(parsed.values, 0.0).to_numpy(zero_copy_only=False)
        assert np.isfinite(numbers).all(), f"not finite: {parsed.values}"
    for kind_of_flag, masks in (("repair", parsed.repairs), ("doubt", parsed.doubts)):
        for rule, mask in masks.items():
            mask = np.asarray(mask)
            assert mask.dtype == bool and mask.shape == (n,), (kind_of_flag, rule)
            assert not (mask & ~present).any(), f"{kind_of_flag} {rule!r} on a missing value"
            if kind_of_flag == "repair":
                assert not (mask & rejected).any(), f"repair {rule!r} on a rejected value"


def repaired(parsed: Parsed) -> np.ndarray:
    """Where any repair rule was applied."""
    out = np.zeros(len(parsed.values), dtype=bool)
    for mask in parsed.repairs.values():
        out |= np.asarray(mask)
    return out


def same(got: object, expected: object, rel: float = 1e-9) -> bool:
    """Equal, floats within `rel` relative."""
    if isinstance(expected, float) and isinstance(got, float):
        return math.isclose(got, expected, rel_tol=rel, abs_tol=0.0)
    return got == expected and type(got) is type(expected)


def check_cases(kind: Kind, cases: Sequence[tuple[str, object] | None]) -> Parsed:
    """Every (text, expected) case read back as `expected`; `None` cases are missing values."""
    texts = [None if c is None else c[0] for c in cases]
    parsed = read(kind, texts)
    got = parsed.values.to_pylist()
    for i, case in enumerate(cases):
        if case is None:
            assert got[i] is None
            continue
        text, expected = case
        assert not parsed.rejected[i], f"{text!r} rejected: {parsed.reasons[i]}"
        assert same(got[i], expected), f"{text!r} read as {got[i]!r}, expected {expected!r}"
    return parsed


def check_rejected(kind: Kind, values: Sequence[str], *words: str) -> Parsed:
    """Every value rejected with a reason containing each of `words` (case ignored)."""
    parsed = read(kind, values)
    for i, value in enumerate(values):
        assert parsed.rejected[i], f"{value!r} not rejected: read as {parsed.values[i].as_py()!r}"
        for word in words:
            assert word.lower() in parsed.reasons[i].lower(), f"{value!r}: reason {parsed.reasons[i]!r} lacks {word!r}"
    return parsed


def check_canonical(kind: Kind, canonical: Sequence[str], expected: Sequence[object]) -> None:
    """Canonical values are read unchanged and are not counted as repairs."""
    parsed = read(kind, canonical)
    got = parsed.values.to_pylist()
    for text, value, exp in zip(canonical, got, expected):
        assert same(value, exp), f"{text!r} read as {value!r}, expected {exp!r}"
    assert not repaired(parsed).any(), f"canonical values counted as repairs: {parsed.repairs}"
    assert not parsed.rejected.any()


def columns(case: st.SearchStrategy, max_size: int = 50) -> st.SearchStrategy:
    """Columns of 1 to `max_size` cases with missing values among them."""
    return st.lists(st.one_of(case, case, case, st.none()), min_size=1, max_size=max_size)


@st.composite
def any_case(draw, word: str) -> str:
    """`word` in any case: as written, lower, upper, title, or letter by letter."""
    how = draw(st.sampled_from(["as is", "lower", "upper", "title", "mixed"]))
    if how == "lower":
        return word.lower()
    if how == "upper":
        return word.upper()
    if how == "title":
        return word.title()
    if how == "mixed":
        flips = draw(st.lists(st.booleans(), min_size=len(word), max_size=len(word)))
        return "".join(c.upper() if f else c.lower() for c, f in zip(word, flips))
    return word


# White space as people paste it (normalise makes each run one space and trims the ends).
SPACE = st.sampled_from([" ", "  ", "\t", "\u00a0", "\u2009", "\u202f", " \u00a0 "])
OPTIONAL_SPACE = st.one_of(st.just(""), SPACE)
