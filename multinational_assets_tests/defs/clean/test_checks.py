"""The clean layer's check queries on a real Postgres: they find what they are meant to find."""

import psycopg
import pytest

from multinational_assets.quality import duplicate_or_missing_keys, orphan_keys, orphan_rows, quarantined_because
from multinational_assets.sources import contract_of
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
        conn.execute(
            "DELETE FROM clean.dim_products WHERE ctid IN "
            "(SELECT max(ctid) FROM clean.dim_products GROUP BY product_code HAVING count(*) > 1)"
        )
        assert duplicate_or_missing_keys(conn, "dim_products", "product_code") == 0


def test_orphan_keys_names_the_missing_values_and_why_they_are_missing(database):  # noqa: F811
    orders, products = contract_of("orders_table"), contract_of("dim_products")
    with psycopg.connect(database) as conn:
        conn.execute("CREATE SCHEMA clean")
        conn.execute("CREATE SCHEMA quarantine")
        conn.execute("CREATE TABLE clean.dim_products (product_code text)")
        conn.execute("CREATE TABLE clean.orders_table (product_code text)")
        conn.execute("CREATE TABLE quarantine.dim_products (product_code text, reasons text, row_key text)")
        conn.execute("INSERT INTO clean.dim_products VALUES ('p1'), ('p2')")
        conn.execute("INSERT INTO clean.orders_table VALUES ('p1'), ('p9'), ('p9'), ('P1'), (NULL)")
        conn.execute("INSERT INTO quarantine.dim_products VALUES ('p9 ', 'garbage row: ...', 'p9')")
        total, examples = orphan_keys(conn, "clean", orders, "product_code", products)
        assert total == 2
        assert examples == [("p9", 2), ("P1", 1)]
        assert orphan_rows(conn, "clean", orders, "product_code", products) == (3, 1)
        assert quarantined_because(conn, products, ["p9", "P1"]) == {"p9": "garbage row: ..."}


def test_every_column_a_check_joins_on_gets_planner_statistics_in_the_load():
    from dagster import AssetKey

    from multinational_assets.defs.clean.assets import clean_assets
    from multinational_assets.defs.io_manager import STATISTICS_COLUMNS
    from multinational_assets.sources import CLEAN_TABLES, references

    specs = {key: spec for asset in clean_assets for key, spec in asset.specs_by_key.items()}
    joined = {t.table: set(specs[AssetKey(["clean", t.table])].metadata[STATISTICS_COLUMNS]) for t in CLEAN_TABLES}
    for table in CLEAN_TABLES:
        assert table.key in joined[table.table]  # the unique-key check
    for table, column, dimension in references():
        assert column in joined[table.table]  # the reference checks' referencing side
        assert dimension.key in joined[dimension.table]  # their other side


def _stub_tables(conn) -> None:
    """Clean tables that pass every check except one orphan store code on an order."""
    from multinational_assets.sources import CLEAN_TABLES

    references = contract_of("orders_table").references
    for schema in ("raw", "clean", "quarantine"):
        conn.execute(f"CREATE SCHEMA {schema}")
    for spec in CLEAN_TABLES:
        conn.execute(f"CREATE TABLE raw.{spec.raw_table} (n int)")
        conn.execute(f"INSERT INTO raw.{spec.raw_table} VALUES (1)")
        conn.execute(f"CREATE TABLE quarantine.{spec.table} (reasons text, row_key text)")
        if spec.table != "orders_table":
            conn.execute(f"CREATE TABLE clean.{spec.table} ({spec.key} text)")
            conn.execute(f"INSERT INTO clean.{spec.table} VALUES ('k')")
    columns = ", ".join(f"{c} text" for c in references)
    values = ", ".join("'X'" if c == "store_code" else "'k'" for c in references)
    conn.execute(f"CREATE TABLE clean.orders_table ({columns})")
    conn.execute(f"INSERT INTO clean.orders_table VALUES ({values})")


def _run_checks_with_an_orphan(database: str, strict: bool) -> tuple[dict, list, dict]:
    """The clean layer's checks (reference checks strict or not), in one run with stand-ins for the
    clean assets (the tables are already in the warehouse) and for the star; returns the check
    results, whether the star stand-in was built, and the orphan check's metadata."""
    from dagster import AssetKey, AssetOut, DagsterInstance, IOManager, asset, io_manager, materialize, multi_asset

    from multinational_assets.defs.clean.checks import _reference_checks, _table_checks
    from multinational_assets.defs.resources import WarehouseResource
    from multinational_assets.sources import CLEAN_TABLES
    from multinational_assets_tests.pipeline_state import check_results

    with psycopg.connect(database) as conn:
        _stub_tables(conn)
    keys = [AssetKey([layer, spec.table]) for spec in CLEAN_TABLES for layer in ("clean", "quarantine")]
    keys += [AssetKey(["raw", spec.raw_table]) for spec in CLEAN_TABLES]

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

    checks = [*[_table_checks(c) for c in CLEAN_TABLES], *_reference_checks(strict=strict)]
    with DagsterInstance.ephemeral() as instance:
        result = materialize(
            [tables_already_loaded, star_stand_in, *checks],
            resources={"warehouse": WarehouseResource(url=database), "nothing": io_manager(lambda _: _Nothing())},
            instance=instance,
            raise_on_error=False,
        )
        results = check_results(instance, result.run_id)
        evaluation = next(
            e for e in result.get_asset_check_evaluations() if e.check_name == "store_code_exists_in_dim_store_details"
        )
    return results, built, {k: v.value for k, v in evaluation.metadata.items()}


def test_an_orphan_reference_is_a_warning_and_the_star_is_still_built(database):  # noqa: F811
    checks, built, metadata = _run_checks_with_an_orphan(database, strict=False)
    assert checks.pop("clean/orders_table:store_code_exists_in_dim_store_details") is False
    assert len(checks) == 16 and all(checks.values()), checks  # every other check ran and passed
    assert built == [True]  # a missing store does not stop the refresh
    assert metadata["missing_keys"] == 1 and metadata["rows_with_missing_key"] == 1
    assert "`X` (1 rows)" in metadata["examples"]


def test_strict_setting_makes_an_orphan_reference_block_what_is_built_on_the_orders(database):  # noqa: F811
    checks, built, _ = _run_checks_with_an_orphan(database, strict=True)
    assert checks.pop("clean/orders_table:store_code_exists_in_dim_store_details") is False
    assert len(checks) == 16 and all(checks.values()), checks
    assert built == []  # the blocking check kept the star from being built


def test_the_reference_checks_follow_the_setting(monkeypatch):
    from multinational_assets.defs.clean.checks import _reference_checks

    for strict in (False, True):
        specs = [spec for definition in _reference_checks(strict) for spec in definition.check_specs]
        assert len(specs) == 5 and all(spec.blocking is strict for spec in specs)
    monkeypatch.setenv("MULTINATIONAL_MISSING_REFERENCES", "lenient")
    from multinational_assets.settings import missing_references_setting

    with pytest.raises(ValueError, match="is not one of: infer, strict"):
        missing_references_setting()
