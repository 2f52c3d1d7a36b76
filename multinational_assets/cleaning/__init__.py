"""Cleaning a raw table by its declared contract (Dagster-free): see `contract` and `engine`."""

from multinational_assets.cleaning.contract import Column, Doubt, Plausibility, TableContract
from multinational_assets.cleaning.engine import (
    NULL_ROW,
    REASON_SEPARATOR,
    REJECTED_VALUE_COLUMNS,
    CleanResult,
    CleanSchemaError,
    DoubtReport,
    clean_table,
    show_value,
)

__all__ = [
    "NULL_ROW", "REASON_SEPARATOR", "REJECTED_VALUE_COLUMNS", "CleanResult", "CleanSchemaError", "Column",
    "Doubt", "DoubtReport", "Plausibility", "TableContract", "clean_table", "show_value",
]
