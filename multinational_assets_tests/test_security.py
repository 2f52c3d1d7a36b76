"""Security: secrets stay out of everything Dagster records, hostile text in the sources reaches the
star exactly, the legacy database is only ever read, and SQL is never pasted together from values.

The full run here goes through a persistent Dagster instance (sqlite in a temporary DAGSTER_HOME) in
a child process, so its console output, its event log, its run record and its compute logs can all
be searched afterwards. It runs with non-trivial secrets everywhere one can be given (the stores API
key, a legacy-database role's password, a warehouse password, an AWS secret key; the sandbox's trust
auth accepts the passwords without checking them) and with hostile product names and company names
staged into the sources.
"""

from __future__ import annotations

import ast
import csv
import json
import os
import re
import secrets
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from dagster import DagsterInstance
from psycopg import sql

from multinational_assets.defs.resources import WarehouseResource
from multinational_assets.sandbox import control
from multinational_assets.sandbox.stores_api import load_stores_file, start_stores_api
from multinational_assets.settings import PROJECT_ROOT
from multinational_assets_tests.pipeline_state import run_text, run_with_instance, sandbox_put_back

PACKAGE = PROJECT_ROOT / "multinational_assets"
READER_ROLE = "legacy_reader"

HOSTILE = [
    "'; DROP TABLE star.dim_products; --",
    'Robert"); DROP TABLE raw.products; --',
    "O'Connor's \"best\" kettle, 2 pack",
    "back\\slash \\N \\t \\\\ and a trailing backslash\\",
    "\\N",
    "NULL",
    "line one\nline two\r\nline three\rend",
    "tab\there\tand there",
    "emoji 😀🛒 👩‍👩‍👧 ß Gießen 東京 Ünïcödé",
    "{staging}.{table} %s %(name)s $1 :name ?",
    "  padded with spaces  ",
]
# Only for products, whose CSV the pipeline loads with its own COPY (text format): a lone `\.` line is
# COPY's end-of-data marker.
HOSTILE_PRODUCTS_ONLY = ["first line\n\\.\nlast line"]
# What the clean layer reads each as (a name or company is one line of text: line breaks and tabs
# are white space, runs of it one space, trimmed; `NULL` is a missing-value marker). The raw layer
# holds them exactly as the source wrote them.
READ_AS = {
    "NULL": None,
    "line one\nline two\r\nline three\rend": "line one line two line three end",
    "tab\there\tand there": "tab here and there",
    "  padded with spaces  ": "padded with spaces",
    "first line\n\\.\nlast line": "first line \\. last line",
}


# ---------------------------------------------------------------------------------------------
# Staging hostile sources


def _valid_keys(world: Path, table: str, key: str) -> set[str]:
    with (world / "truth" / f"{table}.csv").open(newline="", encoding="utf-8") as fh:
        return {row[key] for row in csv.DictReader(fh)}


def _stage_hostile_products(world: Path, folder: Path) -> dict[str, str]:
    """products.csv with hostile names on valid products; returns product_code -> name."""
    valid = _valid_keys(world, "dim_products", "product_code")
    with (world / "s3" / "products.csv").open(newline="", encoding="utf-8") as fh:
        header, *rows = list(csv.reader(fh))
    name_at, code_at = header.index("product_name"), header.index("product_code")
    names = iter(HOSTILE + HOSTILE_PRODUCTS_ONLY)
    staged = {}
    for row in rows:
        if row[code_at] in valid and len(staged) < len(HOSTILE) + len(HOSTILE_PRODUCTS_ONLY):
            row[name_at] = next(names)
            staged[row[code_at]] = row[name_at]
    path = folder / "products.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows([header, *rows])
    control.stage_s3("products.csv", path)
    return staged


def _stage_hostile_companies(world: Path, folder: Path) -> dict[str, str]:
    """legacy_users with hostile company names on valid users; returns user_uuid -> company."""
    valid = _valid_keys(world, "dim_users", "user_uuid")
    with (world / "legacy" / "legacy_users.csv").open(newline="", encoding="utf-8") as fh:
        header, *rows = list(csv.reader(fh))
    # Postgres CSV: an unquoted empty field is NULL. The source has no empty strings, which this
    # rewrite (quoting only where needed) relies on.
    assert not any("" in row for row in rows)
    company_at, uuid_at = header.index("company"), header.index("user_uuid")
    names = iter(HOSTILE)
    staged = {}
    for row in rows:
        if row[uuid_at] in valid and len(staged) < len(HOSTILE):
            row[company_at] = next(names)
            staged[row[uuid_at]] = row[company_at]
    path = folder / "legacy_users.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows([header, *rows])
    control.stage_legacy("legacy_users", path)
    return staged


def _drop_reader_role(sandbox) -> None:
    with sandbox.connect("legacy", autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (READER_ROLE,)).fetchone():
            conn.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(READER_ROLE)))
            conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(READER_ROLE)))


def _create_reader_role(sandbox, password: str) -> None:
    """A login role that can only read the legacy tables, with a password (trust auth ignores it)."""
    _drop_reader_role(sandbox)
    with sandbox.connect("legacy", autocommit=True) as conn:
        role = sql.Identifier(READER_ROLE)
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(role, sql.Literal(password)))
        conn.execute(sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA public TO {}").format(role))


# ---------------------------------------------------------------------------------------------
# The run with secrets

_RUN_WITH_PERSISTENT_INSTANCE = textwrap.dedent(
    """
    import json
    from dagster import DagsterInstance
    from multinational_assets.cli.runs import run_pipeline

    with DagsterInstance.get() as instance:
        run = run_pipeline(instance=instance, log_level="DEBUG")
    print("RESULT " + json.dumps({"run_id": run.run_id, "success": run.success, "failure": run.failure}))
    """
)


@dataclass
class SecretRun:
    run_id: str
    success: bool
    failure: str | None
    output: str  # the child's stdout and stderr
    home: Path  # its DAGSTER_HOME
    secrets: dict[str, str]
    products: dict[str, str]
    companies: dict[str, str]


@pytest.fixture(scope="module")
def secret_run(sandbox, tmp_path_factory) -> SecretRun:
    world = Path(sandbox.world)
    folder = tmp_path_factory.mktemp("security")
    home = folder / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    found = {
        "stores API key": secrets.token_urlsafe(48),
        "legacy password": secrets.token_hex(24),
        "warehouse password": secrets.token_hex(24),
        "AWS secret key": secrets.token_urlsafe(40),
    }
    socket = quote(str(Path(sandbox.pgdata)), safe="")
    api = None
    # Afterwards the generated sources are served again and the warehouse rebuilt from them.
    with sandbox_put_back():
        try:
            products = _stage_hostile_products(world, folder)
            companies = _stage_hostile_companies(world, folder)
            _create_reader_role(sandbox, found["legacy password"])
            api = start_stores_api(load_stores_file(world / "api" / "stores.json"), api_key=found["stores API key"])
            env = dict(os.environ)
            env.update(
                DAGSTER_HOME=str(home),
                STORES_API_URL=api.url,
                STORES_API_KEY=found["stores API key"],
                LEGACY_DATABASE_URL=f"postgresql+psycopg://{READER_ROLE}:{found['legacy password']}@/legacy?host={socket}",
                WAREHOUSE_URL=f"postgresql+psycopg://postgres:{found['warehouse password']}@/warehouse?host={socket}",
                AWS_ACCESS_KEY_ID="sandbox-test-key-id",
                AWS_SECRET_ACCESS_KEY=found["AWS secret key"],
            )
            child = subprocess.run(
                [sys.executable, "-c", _RUN_WITH_PERSISTENT_INSTANCE],
                capture_output=True, text=True, env=env, cwd=PROJECT_ROOT, timeout=1200,
            )
            output = child.stdout + child.stderr
            lines = [line for line in child.stdout.splitlines() if line.startswith("RESULT ")]
            assert lines, output[-3000:]
            result = json.loads(lines[-1].removeprefix("RESULT "))
            yield SecretRun(result["run_id"], result["success"], result["failure"], output, home, found, products,
                            companies)
        finally:
            if api is not None:
                api.stop()
            _drop_reader_role(sandbox)


def _forms(secret: str) -> list[str]:
    """The secret as it could appear: as is, URL-quoted, JSON-escaped."""
    return sorted({secret, quote(secret, safe=""), json.dumps(secret)[1:-1]})


def _leaks(text: str, secret_values: dict[str, str]) -> list[str]:
    return [name for name, value in secret_values.items() if any(form in text for form in _forms(value))]


def test_the_run_with_secrets_succeeded(secret_run):
    assert secret_run.success, secret_run.failure


def test_no_secret_in_event_log_run_config_or_metadata(secret_run):
    with DagsterInstance.from_config(str(secret_run.home)) as instance:
        recorded = run_text(instance, secret_run.run_id)
        run = instance.get_run_by_id(secret_run.run_id)
    # Positive controls: the searched text holds the run's metadata, log messages and config.
    assert "dagster/row_count" in recorded and "stores fetched: 451/451" in recorded
    assert "s3://data-handling-public/products.csv" in recorded and "http_calls" in recorded
    assert run is not None and "loggers" in json.dumps(run.run_config)
    assert _leaks(recorded, secret_run.secrets) == []
    assert _leaks(json.dumps(run.run_config), secret_run.secrets) == []


def test_no_secret_in_any_file_of_dagster_home(secret_run):
    files = [p for p in secret_run.home.rglob("*") if p.is_file()]
    contents = {p: p.read_bytes().decode("utf-8", "replace") for p in files}
    # Positive controls: the storage files hold the run's events in searchable text, and the run left
    # compute logs (captured step output) behind.
    assert any(secret_run.run_id in text and "dagster/row_count" in text for text in contents.values())
    compute_logs = [p for p in files if p.suffix in (".out", ".err", ".complete")]
    assert compute_logs, sorted(str(p.relative_to(secret_run.home)) for p in files)
    leaked = {str(p.relative_to(secret_run.home)): _leaks(text, secret_run.secrets) for p, text in contents.items()}
    assert {p: names for p, names in leaked.items() if names} == {}


def test_no_secret_in_console_output(secret_run):
    # Positive control: the DEBUG console log of the run is there to search.
    assert "STEP_SUCCESS" in secret_run.output or "step_success" in secret_run.output.lower()
    assert _leaks(secret_run.output, secret_run.secrets) == []


def test_hostile_product_names_round_trip_into_the_star(secret_run):
    assert secret_run.success, secret_run.failure
    with WarehouseResource().connect() as conn:
        for layer, column in (("raw", "product_name"), ("star", "product_name")):
            rows = conn.execute(
                sql.SQL("SELECT product_code, {} FROM {} WHERE product_code = ANY(%s)").format(
                    sql.Identifier(column), sql.Identifier(layer, "products" if layer == "raw" else "dim_products")
                ),
                (list(secret_run.products),),
            ).fetchall()
            expected = secret_run.products if layer == "raw" else {
                code: READ_AS.get(name, name) for code, name in secret_run.products.items()
            }
            assert dict(rows) == expected, layer


def test_hostile_company_names_round_trip_into_the_star(secret_run):
    assert secret_run.success, secret_run.failure
    with WarehouseResource().connect() as conn:
        rows = conn.execute(
            "SELECT user_uuid::text, company FROM star.dim_users WHERE user_uuid::text = ANY(%s)",
            (list(secret_run.companies),),
        ).fetchall()
    assert dict(rows) == {uuid: READ_AS.get(name, name) for uuid, name in secret_run.companies.items()}


# ---------------------------------------------------------------------------------------------
# Failure messages


def test_unreachable_legacy_database_error_hides_the_password(sandbox, monkeypatch):
    password = secrets.token_hex(24)
    monkeypatch.setenv("LEGACY_DATABASE_URL", f"postgresql+psycopg://reader:{password}@127.0.0.1:1/legacy")
    run, instance = run_with_instance(["raw/legacy_users"])
    try:
        recorded = run_text(instance, run.run_id)
    finally:
        instance.dispose()
    assert not run.success
    assert "postgresql+psycopg://reader:***@127.0.0.1:1/legacy" in run.failure, run.failure
    assert password not in run.failure and password not in recorded


# ---------------------------------------------------------------------------------------------
# The legacy database is only read


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE legacy_users SET company = 'pwned'",
        "DELETE FROM orders_table",
        "CREATE TABLE pwned (x int)",
        "DROP TABLE legacy_users",
    ],
)
def test_legacy_database_refuses_writes(sandbox, statement):
    from multinational_assets.defs.resources import LegacyDatabaseResource

    count = "SELECT count(*), md5(string_agg(u::text, '|' ORDER BY u::text)) FROM legacy_users u"
    with sandbox.connect("legacy") as conn:
        before = conn.execute(count).fetchone()
    engine = LegacyDatabaseResource().client.engine()
    try:
        with engine.connect() as conn:
            # No commit: were the guard missing, the write is rolled back when the connection closes.
            with pytest.raises(sa.exc.DBAPIError, match="read-only transaction"):
                conn.execute(sa.text(statement))
    finally:
        engine.dispose()
    with sandbox.connect("legacy") as conn:
        assert conn.execute(count).fetchone() == before
        assert conn.execute("SELECT to_regclass('pwned')").fetchone()[0] is None


# ---------------------------------------------------------------------------------------------
# Static check: SQL is composed (psycopg.sql, SQLAlchemy Core) or parameterised, never pasted

_SQL_TEXT = re.compile(
    r"^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|COPY|TRUNCATE|COMMENT|GRANT|REVOKE|WITH|SET)\b", re.I
)
_SQL_SINKS = {"execute", "executemany", "exec_driver_sql", "copy"}
# `sql.SQL(<not a literal>)`: SQL taken from somewhere other than a literal. Each one is listed with
# where its text comes from.
_TRUSTED_SQL_FRAGMENTS = {
    ("warehouse/tables.py", "t"): "a column type from the fixed _PG_TYPES mapping (postgres/copy.py)",
    ("star/build.py", "c.type"): "a column type read back from Postgres' catalog (format_type)",
    ("sql_files.py", "sql_text(folder, name)"): "the project's own sql/ files",
    ("sandbox/postgres.py", "t"): "a sandbox source column type from the fixed SOURCE_TABLES mapping (or TEXT)",
}


def _literal_text(node: ast.AST) -> str | None:
    """The literal parts of a str constant, f-string, %-format or + concatenation."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return (_literal_text(node.left) or "") + (_literal_text(node.right) or "")
    return None


def _pasted_sql(node: ast.AST) -> bool:
    """True for an f-string, a `%` or `+` on strings, or `str.format`, whose text is SQL."""
    if isinstance(node, (ast.JoinedStr, ast.BinOp)):
        return bool(_SQL_TEXT.match(_literal_text(node) or ""))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return bool(_SQL_TEXT.match(_literal_text(node.func.value) or ""))
    return False


def sql_pasting_problems(source: str, filename: str) -> list[str]:
    """Where a module builds SQL text from values, or hands a sink SQL that was built that way."""
    tree = ast.parse(source)
    problems = []
    assigned: dict[str, list[ast.AST]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    assigned.setdefault(target.id, []).append(node.value)
    for node in ast.walk(tree):
        if _pasted_sql(node):
            problems.append(f"{filename}:{node.lineno}: SQL text built by string formatting")
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        first = node.args[0]
        # SQLAlchemy's text(): `sa.text(...)`, `sqlalchemy.text(...)` or a bare `text(...)`.
        is_sa_text = name == "text" and (
            isinstance(func, ast.Name) or getattr(func.value, "id", "") in ("sa", "sqlalchemy")
        )
        if name in _SQL_SINKS or is_sa_text:
            values = assigned.get(first.id, []) if isinstance(first, ast.Name) else [first]
            if any(_pasted_sql(v) or isinstance(v, (ast.JoinedStr, ast.BinOp)) for v in values):
                problems.append(f"{filename}:{node.lineno}: {name}() is given SQL built by string formatting")
        if name == "SQL" and not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
            if (filename, ast.unparse(first)) not in _TRUSTED_SQL_FRAGMENTS:
                problems.append(f"{filename}:{node.lineno}: sql.SQL({ast.unparse(first)}) is not a literal")
    return problems


def test_static_check_catches_pasted_sql():
    # The check itself can fail: each of these is SQL built from values.
    bad = {
        "f_string": "conn.execute(f'SELECT * FROM t WHERE name = {name}')",
        "format": "q = 'DELETE FROM {} WHERE id = {}'.format(t, i)\ncur.execute(q)",
        "percent": "cur.execute('SELECT * FROM t WHERE id = %s' % value)",
        "concat": "sa.text('SELECT * FROM ' + table)",
        "sql_of_value": "sql.SQL(user_text)",
    }
    for case, source in bad.items():
        assert sql_pasting_problems(source, "x.py"), case
    good = "cur.execute('SELECT * FROM t WHERE id = %s', (value,))\n" \
           "cur.execute(sql.SQL('SELECT * FROM {}').format(sql.Identifier(t)))\n" \
           "log(f'Selected {n} rows')"
    assert sql_pasting_problems(good, "x.py") == []


def test_every_sql_statement_in_the_package_is_composed_or_parameterised():
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 30
    problems = []
    for path in files:
        problems += sql_pasting_problems(path.read_text(encoding="utf-8"), path.relative_to(PACKAGE).as_posix())
    assert problems == []
    # Every trusted fragment is still there (an entry that no longer matches would hide nothing).
    for filename, fragment in _TRUSTED_SQL_FRAGMENTS:
        text = (PACKAGE / filename).read_text(encoding="utf-8")
        assert f"sql.SQL({fragment})" in text, (filename, fragment)
