"""Reading the stores a stores API serves from JSON or CSV."""

from __future__ import annotations

import json

import pytest

from multinational_assets.sandbox.stores_api import load_stores_file
from multinational_assets_tests.sandbox.stores_api.sample import STORES


def test_load_stores_file(tmp_path):
    as_json = tmp_path / "stores.json"
    as_json.write_text(json.dumps(STORES[:2]))
    assert load_stores_file(as_json) == STORES[:2]
    as_csv = tmp_path / "stores.csv"
    as_csv.write_text("index,store_code,lat\n0,WEB-1,\n1,AB-2,N/A\n", encoding="utf-8")
    assert load_stores_file(as_csv) == [
        {"index": "0", "store_code": "WEB-1", "lat": None},
        {"index": "1", "store_code": "AB-2", "lat": "N/A"},
    ]
    bad = tmp_path / "bad.json"
    bad.write_text('{"index": 0}')
    with pytest.raises(ValueError):
        load_stores_file(bad)
    with pytest.raises(FileNotFoundError):
        load_stores_file(tmp_path / "missing.json")
