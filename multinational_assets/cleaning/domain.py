"""Kinds and facts several clean tables share: countries, continents, and their plausible extents.

These are facts about the world (a country's code, where it lies), declared once here; each table's
contract uses them.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from multinational_assets.parsing import Vocabulary
from multinational_assets.parsing.text import arrow_text, flags

# The business's countries: name, ISO code, continent, and a generous box around the territory
# (latitude min/max, longitude min/max; the US box covers Alaska and Hawaii).
COUNTRIES = {
    "GB": ("United Kingdom", "Europe", (49.5, 61.0, -8.8, 2.0)),
    "DE": ("Germany", "Europe", (47.0, 55.2, 5.5, 15.5)),
    "US": ("United States", "America", (18.5, 72.0, -180.0, -66.5)),
}
COUNTRY_NAME_OF = {code: name for code, (name, _, _) in COUNTRIES.items()}
CONTINENT_OF = {code: continent for code, (_, continent, _) in COUNTRIES.items()}

COUNTRY_CODE = Vocabulary(
    values=tuple(COUNTRIES),
    # ISO 3166 alpha-3 codes and the everyday name of the United Kingdom.
    synonyms=(("GBR", "GB"), ("UK", "GB"), ("DEU", "DE"), ("USA", "US")),
    shape="[A-Z]{2}",
    case="upper",
    name="country code",
)
COUNTRY = Vocabulary(
    values=tuple(COUNTRY_NAME_OF.values()),
    synonyms=(
        ("UK", "United Kingdom"), ("Great Britain", "United Kingdom"), ("Britain", "United Kingdom"),
        ("Deutschland", "Germany"), ("Federal Republic of Germany", "Germany"),
        ("USA", "United States"), ("US", "United States"), ("United States of America", "United States"),
    ),
    name="country",
)
CONTINENT = Vocabulary(values=tuple(sorted(set(CONTINENT_OF.values()))), name="continent")


def text(values: pd.Series) -> pd.Series:
    """A clean text column as Python strings with None for missing, for plain comparisons."""
    return pd.Series(values.to_numpy(dtype=object, na_value=None), index=values.index, name=values.name)


def disagrees_with(values: pd.Series, keys: pd.Series, expected_of: Mapping[str, str]) -> pd.Series:
    """True where a value differs from the one `expected_of` gives for its row's key (a country's
    code for its name); False where either is missing or the key is not listed (a missing or unknown
    value is reported elsewhere, not here). In Arrow: a lookup through Python objects cost three
    times as much on a small table."""
    found = pc.index_in(arrow_text(keys), value_set=pa.array(list(expected_of), pa.string()))
    expected = pc.take(pa.array(list(expected_of.values()), pa.string()), found)
    return pd.Series(flags(pc.not_equal(arrow_text(values), expected)), index=values.index)


def outside_country(frame: pd.DataFrame) -> pd.Series:
    """Stores whose coordinates lie outside their country's box, or outside the globe."""
    lat, lon = frame["latitude"].to_numpy(float), frame["longitude"].to_numpy(float)
    code = text(frame["country_code"])
    bounds = np.array([COUNTRIES[c][2] if c in COUNTRIES else (np.nan,) * 4 for c in code], dtype=float).reshape(-1, 4)
    inside = (lat >= bounds[:, 0]) & (lat <= bounds[:, 1]) & (lon >= bounds[:, 2]) & (lon <= bounds[:, 3])
    judged = ~np.isnan(bounds[:, 0]) & ~np.isnan(lat) & ~np.isnan(lon)
    off_globe = (np.abs(lat) > 90) | (np.abs(lon) > 180)
    return pd.Series((judged & ~inside) | off_globe, index=frame.index)


# Plain numpy for the rules below: pandas' comparisons of a small column cost more than the rule's
# work (a fifth of a millisecond each); a missing value compares False.


def numbers(values: pd.Series) -> np.ndarray:
    """A clean numeric column as floats, NaN where missing."""
    return values.to_numpy(dtype="float64", na_value=np.nan)


def flagged(mask: np.ndarray, like: pd.Series) -> pd.Series:
    """A rule's answer, on the rows of `like`."""
    return pd.Series(mask, index=like.index)


def after_today(dates: pd.Series) -> pd.Series:
    return flagged(dates.to_numpy(dtype="datetime64[ns]") > np.datetime64(pd.Timestamp.today().normalize(), "ns"), dates)


def before_1900(dates: pd.Series) -> pd.Series:
    return flagged(dates.to_numpy(dtype="datetime64[ns]") < np.datetime64("1900-01-01", "ns"), dates)
