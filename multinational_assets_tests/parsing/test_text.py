"""Properties of `multinational_assets.parsing.text`: normalisation (NFC, invisible characters, white
space, lines), missing-value markers, edge junk, and the Arrow helpers."""

from __future__ import annotations

import math
import unicodedata

import numpy as np
import pandas as pd
import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from multinational_assets.parsing.text import (
    MISSING_MARKERS,
    arrow_text,
    missing_markers,
    normalise,
    per_distinct,
    strip_edge_junk,
)
from multinational_assets_tests.parsing import ANY_TEXT, COLUMN_SETTINGS, SETTINGS, any_case

INVISIBLE = ["\u200b", "\u2060", "\ufeff"]  # zero-width space, word joiner, byte-order mark
HSPACE = [" ", "\t", "\f", "\v", "\u00a0", "\u1680", "\u2002", "\u2003", "\u2009", "\u200a", "\u202f", "\u205f", "\u3000"]
LINE_BREAKS = ["\n", "\r\n", "\r"]

# A word: printable characters that are neither white space nor invisible (letters, marks, digits,
# punctuation, symbols), decomposed or not.
WORD = st.text(
    alphabet=st.characters(
        blacklist_categories=("Z", "C"), blacklist_characters="".join(INVISIBLE),
    ),
    min_size=1,
    max_size=8,
).filter(lambda w: not any(ch.isspace() for ch in w))
SPACE_RUN = st.lists(st.sampled_from(HSPACE), min_size=1, max_size=4).map("".join)
INVISIBLE_OR_NOT = st.lists(st.sampled_from(INVISIBLE), max_size=2).map("".join)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def norm(values, multiline: bool = False) -> list:
    return normalise(pa.array(values, type=pa.string()), multiline=multiline).to_pylist()


@st.composite
def spaced_words(draw, line_breaks_too: bool = True) -> tuple[str, str]:
    """Words joined by runs of white space (and line breaks), with white space around: (raw, normal)."""
    words = draw(st.lists(WORD, min_size=1, max_size=6))
    gaps = st.one_of(SPACE_RUN, st.sampled_from(LINE_BREAKS)) if line_breaks_too else SPACE_RUN
    raw = draw(st.one_of(st.just(""), gaps))
    for i, word in enumerate(words):
        raw += word + (draw(gaps) if i < len(words) - 1 else draw(st.one_of(st.just(""), gaps)))
    return raw, nfc(" ".join(words))


@SETTINGS
@given(spaced_words())
def test_white_space_runs_become_one_space_and_ends_are_trimmed(case):
    raw, expected = case
    assert norm([raw]) == [expected]


@SETTINGS
@given(st.lists(WORD, min_size=1, max_size=5), st.data())
def test_invisible_characters_are_removed_anywhere(words, data):
    text = " ".join(words)
    cut = [data.draw(st.integers(0, len(text))) for _ in range(data.draw(st.integers(1, 3)))]
    raw = text
    for at in sorted(cut, reverse=True):
        raw = raw[:at] + data.draw(st.sampled_from(INVISIBLE)) + raw[at:]
    assert norm([raw]) == [nfc(text)]


@SETTINGS
@given(ANY_TEXT, st.booleans())
def test_output_is_nfc_trimmed_and_without_invisible_characters(text, multiline):
    (out,) = norm([text], multiline)
    assert unicodedata.is_normalized("NFC", out)
    assert not any(ch in out for ch in INVISIBLE)
    assert out == out.strip(" ")
    assert "  " not in out and "\t" not in out and "\u00a0" not in out
    if not multiline:
        assert "\n" not in out and "\r" not in out


@SETTINGS
@given(ANY_TEXT, st.booleans())
def test_normalising_twice_changes_nothing(text, multiline):
    once = norm([text], multiline)
    assert norm(once, multiline) == once


@SETTINGS
@given(st.lists(WORD, min_size=1, max_size=5))
def test_decomposed_and_composed_spellings_normalise_alike(words):
    text = " ".join(words)
    decomposed = unicodedata.normalize("NFD", text)
    assert norm([decomposed]) == norm([nfc(text)]) == [nfc(text)]


def test_nfc_composes_accents():
    assert norm(["Gie\u0301\u00dfen", "Ko\u0308ln", "Cafe\u0301"]) == ["Gi\u00e9\u00dfen", "K\u00f6ln", "Caf\u00e9"]


@SETTINGS
@given(st.lists(spaced_words(line_breaks_too=False), min_size=1, max_size=5), st.data())
def test_multiline_keeps_line_breaks_but_trims_lines_and_drops_empty_ones(lines, data):
    raw = ""
    for i, (line, _) in enumerate(lines):
        raw += line
        if i < len(lines) - 1:
            raw += data.draw(st.sampled_from(LINE_BREAKS))
            raw += data.draw(st.lists(st.sampled_from([*LINE_BREAKS, " ", "\t", "\u00a0"]), max_size=3).map("".join))
    expected = "\n".join(normal for _, normal in lines)
    assert norm([raw], multiline=True) == [expected]


def test_multiline_examples():
    assert norm(["  12 High Street \r\n\r\n\t London\u00a0 SW1 \rUK  "], multiline=True) == ["12 High Street\nLondon SW1\nUK"]
    assert norm(["12 High Street\nLondon"]) == ["12 High Street London"]


@COLUMN_SETTINGS
@given(st.lists(st.one_of(st.none(), ANY_TEXT), max_size=50), st.booleans())
def test_columns_keep_length_and_nulls_and_match_value_by_value(values, multiline):
    out = norm(values, multiline)
    assert len(out) == len(values)
    assert [o is None for o in out] == [v is None for v in values]
    # Vectorised over a column, each value comes out as it does alone (ASCII and Unicode passes mix).
    assert out == [None if v is None else norm([v], multiline)[0] for v in values]


@SETTINGS
@given(st.sampled_from(MISSING_MARKERS).flatmap(any_case), st.one_of(st.just(""), SPACE_RUN), st.one_of(st.just(""), SPACE_RUN))
def test_missing_markers_are_recognised_in_any_case_and_spacing(marker, before, after):
    text = normalise(pa.array([before + marker + after]))
    assert missing_markers(text).tolist() == [True]


@SETTINGS
@given(st.lists(st.one_of(st.none(), ANY_TEXT), max_size=30))
def test_missing_markers_are_exactly_the_listed_words(values):
    text = normalise(pa.array(values, type=pa.string()))
    expected = [v is not None and v.lower() in MISSING_MARKERS for v in text.to_pylist()]
    assert missing_markers(text).tolist() == expected


def test_values_that_are_not_missing_markers():
    # `NA` is Namibia and a dash reads as a value to some: both are data.
    text = normalise(pa.array(["NA", "-", "nulls", "n/a/", "0", "None of these", "nil."]))
    assert missing_markers(text).tolist() == [False] * 7


JUNK = st.text(alphabet="?#'\"*.,;:!()[]{}<>-_/\\ ~`^", max_size=4)
CORE = st.from_regex(r"[A-Za-z0-9\u00e9\u00df](?:[A-Za-z0-9 ?\-.\u00e9]{0,8}[A-Za-z0-9\u00e9\u00df])?", fullmatch=True)


@SETTINGS
@given(JUNK, CORE, JUNK)
def test_strip_edge_junk_removes_punctuation_around_and_keeps_the_value(before, core, after):
    assert strip_edge_junk(pa.array([before + core + after])).to_pylist() == [core]


@SETTINGS
@given(st.lists(st.one_of(st.none(), ANY_TEXT), max_size=20))
def test_strip_edge_junk_leaves_a_letter_or_digit_at_each_end(values):
    def letter_or_digit(ch: str) -> bool:
        # `Cn`: unassigned in Python's Unicode tables, but maybe a letter in RE2's newer ones.
        return unicodedata.category(ch)[0] in "LN" or unicodedata.category(ch) == "Cn"

    for out in strip_edge_junk(pa.array(values, type=pa.string())).to_pylist():
        if out:
            assert letter_or_digit(out[0]) and letter_or_digit(out[-1])


@SETTINGS
@given(st.lists(st.one_of(st.none(), st.text(max_size=5)), max_size=30))
def test_per_distinct_spreads_one_result_per_distinct_value(values):
    calls = []

    def read(v):
        calls.append(v)
        return len(v)

    out = per_distinct(pa.array(values, type=pa.string()), read, pa.int64()).to_pylist()
    assert out == [None if v is None else len(v) for v in values]
    assert sorted(calls) == sorted({v for v in values if v is not None})


@SETTINGS
@given(st.lists(st.one_of(st.none(), st.integers(-10**6, 10**6), st.text(max_size=5), st.just(math.nan)), max_size=20))
def test_arrow_text_makes_any_column_text_with_missing_as_null(values):
    out = arrow_text(pd.Series(values, dtype=object)).to_pylist()
    expected = [None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v) for v in values]
    assert out == expected


ACCENTED = st.tuples(st.sampled_from("aeiouncAEIOUNC"), st.sampled_from("\u0301\u0300\u0308\u0303\u0327\u0302")).map("".join)


@SETTINGS
@given(st.lists(st.one_of(ACCENTED, st.sampled_from("bdfl")), min_size=1, max_size=6), st.data())
def test_accents_compose_even_with_invisible_characters_between(letters, data):
    text = "".join(letters)
    raw = "".join(
        letter[0] + data.draw(INVISIBLE_OR_NOT) + letter[1:] if len(letter) > 1 else letter for letter in letters
    )
    assert norm([raw]) == [nfc(text)]


def test_any_contains_answers_whether_some_value_matches_nulls_and_empty_columns_never_do():
    import pyarrow as pa

    from multinational_assets.parsing.text import any_contains

    assert any_contains(pa.array(["a b", None]), "  ") is False
    assert any_contains(pa.array(["a  b", None]), "  ") is True
    assert any_contains(pa.array([None, None], pa.string()), ".") is False
    assert any_contains(pa.array([], pa.string()), ".") is False
