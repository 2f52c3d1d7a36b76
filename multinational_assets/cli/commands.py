"""The pipeline's own commands: `multinational demo`, `multinational answers`, `multinational ui`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import click
import pandas as pd
from rich.console import Console
from rich.table import Table

from multinational_assets.cli.runs import CLEANING_FIGURES, PipelineRun, read_answers, run_pipeline
from multinational_assets.metrics.registry import METRIC_NAMES, numbered_title

console = Console(highlight=False)



def frame_table(df: pd.DataFrame, title: str, max_rows: int = 40) -> Table:
    """A DataFrame as a rich table: numbers right-aligned, money with thousands separators."""
    table = Table(title=title, title_justify="left", title_style="bold")
    numeric = {c for c in df.columns if pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])}
    for column in df.columns:
        table.add_column(str(column), justify="right" if column in numeric else "left")
    # itertuples over object values keeps each cell's own type (iterrows would turn ints into floats).
    for row in df.head(max_rows).astype(object).itertuples(index=False):
        table.add_row(*[_fmt(value, column in numeric, column) for column, value in zip(df.columns, row)])
    if len(df) > max_rows:
        table.caption = f"... {len(df) - max_rows} more rows"
    return table


# Calendar numbers read better without thousands separators.
_PLAIN_NUMBERS = {"year", "month", "day"}


def _fmt(value, numeric: bool, column: str = "") -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if not numeric or column in _PLAIN_NUMBERS:
        return str(value)
    if isinstance(value, float):
        return f"{value:,.2f}"
    return f"{value:,}"


def print_run(run: PipelineRun) -> None:
    table = frame_table(run.table().fillna({"rows": 0}).astype({"rows": int}), "Assets materialised", max_rows=100)
    console.print(table)
    if run.cleaning:
        cleaning = run.cleaning_table().rename(columns=CLEANING_FIGURES)
        console.print(
            frame_table(
                cleaning, "What the raw rows became (details: quarantine.<table>, quarantine.rejected_values, the checks)"
            )
        )
    references = run.references_line()
    if references:
        console.print(references)
    state = "[green]succeeded[/]" if run.success else "[red]FAILED[/]"
    console.print(f"Run {run.run_id} {state} in {run.seconds:.1f} s ({len(run.assets)} assets).")
    if run.failure:
        console.print(f"[red]{run.failure_sentence or run.failure}[/]", soft_wrap=True)


def print_answers() -> None:
    answers = read_answers()
    for name in METRIC_NAMES:
        console.print(frame_table(answers[name], numbered_title(name)))


@click.command()
@click.option("--seed", default=0, show_default=True, help="Seed of the sandbox world.")
@click.option(
    "--scale",
    default=1.0,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    help="Size of the sandbox world (1 = the company's real size).",
)
@click.option(
    "--dialect",
    default=0,
    show_default=True,
    type=click.IntRange(0, 2),
    help="How the sandbox's sources spell their values (0 as source-world.md, 1 spreadsheet export, 2 hand-typed).",
)
@click.option("--no-sandbox", is_flag=True, help="Do not start the sandbox: run against whatever the settings point at.")
def demo(seed: int, scale: float, dialect: int, no_sandbox: bool) -> None:
    """Start the sandbox, materialise every asset, and print what was built and the nine answers.

    Run history goes to Dagster's storage in Postgres, so `multinational ui` shows this run too.
    """
    from dagster import DagsterInstance  # noqa: PLC0415 - slow import, only for this command

    from multinational_assets.cli.dagster_home import prepare_dagster_home, require_storage  # noqa: PLC0415

    if not no_sandbox:
        from multinational_assets.sandbox import control  # noqa: PLC0415

        try:
            control.up(seed=seed, scale=scale, dialect=dialect, echo=lambda m: console.print(f"[dim]{m}[/]"))
        except control.SandboxError as error:
            console.print(f"[red]{error}[/]")
            sys.exit(1)
    home = prepare_dagster_home()
    require_storage()
    console.print(f"Materialising every asset (Dagster home: {home}) ...")
    with DagsterInstance.get() as instance:
        run = run_pipeline(instance=instance, progress=True)
    print_run(run)
    if not run.success:
        sys.exit(1)
    print_answers()


@click.command()
def answers() -> None:
    """Print the nine answers as the warehouse's `metrics` schema holds them."""
    print_answers()


def _restore_default_interrupts() -> None:
    """In the child before exec: SIGINT back to its default. A process started in the background by a
    non-interactive shell inherits SIGINT ignored, and `dagster dev` maps SIGTERM to whatever SIGINT
    does, so it would ignore SIGTERM too."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def start_dagster_dev(port: int, host: str = "127.0.0.1", log_file=None) -> subprocess.Popen:
    """`dagster dev` (webserver, daemon, code server) on the project's definitions, in its own process
    group (its pid is the group id), with the current environment (DAGSTER_HOME, settings)."""
    command = [
        sys.executable,
        "-m",
        "dagster",
        "dev",
        "-m",
        "multinational_assets.definitions",
        "-p",
        str(port),
        "-h",
        host,
    ]
    output = {"stdout": log_file, "stderr": subprocess.STDOUT} if log_file is not None else {}
    return subprocess.Popen(
        command, start_new_session=True, preexec_fn=_restore_default_interrupts, stdin=subprocess.DEVNULL, **output
    )


def stop_process_group(process: subprocess.Popen, timeout: float = 20.0) -> None:
    """Stop a process started by `start_dagster_dev` and everything in its group: SIGTERM to the
    group (each Dagster process shuts down cleanly), then SIGKILL to whatever is left after `timeout`."""
    pgid = process.pid
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            process.poll()
            if not _group_alive(pgid):
                break
            time.sleep(0.2)
        if not _group_alive(pgid):
            break
    if process.poll() is None:
        process.wait(timeout=5)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie still counts for killpg: look for a live member.
    try:
        import psutil  # noqa: PLC0415

        for proc in psutil.process_iter(["pid", "status"]):
            try:
                if os.getpgid(proc.info["pid"]) == pgid and proc.info["status"] != psutil.STATUS_ZOMBIE:
                    return True
            except (ProcessLookupError, PermissionError):
                continue
        return False
    except ImportError:
        return True


@click.command()
@click.option("--port", default=3000, show_default=True, help="Port of the Dagster UI.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address the UI listens on.")
@click.option("--no-sandbox", is_flag=True, help="Do not start the sandbox: run against whatever the settings point at.")
def ui(port: int, host: str, no_sandbox: bool) -> None:
    """Start the Dagster UI and daemon (sensor, schedule, queued runs) against the sandbox.

    Dagster's run history lives in Postgres (DAGSTER_STORAGE_URL, the sandbox's `dagster` database by
    default) with DAGSTER_HOME (default .dagster_home) holding its dagster.yaml. A sandbox that is
    already up (any seed and scale) is used as it is. Ctrl-C (or SIGTERM) stops everything.
    """
    from multinational_assets.cli.dagster_home import prepare_dagster_home, require_storage  # noqa: PLC0415

    if not no_sandbox:
        from multinational_assets.sandbox import control  # noqa: PLC0415

        state = control.read_state()
        if state and all(control.server_health(state).values()):
            console.print(
                f"[dim]using the sandbox in {state.get('sandbox_dir')} (seed {state.get('seed')}, scale {state.get('scale')})[/]"
            )
        else:
            control.up(echo=lambda m: console.print(f"[dim]{m}[/]"))
    home = prepare_dagster_home()
    require_storage()
    console.print(f"Dagster UI on http://{host}:{port} (Dagster home: {home}; Ctrl-C stops it)")

    # SIGTERM to this command stops the UI as Ctrl-C does (the default would leave it running).
    def _terminate(signum, frame):  # noqa: ARG001
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, _terminate)
    # Its own process group, so stopping it stops the webserver, the daemon, the code server and any
    # run they launched, and nothing else.
    process = start_dagster_dev(port, host)
    try:
        process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second signal must not cut the clean-up short
        stop_process_group(process)
        signal.signal(signal.SIGTERM, previous)
    if process.returncode not in (0, -signal.SIGTERM, -signal.SIGINT, None):
        sys.exit(process.returncode)
