"""clean_card_details: the card_details.pdf table -> dim_card_details.

One hand-written raw frame, cleaned once per module, holds a row for every repair rule, every trap
and every kind of unrecoverable row.
"""

from __future__ import annotations

import pandas as pd
import pytest

from multinational_assets.cleaning import GARBAGE_ROW_REASON, NULL_ROW_REASON
from multinational_assets.sources.card_details.clean import RAW_COLUMNS, clean_card_details
from multinational_assets.sources.card_details.schemas import CLEAN_COLUMNS, DIM_CARD_DETAILS_SCHEMA

pytestmark = pytest.mark.filterwarnings("error::FutureWarning:multinational_assets")


def card(number: str, provider: str = "VISA 16 digit", expiry: str = "09/26",
         paid: str = "2015-11-25", page: str = "1") -> dict:
    return {"page": page, "card_number": number, "expiry_date": expiry, "card_provider": provider,
            "date_payment_confirmed": paid}


VALID = [
    card("4971858637664481"),
    card("4252720361802860591", "VISA 19 digit"),
    card("4217347542710", "VISA 13 digit"),
    card("3554954842403411", "JCB 16 digit"),
    card("180074383417290", "JCB 15 digit"),
    card("30060773296197", "Diners Club / Carte Blanche"),
    card("374927633741758", "American Express"),
    card("6011432281891202", "Discover"),
    card("2604765645700816", "Mastercard"),
]
SHORT_MAESTRO = [  # trap: leading zeros lost upstream; valid as they are
    card("675964912239", "Maestro"),
    card("60412345678", "Maestro"),
    card("604123456", "Maestro"),
]
REPAIRABLE = [
    card("?4971858637664482"),
    card("??4971858637664483"),
    card("???4971858637664484"),
    card("????4971858637664485"),
    card("4971858637664486", paid="2015/11/25"),
    card("4971858637664487", paid="January 2001 07"),
    card("4971858637664488", paid="2001 March 09"),
]
NULL_ROW = card("NULL", "NULL", "NULL", "NULL", page="2")
GARBAGE_ROW = card("Q1W2E3R4T5", "ZZZZZZZZZ9", "A1B2C3D4E5", "0000000000", page="2")
UNRECOVERABLE = {
    "null": NULL_ROW,
    "garbage": GARBAGE_ROW,
    "five ?": card("?????4971858637664489"),
    "letters": card("4971A58637664490"),
    "unseen date": card("4971858637664491", paid="23.10.1971"),
    "expiry": card("4971858637664492", expiry="13/26"),
    "provider": card("4971858637664493", "VISA 17 digit"),
    "length": card("497185863766449", "VISA 16 digit"),
    "duplicate": card("?4971858637664481", "VISA 16 digit", "01/30"),
}
ROWS = [*VALID, *SHORT_MAESTRO, *REPAIRABLE, *UNRECOVERABLE.values()]


@pytest.fixture(scope="module")
def result():
    return clean_card_details(pd.DataFrame(ROWS, columns=RAW_COLUMNS, dtype=object))


def clean_row(result, number: str) -> pd.Series:
    match = result.clean[result.clean["card_number"] == number]
    assert len(match) == 1, f"{number} is not clean"
    return match.iloc[0]


def reason(result, row: dict) -> str:
    q = result.quarantine
    match = q[(q["card_number"] == row["card_number"]) & (q["expiry_date"] == row["expiry_date"])]
    assert len(match) == 1
    return match["reasons"].iloc[0]


def test_contract_columns_and_dtypes(result):
    assert list(result.clean.columns) == CLEAN_COLUMNS
    assert result.clean.dtypes.astype(str).to_dict() == {
        "card_number": "object", "expiry_date": "object", "card_provider": "object",
        "date_payment_confirmed": "datetime64[ns]",
    }
    DIM_CARD_DETAILS_SCHEMA.validate(result.clean)
    assert list(result.quarantine.columns) == RAW_COLUMNS + ["reasons"]


def test_rows_in_equals_clean_plus_quarantine(result):
    assert result.rows_in == len(ROWS) == len(result.clean) + len(result.quarantine)
    assert len(result.quarantine) == len(UNRECOVERABLE)


def test_valid_cards_and_short_maestro_numbers_survive_unchanged(result):
    for row in VALID + SHORT_MAESTRO:
        got = clean_row(result, row["card_number"])
        assert got["card_provider"] == row["card_provider"]
        assert got["expiry_date"] == row["expiry_date"]
        assert got["date_payment_confirmed"] == pd.Timestamp(row["date_payment_confirmed"])


def test_question_mark_prefixes_are_removed(result):
    for number in ["4971858637664482", "4971858637664483", "4971858637664484", "4971858637664485"]:
        clean_row(result, number)
    assert result.repairs["card_number: leading '?' characters removed"] == 4


def test_odd_payment_dates_are_repaired(result):
    assert clean_row(result, "4971858637664486")["date_payment_confirmed"] == pd.Timestamp("2015-11-25")
    assert clean_row(result, "4971858637664487")["date_payment_confirmed"] == pd.Timestamp("2001-01-07")
    assert clean_row(result, "4971858637664488")["date_payment_confirmed"] == pd.Timestamp("2001-03-09")
    assert result.repairs["date_payment_confirmed: dates in odd formats repaired"] == 3


def test_page_is_dropped(result):
    assert "page" not in result.clean.columns


def test_null_and_garbage_rows_are_quarantined(result):
    assert reason(result, NULL_ROW) == NULL_ROW_REASON
    assert reason(result, GARBAGE_ROW) == GARBAGE_ROW_REASON


def test_unrecoverable_cards_are_quarantined_with_clear_reasons(result):
    assert reason(result, UNRECOVERABLE["five ?"]).startswith("card_number: fails str_fullmatch")
    assert reason(result, UNRECOVERABLE["letters"]).startswith("card_number: fails str_fullmatch")
    assert reason(result, UNRECOVERABLE["unseen date"]) == (
        "date_payment_confirmed: not a date in a known format ('23.10.1971')"
    )
    assert reason(result, UNRECOVERABLE["expiry"]).startswith("expiry_date: fails str_fullmatch")
    assert reason(result, UNRECOVERABLE["provider"]).startswith("card_provider: fails isin")
    assert reason(result, UNRECOVERABLE["length"]) == (
        "card_number has the wrong number of digits for its card_provider"
    )


def test_a_repaired_number_that_duplicates_an_earlier_card_is_quarantined(result):
    assert clean_row(result, "4971858637664481")["expiry_date"] == "09/26"
    assert reason(result, UNRECOVERABLE["duplicate"]) == (
        "duplicate card_number '4971858637664481': its first row is kept"
    )
