"""Raw orders: the `orders_table` of the legacy database, as it is."""

import time

import pandas as pd
from dagster import AssetExecutionContext, Output, asset

from multinational_assets.raw import raw_dagster_type, raw_text_schema, source_metadata, validate_raw
from multinational_assets.resources import LegacyDatabaseResource

SOURCE_TABLE = "orders_table"
RAW_COLUMNS = [
    "level_0", "index", "date_uuid", "first_name", "last_name", "user_uuid", "card_number",
    "store_code", "product_code", "1", "product_quantity",
]
raw_schema = raw_text_schema("raw_orders_table", RAW_COLUMNS)


@asset(key_prefix="raw", group_name="raw", kinds={"postgres", "pandas"}, dagster_type=raw_dagster_type(raw_schema))
def orders_table(context: AssetExecutionContext, legacy_database: LegacyDatabaseResource) -> Output[pd.DataFrame]:
    """Every sale exactly as the legacy orders table records it, before any cleaning."""
    started = time.perf_counter()
    df = validate_raw(legacy_database.read_table(SOURCE_TABLE), raw_schema, f"legacy table {SOURCE_TABLE}")
    return Output(df, metadata=source_metadata(df, time.perf_counter() - started, source=f"legacy database table {SOURCE_TABLE}"))
