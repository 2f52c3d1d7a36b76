"""The stores API client's HTTP plumbing, without a server: proxies from the environment and how a
failed call is named in the retry statistics."""

import urllib3

from multinational_assets.clients.stores_api import _http_failure_cause, _http_pool


def test_a_proxy_in_the_environment_is_used(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.internal:3128")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    pool = _http_pool("https://api.example.com/prod", 4, "k")
    assert isinstance(pool, urllib3.ProxyManager)
    assert pool.proxy.host == "proxy.internal"
    assert pool.headers["x-api-key"] == "k"


def test_no_proxy_sends_calls_direct(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.internal:3128")
    monkeypatch.setenv("NO_PROXY", "api.example.com")
    pool = _http_pool("https://api.example.com/prod", 4, "k")
    assert not isinstance(pool, urllib3.ProxyManager)


def test_failed_calls_are_named_by_cause():
    exc = urllib3.exceptions
    assert _http_failure_cause(exc.ReadTimeoutError(None, "/x", "read timed out")) == "timeout"
    assert _http_failure_cause(exc.ConnectTimeoutError(None, "connect timed out")) == "timeout"
    assert _http_failure_cause(exc.NewConnectionError(None, "refused")) == "connection"
    cut = exc.ProtocolError("Connection broken: IncompleteRead(10 bytes read, 90 more expected)")
    assert _http_failure_cause(cut) == "broken body"
    assert _http_failure_cause(exc.ProtocolError("Connection aborted.", ConnectionResetError())) == "connection"
