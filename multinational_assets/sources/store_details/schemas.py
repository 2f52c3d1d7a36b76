"""The clean `dim_store_details` table's schema (docs/architecture.md, "Clean tables")."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from multinational_assets.cleaning import (
    COUNTRY_CODES,
    NOT_EMPTY,
    calendar_date_checks,
    str_fullmatch,
    text_column,
)

CLEAN_COLUMNS = [
    "store_code", "store_type", "address", "locality", "longitude", "latitude", "staff_numbers",
    "opening_date", "country_code", "continent",
]
KEY = "store_code"

WEB_STORE_TYPE = "Web Portal"
STORE_TYPES = ["Local", "Super Store", "Mall Kiosk", "Outlet", WEB_STORE_TYPE]
CONTINENT_OF = {"GB": "Europe", "DE": "Europe", "US": "America"}
CONTINENTS = sorted(set(CONTINENT_OF.values()))
LOCATION_COLUMNS = ["address", "locality", "longitude", "latitude"]

# Physical stores: two letters of the locality, '-', 8 upper-case hex digits. The web store's code
# looks like `WEB-1388012W`.
PHYSICAL_STORE_CODE = r"[A-Z]{2}-[0-9A-F]{8}"
WEB_STORE_CODE = r"WEB-[0-9A-Z]{8}"
STORE_CODE_PATTERN = rf"{PHYSICAL_STORE_CODE}|{WEB_STORE_CODE}"
# The source's placeholder for "no value"; only the web store may have no location, as nulls.
PLACEHOLDER = "N/A"


def _physical_stores_have_a_location(df: pd.DataFrame) -> pd.Series:
    return df["store_type"].eq(WEB_STORE_TYPE) | df[LOCATION_COLUMNS].notna().all(axis=1)


def _web_store_type_matches_code(df: pd.DataFrame) -> pd.Series:
    web_code = df["store_code"].str.startswith("WEB-").eq(True)
    return df["store_code"].isna() | web_code.eq(df["store_type"].eq(WEB_STORE_TYPE))


def _continent_matches_country(df: pd.DataFrame) -> pd.Series:
    expected = df["country_code"].map(CONTINENT_OF)
    # Unknown codes or continents fail their own isin checks; only known pairs are judged here.
    judged = expected.notna() & df["continent"].isin(CONTINENTS)
    return ~judged | df["continent"].eq(expected)


_not_placeholder = pa.Check(
    lambda values: values.ne(PLACEHOLDER),
    name="not_placeholder",
    error=f"not_placeholder({PLACEHOLDER!r})",
)

DIM_STORE_DETAILS_SCHEMA = pa.DataFrameSchema(
    {
        "store_code": text_column(str_fullmatch(STORE_CODE_PATTERN), unique=True),
        "store_type": text_column(pa.Check.isin(STORE_TYPES)),
        # Address and locality are free text (multi-line, non-ASCII such as `Gießen`).
        "address": text_column(NOT_EMPTY, _not_placeholder, nullable=True),
        "locality": text_column(NOT_EMPTY, _not_placeholder, nullable=True),
        "longitude": pa.Column("float64", pa.Check.in_range(-180.0, 180.0), nullable=True),
        "latitude": pa.Column("float64", pa.Check.in_range(-90.0, 90.0), nullable=True),
        "staff_numbers": pa.Column("Int64", pa.Check.ge(0), nullable=False),
        "opening_date": pa.Column("datetime64[ns]", calendar_date_checks(), nullable=False),
        "country_code": text_column(pa.Check.isin(list(COUNTRY_CODES))),
        "continent": text_column(pa.Check.isin(CONTINENTS)),
    },
    checks=[
        pa.Check(
            _physical_stores_have_a_location,
            name="physical_store_has_location",
            error="a physical store lacks one of address, locality, longitude, latitude",
        ),
        pa.Check(
            _web_store_type_matches_code,
            name="web_store_type_matches_code",
            error="store_type 'Web Portal' and a 'WEB-' store_code go together",
        ),
        pa.Check(
            _continent_matches_country,
            name="continent_matches_country",
            error="continent does not match country_code (GB, DE Europe; US America)",
        ),
    ],
    strict=True,
    ordered=True,
    name="dim_store_details",
)
