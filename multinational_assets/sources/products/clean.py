"""Clean `products.csv` into `dim_products`: pure pandas, no Dagster."""

from __future__ import annotations

import numpy as np
import pandas as pd

from multinational_assets.cleaning import CleanResult, TableCleaning, parse_decimals
from multinational_assets.sources.products.schemas import CLEAN_COLUMNS, DIM_PRODUCTS_SCHEMA, KEY

RAW_COLUMNS = [
    "row_label", "product_name", "product_price", "weight", "category", "EAN", "date_added",
    "uuid", "removed", "product_code",
]

GRAMS_PER_OUNCE = 28.349523125
# Grams per unit of the sub-kilogram units; 1 ml counts as 1 g (source-world.md §2).
GRAMS_PER_UNIT = {"g": 1.0, "ml": 1.0, "oz": GRAMS_PER_OUNCE}
# Every weight form the source uses: `1.6kg`, `400g`, `12 x 100g`, `3.5g`, `500ml`, `77g .`,
# `16oz`. Anything else (`2lb`, `1.5 stone`, ...) is quarantined, never guessed.
_WEIGHT = (
    r"(?:(?P<count>[0-9]+)\s*x\s*)?"
    r"(?P<amount>[0-9]+(?:\.[0-9]+)?)\s*"
    r"(?P<unit>kg|g|ml|oz)"
    r"(?P<stray>\s*\.)?"
)
_PRICE = r"£[0-9]+(?:\.[0-9]+)?"
AVAILABILITY = {"Still_avaliable": True, "Still_available": True, "Removed": False}

RULE_PRICE = "product_price: '£' removed, read as a number"
RULE_GRAMS = "weight: grams converted to kg"
RULE_MULTIPACK = "weight: multipacks ('n x weight') converted to kg"
RULE_MILLILITRES = "weight: millilitres converted to kg (1 ml = 1 g)"
RULE_OUNCES = "weight: ounces converted to kg"
RULE_STRAY_DOT = "weight: stray ' .' after the unit removed"
RULE_AVAILABILITY = "removed: read as still_available (Still_avaliable yes, Removed no)"


def weights_in_kg(weights: pd.Series) -> tuple[pd.Series, pd.DataFrame]:
    """Vectorised: the weights in kg (NaN where the text is not a known weight form), and the
    parsed parts (`count`, `amount`, `unit`, `stray`) for counting repairs."""
    parts = weights.astype(object).str.extract(rf"\A{_WEIGHT}\Z")
    count = pd.to_numeric(parts["count"]).fillna(1.0)
    amount = pd.to_numeric(parts["amount"])
    grams = parts["unit"].map(GRAMS_PER_UNIT).astype("float64")
    # Dividing grams by 1000 (rather than multiplying by 0.001) makes `400g` exactly 0.4; rounding
    # to 9 decimals (a microgram) removes the float noise of the ounce conversion.
    kg = np.where(parts["unit"].eq("kg"), count * amount, count * amount * grams / 1000.0)
    return pd.Series(np.round(kg, 9), index=weights.index), parts


def clean_products(raw: pd.DataFrame) -> CleanResult:
    """Clean the raw product rows into `dim_products`.

    Repairs: price `£39.99` -> 39.99; every weight form (`1.6kg`, `400g`, `12 x 100g`, `3.5g`,
    `500ml`, `77g .`, `16oz`) -> kg as a float; `removed` -> `still_available` (bool); dates added
    in the three odd formats; `EAN` renamed `ean`. The CSV's row number is dropped. NULL rows,
    garbage rows and rows that still fail `DIM_PRODUCTS_SCHEMA` (e.g. a weight in pounds, a price
    that is not a number) are quarantined with every reason; of rows sharing a `product_code` the
    first is kept.
    """
    run = TableCleaning(raw, table="dim_products", raw_columns=RAW_COLUMNS, label_columns=["row_label"])
    src = run.candidate
    out = src[["product_code", "product_name", "category", "uuid"]].copy()
    out["ean"] = src["EAN"]

    price = src["product_price"]
    priced = price.str.fullmatch(_PRICE).eq(True)
    out["product_price"] = parse_decimals(price.where(priced).str.slice(1))
    run.reject(~priced & price.notna(), "product_price", "not '£' followed by a number", price)
    run.repaired(RULE_PRICE, priced)

    weight = src["weight"]
    kg, parts = weights_in_kg(weight)
    out["weight"] = kg
    run.reject(kg.isna() & weight.notna(), "weight", "not a weight in kg, g, ml or oz", weight)
    unit = parts["unit"]
    multipack = parts["count"].notna()
    run.repaired(RULE_MULTIPACK, multipack)
    run.repaired(RULE_GRAMS, unit.eq("g") & ~multipack)
    run.repaired(RULE_MILLILITRES, unit.eq("ml") & ~multipack)
    run.repaired(RULE_OUNCES, unit.eq("oz") & ~multipack)
    run.repaired(RULE_STRAY_DOT, parts["stray"].notna())

    removed = src["removed"]
    available = removed.map(AVAILABILITY)
    known = available.notna()
    out["still_available"] = available.where(known, False).astype(bool)
    run.reject(~known & removed.notna(), "still_available",
               "'removed' is neither 'Still_avaliable' nor 'Removed'", removed)
    # A missing `removed` is rejected too: False would claim the product was removed.
    run.reasons.add(removed.isna(), "still_available: 'removed' is missing", column="still_available")
    run.repaired(RULE_AVAILABILITY, known)

    out["date_added"] = run.dates(src["date_added"], "date_added")
    return run.finish(out[CLEAN_COLUMNS], DIM_PRODUCTS_SCHEMA, key=KEY)
