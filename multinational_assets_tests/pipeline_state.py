"""Helpers for the tests that run the pipeline against the sandbox and check what it left behind.

- `warehouse_snapshot`: a checksum of every table in the warehouse (columns, row count and an md5 of
  the sorted rows), so a test can prove that a failed run changed nothing;
- `good_full_run`: one successful run of the whole graph per test session, shared by the modules
  that need one (with the snapshot taken right after it);
- `downstream_of`: an asset selection of some raw assets and everything built from them;
- `run_text`: everything Dagster recorded about a run (events, metadata, run config, tags) as text,
  for searching it for secrets.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import psycopg
from dagster import DagsterInstance
from psycopg import sql

from multinational_assets.cli.runs import PipelineRun, run_pipeline
from multinational_assets.defs.resources import WarehouseResource
from multinational_assets.metrics.registry import METRIC_NAMES
from multinational_assets.sources import CLEAN_TABLES

LAYERS = ("raw", "clean", "quarantine", "star", "metrics")
# The quarantine tables carry the id of the run that wrote them: the one column that legitimately
# differs between two runs over the same sources.
RUN_ID_COLUMN = ("quarantine", "run_id")
RAW_ASSETS = [
    "raw/legacy_users", "raw/orders_table", "raw/card_details", "raw/store_details", "raw/products",
    "raw/date_details",
]


@dataclass(frozen=True)
class TableSum:
    columns: tuple[tuple[str, str], ...]  # (name, type) in order
    rows: int
    md5: str | None  # md5 of the rows' text, sorted and joined with '|'; None for an empty table


def _user_tables(conn: psycopg.Connection) -> list[tuple[str, str]]:
    """Every ordinary table outside the system schemas: leftovers such as `x__loading` or a
    `star__next` schema show up here too."""
    return conn.execute(
        "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
        "AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1, 2"
    ).fetchall()


def _columns(conn: psycopg.Connection, schema: str, table: str) -> list[tuple[str, str]]:
    return conn.execute(
        "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
        "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND c.relname = %s AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
        (schema, table),
    ).fetchall()


def table_sum(conn: psycopg.Connection, schema: str, table: str, ignore: tuple[str, ...] = ()) -> TableSum:
    """The checksum of one table, leaving out the columns named in `ignore`."""
    columns = [c for c in _columns(conn, schema, table) if c[0] not in ignore]
    row = sql.SQL("ROW({})::text").format(sql.SQL(", ").join(sql.Identifier(name) for name, _ in columns))
    query = sql.SQL(
        "SELECT count(*), md5(string_agg(r, '|' ORDER BY r)) FROM (SELECT {row} AS r FROM {table}) AS s"
    ).format(row=row, table=sql.Identifier(schema, table))
    rows, digest = conn.execute(query).fetchone()
    return TableSum(tuple(columns), rows, digest)


def warehouse_snapshot(ignore_run_id: bool = False, schemas: tuple[str, ...] | None = None) -> dict[str, TableSum]:
    """`schema.table` -> checksum for every table of the warehouse (or of `schemas`)."""
    with WarehouseResource().connect() as conn:
        snapshot = {}
        for schema, table in _user_tables(conn):
            if schemas is not None and schema not in schemas:
                continue
            ignore = (RUN_ID_COLUMN[1],) if ignore_run_id and schema == RUN_ID_COLUMN[0] else ()
            snapshot[f"{schema}.{table}"] = table_sum(conn, schema, table, ignore)
        return snapshot


def snapshot_differences(before: dict[str, TableSum], after: dict[str, TableSum]) -> list[str]:
    """What changed between two snapshots, one line per table (empty when nothing did)."""
    lines = []
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old is None:
            lines.append(f"{name}: new table ({new.rows} rows)")
        elif new is None:
            lines.append(f"{name}: table gone (had {old.rows} rows)")
        elif old != new:
            what = "columns" if old.columns != new.columns else "rows"
            lines.append(f"{name}: {what} changed ({old.rows} rows -> {new.rows} rows)")
    return lines


def expected_tables() -> set[str]:
    """The 34 tables a complete run leaves in the warehouse."""
    tables = {f"raw.{a.split('/')[1]}" for a in RAW_ASSETS} | {"quarantine.rejected_values"}
    for spec in CLEAN_TABLES:
        tables |= {f"clean.{spec.table}", f"quarantine.{spec.table}", f"star.{spec.table}"}
    return tables | {f"metrics.{m}" for m in METRIC_NAMES}


# ---------------------------------------------------------------------------------------------
# One good run of everything, shared by the modules of a test session


@dataclass
class GoodRun:
    run: PipelineRun
    snapshot: dict[str, TableSum]  # right after the run, run ids included
    snapshot_without_run_ids: dict[str, TableSum]


_good_run: dict[str, GoodRun] = {}


def good_full_run() -> GoodRun:
    """Materialise every asset once per session (unless a test said the warehouse no longer holds
    that run's output) and return the run with the warehouse snapshot taken right after it."""
    if "run" not in _good_run:
        run = run_pipeline()
        assert run.success, run.failure
        _good_run["run"] = GoodRun(run, warehouse_snapshot(), warehouse_snapshot(ignore_run_id=True))
    return _good_run["run"]


@contextlib.contextmanager
def sandbox_put_back(progress=print):
    """Whatever the block does to the sandbox (staged sources) or the warehouse, afterwards the
    generated sources are served again and, if the warehouse changed, it is rebuilt from them."""
    from multinational_assets.sandbox import control  # noqa: PLC0415

    before = warehouse_snapshot(ignore_run_id=True)
    try:
        yield
    finally:
        control.unstage()
        if snapshot_differences(before, warehouse_snapshot(ignore_run_id=True)):
            progress("the warehouse changed: rebuilding it from the generated sources")
            forget_good_run()
            good_full_run()


def forget_good_run() -> None:
    """Call after a test left other data in the warehouse (e.g. staged sources)."""
    _good_run.clear()


def downstream_of(*raw_assets: str) -> list[str]:
    """The raw assets, the clean and quarantine tables built from them, the star and the metrics."""
    selection = [f"raw/{a}" for a in raw_assets]
    for spec in CLEAN_TABLES:
        if spec.raw_table in raw_assets:
            selection += [f"clean/{spec.table}", f"quarantine/{spec.table}", f"quarantine/{spec.table}_rejected_values"]
    return [*selection, *[f"star/{spec.table}" for spec in CLEAN_TABLES], *[f"metrics/{m}" for m in METRIC_NAMES]]


def refreshed_by(*raw_assets: str) -> set:
    """What the S3 sensor's run for new versions of these raw assets must rebuild: them, everything
    downstream, and the whole star (its tables are built and swapped in together)."""
    from dagster import AssetKey, AssetSelection  # noqa: PLC0415

    from multinational_assets.definitions import defs  # noqa: PLC0415

    keys = [AssetKey(["raw", name]) for name in raw_assets]
    downstream = set(AssetSelection.assets(*keys).downstream().resolve(defs.resolve_asset_graph()))
    return downstream | {AssetKey(["star", spec.table]) for spec in CLEAN_TABLES}


# ---------------------------------------------------------------------------------------------
# Searching what Dagster recorded


def run_text(instance: DagsterInstance, run_id: str) -> str:
    """Every event of the run (messages, errors, metadata) and the run itself (config, tags), as
    Dagster serialises them."""
    from dagster import serialize_value

    parts = [serialize_value(entry) for entry in instance.all_logs(run_id)]
    run = instance.get_run_by_id(run_id)
    parts.append(serialize_value(run))
    return "\n".join(parts)


def run_with_instance(selection: list[str] | None, **kwargs) -> tuple[PipelineRun, DagsterInstance]:
    """`run_pipeline` on an in-memory instance the caller keeps, to look at the run's events after.
    The caller disposes of the instance."""
    instance = DagsterInstance.ephemeral()
    return run_pipeline(selection, instance=instance, **kwargs), instance


def check_results(instance: DagsterInstance, run_id: str) -> dict[str, bool]:
    """Asset check name -> passed, for every check the run evaluated."""
    from dagster import DagsterEventType

    records = instance.get_records_for_run(run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION).records
    results = {}
    for record in records:
        evaluation = record.event_log_entry.dagster_event.event_specific_data
        results[evaluation.asset_check_key.to_user_string()] = evaluation.passed
    return results
