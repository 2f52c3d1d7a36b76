"""The orders table at scale 1: its text, and references to every valid row of the other tables."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from multinational_assets_tests.sandbox.world_readers import (
    CARD_TEXT,
    DATE_TEXT,
    PRODUCT_TEXT,
    STORE_KEYS,
    USER_TEXT,
    UUID4,
    stores_frame,
    valid_only,
)


def test_orders_shape_and_text(world: Path, orders_raw: pd.DataFrame) -> None:
    assert list(orders_raw.columns) == ["level_0", "index", "date_uuid", "first_name",
                                        "last_name", "user_uuid", "card_number", "store_code",
                                        "product_code", "1", "product_quantity"]
    assert len(orders_raw) == 120123
    assert orders_raw["1"].isna().all()
    named = orders_raw["first_name"].notna()
    assert named.sum() == 15000 and (named == orders_raw["last_name"].notna()).all()
    quantity = orders_raw["product_quantity"].astype(int)
    assert (quantity.min(), quantity.max()) == (1, 15)
    body = (world / "legacy" / "orders_table.csv").read_text(encoding="utf-8").split("\n", 1)[1]
    name = r'(?:"(?:[^"]|"")*")?'
    record = (rf'\d+,\d+,"{UUID4}",{name},{name},"{UUID4}",\d+,"[^"]+","[^"]+",,\d+\n')
    assert re.fullmatch(f"(?:{record})*", body)


def test_orders_reference_every_valid_row(orders_raw: pd.DataFrame, users_raw: pd.DataFrame,
                                          cards_raw: pd.DataFrame, stores_raw: list[dict],
                                          products_raw: pd.DataFrame,
                                          dates_raw: pd.DataFrame) -> None:
    users = valid_only(users_raw, USER_TEXT)
    cards = valid_only(cards_raw, CARD_TEXT)
    stores = valid_only(stores_frame(stores_raw).astype({"index": str}), STORE_KEYS[1:])
    products = valid_only(products_raw, PRODUCT_TEXT)
    dates = valid_only(dates_raw, DATE_TEXT)
    assert orders_raw["date_uuid"].is_unique
    assert set(orders_raw["date_uuid"]) == set(dates["date_uuid"])
    assert set(orders_raw["user_uuid"]) == set(users["user_uuid"])
    assert set(orders_raw["card_number"]) == set(cards["card_number"].str.lstrip("?"))
    assert set(orders_raw["store_code"]) == set(stores["store_code"])
    assert set(orders_raw["product_code"]) == set(products["product_code"])
    web_share = (orders_raw["store_code"] == stores_raw[0]["store_code"]).mean()
    assert 0.215 < web_share < 0.225
    # One card per user, and orders pay with it.
    pairs = orders_raw[["user_uuid", "card_number"]].drop_duplicates()
    assert pairs["user_uuid"].is_unique and pairs["card_number"].is_unique
    # Names, where given, are the user's.
    named = orders_raw[orders_raw["first_name"].notna()].merge(
        users[["user_uuid", "first_name", "last_name"]], on="user_uuid", suffixes=("", "_user"))
    assert (named["first_name"] == named["first_name_user"]).all()
    assert (named["last_name"] == named["last_name_user"]).all()
