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
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import fcntl
import hashlib
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from multinational_assets import settings
from multinational_assets.sandbox import postgres
from multinational_assets.sandbox.s3 import SANDBOX_ACCESS_KEY, SANDBOX_SECRET_KEY, port_available
from multinational_assets.sandbox.stores_api import API_KEY_ENV, Faults

Echo = Callable[[str], None]

S3_MODULE = "multinational_assets.sandbox.s3"
API_MODULE = "multinational_assets.sandbox.stores_api"
LOCALHOST = "127.0.0.1"
# The files `up` needs in a world; the generator writes more (truth/), which the servers do not serve.
REQUIRED_WORLD_FILES = (
    "manifest.json",
    "legacy/legacy_users.csv",
    "legacy/orders_table.csv",
    "legacy/legacy_store_details.csv",
    "s3/products.csv",
    "s3/card_details.pdf",
    "s3/date_details.json",
    "api/stores.json",
)
_TABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


class SandboxError(RuntimeError):
    """A failure with a message meant for the user (the CLI prints it without a traceback)."""


def _quiet(_: str) -> None:
    pass


# -- paths, ports, state -------------------------------------------------------------------------------
@dataclass(frozen=True)
class SandboxPaths:
    """Where a sandbox keeps its things."""

    root: Path

    @property
    def world(self) -> Path:
        return self.root / "world"

    @property
    def pgdata(self) -> Path:
        return self.root / "pgdata"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def state_file(self) -> Path:
        return self.root / "state.json"

    @property
    def staged_file(self) -> Path:
        return self.world / "staged.json"

    @property
    def originals(self) -> Path:
        return self.world / ".originals"


def sandbox_paths() -> SandboxPaths:
    """The paths of the sandbox selected by `MULTINATIONAL_SANDBOX_DIR` (default `<project>/.sandbox`)."""
    return SandboxPaths(settings.sandbox_dir())


def _port_setting(name: str, default: int) -> int:
    raw = os.environ.get(name) or str(default)
    try:
        port = int(raw)
    except ValueError:
        raise SandboxError(f"{name}={raw!r} is not a port number") from None
    if not 0 < port < 65536:
        raise SandboxError(f"{name}={port} is not a valid port (1-65535)")
    return port


def configured_ports() -> tuple[int, int]:
    """(S3 port, stores API port) from MULTINATIONAL_SANDBOX_S3_PORT / _API_PORT or the defaults."""
    return (
        _port_setting("MULTINATIONAL_SANDBOX_S3_PORT", settings.DEFAULT_S3_PORT),
        _port_setting("MULTINATIONAL_SANDBOX_API_PORT", settings.DEFAULT_API_PORT),
    )


def read_state() -> dict[str, Any]:
    """The state `up` recorded, or {} when the sandbox is not up."""
    return settings.sandbox_state()


def _write_json(path: Path, data: Any, private: bool = False) -> None:
    # Write then rename, so a reader never sees half a file.
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if private:
        tmp.chmod(0o600)  # state.json holds the API key
    tmp.replace(path)


_held_locks: dict[Path, list[Any]] = {}


@contextlib.contextmanager
def sandbox_lock(echo: Echo = _quiet) -> Iterator[None]:
    """Hold the sandbox's lock (an flock on `<sandbox dir>/.lock`), re-entrant within one process, so two
    commands never start or stop the same sandbox at once."""
    root = sandbox_paths().root
    root.mkdir(parents=True, exist_ok=True)
    held = _held_locks.get(root)
    if held is not None:
        held[1] += 1
        try:
            yield
        finally:
            held[1] -= 1
        return
    fh = open(root / ".lock", "a+")  # noqa: SIM115 (closed below)
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            echo(f"waiting for another sandbox command on {root} to finish...")
            fcntl.flock(fh, fcntl.LOCK_EX)
        _held_locks[root] = [fh, 1]
        try:
            yield
        finally:
            del _held_locks[root]
            fcntl.flock(fh, fcntl.LOCK_UN)
    finally:
        fh.close()


# -- processes -----------------------------------------------------------------------------------------
def _process_alive(pid: int | None, module: str | None = None) -> bool:
    """True when `pid` runs (not a zombie) and, if `module` is given, is that sandbox server."""
    import psutil

    if not pid:
        return False
    try:
        proc = psutil.Process(pid)
        if proc.status() == psutil.STATUS_ZOMBIE:
            return False
        if module is not None and module not in proc.cmdline():
            return False  # the pid was reused by something else
        return True
    except psutil.Error:
        return False


def _reap(pid: int) -> None:
    # A server started by this very process (e.g. in a test session) stays a zombie until waited for.
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)


def _terminate(pid: int | None, module: str) -> bool:
    """Send SIGTERM to a sandbox server; False when it was not running (or the pid is someone else's)."""
    if not _process_alive(pid, module):
        if pid:
            _reap(pid)
        return False
    assert pid is not None
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    return True


def _wait_gone(pid: int, timeout: float = 10.0) -> None:
    """Wait for a terminated process to exit; SIGKILL it after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        _reap(pid)
        if not _process_alive(pid):
            return
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    time.sleep(0.1)
    _reap(pid)


def _stop_process(pid: int | None, module: str, timeout: float = 10.0) -> bool:
    """SIGTERM a sandbox server and wait for it (SIGKILL after `timeout`); False when it was not running."""
    if not _terminate(pid, module):
        return False
    assert pid is not None
    _wait_gone(pid, timeout)
    return True


def _spawn(module: str, args: list[str], log_path: Path, extra_env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start `python -m module args` detached (own session, no terminal), output to `log_path`."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update(extra_env or {})
    env["PYTHONUNBUFFERED"] = "1"
    with log_path.open("ab") as log:
        log.write(f"\n--- {_dt.datetime.now().isoformat(timespec='seconds')} starting {module} {' '.join(args)}\n".encode())
        log.flush()
        return subprocess.Popen(
            [sys.executable, "-m", module, *args],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # survives the terminal and the `up` process
            close_fds=True,
            env=env,
            cwd=str(settings.PROJECT_ROOT),
        )


def _port_user(port: int) -> str:
    """Best effort: which process listens on `port` (for the error message)."""
    try:
        import psutil

        for conn in psutil.net_connections(kind="tcp"):
            if conn.laddr and conn.laddr.port == port and conn.status == psutil.CONN_LISTEN and conn.pid:
                proc = psutil.Process(conn.pid)
                return f" by pid {conn.pid} ({' '.join(proc.cmdline()[:4])})"
    except Exception:  # noqa: BLE001 (only decorates an error message)
        pass
    return ""


def _check_port(port: int, what: str, variable: str, grace: float = 10.0) -> None:
    # A server just stopped (a half-up sandbox being restarted) can hold its port for a moment after
    # its pid is gone: wait a little before calling the port taken.
    deadline = time.monotonic() + grace
    while not port_available(LOCALHOST, port) and time.monotonic() < deadline:
        time.sleep(0.2)
    if not port_available(LOCALHOST, port):
        raise SandboxError(
            f"port {port} for the sandbox {what} is already in use{_port_user(port)}; "
            f"stop that program or choose another port with {variable}=<port>"
        )


def _log_tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


# -- the world -----------------------------------------------------------------------------------------
def _same_scale(a: Any, b: Any) -> bool:
    try:
        return float(a) == float(b)
    except (TypeError, ValueError):
        return False


def _dialect_words(dialect: int | None) -> str:
    """`, dialect N` for messages, nothing for dialect 0 (messages of dialect-0 worlds read as before)."""
    return f", dialect {dialect}" if dialect else ""


def _read_manifest(world: Path) -> dict[str, Any] | None:
    try:
        return json.loads((world / "manifest.json").read_text())
    except (OSError, json.JSONDecodeError):
        return None


# The sandbox package's own server and CLI code; every other module in it is the generator's.
_NOT_GENERATOR = {"__init__.py", "cli.py", "control.py", "postgres.py", "s3.py", "stores_api.py"}
GENERATOR_STAMP = ".generator"


def generator_fingerprint() -> str:
    """A hash of the generator's source files: a world made by other code is not reused."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        if path.name not in _NOT_GENERATOR:
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _manifest_dialect(manifest: dict[str, Any]) -> int:
    """The dialect a manifest records; a manifest without one (dialect 0, or a hand-made world) is 0."""
    return manifest.get("dialect", 0)


def world_matches(world: Path, seed: int, scale: float, dialect: int = 0) -> bool:
    """True when `world` holds a complete world generated with `seed`, `scale` and `dialect` by the
    current generator (a world without a generator stamp, e.g. a hand-made one, is taken as it is)."""
    manifest = _read_manifest(world)
    if manifest is None or manifest.get("seed") != seed or not _same_scale(manifest.get("scale"), scale):
        return False
    if _manifest_dialect(manifest) != dialect:
        return False
    if not all((world / name).is_file() for name in REQUIRED_WORLD_FILES):
        return False
    stamp = world / GENERATOR_STAMP
    return not stamp.exists() or stamp.read_text().strip() == generator_fingerprint()


def ensure_world(seed: int, scale: float, regenerate: bool = False, echo: Echo = _quiet, dialect: int = 0) -> bool:
    """Generate the world into `<sandbox dir>/world` unless one with this seed, scale and dialect is there.

    Returns True when it generated. The generator writes into a scratch directory that replaces the
    old world only once complete, so an interrupted generation never leaves a half world behind.
    """
    paths = sandbox_paths()
    if not regenerate and world_matches(paths.world, seed, scale, dialect):
        return False
    manifest = _read_manifest(paths.world) or {}
    if (not regenerate and manifest.get("seed") == seed and _same_scale(manifest.get("scale"), scale)
            and _manifest_dialect(manifest) == dialect):
        echo("the world generator changed since this world was made (or the world is incomplete)")
    try:
        from multinational_assets.sandbox.generate import generate_world
    except ImportError as exc:
        raise SandboxError(
            f"no world with seed {seed} and scale {scale:g} in {paths.world}, and the world generator "
            f"(multinational_assets.sandbox.generate) cannot be imported: {exc}"
        ) from None
    scratch = paths.root / "world.partial"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    echo(f"generating the world (seed {seed}, scale {scale:g}{_dialect_words(dialect)}) into {paths.world} ...")
    started = time.monotonic()

    def progress(*args: Any, **kwargs: Any) -> None:
        text = " ".join(str(a) for a in args)
        if kwargs:
            text += " " + " ".join(f"{k}={v}" for k, v in kwargs.items())
        echo(f"  {text.strip()}")

    # Dialect 0 is generate_world's default: not passing it keeps stand-in generators (tests) working.
    options = {"dialect": dialect} if dialect else {}
    manifest = generate_world(seed, scale, scratch, progress=progress, **options)
    if not (scratch / "manifest.json").exists() and isinstance(manifest, dict):
        _write_json(scratch / "manifest.json", manifest)
    (scratch / GENERATOR_STAMP).write_text(generator_fingerprint() + "\n")
    missing = [name for name in REQUIRED_WORLD_FILES if not (scratch / name).is_file()]
    if missing:
        raise SandboxError(f"the generator did not write {', '.join(missing)} (left in {scratch})")
    old = paths.root / "world.old"
    shutil.rmtree(old, ignore_errors=True)
    if paths.world.exists():
        paths.world.rename(old)
    scratch.rename(paths.world)
    shutil.rmtree(old, ignore_errors=True)
    echo(f"  world generated in {time.monotonic() - started:.1f} s")
    return True


def _read_staged() -> dict[str, Any]:
    try:
        data = json.loads(sandbox_paths().staged_file.read_text())
    except (OSError, json.JSONDecodeError):
        data = {}
    data.setdefault("legacy", {})
    data.setdefault("s3", {})
    data.setdefault("stores", None)
    return data


def _legacy_overrides(staged: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    return {table: [tuple(c) for c in entry["columns"]] for table, entry in staged["legacy"].items() if entry.get("columns")}


# -- up ------------------------------------------------------------------------------------------------
@dataclass
class UpResult:
    """What `up` did."""

    state: dict[str, Any]
    already_up: bool
    seconds: float
    generated: bool = False
    loaded: dict[str, int] | None = None
    uploaded: dict[str, int] = field(default_factory=dict)


def server_health(state: dict[str, Any]) -> dict[str, bool]:
    """Whether each recorded server is running: {'postgres': .., 's3': .., 'api': ..}."""
    paths = sandbox_paths()
    return {
        "postgres": postgres.running_pid(paths.pgdata) is not None,
        "s3": _process_alive(state.get("s3_pid"), S3_MODULE),
        "api": _process_alive(state.get("api_pid"), API_MODULE),
    }


def up(
    seed: int = 0,
    scale: float = 1,
    faults: Faults | None = None,
    regenerate: bool = False,
    echo: Echo = _quiet,
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
                if (state.get("seed") != seed or not _same_scale(state.get("scale"), scale)
                        or state.get("dialect", 0) != dialect or regenerate):
                    raise SandboxError(
                        f"the sandbox in {paths.root} is already up with seed {state.get('seed')} and scale "
                        f"{state.get('scale')}{_dialect_words(state.get('dialect', 0))}; run "
                        f"`multinational sandbox down` first to change the world"
                    )
                if faults is not None and faults != Faults.from_dict(state.get("faults")):
                    set_faults(faults)
                    state = read_state()
                    echo(f"stores API faults set to: {faults.describe()}")
                return UpResult(state, already_up=True, seconds=time.monotonic() - started)
            dead = ", ".join(name for name, ok in health.items() if not ok)
            echo(f"the sandbox was half up ({dead} not running); restarting it")
            _stop_all(state, echo)
            paths.state_file.unlink(missing_ok=True)

        s3_port, api_port = configured_ports()
        if s3_port == api_port:
            raise SandboxError(f"the S3 and stores API ports must differ (both are {s3_port})")
        _check_port(s3_port, "S3 server", "MULTINATIONAL_SANDBOX_S3_PORT")
        _check_port(api_port, "stores API", "MULTINATIONAL_SANDBOX_API_PORT")

        generated = ensure_world(seed, scale, regenerate=regenerate, echo=echo, dialect=dialect)
        if not generated:
            echo(f"using the world in {paths.world} (seed {seed}, scale {scale:g}{_dialect_words(dialect)})")
        faults = faults or Faults()
        api_key = secrets.token_urlsafe(24)
        staged = _read_staged()

        spawned: list[tuple[subprocess.Popen, str]] = []
        pg_was_running = postgres.running_pid(paths.pgdata) is not None
        try:
            # The two Python servers boot while Postgres starts and loads: 2 cores, use them both.
            s3_log, api_log = paths.logs / "s3.log", paths.logs / "stores_api.log"
            s3_proc = _spawn(S3_MODULE, ["--host", LOCALHOST, "--port", str(s3_port)], s3_log)
            spawned.append((s3_proc, S3_MODULE))
            api_proc = _spawn(
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
            loaded = postgres.load_legacy(paths.pgdata, paths.world / "legacy", _legacy_overrides(staged))
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
                _stop_process(proc.pid, module)
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
        _write_json(paths.state_file, state, private=True)
        return UpResult(state, False, time.monotonic() - started, generated, loaded, uploaded)


def _fill_bucket(endpoint: str, proc: subprocess.Popen, log: Path) -> dict[str, int]:
    from multinational_assets.sandbox import s3

    try:
        s3.wait_until_ready(endpoint, timeout=60, alive=lambda: proc.poll() is None)
    except (RuntimeError, TimeoutError) as exc:
        raise SandboxError(f"{exc}\n--- {log} ---\n{_log_tail(log)}") from None
    client = s3.s3_client(endpoint)
    s3.ensure_bucket(client, settings.DEFAULT_BUCKET)
    return s3.upload_dir(client, settings.DEFAULT_BUCKET, sandbox_paths().world / "s3")


def _wait_api(base_url: str, proc: subprocess.Popen, log: Path, timeout: float = 30) -> None:
    from multinational_assets.sandbox.stores_api import is_healthy

    deadline = time.monotonic() + timeout
    while not is_healthy(base_url):
        if proc.poll() is not None:
            raise SandboxError(f"the stores API process exited during start-up\n--- {log} ---\n{_log_tail(log)}")
        if time.monotonic() > deadline:
            raise SandboxError(f"the stores API did not answer within {timeout:.0f} s\n--- {log} ---\n{_log_tail(log)}")
        time.sleep(0.05)


# -- down ----------------------------------------------------------------------------------------------
def _stop_all(state: dict[str, Any], echo: Echo) -> list[str]:
    paths = sandbox_paths()
    # Signal both Python servers first and stop Postgres while they shut down.
    terminated = [
        (name, state[key]) for name, key, module in (("stores API", "api_pid", API_MODULE), ("S3", "s3_pid", S3_MODULE))
        if _terminate(state.get(key), module)
    ]
    stopped = []
    pid = postgres.running_pid(paths.pgdata)
    if pid is not None:
        try:
            postgres.stop(paths.pgdata)
        except postgres.PostgresError as exc:
            raise SandboxError(str(exc)) from None
        stopped.append(f"postgres (pid {pid})")
    for name, server_pid in terminated:
        _wait_gone(server_pid)
    stopped = [f"{name} (pid {server_pid})" for name, server_pid in terminated] + stopped
    for what in stopped:
        echo(f"stopped {what}")
    return stopped


def down(purge: bool = False, echo: Echo = _quiet) -> bool:
    """Stop what `up` started (by the pids in state.json; Postgres with `pg_ctl stop`) and remove
    state.json. With `purge`, also delete the world, the Postgres data and the logs. Returns False
    when the sandbox was not up."""
    paths = sandbox_paths()
    with sandbox_lock(echo):
        state = read_state()
        was_up = bool(state)
        if was_up:
            _stop_all(state, echo)
            paths.state_file.unlink(missing_ok=True)
        else:
            echo(f"the sandbox in {paths.root} is not up")
        if purge:
            if postgres.running_pid(paths.pgdata) is not None:
                postgres.stop(paths.pgdata)  # never delete the files of a running server
            for path in (paths.world, paths.root / "world.partial", paths.root / "world.old", paths.pgdata, paths.logs):
                shutil.rmtree(path, ignore_errors=True)
            echo(f"deleted the world, the Postgres data and the logs in {paths.root}")
        return was_up


# -- status --------------------------------------------------------------------------------------------
def status() -> dict[str, Any]:
    """A structured report: servers (up/down, address, pid), seed/scale, faults, what each source serves."""
    paths = sandbox_paths()
    state = read_state()
    manifest = _read_manifest(paths.world) or {}
    report: dict[str, Any] = {
        "sandbox_dir": str(paths.root),
        "up": bool(state),
        "seed": state.get("seed", manifest.get("seed")),
        "scale": state.get("scale", manifest.get("scale")),
        "dialect": state.get("dialect", _manifest_dialect(manifest)),
        "started_at": state.get("started_at"),
        "world": str(paths.world) if manifest else None,
        "manifest_counts": manifest.get("counts", {}),
        "staged": _staged_summary(),
        "servers": [],
        "legacy_rows": {},
        "s3_objects": {},
        "stores": None,
        "faults": Faults.from_dict(state.get("faults")).describe() if state else None,
        "errors": [],
    }
    health = server_health(state) if state else {
        "postgres": postgres.running_pid(paths.pgdata) is not None, "s3": False, "api": False,
    }
    report["servers"] = [
        {"name": "postgres", "up": health["postgres"], "pid": postgres.running_pid(paths.pgdata),
         "address": f"unix socket in {paths.pgdata}"},
        {"name": "s3", "up": health["s3"], "pid": state.get("s3_pid"),
         "address": state.get("s3_endpoint_url") or f"http://{LOCALHOST}:{configured_ports()[0]}"},
        {"name": "stores api", "up": health["api"], "pid": state.get("api_pid"),
         "address": state.get("api_url") or f"http://{LOCALHOST}:{configured_ports()[1]}/prod"},
    ]
    if health["postgres"]:
        try:
            report["legacy_rows"] = postgres.row_counts(paths.pgdata, "legacy")
        except Exception as exc:  # noqa: BLE001 (reported, not raised)
            report["errors"].append(f"postgres: {exc}")
    if state and health["s3"]:
        try:
            from multinational_assets.sandbox import s3

            client = s3.s3_client(state["s3_endpoint_url"])
            report["s3_objects"] = s3.list_objects(client, state.get("bucket", settings.DEFAULT_BUCKET))
        except Exception as exc:  # noqa: BLE001
            report["errors"].append(f"s3: {exc}")
    if state and health["api"]:
        from multinational_assets.sandbox.stores_api import health as api_health

        # The health endpoint is never subject to faults, unlike /prod/number_stores.
        answer = api_health(state["api_url"].rsplit("/prod", 1)[0], timeout=5)
        report["stores"] = answer.get("number_stores") if answer else None
    return report


def _staged_summary() -> list[str]:
    staged = _read_staged()
    items = [f"legacy table {t} <- {e.get('source')}" for t, e in staged["legacy"].items()]
    items += [f"s3 key {k} <- {e.get('source')}" for k, e in staged["s3"].items()]
    if staged["stores"]:
        items.append(f"stores <- {staged['stores'].get('source')}")
    return items


def _table(rows: list[list[str]], headers: list[str]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)]
    line = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def format_status(report: dict[str, Any]) -> str:
    """The status report as readable text."""
    out = []
    title = "UP" if report["up"] and all(s["up"] for s in report["servers"]) else ("PARTLY UP" if report["up"] else "DOWN")
    out.append(f"Sandbox {report['sandbox_dir']}: {title}")
    if report["seed"] is not None:
        out.append(f"world: seed {report['seed']}, scale {report['scale']}, dialect {report.get('dialect') or 0}"
                   + ("" if report["world"] else " (not generated)"))
    if report["started_at"]:
        out.append(f"up since {report['started_at']}; stores API faults: {report['faults']}")
    out.append("")
    out.append(_table(
        [[s["name"], "up" if s["up"] else "down", s["address"], s["pid"] or "-"] for s in report["servers"]],
        ["server", "state", "address", "pid"],
    ))
    counts = report["manifest_counts"] or {}
    rows = []
    for table, n in report["legacy_rows"].items():
        rows.append([f"legacy.{table}", f"{n:,}", _fmt(counts.get(table))])
    for key, size in report["s3_objects"].items():
        rows.append([f"s3://{settings.DEFAULT_BUCKET}/{key}", f"{size:,} bytes", _fmt(counts.get(Path(key).stem))])
    if report["stores"] is not None:
        rows.append(["stores API number_stores", f"{report['stores']:,}", _fmt(counts.get("store_details") or counts.get("stores"))])
    if rows:
        out.append("")
        out.append(_table(rows, ["source", "served", "generated rows"]))
    if report["staged"]:
        out.append("")
        out.append("staged (replacing generated files; `multinational sandbox unstage` restores them):")
        out.extend(f"  {item}" for item in report["staged"])
    for err in report["errors"]:
        out.append(f"error: {err}")
    return "\n".join(out)


def _fmt(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("rows", value.get("total"))
    return f"{value:,}" if isinstance(value, int) else "-"


# -- env -----------------------------------------------------------------------------------------------
def env_vars() -> dict[str, str]:
    """The variables that point the pipeline at the running sandbox (see settings.py)."""
    state = _require_up()
    return {
        "MULTINATIONAL_SANDBOX_DIR": str(sandbox_paths().root),
        "LEGACY_DATABASE_URL": settings.sandbox_postgres_url("legacy"),
        "WAREHOUSE_URL": settings.sandbox_postgres_url("warehouse"),
        "DAGSTER_STORAGE_URL": settings.sandbox_postgres_url("dagster", "psycopg2"),
        "S3_ENDPOINT_URL": state["s3_endpoint_url"],
        "AWS_ACCESS_KEY_ID": SANDBOX_ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SANDBOX_SECRET_KEY,
        "S3_BUCKET": state.get("bucket", settings.DEFAULT_BUCKET),
        "STORES_API_URL": state["api_url"],
        "STORES_API_KEY": state["api_key"],
    }


def env_script() -> str:
    """`export VAR=value` lines for `eval "$(multinational sandbox env)"`."""
    return "\n".join(f"export {name}={shlex.quote(value)}" for name, value in env_vars().items())


# -- faults --------------------------------------------------------------------------------------------
def set_faults(faults: Faults) -> None:
    """Change the running stores API's faults (and record them in state.json)."""
    from multinational_assets.sandbox.stores_api import put_faults

    state = _require_up("api")
    put_faults(state["api_url"].rsplit("/prod", 1)[0], state["api_key"], faults)
    state["faults"] = faults.to_dict()
    _write_json(sandbox_paths().state_file, state, private=True)


# -- stage / unstage -----------------------------------------------------------------------------------
def _require_up(*servers: str) -> dict[str, Any]:
    paths = sandbox_paths()
    state = read_state()
    if not state:
        raise SandboxError(f"the sandbox in {paths.root} is not up; run `multinational sandbox up` first")
    if servers:
        health = server_health(state)
        down_ = [s for s in servers if not health[s]]
        if down_:
            raise SandboxError(
                f"the sandbox's {', '.join(down_)} server is not running; run `multinational sandbox up` to restart it"
            )
    return state


def _require_file(path: str | Path) -> Path:
    path = Path(path).expanduser()
    if not path.is_file():
        raise SandboxError(f"file not found: {path}")
    return path.resolve()


def _keep_original(relative: str) -> bool:
    """Save the generated world file once, before its first replacement. False when there is none."""
    paths = sandbox_paths()
    source = paths.world / relative
    backup = paths.originals / relative
    if backup.exists():
        return True
    if not source.exists():
        return False
    backup.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, backup)
    return True


def _copy_into_world(source: Path, relative: str) -> None:
    target = sandbox_paths().world / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".staging")
    shutil.copyfile(source, tmp)
    tmp.replace(target)


def _remove_from_world(relative: str) -> None:
    """Delete a staged-only world file and the folders it leaves empty (up to its source folder)."""
    world = sandbox_paths().world
    path = world / relative
    path.unlink(missing_ok=True)
    top = world / Path(relative).parts[0]
    parent = path.parent
    while parent != top and parent.is_relative_to(top):
        try:
            parent.rmdir()
        except OSError:
            break
        parent = parent.parent


def stage_legacy(table: str, file: str | Path, echo: Echo = _quiet) -> int:
    """Replace a legacy table's contents with an ordinary CSV (with a header); returns its row count.

    The table keeps its source types when the CSV has exactly its columns, else every column is TEXT.
    The file is also copied into the world, so a restart serves it.
    """
    if not _TABLE_NAME.match(table):
        raise SandboxError(f"{table!r} is not a usable table name (letters, digits, _; at most 63 characters)")
    path = _require_file(file)
    with sandbox_lock(echo):
        _require_up("postgres")
        paths = sandbox_paths()
        staged = _read_staged()
        relative = f"legacy/{table}.csv"
        had_original = _keep_original(relative) if table not in staged["legacy"] else staged["legacy"][table]["had_original"]
        try:
            rows, columns = postgres.stage_table(paths.pgdata, table, path)
        except postgres.PostgresError as exc:
            raise SandboxError(str(exc)) from None
        _copy_into_world(path, relative)
        staged["legacy"][table] = {"source": str(path), "columns": [list(c) for c in columns], "had_original": had_original}
        _write_json(paths.staged_file, staged)
    echo(f"legacy.{table} now holds {rows:,} rows from {path} ({', '.join(f'{c} {t}' for c, t in columns)})")
    return rows


def _valid_key(key: str) -> str:
    parts = key.split("/")
    if not key or key.startswith("/") or "\\" in key or any(p in ("", ".", "..") for p in parts):
        raise SandboxError(f"{key!r} is not a usable S3 key here (no leading '/', no empty, '.' or '..' parts)")
    return key


def stage_s3(key: str, file: str | Path, echo: Echo = _quiet) -> int:
    """Upload any file to `key` of the sandbox bucket (replacing what is there); returns its size.
    The file is also copied into the world, so a restart serves it."""
    from multinational_assets.sandbox import s3

    key = _valid_key(key)
    path = _require_file(file)
    with sandbox_lock(echo):
        state = _require_up("s3")
        paths = sandbox_paths()
        staged = _read_staged()
        relative = f"s3/{key}"
        had_original = _keep_original(relative) if key not in staged["s3"] else staged["s3"][key]["had_original"]
        client = s3.s3_client(state["s3_endpoint_url"])
        size = s3.upload_file(client, state.get("bucket", settings.DEFAULT_BUCKET), key, path)
        _copy_into_world(path, relative)
        staged["s3"][key] = {"source": str(path), "had_original": had_original}
        _write_json(paths.staged_file, staged)
    echo(f"s3://{state.get('bucket', settings.DEFAULT_BUCKET)}/{key} now holds {path} ({size:,} bytes)")
    return size


def stage_stores(file: str | Path, echo: Echo = _quiet) -> int:
    """Replace the stores behind the running API with a JSON list of objects or a CSV (one object per
    row, empty fields null), without restarting it; returns the new store count."""
    from multinational_assets.sandbox.stores_api import load_stores_file, put_stores

    path = _require_file(file)
    try:
        stores = load_stores_file(path)
    except ValueError as exc:
        raise SandboxError(str(exc)) from None
    with sandbox_lock(echo):
        state = _require_up("api")
        paths = sandbox_paths()
        staged = _read_staged()
        relative = "api/stores.json"
        had_original = _keep_original(relative) if not staged["stores"] else staged["stores"]["had_original"]
        count = put_stores(state["api_url"].rsplit("/prod", 1)[0], state["api_key"], stores)
        target = paths.world / relative
        _write_json(target, stores)
        staged["stores"] = {"source": str(path), "had_original": had_original}
        _write_json(paths.staged_file, staged)
    echo(f"the stores API now serves {count:,} stores from {path}")
    return count


def unstage(echo: Echo = _quiet) -> list[str]:
    """Put every staged source back to the generated world; applied live to the running servers when
    the sandbox is up, else at the next `up`. Returns what was restored."""
    with sandbox_lock(echo):
        paths = sandbox_paths()
        staged = _read_staged()
        state = read_state()
        health = server_health(state) if state else {"postgres": False, "s3": False, "api": False}
        restored: list[str] = []

        for table, entry in list(staged["legacy"].items()):
            relative = f"legacy/{table}.csv"
            world_file = paths.world / relative
            if entry["had_original"]:
                shutil.copy2(paths.originals / relative, world_file)
            else:
                _remove_from_world(relative)
            if health["postgres"]:
                with postgres.connect(paths.pgdata, "legacy") as conn:
                    if entry["had_original"]:
                        cols = postgres.source_columns(table, postgres.read_header(world_file))
                        postgres.replace_table(conn, table, cols, world_file)
                    else:
                        from psycopg import sql

                        conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(table)))
            restored.append(f"legacy table {table}")
            del staged["legacy"][table]
            _write_json(paths.staged_file, staged)

        if staged["s3"]:
            from multinational_assets.sandbox import s3

            client = s3.s3_client(state["s3_endpoint_url"]) if health["s3"] else None
            bucket = state.get("bucket", settings.DEFAULT_BUCKET)
            for key, entry in list(staged["s3"].items()):
                relative = f"s3/{key}"
                world_file = paths.world / relative
                if entry["had_original"]:
                    shutil.copy2(paths.originals / relative, world_file)
                    if client is not None:
                        s3.upload_file(client, bucket, key, world_file)
                else:
                    _remove_from_world(relative)
                    if client is not None:
                        client.delete_object(Bucket=bucket, Key=key)
                restored.append(f"s3 key {key}")
                del staged["s3"][key]
                _write_json(paths.staged_file, staged)

        if staged["stores"]:
            from multinational_assets.sandbox.stores_api import load_stores_file, put_stores

            relative = "api/stores.json"
            if staged["stores"]["had_original"]:
                shutil.copy2(paths.originals / relative, paths.world / relative)
            if health["api"]:
                put_stores(state["api_url"].rsplit("/prod", 1)[0], state["api_key"], load_stores_file(paths.world / relative))
            restored.append("stores")
            staged["stores"] = None

        shutil.rmtree(paths.originals, ignore_errors=True)
        paths.staged_file.unlink(missing_ok=True)
    for item in restored:
        echo(f"restored {item}")
    if not restored:
        echo("nothing was staged")
    return restored


# -- a handle for tests and scripts --------------------------------------------------------------------
@dataclass(frozen=True)
class SandboxInfo:
    """A running sandbox as code sees it: its paths, its recorded state and ready-made clients."""

    root: Path
    state: dict[str, Any] = field(repr=False)

    @property
    def paths(self) -> SandboxPaths:
        return SandboxPaths(self.root)

    @property
    def world(self) -> Path:
        return self.paths.world

    @property
    def pgdata(self) -> Path:
        return self.paths.pgdata

    @property
    def seed(self) -> int:
        return self.state["seed"]

    @property
    def scale(self) -> float:
        return self.state["scale"]

    @property
    def dialect(self) -> int:
        return self.state.get("dialect", 0)

    @property
    def bucket(self) -> str:
        return self.state.get("bucket", settings.DEFAULT_BUCKET)

    @property
    def s3_endpoint_url(self) -> str:
        return self.state["s3_endpoint_url"]

    @property
    def api_url(self) -> str:
        """The stores API root, ending in `/prod`."""
        return self.state["api_url"]

    @property
    def api_key(self) -> str:
        return self.state["api_key"]

    @property
    def env(self) -> dict[str, str]:
        """What `sandbox env` exports."""
        return env_vars()

    def connect(self, database: str = "legacy", **kwargs: Any) -> Any:
        """A psycopg 3 connection to `legacy`, `warehouse` or `dagster`."""
        return postgres.connect(self.pgdata, database, **kwargs)

    def s3_client(self) -> Any:
        """A boto3 S3 client for the sandbox's S3."""
        from multinational_assets.sandbox.s3 import s3_client

        return s3_client(self.s3_endpoint_url)

    def settings(self) -> settings.Settings:
        """The pipeline's settings as resolved against this sandbox."""
        return settings.load_settings()


def info() -> SandboxInfo:
    """The running sandbox (raises SandboxError when it is not up)."""
    state = _require_up()
    return SandboxInfo(sandbox_paths().root, state)


__all__ = [
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
