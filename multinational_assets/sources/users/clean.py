"""Clean `legacy_users` into `dim_users`: pure pandas, no Dagster."""

from __future__ import annotations

import pandas as pd

from multinational_assets.cleaning import CleanResult, TableCleaning
from multinational_assets.sources.users.schemas import CLEAN_COLUMNS, DIM_USERS_SCHEMA, KEY

RAW_COLUMNS = [
    "index", "first_name", "last_name", "date_of_birth", "company", "email_address", "address",
    "country", "country_code", "phone_number", "join_date", "user_uuid",
]

RULE_COUNTRY_CODE = "country_code: GGB repaired to GB"
RULE_EMAIL = "email_address: doubled @@ repaired to @"


def clean_users(raw: pd.DataFrame) -> CleanResult:
    """Clean the raw `legacy_users` rows into `dim_users`.

    Repairs: dates of birth and join dates in the three odd formats, country code `GGB` -> `GB`,
    `@@` -> `@` in e-mail addresses. The source's `index` is dropped. NULL rows, garbage rows and
    rows that still fail `DIM_USERS_SCHEMA` are quarantined with every reason; of rows sharing a
    `user_uuid` the first is kept.
    """
    run = TableCleaning(raw, table="dim_users", raw_columns=RAW_COLUMNS, label_columns=["index"])
    src = run.candidate
    out = src[["user_uuid", "first_name", "last_name", "company", "address", "country",
               "phone_number"]].copy()

    out["date_of_birth"] = run.dates(src["date_of_birth"], "date_of_birth")
    out["join_date"] = run.dates(src["join_date"], "join_date")

    code = src["country_code"]
    ggb = code.eq("GGB")
    out["country_code"] = code.where(~ggb, "GB")
    run.repaired(RULE_COUNTRY_CODE, ggb)

    email = src["email_address"]
    doubled = email.str.contains("@@", regex=False).eq(True)
    # Only the doubled '@' is touched; an address that still is not one is rejected by the schema.
    out["email_address"] = email.where(~doubled, email.str.replace("@@", "@", regex=False))
    run.repaired(RULE_EMAIL, doubled)

    return run.finish(out[CLEAN_COLUMNS], DIM_USERS_SCHEMA, key=KEY)
