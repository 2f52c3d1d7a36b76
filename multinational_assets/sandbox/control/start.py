"""`up`: generate the world if needed, start Postgres, S3 and the stores API, load them, record state."""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import secrets
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from multinational_assets import settings
from multinational_assets.sandbox import postgres
from multinational_assets.sandbox.control.faults import set_faults
from multinational_assets.sandbox.control.messages import Echo, SandboxError, dialect_words, quiet
from multinational_assets.sandbox.control.paths import LOCALHOST, configured_ports, sandbox_paths
from multinational_assets.sandbox.control.processes import (
    API_MODULE,
    S3_MODULE,
    check_port,
    log_tail,
    server_health,
    spawn,
    stop_process,
)
from multinational_assets.sandbox.control.staging import legacy_overrides, read_staged
from multinational_assets.sandbox.control.state import read_state, sandbox_lock, write_json
from multinational_assets.sandbox.control.stop import stop_all
from multinational_assets.sandbox.control.world import ensure_world, same_scale
from multinational_assets.sandbox.stores_api import API_KEY_ENV, Faults


@dataclass
class UpResult:
    """What `up` did."""

    state: dict[str, Any]
    already_up: bool
    seconds: float
    generated: bool = False
    loaded: dict[str, int] | None = None
    uploaded: dict[str, int] = field(default_factory=dict)


def up(
    seed: int = 0,
    scale: float = 1,
    faults: Faults | None = None,
    regenerate: bool = False,
    echo: Echo = quiet,
    dialect: int = 0,
) -> UpResult:
    """Start the sandbox: generate the world if needed, start Postgres, S3 and the stores API in the
    background, load the legacy database and the bucket, and record everything in state.json.

    `dialect` chooses how the sources spell their values (0: as source-world.md; see
    `multinational_assets.sandbox.generate`); another dialect is another world, like another seed.
    Idempotent: when the sandbox is already up with this seed, scale and dialect, nothing is restarted
    (new `faults`, if given, are applied to the running API). A half-running sandbox (a server died)
    is stopped and started again.
    """
    started = time.monotonic()
    scale = int(scale) if float(scale).is_integer() else float(scale)
    paths = sandbox_paths()
    with sandbox_lock(echo):
        state = read_state()
        if state:
            health = server_health(state)
            if all(health.values()):
                if (state.get("seed") != seed or not same_scale(state.get("scale"), scale)
                        or state.get("dialect", 0) != dialect or regenerate):
                    raise SandboxError(
                        f"the sandbox in {paths.root} is already up with seed {state.get('seed')} and scale "
                        f"{state.get('scale')}{dialect_words(state.get('dialect', 0))}; run "
                        f"`multinational sandbox down` first to change the world"
                    )
                if faults is not None and faults != Faults.from_dict(state.get("faults")):
                    set_faults(faults)
                    state = read_state()
                    echo(f"stores API faults set to: {faults.describe()}")
                return UpResult(state, already_up=True, seconds=time.monotonic() - started)
            dead = ", ".join(name for name, ok in health.items() if not ok)
            echo(f"the sandbox was half up ({dead} not running); restarting it")
            stop_all(state, echo)
            paths.state_file.unlink(missing_ok=True)

        s3_port, api_port = configured_ports()
        if s3_port == api_port:
            raise SandboxError(f"the S3 and stores API ports must differ (both are {s3_port})")
        check_port(s3_port, "S3 server", "MULTINATIONAL_SANDBOX_S3_PORT")
        check_port(api_port, "stores API", "MULTINATIONAL_SANDBOX_API_PORT")

        generated = ensure_world(seed, scale, regenerate=regenerate, echo=echo, dialect=dialect)
        if not generated:
            echo(f"using the world in {paths.world} (seed {seed}, scale {scale:g}{dialect_words(dialect)})")
        faults = faults or Faults()
        api_key = secrets.token_urlsafe(24)
        staged = read_staged()

        spawned: list[tuple[subprocess.Popen, str]] = []
        pg_was_running = postgres.running_pid(paths.pgdata) is not None
        try:
            # The two Python servers boot while Postgres starts and loads: 2 cores, use them both.
            s3_log, api_log = paths.logs / "s3.log", paths.logs / "stores_api.log"
            s3_proc = spawn(S3_MODULE, ["--host", LOCALHOST, "--port", str(s3_port)], s3_log)
            spawned.append((s3_proc, S3_MODULE))
            api_proc = spawn(
                API_MODULE,
                ["--host", LOCALHOST, "--port", str(api_port), "--stores", str(paths.world / "api" / "stores.json"),
                 "--faults", json.dumps(faults.to_dict())],
                api_log,
                {API_KEY_ENV: api_key},
            )
            spawned.append((api_proc, API_MODULE))

            t = time.monotonic()
            pg_pid = postgres.start(paths.pgdata)
            postgres.ensure_databases(paths.pgdata)
            echo(f"postgres up on {paths.pgdata} (pid {pg_pid}, {time.monotonic() - t:.1f} s)")
            t = time.monotonic()
            loaded = postgres.load_legacy(paths.pgdata, paths.world / "legacy", legacy_overrides(staged))
            if loaded is None:
                echo("legacy database already holds this world")
            else:
                echo(
                    "legacy database loaded: "
                    + ", ".join(f"{name} {rows:,}" for name, rows in loaded.items())
                    + f" ({time.monotonic() - t:.1f} s)"
                )

            t = time.monotonic()
            endpoint = f"http://{LOCALHOST}:{s3_port}"
            uploaded = _fill_bucket(endpoint, s3_proc, s3_log)
            echo(
                f"S3 up on {endpoint} (pid {s3_proc.pid}); uploaded "
                + ", ".join(f"{key} ({size:,} B)" for key, size in uploaded.items())
                + f" ({time.monotonic() - t:.1f} s)"
            )

            api_base = f"http://{LOCALHOST}:{api_port}"
            _wait_api(api_base, api_proc, api_log)
            echo(f"stores API up on {api_base}/prod (pid {api_proc.pid}; faults: {faults.describe()})")
        except BaseException as exc:
            for proc, module in reversed(spawned):
                stop_process(proc.pid, module)
            if not pg_was_running:
                with contextlib.suppress(Exception):
                    postgres.stop(paths.pgdata)
            if isinstance(exc, postgres.PostgresError):
                raise SandboxError(str(exc)) from None
            raise

        state = {
            "sandbox_dir": str(paths.root),
            "seed": seed,
            "scale": scale,
            "dialect": dialect,
            "started_at": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "world_dir": str(paths.world),
            "bucket": settings.DEFAULT_BUCKET,
            "pgdata": str(paths.pgdata),
            "postgres_pid": pg_pid,
            "s3_pid": s3_proc.pid,
            "s3_port": s3_port,
            "s3_endpoint_url": endpoint,
            "api_pid": api_proc.pid,
            "api_port": api_port,
            "api_url": f"{api_base}/prod",
            "api_key": api_key,
            "faults": faults.to_dict(),
        }
        write_json(paths.state_file, state, private=True)
        return UpResult(state, False, time.monotonic() - started, generated, loaded, uploaded)


def _fill_bucket(endpoint: str, proc: subprocess.Popen, log: Path) -> dict[str, int]:
    from multinational_assets.sandbox import s3

    try:
        s3.wait_until_ready(endpoint, timeout=60, alive=lambda: proc.poll() is None)
    except (RuntimeError, TimeoutError) as exc:
        raise SandboxError(f"{exc}\n--- {log} ---\n{log_tail(log)}") from None
    client = s3.s3_client(endpoint)
    s3.ensure_bucket(client, settings.DEFAULT_BUCKET)
    return s3.upload_dir(client, settings.DEFAULT_BUCKET, sandbox_paths().world / "s3")


def _wait_api(base_url: str, proc: subprocess.Popen, log: Path, timeout: float = 30) -> None:
    from multinational_assets.sandbox.stores_api import is_healthy

    deadline = time.monotonic() + timeout
    while not is_healthy(base_url):
        if proc.poll() is not None:
            raise SandboxError(f"the stores API process exited during start-up\n--- {log} ---\n{log_tail(log)}")
        if time.monotonic() > deadline:
            raise SandboxError(f"the stores API did not answer within {timeout:.0f} s\n--- {log} ---\n{log_tail(log)}")
        time.sleep(0.05)
