"""Every fault mode of the stores API: latency, 500s, 429s, truncated bodies, replay by seed."""

from __future__ import annotations

import http.client
import json
import time
from urllib.parse import urlsplit

import pytest
import requests

from multinational_assets.sandbox.stores_api import Faults, start_stores_api
from multinational_assets_tests.sandbox.stores_api.sample import KEY, STORES, get, statuses


def test_faults_are_off_by_default(api):
    assert not Faults().active
    assert statuses(api, 50) == [200] * 50


def _timed(url: str) -> tuple[float, int]:
    started = time.monotonic()
    status = get(url).status_code
    return time.monotonic() - started, status


def test_latency_is_added(api):
    url = f"{api.url}/store_details/1"
    baseline = min(_timed(url)[0] for _ in range(3))
    api.set_faults(Faults(latency_ms=300))
    slowed = [_timed(url) for _ in range(3)]
    assert all(status == 200 for _, status in slowed)
    assert min(t for t, _ in slowed) >= 0.3
    assert min(t for t, _ in slowed) > baseline


@pytest.mark.parametrize("rate", [0.2, 0.5])
def test_error_rate_gives_500s(rate):
    with start_stores_api(STORES, api_key=KEY, faults=Faults(error_rate=rate, seed=3)) as handle:
        codes = statuses(handle, 400)
    share = codes.count(500) / len(codes)
    assert set(codes) <= {200, 500}
    assert abs(share - rate) < 0.08, share


def test_error_rate_one_fails_everything():
    with start_stores_api(STORES, api_key=KEY, faults=Faults(error_rate=1.0)) as handle:
        resp = get(f"{handle.url}/store_details/0")
    assert resp.status_code == 500


def test_throttle_rate_gives_429_with_retry_after():
    faults = Faults(throttle_rate=0.3, retry_after=2, seed=5)
    with start_stores_api(STORES, api_key=KEY, faults=faults) as handle:
        with requests.Session() as session:
            session.headers["x-api-key"] = KEY
            responses = [session.get(f"{handle.url}/store_details/{n % 20}", timeout=10) for n in range(300)]
    throttled = [r for r in responses if r.status_code == 429]
    assert abs(len(throttled) / len(responses) - 0.3) < 0.08
    assert all(r.headers["Retry-After"] == "2" for r in throttled)
    assert all(r.status_code in (200, 429) for r in responses)


def _raw_get(url: str) -> tuple[int, dict[str, str], bytes, bool]:
    """GET with http.client: (status, headers, body as received, whether the body was complete)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request("GET", parts.path, headers={"x-api-key": KEY})
        resp = conn.getresponse()
        try:
            return resp.status, dict(resp.getheaders()), resp.read(), True
        except http.client.IncompleteRead as exc:
            return resp.status, dict(resp.getheaders()), exc.partial, False
    finally:
        conn.close()


@pytest.mark.parametrize("path", ["/number_stores", "/store_details/3"])
def test_truncated_short_body_breaks_json(path):
    with start_stores_api(STORES, api_key=KEY, faults=Faults(truncate_rate=1.0, truncate_mode="short")) as handle:
        status, headers, body, complete = _raw_get(f"{handle.url}{path}")
        assert status == 200 and not complete
        assert int(headers["Content-Length"]) > len(body) > 0
        with pytest.raises(json.JSONDecodeError):
            json.loads(body)
        # What a requests-based client sees: the read fails before any JSON can be parsed.
        with pytest.raises(requests.exceptions.RequestException):
            get(f"{handle.url}{path}").json()


@pytest.mark.parametrize("path", ["/number_stores", "/store_details/3"])
def test_truncated_cut_body_is_a_200_whose_json_fails(path):
    with start_stores_api(STORES, api_key=KEY, faults=Faults(truncate_rate=1.0, truncate_mode="cut")) as handle:
        resp = get(f"{handle.url}{path}")
    assert resp.status_code == 200
    assert int(resp.headers["Content-Length"]) == len(resp.content) > 0
    with pytest.raises(requests.exceptions.JSONDecodeError):
        resp.json()


def test_truncate_mixed_gives_both_kinds():
    with start_stores_api(STORES, api_key=KEY, faults=Faults(truncate_rate=1.0, seed=1)) as handle:
        outcomes = {_raw_get(f"{handle.url}/store_details/2")[3] for _ in range(30)}
    assert outcomes == {True, False}  # complete-but-cut and incomplete reads both occur


def test_faults_replay_with_the_same_seed():
    faults = Faults(error_rate=0.2, throttle_rate=0.2, seed=42)
    runs = []
    for _ in range(2):
        with start_stores_api(STORES, api_key=KEY, faults=faults) as handle:
            runs.append(statuses(handle, 60))
    assert runs[0] == runs[1]
    assert {200, 429, 500} <= set(runs[0])


def test_faults_validation():
    with pytest.raises(ValueError):
        Faults(error_rate=1.5)
    with pytest.raises(ValueError):
        Faults(error_rate=0.6, throttle_rate=0.6)
    with pytest.raises(ValueError):
        Faults(latency_ms=-1)
    with pytest.raises(ValueError):
        Faults(truncate_mode="sideways")
    assert Faults.from_dict(Faults(error_rate=0.1).to_dict()) == Faults(error_rate=0.1)
