"""The star schema: typed dimension tables and the orders fact table, built by SQL from `sql/star/`.

`build_star` is plain Python over a psycopg connection (no Dagster inside), so it can be run from a
test, a notebook or the CLI; `star_schema` is the thin Dagster asset around it.

The star is built in a staging schema beside the live one and swapped in by renaming schemas, all in
one transaction: readers see either the previous star or the new one, a failed build leaves the
previous star untouched, and rebuilding from the same clean tables gives the same star every time.
"""

import string
import time
from dataclasses import dataclass

import dagster as dg
import psycopg
from dagster import AssetExecutionContext
from psycopg import sql

from multinational_assets.sql_files import render, sql_text


# Dimensions first: the fact table is loaded last and checked against them.
TABLES = (
    "dim_users",
    "dim_card_details",
    "dim_store_details",
    "dim_products",
    "dim_date_times",
    "orders_table",
)

# The column that identifies a row of each table (used to name offending rows in errors).
ROW_KEYS = {
    "dim_users": "user_uuid",
    "dim_card_details": "card_number",
    "dim_store_details": "store_code",
    "dim_products": "product_code",
    "dim_date_times": "date_uuid",
    "orders_table": "date_uuid",
}

DIMENSIONS = TABLES[:-1]

# orders_table column -> the dimension it points at (whose key has the same name).
FOREIGN_KEYS = {
    "date_uuid": "dim_date_times",
    "user_uuid": "dim_users",
    "card_number": "dim_card_details",
    "store_code": "dim_store_details",
    "product_code": "dim_products",
}

CLEAN_ASSET_KEYS = [dg.AssetKey(["clean", table]) for table in TABLES]
STAR_ASSET_KEY = dg.AssetKey(["star", "star_schema"])


class StarBuildError(RuntimeError):
    """The star could not be built from the clean tables; the previous star is unchanged.

    `problems` holds one sentence per problem, each naming the offending rows.
    """

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        lines = "\n".join(f"- {p}" for p in self.problems)
        super().__init__(f"the star schema was not rebuilt (the previous one is unchanged):\n{lines}")


@dataclass(frozen=True)
class _Column:
    name: str
    type: str  # as format_type() spells it, e.g. "character varying(12)"
    not_null: bool
    generated: bool


def _template(name: str) -> str:
    return sql_text("star", name)


def _render(name: str, **params: sql.Composable) -> sql.Composed:
    """The SQL file `sql/star/<name>.sql` with its {placeholders} filled safely."""
    return render("star", name, **params)


def _placeholders(name: str) -> list[str]:
    return [field for _, field, _, _ in string.Formatter().parse(_template(name)) if field]


def _ident(*parts: str) -> sql.Identifier:
    return sql.Identifier(*parts)


def _columns(conn: psycopg.Connection, schema: str, table: str) -> list[_Column]:
    rows = conn.execute(_template("list_star_columns"), {"schema": schema, "table": table}).fetchall()
    return [_Column(*row) for row in rows]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _listing(shown: list[str], total: int) -> str:
    more = total - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _measure_widths(conn: psycopg.Connection, source: str, table: str) -> dict[str, sql.Literal]:
    """VARCHAR widths for the create template of `table`, from the longest value of each column."""
    fields = [f for f in _placeholders(f"create_{table}") if f.startswith("width_")]
    if not fields:
        return {}
    measures = sql.SQL(", ").join(
        sql.SQL("greatest(coalesce(max(length({col}::text)), 0), 1)").format(
            col=_ident(f.removeprefix("width_"))
        )
        for f in fields
    )
    row = conn.execute(
        _render("measure_text_widths", widths=measures, source=_ident(source), table=_ident(table))
    ).fetchone()
    return {field: sql.Literal(int(width)) for field, width in zip(fields, row)}


def _load_problems(
    conn: psycopg.Connection, source: str, table: str, columns: list[_Column]
) -> list[str]:
    """Name the clean rows that made loading `table` fail: missing required values, values that do
    not fit the star column's type. Runs after the failed load was rolled back."""
    key = ROW_KEYS[table]
    problems: list[str] = []
    for col in columns:
        params = dict(source=_ident(source), table=_ident(table), key=_ident(key), column=_ident(col.name))
        if col.not_null:
            rows = conn.execute(_render("find_missing_values", **params)).fetchall()
            if rows:
                total = rows[0][1]
                message = f"{table}.{col.name} has {_plural(total, 'row')} with no value"
                if col.name != key:  # a row without its key has nothing else to be named by
                    message += ": " + _listing([f"{key} {v!r}" for v, _ in rows], total)
                problems.append(message)
        try:
            with conn.transaction():
                rows = conn.execute(
                    _render("find_invalid_values", **params, type_name=sql.Literal(col.type))
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


def _load_table(conn: psycopg.Connection, source: str, staging: str, table: str) -> None:
    """Create the typed star table `table` in `staging` and fill it from the clean table."""
    conn.execute(
        _render(f"create_{table}", staging=_ident(staging), **_measure_widths(conn, source, table))
    )
    columns = [c for c in _columns(conn, staging, table) if not c.generated]
    values = sql.SQL(", ").join(
        # Text goes in as text: an explicit cast to VARCHAR(n) would silently cut long values.
        sql.SQL("{}::text").format(_ident(c.name))
        if c.type.startswith("character varying")
        else sql.SQL("{}::{}").format(_ident(c.name), sql.SQL(c.type))
        for c in columns
    )
    load = _render(
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
        problems = _load_problems(conn, source, table, columns)
        if not problems:
            problems = [f"loading {table} from {source}.{table} failed: {exc}"]
        raise StarBuildError(problems) from exc


def _duplicate_key_problems(conn: psycopg.Connection, staging: str) -> list[str]:
    problems = []
    for table in DIMENSIONS:
        key = ROW_KEYS[table]
        rows = conn.execute(
            _render("find_duplicate_keys", staging=_ident(staging), table=_ident(table), key=_ident(key))
        ).fetchall()
        if rows:
            total = rows[0][2]
            shown = [f"{v!r} ({n} rows)" for v, n, _ in rows]
            problems.append(
                f"{table}.{key} has {_plural(total, 'value')} on more than one row: {_listing(shown, total)}"
            )
    return problems


def _orphan_key_problems(conn: psycopg.Connection, staging: str) -> list[str]:
    problems = []
    for column, dimension in FOREIGN_KEYS.items():
        rows = conn.execute(
            _render(
                "find_orphan_keys",
                staging=_ident(staging),
                column=_ident(column),
                dimension=_ident(dimension),
                key=_ident(column),
            )
        ).fetchall()
        if rows:
            total = rows[0][2]
            shown = [f"{v!r} ({_plural(n, 'order')})" for v, n, _ in rows]
            problems.append(
                f"orders_table.{column} has {_plural(total, 'value')} with no row in {dimension}: "
                f"{_listing(shown, total)}"
            )
    return problems


def _add_keys(conn, template: str, staging: str, violation: type[Exception], diagnose) -> None:
    """Run the key-adding `template`; if Postgres refuses, raise an error naming the offending rows."""
    try:
        with conn.transaction():
            conn.execute(_render(template, staging=_ident(staging)))
    except violation as exc:
        problems = diagnose(conn, staging) or [f"{template} failed: {exc}"]
        raise StarBuildError(problems) from exc


def build_star(
    conn: psycopg.Connection, source_schema: str = "clean", target_schema: str = "star"
) -> dict:
    """Build the star schema `target_schema` from the clean tables in `source_schema`.

    Every table is created typed and sized to the data in a staging schema, given its primary and
    foreign keys, and then swapped in for the previous star in the same transaction. Running it again
    on the same clean tables gives the same star. If anything is wrong (a value that does not fit its
    type, a duplicate key, an order pointing at a missing dimension row) nothing changes and a
    `StarBuildError` names the offending rows.

    The build runs in its own transaction, committed on success. If the caller already has a
    transaction open, the build becomes part of it and is visible once the caller commits.

    Returns a report: `schema`, `tables`, `rows` (per table), `column_types` (per table, column ->
    Postgres type) and `seconds`.
    """
    started = time.perf_counter()
    staging, retired = f"{target_schema}__next", f"{target_schema}__old"
    with conn.transaction():
        conn.execute(_render("take_build_lock", lock_name=sql.Literal(f"build_star:{target_schema}")))
        conn.execute(_render("set_build_memory"))
        conn.execute(_render("create_staging_schema", staging=_ident(staging), retired=_ident(retired)))
        for table in TABLES:
            _load_table(conn, source_schema, staging, table)

        # Postgres checks the keys as it adds them; only when it refuses do the (slower) queries
        # that name every offending value run, so a good build pays for the check once.
        _add_keys(conn, "add_primary_keys", staging, psycopg.errors.UniqueViolation, _duplicate_key_problems)
        _add_keys(conn, "add_foreign_keys", staging, psycopg.errors.ForeignKeyViolation, _orphan_key_problems)
        conn.execute(_render("analyze_tables", staging=_ident(staging)))

        conn.execute(
            _render(
                "swap_in_staging_schema",
                target=_ident(target_schema),
                staging=_ident(staging),
                retired=_ident(retired),
            )
        )
        rows = {
            t: conn.execute(_render("count_rows", schema=_ident(target_schema), table=_ident(t))).fetchone()[0]
            for t in TABLES
        }
        column_types = {
            t: {c.name: c.type for c in _columns(conn, target_schema, t)} for t in TABLES
        }
    return {
        "schema": target_schema,
        "tables": list(TABLES),
        "rows": rows,
        "column_types": column_types,
        "seconds": round(time.perf_counter() - started, 3),
    }


def column_types_markdown(report: dict) -> str:
    """The report's tables, columns and types as one markdown table (for the asset's metadata)."""
    lines = ["| table | rows | column | type |", "| --- | ---: | --- | --- |"]
    for table in report["tables"]:
        for i, (column, type_) in enumerate(report["column_types"][table].items()):
            rows = f"{report['rows'][table]:,}" if i == 0 else ""
            lines.append(f"| {table if i == 0 else ''} | {rows} | {column} | {type_} |")
    return "\n".join(lines)


@dg.asset(
    key=STAR_ASSET_KEY,
    group_name="star",
    deps=CLEAN_ASSET_KEYS,
    required_resource_keys={"warehouse"},
    kinds={"postgres", "sql"},
)
def star_schema(context: AssetExecutionContext) -> dg.MaterializeResult:
    """The reporting tables: customers, cards, stores, products and sale times, with every sale
    linked to each of them, rebuilt from the cleaned data and swapped in only when complete."""
    try:
        with context.resources.warehouse.connect() as conn:
            report = build_star(conn)
    except StarBuildError as error:
        # A Failure shows the offending rows in the UI as a list, not buried in a stack trace.
        raise dg.Failure(
            description=str(error),
            metadata={"problems": dg.MetadataValue.md("\n".join(f"- {p}" for p in error.problems))},
        ) from error
    context.log.info(f"star schema built in {report['seconds']} s: {report['rows']}")
    return dg.MaterializeResult(
        metadata={
            "tables": dg.MetadataValue.md(", ".join(f"`{t}`" for t in report["tables"])),
            "rows": dg.MetadataValue.json(report["rows"]),
            "columns": dg.MetadataValue.md(column_types_markdown(report)),
            "seconds": dg.MetadataValue.float(report["seconds"]),
            # One number per table, so the UI can plot each table's size across runs.
            **{f"rows/{t}": dg.MetadataValue.int(n) for t, n in report["rows"].items()},
        }
    )
