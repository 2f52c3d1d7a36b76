"""Idempotence: materialising everything twice over the same sources gives the same tables."""

from __future__ import annotations

import pytest

from multinational_assets.cli.runs import run_pipeline
from multinational_assets_tests.pipeline_state import (
    expected_tables,
    good_full_run,
    snapshot_differences,
    warehouse_snapshot,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def two_runs(sandbox):
    """The session's good run (snapshot taken right after it) and a second run of everything."""
    first = good_full_run()
    second = run_pipeline()
    assert second.success, second.failure
    return first, second, warehouse_snapshot(ignore_run_id=True), warehouse_snapshot(schemas=("quarantine",))


def test_every_table_is_identical_after_a_second_run(two_runs):
    first, _, after, _ = two_runs
    # Every layer's tables and nothing else (no staging or leftover tables), none of them empty
    # except the orders' quarantine (the orders carry no dirt) and the rejected values (the generated
    # world has no value that cannot be read).
    assert set(after) == expected_tables() == set(first.snapshot_without_run_ids)
    assert [t for t, s in after.items() if s.rows == 0] == ["quarantine.orders_table", "quarantine.rejected_values"]
    assert snapshot_differences(first.snapshot_without_run_ids, after) == []


def test_only_the_quarantine_run_ids_differ(two_runs):
    first, second, _, quarantine_with_ids = two_runs
    # Ignoring run_id hides a real difference (each run stamps its own id) and nothing more.
    changed = {t for t, s in quarantine_with_ids.items() if s != first.snapshot[t]}
    assert changed == {t for t, s in quarantine_with_ids.items() if s.rows > 0}
    assert first.run.run_id != second.run_id


def test_both_runs_report_the_same_rows_per_asset(two_runs):
    first, second, _, _ = two_runs
    rows = lambda run: {a.asset: a.rows for a in run.assets}  # noqa: E731
    assert rows(first.run) == rows(second)
    assert len(rows(second)) == 6 + 18 + 6 + 9  # raw, clean + quarantine + rejected values, star tables, metrics
