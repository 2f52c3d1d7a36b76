"""The benchmark's own sandbox: a folder and two ports per scale, away from a developer's sandbox
(`.sandbox`, ports 9555/9556) and the tests' (`.sandbox-test`, ports the system gives as free).

Everything in the package resolves the sandbox from environment variables at call time, so pointing at
the benchmark's sandbox is a matter of setting them before anything runs (child processes inherit them).
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from bench_util import say

PROJECT_ROOT = Path(__file__).resolve().parents[1]
BASE_S3_PORT = 39555
BASE_API_PORT = 39556
PORT_STRIDE = 10  # scale number i gets ports 39555 + 10*i and 39556 + 10*i

# What `multinational sandbox env` exports: a shell that sourced it must not send the benchmark to
# another sandbox.
SANDBOX_ENV_VARS = (
    "LEGACY_DATABASE_URL", "WAREHOUSE_URL", "DAGSTER_STORAGE_URL", "S3_ENDPOINT_URL",
    "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "S3_BUCKET", "STORES_API_URL", "STORES_API_KEY",
)


@dataclass(frozen=True)
class BenchSandbox:
    """Where one scale's sandbox lives."""

    scale: float
    seed: int
    root: Path
    s3_port: int
    api_port: int


@dataclass
class StartFigures:
    """What bringing the sandbox up cost."""

    generation_seconds: float | None  # None: an existing world was reused
    start_seconds: float
    legacy_rows: dict[str, int] | None


def scale_label(scale: float) -> str:
    return f"{scale:g}"


def bench_sandbox(scale: float, seed: int, index: int) -> BenchSandbox:
    return BenchSandbox(
        scale=scale,
        seed=seed,
        root=PROJECT_ROOT / f".sandbox-bench-s{scale_label(scale)}",
        s3_port=BASE_S3_PORT + PORT_STRIDE * index,
        api_port=BASE_API_PORT + PORT_STRIDE * index,
    )


def point_settings_at(box: BenchSandbox) -> None:
    """Make every settings lookup (here and in child processes) resolve to this sandbox."""
    os.environ["MULTINATIONAL_SANDBOX_DIR"] = str(box.root)
    os.environ["MULTINATIONAL_SANDBOX_S3_PORT"] = str(box.s3_port)
    os.environ["MULTINATIONAL_SANDBOX_API_PORT"] = str(box.api_port)
    for name in SANDBOX_ENV_VARS:
        os.environ.pop(name, None)


def _clear_previous(box: BenchSandbox, reuse_world: bool) -> None:
    """Stop a sandbox a previous run left up (`--keep`) and delete its Postgres data, so the start
    below is a cold start. The world is deleted too unless it is to be reused."""
    from multinational_assets.sandbox import control, postgres

    control.down(echo=lambda _: None)
    paths = control.sandbox_paths()
    if postgres.running_pid(paths.pgdata) is not None:
        postgres.stop(paths.pgdata)  # never delete the files of a running server
    shutil.rmtree(paths.pgdata, ignore_errors=True)
    if not reuse_world:
        shutil.rmtree(paths.world, ignore_errors=True)


def start(box: BenchSandbox, reuse_world: bool) -> StartFigures:
    """Generate the world (timed) and start the servers from cold (timed)."""
    from multinational_assets.sandbox import control
    from multinational_assets.sandbox.stores_api import Faults

    point_settings_at(box)
    _clear_previous(box, reuse_world)

    say(f"generating the world for scale {scale_label(box.scale)} (seed {box.seed}) in {box.root}")
    started = time.perf_counter()
    generated = control.ensure_world(box.seed, box.scale, echo=say)
    generation = time.perf_counter() - started if generated else None
    if not generated:
        say("  reusing the world already there (--reuse-world)")

    say(f"starting the sandbox (S3 port {box.s3_port}, stores API port {box.api_port})")
    result = control.up(seed=box.seed, scale=box.scale, faults=Faults(), echo=say)
    return StartFigures(generation, result.seconds, result.loaded)


def stop(box: BenchSandbox) -> None:
    """Stop the servers; the files stay in the folder (gitignored) so `--reuse-world` can use them."""
    from multinational_assets.sandbox import control

    point_settings_at(box)
    control.down(echo=say)
