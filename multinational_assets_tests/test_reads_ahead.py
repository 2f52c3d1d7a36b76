"""Reads started by one step for a later step of the same run."""

import threading

import pytest

from multinational_assets.reads_ahead import ReadsAhead


def test_a_read_ahead_is_taken_once_with_its_result_and_log():
    reads = ReadsAhead()
    release = threading.Event()

    def read(log):
        log("extracting")
        release.wait(5)
        return "rows"

    reads.start("run-1", "card_details", read)
    assert reads.take("run-2", "card_details") is None  # another run's step finds nothing
    ahead = reads.take("run-1", "card_details")
    assert ahead is not None and not ahead.future.done()
    release.set()
    assert ahead.future.result(timeout=5) == "rows"
    assert ahead.log_lines == ["extracting"]
    assert ahead.refused_because is None
    assert reads.take("run-1", "card_details") is None


def test_a_failed_read_hands_its_error_to_the_step_that_takes_it():
    reads = ReadsAhead()

    def read(log):
        raise ValueError("not a PDF")

    reads.start("run", "card_details", read)
    with pytest.raises(ValueError, match="not a PDF"):
        reads.take("run", "card_details").future.result(timeout=5)


def test_a_refused_read_says_why():
    reads = ReadsAhead()
    reads.start("run", "card_details", lambda log: "rows")
    reads.refuse("run", "card_details", "extract_sources failed (Failure)")
    ahead = reads.take("run", "card_details")
    assert ahead.future.result(timeout=5) == "rows"
    assert ahead.refused_because == "extract_sources failed (Failure)"
