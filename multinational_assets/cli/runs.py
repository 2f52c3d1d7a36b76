"""Run the asset graph from Python (the demo, the benchmarks and the tests) and summarise a run."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from multinational_assets.memory import loading_code

# The code a run needs is loaded as the Definitions load it (no collections meanwhile, then frozen out
# of later ones): imported with collections on, these modules took 1.8 s instead of 1.2 s.
with loading_code():
    import pandas as pd
    from dagster import (
        AssetKey,
        DagsterEventType,
        DagsterInstance,
        JobDefinition,
        execute_job,
        reconstructable,
    )

    from multinational_assets.cli.run_monitoring import worker_tags
    from multinational_assets.defs.resources import WarehouseResource
    from multinational_assets.metrics.registry import METRIC_NAMES
    from multinational_assets.warehouse import read_table


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
    # The failure in one line, for people: the failed step and the first line of its root cause.
    failure_sentence: str | None = None
    steps: dict[str, float] = field(default_factory=dict)
    # Per clean table: raw rows, kept, quarantined, values rejected, warnings (from its metadata).
    cleaning: dict[str, dict[str, int]] = field(default_factory=dict)
    # Per dimension: inferred members the star build added for keys the sales name but it lacks.
    inferred_members: dict[str, int] = field(default_factory=dict)
    # When the first step started (seconds since the epoch): the end of the run's start-up.
    first_step_started: float | None = None

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
    progress: bool = False,
    log_level: str = "WARNING",
) -> PipelineRun:
    """Materialise the selected assets (all when None) in this process and return what happened.

    With `progress`, Dagster's `progress` logger prints a line per asset materialised, check warning
    and step failure as it happens (see `defs/progress.py`).
    """
    keys = [AssetKey.from_user_string(s) for s in selection] if selection else None
    own_instance = instance is None
    instance = instance or DagsterInstance.ephemeral()
    loggers = {"console": {"config": {"log_level": log_level}}}
    if progress:
        loggers["progress"] = {}
    started = time.perf_counter()
    try:
        # execute_job runs the job as a run worker does (the UI, the daemon, `dagster asset
        # materialize`). execute_in_process would also keep every step's output in memory until the
        # run ends, so that it can hand them back: gigabytes of DataFrames at ten times the real size.
        with execute_job(
            reconstructable(asset_graph_job),
            instance=instance,
            asset_selection=keys,
            raise_on_error=False,
            # This process is the run's worker: the daemon's run monitoring marks the run failed if it dies.
            tags={**worker_tags(), **(tags or {})},
            run_config={"loggers": loggers},
        ) as result:
            seconds = time.perf_counter() - started
            failure, sentence = _failure(result)
            run = summarise(instance, result.run_id, result.success, seconds, failure)
            run.failure_sentence = sentence
            return run
    finally:
        if own_instance:
            instance.dispose()


def asset_graph_job() -> JobDefinition:
    """The job of every asset (`refresh_everything`; a run selects part of it), for `reconstructable`."""
    from multinational_assets.definitions import defs  # noqa: PLC0415 - keep package import light

    return defs.resolve_job_def("refresh_everything")


def _failure(result) -> tuple[str | None, str | None]:
    """The first failed step: its error with its cause (the whole text, which tests and logs read), and
    one line for people (the step and the first line of the error's root cause)."""
    for event in result.all_events:
        if event.event_type == DagsterEventType.STEP_FAILURE:
            error = event.step_failure_data.error
            cause = error.cause.message if error and error.cause else ""
            message = error.message if error else "unknown error"
            root = error
            while root is not None and root.cause is not None:
                root = root.cause
            lines = [line.strip() for line in (root.message if root else "").splitlines() if line.strip()]
            first = re.sub(r"^[\w.]+\.(\w+): ", r"\1: ", lines[0]) if lines else "unknown error"  # the class, not its module
            if first.endswith(":") and len(lines) > 1:  # a list follows (the sources that failed): keep it
                first = f"{first} {'; '.join(lines[1:4])}"
            sentence = f"{event.step_key}: {first}"
            return f"{event.step_key}: {message.strip()} {cause.strip()}".strip(), sentence
    return None, None


def summarise(instance: DagsterInstance, run_id: str, success: bool, seconds: float, failure=None) -> PipelineRun:
    stats = instance.get_run_step_stats(run_id)
    step_seconds = {s.step_key: (s.end_time - s.start_time) if s.end_time and s.start_time else None for s in stats}
    run = PipelineRun(
        run_id=run_id, success=success, seconds=seconds, failure=failure,
        steps={key: round(value, 3) for key, value in step_seconds.items() if value is not None},
        first_step_started=min((s.start_time for s in stats if s.start_time), default=None),
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
            run.inferred_members[key[-1]] = int(mat.metadata["inferred_members"].value)
        run.assets.append(
            AssetFigures(
                asset=mat.asset_key.to_user_string(),
                rows=int(rows.value) if rows is not None else None,
                seconds=round(step_seconds.get(event.step_key) or 0.0, 3),
            )
        )
    return run




def read_answers(warehouse: WarehouseResource | None = None) -> dict[str, pd.DataFrame]:
    """The nine answers as the `metrics` schema holds them."""
    warehouse = warehouse or WarehouseResource()
    with warehouse.connect() as conn:
        return {name: read_table(conn, "metrics", name) for name in METRIC_NAMES}


__all__ = ["PipelineRun", "read_answers", "run_pipeline"]
