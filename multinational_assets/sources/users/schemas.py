"""The clean `dim_users` table's schema (docs/architecture.md, "Clean tables")."""

from __future__ import annotations

import pandera.pandas as pa

from multinational_assets.cleaning import (
    COUNTRY_CODES,
    UUID_PATTERN,
    calendar_date_checks,
    str_fullmatch,
    text_column,
)

CLEAN_COLUMNS = [
    "user_uuid", "first_name", "last_name", "date_of_birth", "company", "email_address", "address",
    "country", "country_code", "phone_number", "join_date",
]
KEY = "user_uuid"

COUNTRY_CODE_OF = {"United Kingdom": "GB", "Germany": "DE", "United States": "US"}
# One '@', something before it, a dotted domain after it, no blanks anywhere.
EMAIL_PATTERN = r"[^@\s]+@[^@\s]+\.[^@\s]+"


def _country_code_matches_country(df):
    expected = df["country"].map(COUNTRY_CODE_OF)
    # Unknown countries or codes fail their own isin checks; only known pairs are judged here.
    judged = expected.notna() & df["country_code"].isin(COUNTRY_CODES)
    return ~judged | df["country_code"].eq(expected)


# Names (`Klaus-D.`, `O'Connor`), companies, multi-line addresses and phone numbers in any local
# format are free text on purpose: section 3 of source-world.md lists them as valid.
DIM_USERS_SCHEMA = pa.DataFrameSchema(
    {
        "user_uuid": text_column(str_fullmatch(UUID_PATTERN), unique=True),
        "first_name": text_column(),
        "last_name": text_column(),
        "date_of_birth": pa.Column("datetime64[ns]", calendar_date_checks(), nullable=False),
        "company": text_column(),
        "email_address": text_column(str_fullmatch(EMAIL_PATTERN)),
        "address": text_column(),
        "country": text_column(pa.Check.isin(list(COUNTRY_CODE_OF))),
        "country_code": text_column(pa.Check.isin(list(COUNTRY_CODES))),
        "phone_number": text_column(pa.Check.str_contains(r"[0-9]")),
        # A join date before the date of birth is kept as the source says (source-world.md §3).
        "join_date": pa.Column("datetime64[ns]", calendar_date_checks(), nullable=False),
    },
    checks=[
        pa.Check(
            _country_code_matches_country,
            name="country_code_matches_country",
            error="country_code does not match country (United Kingdom GB, Germany DE, United States US)",
        )
    ],
    strict=True,
    ordered=True,
    name="dim_users",
)
