"""Dirt the generator never makes, staged into the sandbox, must end up in quarantine with a clear
reason: never in a clean table with a wrong value."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from multinational_assets.pipeline import run_pipeline
from multinational_assets.sandbox import control
from multinational_assets.warehouse import WarehouseResource, read_table
from multinational_assets_tests.pipeline_state import forget_good_run

pytestmark = pytest.mark.slow


@pytest.fixture
def staged_products(sandbox, tmp_path):
    """products.csv with three rows given dirt of kinds the generator never makes."""
    original = Path(sandbox.world) / "s3" / "products.csv"
    df = pd.read_csv(original, dtype=str, keep_default_na=False)
    valid = df.index[df["removed"].isin(["Still_avaliable", "Removed"])]
    pounds, dotted_date, bare_price = valid[:3]
    df.loc[pounds, "weight"] = "2lb"
    df.loc[dotted_date, "date_added"] = "23.10.2019"
    df.loc[bare_price, "product_price"] = "39.99"
    path = tmp_path / "products.csv"
    df.rename(columns={df.columns[0]: ""}).to_csv(path, index=False)  # the source's unnamed first column
    control.stage_s3("products.csv", path)
    try:
        yield df.loc[[pounds, dotted_date, bare_price]]
    finally:
        control.unstage()
        forget_good_run()  # the warehouse now holds the staged file's products


def test_unseen_dirt_is_quarantined_with_its_reason(staged_products):
    run = run_pipeline(["raw/products", "clean/dim_products", "quarantine/dim_products"])
    assert run.success, run.failure
    with WarehouseResource().connect() as conn:
        clean = read_table(conn, "clean", "dim_products")
        quarantined = read_table(conn, "quarantine", "dim_products")
    codes = list(staged_products["product_code"])
    assert not clean["product_code"].isin(codes).any(), "a row with unseen dirt reached the clean table"
    reasons = quarantined.set_index("product_code").loc[codes, "reasons"]
    assert "weight" in reasons.iloc[0] and "2lb" in reasons.iloc[0]
    assert "date_added" in reasons.iloc[1] and "23.10.2019" in reasons.iloc[1]
    assert "product_price" in reasons.iloc[2] and "39.99" in reasons.iloc[2]
    # nothing else changed: 7 unrecoverable rows of the generated file plus the 3 staged ones
    assert len(quarantined) == 10
