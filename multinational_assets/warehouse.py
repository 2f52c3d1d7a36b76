"""The Postgres warehouse: a connection resource and the IO manager that stores DataFrames in it.

Every asset's table lives in a schema named after its layer (the first part of its asset key:
`raw`, `clean`, `quarantine`, `star`, `metrics`). Tables are loaded with COPY (psycopg 3) into a new
table beside the old one and swapped in with one transaction, so readers never see a partial table and
a failed load leaves the previous version in place.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import pandas as pd
import psycopg
import pyarrow as pa
import pyarrow.csv as pa_csv
from dagster import (
    ConfigurableIOManager,
    ConfigurableResource,
    InputContext,
    MetadataValue,
    OutputContext,
    TableColumn,
    TableSchema,
)
from psycopg import sql

from multinational_assets.settings import load_settings

# pandas dtype kind → Postgres type. Dates are written as DATE when every value is a midnight, so a
# date column does not turn into a timestamp; the exact pandas dtype is kept in the table comment
# and restored on load.
_PG_TYPES = {"i": "BIGINT", "u": "BIGINT", "f": "DOUBLE PRECISION", "b": "BOOLEAN"}
_COPY_CHUNK_ROWS = 200_000


def libpq_url(url: str) -> str:
    """Turn an SQLAlchemy-style URL (`postgresql+psycopg://`) into one libpq understands."""
    scheme, sep, rest = url.partition("://")
    return f"{scheme.split('+', 1)[0]}{sep}{rest}"


def redact_url(url: str) -> str:
    """The URL with any password replaced, for messages and metadata."""
    scheme, sep, rest = url.partition("://")
    creds, at, host = rest.rpartition("@")
    if at and ":" in creds:
        creds = creds.split(":", 1)[0] + ":***"
    return f"{scheme}{sep}{creds}{at}{host}"


class WarehouseResource(ConfigurableResource):
    """The Postgres warehouse that holds every layer of the pipeline.

    `url` is normally left empty: it is then read from the `WAREHOUSE_URL` setting at run time, so no
    password ever sits in run config.
    """

    url: str = ""

    def resolved_url(self) -> str:
        return libpq_url(self.url or load_settings().warehouse_url)

    def connect(self, autocommit: bool = False) -> psycopg.Connection:
        try:
            return psycopg.connect(self.resolved_url(), autocommit=autocommit, connect_timeout=10)
        except psycopg.OperationalError as error:
            raise WarehouseUnavailable(
                f"Cannot connect to the warehouse at {redact_url(self.resolved_url())}: "
                f"{str(error).strip().splitlines()[0]}"
            ) from None


class WarehouseUnavailable(RuntimeError):
    """The warehouse could not be reached."""


# ---------------------------------------------------------------------------------------------
# Writing DataFrames


def postgres_type(series: pd.Series) -> str:
    """The Postgres column type a pandas column is stored as."""
    dtype = series.dtype
    if isinstance(dtype, pd.BooleanDtype):
        return "BOOLEAN"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        values = series.dropna()
        if len(values) and (values != values.dt.normalize()).any():
            return "TIMESTAMP"
        return "DATE"
    kind = getattr(dtype, "kind", "O")
    return _PG_TYPES.get(kind, "TEXT")


# Postgres type → the Arrow type a column travels as, in both directions: written to COPY as CSV by
# Arrow's C++ writer, read back from COPY's CSV by Arrow's parser. (Row-by-row COPY from Python cost
# most of a load's time at 1M rows; Arrow does the formatting and parsing outside the interpreter.)
_ARROW_TYPES = {
    "TEXT": pa.string(), "BIGINT": pa.int64(), "DOUBLE PRECISION": pa.float64(), "BOOLEAN": pa.bool_(),
    "DATE": pa.date32(), "TIMESTAMP": pa.timestamp("us"),
}
# What the warehouse's column types read back as (by the type's OID); anything else is read as text.
_ARROW_TYPES_BY_OID = {
    25: pa.string(), 1043: pa.string(), 1042: pa.string(), 2950: pa.string(),  # text, varchar, char, uuid
    20: pa.int64(), 23: pa.int64(), 21: pa.int64(),  # bigint, integer, smallint
    701: pa.float64(), 700: pa.float64(),  # double precision, real
    16: pa.bool_(), 1082: pa.date32(), 1114: pa.timestamp("us"),
}


def _arrow_column(series: pd.Series, pg_type: str) -> pa.Array:
    """One column as an Arrow array of the type its Postgres type travels as; NaN and None are null
    (so an empty string stays one)."""
    target = _ARROW_TYPES[pg_type]
    if pg_type == "TEXT":
        if series.dtype == object and pd.api.types.infer_dtype(series, skipna=True) not in ("string", "empty"):
            # Mixed values (numbers, decimals) are stored as their text, as COPY's text adaptation did.
            series = series.map(lambda v: v if v is None or isinstance(v, str) or pd.isna(v) else str(v))
        return pa.array(series, type=target, from_pandas=True)
    if pg_type == "DATE":
        return pa.array(series, from_pandas=True).cast(pa.timestamp("us")).cast(target)
    return pa.array(series, from_pandas=True).cast(target)


def to_arrow(df: pd.DataFrame, pg_types: Sequence[str]) -> pa.Table:
    """The frame as an Arrow table whose column types match what the warehouse gives back."""
    columns = [_arrow_column(df.iloc[:, i], t) for i, t in enumerate(pg_types)]
    return pa.Table.from_arrays(columns, names=[str(c) for c in df.columns])


def csv_chunks(table: pa.Table) -> Iterator[bytes]:
    """The table as Postgres CSV, a few hundred thousand rows at a time: every value quoted and a
    null left empty and unquoted, which is how Postgres tells NULL from an empty string."""
    options = pa_csv.WriteOptions(include_header=False, quoting_style="all_valid")
    for batch in table.to_batches(max_chunksize=_COPY_CHUNK_ROWS):
        sink = pa.BufferOutputStream()
        pa_csv.write_csv(batch, sink, options)
        yield sink.getvalue().to_pybytes()


def _lock_key(schema: str, table: str) -> str:
    return f"multinational_assets:{schema}.{table}"


def _dtype_name(dtype) -> str:
    # `str()` of an Arrow-backed string dtype is just "string", which would load back Python-backed.
    if isinstance(dtype, pd.StringDtype):
        return f"string[{dtype.storage}]"
    return str(dtype)


def replace_table(
    conn: psycopg.Connection, schema: str, table: str, df: pd.DataFrame, load_id: str = "", analyze: Analyze = False
) -> dict:
    """Replace `schema.table` with the frame, atomically.

    The new rows are loaded into `<table>__loading` with COPY and renamed over the old table in the same
    transaction. An advisory lock serialises two loads of one table, so concurrent materialisations
    cannot interleave. `analyze` gathers the planner's statistics before the swap: True for every
    column, or the names of the columns to gather them for. Returns figures about the load and the
    Arrow table that was loaded.
    """
    with conn.transaction():
        figures = _stage(conn, schema, table, df, analyze)
        _swap_in(conn, schema, table, figures["dtypes"], load_id)
    return figures


def replace_slice(conn: psycopg.Connection, schema: str, table: str, column: str, part: str, df: pd.DataFrame) -> dict:
    """Replace the rows of `schema.table` whose `column` is `part` by the frame's rows (which carry
    `column` too), in one transaction. The table is shared by several writers, one slice each; it is
    created on first use, and made again (empty of other slices) if its columns changed."""
    started = time.perf_counter()
    pg_types = [postgres_type(df.iloc[:, i]) for i in range(df.shape[1])]
    target = sql.Identifier(schema, table)
    with conn.transaction(), conn.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (_lock_key(schema, table),))
        cur.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
        found = cur.execute(
            "SELECT column_name, upper(data_type) FROM information_schema.columns "
            "WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position", (schema, table),
        ).fetchall()
        wanted = [(str(c), t) for c, t in zip(df.columns, pg_types)]
        if found != wanted:
            cur.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(target))
            columns = sql.SQL(", ").join(sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(t)) for c, t in wanted)
            cur.execute(sql.SQL("CREATE TABLE {} ({})").format(target, columns))
            dtypes = {str(c): _dtype_name(t) for c, t in zip(df.columns, df.dtypes)}
            cur.execute(sql.SQL("COMMENT ON TABLE {} IS {}").format(target, sql.Literal(json.dumps({"pandas_dtypes": dtypes}))))
        cur.execute(sql.SQL("DELETE FROM {} WHERE {} = %s").format(target, sql.Identifier(column)), (part,))
        with cur.copy(sql.SQL("COPY {} FROM STDIN (FORMAT csv)").format(target)) as copy:
            for chunk in csv_chunks(to_arrow(df, pg_types)):
                copy.write(chunk)
    return {"rows": len(df), "seconds": time.perf_counter() - started, "pg_types": pg_types}


def read_slice(conn: psycopg.Connection, schema: str, table: str, column: str, part: str) -> pd.DataFrame:
    """The rows of `schema.table` whose `column` is `part`, with the dtypes they were written with."""
    dtypes = table_comment(conn, schema, table).get("pandas_dtypes", {})
    query = sql.SQL("SELECT * FROM {} WHERE {} = {}").format(sql.Identifier(schema, table), sql.Identifier(column), sql.Literal(part))
    return frame_from_arrow(copy_out_arrow(conn, query), dtypes)


class _TableBusy(RuntimeError):
    """Another load of the table holds its lock."""


def _stage(
    conn: psycopg.Connection, schema: str, table: str, df: pd.DataFrame, analyze: Analyze, wait_for_lock: bool = True
) -> dict:
    """The first half of a replacement, in the caller's open transaction: take the table's lock and
    load the rows into `<table>__loading`. Without `wait_for_lock`, a lock held by another load
    raises `_TableBusy` at once."""
    started = time.perf_counter()
    pg_types = [postgres_type(df.iloc[:, i]) for i in range(df.shape[1])]
    dtypes = {str(c): _dtype_name(t) for c, t in zip(df.columns, df.dtypes)}
    arrow = to_arrow(df, pg_types)
    staging = sql.Identifier(schema, _loading_name(table))
    with conn.cursor() as cur:
        if wait_for_lock:
            cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (_lock_key(schema, table),))
        elif not cur.execute("SELECT pg_try_advisory_xact_lock(hashtext(%s))", (_lock_key(schema, table),)).fetchone()[0]:
            raise _TableBusy(f"another load of {schema}.{table} is under way")
        cur.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
        cur.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(staging))
        columns = sql.SQL(", ").join(
            sql.SQL("{} {}").format(sql.Identifier(str(c)), sql.SQL(t)) for c, t in zip(df.columns, pg_types)
        )
        cur.execute(sql.SQL("CREATE TABLE {} ({})").format(staging, columns))
        # FREEZE: the table was created in this transaction, so its rows can be written frozen
        # (no later rewrite of every page to set visibility hints).
        with cur.copy(sql.SQL("COPY {} FROM STDIN (FORMAT csv, FREEZE)").format(staging)) as copy:
            for chunk in csv_chunks(arrow):
                copy.write(chunk)
        if analyze:
            cur.execute(_analyze_statement(staging, analyze))
    return {
        "rows": len(df), "seconds": time.perf_counter() - started, "pg_types": pg_types, "dtypes": dtypes,
        "arrow": arrow,
    }


# Whether to gather planner statistics in a load: True for every column, or the columns to gather them for.
Analyze = bool | Sequence[str]


def _analyze_statement(table: sql.Identifier, analyze: Analyze) -> sql.Composed:
    if analyze is True:
        return sql.SQL("ANALYZE {}").format(table)
    return sql.SQL("ANALYZE {} ({})").format(table, sql.SQL(", ").join(map(sql.Identifier, analyze)))


def _swap_in(conn: psycopg.Connection, schema: str, table: str, dtypes: dict, load_id: str) -> None:
    """The second half, in the same transaction: the loaded rows take the table's name and note."""
    target = sql.Identifier(schema, table)
    with conn.cursor() as cur:
        cur.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(target))
        cur.execute(
            sql.SQL("ALTER TABLE {} RENAME TO {}").format(
                sql.Identifier(schema, _loading_name(table)), sql.Identifier(table)
            )
        )
        comment = {"pandas_dtypes": dtypes, "load_id": load_id}
        cur.execute(sql.SQL("COMMENT ON TABLE {} IS {}").format(target, sql.Literal(json.dumps(comment))))


def _loading_name(table: str) -> str:
    return f"{table[:50]}__loading"


class _EarlyLoad:
    def __init__(self, conn: psycopg.Connection, frame: pd.DataFrame, figures: dict):
        self.conn, self.frame, self.figures = conn, frame, figures


class EarlyLoads:
    """Loads started before the IO manager is handed their frame, in a transaction left open.

    The raw step reads six sources and stores none unless all were read. It starts loading each
    source as soon as it is read, while the slowest (the PDF's Java extraction) is still running;
    when the IO manager then stores that same frame, it only swaps the loaded rows in and commits.
    A load that is never stored (a source failed, the step ended) is rolled back, so the all-or-
    nothing rule holds, and a load that could not start early is simply done by the IO manager.
    """

    def __init__(self) -> None:
        self._loads: dict[tuple[str, str, str], _EarlyLoad] = {}
        self._lock = threading.Lock()

    @contextmanager
    def scope(self, warehouse: WarehouseResource) -> Iterator[EarlyLoadScope]:
        """Loads started within the block; whatever was not stored by its end is rolled back."""
        scope = EarlyLoadScope(self, warehouse)
        try:
            yield scope
        finally:
            for where in scope.started:
                self.discard(where)

    def _start(self, where: tuple[str, str, str], warehouse: WarehouseResource, df: pd.DataFrame) -> str | None:
        _, schema, table = where
        conn = None
        try:
            conn = warehouse.connect()  # not autocommit: the transaction stays open until stored
            # An early load must never wait on another transaction: the one it waits for may be
            # another early load of the same step, which commits only when this one is done.
            conn.execute("SET lock_timeout = '10s'")
            # The schema is created and committed first: created inside the open transaction, it
            # would make every other early load into it wait for this one to be stored.
            conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
            conn.commit()
            figures = _stage(conn, schema, table, df, analyze=False, wait_for_lock=False)
        except Exception as error:  # noqa: BLE001 - the IO manager loads it instead, and reports any error
            if conn is not None:
                conn.close()
            return f"{type(error).__name__}: {str(error).strip().splitlines()[0] if str(error).strip() else ''}"
        self.discard(where)
        with self._lock:
            self._loads[where] = _EarlyLoad(conn, df, figures)
        return None

    def finish(self, where: tuple[str, str, str], df: pd.DataFrame, load_id: str, analyze: Analyze) -> dict | None:
        """Store `df` if an early load of this very frame is waiting: swap it in and commit. None if
        there is none (the caller loads the frame itself)."""
        with self._lock:
            load = self._loads.pop(where, None)
        if load is None:
            return None
        if load.frame is not df:
            _rollback_and_close(load.conn)
            return None
        _, schema, table = where
        try:
            with load.conn.cursor() as cur:
                if analyze:
                    cur.execute(_analyze_statement(sql.Identifier(schema, _loading_name(table)), analyze))
            _swap_in(load.conn, schema, table, load.figures["dtypes"], load_id)
            load.conn.commit()
        finally:
            load.conn.close()
        return {**load.figures, "started_early": True}

    def discard(self, where: tuple[str, str, str]) -> None:
        with self._lock:
            load = self._loads.pop(where, None)
        if load is not None:
            _rollback_and_close(load.conn)


class EarlyLoadScope:
    """Starts early loads into one warehouse (see `EarlyLoads`)."""

    def __init__(self, loads: EarlyLoads, warehouse: WarehouseResource):
        self._loads, self._warehouse = loads, warehouse
        self.started: list[tuple[str, str, str]] = []
        self._lock = threading.Lock()

    def start(self, asset_key_path: Sequence[str], df: pd.DataFrame) -> str | None:
        """Start loading the asset's table (blocks while the rows are copied). Returns None, or why it
        could not start (the IO manager will then load the frame when it is stored)."""
        schema, table = table_location(asset_key_path)
        where = (self._warehouse.resolved_url(), schema, table)
        with self._lock:
            self.started.append(where)
        return self._loads._start(where, self._warehouse, df)


def _rollback_and_close(conn: psycopg.Connection) -> None:
    try:
        conn.rollback()
    except psycopg.Error:
        pass  # the connection is already gone: Postgres has rolled the transaction back
    finally:
        conn.close()


early_loads = EarlyLoads()


def table_comment(conn: psycopg.Connection, schema: str, table: str) -> dict:
    """What the IO manager noted on the table when it loaded it (dtypes, load id)."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT obj_description(to_regclass(%s), 'pg_class')",
            (sql.Identifier(schema, table).as_string(conn),),
        )
        found = cur.fetchone()
    if found is None or found[0] is None and not _table_exists(conn, schema, table):
        raise LookupError(f"Table {schema}.{table} does not exist in the warehouse; materialise it first.")
    try:
        return json.loads(found[0]) if found[0] else {}
    except json.JSONDecodeError:
        return {}  # someone else's comment: no dtypes to restore


def read_arrow(conn: psycopg.Connection, schema: str, table: str) -> pa.Table:
    """`schema.table` as an Arrow table, through COPY's CSV (much faster than fetching rows)."""
    return copy_out_arrow(conn, sql.SQL("SELECT * FROM {}").format(sql.Identifier(schema, table)))


def copy_out_arrow(conn: psycopg.Connection, query: sql.Composable) -> pa.Table:
    """A query's result as an Arrow table, sent by the server as COPY CSV and parsed by Arrow (NULL
    and the empty string stay apart: COPY quotes the one and not the other)."""
    with conn.cursor() as cur:
        cur.execute(sql.SQL("SELECT * FROM ({}) AS result LIMIT 0").format(query))
        names = [d.name for d in cur.description]
        types = {d.name: _ARROW_TYPES_BY_OID.get(d.type_code, pa.string()) for d in cur.description}
        if len(set(names)) != len(names):  # Arrow names columns by these: they must be distinct
            raise ValueError(f"The query's result has repeated column names: {names}")
        body = bytearray()
        with cur.copy(sql.SQL("COPY ({}) TO STDOUT (FORMAT csv)").format(query)) as copy:
            for chunk in copy:
                body += chunk
    if not body:
        return pa.Table.from_arrays([pa.array([], type=types[n]) for n in names], names=names)
    return pa_csv.read_csv(
        pa.BufferReader(pa.py_buffer(body)),  # no copy of the (possibly large) CSV body
        read_options=pa_csv.ReadOptions(column_names=names, block_size=64 << 20),
        # Values may hold line breaks (addresses; they are quoted); an empty line is a one-column null row.
        parse_options=pa_csv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
        convert_options=pa_csv.ConvertOptions(
            column_types=types, null_values=[""], strings_can_be_null=True, quoted_strings_can_be_null=False,
            true_values=["t"], false_values=["f"],
        ),
    )


def frame_from_arrow(table: pa.Table, dtypes: dict[str, str]) -> pd.DataFrame:
    """The Arrow table as a DataFrame with the pandas dtypes it was written with."""
    columns = {}
    for name, column in zip(table.column_names, table.columns):
        wanted = dtypes.get(name)
        if wanted is not None and wanted.startswith("string"):
            columns[name] = pd.Series(pd.array(column, dtype=wanted))
            continue
        values = column.to_pandas(date_as_object=False)
        if wanted is None:
            pass
        elif wanted == "object":
            values = values.astype(object).where(values.notna(), None)
        elif wanted.startswith("datetime64"):
            values = pd.to_datetime(values).astype(wanted)
        else:
            values = values.astype(wanted)
        columns[name] = values
    return pd.DataFrame(columns, columns=table.column_names)


def read_table(conn: psycopg.Connection, schema: str, table: str) -> pd.DataFrame:
    """Load `schema.table` back as a DataFrame with the pandas dtypes it was written with."""
    dtypes = table_comment(conn, schema, table).get("pandas_dtypes", {})
    return frame_from_arrow(read_arrow(conn, schema, table), dtypes)


def _table_exists(conn: psycopg.Connection, schema: str, table: str) -> bool:
    with conn.cursor() as cur:
        cur.execute("SELECT to_regclass(%s) IS NOT NULL", (sql.Identifier(schema, table).as_string(conn),))
        return bool(cur.fetchone()[0])


@contextmanager
def warehouse_connection(warehouse: WarehouseResource) -> Iterator[psycopg.Connection]:
    conn = warehouse.connect()
    try:
        yield conn
    finally:
        conn.close()


# ---------------------------------------------------------------------------------------------
# The IO manager


def table_location(asset_key_path: Sequence[str]) -> tuple[str, str]:
    """(schema, table) for an asset key: the first part is the layer, the last the table."""
    if len(asset_key_path) == 1:
        return "public", asset_key_path[0]
    return asset_key_path[0], asset_key_path[-1]


def markdown_preview(df: pd.DataFrame, rows: int = 5) -> str:
    """A few rows as a markdown table (line breaks and pipes escaped so the table stays intact)."""
    head = df.head(rows).astype(object).where(df.head(rows).notna(), None)
    head = head.map(lambda v: v if not isinstance(v, str) else v.replace("\n", "⏎").replace("|", "\\|"))
    return head.to_markdown(index=False)


def table_metadata(df: pd.DataFrame, schema: str, table: str, pg_types: Sequence[str]) -> dict:
    return {
        "dagster/row_count": MetadataValue.int(len(df)),
        "dagster/table_name": MetadataValue.text(f"warehouse.{schema}.{table}"),
        "dagster/column_schema": MetadataValue.table_schema(
            TableSchema(columns=[TableColumn(name=str(c), type=t) for c, t in zip(df.columns, pg_types)])
        ),
        "preview": MetadataValue.md(markdown_preview(df)),
    }


class _HandOff:
    """The tables this process has just loaded, kept as compact Arrow tables so that the next step of
    the same run (the in-process executor) takes its input from memory instead of reading back what
    was written a moment ago. An entry is used only while the table still carries the load id it was
    written with, so a table replaced by anyone else is always read from the warehouse; each entry is
    handed over once, and the oldest go first when the entries pass the byte budget."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str, str], tuple[str, pa.Table]] = {}
        self._lock = threading.Lock()

    def put(self, where: tuple[str, str, str], load_id: str, table: pa.Table, budget_bytes: int) -> None:
        with self._lock:
            self._entries.pop(where, None)
            if table.nbytes > budget_bytes:
                return
            self._entries[where] = (load_id, table)
            while sum(t.nbytes for _, t in self._entries.values()) > budget_bytes:
                self._entries.pop(next(iter(self._entries)))

    def take(self, where: tuple[str, str, str], load_id: str) -> pa.Table | None:
        with self._lock:
            found = self._entries.pop(where, None)
        if found is None or not load_id or found[0] != load_id:
            return None
        return found[1]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


hand_off = _HandOff()


# Definition metadata of an output: the columns whose planner statistics its load gathers.
STATISTICS_COLUMNS = "statistics_columns"
# Definition metadata of an output stored as a slice of a shared table: the column that names the
# slice. Its asset key is `[schema, table, slice]`: the rows of `schema.table` whose column is `slice`.
SLICE_COLUMN = "warehouse/slice_column"


class PostgresDataFrameIOManager(ConfigurableIOManager):
    """Stores each asset's DataFrame as a table in the warehouse, loaded with COPY and swapped in
    atomically, and loads it back with the dtypes it was written with.

    Within one process, a table just written is handed to the step that reads it next from memory
    (see `_HandOff`): tables of `hand_off_layers`, up to `hand_off_megabytes` (0 turns it off)."""

    warehouse: WarehouseResource
    hand_off_megabytes: int = 160
    # Only raw tables are loaded back by a later step (the clean step reads them); clean, quarantine
    # and star tables are read with SQL, so keeping them would only hold memory.
    hand_off_layers: list[str] = ["raw"]
    # Layers whose tables later steps join in SQL (the reference checks and the star build read the
    # clean tables): their planner statistics are gathered in the load. Without them, the first join
    # after a load can pick a plan that runs for minutes (seen: over nine minutes for an orphan-key
    # check on 1.2M orders that takes 0.4 s once the tables are analysed).
    # An output's definition metadata can name the columns later SQL joins on (`STATISTICS_COLUMNS`):
    # statistics for those alone cost a third as much as for every column (0.08 s instead of 0.24 s
    # for 120,000 orders) and are all the joins' plans use.
    analyze_layers: list[str] = ["clean"]

    def _where(self, schema: str, table: str) -> tuple[str, str, str]:
        return (self.warehouse.resolved_url(), schema, table)

    def handle_output(self, context: OutputContext, obj: pd.DataFrame) -> None:
        if obj is None:
            return
        slice_column = context.definition_metadata.get(SLICE_COLUMN)
        if slice_column:
            schema, table, part = context.asset_key.path
            with warehouse_connection(self.warehouse) as conn:
                figures = replace_slice(conn, schema, table, slice_column, part, obj)
            metadata = table_metadata(obj, schema, table, figures["pg_types"])
            metadata["dagster/table_name"] = MetadataValue.text(f"warehouse.{schema}.{table} ({slice_column} = {part})")
            metadata["load_seconds"] = MetadataValue.float(round(figures["seconds"], 3))
            context.add_output_metadata(metadata)
            return
        schema, table = table_location(context.asset_key.path)
        load_id = uuid.uuid4().hex
        analyze: Analyze = False
        if schema in self.analyze_layers:
            analyze = context.definition_metadata.get(STATISTICS_COLUMNS) or True  # the columns named, else all
        figures = early_loads.finish(self._where(schema, table), obj, load_id, analyze)
        if figures is None:
            with warehouse_connection(self.warehouse) as conn:
                figures = replace_table(conn, schema, table, obj, load_id=load_id, analyze=analyze)
        if schema in self.hand_off_layers:
            hand_off.put(self._where(schema, table), load_id, figures["arrow"], self.hand_off_megabytes << 20)
        metadata = table_metadata(obj, schema, table, figures["pg_types"])
        if "dagster/column_schema" in context.definition_metadata:
            del metadata["dagster/column_schema"]  # the declared one, with descriptions, stays in view
        metadata["load_seconds"] = MetadataValue.float(round(figures["seconds"], 3))
        if figures.get("started_early"):
            # The rows were copied while the step was still reading other sources (see EarlyLoads).
            metadata["load_started_early"] = MetadataValue.bool(True)
        context.add_output_metadata(metadata)

    def load_input(self, context: InputContext) -> pd.DataFrame:
        slice_column = (context.upstream_output.definition_metadata or {}).get(SLICE_COLUMN) if context.upstream_output else None
        if slice_column:
            schema, table, part = context.asset_key.path
            with warehouse_connection(self.warehouse) as conn:
                return read_slice(conn, schema, table, slice_column, part)
        schema, table = table_location(context.asset_key.path)
        with warehouse_connection(self.warehouse) as conn:
            comment = table_comment(conn, schema, table)
            arrow = hand_off.take(self._where(schema, table), comment.get("load_id", ""))
            if arrow is None:
                arrow = read_arrow(conn, schema, table)
        return frame_from_arrow(arrow, comment.get("pandas_dtypes", {}))
