"""clean_date_times: date_details.json -> dim_date_times.

One hand-written raw frame, cleaned once per module, holds valid rows and every kind of
unrecoverable row.
"""

from __future__ import annotations

import uuid

import pandas as pd
import pytest

from multinational_assets.cleaning import GARBAGE_ROW_REASON, NULL_ROW_REASON
from multinational_assets.sources.date_times.clean import RAW_COLUMNS, clean_date_times
from multinational_assets.sources.date_times.schemas import CLEAN_COLUMNS, DIM_DATE_TIMES_SCHEMA

pytestmark = pytest.mark.filterwarnings("error::FutureWarning:multinational_assets")


def uid(n: int) -> str:
    return str(uuid.UUID(int=n + 1))


def date_row(n: int, **fields) -> dict:
    row = {"row_label": str(n), "timestamp": "22:00:06", "month": "9", "year": "2012", "day": "19",
           "time_period": "Evening", "date_uuid": uid(n)}
    row.update(fields)
    return row


VALID = [
    date_row(0),
    date_row(1, timestamp="00:00:00", month="1", year="1992", day="1", time_period="Late_Hours"),
    date_row(2, timestamp="23:59:59", month="12", year="2022", day="31", time_period="Late_Hours"),
    date_row(3, timestamp="09:15:00", month="02", year="2020", day="29", time_period="Morning"),
]
NULL_ROW = {c: "NULL" for c in RAW_COLUMNS} | {"row_label": "10"}
GARBAGE_ROW = dict(zip(RAW_COLUMNS, ["11", *(f"Q1W2E3R4{i:02d}" for i in range(6))]))
UNRECOVERABLE = [
    NULL_ROW,
    GARBAGE_ROW,
    date_row(12, timestamp="24:00:00"),
    date_row(13, month="13"),
    date_row(14, month="4", day="31"),
    date_row(15, year="2019", month="2", day="29"),
    date_row(16, day="x"),
    date_row(17, time_period="Night"),
    date_row(18, year="1991"),
    date_row(19, date_uuid=uid(0)),
    date_row(20, timestamp="22:00", month=None),
]
ROWS = [*VALID, *UNRECOVERABLE]


@pytest.fixture(scope="module")
def result():
    return clean_date_times(pd.DataFrame(ROWS, columns=RAW_COLUMNS, dtype=object))


def reasons(result) -> dict[str, str]:
    return dict(zip(result.quarantine["row_label"], result.quarantine["reasons"]))


def test_contract_columns_and_dtypes(result):
    assert list(result.clean.columns) == CLEAN_COLUMNS
    assert result.clean.dtypes.astype(str).to_dict() == {
        "date_uuid": "object", "timestamp": "object", "month": "Int64", "year": "Int64",
        "day": "Int64", "time_period": "object",
    }
    DIM_DATE_TIMES_SCHEMA.validate(result.clean)
    assert list(result.quarantine.columns) == RAW_COLUMNS + ["reasons"]


def test_rows_in_equals_clean_plus_quarantine(result):
    assert result.rows_in == len(ROWS) == len(result.clean) + len(result.quarantine)
    assert set(result.quarantine["row_label"]) == {row["row_label"] for row in UNRECOVERABLE}


def test_valid_rows_are_read_as_they_are(result):
    clean = result.clean.set_index("date_uuid")
    assert clean.loc[uid(0)].tolist() == ["22:00:06", 9, 2012, 19, "Evening"]
    assert clean.loc[uid(3)].tolist() == ["09:15:00", 2, 2020, 29, "Morning"]
    assert result.repairs == {}


def test_null_and_garbage_rows_are_quarantined(result):
    assert reasons(result)["10"] == NULL_ROW_REASON
    assert reasons(result)["11"] == GARBAGE_ROW_REASON


def test_unrecoverable_rows_are_quarantined_with_clear_reasons(result):
    got = reasons(result)
    assert got["12"].startswith("timestamp: fails str_fullmatch") and "'24:00:00'" in got["12"]
    assert got["13"] == "month: fails in_range(1, 12) (13)"
    assert got["14"] == "year, month and day do not make a calendar date (e.g. 31 April)"
    assert got["15"] == "year, month and day do not make a calendar date (e.g. 31 April)"
    assert got["16"] == "day: not a whole number ('x')"
    assert got["17"].startswith("time_period: fails isin") and "'Night'" in got["17"]
    assert got["18"] == "year: fails in_range(1992, 2022) (1991)"
    assert got["19"] == f"duplicate date_uuid '{uid(0)}': its first row is kept"
    assert got["20"].split("; ") == [
        "timestamp: fails str_fullmatch('(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]') ('22:00')",
        "month: missing",
    ]
