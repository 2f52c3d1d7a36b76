"""Clean `date_details.json` into `dim_date_times`: pure pandas, no Dagster."""

from __future__ import annotations

import pandas as pd

from multinational_assets.cleaning import CleanResult, TableCleaning
from multinational_assets.sources.date_times.schemas import (
    CLEAN_COLUMNS,
    DIM_DATE_TIMES_SCHEMA,
    KEY,
)

RAW_COLUMNS = ["row_label", "timestamp", "month", "year", "day", "time_period", "date_uuid"]


def clean_date_times(raw: pd.DataFrame) -> CleanResult:
    """Clean the raw date-detail rows into `dim_date_times`.

    The source's only dirt is whole NULL and garbage rows; month, year and day are read as
    integers, the JSON's row label is dropped. Rows that fail `DIM_DATE_TIMES_SCHEMA` are
    quarantined with every reason; of rows sharing a `date_uuid` the first is kept.
    """
    run = TableCleaning(raw, table="dim_date_times", raw_columns=RAW_COLUMNS, label_columns=["row_label"])
    src = run.candidate
    out = src[["date_uuid", "timestamp", "time_period"]].copy()
    for column in ("month", "year", "day"):
        out[column] = run.integers(src[column], column)
    return run.finish(out[CLEAN_COLUMNS], DIM_DATE_TIMES_SCHEMA, key=KEY)
