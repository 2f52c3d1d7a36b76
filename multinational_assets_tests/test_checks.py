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


def _stub_tables(conn) -> None:
    """Clean tables that pass every check except one orphan store code on an order."""
    from multinational_assets.clean import CLEAN_TABLES, ORDER_REFERENCES

    for schema in ("raw", "clean", "quarantine"):
        conn.execute(f"CREATE SCHEMA {schema}")
    for spec in CLEAN_TABLES:
        conn.execute(f"CREATE TABLE raw.{spec.raw_asset} (n int)")
        conn.execute(f"INSERT INTO raw.{spec.raw_asset} VALUES (1)")
        conn.execute(f"CREATE TABLE quarantine.{spec.table} (n int)")
        if spec.table != "orders_table":
            conn.execute(f"CREATE TABLE clean.{spec.table} ({spec.key} text)")
            conn.execute(f"INSERT INTO clean.{spec.table} VALUES ('k')")
    columns = ", ".join(f"{c} text" for c in ORDER_REFERENCES)
    values = ", ".join("'X'" if c == "store_code" else "'k'" for c in ORDER_REFERENCES)
    conn.execute(f"CREATE TABLE clean.orders_table ({columns})")
    conn.execute(f"INSERT INTO clean.orders_table VALUES ({values})")


def test_an_orphan_reference_fails_its_blocking_check_and_stops_what_is_built_on_the_orders(database):  # noqa: F811
    """The checks of the real Definitions, in one run with stand-ins for the clean assets (the tables
    are already in the warehouse) and for the star."""
    from dagster import AssetKey, AssetOut, DagsterInstance, IOManager, asset, io_manager, materialize, multi_asset

    from multinational_assets.checks import clean_checks
    from multinational_assets.clean import CLEAN_TABLES
    from multinational_assets.warehouse import WarehouseResource
    from multinational_assets_tests.pipeline_state import check_results

    with psycopg.connect(database) as conn:
        _stub_tables(conn)
    keys = [AssetKey([layer, spec.table]) for spec in CLEAN_TABLES for layer in ("clean", "quarantine")]
    keys += [AssetKey(["raw", spec.raw_asset]) for spec in CLEAN_TABLES]

    @multi_asset(outs={"_".join(k.path): AssetOut(key=k, io_manager_key="nothing") for k in keys})
    def tables_already_loaded():
        return tuple(None for _ in keys)

    built = []

    @asset(deps=[AssetKey(["clean", "orders_table"])])
    def star_stand_in():
        built.append(True)

    class _Nothing(IOManager):
        def handle_output(self, context, obj):
            pass

        def load_input(self, context):
            return None

    with DagsterInstance.ephemeral() as instance:
        result = materialize(
            [tables_already_loaded, star_stand_in, *clean_checks],
            resources={"warehouse": WarehouseResource(url=database), "nothing": io_manager(lambda _: _Nothing())},
            instance=instance,
            raise_on_error=False,
        )
        checks = check_results(instance, result.run_id)
    assert checks.pop("clean/orders_table:store_code_exists_in_dim_store_details") is False
    assert len(checks) == 16 and all(checks.values()), checks  # every other check ran and passed
    assert built == []  # the blocking check kept the star from being built
