"""The legacy database's decoy table (an old copy of the stores) is never read by the pipeline."""

import time

from multinational_assets.cli.runs import run_pipeline


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
    time.sleep(1.5)  # backends report their statistics when they finish; give the last one a moment
    after = scans(sandbox)
    assert after["legacy_users"] > before["legacy_users"]  # the statistics do see reads
    assert after["legacy_store_details"] == before["legacy_store_details"]
