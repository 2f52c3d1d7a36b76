"""`multinational sandbox ...`: the command-line face of `multinational_assets.sandbox.control`."""

from __future__ import annotations

import functools
import json
import sys
import time
from collections.abc import Callable
from typing import Any

import click

from multinational_assets.sandbox import control
from multinational_assets.sandbox.stores_api import TRUNCATE_MODES, Faults


def _echo(message: str) -> None:
    click.echo(message, err=False)


def _readable_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the sandbox's expected failures into one-line `Error: ...` messages (exit status 1)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (control.SandboxError, ValueError, FileNotFoundError) as exc:
            raise click.ClickException(str(exc)) from None
        except RuntimeError as exc:  # e.g. an admin call to the stores API answered with an error
            raise click.ClickException(str(exc)) from None

    return wrapper


def _fault_options(func: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--latency-ms", type=click.FloatRange(min=0), default=None,
                     help="Add this many milliseconds to every stores API response."),
        click.option("--error-rate", type=click.FloatRange(0, 1), default=None,
                     help="Answer this fraction of stores API requests with HTTP 500."),
        click.option("--throttle-rate", type=click.FloatRange(0, 1), default=None,
                     help="Answer this fraction with HTTP 429 and a Retry-After header."),
        click.option("--truncate-rate", type=click.FloatRange(0, 1), default=None,
                     help="Truncate the body of this fraction of responses."),
        click.option("--truncate-mode", type=click.Choice(TRUNCATE_MODES), default=None,
                     help="short: Content-Length larger than the body, then hang up; cut: a 200 whose JSON is "
                          "cut short; mixed (default): either, at random."),
        click.option("--retry-after", type=click.IntRange(min=0), default=None,
                     help="Seconds in the Retry-After header of 429s (default 1)."),
        click.option("--fault-seed", type=int, default=None,
                     help="Seed of the fault RNG (default: the world seed), so a faulty run can be replayed."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _faults_from(kwargs: dict[str, Any], default_seed: int, base: Faults | None = None) -> Faults | None:
    """Faults from the CLI options, or None when no fault option was given."""
    names = ("latency_ms", "error_rate", "throttle_rate", "truncate_rate", "truncate_mode", "retry_after")
    given = {n: kwargs[n] for n in names if kwargs.get(n) is not None}
    if not given and kwargs.get("fault_seed") is None:
        return None
    values = (base or Faults(seed=default_seed)).to_dict()
    values.update(given)
    if kwargs.get("fault_seed") is not None:
        values["seed"] = kwargs["fault_seed"]
    return Faults.from_dict(values)


@click.group(name="sandbox", short_help="Run local stand-ins for the six sources.")
def sandbox() -> None:
    """Local stand-ins for the six sources: Postgres, S3 and the stores API, on this machine.

    The sandbox lives in MULTINATIONAL_SANDBOX_DIR (default: <project>/.sandbox); its S3 and stores API
    listen on 127.0.0.1, ports MULTINATIONAL_SANDBOX_S3_PORT (9555) and MULTINATIONAL_SANDBOX_API_PORT
    (9556). Postgres listens on a Unix socket in <sandbox dir>/pgdata only.
    """


@sandbox.command(short_help="Start the sandbox in the background.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the generated world.")
@click.option("--scale", type=click.FloatRange(min=0, min_open=True), default=1, show_default=True,
              help="Size of the world; 1 is the size of the company's real data.")
@click.option("--dialect", type=click.IntRange(0, 2), default=0, show_default=True,
              help="How the sources spell their values: 0 as source-world.md, 1 a spreadsheet export, "
                   "2 hand-typed. Same truth and counts; another dialect is another world, like another seed.")
@click.option("--regenerate", is_flag=True, help="Generate the world again even if one with this seed, scale and dialect exists.")
@_fault_options
@_readable_errors
def up(seed: int, scale: float, dialect: int, regenerate: bool, **fault_kwargs: Any) -> None:
    """Start the sandbox in the background (generating its world first if needed).

    Runs Postgres (databases legacy, warehouse, dagster), an S3 server holding the bucket
    data-handling-public, and the stores API; records pids, ports and a fresh API key in
    <sandbox dir>/state.json. Running it again while the sandbox is up changes nothing (fault options,
    if given, are applied to the running API).
    """
    faults = _faults_from(fault_kwargs, seed)
    result = control.up(seed=seed, scale=scale, faults=faults, regenerate=regenerate, echo=_echo, dialect=dialect)
    state = result.state
    if result.already_up:
        _echo(f"the sandbox in {state['sandbox_dir']} is already up (seed {state['seed']}, scale {state['scale']}, "
              f"dialect {state.get('dialect', 0)}, since {state['started_at']})")
        return
    _echo(f"sandbox up in {result.seconds:.1f} s" + (" (world generated)" if result.generated else ""))
    _echo('point a shell at it with:  eval "$(multinational sandbox env)"')


@sandbox.command(short_help="Stop the sandbox.")
@click.option("--purge", is_flag=True, help="Also delete the world, the Postgres data (warehouse included) and the logs.")
@_readable_errors
def down(purge: bool) -> None:
    """Stop the servers `up` started and remove state.json."""
    started = time.monotonic()
    if control.down(purge=purge, echo=_echo):
        _echo(f"sandbox down in {time.monotonic() - started:.1f} s")


@sandbox.command(short_help="Show servers, world and what each source serves.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@_readable_errors
def status(as_json: bool) -> None:
    """Show each server (up/down, address, pid), the world's seed, scale and dialect, and what each source serves.

    Exit status 0 when every server is up, 1 otherwise.
    """
    report = control.status()
    click.echo(json.dumps(report, indent=2, default=str) if as_json else control.format_status(report))
    if not (report["up"] and all(s["up"] for s in report["servers"])):
        sys.exit(1)


@sandbox.command(short_help="Print export lines for the running sandbox.")
@_readable_errors
def env() -> None:
    """Print `export VAR=value` lines that point the pipeline at the running sandbox.

    Use:  eval "$(multinational sandbox env)"   (the output includes the stores API key).
    """
    click.echo(control.env_script())


@sandbox.command(short_help="Show or change the stores API's faults.")
@_fault_options
@_readable_errors
def faults(**fault_kwargs: Any) -> None:
    """Show the stores API's faults, or change them on the running API (no restart)."""
    state = control.read_state()
    if not state:
        raise control.SandboxError("the sandbox is not up; run `multinational sandbox up` first")
    current = Faults.from_dict(state.get("faults"))
    new = _faults_from(fault_kwargs, state.get("seed", 0), base=current)
    if new is not None:
        control.set_faults(new)
        current = new
    _echo(f"stores API faults: {current.describe()}")


@sandbox.group(short_help="Serve your own file in place of a source.")
def stage() -> None:
    """Put your own file in place of a generated source (served at once, and kept across restarts).

    `multinational sandbox unstage` puts the generated sources back.
    """


@stage.command("legacy", short_help="Replace a legacy table with a CSV file.")
@click.argument("table")
@click.argument("file", type=click.Path(dir_okay=False))
@_readable_errors
def stage_legacy(table: str, file: str) -> None:
    """Replace legacy table TABLE with the CSV FILE (header row required).

    The table keeps its source types when FILE has exactly its columns; otherwise every column is TEXT.
    """
    control.stage_legacy(table, file, echo=_echo)


@stage.command("s3", short_help="Upload a file to a key of the bucket.")
@click.argument("key")
@click.argument("file", type=click.Path(dir_okay=False))
@_readable_errors
def stage_s3(key: str, file: str) -> None:
    """Upload FILE to KEY in the sandbox bucket (e.g. `products.csv`)."""
    control.stage_s3(key, file, echo=_echo)


@stage.command("stores", short_help="Serve the stores of a JSON or CSV file.")
@click.argument("file", type=click.Path(dir_okay=False))
@_readable_errors
def stage_stores(file: str) -> None:
    """Serve the stores in FILE: a JSON list of objects, or a CSV whose rows become objects (empty = null)."""
    control.stage_stores(file, echo=_echo)


@sandbox.command(short_help="Put the generated sources back.")
@_readable_errors
def unstage() -> None:
    """Put every staged source back to the generated one."""
    control.unstage(echo=_echo)
