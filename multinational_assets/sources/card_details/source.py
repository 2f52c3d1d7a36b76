"""Card details: the ruled table of `card_details.pdf` in S3, read as it is into `raw.card_details`."""

from multinational_assets.sources.source import Origin, RawExtract, Source, SourceClients

KEY_SETTING = "CARD_DETAILS_KEY"

RAW_COLUMNS = ("page", "card_number", "expiry_date", "card_provider", "date_payment_confirmed")


def read_card_details(clients: SourceClients) -> RawExtract:
    """The PDF from S3, its table read page by page (see `clients.pdf_tables`)."""
    try:
        body, facts = clients.read_object(KEY_SETTING)
        clients.log(f"Read {facts['bytes']:,} bytes from {facts['source']}; extracting the table with tabula")
        df = clients.pdf_reader.read_table(body, facts["source"], on_started=clients.pdf_extraction_started.set)
    finally:
        clients.pdf_extraction_started.set()  # failed or done: nobody waits any longer
    facts["pages"] = int(df["page"].astype(int).max()) if len(df) else 0
    if "pages_read_by_tabula" in df.attrs:
        facts["pages_read_by_tabula"] = df.attrs["pages_read_by_tabula"]
    return RawExtract(df, facts)


SOURCE = Source(
    raw_table="card_details",
    raw_columns=RAW_COLUMNS,
    read=read_card_details,
    description="Every payment card listed in the card-details PDF, page by page, before any cleaning.",
    origin=Origin(("source", "s3", "card_details_pdf"), "card_details.pdf in the source bucket.", "s3", KEY_SETTING),
)
