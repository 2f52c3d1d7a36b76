"""Schema drift in the legacy database: which changes fail the read (naming the column and both
types), and which are read past and reported. No database: the comparison alone."""

from __future__ import annotations

import pytest

from multinational_assets.clients.legacy_database import schema_drift
from multinational_assets.sources.orders.source import SOURCE_COLUMNS as ORDERS

EXPECTED = {"index": "bigint", "phone_number": "text", "weight": "double precision"}


@pytest.mark.parametrize(
    ("found", "message"),
    [
        ({"index": "bigint", "phone_number": "integer", "weight": "double precision"},
         "column 'phone_number' is integer, was text"),
        ({"index": "numeric", "phone_number": "text", "weight": "double precision"},
         "column 'index' is numeric, was bigint"),
        ({"index": "bigint", "phone_number": "text", "weight": "bigint"}, "column 'weight' is bigint, was double precision"),
        ({"index": "bigint", "phone": "text", "weight": "double precision"}, "column(s) 'phone_number' (text) gone"),
    ],
    ids=["text-to-integer", "integer-to-numeric", "decimal-to-integer", "renamed"],
)
def test_a_retyped_or_renamed_column_is_a_problem_naming_it_and_both_types(found, message):
    problems, _ = schema_drift(EXPECTED, found)
    assert message in problems


def test_a_rename_names_the_new_column_too():
    problems, _ = schema_drift(EXPECTED, {"index": "bigint", "phone": "text", "weight": "double precision"})
    assert problems == ["column(s) 'phone_number' (text) gone", "new column(s) 'phone' (text) (renamed?)"]


def test_an_added_column_is_noted_and_read_past():
    problems, notes = schema_drift(EXPECTED, {**EXPECTED, "loyalty_tier": "text"})
    assert problems == [] and notes == {"ignored_new_columns": "loyalty_tier (text)"}


@pytest.mark.parametrize(
    "same", [{"phone_number": "character varying"}, {"index": "integer"}, {"weight": "real"}, {"index": "BIGINT"}]
)
def test_a_type_of_the_same_family_is_not_drift(same):
    assert schema_drift(EXPECTED, {**EXPECTED, **same}) == ([], {})


def test_a_column_now_text_reads_the_same_and_is_noted():
    problems, notes = schema_drift(ORDERS, {**ORDERS, "card_number": "text"})
    assert problems == [] and notes == {"columns_now_text": "card_number (bigint -> text)"}
