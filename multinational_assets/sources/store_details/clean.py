"""Clean the stores API's store details into `dim_store_details`: pure pandas, no Dagster."""

from __future__ import annotations

import pandas as pd

from multinational_assets.cleaning import CleanResult, TableCleaning
from multinational_assets.sources.store_details.schemas import (
    CLEAN_COLUMNS,
    CONTINENTS,
    DIM_STORE_DETAILS_SCHEMA,
    KEY,
    PLACEHOLDER,
    WEB_STORE_TYPE,
)

RAW_COLUMNS = [
    "index", "address", "longitude", "lat", "locality", "store_code", "staff_numbers",
    "opening_date", "store_type", "latitude", "country_code", "continent",
]

RULE_SWAPPED = "longitude/latitude: swapped back into their own columns"
RULE_WEB_PLACEHOLDER = "web store: 'N/A' location fields set to null"
RULE_STAFF_LETTER = "staff_numbers: letter among the digits removed"
RULE_CONTINENT = "continent: 'ee' prefix removed"

# One letter inserted among the digits (`J78`, `30e`, `3n9`); two letters are unseen dirt.
_ONE_LETTER_AMONG_DIGITS = r"[0-9]*[A-Za-z][0-9]*"
_EE_CONTINENT = "ee(?:" + "|".join(CONTINENTS) + ")"


def clean_store_details(raw: pd.DataFrame) -> CleanResult:
    """Clean the raw store rows into `dim_store_details`.

    Repairs: the source's `longitude` field holds the latitude and its `latitude` field the
    longitude, so each goes to its right column; the web store's `N/A` address, locality and
    coordinates become null; a letter inserted among the staff-number digits is removed; opening
    dates in the three odd formats; the `ee` prefix on continents. `index` and the useless `lat`
    are dropped. NULL rows, garbage rows and rows that still fail `DIM_STORE_DETAILS_SCHEMA` are
    quarantined with every reason; of rows sharing a `store_code` the first is kept.
    """
    run = TableCleaning(raw, table="dim_store_details", raw_columns=RAW_COLUMNS, label_columns=["index"])
    src = run.candidate
    out = src[["store_code", "store_type", "country_code"]].copy()

    # The web store has no location: the source says `N/A` (or null). Anywhere else `N/A` stays,
    # so the schema rejects a physical store without a location.
    web = src["store_type"].eq(WEB_STORE_TYPE)
    placeholder = pd.Series(False, index=src.index)
    located = {}
    for field in ("address", "locality", "longitude", "latitude"):
        is_na = web & src[field].eq(PLACEHOLDER)
        placeholder |= is_na
        located[field] = src[field].where(~is_na, None)
    run.repaired(RULE_WEB_PLACEHOLDER, placeholder)
    out["address"] = located["address"]
    out["locality"] = located["locality"]

    # Swapped in the source: the field named `latitude` holds the longitude and vice versa.
    out["longitude"] = run.decimals(
        located["latitude"], "longitude", "not a number (source field 'latitude')"
    )
    out["latitude"] = run.decimals(
        located["longitude"], "latitude", "not a number (source field 'longitude')"
    )
    run.repaired(RULE_SWAPPED, out["longitude"].notna() | out["latitude"].notna())

    staff = src["staff_numbers"]
    lettered = staff.str.fullmatch(_ONE_LETTER_AMONG_DIGITS).eq(True) & staff.str.contains(
        "[0-9]"
    ).eq(True)
    staff = staff.where(~lettered, staff.str.replace("[A-Za-z]", "", regex=True))
    run.repaired(RULE_STAFF_LETTER, lettered)
    out["staff_numbers"] = run.integers(staff, "staff_numbers")

    out["opening_date"] = run.dates(src["opening_date"], "opening_date")

    continent = src["continent"]
    prefixed = continent.str.fullmatch(_EE_CONTINENT).eq(True)
    out["continent"] = continent.where(~prefixed, continent.str.slice(2))
    run.repaired(RULE_CONTINENT, prefixed)

    return run.finish(out[CLEAN_COLUMNS], DIM_STORE_DETAILS_SCHEMA, key=KEY)
