"""`orders_table`, declared once: every sale, the fact table, cleaned from the legacy `orders_table`."""

from __future__ import annotations

from multinational_assets.cleaning import CleanResult, Column, Plausibility, TableContract, clean_table
from multinational_assets.cleaning.domain import flagged, numbers
from multinational_assets.parsing import Count
from multinational_assets.sources.card_details.clean import CARD_NUMBER
from multinational_assets.sources.date_times.clean import DATE_UUID
from multinational_assets.sources.orders.source import SOURCE
from multinational_assets.sources.products.clean import PRODUCT_CODE
from multinational_assets.sources.store_details.clean import STORE_CODE
from multinational_assets.sources.users.clean import USER_UUID

ORDERS_TABLE = TableContract(
    table="orders_table",
    raw_table=SOURCE.raw_table,
    raw_columns=SOURCE.raw_columns,
    # Row labels of the old exports; `first_name`, `last_name` and `1` are read by nothing.
    labels=("level_0", "index"),
    key="date_uuid",
    description="Every sale: who bought which product, with which card, in which store, and how many.",
    quarantine_description="Order rows that cannot be a row (no usable id, or nothing readable), with why.",
    columns=(
        Column("date_uuid", DATE_UUID, "The sale's id, which also names its moment in dim_date_times."),
        Column("user_uuid", USER_UUID, "The customer who bought (a row of dim_users)."),
        Column("card_number", CARD_NUMBER, "The card paid with (a row of dim_card_details)."),
        Column("store_code", STORE_CODE, "The store sold in (a row of dim_store_details)."),
        Column("product_code", PRODUCT_CODE, "The product sold (a row of dim_products)."),
        Column("product_quantity", Count(sql_type="int2"), "How many items of the product were sold."),
    ),
    references={
        "date_uuid": "dim_date_times",
        "user_uuid": "dim_users",
        "card_number": "dim_card_details",
        "store_code": "dim_store_details",
        "product_code": "dim_products",
    },
    plausibility=(
        Plausibility(
            "quantity_positive",
            "Sales of zero or fewer items.",
            lambda f: flagged(numbers(f["product_quantity"]) < 1, f["product_quantity"]),
            ("product_quantity",),
        ),
    ),
)


def clean_orders(raw) -> CleanResult:
    """Clean the raw order rows into the `orders_table` fact table."""
    return clean_table(raw, ORDERS_TABLE)
