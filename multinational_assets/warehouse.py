"""The Postgres warehouse: a connection resource and the IO manager that stores DataFrames in it.

Every asset's table lives in a schema named after its layer (the first part of its asset key:
`raw`, `clean`, `quarantine`, `star`, `metrics`). Tables are loaded with COPY (psycopg 3) into a new
table beside the old one and swapped in with one transaction, so readers never see a partial table and
a failed load leaves the previous version in place.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import pandas as pd
import psycopg
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


def _python_values(series: pd.Series, pg_type: str) -> list:
    """One column as plain Python values for COPY, nulls as None (so an empty string stays one)."""
    mask = series.isna().to_numpy()
    if pg_type == "DATE":
        values = series.dt.date.astype(object).tolist()
    elif pg_type == "TIMESTAMP":
        values = series.astype(object).tolist()
        values = [v.to_pydatetime() if hasattr(v, "to_pydatetime") else v for v in values]
    else:
        # tolist() turns numpy scalars into Python ones, which psycopg adapts exactly.
        values = series.astype(object).tolist()
    if mask.any():
        values = [None if missing else v for v, missing in zip(values, mask)]
    return values


def copy_rows(df: pd.DataFrame, pg_types: Sequence[str]) -> Iterator[tuple]:
    """The frame's rows as tuples of Python values, for psycopg's COPY `write_row` (which escapes
    in C: several times faster than building the COPY text with pandas string operations)."""
    for start in range(0, len(df), _COPY_CHUNK_ROWS):
        part = df.iloc[start : start + _COPY_CHUNK_ROWS]
        columns = [_python_values(part.iloc[:, i], t) for i, t in enumerate(pg_types)]
        yield from zip(*columns)


def _lock_key(schema: str, table: str) -> str:
    return f"multinational_assets:{schema}.{table}"


def replace_table(conn: psycopg.Connection, schema: str, table: str, df: pd.DataFrame) -> dict:
    """Replace `schema.table` with the frame, atomically.

    The new rows are loaded into `<table>__loading` with COPY and renamed over the old table in the same
    transaction. An advisory lock serialises two loads of one table, so concurrent materialisations
    cannot interleave. Returns figures about the load.
    """
    started = time.perf_counter()
    pg_types = [postgres_type(df.iloc[:, i]) for i in range(df.shape[1])]
    dtypes = {str(c): str(t) for c, t in zip(df.columns, df.dtypes)}
    loading = f"{table[:50]}__loading"
    target = sql.Identifier(schema, table)
    staging = sql.Identifier(schema, loading)
    with conn.transaction():
        with conn.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (_lock_key(schema, table),))
            cur.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
            cur.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(staging))
            columns = sql.SQL(", ").join(
                sql.SQL("{} {}").format(sql.Identifier(str(c)), sql.SQL(t)) for c, t in zip(df.columns, pg_types)
            )
            cur.execute(sql.SQL("CREATE TABLE {} ({})").format(staging, columns))
            with cur.copy(sql.SQL("COPY {} FROM STDIN").format(staging)) as copy:
                for row in copy_rows(df, pg_types):
                    copy.write_row(row)
            cur.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(target))
            cur.execute(sql.SQL("ALTER TABLE {} RENAME TO {}").format(staging, sql.Identifier(table)))
            cur.execute(
                sql.SQL("COMMENT ON TABLE {} IS {}").format(
                    target, sql.Literal(json.dumps({"pandas_dtypes": dtypes}))
                )
            )
    return {"rows": len(df), "seconds": time.perf_counter() - started, "pg_types": pg_types}


def read_table(conn: psycopg.Connection, schema: str, table: str) -> pd.DataFrame:
    """Load `schema.table` back as a DataFrame with the pandas dtypes it was written with."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT obj_description(to_regclass(%s), 'pg_class')",
            (sql.Identifier(schema, table).as_string(conn),),
        )
        found = cur.fetchone()
        if found is None or found[0] is None and not _table_exists(conn, schema, table):
            raise LookupError(f"Table {schema}.{table} does not exist in the warehouse; materialise it first.")
        dtypes = json.loads(found[0]).get("pandas_dtypes", {}) if found[0] else {}
        cur.execute(sql.SQL("SELECT * FROM {}").format(sql.Identifier(schema, table)))
        names = [d.name for d in cur.description]
        rows = cur.fetchall()
    df = pd.DataFrame.from_records(rows, columns=names, coerce_float=False)
    for name in names:
        wanted = dtypes.get(name)
        if wanted is None:
            continue
        if wanted == "object":
            df[name] = df[name].astype(object).where(df[name].notna(), None)
        elif wanted.startswith("datetime64"):
            df[name] = pd.to_datetime(df[name]).astype(wanted)
        else:
            df[name] = df[name].astype(wanted)
    return df


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


class PostgresDataFrameIOManager(ConfigurableIOManager):
    """Stores each asset's DataFrame as a table in the warehouse, loaded with COPY and swapped in
    atomically, and loads it back with the dtypes it was written with."""

    warehouse: WarehouseResource

    def handle_output(self, context: OutputContext, obj: pd.DataFrame) -> None:
        if obj is None:
            return
        schema, table = table_location(context.asset_key.path)
        with warehouse_connection(self.warehouse) as conn:
            figures = replace_table(conn, schema, table, obj)
        metadata = table_metadata(obj, schema, table, figures["pg_types"])
        metadata["load_seconds"] = MetadataValue.float(round(figures["seconds"], 3))
        context.add_output_metadata(metadata)

    def load_input(self, context: InputContext) -> pd.DataFrame:
        schema, table = table_location(context.asset_key.path)
        with warehouse_connection(self.warehouse) as conn:
            return read_table(conn, schema, table)
