"""The clean layer's check queries on a real Postgres: they find what they are meant to find."""

import psycopg

from multinational_assets.checks import duplicate_or_missing_keys, orphan_order_keys
from multinational_assets_tests.scratch_postgres import database  # noqa: F401 - fixture


def test_duplicate_or_missing_keys_counts_repeats_and_nulls_byte_by_byte(database):  # noqa: F811
    with psycopg.connect(database) as conn:
        conn.execute("CREATE SCHEMA clean")
        conn.execute("CREATE TABLE clean.dim_products (product_code text)")
        # Two exact repeats and one null; 'a1' and 'A1', 'é' and 'e' differ and must not count.
        conn.execute(
            "INSERT INTO clean.dim_products VALUES ('a1'), ('A1'), ('a1'), ('é'), ('e'), ('e'), (NULL)"
        )
        assert duplicate_or_missing_keys(conn, "dim_products", "product_code") == 3
        conn.execute("DELETE FROM clean.dim_products WHERE product_code IS NULL")
        conn.execute("DELETE FROM clean.dim_products WHERE ctid IN (SELECT max(ctid) FROM clean.dim_products GROUP BY product_code HAVING count(*) > 1)")
        assert duplicate_or_missing_keys(conn, "dim_products", "product_code") == 0


def test_orphan_order_keys_names_the_missing_values(database):  # noqa: F811
    with psycopg.connect(database) as conn:
        conn.execute("CREATE SCHEMA clean")
        conn.execute("CREATE TABLE clean.dim_products (product_code text)")
        conn.execute("CREATE TABLE clean.orders_table (product_code text)")
        conn.execute("INSERT INTO clean.dim_products VALUES ('p1'), ('p2')")
        conn.execute("INSERT INTO clean.orders_table VALUES ('p1'), ('p9'), ('p9'), ('P1')")
        total, examples = orphan_order_keys(conn, "product_code", "dim_products")
        assert total == 2
        assert examples == [("p9", 2), ("P1", 1)]
