"""The users source: `legacy_users` in the legacy Postgres database, cleaned into `dim_users`."""
