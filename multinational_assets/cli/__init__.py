"""The `multinational` command (the console script in pyproject.toml points at `main`).

Sub-commands are imported only when they run, so `multinational sandbox env` does not pay for importing
Dagster. To add one, add a line to `_COMMANDS`: name -> "module:attribute" of a click command or group.
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

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self._lazy:
            module, _, attr = self._lazy[name].partition(":")
            return getattr(importlib.import_module(module), attr)
        return super().get_command(ctx, name)


@click.group(cls=_LazyGroup, lazy=_COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """multinational: a retailer's six dirty sales sources turned into one Postgres star schema."""


if __name__ == "__main__":
    main()
