"""clean_orders: the legacy orders_table -> the orders_table fact table."""

from __future__ import annotations

import uuid

import pandas as pd
import pytest

from multinational_assets.cleaning import NULL_ROW_REASON
from multinational_assets.sources.orders.clean import RAW_COLUMNS, clean_orders
from multinational_assets.sources.orders.schemas import CLEAN_COLUMNS, ORDERS_TABLE_SCHEMA

pytestmark = pytest.mark.filterwarnings("error::FutureWarning:multinational_assets")


def uid(n: int) -> str:
    return str(uuid.UUID(int=n + 1))


def order(n: int, **fields) -> dict:
    row = {
        "level_0": str(n), "index": str(n + 100), "date_uuid": uid(n), "first_name": None,
        "last_name": None, "user_uuid": uid(1000 + n), "card_number": "4971858637664481",
        "store_code": "HA-0A1B2C3D", "product_code": "R7-3126933h", "1": None,
        "product_quantity": "3",
    }
    row.update(fields)
    return row


VALID = [
    order(0),
    order(1, first_name="Klaus-D.", last_name="O'Connor", store_code="WEB-1388012W",
          card_number="604123456", product_quantity="1"),  # short Maestro number: kept
    order(2, product_quantity="15"),
]
UNRECOVERABLE = [
    order(10, product_quantity="0"),
    order(11, product_quantity="16"),
    order(12, product_quantity="2.0"),
    order(13, card_number="4.971858637664481e+15"),
    order(14, date_uuid=uid(0)),
    order(15, store_code="Harrogate"),
    {c: "NULL" for c in RAW_COLUMNS} | {"level_0": "16", "index": "116"},
]
ROWS = [*VALID, *UNRECOVERABLE]


@pytest.fixture(scope="module")
def result():
    return clean_orders(pd.DataFrame(ROWS, columns=RAW_COLUMNS, dtype=object))


def reasons(result) -> dict[str, str]:
    return dict(zip(result.quarantine["level_0"], result.quarantine["reasons"]))


def test_contract_columns_and_dtypes(result):
    assert list(result.clean.columns) == CLEAN_COLUMNS
    assert result.clean.dtypes.astype(str).to_dict() == {
        "date_uuid": "object", "user_uuid": "object", "card_number": "object",
        "store_code": "object", "product_code": "object", "product_quantity": "Int64",
    }
    ORDERS_TABLE_SCHEMA.validate(result.clean)
    assert list(result.quarantine.columns) == RAW_COLUMNS + ["reasons"]


def test_rows_in_equals_clean_plus_quarantine(result):
    assert result.rows_in == len(ROWS) == len(result.clean) + len(result.quarantine)
    assert len(result.clean) == len(VALID)


def test_valid_orders_keep_their_keys_as_text(result):
    clean = result.clean.set_index("date_uuid")
    assert clean.loc[uid(1)].tolist() == [uid(1001), "604123456", "WEB-1388012W", "R7-3126933h", 1]
    assert clean.loc[uid(2), "product_quantity"] == 15


def test_unrecoverable_orders_are_quarantined_with_clear_reasons(result):
    got = reasons(result)
    assert got["10"] == "product_quantity: fails in_range(1, 15) (0)"
    assert got["11"] == "product_quantity: fails in_range(1, 15) (16)"
    assert got["12"] == "product_quantity: not a whole number ('2.0')"
    assert got["13"].startswith("card_number: fails str_fullmatch")
    assert got["14"] == f"duplicate date_uuid '{uid(0)}': its first row is kept"
    assert got["15"].startswith("store_code: fails str_fullmatch")
    assert got["16"] == NULL_ROW_REASON
