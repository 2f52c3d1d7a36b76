"""Unit tests of the shared cleaning pieces (multinational_assets/cleaning.py)."""

from __future__ import annotations

import importlib
import re

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pytest

from multinational_assets.cleaning import (
    GARBAGE_ROW_REASON,
    NULL_ROW_REASON,
    CleanResult,
    CleanSchemaError,
    Reasons,
    TableCleaning,
    as_text,
    format_schema_failures,
    garbage_row_mask,
    null_row_mask,
    parse_dates,
    parse_decimals,
    parse_integers,
    row_failures,
    show_value,
    str_fullmatch,
    text_column,
    validate_clean,
)

# Our code must not lean on behaviour pandas has announced it will remove (pandera's own
# warnings are not ours to fix).
pytestmark = pytest.mark.filterwarnings("error::FutureWarning:multinational_assets")


def text(*values) -> pd.Series:
    return pd.Series(list(values), dtype=object)


# --- dates ---------------------------------------------------------------------------------------


def test_parse_dates_reads_iso_and_the_three_odd_formats():
    parsed = parse_dates(text("1971-10-23", "1971/10/23", "January 1951 27", "1968 October 16"))
    assert parsed.dates.tolist() == [
        pd.Timestamp("1971-10-23"),
        pd.Timestamp("1971-10-23"),
        pd.Timestamp("1951-01-27"),
        pd.Timestamp("1968-10-16"),
    ]
    assert parsed.odd_format.tolist() == [False, True, True, True]
    assert parsed.unparseable.tolist() == [False, False, False, False]
    assert parsed.dates.dtype == "datetime64[ns]"


def test_parse_dates_gives_nat_for_anything_else():
    values = text("23.10.1971", "2020-02-30", " 2020-01-01", "Jan 1951 27", "1971-10-23 10:00", "", None)
    parsed = parse_dates(values)
    assert parsed.dates.isna().all()
    # Missing is not "unparseable": it is left to the schema's nullable check.
    assert parsed.unparseable.tolist() == [True, True, True, True, True, True, False]
    assert not parsed.odd_format.any()


def test_parse_dates_keeps_the_index_and_handles_empty_input():
    parsed = parse_dates(pd.Series(["2001-02-03"], index=[7], dtype=object))
    assert parsed.dates.index.tolist() == [7]
    empty = parse_dates(pd.Series([], dtype=object))
    assert empty.dates.dtype == "datetime64[ns]" and len(empty.dates) == 0


# --- numbers -------------------------------------------------------------------------------------


def test_parse_integers_accepts_plain_digits_only():
    values = text("7", "09", "123456789", "1234567890", "-1", " 5", "1.0", "1_0", "٣", "", None, "0")
    parsed = parse_integers(values)
    assert parsed.dtype == "Int64"
    assert parsed.tolist() == [7, 9, 123456789, pd.NA, pd.NA, pd.NA, pd.NA, pd.NA, pd.NA, pd.NA, pd.NA, 0]


def test_parse_decimals_accepts_plain_decimals_only():
    parsed = parse_decimals(text("51.5", "-0.12", "39", "1e5", "inf", "N/A", " 1.0", None))
    assert parsed.dtype == "float64"
    assert parsed[:3].tolist() == [51.5, -0.12, 39.0]
    assert parsed[3:].isna().all()


# --- NULL and garbage rows -----------------------------------------------------------------------


def test_null_rows_are_rows_of_nothing_but_the_literal_null():
    frame = pd.DataFrame(
        {
            "a": ["NULL", "NULL", "x", "NULL", None],
            "b": ["NULL", "NULL", "NULL", None, None],
            "c": ["NULL", "x", "NULL", "NULL", None],
        },
        dtype=object,
    )
    # Row 3 has one missing field (a column the source leaves null): still a NULL row.
    assert null_row_mask(frame, ["a", "b", "c"]).tolist() == [True, False, False, True, False]


def test_garbage_rows_are_rows_of_nothing_but_ten_character_codes():
    frame = pd.DataFrame(
        {
            "a": ["Q1W2E3R4T5", "Q1W2E3R4T5", "q1w2e3r4t5", "HA-0A1B2C3", "NULL"],
            "b": ["ZZZZZZZZZ9", "2001-02-03", "ZZZZZZZZZ9", "ZZZZZZZZZ9", "ZZZZZZZZZ9"],
        },
        dtype=object,
    )
    assert garbage_row_mask(frame, ["a", "b"]).tolist() == [True, False, False, False, False]


# --- reasons -------------------------------------------------------------------------------------


def test_reasons_keep_every_reason_in_order():
    index = pd.RangeIndex(4)
    reasons = Reasons(index)
    reasons.add(pd.Series([True, False, True, False]), "first")
    reasons.add(pd.Series([True, False, False, False]), pd.Series(["a", "b", "c", "d"]), column="x")
    reasons.add_messages(pd.Series(["third", "again"], index=[0, 2]))
    assert reasons.failed.tolist() == [True, False, True, False]
    assert reasons.flagged("x").tolist() == [True, False, False, False]
    joined = reasons.joined()
    assert joined[0] == "first; a; third"
    assert joined[2] == "first; again"
    assert list(joined.index) == [0, 2]


def test_a_reason_repeated_for_one_row_is_given_once():
    reasons = Reasons(pd.RangeIndex(1))
    reasons.add(pd.Series([True]), "same")
    reasons.add(pd.Series([True]), "same")
    assert reasons.joined()[0] == "same"


# --- pandera helpers -----------------------------------------------------------------------------

SCHEMA = pa.DataFrameSchema(
    {
        "email_address": text_column(str_fullmatch(r"[^@]+@[^@]+")),
        "n": pa.Column("Int64", pa.Check.in_range(1, 15)),
    },
    checks=[pa.Check(lambda df: df["n"].ne(3), name="not_three", error="n may not be 3")],
    strict=True,
    ordered=True,
)


def test_row_failures_become_readable_reasons():
    frame = pd.DataFrame(
        {
            "email_address": pd.Series(["a@b", "foo@", None, "c@d"], dtype=object),
            "n": pd.array([1, 20, 2, 3], dtype="Int64"),
        }
    )
    failures = row_failures(frame, SCHEMA)
    by_row = failures.reasons.groupby(level=0).agg(sorted)
    assert by_row[1] == [
        "email_address: fails str_fullmatch('[^@]+@[^@]+') ('foo@')",
        "n: fails in_range(1, 15) (20)",
    ]
    assert by_row[2] == ["email_address: missing"]
    assert by_row[3] == ["n may not be 3"]
    assert 0 not in by_row.index
    assert failures.other.empty


def test_failures_that_are_not_about_rows_are_kept_apart_and_reported_readably():
    frame = pd.DataFrame({"n": [1.0], "email_address": ["a@b"]})  # wrong order, wrong dtype
    failures = row_failures(frame, SCHEMA)
    assert len(failures.reasons) == 0
    report = format_schema_failures(failures.other)
    assert "column n: check dtype('Int64')" in report
    assert "float64" in report
    assert "column_ordered" in report


def test_validate_clean_raises_a_readable_error():
    frame = pd.DataFrame(
        {"email_address": pd.Series(["nope", "a@b"], dtype=object), "n": pd.array([1, 2], dtype="Int64")}
    )
    with pytest.raises(CleanSchemaError) as error:
        validate_clean(frame, SCHEMA, "dim_test")
    message = str(error.value)
    assert "dim_test" in message
    assert "column email_address" in message
    assert "str_fullmatch" in message
    assert "'nope'" in message


def test_text_columns_hold_only_str():
    schema = pa.DataFrameSchema({"t": text_column()})
    schema.validate(pd.DataFrame({"t": pd.Series(["a", None], dtype=object)}).iloc[:1])
    with pytest.raises(pa.errors.SchemaError):
        schema.validate(pd.DataFrame({"t": pd.Series(["a", 5], dtype=object)}))
    with pytest.raises(pa.errors.SchemaError):
        schema.validate(pd.DataFrame({"t": pd.Series([""], dtype=object)}))


def test_str_fullmatch_does_not_let_a_trailing_newline_through():
    schema = pa.DataFrameSchema({"t": text_column(str_fullmatch("GB"))})
    with pytest.raises(pa.errors.SchemaError):
        schema.validate(pd.DataFrame({"t": pd.Series(["GB\n"], dtype=object)}))


# --- small helpers -------------------------------------------------------------------------------


def test_as_text_gives_str_or_none():
    frame = pd.DataFrame({"a": ["x", np.nan, None], "b": [1, 2, None]}, index=[5, 6, 7])
    out = as_text(frame)
    assert out["a"].tolist() == ["x", None, None]
    assert out["b"].tolist() == ["1.0", "2.0", None]
    assert list(out.index) == [0, 1, 2]
    assert (out.dtypes == object).all()


def test_show_value():
    assert show_value("a\nb") == "'a\\nb'"
    assert show_value(None) == "missing"
    assert show_value(np.nan) == "missing"
    assert show_value(pd.Timestamp("2001-02-03")) == "2001-02-03"
    assert show_value(12) == "12"
    assert len(show_value("x" * 500)) == 60


def test_clean_result_checks_its_row_accounting():
    with pytest.raises(AssertionError):
        CleanResult(clean=pd.DataFrame({"a": [1]}), quarantine=pd.DataFrame(), repairs={}, rows_in=2)
    ok = CleanResult(
        clean=pd.DataFrame({"a": [1]}), quarantine=pd.DataFrame({"a": [2]}), repairs={}, rows_in=2
    )
    assert (ok.rows_clean, ok.rows_quarantined) == (1, 1)


# --- the skeleton --------------------------------------------------------------------------------

TINY_SCHEMA = pa.DataFrameSchema(
    {"key": text_column(str_fullmatch("[a-z]"), unique=True), "n": pa.Column("Int64", pa.Check.ge(0))},
    strict=True,
    ordered=True,
)


def tiny_clean(raw: pd.DataFrame) -> CleanResult:
    run = TableCleaning(raw, table="tiny", raw_columns=["label", "key", "n"], label_columns=["label"])
    src = run.candidate
    out = src[["key"]].copy()
    out["n"] = run.integers(src["n"], "n")
    return run.finish(out, TINY_SCHEMA, key="key")


def tiny_raw(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=["label", "key", "n"], dtype=object)


def test_skeleton_sorts_every_row_into_clean_or_quarantine():
    raw = tiny_raw(
        ["0", "a", "1"],
        ["1", "NULL", "NULL"],
        ["2", "ABCDEFGHIJ", "Q1W2E3R4T5"],
        ["3", "b", "x"],
        ["4", "a", "2"],
        ["5", "B", "-"],
        ["6", "c", "3"],
    )
    result = tiny_clean(raw)
    assert result.rows_in == 7 == len(result.clean) + len(result.quarantine)
    assert result.clean["key"].tolist() == ["a", "c"]
    assert result.clean["n"].tolist() == [1, 3]
    assert list(result.quarantine.columns) == ["label", "key", "n", "reasons"]
    reasons = dict(zip(result.quarantine["label"], result.quarantine["reasons"]))
    assert reasons["1"] == NULL_ROW_REASON
    assert reasons["2"] == GARBAGE_ROW_REASON
    # The repair-stage reason names the raw value; the schema's "missing" is not repeated.
    assert reasons["3"] == "n: not a whole number ('x')"
    assert reasons["4"] == "duplicate key 'a': its first row is kept"
    assert reasons["5"] == "n: not a whole number ('-'); key: fails str_fullmatch('[a-z]') ('B')"


def test_a_rejected_row_does_not_cost_a_valid_row_its_key():
    result = tiny_clean(tiny_raw(["0", "a", "x"], ["1", "a", "5"]))
    assert result.clean["n"].tolist() == [5]
    assert result.quarantine["label"].tolist() == ["0"]


def test_skeleton_handles_empty_and_all_dirty_input():
    empty = tiny_clean(tiny_raw())
    assert len(empty.clean) == 0 and len(empty.quarantine) == 0
    assert empty.clean["n"].dtype == "Int64"
    dirty = tiny_clean(tiny_raw(["0", "NULL", "NULL"]))
    assert len(dirty.clean) == 0 and dirty.quarantine["reasons"].tolist() == [NULL_ROW_REASON]


def test_skeleton_rejects_a_raw_frame_without_the_contract_columns():
    with pytest.raises(ValueError, match="missing \\['n'\\]"):
        tiny_clean(pd.DataFrame({"label": ["0"], "key": ["a"]}))


def test_skeleton_raises_readably_when_the_cleaning_code_breaks_the_schema():
    raw = tiny_raw(["0", "a", "1"])
    run = TableCleaning(raw, table="tiny", raw_columns=["label", "key", "n"], label_columns=["label"])
    broken = run.candidate[["key", "n"]]  # n left as text: a bug, not dirt
    with pytest.raises(CleanSchemaError, match="column n: check dtype\\('Int64'\\)"):
        run.finish(broken, TINY_SCHEMA, key="key")


# --- every source's cleaner, at the edges --------------------------------------------------------


# source -> (its clean function, its clean schema)
SOURCES = {
    "users": ("clean_users", "DIM_USERS_SCHEMA"),
    "card_details": ("clean_card_details", "DIM_CARD_DETAILS_SCHEMA"),
    "store_details": ("clean_store_details", "DIM_STORE_DETAILS_SCHEMA"),
    "products": ("clean_products", "DIM_PRODUCTS_SCHEMA"),
    "date_times": ("clean_date_times", "DIM_DATE_TIMES_SCHEMA"),
    "orders": ("clean_orders", "ORDERS_TABLE_SCHEMA"),
}


def _cleaner(source: str):
    """(clean function, raw columns, clean schema) of one source."""
    function, schema = SOURCES[source]
    clean = importlib.import_module(f"multinational_assets.sources.{source}.clean")
    schemas = importlib.import_module(f"multinational_assets.sources.{source}.schemas")
    return getattr(clean, function), clean.RAW_COLUMNS, getattr(schemas, schema)


@pytest.mark.parametrize("source", list(SOURCES))
def test_every_cleaner_handles_empty_and_all_null_input(source):
    clean, raw_columns, schema = _cleaner(source)
    empty = clean(pd.DataFrame({c: pd.Series([], dtype=object) for c in raw_columns}))
    assert (len(empty.clean), len(empty.quarantine), empty.rows_in) == (0, 0, 0)
    assert list(empty.clean.columns) == list(schema.columns)
    schema.validate(empty.clean)  # right dtypes even with no rows

    nulls = clean(pd.DataFrame([["NULL"] * len(raw_columns)] * 2, columns=raw_columns, dtype=object))
    assert len(nulls.clean) == 0
    assert nulls.quarantine["reasons"].tolist() == [NULL_ROW_REASON] * 2
    assert list(nulls.quarantine.columns) == [*raw_columns, "reasons"]


def test_fullmatch_checks_agree_with_python_re_on_whole_values():
    from multinational_assets.cleaning import _fullmatch
    from multinational_assets.sources.store_details.schemas import STORE_CODE_PATTERN

    values = pd.Series(["AB-1234ABCD", "AB-1234ABCDjunk", "junkWEB-1234ABCD", "WEB-1234ABCD", None, "ab-1234abcd\n"])
    expected = values.map(lambda v: v is not None and re.fullmatch(STORE_CODE_PATTERN, v) is not None)
    assert _fullmatch(values, STORE_CODE_PATTERN).tolist() == expected.tolist() == [True, False, False, True, False, False]
    # A pattern with an escape keeps Python's Unicode meaning (Arabic-Indic digits are \d to `re`).
    assert _fullmatch(pd.Series(["١٢٣"]), r"\d{3}").tolist() == [True]


def test_arrow_backed_raw_text_becomes_shared_python_strings_with_none_for_missing():
    from multinational_assets.cleaning import _python_text

    values = ["GB", "DE", None, "GB", "", "GB"] * 1000
    raw = pd.DataFrame({"country": pd.array(values, dtype="string[pyarrow]")}, index=range(10, 6010))
    out = _python_text(raw, ["country"])
    assert out["country"].tolist() == values and out.index.equals(raw.index) and out["country"].dtype == object
    # one str object per distinct value, shared by the rows that repeat it
    assert len({id(v) for v in out["country"] if v is not None}) == 3


def test_cleaning_gives_the_same_result_from_arrow_backed_and_python_raw_text():
    from multinational_assets.sources.store_details.clean import clean_store_details

    python_raw = pd.DataFrame({
        "index": ["0", "1", "2"], "address": ["N/A", "1 High St\nLeeds", "NULL"], "longitude": ["N/A", "53.8", "NULL"],
        "lat": ["N/A", None, "NULL"], "locality": ["N/A", "Leeds", "NULL"], "store_code": ["WEB-1388012W", "LE-1A2B3C4D", "NULL"],
        "staff_numbers": ["325", "3n9", "NULL"], "opening_date": ["2010-06-12", "1994 October 16", "NULL"],
        "store_type": ["Web Portal", "Local", "NULL"], "latitude": [None, "-1.55", "NULL"],
        "country_code": ["GB", "GB", "NULL"], "continent": ["Europe", "eeEurope", "NULL"],
    })
    arrow_raw = python_raw.astype("string[pyarrow]")
    from_python, from_arrow = clean_store_details(python_raw), clean_store_details(arrow_raw)
    pd.testing.assert_frame_equal(from_arrow.clean, from_python.clean)
    pd.testing.assert_frame_equal(from_arrow.quarantine, from_python.quarantine)
    assert len(from_arrow.clean) == 2 and len(from_arrow.quarantine) == 1
