"""Clean the card details read from `card_details.pdf` into `dim_card_details`: pure pandas."""

from __future__ import annotations

import pandas as pd

from multinational_assets.cleaning import CleanResult, TableCleaning
from multinational_assets.sources.card_details.schemas import (
    CLEAN_COLUMNS,
    DIM_CARD_DETAILS_SCHEMA,
    KEY,
)

RAW_COLUMNS = ["page", "card_number", "expiry_date", "card_provider", "date_payment_confirmed"]

RULE_QUESTION_MARKS = "card_number: leading '?' characters removed"
# The source's dirt is a prefix of 1 to 4 '?'; a longer run is unseen dirt and left to the schema.
_QUESTION_PREFIX = r"\?{1,4}[0-9]+"


def clean_card_details(raw: pd.DataFrame) -> CleanResult:
    """Clean the raw card rows into `dim_card_details`.

    Repairs: card numbers prefixed with 1 to 4 `?` lose the prefix; payment dates in the three odd
    formats. The PDF `page` is dropped. Short Maestro numbers are kept as they are. NULL rows,
    garbage rows and rows that still fail `DIM_CARD_DETAILS_SCHEMA` are quarantined with every
    reason; of rows sharing a `card_number` the first is kept.
    """
    run = TableCleaning(raw, table="dim_card_details", raw_columns=RAW_COLUMNS, label_columns=["page"])
    src = run.candidate
    out = src[["expiry_date", "card_provider"]].copy()

    number = src["card_number"]
    prefixed = number.str.fullmatch(_QUESTION_PREFIX).eq(True)
    out["card_number"] = number.where(~prefixed, number.str.lstrip("?"))
    run.repaired(RULE_QUESTION_MARKS, prefixed)

    out["date_payment_confirmed"] = run.dates(src["date_payment_confirmed"], "date_payment_confirmed")
    return run.finish(out[CLEAN_COLUMNS], DIM_CARD_DETAILS_SCHEMA, key=KEY)
