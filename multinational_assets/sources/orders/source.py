"""Orders: the `orders_table` of the legacy database, read as it is into `raw.orders_table`."""

from multinational_assets.sources.source import Origin, Source, legacy_table_reader

SOURCE_TABLE = "orders_table"
# The table's columns as the legacy database types them (what the reader checks for drift).
SOURCE_COLUMNS = {
    "level_0": "bigint", "index": "bigint", "date_uuid": "text", "first_name": "text", "last_name": "text",
    "user_uuid": "text", "card_number": "bigint", "store_code": "text", "product_code": "text",
    "1": "double precision", "product_quantity": "bigint",
}
RAW_COLUMNS = tuple(SOURCE_COLUMNS)


SOURCE = Source(
    raw_table=SOURCE_TABLE,
    raw_columns=RAW_COLUMNS,
    read=legacy_table_reader(SOURCE_TABLE, SOURCE_COLUMNS),
    description="Every sale exactly as the legacy orders table records it, before any cleaning.",
    origin=Origin(("source", "legacy", "orders_table"), "The legacy database's table of sales.", "postgres"),
    large=True,
)
