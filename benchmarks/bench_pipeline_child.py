"""Run the pipeline once in this process and write what happened as JSON (started by bench_measure in a
child process, so the memory figures are the run's own and not the benchmark's).

    python benchmarks/bench_pipeline_child.py OUT.json [ASSET ...]

Settings come from the environment the parent set (the benchmark's sandbox).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time


def own_peak_bytes(ru_maxrss_bytes: int) -> int:
    """This process's own peak resident memory: `VmHWM` where Linux has it. Not `ru_maxrss`: Linux
    carries it across `exec`, and Python starts children with `vfork`, so a child's `ru_maxrss` starts
    at its parent's peak (an 800 MB parent's trivial child reports 811 MiB, its VmHWM 11 MB; the
    benchmark's parent peaks while it generates the scale-10 world)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return ru_maxrss_bytes


def main(out_path: str, selection: list[str]) -> int:
    # When the parent started this process (epoch seconds), or now when run by hand.
    process_started = float(os.environ.get("BENCH_PROCESS_STARTED", time.time()))
    started = time.perf_counter()
    from multinational_assets.cli.runs import run_pipeline  # noqa: PLC0415 - timed below

    imported = time.perf_counter()
    run = run_pipeline(selection or None)  # loads the Definitions, then executes in process
    finished = time.perf_counter()
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # tabula's JVM, when it runs as a subprocess
    report = {
        "success": run.success,
        "failure": run.failure,
        "import_seconds": imported - started,
        "run_pipeline_seconds": finished - imported,
        "execute_seconds": run.seconds,
        # Process start to the first step's start: the interpreter, the imports, the Definitions and
        # Dagster's run set-up (judged against importing the Definitions alone).
        "first_step_seconds": (run.first_step_started - process_started) if run.first_step_started else None,
        "assets": [{"asset": a.asset, "rows": a.rows, "seconds": a.seconds} for a in run.assets],
        "steps": run.steps,
        "maxrss_self_bytes": own_peak_bytes(own.ru_maxrss * 1024),
        "maxrss_children_bytes": children.ru_maxrss * 1024,  # Linux reports kilobytes
    }
    with open(out_path, "w") as fh:
        json.dump(report, fh)
    return 0 if run.success else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
