"""The servers as processes: starting one detached, telling whether each runs, stopping one, the ports.

A server is known by the pid `up` recorded and the module it runs (`python -m <module>`), so a reused
pid is never taken for a sandbox server.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from multinational_assets import settings
from multinational_assets.sandbox import postgres
from multinational_assets.sandbox.control.messages import SandboxError
from multinational_assets.sandbox.control.paths import LOCALHOST, sandbox_paths
from multinational_assets.sandbox.control.state import read_state
from multinational_assets.sandbox.s3 import port_available

S3_MODULE = "multinational_assets.sandbox.s3"
API_MODULE = "multinational_assets.sandbox.stores_api"


def process_alive(pid: int | None, module: str | None = None) -> bool:
    """True when `pid` runs (not a zombie) and, if `module` is given, is that sandbox server."""
    import psutil

    if not pid:
        return False
    try:
        proc = psutil.Process(pid)
        if proc.status() == psutil.STATUS_ZOMBIE:
            return False
        if module is not None and module not in proc.cmdline():
            return False  # the pid was reused by something else
        return True
    except psutil.Error:
        return False


def _reap(pid: int) -> None:
    # A server started by this very process (e.g. in a test session) stays a zombie until waited for.
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)


def terminate(pid: int | None, module: str) -> bool:
    """Send SIGTERM to a sandbox server; False when it was not running (or the pid is someone else's)."""
    if not process_alive(pid, module):
        if pid:
            _reap(pid)
        return False
    assert pid is not None
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    return True


def wait_gone(pid: int, timeout: float = 10.0) -> None:
    """Wait for a terminated process to exit; SIGKILL it after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        _reap(pid)
        if not process_alive(pid):
            return
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    time.sleep(0.1)
    _reap(pid)


def stop_process(pid: int | None, module: str, timeout: float = 10.0) -> bool:
    """SIGTERM a sandbox server and wait for it (SIGKILL after `timeout`); False when it was not running."""
    if not terminate(pid, module):
        return False
    assert pid is not None
    wait_gone(pid, timeout)
    return True


def spawn(module: str, args: list[str], log_path: Path, extra_env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start `python -m module args` detached (own session, no terminal), output to `log_path`."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update(extra_env or {})
    env["PYTHONUNBUFFERED"] = "1"
    with log_path.open("ab") as log:
        log.write(f"\n--- {_dt.datetime.now().isoformat(timespec='seconds')} starting {module} {' '.join(args)}\n".encode())
        log.flush()
        return subprocess.Popen(
            [sys.executable, "-m", module, *args],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # survives the terminal and the `up` process
            close_fds=True,
            env=env,
            cwd=str(settings.PROJECT_ROOT),
        )


def _port_user(port: int) -> str:
    """Best effort: which process listens on `port` (for the error message)."""
    try:
        import psutil

        for conn in psutil.net_connections(kind="tcp"):
            if conn.laddr and conn.laddr.port == port and conn.status == psutil.CONN_LISTEN and conn.pid:
                proc = psutil.Process(conn.pid)
                return f" by pid {conn.pid} ({' '.join(proc.cmdline()[:4])})"
    except Exception:  # noqa: BLE001 (only decorates an error message)
        pass
    return ""


def check_port(port: int, what: str, variable: str, grace: float = 10.0) -> None:
    # A server just stopped (a half-up sandbox being restarted) can hold its port for a moment after
    # its pid is gone: wait a little before calling the port taken.
    deadline = time.monotonic() + grace
    while not port_available(LOCALHOST, port) and time.monotonic() < deadline:
        time.sleep(0.2)
    if not port_available(LOCALHOST, port):
        raise SandboxError(
            f"port {port} for the sandbox {what} is already in use{_port_user(port)}; "
            f"stop that program or choose another port with {variable}=<port>"
        )


def log_tail(path: Path, lines: int = 15) -> str:
    """The last lines of a server's log, for an error message."""
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def server_health(state: dict[str, Any]) -> dict[str, bool]:
    """Whether each recorded server is running: {'postgres': .., 's3': .., 'api': ..}."""
    paths = sandbox_paths()
    return {
        "postgres": postgres.running_pid(paths.pgdata) is not None,
        "s3": process_alive(state.get("s3_pid"), S3_MODULE),
        "api": process_alive(state.get("api_pid"), API_MODULE),
    }


def require_up(*servers: str) -> dict[str, Any]:
    """The recorded state of the sandbox; a `SandboxError` when it is not up or one of `servers` is not running."""
    paths = sandbox_paths()
    state = read_state()
    if not state:
        raise SandboxError(f"the sandbox in {paths.root} is not up; run `multinational sandbox up` first")
    if servers:
        health = server_health(state)
        down_ = [s for s in servers if not health[s]]
        if down_:
            raise SandboxError(
                f"the sandbox's {', '.join(down_)} server is not running; run `multinational sandbox up` to restart it"
            )
    return state
