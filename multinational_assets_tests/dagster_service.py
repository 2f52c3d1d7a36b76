"""Helpers for tests that run Dagster "like production": a Dagster home whose storage is a fresh
Postgres database of the test sandbox, and `multinational ui` (webserver + daemon) running as
subprocesses in their own process groups, always stopped at the end.

Each test gets its own storage database (`dagster_test_<random>`, dropped afterwards), so run
history, sensor cursors and ticks of earlier sessions (or of the demo) never leak into it.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from multinational_assets import settings

PROJECT_ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = PROJECT_ROOT / "artifacts"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class DagsterHome:
    """A Dagster home folder and its own storage database in the sandbox's Postgres."""

    path: Path
    database: str
    storage_url: str

    @property
    def env(self) -> dict[str, str]:
        return {"DAGSTER_HOME": str(self.path), "DAGSTER_STORAGE_URL": self.storage_url}

    def instance(self) -> Any:
        """A DagsterInstance on this home (the caller disposes of it)."""
        from dagster import DagsterInstance

        with _environ(self.env):
            return DagsterInstance.get()


@contextlib.contextmanager
def _environ(values: dict[str, str]) -> Iterator[None]:
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@contextlib.contextmanager
def dagster_home(sandbox: Any, folder: Path) -> Iterator[DagsterHome]:
    """A fresh Dagster home in `folder`, written by `prepare_dagster_home`, with its storage in a new
    database of the sandbox's Postgres (a Unix-socket URL, as in the sandbox's own settings)."""
    from multinational_assets.cli.dagster_home import prepare_dagster_home

    database = f"dagster_test_{secrets.token_hex(4)}"
    with sandbox.connect("postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{database}"')
    url = settings.sandbox_postgres_url(database, "psycopg2")
    try:
        with _environ({"DAGSTER_HOME": str(folder), "DAGSTER_STORAGE_URL": url}):
            prepare_dagster_home()
        yield DagsterHome(folder, database, url)
    finally:
        with sandbox.connect("postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


class DagsterService:
    """`multinational ui --no-sandbox` (which runs `dagster dev` in its own process group) as a
    subprocess in a process group of its own; `stop()` ends both groups."""

    def __init__(self, home: DagsterHome, log_path: Path, extra_env: dict[str, str] | None = None, port: int | None = None):
        self.home = home
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.extra_env = extra_env or {}
        self.process: subprocess.Popen | None = None
        self.groups: set[int] = set()

    def start(self, timeout: float = 180.0) -> DagsterService:
        env = dict(os.environ)
        env.update(self.home.env)
        env.update(self.extra_env)
        env["PYTHONUNBUFFERED"] = "1"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("wb")  # this run's log only
        command = [sys.executable, "-m", "multinational_assets.cli", "ui", "--no-sandbox", "--port", str(self.port)]
        self.process = subprocess.Popen(
            command, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True, cwd=str(PROJECT_ROOT),
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        log.close()
        self.groups.add(self.process.pid)
        self.wait_until_ready(timeout)
        return self

    def _remember_groups(self) -> None:
        """Note the process groups of every descendant (the `dagster dev` group among them)."""
        import psutil

        if self.process is None:
            return
        with contextlib.suppress(psutil.Error):
            for child in psutil.Process(self.process.pid).children(recursive=True):
                with contextlib.suppress(ProcessLookupError, psutil.Error):
                    self.groups.add(os.getpgid(child.pid))

    def wait_until_ready(self, timeout: float) -> None:
        """Until the webserver answers and the code location has loaded."""
        deadline = time.monotonic() + timeout
        last = ""
        while time.monotonic() < deadline:
            self._remember_groups()
            if self.process.poll() is not None:
                raise RuntimeError(f"`multinational ui` exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                data = self.graphql(
                    "{ workspaceOrError { ... on Workspace { locationEntries { name loadStatus "
                    "locationOrLoadError { __typename ... on PythonError { message } } } } } }",
                    timeout=5,
                )
                entries = data["workspaceOrError"]["locationEntries"]
                if entries and all(e["loadStatus"] == "LOADED" for e in entries):
                    errors = [e for e in entries if e["locationOrLoadError"]["__typename"] == "PythonError"]
                    if errors:
                        raise RuntimeError(f"the code location failed to load: {errors}")
                    self._remember_groups()
                    return
                last = str(entries)
            except (OSError, ValueError, KeyError) as exc:
                last = repr(exc)
            time.sleep(1)
        raise TimeoutError(f"the Dagster UI was not ready within {timeout:.0f} s ({last}):\n{self.log_tail()}")

    def graphql(self, query: str, variables: dict | None = None, timeout: float = 30) -> dict:
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        request = urllib.request.Request(f"{self.url}/graphql", data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            answer = json.loads(response.read())
        if answer.get("errors"):
            raise ValueError(f"GraphQL errors: {answer['errors']}")
        return answer["data"]

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM `multinational ui` (it stops `dagster dev`'s group), then SIGKILL any process left
        in the groups this service started."""
        if self.process is None:
            return
        self._remember_groups()
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=timeout)
        for pgid in sorted(self.groups):
            for sig in (signal.SIGTERM, signal.SIGKILL):
                if not live_group_members(pgid):
                    break
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(pgid, sig)
                deadline = time.monotonic() + 10
                while live_group_members(pgid) and time.monotonic() < deadline:
                    time.sleep(0.2)
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def __enter__(self) -> DagsterService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def live_group_members(pgid: int) -> list[int]:
    """Pids of the processes (not zombies) in process group `pgid`."""
    import psutil

    members = []
    for proc in psutil.process_iter(["pid", "status"]):
        try:
            if proc.info["status"] != psutil.STATUS_ZOMBIE and os.getpgid(proc.info["pid"]) == pgid:
                members.append(proc.info["pid"])
        except (ProcessLookupError, PermissionError, psutil.Error):
            continue
    return members


def sandbox_subprocess_env(sandbox: Any, home: DagsterHome) -> dict[str, str]:
    """The environment of a command run "by hand" against the sandbox: `multinational sandbox env`
    plus DAGSTER_HOME (what the README tells a user to export)."""
    env = dict(os.environ)
    env.update(sandbox.env)
    env.update(home.env)
    return env


def wait_for(predicate, timeout: float, interval: float = 1.0, what: str = "the condition"):
    """Poll `predicate()` until it returns a truthy value; return it. TimeoutError after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not happen within {timeout:.0f} s")
        time.sleep(interval)


def materializable_assets() -> set[str]:
    """Every asset a run can materialise, as the Definitions declare them (`raw/products`, ...)."""
    from multinational_assets.definitions import defs  # noqa: PLC0415 - the Definitions under test

    return {key.to_user_string() for key in defs.resolve_asset_graph().materializable_asset_keys}
