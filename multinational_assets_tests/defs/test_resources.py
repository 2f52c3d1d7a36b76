"""The resources: reads started by one step for a later step of the same run; settings resolved from
the environment once, as EnvVars when set."""

import os
import threading

import pytest

from multinational_assets.defs.resources import ReadsAheadResource


def test_a_read_ahead_is_taken_once_with_its_result_and_log():
    reads = ReadsAheadResource()
    release = threading.Event()

    def read(log):
        log("extracting")
        release.wait(5)
        return "rows"

    reads.start("card_details", read)
    assert reads.take("products") is None  # nothing started for another source
    ahead = reads.take("card_details")
    assert ahead is not None and not ahead.future.done()
    release.set()
    assert ahead.future.result(timeout=5) == "rows"
    assert ahead.log_lines == ["extracting"]
    assert ahead.refused_because is None
    assert reads.take("card_details") is None


def test_a_failed_read_hands_its_error_to_the_step_that_takes_it():
    reads = ReadsAheadResource()

    def read(log):
        raise ValueError("not a PDF")

    reads.start("card_details", read)
    with pytest.raises(ValueError, match="not a PDF"):
        reads.take("card_details").future.result(timeout=5)


def test_a_refused_read_says_why():
    reads = ReadsAheadResource()
    reads.start("card_details", lambda log: "rows")
    reads.refuse("card_details", "extract_sources failed (Failure)")
    ahead = reads.take("card_details")
    assert ahead.future.result(timeout=5) == "rows"
    assert ahead.refused_because == "extract_sources failed (Failure)"


def test_reads_started_in_one_run_are_not_seen_by_the_next():
    """The state lives for one run: Dagster sets each run's resources up afresh and tears them down."""
    import dagster as dg

    seen = []

    @dg.asset
    def starts(reads_ahead: ReadsAheadResource):
        seen.append(reads_ahead.take("card_details"))
        reads_ahead.start("card_details", lambda log: "rows")

    resources = {"reads_ahead": ReadsAheadResource()}
    for _ in range(2):
        assert dg.materialize([starts], resources=resources).success
    assert seen == [None, None]


def test_a_set_variable_becomes_an_envvar_and_an_unset_one_the_default_at_run_start(monkeypatch):
    import dagster as dg

    from multinational_assets.defs.resources import WarehouseResource
    from multinational_assets.settings import resource_value

    monkeypatch.setenv("WAREHOUSE_URL", "postgresql://w@h/db")
    assert resource_value("WAREHOUSE_URL") == dg.EnvVar("WAREHOUSE_URL")
    monkeypatch.delenv("WAREHOUSE_URL")
    assert resource_value("WAREHOUSE_URL") is None
    urls = []

    @dg.asset
    def reads_url(warehouse: WarehouseResource):
        urls.append(warehouse.resolved_url())

    monkeypatch.setenv("MULTINATIONAL_SANDBOX_DIR", "/tmp/a-sandbox")
    assert dg.materialize([reads_url], resources={"warehouse": WarehouseResource(url=None)}).success
    monkeypatch.setenv("WAREHOUSE_URL", "postgresql://w@h/db")
    assert dg.materialize([reads_url], resources={"warehouse": WarehouseResource(url=dg.EnvVar("WAREHOUSE_URL"))}).success
    assert urls[0].startswith("postgresql+psycopg://postgres@/warehouse?host=%2Ftmp%2Fa-sandbox")
    assert urls[1] == "postgresql://w@h/db"


def test_the_pdf_page_readers_start_with_the_run_and_end_with_it():
    """The PDF reader resource starts the processes that read the pages when the run starts (not when
    the PDF arrives), hands them to the reader, and ends them when the run ends; with the reader set
    to `tabula` it starts none."""
    import dagster as dg

    from multinational_assets.clients.pdf_text import reading_process_count
    from multinational_assets.defs.resources import PdfReaderResource

    seen = []

    @dg.asset
    def reads(pdf_reader: PdfReaderResource):
        readers = pdf_reader.reader.readers
        seen.append(None if readers is None else [process.pid for process in readers._processes])

    assert dg.materialize([reads], resources={"pdf_reader": PdfReaderResource(mode="auto")}).success
    assert dg.materialize([reads], resources={"pdf_reader": PdfReaderResource(mode="tabula")}).success
    assert seen[1] is None
    assert len(seen[0]) == reading_process_count()
    for pid in seen[0]:  # ended, and reaped: no such process any more
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
