"""The stores API as a detached process (`python -m ...`): it serves, keeps the key off the command
line, and stops on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from multinational_assets.sandbox.stores_api import API_KEY_ENV, is_healthy
from multinational_assets_tests.sandbox.stores_api.sample import KEY, STORES, get


def test_runs_as_a_process_and_stops_on_sigterm(tmp_path):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    stores_file = tmp_path / "stores.json"
    stores_file.write_text(json.dumps(STORES))
    env = dict(os.environ, **{API_KEY_ENV: KEY})
    proc = subprocess.Popen(
        [sys.executable, "-m", "multinational_assets.sandbox.stores_api", "--port", str(port),
         "--stores", str(stores_file), "--faults", json.dumps({"latency_ms": 1})],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while not is_healthy(base):
            assert proc.poll() is None and time.monotonic() < deadline, proc.stdout.read().decode()
            time.sleep(0.05)
        assert get(f"{base}/prod/store_details/5").json() == STORES[5]
        assert KEY not in " ".join(proc.args)  # the key stays off the command line
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
        proc.stdout.close()
