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


def test_every_column_a_check_joins_on_gets_planner_statistics_in_the_load():
    from dagster import AssetKey

    from multinational_assets.clean import CLEAN_TABLES, ORDER_REFERENCES, clean_assets
    from multinational_assets.warehouse import STATISTICS_COLUMNS

    specs = {key: spec for asset in clean_assets for key, spec in asset.specs_by_key.items()}
    joined = {t.table: set(specs[AssetKey(["clean", t.table])].metadata[STATISTICS_COLUMNS]) for t in CLEAN_TABLES}
    for table in CLEAN_TABLES:
        assert table.key in joined[table.table]  # the unique-key check
    assert set(ORDER_REFERENCES) <= joined["orders_table"]  # the reference checks' orders side
    assert all(joined[dimension] >= {column} for column, dimension in ORDER_REFERENCES.items())  # their other side
