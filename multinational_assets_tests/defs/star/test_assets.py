"""The star's Dagster assets: one per table, with its lineage, row count and described column schema;
inferred members reported per dimension; a failed build names its rows."""

import dagster as dg

from multinational_assets.defs.star.assets import star_tables
from multinational_assets_tests.star.test_build import STAR_TABLES, catalog_constraints
from multinational_assets_tests.star_fixtures import (  # noqa: F401  (conn, database: fixtures)
    StandInWarehouse,
    conn,
    database,
    load_clean_tables,
    small_clean_tables,
)


def test_one_asset_per_star_table_each_built_from_its_clean_table():
    keys = {dg.AssetKey(["star", t]) for t in STAR_TABLES}
    assert set(star_tables.keys) == keys
    for table in STAR_TABLES:
        key = dg.AssetKey(["star", table])
        assert star_tables.group_names_by_key[key] == "star"
        assert star_tables.descriptions_by_key[key]
        deps = set(star_tables.asset_deps[key])
        assert dg.AssetKey(["clean", table]) in deps
    # The fact table points at every dimension; a dimension at nothing else of the star.
    assert set(star_tables.asset_deps[dg.AssetKey(["star", "orders_table"])]) == {
        dg.AssetKey(["clean", "orders_table"]), *[dg.AssetKey(["star", t]) for t in STAR_TABLES if t != "orders_table"]
    }
    assert set(star_tables.asset_deps[dg.AssetKey(["star", "dim_users"])]) == {dg.AssetKey(["clean", "dim_users"])}
    checks = {(c.asset_key.path[-1], c.name) for c in star_tables.check_specs}
    assert checks == {(t, "has_no_inferred_members") for t in STAR_TABLES if t != "orders_table"}


def test_star_asset_materializes_with_metadata(conn, database):
    load_clean_tables(conn, small_clean_tables())
    result = dg.materialize([star_tables], resources={"warehouse": StandInWarehouse(database)})
    assert result.success
    events = {e.asset_key.path[-1]: e.metadata for e in result.asset_materializations_for_node(star_tables.op.name)}
    assert set(events) == set(STAR_TABLES)
    assert events["orders_table"]["dagster/row_count"].value == 16
    assert events["dim_store_details"]["dagster/row_count"].value == 12
    stores = {c.name: c for c in events["dim_store_details"]["dagster/column_schema"].value.columns}
    assert stores["store_code"].type == "character varying(12)"
    assert stores["store_code"].description == "The store's code, which every sale made there names."
    products = {c.name: c for c in events["dim_products"]["dagster/column_schema"].value.columns}
    assert products["weight_class"].type == "character varying(14)" and products["weight_class"].description
    assert products["is_inferred"].type == "boolean"
    assert all(e.passed for e in result.get_asset_check_evaluations())  # no inferred member
    assert len(catalog_constraints(conn, "f")) == 5


def test_star_asset_failure_names_the_rows(conn, database, monkeypatch):
    monkeypatch.setenv("MULTINATIONAL_MISSING_REFERENCES", "strict")
    tables = small_clean_tables()
    tables["orders_table"].loc[0, "store_code"] = "XX-DEADBEEF"
    load_clean_tables(conn, tables)
    result = dg.materialize(
        [star_tables], resources={"warehouse": StandInWarehouse(database)}, raise_on_error=False
    )
    assert not result.success
    (failure,) = [e for e in result.all_events if e.is_step_failure]
    data = failure.step_failure_data
    assert "orders_table.store_code has 1 value with no row in dim_store_details: 'XX-DEADBEEF'" in (
        data.user_failure_data.description
    )
    assert "'XX-DEADBEEF'" in data.user_failure_data.metadata["problems"].value
