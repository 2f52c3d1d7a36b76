"""The decoy `legacy_store_details`: another copy of the stores, not the API's."""

from __future__ import annotations

from pathlib import Path

from multinational_assets_tests.sandbox.world_readers import STORE_KEYS, read_copy_csv


def test_decoy_table_is_another_copy(world: Path, stores_raw: list[dict]) -> None:
    decoy = read_copy_csv(world / "legacy" / "legacy_store_details.csv")
    assert list(decoy.columns) == STORE_KEYS
    assert 0 < len(decoy) != 451
    api_codes = {s["store_code"] for s in stores_raw}
    assert not set(decoy["store_code"]) <= api_codes
