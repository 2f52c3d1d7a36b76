"""The stores API's HTTP server: the production paths, the faults, and the `/_sandbox/` admin surface.

`start_stores_api` runs it on a thread of this process and returns a handle; `process.main` runs the
same server in a detached process for `sandbox up`.
"""

from __future__ import annotations

import ipaddress
import json
import random
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from multinational_assets.sandbox.stores_api.faults import Faults
from multinational_assets.sandbox.stores_api.stores import validate_stores

PREFIX = "/prod"
ADMIN_PREFIX = "/_sandbox"


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
    thread = threading.Thread(
        target=server.serve_forever, args=(0.05,), name=f"stores-api-{server.server_address[1]}", daemon=True
    )
    thread.start()
    return StoresAPIHandle(server, thread)
