"""Raw date details: `date_details.json` in S3, as it is."""

import json

import pandas as pd

from multinational_assets.raw import RawExtract, SourceClients, as_text_frame, raw_text_schema
from multinational_assets.resources import SourceUnavailable
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
    labels = list(next(iter(columns.values()), {}).keys())
    if all(list(values.keys()) == labels for values in columns.values()):
        # Every column lists the same row labels in the same order (the usual case): take the
        # values as they are, instead of letting pandas align 1.2M string labels per column.
        df = as_text_frame(pd.DataFrame({name: list(values.values()) for name, values in columns.items()}))
        df.insert(0, "row_label", labels)
        return df
    df = as_text_frame(pd.DataFrame(columns))
    df.insert(0, "row_label", df.index.astype(str))
    return df.reset_index(drop=True)


def read_date_details(clients: SourceClients) -> RawExtract:
    """The date-details JSON from S3."""
    body, facts = clients.source_bucket.get_object(load_settings().date_details_key)
    return RawExtract(parse_date_details(body), facts)
