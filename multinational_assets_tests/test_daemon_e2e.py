"""End to end, like production: `multinational ui` (the Dagster webserver and daemon, in their own
process group) against the test sandbox, with Dagster's storage in Postgres and a short sensor
interval. A new products.csv uploaded to the sandbox's S3 makes the sensor start one run; when it has
succeeded the new price is in `star.dim_products`. Putting the original file back starts another run
that puts the original price back. The original object is always restored and every process stopped.
"""

from __future__ import annotations

import csv
import io
import re
import time

import pytest

from multinational_assets.defs.sources.sensors import INTERVAL_VARIABLE, SENSOR_NAME
from multinational_assets.metrics.registry import METRIC_NAMES
from multinational_assets_tests.dagster_service import ARTIFACTS, DagsterService, dagster_home, live_group_members, wait_for
from multinational_assets_tests.pipeline_state import refreshed_by

LOCATION = "multinational_assets.definitions"
RUN_TIMEOUT = 600
TICKS_QUERY = """
query ($selector: SensorSelector!) {
  sensorOrError(sensorSelector: $selector) {
    __typename
    ... on Sensor { minIntervalSeconds sensorState { status ticks(limit: 5) { status timestamp skipReason } } }
  }
}"""


def warehouse_is_built(sandbox) -> bool:
    tables = [f"star.{t}" for t in ("dim_products", "orders_table")] + [f"metrics.{m}" for m in METRIC_NAMES]
    with sandbox.connect("warehouse") as conn:
        return all(conn.execute("SELECT to_regclass(%s)", (t,)).fetchone()[0] for t in tables)


def ensure_full_build(sandbox) -> None:
    """A products-only run rebuilds the star from every clean table: they must all be there."""
    if warehouse_is_built(sandbox):
        return
    from multinational_assets.cli.runs import run_pipeline

    started = time.monotonic()
    run = run_pipeline()
    print(f"built the warehouse first: {'ok' if run.success else run.failure} in {time.monotonic() - started:.1f} s")
    assert run.success, run.failure


def product_to_change(products_csv: bytes, star_prices: dict[str, float]) -> tuple[bytes, str, float, float]:
    """products.csv with one product's price raised (every other cell as it was): the new bytes, the
    product code, its price now and the new price. The product is one the star holds at exactly the
    CSV's price and whose code appears once."""
    rows = list(csv.reader(io.StringIO(products_csv.decode("utf-8"))))
    header = rows[0]
    code_at, price_at = header.index("product_code"), header.index("product_price")
    counts: dict[str, int] = {}
    for row in rows[1:]:
        counts[row[code_at]] = counts.get(row[code_at], 0) + 1
    for row in rows[1:]:
        code, price = row[code_at], row[price_at]
        if counts[code] == 1 and re.fullmatch(r"£\d+\.\d\d", price) and code in star_prices:
            if abs(float(price[1:]) - star_prices[code]) < 0.001:
                new_price = round(star_prices[code] + 111.11, 2)
                row[price_at] = f"£{new_price:.2f}"
                out = io.StringIO()
                csv.writer(out, lineterminator="\n").writerows(rows)
                return out.getvalue().encode("utf-8"), code, star_prices[code], new_price
    raise AssertionError("no product in products.csv to change")


def star_price(sandbox, code: str) -> float:
    with sandbox.connect("warehouse") as conn:
        return conn.execute("SELECT product_price FROM star.dim_products WHERE product_code = %s", (code,)).fetchone()[0]


def sensor_runs(instance, etag: str) -> list:
    from dagster import RunsFilter

    runs = instance.get_runs(filters=RunsFilter(tags={"dagster/sensor_name": SENSOR_NAME}))
    return [r for r in runs if etag in r.tags.get("dagster/run_key", "")]


def wait_for_sensor_run(instance, service: DagsterService, etag: str):
    """The run the sensor started for this ETag, once it has finished; fails fast when it fails."""
    from dagster import DagsterRunStatus

    started = time.monotonic()
    runs = wait_for(lambda: sensor_runs(instance, etag), timeout=120, what=f"a sensor run for ETag {etag}")
    requested = time.monotonic() - started

    def finished():
        run = instance.get_run_by_id(runs[0].run_id)
        return run if run.status in (DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED) else None

    try:
        run = wait_for(finished, timeout=RUN_TIMEOUT, interval=2, what=f"run {runs[0].run_id} to finish")
    except TimeoutError:
        print(service.log_tail(60))
        raise
    if run.status != DagsterRunStatus.SUCCESS:
        from dagster import DagsterEventType

        failures = [
            str(e.dagster_event.event_specific_data.error.message if e.dagster_event.event_specific_data.error else e)
            for e in instance.all_logs(run.run_id, of_type=DagsterEventType.STEP_FAILURE)
        ]
        pytest.fail(f"sensor run {run.run_id} ended {run.status}: {failures}\n{service.log_tail(60)}")
    record = instance.get_run_record_by_id(run.run_id)
    print(
        f"sensor run {run.run_id} (run key {run.tags['dagster/run_key']}) seen {requested:.1f} s after the upload, "
        f"ran {record.end_time - record.start_time:.1f} s, finished {time.monotonic() - started:.1f} s after the upload"
    )
    assert len(sensor_runs(instance, etag)) == 1, "one version, one run"
    return run


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_a_new_products_csv_reaches_the_star_through_the_sensor(sandbox_restored, tmp_path):
    # sandbox_restored: if the test fails half-way, the original products.csv is served again and the
    # warehouse rebuilt from it.
    from multinational_assets.sandbox import control

    sandbox = sandbox_restored

    started = time.monotonic()
    ensure_full_build(sandbox)
    s3 = sandbox.s3_client()
    original = s3.get_object(Bucket=sandbox.bucket, Key="products.csv")["Body"].read()
    original_etag = s3.head_object(Bucket=sandbox.bucket, Key="products.csv")["ETag"].strip('"')
    with sandbox.connect("warehouse") as conn:
        prices = dict(conn.execute("SELECT product_code, product_price FROM star.dim_products").fetchall())
    changed, code, old_price, new_price = product_to_change(original, prices)
    changed_file = tmp_path / "products.csv"
    changed_file.write_bytes(changed)
    expected_selection = refreshed_by("products")

    with dagster_home(sandbox, tmp_path / "dagster_home") as home:
        service = DagsterService(home, ARTIFACTS / "daemon-e2e" / "dagster-dev.log", {INTERVAL_VARIABLE: "3"})
        instance = None
        try:
            service.start()
            print(f"dagster dev ready at {service.url} after {time.monotonic() - started:.1f} s")
            instance = home.instance()
            selector = {"repositoryLocationName": LOCATION, "repositoryName": "__repository__", "sensorName": SENSOR_NAME}

            def first_tick():
                sensor = service.graphql(TICKS_QUERY, {"selector": selector})["sensorOrError"]
                ticks = sensor["sensorState"]["ticks"] if sensor["__typename"] == "Sensor" else []
                return sensor if any(t["status"] in ("SKIPPED", "SUCCESS") for t in ticks) else None

            sensor = wait_for(first_tick, timeout=120, what="the sensor's first tick")
            assert sensor["minIntervalSeconds"] == 3 and sensor["sensorState"]["status"] == "RUNNING"
            print(f"sensor running, first tick: {sensor['sensorState']['ticks'][-1]['skipReason']}")

            # A new version of products.csv: one run, of products and everything downstream.
            control.stage_s3("products.csv", changed_file)
            new_etag = s3.head_object(Bucket=sandbox.bucket, Key="products.csv")["ETag"].strip('"')
            assert new_etag != original_etag
            run = wait_for_sensor_run(instance, service, new_etag)
            assert set(run.asset_selection) == expected_selection
            assert run.tags["source_etag"] == new_etag
            assert star_price(sandbox, code) == pytest.approx(new_price)
            print(f"star.dim_products: {code} costs {new_price} (was {old_price})")

            # The original back in S3: a run of its own puts the original price back.
            control.unstage()
            assert s3.head_object(Bucket=sandbox.bucket, Key="products.csv")["ETag"].strip('"') == original_etag
            wait_for_sensor_run(instance, service, original_etag)
            assert star_price(sandbox, code) == pytest.approx(old_price)
        finally:
            if instance is not None:
                instance.dispose()
            service.stop()
    for group in service.groups:
        assert not live_group_members(group), f"process group {group} still running"
    print(f"end-to-end test took {time.monotonic() - started:.1f} s")


_RUN_THAT_HANGS = """
from dagster import DagsterInstance
from multinational_assets.cli.runs import run_pipeline
with DagsterInstance.get() as instance:
    run_pipeline(["raw/store_details"], instance=instance)
"""


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_a_run_whose_process_is_killed_is_marked_failed(sandbox, tmp_path):
    """Run monitoring: a run whose worker process dies is marked failed by the daemon, not left
    "Started" for ever. The run waits on a stores API that never answers, so it is surely in progress
    when its process is killed, and nothing it would write is touched."""
    import os
    import signal
    import socket
    import subprocess
    import sys

    from dagster import DagsterRunStatus, RunsFilter

    from multinational_assets.cli.run_monitoring import WORKER_PID_TAG

    with socket.socket() as silent_api, dagster_home(sandbox, tmp_path / "dagster_home") as home:
        silent_api.bind(("127.0.0.1", 0))
        silent_api.listen()  # accepts connections, never answers
        service = DagsterService(home, ARTIFACTS / "daemon-e2e" / "killed-run.log")
        instance = None
        worker = None
        try:
            service.start()
            instance = home.instance()
            env = {
                **os.environ, **home.env,
                "STORES_API_URL": f"http://127.0.0.1:{silent_api.getsockname()[1]}/prod", "STORES_API_TIMEOUT": "600",
            }
            worker = subprocess.Popen([sys.executable, "-c", _RUN_THAT_HANGS], env=env)

            def started_run():
                runs = instance.get_runs(filters=RunsFilter(tags={WORKER_PID_TAG: str(worker.pid)}))
                return runs[0] if runs and runs[0].status == DagsterRunStatus.STARTED else None

            run = wait_for(started_run, timeout=120, interval=0.5, what="the run to start")
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=30)
            killed = time.monotonic()

            def failed():
                status = instance.get_run_by_id(run.run_id).status
                assert status in (DagsterRunStatus.STARTED, DagsterRunStatus.FAILURE), status
                return status == DagsterRunStatus.FAILURE

            wait_for(failed, timeout=120, interval=1, what="the daemon to mark the killed run failed")
            print(f"run {run.run_id} marked failed {time.monotonic() - killed:.1f} s after its process was killed")
            messages = [e.message for e in instance.all_logs(run.run_id) if e.dagster_event and e.dagster_event.is_run_failure]
            assert any(f"worker process {worker.pid} is gone" in m for m in messages), messages
        finally:
            if worker is not None and worker.poll() is None:
                worker.kill()
            if instance is not None:
                instance.dispose()
            service.stop()
