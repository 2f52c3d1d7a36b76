"""The scale-1 world of seed `SEED`, generated once per test session, and its sources read back."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from multinational_assets_tests.sandbox.world_readers import read_copy_csv, read_pdf_pages, world_at


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return world_at(tmp_path_factory)


@pytest.fixture(scope="session")
def pdf_pages(world: Path) -> list[dict]:
    return read_pdf_pages(world / "s3" / "card_details.pdf")


@pytest.fixture(scope="session")
def cards_raw(pdf_pages: list[dict]) -> pd.DataFrame:
    rows = [[page_no, *row] for page_no, page in enumerate(pdf_pages, 1) for row in page["rows"][1:]]
    return pd.DataFrame(rows, columns=["page", "card_number", "expiry_date", "card_provider",
                                       "date_payment_confirmed"])


@pytest.fixture(scope="session")
def users_raw(world: Path) -> pd.DataFrame:
    return read_copy_csv(world / "legacy" / "legacy_users.csv")


@pytest.fixture(scope="session")
def orders_raw(world: Path) -> pd.DataFrame:
    return read_copy_csv(world / "legacy" / "orders_table.csv")


@pytest.fixture(scope="session")
def stores_raw(world: Path) -> list[dict]:
    return json.loads((world / "api" / "stores.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def products_raw(world: Path) -> pd.DataFrame:
    return pd.read_csv(world / "s3" / "products.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="session")
def dates_raw(world: Path) -> pd.DataFrame:
    data = json.loads((world / "s3" / "date_details.json").read_text())
    return pd.DataFrame(data)
