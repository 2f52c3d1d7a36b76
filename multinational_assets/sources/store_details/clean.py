"""`dim_store_details`, declared once: one row per store (the web store too), from the stores API."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from multinational_assets.cleaning import CleanResult, Column, Plausibility, TableContract, clean_table
from multinational_assets.cleaning.domain import (
    CONTINENT,
    CONTINENT_OF,
    COUNTRY_CODE,
    disagrees_with,
    flagged,
    numbers,
    outside_country,
)
from multinational_assets.parsing import Code, Coordinate, Count, Date, Text, Vocabulary
from multinational_assets.parsing.text import arrow_text, flags
from multinational_assets.sources.store_details.source import SOURCE

WEB_STORE_TYPE = "Web Portal"
# Physical stores: two letters of the locality, '-', eight hexadecimal digits; the web store's code
# looks like `WEB-1388012W`. Compared without regard to case.
STORE_CODE = Code(shape="[A-Z]+-[0-9A-Z]+", example="GB-1A2B3C4D")
STORE_TYPE = Vocabulary(values=("Local", "Super Store", "Mall Kiosk", "Outlet", WEB_STORE_TYPE), name="store type")
LOCATION = ["address", "locality", "longitude", "latitude"]


def _is_web_store_type(frame: pd.DataFrame) -> np.ndarray:
    return flags(pc.equal(arrow_text(frame["store_type"]), WEB_STORE_TYPE))  # missing: False


def _physical_store_without_location(frame: pd.DataFrame) -> pd.Series:
    # A store of unknown type counts as physical: only the web store has no location.
    unlocated = np.logical_or.reduce([frame[column].isna().to_numpy() for column in LOCATION])
    return flagged(~_is_web_store_type(frame) & unlocated, frame["store_type"])


def _web_type_and_code_disagree(frame: pd.DataFrame) -> pd.Series:
    web_code = flags(pc.starts_with(arrow_text(frame["store_code"]), "WEB-"))
    typed = flags(pc.is_valid(arrow_text(frame["store_type"])))
    return flagged(typed & (web_code != _is_web_store_type(frame)), frame["store_type"])


DIM_STORE_DETAILS = TableContract(
    table="dim_store_details",
    raw_table=SOURCE.raw_table,
    raw_columns=SOURCE.raw_columns,
    labels=("index",),
    key="store_code",
    description=(
        "One row per store, the web store included, with coordinates in their right columns and staff "
        "numbers, dates and names read in every spelling."
    ),
    quarantine_description="Store records that cannot be a row (no usable store code, or nothing readable), with why.",
    columns=(
        Column("store_code", STORE_CODE, "The store's code, which every sale made there names."),
        Column("store_type", STORE_TYPE, "The kind of store (local, super store, mall kiosk, outlet, or the web portal)."),
        Column("address", Text(multiline_text=True), "The store's postal address (none for the web store)."),
        Column("locality", Text(), "The town or city the store is in (none for the web store)."),
        # The source swaps them: its field `latitude` holds the longitude and `longitude` the latitude.
        Column("longitude", Coordinate("longitude"), "The store's longitude in degrees.", source="latitude"),
        Column("latitude", Coordinate("latitude"), "The store's latitude in degrees.", source="longitude"),
        Column("staff_numbers", Count(sql_type="int2"), "How many staff work at the store."),
        Column("opening_date", Date(), "The day the store opened."),
        Column("country_code", COUNTRY_CODE, "The ISO code of the store's country (GB for the web store)."),
        Column("continent", CONTINENT, "The store's continent."),
    ),
    plausibility=(
        Plausibility(
            "physical_store_has_location",
            "Physical stores lacking an address, locality or coordinates (only the web store has none).",
            _physical_store_without_location,
            ("store_type", *LOCATION),
        ),
        Plausibility(
            "web_store_type_matches_code",
            "Stores whose type and code disagree about being the web store ('Web Portal' and a 'WEB-' code).",
            _web_type_and_code_disagree,
            ("store_type",),
        ),
        Plausibility(
            "continent_matches_country",
            "Stores whose continent is not their country's (GB, DE Europe; US America).",
            lambda f: disagrees_with(f["continent"], f["country_code"], CONTINENT_OF),
            ("country_code", "continent"),
        ),
        Plausibility(
            "coordinates_in_country",
            "Stores whose coordinates lie outside their country (or off the globe).",
            outside_country,
            ("country_code", "latitude", "longitude"),
        ),
        Plausibility(
            "staff_numbers_plausible",
            "Stores with a negative staff number or more than 10,000 staff.",
            lambda f: flagged((numbers(f["staff_numbers"]) < 0) | (numbers(f["staff_numbers"]) > 10_000), f["staff_numbers"]),
            ("staff_numbers",),
        ),
    ),
)


def clean_store_details(raw) -> CleanResult:
    """Clean the raw store rows from the API into `dim_store_details`."""
    return clean_table(raw, DIM_STORE_DETAILS)
