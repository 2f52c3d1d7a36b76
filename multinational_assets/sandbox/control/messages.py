"""How control talks to the user: `SandboxError` for failures, an `Echo` callable for progress."""

from __future__ import annotations

from collections.abc import Callable

Echo = Callable[[str], None]


class SandboxError(RuntimeError):
    """A failure with a message meant for the user (the CLI prints it without a traceback)."""


def quiet(_: str) -> None:
    """The default `Echo`: says nothing."""


def dialect_words(dialect: int | None) -> str:
    """`, dialect N` for messages, nothing for dialect 0 (messages of dialect-0 worlds read as before)."""
    return f", dialect {dialect}" if dialect else ""
