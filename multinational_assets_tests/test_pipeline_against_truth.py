"""The whole pipeline against the sandbox, scored against its ground truth.

Every clean table must equal the truth value for value, every quarantine must hold exactly the
unrecoverable raw rows, no value may be rejected (the truth reads every value of a kept row), and the
nine answers must equal the truth's answers. Seed 0 runs on the session's sandbox; seed 1, and seed 0
in dialects 1 and 2 (the same truth in other spellings), each on a sandbox of its own.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from multinational_assets.cli.runs import run_pipeline
from multinational_assets.defs.resources import WarehouseResource
from multinational_assets.metrics.registry import METRIC_NAMES
from multinational_assets.sources import CLEAN_TABLES
from multinational_assets.warehouse import read_table
from multinational_assets_tests.pipeline_state import good_full_run
from multinational_assets_tests.truth_compare import (
    assert_table_equals_truth,
    coerce_like,
    raw_row_tuples,
    read_truth_csv,
)

pytestmark = pytest.mark.slow


def score_against_truth(world: Path, compare_quarantined_text: bool = True) -> None:
    """Every clean table, the quarantined rows (their raw text too, unless the sources were
    respelled after the truth was written), the rejected values (none) and the nine answers."""
    with WarehouseResource().connect() as conn:
        for spec in CLEAN_TABLES:
            clean = read_table(conn, "clean", spec.table)
            assert_table_equals_truth(clean, read_truth_csv(world / "truth" / f"{spec.table}.csv"), spec.key)

            quarantined = read_table(conn, "quarantine", spec.table)
            truth_q = read_truth_csv(world / "truth" / "quarantine" / f"{spec.table}.csv")
            raw_columns = list(truth_q.columns)
            assert list(quarantined.columns) == [*raw_columns, "reasons", "row_key", "run_id"]
            assert len(quarantined) == len(truth_q), spec.table
            if compare_quarantined_text:
                assert raw_row_tuples(quarantined, raw_columns) == raw_row_tuples(truth_q, raw_columns), spec.table
            assert quarantined["reasons"].str.len().gt(0).all()

        rejected = read_table(conn, "quarantine", "rejected_values")
        assert list(rejected.columns) == ["table_name", "row_key", "column_name", "raw_value", "reason", "run_id"]
        assert rejected.empty, rejected.head(10).to_string()

        for name in METRIC_NAMES:
            answer = read_table(conn, "metrics", name)
            truth = coerce_like(read_truth_csv(world / "truth" / "answers" / f"{name}.csv"), answer)
            pd.testing.assert_frame_equal(
                answer.reset_index(drop=True), truth.reset_index(drop=True), check_exact=False, rtol=1e-9,
                obj=f"metrics.{name}",
            )


@pytest.fixture(scope="module")
def seed0_run(sandbox):
    # The session's shared good run (the warehouse still holds its output unless a test said not).
    return good_full_run().run


def test_seed0_every_table_and_answer_equals_truth(sandbox, seed0_run):
    score_against_truth(Path(sandbox.world))


def test_seed0_every_raw_row_is_clean_or_quarantined(sandbox, seed0_run):
    rows = {a.asset: a.rows for a in seed0_run.assets}
    for spec in CLEAN_TABLES:
        raw = rows[f"raw/{spec.raw_table}"]
        assert raw == rows[f"clean/{spec.table}"] + rows[f"quarantine/{spec.table}"], spec.table


@pytest.fixture
def other_sandbox(sandbox, request, monkeypatch):
    """A sandbox of another seed or dialect (`request.param`) in its own folder and ports, torn
    down afterwards."""
    from multinational_assets.sandbox import control
    from multinational_assets.sandbox.stores_api import Faults

    seed, dialect, port = request.param
    root = Path(os.environ["MULTINATIONAL_SANDBOX_DIR"]).parent / f".sandbox-test-seed{seed}-dialect{dialect}"
    monkeypatch.setenv("MULTINATIONAL_SANDBOX_DIR", str(root))
    monkeypatch.setenv("MULTINATIONAL_SANDBOX_S3_PORT", str(port))
    monkeypatch.setenv("MULTINATIONAL_SANDBOX_API_PORT", str(port + 1))
    control.up(seed=seed, scale=1, faults=Faults(seed=seed), dialect=dialect)
    try:
        yield control.info()
    finally:
        control.down()


@pytest.mark.parametrize(
    "other_sandbox", [(1, 0, 19565), (0, 1, 19567), (0, 2, 19569)], ids=["seed1", "dialect1", "dialect2"],
    indirect=True,
)
def test_another_world_every_table_and_answer_equals_truth(other_sandbox):
    run = run_pipeline()
    assert run.success, run.failure
    score_against_truth(Path(other_sandbox.world))
