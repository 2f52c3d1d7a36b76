"""The admin surface that `sandbox stage stores` and `sandbox faults` use, through the client calls."""

from __future__ import annotations

import pytest

from multinational_assets.sandbox.stores_api import Faults, is_healthy, put_faults, put_stores
from multinational_assets_tests.sandbox.stores_api.sample import KEY, STORES, get


def test_admin_replaces_stores_and_faults_live(api):
    assert is_healthy(api.base_url)
    assert put_stores(api.base_url, KEY, STORES[:3]) == 3
    assert get(f"{api.url}/number_stores").json()["number_stores"] == 3
    assert get(f"{api.url}/store_details/3").status_code == 404
    put_faults(api.base_url, KEY, Faults(error_rate=1.0))
    assert get(f"{api.url}/number_stores").status_code == 500


def test_admin_needs_the_key(api):
    with pytest.raises(RuntimeError, match="403"):
        put_stores(api.base_url, "wrong", [])
    assert get(f"{api.url}/number_stores").json()["number_stores"] == len(STORES)


def test_admin_rejects_a_non_list(api):
    with pytest.raises(RuntimeError, match="400"):
        put_stores(api.base_url, KEY, {"not": "a list"})  # type: ignore[arg-type]
