"""The project's SQL lives in `sql/<folder>/<name>.sql` (shipped in the package as
`multinational_assets.sql`); this module loads a file and fills its `{placeholders}` with safely
quoted identifiers and literals (psycopg.sql), never by string pasting."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from psycopg import sql

SQL_PACKAGE = "multinational_assets.sql"


@cache
def sql_text(folder: str, name: str) -> str:
    """The text of `sql/<folder>/<name>.sql`."""
    return files(SQL_PACKAGE).joinpath(folder, f"{name}.sql").read_text(encoding="utf-8")


def sql_files() -> dict[str, list[str]]:
    """Every SQL file the package ships: folder -> names (without `.sql`)."""
    root = files(SQL_PACKAGE)
    return {
        folder.name: sorted(f.name.removesuffix(".sql") for f in folder.iterdir() if f.name.endswith(".sql"))
        for folder in sorted(root.iterdir(), key=lambda p: p.name)
        if folder.is_dir() and not folder.name.startswith("__")
    }


def render(folder: str, name: str, **params: sql.Composable) -> sql.Composed:
    """The SQL file with its {placeholders} filled by quoted identifiers/literals."""
    return sql.SQL(sql_text(folder, name)).format(**params)
