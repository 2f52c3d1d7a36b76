"""Warehouse tables: exact round-trips, quoting, types, atomic replace, concurrency."""

import threading

import pandas as pd
import psycopg
import pytest

from multinational_assets.warehouse import read_table, replace_table
from multinational_assets.warehouse import tables as wh
from multinational_assets_tests.hostile_values import hostile_frame
from multinational_assets_tests.scratch_postgres import database  # noqa: F401 - fixture


@pytest.fixture
def conn(database):
    with psycopg.connect(database) as connection:
        yield connection


def test_round_trip_is_exact_for_hostile_values(conn):
    df = hostile_frame()
    replace_table(conn, "raw", "hostile", df)
    back = read_table(conn, "raw", "hostile")
    pd.testing.assert_frame_equal(back, df)
    # empty string and null stay different, and the literal strings survive
    assert back.loc[2, "index"] == "" and back.loc[1, "index"] is None
    assert back.loc[3, "index"] == "NULL" and back.loc[4, "index"] == "\\N"


def test_types_in_postgres_follow_the_dtypes(conn):
    replace_table(conn, "raw", "hostile", hostile_frame())
    rows = conn.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema='raw' AND table_name='hostile' ORDER BY ordinal_position"
    ).fetchall()
    assert rows == [
        ("index", "text"),
        ("EAN", "text"),
        ("1", "double precision"),
        ("select", "bigint"),
        ('we"ird col', "boolean"),
        ("day", "date"),
        ("at", "timestamp without time zone"),
    ]


def test_failed_load_leaves_previous_table_whole(conn, monkeypatch):
    old = pd.DataFrame({"n": range(1000)})
    replace_table(conn, "raw", "atomic", old)

    def half_then_fail(table):
        yield b'"1"\n"2"\n"3"\n'
        raise RuntimeError("connection lost half-way")

    monkeypatch.setattr(wh, "csv_chunks", half_then_fail)
    with pytest.raises(RuntimeError, match="half-way"):
        replace_table(conn, "raw", "atomic", pd.DataFrame({"n": range(5000)}))
    monkeypatch.undo()
    pd.testing.assert_frame_equal(read_table(conn, "raw", "atomic"), old)
    leftovers = conn.execute("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'atomic__%'").fetchone()[0]
    assert leftovers == 0


def test_concurrent_loads_leave_one_whole_table(database):
    frames = [pd.DataFrame({"who": [f"writer{i}"] * 20_000, "n": range(20_000)}) for i in range(3)]
    errors = []

    def load(df):
        try:
            with psycopg.connect(database) as c:
                replace_table(c, "raw", "contended", df)
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=load, args=(f,)) for f in frames]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with psycopg.connect(database) as c:
        back = read_table(c, "raw", "contended")
    assert len(back) == 20_000 and back["who"].nunique() == 1
    assert back["n"].tolist() == list(range(20_000))


def test_arrow_backed_text_round_trips_as_arrow_backed_text(conn):
    df = pd.DataFrame({"code": pd.array(["a", None, "", "NULL", "x\ny"], dtype="string[pyarrow]")})
    replace_table(conn, "raw", "compact", df)
    back = read_table(conn, "raw", "compact")
    pd.testing.assert_frame_equal(back, df)
    assert back["code"].dtype == pd.StringDtype("pyarrow")


def test_markdown_preview_is_a_table_that_stays_intact():
    df = pd.DataFrame({"n": [1.5, None, 3.0, 4.0], "text": ["a|b\nc", None, "x", "y"], "flag": [True, False, True, None]})
    lines = wh.markdown_preview(df, rows=2).splitlines()
    assert lines[0] == "| n | text | flag |"
    assert lines[1] == "|---:|:---|:---|"  # numbers right, text and flags left
    assert lines[2:] == ["| 1.5 | a\\|b⏎c | True |", "|  |  | False |"]  # two rows; pipes and breaks escaped
    assert len(wh.markdown_preview(df).splitlines()) == 2 + 4
    assert all(line.count("|") - line.count("\\|") == 4 for line in wh.markdown_preview(df).splitlines())


def test_slices_of_a_new_table_are_written_and_replaced_one_by_one(conn):
    """The first slice creates the shared table; each later write replaces only its own slice's rows."""
    first = pd.DataFrame({"table_name": ["a", "a"], "value": pd.array(["x", None], dtype="string[pyarrow]")})
    second = pd.DataFrame({"table_name": ["b"], "value": pd.array(["y"], dtype="string[pyarrow]")})
    wh.replace_slice(conn, "quarantine", "shared", "table_name", "a", first)
    wh.replace_slice(conn, "quarantine", "shared", "table_name", "b", second)
    wh.replace_slice(conn, "quarantine", "shared", "table_name", "a", first.iloc[:1])
    pd.testing.assert_frame_equal(wh.read_slice(conn, "quarantine", "shared", "table_name", "a"), first.iloc[:1])
    pd.testing.assert_frame_equal(wh.read_slice(conn, "quarantine", "shared", "table_name", "b"), second)
