"""`dim_date_times`, declared once: the moment of every sale, cleaned from `date_details.json`."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from multinational_assets.cleaning import CleanResult, Column, Plausibility, TableContract, clean_table
from multinational_assets.cleaning.domain import flagged, numbers
from multinational_assets.parsing import DayOfMonth, Month, Time, Uuid, Vocabulary, Year
from multinational_assets.parsing.text import arrow_text, flags, matches, where
from multinational_assets.sources.date_times.source import SOURCE

DATE_UUID = Uuid()
TIME_PERIOD = Vocabulary(values=("Morning", "Midday", "Evening", "Late_Hours"), name="time period")
# The part of the day each hour belongs to.
PERIOD_OF_HOUR = ["Late_Hours"] * 5 + ["Morning"] * 6 + ["Midday"] * 6 + ["Evening"] * 5 + ["Late_Hours"] * 2
PERIOD_OF_HOUR_ARROW = pa.array(PERIOD_OF_HOUR, pa.string())
_DAYS_IN_MONTH = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def _not_a_calendar_date(frame: pd.DataFrame) -> pd.Series:
    year = frame["year"].to_numpy(dtype="float64", na_value=np.nan)
    month = frame["month"].to_numpy(dtype="float64", na_value=np.nan)
    day = frame["day"].to_numpy(dtype="float64", na_value=np.nan)
    judged = ~(np.isnan(year) | np.isnan(month) | np.isnan(day))
    y = np.where(judged, year, 2000).astype(np.int64)
    m = np.where(judged, month, 1).astype(np.int64)
    leap = (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))
    last_day = _DAYS_IN_MONTH[m - 1] + (leap & (m == 2))
    return pd.Series(judged & (day > last_day), index=frame.index)


def _period_disagrees_with_hour(frame: pd.DataFrame) -> pd.Series:
    # In Arrow: the clean times are `HH:MM:SS`, so the hour is the first two characters.
    hours = pc.utf8_slice_codeunits(arrow_text(frame["timestamp"]), 0, 2)
    readable = matches(hours, r"[01][0-9]|2[0-3]")
    hour = pc.cast(where(readable, hours, pa.scalar("0")), pa.int64())
    expected = pc.take(PERIOD_OF_HOUR_ARROW, hour)  # not Python strings made into Arrow: a third of the time
    period = arrow_text(frame["time_period"])
    known = flags(pc.is_in(period, value_set=pa.array(TIME_PERIOD.values)))
    return pd.Series(readable & known & flags(pc.not_equal(period, expected)), index=frame.index)


DIM_DATE_TIMES = TableContract(
    table="dim_date_times",
    raw_table=SOURCE.raw_table,
    raw_columns=SOURCE.raw_columns,
    labels=("row_label",),
    key="date_uuid",
    description="The date and time of every sale, one row per sale.",
    quarantine_description="Date rows that cannot be a row (no usable id, or nothing readable), with why.",
    columns=(
        Column("date_uuid", DATE_UUID, "The id of the sale's moment, which its order names."),
        Column("timestamp", Time(), "The time of day of the sale (HH:MM:SS)."),
        Column("month", Month(), "The month of the sale (1 to 12)."),
        Column("year", Year(), "The year of the sale."),
        Column("day", DayOfMonth(), "The day of the month of the sale."),
        Column("time_period", TIME_PERIOD, "The part of the day of the sale."),
    ),
    plausibility=(
        Plausibility(
            "is_calendar_date",
            "Sales whose year, month and day do not make a calendar date (31 April).",
            _not_a_calendar_date,
            ("year", "month", "day"),
        ),
        Plausibility(
            "time_period_matches_hour",
            "Sales whose part of the day does not fit their hour (Morning 05-10, Midday 11-16, Evening 17-21, "
            "Late_Hours 22-04).",
            _period_disagrees_with_hour,
            ("timestamp", "time_period"),
        ),
        Plausibility(
            "year_plausible",
            "Sales dated before 1900 or after this year.",
            lambda f: flagged((numbers(f["year"]) < 1900) | (numbers(f["year"]) > pd.Timestamp.today().year), f["year"]),
            ("year",),
        ),
    ),
)


def clean_date_times(raw) -> CleanResult:
    """Clean the raw date-detail rows into `dim_date_times`."""
    return clean_table(raw, DIM_DATE_TIMES)
