"""clean_users: legacy_users -> dim_users.

One hand-written raw frame holds a row for every repair rule, every trap and every kind of
unrecoverable row; it is cleaned once per module (pandera's per-call overhead dominates these tests).
"""

from __future__ import annotations

import uuid

import pandas as pd
import pytest

from multinational_assets.cleaning import GARBAGE_ROW_REASON, NULL_ROW_REASON
from multinational_assets.sources.users.clean import RAW_COLUMNS, clean_users
from multinational_assets.sources.users.schemas import CLEAN_COLUMNS, DIM_USERS_SCHEMA

pytestmark = pytest.mark.filterwarnings("error::FutureWarning:multinational_assets")


def uid(n: int) -> str:
    return str(uuid.UUID(int=n + 1))


def user(n: int, **fields) -> dict:
    """A valid raw user row labelled `n`; `fields` override it."""
    row = {
        "index": str(n),
        "first_name": "Oliver",
        "last_name": "Smith",
        "date_of_birth": "1971-10-23",
        "company": "Smith and Sons",
        "email_address": f"oliver{n}@gmail.com",
        "address": "Flat 1\n2 Church Road\nLeeds LS1 1AA",
        "country": "United Kingdom",
        "country_code": "GB",
        "phone_number": "+44(0)121 4960340",
        "join_date": "2015-03-02",
        "user_uuid": uid(n),
    }
    row.update(fields)
    return row


def raw(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=RAW_COLUMNS, dtype=object)


GERMAN = {"country": "Germany", "country_code": "DE"}
AMERICAN = {"country": "United States", "country_code": "US"}
TRAPS = [
    user(10, first_name="Klaus-D.", last_name="Müller", address="Bahnhofstraße 5\n35390 Gießen",
         phone_number="+49(0) 047905356", company="Stiftung & Co. KGaA", **GERMAN),
    user(11, first_name="Hans D.", last_name="Weiß", phone_number="03379 00845", **GERMAN),
    user(12, last_name="O'Connor", phone_number="(0161)4960674"),
    user(13, phone_number="001-205-622-1476x58185", **AMERICAN),
    user(14, phone_number="076.583.0124x510", **AMERICAN),
    # Joined before they were born: kept as the source says.
    user(15, date_of_birth="1990-05-05", join_date="1980-01-01"),
]
REPAIRABLE = [
    user(20, date_of_birth="1971/10/23"),
    user(21, date_of_birth="January 1951 27"),
    user(22, date_of_birth="1968 October 16"),
    user(23, join_date="1971/10/23"),
    user(24, join_date="January 1951 27"),
    user(25, join_date="1968 October 16"),
    user(26, country_code="GGB"),
    user(27, email_address="oliver@@gmail.com"),
]
NULL_ROW = {c: "NULL" for c in RAW_COLUMNS} | {"index": "30"}
GARBAGE_ROW = dict(zip(RAW_COLUMNS, ["31", *(f"Q1W2E3R4{i:02d}" for i in range(11))]))
UNRECOVERABLE = [
    NULL_ROW,
    GARBAGE_ROW,
    user(32, date_of_birth="23.10.1971"),
    user(33, email_address="foo@", join_date="2015-13-01", country="France", user_uuid="not-a-uuid"),
    user(34, country="Germany", country_code="GB"),
    user(35, country_code="GBB"),
    # A GGB repair on a row rejected for something else is not counted as a repair.
    user(36, country_code="GGB", date_of_birth="nope"),
    user(37, user_uuid=uid(0), first_name="Second"),  # duplicates row 0's user_uuid
    user(38, company=None),
]
ROWS = [user(0), *TRAPS, *REPAIRABLE, *UNRECOVERABLE]


@pytest.fixture(scope="module")
def result():
    return clean_users(raw(*ROWS))


def clean_row(result, n: int) -> pd.Series:
    match = result.clean[result.clean["user_uuid"] == uid(n)]
    assert len(match) == 1, f"row {n} is not clean: {reasons(result).get(str(n))}"
    return match.iloc[0]


def reasons(result) -> dict[str, str]:
    return dict(zip(result.quarantine["index"], result.quarantine["reasons"]))


def test_contract_columns_and_dtypes(result):
    assert list(result.clean.columns) == CLEAN_COLUMNS
    assert result.clean.dtypes.astype(str).to_dict() == {
        "user_uuid": "object", "first_name": "object", "last_name": "object",
        "date_of_birth": "datetime64[ns]", "company": "object", "email_address": "object",
        "address": "object", "country": "object", "country_code": "object",
        "phone_number": "object", "join_date": "datetime64[ns]",
    }
    assert (result.clean["date_of_birth"] == result.clean["date_of_birth"].dt.normalize()).all()
    DIM_USERS_SCHEMA.validate(result.clean)
    assert list(result.quarantine.columns) == RAW_COLUMNS + ["reasons"]
    assert list(result.clean.index) == list(range(len(result.clean)))


def test_rows_in_equals_clean_plus_quarantine(result):
    assert result.rows_in == len(ROWS) == len(result.clean) + len(result.quarantine)
    assert set(result.quarantine["index"]) == {row["index"] for row in UNRECOVERABLE}


@pytest.mark.parametrize(
    "n, column, expected",
    [
        (20, "date_of_birth", "1971-10-23"), (21, "date_of_birth", "1951-01-27"),
        (22, "date_of_birth", "1968-10-16"), (23, "join_date", "1971-10-23"),
        (24, "join_date", "1951-01-27"), (25, "join_date", "1968-10-16"),
    ],
)
def test_odd_date_formats_are_repaired(result, n, column, expected):
    assert clean_row(result, n)[column] == pd.Timestamp(expected)


def test_ggb_is_repaired_to_gb(result):
    assert clean_row(result, 26)["country_code"] == "GB"


def test_doubled_at_sign_is_repaired(result):
    assert clean_row(result, 27)["email_address"] == "oliver@gmail.com"


def test_repairs_count_the_values_repaired_in_the_clean_table(result):
    assert result.repairs == {
        "date_of_birth: dates in odd formats repaired": 3,
        "join_date: dates in odd formats repaired": 3,
        "country_code: GGB repaired to GB": 1,  # row 36's GGB went to quarantine with its row
        "email_address: doubled @@ repaired to @": 1,
    }


def test_traps_survive_unchanged(result):
    for row in TRAPS:
        got = clean_row(result, int(row["index"]))
        for column in CLEAN_COLUMNS:
            if column in ("date_of_birth", "join_date"):
                assert got[column] == pd.Timestamp(row[column])
            else:
                assert got[column] == row[column], column
    assert clean_row(result, 15)["join_date"] < clean_row(result, 15)["date_of_birth"]


def test_valid_row_is_unchanged_and_index_is_dropped(result):
    got = clean_row(result, 0)
    assert got["address"] == "Flat 1\n2 Church Road\nLeeds LS1 1AA"
    assert "index" not in result.clean.columns


def test_null_and_garbage_rows_are_quarantined_as_raw_text(result):
    assert reasons(result)["30"] == NULL_ROW_REASON
    assert reasons(result)["31"] == GARBAGE_ROW_REASON
    quarantined = result.quarantine.set_index("index")
    assert quarantined.loc["30", "first_name"] == "NULL"
    assert quarantined.loc["31", "user_uuid"] == GARBAGE_ROW["user_uuid"]


def test_a_date_in_an_unseen_format_is_quarantined_not_guessed(result):
    assert reasons(result)["32"] == "date_of_birth: not a date in a known format ('23.10.1971')"


def test_every_reason_of_a_row_is_given(result):
    given = reasons(result)["33"].split("; ")
    assert "join_date: not a date in a known format ('2015-13-01')" in given
    assert any(r.startswith("email_address: fails str_fullmatch") and r.endswith("('foo@')") for r in given)
    assert any(r.startswith("country: fails isin") and "'France'" in r for r in given)
    assert any(r.startswith("user_uuid: fails str_fullmatch") for r in given)


def test_country_code_must_match_country(result):
    assert reasons(result)["34"].startswith("country_code does not match country")


def test_an_unseen_country_code_typo_is_quarantined(result):
    assert reasons(result)["35"].startswith("country_code: fails isin") and "'GBB'" in reasons(result)["35"]


def test_duplicate_user_uuid_keeps_the_first_row(result):
    assert clean_row(result, 0)["first_name"] == "Oliver"
    assert reasons(result)["37"] == f"duplicate user_uuid '{uid(0)}': its first row is kept"


def test_a_missing_required_value_is_quarantined(result):
    assert reasons(result)["38"] == "company: missing"
