"""What every raw asset shares: the raw shape (the source's columns, in order, every value text or
null), its pandera schema, and the metadata that says where the data came from."""

from __future__ import annotations

import threading
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pyarrow
import pandera.pandas as pa
from dagster import BetaWarning, MetadataValue
from dagster_pandera import pandera_schema_to_dagster_type


class SourceShapeError(ValueError):
    """A source's columns are not the ones the pipeline was built for."""


def _already_set() -> threading.Event:
    event = threading.Event()
    event.set()
    return event


@dataclass
class SourceClients:
    """The clients a source reader may use (the run's resources), and a log line writer."""

    legacy_database: Any
    source_bucket: Any
    stores_api: Any
    pdf_reader: Any
    log: Callable[[str], None] = print
    # Set once the PDF's Java extraction is running (or will not run): Java is the longest read, and
    # sources that decode in Python wait for it (see RawSource.decodes_in_python).
    pdf_extraction_started: threading.Event = field(default_factory=_already_set)


@dataclass
class RawExtract:
    """What reading one source gave: its rows as text, and facts about where they came from."""

    frame: pd.DataFrame
    facts: dict = field(default_factory=dict)


@dataclass(frozen=True)
class RawSource:
    """One source: the raw table it becomes, its raw schema, and the function that reads it."""

    table: str
    schema: pa.DataFrameSchema
    read: Callable[[SourceClients], RawExtract]
    description: str
    kind: str
    # Decoding it holds the interpreter lock for a second or more at a time (a large JSON file): it
    # starts once the other sources' transfers are done and the PDF's Java extraction is running, so
    # it neither starves their I/O threads nor delays Java, the longest read.
    decodes_in_python: bool = False


# Raw text is held Arrow-backed: a million-row table of short strings takes a fraction of the memory
# of Python string objects, and goes to COPY without a per-value pass.
TEXT = pd.StringDtype("pyarrow")


def raw_text_schema(name: str, columns: Sequence[str]) -> pa.DataFrameSchema:
    """The raw shape: exactly these columns in this order, every value text or null."""
    return pa.DataFrameSchema(
        {c: pa.Column(TEXT, nullable=True) for c in columns},
        name=name,
        strict=True,
        ordered=True,
        description=f"{name}, as the source holds it: every value text (or null).",
    )


def as_compact_text(df: pd.DataFrame, source: str) -> pd.DataFrame:
    """The raw frame with every column Arrow-backed text; a column holding anything but text or nulls
    is refused with its name (a reader forgot to render it as text)."""
    columns = {}
    not_text = []
    for name in df.columns:
        values = df[name]
        if values.dtype == TEXT:
            columns[name] = values
        elif pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
            # infer_dtype runs in C: checking 10M cells costs a fraction of a second.
            columns[name] = values.astype(TEXT)
        else:
            not_text.append(str(name))
    if not_text:
        raise SourceShapeError(f"{source} has values that are not text in column(s) {', '.join(not_text)}.")
    return pd.DataFrame(columns, index=df.index)


def raw_dagster_type(schema: pa.DataFrameSchema):
    """A Dagster type for the UI, made once per schema (two types with one name are an error)."""
    with warnings.catch_warnings():
        # The integration is marked beta; we use only its stable core (schema → type).
        warnings.simplefilter("ignore", BetaWarning)
        return pandera_schema_to_dagster_type(schema)


def check_raw_shape(df: pd.DataFrame, expected: Sequence[str], source: str) -> None:
    """Fail with a message naming every missing, new or moved column."""
    found = [str(c) for c in df.columns]
    expected = list(expected)
    if found == expected:
        return
    missing = [c for c in expected if c not in found]
    new = [c for c in found if c not in expected]
    problems = []
    if missing:
        problems.append("missing column(s) " + ", ".join(repr(c) for c in missing))
    if new:
        problems.append("new column(s) " + ", ".join(repr(c) for c in new))
    if not problems:
        problems.append(f"columns in another order: {found}")
    raise SourceShapeError(
        f"{source} does not have the expected shape: {'; '.join(problems)}. "
        f"Expected columns: {', '.join(expected)}."
    )


def validate_raw(df: pd.DataFrame, schema: pa.DataFrameSchema, source: str) -> pd.DataFrame:
    """Check the shape (readable message first), then the pandera schema."""
    check_raw_shape(df, list(schema.columns), source)
    return schema.validate(as_compact_text(df, source), lazy=True)


def as_text_frame(records: pd.DataFrame) -> pd.DataFrame:
    """Every value as text, nulls as null: what a raw table holds."""
    return pd.DataFrame({name: as_text_series(values) for name, values in records.items()}, index=records.index)


def as_text_series(values) -> pd.Series:
    """One column's values (a Series or a list) as Arrow-backed text: strings kept exactly, numbers
    and booleans rendered as text, None and NaN null."""
    if isinstance(values, list):
        try:  # all strings and None (the common case): Arrow converts the list directly
            return pd.Series(pd.array(pyarrow.array(values, type=pyarrow.string()), dtype=TEXT))
        except (pyarrow.ArrowTypeError, pyarrow.ArrowInvalid):
            values = pd.Series(values, dtype=object)
    values = values.astype(object)
    if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
        # Already text (the common case): no per-value pass.
        return values.astype(TEXT)
    mask = values.isna()
    return values.where(mask, values.map(_to_text)).where(~mask, None).astype(TEXT)


def _to_text(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return repr(value)
    return str(value)


def source_metadata(df: pd.DataFrame, seconds: float, **facts) -> dict:
    """Where the rows came from and what reading them cost."""
    metadata = {
        "rows": MetadataValue.int(len(df)),
        "read_seconds": MetadataValue.float(round(seconds, 3)),
        "rows_per_second": MetadataValue.float(round(len(df) / seconds, 1) if seconds else 0.0),
    }
    for key, value in facts.items():
        if isinstance(value, int):
            metadata[key] = MetadataValue.int(value)
        elif isinstance(value, float):
            metadata[key] = MetadataValue.float(value)
        else:
            metadata[key] = MetadataValue.text(str(value))
    return metadata
