"""clean_store_details: the stores API -> dim_store_details, on hand-written rows."""

from __future__ import annotations

import pandas as pd
import pytest

from multinational_assets.cleaning import NULL_ROW
from multinational_assets.sources.store_details.clean import DIM_STORE_DETAILS, clean_store_details
from multinational_assets.sources.store_details.source import RAW_COLUMNS


def store(n: int, code: str, **fields) -> dict:
    """A valid raw physical store (as the source has it: the field named `longitude` holds the
    latitude and vice versa); `fields` override it."""
    row = {
        "index": str(n), "address": "12 High Street\nHarrogate\nHG1 1AA", "longitude": "53.99", "lat": None,
        "locality": "Harrogate", "store_code": code, "staff_numbers": "34", "opening_date": "2003-05-06",
        "store_type": "Local", "latitude": "-1.54", "country_code": "GB", "continent": "Europe",
    }
    return row | fields


WEB_STORE = {
    "index": "0", "address": "N/A", "longitude": "N/A", "lat": "N/A", "locality": "N/A",
    "store_code": "WEB-1388012W", "staff_numbers": "325", "opening_date": "2010-06-12",
    "store_type": "Web Portal", "latitude": None, "country_code": "GB", "continent": "Europe",
}
ROWS = [
    WEB_STORE,
    store(1, "GI-DEADBEEF", address="Bahnhofstraße 3\n35390 Gießen", locality="Gießen", longitude="50.58",
          latitude="8.67", country_code="DE", store_type="Super Store"),
    # The generator's dirt.
    store(10, "HA-00000010", staff_numbers="J78", continent="eeEurope"),
    store(11, "HA-00000011", staff_numbers="3n9", opening_date="January 1999 02"),
    store(12, "AB-00000012", country_code="US", continent="eeAmerica", store_type="Outlet", longitude="32.45", latitude="-99.73"),
    # Spellings it never writes.
    store(20, "ha-00000020 ", store_type="SUPER_STORE", continent="EUROPE.", staff_numbers="1,034",
          opening_date="2 Jan 1999", longitude="53.99000", country_code="gb"),
    store(21, "HA-00000021", store_type="mall kiosk", staff_numbers="34.0", latitude="1.54 W", longitude="53.99° N"),
    # Unreadable values: nulled, the store kept.
    store(30, "HA-00000030", staff_numbers="about a dozen", opening_date="02/03/1999", longitude="north"),
    # Odd but valid or new: kept, reported.
    store(31, "HA-00000031", store_type="Pop-up Shop"),
    store(32, "HA-00000032", address="N/A"),  # a physical store without an address
    store(33, "HA-00000033", country_code="US"),  # coordinates in England, continent Europe, country US
    # Rows that cannot be rows.
    {c: "NULL" for c in RAW_COLUMNS} | {"index": "40"},
    dict(zip(RAW_COLUMNS, ["41", *(f"Q1W2E3R4{i:02d}" for i in range(11))])),
    store(42, "GI-DEADBEEF"),  # repeats store 1's code
]


@pytest.fixture(scope="module")
def result():
    return clean_store_details(pd.DataFrame(ROWS, columns=RAW_COLUMNS, dtype=object))


def kept(result, code: str) -> pd.Series:
    return result.clean.set_index("store_code").loc[code]


def test_contract_columns(result):
    assert list(result.clean.columns) == DIM_STORE_DETAILS.names
    assert result.rows_in == len(result.clean) + len(result.quarantine) == len(ROWS)


def test_coordinates_go_to_their_right_columns(result):
    assert kept(result, "GI-DEADBEEF")[["latitude", "longitude"]].tolist() == [50.58, 8.67]
    assert kept(result, "HA-00000021")[["latitude", "longitude"]].tolist() == [53.99, -1.54]


def test_the_web_store_survives_with_no_location(result):
    web = kept(result, "WEB-1388012W")
    assert web[["address", "locality", "longitude", "latitude"]].isna().all()
    assert web["store_type"] == "Web Portal" and web["staff_numbers"] == 325


def test_generator_dirt_is_repaired(result):
    assert kept(result, "HA-00000010")["staff_numbers"] == 78
    assert kept(result, "HA-00000010")["continent"] == "Europe"
    assert kept(result, "HA-00000011")["staff_numbers"] == 39
    assert kept(result, "HA-00000011")["opening_date"] == pd.Timestamp("1999-01-02")
    assert kept(result, "AB-00000012")["continent"] == "America"


def test_unfamiliar_spellings_are_read(result):
    row = kept(result, "HA-00000020")
    assert row[["store_type", "continent", "staff_numbers", "country_code"]].tolist() == ["Super Store", "Europe", 1034, "GB"]
    assert row["opening_date"] == pd.Timestamp("1999-01-02")
    assert kept(result, "HA-00000021")[["store_type", "staff_numbers"]].tolist() == ["Mall Kiosk", 34]


def test_unreadable_values_are_nulled_and_listed(result):
    row = kept(result, "HA-00000030")
    assert pd.isna(row["staff_numbers"]) and pd.isna(row["opening_date"]) and pd.isna(row["latitude"])
    rejected = result.rejected_values.set_index("column_name")
    assert set(rejected.index) == {"staff_numbers", "opening_date", "latitude"}
    assert "source field 'longitude'" in rejected.loc["latitude", "reason"]
    assert "ambiguous" in rejected.loc["opening_date", "reason"]


def test_doubts_are_reported_and_the_stores_kept(result):
    doubts = {d.name: d.rows for d in result.doubts}
    assert doubts["store_type_is_known"] == 1 and kept(result, "HA-00000031")["store_type"] == "Pop-up Shop"
    assert doubts["physical_store_has_location"] == 2  # store 32, and store 30's unreadable latitude
    assert doubts["continent_matches_country"] == 1 and doubts["coordinates_in_country"] == 1
    assert doubts["web_store_type_matches_code"] == 0


def test_rows_that_cannot_be_rows_are_quarantined(result):
    reasons = result.quarantine.set_index("index")["reasons"]
    assert reasons["40"] == NULL_ROW
    assert reasons["41"].startswith("no usable key: store_code")
    assert reasons["42"].startswith("duplicate store_code 'GI-DEADBEEF'")
    assert kept(result, "GI-DEADBEEF")["locality"] == "Gießen"
