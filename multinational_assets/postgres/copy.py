"""Moving pandas frames in and out of Postgres with COPY, formatted and parsed by Arrow.

Row-by-row COPY from Python cost most of a load's time at 1M rows; Arrow's C++ CSV writer and parser
do the formatting and parsing outside the interpreter. Both the warehouse and the legacy-database
reader use it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pandas as pd
import psycopg
import pyarrow as pa
import pyarrow.csv as pa_csv
from psycopg import sql

from multinational_assets.schema_types import arrow_held

# pandas dtype kind → Postgres type. Dates are written as DATE when every value is a midnight, so a
# date column does not turn into a timestamp; the exact pandas dtype is kept in the table comment
# and restored on load.
_PG_TYPES = {"i": "BIGINT", "u": "BIGINT", "f": "DOUBLE PRECISION", "b": "BOOLEAN"}
_COPY_CHUNK_ROWS = 200_000

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


def _arrow_column(series: pd.Series, pg_type: str) -> pa.Array | pa.ChunkedArray:
    """One column as an Arrow array of the type its Postgres type travels as (text as `string` or
    `large_string`); NaN and None are null (so an empty string stays one)."""
    target = _ARROW_TYPES[pg_type]
    if pg_type == "TEXT":
        # Arrow-backed text is taken as it is, sharing its buffers: converted to `string`, 1.2M raw
        # orders were held twice while their load ran (about 200 MB).
        held = arrow_held(series)
        if held is not None:
            return held
        if series.dtype == object and pd.api.types.infer_dtype(series, skipna=True) not in ("string", "empty"):
            # Mixed values (numbers, decimals) are stored as their text, as COPY's text adaptation did.
            series = series.map(lambda v: v if v is None or isinstance(v, str) or pd.isna(v) else str(v))
        return pa.array(series, type=target, from_pandas=True)
    if pg_type == "DATE":
        return pa.array(series, from_pandas=True).cast(pa.timestamp("us")).cast(target)
    return pa.array(series, from_pandas=True).cast(target)


def frame_columns(df: pd.DataFrame) -> list[pd.Series]:
    """The frame's columns by position (names may repeat), each taken once: `df.iloc[:, i]` cost a
    small table's load more than its rows did."""
    return [values for _, values in df.items()]


def to_arrow(df: pd.DataFrame, pg_types: Sequence[str], columns: Sequence[pd.Series] | None = None) -> pa.Table:
    """The frame (or its `columns`, already taken) as an Arrow table whose column types read back as
    the frame's dtypes (text stays `large_string` when pandas holds it so: no copy)."""
    arrays = [_arrow_column(values, t) for values, t in zip(columns or frame_columns(df), pg_types)]
    return pa.Table.from_arrays(arrays, names=[str(c) for c in df.columns])


def csv_chunks(table: pa.Table) -> Iterator[bytes]:
    """The table as Postgres CSV, a few hundred thousand rows at a time: every value quoted and a
    null left empty and unquoted, which is how Postgres tells NULL from an empty string."""
    options = pa_csv.WriteOptions(include_header=False, quoting_style="all_valid")
    for batch in table.to_batches(max_chunksize=_COPY_CHUNK_ROWS):
        sink = pa.BufferOutputStream()
        pa_csv.write_csv(batch, sink, options)
        yield sink.getvalue().to_pybytes()


def dtype_name(dtype) -> str:
    # `str()` of an Arrow-backed string dtype is just "string", which would load back Python-backed.
    if isinstance(dtype, pd.StringDtype):
        return f"string[{dtype.storage}]"
    return str(dtype)


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
