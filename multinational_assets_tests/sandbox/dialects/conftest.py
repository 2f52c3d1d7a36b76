"""Worlds of seed 0 at scale 0.25 in dialects 0, 1 and 2, generated once per session, and their sources."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from multinational_assets.sandbox.generate import generate_world
from multinational_assets_tests.sandbox.dialects.meanings import DIALECTS, SCALE, SEED, read_sources


@pytest.fixture(scope="session")
def worlds(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    out = {}
    for dialect in (0, *DIALECTS):
        path = tmp_path_factory.mktemp(f"dialect{dialect}")
        generate_world(SEED, SCALE, path, dialect=dialect)
        out[dialect] = path
    return out


@pytest.fixture(scope="session")
def sources(worlds: dict[int, Path]) -> dict[int, dict[str, pd.DataFrame]]:
    return {dialect: read_sources(path) for dialect, path in worlds.items()}
