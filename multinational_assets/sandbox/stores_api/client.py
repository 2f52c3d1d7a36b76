"""Calls on a running stores API (detached or in-process): its health, and the admin surface that
`sandbox stage stores` and `sandbox faults` use to change it without a restart."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from multinational_assets.sandbox.stores_api.faults import Faults
from multinational_assets.sandbox.stores_api.server import ADMIN_PREFIX, PREFIX


def _admin_request(base_url: str, api_key: str, method: str, path: str, payload: Any = None, timeout: float = 30) -> Any:
    data = None if payload is None else json.dumps(payload).encode()
    req = urllib.request.Request(f"{base_url}{ADMIN_PREFIX}{path}", data=data, method=method)
    req.add_header("x-api-key", api_key)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode(errors="replace")
        raise RuntimeError(f"stores API admin {method} {path} failed: HTTP {exc.code} {detail}") from None


def put_stores(base_url: str, api_key: str, stores: list[dict[str, Any]]) -> int:
    """Replace the stores of a running API (detached or in-process); returns the new store count."""
    return int(_admin_request(base_url, api_key, "PUT", "/stores", stores)["number_stores"])


def put_faults(base_url: str, api_key: str, faults: Faults) -> None:
    """Replace the fault settings of a running API."""
    _admin_request(base_url, api_key, "PUT", "/faults", faults.to_dict())


def health(base_url: str, timeout: float = 1.0) -> dict[str, Any] | None:
    """The API's health answer (`{"status": "ok", "number_stores": N}`, never subject to faults) at
    `base_url` (without `/prod`), or None when nothing answers."""
    try:
        with urllib.request.urlopen(f"{base_url}{ADMIN_PREFIX}/health", timeout=timeout) as resp:
            return json.loads(resp.read()) if resp.status == 200 else None
    except (OSError, ValueError):
        return None


def is_healthy(base_url: str, timeout: float = 1.0) -> bool:
    """True when an API answers its health endpoint at `base_url` (without `/prod`)."""
    return health(base_url, timeout) is not None


def number_stores(base_url: str, api_key: str, timeout: float = 5.0) -> int | None:
    """The API's own `number_stores` answer, or None when it does not give one."""
    req = urllib.request.Request(f"{base_url}{PREFIX}/number_stores", headers={"x-api-key": api_key})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return int(json.loads(resp.read())["number_stores"])
    except (OSError, ValueError, KeyError):
        return None
