"""The clean `orders_table` fact table's schema (docs/architecture.md, "Clean tables")."""

from __future__ import annotations

import pandera.pandas as pa

from multinational_assets.cleaning import UUID_PATTERN, str_fullmatch, text_column
from multinational_assets.sources.card_details.schemas import CARD_NUMBER_PATTERN
from multinational_assets.sources.products.schemas import PRODUCT_CODE_PATTERN
from multinational_assets.sources.store_details.schemas import STORE_CODE_PATTERN

CLEAN_COLUMNS = ["date_uuid", "user_uuid", "card_number", "store_code", "product_code", "product_quantity"]
KEY = "date_uuid"

ORDERS_TABLE_SCHEMA = pa.DataFrameSchema(
    {
        "date_uuid": text_column(str_fullmatch(UUID_PATTERN), unique=True),
        "user_uuid": text_column(str_fullmatch(UUID_PATTERN)),
        # The text of the source's BIGINT: digits, no leading zeros to restore.
        "card_number": text_column(str_fullmatch(CARD_NUMBER_PATTERN)),
        "store_code": text_column(str_fullmatch(STORE_CODE_PATTERN)),
        "product_code": text_column(str_fullmatch(PRODUCT_CODE_PATTERN)),
        "product_quantity": pa.Column("Int64", pa.Check.in_range(1, 15), nullable=False),
    },
    strict=True,
    ordered=True,
    name="orders_table",
)
