"""Asset checks on the clean layer: every raw row accounted for, keys unique, and every key the
orders use present in its dimension (blocking, so nothing downstream runs on a broken reference)."""

from __future__ import annotations

from dagster import AssetCheckResult, AssetCheckSeverity, AssetKey, MetadataValue, asset_check
from psycopg import sql

from multinational_assets.clean import CLEAN_TABLES, ORDER_REFERENCES, CleanTable
from multinational_assets.sql_files import render
from multinational_assets.warehouse import WarehouseResource



def _count(conn, schema: str, table: str) -> int:
    return conn.execute(render("checks", "count_rows", table=sql.Identifier(schema, table))).fetchone()[0]


def rows_accounted_for(conn, spec: CleanTable) -> tuple[int, int, int]:
    """(raw rows, clean rows, quarantined rows) of one table."""
    return (
        _count(conn, "raw", spec.raw_asset),
        _count(conn, "clean", spec.table),
        _count(conn, "quarantine", spec.table),
    )


def duplicate_or_missing_keys(conn, table: str, key: str) -> int:
    query = render("checks", "count_duplicate_or_missing_keys", table=sql.Identifier("clean", table), key=sql.Identifier(key))
    return conn.execute(query).fetchone()[0]


def orphan_order_keys(conn, column: str, dimension: str) -> tuple[int, list[tuple[str, int]]]:
    """(number of orphan values, up to 10 of them with their order counts). The same query that
    names orphans when the star build fails, run on the clean schema."""
    rows = conn.execute(
        render(
            "star", "find_orphan_keys",
            staging=sql.Identifier("clean"),
            dimension=sql.Identifier(dimension),
            key=sql.Identifier(column),
            column=sql.Identifier(column),
        )
    ).fetchall()
    return (rows[0][2] if rows else 0), [(r[0], r[1]) for r in rows]


def _accounting_check(spec: CleanTable):
    @asset_check(
        asset=AssetKey(["clean", spec.table]),
        name="every_raw_row_accounted_for",
        additional_deps=[AssetKey(["quarantine", spec.table]), AssetKey(["raw", spec.raw_asset])],
        description="Every raw row is either in the clean table or in quarantine: nothing lost, nothing invented.",
    )
    def _check(warehouse: WarehouseResource) -> AssetCheckResult:
        with warehouse.connect() as conn:
            raw, clean, quarantined = rows_accounted_for(conn, spec)
        return AssetCheckResult(
            passed=raw == clean + quarantined,
            metadata={"raw_rows": raw, "clean_rows": clean, "quarantined_rows": quarantined},
        )

    return _check


def _unique_key_check(spec: CleanTable):
    @asset_check(
        asset=AssetKey(["clean", spec.table]),
        name=f"{spec.key}_is_unique",
        description=f"Each {spec.key} appears exactly once and is never missing.",
    )
    def _check(warehouse: WarehouseResource) -> AssetCheckResult:
        with warehouse.connect() as conn:
            bad = duplicate_or_missing_keys(conn, spec.table, spec.key)
        return AssetCheckResult(passed=bad == 0, metadata={"duplicate_or_missing_keys": bad})

    return _check


def _reference_check(column: str, dimension: str):
    @asset_check(
        asset=AssetKey(["clean", "orders_table"]),
        name=f"{column}_exists_in_{dimension}",
        additional_deps=[AssetKey(["clean", dimension])],
        blocking=True,
        description=f"Every order's {column} names a row of {dimension}; the star is not built otherwise.",
    )
    def _check(warehouse: WarehouseResource) -> AssetCheckResult:
        with warehouse.connect() as conn:
            total, examples = orphan_order_keys(conn, column, dimension)
        return AssetCheckResult(
            passed=total == 0,
            severity=AssetCheckSeverity.ERROR,
            metadata={
                "orphan_values": total,
                "examples": MetadataValue.md(
                    "\n".join(f"- `{value}` ({n} orders)" for value, n in examples) or "_none_"
                ),
            },
        )

    return _check


clean_checks = [
    *[_accounting_check(spec) for spec in CLEAN_TABLES],
    *[_unique_key_check(spec) for spec in CLEAN_TABLES],
    *[_reference_check(column, dimension) for column, dimension in ORDER_REFERENCES.items()],
]
