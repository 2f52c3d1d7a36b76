"""`env`: the variables that point the pipeline at the running sandbox, as `export` lines."""

from __future__ import annotations

import shlex

from multinational_assets import settings
from multinational_assets.sandbox.control.paths import sandbox_paths
from multinational_assets.sandbox.control.processes import require_up
from multinational_assets.sandbox.s3 import SANDBOX_ACCESS_KEY, SANDBOX_SECRET_KEY


def env_vars() -> dict[str, str]:
    """The variables that point the pipeline at the running sandbox (see settings.py)."""
    state = require_up()
    return {
        "MULTINATIONAL_SANDBOX_DIR": str(sandbox_paths().root),
        "LEGACY_DATABASE_URL": settings.sandbox_postgres_url("legacy"),
        "WAREHOUSE_URL": settings.sandbox_postgres_url("warehouse"),
        "DAGSTER_STORAGE_URL": settings.sandbox_postgres_url("dagster", "psycopg2"),
        "S3_ENDPOINT_URL": state["s3_endpoint_url"],
        "AWS_ACCESS_KEY_ID": SANDBOX_ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SANDBOX_SECRET_KEY,
        "S3_BUCKET": state.get("bucket", settings.DEFAULT_BUCKET),
        "STORES_API_URL": state["api_url"],
        "STORES_API_KEY": state["api_key"],
    }


def env_script() -> str:
    """`export VAR=value` lines for `eval "$(multinational sandbox env)"`."""
    return "\n".join(f"export {name}={shlex.quote(value)}" for name, value in env_vars().items())
