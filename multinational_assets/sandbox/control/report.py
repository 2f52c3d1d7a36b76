"""`status`: what each server and source serves, as a structured report and as readable text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from multinational_assets import settings
from multinational_assets.sandbox import postgres
from multinational_assets.sandbox.control.paths import LOCALHOST, configured_ports, sandbox_paths
from multinational_assets.sandbox.control.processes import server_health
from multinational_assets.sandbox.control.staging import staged_summary
from multinational_assets.sandbox.control.state import read_state
from multinational_assets.sandbox.control.world import manifest_dialect, read_manifest
from multinational_assets.sandbox.stores_api import Faults


def status() -> dict[str, Any]:
    """A structured report: servers (up/down, address, pid), seed/scale, faults, what each source serves."""
    paths = sandbox_paths()
    state = read_state()
    manifest = read_manifest(paths.world) or {}
    report: dict[str, Any] = {
        "sandbox_dir": str(paths.root),
        "up": bool(state),
        "seed": state.get("seed", manifest.get("seed")),
        "scale": state.get("scale", manifest.get("scale")),
        "dialect": state.get("dialect", manifest_dialect(manifest)),
        "started_at": state.get("started_at"),
        "world": str(paths.world) if manifest else None,
        "manifest_counts": manifest.get("counts", {}),
        "staged": staged_summary(),
        "servers": [],
        "legacy_rows": {},
        "s3_objects": {},
        "stores": None,
        "faults": Faults.from_dict(state.get("faults")).describe() if state else None,
        "errors": [],
    }
    health = server_health(state) if state else {
        "postgres": postgres.running_pid(paths.pgdata) is not None, "s3": False, "api": False,
    }
    report["servers"] = [
        {"name": "postgres", "up": health["postgres"], "pid": postgres.running_pid(paths.pgdata),
         "address": f"unix socket in {paths.pgdata}"},
        {"name": "s3", "up": health["s3"], "pid": state.get("s3_pid"),
         "address": state.get("s3_endpoint_url") or f"http://{LOCALHOST}:{configured_ports()[0]}"},
        {"name": "stores api", "up": health["api"], "pid": state.get("api_pid"),
         "address": state.get("api_url") or f"http://{LOCALHOST}:{configured_ports()[1]}/prod"},
    ]
    if health["postgres"]:
        try:
            report["legacy_rows"] = postgres.row_counts(paths.pgdata, "legacy")
        except Exception as exc:  # noqa: BLE001 (reported, not raised)
            report["errors"].append(f"postgres: {exc}")
    if state and health["s3"]:
        try:
            from multinational_assets.sandbox import s3

            client = s3.s3_client(state["s3_endpoint_url"])
            report["s3_objects"] = s3.list_objects(client, state.get("bucket", settings.DEFAULT_BUCKET))
        except Exception as exc:  # noqa: BLE001
            report["errors"].append(f"s3: {exc}")
    if state and health["api"]:
        from multinational_assets.sandbox.stores_api import health as api_health

        # The health endpoint is never subject to faults, unlike /prod/number_stores.
        answer = api_health(state["api_url"].rsplit("/prod", 1)[0], timeout=5)
        report["stores"] = answer.get("number_stores") if answer else None
    return report


def _table(rows: list[list[str]], headers: list[str]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)]
    line = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def format_status(report: dict[str, Any]) -> str:
    """The status report as readable text."""
    out = []
    title = "UP" if report["up"] and all(s["up"] for s in report["servers"]) else ("PARTLY UP" if report["up"] else "DOWN")
    out.append(f"Sandbox {report['sandbox_dir']}: {title}")
    if report["seed"] is not None:
        out.append(f"world: seed {report['seed']}, scale {report['scale']}, dialect {report.get('dialect') or 0}"
                   + ("" if report["world"] else " (not generated)"))
    if report["started_at"]:
        out.append(f"up since {report['started_at']}; stores API faults: {report['faults']}")
    out.append("")
    out.append(_table(
        [[s["name"], "up" if s["up"] else "down", s["address"], s["pid"] or "-"] for s in report["servers"]],
        ["server", "state", "address", "pid"],
    ))
    counts = report["manifest_counts"] or {}
    rows = []
    for table, n in report["legacy_rows"].items():
        rows.append([f"legacy.{table}", f"{n:,}", _fmt(counts.get(table))])
    for key, size in report["s3_objects"].items():
        rows.append([f"s3://{settings.DEFAULT_BUCKET}/{key}", f"{size:,} bytes", _fmt(counts.get(Path(key).stem))])
    if report["stores"] is not None:
        rows.append(
            ["stores API number_stores", f"{report['stores']:,}", _fmt(counts.get("store_details") or counts.get("stores"))]
        )
    if rows:
        out.append("")
        out.append(_table(rows, ["source", "served", "generated rows"]))
    if report["staged"]:
        out.append("")
        out.append("staged (replacing generated files; `multinational sandbox unstage` restores them):")
        out.extend(f"  {item}" for item in report["staged"])
    for err in report["errors"]:
        out.append(f"error: {err}")
    return "\n".join(out)


def _fmt(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("rows", value.get("total"))
    return f"{value:,}" if isinstance(value, int) else "-"
