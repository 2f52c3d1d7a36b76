"""Where a sandbox keeps its things, and which ports its servers listen on (both from the settings)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from multinational_assets import settings
from multinational_assets.sandbox.control.messages import SandboxError

LOCALHOST = "127.0.0.1"


@dataclass(frozen=True)
class SandboxPaths:
    """Where a sandbox keeps its things."""

    root: Path

    @property
    def world(self) -> Path:
        return self.root / "world"

    @property
    def pgdata(self) -> Path:
        return self.root / "pgdata"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def state_file(self) -> Path:
        return self.root / "state.json"

    @property
    def staged_file(self) -> Path:
        return self.world / "staged.json"

    @property
    def originals(self) -> Path:
        return self.world / ".originals"


def sandbox_paths() -> SandboxPaths:
    """The paths of the sandbox selected by `MULTINATIONAL_SANDBOX_DIR` (default `<project>/.sandbox`)."""
    return SandboxPaths(settings.sandbox_dir())


def _port_setting(name: str, default: int) -> int:
    raw = os.environ.get(name) or str(default)
    try:
        port = int(raw)
    except ValueError:
        raise SandboxError(f"{name}={raw!r} is not a port number") from None
    if not 0 < port < 65536:
        raise SandboxError(f"{name}={port} is not a valid port (1-65535)")
    return port


def configured_ports() -> tuple[int, int]:
    """(S3 port, stores API port) from MULTINATIONAL_SANDBOX_S3_PORT / _API_PORT or the defaults."""
    return (
        _port_setting("MULTINATIONAL_SANDBOX_S3_PORT", settings.DEFAULT_S3_PORT),
        _port_setting("MULTINATIONAL_SANDBOX_API_PORT", settings.DEFAULT_API_PORT),
    )
