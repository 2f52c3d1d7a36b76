"""A Dagster logger that prints one line per asset materialised, check that warns or fails, and step
that fails, as the run goes: `multinational demo` turns it on (`loggers: {progress: {}}` in run config)."""

import logging
import sys
import time

from dagster import AssetCheckSeverity, DagsterEventType, InitLoggerContext, logger


class _ProgressHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.started = time.perf_counter()

    def emit(self, record: logging.LogRecord) -> None:
        event = getattr(record, "dagster_meta", {}).get("dagster_event")
        line = _line(event) if event is not None else None
        if line:
            print(f"[{time.perf_counter() - self.started:6.1f}s] {line}", file=sys.stdout, flush=True)


# The figure a warning's metadata carries, and what it counts.
_COUNTS = {"flagged_rows": "rows", "rows_with_missing_key": "rows", "inferred_members": "inferred members"}


def _line(event) -> str | None:
    if event.event_type == DagsterEventType.ASSET_MATERIALIZATION:
        materialization = event.event_specific_data.materialization
        rows = materialization.metadata.get("dagster/row_count")
        count = f"{int(rows.value):>9,} rows" if rows is not None else ""
        return f"materialised {materialization.asset_key.to_user_string():<42} {count}"
    if event.event_type == DagsterEventType.ASSET_CHECK_EVALUATION:
        check = event.event_specific_data
        if check.passed:
            return None
        what = "warning" if check.severity == AssetCheckSeverity.WARN else "check failed"
        counted = [(check.metadata[k], unit) for k, unit in _COUNTS.items() if k in check.metadata]
        count = f" ({int(counted[0][0].value):,} {counted[0][1]})" if counted else ""
        return f"{what}: {check.asset_check_key.to_user_string()}{count}"
    if event.event_type == DagsterEventType.STEP_FAILURE:
        return f"FAILED {event.step_key}"
    return None


@logger(description="One line per asset materialised, check warning and step failure, as the run goes.")
def progress_logger(init_context: InitLoggerContext) -> logging.Logger:
    log = logging.Logger("multinational_progress", level=logging.DEBUG)
    log.addHandler(_ProgressHandler())
    return log
