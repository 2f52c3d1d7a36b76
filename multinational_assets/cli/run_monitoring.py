"""Runs whose process died are marked failed: a run launcher that tells Dagster's run monitoring
whether a run's worker process is still alive.

Dagster's daemon asks the run launcher about every run in progress; the default launcher cannot say,
so a run whose process was killed (SIGKILL, out of memory, a reboot) would stay "Started" for ever. A
run worker records its process id as it starts (an engine event for runs the daemon or the UI launch;
the `multinational/worker_pid` tag for runs `multinational demo` executes itself), and this launcher
checks that the process is still there. It can only see processes on its own machine, where `dagster
dev` runs everything; a run whose worker it cannot find is left alone rather than guessed dead.
"""

from __future__ import annotations

import os
import socket

import psutil
from dagster import DagsterEventType, DagsterRun, DefaultRunLauncher
from dagster._core.launcher import CheckRunHealthResult, WorkerStatus

# Tags a run executed by this project's own commands carries (see `cli/runs.py`).
WORKER_PID_TAG = "multinational/worker_pid"
WORKER_HOST_TAG = "multinational/worker_host"


def worker_tags() -> dict[str, str]:
    """Tags naming this process as the run's worker, for runs executed in this process."""
    return {WORKER_PID_TAG: str(os.getpid()), WORKER_HOST_TAG: socket.gethostname()}


def worker_alive(pid: int, started_by: float | None) -> bool:
    """Whether process `pid` exists, is not a zombie and was created by `started_by` (a timestamp; a
    process created after the run started reuses a dead worker's pid)."""
    try:
        process = psutil.Process(pid)
        if process.status() == psutil.STATUS_ZOMBIE:
            return False
        return started_by is None or process.create_time() <= started_by + 1.0
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return False


class LocalRunLauncher(DefaultRunLauncher):
    """Dagster's default run launcher, plus a health check of the run's worker process."""

    @property
    def supports_check_run_worker_health(self) -> bool:
        return True

    def check_run_worker_health(self, run: DagsterRun) -> CheckRunHealthResult:
        pid, host = self._worker_of(run)
        if pid is None or (host is not None and host != socket.gethostname()):
            return CheckRunHealthResult(WorkerStatus.RUNNING, "worker not visible from here: not judged")
        record = self._instance.get_run_record_by_id(run.run_id)
        started = record.start_time if record is not None else None
        if worker_alive(pid, started):
            return CheckRunHealthResult(WorkerStatus.RUNNING, f"worker process {pid} is alive")
        return CheckRunHealthResult(WorkerStatus.FAILED, f"the run's worker process {pid} is gone (killed or crashed)")

    def _worker_of(self, run: DagsterRun) -> tuple[int | None, str | None]:
        if WORKER_PID_TAG in run.tags:
            return int(run.tags[WORKER_PID_TAG]), run.tags.get(WORKER_HOST_TAG)
        for record in self._instance.all_logs(run.run_id, of_type=DagsterEventType.ENGINE_EVENT):
            data = record.dagster_event.engine_event_data if record.dagster_event else None
            metadata = data.metadata if data else {}
            # The run worker's own event; a step process of the multiprocess executor also names its steps.
            if "pid" in metadata and "step_keys" not in metadata:
                return int(metadata["pid"].value), None
        return None, None
