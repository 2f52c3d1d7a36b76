"""Asset checks on the clean layer: every raw row accounted for, keys unique, and every key the
orders use present in its dimension (blocking, so nothing downstream runs on a broken reference)."""

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetKey,
    MetadataValue,
    multi_asset_check,
)
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


def _table_checks(spec: CleanTable) -> AssetChecksDefinition:
    """The checks of one clean table, run in one step on one connection (a step per check cost
    more in Dagster's bookkeeping than the queries themselves)."""
    table = AssetKey(["clean", spec.table])
    accounted = AssetCheckSpec(
        "every_raw_row_accounted_for",
        asset=table,
        additional_deps=[AssetKey(["quarantine", spec.table]), AssetKey(["raw", spec.raw_asset])],
        description="Every raw row is either in the clean table or in quarantine: nothing lost, nothing invented.",
    )
    unique = AssetCheckSpec(
        f"{spec.key}_is_unique", asset=table, description=f"Each {spec.key} appears exactly once and is never missing."
    )

    @multi_asset_check(
        name=f"check_clean_{spec.table}",
        specs=[accounted, unique],
        can_subset=True,
        description=f"Checks that clean.{spec.table} accounts for every raw row and has a usable key.",
    )
    def _checks(context: AssetCheckExecutionContext, warehouse: WarehouseResource):
        selected = context.selected_asset_check_keys
        with warehouse.connect() as conn:
            if accounted.key in selected:
                raw, clean, quarantined = rows_accounted_for(conn, spec)
                yield AssetCheckResult(
                    asset_key=table,
                    check_name=accounted.name,
                    passed=raw == clean + quarantined,
                    metadata={"raw_rows": raw, "clean_rows": clean, "quarantined_rows": quarantined},
                )
            if unique.key in selected:
                bad = duplicate_or_missing_keys(conn, spec.table, spec.key)
                yield AssetCheckResult(
                    asset_key=table,
                    check_name=unique.name,
                    passed=bad == 0,
                    metadata={"duplicate_or_missing_keys": bad},
                )

    return _checks


def _order_reference_checks() -> AssetChecksDefinition:
    """One blocking check per key the orders use, run in one step on one connection."""
    orders = AssetKey(["clean", "orders_table"])
    checks = [
        (
            AssetCheckSpec(
                f"{column}_exists_in_{dimension}",
                asset=orders,
                additional_deps=[AssetKey(["clean", dimension])],
                blocking=True,
                description=f"Every order's {column} names a row of {dimension}; the star is not built otherwise.",
            ),
            column,
            dimension,
        )
        for column, dimension in ORDER_REFERENCES.items()
    ]

    @multi_asset_check(
        name="check_order_references",
        specs=[spec for spec, _, _ in checks],
        can_subset=True,
        description="Checks that every key an order uses names a row of its dimension table.",
    )
    def _checks(context: AssetCheckExecutionContext, warehouse: WarehouseResource):
        with warehouse.connect() as conn:
            for spec, column, dimension in checks:
                if spec.key not in context.selected_asset_check_keys:
                    continue
                total, examples = orphan_order_keys(conn, column, dimension)
                yield AssetCheckResult(
                    asset_key=orders,
                    check_name=spec.name,
                    passed=total == 0,
                    severity=AssetCheckSeverity.ERROR,
                    metadata={
                        "orphan_values": total,
                        "examples": MetadataValue.md(
                            "\n".join(f"- `{value}` ({n} orders)" for value, n in examples) or "_none_"
                        ),
                    },
                )

    return _checks


clean_checks = [*[_table_checks(spec) for spec in CLEAN_TABLES], _order_reference_checks()]
