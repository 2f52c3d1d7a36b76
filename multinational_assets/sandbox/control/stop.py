"""`down`: stop what `up` started (and, with `purge`, delete the world, the data and the logs)."""

from __future__ import annotations

import shutil
from typing import Any

from multinational_assets.sandbox import postgres
from multinational_assets.sandbox.control.messages import Echo, SandboxError, quiet
from multinational_assets.sandbox.control.paths import sandbox_paths
from multinational_assets.sandbox.control.processes import API_MODULE, S3_MODULE, terminate, wait_gone
from multinational_assets.sandbox.control.state import read_state, sandbox_lock


def stop_all(state: dict[str, Any], echo: Echo) -> list[str]:
    """Stop every server `state` records; returns what was stopped."""
    paths = sandbox_paths()
    # Signal both Python servers first and stop Postgres while they shut down.
    terminated = [
        (name, state[key]) for name, key, module in (("stores API", "api_pid", API_MODULE), ("S3", "s3_pid", S3_MODULE))
        if terminate(state.get(key), module)
    ]
    stopped = []
    pid = postgres.running_pid(paths.pgdata)
    if pid is not None:
        try:
            postgres.stop(paths.pgdata)
        except postgres.PostgresError as exc:
            raise SandboxError(str(exc)) from None
        stopped.append(f"postgres (pid {pid})")
    for _, server_pid in terminated:
        wait_gone(server_pid)
    stopped = [f"{name} (pid {server_pid})" for name, server_pid in terminated] + stopped
    for what in stopped:
        echo(f"stopped {what}")
    return stopped


def down(purge: bool = False, echo: Echo = quiet) -> bool:
    """Stop what `up` started (by the pids in state.json; Postgres with `pg_ctl stop`) and remove
    state.json. With `purge`, also delete the world, the Postgres data and the logs. Returns False
    when the sandbox was not up."""
    paths = sandbox_paths()
    with sandbox_lock(echo):
        state = read_state()
        was_up = bool(state)
        if was_up:
            stop_all(state, echo)
            paths.state_file.unlink(missing_ok=True)
        else:
            echo(f"the sandbox in {paths.root} is not up")
        if purge:
            if postgres.running_pid(paths.pgdata) is not None:
                postgres.stop(paths.pgdata)  # never delete the files of a running server
            for path in (paths.world, paths.root / "world.partial", paths.root / "world.old", paths.pgdata, paths.logs):
                shutil.rmtree(path, ignore_errors=True)
            echo(f"deleted the world, the Postgres data and the logs in {paths.root}")
        return was_up
