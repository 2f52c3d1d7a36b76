"""Raw products: `products.csv` in S3, as it is."""

import csv
import io
import time

import pandas as pd
from dagster import AssetExecutionContext, Output, asset

from multinational_assets.raw import raw_dagster_type, raw_text_schema, source_metadata, validate_raw
from multinational_assets.resources import SourceBucket, SourceUnavailable
from multinational_assets.settings import load_settings

RAW_COLUMNS = [
    "row_label", "product_name", "product_price", "weight", "category", "EAN", "date_added", "uuid",
    "removed", "product_code",
]
raw_schema = raw_text_schema("raw_products", RAW_COLUMNS)


def parse_products_csv(body: bytes) -> pd.DataFrame:
    """The CSV's cells as text, exactly (an empty cell stays an empty string, `NULL` stays `NULL`);
    the unnamed first column is the row label."""
    text = body.decode("utf-8")
    try:
        header = next(csv.reader(io.StringIO(text)))
    except StopIteration:
        raise SourceUnavailable("products.csv is empty.") from None
    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False)
    df.columns = ["row_label" if i == 0 and name == "" else name for i, name in enumerate(header)]
    return df.astype(object)


@asset(key_prefix="raw", group_name="raw", kinds={"s3", "pandas"}, dagster_type=raw_dagster_type(raw_schema))
def products(context: AssetExecutionContext, source_bucket: SourceBucket) -> Output[pd.DataFrame]:
    """Every product in the catalogue CSV, before any cleaning."""
    started = time.perf_counter()
    body, facts = source_bucket.get_object(load_settings().products_key)
    df = validate_raw(parse_products_csv(body), raw_schema, facts["source"])
    return Output(df, metadata=source_metadata(df, time.perf_counter() - started, **facts))
