"""The PDF table reader's tabula path (CARD_DETAILS_PDF_READER=tabula, and the pages the text reader
hands over; `test_pdf_text.py` covers that reader): its fast path (stream mode with columns learnt from
page 1) must give exactly what lattice mode gives, and fall back to lattice mode when the pages are not
regular."""

from pathlib import Path

import pandas as pd
import pytest

from multinational_assets.clients import pdf_tables
from multinational_assets.clients.pdf_tables import PdfTableReader
from multinational_assets.sandbox.pdf import write_card_details_pdf

pytestmark = pytest.mark.slow  # each read starts a JVM

ROWS = [
    ["4111111111111111", "09/26", "VISA 16 digit", "2020-01-01"],
    ["NULL", "NULL", "NULL", "NULL"],
    ["??30281234567890", "12/29", "Diners Club / Carte Blanche", "January 2001 27"],
    ["502034561", "01/30", "Maestro", "1999/10/23"],
    ["A1B2C3D4E5", "F6G7H8I9J0", "K1L2M3N4O5", "P6Q7R8S9T0"],
] * 25  # 125 rows: three pages of 55


def written_pdf(tmp_path: Path) -> bytes:
    path = tmp_path / "cards.pdf"
    write_card_details_pdf(path, [list(col) for col in zip(*ROWS)], rows_per_page=55)
    return path.read_bytes()


def test_fast_path_equals_lattice_mode(tmp_path):
    pdf = written_pdf(tmp_path)
    fast = PdfTableReader(mode="tabula").read_table(pdf)
    lattice = PdfTableReader(fast_stream_mode=False, mode="tabula").read_table(pdf)
    pd.testing.assert_frame_equal(fast, lattice)
    assert len(fast) == len(ROWS)
    assert fast.columns.tolist() == ["page", "card_number", "expiry_date", "card_provider", "date_payment_confirmed"]
    assert fast["page"].tolist() == ["1"] * 55 + ["2"] * 55 + ["3"] * 15
    assert fast.iloc[:, 1:].to_numpy().tolist() == ROWS


def test_irregular_pages_fall_back_to_lattice(tmp_path, monkeypatch):
    """A line that is not a table row (a title on page 2) must not pass as data: the reader reads
    the file again in lattice mode."""
    pdf = written_pdf(tmp_path)
    calls = []
    real_tabula, real_stream = pdf_tables._tabula, pdf_tables._stream_rows

    def spy_tabula(path, source, **options):
        calls.append(f"lattice:{options['pages']}")
        return real_tabula(path, source, **options)

    def spy_stream(*args):
        calls.append("stream")
        lines = real_stream(*args)
        title = pd.DataFrame([["Card details (continued)", "", "", ""]], columns=lines.columns)
        return pd.concat([lines.iloc[:56], title, lines.iloc[56:]], ignore_index=True)

    monkeypatch.setattr(pdf_tables, "_tabula", spy_tabula)
    monkeypatch.setattr(pdf_tables, "_stream_rows", spy_stream)
    df = PdfTableReader(mode="tabula").read_table(pdf)
    assert calls == ["lattice:1", "stream", "lattice:all"]
    assert df.iloc[:, 1:].to_numpy().tolist() == ROWS


def test_a_truncated_pdf_is_refused_with_its_name(tmp_path):
    pdf = written_pdf(tmp_path)
    with pytest.raises(pdf_tables.SourceUnavailable, match="cards.pdf is truncated"):
        PdfTableReader(mode="tabula").read_table(pdf[: len(pdf) // 2], "cards.pdf")


def test_pages_are_read_in_runs_that_cover_the_document_once():
    from multinational_assets.clients.pdf_tables import page_runs

    assert page_runs(279, 1400) == ["all"]
    assert page_runs(None, 1400) == ["all"]
    assert page_runs(2784, 1400) == ["1-1400", "1401-2784"]
    assert page_runs(2800, 1400) == ["1-1400", "1401-2800"]
    assert page_runs(2801, 1400) == ["1-1400", "1401-2800", "2801-2801"]


def test_the_page_count_comes_from_the_root_of_the_page_tree():
    from multinational_assets.clients.pdf_tables import _page_count

    tree = b"1 0 obj << /Type /Pages /Count 3 /Kids [2 0 R] >> 2 0 obj << /Count 1 /Type /Pages >>"
    assert _page_count(tree) == 3
    assert _page_count(b"%PDF-1.7 no plain page tree here") is None


def test_reading_in_runs_of_pages_gives_the_same_table(tmp_path, monkeypatch):
    pdf = written_pdf(tmp_path)
    runs = []
    stream_rows = pdf_tables._stream_rows
    monkeypatch.setattr(
        pdf_tables, "_stream_rows", lambda *a, **k: runs.append(a[-1] if len(a) > 4 else "all") or stream_rows(*a, **k)
    )
    in_runs = PdfTableReader(pages_per_run=2, mode="tabula").read_table(pdf)
    assert runs == ["1-2", "3-3"]  # two Java processes, page numbers carried across them
    pd.testing.assert_frame_equal(in_runs, PdfTableReader(fast_stream_mode=False, mode="tabula").read_table(pdf))


def test_pages_with_one_header_become_one_frame_with_the_page_first_and_short_rows_filled():
    from multinational_assets.clients.pdf_tables import _frame_from_pages

    frame = _frame_from_pages([[["a", "b"], ["1", "2"]], [["a", "b"]], [["a", "b"], ["3", "4"], ["5", "6"]]], [2, 4, 9])
    assert list(frame.columns) == ["page", "a", "b"]
    assert frame.to_dict("records") == [
        {"page": "2", "a": "1", "b": "2"}, {"page": "9", "a": "3", "b": "4"}, {"page": "9", "a": "5", "b": "6"},
    ]
    assert [str(dtype) for dtype in frame.dtypes] == ["object"] * 3
    short = _frame_from_pages([[["a", "b"], ["1"]], [["a", "b"], ["3", "4"]]], [3, 7])
    assert short.to_dict("records") == [{"page": "3", "a": "1", "b": None}, {"page": "7", "a": "3", "b": "4"}]
