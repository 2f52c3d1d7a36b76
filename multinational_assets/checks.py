"""Asset checks on the clean layer: every raw row accounted for, keys unique and present, and every
key a table references present in its dimension.

A missing reference does not stop the refresh (dimensional modelling's late-arriving dimension): the
star gets an inferred member for it, and the reference check reports it as a warning, with examples
and, for keys that were quarantined, why. With `MULTINATIONAL_MISSING_REFERENCES=strict` the
reference checks block instead, and nothing downstream of the orders is built on a broken reference.
"""


from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetCheckSpec,
    MetadataValue,
    multi_asset_check,
)
from psycopg import sql

from multinational_assets.clean import clean_key, quarantine_key, raw_key
from multinational_assets.cleaning import TableContract
from multinational_assets.settings import missing_references_setting
from multinational_assets.sources import CLEAN_TABLES, references
from multinational_assets.sql_files import render
from multinational_assets.warehouse import WarehouseResource


def _count(conn, schema: str, table: str) -> int:
    return conn.execute(render("checks", "count_rows", table=sql.Identifier(schema, table))).fetchone()[0]


def rows_accounted_for(conn, contract: TableContract) -> tuple[int, int, int]:
    """(raw rows, clean rows, quarantined rows) of one table."""
    return (
        _count(conn, "raw", contract.raw_table),
        _count(conn, "clean", contract.table),
        _count(conn, "quarantine", contract.table),
    )


def duplicate_or_missing_keys(conn, table: str, key: str) -> int:
    query = render("checks", "count_duplicate_or_missing_keys", table=sql.Identifier("clean", table), key=sql.Identifier(key))
    return conn.execute(query).fetchone()[0]


def _reference_params(schema: str, table: TableContract, column: str, dimension: TableContract) -> dict:
    return dict(
        schema=sql.Identifier(schema), table=sql.Identifier(table.table), column=sql.Identifier(column),
        dimension=sql.Identifier(dimension.table), key=sql.Identifier(dimension.key),
    )


def orphan_keys(conn, schema: str, table: TableContract, column: str, dimension: TableContract) -> tuple[int, list[tuple[str, int]]]:
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


def _table_checks(contract: TableContract) -> AssetChecksDefinition:
    """The checks of one clean table, run in one step on one connection (a step per check cost
    more in Dagster's bookkeeping than the queries themselves)."""
    table = clean_key(contract)
    accounted = AssetCheckSpec(
        "every_raw_row_accounted_for",
        asset=table,
        additional_deps=[quarantine_key(contract), raw_key(contract)],
        description="Every raw row is either in the clean table or in quarantine: nothing lost, nothing invented.",
    )
    unique = AssetCheckSpec(
        f"{contract.key}_is_unique", asset=table, description=f"Each {contract.key} appears exactly once and is never missing."
    )

    @multi_asset_check(
        name=f"check_clean_{contract.table}",
        specs=[accounted, unique],
        can_subset=True,
        description=f"Checks that clean.{contract.table} accounts for every raw row and has a usable key.",
    )
    def _checks(context: AssetCheckExecutionContext, warehouse: WarehouseResource):
        selected = context.selected_asset_check_keys
        with warehouse.connect() as conn:
            if accounted.key in selected:
                raw, clean, quarantined = rows_accounted_for(conn, contract)
                yield AssetCheckResult(
                    asset_key=table,
                    check_name=accounted.name,
                    passed=raw == clean + quarantined,
                    metadata={"raw_rows": raw, "clean_rows": clean, "quarantined_rows": quarantined},
                )
            if unique.key in selected:
                bad = duplicate_or_missing_keys(conn, contract.table, contract.key)
                yield AssetCheckResult(
                    asset_key=table,
                    check_name=unique.name,
                    passed=bad == 0,
                    metadata={"duplicate_or_missing_keys": bad},
                )

    return _checks


def reference_check_name(column: str, dimension: TableContract) -> str:
    return f"{column}_exists_in_{dimension.table}"


def _reference_checks(strict: bool) -> list[AssetChecksDefinition]:
    """One check per key a table references, all of one table in one step on one connection;
    blocking only when strict."""
    by_table: dict[str, list] = {}
    for table, column, dimension in references():
        spec = AssetCheckSpec(
            reference_check_name(column, dimension),
            asset=clean_key(table),
            additional_deps=[clean_key(dimension), quarantine_key(dimension)],
            blocking=strict,
            description=(
                f"Every {table.table} row's {column} names a row of {dimension.table}. "
                + ("The star is not built otherwise." if strict else
                   "A missing one becomes an inferred member of the star, reported here.")
            ),
        )
        by_table.setdefault(table.table, []).append((spec, table, column, dimension))
    return [_reference_step(table, checks, strict) for table, checks in by_table.items()]


def _reference_step(table: str, checks: list, strict: bool) -> AssetChecksDefinition:
    @multi_asset_check(
        name=f"check_{table}_references",
        specs=[spec for spec, *_ in checks],
        can_subset=True,
        description=f"Checks that every key {table} uses names a row of its dimension table.",
    )
    def _checks(context: AssetCheckExecutionContext, warehouse: WarehouseResource):
        with warehouse.connect() as conn:
            for spec, contract, column, dimension in checks:
                if spec.key not in context.selected_asset_check_keys:
                    continue
                values, examples = orphan_keys(conn, "clean", contract, column, dimension)
                rows, without_value = orphan_rows(conn, "clean", contract, column, dimension)
                why = quarantined_because(conn, dimension, [value for value, _ in examples])
                listed = "\n".join(
                    f"- `{value}` ({n:,} rows)" + (f": quarantined in {dimension.table} as {why[value]}" if value in why else "")
                    for value, n in examples
                )
                yield AssetCheckResult(
                    asset_key=spec.asset_key,
                    check_name=spec.name,
                    passed=values == 0,
                    severity=AssetCheckSeverity.ERROR if strict else AssetCheckSeverity.WARN,
                    metadata={
                        "missing_keys": MetadataValue.int(values),
                        "rows_with_missing_key": MetadataValue.int(rows),
                        "rows_without_value": MetadataValue.int(without_value),
                        "examples": MetadataValue.md(listed or "_none_"),
                    },
                )

    return _checks


clean_checks = [
    *[_table_checks(contract) for contract in CLEAN_TABLES],
    *_reference_checks(strict=missing_references_setting() == "strict"),
]
