"""The orders source: `orders_table` in the legacy Postgres database, cleaned into the fact table."""
