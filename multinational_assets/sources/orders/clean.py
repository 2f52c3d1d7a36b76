"""Clean the legacy `orders_table` into the `orders_table` fact table: pure pandas, no Dagster."""

from __future__ import annotations

import pandas as pd

from multinational_assets.cleaning import CleanResult, TableCleaning
from multinational_assets.sources.orders.schemas import CLEAN_COLUMNS, KEY, ORDERS_TABLE_SCHEMA

RAW_COLUMNS = [
    "level_0", "index", "date_uuid", "first_name", "last_name", "user_uuid", "card_number",
    "store_code", "product_code", "1", "product_quantity",
]
# Row labels of the old exports, and columns that are not part of the fact table.
LABEL_COLUMNS = ["level_0", "index"]


def clean_orders(raw: pd.DataFrame) -> CleanResult:
    """Clean the raw order rows into the `orders_table` fact table.

    Drops `level_0`, `index`, `first_name`, `last_name` and `1`; reads `product_quantity` as an
    integer; keeps `card_number` as the digits of the source's BIGINT. Rows that fail
    `ORDERS_TABLE_SCHEMA` (and NULL or garbage rows, should they ever appear) are quarantined with
    every reason; of rows sharing a `date_uuid` the first is kept.
    """
    run = TableCleaning(
        raw, table="orders_table", raw_columns=RAW_COLUMNS, label_columns=LABEL_COLUMNS,
        reads=["date_uuid", "user_uuid", "card_number", "store_code", "product_code", "product_quantity"],
    )
    src = run.candidate
    out = src[["date_uuid", "user_uuid", "card_number", "store_code", "product_code"]].copy()
    out["product_quantity"] = run.integers(src["product_quantity"], "product_quantity")
    return run.finish(out[CLEAN_COLUMNS], ORDERS_TABLE_SCHEMA, key=KEY)
