"""The sandbox's stand-in for the stores REST API, with optional fault injection.

Paths are the production ones: `GET /prod/number_stores` and `GET /prod/store_details/{n}`, both
behind an `x-api-key` header. Faults (latency, 500s, 429s with `Retry-After`, truncated bodies) are off
unless asked for, and are drawn from a seeded RNG so a run can be replayed.

Two ways to run it:
- in-process, on a thread, for tests: `start_stores_api(stores, ...)` returns a handle with `.url` and
  `.stop()`;
- as a detached process, for `multinational sandbox up`:
  `python -m multinational_assets.sandbox.stores_api --port N --stores stores.json` with the API key in
  the environment variable named by `API_KEY_ENV` (kept off the command line, where `ps` would show it).

A small admin surface under `/_sandbox/` (loopback only, same API key) lets `sandbox stage stores`
swap the stores, and faults be changed, without a restart.

Modules: `faults` (what can go wrong, and how often), `stores` (the stores file a server serves),
`server` (the HTTP server), `client` (calls on a running server: health, admin), `process` (the
detached process that `python -m` runs).
"""

from __future__ import annotations

from multinational_assets.sandbox.stores_api.client import health, is_healthy, number_stores, put_faults, put_stores
from multinational_assets.sandbox.stores_api.faults import TRUNCATE_MODES, Faults
from multinational_assets.sandbox.stores_api.process import API_KEY_ENV, main
from multinational_assets.sandbox.stores_api.server import (
    ADMIN_PREFIX,
    PREFIX,
    StoresAPIHandle,
    _Handler,  # noqa: F401 (multinational_assets_tests/test_faults.py patches its do_GET)
    start_stores_api,
)
from multinational_assets.sandbox.stores_api.stores import load_stores_file, validate_stores

__all__ = [
    "ADMIN_PREFIX",
    "API_KEY_ENV",
    "PREFIX",
    "TRUNCATE_MODES",
    "Faults",
    "StoresAPIHandle",
    "health",
    "is_healthy",
    "load_stores_file",
    "main",
    "number_stores",
    "put_faults",
    "put_stores",
    "start_stores_api",
    "validate_stores",
]
