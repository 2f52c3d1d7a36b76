"""The clean `dim_card_details` table's schema (docs/architecture.md, "Clean tables")."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from multinational_assets.cleaning import calendar_date_checks, str_fullmatch, text_column

CLEAN_COLUMNS = ["card_number", "expiry_date", "card_provider", "date_payment_confirmed"]
KEY = "card_number"

# Digits only. Maestro numbers lost leading zeros in the company's BIGINT columns, so they can be
# as short as 9 digits (source-world.md §2); a little slack below that keeps a rarer zero run valid.
CARD_NUMBER_PATTERN = r"[0-9]{6,19}"
EXPIRY_PATTERN = r"(?:0[1-9]|1[0-2])/[0-9]{2}"

# Allowed number lengths (min, max) per provider: the provider's own length where its name says it,
# the industry's range elsewhere.
PROVIDER_LENGTHS: dict[str, tuple[int, int]] = {
    "VISA 16 digit": (16, 16),
    "VISA 13 digit": (13, 13),
    "VISA 19 digit": (19, 19),
    "JCB 16 digit": (16, 16),
    "JCB 15 digit": (15, 15),
    "Diners Club / Carte Blanche": (14, 19),
    "American Express": (15, 15),
    "Maestro": (6, 19),
    "Discover": (16, 19),
    "Mastercard": (16, 16),
}
PROVIDERS = list(PROVIDER_LENGTHS)


def _length_fits_provider(df: pd.DataFrame) -> pd.Series:
    number = df["card_number"]
    length = number.str.len()
    low = df["card_provider"].map({p: lo for p, (lo, _) in PROVIDER_LENGTHS.items()})
    high = df["card_provider"].map({p: hi for p, (_, hi) in PROVIDER_LENGTHS.items()})
    # Unknown providers and numbers that are not digits fail their own column checks; only the
    # rest are judged here, so no row is blamed twice for one fault.
    judged = low.notna() & number.str.fullmatch(CARD_NUMBER_PATTERN).eq(True)
    return ~judged | (length.ge(low) & length.le(high))


DIM_CARD_DETAILS_SCHEMA = pa.DataFrameSchema(
    {
        "card_number": text_column(str_fullmatch(CARD_NUMBER_PATTERN), unique=True),
        "expiry_date": text_column(str_fullmatch(EXPIRY_PATTERN)),
        "card_provider": text_column(pa.Check.isin(PROVIDERS)),
        "date_payment_confirmed": pa.Column(
            "datetime64[ns]", calendar_date_checks(), nullable=False
        ),
    },
    checks=[
        pa.Check(
            _length_fits_provider,
            name="card_number_length_fits_provider",
            error="card_number has the wrong number of digits for its card_provider",
        )
    ],
    strict=True,
    ordered=True,
    name="dim_card_details",
)
