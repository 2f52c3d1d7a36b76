"""The stores API client against an API that lies: redirects (direct and through a proxy) never take
the key to another host, an endless answer stops at the size limit, and an answer that is not the JSON
expected is reported with its store number, never its body. Local HTTP servers, no sandbox."""

from __future__ import annotations

import contextlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from multinational_assets.clients.stores_api import BodyTooLarge, StoresApi, StoresApiError

KEY = "SECRET-KEY-1234"
BODY_MARKER = "BODY-MARKER-do-not-log"


class Server:
    """An HTTP server on 127.0.0.1 whose answer for each path is `respond(handler)`; it records every
    request (path and key header)."""

    def __init__(self, respond):
        self.requests: list[tuple[str, str | None]] = []
        self.bytes_sent = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802 - http.server's name
                server.requests.append((self.path, self.headers.get("x-api-key")))
                respond(self, server)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def send(handler, status: int, body: bytes = b"", content_type: str = "application/json", **headers) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)


def api(store_one):
    """An API of two stores whose store 1 is answered by `store_one(handler, server)`."""

    def respond(handler, server):
        path = handler.path.split("/prod/", 1)[-1]
        if path == "number_stores":
            send(handler, 200, json.dumps({"statusCode": 200, "number_stores": 2}).encode())
        elif path == "store_details/0":
            send(handler, 200, json.dumps({"index": 0, "store_code": "AA-1"}).encode())
        else:
            store_one(handler, server)

    return respond


def client(url: str, **options) -> StoresApi:
    return StoresApi(url + "/prod", KEY, concurrency=2, timeout_seconds=5, max_retries=1, backoff_seconds=0.01, **options)


@pytest.fixture
def elsewhere():
    """Another host a redirect points at: it must never be called."""
    with Server(lambda h, s: send(h, 200, b"{}")) as other:
        yield other


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_redirect_to_another_host_is_reported_and_never_followed(status, elsewhere):
    def redirect(handler, server):
        send(handler, status, b"", Location=f"{elsewhere.url}/prod/store_details/1")

    with Server(api(redirect)) as source, pytest.raises(StoresApiError) as error:
        client(source.url).fetch_all()
    message = str(error.value)
    assert f"redirected the call for store 1 to {elsewhere.url.split('//')[1]} ({status})" in message
    assert KEY not in message
    assert elsewhere.requests == []  # the key never reached the other host


def test_a_redirect_through_a_proxy_is_not_followed_either(elsewhere, monkeypatch):
    # The proxy sees absolute URLs; it answers as a hostile proxy would: a redirect to another host.
    def proxy_answer(handler, server):
        if handler.path.endswith("/store_details/1"):
            send(handler, 307, b"", Location=f"{elsewhere.url}/steal")
        else:
            api(lambda h, s: None)(handler, server)

    with Server(proxy_answer) as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.setenv("http_proxy", proxy.url)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        with pytest.raises(StoresApiError, match="redirected the call for store 1"):
            client("http://stores-api.invalid").fetch_all()
    assert any(path.startswith("http://stores-api.invalid/prod/") for path, _ in proxy.requests)
    assert elsewhere.requests == []


def test_an_endless_answer_stops_at_the_size_limit():
    def endless(handler, server):
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.end_headers()  # no length: the body lasts until the connection closes, here never
        chunk = b"[" * 65536
        with contextlib.suppress(OSError):
            while server.bytes_sent < 1 << 30:
                handler.wfile.write(chunk)
                server.bytes_sent += len(chunk)

    with Server(api(endless)) as source, pytest.raises(BodyTooLarge) as error:
        client(source.url, max_body_bytes=100_000).fetch_all()
    assert "store 1" in str(error.value) and "STORES_API_MAX_BODY_BYTES (100,000 bytes)" in str(error.value)
    # The client hung up soon after the limit (socket buffers hold a few MB at most), not at 1 GB.
    assert source.bytes_sent < 64 << 20


def test_an_answer_that_is_not_json_is_reported_without_its_body():
    def html(handler, server):
        send(handler, 200, f"<html>{BODY_MARKER}</html>".encode(), content_type="text/html")

    with Server(api(html)) as source, pytest.raises(StoresApiError) as error:
        client(source.url).fetch_all()
    assert "store 1" in str(error.value) and "not JSON" in str(error.value)
    assert BODY_MARKER not in str(error.value)


@pytest.mark.parametrize("body", [[BODY_MARKER], BODY_MARKER, 7, None])
def test_json_of_the_wrong_shape_is_reported_with_the_store_number(body):
    def wrong(handler, server):
        send(handler, 200, json.dumps(body).encode())

    with Server(api(wrong)) as source, pytest.raises(StoresApiError) as error:
        client(source.url).fetch_all()
    assert "store 1" in str(error.value) and "not an object of store details" in str(error.value)
    assert BODY_MARKER not in str(error.value)
    assert sum(path.endswith("/store_details/1") for path, _ in source.requests) == 1  # not retried: it will not change


@pytest.mark.parametrize("answer", [{"number_stores": "many"}, [2], {"count": 2}, {"number_stores": True}])
def test_a_store_count_of_the_wrong_shape_is_reported(answer):
    def respond(handler, server):
        send(handler, 200, json.dumps(answer).encode())

    with Server(respond) as source, pytest.raises(StoresApiError, match="number of stores has no whole"):
        client(source.url).fetch_all()


def test_the_key_is_sent_to_its_host_only_as_a_header():
    with Server(api(lambda h, s: send(h, 200, b'{"index": 1}'))) as source:
        stores, _ = client(source.url).fetch_all()
    assert stores == [{"index": 0, "store_code": "AA-1"}, {"index": 1}]
    assert {key for _, key in source.requests} == {KEY}
    assert all(KEY not in path for path, _ in source.requests)
