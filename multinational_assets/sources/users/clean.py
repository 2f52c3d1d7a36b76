"""`dim_users`, declared once: one row per customer, cleaned from the legacy `legacy_users` table."""

from __future__ import annotations

from multinational_assets.cleaning import CleanResult, Column, Plausibility, TableContract, clean_table
from multinational_assets.cleaning.domain import (
    COUNTRY,
    COUNTRY_CODE,
    COUNTRY_NAME_OF,
    after_today,
    before_1900,
    disagrees_with,
)
from multinational_assets.parsing import Date, Email, Text, Uuid
from multinational_assets.sources.users.source import SOURCE

USER_UUID = Uuid()

DIM_USERS = TableContract(
    table="dim_users",
    raw_table=SOURCE.raw_table,
    raw_columns=SOURCE.raw_columns,
    labels=("index",),
    key="user_uuid",
    description="One row per customer, with dates, e-mail addresses and country codes read in every spelling.",
    quarantine_description="Customer records that cannot be a row (no usable id, or nothing readable), with why.",
    columns=(
        Column("user_uuid", USER_UUID, "The customer's id."),
        # Names, companies, multi-line addresses and phone numbers in any local format are free text:
        # `Klaus-D.`, `O'Connor` and `+44(0)121 4960340` are all valid as they are.
        Column("first_name", Text(), "The customer's first name."),
        Column("last_name", Text(), "The customer's last name."),
        Column("date_of_birth", Date(), "The customer's date of birth."),
        Column("company", Text(), "The company the customer works for."),
        Column("email_address", Email(), "The customer's e-mail address."),
        Column("address", Text(multiline_text=True), "The customer's postal address, one line per line."),
        Column("country", COUNTRY, "The country the customer lives in."),
        Column("country_code", COUNTRY_CODE, "The ISO code of the customer's country."),
        Column("phone_number", Text(), "The customer's phone number, as written in their country."),
        Column("join_date", Date(), "The day the customer joined."),
    ),
    plausibility=(
        Plausibility(
            "country_code_matches_country",
            "Customers whose country code is not their country's (United Kingdom GB, Germany DE, United States US).",
            lambda f: disagrees_with(f["country_code"], f["country"], {v: k for k, v in COUNTRY_NAME_OF.items()}),
            ("country", "country_code"),
        ),
        Plausibility(
            "joined_after_birth",
            "Customers who joined before they were born, as the source says (kept as they are).",
            lambda f: (f["join_date"] < f["date_of_birth"]).fillna(False),
            ("date_of_birth", "join_date"),
        ),
        Plausibility(
            "dates_plausible",
            "Customers born before 1900, or born or joined after today.",
            lambda f: before_1900(f["date_of_birth"]) | after_today(f["date_of_birth"]) | after_today(f["join_date"]),
            ("date_of_birth", "join_date"),
        ),
    ),
)


def clean_users(raw) -> CleanResult:
    """Clean the raw `legacy_users` rows into `dim_users`."""
    return clean_table(raw, DIM_USERS)
