"""Bounded inputs: each source refuses what is past its limit (a setting), naming the source and the
limit, before reading much of it. The stores API's endless answer is in
`clients/test_stores_api_hostile.py`, the legacy row limit below against the sandbox."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import psutil
import pytest

from multinational_assets.clients import SourceUnavailable
from multinational_assets.clients.pdf_tables import PdfTableReader, PdfTooLong, PdfTooSlow
from multinational_assets.sandbox.pdf import write_card_details_pdf
from multinational_assets.sources.date_times.source import parse_date_details
from multinational_assets.sources.products.source import longest_line, parse_products_csv

HEADER = b",product_name,product_price,weight,category,EAN,date_added,uuid,removed,product_code\n"
PRODUCT = b"0,Soap,\xc2\xa31.00,100g,health,123,2020-01-01,00000000-0000-0000-0000-000000000000,Still_avaliable,a1-1\n"


def test_a_csv_with_a_line_of_50_mb_is_refused_before_it_is_parsed():
    body = HEADER + PRODUCT + b"1," + b"x" * (50 << 20) + b",1,1,1,1,1,1,1,1\n" + PRODUCT
    tracemalloc.start()
    try:
        with pytest.raises(SourceUnavailable) as error:
            parse_products_csv(body, max_line_bytes=1 << 20)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "products.csv has a line of 52,428,818 bytes, more than PRODUCTS_MAX_LINE_BYTES (1,048,576)" in str(error.value)
    assert peak < 2 * len(body)  # measured without copying the file into lines or cells


@pytest.mark.parametrize(
    ("body", "longest"),
    [(b"", 0), (b"a", 1), (b"ab\n", 2), (b"a\nbcd\ne", 3), (b"\n\n", 0), (b"abc\r\nd", 3), (b"a\rbcd\re", 3)],
)
def test_longest_line(body, longest):
    assert longest_line(body) == longest


def test_products_within_the_limit_parse():
    assert len(parse_products_csv(HEADER + PRODUCT * 3, max_line_bytes=200)) == 3


def test_a_json_of_one_deeply_nested_value_is_refused_naming_the_limit():
    depth = 200_000
    body = b'{"timestamp": {"0": ' + b"[" * depth + b"]" * depth + b"}}"
    with pytest.raises(SourceUnavailable, match="nests values deeper than the JSON reader's limit"):
        parse_date_details(body)


def _pdf(tmp_path: Path, rows: int) -> bytes:
    path = tmp_path / "cards.pdf"
    row = ["4111111111111111", "09/26", "VISA 16 digit", "2020-01-01"]
    write_card_details_pdf(path, [list(col) for col in zip(*[row] * rows)], rows_per_page=5)
    return path.read_bytes()


def test_a_pdf_with_far_more_pages_than_allowed_is_refused_before_java(tmp_path):
    pdf = _pdf(tmp_path, 500)  # 100 pages
    started = time.perf_counter()
    with pytest.raises(PdfTooLong, match=r"cards.pdf has 100 pages, more than CARD_DETAILS_MAX_PAGES \(10\)"):
        PdfTableReader(max_pages=10).read_table(pdf, "cards.pdf")
    assert time.perf_counter() - started < 2  # no JVM was started (one takes a second or more)


def _children(word: str) -> list:
    """This process's descendants whose name or command line holds `word`."""
    found = []
    for child in psutil.Process().children(recursive=True):
        try:
            command = " ".join([child.name(), *child.cmdline()])
        except psutil.ZombieProcess:  # ended, not yet reaped: still counts, by its name
            command = child.name()
        except psutil.NoSuchProcess:  # ended meanwhile
            continue
        if word in command:
            found.append(child)
    return found


@pytest.mark.slow
def test_a_pdf_read_past_its_time_is_stopped(tmp_path):
    pdf = _pdf(tmp_path, 500)
    reader = PdfTableReader(max_seconds_per_page=0.001, java_start_seconds=0.2, mode="tabula")
    started = time.perf_counter()
    with pytest.raises(PdfTooSlow, match="took longer than CARD_DETAILS_MAX_SECONDS_PER_PAGE allows"):
        reader.read_table(pdf, "cards.pdf")
    assert time.perf_counter() - started < 10
    assert _children("java") == []  # the stopped Java processes are gone
    # Within its time the same file reads.
    assert len(PdfTableReader().read_table(pdf, "cards.pdf")) == 500


# -- through the raw assets, against the sandbox: the run fails naming the limit, nothing changes ------


@pytest.fixture
def raw_unchanged(sandbox):
    """The warehouse's raw tables (built once this session) must be the same after the test."""
    from multinational_assets_tests.pipeline_state import good_full_run, snapshot_differences, warehouse_snapshot

    good_full_run()
    before = warehouse_snapshot(schemas=("raw",))
    yield
    assert snapshot_differences(before, warehouse_snapshot(schemas=("raw",))) == []


@pytest.mark.slow
@pytest.mark.parametrize(
    ("asset", "setting", "value", "message"),
    [
        ("raw/legacy_users", "LEGACY_MAX_ROWS", "1000", "legacy_users has more than LEGACY_MAX_ROWS (1,000) rows"),
        ("raw/date_details", "DATE_DETAILS_MAX_BYTES", "1000", "more than DATE_DETAILS_MAX_BYTES (1,000)"),
        ("raw/card_details", "CARD_DETAILS_MAX_BYTES", "1000", "more than CARD_DETAILS_MAX_BYTES (1,000)"),
        ("raw/card_details", "CARD_DETAILS_MAX_PAGES", "100", "has 279 pages, more than CARD_DETAILS_MAX_PAGES (100)"),
        ("raw/products", "PRODUCTS_MAX_BYTES", "1000", "more than PRODUCTS_MAX_BYTES (1,000)"),
        ("raw/store_details", "STORES_API_MAX_BODY_BYTES", "10", "longer than STORES_API_MAX_BODY_BYTES (10 bytes)"),
    ],
    ids=lambda v: v if isinstance(v, str) and v.isupper() else None,
)
def test_a_source_past_its_limit_fails_its_raw_asset_naming_the_limit(raw_unchanged, monkeypatch, asset, setting, value, message):
    from multinational_assets.cli.runs import run_pipeline

    monkeypatch.setenv(setting, value)
    run = run_pipeline([asset])
    assert not run.success
    assert message in run.failure, run.failure


@pytest.mark.slow
def test_a_products_csv_with_a_line_of_50_mb_fails_its_raw_asset(sandbox_restored, raw_unchanged, tmp_path):
    from multinational_assets.cli.runs import run_pipeline
    from multinational_assets.sandbox import control

    original = (Path(sandbox_restored.world) / "s3" / "products.csv").read_bytes()
    huge = tmp_path / "products.csv"
    huge.write_bytes(original + b"9999," + b"x" * (50 << 20) + b",1,1,1,1,1,1,1,1\n")
    control.stage_s3("products.csv", huge)
    run = run_pipeline(["raw/products"])
    assert not run.success
    assert "more than PRODUCTS_MAX_LINE_BYTES (1,048,576)" in run.failure, run.failure


def test_the_pdf_text_read_past_its_time_is_stopped(tmp_path):
    """The text reader's own process has the same time limit as tabula's Java."""
    pdf = _pdf(tmp_path, 500)
    reader = PdfTableReader(max_seconds_per_page=0.00001, java_start_seconds=0.0, mode="auto")
    started = time.perf_counter()
    with pytest.raises(PdfTooSlow, match="took longer than CARD_DETAILS_MAX_SECONDS_PER_PAGE allows"):
        reader.read_table(pdf, "cards.pdf")
    assert time.perf_counter() - started < 5
    assert _children("pdf_text") == []  # the stopped reading processes are gone
