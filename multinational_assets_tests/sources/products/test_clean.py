"""clean_products: products.csv -> dim_products, on hand-written rows."""

from __future__ import annotations

import pandas as pd
import pytest

from multinational_assets.cleaning import NULL_ROW
from multinational_assets.sources.products.clean import DIM_PRODUCTS, clean_products
from multinational_assets.sources.products.source import RAW_COLUMNS

OUNCE_KG = 28.349523125 / 1000


def product(code: str, **fields) -> dict:
    row = {"row_label": "0", "product_name": "Nescafé Gold Blend, 200g", "product_price": "£39.99",
           "weight": "1.6kg", "category": "homeware", "EAN": "5012345678900", "date_added": "2018-04-05",
           "uuid": "83dc0a69-f96f-4c34-bcb7-928acae19a94", "removed": "Still_avaliable", "product_code": code}
    return row | fields


# (code, weight as written, kg)
WEIGHTS = [
    ("W1-1", "1.6kg", 1.6), ("W1-2", "400g", 0.4), ("W1-3", "2kg", 2.0), ("W1-4", "12 x 100g", 1.2),
    ("W1-5", "3.5g", 0.0035), ("W1-6", "500ml", 0.5), ("W1-7", "77g .", 0.077), ("W1-8", "16oz", 16 * OUNCE_KG),
    ("W1-9", "1160kg", 1160.0),
    # Spellings the generator never writes.
    ("W2-1", "400 G", 0.4), ("W2-2", "1.6 KG", 1.6), ("W2-3", "12X100g", 1.2), ("W2-4", "12 × 100 g", 1.2),
    ("W2-5", "2lb", 0.90718474), ("W2-6", "0.5 L", 0.5), ("W2-7", "3500 mg", 0.0035), ("W2-8", "400 grams", 0.4),
    ("W2-9", "1 lbs", 0.45359237),
]
ROWS = [
    *[product(code, weight=weight) for code, weight, _ in WEIGHTS],
    product("P1-1", product_price="39.99", removed="Removed", date_added="2018 April 05"),
    product("P1-2", product_price="GBP 1,299.00", removed="still available", category="Toys and Games"),
    product("P1-3", product_price="39.99 £", removed="REMOVED", category="HOMEWARE", date_added="5 April 2018"),
    product("P1-4", product_price="  £ 39.99 ", EAN="'5012345678900", uuid="83DC0A69F96F4C34BCB7928ACAE19A94"),
    # Unreadable values: nulled, the product kept.
    product("P2-1", product_price="$12.00", weight="2 stone", removed="maybe"),
    product("P2-2", category="garden"),  # a new category: kept, reported
    product("P2-3", product_price="£0.00"),  # odd: kept, reported
    # Rows that cannot be rows.
    {c: "NULL" for c in RAW_COLUMNS} | {"row_label": "7"},
    dict(zip(RAW_COLUMNS, ["8", *(f"Q1W2E3R4{i:02d}" for i in range(9))])),
    product("W1-1"),  # a second product W1-1
]


@pytest.fixture(scope="module")
def result():
    return clean_products(pd.DataFrame(ROWS, columns=RAW_COLUMNS, dtype=object))


def kept(result, code: str) -> pd.Series:
    return result.clean.set_index("product_code").loc[code]


def test_contract_columns(result):
    assert list(result.clean.columns) == DIM_PRODUCTS.names
    assert result.rows_in == len(result.clean) + len(result.quarantine) == len(ROWS)


@pytest.mark.parametrize("code, written, kg", WEIGHTS)
def test_every_weight_spelling_becomes_kg(result, code, written, kg):
    assert kept(result, code)["weight"] == pytest.approx(kg, rel=1e-9), written


def test_prices_availability_categories_and_dates_are_read(result):
    assert kept(result, "P1-1")[["product_price", "still_available"]].tolist() == [39.99, False]
    assert kept(result, "P1-1")["date_added"] == pd.Timestamp("2018-04-05")
    assert kept(result, "P1-2")[["product_price", "still_available", "category"]].tolist() == [1299.0, True, "toys-and-games"]
    assert kept(result, "P1-3")[["product_price", "still_available", "category"]].tolist() == [39.99, False, "homeware"]
    assert kept(result, "P1-4")[["product_price", "ean", "uuid"]].tolist() == [
        39.99, "5012345678900", "83dc0a69-f96f-4c34-bcb7-928acae19a94",
    ]
    assert kept(result, "W1-1")["still_available"] is True or kept(result, "W1-1")["still_available"] == True  # noqa: E712


def test_traps_survive(result):
    assert kept(result, "W1-9")["weight"] == 1160.0
    assert kept(result, "W1-1")["product_name"] == "Nescafé Gold Blend, 200g"


def test_unreadable_values_are_nulled_and_listed(result):
    row = kept(result, "P2-1")
    assert pd.isna(row["product_price"]) and pd.isna(row["weight"]) and pd.isna(row["still_available"])
    rejected = result.rejected_values.set_index("column_name")
    assert "an amount in USD, not GBP" in rejected.loc["product_price", "reason"]
    assert rejected.loc["weight", "raw_value"] == "2 stone"
    assert "source field 'removed'" in rejected.loc["still_available", "reason"]


def test_doubts_are_reported(result):
    doubts = {d.name: d.rows for d in result.doubts}
    assert doubts["category_is_known"] == 1 and kept(result, "P2-2")["category"] == "garden"
    assert doubts["price_positive"] == 1


def test_rows_that_cannot_be_rows_are_quarantined(result):
    reasons = result.quarantine.set_index("row_label")["reasons"]
    assert reasons["7"] == NULL_ROW
    assert reasons["8"].startswith("no usable key: product_code")
    assert reasons["0"].startswith("duplicate product_code 'W1-1'")
