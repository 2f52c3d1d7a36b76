"""clean_card_details: the card-details PDF's rows -> dim_card_details, on hand-written rows."""

from __future__ import annotations

import pandas as pd
import pytest

from multinational_assets.cleaning import NULL_ROW
from multinational_assets.sources.card_details.clean import DIM_CARD_DETAILS, clean_card_details
from multinational_assets.sources.card_details.source import RAW_COLUMNS


def card(number: str, provider: str = "VISA 16 digit", **fields) -> dict:
    row = {"page": "1", "card_number": number, "expiry_date": "09/26", "card_provider": provider,
           "date_payment_confirmed": "2015-11-25"}
    return row | fields


ROWS = [
    card("4111111111111111"),
    card("501812345", "Maestro"),  # a short Maestro number: valid
    card("??4222222222222222"),  # the generator's dirt
    card("4333333333333333", date_payment_confirmed="2015 November 25"),
    card("4444 4444 4444 4444", "visa 16 DIGIT", expiry_date="9/2026"),  # spellings it never writes
    card("#4555-5555-5555-5555", "Visa_16_Digit", expiry_date="09-26", date_payment_confirmed="Nov 25, 2015"),
    card("4666666666666666.0", "Diners Club/Carte Blanche"),
    card("37000000000002", "American Express"),  # 14 digits for Amex: kept, flagged (orders use it)
    card("4777777777777777", "Discovery Card", expiry_date="13/26"),  # unknown provider; no such month
    {c: "NULL" for c in RAW_COLUMNS} | {"page": "2"},
    dict(zip(RAW_COLUMNS, ["2", "Q1W2E3R4T5", "Q1W2E3R4T6", "Q1W2E3R4T7", "Q1W2E3R4T8"])),
    card("4111 1111 1111 1111"),  # the first card again, spelled otherwise
    card("4A11111111111111"),  # letters inside a card number are never dropped
]


@pytest.fixture(scope="module")
def result():
    return clean_card_details(pd.DataFrame(ROWS, columns=RAW_COLUMNS, dtype=object))


def kept(result, number: str) -> pd.Series:
    return result.clean.set_index("card_number").loc[number]


def test_contract_columns(result):
    assert list(result.clean.columns) == DIM_CARD_DETAILS.names
    assert result.rows_in == len(result.clean) + len(result.quarantine) == len(ROWS)


def test_every_spelling_of_a_number_reads_to_its_digits(result):
    for digits in ("4111111111111111", "501812345", "4222222222222222", "4444444444444444",
                   "4555555555555555", "4666666666666666"):
        assert digits in result.clean["card_number"].tolist()


def test_providers_expiry_months_and_dates_are_read(result):
    assert kept(result, "4444444444444444")[["card_provider", "expiry_date"]].tolist() == ["VISA 16 digit", "09/26"]
    assert kept(result, "4555555555555555")["card_provider"] == "VISA 16 digit"
    assert kept(result, "4555555555555555")["date_payment_confirmed"] == pd.Timestamp("2015-11-25")
    assert kept(result, "4333333333333333")["date_payment_confirmed"] == pd.Timestamp("2015-11-25")
    assert kept(result, "4666666666666666")["card_provider"] == "Diners Club / Carte Blanche"


def test_a_card_whose_length_does_not_fit_its_provider_is_kept_and_reported(result):
    doubts = {d.name: d for d in result.doubts}
    assert kept(result, "37000000000002")["card_provider"] == "American Express"
    assert doubts["card_number_length_fits_provider"].rows == 1
    assert doubts["card_number_length_fits_provider"].examples["card_number"].tolist() == ["37000000000002"]


def test_unknown_provider_is_kept_and_impossible_month_rejected(result):
    row = kept(result, "4777777777777777")
    assert row["card_provider"] == "Discovery Card" and pd.isna(row["expiry_date"])
    assert {d.name: d.rows for d in result.doubts}["card_provider_is_known"] == 1
    assert result.rejected_values[["column_name", "raw_value"]].values.tolist() == [["expiry_date", "13/26"]]


def test_rows_that_cannot_be_rows_are_quarantined(result):
    reasons = result.quarantine["reasons"].tolist()
    assert reasons[0] == NULL_ROW
    assert reasons[1].startswith("garbage row") or reasons[1].startswith("no usable key")
    assert reasons[2].startswith("duplicate card_number '4111111111111111'")
    assert "has letters" in reasons[3]
    assert len(reasons) == 4
