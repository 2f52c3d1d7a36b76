"""A test that needs a missing tool skips on a developer's machine and fails under CI."""

from __future__ import annotations

import pytest

from multinational_assets_tests.required_tools import tool_missing


@pytest.mark.parametrize("ci", ["true", "1", "TRUE"])
def test_under_ci_a_missing_tool_fails(ci, monkeypatch):
    monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.fail.Exception, match="no chromium"):
        tool_missing("no chromium")


@pytest.mark.parametrize("ci", [None, "", "false"])
def test_elsewhere_a_missing_tool_skips(ci, monkeypatch):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.skip.Exception, match="no chromium"):
        tool_missing("no chromium")
