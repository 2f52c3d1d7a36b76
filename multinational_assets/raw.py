"""What every raw asset shares: the raw shape (the source's columns, in order, every value text or
null), its pandera schema, and the metadata that says where the data came from."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pandera.pandas as pa
from dagster import BetaWarning, MetadataValue
from dagster_pandera import pandera_schema_to_dagster_type


class SourceShapeError(ValueError):
    """A source's columns are not the ones the pipeline was built for."""


@dataclass
class SourceClients:
    """The clients a source reader may use (the run's resources), and a log line writer."""

    legacy_database: Any
    source_bucket: Any
    stores_api: Any
    pdf_reader: Any
    log: Callable[[str], None] = print


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


def raw_text_schema(name: str, columns: Sequence[str]) -> pa.DataFrameSchema:
    """The raw shape: exactly these columns in this order, every value a string or null."""
    return pa.DataFrameSchema(
        {c: pa.Column(object, nullable=True, checks=pa.Check(_all_text, element_wise=False, name="text"))
         for c in columns},
        name=name,
        strict=True,
        ordered=True,
        description=f"{name}, as the source holds it: every value text (or null).",
    )


def _all_text(values: pd.Series) -> bool:
    # infer_dtype runs in C: checking 10M cells costs a fraction of a second.
    return pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty")


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
    return schema.validate(df, lazy=True)


def as_text_frame(records: pd.DataFrame) -> pd.DataFrame:
    """Every value as text, nulls as None: what a raw table holds."""
    out = records.astype(object)
    for column in out.columns:
        values = out[column]
        mask = values.isna()
        if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
            # Already text (the common case): only nulls need normalising, no per-value pass.
            out[column] = values.where(~mask, None)
        else:
            out[column] = values.where(mask, values.map(_to_text)).where(~mask, None)
    return out


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
