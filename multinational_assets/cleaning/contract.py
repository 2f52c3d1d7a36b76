"""The declaration of a clean table: its columns, each once, with its kind and meaning.

Everything about a clean column follows from its `Column`: the parser (the kind's `read`), the pandera
check, the star's SQL type, the reason a value is rejected with, and the description the UI shows.
A `TableContract` adds what belongs to the whole table: the raw table it is cleaned from, its key, the
keys of other tables it references, and the plausibility rules whose doubts are reported (never
dropped).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd
import pandera.pandas as pa

from multinational_assets.parsing import Kind
from multinational_assets.parsing.vocabulary import DOUBT_UNKNOWN, Vocabulary
from multinational_assets.schema_types import pandera_dtype


@dataclass(frozen=True)
class Column:
    """One clean column: its name, kind, a one-line description, and the raw column it is read
    from (`source`, when the raw name differs)."""

    name: str
    kind: Kind
    description: str
    source: str | None = None

    @property
    def reads(self) -> str:
        return self.source or self.name


@dataclass(frozen=True)
class Plausibility:
    """A rule that flags kept rows worth a second look (a card number whose length does not fit its
    provider, coordinates outside the store's country). Flagged rows are counted and shown, never
    dropped or changed. `flag` gets the clean frame and returns True for doubtful rows."""

    name: str
    description: str
    flag: Callable[[pd.DataFrame], pd.Series]
    shows: tuple[str, ...] = ()


@dataclass(frozen=True)
class Doubt:
    """One non-blocking check of a clean table: a plausibility rule, or a kind's own doubt about a
    column (an unknown vocabulary value)."""

    name: str
    description: str
    shows: tuple[str, ...]


# A kind's doubt -> the check that reports it: (check name suffix, description).
_KIND_DOUBTS = {DOUBT_UNKNOWN: ("is_known", "Values of {column} outside its known list: kept as written, listed here.")}


@dataclass(frozen=True)
class TableContract:
    """A clean table and how it is made from its raw table."""

    table: str
    raw_table: str
    raw_columns: tuple[str, ...]
    key: str
    columns: tuple[Column, ...]
    description: str
    quarantine_description: str
    labels: tuple[str, ...] = ()  # raw row labels: not content, never cleaned
    references: Mapping[str, str] = field(default_factory=dict)  # column -> dimension it names a row of
    plausibility: tuple[Plausibility, ...] = ()

    def __post_init__(self) -> None:
        names = [c.name for c in self.columns]
        if self.key not in names:
            raise ValueError(f"{self.table}: key {self.key!r} is not one of its columns")
        unknown = [c.reads for c in self.columns if c.reads not in self.raw_columns]
        if unknown:
            raise ValueError(f"{self.table}: columns read from raw columns it does not have: {unknown}")

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def content_columns(self) -> list[str]:
        """The raw columns that hold the source's data (every raw column but the row labels)."""
        return [c for c in self.raw_columns if c not in self.labels]

    @property
    def joined_on(self) -> list[str]:
        """The columns later SQL joins on: the key and the references."""
        return list(dict.fromkeys([self.key, *self.references]))

    @property
    def doubts(self) -> list[Doubt]:
        """Every non-blocking check this table reports, in a fixed order."""
        found = []
        for column in self.columns:
            if isinstance(column.kind, Vocabulary):
                suffix, text = _KIND_DOUBTS[DOUBT_UNKNOWN]
                found.append(Doubt(f"{column.name}_{suffix}", text.format(column=column.name), (column.name,)))
        found += [Doubt(p.name, p.description, p.shows) for p in self.plausibility]
        return found

    @staticmethod
    def doubt_name(column: str, kind_doubt: str) -> str:
        return f"{column}_{_KIND_DOUBTS[kind_doubt][0]}"

    @cached_property
    def schema(self) -> pa.DataFrameSchema:
        """The pandera schema every clean frame of this table satisfies (a bug guard: dirty data never
        fails it, because every value was read by its kind or set to null). The key's uniqueness is
        made by `clean_table`, which quarantines each later row with an earlier row's key: pandera's
        own check hashed the key column again, 135 MB more at the cleaning's peak for 1.2M orders."""
        columns = {}
        for column in self.columns:
            check = column.kind.check()
            is_key = column.name == self.key
            columns[column.name] = pa.Column(
                pandera_dtype(column.kind.pandas_dtype),
                [check] if check is not None else [],
                nullable=not is_key,
                description=column.description,
            )
        return pa.DataFrameSchema(columns, strict=True, ordered=True, name=self.table)
