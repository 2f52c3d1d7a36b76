"""The stores API stand-in: paths, auth, 404s, and every fault mode, on an in-process server."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
import requests

from multinational_assets.sandbox.stores_api import (
    API_KEY_ENV,
    Faults,
    is_healthy,
    load_stores_file,
    put_faults,
    put_stores,
    start_stores_api,
)

KEY = "test-key"
STORES = [
    {"index": i, "address": f"{i} High St\nTown", "longitude": f"51.{i}", "lat": None, "locality": "Town",
     "store_code": f"TO-{i:08X}", "staff_numbers": str(10 + i), "opening_date": "2010-01-01",
     "store_type": "Local", "latitude": f"-0.{i}", "country_code": "GB", "continent": "Europe"}
    for i in range(20)
]


@pytest.fixture
def api():
    with start_stores_api(STORES, api_key=KEY) as handle:
        yield handle


def _get(url: str, key: str | None = KEY, **kwargs) -> requests.Response:
    headers = {"x-api-key": key} if key is not None else {}
    return requests.get(url, headers=headers, timeout=10, **kwargs)


def _statuses(handle, n: int) -> list[int]:
    with requests.Session() as session:
        session.headers["x-api-key"] = KEY
        return [session.get(f"{handle.url}/number_stores", timeout=10).status_code for _ in range(n)]


# -- the contract ----------------------------------------------------------------------------------------
def test_number_stores(api):
    resp = _get(f"{api.url}/number_stores")
    assert resp.status_code == 200
    assert resp.json() == {"statusCode": 200, "number_stores": len(STORES)}
    assert resp.headers["Content-Type"] == "application/json"


def test_store_details_returns_the_nth_object_in_key_order(api):
    for n in (0, 7, len(STORES) - 1):
        resp = _get(f"{api.url}/store_details/{n}")
        assert resp.status_code == 200
        assert resp.json() == STORES[n]
        assert list(json.loads(resp.text)) == list(STORES[n])  # key order as in the source


@pytest.mark.parametrize("key", [None, "wrong-key", ""])
@pytest.mark.parametrize("path", ["/number_stores", "/store_details/0", "/store_details/999"])
def test_403_without_the_right_key(api, key, path):
    resp = _get(f"{api.url}{path}", key=key)
    assert resp.status_code == 403
    assert resp.json() == {"message": "Forbidden"}


@pytest.mark.parametrize("ref", [str(len(STORES)), "999", "-1", "abc", "1.5", ""])
def test_404_for_an_unknown_store(api, ref):
    resp = _get(f"{api.url}/store_details/{ref}")
    assert resp.status_code == 404


def test_404_for_an_unknown_path(api):
    assert _get(f"{api.base_url}/prod/nothing_here").status_code == 404
    assert _get(f"{api.base_url}/dev/number_stores").status_code == 404


def test_serves_concurrent_requests(api):
    api.set_faults(Faults(latency_ms=200))
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=16) as pool:
        codes = list(pool.map(lambda n: _get(f"{api.url}/store_details/{n % len(STORES)}").status_code, range(64)))
    elapsed = time.monotonic() - started
    assert codes == [200] * 64
    # Served one at a time this would take 12.8 s; the margin is for a busy 2-core machine.
    assert elapsed < 6.0, f"64 requests of 200 ms on 16 workers took {elapsed:.1f} s: not concurrent"


# -- faults ----------------------------------------------------------------------------------------------
def test_faults_are_off_by_default(api):
    assert not Faults().active
    assert _statuses(api, 50) == [200] * 50


def _timed(url: str) -> tuple[float, int]:
    started = time.monotonic()
    status = _get(url).status_code
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
        codes = _statuses(handle, 400)
    share = codes.count(500) / len(codes)
    assert set(codes) <= {200, 500}
    assert abs(share - rate) < 0.08, share


def test_error_rate_one_fails_everything():
    with start_stores_api(STORES, api_key=KEY, faults=Faults(error_rate=1.0)) as handle:
        resp = _get(f"{handle.url}/store_details/0")
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
            _get(f"{handle.url}{path}").json()


@pytest.mark.parametrize("path", ["/number_stores", "/store_details/3"])
def test_truncated_cut_body_is_a_200_whose_json_fails(path):
    with start_stores_api(STORES, api_key=KEY, faults=Faults(truncate_rate=1.0, truncate_mode="cut")) as handle:
        resp = _get(f"{handle.url}{path}")
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
            runs.append(_statuses(handle, 60))
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


# -- the admin surface used by `sandbox stage stores` ----------------------------------------------------
def test_admin_replaces_stores_and_faults_live(api):
    assert is_healthy(api.base_url)
    assert put_stores(api.base_url, KEY, STORES[:3]) == 3
    assert _get(f"{api.url}/number_stores").json()["number_stores"] == 3
    assert _get(f"{api.url}/store_details/3").status_code == 404
    put_faults(api.base_url, KEY, Faults(error_rate=1.0))
    assert _get(f"{api.url}/number_stores").status_code == 500


def test_admin_needs_the_key(api):
    with pytest.raises(RuntimeError, match="403"):
        put_stores(api.base_url, "wrong", [])
    assert _get(f"{api.url}/number_stores").json()["number_stores"] == len(STORES)


def test_admin_rejects_a_non_list(api):
    with pytest.raises(RuntimeError, match="400"):
        put_stores(api.base_url, KEY, {"not": "a list"})  # type: ignore[arg-type]


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


# -- detached mode ---------------------------------------------------------------------------------------
def test_runs_as_a_process_and_stops_on_sigterm(tmp_path):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    stores_file = tmp_path / "stores.json"
    stores_file.write_text(json.dumps(STORES))
    env = dict(os.environ, **{API_KEY_ENV: KEY})
    proc = subprocess.Popen(
        [sys.executable, "-m", "multinational_assets.sandbox.stores_api", "--port", str(port),
         "--stores", str(stores_file), "--faults", json.dumps({"latency_ms": 1})],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while not is_healthy(base):
            assert proc.poll() is None and time.monotonic() < deadline, proc.stdout.read().decode()
            time.sleep(0.05)
        assert _get(f"{base}/prod/store_details/5").json() == STORES[5]
        assert KEY not in " ".join(proc.args)  # the key stays off the command line
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
        proc.stdout.close()
