"""Connecting to Postgres: URLs in the form libpq understands, the form safe to show, and an error
that names the database without its password."""

from __future__ import annotations

import psycopg


def libpq_url(url: str) -> str:
    """Turn an SQLAlchemy-style URL (`postgresql+psycopg://`) into one libpq understands."""
    scheme, sep, rest = url.partition("://")
    return f"{scheme.split('+', 1)[0]}{sep}{rest}"


def redact_url(url: str) -> str:
    """The URL with any password replaced, for messages and metadata."""
    scheme, sep, rest = url.partition("://")
    creds, at, host = rest.rpartition("@")
    if at and ":" in creds:
        creds = creds.split(":", 1)[0] + ":***"
    return f"{scheme}{sep}{creds}{at}{host}"


class DatabaseUnavailable(RuntimeError):
    """A database could not be reached; the message names it (password hidden) and the cause."""


def connect(url: str, what: str = "the warehouse", autocommit: bool = False) -> psycopg.Connection:
    """A psycopg connection to `url` (SQLAlchemy-style URLs welcome), or `DatabaseUnavailable`."""
    try:
        return psycopg.connect(libpq_url(url), autocommit=autocommit, connect_timeout=10)
    except psycopg.OperationalError as error:
        raise DatabaseUnavailable(
            f"Cannot connect to {what} at {redact_url(url)}: {str(error).strip().splitlines()[0]}"
        ) from None
