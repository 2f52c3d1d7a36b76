"""The star schema: typed dimension tables and the orders fact table, built by SQL from `sql/star/`,
with columns, types and keys from the clean tables' declarations. Plain Python over a psycopg
connection (no Dagster), so it can be run from a test, a notebook or the CLI.

The star is built in a staging schema beside the live one and swapped in by renaming schemas, all in
one transaction: readers see either the previous star or the new one, a failed build leaves the
previous star untouched, and rebuilding from the same clean tables gives the same star every time.
"""

from __future__ import annotations

import time

import psycopg
from psycopg import sql

from multinational_assets.cleaning import TableContract
from multinational_assets.quality import quarantined_because
from multinational_assets.settings import missing_references_setting
from multinational_assets.sources import CLEAN_TABLES, DIMENSIONS, contract_of, references
from multinational_assets.star.problems import (
    StarBuildError,
    duplicate_key_problems,
    load_problems,
    orphan_key_problems,
    render,
)
from multinational_assets.star.problems import columns as table_columns

# Dimensions first: the fact table is loaded last and checked against them.
TABLES = tuple(contract.table for contract in CLEAN_TABLES)
INFERRED_FLAG = "is_inferred"


def _ident(*parts: str) -> sql.Identifier:
    return sql.Identifier(*parts)


def _measure_widths(conn: psycopg.Connection, source: str, contract: TableContract) -> dict[str, int]:
    """The longest value of each VARCHAR column of one clean table (at least 1)."""
    sized = [c.name for c in contract.columns if c.kind.sql_type == "varchar"]
    if not sized:
        return {}
    measures = sql.SQL(", ").join(
        sql.SQL("greatest(coalesce(max(length({col}::text)), 0), 1)").format(col=_ident(name)) for name in sized
    )
    row = conn.execute(
        render("measure_text_widths", widths=measures, source=_ident(source), table=_ident(contract.table))
    ).fetchone()
    return {name: int(width) for name, width in zip(sized, row)}


def _star_widths(conn: psycopg.Connection, source: str) -> dict[str, dict[str, int]]:
    """VARCHAR widths per table and column; a key and every column that names it share the widest,
    so an inferred member's key always fits its dimension."""
    widths = {c.table: _measure_widths(conn, source, c) for c in CLEAN_TABLES}
    for table, column, dimension in references():
        if column in widths[table.table] and dimension.key in widths[dimension.table]:
            wide = max(widths[table.table][column], widths[dimension.table][dimension.key])
            widths[table.table][column] = widths[dimension.table][dimension.key] = wide
    return widths


def _sql_type(type_name: str, width: int) -> sql.Composable:
    """A column type as the declarations name it (a Postgres type name), `varchar` sized."""
    if type_name == "varchar":
        return sql.SQL("varchar({})").format(sql.Literal(width))
    return sql.Identifier(type_name)


def _column_definitions(contract: TableContract, widths: dict[str, int]) -> sql.Composed:
    """The star table's columns as the contract declares them: name, SQL type, NOT NULL for the key."""
    return sql.SQL(", ").join(
        sql.SQL("{} {} NOT NULL").format(_ident(c.name), _sql_type(c.kind.sql_type, widths.get(c.name, 1)))
        if c.name == contract.key
        else sql.SQL("{} {}").format(_ident(c.name), _sql_type(c.kind.sql_type, widths.get(c.name, 1)))
        for c in contract.columns
    )


def _load_table(conn: psycopg.Connection, source: str, staging: str, contract: TableContract, widths: dict) -> None:
    """Create the typed star table of `contract` in `staging` and fill it from the clean table."""
    table = contract.table
    conn.execute(
        render(
            "create_table", staging=_ident(staging), table=_ident(table),
            column_definitions=_column_definitions(contract, widths),
        )
    )
    columns = table_columns(conn, staging, table)
    values = sql.SQL(", ").join(
        # Text goes in as text: an explicit cast to VARCHAR(n) would silently cut long values.
        sql.SQL("{}::text").format(_ident(c.name))
        if c.type.startswith("character varying")
        else sql.SQL("{}::{}").format(_ident(c.name), sql.SQL(c.type))
        for c in columns
    )
    load = render(
        "load_table",
        staging=_ident(staging),
        source=_ident(source),
        table=_ident(table),
        columns=sql.SQL(", ").join(_ident(c.name) for c in columns),
        values=values,
    )
    try:
        with conn.transaction():
            conn.execute(load)
    except (psycopg.errors.DataError, psycopg.errors.IntegrityError) as exc:
        problems = load_problems(conn, source, table, columns)
        if not problems:
            problems = [f"loading {table} from {source}.{table} failed: {exc}"]
        raise StarBuildError(problems) from exc
    if contract in DIMENSIONS:
        conn.execute(render("add_inferred_flag", staging=_ident(staging), table=_ident(table)))


def _add_keys(conn, staging: str, statements: list[sql.Composed], violation: type[Exception], diagnose) -> None:
    """Run the key-adding statements; if Postgres refuses, raise an error naming the offending rows."""
    try:
        with conn.transaction():
            for statement in statements:
                conn.execute(statement)
    except violation as exc:
        problems = diagnose(conn, staging) or [f"adding keys failed: {exc}"]
        raise StarBuildError(problems) from exc


def _primary_keys(staging: str) -> list[sql.Composed]:
    return [
        render("add_primary_key", staging=_ident(staging), table=_ident(d.table), key=_ident(d.key),
                constraint=_ident(f"{d.table}_pkey"))
        for d in DIMENSIONS
    ]


def _foreign_keys(staging: str) -> list[sql.Composed]:
    return [
        render("add_foreign_key", staging=_ident(staging), table=_ident(t.table), column=_ident(column),
                dimension=_ident(d.table), key=_ident(d.key), constraint=_ident(f"{t.table}_{column}_fkey"))
        for t, column, d in references()
    ]


def _add_inferred_members(conn: psycopg.Connection, staging: str) -> dict[str, dict]:
    """Inferred members for every key the facts name and their dimension lacks. Per dimension: how
    many (`count`), and up to ten with the number of sales naming each (`examples`)."""
    added: dict[str, dict] = {d.table: {"count": 0, "examples": []} for d in DIMENSIONS}
    for table, column, dimension in references():
        params = dict(staging=_ident(staging), table=_ident(table.table), column=_ident(column),
                      dimension=_ident(dimension.table), key=_ident(dimension.key))
        inserted = conn.execute(render("add_inferred_members", **params)).rowcount
        if inserted:
            found = added[dimension.table]
            found["count"] += inserted
            found["examples"] += [(key, n) for key, n, _ in conn.execute(render("find_inferred_members", **params))]
    return added


def build_star(
    conn: psycopg.Connection, source_schema: str = "clean", target_schema: str = "star", strict: bool | None = None
) -> dict:
    """Build the star schema `target_schema` from the clean tables in `source_schema`.

    Every table is created typed and sized to the data in a staging schema, given its primary and
    foreign keys, and then swapped in for the previous star in the same transaction. Running it again
    on the same clean tables gives the same star. If anything is wrong (a value that does not fit its
    type, a duplicate key) nothing changes and a `StarBuildError` names the offending rows.

    A key the sales name that its dimension lacks becomes an inferred member of that dimension (key
    only, `is_inferred` true), unless `strict` (default: the `MULTINATIONAL_MISSING_REFERENCES`
    setting), in which case it fails the build like the problems above.

    The build runs in its own transaction, committed on success. If the caller already has a
    transaction open, the build becomes part of it and is visible once the caller commits.

    Returns a report: `schema`, `tables`, `rows` (per table), `column_types` (per table, column ->
    Postgres type), `inferred_members` (per dimension) and `seconds`.
    """
    if strict is None:
        strict = missing_references_setting() == "strict"
    started = time.perf_counter()
    staging, retired = f"{target_schema}__next", f"{target_schema}__old"
    with conn.transaction():
        conn.execute(render("take_build_lock", lock_name=sql.Literal(f"build_star:{target_schema}")))
        conn.execute(render("set_build_memory"))
        conn.execute(render("create_staging_schema", staging=_ident(staging), retired=_ident(retired)))
        widths = _star_widths(conn, source_schema)
        for contract in CLEAN_TABLES:
            _load_table(conn, source_schema, staging, contract, widths[contract.table])
        conn.execute(render("add_weight_class", staging=_ident(staging)))

        # Postgres checks the keys as it adds them; only when it refuses do the (slower) queries
        # that name every offending value run, so a good build pays for the check once.
        _add_keys(conn, staging, _primary_keys(staging), psycopg.errors.UniqueViolation, duplicate_key_problems)
        inferred = {} if strict else _add_inferred_members(conn, staging)
        why = {table: quarantined_because(conn, contract_of(table), [k for k, _ in found["examples"]])
               for table, found in inferred.items() if found["count"]}
        _add_keys(conn, staging, _foreign_keys(staging), psycopg.errors.ForeignKeyViolation, orphan_key_problems)
        conn.execute(render("analyze_tables", staging=_ident(staging)))

        conn.execute(
            render(
                "swap_in_staging_schema",
                target=_ident(target_schema),
                staging=_ident(staging),
                retired=_ident(retired),
            )
        )
        rows = {
            t: conn.execute(render("count_rows", schema=_ident(target_schema), table=_ident(t))).fetchone()[0]
            for t in TABLES
        }
        column_types = {
            t: {c.name: c.type for c in table_columns(conn, target_schema, t)} for t in TABLES
        }
    return {
        "schema": target_schema,
        "tables": list(TABLES),
        "rows": rows,
        "column_types": column_types,
        "inferred_members": {d.table: inferred.get(d.table, {}).get("count", 0) for d in DIMENSIONS},
        # Per dimension with inferred members: up to ten keys, the sales naming each, and why the key's
        # own row is missing when it was quarantined.
        "inferred_examples": {
            table: [(key, n, why[table].get(key)) for key, n in found["examples"][:10]]
            for table, found in inferred.items() if found["count"]
        },
        "seconds": round(time.perf_counter() - started, 3),
    }
