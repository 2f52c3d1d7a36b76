"""When the star cannot be built: the error that names the offending rows, and the queries that find
them (run only after Postgres refused a load or a key, so a good build pays for none of them)."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from psycopg import sql

from multinational_assets.quality import orphan_keys
from multinational_assets.sources import DIMENSIONS, contract_of, references
from multinational_assets.sql_files import render as render_file
from multinational_assets.sql_files import sql_text


class StarBuildError(RuntimeError):
    """The star could not be built from the clean tables; the previous star is unchanged.

    `problems` holds one sentence per problem, each naming the offending rows.
    """

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        lines = "\n".join(f"- {p}" for p in self.problems)
        super().__init__(f"the star schema was not rebuilt (the previous one is unchanged):\n{lines}")


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # as format_type() spells it, e.g. "character varying(12)"
    not_null: bool
    generated: bool


def render(name: str, **params: sql.Composable) -> sql.Composed:
    """The SQL file `sql/star/<name>.sql` with its {placeholders} filled safely."""
    return render_file("star", name, **params)


def _ident(*parts: str) -> sql.Identifier:
    return sql.Identifier(*parts)


def columns(conn: psycopg.Connection, schema: str, table: str) -> list[Column]:
    """The columns of one table as Postgres stores them."""
    rows = conn.execute(sql_text("star", "list_star_columns"), {"schema": schema, "table": table}).fetchall()
    return [Column(*row) for row in rows]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _listing(shown: list[str], total: int) -> str:
    more = total - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def load_problems(
    conn: psycopg.Connection, source: str, table: str, columns: list[Column]
) -> list[str]:
    """Name the clean rows that made loading `table` fail: missing required values, values that do
    not fit the star column's type. Runs after the failed load was rolled back."""
    key = contract_of(table).key
    problems: list[str] = []
    for col in columns:
        params = dict(source=_ident(source), table=_ident(table), key=_ident(key), column=_ident(col.name))
        if col.not_null:
            rows = conn.execute(render("find_missing_values", **params)).fetchall()
            if rows:
                total = rows[0][1]
                message = f"{table}.{col.name} has {_plural(total, 'row')} with no value"
                if col.name != key:  # a row without its key has nothing else to be named by
                    message += ": " + _listing([f"{key} {v!r}" for v, _ in rows], total)
                problems.append(message)
        try:
            with conn.transaction():
                rows = conn.execute(
                    render("find_invalid_values", **params, type_name=sql.Literal(col.type))
                ).fetchall()
        except psycopg.errors.UndefinedFunction:
            # pg_input_is_valid is Postgres 16+; older servers get Postgres's own message only.
            return problems
        if rows:
            total = rows[0][2]
            if col.name == key:
                shown = [repr(bad) for _, bad, _ in rows]
            else:
                shown = [f"{bad!r} ({key} {k!r})" for k, bad, _ in rows]
            problems.append(
                f"{table}.{col.name} has {_plural(total, 'value')} that "
                f"{'is' if total == 1 else 'are'} not a valid {col.type}: {_listing(shown, total)}"
            )
    return problems


def duplicate_key_problems(conn: psycopg.Connection, staging: str) -> list[str]:
    problems = []
    for dimension in DIMENSIONS:
        key = dimension.key
        rows = conn.execute(
            render("find_duplicate_keys", staging=_ident(staging), table=_ident(dimension.table), key=_ident(key))
        ).fetchall()
        if rows:
            total = rows[0][2]
            shown = [f"{v!r} ({n} rows)" for v, n, _ in rows]
            problems.append(
                f"{dimension.table}.{key} has {_plural(total, 'value')} on more than one row: {_listing(shown, total)}"
            )
    return problems


def orphan_key_problems(conn: psycopg.Connection, staging: str) -> list[str]:
    problems = []
    for table, column, dimension in references():
        total, examples = orphan_keys(conn, staging, table, column, dimension)
        if total:
            shown = [f"{v!r} ({_plural(n, 'row')})" for v, n in examples]
            problems.append(
                f"{table.table}.{column} has {_plural(total, 'value')} with no row in {dimension.table}: "
                f"{_listing(shown, total)}"
            )
    return problems
