"""Shared fixtures: the test session's own sandbox.

At session start the settings are pointed at a test sandbox, away from a developer's own one:
`MULTINATIONAL_SANDBOX_DIR` = `<project>/.sandbox-test` (or `$MULTINATIONAL_TEST_SANDBOX_DIR`), ports
the system gives as free (or `$MULTINATIONAL_TEST_SANDBOX_S3_PORT` / `_API_PORT`), and the variables that
`multinational sandbox env` exports are removed, so a shell that sourced them cannot send the tests to
another sandbox.

The `sandbox` fixture brings that sandbox up once per session (seed 0, scale 1; an already generated
world is reused, so only the first session pays for generation) and yields a
`multinational_assets.sandbox.control.SandboxInfo`. Sessions running side by side share it: each holds a
lease, and the last one to finish takes it down. Tests that use the fixture are marked `sandbox`
automatically, so `pytest -m "not sandbox"` skips them.
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
TEST_SEED = 0
TEST_SCALE = 1
# What `sandbox env` exports; a shell that sourced it must not leak into the tests.
_SANDBOX_ENV_VARS = (
    "LEGACY_DATABASE_URL", "WAREHOUSE_URL", "DAGSTER_STORAGE_URL", "S3_ENDPOINT_URL",
    "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "S3_BUCKET", "STORES_API_URL", "STORES_API_KEY",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _point_settings_at_test_sandbox() -> None:
    os.environ["MULTINATIONAL_SANDBOX_DIR"] = os.environ.get(
        "MULTINATIONAL_TEST_SANDBOX_DIR", str(PROJECT_ROOT / ".sandbox-test")
    )
    # Ports the system says are free now (a sandbox already up keeps the ports its state records).
    os.environ["MULTINATIONAL_SANDBOX_S3_PORT"] = os.environ.get("MULTINATIONAL_TEST_SANDBOX_S3_PORT") or str(_free_port())
    os.environ["MULTINATIONAL_SANDBOX_API_PORT"] = os.environ.get("MULTINATIONAL_TEST_SANDBOX_API_PORT") or str(_free_port())
    for name in _SANDBOX_ENV_VARS:
        os.environ.pop(name, None)


def pytest_configure(config: pytest.Config) -> None:
    _point_settings_at_test_sandbox()
    # The Definitions are loaded once per process, and a resource field is an EnvVar only when its
    # variable is set as they load. Load them now, with none of the sandbox's variables set, so that a
    # test that sets one for a while (a fault test pointing at a dead database) cannot leave an EnvVar
    # behind for the tests after it: here every setting is resolved when each run starts.
    import multinational_assets.definitions  # noqa: F401


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # A test that needs the sandbox servers carries the `sandbox` marker, however it got the fixture.
    for item in items:
        if "sandbox" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.sandbox)


def _progress(message: str) -> None:
    # Straight to the terminal: a first session generates the world, and that should not look like a hang.
    sys.__stderr__.write(f"[sandbox] {message}\n")
    sys.__stderr__.flush()


def _live_leases(lease_dir: Path) -> list[int]:
    import psutil

    alive = []
    for path in lease_dir.glob("*"):
        try:
            pid = int(path.name)
            if psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                alive.append(pid)
                continue
        except (ValueError, psutil.Error):
            pass
        path.unlink(missing_ok=True)  # a session that died without tearing down
    return alive


@pytest.fixture(scope="session")
def sandbox() -> Iterator[object]:
    """The test session's sandbox, up (seed 0, scale 1, no faults, nothing staged); a `SandboxInfo`."""
    from multinational_assets.sandbox import control
    from multinational_assets.sandbox.stores_api import Faults

    paths = control.sandbox_paths()
    lease_dir = paths.root / "leases"
    lease = lease_dir / str(os.getpid())
    with control.sandbox_lock(_progress):
        others = _live_leases(lease_dir) if lease_dir.exists() else []
        try:
            result = control.up(seed=TEST_SEED, scale=TEST_SCALE, faults=Faults(seed=TEST_SEED), echo=_progress)
        except control.SandboxError as exc:
            if "generator" in str(exc) and "cannot be imported" in str(exc):
                from multinational_assets_tests.required_tools import tool_missing

                tool_missing(f"no test sandbox: {exc}")
            raise
        if not others:
            # Nobody else is using it: undo what a crashed session may have left staged.
            control.unstage()
        if not result.already_up:
            _progress(f"test sandbox up in {result.seconds:.1f} s ({paths.root})")
        lease_dir.mkdir(parents=True, exist_ok=True)
        lease.touch()
    try:
        yield control.info()
    finally:
        with control.sandbox_lock(_progress):
            lease.unlink(missing_ok=True)
            if not _live_leases(lease_dir):
                control.down(echo=_progress)


@pytest.fixture
def sandbox_restored(sandbox) -> Iterator[object]:
    """For a test that changes what the sandbox serves or what the warehouse holds. Afterwards,
    whatever happened (a failure half-way included): the generated sources are served again, and if
    the warehouse changed it is rebuilt from them. List it before fixtures that put back S3 objects,
    so that it is torn down after them."""
    from multinational_assets_tests.pipeline_state import sandbox_put_back

    with sandbox_put_back(_progress):
        yield sandbox
