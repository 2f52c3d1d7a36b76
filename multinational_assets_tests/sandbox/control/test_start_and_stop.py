"""`up` and `down`: servers that outlive the CLI and leave nothing behind, a port in use, a half-up sandbox,
and a sandbox up with another world."""

from __future__ import annotations

import json
import os
from pathlib import Path

import psutil
import pytest

from multinational_assets.sandbox import control, postgres
from multinational_assets.sandbox.control import start
from multinational_assets_tests.sandbox.control.tiny_sandbox import API_PORT, S3_PORT, gone, run_cli


@pytest.mark.sandbox
def test_cli_up_outlives_its_process_and_down_leaves_nothing(tiny):
    out = run_cli("up").stdout
    assert "sandbox up in" in out
    state = json.loads((tiny / "state.json").read_text())
    assert state["api_key"] not in out  # the key is printed by `env` only
    pids = [state["postgres_pid"], state["s3_pid"], state["api_pid"]]
    # The CLI process has exited; its servers run on, each in its own session.
    for pid in pids:
        assert not gone(pid)
        assert os.getsid(pid) == pid
    postgres_family = [pid] + [c.pid for c in psutil.Process(state["postgres_pid"]).children(recursive=True)]
    assert len(postgres_family) > 1

    again = run_cli("up").stdout
    assert "already up" in again
    assert json.loads((tiny / "state.json").read_text())["api_pid"] == state["api_pid"]

    status = run_cli("status").stdout
    assert "UP" in status and "legacy.legacy_users" in status and state["api_key"] not in status
    for server in ("postgres", "s3", "stores api"):
        assert any(line.startswith(server) and " up " in line for line in status.splitlines())

    run_cli("down")
    for pid in pids + postgres_family:
        assert gone(pid), f"pid {pid} still running"
    from multinational_assets.sandbox.s3 import port_available

    assert port_available("127.0.0.1", S3_PORT) and port_available("127.0.0.1", API_PORT)
    assert not (tiny / "state.json").exists()
    assert not (tiny / "pgdata" / ".s.PGSQL.5432").exists()
    assert postgres.running_pid(tiny / "pgdata") is None

    down_status = run_cli("status", check=False)
    assert down_status.returncode == 1 and "DOWN" in down_status.stdout
    assert "not up" in run_cli("down").stdout


@pytest.mark.sandbox
def test_port_in_use_is_reported_and_nothing_starts(tiny):
    import socket

    with socket.socket() as blocker:
        blocker.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        blocker.bind(("127.0.0.1", S3_PORT))
        blocker.listen()
        with pytest.raises(control.SandboxError, match=f"port {S3_PORT} .*in use.*MULTINATIONAL_SANDBOX_S3_PORT"):
            control.up()
        result = run_cli("up", check=False)
        assert result.returncode == 1 and "in use" in result.stderr and "Traceback" not in result.stderr
    assert not (tiny / "state.json").exists()
    assert postgres.running_pid(tiny / "pgdata") is None


@pytest.mark.sandbox
def test_a_half_up_sandbox_is_restarted(tiny):
    first = control.up().state
    os.kill(first["api_pid"], 9)
    os.waitpid(first["api_pid"], 0)  # it is our child: reap it, so it is really gone before `up` looks
    messages: list[str] = []
    result = control.up(echo=messages.append)
    assert not result.already_up
    assert any("half up" in m for m in messages)
    assert result.state["api_pid"] != first["api_pid"]
    assert gone(first["s3_pid"])


def test_up_refuses_another_dialect_while_up(private_sandbox_dir: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    state = {"sandbox_dir": str(private_sandbox_dir), "seed": 0, "scale": 1, "dialect": 1,
             "started_at": "now", "faults": None}
    # Patched where `up` looks them up.
    monkeypatch.setattr(start, "read_state", lambda: dict(state))
    monkeypatch.setattr(start, "server_health", lambda s: {"postgres": True, "s3": True, "api": True})
    assert control.up(seed=0, scale=1, dialect=1).already_up
    with pytest.raises(control.SandboxError, match="already up with seed 0 and scale 1, dialect 1"):
        control.up(seed=0, scale=1, dialect=2)
    with pytest.raises(control.SandboxError, match="already up"):
        control.up(seed=0, scale=1)
