"""The `multinational` command (the console script in pyproject.toml points at `main`).

Sub-commands are imported only when they run, so `multinational sandbox env` does not pay for importing
Dagster. To add one, add a line to `_COMMANDS`: name -> "module:attribute" of a click command or group.

Every command fails the same way: what failed and why in one or two lines on stderr and exit status 1;
`multinational --debug ...` (or MULTINATIONAL_DEBUG=1) shows the traceback instead.
"""

from __future__ import annotations

import importlib

import click

_COMMANDS: dict[str, str] = {
    "sandbox": "multinational_assets.sandbox.cli:sandbox",
    "demo": "multinational_assets.cli.commands:demo",
    "answers": "multinational_assets.cli.commands:answers",
    "ui": "multinational_assets.cli.commands:ui",
}


class _LazyGroup(click.Group):
    """A click group whose sub-commands are imported on first use."""

    def __init__(self, *args, lazy: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self._lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(self._lazy))

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:
            if ctx.params.get("debug"):
                raise
            raise click.ClickException(failure_sentence(exc) + "\n(run with --debug for the traceback)") from None

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self._lazy:
            module, _, attr = self._lazy[name].partition(":")
            return getattr(importlib.import_module(module), attr)
        return super().get_command(ctx, name)


def failure_sentence(exc: BaseException) -> str:
    """An unexpected error as one line: its kind and the first line of its message (a driver's or a
    library's message can run to pages; the traceback is for --debug)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    first = lines[0] if lines else "(no message)"
    if len(first) > 300:
        first = first[:297] + "..."
    return f"{type(exc).__name__}: {first}"


@click.group(cls=_LazyGroup, lazy=_COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, envvar="MULTINATIONAL_DEBUG", help="On failure, show the full traceback.")
def main(debug: bool) -> None:  # noqa: ARG001 - read by _LazyGroup.invoke
    """multinational: a retailer's six dirty sales sources turned into one Postgres star schema."""


if __name__ == "__main__":
    main()
