"""The PDF read from text positions and ruling lines (pdfium) gives exactly what tabula gives, and
hands every page it cannot verify to tabula."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from multinational_assets.clients import SourceUnavailable
from multinational_assets.clients.pdf_tables import PdfTableReader
from multinational_assets.sandbox.pdf import write_card_details_pdf

pytestmark = pytest.mark.slow  # tabula starts a JVM

ROW = ["4111111111111111", "09/26", "Diners Club / Carte Blanche", "2020-01-01"]


def _pdf(tmp_path: Path, rows: list[list[str]], rows_per_page: int = 5) -> bytes:
    path = tmp_path / "cards.pdf"
    write_card_details_pdf(path, [list(col) for col in zip(*rows)], rows_per_page=rows_per_page)
    return path.read_bytes()


def test_every_page_of_the_sandbox_pdf_reads_the_same_both_ways(sandbox):
    pdf = (Path(sandbox.world) / "s3" / "card_details.pdf").read_bytes()
    fast = PdfTableReader(mode="auto").read_table(pdf)
    assert fast.attrs["pages_read_by_tabula"] == 0  # every page verified: no Java at all
    reference = PdfTableReader(mode="tabula").read_table(pdf)
    assert len(fast) == 15_309 and fast["page"].nunique() == 279
    pd.testing.assert_frame_equal(fast.reset_index(drop=True), reference.reset_index(drop=True))


def test_a_page_with_an_empty_cell_is_handed_to_tabula(tmp_path):
    rows = [ROW] * 15
    rows[7] = [ROW[0], "", ROW[2], ROW[3]]  # page 2 of 3
    pdf = _pdf(tmp_path, rows)
    auto = PdfTableReader(mode="auto").read_table(pdf)
    assert auto.attrs["pages_read_by_tabula"] == 1
    pd.testing.assert_frame_equal(auto, PdfTableReader(mode="tabula").read_table(pdf))
    assert auto["page"].tolist() == ["1"] * 5 + ["2"] * 5 + ["3"] * 5
    with pytest.raises(SourceUnavailable, match=r"1 page\(s\) cannot be read without tabula, the first 2"):
        PdfTableReader(mode="fast").read_table(pdf)


def test_an_unknown_mode_is_refused(tmp_path):
    with pytest.raises(ValueError, match="CARD_DETAILS_PDF_READER='quick'"):
        PdfTableReader(mode="quick").read_table(_pdf(tmp_path, [ROW] * 3))
