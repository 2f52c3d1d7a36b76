"""Raw card details: the ruled table of `card_details.pdf` in S3, as it is."""

import time

import pandas as pd
from dagster import AssetExecutionContext, Output, asset

from multinational_assets.raw import raw_dagster_type, raw_text_schema, source_metadata, validate_raw
from multinational_assets.resources import PdfTableReader, SourceBucket
from multinational_assets.settings import load_settings

RAW_COLUMNS = ["page", "card_number", "expiry_date", "card_provider", "date_payment_confirmed"]
raw_schema = raw_text_schema("raw_card_details", RAW_COLUMNS)


@asset(key_prefix="raw", group_name="raw", kinds={"s3", "pandas"}, dagster_type=raw_dagster_type(raw_schema))
def card_details(
    context: AssetExecutionContext, source_bucket: SourceBucket, pdf_reader: PdfTableReader
) -> Output[pd.DataFrame]:
    """Every payment card listed in the card-details PDF, read page by page, before any cleaning."""
    started = time.perf_counter()
    key = load_settings().card_details_key
    body, facts = source_bucket.get_object(key)
    context.log.info(f"Read {facts['bytes']:,} bytes from {facts['source']}; extracting the table with tabula")
    df = validate_raw(pdf_reader.read_table(body), raw_schema, facts["source"])
    facts["pages"] = int(df["page"].astype(int).max()) if len(df) else 0
    return Output(df, metadata=source_metadata(df, time.perf_counter() - started, **facts))
