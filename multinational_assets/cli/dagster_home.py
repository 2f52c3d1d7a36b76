"""Dagster's own home: run, event and schedule storage in Postgres (its own database), set up from
settings so the UI, the daemon and command-line runs share one history.

`prepare_dagster_home()` writes `DAGSTER_HOME/dagster.yaml` (default `<project>/.dagster_home`) and
exports the variables Dagster reads. `python -m multinational_assets.cli.dagster_home` does the same from a
shell and prints the `export` lines, e.g. before `dagster asset materialize`:

    eval "$(multinational sandbox env)"; eval "$(python -m multinational_assets.cli.dagster_home)"
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from multinational_assets.settings import PROJECT_ROOT, _env, setting

# The first line marks a file this module owns: it is rewritten when the template below changes. A
# dagster.yaml without it (your own: a run launcher for Kubernetes, say) is never touched.
MARKER = "# Written by multinational_assets"  # (an older version named the module after it: still ours)

# The URL is read from the environment by Dagster itself, so no password is written to disk.
DAGSTER_YAML = f"""\
{MARKER}: Dagster's storage lives in Postgres.
# Remove the first line to keep your own edits (it is rewritten otherwise).
storage:
  postgres:
    postgres_url:
      env: DAGSTER_STORAGE_URL
# Runs wait in a queue that the daemon drains. One at a time: every run ends by rebuilding the same
# star schema and metric tables, so two at once would only wait on each other's locks.
run_coordinator:
  module: dagster.core.run_coordinator
  class: QueuedRunCoordinator
  config:
    max_concurrent_runs: 1
# Runs whose process died (killed, out of memory) are marked failed by the daemon within a poll or two,
# instead of staying "Started": the launcher checks each run's worker process (cli/run_monitoring.py).
run_launcher:
  module: multinational_assets.cli.run_monitoring
  class: LocalRunLauncher
run_monitoring:
  enabled: true
  poll_interval_seconds: 10
  start_timeout_seconds: 300
  max_resume_run_attempts: 0
telemetry:
  enabled: false
"""

# dagster-postgres talks to Postgres through psycopg2 only. SQLAlchemy 2.1 reads a bare postgresql://
# as psycopg 3, and the project's own URLs say postgresql+psycopg: name the driver explicitly.
_PSYCOPG2_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://", "postgresql+psycopg2://")


def storage_url(url: str | None = None) -> str:
    """Dagster's storage URL (`DAGSTER_STORAGE_URL`, else the sandbox's `dagster` database) with the
    psycopg2 driver named, as dagster-postgres needs. Unix-socket URLs (`...@/db?host=/dir`) work."""
    url = url or setting("DAGSTER_STORAGE_URL")
    for scheme in _PSYCOPG2_SCHEMES:
        if url.startswith(scheme):
            return "postgresql+psycopg2://" + url[len(scheme):]
    raise ValueError(
        "DAGSTER_STORAGE_URL must be a Postgres URL (postgresql+psycopg2://user:password@host:5432/dagster)"
    )


def dagster_home() -> Path:
    return Path(_env("DAGSTER_HOME", str(PROJECT_ROOT / ".dagster_home"))).resolve()


def write_dagster_yaml(home: Path) -> Path:
    """Write `home/dagster.yaml` unless a dagster.yaml of someone else's is there. Returns its path."""
    config = home / "dagster.yaml"
    if config.exists():
        text = config.read_text()
        if not text.startswith(MARKER) or text == DAGSTER_YAML:
            return config
    tmp = config.with_name("dagster.yaml.tmp")
    tmp.write_text(DAGSTER_YAML)
    tmp.replace(config)
    return config


def prepare_dagster_home() -> Path:
    """Create DAGSTER_HOME with a Postgres-backed dagster.yaml and export the variables Dagster reads
    (`DAGSTER_HOME`, `DAGSTER_STORAGE_URL`), so child processes (`dagster dev`) see them too.
    Returns the folder."""
    home = dagster_home()
    home.mkdir(parents=True, exist_ok=True)
    write_dagster_yaml(home)
    os.environ["DAGSTER_HOME"] = str(home)
    os.environ["DAGSTER_STORAGE_URL"] = storage_url()
    return home


def require_storage() -> None:
    """Fail in one sentence when Dagster's storage cannot be reached (Dagster itself would retry for
    a minute, logging each attempt)."""
    from multinational_assets.postgres.connection import connect  # noqa: PLC0415

    connect(storage_url(), "Dagster's storage (DAGSTER_STORAGE_URL)").close()


def main() -> None:
    given = _env("DAGSTER_STORAGE_URL") is not None
    home = prepare_dagster_home()
    print(f"export DAGSTER_HOME={shlex.quote(str(home))}")
    if not given:  # the sandbox's database; a URL you set yourself (with its password) is not echoed
        print(f"export DAGSTER_STORAGE_URL={shlex.quote(os.environ['DAGSTER_STORAGE_URL'])}")


if __name__ == "__main__":
    main()
