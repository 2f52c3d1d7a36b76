"""Dagster's own storage in Postgres: the dagster.yaml that `multinational_assets.cli.dagster_home` writes, with
the sandbox's Unix-socket URL, really gives a Postgres-backed instance that keeps runs."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from multinational_assets.cli.dagster_home import DAGSTER_YAML, MARKER, storage_url, write_dagster_yaml
from multinational_assets_tests.dagster_service import dagster_home


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u:p@db:5432/dagster", "postgresql+psycopg2://u:p@db:5432/dagster"),
        ("postgres://u@db/dagster", "postgresql+psycopg2://u@db/dagster"),
        ("postgresql+psycopg://postgres@/dagster?host=%2Fx%2Fpgdata", "postgresql+psycopg2://postgres@/dagster?host=%2Fx%2Fpgdata"),
        ("postgresql+psycopg2://u@db/dagster", "postgresql+psycopg2://u@db/dagster"),
    ],
)
def test_storage_url_names_the_psycopg2_driver(given, expected):
    assert storage_url(given) == expected


def test_storage_url_must_be_postgres():
    with pytest.raises(ValueError, match="DAGSTER_STORAGE_URL"):
        storage_url("sqlite:///dagster.db")


def test_dagster_yaml_is_ours_to_rewrite_but_yours_is_left_alone(tmp_path):
    ours = tmp_path / "ours"
    ours.mkdir()
    (ours / "dagster.yaml").write_text(f"{MARKER}: an older version\nstorage: {{}}\n")
    assert write_dagster_yaml(ours).read_text() == DAGSTER_YAML

    yours = tmp_path / "yours"
    yours.mkdir()
    own = "run_launcher:\n  module: dagster_k8s\n  class: K8sRunLauncher\n"
    (yours / "dagster.yaml").write_text(own)
    assert write_dagster_yaml(yours).read_text() == own


def test_the_instance_keeps_runs_in_postgres_over_the_unix_socket(sandbox, tmp_path):
    from dagster import DagsterRunStatus
    from dagster._core.run_coordinator import QueuedRunCoordinator
    from dagster_postgres import PostgresEventLogStorage, PostgresRunStorage, PostgresScheduleStorage

    with dagster_home(sandbox, tmp_path / "home") as home:
        assert home.storage_url.startswith("postgresql+psycopg2://postgres@/") and "host=%2F" in home.storage_url
        assert (home.path / "dagster.yaml").read_text() == DAGSTER_YAML
        instance = home.instance()
        try:
            assert isinstance(instance.run_storage, PostgresRunStorage)
            assert isinstance(instance.event_log_storage, PostgresEventLogStorage)
            assert isinstance(instance.schedule_storage, PostgresScheduleStorage)
            assert isinstance(instance.run_coordinator, QueuedRunCoordinator)
            # A run executed against this instance is in the database afterwards, seen from another process.
            from dagster import asset, materialize

            @asset
            def hello() -> int:
                return 1

            result = materialize([hello], instance=instance)
            assert result.success
        finally:
            instance.dispose()
        code = (
            "from dagster import DagsterInstance, RunsFilter;"
            "i = DagsterInstance.get();"
            f"print(len(i.get_runs(filters=RunsFilter(run_ids=[{result.run_id!r}]))), type(i.run_storage).__name__)"
        )
        env = {**os.environ, **home.env}
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120, check=True)
        assert out.stdout.split() == ["1", "PostgresRunStorage"]
        with sandbox.connect(home.database) as conn:
            status = conn.execute("SELECT status FROM runs WHERE run_id = %s", (result.run_id,)).fetchone()
        assert status == (DagsterRunStatus.SUCCESS.value,)


def test_python_m_instance_prints_the_exports(sandbox, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DAGSTER_HOME", "DAGSTER_STORAGE_URL")}
    env["DAGSTER_HOME"] = str(tmp_path / "home")
    out = subprocess.run(
        [sys.executable, "-m", "multinational_assets.cli.dagster_home"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    lines = out.stdout.splitlines()
    assert lines[0] == f"export DAGSTER_HOME={tmp_path / 'home'}"
    assert lines[1].startswith("export DAGSTER_STORAGE_URL=") and "postgresql+psycopg2://postgres@/dagster?host=" in lines[1]
    assert (tmp_path / "home" / "dagster.yaml").read_text() == DAGSTER_YAML
