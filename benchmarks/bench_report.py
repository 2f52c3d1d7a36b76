"""Markdown for the benchmark figures: one function per table."""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from bench_measure import (
    API_LATENCY_MS,
    CleaningFigures,
    DltFigures,
    HttpFigures,
    LoadFigures,
    PipelineFigures,
    RawAloneFigures,
    rate,
)
from bench_sandbox import BenchSandbox, StartFigures, scale_label

DASH = "—"
GB = 1_000_000_000


# ---------------------------------------------------------------------------------------------
# What one scale produced


@dataclass
class ScaleResult:
    box: BenchSandbox
    start: StartFigures | None = None
    pipeline: PipelineFigures | None = None
    definitions_seconds: float | None = None
    startup_floor: float | None = None  # a fresh process importing the Definitions, wall seconds
    raw_alone: list[RawAloneFigures] = field(default_factory=list)
    cleaning: list[CleaningFigures] = field(default_factory=list)
    loads: list[LoadFigures] = field(default_factory=list)
    star: tuple[float, dict[str, int], float] | None = None  # seconds, rows, bare CREATE TABLE AS seconds
    metrics: dict[str, float] | None = None
    tabula: tuple[float, int, int] | None = None
    pdf_text: tuple[float, int, int, float] | None = None
    baseline: object | None = None  # bench_measure.BaselineFigures
    raw_layer: PipelineFigures | None = None  # the five non-PDF raw assets alone, in a child process
    dlt: DltFigures | None = None  # the same by dlt, tuned
    http: list[HttpFigures] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)  # section -> what went wrong

    @property
    def scale(self) -> float:
        return self.box.scale


@dataclass
class Target:
    what: str
    limit: str
    value: str
    passed: bool | None  # None: not measured

    @property
    def verdict(self) -> str:
        return {True: "PASS", False: "MISS", None: "not measured"}[self.passed]


# ---------------------------------------------------------------------------------------------
# Formatting


def secs(value: float | None, digits: int = 2) -> str:
    return DASH if value is None else f"{value:,.{digits}f}"


def count(value: int | None) -> str:
    return DASH if value is None else f"{value:,}"


def per_second(value: float | None) -> str:
    return DASH if value is None else f"{value:,.0f}"


def mib(value: int | None) -> str:
    return DASH if value is None else f"{value / 2**20:,.0f} MiB"


def ratio(a: float | None, b: float | None) -> str:
    return DASH if not a or not b else f"{a / b:.2f}x"


def md_table(headers: list[str], rows: list[list[str]], right: set[int] | None = None) -> str:
    """A markdown table; columns whose index is in `right` are right-aligned."""
    right = right if right is not None else set(range(1, len(headers)))
    rule = ["---:" if i in right else "---" for i in range(len(headers))]
    lines = [headers, rule, *rows]
    return "\n".join("| " + " | ".join(str(cell).replace("|", "\\|") for cell in line) + " |" for line in lines)


# ---------------------------------------------------------------------------------------------
# Targets


def targets(result: ScaleResult) -> list[Target]:
    """The targets that apply at this scale, judged."""
    found: list[Target] = []
    run = result.pipeline
    run_seconds = run.run_pipeline_seconds if run and run.success else None
    if result.scale == 1:
        command = run.process_seconds if run and run.success else None
        found.append(_below("whole command, process start to the nine answers (API at 50 ms)", command, 9, "s"))
        baseline = result.baseline.process_seconds if result.baseline else None
        found.append(
            Target(
                "faster than the seed-style baseline (bench_baseline.py)", "> 5x", ratio(baseline, command),
                None if not baseline or not command else baseline / command > 5,
            )
        )

    if result.scale == 10:
        found.append(_below("whole pipeline, warm sandbox (run_pipeline wall)", run_seconds, 60, "s"))
        peak = run.peak_rss if run else None
        found.append(
            Target("peak RSS of the pipeline run", "< 1.5 GB", mib(peak), None if peak is None else peak < 1.5 * GB)
        )
    ours = result.raw_layer.process_seconds if result.raw_layer and result.raw_layer.success else None
    theirs = result.dlt.process_seconds if result.dlt else None
    found.append(Target(
        "raw layer, five non-PDF sources from process start, no slower than dlt tuned", "<= 1.00x",
        DASH if not ours or not theirs else f"{ratio(ours, theirs)} ({secs(ours)} s vs {secs(theirs)} s)",
        None if not ours or not theirs else ours <= theirs,
    ))
    found += stage_targets(result)
    return found


def raw_layer_table(result: ScaleResult) -> str:
    ours, theirs = result.raw_layer, result.dlt
    if ours is None and theirs is None:
        return _missing(result, "raw layer")
    rows = []
    if ours is not None:
        tables = {a["asset"]: a["rows"] for a in ours.assets}
        rows.append(["this project: run_pipeline of the five raw assets", secs(ours.process_seconds),
                     secs(ours.first_step_seconds), mib(ours.peak_rss), f"{sum(v or 0 for v in tables.values()):,}"])
    if theirs is not None:
        detail = ", ".join(f"{stage} {secs(value)} s" for stage, value in theirs.stages.items())
        rows.append([f"dlt tuned ({detail})", secs(theirs.process_seconds), DASH, mib(theirs.peak_tree_rss),
                     f"{sum(theirs.rows.values()):,}"])
    return (f"_Process start to the five tables loaded, API at {API_LATENCY_MS} ms; dlt: connectorx for the "
            "legacy tables, deferred API calls on as many workers as the project's concurrency, Arrow tables for "
            "the CSV and JSON, CSV files loaded by COPY (`benchmarks/bench_dlt.py`)._\n\n"
            + md_table(["raw layer", "seconds", "start-up s", "peak memory", "rows"], rows))


# Every stage within this factor of its limit, measured in the same run.
STAGE_LIMIT = 1.5


def _within(what: str, seconds: float | None, limit: float | None) -> Target:
    if not seconds or not limit:
        return Target(what, f"< {STAGE_LIMIT}x", DASH, None)
    return Target(what, f"< {STAGE_LIMIT}x", f"{ratio(seconds, limit)} ({secs(seconds)} s vs {secs(limit)} s)",
                  seconds < STAGE_LIMIT * limit)


def stage_targets(result: ScaleResult) -> list[Target]:
    """Each stage against its limit (the issue's list): the API against its ideal fan-out, each load
    against plain COPY, the PDF against its text floor, cleaning against its Arrow kernels, start-up
    against importing the Definitions."""
    found = []
    concurrent = next((h for h in result.http if h.label.startswith("StoresApi") and h.concurrency > 1), None)
    floor = next((h for h in result.http if h.label == "latency floor"), None)
    found.append(_within(f"stores API against its ideal fan-out (calls x {API_LATENCY_MS} ms / concurrency)",
                         concurrent and concurrent.seconds, floor and floor.seconds))
    if result.loads:
        worst = max(result.loads, key=lambda f: f.io_manager_seconds / f.fastest_plain[1])
        found.append(_within(f"each load against plain COPY (worst: {worst.table})",
                             worst.io_manager_seconds, worst.fastest_plain[1]))
    else:
        found.append(_within("each load against plain COPY", None, None))
    pdf = result.pdf_text
    found.append(_within("PDF read against its text floor (pdfium text of every page)", pdf and pdf[0], pdf and pdf[3]))
    cleaned = result.cleaning
    found.append(_within("cleaning (six tables) against its pyarrow.compute kernels alone",
                         sum(c.clean_seconds for c in cleaned) if cleaned else None,
                         sum(c.kernel_seconds for c in cleaned) if cleaned else None))
    run = result.pipeline
    found.append(_within("start-up (process start to first step) against importing the Definitions",
                         run.first_step_seconds if run and run.success else None, result.startup_floor))
    return found


def _below(what: str, value: float | None, limit: float, unit: str) -> Target:
    shown = DASH if value is None else f"{value:,.2f} {unit}"
    return Target(what, f"< {limit:g} {unit}", shown, None if value is None else value < limit)


def targets_table(result: ScaleResult) -> str:
    found = targets(result)
    if not found:
        return "_No targets are set at this scale._"
    return md_table(
        ["target", "limit", "measured", "result"],
        [[t.what, t.limit, t.value, t.verdict] for t in found],
        right={2},
    )


# ---------------------------------------------------------------------------------------------
# Sections


def header(command: str, scales: list[float], seed: int) -> str:
    load1, load5, _ = os.getloadavg()
    lines = [
        "# Benchmarks",
        "",
        f"- command: `{command}`",
        f"- when: {dt.datetime.now().astimezone().isoformat(timespec='seconds')}; commit {_git_commit()}",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"load average at start {load1:.2f} (1 min), {load5:.2f} (5 min)",
        f"- scales {', '.join(scale_label(s) for s in scales)}, seed {seed}; each scale in its own sandbox "
        "(see benchmarks/README.md for what each figure covers)",
    ]
    return "\n".join(lines)


def _git_commit() -> str:
    root = Path(__file__).resolve().parents[1]
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{commit}{' + uncommitted changes' if dirty else ''}"


def sandbox_table(result: ScaleResult) -> str:
    start = result.start
    if start is None:
        return _missing(result, "sandbox")
    generation = "reused (--reuse-world)" if start.generation_seconds is None else secs(start.generation_seconds)
    loaded = ", ".join(f"{t} {n:,}" for t, n in (start.legacy_rows or {}).items()) or DASH
    return md_table(
        ["step", "seconds", "note"],
        [
            ["world generation", generation, f"seed {result.box.seed}, scale {scale_label(result.scale)}"],
            [
                "sandbox start (cold)",
                secs(start.start_seconds),
                f"Postgres from empty data dir, legacy load ({loaded}), S3 upload, stores API",
            ],
        ],
        right={1},
    )


def pipeline_tables(result: ScaleResult) -> str:
    run = result.pipeline
    if run is None:
        return _missing(result, "pipeline")
    parts = []
    if not run.success:
        parts.append(f"**The run failed:** {run.failure}\n")
    parts.append(
        md_table(
            ["figure", "value"],
            [
                ["run_pipeline() wall: loading the Definitions + executing (judged)", f"{secs(run.run_pipeline_seconds)} s"],
                ["of which executing the job (execute_job)", f"{secs(run.execute_seconds)} s"],
                ["child process wall: interpreter + imports + run", f"{secs(run.process_seconds)} s"],
                ["importing multinational_assets.cli.runs", f"{secs(run.import_seconds)} s"],
                ["start-up: process start to the first step", f"{secs(run.first_step_seconds)} s"],
                ["start-up floor: a fresh process importing the Definitions (best of 3)", f"{secs(result.startup_floor)} s"],
                ["peak RSS, whole process tree (judged)", mib(run.peak_rss)],
                ["peak RSS, pipeline Python process (VmHWM: its own pages, not its parent's)", mib(run.maxrss_python)],
                [
                    "peak RSS, largest subprocess (ru_maxrss: a child started from a big process starts at that process's peak)",
                    mib(run.maxrss_subprocess),
                ],
            ],
        )
    )
    rows = [[a["asset"], secs(a["seconds"]), count(a["rows"]), per_second(rate(a["rows"], a["seconds"]))] for a in run.assets]
    # A step that writes several assets (extract_sources, each clean step, the metrics) gives each of
    # them its seconds; the total counts every step once, check steps included.
    steps = sum(run.steps.values())
    checks = {key: value for key, value in run.steps.items() if key.startswith("check_")}
    rows.append([f"the asset checks ({len(checks)} steps)", secs(sum(checks.values())), "", ""])
    rows.append(["**all steps** (each step once)", secs(steps), "", ""])
    rows.append(["**Dagster outside the steps** (execute_job - steps)", secs(run.execute_seconds - steps), "", ""])
    parts.append("")
    parts.append(md_table(["asset", "step seconds", "rows", "rows/s"], rows))
    parts.append(
        "\n_Step seconds are Dagster's step times. A step that writes several assets (the raw step, a clean "
        "step's clean and quarantine tables, the nine answers) shows its time on each; rows/s there is per "
        "output. The star step has no row count._"
    )
    return "\n".join(parts)


def raw_alone_table(result: ScaleResult) -> str:
    if not result.raw_alone:
        return _missing(result, "raw alone")
    rows = []
    for r in result.raw_alone:
        name = r.asset if r.success else f"{r.asset} (FAILED: {r.failure})"
        rows.append([name, secs(r.wall_seconds), secs(r.step_seconds), count(r.rows), per_second(rate(r.rows, r.step_seconds))])
    note = (
        f"\n_Each asset materialised alone with `run_pipeline([asset])` in the benchmark process; wall "
        f"includes Dagster's run overhead (the Definitions were imported beforehand, "
        f"{secs(result.definitions_seconds)} s). rows/s is over the step time._"
    )
    return md_table(["asset", "wall seconds", "step seconds", "rows", "rows/s"], rows) + "\n" + note


def stores_api_table(result: ScaleResult) -> str:
    if not result.http:
        return _missing(result, "stores api")
    rows = [
        [
            h.label,
            str(h.concurrency),
            count(h.stores),
            count(h.calls),
            secs(h.seconds),
            per_second(rate(h.stores, h.seconds)),
            str(h.retries),
            h.measured,
        ]
        for h in result.http
    ]
    return f"_{API_LATENCY_MS} ms added per request by the sandbox API (Faults(latency_ms={API_LATENCY_MS}))._\n\n" + md_table(
        ["fetch", "concurrency", "stores", "calls", "seconds", "stores/s", "retries", "how"], rows, right={1, 2, 3, 4, 5, 6}
    )


def orders_load_table(result: ScaleResult) -> str:
    orders = next((f for f in result.loads if f.table == "orders_table" and len(f.plain_seconds) > 1), None)
    if orders is None:
        return _missing(result, "loads")
    fastest_name, fastest_seconds = orders.fastest_plain
    rows = [
        [
            "IO manager: warehouse.replace_table (COPY of Arrow-written CSV into a staging table, then swap)",
            secs(orders.io_manager_seconds),
            per_second(rate(orders.rows, orders.io_manager_seconds)),
            ratio(orders.io_manager_seconds, fastest_seconds),
            "",
        ]
    ]
    for name, seconds in sorted(orders.plain_seconds.items(), key=lambda item: item[1]):
        same = "same content" if orders.same_content[name] else "CONTENT DIFFERS"
        label = f"plain psycopg 3: {name}" + (" (fastest plain)" if name == fastest_name else "")
        rows.append([label, secs(seconds), per_second(rate(orders.rows, seconds)), ratio(seconds, fastest_seconds), same])
    return (
        f"_The raw orders frame ({orders.rows:,} rows, {orders.columns} text columns) read back from the warehouse, "
        "loaded into scratch tables on the same server; each load includes creating its table and committing._\n\n"
        + md_table(["method", "seconds", "rows/s", "time vs fastest plain", "check"], rows, right={1, 2, 3})
    )


def limits_tables(result: ScaleResult) -> str:
    parts = []
    parts.append(
        "**tabula alone on the card-details PDF** (the reader's tabula-java calls only: page 1 in "
        "lattice mode, then every page in stream mode)\n"
    )
    if result.tabula is None:
        parts.append(_missing(result, "tabula"))
    else:
        seconds, rows, pages = result.tabula
        alone = next((r for r in result.raw_alone if r.asset == "raw/card_details"), None)
        parts.append(
            md_table(
                ["measure", "seconds", "rows", "rows/s"],
                [
                    [f"tabula alone ({pages:,} tables)", secs(seconds), count(rows), per_second(rate(rows, seconds))],
                    [
                        "raw/card_details alone (S3 + the PDF reader + validation + warehouse load)",
                        secs(alone.step_seconds) if alone else DASH,
                        count(alone.rows) if alone else DASH,
                        per_second(rate(alone.rows, alone.step_seconds)) if alone else DASH,
                    ],
                ],
            )
        )
    parts.append("\n**The seed-style baseline** (`bench_baseline.py`: read_sql, tabula defaults, one API call after "
                 "another, to_sql of the clean tables, the project's cleaning and the same star and answer SQL; API at "
                 "50 ms)\n")
    if result.baseline is None:
        parts.append(_missing(result, "baseline") if result.scale <= 1 else "_Measured at scale 1 only._")
    else:
        b = result.baseline
        rows = [[stage, secs(seconds)] for stage, seconds in b.stages.items()]
        rows.append(["**the baseline, process start to finish**", secs(b.process_seconds)])
        if result.pipeline and result.pipeline.success:
            rows.append(["**this project, process start to finish**", secs(result.pipeline.process_seconds)])
        parts.append(md_table(["stage", "seconds"], rows))
    parts.append(
        "\n**The PDF as the pipeline reads it** (`CARD_DETAILS_PDF_READER=auto`: each page from pdfium's text "
        "positions and ruling lines, tabula for pages it cannot verify) **against its floor** (pdfium extracting "
        "every page's text, nothing else); the reading processes started before the read, as the run's resource "
        "starts them; best of 5 turns each, taken alternately, below 100 pages, of 3 below 1,000\n"
    )
    if result.pdf_text is None:
        parts.append(_missing(result, "pdf text"))
    else:
        seconds, rows, by_tabula, floor = result.pdf_text
        parts.append(
            md_table(
                ["measure", "seconds", "rows", "pages read by tabula", "time vs floor"],
                [
                    ["text reader (auto)", secs(seconds), count(rows), count(by_tabula), ratio(seconds, floor)],
                    ["floor: pdfium text of every page", secs(floor), DASH, DASH, "1.00x"],
                ],
            )
        )
    parts.append("\n**Plain COPY per raw table** (the fastest plain method found on orders_table)\n")
    if not result.loads:
        parts.append(_missing(result, "loads"))
    else:
        rows = []
        for f in result.loads:
            name, seconds = f.fastest_plain
            rows.append(
                [
                    f.table,
                    count(f.rows),
                    secs(f.io_manager_seconds),
                    secs(seconds),
                    per_second(rate(f.rows, f.io_manager_seconds)),
                    per_second(rate(f.rows, seconds)),
                    ratio(f.io_manager_seconds, seconds),
                    name + ("" if f.same_content[name] else " (CONTENT DIFFERS)"),
                ]
            )
        parts.append(
            md_table(
                [
                    "raw table",
                    "rows",
                    "IO manager s",
                    "plain COPY s",
                    "IO manager rows/s",
                    "plain rows/s",
                    "IO manager / plain",
                    "plain method",
                ],
                rows,
                right={1, 2, 3, 4, 5, 6},
            )
        )
    parts.append(
        "\n**Plain HTTP**: the same calls at the same concurrency with plain `requests` and plain `urllib3` are "
        "in the stores API table above (rows `plain requests, no retries` and `plain urllib3, no retries`)."
    )
    return "\n".join(parts)


def cleaning_tables(result: ScaleResult) -> str:
    parts = []
    if not result.cleaning:
        parts.append(_missing(result, "cleaning"))
    else:
        rows = [
            [
                c.table,
                count(c.raw_rows),
                secs(c.read_seconds),
                secs(c.clean_seconds),
                count(c.clean_rows),
                count(c.quarantined_rows),
                per_second(rate(c.raw_rows, c.clean_seconds)),
                secs(c.kernel_seconds),
                ratio(c.clean_seconds, c.kernel_seconds),
            ]
            for c in result.cleaning
        ]
        total = sum(c.clean_seconds for c in result.cleaning)
        kernels = sum(c.kernel_seconds for c in result.cleaning)
        rows.append(["**all six**", "", "", secs(total), "", "", "", secs(kernels), ratio(total, kernels)])
        parts.append(
            md_table(["clean table", "raw rows", "read back s", "clean s", "clean rows", "quarantined", "raw rows/s",
                      "Arrow kernels s", "clean / kernels"], rows)
        )
        parts.append(
            "\n_The plain functions of `CLEAN_TABLES` on the raw frames read back with the IO manager's "
            "`read_table`; read back s is that read. Arrow kernels s: a second run of the same cleaning with "
            "every `pyarrow.compute` call timed, the time inside them (the limit: the repairs without the "
            "Python around them)._\n"
        )
    rows = []
    if result.star is not None:
        seconds, table_rows, bare = result.star
        rows.append(
            [
                "star build (build_star: typed tables, keys, swap)",
                secs(seconds),
                f"{sum(table_rows.values()):,} rows in {len(table_rows)} tables; {ratio(seconds, bare)} the bare copy",
            ]
        )
        rows.append(["bare CREATE TABLE AS of the six clean tables, one transaction", secs(bare), "no types, keys or checks"])
    if result.metrics is not None:
        slowest = max(result.metrics, key=result.metrics.get)
        rows.append(
            [
                "all nine metrics (run_metric each)",
                secs(sum(result.metrics.values())),
                f"slowest: {slowest} {secs(result.metrics[slowest])} s",
            ]
        )
    parts.append(md_table(["step", "seconds", "note"], rows, right={1}) if rows else _missing(result, "star"))
    if result.metrics:
        parts.append("")
        parts.append(md_table(["metric", "seconds"], [[n, secs(s, 3)] for n, s in result.metrics.items()]))
    return "\n".join(parts)


def _missing(result: ScaleResult, section: str) -> str:
    error = result.errors.get(section)
    return f"_Not measured{': ' + error if error else ''}._"


def scale_section(result: ScaleResult) -> str:
    label = scale_label(result.scale)
    blocks = [
        f"## Scale {label}",
        f"Sandbox `{result.box.root.name}` (S3 port {result.box.s3_port}, stores API port {result.box.api_port}).",
        "### Targets",
        targets_table(result),
        "### 1. Sandbox",
        sandbox_table(result),
        "### 2. Whole pipeline (in-process executor, warm sandbox, child process)",
        pipeline_tables(result),
        "### 3. Each raw asset alone, and the raw layer against dlt",
        raw_alone_table(result),
        raw_layer_table(result),
        f"### 4. Stores API ({API_LATENCY_MS} ms latency per request)",
        stores_api_table(result),
        "### 5. IO manager load rate: orders_table",
        orders_load_table(result),
        "### 6. Limits measured in the same run",
        limits_tables(result),
        "### 7. Cleaning per table, star, metrics",
        cleaning_tables(result),
    ]
    if result.errors:
        blocks += ["### Errors", "\n".join(f"- {section}: {error}" for section, error in result.errors.items())]
    return "\n\n".join(blocks) + "\n"


def _orders(result: ScaleResult) -> int | None:
    return next((a["rows"] for a in result.pipeline.assets if a["asset"] == "raw/orders_table"), None)


def cost_against_size(results: list[ScaleResult]) -> tuple[str, list[tuple[str, Target]]]:
    """Time and memory per scale, and whether they grow no faster than the data above the fixed
    start-up: from each scale to the next, the run's work (whole command minus start-up) and its peak
    memory may grow by at most the factor the scale grows by."""
    runs = sorted((r for r in results if r.pipeline and r.pipeline.success and r.pipeline.first_step_seconds),
                  key=lambda r: r.scale)
    if len(runs) < 2:
        return "", []
    rows, found = [], []
    for r in runs:
        p = r.pipeline
        work = p.process_seconds - p.first_step_seconds
        rows.append([scale_label(r.scale), count(_orders(r)), secs(p.process_seconds), secs(p.first_step_seconds),
                     secs(work), mib(p.peak_rss)])
    for small, big in zip(runs, runs[1:]):
        grows = big.scale / small.scale
        label = f"{scale_label(small.scale)} to {scale_label(big.scale)}"
        ps, pb = small.pipeline, big.pipeline
        work_growth = (pb.process_seconds - pb.first_step_seconds) / (ps.process_seconds - ps.first_step_seconds)
        memory_growth = pb.peak_rss / ps.peak_rss
        found.append((label, Target(f"work time grows no faster than the data (x{grows:g})", f"<= {grows:g}x",
                                    f"{work_growth:.2f}x", work_growth <= grows)))
        found.append((label, Target(f"peak memory grows no faster than the data (x{grows:g})", f"<= {grows:g}x",
                                    f"{memory_growth:.2f}x", memory_growth <= grows)))
    table = md_table(["scale", "orders", "whole command s", "start-up s", "work s", "peak memory"], rows)
    return table, found


def summary(results: list[ScaleResult]) -> str:
    rows = []
    for result in results:
        for t in targets(result):
            rows.append([scale_label(result.scale), t.what, t.limit, t.value, t.verdict])
    cost_table, cost_targets = cost_against_size(results)
    rows += [[scales, t.what, t.limit, t.value, t.verdict] for scales, t in cost_targets]
    parts = ["## Summary"]
    if cost_table:
        parts += ["**Cost against size** (whole command in a child process; start-up is process start to the first "
                  "step, work the rest)", cost_table]
    if not rows:
        parts.append("_No targets apply at the scales run (targets are set at scales 1 and 10)._")
    else:
        parts.append(md_table(["scale", "target", "limit", "measured", "result"], rows, right={3}))
    return "\n\n".join(parts) + "\n"
