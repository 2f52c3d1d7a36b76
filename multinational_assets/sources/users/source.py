"""Users: the `legacy_users` table of the legacy database, read as it is into `raw.legacy_users`."""

from multinational_assets.sources.source import Origin, Source, legacy_table_reader

SOURCE_TABLE = "legacy_users"
RAW_COLUMNS = (
    "index", "first_name", "last_name", "date_of_birth", "company", "email_address", "address",
    "country", "country_code", "phone_number", "join_date", "user_uuid",
)


SOURCE = Source(
    raw_table=SOURCE_TABLE,
    raw_columns=RAW_COLUMNS,
    read=legacy_table_reader(SOURCE_TABLE),
    description="Every customer record exactly as the legacy database holds it, before any cleaning.",
    origin=Origin(("source", "legacy", "legacy_users"), "The legacy database's table of customers.", "postgres"),
)
