"""The star schema: typed dimension tables and the orders fact table, built by SQL from `sql/star/`.

`build_star` is plain Python over a psycopg connection (no Dagster inside), so it can be run from a
test, a notebook or the CLI; `star_schema` is the thin Dagster asset around it.

The star is built in a staging schema beside the live one and swapped in by renaming schemas, all in
one transaction: readers see either the previous star or the new one, a failed build leaves the
previous star untouched, and rebuilding from the same clean tables gives the same star every time.
"""

import time
from dataclasses import dataclass

import dagster as dg
import psycopg
from dagster import AssetExecutionContext
from psycopg import sql

from multinational_assets.checks import orphan_keys, quarantined_because
from multinational_assets.cleaning import TableContract
from multinational_assets.settings import missing_references_setting
from multinational_assets.sources import CLEAN_TABLES, DIMENSIONS, contract_of, references
from multinational_assets.sql_files import render, sql_text


# Dimensions first: the fact table is loaded last and checked against them.
TABLES = tuple(contract.table for contract in CLEAN_TABLES)
INFERRED_FLAG = "is_inferred"

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


def _measure_widths(conn: psycopg.Connection, source: str, contract: TableContract) -> dict[str, int]:
    """The longest value of each VARCHAR column of one clean table (at least 1)."""
    sized = [c.name for c in contract.columns if c.kind.sql_type == "varchar"]
    if not sized:
        return {}
    measures = sql.SQL(", ").join(
        sql.SQL("greatest(coalesce(max(length({col}::text)), 0), 1)").format(col=_ident(name)) for name in sized
    )
    row = conn.execute(
        _render("measure_text_widths", widths=measures, source=_ident(source), table=_ident(contract.table))
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


def _load_problems(
    conn: psycopg.Connection, source: str, table: str, columns: list[_Column]
) -> list[str]:
    """Name the clean rows that made loading `table` fail: missing required values, values that do
    not fit the star column's type. Runs after the failed load was rolled back."""
    key = contract_of(table).key
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


def _load_table(conn: psycopg.Connection, source: str, staging: str, contract: TableContract, widths: dict) -> None:
    """Create the typed star table of `contract` in `staging` and fill it from the clean table."""
    table = contract.table
    conn.execute(
        _render("create_table", staging=_ident(staging), table=_ident(table), columns=_column_definitions(contract, widths))
    )
    columns = _columns(conn, staging, table)
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
    if contract in DIMENSIONS:
        conn.execute(_render("add_inferred_flag", staging=_ident(staging), table=_ident(table)))


def _duplicate_key_problems(conn: psycopg.Connection, staging: str) -> list[str]:
    problems = []
    for dimension in DIMENSIONS:
        key = dimension.key
        rows = conn.execute(
            _render("find_duplicate_keys", staging=_ident(staging), table=_ident(dimension.table), key=_ident(key))
        ).fetchall()
        if rows:
            total = rows[0][2]
            shown = [f"{v!r} ({n} rows)" for v, n, _ in rows]
            problems.append(
                f"{dimension.table}.{key} has {_plural(total, 'value')} on more than one row: {_listing(shown, total)}"
            )
    return problems


def _orphan_key_problems(conn: psycopg.Connection, staging: str) -> list[str]:
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
        _render("add_primary_key", staging=_ident(staging), table=_ident(d.table), key=_ident(d.key),
                constraint=_ident(f"{d.table}_pkey"))
        for d in DIMENSIONS
    ]


def _foreign_keys(staging: str) -> list[sql.Composed]:
    return [
        _render("add_foreign_key", staging=_ident(staging), table=_ident(t.table), column=_ident(column),
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
        inserted = conn.execute(_render("add_inferred_members", **params)).rowcount
        if inserted:
            found = added[dimension.table]
            found["count"] += inserted
            found["examples"] += [(key, n) for key, n, _ in conn.execute(_render("find_inferred_members", **params))]
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
        conn.execute(_render("take_build_lock", lock_name=sql.Literal(f"build_star:{target_schema}")))
        conn.execute(_render("set_build_memory"))
        conn.execute(_render("create_staging_schema", staging=_ident(staging), retired=_ident(retired)))
        widths = _star_widths(conn, source_schema)
        for contract in CLEAN_TABLES:
            _load_table(conn, source_schema, staging, contract, widths[contract.table])
        conn.execute(_render("add_weight_class", staging=_ident(staging)))

        # Postgres checks the keys as it adds them; only when it refuses do the (slower) queries
        # that name every offending value run, so a good build pays for the check once.
        _add_keys(conn, staging, _primary_keys(staging), psycopg.errors.UniqueViolation, _duplicate_key_problems)
        inferred = {} if strict else _add_inferred_members(conn, staging)
        why = {table: quarantined_because(conn, contract_of(table), [k for k, _ in found["examples"]])
               for table, found in inferred.items() if found["count"]}
        _add_keys(conn, staging, _foreign_keys(staging), psycopg.errors.ForeignKeyViolation, _orphan_key_problems)
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
        "inferred_members": {d.table: inferred.get(d.table, {}).get("count", 0) for d in DIMENSIONS},
        # Per dimension with inferred members: up to ten keys, the sales naming each, and why the key's
        # own row is missing when it was quarantined.
        "inferred_examples": {
            table: [(key, n, why[table].get(key)) for key, n in found["examples"][:10]]
            for table, found in inferred.items() if found["count"]
        },
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


def inferred_members_check(dimension: TableContract) -> dg.AssetCheckSpec:
    """The check that reports the dimension's inferred members each time the star is built."""
    return dg.AssetCheckSpec(
        f"{dimension.table}_has_no_inferred_members",
        asset=STAR_ASSET_KEY,
        description=(
            f"Every key the sales name has its own row in {dimension.table}. A key whose row has not arrived "
            "(or was quarantined) stands in as an inferred member: listed here with the sales naming it."
        ),
    )


def inferred_member_results(report: dict):
    """One warning-level check result per dimension: passed when it has no inferred member."""
    for dimension in DIMENSIONS:
        count = report["inferred_members"][dimension.table]
        examples = report["inferred_examples"].get(dimension.table, [])
        listed = "\n".join(
            f"- `{key}` ({n:,} rows)" + (f": quarantined as {why}" if why else "") for key, n, why in examples
        )
        yield dg.AssetCheckResult(
            asset_key=STAR_ASSET_KEY,
            check_name=inferred_members_check(dimension).name,
            passed=count == 0,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={"inferred_members": dg.MetadataValue.int(count), "examples": dg.MetadataValue.md(listed or "_none_")},
        )


@dg.asset(
    key=STAR_ASSET_KEY,
    group_name="star",
    deps=CLEAN_ASSET_KEYS,
    required_resource_keys={"warehouse"},
    kinds={"postgres", "sql"},
    check_specs=[inferred_members_check(d) for d in DIMENSIONS],
)
def star_schema(context: AssetExecutionContext):
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
    inferred = {table: n for table, n in report["inferred_members"].items() if n}
    if inferred:
        context.log.warning(
            "Sales name keys their dimensions lack; inferred members stand in for them until their rows "
            "arrive: " + ", ".join(f"{n:,} in {table}" for table, n in inferred.items())
        )
    yield dg.MaterializeResult(
        metadata={
            "tables": dg.MetadataValue.md(", ".join(f"`{t}`" for t in report["tables"])),
            "rows": dg.MetadataValue.json(report["rows"]),
            "columns": dg.MetadataValue.md(column_types_markdown(report)),
            "seconds": dg.MetadataValue.float(report["seconds"]),
            "inferred_members": dg.MetadataValue.json(report["inferred_members"]),
            # One number per table, so the UI can plot each table's size across runs.
            **{f"rows/{t}": dg.MetadataValue.int(n) for t, n in report["rows"].items()},
        }
    )
    yield from inferred_member_results(report)
