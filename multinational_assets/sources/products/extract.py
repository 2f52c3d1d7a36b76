"""Raw products: `products.csv` in S3, as it is."""

import csv
import io

import pandas as pd

from multinational_assets.raw import RawExtract, SourceClients, raw_text_schema
from multinational_assets.resources import SourceUnavailable
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


def read_products(clients: SourceClients) -> RawExtract:
    """The products CSV from S3."""
    body, facts = clients.source_bucket.get_object(load_settings().products_key)
    return RawExtract(parse_products_csv(body), facts)
