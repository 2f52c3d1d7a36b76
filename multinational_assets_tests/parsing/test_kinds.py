"""Properties of the kinds in `multinational_assets.parsing.kinds`: free text, UUIDs, codes, digit
identifiers (card numbers, EANs) and e-mail addresses.

Each kind: any documented spelling of a clean value reads back as that value (alone and in whole
columns), canonical values are untouched and not repairs, invalid values are rejected with a reason,
and arbitrary text never makes a parser raise.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from multinational_assets.parsing import Code, Digits, Email, Text, Uuid
from multinational_assets.parsing.text import MISSING_MARKERS
from multinational_assets_tests.parsing import (
    ANY_TEXT,
    COLUMN_SETTINGS,
    OPTIONAL_SPACE,
    SETTINGS,
    any_case,
    check_canonical,
    check_cases,
    check_rejected,
    columns,
    read,
    read_text,
    repaired,
)

STORE_CODE = Code(shape="[A-Z]+-[0-9A-Z]+", example="GB-1A2B3C4D")
PRODUCT_CODE = Code(shape="[A-Za-z0-9]+-[A-Za-z0-9]+", example="R7-3126933h", case="keep")
CARD_NUMBER = Digits(min_digits=8, max_digits=19, name="card number")
EAN = Digits(min_digits=6, max_digits=20, name="EAN")
KINDS = [Text(), Text(multiline_text=True), Uuid(), STORE_CODE, PRODUCT_CODE, Code(), CARD_NUMBER, EAN, Email()]

# Punctuation people leave around a value (quotes, a `?` from a bad encoding, a full stop).
EDGE_JUNK = st.text(alphabet="?#'\"*.,;:!()[]<>", max_size=4)


@st.composite
def around(draw, core: str, junk: bool = True) -> str:
    """`core` with white space and (optionally) punctuation around it."""
    before = draw(EDGE_JUNK) if junk else ""
    after = draw(EDGE_JUNK) if junk else ""
    return draw(OPTIONAL_SPACE) + before + draw(OPTIONAL_SPACE) + core + draw(OPTIONAL_SPACE) + after + draw(OPTIONAL_SPACE)


# --------------------------------------------------------------------------------------------------
# Every kind


@SETTINGS
@given(st.sampled_from(KINDS), st.lists(st.one_of(st.none(), ANY_TEXT), max_size=20))
def test_no_kind_raises_on_arbitrary_text_and_invariants_hold(kind, values):
    parsed = read(kind, values)  # normalised as the pipeline does; invariants checked inside
    raw = read_text(kind, pa.array(values, type=pa.string()))  # and as it is, not normalised
    # What a kind returns is canonical: read again it comes back the same, and is no repair.
    for result in (parsed, raw):
        if kind.arrow_type == pa.string():
            again = read_text(kind, result.values)
            assert again.values.to_pylist() == result.values.to_pylist()
            assert not repaired(again).any(), again.repairs
            assert not again.rejected.any()


@SETTINGS
@given(st.sampled_from(KINDS), st.integers(0, 50))
def test_missing_values_stay_missing_and_are_never_rejected(kind, n):
    parsed = read(kind, [None] * n)
    assert parsed.values.null_count == n and not parsed.rejected.any()


# --------------------------------------------------------------------------------------------------
# Free text

WORDS = st.lists(
    st.text(alphabet=st.characters(blacklist_categories=("Z", "C")), min_size=1, max_size=8), min_size=1, max_size=5
).map(" ".join)


@SETTINGS
@given(WORDS.filter(lambda w: any(ch.isalnum() for ch in w)))
def test_text_with_a_letter_or_digit_is_kept_as_normalised(words):
    expected = unicodedata.normalize("NFC", words)
    parsed = read(Text(), ["\u00a0 " + words.replace(" ", " \t") + "  "])
    if parsed.values[0].as_py() is None:  # only a missing-value marker becomes null
        assert expected.lower() in MISSING_MARKERS
        return
    assert parsed.values.to_pylist() == [expected]
    assert not repaired(parsed).any()


@SETTINGS
@given(st.text(alphabet="-?!.,;:*#/\\_~'\"()[]{}<>=+|^`$%&@", min_size=1, max_size=10))
def test_text_without_letters_or_digits_is_rejected(junk):
    check_rejected(Text(), [junk], "no letter or digit")


@SETTINGS
@given(st.lists(WORDS.filter(lambda w: any(ch.isalnum() for ch in w)), min_size=1, max_size=4))
def test_multiline_text_keeps_its_lines(lines):
    expected = unicodedata.normalize("NFC", "\n".join(lines))
    assume(expected.lower() not in MISSING_MARKERS)
    parsed = read(Text(multiline_text=True), [" \r\n".join(lines)])
    assert parsed.values.to_pylist() == [expected]


# --------------------------------------------------------------------------------------------------
# UUIDs


@st.composite
def uuid_spelling(draw) -> tuple[str, str]:
    clean = str(draw(st.uuids()))
    hexes = clean.replace("-", "")
    written = draw(st.sampled_from([clean, hexes]))
    written = draw(any_case(written))
    if draw(st.booleans()):
        written = "{" + written + "}"
    if draw(st.booleans()):
        written = draw(any_case("urn:uuid:")) + written
    return draw(around(written)), clean


@SETTINGS
@given(uuid_spelling())
def test_uuid_read_from_any_spelling(case):
    check_cases(Uuid(), [case])


@COLUMN_SETTINGS
@given(columns(uuid_spelling()))
def test_uuid_columns(cases):
    check_cases(Uuid(), cases)


@COLUMN_SETTINGS
@given(st.lists(st.uuids().map(str), min_size=1, max_size=50))
def test_canonical_uuids_are_unchanged_and_not_repairs(clean):
    check_canonical(Uuid(), clean, clean)


@SETTINGS
@given(st.uuids().map(lambda u: u.hex), st.integers(1, 31), st.sampled_from(["drop", "add", "letter"]))
def test_not_32_hex_digits_is_not_a_uuid(hexes, at, how):
    if how == "drop":
        bad = hexes[:at] + hexes[at + 1:]
    elif how == "add":
        bad = hexes[:at] + "a" + hexes[at:]
    else:
        bad = hexes[:at] + "g" + hexes[at + 1:]
    check_rejected(Uuid(), [bad], "UUID")


# --------------------------------------------------------------------------------------------------
# Codes

STORE_CODES = st.one_of(
    st.from_regex(r"[A-Z]{2}-[0-9A-F]{8}", fullmatch=True),
    st.from_regex(r"WEB-[0-9]{7}W", fullmatch=True),
)
PRODUCT_CODES = st.from_regex(r"[A-Za-z][0-9]-[0-9]{4,8}[a-z]", fullmatch=True)


@st.composite
def store_code_spelling(draw) -> tuple[str, str]:
    clean = draw(STORE_CODES)
    return draw(around(draw(any_case(clean)))), clean


@st.composite
def product_code_spelling(draw) -> tuple[str, str]:
    clean = draw(PRODUCT_CODES)
    return draw(around(clean)), clean


@SETTINGS
@given(store_code_spelling())
def test_code_read_in_any_case_with_punctuation_around(case):
    check_cases(STORE_CODE, [case])


@SETTINGS
@given(product_code_spelling())
def test_code_whose_case_matters_keeps_its_case(case):
    check_cases(PRODUCT_CODE, [case])


@COLUMN_SETTINGS
@given(columns(store_code_spelling()), columns(product_code_spelling()))
def test_code_columns(store_cases, product_cases):
    check_cases(STORE_CODE, store_cases)
    check_cases(PRODUCT_CODE, product_cases)


@COLUMN_SETTINGS
@given(st.lists(STORE_CODES, min_size=1, max_size=50), st.lists(PRODUCT_CODES, min_size=1, max_size=50))
def test_canonical_codes_are_unchanged_and_not_repairs(store_codes, product_codes):
    check_canonical(STORE_CODE, store_codes, store_codes)
    check_canonical(PRODUCT_CODE, product_codes, product_codes)


@SETTINGS
@given(st.one_of(
    st.from_regex(r"[A-Z]{2}[0-9A-F]{8}", fullmatch=True),  # no hyphen
    st.from_regex(r"[A-Z]{2}--[0-9A-F]{8}", fullmatch=True),
    st.from_regex(r"[0-9]{2}-[0-9A-F]{8}", fullmatch=True),  # the first part must be letters
))
def test_code_of_another_shape_is_rejected(bad):
    check_rejected(STORE_CODE, [bad], "GB-1A2B3C4D")


# --------------------------------------------------------------------------------------------------
# Digits (card numbers, EANs)


@st.composite
def grouped(draw, digits: str) -> str:
    """`digits` in groups of two or more, split by one kind of separator."""
    separator = draw(st.sampled_from([" ", "-", "."]))
    groups, rest = [], digits
    while len(rest) > 3:
        size = draw(st.integers(2, min(6, len(rest) - 2)))
        groups.append(rest[:size])
        rest = rest[size:]
    groups.append(rest)
    return separator.join(groups)


@st.composite
def digits_spelling(draw, kind: Digits) -> tuple[str, str]:
    clean = draw(st.text(alphabet="0123456789", min_size=kind.min_digits, max_size=kind.max_digits))
    how = draw(st.sampled_from(["plain", "grouped", "spreadsheet"]))
    written = {"plain": clean, "grouped": draw(grouped(clean)), "spreadsheet": clean + ".0"}[how]
    # Two groups split by a dot, the last all zeros, read as a spreadsheet's decimals too (rejected below).
    assume(not re.fullmatch(r"[0-9]+\.00+", written))
    return draw(around(written)), clean


@SETTINGS
@given(digits_spelling(CARD_NUMBER))
def test_card_number_read_from_any_spelling(case):
    check_cases(CARD_NUMBER, [case])


@SETTINGS
@given(digits_spelling(EAN))
def test_ean_read_from_any_spelling(case):
    check_cases(EAN, [case])


@COLUMN_SETTINGS
@given(columns(digits_spelling(CARD_NUMBER)))
def test_card_number_columns(cases):
    check_cases(CARD_NUMBER, cases)


@COLUMN_SETTINGS
@given(st.lists(st.text(alphabet="0123456789", min_size=8, max_size=19), min_size=1, max_size=50))
def test_canonical_digits_are_unchanged_and_not_repairs(clean):
    check_canonical(CARD_NUMBER, clean, clean)


@SETTINGS
@given(st.text(alphabet="0123456789", min_size=8, max_size=19), st.data())
def test_card_number_with_letters_is_rejected_never_stripped(clean, data):
    at = data.draw(st.integers(0, len(clean)))
    letters = data.draw(st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll")), min_size=1, max_size=3))
    check_rejected(CARD_NUMBER, [clean[:at] + letters + clean[at:]], "letters")


@SETTINGS
@given(st.one_of(
    st.text(alphabet="0123456789", min_size=1, max_size=7),
    st.text(alphabet="0123456789", min_size=20, max_size=30),
))
def test_card_number_of_the_wrong_length_is_rejected(digits):
    check_rejected(CARD_NUMBER, [digits], "8 to 19 digits")


def test_digit_examples():
    parsed = read(
        CARD_NUMBER, ["??4111111111111111", "4111 1111 1111 1111", "4111-1111-1111-1111", "'5012345678", "4111111111111111.0"]
    )
    assert parsed.values.to_pylist() == [
        "4111111111111111",
        "4111111111111111",
        "4111111111111111",
        "5012345678",
        "4111111111111111",
    ]
    # Dotted groups of zeros are part of the number (only a trailing `.0` comes from a spreadsheet).
    assert read(CARD_NUMBER, ["4111.1111.0000", "0000.0000.0000"]).values.to_pylist() == ["411111110000", "000000000000"]


@SETTINGS
@given(st.text(alphabet="0123456789", min_size=6, max_size=17), st.integers(2, 4))
def test_one_dot_and_only_zeros_is_ambiguous(digits, zeros):
    # `12345678.00`: a spreadsheet's decimal places, or a last group of zeros? Not guessed.
    check_rejected(CARD_NUMBER, [f"{digits}.{'0' * zeros}"], "ambiguous")
    check_rejected(EAN, [f"{digits}.{'0' * zeros}"], "ambiguous")


# --------------------------------------------------------------------------------------------------
# E-mail addresses

LOCAL = st.from_regex(r"[a-z0-9][a-z0-9._%+\-]{0,15}", fullmatch=True)
DOMAIN = st.from_regex(r"[a-z0-9][a-z0-9\-]{0,10}(?:\.[a-z0-9][a-z0-9\-]{0,10}){0,2}\.[a-z]{2,6}", fullmatch=True)
EMAILS = st.tuples(LOCAL, DOMAIN).map("@".join)


@st.composite
def email_spelling(draw) -> tuple[str, str]:
    clean = draw(EMAILS)
    local, domain = clean.split("@")
    at = draw(OPTIONAL_SPACE) + "@" * draw(st.integers(1, 3)) + draw(OPTIONAL_SPACE)
    written = local + at + domain
    if draw(st.booleans()):
        written = draw(any_case("mailto:")) + written
    return draw(OPTIONAL_SPACE) + written + draw(OPTIONAL_SPACE), clean


@SETTINGS
@given(email_spelling())
def test_email_read_from_any_spelling(case):
    check_cases(Email(), [case])


@COLUMN_SETTINGS
@given(columns(email_spelling()))
def test_email_columns(cases):
    check_cases(Email(), cases)


@COLUMN_SETTINGS
@given(st.lists(EMAILS, min_size=1, max_size=50))
def test_canonical_emails_are_unchanged_and_not_repairs(clean):
    check_canonical(Email(), clean, clean)


@SETTINGS
@given(
    st.one_of(
        LOCAL.map(lambda local: local + ".example.com"),  # no @
        st.tuples(LOCAL, st.from_regex(r"[a-z]{1,10}", fullmatch=True)).map("@".join),  # no dot in the domain
        st.tuples(LOCAL, LOCAL, DOMAIN).map(lambda p: f"{p[0]} {p[1]}@{p[2]}"),  # a space inside
        st.tuples(LOCAL, LOCAL, DOMAIN).map(lambda p: f"{p[0]}@{p[1]}@{p[2]}"),  # two @
    )
)
def test_not_an_email_is_rejected(bad):
    check_rejected(Email(), [bad], "e-mail")


def test_a_fullmatch_check_passes_with_one_answer_and_names_the_values_that_fail():
    import pandera.pandas as pa_schema
    from pandera.errors import SchemaErrors

    from multinational_assets.parsing.kinds import fullmatch_check

    check = fullmatch_check("[0-9]{3}", "three_digits")
    schema = pa_schema.DataFrameSchema({"code": pa_schema.Column(pd.StringDtype("pyarrow"), [check], nullable=True)})
    good = pd.DataFrame({"code": pd.array(["123", None, "456"], dtype="string[pyarrow]")})
    assert check._check_fn(good["code"]) is True
    schema.validate(good, lazy=True)
    bad = pd.DataFrame({"code": pd.array(["123", "12x", None], dtype="string[pyarrow]")})
    with pytest.raises(SchemaErrors) as raised:
        schema.validate(bad, lazy=True)
    assert raised.value.failure_cases["failure_case"].tolist() == ["12x"]


def test_whole_numbers_and_yes_no_become_pandas_masked_columns_with_their_missing_values():
    import pandas as pd
    import pyarrow as pa

    from multinational_assets.parsing.kinds import pandas_frame

    frame = pandas_frame({"n": pa.array([3, None, -1, 2**40], pa.int64()), "b": pa.array([True, None, False, True], pa.bool_())})
    counts, flags_ = frame["n"], frame["b"]
    assert counts.dtype == pd.Int64Dtype() and counts.tolist() == [3, pd.NA, -1, 2**40]
    assert flags_.dtype == pd.BooleanDtype() and flags_.tolist() == [True, pd.NA, False, True]
    counts.iloc[1] = 5  # a column of its own, not a read-only view of Arrow's buffer
    assert counts.tolist() == [3, 5, -1, 2**40]


def test_a_clean_frame_holds_every_kinds_values_in_its_declared_pandas_dtype():
    """`pandas_frame` converts every Arrow type a kind reads into the kind's `pandas_dtype` (which the
    pandera schema declares), missing values included, and keeps only the rows asked for."""
    import datetime

    import numpy as np
    import pandas as pd
    import pyarrow as pa

    from multinational_assets.parsing import Boolean, Coordinate, Count, Date, Text
    from multinational_assets.parsing.kinds import pandas_frame

    kinds = {"t": Text(), "n": Count(), "x": Coordinate("latitude"), "d": Date(), "b": Boolean()}
    values = {
        "t": pa.array(["a", None, "c"], pa.string()), "n": pa.array([1, None, 3], pa.int64()),
        "x": pa.array([1.5, None, -2.0], pa.float64()),
        "d": pa.array([datetime.date(2020, 1, 2), None, datetime.date(1999, 12, 31)], pa.date32()),
        "b": pa.array([True, None, False], pa.bool_()),
    }
    assert {name: kind.arrow_type for name, kind in kinds.items()} == {name: v.type for name, v in values.items()}
    frame = pandas_frame(values, keep=np.array([True, True, False]))
    assert {name: frame[name].dtype for name in kinds} == {name: kind.pandas_dtype for name, kind in kinds.items()}
    assert frame.index.equals(pd.RangeIndex(2))
    assert frame.iloc[0].tolist() == ["a", 1, 1.5, pd.Timestamp("2020-01-02"), True]
    assert frame.iloc[1].isna().all()
