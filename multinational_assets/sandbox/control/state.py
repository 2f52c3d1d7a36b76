"""What `up` recorded (state.json), writing such files safely, and the lock that keeps two commands
from starting or stopping one sandbox at once."""

from __future__ import annotations

import contextlib
import fcntl
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from multinational_assets import settings
from multinational_assets.sandbox.control.messages import Echo, quiet
from multinational_assets.sandbox.control.paths import sandbox_paths


def read_state() -> dict[str, Any]:
    """The state `up` recorded, or {} when the sandbox is not up."""
    return settings.sandbox_state()


def write_json(path: Path, data: Any, private: bool = False) -> None:
    # Write then rename, so a reader never sees half a file.
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if private:
        tmp.chmod(0o600)  # state.json holds the API key
    tmp.replace(path)


_held_locks: dict[Path, list[Any]] = {}


@contextlib.contextmanager
def sandbox_lock(echo: Echo = quiet) -> Iterator[None]:
    """Hold the sandbox's lock (an flock on `<sandbox dir>/.lock`), re-entrant within one process, so two
    commands never start or stop the same sandbox at once."""
    root = sandbox_paths().root
    root.mkdir(parents=True, exist_ok=True)
    held = _held_locks.get(root)
    if held is not None:
        held[1] += 1
        try:
            yield
        finally:
            held[1] -= 1
        return
    fh = open(root / ".lock", "a+")  # noqa: SIM115 (closed below)
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            echo(f"waiting for another sandbox command on {root} to finish...")
            fcntl.flock(fh, fcntl.LOCK_EX)
        _held_locks[root] = [fh, 1]
        try:
            yield
        finally:
            del _held_locks[root]
            fcntl.flock(fh, fcntl.LOCK_UN)
    finally:
        fh.close()
