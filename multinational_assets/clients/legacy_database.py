"""The legacy Postgres database (users and orders), read through SQLAlchemy, read-only."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
import psycopg
import sqlalchemy as sa
from psycopg import sql as psql

from multinational_assets.clients import SourceUnavailable
from multinational_assets.postgres.connection import redact_url
from multinational_assets.postgres.copy import copy_out_arrow
from multinational_assets.schema_types import TEXT


class SchemaDrift(ValueError):
    """A legacy table's columns are no longer the ones the pipeline reads: one renamed, gone or retyped."""


class TableTooLarge(ValueError):
    """A legacy table holds more rows than LEGACY_MAX_ROWS."""


# Types whose values render as the same text: a column moving between two types of one family (text
# to varchar, integer to bigint) reads the same, so it is not drift.
_TYPE_FAMILIES = {
    "text": "text", "character varying": "text", "character": "text", "varchar": "text", "char": "text",
    "smallint": "integer", "integer": "integer", "bigint": "integer",
    "real": "decimal", "double precision": "decimal", "numeric": "decimal",
}


def _family(sql_type: str) -> str:
    return _TYPE_FAMILIES.get(sql_type.lower(), sql_type.lower())


def schema_drift(expected: Mapping[str, str], found: Mapping[str, str]) -> tuple[list[str], dict[str, str]]:
    """(problems, notes): what makes `found` (column -> type, as the database has it) unreadable as
    `expected`, and what is read past but worth saying (for the raw asset's metadata).

    Problems: a column gone (or renamed), or retyped to anything but text (text to integer loses
    leading zeros and signs; a number's new type may have rounded it). Notes: columns added beside the
    expected ones (not read), and columns now text (every value reads as the same text as before)."""
    problems, retyped_to_text = [], []
    for name in expected:
        if name in found and _family(found[name]) != _family(expected[name]):
            if _family(found[name]) == "text":
                retyped_to_text.append(f"{name} ({expected[name]} -> {found[name]})")
            else:
                problems.append(f"column {name!r} is {found[name]}, was {expected[name]}")
    missing = [name for name in expected if name not in found]
    added = [name for name in found if name not in expected]
    if missing:
        gone = ", ".join(f"{name!r} ({expected[name]})" for name in missing)
        problems.append(f"column(s) {gone} gone")
        if added:
            problems.append("new column(s) " + ", ".join(f"{name!r} ({found[name]})" for name in added) + " (renamed?)")
    notes = {}
    if added:
        notes["ignored_new_columns"] = ", ".join(f"{name} ({found[name]})" for name in added)
    if retyped_to_text:
        notes["columns_now_text"] = ", ".join(retyped_to_text)
    return problems, notes


@dataclass(frozen=True)
class LegacyDatabase:
    """The legacy database at `url` (an SQLAlchemy URL, e.g. `postgresql+psycopg://...`)."""

    url: str
    chunk_rows: int = 50_000
    max_rows: int = 20_000_000

    def engine(self) -> sa.Engine:
        # Every transaction on this connection is read-only at the server: the project can never
        # write to the source, whatever SQL a bug might send.
        return sa.create_engine(
            self.url,
            connect_args={"options": "-c default_transaction_read_only=on", "connect_timeout": 10},
            poolclass=sa.pool.NullPool,
        )

    def read_table(self, table: str, expected: Mapping[str, str]) -> tuple[pd.DataFrame, dict]:
        """Every row of `table`'s `expected` columns (name -> type), each value as the text Postgres
        renders it (NULL stays null), as Arrow-backed text; and facts for the raw asset's metadata.

        A gone column, or one retyped to other than text, fails with the column's name and both types
        (`SchemaDrift`); columns added beside the expected ones are left unread and named in the facts
        (see `schema_drift`). More than
        `max_rows` rows fail (`TableTooLarge`) having held at most `max_rows + 1` rows in memory.
        The server sends the rows with COPY, which Arrow parses outside the interpreter."""
        engine = self.engine()
        try:
            with engine.connect() as conn:
                found = dict(
                    conn.execute(
                        sa.text(
                            "SELECT column_name, data_type FROM information_schema.columns "
                            "WHERE table_schema = current_schema() AND table_name = :t ORDER BY ordinal_position"
                        ),
                        {"t": table},
                    ).all()
                )
                if not found:
                    raise SourceUnavailable(f"The legacy database has no table {table!r}.")
                problems, notes = schema_drift(expected, found)
                if problems:
                    raise SchemaDrift(f"The legacy table {table} has changed: {'; '.join(problems)}.")
                columns = list(expected)
                limit = self.max_rows + 1
                # Built with SQLAlchemy Core, which quotes every identifier for this driver. (SQL text
                # pasted together from quoted names broke on a column named with '%' or ':'.)
                source = sa.table(table, *(sa.column(c) for c in columns))
                select = sa.select(*(sa.cast(source.c[c], sa.Text).label(c) for c in columns)).limit(limit)
                driver = conn.connection.driver_connection
                if isinstance(driver, psycopg.Connection):
                    # The same SELECT composed by psycopg, which quotes identifiers for COPY without
                    # the driver's %-escaping (no parameters are sent).
                    query = psql.SQL("SELECT {} FROM {} LIMIT {}").format(
                        psql.SQL(", ").join(
                            psql.SQL("CAST({} AS TEXT) AS {}").format(psql.Identifier(c), psql.Identifier(c))
                            for c in columns
                        ),
                        psql.Identifier(table),
                        psql.Literal(limit),
                    )
                    frame = _text_frame(copy_out_arrow(driver, query), columns)
                else:  # another DBAPI driver (psycopg2): fetch in chunks instead
                    result = conn.execution_options(stream_results=True, yield_per=self.chunk_rows).execute(select)
                    parts = [pd.DataFrame(part, columns=columns, dtype=object) for part in result.partitions()]
                    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns, dtype=object)
                if len(frame) > self.max_rows:
                    raise TableTooLarge(
                        f"The legacy table {table} has more than LEGACY_MAX_ROWS ({self.max_rows:,}) rows."
                    )
        except (sa.exc.OperationalError, psycopg.OperationalError) as error:
            reason = getattr(error, "orig", None) or error
            raise SourceUnavailable(
                f"Cannot read the legacy database at {redact_url(self.url)}: "
                f"{str(reason).strip().splitlines()[0]}"
            ) from None
        finally:
            engine.dispose()
        return frame, notes


def _text_frame(table, columns: list[str]) -> pd.DataFrame:
    """An all-text Arrow table as a frame of Arrow-backed text columns, in the source's order."""
    return pd.DataFrame({c: pd.array(table.column(c), dtype=TEXT) for c in columns})
