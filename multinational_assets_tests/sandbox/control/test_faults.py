"""`faults`: the stores API's faults set at start and changed live."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from multinational_assets.sandbox import control
from multinational_assets_tests.sandbox.control.tiny_sandbox import http_json, run_cli

pytestmark = pytest.mark.sandbox


def test_faults_per_start_and_live(tiny):
    from multinational_assets.sandbox.stores_api import Faults

    state = control.up(faults=Faults(error_rate=1.0)).state
    url = f"{state['api_url']}/number_stores"
    assert http_json(url, state["api_key"])[0] == 500
    control.set_faults(Faults())
    assert http_json(url, state["api_key"])[0] == 200
    result = control.up(faults=Faults(throttle_rate=1.0, retry_after=3))  # already up: applied live
    assert result.already_up
    req = urllib.request.Request(url, headers={"x-api-key": state["api_key"]})
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(req, timeout=10)
    assert info.value.code == 429 and info.value.headers["Retry-After"] == "3"
    out = run_cli("faults", "--error-rate", "0").stdout
    assert "429s 100%" in out
