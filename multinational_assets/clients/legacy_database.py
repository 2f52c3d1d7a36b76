"""The legacy Postgres database (users and orders), read through SQLAlchemy, read-only."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import psycopg
import sqlalchemy as sa
from psycopg import sql as psql

from multinational_assets.clients import SourceUnavailable
from multinational_assets.postgres.connection import redact_url
from multinational_assets.postgres.copy import copy_out_arrow


@dataclass(frozen=True)
class LegacyDatabase:
    """The legacy database at `url` (an SQLAlchemy URL, e.g. `postgresql+psycopg://...`)."""

    url: str
    chunk_rows: int = 50_000

    def engine(self) -> sa.Engine:
        # Every transaction on this connection is read-only at the server: the project can never
        # write to the source, whatever SQL a bug might send.
        return sa.create_engine(
            self.url,
            connect_args={"options": "-c default_transaction_read_only=on", "connect_timeout": 10},
            poolclass=sa.pool.NullPool,
        )

    def read_table(self, table: str) -> pd.DataFrame:
        """Every row of `table`, each value as the text Postgres renders it (NULL stays null), as
        Arrow-backed text. The server sends the rows with COPY, which Arrow parses outside the
        interpreter (a million rows in seconds, in a fraction of the memory of Python strings)."""
        engine = self.engine()
        try:
            with engine.connect() as conn:
                columns = [
                    row[0]
                    for row in conn.execute(
                        sa.text(
                            "SELECT column_name FROM information_schema.columns "
                            "WHERE table_schema = current_schema() AND table_name = :t ORDER BY ordinal_position"
                        ),
                        {"t": table},
                    )
                ]
                if not columns:
                    raise SourceUnavailable(f"The legacy database has no table {table!r}.")
                # Built with SQLAlchemy Core, which quotes every identifier for this driver. (SQL text
                # pasted together from quoted names broke on a column named with '%' or ':'.)
                source = sa.table(table, *(sa.column(c) for c in columns))
                select = sa.select(*(sa.cast(source.c[c], sa.Text).label(c) for c in columns))
                driver = conn.connection.driver_connection
                if isinstance(driver, psycopg.Connection):
                    # The same SELECT composed by psycopg, which quotes identifiers for COPY without
                    # the driver's %-escaping (no parameters are sent).
                    query = psql.SQL("SELECT {} FROM {}").format(
                        psql.SQL(", ").join(
                            psql.SQL("CAST({} AS TEXT) AS {}").format(psql.Identifier(c), psql.Identifier(c))
                            for c in columns
                        ),
                        psql.Identifier(table),
                    )
                    frame = _text_frame(copy_out_arrow(driver, query), columns)
                else:  # another DBAPI driver (psycopg2): fetch in chunks instead
                    result = conn.execution_options(stream_results=True, yield_per=self.chunk_rows).execute(select)
                    parts = [pd.DataFrame(part, columns=columns, dtype=object) for part in result.partitions()]
                    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns, dtype=object)
        except (sa.exc.OperationalError, psycopg.OperationalError) as error:
            reason = getattr(error, "orig", None) or error
            raise SourceUnavailable(
                f"Cannot read the legacy database at {redact_url(self.url)}: "
                f"{str(reason).strip().splitlines()[0]}"
            ) from None
        finally:
            engine.dispose()
        return frame


def _text_frame(table, columns: list[str]) -> pd.DataFrame:
    """An all-text Arrow table as a frame of Arrow-backed text columns, in the source's order."""
    return pd.DataFrame({c: pd.array(table.column(c), dtype=pd.StringDtype("pyarrow")) for c in columns})
