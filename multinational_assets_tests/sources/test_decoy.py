"""The legacy database's decoy table (an old copy of the stores) is never read by the pipeline."""

from multinational_assets.cli.runs import run_pipeline
from multinational_assets_tests.dagster_service import wait_for


def scans(sandbox) -> dict[str, int]:
    with sandbox.connect("legacy") as conn:
        rows = conn.execute(
            "SELECT relname, seq_scan + coalesce(idx_scan, 0) FROM pg_stat_user_tables "
            "WHERE relname IN ('legacy_users', 'legacy_store_details')"
        ).fetchall()
    return dict(rows)


def test_extraction_reads_users_but_never_the_decoy(sandbox):
    before = scans(sandbox)
    run = run_pipeline(["raw/legacy_users", "raw/orders_table"])
    assert run.success, run.failure
    # Backends report their statistics as they finish: wait until the users' read shows (so the
    # statistics do see reads), then the decoy's count must not have moved.
    after = wait_for(lambda: (s := scans(sandbox))["legacy_users"] > before["legacy_users"] and s,
                     timeout=30, interval=0.1, what="the legacy_users read to reach the statistics")
    assert after["legacy_store_details"] == before["legacy_store_details"]
