"""Shared sandbox state is put back by a fixture, whatever the test did: `sandbox_restored` (and
`pipeline_state.sandbox_put_back` behind it) serves the generated sources again and rebuilds a
warehouse the test changed, also when the test fails half-way."""

from __future__ import annotations

from pathlib import Path

import pytest

from multinational_assets.cli.runs import run_pipeline
from multinational_assets.sandbox import control
from multinational_assets_tests.pipeline_state import (
    downstream_of,
    good_full_run,
    sandbox_put_back,
    snapshot_differences,
    warehouse_snapshot,
)

pytestmark = pytest.mark.slow


def test_a_staged_source_and_a_changed_warehouse_are_put_back_when_a_test_fails_half_way(sandbox, tmp_path):
    good_full_run()
    before = warehouse_snapshot(ignore_run_id=True)
    original = (Path(sandbox.world) / "s3" / "products.csv").read_bytes()
    changed = tmp_path / "products.csv"
    changed.write_bytes(original.replace(",£".encode(), ",£1".encode(), 1))  # one product's price changes
    s3 = sandbox.s3_client()

    with pytest.raises(RuntimeError, match="half-way"), sandbox_put_back():
        control.stage_s3("products.csv", changed)
        run = run_pipeline(downstream_of("products"))
        assert run.success, run.failure
        assert snapshot_differences(before, warehouse_snapshot(ignore_run_id=True))  # it did change
        raise RuntimeError("the test failed half-way")

    assert s3.get_object(Bucket=sandbox.bucket, Key="products.csv")["Body"].read() == original
    assert snapshot_differences(before, warehouse_snapshot(ignore_run_id=True)) == []
