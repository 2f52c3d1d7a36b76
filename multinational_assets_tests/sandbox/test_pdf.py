"""The card-details PDF of the scale-1 world: 279 ruled pages, and tabula's lattice mode reads every row."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from multinational_assets_tests.sandbox.world_readers import CARD_TEXT


def test_pdf_pages_and_rules(pdf_pages: list[dict]) -> None:
    assert len(pdf_pages) == 279
    header = ["card_number", "expiry_date", "card_provider", "date_payment_confirmed"]
    for page in pdf_pages:
        assert page["rows"][0] == header
        data_rows = len(page["rows"]) - 1
        assert 1 <= data_rows <= 55 and all(len(r) == 4 for r in page["rows"])
        # Ruled: a line above, below and between every row, and one at every column edge.
        assert page["segments"] == (data_rows + 2) + 5
    assert [len(p["rows"]) - 1 for p in pdf_pages[:-1]] == [55] * 278


@pytest.mark.slow
def test_tabula_lattice_reads_every_row(world: Path) -> None:
    import tabula  # a dependency: its absence is a failure, not a skip
    frames = tabula.read_pdf(str(world / "s3" / "card_details.pdf"), pages="all", lattice=True,
                             pandas_options={"dtype": str})
    assert len(frames) == 279
    assert all(list(f.columns) == CARD_TEXT for f in frames)
    table = pd.concat(frames, ignore_index=True)
    assert len(table) == 15309
    assert table.notna().all().all()
    truth = pd.read_csv(world / "truth" / "dim_card_details.csv", dtype=str)
    assert set(truth["card_number"]) <= set(table["card_number"].str.lstrip("?"))
