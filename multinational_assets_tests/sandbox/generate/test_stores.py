"""The stores API's stores at scale 1: the web store, the splits, the dirt, the swapped coordinates."""

from __future__ import annotations

import re

from multinational_assets_tests.sandbox.world_readers import (
    GARBAGE,
    STORE_KEYS,
    odd_format,
    stores_frame,
    valid_only,
)


def test_stores_shape_and_web_store(stores_raw: list[dict]) -> None:
    assert len(stores_raw) == 451
    assert all(list(s) == STORE_KEYS for s in stores_raw)
    assert [s["index"] for s in stores_raw] == list(range(451))
    web = stores_raw[0]
    assert re.fullmatch(r"WEB-\d{7}W", web["store_code"])
    assert (web["store_type"], web["address"], web["longitude"], web["lat"], web["locality"],
            web["latitude"], web["country_code"], web["continent"]) == (
        "Web Portal", "N/A", "N/A", "N/A", "N/A", None, "GB", "Europe")
    assert web["staff_numbers"].isdigit()
    assert sum(s["store_type"] == "Web Portal" for s in stores_raw) == 1


def test_stores_counts_and_splits(stores_raw: list[dict]) -> None:
    frame = stores_frame(stores_raw)
    text = STORE_KEYS[1:]
    values = frame[text]
    null = (values == "NULL").all(axis=1)
    garbage = values.apply(lambda c: c.astype(str).str.fullmatch(GARBAGE)).all(axis=1)
    assert (int(null.sum()), int(garbage.sum())) == (3, 7)
    physical = frame[~null & ~garbage].iloc[1:]
    assert len(physical) == 440 and physical["lat"].isna().all()
    assert physical["country_code"].value_counts().to_dict() == {"GB": 265, "DE": 141, "US": 34}
    assert physical["store_type"].value_counts().to_dict() == {
        "Local": 255, "Super Store": 89, "Mall Kiosk": 51, "Outlet": 45}
    top = physical["locality"].value_counts().sort_values(ascending=False).tolist()
    assert top[:7] == [14, 13, 12, 11, 10, 10, 10] and top[7] < 10
    codes = physical["store_code"]
    assert codes.str.fullmatch(r"[A-Z]{2}-[0-9A-F]{8}").all() and codes.is_unique
    assert (codes.str[:2] == physical["locality"].str[:2].str.upper()).all()


def test_stores_dirt_and_swapped_coordinates(stores_raw: list[dict]) -> None:
    frame = stores_frame(stores_raw)
    physical = valid_only(frame.astype({"index": str}), STORE_KEYS[1:]).iloc[1:]
    staff = physical["staff_numbers"]
    lettered = ~staff.str.fullmatch(r"\d+")
    assert lettered.sum() == 5 and staff[lettered].str.fullmatch(r"\d*[A-Za-z]\d*").all()
    assert physical["opening_date"].map(odd_format).notna().sum() == 12
    assert physical["continent"].str.startswith("ee").sum() == 26
    assert set(physical["continent"].str.removeprefix("ee")) == {"Europe", "America"}
    # The field named `longitude` holds the latitude: UK and German latitudes are 47-58 degrees.
    europe = physical[physical["country_code"].isin(["GB", "DE"])]
    assert europe["longitude"].astype(float).between(47, 59).all()
    assert europe["latitude"].astype(float).between(-8, 16).all()
    us = physical[physical["country_code"] == "US"]
    assert us["latitude"].astype(float).lt(-60).all()
    assert physical["longitude"].str.fullmatch(r"-?\d+\.\d{5}").all()
