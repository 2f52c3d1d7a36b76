"""The S3 sensor `s3_source_files`, evaluated with `build_sensor_context` against the test sandbox's S3
server (moto): what it requests, what it skips, that it misses nothing, and how long a tick takes.

Every object a test changes is put back (same bytes, so the same ETag) and every object it adds is
deleted, however the test ends.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from dagster import AssetKey, AssetMaterialization, DagsterInstance, RunRequest, build_sensor_context

from multinational_assets.definitions import defs
from multinational_assets.defs.resources import SourceBucket
from multinational_assets.defs.sources.sensors import (
    DEFAULT_INTERVAL_SECONDS,
    INTERVAL_VARIABLE,
    s3_source_files,
    sensor_interval_seconds,
)
from multinational_assets_tests.pipeline_state import refreshed_by

PRODUCTS, CARDS, DATES = "products.csv", "card_details.pdf", "date_details.json"
TICK_LIMIT_SECONDS = 60  # Dagster abandons a sensor tick after 60 s


class Bucket:
    """The sandbox bucket, remembering what a test changed so it can be put back."""

    def __init__(self, sandbox):
        self.client = sandbox.s3_client()
        self.name = sandbox.bucket
        self.originals: dict[str, bytes] = {}
        self.added: set[str] = set()

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def put(self, key: str, body: bytes) -> dict:
        """Upload `body` to `key`; returns HEAD of the new version (ETag, LastModified)."""
        if key not in self.originals and key not in self.added:
            try:
                self.originals[key] = self.read(key)
            except self.client.exceptions.NoSuchKey:
                self.added.add(key)
        self.client.put_object(Bucket=self.name, Key=key, Body=body)
        return self.head(key)

    def head(self, key: str) -> dict:
        response = self.client.head_object(Bucket=self.name, Key=key)
        return {"etag": response["ETag"].strip('"'), "last_modified": response["LastModified"]}

    def add_many(self, keys: list[str]) -> None:
        self.added.update(keys)
        with ThreadPoolExecutor(max_workers=16) as pool:
            list(pool.map(lambda k: self.client.put_object(Bucket=self.name, Key=k, Body=k.encode()), keys))

    def restore(self) -> None:
        for key, body in self.originals.items():
            self.client.put_object(Bucket=self.name, Key=key, Body=body)
        added = sorted(self.added)
        for start in range(0, len(added), 1000):
            self.client.delete_objects(
                Bucket=self.name, Delete={"Objects": [{"Key": k} for k in added[start:start + 1000]], "Quiet": True}
            )


@pytest.fixture
def bucket(sandbox):
    b = Bucket(sandbox)
    try:
        yield b
    finally:
        b.restore()


@pytest.fixture
def instance():
    with DagsterInstance.ephemeral() as inst:
        yield inst


def baseline_etag(result) -> str:
    return json.loads(result.cursor)[PRODUCTS]


def tick(instance, cursor: str | None = None):
    """One evaluation of the sensor, as the daemon would run it; returns (result, seconds)."""
    context = build_sensor_context(
        instance=instance, cursor=cursor, definitions=defs, resources={"source_bucket": SourceBucket()}
    )
    started = time.perf_counter()
    result = s3_source_files.evaluate_tick(context)
    seconds = time.perf_counter() - started
    print(f"sensor tick: {seconds:.3f} s; {len(result.run_requests or [])} run requests; skip: {result.skip_message}")
    assert seconds < TICK_LIMIT_SECONDS
    return result, seconds


def with_price_changed(products_csv: bytes, new_price: str = "£1234.56") -> bytes:
    """products.csv with the first priced product's price changed (every other cell as it was)."""
    rows = list(csv.reader(io.StringIO(products_csv.decode("utf-8"))))
    header = rows[0]
    price = header.index("product_price")
    row = next(r for r in rows[1:] if r[price].startswith("£") and r[price] != new_price)
    row[price] = new_price
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def requests_by_key(result) -> dict[str, RunRequest]:
    """Each changed object's name -> the run request that covers it (one request may cover several)."""
    return {
        uri.rsplit("/", 1)[-1]: r for r in result.run_requests or [] for uri in r.tags["source_object"].split(", ")
    }


# -- the interval ------------------------------------------------------------------------------------


def test_interval_is_30_s_by_default_and_set_by_the_environment(monkeypatch):
    monkeypatch.delenv(INTERVAL_VARIABLE, raising=False)
    assert sensor_interval_seconds() == DEFAULT_INTERVAL_SECONDS == 30
    monkeypatch.setenv(INTERVAL_VARIABLE, "5")
    assert sensor_interval_seconds() == 5
    for bad in ("0", "-3", "half a minute"):
        monkeypatch.setenv(INTERVAL_VARIABLE, bad)
        with pytest.raises(ValueError, match=INTERVAL_VARIABLE):
            sensor_interval_seconds()


@pytest.mark.slow
def test_the_sensor_definition_takes_its_interval_from_the_environment():
    # Dagster fixes the interval when the definitions load: check it in a fresh interpreter.
    code = (
        "from multinational_assets.definitions import defs; "
        "print(defs.get_sensor_def('s3_source_files').minimum_interval_seconds)"
    )
    for value, expected in ((None, "30"), ("3", "3")):
        env = {k: v for k, v in os.environ.items() if k != INTERVAL_VARIABLE}
        if value:
            env[INTERVAL_VARIABLE] = value
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120, check=True)
        assert out.stdout.strip().splitlines()[-1] == expected


# -- against the sandbox's S3 ------------------------------------------------------------------------


def test_unchanged_bucket_requests_nothing(sandbox, instance):
    first, _ = tick(instance)
    # Nothing was ever materialised in this instance: the first tick only takes note of the versions.
    assert not first.run_requests
    assert "never materialised" in first.skip_message
    cursor = json.loads(first.cursor)
    assert set(cursor) == {PRODUCTS, CARDS, DATES}

    second, seconds = tick(instance, first.cursor)
    assert not second.run_requests
    assert second.skip_message.startswith("no new version of 3 watched files")
    assert json.loads(second.cursor) == cursor


def test_a_changed_products_csv_requests_one_run_of_products_and_downstream(sandbox, instance, bucket):
    baseline, _ = tick(instance)
    new = bucket.put(PRODUCTS, with_price_changed(bucket.read(PRODUCTS)))

    result, _ = tick(instance, baseline.cursor)
    assert result.skip_message is None
    assert len(result.run_requests) == 1
    request = result.run_requests[0]
    selection = set(request.asset_selection)
    assert selection == refreshed_by("products")
    assert {
        AssetKey(["raw", "products"]),
        AssetKey(["clean", "dim_products"]),
        AssetKey(["quarantine", "dim_products"]),
        AssetKey(["star", "dim_products"]),
        AssetKey(["star", "orders_table"]),
        AssetKey(["metrics", "sales_by_month"]),
    } <= selection
    for other in ("legacy_users", "orders_table", "card_details", "store_details", "date_details"):
        assert AssetKey(["raw", other]) not in selection
    assert AssetKey(["clean", "orders_table"]) not in selection
    assert new["etag"] in request.run_key and request.run_key.startswith(f"{PRODUCTS}@")
    assert request.tags["source_etag"] == new["etag"]
    assert json.loads(result.cursor)[PRODUCTS] == new["etag"]
    # The source's external asset records the version the sensor saw.
    (seen,) = result.asset_events
    assert seen.asset_key == AssetKey(["source", "s3", "products_csv"])
    assert seen.metadata["etag"].value == new["etag"] and seen.metadata["previous_etag"].value == baseline_etag(baseline)

    # The same version is never requested twice.
    again, _ = tick(instance, result.cursor)
    assert not again.run_requests and again.skip_message

    # Putting the previous version back is a change too, and gets a run key of its own.
    bucket.restore()
    back, _ = tick(instance, result.cursor)
    assert len(back.run_requests) == 1
    assert back.run_requests[0].run_key != request.run_key
    assert json.loads(back.cursor)[PRODUCTS] == json.loads(baseline.cursor)[PRODUCTS]


@pytest.mark.slow
def test_nothing_is_missed_beyond_1000_keys_or_within_one_second(sandbox, instance, bucket):
    # 1,200 other objects, sorting both before and after the watched keys.
    noise = [f"aaa-noise/{i:04d}.txt" for i in range(600)] + [f"zzz-noise/{i:04d}.txt" for i in range(600)]
    started = time.perf_counter()
    bucket.add_many(noise)
    pages = list(bucket.client.get_paginator("list_objects_v2").paginate(Bucket=bucket.name))
    listed = sum(p.get("KeyCount", 0) for p in pages)
    print(
        f"uploaded 1,200 objects in {time.perf_counter() - started:.1f} s; the bucket lists {listed} keys in {len(pages)} pages"
    )
    assert listed >= 1203 and len(pages) >= 2

    baseline, _ = tick(instance)
    products = bucket.read(PRODUCTS)
    cards = bucket.read(CARDS)

    # Two watched keys uploaded within the same second, then one tick: both are requested, in one run.
    for attempt in range(10):
        _wait_for_next_second()
        a = bucket.put(PRODUCTS, with_price_changed(products, f"£{100 + attempt}.01"))
        b = bucket.put(CARDS, cards + f"\n% version {attempt}\n".encode())
        if a["last_modified"] == b["last_modified"]:
            break
    else:
        pytest.fail("could not upload two objects within one second in 10 attempts")
    result, _ = tick(instance, baseline.cursor)
    (request,) = result.run_requests
    assert set(requests_by_key(result)) == {PRODUCTS, CARDS}
    assert a["etag"] in request.run_key and b["etag"] in request.run_key
    assert set(request.asset_selection) == refreshed_by("products", "card_details")

    # An upload in the same second as the tick that saw the previous one is not missed either.
    cursor = result.cursor
    for attempt in range(10):
        _wait_for_next_second()
        c = bucket.put(PRODUCTS, with_price_changed(products, f"£{200 + attempt}.02"))
        seen, _ = tick(instance, cursor)
        d = bucket.put(CARDS, cards + f"\n% second version {attempt}\n".encode())
        if c["last_modified"] == d["last_modified"]:
            break
        cursor = tick(instance, seen.cursor)[0].cursor  # take in this attempt's upload before the next
    else:
        pytest.fail("could not upload, tick and upload again within one second in 10 attempts")
    assert set(requests_by_key(seen)) == {PRODUCTS}
    after, _ = tick(instance, seen.cursor)
    assert set(requests_by_key(after)) == {CARDS}
    assert d["etag"] in requests_by_key(after)[CARDS].run_key


def _wait_for_next_second() -> None:
    time.sleep(1.02 - (time.time() % 1))


def test_first_tick_compares_with_the_version_last_materialised(sandbox, instance):
    # The warehouse was last built from an older products.csv (recorded in the materialisation's
    # metadata, as the raw asset records it); the others from the current versions.
    current = {k: v for k, v in json.loads(tick(instance)[0].cursor).items()}
    instance.report_runless_asset_event(
        AssetMaterialization(AssetKey(["raw", "products"]), metadata={"etag": "0123456789abcdef0123456789abcdef"})
    )
    instance.report_runless_asset_event(
        AssetMaterialization(AssetKey(["raw", "date_details"]), metadata={"etag": current[DATES]})
    )

    result, _ = tick(instance)  # no cursor: a first tick, or a cursor reset in the UI
    assert len(result.run_requests) == 1
    assert set(result.run_requests[0].asset_selection) == refreshed_by("products")
    assert current[PRODUCTS] in result.run_requests[0].run_key


def test_a_missing_watched_object_is_reported_not_requested(sandbox, instance, monkeypatch):
    monkeypatch.setenv("PRODUCTS_KEY", "incoming/not-there-yet.csv")
    result, _ = tick(instance)
    assert not result.run_requests
    assert "missing: incoming/not-there-yet.csv" in result.skip_message


# -- a drop folder ------------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_new_object_in_a_drop_folder_requests_a_run_and_is_what_the_raw_asset_reads(
    sandbox_restored, instance, bucket, monkeypatch
):
    """With PRODUCTS_KEY naming a prefix, the newest object under it (every page listed) is the
    source: a new object there triggers one run, and raw/products reads exactly that object."""
    folder = "incoming/products/"
    monkeypatch.setenv("PRODUCTS_KEY", folder)
    original = bucket.read(PRODUCTS)
    bucket.add_many([f"{folder}old/{n:04d}.txt" for n in range(1005)])  # beyond the first page
    bucket.put(f"{folder}2026-11-28.csv", original)
    baseline, _ = tick(instance)
    assert not baseline.run_requests  # never materialised from here: watched from now on
    _wait_for_next_second()
    changed = with_price_changed(original)
    new = bucket.put(f"{folder}2026-11-29.csv", changed)

    result, _ = tick(instance, baseline.cursor)
    assert len(result.run_requests) == 1
    request = result.run_requests[0]
    assert request.run_key.startswith(f"{folder}2026-11-29.csv@{new['etag']}@")
    assert set(request.asset_selection) == refreshed_by("products")

    from multinational_assets.cli.runs import run_pipeline
    from multinational_assets.defs.resources import WarehouseResource
    from multinational_assets.warehouse import read_table
    run = run_pipeline(["raw/products"])  # raw.products will hold the dropped file (sandbox_restored)
    assert run.success, run.failure
    with WarehouseResource().connect() as conn:
        raw = read_table(conn, "raw", "products")
    assert "£1234.56" in set(raw["product_price"])  # the newest object, not the older one


# -- the run reads exactly what the sensor saw ---------------------------------------------------------


def _run_request(request: RunRequest):
    """Execute a run request as the daemon would (its selection and tags), in this process."""
    from multinational_assets.cli.runs import run_pipeline

    return run_pipeline([k.to_user_string() for k in request.asset_selection], tags=dict(request.tags))


@pytest.mark.slow
def test_a_file_replaced_between_the_tick_and_the_read_fails_the_run_naming_both_etags(sandbox_restored, instance, bucket):
    from multinational_assets_tests.pipeline_state import good_full_run, snapshot_differences, warehouse_snapshot

    good_full_run()
    baseline, _ = tick(instance)
    seen = bucket.put(PRODUCTS, with_price_changed(bucket.read(PRODUCTS), "£7.77"))
    result, _ = tick(instance, baseline.cursor)
    (request,) = result.run_requests
    # Replaced again after the tick, before the run reads it.
    newer = bucket.put(PRODUCTS, with_price_changed(bucket.read(PRODUCTS), "£8.88"))
    before = warehouse_snapshot(ignore_run_id=True)
    run = _run_request(request)
    assert not run.success
    assert f"the run is for ETag {seen['etag']}, the bucket now holds ETag {newer['etag']}" in run.failure, run.failure
    assert snapshot_differences(before, warehouse_snapshot(ignore_run_id=True)) == []
    # The next tick asks for a run of the newer version.
    following, _ = tick(instance, result.cursor)
    (again,) = following.run_requests
    assert newer["etag"] in again.run_key and again.tags["source_etag"] == newer["etag"]


@pytest.mark.slow
def test_three_files_replaced_together_give_one_run_that_reads_all_three_new_versions(sandbox_restored, instance, bucket):
    from dagster import DagsterInstance as Instance

    from multinational_assets.cli.runs import run_pipeline

    baseline, _ = tick(instance)
    new = {
        PRODUCTS: bucket.put(PRODUCTS, with_price_changed(bucket.read(PRODUCTS), "£9.99")),
        # A PDF and a JSON read the same after a comment or trailing whitespace: new versions, same rows.
        CARDS: bucket.put(CARDS, bucket.read(CARDS) + b"\n% redelivered\n"),
        DATES: bucket.put(DATES, bucket.read(DATES) + b"\n"),
    }
    result, _ = tick(instance, baseline.cursor)
    (request,) = result.run_requests  # one run, not three
    assert set(request.asset_selection) == refreshed_by("products", "card_details", "date_details")
    with Instance.ephemeral() as run_instance:
        run = run_pipeline(
            [k.to_user_string() for k in request.asset_selection], instance=run_instance, tags=dict(request.tags)
        )
        assert run.success, run.failure
        for key, raw in ((PRODUCTS, "products"), (CARDS, "card_details"), (DATES, "date_details")):
            event = run_instance.get_latest_materialization_event(AssetKey(["raw", raw]))
            assert event.asset_materialization.metadata["etag"].value == new[key]["etag"]
            # The raw asset's data version is the ETag it read.
            assert event.asset_materialization.tags["dagster/data_version"] == new[key]["etag"]
