"""Store details: every store from the stores REST API, read as it is into `raw.store_details`."""

import pandas as pd

from multinational_assets.sources.source import Origin, RawExtract, Source, SourceClients, as_text_frame

RAW_COLUMNS = (
    "index", "address", "longitude", "lat", "locality", "store_code", "staff_numbers", "opening_date",
    "store_type", "latitude", "country_code", "continent",
)


def stores_frame(stores: list[dict]) -> pd.DataFrame:
    """The API's store objects as a table of text, columns in the order the API sends them."""
    return as_text_frame(pd.DataFrame.from_records(stores))


def read_store_details(clients: SourceClients) -> RawExtract:
    """Every store from the API, fetched concurrently with retries."""
    stores, stats = clients.stores_api.fetch_all(
        progress=lambda done, total: clients.log(f"stores fetched: {done}/{total}")
    )
    retries = ", ".join(f"{cause}: {n}" for cause, n in sorted(stats.retries.items())) or "none"
    facts = {
        "source": "stores API",
        "endpoint": clients.stores_api.client.base_url,  # the key travels only in a header, never here
        "http_calls": stats.calls,
        "retries": retries,
    }
    return RawExtract(stores_frame(stores), facts)


SOURCE = Source(
    raw_table="store_details",
    raw_columns=RAW_COLUMNS,
    read=read_store_details,
    description="Every store's details as the stores API reports them, before any cleaning.",
    origin=Origin(("source", "api", "store_details"), "The stores REST API (one call per store).", "api"),
)
