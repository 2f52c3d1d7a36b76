"""What a test does when a tool it needs is missing: skip on a developer's machine, fail under CI.

`CI=true` (as CI services set it, and `.ci/run` does) means every test must run: a missing Chromium,
Java or sandbox generator there is a broken machine, not a reason to report green.
"""

from __future__ import annotations

import os

import pytest


def under_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def tool_missing(reason: str) -> None:
    """Skip the test (or fixture) for `reason`, or fail it under CI. Never returns."""
    if under_ci():
        pytest.fail(f"{reason} (CI=true: a missing tool fails the run instead of skipping its tests)", pytrace=False)
    pytest.skip(reason)
