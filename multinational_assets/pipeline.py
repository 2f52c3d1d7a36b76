"""Run the asset graph from Python (the demo, the benchmarks and the tests) and summarise a run."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
from dagster import (
    AssetCheckSeverity,
    AssetKey,
    DagsterEventType,
    DagsterInstance,
    JobDefinition,
    RunsFilter,
    execute_job,
    reconstructable,
)

from multinational_assets.warehouse import WarehouseResource, read_table


@dataclass
class AssetFigures:
    asset: str
    rows: int | None
    seconds: float | None


@dataclass
class PipelineRun:
    """What a run did: success, per-asset rows and step seconds, wall time, and the error if any.
    `steps` holds every step's seconds (asset and check steps) by step key; a step that writes several
    assets gives each of them its seconds."""

    run_id: str
    success: bool
    seconds: float
    assets: list[AssetFigures] = field(default_factory=list)
    failure: str | None = None
    steps: dict[str, float] = field(default_factory=dict)
    # Per clean table: raw rows, kept, quarantined, values rejected, warnings (from its metadata).
    cleaning: dict[str, dict[str, int]] = field(default_factory=dict)
    # Per dimension: inferred members the star build added for keys the sales name but it lacks.
    inferred_members: dict[str, int] = field(default_factory=dict)

    def table(self) -> pd.DataFrame:
        return pd.DataFrame(
            [{"asset": a.asset, "rows": a.rows, "seconds": a.seconds} for a in self.assets],
            columns=["asset", "rows", "seconds"],
        ).sort_values("asset", ignore_index=True)

    def cleaning_table(self) -> pd.DataFrame:
        """One row per clean table, in the order the star is built: what its raw rows became."""
        from multinational_assets.sources import CLEAN_TABLES  # noqa: PLC0415

        order = [c.table for c in CLEAN_TABLES if c.table in self.cleaning]
        return pd.DataFrame(
            [{"table": table, **self.cleaning[table]} for table in order], columns=["table", *CLEANING_FIGURES]
        )

    def references_line(self) -> str | None:
        """One sentence on missing references, or None when the star was not built in this run."""
        if not self.inferred_members:
            return None
        missing = {table: n for table, n in self.inferred_members.items() if n}
        if not missing:
            return "References: every key the sales name was found in its dimension."
        listed = ", ".join(f"{n:,} in {table}" for table, n in missing.items())
        return (f"References: sales name keys their dimensions lack ({listed}); inferred members stand in "
                "for them until their rows arrive (see the reference checks for examples).")


# The figures each clean asset's metadata carries, in the order a summary shows them.
CLEANING_FIGURES = {
    "rows_in": "raw rows", "rows_kept": "kept", "rows_quarantined": "quarantined",
    "values_rejected": "values rejected", "warnings": "warnings",
}


def run_pipeline(
    selection: list[str] | None = None,
    instance: DagsterInstance | None = None,
    tags: dict | None = None,
    progress: Callable[[str], None] | None = None,
    log_level: str = "WARNING",
) -> PipelineRun:
    """Materialise the selected assets (all when None) in this process and return what happened.

    `progress`, when given, receives one line per asset materialised or step failed, as it happens.
    """
    keys = [AssetKey.from_user_string(s) for s in selection] if selection else None
    own_instance = instance is None
    instance = instance or DagsterInstance.ephemeral()
    invocation = uuid.uuid4().hex  # finds this run's id for the progress watcher
    tags = {**(tags or {}), INVOCATION_TAG: invocation}
    watcher = _ProgressWatcher(instance, invocation, progress) if progress else None
    started = time.perf_counter()
    try:
        if watcher:
            watcher.start()
        # execute_job runs the job as a run worker does (the UI, the daemon, `dagster asset
        # materialize`). execute_in_process would also keep every step's output in memory until the
        # run ends, so that it can hand them back: gigabytes of DataFrames at ten times the real size.
        with execute_job(
            reconstructable(asset_graph_job),
            instance=instance,
            asset_selection=keys,
            raise_on_error=False,
            tags=tags,
            run_config={"loggers": {"console": {"config": {"log_level": log_level}}}},
        ) as result:
            seconds = time.perf_counter() - started
            if watcher:
                watcher.stop()
            return summarise(instance, result.run_id, result.success, seconds, _failure(result))
    finally:
        if watcher:
            watcher.stop()
        if own_instance:
            instance.dispose()


INVOCATION_TAG = "multinational/invocation"


def asset_graph_job() -> JobDefinition:
    """The job of every asset (`refresh_everything`; a run selects part of it), for `reconstructable`."""
    from multinational_assets.definitions import defs  # noqa: PLC0415 - keep package import light

    return defs.resolve_job_def("refresh_everything")


class _ProgressWatcher(threading.Thread):
    """Reports each materialisation and step failure of a run while it runs."""

    def __init__(self, instance: DagsterInstance, invocation: str, progress: Callable[[str], None]):
        super().__init__(daemon=True)
        self.instance, self.invocation, self.progress = instance, invocation, progress
        self.run_id: str | None = None
        self.cursor = None
        self.done = threading.Event()
        self.started_at = time.perf_counter()

    def run(self) -> None:
        while not self.done.wait(0.5):
            self.poll()
        self.poll()

    def stop(self) -> None:
        if not self.done.is_set():
            self.done.set()
            if self.is_alive():
                self.join(timeout=5)

    def poll(self) -> None:
        try:
            if self.run_id is None:
                runs = self.instance.get_run_records(RunsFilter(tags={INVOCATION_TAG: self.invocation}), limit=1)
                if not runs:
                    return
                self.run_id = runs[0].dagster_run.run_id
            connection = self.instance.get_records_for_run(self.run_id, cursor=self.cursor)
        except Exception:  # noqa: BLE001 - progress is best effort; the run's own result decides
            return
        self.cursor = connection.cursor
        for record in connection.records:
            event = record.event_log_entry.dagster_event
            if event is None:
                continue
            elapsed = time.perf_counter() - self.started_at
            if event.event_type == DagsterEventType.ASSET_MATERIALIZATION:
                mat = event.event_specific_data.materialization
                rows = mat.metadata.get("dagster/row_count")
                count = f"{int(rows.value):>9,} rows" if rows is not None else " " * 14
                self.progress(f"[{elapsed:6.1f}s] materialised {mat.asset_key.to_user_string():<38} {count}")
            elif event.event_type == DagsterEventType.STEP_FAILURE:
                self.progress(f"[{elapsed:6.1f}s] FAILED {event.step_key}")
            elif event.event_type == DagsterEventType.ASSET_CHECK_EVALUATION:
                check = event.event_specific_data
                if not check.passed:
                    what = "warning" if check.severity == AssetCheckSeverity.WARN else "check failed"
                    flagged = check.metadata.get("flagged_rows") or check.metadata.get("rows_with_missing_key")
                    count = f" ({int(flagged.value):,} rows)" if flagged is not None else ""
                    self.progress(f"[{elapsed:6.1f}s] {what}: {check.asset_check_key.to_user_string()}{count}")


def _failure(result) -> str | None:
    for event in result.all_events:
        if event.event_type == DagsterEventType.STEP_FAILURE:
            error = event.step_failure_data.error
            cause = error.cause.message if error and error.cause else ""
            message = error.message if error else "unknown error"
            return f"{event.step_key}: {message.strip()} {cause.strip()}".strip()
    return None


def summarise(instance: DagsterInstance, run_id: str, success: bool, seconds: float, failure=None) -> PipelineRun:
    step_seconds = {
        s.step_key: (s.end_time - s.start_time) if s.end_time and s.start_time else None
        for s in instance.get_run_step_stats(run_id)
    }
    run = PipelineRun(
        run_id=run_id, success=success, seconds=seconds, failure=failure,
        steps={key: round(value, 3) for key, value in step_seconds.items() if value is not None},
    )
    records = instance.get_records_for_run(run_id, of_type=DagsterEventType.ASSET_MATERIALIZATION).records
    for record in records:
        event = record.event_log_entry.dagster_event
        mat = event.event_specific_data.materialization
        rows = mat.metadata.get("dagster/row_count")
        key = mat.asset_key.path
        if key[0] == "clean":
            run.cleaning[key[-1]] = {
                name: int(mat.metadata[name].value) for name in CLEANING_FIGURES if name in mat.metadata
            }
        elif key[0] == "star" and "inferred_members" in mat.metadata:
            run.inferred_members = dict(mat.metadata["inferred_members"].value)
        run.assets.append(
            AssetFigures(
                asset=mat.asset_key.to_user_string(),
                rows=int(rows.value) if rows is not None else None,
                seconds=round(step_seconds.get(event.step_key) or 0.0, 3),
            )
        )
    return run


METRIC_TABLES = [
    "stores_per_country", "top_localities", "sales_by_month", "online_vs_offline", "sales_by_store_type",
    "top_year_months", "staff_by_country", "german_sales_by_store_type", "time_between_sales",
]


def read_answers(warehouse: WarehouseResource | None = None) -> dict[str, pd.DataFrame]:
    """The nine answers as the `metrics` schema holds them."""
    warehouse = warehouse or WarehouseResource()
    with warehouse.connect() as conn:
        return {name: read_table(conn, "metrics", name) for name in METRIC_TABLES}


__all__ = ["PipelineRun", "read_answers", "run_pipeline"]
