"""Extraction: each of the six raw assets against the sandbox, and the stores API reader under faults.

The raw tables are compared with the sources read independently here (the CSV with the csv module,
the JSON with json, the API's objects from the world file), value for value. The failure tests prove
that a source that cannot be read fails the asset with a message naming the cause and writes nothing.
"""

from __future__ import annotations

import csv
import json
import secrets
import time
from pathlib import Path

import pytest
from dagster import AssetKey
from psycopg import sql

from multinational_assets.defs.resources import StoresApiResource, WarehouseResource
from multinational_assets.sandbox import control
from multinational_assets.sandbox.stores_api import Faults, load_stores_file, start_stores_api
from multinational_assets_tests.pipeline_state import (
    good_full_run,
    run_text,
    run_with_instance,
    snapshot_differences,
    warehouse_snapshot,
)

pytestmark = pytest.mark.slow

# Scale 1 (the test sandbox's scale): source-world.md §2.
EXPECTED_ROWS = {
    "legacy_users": 15_320,
    "orders_table": 120_123,
    "card_details": 15_309,
    "store_details": 451,
    "products": 1_853,
    "date_details": 120_161,
}
# docs/architecture.md, "Raw tables", written out here rather than imported from the package.
RAW_COLUMNS = {
    "legacy_users": ["index", "first_name", "last_name", "date_of_birth", "company", "email_address",
                     "address", "country", "country_code", "phone_number", "join_date", "user_uuid"],
    "orders_table": ["level_0", "index", "date_uuid", "first_name", "last_name", "user_uuid", "card_number",
                     "store_code", "product_code", "1", "product_quantity"],
    "card_details": ["page", "card_number", "expiry_date", "card_provider", "date_payment_confirmed"],
    "store_details": ["index", "address", "longitude", "lat", "locality", "store_code", "staff_numbers",
                      "opening_date", "store_type", "latitude", "country_code", "continent"],
    "products": ["row_label", "product_name", "product_price", "weight", "category", "EAN", "date_added",
                 "uuid", "removed", "product_code"],
    "date_details": ["row_label", "timestamp", "month", "year", "day", "time_period", "date_uuid"],
}
# The row label of each raw table (not part of a NULL row's `NULL`s).
ROW_LABEL = {"legacy_users": "index", "card_details": "page", "store_details": "index",
             "products": "row_label", "date_details": "row_label", "orders_table": None}
NULL_ROWS = {"legacy_users": 21, "orders_table": 0, "card_details": 11, "store_details": 3, "products": 4,
             "date_details": 15}


@pytest.fixture(scope="module")
def good_run(sandbox):
    """Every asset materialised once (the session's shared run); its raw tables are the ones tested."""
    return good_full_run()


def raw_rows(table: str) -> list[tuple]:
    """The raw table's rows, columns in the documented order, sorted."""
    columns = sql.SQL(", ").join(sql.Identifier(c) for c in RAW_COLUMNS[table])
    with WarehouseResource().connect() as conn:
        rows = conn.execute(sql.SQL("SELECT {} FROM {}").format(columns, sql.Identifier("raw", table))).fetchall()
    return sorted(rows, key=repr)


def raw_snapshot():
    return warehouse_snapshot(schemas=("raw",))


# ---------------------------------------------------------------------------------------------
# The six raw assets


def test_every_raw_asset_holds_exactly_the_source_rows(good_run):
    reported = {a.asset: a.rows for a in good_run.run.assets}
    assert {t: reported.get(f"raw/{t}") for t in EXPECTED_ROWS} == EXPECTED_ROWS
    with WarehouseResource().connect() as conn:
        counted = {
            t: conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier("raw", t))).fetchone()[0]
            for t in EXPECTED_ROWS
        }
    assert counted == EXPECTED_ROWS


def test_raw_tables_have_the_source_columns_all_text(good_run):
    with WarehouseResource().connect() as conn:
        for table, expected in RAW_COLUMNS.items():
            columns = conn.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = 'raw' AND table_name = %s ORDER BY ordinal_position",
                (table,),
            ).fetchall()
            assert [c for c, _ in columns] == expected, table
            assert {t for _, t in columns} == {"text"}, table


def test_literal_null_rows_are_kept_as_text(good_run):
    with WarehouseResource().connect() as conn:
        for table, expected in NULL_ROWS.items():
            content = [sql.Identifier(c) for c in RAW_COLUMNS[table] if c != ROW_LABEL[table]]
            every_null_text = sql.SQL(" AND ").join(sql.SQL("{} = 'NULL'").format(c) for c in content)
            every_sql_null = sql.SQL(" AND ").join(sql.SQL("{} IS NULL").format(c) for c in content)
            count = sql.SQL("SELECT count(*) FROM {} WHERE {}")
            target = sql.Identifier("raw", table)
            assert conn.execute(count.format(target, every_null_text)).fetchone()[0] == expected, table
            # ...and they did not become SQL NULLs on the way.
            assert conn.execute(count.format(target, every_sql_null)).fetchone()[0] == 0, table


def test_raw_products_equal_the_csv_cell_for_cell(sandbox, good_run):
    with (Path(sandbox.world) / "s3" / "products.csv").open(newline="", encoding="utf-8") as fh:
        header, *body = list(csv.reader(fh))
    assert header[0] == "" and header[1:] == RAW_COLUMNS["products"][1:]
    assert raw_rows("products") == sorted(map(tuple, body), key=repr)


def test_raw_date_details_equal_the_json_with_its_row_labels(sandbox, good_run):
    columns = json.loads((Path(sandbox.world) / "s3" / "date_details.json").read_text())
    names = RAW_COLUMNS["date_details"][1:]
    labels = list(columns[names[0]])
    expected = [(label, *(columns[n][label] for n in names)) for label in labels]
    assert raw_rows("date_details") == sorted(expected, key=repr)


def test_raw_store_details_equal_the_api_objects(sandbox, good_run):
    stores = load_stores_file(Path(sandbox.world) / "api" / "stores.json")

    def text(value):
        return None if value is None else str(value)

    expected = [tuple(text(store.get(c)) for c in RAW_COLUMNS["store_details"]) for store in stores]
    assert raw_rows("store_details") == sorted(expected, key=repr)


@pytest.mark.parametrize("table", ["legacy_users", "orders_table"])
def test_raw_legacy_tables_equal_the_database_rows(sandbox, good_run, table):
    # The world file is what the legacy database was loaded from (Postgres CSV: every string quoted,
    # NULL an unquoted empty field; the sources hold no empty strings, so '' here means NULL).
    with (Path(sandbox.world) / "legacy" / f"{table}.csv").open(newline="", encoding="utf-8") as fh:
        header, *body = list(csv.reader(fh))
    assert header == RAW_COLUMNS[table]
    expected = [tuple(None if v == "" else v for v in row) for row in body]
    assert raw_rows(table) == sorted(expected, key=repr)


def test_raw_card_details_keep_every_pdf_row_and_its_page(sandbox, good_run):
    rows = raw_rows("card_details")
    pages = {int(r[0]) for r in rows}
    assert pages == set(range(1, 280))  # 279 pages, each contributing rows
    assert not [r for r in rows if r[1] == "card_number"]  # page headers are not rows
    # The rows the truth quarantines (NULL and garbage rows) are in the raw table exactly, with pages.
    world = Path(sandbox.world)
    with (world / "truth" / "quarantine" / "dim_card_details.csv").open(newline="") as fh:
        rejected = [tuple(r) for r in list(csv.reader(fh))[1:]]
    assert len(rejected) == 25 and set(rejected) <= set(rows)
    # Every valid card is there with every digit (no float rounding, no lost leading '?').
    with (world / "truth" / "dim_card_details.csv").open(newline="") as fh:
        truth_numbers = {r["card_number"] for r in csv.DictReader(fh)}
    valid = [r for r in rows if r not in set(rejected)]
    assert len(valid) == 15_284
    assert {r[1].lstrip("?") for r in valid} == truth_numbers
    assert sum(r[1].startswith("?") for r in valid) == 26


# ---------------------------------------------------------------------------------------------
# The stores API reader


@pytest.fixture(scope="module")
def world_stores(sandbox) -> list[dict]:
    return load_stores_file(Path(sandbox.world) / "api" / "stores.json")


def point_at(monkeypatch, url: str, key: str, **settings: str) -> None:
    monkeypatch.setenv("STORES_API_URL", url)
    monkeypatch.setenv("STORES_API_KEY", key)
    for name, value in settings.items():
        monkeypatch.setenv(name, value)


def test_fetch_all_gets_every_store_through_every_kind_of_fault(world_stores, monkeypatch):
    key = secrets.token_urlsafe(32)
    faults = Faults(latency_ms=10, error_rate=0.08, throttle_rate=0.06, truncate_rate=0.08, retry_after=1, seed=11)
    with start_stores_api(world_stores, api_key=key, faults=faults) as api:
        point_at(monkeypatch, api.url, key)
        stores, stats = StoresApiResource().fetch_all()
    assert len(stores) == 451
    assert stores == world_stores  # every store, in store-number order, exactly as served
    assert {"500", "429", "broken body"} <= set(stats.retries), stats.retries
    # Every failed call was retried and nothing else: calls = 452 answers + one call per retry.
    assert stats.calls == len(world_stores) + 1 + sum(stats.retries.values())


def test_fetch_all_waits_as_long_as_retry_after_says(world_stores, monkeypatch):
    with start_stores_api(world_stores[:4], api_key="k", faults=Faults(throttle_rate=0.5, retry_after=1, seed=3)) as api:
        point_at(monkeypatch, api.url, "k", STORES_API_CONCURRENCY="1")
        started = time.perf_counter()
        # A backoff far below Retry-After: only honouring the header makes the waits a second long.
        stores, stats = StoresApiResource(backoff_seconds=0.001).fetch_all()
        elapsed = time.perf_counter() - started
    throttled = stats.retries.get("429", 0)
    assert stores == world_stores[:4]
    assert throttled >= 1
    assert elapsed >= throttled * 1.0


def _closed_port_url() -> str:
    api = start_stores_api([], api_key="x")
    url = api.url
    api.stop()
    return url


def test_store_details_fails_clearly_and_writes_nothing_when_the_api_is_down(good_run, monkeypatch):
    key = secrets.token_urlsafe(32)
    point_at(monkeypatch, _closed_port_url(), key, STORES_API_RETRIES="2")
    before = raw_snapshot()
    run, instance = run_with_instance(["raw/store_details"])
    try:
        assert not run.success
        assert "stores API" in run.failure and "connection" in run.failure, run.failure
        assert snapshot_differences(before, raw_snapshot()) == []
        recorded = run_text(instance, run.run_id)
        assert "stores API" in recorded  # the search below looks at the failure's text
        assert key not in run.failure and key not in recorded
    finally:
        instance.dispose()


def test_store_details_fails_clearly_and_writes_nothing_with_a_wrong_key(good_run, world_stores, monkeypatch):
    right, wrong = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    with start_stores_api(world_stores, api_key=right) as api:
        point_at(monkeypatch, api.url, wrong)
        before = raw_snapshot()
        run, instance = run_with_instance(["raw/store_details"])
    try:
        assert not run.success
        assert "refused the key (403)" in run.failure, run.failure
        assert snapshot_differences(before, raw_snapshot()) == []
        recorded = run_text(instance, run.run_id)
        for key in (right, wrong):
            assert key not in run.failure and key not in recorded
    finally:
        instance.dispose()


def test_api_key_is_not_in_the_metadata_or_logs_of_a_good_run(good_run, world_stores, monkeypatch):
    key = secrets.token_urlsafe(32)
    with start_stores_api(world_stores, api_key=key) as api:
        point_at(monkeypatch, api.url, key)
        before = raw_snapshot()
        run, instance = run_with_instance(["raw/store_details"], log_level="DEBUG")
    try:
        assert run.success, run.failure
        recorded = run_text(instance, run.run_id)
        # Positive controls: the metadata and the log messages are in the searched text.
        assert "http_calls" in recorded and "dagster/row_count" in recorded and "stores fetched" in recorded
        assert key not in recorded
        # Same stores from another API: the raw table is rewritten identically.
        assert snapshot_differences(before, raw_snapshot()) == []
    finally:
        instance.dispose()


# ---------------------------------------------------------------------------------------------
# A new column


def _csv_with_new_column(source: Path, target: Path, column: str, value: str) -> Path:
    with source.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    with target.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow([*rows[0], column])
        writer.writerows([*row, value] for row in rows[1:])
    return target


@pytest.fixture
def restore_sources(sandbox):
    yield
    control.unstage()


def test_new_column_in_products_csv_fails_naming_it(sandbox, good_run, restore_sources, tmp_path):
    staged = _csv_with_new_column(Path(sandbox.world) / "s3" / "products.csv", tmp_path / "products.csv",
                                  "discount_code", "SPRING10")
    control.stage_s3("products.csv", staged)
    before = raw_snapshot()
    run, instance = run_with_instance(["raw/products"])
    instance.dispose()
    assert not run.success
    assert "new column(s) 'discount_code'" in run.failure, run.failure
    assert "products.csv" in run.failure
    assert snapshot_differences(before, raw_snapshot()) == []


@pytest.fixture
def legacy_users_altered(sandbox):
    """ALTER statements to run on legacy.legacy_users; the table is put back as it was afterwards
    (from the world file), whatever the test did."""
    from multinational_assets.sandbox import postgres

    def alter(statement: str) -> None:
        with sandbox.connect("legacy") as conn:
            conn.execute(statement)

    yield alter
    world_file = Path(sandbox.world) / "legacy" / "legacy_users.csv"
    with postgres.connect(Path(sandbox.pgdata), "legacy") as conn:
        columns = postgres.source_columns("legacy_users", postgres.read_header(world_file))
        postgres.replace_table(conn, "legacy_users", columns, world_file)


def test_a_column_added_to_a_legacy_table_is_read_past_and_named(sandbox, good_run, legacy_users_altered):
    # A name with '%' and ':' in it, which SQL text must quote and not take for a placeholder.
    legacy_users_altered('ALTER TABLE legacy_users ADD COLUMN "loyalty %: tier" text DEFAULT \'gold\'')
    before = raw_snapshot()
    run, instance = run_with_instance(["raw/legacy_users"])
    try:
        assert run.success, run.failure
        event = instance.get_latest_materialization_event(AssetKey(["raw", "legacy_users"]))
        metadata = event.asset_materialization.metadata
        assert metadata["ignored_new_columns"].value == "loyalty %: tier (text)"
    finally:
        instance.dispose()
    assert snapshot_differences(before, raw_snapshot()) == []  # the same rows and columns as before


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        ("ALTER TABLE legacy_users ALTER COLUMN phone_number TYPE bigint USING NULLIF(regexp_replace(phone_number, "
         "'\\D', '', 'g'), '')::numeric::bigint", "column 'phone_number' is bigint, was text"),
        ("ALTER TABLE legacy_users RENAME COLUMN first_name TO given_name",
         "column(s) 'first_name' (text) gone; new column(s) 'given_name' (text) (renamed?)"),
    ],
    ids=["text-to-integer", "renamed"],
)
def test_a_retyped_or_renamed_legacy_column_fails_naming_it(sandbox, good_run, legacy_users_altered, statement, message):
    legacy_users_altered(statement)
    before = raw_snapshot()
    run, instance = run_with_instance(["raw/legacy_users"])
    instance.dispose()
    assert not run.success
    assert "The legacy table legacy_users has changed" in run.failure and message in run.failure, run.failure
    assert ": SchemaDrift: The legacy table legacy_users has changed" in run.failure_sentence
    assert "\n" not in run.failure_sentence
    assert snapshot_differences(before, raw_snapshot()) == []
