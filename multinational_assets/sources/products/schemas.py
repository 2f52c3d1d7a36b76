"""The clean `dim_products` table's schema (docs/architecture.md, "Clean tables")."""

from __future__ import annotations

import pandera.pandas as pa

from multinational_assets.cleaning import (
    UUID_PATTERN,
    calendar_date_checks,
    str_fullmatch,
    text_column,
)

CLEAN_COLUMNS = [
    "product_code", "product_name", "product_price", "weight", "category", "ean", "date_added",
    "uuid", "still_available",
]
KEY = "product_code"

CATEGORIES = [
    "homeware", "toys-and-games", "food-and-drink", "pets", "sports-and-leisure",
    "health-and-beauty", "diy",
]
# Two alphanumeric parts joined by '-' (the company's codes look like `R7-3126933h`). Kept loose on
# purpose: the contract does not fix the parts' lengths, and a valid product dropped here would
# break the orders' foreign keys.
PRODUCT_CODE_PATTERN = r"[A-Za-z0-9]+-[A-Za-z0-9]+"
# EANs of unusual length are valid (source-world.md §3): 10 to 17 digits, kept as text.
EAN_PATTERN = r"[0-9]{10,17}"

DIM_PRODUCTS_SCHEMA = pa.DataFrameSchema(
    {
        "product_code": text_column(str_fullmatch(PRODUCT_CODE_PATTERN), unique=True),
        "product_name": text_column(),
        "product_price": pa.Column("float64", pa.Check.gt(0), nullable=False),
        # No upper bound: a 1,160 kg product is real (source-world.md §3).
        "weight": pa.Column("float64", pa.Check.gt(0), nullable=False),
        "category": text_column(pa.Check.isin(CATEGORIES)),
        "ean": text_column(str_fullmatch(EAN_PATTERN)),
        "date_added": pa.Column("datetime64[ns]", calendar_date_checks(), nullable=False),
        "uuid": text_column(str_fullmatch(UUID_PATTERN)),
        "still_available": pa.Column(bool, nullable=False),
    },
    strict=True,
    ordered=True,
    name="dim_products",
)
