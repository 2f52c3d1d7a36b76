"""Orders: the `orders_table` of the legacy database, read as it is into `raw.orders_table`."""

from multinational_assets.sources.source import Origin, Source, legacy_table_reader

SOURCE_TABLE = "orders_table"
RAW_COLUMNS = (
    "level_0", "index", "date_uuid", "first_name", "last_name", "user_uuid", "card_number",
    "store_code", "product_code", "1", "product_quantity",
)


SOURCE = Source(
    raw_table=SOURCE_TABLE,
    raw_columns=RAW_COLUMNS,
    read=legacy_table_reader(SOURCE_TABLE),
    description="Every sale exactly as the legacy orders table records it, before any cleaning.",
    origin=Origin(("source", "legacy", "orders_table"), "The legacy database's table of sales.", "postgres"),
)
