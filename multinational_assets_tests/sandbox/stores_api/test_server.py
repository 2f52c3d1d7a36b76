"""The stores API stand-in's contract: paths, auth, 404s, concurrency (on an in-process server)."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from multinational_assets.sandbox.stores_api import Faults
from multinational_assets_tests.sandbox.stores_api.sample import STORES, get


def test_number_stores(api):
    resp = get(f"{api.url}/number_stores")
    assert resp.status_code == 200
    assert resp.json() == {"statusCode": 200, "number_stores": len(STORES)}
    assert resp.headers["Content-Type"] == "application/json"


def test_store_details_returns_the_nth_object_in_key_order(api):
    for n in (0, 7, len(STORES) - 1):
        resp = get(f"{api.url}/store_details/{n}")
        assert resp.status_code == 200
        assert resp.json() == STORES[n]
        assert list(json.loads(resp.text)) == list(STORES[n])  # key order as in the source


@pytest.mark.parametrize("key", [None, "wrong-key", ""])
@pytest.mark.parametrize("path", ["/number_stores", "/store_details/0", "/store_details/999"])
def test_403_without_the_right_key(api, key, path):
    resp = get(f"{api.url}{path}", key=key)
    assert resp.status_code == 403
    assert resp.json() == {"message": "Forbidden"}


@pytest.mark.parametrize("ref", [str(len(STORES)), "999", "-1", "abc", "1.5", ""])
def test_404_for_an_unknown_store(api, ref):
    resp = get(f"{api.url}/store_details/{ref}")
    assert resp.status_code == 404


def test_404_for_an_unknown_path(api):
    assert get(f"{api.base_url}/prod/nothing_here").status_code == 404
    assert get(f"{api.base_url}/dev/number_stores").status_code == 404


def test_serves_concurrent_requests(api):
    api.set_faults(Faults(latency_ms=200))
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=16) as pool:
        codes = list(pool.map(lambda n: get(f"{api.url}/store_details/{n % len(STORES)}").status_code, range(64)))
    elapsed = time.monotonic() - started
    assert codes == [200] * 64
    # Served one at a time this would take 12.8 s; the margin is for a busy 2-core machine.
    assert elapsed < 6.0, f"64 requests of 200 ms on 16 workers took {elapsed:.1f} s: not concurrent"
