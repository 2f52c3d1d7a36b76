"""Tables just written, kept in memory for the step of the same run that reads them next.

The in-process executor runs every step in one process, so the clean step can take its raw table
from memory instead of reading back what was written a moment ago. One `TablesInMemory` lives for
one run, in the IO manager.
"""

from __future__ import annotations

import threading

import pyarrow as pa


class TablesInMemory:
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
