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
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import ipaddress
import json
import random
import signal
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

API_KEY_ENV = "MULTINATIONAL_SANDBOX_STORES_API_KEY"
PREFIX = "/prod"
ADMIN_PREFIX = "/_sandbox"
TRUNCATE_MODES = ("mixed", "short", "cut")


@dataclass(frozen=True)
class Faults:
    """Fault injection settings for the stores API; all off by default.

    Rates are probabilities per `/prod` request (their sum must not exceed 1). `truncate_mode` says how a
    body is truncated: `short` sends a Content-Length larger than the bytes sent and closes the
    connection (clients see an incomplete read), `cut` sends a well-formed HTTP 200 whose JSON is cut
    short (clients see a JSON parse error), `mixed` picks one of the two at random.
    """

    latency_ms: float = 0.0
    error_rate: float = 0.0
    throttle_rate: float = 0.0
    truncate_rate: float = 0.0
    retry_after: int = 1
    truncate_mode: str = "mixed"
    seed: int = 0

    def __post_init__(self) -> None:
        if self.latency_ms < 0:
            raise ValueError(f"latency_ms must be >= 0, got {self.latency_ms}")
        for name in ("error_rate", "throttle_rate", "truncate_rate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {value}")
        if self.error_rate + self.throttle_rate + self.truncate_rate > 1.0 + 1e-9:
            raise ValueError("error_rate + throttle_rate + truncate_rate must not exceed 1")
        if self.retry_after < 0:
            raise ValueError(f"retry_after must be >= 0, got {self.retry_after}")
        if self.truncate_mode not in TRUNCATE_MODES:
            raise ValueError(f"truncate_mode must be one of {TRUNCATE_MODES}, got {self.truncate_mode!r}")

    @property
    def active(self) -> bool:
        """True when any fault is switched on."""
        return bool(self.latency_ms or self.error_rate or self.throttle_rate or self.truncate_rate)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict (the inverse of `Faults.from_dict`)."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Faults:
        """Build from a dict, ignoring unknown keys (state files may come from other versions)."""
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in (data or {}).items() if k in names})

    def describe(self) -> str:
        """A one-line human description, e.g. `latency 50 ms, 500s 5%`."""
        if not self.active:
            return "none"
        parts = []
        if self.latency_ms:
            parts.append(f"latency {self.latency_ms:g} ms")
        if self.error_rate:
            parts.append(f"500s {self.error_rate:.0%}")
        if self.throttle_rate:
            parts.append(f"429s {self.throttle_rate:.0%} (Retry-After {self.retry_after}s)")
        if self.truncate_rate:
            parts.append(f"truncated {self.truncate_rate:.0%} ({self.truncate_mode})")
        return ", ".join(parts) + f", seed {self.seed}"


def load_stores_file(path: str | Path) -> list[dict[str, Any]]:
    """Read stores from a JSON list of objects or from a CSV with a header.

    CSV rows become objects with the header as keys, values as text and empty fields as null (CSV has
    no other way to say "missing").
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"stores file not found: {path}")
    if path.suffix.lower() == ".csv":
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames:
                raise ValueError(f"{path}: the CSV has no header row")
            return [{k: (v if v != "" else None) for k, v in row.items()} for row in reader]
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not valid JSON ({exc})") from None
    return validate_stores(data, str(path))


def validate_stores(data: Any, where: str = "stores") -> list[dict[str, Any]]:
    """Check that `data` is a list of JSON objects and return it."""
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ValueError(f"{where}: expected a JSON list of objects")
    return data


class _Catalogue:
    """The stores as pre-encoded response bodies, swapped as a whole so readers never see a mix."""

    def __init__(self, stores: list[dict[str, Any]]):
        self.bodies = tuple(json.dumps(store, ensure_ascii=False).encode("utf-8") for store in stores)
        self.count_body = json.dumps({"statusCode": 200, "number_stores": len(self.bodies)}).encode()


class _State:
    """Mutable server state shared by the handler threads."""

    def __init__(self, stores: list[dict[str, Any]], api_key: str, faults: Faults):
        self.catalogue = _Catalogue(stores)
        self.api_key = api_key
        self.lock = threading.Lock()
        self.set_faults(faults)
        self.requests = 0

    def set_faults(self, faults: Faults) -> None:
        with self.lock:
            self.faults = faults
            self.rng = random.Random(faults.seed)

    def draw(self) -> tuple[str | None, float, str]:
        """Pick this request's fault: (kind or None, cut fraction, truncate mode)."""
        with self.lock:
            self.requests += 1
            f = self.faults
            u = self.rng.random()
            cut = self.rng.random()
            mode = f.truncate_mode
            if mode == "mixed":
                mode = "short" if self.rng.random() < 0.5 else "cut"
        if u < f.error_rate:
            return "error", cut, mode
        if u < f.error_rate + f.throttle_rate:
            return "throttle", cut, mode
        if u < f.error_rate + f.throttle_rate + f.truncate_rate:
            return "truncate", cut, mode
        return None, cut, mode


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Clients fan out many concurrent requests; the default backlog of 5 would refuse some of them.
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], state: _State, verbose: bool = False):
        self.state = state
        self.verbose = verbose
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    # HTTP/1.1 so clients can keep connections alive, as they would against API Gateway.
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle on, the body waits for the client's delayed ACK
    # (~40 ms per request on keep-alive connections).
    disable_nagle_algorithm = True
    server_version = "SandboxStoresAPI/1.0"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (stdlib signature)
        if self.server.verbose:
            super().log_message(format, *args)

    # -- helpers ---------------------------------------------------------------------------------
    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _send_json(self, status: int, obj: Any, headers: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(obj).encode(), headers)

    def _authorised(self) -> bool:
        return self.headers.get("x-api-key") == self.server.state.api_key

    def _path(self) -> str:
        return self.path.split("?", 1)[0].rstrip("/") or "/"

    # -- public API ------------------------------------------------------------------------------
    def do_GET(self) -> None:  # noqa: N802 (stdlib naming)
        path = self._path()
        if path.startswith(ADMIN_PREFIX):
            self._admin_get(path)
            return
        state = self.server.state
        faults = state.faults
        if faults.latency_ms:
            time.sleep(faults.latency_ms / 1000.0)
        if not self._authorised():
            self._send_json(403, {"message": "Forbidden"})
            return
        fault, cut, mode = state.draw()
        if fault == "error":
            self._send_json(500, {"message": "Internal server error"})
            return
        if fault == "throttle":
            self._send_json(429, {"message": "Too Many Requests"}, {"Retry-After": str(faults.retry_after)})
            return

        catalogue = state.catalogue
        if path == f"{PREFIX}/number_stores":
            body = catalogue.count_body
        elif path.startswith(f"{PREFIX}/store_details/"):
            ref = path[len(f"{PREFIX}/store_details/"):]
            n = int(ref) if ref.isdigit() else -1
            if not 0 <= n < len(catalogue.bodies):
                self._send_json(404, {"message": f"store {ref} not found"})
                return
            body = catalogue.bodies[n]
        else:
            self._send_json(404, {"message": "Not Found"})
            return

        if fault == "truncate":
            self._send_truncated(body, cut, mode)
        else:
            self._send(200, body)

    def _send_truncated(self, body: bytes, cut: float, mode: str) -> None:
        # Keep at least one byte and drop at least one: every proper prefix of a JSON object is invalid.
        keep = 1 + int(cut * max(len(body) - 1, 1))
        keep = min(keep, len(body) - 1) if len(body) > 1 else 0
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        # "short": promise the whole body, deliver part of it, hang up (a dropped connection).
        # "cut": a well-formed response whose JSON is cut (a broken upstream).
        self.send_header("Content-Length", str(len(body) if mode == "short" else keep))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body[:keep])
        self.wfile.flush()

    # -- admin -----------------------------------------------------------------------------------
    def _admin_allowed(self) -> bool:
        try:
            loopback = ipaddress.ip_address(self.client_address[0]).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            self._send_json(403, {"message": "admin endpoints answer on loopback only"})
            return False
        if not self._authorised():
            self._send_json(403, {"message": "Forbidden"})
            return False
        return True

    def _admin_get(self, path: str) -> None:
        state = self.server.state
        if path == f"{ADMIN_PREFIX}/health":
            self._send_json(200, {"status": "ok", "number_stores": len(state.catalogue.bodies)})
            return
        if not self._admin_allowed():
            return
        if path == f"{ADMIN_PREFIX}/faults":
            self._send_json(200, state.faults.to_dict())
        elif path == f"{ADMIN_PREFIX}/stats":
            self._send_json(200, {"requests": state.requests})
        else:
            self._send_json(404, {"message": "Not Found"})

    def do_PUT(self) -> None:  # noqa: N802 (stdlib naming)
        path = self._path()
        if not path.startswith(ADMIN_PREFIX):
            self._send_json(405, {"message": "Method Not Allowed"})
            return
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if not self._admin_allowed():
            return
        try:
            payload = json.loads(raw or b"null")
            if path == f"{ADMIN_PREFIX}/stores":
                stores = validate_stores(payload)
                self.server.state.catalogue = _Catalogue(stores)
                self._send_json(200, {"number_stores": len(stores)})
            elif path == f"{ADMIN_PREFIX}/faults":
                faults = Faults.from_dict(payload)
                self.server.state.set_faults(faults)
                self._send_json(200, faults.to_dict())
            else:
                self._send_json(404, {"message": "Not Found"})
        except (ValueError, TypeError) as exc:
            self._send_json(400, {"message": str(exc)})


class StoresAPIHandle:
    """A stores API running on a thread of this process (see `start_stores_api`)."""

    def __init__(self, server: _Server, thread: threading.Thread):
        self._server = server
        self._thread = thread
        host, port = server.server_address[:2]
        self.host: str = host
        self.port: int = port
        self.base_url = f"http://{host}:{port}"
        #: The API's root, as `STORES_API_URL` expects it (ends in `/prod`).
        self.url = f"{self.base_url}{PREFIX}"

    @property
    def api_key(self) -> str:
        return self._server.state.api_key

    @property
    def request_count(self) -> int:
        """How many `/prod` requests passed authentication so far."""
        return self._server.state.requests

    def set_stores(self, stores: list[dict[str, Any]]) -> None:
        """Replace the stores served from now on."""
        self._server.state.catalogue = _Catalogue(validate_stores(stores))

    def set_faults(self, faults: Faults) -> None:
        """Replace the fault settings (and restart the fault RNG from `faults.seed`)."""
        self._server.state.set_faults(faults)

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> StoresAPIHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_stores_api(
    stores: list[dict[str, Any]],
    port: int = 0,
    api_key: str = "sandbox-key",
    faults: Faults | None = None,
    host: str = "127.0.0.1",
    verbose: bool = False,
) -> StoresAPIHandle:
    """Serve `stores` on a background thread; `port=0` picks a free port. Returns a handle to stop it."""
    state = _State(validate_stores(stores), api_key, faults or Faults())
    server = _Server((host, port), state, verbose=verbose)
    # A short poll interval makes stop() quick (tests start and stop many servers).
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), name=f"stores-api-{server.server_address[1]}", daemon=True)
    thread.start()
    return StoresAPIHandle(server, thread)


# -- client helpers for the admin surface (used by `sandbox stage` / `up`) --------------------------
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


# -- detached process entry point ---------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    """Run the API in the foreground until SIGTERM/SIGINT (used by `sandbox up` as a detached process)."""
    import os

    parser = argparse.ArgumentParser(description="Sandbox stores API")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--stores", required=True, help="JSON list (or CSV) of the stores to serve")
    parser.add_argument("--faults", default="{}", help="fault settings as JSON (see Faults)")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)

    api_key = os.environ.pop(API_KEY_ENV, None)
    if not api_key:
        print(f"the API key must be given in ${API_KEY_ENV}", file=sys.stderr)
        return 2
    stores = load_stores_file(args.stores)
    faults = Faults.from_dict(json.loads(args.faults))
    handle = start_stores_api(stores, port=args.port, api_key=api_key, faults=faults, host=args.host, verbose=args.verbose)
    print(f"stores API serving {len(stores)} stores on {handle.url} (faults: {faults.describe()})", flush=True)

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    while not stop.wait(0.2):  # a timed wait keeps the main thread responsive to signals
        pass
    handle.stop()
    print("stores API stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
