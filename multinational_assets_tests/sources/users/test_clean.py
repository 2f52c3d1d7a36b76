"""clean_users: legacy_users -> dim_users, on hand-written rows: the generator's dirt, spellings it
never writes, traps that must survive, values nobody can read, and rows that cannot be rows."""

from __future__ import annotations

import pandas as pd
import pytest

from multinational_assets.cleaning import NULL_ROW
from multinational_assets.sources.users.clean import DIM_USERS, clean_users
from multinational_assets.sources.users.source import RAW_COLUMNS


def uid(n: int) -> str:
    return f"{n:08x}-1b2c-4d3e-8f4a-{n:012x}"


def user(n: int, **fields) -> dict:
    row = {
        "index": str(n), "first_name": "Oliver", "last_name": "Smith", "date_of_birth": "1971-10-23",
        "company": "Smith and Sons", "email_address": f"oliver{n}@gmail.com",
        "address": "Flat 1\n2 Church Road\nLeeds LS1 1AA", "country": "United Kingdom", "country_code": "GB",
        "phone_number": "+44(0)121 4960340", "join_date": "2015-03-02", "user_uuid": uid(n),
    }
    return row | fields


GERMAN = {"country": "Germany", "country_code": "DE"}
ROWS = [
    # Traps: valid as they are.
    user(10, first_name="Klaus-D.", last_name="Müller", address="Bahnhofstraße 5\n35390 Gießen",
         phone_number="+49(0) 047905356", company="Stiftung & Co. KGaA", **GERMAN),
    user(11, first_name="Hans D.", last_name="O'Connor", phone_number="001-205-622-1476x58185"),
    user(12, date_of_birth="1990-05-05", join_date="1980-01-01"),  # joined before birth: kept, flagged
    # The generator's dirt.
    user(20, date_of_birth="1971/10/23", join_date="January 1951 27"),
    user(21, date_of_birth="1968 October 16", country_code="GGB", email_address="oliver@@gmail.com"),
    # Spellings the generator never writes, each meaning the same thing.
    user(30, user_uuid=uid(30).upper(), date_of_birth="23 Oct 1971", join_date="2015-3-2T00:00:00",
         country="united kingdom", country_code=" gb ", first_name="Oliver\u00a0 ", email_address="mailto:o@x.com"),
    user(31, user_uuid="{" + uid(31).replace("-", "") + "}", country="UK", country_code="GBR",
         date_of_birth="October 23rd, 1971", address="Flat 1 \r\n 2 Church Road\r\nLeeds LS1 1AA"),
    user(32, country="Deutschland", country_code="deu", date_of_birth="23/10/1971", **{"index": "32"}),
    # Values nobody can read: null in a kept row, listed with why.
    user(40, date_of_birth="05/06/1971", email_address="oliver at gmail", country_code="G B R D"),
    # Odd but valid, and new: kept as written, reported.
    user(41, country="France", country_code="FR"),
    user(42, country="Germany", country_code="GB"),  # code and country disagree: kept, reported
    # Rows that cannot be rows.
    {c: "NULL" for c in RAW_COLUMNS} | {"index": "50"},
    dict(zip(RAW_COLUMNS, ["51", *(f"Q1W2E3R4{i:02d}" for i in range(11))])),
    user(52, user_uuid="not-a-uuid"),
    user(53, user_uuid=uid(10)),  # repeats user 10's id: the first row is kept
]


@pytest.fixture(scope="module")
def result():
    return clean_users(pd.DataFrame(ROWS, columns=RAW_COLUMNS, dtype=object))


def kept(result, n: int) -> pd.Series:
    return result.clean.set_index("user_uuid").loc[uid(n)]


def test_contract_columns_in_order(result):
    assert list(result.clean.columns) == DIM_USERS.names
    assert str(result.clean["date_of_birth"].dtype) == "datetime64[ns]"


def test_every_row_is_kept_or_quarantined(result):
    assert result.rows_in == len(ROWS) == len(result.clean) + len(result.quarantine)
    assert len(result.quarantine) == 4


def test_traps_survive_unchanged(result):
    assert kept(result, 10)[["first_name", "last_name", "address", "company"]].tolist() == [
        "Klaus-D.", "Müller", "Bahnhofstraße 5\n35390 Gießen", "Stiftung & Co. KGaA",
    ]
    assert kept(result, 11)["last_name"] == "O'Connor"
    assert kept(result, 11)["phone_number"] == "001-205-622-1476x58185"
    assert kept(result, 12)["join_date"] == pd.Timestamp("1980-01-01")


@pytest.mark.parametrize("n", [20, 21, 30, 31, 32])
def test_every_spelling_reads_to_the_same_clean_row(result, n):
    row = kept(result, n)
    assert row["date_of_birth"] == pd.Timestamp({20: "1971-10-23", 21: "1968-10-16"}.get(n, "1971-10-23"))
    assert row["country_code"] in ("GB", "DE")
    assert row["country"] == {"GB": "United Kingdom", "DE": "Germany"}[row["country_code"]]


def test_generator_dirt_is_repaired(result):
    assert kept(result, 20)["join_date"] == pd.Timestamp("1951-01-27")
    assert kept(result, 21)["country_code"] == "GB"
    assert kept(result, 21)["email_address"] == "oliver@gmail.com"


def test_unfamiliar_spellings_are_read(result):
    assert kept(result, 30)["first_name"] == "Oliver"
    assert kept(result, 30)["join_date"] == pd.Timestamp("2015-03-02")
    assert kept(result, 30)["email_address"] == "o@x.com"
    assert kept(result, 31)["address"] == "Flat 1\n2 Church Road\nLeeds LS1 1AA"
    assert kept(result, 32)["country_code"] == "DE"


def test_unreadable_values_are_nulled_and_listed_not_the_row(result):
    row = kept(result, 40)
    assert pd.isna(row["date_of_birth"]) and pd.isna(row["email_address"]) and pd.isna(row["country_code"])
    assert row["first_name"] == "Oliver"
    rejected = result.rejected_values.set_index("column_name")
    assert set(rejected.index) == {"date_of_birth", "email_address", "country_code"}
    assert "ambiguous" in rejected.loc["date_of_birth", "reason"]
    assert rejected.loc["email_address", "raw_value"] == "oliver at gmail"
    assert set(rejected["row_key"]) == {uid(40)}


def test_doubts_are_reported_and_the_rows_kept(result):
    doubts = {d.name: d for d in result.doubts}
    assert doubts["country_is_known"].rows == 1 and kept(result, 41)["country"] == "France"
    assert doubts["country_code_is_known"].rows == 1 and kept(result, 41)["country_code"] == "FR"
    assert doubts["country_code_matches_country"].rows == 1
    assert kept(result, 42)["country_code"] == "GB"
    assert doubts["joined_after_birth"].rows == 2  # users 12 and 20


def test_rows_that_cannot_be_rows_are_quarantined_as_raw_text(result):
    reasons = result.quarantine.set_index("index")["reasons"]
    assert reasons["50"] == NULL_ROW
    assert reasons["51"].startswith("no usable key: user_uuid not a UUID")
    assert reasons["52"].startswith("no usable key")
    assert reasons["53"].startswith("duplicate user_uuid")
    assert kept(result, 10)["first_name"] == "Klaus-D."  # the first of the duplicates
    assert result.quarantine.set_index("index").loc["50", "first_name"] == "NULL"
