"""The project's SQL lives in `sql/<folder>/<name>.sql`; this module loads a file and fills its
`{placeholders}` with safely quoted identifiers and literals (psycopg.sql), never by string pasting."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from psycopg import sql

SQL_ROOT = Path(__file__).resolve().parents[1] / "sql"


@lru_cache(maxsize=None)
def sql_text(folder: str, name: str) -> str:
    """The text of `sql/<folder>/<name>.sql`."""
    return (SQL_ROOT / folder / f"{name}.sql").read_text()


def render(folder: str, name: str, **params: sql.Composable) -> sql.Composed:
    """The SQL file with its {placeholders} filled by quoted identifiers/literals."""
    return sql.SQL(sql_text(folder, name)).format(**params)
