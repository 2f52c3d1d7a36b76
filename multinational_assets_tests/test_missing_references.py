"""Sources that refresh at different times: products.csv arrives without some products that orders
already name. The refresh goes on (the star gets inferred members for them, a warning check names
them, the summary says so in one line); with the strict setting it stops, readably, and changes
no star table."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from multinational_assets.cli.runs import run_pipeline
from multinational_assets.defs.resources import WarehouseResource
from multinational_assets.sandbox import control
from multinational_assets_tests.pipeline_state import (
    check_results,
    downstream_of,
    good_full_run,
    run_with_instance,
    warehouse_snapshot,
)

pytestmark = pytest.mark.slow
MISSING = 5


@pytest.fixture
def products_without_some(sandbox_restored, tmp_path):
    """products.csv without the first five valid products (the orders still name them). Afterwards
    (sandbox_restored) the generated file is served again and the warehouse rebuilt."""
    good_full_run()  # a complete warehouse to start from
    world = Path(sandbox_restored.world)
    with (world / "s3" / "products.csv").open(newline="", encoding="utf-8") as fh:
        header, *rows = list(csv.reader(fh))
    code_at = header.index("product_code")
    with (world / "truth" / "dim_products.csv").open(newline="", encoding="utf-8") as fh:
        valid = {row["product_code"] for row in csv.DictReader(fh)}
    dropped = [row[code_at] for row in rows if row[code_at] in valid][:MISSING]
    path = tmp_path / "products.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([header, *[row for row in rows if row[code_at] not in dropped]])
    control.stage_s3("products.csv", path)
    return sorted(dropped)


def test_a_refresh_with_missing_products_goes_on_with_inferred_members(products_without_some):
    run, instance = run_with_instance(downstream_of("products"))
    try:
        assert run.success, run.failure
        checks = check_results(instance, run.run_id)
    finally:
        instance.dispose()
    assert checks["star/dim_products:has_no_inferred_members"] is False  # a warning, not a stop
    assert checks["star/dim_users:has_no_inferred_members"] is True
    assert run.inferred_members["dim_products"] == MISSING
    assert "5 in dim_products" in run.references_line()
    with WarehouseResource().connect() as conn:
        inferred = conn.execute(
            "SELECT product_code, product_name, product_price FROM star.dim_products WHERE is_inferred ORDER BY 1"
        ).fetchall()
        orders = conn.execute("SELECT count(*) FROM star.orders_table").fetchone()[0]
    assert inferred == [(code, None, None) for code in products_without_some]
    assert orders == 120_123  # every sale kept


def test_strict_setting_stops_the_refresh_readably_and_keeps_the_star(products_without_some, monkeypatch):
    monkeypatch.setenv("MULTINATIONAL_MISSING_REFERENCES", "strict")
    before = warehouse_snapshot(schemas=("star",))
    run = run_pipeline(downstream_of("products"))
    assert not run.success
    assert "dim_products" in run.failure and products_without_some[0] in run.failure
    assert warehouse_snapshot(schemas=("star",)) == before
