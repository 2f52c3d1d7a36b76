"""Products: `products.csv` in S3, read as it is into `raw.products`."""

import csv
import io

import numpy as np
import pandas as pd

from multinational_assets.clients import SourceUnavailable
from multinational_assets.sources.source import Origin, RawExtract, Source, SourceClients

KEY_SETTING = "PRODUCTS_KEY"

RAW_COLUMNS = (
    "row_label", "product_name", "product_price", "weight", "category", "EAN", "date_added", "uuid",
    "removed", "product_code",
)


LINE_LIMIT = "PRODUCTS_MAX_LINE_BYTES"


def longest_line(body: bytes) -> int:
    """The length in bytes of the longest line, without its end (`\n`, `\r\n` or a lone `\r`, as
    the CSV parser reads them), found without splitting the file into lines."""
    data = np.frombuffer(body, dtype=np.uint8)
    # One comparison at a time: each holds a byte per byte of the file only while it runs.
    ends = np.union1d(np.flatnonzero(data == 10), np.flatnonzero(data == 13))
    bounds = np.concatenate(([-1], ends, [len(body)]))
    return int(np.diff(bounds).max()) - 1 if len(body) else 0


def parse_products_csv(body: bytes, max_line_bytes: int | None = None) -> pd.DataFrame:
    """The CSV's cells as text, exactly (an empty cell stays an empty string, `NULL` stays `NULL`);
    the unnamed first column is the row label. A line longer than `max_line_bytes` is refused before
    anything is parsed: no product needs a megabyte, and the parser would hold all of it."""
    if max_line_bytes is not None and (longest := longest_line(body)) > max_line_bytes:
        raise SourceUnavailable(
            f"products.csv has a line of {longest:,} bytes, more than {LINE_LIMIT} ({max_line_bytes:,})."
        )
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
    return RawExtract(parse_products_csv(body, clients.source_bucket.limit(LINE_LIMIT)), facts)


SOURCE = Source(
    raw_table="products",
    raw_columns=RAW_COLUMNS,
    read=read_products,
    description="Every product in the catalogue CSV, before any cleaning.",
    origin=Origin(("source", "s3", "products_csv"), "products.csv in the source bucket.", "s3", KEY_SETTING),
)
