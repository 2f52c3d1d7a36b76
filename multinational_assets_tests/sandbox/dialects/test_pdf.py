"""Dialect spellings in the card-details PDF: every value fits its column, and tabula reads it exactly."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from multinational_assets.sandbox.generate import build_tables
from multinational_assets_tests.sandbox.dialects.meanings import DIALECTS, SCALE, SEED
from multinational_assets_tests.sandbox.world_readers import CARD_TEXT


@pytest.mark.parametrize("dialect", DIALECTS)
def test_pdf_values_fit_their_columns(dialect: int) -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from multinational_assets.sandbox import pdf
    from multinational_assets.sandbox.dialects import PDF_LAYOUT

    _, tables, _ = build_tables(SEED, 1, dialect=dialect)
    raw = tables["dim_card_details"].raw
    widths, size, padding = pdf.geometry(PDF_LAYOUT[dialect])
    for column, width in zip(CARD_TEXT, widths):
        widest = max(stringWidth(v, "Helvetica", size) for v in set(raw[column]))
        assert widest + 2 * padding <= width, (column, widest)
        assert raw[column].map(lambda v: isinstance(v, str) and v.isascii() and v.isprintable()).all()


@pytest.mark.slow
@pytest.mark.parametrize("dialect", [1, 2])  # the spreadsheet export's layout, and the report's
def test_tabula_reads_the_dialect_pdf_exactly(worlds: dict[int, Path], dialect: int) -> None:
    import tabula  # a dependency: its absence is a failure, not a skip
    frames = tabula.read_pdf(str(worlds[dialect] / "s3" / "card_details.pdf"), pages="all",
                             lattice=True, pandas_options={"dtype": str})
    _, tables, _ = build_tables(SEED, SCALE, dialect=dialect)
    raw = tables["dim_card_details"].raw
    assert len(frames) == raw["page"].max()
    assert all(list(f.columns) == CARD_TEXT for f in frames)
    table = pd.concat(frames, ignore_index=True).fillna("")  # tabula gives None for an empty cell
    assert table.equals(raw[CARD_TEXT].reset_index(drop=True))
