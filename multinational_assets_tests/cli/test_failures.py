"""Every `multinational` command fails in one or two readable lines on stderr with a non-zero exit,
the traceback only under `--debug` (each command driven into the failures it can meet)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from multinational_assets.cli import failure_sentence


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends: nothing listens there


def _multinational(*args: str, sandbox_dir: Path, **env: str) -> subprocess.CompletedProcess:
    port = _closed_port()
    environment = {
        **os.environ,
        "MULTINATIONAL_SANDBOX_DIR": str(sandbox_dir),  # no sandbox there: nothing is up
        "WAREHOUSE_URL": f"postgresql+psycopg://postgres@127.0.0.1:{port}/warehouse",
        "DAGSTER_STORAGE_URL": f"postgresql+psycopg2://postgres@127.0.0.1:{port}/dagster",
        "DAGSTER_HOME": str(sandbox_dir / "dagster_home"),
    }
    environment.pop("MULTINATIONAL_DEBUG", None)
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "multinational_assets.cli", *args],
        env=environment, capture_output=True, text=True, timeout=180,
    )


def _one_sentence(result: subprocess.CompletedProcess, *expected: str) -> None:
    assert result.returncode == 1, result
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert 1 <= len(lines) <= 2, result.stderr
    assert lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    for text in expected:
        assert text in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["answers"], ["Cannot connect to the warehouse", "--debug"]),  # the warehouse is not reachable
        (["demo", "--no-sandbox"], ["Cannot connect to Dagster's storage (DAGSTER_STORAGE_URL)"]),
        (["ui", "--no-sandbox", "--port", "1"], ["Cannot connect to Dagster's storage (DAGSTER_STORAGE_URL)"]),
        (["sandbox", "faults"], ["not up"]),
        (["sandbox", "env"], ["not up"]),
        (["sandbox", "stage", "legacy", "legacy_users", "/nonexistent.csv"], ["file not found"]),
        (["sandbox", "stage", "stores", "/nonexistent.csv"], ["file not found"]),
    ],
    ids=["answers-no-warehouse", "demo-no-storage", "ui-no-storage", "faults-not-up", "env-not-up", "stage-legacy-no-file",
         "stage-stores-no-file"],
)
def test_each_command_fails_in_one_sentence(args, expected, tmp_path):
    _one_sentence(_multinational(*args, sandbox_dir=tmp_path), *expected)


def test_debug_shows_the_traceback(tmp_path):
    result = _multinational("--debug", "answers", sandbox_dir=tmp_path)
    assert result.returncode == 1 and "Traceback" in result.stderr
    assert "Traceback" in _multinational("answers", sandbox_dir=tmp_path, MULTINATIONAL_DEBUG="1").stderr


def test_a_failure_sentence_is_the_first_line_of_the_root_message():
    error = RuntimeError("connection failed: no route\n  DETAIL: pages of driver output\n" + "x" * 5000)
    assert failure_sentence(error) == "RuntimeError: connection failed: no route"
    assert len(failure_sentence(ValueError("y" * 5000))) < 320
    assert failure_sentence(KeyError()) == "KeyError: (no message)"


def test_the_summary_of_a_run_that_materialised_nothing_prints(capsys):
    from multinational_assets.cli.commands import print_run
    from multinational_assets.cli.runs import PipelineRun

    print_run(PipelineRun(run_id="r1", success=False, seconds=1.5, failure="raw__store_details: a new column ''"))
    out = capsys.readouterr().out
    assert "FAILED" in out and "0 assets" in out and "a new column" in out


@pytest.mark.slow
def test_demo_whose_run_fails_prints_its_summary_and_one_line_of_why(sandbox, tmp_path):
    """A run that fails before materialising anything (the stores API is down): the summary still
    prints, the failure is one line naming the step and the cause, and the exit status is 1."""
    from multinational_assets_tests.dagster_service import dagster_home

    with dagster_home(sandbox, tmp_path / "home") as home:
        result = _multinational(
            "demo", "--no-sandbox", sandbox_dir=Path(os.environ["MULTINATIONAL_SANDBOX_DIR"]),
            **home.env, WAREHOUSE_URL=os.environ.get("WAREHOUSE_URL", ""),
            STORES_API_URL=f"http://127.0.0.1:{_closed_port()}/prod", STORES_API_RETRIES="0",
        )
    assert result.returncode == 1, result
    assert "Traceback" not in result.stdout + result.stderr
    assert "FAILED" in result.stdout and "0 assets" in result.stdout
    failure = [line for line in result.stdout.splitlines() if "StoresApiError" in line]
    assert failure and failure[0].startswith("extract_sources: Failure: Not every selected source could be read")
