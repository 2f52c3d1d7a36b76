"""`dim_products`, declared once: one row per product, cleaned from `products.csv`."""

from __future__ import annotations

from multinational_assets.cleaning import CleanResult, Column, Plausibility, TableContract, clean_table
from multinational_assets.cleaning.domain import flagged, numbers
from multinational_assets.parsing import Boolean, Code, Date, Digits, Money, Text, Uuid, Vocabulary, Weight
from multinational_assets.sources.products.source import SOURCE

# Two letters-and-digits parts joined by '-' (`R7-3126933h`); the case is part of the code.
PRODUCT_CODE = Code(shape="[A-Za-z0-9]+-[A-Za-z0-9]+", example="R7-3126933h", case="keep")
CATEGORY = Vocabulary(
    values=("homeware", "toys-and-games", "food-and-drink", "pets", "sports-and-leisure", "health-and-beauty", "diy"),
    name="category",
)
# The source's `removed` column answers "was it removed?"; the clean column says the opposite.
STILL_AVAILABLE = Boolean(
    true_words=("Still_available", "Still available", "available", "in stock", "active"),
    false_words=("Removed", "discontinued", "unavailable", "not available", "out of stock"),
    yes_means=False,
)

DIM_PRODUCTS = TableContract(
    table="dim_products",
    raw_table=SOURCE.raw_table,
    raw_columns=SOURCE.raw_columns,
    labels=("row_label",),
    key="product_code",
    description="One row per product, with prices in pounds, weights in kilograms and availability as yes/no.",
    quarantine_description="Product rows that cannot be a row (no usable product code, or nothing readable), with why.",
    columns=(
        Column("product_code", PRODUCT_CODE, "The product's code, which every sale of it names."),
        Column("product_name", Text(), "The product's name."),
        Column("product_price", Money(currency="GBP"), "The product's price in pounds."),
        Column("weight", Weight(), "The product's weight in kilograms (a litre counts as a kilogram)."),
        Column("category", CATEGORY, "The product's category."),
        # EANs of unusual length are valid: every digit kept, as text.
        Column("ean", Digits(min_digits=6, max_digits=20, name="EAN"), "The product's barcode number.", source="EAN"),
        Column("date_added", Date(), "The day the product was added to the catalogue."),
        Column("uuid", Uuid(), "The product's id in the catalogue system."),
        Column("still_available", STILL_AVAILABLE, "Whether the product is still sold.", source="removed"),
    ),
    plausibility=(
        Plausibility(
            "price_positive",
            "Products whose price is zero or negative.",
            lambda f: flagged(numbers(f["product_price"]) <= 0, f["product_price"]),
            ("product_price",),
        ),
        Plausibility(
            "weight_positive",
            "Products whose weight is zero or negative.",
            lambda f: flagged(numbers(f["weight"]) <= 0, f["weight"]),
            ("weight",),
        ),
    ),
)


def clean_products(raw) -> CleanResult:
    """Clean the raw product rows into `dim_products`."""
    return clean_table(raw, DIM_PRODUCTS)
