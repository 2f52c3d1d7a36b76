"""Bring the sandbox up and down, report on it, print its environment, and stage user files in it.

These are plain functions; `multinational_assets.sandbox.cli` is the `click` face of them. Every
function reads the sandbox directory and ports from `settings` when it is called, so a test session can
point them at its own sandbox through `MULTINATIONAL_SANDBOX_DIR` / `_S3_PORT` / `_API_PORT`.

Layout of a sandbox directory:
    world/          the generated world (see docs/architecture.md), plus staged files
    world/staged.json, world/.originals/   what `stage` replaced, and the generated files it replaced
    pgdata/         the embedded Postgres (its socket lives here too)
    logs/           the S3 and stores API servers' output
    state.json      what `up` started: pids, ports, the API key, seed, scale, dialect (removed by `down`)

Modules, by concern: `start` (`up`) and `stop` (`down`); `report` (`status`); `env`; `faults`;
`staging` (`stage_*`, `unstage`); `handle` (`info`, a running sandbox for code); and their plumbing:
`world` (is the world there, generate it), `processes` (the servers as processes), `state`
(state.json, the lock), `paths` (where things are, which ports), `messages` (errors, progress).
"""

from __future__ import annotations

from multinational_assets.sandbox.control.env import env_script, env_vars
from multinational_assets.sandbox.control.faults import set_faults
from multinational_assets.sandbox.control.handle import SandboxInfo, info
from multinational_assets.sandbox.control.messages import Echo, SandboxError
from multinational_assets.sandbox.control.paths import SandboxPaths, configured_ports, sandbox_paths
from multinational_assets.sandbox.control.processes import server_health
from multinational_assets.sandbox.control.report import format_status, status
from multinational_assets.sandbox.control.staging import stage_legacy, stage_s3, stage_stores, unstage
from multinational_assets.sandbox.control.start import UpResult, up
from multinational_assets.sandbox.control.state import read_state, sandbox_lock
from multinational_assets.sandbox.control.stop import down
from multinational_assets.sandbox.control.world import (
    GENERATOR_STAMP,
    REQUIRED_WORLD_FILES,
    ensure_world,
    generator_fingerprint,
    world_matches,
)
from multinational_assets.sandbox.stores_api import Faults

__all__ = [
    "GENERATOR_STAMP",
    "REQUIRED_WORLD_FILES",
    "Echo",
    "Faults",
    "SandboxError",
    "SandboxInfo",
    "SandboxPaths",
    "UpResult",
    "configured_ports",
    "down",
    "ensure_world",
    "env_script",
    "env_vars",
    "format_status",
    "generator_fingerprint",
    "info",
    "read_state",
    "sandbox_lock",
    "sandbox_paths",
    "server_health",
    "set_faults",
    "stage_legacy",
    "stage_s3",
    "stage_stores",
    "status",
    "unstage",
    "up",
    "world_matches",
]
