"""The products CSV at scale 1: its shape, splits, weight forms and dirt."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from multinational_assets_tests.sandbox.world_readers import (
    PRODUCT_TEXT,
    UUID4,
    odd_format,
    split_dirty,
    valid_only,
)


def test_products_shape_and_dirty_rows(world: Path, products_raw: pd.DataFrame) -> None:
    first_line = (world / "s3" / "products.csv").read_text(encoding="utf-8").split("\n", 1)[0]
    assert first_line == ",product_name,product_price,weight,category,EAN,date_added,uuid,removed,product_code"
    assert len(products_raw) == 1853
    assert products_raw.iloc[:, 0].tolist() == [str(i) for i in range(1853)]
    null, garbage = split_dirty(products_raw, PRODUCT_TEXT)
    assert (int(null.sum()), int(garbage.sum())) == (4, 3)


def test_products_splits_and_forms(products_raw: pd.DataFrame) -> None:
    valid = valid_only(products_raw, PRODUCT_TEXT)
    assert len(valid) == 1846
    assert valid["category"].value_counts().to_dict() == {
        "homeware": 1138, "toys-and-games": 257, "food-and-drink": 250, "pets": 93,
        "sports-and-leisure": 40, "health-and-beauty": 40, "diy": 28}
    assert valid["removed"].value_counts().to_dict() == {"Still_avaliable": 1752, "Removed": 94}
    assert valid["product_price"].str.fullmatch(r"£\d+\.\d{2}").all()
    forms = {r"\d+\.\d+kg": 852, r"\d+g": 835, r"\d+kg": 102, r"\d+ x \d+g": 28,
             r"\d+\.\d+g": 18, r"\d+ml": 9, r"77g \.": 1, r"16oz": 1}
    weight = valid["weight"]
    assert {p: int(weight.str.fullmatch(p).sum()) for p in forms} == forms
    assert (weight == "1160kg").sum() == 1 and (weight == "2kg").sum() >= 1
    assert valid["date_added"].map(odd_format).notna().sum() == 2
    ean_lengths = valid["EAN"].str.len()
    assert valid["EAN"].str.fullmatch(r"\d+").all()
    assert (ean_lengths.min(), ean_lengths.max()) == (10, 17)
    assert valid["product_code"].is_unique and valid["uuid"].str.fullmatch(UUID4).all()
    assert valid["product_name"].duplicated().any()  # one name under several codes
