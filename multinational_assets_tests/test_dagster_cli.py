"""Dagster's own CLI against the sandbox, exactly as the README tells a user to run it:

    eval "$(multinational sandbox env)"; export DAGSTER_HOME=...
    dagster asset materialize -m multinational_assets.definitions --select '*'

The command runs as a subprocess (in its own process group, stopped whatever happens) with the
variables `multinational sandbox env` prints plus DAGSTER_HOME (a dagster.yaml with Postgres storage).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from multinational_assets.metrics.registry import METRIC_NAMES
from multinational_assets_tests.dagster_service import (
    PROJECT_ROOT,
    dagster_home,
    live_group_members,
    materializable_assets,
    sandbox_subprocess_env,
)


def dagster_command() -> list[str]:
    script = Path(sys.executable).with_name("dagster")
    return [str(script)] if script.exists() else [sys.executable, "-m", "dagster"]


def run_in_own_group(command: list[str], env: dict, log: Path, timeout: float) -> int:
    """Run `command` in a new process group, output to `log`; the whole group is killed on timeout
    or on any error (a KeyboardInterrupt too)."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, env=env, cwd=PROJECT_ROOT, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        return process.wait(timeout=timeout)
    finally:
        if live_group_members(process.pid):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        if process.poll() is None:
            process.wait(timeout=10)


def metric_table_oids(sandbox) -> dict[str, int | None]:
    """Each metric table's oid (None when absent): a table the IO manager rewrites gets a new one."""
    with sandbox.connect("warehouse") as conn:
        return {
            name: conn.execute("SELECT to_regclass(%s)::oid", (f"metrics.{name}",)).fetchone()[0]
            for name in METRIC_NAMES
        }


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_dagster_asset_materialize_builds_every_asset(sandbox, tmp_path):
    from dagster import DagsterEventType, DagsterRunStatus

    before = metric_table_oids(sandbox)
    with dagster_home(sandbox, tmp_path / "dagster_home") as home:
        env = sandbox_subprocess_env(sandbox, home)
        assert env["DAGSTER_HOME"] == str(home.path) and env["S3_ENDPOINT_URL"] == sandbox.s3_endpoint_url
        log = tmp_path / "materialize.log"
        command = [*dagster_command(), "asset", "materialize", "-m", "multinational_assets.definitions", "--select", "*"]
        started = time.monotonic()
        code = run_in_own_group(command, env, log, timeout=1000)
        seconds = time.monotonic() - started
        output = log.read_text(errors="replace")
        print(f"`{' '.join(command[-6:])}` exited {code} in {seconds:.1f} s")
        assert code == 0, output[-5000:]
        assert "RUN_SUCCESS" in output

        # The run is in Dagster's Postgres storage, with every asset materialised.
        instance = home.instance()
        try:
            runs = instance.get_runs()
            assert len(runs) == 1 and runs[0].status == DagsterRunStatus.SUCCESS
            records = instance.get_records_for_run(runs[0].run_id, of_type=DagsterEventType.ASSET_MATERIALIZATION).records
            materialized = {r.event_log_entry.dagster_event.asset_key.to_user_string() for r in records}
            metric_rows = {
                r.event_log_entry.dagster_event.asset_key.path[
                    -1
                ]: r.event_log_entry.dagster_event.event_specific_data.materialization.metadata["dagster/row_count"].value
                for r in records
                if r.event_log_entry.dagster_event.asset_key.path[0] == "metrics"
            }
        finally:
            instance.dispose()
        assert materialized == materializable_assets(), sorted(materialized ^ materializable_assets())
        assert len(materialized) == 39  # 6 raw, 6 x (clean, quarantine, rejected values), 6 star tables, 9 answers

    # Every metric table exists afterwards, written by this run (a new table each), with its rows.
    after = metric_table_oids(sandbox)
    assert all(after[name] is not None for name in METRIC_NAMES), after
    assert all(after[name] != before[name] for name in METRIC_NAMES), (before, after)
    with sandbox.connect("warehouse") as conn:
        for name in METRIC_NAMES:
            (rows,) = conn.execute(f"SELECT count(*) FROM metrics.{name}").fetchone()
            assert rows == metric_rows[name] > 0, name
