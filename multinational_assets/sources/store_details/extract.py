"""Raw store details: every store from the stores REST API, as it is."""

import pandas as pd

from multinational_assets.raw import RawExtract, SourceClients, as_text_frame, raw_text_schema
from multinational_assets.settings import load_settings

RAW_COLUMNS = [
    "index", "address", "longitude", "lat", "locality", "store_code", "staff_numbers", "opening_date",
    "store_type", "latitude", "country_code", "continent",
]
raw_schema = raw_text_schema("raw_store_details", RAW_COLUMNS)


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
        "endpoint": load_settings().stores_api_url,  # the key travels only in a header, never here
        "http_calls": stats.calls,
        "retries": retries,
    }
    return RawExtract(stores_frame(stores), facts)
