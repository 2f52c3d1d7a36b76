"""Users: the `legacy_users` table of the legacy database, read as it is into `raw.legacy_users`."""

from multinational_assets.sources.source import Origin, RawExtract, Source, SourceClients

SOURCE_TABLE = "legacy_users"
RAW_COLUMNS = (
    "index", "first_name", "last_name", "date_of_birth", "company", "email_address", "address",
    "country", "country_code", "phone_number", "join_date", "user_uuid",
)


def read_legacy_users(clients: SourceClients) -> RawExtract:
    """Every row of the legacy users table, each value as text."""
    df = clients.legacy_database.read_table(SOURCE_TABLE)
    return RawExtract(df, {"source": f"legacy database table {SOURCE_TABLE}"})


SOURCE = Source(
    raw_table=SOURCE_TABLE,
    raw_columns=RAW_COLUMNS,
    read=read_legacy_users,
    description="Every customer record exactly as the legacy database holds it, before any cleaning.",
    origin=Origin(("source", "legacy", "legacy_users"), "The legacy database's table of customers.", "postgres"),
)
