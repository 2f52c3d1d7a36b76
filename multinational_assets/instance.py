"""Dagster's own home: run, event and schedule storage in Postgres (its own database), set up from
settings so the UI, the daemon and command-line runs share one history."""

from __future__ import annotations

import os
from pathlib import Path

from multinational_assets.settings import PROJECT_ROOT, _env, load_settings

# The URL is read from the environment by Dagster itself, so no password is written to disk.
DAGSTER_YAML = """\
# Written by multinational_assets.instance: Dagster's storage lives in Postgres.
storage:
  postgres:
    postgres_url:
      env: DAGSTER_STORAGE_URL
run_coordinator:
  module: dagster.core.run_coordinator
  class: QueuedRunCoordinator
  config:
    max_concurrent_runs: 2
telemetry:
  enabled: false
"""


def dagster_home() -> Path:
    return Path(_env("DAGSTER_HOME", str(PROJECT_ROOT / ".dagster_home"))).resolve()


def prepare_dagster_home() -> Path:
    """Create DAGSTER_HOME with a Postgres-backed dagster.yaml (unless one exists) and export the
    variables Dagster reads. Returns the folder."""
    home = dagster_home()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML)
    os.environ["DAGSTER_HOME"] = str(home)
    os.environ.setdefault("DAGSTER_STORAGE_URL", load_settings().dagster_storage_url)
    return home
