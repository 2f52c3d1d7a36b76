"""The raw step's schedule: the large sources are read one after the other, the one decoded in Python
first, so their parsing peaks never add up; a failure of one does not stop the next from being read."""

from __future__ import annotations

import threading
import time

import pandas as pd

from multinational_assets.defs.raw import assets as raw_assets
from multinational_assets.sources.source import Origin, RawExtract, Source, SourceClients


def _source(name: str, log: list, *, large: bool = False, decodes_in_python: bool = False, fails: bool = False):
    def read(clients):
        log.append(("start", name))
        time.sleep(0.02)
        log.append(("end", name))
        if fails:
            raise RuntimeError(f"{name} is broken")
        return RawExtract(pd.DataFrame({"value": pd.array(["x"], dtype="string[pyarrow]")}), {})

    return Source(
        raw_table=name, raw_columns=("value",), read=read, description=name,
        origin=Origin(("source", name), name, "s3", None), large=large, decodes_in_python=decodes_in_python,
    )


def test_large_sources_are_read_one_after_the_other_the_python_decoded_first():
    log: list = []
    sources = [
        _source("orders", log, large=True),
        _source("dates", log, large=True, decodes_in_python=True),
    ]
    results = raw_assets._read_in_turn(sources, SourceClients(None, None, None, None), loads=None)
    assert log == [("start", "dates"), ("end", "dates"), ("start", "orders"), ("end", "orders")]
    assert set(results) == {"orders", "dates"}


def test_a_failed_large_source_is_reported_and_the_next_still_read():
    log: list = []
    sources = [_source("dates", log, large=True, decodes_in_python=True, fails=True), _source("orders", log, large=True)]
    results = raw_assets._read_in_turn(sources, SourceClients(None, None, None, None), loads=None)
    assert isinstance(results["dates"], RuntimeError)
    assert isinstance(results["orders"], tuple)


def test_the_python_decoded_source_waits_for_the_pdf_reading_to_start():
    log: list = []
    clients = SourceClients(None, None, None, None)
    clients.pdf_extraction_started.clear()
    threading.Timer(0.1, lambda: (log.append(("pdf started", "")), clients.pdf_extraction_started.set())).start()
    raw_assets._read_in_turn([_source("dates", log, large=True, decodes_in_python=True)], clients, loads=None)
    assert log[0] == ("pdf started", "")
