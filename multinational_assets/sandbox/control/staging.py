"""`stage` and `unstage`: serve a user's file in place of a generated source, and put the generated
ones back. A staged file is also copied into the world (the generated one kept in world/.originals),
so a restart serves it; world/staged.json records what was staged."""

from __future__ import annotations

import csv
import json
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from multinational_assets import settings
from multinational_assets.sandbox import postgres
from multinational_assets.sandbox.control.messages import Echo, SandboxError, quiet
from multinational_assets.sandbox.control.paths import sandbox_paths
from multinational_assets.sandbox.control.processes import require_up, server_health
from multinational_assets.sandbox.control.state import read_state, sandbox_lock, write_json

_TABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
# The header pandas' `to_csv` gives the index it writes first: empty, or `Unnamed: 0` once the file has
# been read by pandas and written again.
_PANDAS_INDEX_NAME = re.compile(r"(Unnamed: ?\d+)?", re.IGNORECASE)


def read_staged() -> dict[str, Any]:
    """What is staged (world/staged.json): {"legacy": {table: ..}, "s3": {key: ..}, "stores": .. or None}."""
    try:
        data = json.loads(sandbox_paths().staged_file.read_text())
    except (OSError, json.JSONDecodeError):
        data = {}
    data.setdefault("legacy", {})
    data.setdefault("s3", {})
    data.setdefault("stores", None)
    return data


def legacy_overrides(staged: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    """The column types of each staged legacy table, for `postgres.load_legacy` at the next `up`."""
    return {table: [tuple(c) for c in entry["columns"]] for table, entry in staged["legacy"].items() if entry.get("columns")}


def staged_summary() -> list[str]:
    """One line per staged source, for `status`."""
    staged = read_staged()
    items = [f"legacy table {t} <- {e.get('source')}" for t, e in staged["legacy"].items()]
    items += [f"s3 key {k} <- {e.get('source')}" for k, e in staged["s3"].items()]
    if staged["stores"]:
        items.append(f"stores <- {staged['stores'].get('source')}")
    return items


def _require_file(path: str | Path) -> Path:
    path = Path(path).expanduser()
    if not path.is_file():
        raise SandboxError(f"file not found: {path}")
    return path.resolve()


def pandas_index_column(path: Path) -> str | None:
    """The header of the file's first column when it is the unnamed index pandas writes, else None.
    Only a first column, and only with other columns beside it: an unnamed column elsewhere is the
    file's own (and is loaded as `unnamed_<n>`)."""
    with path.open(newline="", encoding="utf-8-sig") as fh:
        try:
            header = next(csv.reader(fh), [])
        except (csv.Error, UnicodeDecodeError):
            return None  # the loader reports an unreadable file in its own words
    if len(header) > 1 and _PANDAS_INDEX_NAME.fullmatch(header[0].strip()):
        return header[0]
    return None


def _without_first_column(path: Path, folder: Path) -> Path:
    """A copy of a CSV file without its first column (streamed: the file may be large)."""
    target = folder / path.name
    with path.open(newline="", encoding="utf-8-sig") as src, target.open("w", newline="", encoding="utf-8") as dst:
        writer = csv.writer(dst)
        for row in csv.reader(src):
            writer.writerow(row[1:])
    return target


def _dropping_pandas_index(path: Path, folder: Path, echo: Echo) -> Path:
    """`path`, or a copy without its first column when that is pandas' unnamed index (saying so)."""
    name = pandas_index_column(path)
    if name is None:
        return path
    echo(f"dropped the first column of {path.name} (header {name!r}: the row index pandas writes with to_csv)")
    return _without_first_column(path, folder)


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


def stage_legacy(table: str, file: str | Path, echo: Echo = quiet) -> int:
    """Replace a legacy table's contents with an ordinary CSV (with a header); returns its row count.

    The table keeps its source types when the CSV has exactly its columns, else every column is TEXT.
    The file is also copied into the world, so a restart serves it.
    """
    if not _TABLE_NAME.match(table):
        raise SandboxError(f"{table!r} is not a usable table name (letters, digits, _; at most 63 characters)")
    path = _require_file(file)
    with tempfile.TemporaryDirectory() as folder:
        return _stage_legacy(table, path, _dropping_pandas_index(path, Path(folder), echo), echo)


def _stage_legacy(table: str, path: Path, readable: Path, echo: Echo) -> int:
    with sandbox_lock(echo):
        require_up("postgres")
        paths = sandbox_paths()
        staged = read_staged()
        relative = f"legacy/{table}.csv"
        had_original = _keep_original(relative) if table not in staged["legacy"] else staged["legacy"][table]["had_original"]
        try:
            rows, columns = postgres.stage_table(paths.pgdata, table, readable)
        except postgres.PostgresError as exc:
            raise SandboxError(str(exc).replace(str(readable), str(path))) from None
        _copy_into_world(readable, relative)
        staged["legacy"][table] = {"source": str(path), "columns": [list(c) for c in columns], "had_original": had_original}
        write_json(paths.staged_file, staged)
    echo(f"legacy.{table} now holds {rows:,} rows from {path} ({', '.join(f'{c} {t}' for c, t in columns)})")
    return rows


def _valid_key(key: str) -> str:
    parts = key.split("/")
    if not key or key.startswith("/") or "\\" in key or any(p in ("", ".", "..") for p in parts):
        raise SandboxError(f"{key!r} is not a usable S3 key here (no leading '/', no empty, '.' or '..' parts)")
    return key


def stage_s3(key: str, file: str | Path, echo: Echo = quiet) -> int:
    """Upload any file to `key` of the sandbox bucket (replacing what is there); returns its size.
    The file is also copied into the world, so a restart serves it."""
    from multinational_assets.sandbox import s3

    key = _valid_key(key)
    path = _require_file(file)
    with sandbox_lock(echo):
        state = require_up("s3")
        paths = sandbox_paths()
        staged = read_staged()
        relative = f"s3/{key}"
        had_original = _keep_original(relative) if key not in staged["s3"] else staged["s3"][key]["had_original"]
        client = s3.s3_client(state["s3_endpoint_url"])
        size = s3.upload_file(client, state.get("bucket", settings.DEFAULT_BUCKET), key, path)
        _copy_into_world(path, relative)
        staged["s3"][key] = {"source": str(path), "had_original": had_original}
        write_json(paths.staged_file, staged)
    echo(f"s3://{state.get('bucket', settings.DEFAULT_BUCKET)}/{key} now holds {path} ({size:,} bytes)")
    return size


def stage_stores(file: str | Path, echo: Echo = quiet) -> int:
    """Replace the stores behind the running API with a JSON list of objects or a CSV (one object per
    row, empty fields null), without restarting it; returns the new store count."""
    from multinational_assets.sandbox.stores_api import load_stores_file, put_stores

    path = readable = _require_file(file)
    try:
        with tempfile.TemporaryDirectory() as folder:
            readable = _dropping_pandas_index(path, Path(folder), echo) if path.suffix.lower() == ".csv" else path
            stores = load_stores_file(readable)
    except ValueError as exc:
        raise SandboxError(str(exc).replace(str(readable), str(path))) from None
    with sandbox_lock(echo):
        state = require_up("api")
        paths = sandbox_paths()
        staged = read_staged()
        relative = "api/stores.json"
        had_original = _keep_original(relative) if not staged["stores"] else staged["stores"]["had_original"]
        count = put_stores(state["api_url"].rsplit("/prod", 1)[0], state["api_key"], stores)
        target = paths.world / relative
        write_json(target, stores)
        staged["stores"] = {"source": str(path), "had_original": had_original}
        write_json(paths.staged_file, staged)
    echo(f"the stores API now serves {count:,} stores from {path}")
    return count


def unstage(echo: Echo = quiet) -> list[str]:
    """Put every staged source back to the generated world; applied live to the running servers when
    the sandbox is up, else at the next `up`. Returns what was restored."""
    with sandbox_lock(echo):
        paths = sandbox_paths()
        staged = read_staged()
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
            write_json(paths.staged_file, staged)

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
                write_json(paths.staged_file, staged)

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
