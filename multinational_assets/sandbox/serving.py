"""How a sandbox server process runs: until it is told to stop."""

import signal
import threading


def wait_for_stop_signal() -> None:
    """Block until SIGTERM or SIGINT (what `sandbox down` and Ctrl-C send)."""
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    while not stop.wait(0.2):  # a timed wait keeps the main thread responsive to signals
        pass
