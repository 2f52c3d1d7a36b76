"""Raw date details: `date_details.json` in S3, as it is."""

import json
import time

import pandas as pd
from dagster import AssetExecutionContext, Output, asset

from multinational_assets.raw import as_text_frame, raw_dagster_type, raw_text_schema, source_metadata, validate_raw
from multinational_assets.resources import SourceBucket, SourceUnavailable
from multinational_assets.settings import load_settings

RAW_COLUMNS = ["row_label", "timestamp", "month", "year", "day", "time_period", "date_uuid"]
raw_schema = raw_text_schema("raw_date_details", RAW_COLUMNS)


def parse_date_details(body: bytes) -> pd.DataFrame:
    """The JSON object of columns (each a map from row label to value) as a table, with the row
    label as the first column."""
    try:
        columns = json.loads(body)
    except json.JSONDecodeError as error:
        raise SourceUnavailable(f"date_details.json is not valid JSON: {error}") from None
    if not isinstance(columns, dict) or not all(isinstance(v, dict) for v in columns.values()):
        raise SourceUnavailable("date_details.json is not an object of columns mapping row labels to values.")
    df = as_text_frame(pd.DataFrame(columns))
    df.insert(0, "row_label", df.index.astype(str))
    return df.reset_index(drop=True)


@asset(key_prefix="raw", group_name="raw", kinds={"s3", "pandas"}, dagster_type=raw_dagster_type(raw_schema))
def date_details(context: AssetExecutionContext, source_bucket: SourceBucket) -> Output[pd.DataFrame]:
    """The date and time of every sale, as the date-details file records them, before any cleaning."""
    started = time.perf_counter()
    body, facts = source_bucket.get_object(load_settings().date_details_key)
    df = validate_raw(parse_date_details(body), raw_schema, facts["source"])
    return Output(df, metadata=source_metadata(df, time.perf_counter() - started, **facts))
