"""Raw card details: the ruled table of `card_details.pdf` in S3, as it is."""

from multinational_assets.raw import RawExtract, SourceClients, raw_text_schema
from multinational_assets.settings import load_settings

RAW_COLUMNS = ["page", "card_number", "expiry_date", "card_provider", "date_payment_confirmed"]
raw_schema = raw_text_schema("raw_card_details", RAW_COLUMNS)


def read_card_details(clients: SourceClients) -> RawExtract:
    """The PDF from S3, its table read with tabula, page by page."""
    try:
        body, facts = clients.source_bucket.get_object(load_settings().card_details_key)
        clients.log(f"Read {facts['bytes']:,} bytes from {facts['source']}; extracting the table with tabula")
        df = clients.pdf_reader.read_table(body, facts["source"], on_started=clients.pdf_extraction_started.set)
    finally:
        clients.pdf_extraction_started.set()  # failed or done: nobody waits any longer
    facts["pages"] = int(df["page"].astype(int).max()) if len(df) else 0
    return RawExtract(df, facts)
