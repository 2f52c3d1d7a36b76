"""Loads started before the IO manager is handed their frame, in a transaction left open.

The raw step reads five sources and stores none unless all were read. It starts loading each source
as soon as it is read, while the others are still being read; when the IO manager then stores that
same frame, it only swaps the loaded rows in and commits. A load that is never stored (a source
failed, the step ended) is rolled back, so the all-or-nothing rule holds, and a load that could not
start early is simply done by the IO manager. One `EarlyLoads` lives for one run, in the IO manager.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pandas as pd
import psycopg
from psycopg import sql

from multinational_assets.warehouse.tables import Analyze, analyze_statement, loading_name, stage_rows, swap_in


@dataclass
class _EarlyLoad:
    conn: psycopg.Connection
    frame: pd.DataFrame
    figures: dict


class EarlyLoads:
    """The early loads of one run, into one warehouse (`connect` opens a connection to it)."""

    def __init__(self, connect: Callable[[], psycopg.Connection]) -> None:
        self._connect = connect
        self._loads: dict[tuple[str, str], _EarlyLoad] = {}
        self._lock = threading.Lock()

    @contextmanager
    def scope(self) -> Iterator[EarlyLoadScope]:
        """Loads started within the block; whatever was not stored by its end is rolled back."""
        scope = EarlyLoadScope(self)
        try:
            yield scope
        finally:
            for schema, table in scope.started:
                self.discard(schema, table)

    def start(self, schema: str, table: str, df: pd.DataFrame) -> str | None:
        """Start loading `df` into `schema.table` (blocks while the rows are copied). Returns None, or
        why it could not start (the IO manager then loads the frame when it is stored)."""
        conn = None
        try:
            conn = self._connect()  # not autocommit: the transaction stays open until stored
            # An early load must never wait on another transaction: the one it waits for may be
            # another early load of the same step, which commits only when this one is done.
            conn.execute("SET lock_timeout = '10s'")
            # The schema is created and committed first: created inside the open transaction, it
            # would make every other early load into it wait for this one to be stored.
            conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
            conn.commit()
            figures = stage_rows(conn, schema, table, df, analyze=False, wait_for_lock=False)
        except Exception as error:  # noqa: BLE001 - the IO manager loads it instead, and reports any error
            if conn is not None:
                conn.close()
            return f"{type(error).__name__}: {str(error).strip().splitlines()[0] if str(error).strip() else ''}"
        self.discard(schema, table)
        with self._lock:
            self._loads[(schema, table)] = _EarlyLoad(conn, df, figures)
        return None

    def finish(self, schema: str, table: str, df: pd.DataFrame, load_id: str, analyze: Analyze) -> dict | None:
        """Store `df` if an early load of this very frame is waiting: swap it in and commit. None if
        there is none (the caller loads the frame itself)."""
        with self._lock:
            load = self._loads.pop((schema, table), None)
        if load is None:
            return None
        if load.frame is not df:
            _rollback_and_close(load.conn)
            return None
        try:
            with load.conn.cursor() as cur:
                if analyze:
                    cur.execute(analyze_statement(sql.Identifier(schema, loading_name(table)), analyze))
            swap_in(load.conn, schema, table, load.figures["dtypes"], load_id, load.figures["rows"])
            load.conn.commit()
        finally:
            load.conn.close()
        return {**load.figures, "started_early": True}

    def discard(self, schema: str, table: str) -> None:
        with self._lock:
            load = self._loads.pop((schema, table), None)
        if load is not None:
            _rollback_and_close(load.conn)

    def discard_all(self) -> None:
        """Roll back every load not stored (the run is ending)."""
        with self._lock:
            waiting = list(self._loads)
        for schema, table in waiting:
            self.discard(schema, table)


@dataclass
class EarlyLoadScope:
    """The early loads one step starts (see `EarlyLoads.scope`)."""

    loads: EarlyLoads
    started: list[tuple[str, str]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, schema: str, table: str, df: pd.DataFrame) -> str | None:
        with self._lock:
            self.started.append((schema, table))
        return self.loads.start(schema, table, df)


def _rollback_and_close(conn: psycopg.Connection) -> None:
    try:
        conn.rollback()
    except psycopg.Error:
        pass  # the connection is already gone: Postgres has rolled the transaction back
    finally:
        conn.close()
