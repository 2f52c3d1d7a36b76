"""`dim_card_details`, declared once: one row per payment card, cleaned from the card-details PDF."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from multinational_assets.cleaning import CleanResult, Column, Plausibility, TableContract, clean_table
from multinational_assets.cleaning.domain import after_today, before_1900
from multinational_assets.parsing import Date, Digits, ExpiryMonth, Vocabulary
from multinational_assets.parsing.text import arrow_text, flags
from multinational_assets.sources.card_details.source import SOURCE

# ISO/IEC 7812 card numbers have 8 to 19 digits (Maestro numbers can be as short as 9 here, having
# lost leading zeros in the company's BIGINT columns).
CARD_NUMBER = Digits(min_digits=8, max_digits=19, name="card number")

# The number of digits each provider issues: its own length where its name says it, the industry's
# range elsewhere. A card that does not fit is still the card its orders used: it is reported.
PROVIDER_LENGTHS: dict[str, tuple[int, int]] = {
    "VISA 16 digit": (16, 16),
    "VISA 13 digit": (13, 13),
    "VISA 19 digit": (19, 19),
    "JCB 16 digit": (16, 16),
    "JCB 15 digit": (15, 15),
    "Diners Club / Carte Blanche": (14, 19),
    "American Express": (15, 15),
    "Maestro": (8, 19),
    "Discover": (16, 19),
    "Mastercard": (16, 16),
}
CARD_PROVIDER = Vocabulary(values=tuple(PROVIDER_LENGTHS), synonyms=(("Amex", "American Express"),), name="card provider")


_PROVIDERS = pa.array(list(PROVIDER_LENGTHS), pa.string())
_LOWEST, _HIGHEST = (pa.array(lengths, pa.int32()) for lengths in zip(*PROVIDER_LENGTHS.values()))


def _length_does_not_fit_provider(frame: pd.DataFrame) -> pd.Series:
    # In Arrow: the provider's lengths looked up by its position in the list (null when unlisted).
    length = pc.utf8_length(arrow_text(frame["card_number"]))
    provider = pc.index_in(arrow_text(frame["card_provider"]), value_set=_PROVIDERS)
    too_short = pc.less(length, pc.take(_LOWEST, provider))
    too_long = pc.greater(length, pc.take(_HIGHEST, provider))
    return pd.Series(flags(pc.or_(too_short, too_long)), index=frame.index)


DIM_CARD_DETAILS = TableContract(
    table="dim_card_details",
    raw_table=SOURCE.raw_table,
    raw_columns=SOURCE.raw_columns,
    labels=("page",),
    key="card_number",
    description="One row per payment card, with card numbers, expiry months and payment dates read in every spelling.",
    quarantine_description="Card rows from the PDF that cannot be a row (no usable card number, or nothing readable), with why.",
    columns=(
        Column("card_number", CARD_NUMBER, "The card's number: every digit, kept as text."),
        Column("expiry_date", ExpiryMonth(), "The month the card expires (MM/YY)."),
        Column("card_provider", CARD_PROVIDER, "Who issued the card."),
        Column("date_payment_confirmed", Date(), "The day the card's payment details were confirmed."),
    ),
    plausibility=(
        Plausibility(
            "card_number_length_fits_provider",
            "Cards whose number of digits is not what their provider issues (kept: orders use them).",
            _length_does_not_fit_provider,
            ("card_provider",),
        ),
        Plausibility(
            "payment_date_plausible",
            "Cards whose payment was confirmed before 1900 or after today.",
            lambda f: before_1900(f["date_payment_confirmed"]) | after_today(f["date_payment_confirmed"]),
            ("date_payment_confirmed",),
        ),
    ),
)


def clean_card_details(raw) -> CleanResult:
    """Clean the raw card rows read from the PDF into `dim_card_details`."""
    return clean_table(raw, DIM_CARD_DETAILS)
