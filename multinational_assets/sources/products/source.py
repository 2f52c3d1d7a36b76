"""Products: `products.csv` in S3, read as it is into `raw.products`."""

import csv
import io

import pandas as pd

from multinational_assets.clients import SourceUnavailable
from multinational_assets.sources.source import Origin, RawExtract, Source, SourceClients

KEY_SETTING = "PRODUCTS_KEY"

RAW_COLUMNS = (
    "row_label", "product_name", "product_price", "weight", "category", "EAN", "date_added", "uuid",
    "removed", "product_code",
)


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


def read_products(clients: SourceClients) -> RawExtract:
    """The products CSV from S3."""
    body, facts = clients.read_object(KEY_SETTING)
    return RawExtract(parse_products_csv(body), facts)


SOURCE = Source(
    raw_table="products",
    raw_columns=RAW_COLUMNS,
    read=read_products,
    description="Every product in the catalogue CSV, before any cleaning.",
    origin=Origin(("source", "s3", "products_csv"), "products.csv in the source bucket.", "s3", KEY_SETTING),
)
