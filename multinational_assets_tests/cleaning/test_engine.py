"""clean_table: every raw row ends up kept or quarantined, and only rows that cannot be rows are
quarantined; unreadable values become null and are listed; doubts are reported, never dropped."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from multinational_assets.cleaning import (
    NULL_ROW,
    CleanResult,
    CleanSchemaError,
    Column,
    Plausibility,
    TableContract,
    clean_table,
)
from multinational_assets.cleaning.engine import _later_duplicates
from multinational_assets.parsing import Count, Date, Text, Uuid, Vocabulary

RAW = ("label", "id", "name", "born", "size", "colour")
TOY = TableContract(
    table="toys",
    raw_table="raw_toys",
    raw_columns=RAW,
    labels=("label",),
    key="toy_id",
    description="Toys.",
    quarantine_description="Toys that cannot be rows.",
    columns=(
        Column("toy_id", Uuid(), "The toy's id.", source="id"),
        Column("name", Text(), "The toy's name."),
        Column("born", Date(), "When it was made."),
        Column("size", Count(), "How big."),
        Column("colour", Vocabulary(values=("Red", "Blue"), name="colour"), "Its colour."),
    ),
    plausibility=(
        Plausibility("size_small", "Toys bigger than 100.", lambda f: f["size"].gt(100).fillna(False).astype(bool), ("size",)),
    ),
)


def uid(n: int) -> str:
    return f"{n:08x}-abcd-4ef0-8abc-{n:012x}"


def row(n: int, **fields) -> dict:
    values = {"label": str(n), "id": uid(n), "name": f"Toy {n}", "born": "2020-01-02", "size": "3", "colour": "Red"}
    return values | fields


def frame(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(RAW), dtype=object)


@pytest.fixture(scope="module")
def result() -> CleanResult:
    return clean_table(
        frame(
            row(1),
            row(2, id=uid(2).upper(), name="  Toy\u00a0 2 ", born="2 January 2020", colour="RED"),
            row(3, born="05/06/2020", size="lots"),  # values nobody can read: nulled, the row survives
            {c: "NULL" for c in RAW} | {"label": "4"},  # NULL row
            {"label": "5", "id": "N/A", "name": "None", "born": "", "size": None, "colour": "null"},  # NULL row, other markers
            dict(zip(RAW, ["6", *["#?!"] * 5])),  # garbage row: nothing reads, not even the key
            dict(zip(RAW, ["11", *["Q1W2E3R4T5"] * 5])),  # the generator's garbage: the name reads as text
            row(7, id="not-an-id"),  # no usable key
            row(8, id=None),  # no key at all
            row(1, name="A later toy 1"),  # duplicate key: the first row is kept
            row(9, name="???", born="garbage", size="x", colour="12345"),  # key, but nothing else reads
            row(10, size="500", colour="Green"),  # doubts: kept and reported
        ),
        TOY,
    )


def kept(result: CleanResult) -> pd.DataFrame:
    return result.clean.set_index("toy_id")


def test_every_raw_row_is_kept_or_quarantined(result):
    assert result.rows_in == 12
    assert len(result.clean) + len(result.quarantine) == 12
    assert set(kept(result).index) == {uid(1), uid(2), uid(3), uid(10)}


def test_spellings_are_read_to_clean_values(result):
    toy = kept(result).loc[uid(2)]
    assert toy["name"] == "Toy 2"
    assert toy["born"] == pd.Timestamp("2020-01-02")
    assert toy["colour"] == "Red"


def test_an_unreadable_value_becomes_null_and_is_listed_with_its_row_key(result):
    toy = kept(result).loc[uid(3)]
    assert pd.isna(toy["born"]) and pd.isna(toy["size"])
    assert toy["name"] == "Toy 3"  # the rest of the row survives
    rejected = result.rejected_values.set_index("column_name")
    assert list(result.rejected_values.columns) == ["table_name", "row_key", "column_name", "raw_value", "reason"]
    assert rejected.loc["born", "row_key"] == uid(3)
    assert rejected.loc["born", "raw_value"] == "05/06/2020"
    assert "ambiguous" in rejected.loc["born", "reason"]
    assert rejected.loc["size", "raw_value"] == "lots"
    assert set(result.rejected_values["table_name"]) == {"toys"}


def test_rows_that_cannot_be_rows_are_quarantined_with_why(result):
    reasons = result.quarantine.set_index("label")["reasons"]
    assert reasons["4"] == NULL_ROW and reasons["5"] == NULL_ROW
    assert reasons["6"].startswith("garbage row: no field reads as its type")
    assert reasons["11"].startswith("no usable key: toy_id not a UUID")
    assert reasons["7"].startswith("no usable key: toy_id not a UUID") and "'not-an-id'" in reasons["7"]
    assert reasons["8"] == "no usable key: toy_id missing"
    assert reasons["9"] == "garbage row: no field besides toy_id reads as its type"
    assert reasons["1"].startswith(f"duplicate toy_id '{uid(1)}'")
    assert kept(result).loc[uid(1), "name"] == "Toy 1"


def test_quarantine_keeps_the_raw_text_and_the_readable_key(result):
    q = result.quarantine.set_index("label")
    assert list(result.quarantine.columns) == [*RAW, "reasons", "row_key"]
    assert q.loc["11", "name"] == "Q1W2E3R4T5"
    assert q.loc["4", "id"] == "NULL"
    assert q.loc["9", "row_key"] == uid(9)
    assert pd.isna(q.loc["7", "row_key"])


def test_doubts_are_counted_and_shown_never_dropped(result):
    doubts = {d.name: d for d in result.doubts}
    assert set(doubts) == {"colour_is_known", "size_small"}
    assert doubts["colour_is_known"].rows == 1
    assert doubts["colour_is_known"].examples.to_dict("records") == [{"toy_id": uid(10), "colour": "Green"}]
    assert doubts["size_small"].rows == 1
    assert kept(result).loc[uid(10), "colour"] == "Green"
    assert result.warnings == 2


def test_repairs_are_counted_on_kept_rows_only(result):
    assert result.repairs["toy_id: read from another UUID spelling"] == 1
    assert result.repairs["name: spacing or Unicode normalised"] == 1
    assert result.repairs["born: read from another date format"] == 1
    assert result.repairs["colour: case, spacing or punctuation matched to the known value"] == 1
    assert not any(rule.startswith("name: missing") for rule in result.repairs)  # row 5 is quarantined


def test_the_clean_frame_has_the_contracts_columns_and_dtypes(result):
    assert list(result.clean.columns) == ["toy_id", "name", "born", "size", "colour"]
    assert str(result.clean["born"].dtype) == "datetime64[ns]"
    assert str(result.clean["size"].dtype) == "Int64"
    assert isinstance(result.clean["name"].dtype, pd.StringDtype)


def test_empty_and_all_null_input():
    empty = clean_table(frame(), TOY)
    assert len(empty.clean) == len(empty.quarantine) == len(empty.rejected_values) == 0
    nothing = clean_table(frame({c: None for c in RAW}, {c: None for c in RAW}), TOY)
    assert len(nothing.clean) == 0 and list(nothing.quarantine["reasons"]) == [NULL_ROW, NULL_ROW]


def test_arrow_backed_and_python_text_give_the_same_result(result):
    rows = frame(row(1), row(2, born="January 2020 02"), row(3, size="1,234"))
    python = clean_table(rows, TOY)
    arrow = clean_table(rows.astype(pd.StringDtype("pyarrow")), TOY)
    pd.testing.assert_frame_equal(python.clean, arrow.clean)


def test_a_raw_frame_without_the_contracts_columns_is_refused():
    with pytest.raises(ValueError, match=r"missing \['colour'\], unexpected \['color'\]"):
        clean_table(frame(row(1)).rename(columns={"colour": "color"}), TOY)


def test_a_contract_must_name_its_key_and_read_existing_raw_columns():
    with pytest.raises(ValueError, match="key 'nope'"):
        TableContract("t", "r", ("a",), "nope", (Column("a", Text(), "A."),), "T.", "Q.")
    with pytest.raises(ValueError, match=r"raw columns it does not have: \['b'\]"):
        TableContract("t", "r", ("a",), "a", (Column("a", Text(), "A.", source="b"),), "T.", "Q.")


def test_a_bug_that_breaks_the_contract_raises_a_readable_error(monkeypatch):
    from multinational_assets.cleaning import engine

    real = engine.pandas_frame
    # A bug: the clean frame's count column made text.
    monkeypatch.setattr(engine, "pandas_frame", lambda *a, **k: real(*a, **k).assign(n=lambda f: f["n"].astype(object)))
    contract = TableContract(
        "t", "r", ("id", "n"), "id", (Column("id", Uuid(), "Id."), Column("n", Count(), "N.")), "T.", "Q."
    )
    with pytest.raises(CleanSchemaError, match="the clean t frame does not satisfy its contract"):
        clean_table(pd.DataFrame({"id": [uid(1)], "n": ["1"]}), contract)


@given(
    keys=st.lists(st.one_of(st.none(), st.sampled_from(["a", "b", "c", "é", "", "a "]), st.text(max_size=3)), max_size=60),
    chunks=st.integers(1, 3),
    data=st.data(),
)
def test_only_later_repeats_of_a_candidate_key_are_duplicates(keys, chunks, data):
    """The first candidate row of each key is kept and every later one is a duplicate, whatever the
    keys' order, chunking or repeats (checked against pandas' `duplicated`)."""
    candidate = np.array(data.draw(st.lists(st.booleans(), min_size=len(keys), max_size=len(keys))), dtype=bool)
    candidate &= np.array([k is not None for k in keys], dtype=bool)  # a candidate has a usable key
    size = -(-len(keys) // chunks) or 1
    arrow = pa.chunked_array([pa.array(keys[i : i + size], pa.string()) for i in range(0, len(keys), size)], pa.string())
    expected = np.zeros(len(keys), bool)
    rows = np.flatnonzero(candidate)
    expected[rows] = pd.Series([keys[r] for r in rows], dtype=object).duplicated(keep="first").to_numpy()
    assert (_later_duplicates(arrow, candidate) == expected).all()


def test_a_doubt_that_flags_nothing_has_no_examples():
    contract = TableContract(
        "t", "r", ("id", "n"), "id", (Column("id", Uuid(), "Id."), Column("n", Count(), "N.")), "T.", "Q.",
        plausibility=(Plausibility("n_negative", "Negative counts.", lambda f: f["n"] < 0, ("n",)),),
    )
    result = clean_table(pd.DataFrame({"id": [uid(1), uid(2)], "n": ["1", "-2"]}), contract)
    assert result.doubts[0].rows == 1 and result.doubts[0].examples.to_dict("records") == [{"id": uid(2), "n": -2}]
    nothing = clean_table(pd.DataFrame({"id": [uid(1)], "n": ["1"]}), contract)
    assert nothing.doubts[0].rows == 0 and nothing.doubts[0].examples is None
