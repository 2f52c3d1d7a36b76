"""`info`: the running sandbox as code sees it (paths, recorded state, ready-made clients)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from multinational_assets import settings
from multinational_assets.sandbox import postgres
from multinational_assets.sandbox.control.env import env_vars
from multinational_assets.sandbox.control.paths import SandboxPaths, sandbox_paths
from multinational_assets.sandbox.control.processes import require_up


@dataclass(frozen=True)
class SandboxInfo:
    """A running sandbox as code sees it: its paths, its recorded state and ready-made clients."""

    root: Path
    state: dict[str, Any] = field(repr=False)

    @property
    def paths(self) -> SandboxPaths:
        return SandboxPaths(self.root)

    @property
    def world(self) -> Path:
        return self.paths.world

    @property
    def pgdata(self) -> Path:
        return self.paths.pgdata

    @property
    def seed(self) -> int:
        return self.state["seed"]

    @property
    def scale(self) -> float:
        return self.state["scale"]

    @property
    def dialect(self) -> int:
        return self.state.get("dialect", 0)

    @property
    def bucket(self) -> str:
        return self.state.get("bucket", settings.DEFAULT_BUCKET)

    @property
    def s3_endpoint_url(self) -> str:
        return self.state["s3_endpoint_url"]

    @property
    def api_url(self) -> str:
        """The stores API root, ending in `/prod`."""
        return self.state["api_url"]

    @property
    def api_key(self) -> str:
        return self.state["api_key"]

    @property
    def env(self) -> dict[str, str]:
        """What `sandbox env` exports."""
        return env_vars()

    def connect(self, database: str = "legacy", **kwargs: Any) -> Any:
        """A psycopg 3 connection to `legacy`, `warehouse` or `dagster`."""
        return postgres.connect(self.pgdata, database, **kwargs)

    def s3_client(self) -> Any:
        """A boto3 S3 client for the sandbox's S3."""
        from multinational_assets.sandbox.s3 import s3_client

        return s3_client(self.s3_endpoint_url)


def info() -> SandboxInfo:
    """The running sandbox (raises SandboxError when it is not up)."""
    state = require_up()
    return SandboxInfo(sandbox_paths().root, state)
