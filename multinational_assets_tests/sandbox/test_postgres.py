"""The sandbox's legacy database: the exact source types, every CSV row, in CSV order."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import psutil
import pytest
from psycopg import sql

from multinational_assets.sandbox import postgres

USERS_TYPES = [("index", "bigint")] + [
    (name, "text")
    for name in ("first_name", "last_name", "date_of_birth", "company", "email_address", "address",
                 "country", "country_code", "phone_number", "join_date", "user_uuid")
]
ORDERS_TYPES = [
    ("level_0", "bigint"), ("index", "bigint"), ("date_uuid", "text"), ("first_name", "text"),
    ("last_name", "text"), ("user_uuid", "text"), ("card_number", "bigint"), ("store_code", "text"),
    ("product_code", "text"), ("1", "double precision"), ("product_quantity", "bigint"),
]


def _columns(conn, table: str) -> list[tuple[str, str]]:
    rows = conn.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'public' AND table_name = %s ORDER BY ordinal_position",
        (table,),
    ).fetchall()
    return [(name, typ) for name, typ in rows]


def _csv_rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def test_databases_exist(sandbox):
    with sandbox.connect("postgres") as conn:
        names = {r[0] for r in conn.execute("SELECT datname FROM pg_database")}
    assert {"legacy", "warehouse", "dagster"} <= names


def test_legacy_holds_the_three_tables(sandbox):
    with sandbox.connect() as conn:
        tables = {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
    assert tables == {"legacy_users", "orders_table", "legacy_store_details"}


def test_legacy_users_types(sandbox):
    with sandbox.connect() as conn:
        assert _columns(conn, "legacy_users") == USERS_TYPES


def test_orders_table_types_including_level_0_and_the_column_named_1(sandbox):
    with sandbox.connect() as conn:
        assert _columns(conn, "orders_table") == ORDERS_TYPES
        # pg_catalog agrees, and the column literally named "1" is float8 and null everywhere.
        typ = conn.execute(
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
            "WHERE attrelid = 'orders_table'::regclass AND attname = '1'"
        ).fetchone()[0]
        assert typ == "double precision"
        assert conn.execute('SELECT count("1") FROM orders_table').fetchone()[0] == 0


def test_decoy_types(sandbox):
    with sandbox.connect() as conn:
        columns = _columns(conn, "legacy_store_details")
    header = _csv_rows(sandbox.world / "legacy" / "legacy_store_details.csv")[0]
    assert [c for c, _ in columns] == header
    assert columns[0] == ("index", "bigint")
    assert all(t == "text" for c, t in columns if c != "index")


@pytest.mark.parametrize("table", ["legacy_users", "orders_table", "legacy_store_details"])
def test_every_row_in_csv_order(sandbox, table):
    rows = _csv_rows(sandbox.world / "legacy" / f"{table}.csv")
    header, body = rows[0], rows[1:]
    key = "level_0" if table == "orders_table" else "index"
    position = header.index(key)
    with sandbox.connect() as conn:
        # ctid order is the physical order: COPY into a fresh table keeps the file's order.
        served = [r[0] for r in conn.execute(f'SELECT "{key}" FROM {table} ORDER BY ctid')]
    assert served == [int(r[position]) for r in body]


def test_values_survive_the_load(sandbox):
    """Multi-line text, non-ASCII, quotes, the literal string NULL and SQL NULL come through as in the CSV."""
    rows = _csv_rows(sandbox.world / "legacy" / "legacy_users.csv")
    header, body = rows[0], rows[1:]
    with sandbox.connect() as conn:
        columns = sql.SQL(", ").join(sql.Identifier(c) for c in header)
        served = conn.execute(sql.SQL("SELECT {} FROM legacy_users ORDER BY ctid").format(columns)).fetchall()
    assert len(served) == len(body)
    for csv_row, db_row in zip(body, served):
        assert [str(v) if v is not None else "" for v in db_row] == csv_row
    assert any("\n" in (r[header.index("address")] or "") for r in served)


def test_sql_null_versus_empty_in_orders(sandbox):
    """Unquoted empty CSV fields are SQL NULL (first_name/last_name are null on most orders)."""
    path = sandbox.world / "legacy" / "orders_table.csv"
    raw_lines = path.read_text(encoding="utf-8").splitlines()[1:]
    unnamed = sum(1 for line in raw_lines if ",,," in line)  # first_name and last_name both empty
    with sandbox.connect() as conn:
        nulls = conn.execute("SELECT count(*) FROM orders_table WHERE first_name IS NULL AND last_name IS NULL").fetchone()[0]
    assert nulls == unnamed > 0


def test_postgres_runs_detached_on_the_socket_in_pgdata(sandbox):
    pid = postgres.running_pid(sandbox.pgdata)
    assert pid == sandbox.state["postgres_pid"]
    proc = psutil.Process(pid)
    assert os.getsid(pid) == pid  # its own session: a terminal's Ctrl-C or the starter's exit do not reach it
    assert (sandbox.pgdata / ".s.PGSQL.5432").is_socket()
    assert not [c for c in proc.net_connections(kind="inet")]  # no TCP listener


# -- loader rules (no server needed) -------------------------------------------------------------------
def test_source_columns_rules():
    users_header = [c for c, _ in USERS_TYPES]
    assert postgres.source_columns("legacy_users", users_header) == [(c, t.upper()) for c, t in USERS_TYPES]
    orders = postgres.source_columns("orders_table", [c for c, _ in ORDERS_TYPES])
    assert orders == [(c, t.upper()) for c, t in ORDERS_TYPES]
    # A header that does not match the contract: every column TEXT.
    assert postgres.source_columns("orders_table", ["a", "index"]) == [("a", "TEXT"), ("index", "TEXT")]
    assert postgres.source_columns("legacy_store_details", ["index", "x"]) == [("index", "BIGINT"), ("x", "TEXT")]
    assert postgres.source_columns("anything_else", ["index"]) == [("index", "TEXT")]


def test_read_header(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b'\xef\xbb\xbf,"a,b",c\n1,2,3\n')
    assert postgres.read_header(path) == ["unnamed_0", "a,b", "c"]
    path.write_text("a,a\n")
    with pytest.raises(postgres.PostgresError, match="duplicate"):
        postgres.read_header(path)
    path.write_text("")
    with pytest.raises(postgres.PostgresError, match="empty"):
        postgres.read_header(path)
