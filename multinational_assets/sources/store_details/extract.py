"""Raw store details: every store from the stores REST API, as it is."""

import time

import pandas as pd
from dagster import AssetExecutionContext, Output, asset

from multinational_assets.raw import as_text_frame, raw_dagster_type, raw_text_schema, source_metadata, validate_raw
from multinational_assets.resources import StoresApiResource

RAW_COLUMNS = [
    "index", "address", "longitude", "lat", "locality", "store_code", "staff_numbers", "opening_date",
    "store_type", "latitude", "country_code", "continent",
]
raw_schema = raw_text_schema("raw_store_details", RAW_COLUMNS)


def stores_frame(stores: list[dict]) -> pd.DataFrame:
    """The API's store objects as a table of text, columns in the order the API sends them."""
    return as_text_frame(pd.DataFrame.from_records(stores))


@asset(key_prefix="raw", group_name="raw", kinds={"api", "pandas"}, dagster_type=raw_dagster_type(raw_schema))
def store_details(context: AssetExecutionContext, stores_api: StoresApiResource) -> Output[pd.DataFrame]:
    """Every store's details as the stores API reports them, before any cleaning."""
    started = time.perf_counter()
    stores, stats = stores_api.fetch_all(progress=lambda done, total: context.log.info(f"stores fetched: {done}/{total}"))
    df = validate_raw(stores_frame(stores), raw_schema, "the stores API")
    retries = ", ".join(f"{cause}: {n}" for cause, n in sorted(stats.retries.items())) or "none"
    return Output(
        df,
        metadata=source_metadata(
            df, time.perf_counter() - started, source="stores API", http_calls=stats.calls, retries=retries
        ),
    )
