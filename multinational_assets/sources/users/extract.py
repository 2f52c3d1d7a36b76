"""Raw users: the `legacy_users` table of the legacy database, as it is."""

from multinational_assets.raw import RawExtract, SourceClients, raw_text_schema

SOURCE_TABLE = "legacy_users"
RAW_COLUMNS = [
    "index", "first_name", "last_name", "date_of_birth", "company", "email_address", "address",
    "country", "country_code", "phone_number", "join_date", "user_uuid",
]
raw_schema = raw_text_schema("raw_legacy_users", RAW_COLUMNS)


def read_legacy_users(clients: SourceClients) -> RawExtract:
    """Every row of the legacy users table, each value as text."""
    df = clients.legacy_database.read_table(SOURCE_TABLE)
    return RawExtract(df, {"source": f"legacy database table {SOURCE_TABLE}"})
