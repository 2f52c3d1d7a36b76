"""clean_products: products.csv -> dim_products.

One hand-written raw frame, cleaned once per module, holds a row for every repair rule, every trap
and every kind of unrecoverable row.
"""

from __future__ import annotations

import uuid

import pandas as pd
import pytest

from multinational_assets.cleaning import GARBAGE_ROW_REASON, NULL_ROW_REASON
from multinational_assets.sources.products.clean import RAW_COLUMNS, clean_products
from multinational_assets.sources.products.schemas import CLEAN_COLUMNS, DIM_PRODUCTS_SCHEMA

pytestmark = pytest.mark.filterwarnings("error::FutureWarning:multinational_assets")


def product(n: int, **fields) -> dict:
    """A valid raw product labelled `n` with code `P{n}-1234567a`; `fields` override it."""
    row = {
        "row_label": str(n),
        "product_name": "Dunelm Bedside Table Lamp Grey",
        "product_price": "£39.99",
        "weight": "1.6kg",
        "category": "homeware",
        "EAN": "1234567890123",
        "date_added": "2018-01-02",
        "uuid": str(uuid.UUID(int=n + 1)),
        "removed": "Still_avaliable",
        "product_code": f"P{n}-1234567a",
    }
    row.update(fields)
    return row


WEIGHTS = {  # row label -> (raw weight, kg)
    10: ("1.6kg", 1.6),
    11: ("400g", 0.4),
    12: ("2kg", 2.0),  # trap: exactly 2 kg
    13: ("12 x 100g", 1.2),
    14: ("3.5g", 0.0035),
    15: ("500ml", 0.5),
    16: ("77g .", 0.077),
    17: ("16oz", 0.45359237),
    18: ("1160kg", 1160.0),  # trap: a 1,160 kg product
}
VALID = [
    product(0),
    product(1, EAN="1234567890", removed="Removed"),  # trap: 10-digit EAN
    product(2, EAN="12345678901234567", product_name="Nescafé Gold Instant Coffee"),  # 17 digits
    product(3, product_name="Dunelm Bedside Table Lamp Grey"),  # same name, another code: valid
    *(product(n, weight=w) for n, (w, _) in WEIGHTS.items()),
    product(20, date_added="2018/01/02"),
    product(21, date_added="January 2018 02"),
    product(22, date_added="2018 January 02"),
]
NULL_ROW = {c: "NULL" for c in RAW_COLUMNS} | {"row_label": "30"}
GARBAGE_ROW = dict(zip(RAW_COLUMNS, ["31", *(f"Q1W2E3R4{i:02d}" for i in range(9))]))
UNRECOVERABLE = [
    NULL_ROW,
    GARBAGE_ROW,
    product(32, weight="2lb"),
    product(33, weight="5 stone"),
    product(34, weight="heavy"),
    product(35, product_price="£abc"),
    product(36, product_price="39.99"),
    product(37, removed="Gone"),
    product(38, date_added="02.01.2018"),
    product(39, category="garden"),
    product(40, EAN="123456789"),
    product(41, weight="0g"),
    product(42, product_code="P0-1234567a"),  # duplicates product 0's code
    product(43, weight="2lb", product_price="£x", removed=None),  # every reason is given
]
ROWS = [*VALID, *UNRECOVERABLE]


@pytest.fixture(scope="module")
def result():
    return clean_products(pd.DataFrame(ROWS, columns=RAW_COLUMNS, dtype=object))


def clean_row(result, n: int) -> pd.Series:
    match = result.clean[result.clean["product_code"] == f"P{n}-1234567a"]
    assert len(match) == 1, f"product {n} is not clean: {reasons(result).get(str(n))}"
    return match.iloc[0]


def reasons(result) -> dict[str, str]:
    return dict(zip(result.quarantine["row_label"], result.quarantine["reasons"]))


def test_contract_columns_and_dtypes(result):
    assert list(result.clean.columns) == CLEAN_COLUMNS
    assert result.clean.dtypes.astype(str).to_dict() == {
        "product_code": "object", "product_name": "object", "product_price": "float64",
        "weight": "float64", "category": "object", "ean": "object",
        "date_added": "datetime64[ns]", "uuid": "object", "still_available": "bool",
    }
    DIM_PRODUCTS_SCHEMA.validate(result.clean)
    assert list(result.quarantine.columns) == RAW_COLUMNS + ["reasons"]


def test_rows_in_equals_clean_plus_quarantine(result):
    assert result.rows_in == len(ROWS) == len(result.clean) + len(result.quarantine)
    assert set(result.quarantine["row_label"]) == {row["row_label"] for row in UNRECOVERABLE}


@pytest.mark.parametrize("n", sorted(WEIGHTS))
def test_every_weight_form_becomes_kg(result, n):
    assert clean_row(result, n)["weight"] == pytest.approx(WEIGHTS[n][1], rel=1e-12)


def test_exact_weights_are_exact(result):
    assert clean_row(result, 11)["weight"] == 0.4
    assert clean_row(result, 12)["weight"] == 2.0
    assert clean_row(result, 18)["weight"] == 1160.0


def test_price_loses_its_pound_sign(result):
    assert clean_row(result, 0)["product_price"] == 39.99


def test_removed_becomes_still_available(result):
    assert clean_row(result, 0)["still_available"]
    assert not clean_row(result, 1)["still_available"]


def test_odd_date_added_formats_are_repaired(result):
    for n in (20, 21, 22):
        assert clean_row(result, n)["date_added"] == pd.Timestamp("2018-01-02")


def test_traps_survive_unchanged(result):
    assert clean_row(result, 1)["ean"] == "1234567890"
    assert clean_row(result, 2)["ean"] == "12345678901234567"
    assert clean_row(result, 2)["product_name"] == "Nescafé Gold Instant Coffee"
    assert clean_row(result, 3)["product_name"] == clean_row(result, 0)["product_name"]


def test_row_label_is_dropped_and_ean_renamed(result):
    assert "row_label" not in result.clean.columns and "EAN" not in result.clean.columns


def test_repair_counts(result):
    clean = len(VALID)
    assert result.repairs == {
        "product_price: '£' removed, read as a number": clean,
        "weight: multipacks ('n x weight') converted to kg": 1,
        "weight: grams converted to kg": 3,
        "weight: millilitres converted to kg (1 ml = 1 g)": 1,
        "weight: ounces converted to kg": 1,
        "weight: stray ' .' after the unit removed": 1,
        "removed: read as still_available (Still_avaliable yes, Removed no)": clean,
        "date_added: dates in odd formats repaired": 3,
    }


def test_null_and_garbage_rows_are_quarantined(result):
    assert reasons(result)["30"] == NULL_ROW_REASON
    assert reasons(result)["31"] == GARBAGE_ROW_REASON


def test_unseen_dirt_is_quarantined_with_a_clear_reason(result):
    got = reasons(result)
    assert got["32"] == "weight: not a weight in kg, g, ml or oz ('2lb')"
    assert got["33"] == "weight: not a weight in kg, g, ml or oz ('5 stone')"
    assert got["34"] == "weight: not a weight in kg, g, ml or oz ('heavy')"
    assert got["35"] == "product_price: not '£' followed by a number ('£abc')"
    assert got["36"] == "product_price: not '£' followed by a number ('39.99')"
    assert got["37"] == "still_available: 'removed' is neither 'Still_avaliable' nor 'Removed' ('Gone')"
    assert got["38"] == "date_added: not a date in a known format ('02.01.2018')"
    assert got["39"].startswith("category: fails isin") and "'garden'" in got["39"]
    assert got["40"] == "ean: fails str_fullmatch('[0-9]{10,17}') ('123456789')"
    assert got["41"] == "weight: fails greater_than(0) (0.0)"
    assert got["42"] == "duplicate product_code 'P0-1234567a': its first row is kept"
    assert got["43"] == (
        "product_price: not '£' followed by a number ('£x'); "
        "weight: not a weight in kg, g, ml or oz ('2lb'); "
        "still_available: 'removed' is missing"
    )
