"""Source reads that one step of a run starts for a later step of the same run.

Reading the card-details PDF is the run's longest job (Java extracting every page, 40 s at ten times
the real size), and it needs little of the interpreter. So the first raw step starts it in the
background and the step that stores `raw/card_details` runs as late as it can, collecting the result:
in between, the other sources are read and cleaned while Java works on the second core.

This only works when steps share a process (the in-process executor, the project's default). A step
that finds nothing started for it simply reads the source itself.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field


@dataclass
class ReadAhead:
    """One read running ahead: its result (or error) when done, the lines it logged, and whether the
    step that started it failed (then its result must not be stored)."""

    future: Future
    log_lines: list[str] = field(default_factory=list)
    refused_because: str | None = None


class ReadsAhead:
    """Reads started ahead, by (run id, source)."""

    def __init__(self) -> None:
        self._reads: dict[tuple[str, str], ReadAhead] = {}
        self._lock = threading.Lock()

    def start(self, run_id: str, source: str, read: Callable[[Callable[[str], None]], object]) -> ReadAhead:
        """Run `read(log)` in a background thread; `log` collects lines for the step that takes it."""
        ahead = ReadAhead(Future())

        def run() -> None:
            if not ahead.future.set_running_or_notify_cancel():
                return
            try:
                ahead.future.set_result(read(ahead.log_lines.append))
            except BaseException as error:  # noqa: BLE001 - handed to the step that takes the read
                ahead.future.set_exception(error)

        with self._lock:
            self._reads[(run_id, source)] = ahead
        threading.Thread(target=run, name=f"read-ahead-{source}", daemon=True).start()
        return ahead

    def refuse(self, run_id: str, source: str, reason: str) -> None:
        """Mark the read so that its result is not stored (the step that started it failed)."""
        with self._lock:
            ahead = self._reads.get((run_id, source))
        if ahead is not None:
            ahead.refused_because = reason

    def take(self, run_id: str, source: str) -> ReadAhead | None:
        """The read started for this run and source, once; None if there is none."""
        with self._lock:
            return self._reads.pop((run_id, source), None)


reads_ahead = ReadsAhead()
