"""clean_orders: the legacy orders_table -> the orders_table fact table, on hand-written rows."""

from __future__ import annotations

import pandas as pd
import pytest

from multinational_assets.sources.orders.clean import ORDERS_TABLE, clean_orders
from multinational_assets.sources.orders.source import RAW_COLUMNS


def uid(n: int) -> str:
    return f"{n:08x}-aaaa-4bbb-8ccc-{n:012x}"


def order(n: int, **fields) -> dict:
    row = {"level_0": str(n), "index": str(n), "date_uuid": uid(n), "first_name": None, "last_name": None,
           "user_uuid": uid(1000 + n), "card_number": "4111111111111111", "store_code": "HA-0A1B2C3D",
           "product_code": "R7-3126933h", "1": None, "product_quantity": "3"}
    return row | fields


ROWS = [
    order(1, first_name="Oliver", last_name="Smith"),
    order(2, date_uuid=uid(2).upper(), store_code="ha-0a1b2c3d", product_code=" R7-3126933h ", product_quantity="3.0"),
    order(3, user_uuid="someone", card_number="4111-1111-1111-1111", product_quantity="0"),  # the sale survives
    {c: None for c in RAW_COLUMNS} | {"level_0": "4", "index": "4"},
    order(5, date_uuid=None),
]


@pytest.fixture(scope="module")
def result():
    return clean_orders(pd.DataFrame(ROWS, columns=RAW_COLUMNS, dtype=object))


def kept(result, n: int) -> pd.Series:
    return result.clean.set_index("date_uuid").loc[uid(n)]


def test_contract_columns_drop_the_old_exports_labels_and_names(result):
    assert list(result.clean.columns) == ORDERS_TABLE.names
    assert set(ORDERS_TABLE.references) == {"date_uuid", "user_uuid", "card_number", "store_code", "product_code"}


def test_keys_are_read_in_the_form_their_dimensions_hold(result):
    assert kept(result, 2)[["store_code", "product_code", "product_quantity"]].tolist() == ["HA-0A1B2C3D", "R7-3126933h", 3]
    assert kept(result, 3)["card_number"] == "4111111111111111"


def test_a_sale_with_an_unreadable_reference_is_kept_with_it_null(result):
    row = kept(result, 3)
    assert pd.isna(row["user_uuid"]) and row["product_quantity"] == 0
    assert result.rejected_values[["row_key", "column_name", "raw_value"]].values.tolist() == [[uid(3), "user_uuid", "someone"]]
    assert {d.name: d.rows for d in result.doubts}["quantity_positive"] == 1


def test_rows_without_a_key_are_quarantined(result):
    assert result.quarantine["reasons"].tolist() == [
        "NULL row: every field is missing or a missing-value marker", "no usable key: date_uuid missing",
    ]
