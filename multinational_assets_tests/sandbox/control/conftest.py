"""A private sandbox for the control tests (its own directory and free ports, away from the session
sandbox), and a directory for tests that never start a server."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from multinational_assets.sandbox import control
from multinational_assets_tests.sandbox.control.tiny_sandbox import API_PORT, S3_PORT, make_tiny_world


@contextlib.contextmanager
def _pointed_at(root: Path) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MULTINATIONAL_SANDBOX_DIR", str(root))
        mp.setenv("MULTINATIONAL_SANDBOX_S3_PORT", str(S3_PORT))
        mp.setenv("MULTINATIONAL_SANDBOX_API_PORT", str(API_PORT))
        yield


@pytest.fixture(scope="session")
def tiny_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The private sandbox directory, shared by the control tests; whatever is left up is stopped at the end.

    The settings point at it only while a test that uses `tiny` runs, so the session's own sandbox is
    never touched."""
    root = tmp_path_factory.mktemp("sb")
    try:
        yield root
    finally:
        with _pointed_at(root):
            control.down()


@pytest.fixture
def tiny(tiny_root: Path) -> Iterator[Path]:
    """A fresh tiny world (nothing staged), sandbox down at the start and at the end of the test."""
    with _pointed_at(tiny_root):
        control.down()
        shutil.rmtree(tiny_root / "world", ignore_errors=True)
        make_tiny_world(tiny_root / "world")
        yield tiny_root
        control.down()


@pytest.fixture
def private_sandbox_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MULTINATIONAL_SANDBOX_DIR", str(tmp_path))
    monkeypatch.setenv("MULTINATIONAL_SANDBOX_S3_PORT", "19600")
    monkeypatch.setenv("MULTINATIONAL_SANDBOX_API_PORT", "19601")
    return tmp_path
