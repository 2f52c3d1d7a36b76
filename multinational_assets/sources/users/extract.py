"""Raw users: the `legacy_users` table of the legacy database, as it is."""

import time

import pandas as pd
from dagster import AssetExecutionContext, Output, asset

from multinational_assets.raw import raw_dagster_type, raw_text_schema, source_metadata, validate_raw
from multinational_assets.resources import LegacyDatabaseResource

SOURCE_TABLE = "legacy_users"
RAW_COLUMNS = [
    "index", "first_name", "last_name", "date_of_birth", "company", "email_address", "address",
    "country", "country_code", "phone_number", "join_date", "user_uuid",
]
raw_schema = raw_text_schema("raw_legacy_users", RAW_COLUMNS)


@asset(key_prefix="raw", group_name="raw", kinds={"postgres", "pandas"}, dagster_type=raw_dagster_type(raw_schema))
def legacy_users(context: AssetExecutionContext, legacy_database: LegacyDatabaseResource) -> Output[pd.DataFrame]:
    """Every customer record exactly as the legacy database holds it, before any cleaning."""
    started = time.perf_counter()
    df = validate_raw(legacy_database.read_table(SOURCE_TABLE), raw_schema, f"legacy table {SOURCE_TABLE}")
    return Output(df, metadata=source_metadata(df, time.perf_counter() - started, source=f"legacy database table {SOURCE_TABLE}"))
