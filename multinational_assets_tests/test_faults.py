"""Faults: a flaky API is survived without losing a store; a source that cannot be read, a dropped
warehouse connection and two concurrent materialisations leave every table of the last good run as
it was (checked by checksums of every table in the warehouse)."""

from __future__ import annotations

import csv
import json
import os
import random
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from unittest import mock

import pytest
from dagster import AssetKey, DagsterEventType

from multinational_assets.defs.resources import WarehouseResource
from multinational_assets.sandbox import control, s3, stores_api
from multinational_assets.sandbox.stores_api import Faults, load_stores_file, start_stores_api
from multinational_assets.settings import PROJECT_ROOT
from multinational_assets.sources import CLEAN_TABLES
from multinational_assets.warehouse import tables as warehouse_tables
from multinational_assets_tests.pipeline_state import (
    check_results,
    downstream_of,
    good_full_run,
    run_with_instance,
    snapshot_differences,
    warehouse_snapshot,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def good(sandbox):
    """The last good run: every table of the warehouse exists and is known."""
    return good_full_run()


@pytest.fixture
def restore_sources(sandbox):
    yield
    control.unstage()


def failed_run_changes_nothing(selection: list[str] | None) -> str:
    """Run `selection` (None: everything), expect it to fail, check that no table of the warehouse
    changed (nor appeared or vanished), and return the failure message."""
    before = warehouse_snapshot()
    run, instance = run_with_instance(selection)
    instance.dispose()
    assert not run.success, "the run should have failed"
    assert snapshot_differences(before, warehouse_snapshot()) == []
    return run.failure


# ---------------------------------------------------------------------------------------------
# A flaky stores API


class HangingRequests:
    """Makes a share of the in-process API's requests hang past the client's timeout and then drops
    them: the one fault `Faults` has no switch for."""

    def __init__(self, rate: float, seconds: float, seed: int):
        self.rate, self.seconds = rate, seconds
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.hung = 0

    def install(self, monkeypatch) -> None:
        original = stores_api._Handler.do_GET
        hanging = self

        def do_get(handler):
            if handler.path.startswith(stores_api.PREFIX):
                with hanging.lock:
                    hang = hanging.rng.random() < hanging.rate
                    hanging.hung += hang
                if hang:
                    time.sleep(hanging.seconds)
                    handler.close_connection = True
                    return
            original(handler)

        monkeypatch.setattr(stores_api._Handler, "do_GET", do_get)


def test_flaky_stores_api_loses_no_store(good, sandbox, monkeypatch):
    stores = load_stores_file(Path(sandbox.world) / "api" / "stores.json")
    key = "flaky-api-key"
    # About 20% of calls fail: 7% 500s, 5% 429s, 5% truncated bodies, and 4% hang past the timeout.
    faults = Faults(error_rate=0.07, throttle_rate=0.05, truncate_rate=0.05, retry_after=1, seed=5)
    hanging = HangingRequests(rate=0.04, seconds=2.5, seed=5)
    hanging.install(monkeypatch)
    selection = [
        "raw/store_details", "clean/dim_store_details", "quarantine/dim_store_details",
        "quarantine/dim_store_details_rejected_values",
    ]
    with start_stores_api(stores, api_key=key, faults=faults) as api:
        monkeypatch.setenv("STORES_API_URL", api.url)
        monkeypatch.setenv("STORES_API_KEY", key)
        monkeypatch.setenv("STORES_API_TIMEOUT", "1")
        run, instance = run_with_instance(selection)
    try:
        assert run.success, run.failure
        rows = {a.asset: a.rows for a in run.assets}
        assert rows["raw/store_details"] == 451
        assert rows["clean/dim_store_details"] + rows["quarantine/dim_store_details"] == 451
        # Nothing lost, nothing changed: the same tables as the good run (run ids aside).
        after = warehouse_snapshot(ignore_run_id=True)
        for table in ("raw.store_details", "clean.dim_store_details", "quarantine.dim_store_details"):
            assert after[table] == good.snapshot_without_run_ids[table], table
        checks = check_results(instance, run.run_id)
        assert checks and all(checks.values()), checks
        # The faults really happened, every kind of them, at about the rate asked for.
        event = instance.get_latest_materialization_event(AssetKey(["raw", "store_details"]))
        metadata = event.asset_materialization.metadata
        retries = dict(part.split(": ") for part in metadata["retries"].value.split(", "))
        assert {"500", "429", "broken body", "timeout"} <= set(retries), retries
        failed = sum(int(n) for n in retries.values())
        assert 0.1 < failed / metadata["http_calls"].value < 0.3
        assert hanging.hung >= 1
    finally:
        instance.dispose()


# ---------------------------------------------------------------------------------------------
# Sources that cannot be read: the run fails, naming the cause, and nothing changes


def test_stores_api_down_during_a_run_of_everything(good, monkeypatch):
    api = start_stores_api([], api_key="x")
    api.stop()  # nothing listens on its port any more
    monkeypatch.setenv("STORES_API_URL", api.url)
    monkeypatch.setenv("STORES_API_RETRIES", "2")
    # The whole graph: the five healthy sources are read too, and still no table may change.
    failure = failed_run_changes_nothing(None)
    assert "raw/store_details" in failure and "stores API" in failure and "connection" in failure, failure


def test_s3_object_missing(good, sandbox):
    client = sandbox.s3_client()
    client.delete_object(Bucket=sandbox.bucket, Key="date_details.json")
    try:
        failure = failed_run_changes_nothing(downstream_of("date_details"))
        assert f"s3://{sandbox.bucket}/date_details.json does not exist" in failure, failure
    finally:
        s3.upload_file(client, sandbox.bucket, "date_details.json", Path(sandbox.world) / "s3" / "date_details.json")
    assert client.head_object(Bucket=sandbox.bucket, Key="date_details.json")["ContentLength"] > 0


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_corrupt_card_details_pdf(good, sandbox, restore_sources, tmp_path, damage):
    pdf = (Path(sandbox.world) / "s3" / "card_details.pdf").read_bytes()
    if damage == "garbage":
        # Looks like a PDF from both ends, holds nothing readable in between.
        corrupt = b"%PDF-1.4\n" + random.Random(1).randbytes(50_000) + b"\n%%EOF\n"
    else:
        corrupt = pdf[: len(pdf) // 2]  # a half-finished upload: the first 125 pages are intact
    (tmp_path / "card_details.pdf").write_bytes(corrupt)
    control.stage_s3("card_details.pdf", tmp_path / "card_details.pdf")
    failure = failed_run_changes_nothing(downstream_of("card_details"))
    assert "card_details.pdf" in failure, failure
    assert ("truncated" if damage == "truncated" else "could not be read") in failure, failure


def test_corrupt_pdf_in_a_run_of_everything_replaces_no_table(good, sandbox, restore_sources, tmp_path):
    # In a run of everything the PDF is read in the background by the step that reads the other
    # sources: that step must fail too, before storing anything.
    (tmp_path / "card_details.pdf").write_bytes(b"%PDF-1.4\n" + random.Random(2).randbytes(50_000) + b"\n%%EOF\n")
    control.stage_s3("card_details.pdf", tmp_path / "card_details.pdf")
    before = warehouse_snapshot()
    run, instance = run_with_instance(None)
    try:
        stored = [
            e for e in instance.all_logs(run.run_id)
            if e.dagster_event and e.dagster_event.event_type == DagsterEventType.ASSET_MATERIALIZATION
        ]
    finally:
        instance.dispose()
    assert not run.success
    assert "card_details.pdf" in run.failure and "could not be read" in run.failure, run.failure
    assert stored == []  # not one table replaced, not even with the same rows
    assert snapshot_differences(before, warehouse_snapshot()) == []


def test_new_column_in_products_csv(good, sandbox, restore_sources, tmp_path):
    with (Path(sandbox.world) / "s3" / "products.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    with (tmp_path / "products.csv").open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows([[*rows[0], "supplier"], *([*r, "ACME"] for r in rows[1:])])
    control.stage_s3("products.csv", tmp_path / "products.csv")
    failure = failed_run_changes_nothing(downstream_of("products"))
    assert "new column(s) 'supplier'" in failure, failure


def test_legacy_database_unreachable(good, monkeypatch):
    monkeypatch.setenv("LEGACY_DATABASE_URL", "postgresql+psycopg://reader@127.0.0.1:1/legacy")
    failure = failed_run_changes_nothing(downstream_of("legacy_users", "orders_table"))
    assert "Cannot read the legacy database at postgresql+psycopg://reader@127.0.0.1:1/legacy" in failure, failure


# ---------------------------------------------------------------------------------------------
# The warehouse connection dropped in the middle of a load


class BackendKiller(threading.Thread):
    """Watches the warehouse from its own session and terminates each backend that runs a COPY into
    `<schema>.<table>__loading` as soon as one shows up, `kills` of them."""

    def __init__(self, sandbox, schema: str, table: str, kills: int = 1, timeout: float = 300):
        super().__init__(daemon=True)
        self.sandbox, self.pattern, self.timeout = sandbox, f'COPY "{schema}"."{table}__loading"%', timeout
        self.kills = kills
        self.terminated: list[int] = []
        self.ready, self.stop = threading.Event(), threading.Event()

    def run(self) -> None:
        with self.sandbox.connect("warehouse", autocommit=True) as admin:
            self.ready.set()
            deadline = time.monotonic() + self.timeout
            while not self.stop.is_set() and time.monotonic() < deadline:
                pids = [row[0] for row in admin.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = 'warehouse' AND state = 'active' "
                    "AND query LIKE %s", (self.pattern,)
                )]
                for pid in pids:
                    if pid not in self.terminated and admin.execute(
                        "SELECT pg_terminate_backend(%s, 5000)", (pid,)
                    ).fetchone()[0]:
                        self.terminated.append(pid)
                if len(self.terminated) >= self.kills:
                    return
                time.sleep(0.005)


def _slow_csv_chunks(table):
    """The load's CSV sent in 1 MB pieces 20 ms apart, so that every COPY stays active long enough to
    be caught (a COPY of the 120,161 date rows took tens of milliseconds, and the killer, polling every
    5 ms, sometimes missed one). COPY's data may be cut anywhere: the server reads it as one stream."""
    for chunk in _CSV_CHUNKS(table):
        for start in range(0, len(chunk), 1 << 20):
            time.sleep(0.02)
            yield chunk[start : start + (1 << 20)]


_CSV_CHUNKS = warehouse_tables.csv_chunks


def run_raw_date_details_killing_copies(sandbox, kills: int):
    """Run raw/date_details while `kills` of its COPY sessions are terminated; (run, its log text,
    the terminated backends). Each COPY is slowed (`_slow_csv_chunks`) so that it is caught."""
    killer = BackendKiller(sandbox, "raw", "date_details", kills=kills)
    killer.start()
    killer.ready.wait(30)
    try:
        with mock.patch.object(warehouse_tables, "csv_chunks", _slow_csv_chunks):
            run, instance = run_with_instance(["raw/date_details"])
        logs = "\n".join(e.user_message for e in instance.all_logs(run.run_id))
        instance.dispose()
    finally:
        killer.stop.set()
        killer.join(10)
    return run, logs, killer.terminated


def test_warehouse_connection_dropped_during_copy(good, sandbox):
    # Two kills: the raw step's early load (after which the IO manager loads the frame itself), then
    # the IO manager's load.
    before = warehouse_snapshot()
    run, _, terminated = run_raw_date_details_killing_copies(sandbox, kills=2)
    assert len(terminated) == 2  # both loading sessions were killed while their COPY ran
    assert not run.success
    assert "terminat" in run.failure or "connection" in run.failure.lower(), run.failure
    assert snapshot_differences(before, warehouse_snapshot()) == []  # no half table, no leftover

    again, instance = run_with_instance(["raw/date_details"])
    instance.dispose()
    assert again.success, again.failure
    assert snapshot_differences(before, warehouse_snapshot()) == []


def test_an_early_load_dropped_is_done_again_by_the_io_manager(good, sandbox):
    before = warehouse_snapshot()
    run, logs, terminated = run_raw_date_details_killing_copies(sandbox, kills=1)
    assert len(terminated) == 1
    assert run.success, run.failure
    assert "raw/date_details will be loaded when stored; loading it early failed" in logs
    assert snapshot_differences(before, warehouse_snapshot()) == []  # the same rows, whole


# ---------------------------------------------------------------------------------------------
# Two materialisations of the same assets at once

_CONCURRENT_RUN = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    from multinational_assets.definitions import defs  # import first: start both runs together
    from multinational_assets.cli.runs import run_pipeline

    barrier, me, others = Path(sys.argv[1]), sys.argv[2], sys.argv[3:]
    (barrier / me).touch()
    deadline = time.time() + 120
    while not all((barrier / o).exists() for o in others) and time.time() < deadline:
        time.sleep(0.05)
    started = time.time()
    run = run_pipeline(json.loads(sys.stdin.read()))
    print("RESULT " + json.dumps({"run_id": run.run_id, "success": run.success, "failure": run.failure,
                                  "started": started, "ended": time.time()}))
    """
)


def test_two_materialisations_at_once_leave_whole_tables(good, tmp_path):
    # A clean step (two tables through the IO manager) and the star (built and swapped by SQL).
    selection = [
        "clean/dim_date_times", "quarantine/dim_date_times", "quarantine/dim_date_times_rejected_values",
        *[f"star/{spec.table}" for spec in CLEAN_TABLES],
    ]
    before = warehouse_snapshot(ignore_run_id=True)
    names = ["a", "b"]
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", _CONCURRENT_RUN, str(tmp_path), me, *[n for n in names if n != me]],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            cwd=PROJECT_ROOT, env=dict(os.environ),
        )
        for me in names
    ]
    results = []
    for process in processes:
        out, err = process.communicate(json.dumps(selection), timeout=600)
        lines = [line for line in out.splitlines() if line.startswith("RESULT ")]
        assert lines, err[-3000:]
        results.append(json.loads(lines[-1].removeprefix("RESULT ")))
    assert all(r["success"] for r in results), [r["failure"] for r in results]
    # They really ran at the same time.
    assert max(r["started"] for r in results) < min(r["ended"] for r in results)

    after = warehouse_snapshot(ignore_run_id=True)
    # Same tables, same rows: nothing duplicated, nothing half-written, no leftover staging tables.
    assert snapshot_differences(before, after) == []
    with WarehouseResource().connect() as conn:
        run_ids = [r[0] for r in conn.execute("SELECT DISTINCT run_id FROM quarantine.dim_date_times")]
    assert len(run_ids) == 1 and run_ids[0] in {r["run_id"] for r in results}
