"""Users: the `legacy_users` table of the legacy database, read as it is into `raw.legacy_users`."""

from multinational_assets.sources.source import Origin, Source, legacy_table_reader

SOURCE_TABLE = "legacy_users"
# The table's columns as the legacy database types them (what the reader checks for drift).
SOURCE_COLUMNS = {
    "index": "bigint", "first_name": "text", "last_name": "text", "date_of_birth": "text", "company": "text",
    "email_address": "text", "address": "text", "country": "text", "country_code": "text", "phone_number": "text",
    "join_date": "text", "user_uuid": "text",
}
RAW_COLUMNS = tuple(SOURCE_COLUMNS)


SOURCE = Source(
    raw_table=SOURCE_TABLE,
    raw_columns=RAW_COLUMNS,
    read=legacy_table_reader(SOURCE_TABLE, SOURCE_COLUMNS),
    description="Every customer record exactly as the legacy database holds it, before any cleaning.",
    origin=Origin(("source", "legacy", "legacy_users"), "The legacy database's table of customers.", "postgres"),
)
