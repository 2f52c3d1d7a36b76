"""A sample of stores, the API key the tests use, and plain HTTP calls on a stores API."""

from __future__ import annotations

import requests

KEY = "test-key"
STORES = [
    {"index": i, "address": f"{i} High St\nTown", "longitude": f"51.{i}", "lat": None, "locality": "Town",
     "store_code": f"TO-{i:08X}", "staff_numbers": str(10 + i), "opening_date": "2010-01-01",
     "store_type": "Local", "latitude": f"-0.{i}", "country_code": "GB", "continent": "Europe"}
    for i in range(20)
]


def get(url: str, key: str | None = KEY, **kwargs) -> requests.Response:
    headers = {"x-api-key": key} if key is not None else {}
    return requests.get(url, headers=headers, timeout=10, **kwargs)


def statuses(handle, n: int) -> list[int]:
    with requests.Session() as session:
        session.headers["x-api-key"] = KEY
        return [session.get(f"{handle.url}/number_stores", timeout=10).status_code for _ in range(n)]
