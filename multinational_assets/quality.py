"""The questions about the data's quality that the checks and the star build ask of the warehouse,
each answered by a file in `sql/checks/`: rows accounted for, keys unique, keys a table references
that its dimension lacks, and why such a key is missing. Plain Python over a psycopg connection."""

from __future__ import annotations

from psycopg import sql

from multinational_assets.cleaning import TableContract
from multinational_assets.sql_files import render


def count_rows(conn, schema: str, table: str) -> int:
    return conn.execute(render("checks", "count_rows", table=sql.Identifier(schema, table))).fetchone()[0]


def rows_accounted_for(conn, contract: TableContract) -> tuple[int, int, int]:
    """(raw rows, clean rows, quarantined rows) of one table."""
    return (
        count_rows(conn, "raw", contract.raw_table),
        count_rows(conn, "clean", contract.table),
        count_rows(conn, "quarantine", contract.table),
    )


def duplicate_or_missing_keys(conn, table: str, key: str) -> int:
    query = render("checks", "count_duplicate_or_missing_keys", table=sql.Identifier("clean", table), key=sql.Identifier(key))
    return conn.execute(query).fetchone()[0]


def _reference_params(schema: str, table: TableContract, column: str, dimension: TableContract) -> dict:
    return dict(
        schema=sql.Identifier(schema), table=sql.Identifier(table.table), column=sql.Identifier(column),
        dimension=sql.Identifier(dimension.table), key=sql.Identifier(dimension.key),
    )


def orphan_keys(
    conn, schema: str, table: TableContract, column: str, dimension: TableContract
) -> tuple[int, list[tuple[str, int]]]:
    """(number of values of `table.column` that name no row of `dimension`, up to 10 of them with the
    number of rows using each)."""
    rows = conn.execute(render("checks", "find_orphan_keys", **_reference_params(schema, table, column, dimension))).fetchall()
    return (rows[0][2] if rows else 0), [(r[0], r[1]) for r in rows]


def orphan_rows(conn, schema: str, table: TableContract, column: str, dimension: TableContract) -> tuple[int, int]:
    """(rows naming a missing key, rows with no value in the column)."""
    row = conn.execute(render("checks", "count_orphan_rows", **_reference_params(schema, table, column, dimension))).fetchone()
    return int(row[0]), int(row[1])


def quarantined_because(conn, dimension: TableContract, keys: list[str]) -> dict[str, str]:
    """For keys missing from a dimension, the reasons their rows were quarantined (where they were)."""
    if not keys:
        return {}
    query = render("checks", "explain_quarantined_keys", dimension=sql.Identifier(dimension.table))
    try:
        with conn.transaction():
            return dict(conn.execute(query, {"keys": keys}).fetchall())
    except Exception:  # noqa: BLE001 - an explanation is a courtesy: no quarantine table, no explanation
        return {}
