"""clean_date_times: date_details.json -> dim_date_times, on hand-written rows."""

from __future__ import annotations

import pandas as pd
import pytest

from multinational_assets.cleaning import NULL_ROW
from multinational_assets.sources.date_times.clean import DIM_DATE_TIMES, clean_date_times
from multinational_assets.sources.date_times.source import RAW_COLUMNS


def uid(n: int) -> str:
    return f"{n:08x}-aaaa-4bbb-8ccc-{n:012x}"


def moment(n: int, **fields) -> dict:
    row = {"row_label": str(n), "timestamp": "22:00:06", "month": "9", "year": "2012", "day": "19",
           "time_period": "Late_Hours", "date_uuid": uid(n)}
    return row | fields


ROWS = [
    moment(1),
    moment(2, timestamp="9:05:06", time_period="morning", month="09", day="07"),  # hours without a zero
    moment(3, timestamp="10:05:06 PM", month="September", year="2012.0", time_period="LATE HOURS"),
    moment(4, month="Sep", day="7th", date_uuid=uid(4).upper(), time_period="late_hours"),
    moment(5, timestamp="25:61:00", month="13", time_period="Brunch"),  # unreadable or new
    moment(6, month="4", day="31"),  # 31 April: kept, reported
    moment(7, timestamp="09:00:00"),  # a morning sale said to be late: kept, reported
    {c: "NULL" for c in RAW_COLUMNS} | {"row_label": "8"},
    dict(zip(RAW_COLUMNS, ["9", *(f"Q1W2E3R4{i:02d}" for i in range(6))])),
]


@pytest.fixture(scope="module")
def result():
    return clean_date_times(pd.DataFrame(ROWS, columns=RAW_COLUMNS, dtype=object))


def kept(result, n: int) -> pd.Series:
    return result.clean.set_index("date_uuid").loc[uid(n)]


def test_contract_columns(result):
    assert list(result.clean.columns) == DIM_DATE_TIMES.names
    assert str(result.clean["month"].dtype) == "Int64"
    assert result.rows_in == len(result.clean) + len(result.quarantine) == len(ROWS)


def test_every_spelling_is_read(result):
    assert kept(result, 1)[["timestamp", "month", "year", "day", "time_period"]].tolist() == [
        "22:00:06",
        9,
        2012,
        19,
        "Late_Hours",
    ]
    assert kept(result, 2)[["timestamp", "month", "day", "time_period"]].tolist() == ["09:05:06", 9, 7, "Morning"]
    assert kept(result, 3)[["timestamp", "month", "year", "time_period"]].tolist() == ["22:05:06", 9, 2012, "Late_Hours"]
    assert kept(result, 4)[["month", "day", "time_period"]].tolist() == [9, 7, "Late_Hours"]


def test_unreadable_values_are_nulled_and_new_periods_kept(result):
    row = kept(result, 5)
    assert pd.isna(row["timestamp"]) and pd.isna(row["month"]) and row["time_period"] == "Brunch"
    assert set(result.rejected_values["column_name"]) == {"timestamp", "month"}


def test_doubts_are_reported(result):
    doubts = {d.name: d.rows for d in result.doubts}
    assert doubts["is_calendar_date"] == 1
    assert doubts["time_period_matches_hour"] == 1  # sale 7 (sale 5's period is unknown, reported apart)
    assert doubts["time_period_is_known"] == 1


def test_rows_that_cannot_be_rows_are_quarantined(result):
    reasons = result.quarantine.set_index("row_label")["reasons"]
    assert reasons["8"] == NULL_ROW
    assert reasons["9"].startswith("garbage row") or reasons["9"].startswith("no usable key")


def test_period_doubt_flags_exactly_the_hours_of_another_period():
    from multinational_assets.sources.date_times.clean import PERIOD_OF_HOUR, TIME_PERIOD, _period_disagrees_with_hour

    hours = [f"{h:02d}:30:00" for h in range(24) for _ in TIME_PERIOD.values]
    periods = [p for _ in range(24) for p in TIME_PERIOD.values]
    frame = pd.DataFrame({
        "timestamp": pd.array([*hours, None, "09:00:00", "09:00:00"], dtype="string"),
        "time_period": pd.array([*periods, "Morning", None, "Brunch"], dtype="string"),
    })
    flagged = _period_disagrees_with_hour(frame).tolist()
    expected = [PERIOD_OF_HOUR[int(t[:2])] != p for t, p in zip(hours, periods)]
    assert flagged == [*expected, False, False, False]  # unknown time or period: not this doubt
