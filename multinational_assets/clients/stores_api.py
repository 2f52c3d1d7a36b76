"""The REST API of store details: every store fetched concurrently, with retries.

The API key is only ever sent as a header: it never appears in config, logs, errors or metadata, and
it stays with its host (a redirect is reported, never followed). An answer is read up to a size limit,
and one that is not the JSON object expected is reported with its store number, never its body.
"""

from __future__ import annotations

import json
import random
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import urllib3

from multinational_assets.clients import SourceUnavailable


class StoresApiError(SourceUnavailable):
    """The stores API failed in a way retrying does not fix."""


@dataclass
class FetchStats:
    """What fetching the stores cost: calls, retries by cause, seconds."""

    calls: int = 0
    retries: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def retried(self, cause: str) -> None:
        with self.lock:
            self.retries[cause] = self.retries.get(cause, 0) + 1


@dataclass(frozen=True)
class StoresApi:
    """The API at `base_url` (`https://.../prod`), called with `key`."""

    base_url: str
    key: str | None = field(repr=False)
    concurrency: int = 32  # the setting's default (STORES_API_CONCURRENCY)
    timeout_seconds: float = 10.0
    max_retries: int = 6
    backoff_seconds: float = 0.2
    max_body_bytes: int = 1 << 20

    def fetch_all(self, progress=None) -> tuple[list[dict], FetchStats]:
        """Every store, in store-number order, fetched concurrently with retries."""
        base, key = self.base_url.rstrip("/"), self.key
        concurrency, timeout, retries = self.concurrency, self.timeout_seconds, self.max_retries
        if not key:
            raise StoresApiError("No stores API key: set STORES_API_KEY (or start the sandbox).")
        stats = FetchStats()
        started = time.perf_counter()
        http = _http_pool(base, concurrency, key)
        try:
            call = _Caller(
                http, urllib3.Timeout(connect=timeout, read=timeout), retries, self.backoff_seconds, stats, self.max_body_bytes
            )
            count = _store_count(call.get_json(f"{base}/number_stores", "the number of stores"))
            done = 0
            done_lock = threading.Lock()

            def one(n: int) -> dict:
                nonlocal done
                store = call.get_json(f"{base}/store_details/{n}", f"store {n}")
                if not isinstance(store, dict):
                    raise StoresApiError(
                        f"The stores API's answer for store {n} is JSON but not an object of store details "
                        f"(a JSON {_json_kind(store)}); the body is not logged."
                    )
                with done_lock:
                    done += 1
                    if progress and (done % 100 == 0 or done == count):
                        progress(done, count)
                return store

            with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="stores-api") as pool:
                stores = list(pool.map(one, range(count)))
        finally:
            http.clear()
        stats.seconds = time.perf_counter() - started
        return stores, stats


def _http_pool(base_url: str, concurrency: int, key: str) -> urllib3.PoolManager:
    """Keep-alive connections to the API, one per worker, the key in a default header. A proxy set in
    the environment (HTTPS_PROXY, NO_PROXY, ...) is honoured, as requests would."""
    headers = {"x-api-key": key}
    parts = urllib.parse.urlsplit(base_url)
    proxy = urllib.request.getproxies().get(parts.scheme)
    if proxy and not urllib.request.proxy_bypass(parts.hostname or ""):
        return urllib3.ProxyManager(proxy, num_pools=2, maxsize=concurrency, headers=headers)
    return urllib3.PoolManager(num_pools=2, maxsize=concurrency, headers=headers)


def _store_count(answer) -> int:
    count = answer.get("number_stores") if isinstance(answer, dict) else None
    if isinstance(count, bool) or not isinstance(count, int | str) or not str(count).strip().isdigit():
        raise StoresApiError(
            "The stores API's answer for the number of stores has no whole `number_stores`; the body is not logged."
        )
    return int(count)


def _json_kind(value) -> str:
    return {list: "list", str: "string", int: "number", float: "number", bool: "boolean"}.get(type(value), "null")


class BodyTooLarge(StoresApiError):
    """An answer longer than the limit (STORES_API_MAX_BODY_BYTES)."""


class _Caller:
    """GET with retries: exponential backoff with jitter on connection errors, timeouts, broken
    bodies, 5xx and 429 (waiting at least the server's Retry-After).

    urllib3 directly rather than requests: per call requests spent 2.2 ms of Python (sessions,
    hooks, environment lookups) against urllib3's 0.9 ms, and at scale 10 its 4,501 calls held the
    interpreter lock that the other sources' readers need for 10 CPU-seconds instead of 4."""

    def __init__(self, http: urllib3.PoolManager, timeout, retries, backoff, stats: FetchStats, max_body: int = 1 << 20):
        self.http, self.timeout, self.retries, self.backoff, self.stats = http, timeout, retries, backoff, stats
        self.max_body = max_body

    def _read_body(self, response, what: str) -> bytes:
        """The body, read no further than the limit: an endless or huge answer costs at most the limit
        in memory, and its connection is closed rather than drained."""
        data = response.read(self.max_body + 1)
        if len(data) > self.max_body:
            response.close()
            raise BodyTooLarge(
                f"The stores API's answer for {what} is longer than STORES_API_MAX_BODY_BYTES ({self.max_body:,} bytes)."
            )
        response.release_conn()
        return data

    def get_json(self, url: str, what: str) -> dict:
        last_problem = ""
        for attempt in range(self.retries + 1):
            wait = self.backoff * (2**attempt) * (0.5 + random.random())
            try:
                with self.stats.lock:
                    self.stats.calls += 1
                # retries=False: this loop retries, with backoff; urllib3 would retry at once. It also
                # means a redirect is never followed: the key must not travel to another host.
                response = self.http.request(
                    "GET", url, timeout=self.timeout, retries=False, redirect=False, preload_content=False
                )
                if response.status == 200:
                    data = self._read_body(response, what)
                    try:
                        return json.loads(data)
                    except ValueError:  # JSON or UTF-8 decoding: the body was cut short, or is not JSON
                        cause = "broken body" if _says_json(response) else "not JSON"
                else:
                    response.close()  # an error's body is never read: it may be endless, and is not logged
                    cause = _status_cause(response, what)
                    if response.status == 429:
                        wait = max(wait, _retry_after(response.headers.get("Retry-After")))
            except urllib3.exceptions.HTTPError as error:
                cause = _http_failure_cause(error)
            last_problem = cause
            if attempt < self.retries:
                self.stats.retried(cause)
                time.sleep(min(wait, 30.0))
        raise StoresApiError(
            f"The stores API failed for {what} after {self.retries + 1} attempts (last problem: {last_problem})."
        )


def _status_cause(response, what: str) -> str:
    """The retry statistics' name for an answer worth retrying (429, 5xx); any other status raises."""
    status = response.status
    if status == 429 or status >= 500:
        return str(status)
    if status == 403:
        raise StoresApiError(f"The stores API refused the key (403) for {what}.")
    if 300 <= status < 400:
        target = urllib.parse.urlsplit(response.headers.get("Location") or "").netloc or "elsewhere"
        raise StoresApiError(
            f"The stores API redirected the call for {what} to {target} ({status}): redirects are "
            "not followed, so the key never leaves its host. Point STORES_API_URL at the final address."
        )
    raise StoresApiError(f"The stores API answered {status} for {what}.")


def _says_json(response) -> bool:
    return "json" in (response.headers.get("Content-Type") or "application/json").lower()


def _http_failure_cause(error: urllib3.exceptions.HTTPError) -> str:
    """The retry statistics' name for a failed call: timeout, broken body or connection."""
    if isinstance(error, urllib3.exceptions.NewConnectionError):  # a subclass of the timeout error
        return "connection"
    if isinstance(error, urllib3.exceptions.TimeoutError):
        return "timeout"
    if isinstance(error, urllib3.exceptions.ProtocolError) and (
        "IncompleteRead" in str(error) or "Connection broken" in str(error)
    ):
        return "broken body"
    return "connection"


def _retry_after(value: str | None) -> float:
    try:
        return float(value) if value else 0.0
    except ValueError:
        return 1.0
