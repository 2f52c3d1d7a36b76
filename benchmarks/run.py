"""Benchmarks of the pipeline against its own sandbox; prints markdown tables (and writes them to --out).

    python benchmarks/run.py [--scales 1 10] [--seed 0] [--out artifacts/benchmarks.md] [--keep]
                             [--reuse-world]

Not a timed test: it measures and prints figures, with PASS/MISS beside the few targets. Each scale
gets its own sandbox (`<project>/.sandbox-bench-s<scale>`, ports 39555+/39556+), so a developer's or
the tests' sandbox is never touched; its servers are stopped at the end unless `--keep`. Progress goes
to stderr. See benchmarks/README.md for what each figure covers.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shlex
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def _use_project_python() -> None:
    """Re-run under the project's virtual environment when started by a Python without the package."""
    try:
        import multinational_assets  # noqa: F401, PLC0415
    except ImportError:
        venv_python = PROJECT_ROOT / ".venv" / "bin" / "python"
        if venv_python.exists() and Path(sys.executable) != venv_python:
            os.execv(str(venv_python), [str(venv_python), *sys.argv])
        raise SystemExit("multinational_assets is not importable: run `make install` first") from None


_use_project_python()

import bench_measure as measure  # noqa: E402
import bench_report as report  # noqa: E402
import bench_sandbox as sandbox  # noqa: E402
from bench_util import say  # noqa: E402


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[0.1, 1, 10], help="world scales (default: 0.1 1 10)")
    parser.add_argument("--seed", type=int, default=0, help="world seed (default: 0)")
    parser.add_argument(
        "--out", type=Path, default=PROJECT_ROOT / "artifacts" / "benchmarks.md", help="markdown file to write"
    )
    parser.add_argument("--keep", action="store_true", help="leave each scale's sandbox running at the end")
    parser.add_argument(
        "--reuse-world", action="store_true",
        help="reuse a world a previous run left in the benchmark sandbox folder (generation is then not timed)",
    )
    args = parser.parse_args(argv)
    args.scales = [int(s) if float(s).is_integer() else s for s in args.scales]
    return args


# ---------------------------------------------------------------------------------------------
# One scale


def attempt(result: report.ScaleResult, section: str, measure_fn, *args):
    """Run one measurement; a failure is recorded in the report and the benchmark carries on."""
    try:
        return measure_fn(*args)
    except Exception as error:  # noqa: BLE001 - any failure becomes a line in the report
        first_line = (str(error).strip().splitlines() or [""])[0]
        message = f"{type(error).__name__}: {first_line}"
        result.errors[section] = message
        say(f"  {section} FAILED: {message}")
        return None


@contextlib.contextmanager
def api_latency(result: report.ScaleResult, section: str):
    """The benchmark sandbox's stores API at `API_LATENCY_MS` for the block, then without faults."""
    attempt(result, section, measure.set_api_latency, measure.API_LATENCY_MS)
    try:
        yield
    finally:
        attempt(result, section, measure.set_api_latency, 0)


def measure_pipeline(result: report.ScaleResult) -> None:
    say(f"whole pipeline: run_pipeline() in a child process (in-process executor), API at {measure.API_LATENCY_MS} ms")
    log = result.box.root / "logs" / "bench-pipeline.log"
    with api_latency(result, "pipeline"):
        result.pipeline = attempt(result, "pipeline", measure.whole_pipeline, log)
    say("start-up floor: a fresh process importing the Definitions (best of 3)")
    result.startup_floor = attempt(result, "start-up", measure.definitions_import_floor)
    if result.pipeline:
        if not result.pipeline.success:
            result.errors["pipeline"] = f"the run failed: {result.pipeline.failure}"
        state = "succeeded" if result.pipeline.success else f"FAILED ({result.pipeline.failure})"
        say(f"  {state} in {result.pipeline.run_pipeline_seconds:.1f} s; "
            f"peak RSS {result.pipeline.peak_rss / 2**20:,.0f} MiB; Dagster log: {log}")


def measure_raw_layer_against_dlt(result: report.ScaleResult) -> None:
    """The raw layer of the five sources other than the PDF, from process start, by this project and
    by dlt tuned (both in child processes, API at the same latency)."""
    from multinational_assets.sources import SOURCES  # noqa: PLC0415

    five = tuple(f"raw/{s.raw_table}" for s in SOURCES if s.raw_table != "card_details")
    say(f"raw layer of the five non-PDF sources: this project, then dlt tuned (API at {measure.API_LATENCY_MS} ms)")
    logs = result.box.root / "logs"
    with api_latency(result, "raw layer"):
        result.raw_layer = attempt(result, "raw layer", measure.whole_pipeline, logs / "bench-raw-layer.log", five)
        result.dlt = attempt(result, "dlt", measure.dlt_raw_layer, logs / "bench-dlt.log")
    if result.raw_layer and not result.raw_layer.success:
        result.errors["raw layer"] = f"the run failed: {result.raw_layer.failure}"


def measure_raw_alone(result: report.ScaleResult) -> None:
    result.definitions_seconds = attempt(result, "raw alone", measure.load_definitions)
    if result.definitions_seconds is None:
        return
    from multinational_assets.sources import CLEAN_TABLES  # noqa: PLC0415

    for spec in CLEAN_TABLES:
        asset = f"raw/{spec.raw_table}"
        say(f"raw asset alone: {asset}")
        figures = attempt(result, "raw alone", measure.raw_asset_alone, asset)
        if figures:
            result.raw_alone.append(figures)
            if not figures.success:
                result.errors[f"raw alone {asset}"] = f"the run failed: {figures.failure}"


def measure_layers(result: report.ScaleResult) -> None:
    """Per raw table: read it back, clean it, and load it by the IO manager and by plain COPY (orders
    first, with every plain method, to find the fastest); then the star and the metrics."""
    from multinational_assets.defs.resources import WarehouseResource  # noqa: PLC0415
    from multinational_assets.sources import CLEAN_TABLES  # noqa: PLC0415

    specs = sorted(CLEAN_TABLES, key=lambda s: s.raw_table != "orders_table")
    with WarehouseResource().connect(autocommit=True) as conn:
        measure.reset_bench_schema(conn)
        methods = measure.PLAIN_METHODS
        for spec in specs:
            say(f"read back, clean and load: {spec.raw_table}")
            read = attempt(result, "cleaning", measure.read_raw_frame, conn, spec.raw_table)
            if read is None:
                continue
            raw, read_seconds = read
            cleaned = attempt(result, "cleaning", measure.cleaning, spec, raw, read_seconds)
            if cleaned:
                result.cleaning.append(cleaned)
            loads = attempt(result, "loads", measure.load_comparison, conn, raw, spec.raw_table, methods)
            if loads:
                result.loads.append(loads)
                if len(methods) > 1:  # orders_table ran them all: keep the fastest for the others
                    fastest = loads.fastest_plain[0]
                    methods = {fastest: measure.PLAIN_METHODS[fastest]}
            del raw
        attempt(result, "loads", measure.drop_bench_schema, conn)
        say("star build and the nine metrics")
        result.star = attempt(result, "star", measure.star_build, conn)
        result.metrics = attempt(result, "star", measure.all_metrics, conn)


def measure_tabula(result: report.ScaleResult) -> None:
    say("tabula alone on the card-details PDF")
    pdf = result.box.root / "world" / "s3" / "card_details.pdf"
    result.tabula = attempt(result, "tabula", measure.tabula_alone, pdf)
    say("the PDF as the pipeline reads it (text positions, tabula for unverified pages) and its text floor")
    result.pdf_text = attempt(result, "pdf text", measure.pdf_text_reader, pdf)


def measure_stores_api(result: report.ScaleResult) -> None:
    say(f"stores API with {measure.API_LATENCY_MS} ms latency per request")
    if attempt(result, "stores api", measure.set_api_latency, measure.API_LATENCY_MS) is None:
        return
    try:
        concurrent = attempt(result, "stores api", measure.fetch_all_with_resource)
        if concurrent is None:
            return
        result.http.append(concurrent)
        say(f"  concurrent: {concurrent.seconds:.2f} s; now one at a time")
        sequential = attempt(result, "stores api", measure.fetch_one_at_a_time, concurrent.stores, result.box.root / "world")
        if sequential:
            result.http.append(sequential)
        say("  plain requests at the same concurrency")
        plain = attempt(result, "stores api", measure.plain_requests, concurrent.concurrency)
        if plain:
            result.http.append(plain)
        say("  plain urllib3 at the same concurrency")
        plain = attempt(result, "stores api", measure.plain_urllib3, concurrent.concurrency)
        if plain:
            result.http.append(plain)
        result.http.append(measure.latency_floor(concurrent.stores, concurrent.concurrency))
    finally:
        attempt(result, "stores api", measure.set_api_latency, 0)


def measure_baseline(result: report.ScaleResult) -> None:
    if result.scale != 1:
        return  # the target is set at scale 1; at scale 10 the baseline would take ten minutes
    say(f"seed-style baseline (bench_baseline.py) in a child process, API at {measure.API_LATENCY_MS} ms")
    log = result.box.root / "logs" / "bench-baseline.log"
    with api_latency(result, "baseline"):
        result.baseline = attempt(result, "baseline", measure.seed_style_baseline, log)


def run_scale(box: sandbox.BenchSandbox, args: argparse.Namespace) -> report.ScaleResult:
    result = report.ScaleResult(box)
    say(f"=== scale {sandbox.scale_label(box.scale)} ===")
    try:
        result.start = attempt(result, "sandbox", sandbox.start, box, args.reuse_world)
        if result.start is None:
            return result
        measure_pipeline(result)
        measure_raw_layer_against_dlt(result)
        measure_raw_alone(result)
        attempt(result, "cleaning", measure_layers, result)
        measure_tabula(result)
        measure_stores_api(result)
        measure_baseline(result)  # last: it overwrites the clean and star schemas
    finally:
        if args.keep:
            say(f"leaving the sandbox up in {box.root} (--keep); stop it with "
                f"MULTINATIONAL_SANDBOX_DIR={box.root} multinational sandbox down")
        else:
            say(f"stopping the sandbox in {box.root}")
            attempt(result, "teardown", sandbox.stop, box)
    return result


# ---------------------------------------------------------------------------------------------


def write_out(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    command = "python benchmarks/run.py " + shlex.join(sys.argv[1:])
    document = [report.header(command.strip(), args.scales, args.seed)]
    print(document[0] + "\n", flush=True)
    results = []
    for index, scale in enumerate(args.scales):
        result = run_scale(sandbox.bench_sandbox(scale, args.seed, index), args)
        results.append(result)
        section = report.scale_section(result)
        print(section, flush=True)
        document.append(section)
        write_out(args.out, "\n\n".join(document))  # a later scale that crashes keeps the earlier ones
    closing = report.summary(results)
    print(closing, flush=True)
    document.append(closing)
    write_out(args.out, "\n\n".join(document))
    say(f"wrote {args.out}")
    return 0 if all(not r.errors for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
