"""clean_store_details: the stores API -> dim_store_details.

One hand-written raw frame, cleaned once per module, holds a row for every repair rule, every trap
and every kind of unrecoverable row.
"""

from __future__ import annotations

import pandas as pd
import pytest

from multinational_assets.cleaning import GARBAGE_ROW_REASON, NULL_ROW_REASON
from multinational_assets.sources.store_details.clean import RAW_COLUMNS, clean_store_details
from multinational_assets.sources.store_details.schemas import (
    CLEAN_COLUMNS,
    DIM_STORE_DETAILS_SCHEMA,
)

pytestmark = pytest.mark.filterwarnings("error::FutureWarning:multinational_assets")


def store(n: int, code: str, **fields) -> dict:
    """A valid raw physical store labelled `n` (as the source has it: the field named `longitude`
    holds the latitude and vice versa); `fields` override it."""
    row = {
        "index": str(n),
        "address": "12 High Street\nHarrogate\nHG1 1AA",
        "longitude": "53.99",  # the latitude
        "lat": None,
        "locality": "Harrogate",
        "store_code": code,
        "staff_numbers": "34",
        "opening_date": "2003-05-06",
        "store_type": "Local",
        "latitude": "-1.54",  # the longitude
        "country_code": "GB",
        "continent": "Europe",
    }
    row.update(fields)
    return row


WEB_STORE = {
    "index": "0", "address": "N/A", "longitude": "N/A", "lat": "N/A", "locality": "N/A",
    "store_code": "WEB-1388012W", "staff_numbers": "325", "opening_date": "2010-06-12",
    "store_type": "Web Portal", "latitude": None, "country_code": "GB", "continent": "Europe",
}
VALID = [
    WEB_STORE,
    store(1, "HA-0A1B2C3D"),
    store(2, "GI-DEADBEEF", address="Bahnhofstraße 3\n35390 Gießen", locality="Gießen",
          longitude="50.58", latitude="8.67", country_code="DE", store_type="Super Store"),
    store(3, "AB-12345678", locality="Abilene", longitude="32.45", latitude="-99.73",
          country_code="US", continent="America", store_type="Mall Kiosk"),
]
REPAIRABLE = [
    store(10, "HA-00000010", staff_numbers="J78"),
    store(11, "HA-00000011", staff_numbers="30e"),
    store(12, "HA-00000012", staff_numbers="3n9"),
    store(13, "HA-00000013", opening_date="1999/01/02"),
    store(14, "HA-00000014", opening_date="January 1999 02"),
    store(15, "HA-00000015", opening_date="1999 January 02"),
    store(16, "HA-00000016", continent="eeEurope"),
    store(17, "AB-00000017", country_code="US", continent="eeAmerica", store_type="Outlet"),
]
NULL_ROW = {c: "NULL" for c in RAW_COLUMNS} | {"index": "20"}
GARBAGE_ROW = dict(zip(RAW_COLUMNS, ["21", *(f"Q1W2E3R4{i:02d}" for i in range(11))]))
UNRECOVERABLE = [
    NULL_ROW,
    GARBAGE_ROW,
    store(22, "HA-00000022", staff_numbers="3ab"),
    store(23, "HA-00000023", continent="eeeEurope"),
    store(24, "HA-00000024", continent="Eurpe"),
    store(25, "HA-00000025", address="N/A"),  # only the web store may lack a location
    store(26, "HA-00000026", longitude="N/A"),
    store(27, "HA-00000027", opening_date="02.01.1999"),
    store(28, "HA-00000028", country_code="US"),  # US in Europe
    store(29, "ha-00000029"),
    store(30, "HA-0A1B2C3D"),  # duplicates store 1's code
    store(31, "HA-00000031", longitude="153.99"),  # a latitude beyond 90
]
ROWS = [*VALID, *REPAIRABLE, *UNRECOVERABLE]


@pytest.fixture(scope="module")
def result():
    return clean_store_details(pd.DataFrame(ROWS, columns=RAW_COLUMNS, dtype=object))


def clean_row(result, code: str) -> pd.Series:
    match = result.clean[result.clean["store_code"] == code]
    assert len(match) == 1, f"{code} is not clean: {reasons(result)}"
    return match.iloc[0]


def reasons(result) -> dict[str, str]:
    return dict(zip(result.quarantine["index"], result.quarantine["reasons"]))


def test_contract_columns_and_dtypes(result):
    assert list(result.clean.columns) == CLEAN_COLUMNS
    assert result.clean.dtypes.astype(str).to_dict() == {
        "store_code": "object", "store_type": "object", "address": "object", "locality": "object",
        "longitude": "float64", "latitude": "float64", "staff_numbers": "Int64",
        "opening_date": "datetime64[ns]", "country_code": "object", "continent": "object",
    }
    DIM_STORE_DETAILS_SCHEMA.validate(result.clean)
    assert list(result.quarantine.columns) == RAW_COLUMNS + ["reasons"]


def test_rows_in_equals_clean_plus_quarantine(result):
    assert result.rows_in == len(ROWS) == len(result.clean) + len(result.quarantine)
    assert set(result.quarantine["index"]) == {row["index"] for row in UNRECOVERABLE}


def test_longitude_and_latitude_go_to_their_right_columns(result):
    harrogate = clean_row(result, "HA-0A1B2C3D")
    assert (harrogate["latitude"], harrogate["longitude"]) == (53.99, -1.54)
    abilene = clean_row(result, "AB-12345678")
    assert (abilene["latitude"], abilene["longitude"]) == (32.45, -99.73)


def test_web_store_survives_with_no_location(result):
    web = clean_row(result, "WEB-1388012W")
    assert web["address"] is None and web["locality"] is None
    assert pd.isna(web["longitude"]) and pd.isna(web["latitude"])
    assert (web["store_type"], web["staff_numbers"], web["country_code"], web["continent"]) == (
        "Web Portal", 325, "GB", "Europe"
    )
    assert web["opening_date"] == pd.Timestamp("2010-06-12")


def test_useless_columns_are_dropped(result):
    assert "lat" not in result.clean.columns and "index" not in result.clean.columns


def test_traps_survive_unchanged(result):
    giessen = clean_row(result, "GI-DEADBEEF")
    assert giessen["locality"] == "Gießen"
    assert giessen["address"] == "Bahnhofstraße 3\n35390 Gießen"
    assert clean_row(result, "HA-0A1B2C3D")["address"] == "12 High Street\nHarrogate\nHG1 1AA"


def test_a_letter_among_staff_digits_is_removed(result):
    assert clean_row(result, "HA-00000010")["staff_numbers"] == 78
    assert clean_row(result, "HA-00000011")["staff_numbers"] == 30
    assert clean_row(result, "HA-00000012")["staff_numbers"] == 39


def test_odd_opening_dates_are_repaired(result):
    for code in ["HA-00000013", "HA-00000014", "HA-00000015"]:
        assert clean_row(result, code)["opening_date"] == pd.Timestamp("1999-01-02")


def test_ee_continent_prefix_is_removed(result):
    assert clean_row(result, "HA-00000016")["continent"] == "Europe"
    assert clean_row(result, "AB-00000017")["continent"] == "America"


def test_repair_counts(result):
    assert result.repairs == {
        "web store: 'N/A' location fields set to null": 1,
        "longitude/latitude: swapped back into their own columns": len(VALID) - 1 + len(REPAIRABLE),
        "staff_numbers: letter among the digits removed": 3,
        "opening_date: dates in odd formats repaired": 3,
        "continent: 'ee' prefix removed": 2,
    }


def test_null_and_garbage_rows_are_quarantined(result):
    assert reasons(result)["20"] == NULL_ROW_REASON
    assert reasons(result)["21"] == GARBAGE_ROW_REASON


def test_unseen_dirt_is_quarantined_with_a_clear_reason(result):
    got = reasons(result)
    assert got["22"] == "staff_numbers: not a whole number ('3ab')"
    assert got["23"] == "continent: fails isin(['America', 'Europe']) ('eeeEurope')"
    assert got["24"] == "continent: fails isin(['America', 'Europe']) ('Eurpe')"
    assert got["25"] == "address: fails not_placeholder('N/A') ('N/A')"
    assert got["26"] == (
        "latitude: not a number (source field 'longitude') ('N/A'); "
        "a physical store lacks one of address, locality, longitude, latitude"
    )
    assert got["27"] == "opening_date: not a date in a known format ('02.01.1999')"
    assert got["28"].startswith("continent does not match country_code")
    assert got["29"].startswith("store_code: fails str_fullmatch")
    assert got["30"] == "duplicate store_code 'HA-0A1B2C3D': its first row is kept"
    assert got["31"] == "latitude: fails in_range(-90.0, 90.0) (153.99)"
