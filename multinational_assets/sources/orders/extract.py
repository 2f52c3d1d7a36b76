"""Raw orders: the `orders_table` of the legacy database, as it is."""

from multinational_assets.raw import RawExtract, SourceClients, raw_text_schema

SOURCE_TABLE = "orders_table"
RAW_COLUMNS = [
    "level_0", "index", "date_uuid", "first_name", "last_name", "user_uuid", "card_number",
    "store_code", "product_code", "1", "product_quantity",
]
raw_schema = raw_text_schema("raw_orders_table", RAW_COLUMNS)


def read_orders(clients: SourceClients) -> RawExtract:
    """Every row of the legacy orders table, each value as text."""
    df = clients.legacy_database.read_table(SOURCE_TABLE)
    return RawExtract(df, {"source": f"legacy database table {SOURCE_TABLE}"})
