"""Small helpers shared by the benchmark modules: progress messages and a stopwatch."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

_STARTED = time.monotonic()


def say(message: str) -> None:
    """A progress message on stderr (stdout carries only the tables), stamped with the time elapsed."""
    elapsed = time.monotonic() - _STARTED
    sys.stderr.write(f"[bench {elapsed:7.1f}s] {message}\n")
    sys.stderr.flush()


class Stopwatch:
    seconds: float = 0.0


@contextmanager
def stopwatch() -> Iterator[Stopwatch]:
    """`with stopwatch() as sw: ...` then `sw.seconds` is the wall time of the block."""
    sw = Stopwatch()
    started = time.perf_counter()
    try:
        yield sw
    finally:
        sw.seconds = time.perf_counter() - started
