"""Legacy users and their cards at scale 1: every figure of source-world.md, the dirt and the traps."""

from __future__ import annotations

import pandas as pd

from multinational_assets_tests.sandbox.world_readers import (
    CARD_TEXT,
    USER_TEXT,
    UUID4,
    odd_format,
    parse_any_date,
    split_dirty,
    valid_only,
)


def test_users_shape_and_dirty_rows(users_raw: pd.DataFrame) -> None:
    assert list(users_raw.columns) == ["index", *USER_TEXT]
    assert len(users_raw) == 15320
    null, garbage = split_dirty(users_raw, USER_TEXT)
    assert (int(null.sum()), int(garbage.sum())) == (21, 15)
    index = users_raw["index"].astype(int)
    assert index.is_unique and not index.is_monotonic_increasing


def test_users_splits_and_dirt(users_raw: pd.DataFrame) -> None:
    valid = valid_only(users_raw, USER_TEXT)
    assert len(valid) == 15284
    assert valid["country"].value_counts().to_dict() == {
        "United Kingdom": 9371, "Germany": 4708, "United States": 1205}
    for column, odd_count in (("date_of_birth", 27), ("join_date", 23)):
        formats = valid[column].map(odd_format)
        assert formats.notna().sum() == odd_count
        assert set(formats.dropna()) == {0, 1, 2}
    ggb = valid["country_code"] == "GGB"
    assert ggb.sum() == 6 and (valid.loc[ggb, "country"] == "United Kingdom").all()
    assert set(valid["country_code"]) == {"GB", "GGB", "DE", "US"}
    assert valid["email_address"].str.contains("@@", regex=False).sum() == 42
    assert (valid["email_address"].str.count("@") >= 1).all()
    assert valid["user_uuid"].str.fullmatch(UUID4).all() and valid["user_uuid"].is_unique


def test_users_traps(users_raw: pd.DataFrame) -> None:
    valid = valid_only(users_raw, USER_TEXT)
    assert {"Klaus-D.", "Hans D."} <= set(valid["first_name"])
    assert "O'Connor" in set(valid["last_name"])
    assert valid["address"].str.contains("Gießen", regex=False).any()
    assert valid["address"].str.contains("\n", regex=False).all()
    dob = valid["date_of_birth"].map(parse_any_date)
    joined = valid["join_date"].map(parse_any_date)
    assert (joined < dob).sum() == 740
    phones = valid["phone_number"]
    for sample in (r"\+44\(0\)\d+ \d+", r"\(0\d+\)\d+", r"\+49\(0\) \d+", r"001-\d{3}-\d{3}-\d{4}x\d+",
                   r"\d{3}\.\d{3}\.\d{4}x\d+"):
        assert phones.str.fullmatch(sample).any(), sample


def test_cards_counts_and_dirt(cards_raw: pd.DataFrame) -> None:
    assert len(cards_raw) == 15309
    null, garbage = split_dirty(cards_raw, CARD_TEXT)
    assert (int(null.sum()), int(garbage.sum())) == (11, 14)
    valid = cards_raw[~null & ~garbage]
    assert valid["card_provider"].value_counts().to_dict() == {
        "VISA 16 digit": 2426, "JCB 16 digit": 2403, "VISA 13 digit": 1382, "JCB 15 digit": 1363,
        "VISA 19 digit": 1349, "Diners Club / Carte Blanche": 1312, "American Express": 1297,
        "Maestro": 1281, "Discover": 1260, "Mastercard": 1211}
    prefixed = valid["card_number"].str.fullmatch(r"\?{1,4}\d+")
    assert prefixed.sum() == 26
    assert valid["card_number"].str.fullmatch(r"\?{0,4}\d+").all()
    assert valid["expiry_date"].str.fullmatch(r"(0[1-9]|1[0-2])/\d{2}").all()
    formats = valid["date_payment_confirmed"].map(odd_format)
    assert formats.notna().sum() == 8


def test_card_numbers_follow_their_provider(cards_raw: pd.DataFrame) -> None:
    valid = valid_only(cards_raw, CARD_TEXT)
    digits = valid["card_number"].str.lstrip("?")
    assert digits.is_unique
    lengths = digits.str.len().groupby(valid["card_provider"]).agg(lambda s: set(s))
    assert lengths["Maestro"] == {12, 11, 9}
    expected = {"VISA 16 digit": 16, "JCB 16 digit": 16, "VISA 13 digit": 13, "JCB 15 digit": 15,
                "VISA 19 digit": 19, "Diners Club / Carte Blanche": 14, "American Express": 15,
                "Discover": 16, "Mastercard": 16}
    for provider, length in expected.items():
        assert lengths[provider] == {length}, provider
    starts = {"VISA 16 digit": r"4", "VISA 13 digit": r"4", "VISA 19 digit": r"4",
              "American Express": r"3[47]", "Mastercard": r"(5[1-5]|2[2-7])",
              "Discover": r"6", "JCB 16 digit": r"35", "JCB 15 digit": r"(2131|1800)"}
    for provider, prefix in starts.items():
        assert digits[valid["card_provider"] == provider].str.match(prefix).all(), provider
    assert not digits.str.startswith("0").any()  # stays exact as a BIGINT in orders_table
