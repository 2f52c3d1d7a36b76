"""The warehouse IO manager: tables stored and loaded back, metadata, planner statistics, and its two
per-run tricks (early loads, tables handed over in memory)."""

import threading

import pandas as pd
import psycopg
import pytest
from dagster import Output, ResourceParam, asset, materialize

from multinational_assets.defs import io_manager as io_manager_module
from multinational_assets.defs.io_manager import STATISTICS_COLUMNS, PostgresDataFrameIOManager
from multinational_assets.defs.resources import WarehouseResource
from multinational_assets.postgres.connection import DatabaseUnavailable
from multinational_assets.warehouse import replace_table
from multinational_assets.warehouse.early_loads import EarlyLoads
from multinational_assets_tests.hostile_values import hostile_frame
from multinational_assets_tests.scratch_postgres import database  # noqa: F401 - fixture


def test_io_manager_stores_loads_and_reports_metadata(database):
    @asset(key_prefix="clean")
    def little() -> pd.DataFrame:
        return hostile_frame()

    @asset(key_prefix="metrics")
    def downstream(little: pd.DataFrame) -> pd.DataFrame:
        pd.testing.assert_frame_equal(little, hostile_frame())
        return little[["index"]]

    io = PostgresDataFrameIOManager(warehouse=WarehouseResource(url=database))
    result = materialize([little, downstream], resources={"io_manager": io})
    assert result.success
    meta = result.asset_materializations_for_node("clean__little")[0].metadata
    assert meta["dagster/row_count"].value == 5
    assert meta["dagster/table_name"].value == "warehouse.clean.little"
    assert [c.name for c in meta["dagster/column_schema"].schema.columns][:3] == ["index", "EAN", "1"]
    assert "preview" in meta
    with psycopg.connect(database) as c:
        assert c.execute("SELECT count(*) FROM metrics.downstream").fetchone()[0] == 5


def test_unreachable_warehouse_error_names_it_without_password():
    bad = WarehouseResource(url="postgresql://user:s3cret-pass@127.0.0.1:1/nowhere")
    with pytest.raises(DatabaseUnavailable) as info:
        bad.connect()
    assert "127.0.0.1:1/nowhere" in str(info.value) and "s3cret-pass" not in str(info.value)


def test_next_step_takes_a_just_written_table_from_memory_only_while_it_is_unchanged(database, monkeypatch):
    io = PostgresDataFrameIOManager(warehouse=WarehouseResource(url=database))
    reads = []
    real_read = io_manager_module.read_arrow
    monkeypatch.setattr(io_manager_module, "read_arrow", lambda *a: reads.append(a[1:]) or real_read(*a))

    @asset(key_prefix="raw")
    def handed() -> pd.DataFrame:
        return hostile_frame()

    @asset(key_prefix="clean")
    def takes(handed: pd.DataFrame) -> pd.DataFrame:
        pd.testing.assert_frame_equal(handed, hostile_frame())
        return handed[["index"]]

    assert materialize([handed, takes], resources={"io_manager": io}).success
    assert reads == []  # handed over in memory, exactly as a read would have given it

    # Someone else replaces the table: the next load must read the warehouse, not the stale copy.
    assert materialize([handed], resources={"io_manager": io}).success
    with psycopg.connect(database) as c:
        replace_table(c, "raw", "handed", hostile_frame().iloc[:2])

    @asset(key_prefix="clean")
    def counts(handed: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({"rows": [len(handed)]})

    result = materialize([handed, counts], resources={"io_manager": io}, selection=[counts])
    assert result.success and reads == [("raw", "handed")]
    with psycopg.connect(database) as c:
        assert c.execute("SELECT rows FROM clean.counts").fetchone()[0] == 2


def test_clean_tables_are_loaded_with_planner_statistics_and_raw_tables_without(database):
    @asset(key_prefix="clean")
    def planned() -> pd.DataFrame:
        return pd.DataFrame({"n": range(1000)})

    @asset(key_prefix="clean", metadata={STATISTICS_COLUMNS: ["key"]})
    def keyed() -> pd.DataFrame:  # statistics only for the column it names
        return pd.DataFrame({"key": range(1000), "text": [f"t{n}" for n in range(1000)]})

    @asset(key_prefix="raw")
    def unplanned() -> pd.DataFrame:
        return pd.DataFrame({"n": range(1000)})

    io = PostgresDataFrameIOManager(warehouse=WarehouseResource(url=database))
    assert materialize([planned, keyed, unplanned], resources={"io_manager": io}).success
    with psycopg.connect(database) as c:
        analysed = c.execute(
            "SELECT schemaname, tablename, attname FROM pg_stats WHERE tablename IN ('planned', 'keyed', 'unplanned') ORDER BY 2"
        ).fetchall()
        # The table's size is known to the planner even where only some columns were analysed.
        rows = c.execute("SELECT reltuples FROM pg_class WHERE oid = 'clean.keyed'::regclass").fetchone()[0]
    assert analysed == [("clean", "keyed", "key"), ("clean", "planned", "n")]
    assert rows == 1000


def _raw_frame(values) -> pd.DataFrame:
    return pd.DataFrame({"code": pd.array(values, dtype=pd.StringDtype("pyarrow"))})


def _rows(database, table: str):
    with psycopg.connect(database) as other:
        found = other.execute("SELECT to_regclass(%s) IS NOT NULL", (f"raw.{table}",)).fetchone()[0]
        return other.execute(f"SELECT code FROM raw.{table} ORDER BY code").fetchall() if found else None


def _loading_tables(database) -> list:
    with psycopg.connect(database) as other:
        return other.execute("SELECT relname FROM pg_class WHERE relname LIKE '%%__loading'").fetchall()


def test_an_early_load_is_invisible_until_the_io_manager_stores_that_frame(database):
    warehouse = WarehouseResource(url=database)
    with psycopg.connect(database) as conn:
        replace_table(conn, "raw", "codes", _raw_frame(["old"]))
    new = _raw_frame(["a", "b"])

    @asset(key_prefix="raw", name="codes")
    def codes(io_manager: ResourceParam[PostgresDataFrameIOManager]):
        with io_manager.early_loads().scope() as loads:
            assert loads.start("raw", "codes", new) is None
            assert _rows(database, "codes") == [("old",)]  # loaded, but not committed
            yield Output(new)

    result = materialize([codes], resources={"io_manager": PostgresDataFrameIOManager(warehouse=warehouse)})
    assert result.success
    assert _rows(database, "codes") == [("a",), ("b",)]
    metadata = result.asset_materializations_for_node("raw__codes")[0].metadata
    assert metadata["load_started_early"].value is True
    assert _loading_tables(database) == []


def test_early_loads_never_stored_are_rolled_back(database):
    warehouse = WarehouseResource(url=database)
    with psycopg.connect(database) as conn:
        replace_table(conn, "raw", "codes", _raw_frame(["old"]))
    with pytest.raises(RuntimeError, match="another source failed"):
        with EarlyLoads(warehouse.connect).scope() as loads:
            assert loads.start("raw", "codes", _raw_frame(["new"])) is None
            assert loads.start("raw", "fresh", _raw_frame(["x"])) is None
            raise RuntimeError("another source failed")
    assert _rows(database, "codes") == [("old",)]
    assert _rows(database, "fresh") is None
    assert _loading_tables(database) == []


def test_a_different_frame_is_loaded_afresh_not_swapped_for_the_early_one(database):
    warehouse = WarehouseResource(url=database)
    io = PostgresDataFrameIOManager(warehouse=warehouse)
    other = _raw_frame(["other"])

    @asset(key_prefix="raw", name="codes")
    def codes(io_manager: ResourceParam[PostgresDataFrameIOManager]):
        with io_manager.early_loads().scope() as loads:
            loads.start("raw", "codes", _raw_frame(["early"]))
            yield Output(other)

    result = materialize([codes], resources={"io_manager": io})
    assert result.success
    assert _rows(database, "codes") == [("other",)]
    assert "load_started_early" not in result.asset_materializations_for_node("raw__codes")[0].metadata


def test_an_early_load_that_cannot_start_says_why_and_leaves_the_load_to_the_io_manager():
    unreachable = WarehouseResource(url="postgresql://nobody:secret@127.0.0.1:1/none")
    with EarlyLoads(unreachable.connect).scope() as loads:
        problem = loads.start("raw", "codes", _raw_frame(["a"]))
    assert problem and "DatabaseUnavailable" in problem and "secret" not in problem


def test_early_loads_into_a_schema_that_does_not_exist_yet_do_not_wait_on_each_other(database):
    warehouse = WarehouseResource(url=database)
    with EarlyLoads(warehouse.connect).scope() as loads:
        # Both in a schema the first creates: the second must not wait for the first to be stored.
        done = []
        worker = threading.Thread(target=lambda: done.append(loads.start("fresh", "a", _raw_frame(["x"]))))
        worker.start()
        worker.join(30)
        second = threading.Thread(target=lambda: done.append(loads.start("fresh", "b", _raw_frame(["y"]))))
        second.start()
        second.join(30)
        assert not second.is_alive() and done == [None, None]


def test_an_early_load_does_not_wait_for_a_table_another_load_holds(database):
    warehouse = WarehouseResource(url=database)
    with psycopg.connect(database) as holder:
        holder.execute("SELECT pg_advisory_xact_lock(hashtext('multinational_assets:raw.codes'))")
        with EarlyLoads(warehouse.connect).scope() as loads:
            problem = loads.start("raw", "codes", _raw_frame(["a"]))
        assert problem and "another load of raw.codes" in problem
