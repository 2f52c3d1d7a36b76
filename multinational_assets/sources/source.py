"""What every source declares (`Source`: its raw table, columns, reader and origin) and the raw shape
every raw table has: the source's columns, in order, every value text or null.

Plain Python (no Dagster): the raw layer's assets are built from these declarations in
`multinational_assets.defs.raw`.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pandas as pd
import pandera.pandas as pa
import pyarrow

from multinational_assets.schema_types import ARROW_TEXT, TEXT


class SourceShapeError(ValueError):
    """A source's columns are not the ones the pipeline was built for."""


def _already_set() -> threading.Event:
    event = threading.Event()
    event.set()
    return event


# A run started for new versions of S3 files reads exactly those versions: a run tag per file (named by
# its key setting) holds the object's key and the ETag the S3 sensor saw.
_PINNED_PREFIX = "multinational/pinned."


def pinned_version_tag(key_setting: str, key: str, etag: str) -> dict[str, str]:
    """The run tag that pins the file of `key_setting` to object `key` at `etag`."""
    return {_PINNED_PREFIX + key_setting: json.dumps({"key": key, "etag": etag}, sort_keys=True)}


def pinned_versions(tags: Mapping[str, str]) -> dict[str, tuple[str, str]]:
    """The run's pinned files: key setting -> (object key, ETag)."""
    pinned = {}
    for name, value in tags.items():
        if name.startswith(_PINNED_PREFIX):
            version = json.loads(value)
            pinned[name.removeprefix(_PINNED_PREFIX)] = (version["key"], version["etag"])
    return pinned


@dataclass
class SourceClients:
    """The clients a source reader may use (the run's resources), and a log line writer."""

    legacy_database: Any
    source_bucket: Any
    stores_api: Any
    pdf_reader: Any
    log: Callable[[str], None] = print
    # Set once the PDF's extraction is running (or will not run): it is the longest read, and sources
    # that decode in Python wait for it (see Source.decodes_in_python).
    pdf_extraction_started: threading.Event = field(default_factory=_already_set)
    # Files this run must read at exactly one version (see `pinned_versions`): key setting -> (key, ETag).
    pinned: dict[str, tuple[str, str]] = field(default_factory=dict)

    def read_object(self, key_setting: str) -> tuple[bytes, dict]:
        """The bytes of the source bucket's object that `key_setting` (`PRODUCTS_KEY`) names, and where
        they came from; no larger than its size limit (`PRODUCTS_MAX_BYTES`). A pinned file is read at
        its pinned version or not at all."""
        limit_name = key_setting.removesuffix("_KEY") + "_MAX_BYTES"
        bucket = self.source_bucket
        key, etag = self.pinned.get(key_setting, (bucket.key_of(key_setting), None))
        return bucket.get_object(key, bucket.limit(limit_name), limit_name, if_match=etag)


@dataclass
class RawExtract:
    """What reading one source gave: its rows as text, and facts about where they came from."""

    frame: pd.DataFrame
    facts: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Origin:
    """Where a source lives, as the external asset upstream of its raw table: `key` (e.g.
    `source/s3/products_csv`), what it is, the kind of system, and for an S3 object the setting that
    says where in the bucket it is (the S3 sensor watches those)."""

    key: tuple[str, ...]
    description: str
    kind: str
    s3_key_setting: str | None = None


@dataclass(frozen=True)
class Source:
    """One source, declared once: the raw table it becomes (`raw.<raw_table>`, every value text), its
    columns in order, the function that reads it, where it lives, and how the raw asset is described."""

    raw_table: str
    raw_columns: tuple[str, ...]
    read: Callable[[SourceClients], RawExtract]
    description: str
    origin: Origin
    # Decoding it holds the interpreter lock for a second or more at a time (a large JSON file): it
    # starts once the PDF's reading processes are running, so it does not delay their start.
    decodes_in_python: bool = False
    # At the retailer's size it holds hundreds of MB while it is read (a million-row table or file).
    # The large sources are read one after another, so those peaks never add up (see the raw step).
    large: bool = False

    @property
    def kind(self) -> str:
        return self.origin.kind

    @cached_property
    def schema(self) -> pa.DataFrameSchema:
        """The raw shape: exactly these columns in this order, every value text or null."""
        return raw_text_schema(f"raw_{self.raw_table}", self.raw_columns)


def legacy_table_reader(table: str, columns: Mapping[str, str]) -> Callable[[SourceClients], RawExtract]:
    """The reader of one legacy database table with these columns (name -> the type the database gives
    it): every row, each value as text. A column whose type changed or that is gone fails the read; a
    column added beside them is ignored and named in the facts."""

    def read_legacy_table(clients: SourceClients) -> RawExtract:
        frame, facts = clients.legacy_database.read_table(table, columns)
        return RawExtract(frame, {"source": f"legacy database table {table}", **facts})

    return read_legacy_table


def raw_text_schema(name: str, columns: Sequence[str]) -> pa.DataFrameSchema:
    """The raw shape: exactly these columns in this order, every value text or null."""
    return pa.DataFrameSchema(
        {c: pa.Column(ARROW_TEXT, nullable=True) for c in columns},
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
