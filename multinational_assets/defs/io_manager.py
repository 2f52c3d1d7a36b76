"""The IO manager: each asset's DataFrame stored as a table of the warehouse, in the schema of its layer
(the first part of its asset key: `raw`, `clean`, `quarantine`, `star`, `metrics`), and loaded back
with the dtypes it was written with.

Two performance tricks live here, and only here, as state of one run (created when the run starts,
dropped when it ends):

- early loads: the raw step hands each frame to `early_loads()` as soon as it is read; its rows are
  copied in an open transaction while the other sources are still read, and `handle_output` of that
  very frame only swaps them in (see `warehouse.early_loads`);
- tables in memory: a raw table just written is handed to the clean step of the same run from memory,
  while the warehouse table still carries the load id it was written with (see `warehouse.in_memory`).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import pandas as pd
from dagster import (
    ConfigurableIOManager,
    InitResourceContext,
    InputContext,
    MetadataValue,
    OutputContext,
    TableColumn,
    TableSchema,
)
from pydantic import PrivateAttr

from multinational_assets.defs.resources import WarehouseResource
from multinational_assets.memory import release_memory
from multinational_assets.postgres.copy import frame_from_arrow
from multinational_assets.warehouse.early_loads import EarlyLoads
from multinational_assets.warehouse.in_memory import TablesInMemory
from multinational_assets.warehouse.tables import (
    Analyze,
    markdown_preview,
    read_arrow,
    read_slice,
    replace_slice,
    replace_table,
    table_comment,
    table_location,
)

# Definition metadata of an output: the columns whose planner statistics its load gathers.
STATISTICS_COLUMNS = "statistics_columns"
# Definition metadata of an output stored as a slice of a shared table (see `stored_as_slice`).
SLICE = "warehouse/slice"


def stored_as_slice(schema: str, table: str, column: str, value: str) -> dict:
    """Definition metadata for an output that is the rows of `schema.table` whose `column` is `value`
    (one table shared by several assets, each replacing only its own rows)."""
    return {SLICE: {"schema": schema, "table": table, "column": column, "value": value}}


def _slice_of(definition_metadata) -> dict | None:
    return (definition_metadata or {}).get(SLICE)


def table_metadata(df: pd.DataFrame, schema: str, table: str, pg_types: Sequence[str]) -> dict:
    return {
        "dagster/row_count": MetadataValue.int(len(df)),
        "dagster/table_name": MetadataValue.text(f"warehouse.{schema}.{table}"),
        "dagster/column_schema": MetadataValue.table_schema(
            TableSchema(columns=[TableColumn(name=str(c), type=t) for c, t in zip(df.columns, pg_types)])
        ),
        "preview": MetadataValue.md(markdown_preview(df)),
    }


# A step handed an input of at least this many rows first lets go of what earlier steps left behind.
BIG_INPUT_ROWS = 100_000


def release_before_big_input(rows: int | None) -> bool:
    """Before a step gets a big input (or one of unknown size), the frames earlier steps left in
    reference cycles are collected and freed memory given back (`memory.release_memory`, about 25 ms
    at scale 1, so a small input does not pay for it). Done here rather than in a Dagster hook after
    each step: a step with a hook has every output kept alive by Dagster for the hook (at ten times the
    real size, dropping the hook took the run's peak from 1,752 MiB to 1,592 MiB)."""
    if rows is not None and rows < BIG_INPUT_ROWS:
        return False
    release_memory()
    return True


class PostgresDataFrameIOManager(ConfigurableIOManager):
    """Stores each asset's DataFrame as a table in the warehouse, loaded with COPY and swapped in
    atomically, and loads it back with the dtypes it was written with."""

    warehouse: WarehouseResource
    # Tables of these layers are kept in memory for the next step of the run, up to this many MB (0
    # turns it off). Only raw tables are loaded back by a later step (the clean step reads them);
    # clean, quarantine and star tables are read with SQL, so keeping them would only hold memory.
    in_memory_megabytes: int = 160
    in_memory_layers: list[str] = ["raw"]
    # Layers whose tables later steps join in SQL (the reference checks and the star build read the
    # clean tables): their planner statistics are gathered in the load. Without them, the first join
    # after a load can pick a plan that runs for minutes (seen: over nine minutes for an orphan-key
    # check on 1.2M orders that takes 0.4 s once the tables are analysed). An output's definition
    # metadata can name the columns later SQL joins on (`STATISTICS_COLUMNS`): statistics for those
    # alone cost a third as much as for every column (0.08 s instead of 0.24 s for 120,000 orders).
    analyze_layers: list[str] = ["clean"]

    _early_loads: EarlyLoads | None = PrivateAttr(default=None)
    _in_memory: TablesInMemory | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: InitResourceContext) -> None:
        self._early_loads = EarlyLoads(self.warehouse.connect)
        self._in_memory = TablesInMemory()

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        if self._early_loads is not None:
            self._early_loads.discard_all()
        if self._in_memory is not None:
            self._in_memory.clear()

    def early_loads(self) -> EarlyLoads:
        """The run's early loads (explicit API for the raw step: see the module docstring)."""
        if self._early_loads is None:  # used outside a run
            self._early_loads = EarlyLoads(self.warehouse.connect)
        return self._early_loads

    def _memory(self) -> TablesInMemory:
        if self._in_memory is None:
            self._in_memory = TablesInMemory()
        return self._in_memory

    def handle_output(self, context: OutputContext, obj: pd.DataFrame) -> None:
        if obj is None:
            return
        part = _slice_of(context.definition_metadata)
        if part:
            schema, table = part["schema"], part["table"]
            with self.warehouse.connect() as conn:
                figures = replace_slice(conn, schema, table, part["column"], part["value"], obj)
            metadata = table_metadata(obj, schema, table, figures["pg_types"])
            metadata["dagster/table_name"] = MetadataValue.text(
                f"warehouse.{schema}.{table} ({part['column']} = {part['value']})"
            )
            metadata["load_seconds"] = MetadataValue.float(round(figures["seconds"], 3))
            context.add_output_metadata(metadata)
            return
        schema, table = table_location(context.asset_key.path)
        load_id = uuid.uuid4().hex
        analyze: Analyze = False
        if schema in self.analyze_layers:
            analyze = context.definition_metadata.get(STATISTICS_COLUMNS) or True  # the columns named, else all
        figures = self.early_loads().finish(schema, table, obj, load_id, analyze)
        if figures is None:
            with self.warehouse.connect() as conn:
                figures = replace_table(conn, schema, table, obj, load_id=load_id, analyze=analyze)
        if schema in self.in_memory_layers:
            self._memory().put((schema, table), load_id, figures["arrow"], self.in_memory_megabytes << 20)
        metadata = table_metadata(obj, schema, table, figures["pg_types"])
        if "dagster/column_schema" in context.definition_metadata:
            del metadata["dagster/column_schema"]  # the declared one, with descriptions, stays in view
        metadata["load_seconds"] = MetadataValue.float(round(figures["seconds"], 3))
        if figures.get("started_early"):
            # The rows were copied while the step was still reading other sources (see EarlyLoads).
            metadata["load_started_early"] = MetadataValue.bool(True)
        context.add_output_metadata(metadata)

    def load_input(self, context: InputContext) -> pd.DataFrame:
        upstream = context.upstream_output
        part = _slice_of(upstream.definition_metadata) if upstream else None
        if part:
            with self.warehouse.connect() as conn:
                return read_slice(conn, part["schema"], part["table"], part["column"], part["value"])
        schema, table = table_location(context.asset_key.path)
        with self.warehouse.connect() as conn:
            comment = table_comment(conn, schema, table)
            release_before_big_input(comment.get("rows"))
            arrow = self._memory().take((schema, table), comment.get("load_id", ""))
            if arrow is None:
                arrow = read_arrow(conn, schema, table)
        return frame_from_arrow(arrow, comment.get("pandas_dtypes", {}))
