"""The one Dagster `Definitions` of the project: everything under `defs/` (assets, checks, sensors,
jobs, schedules), the resources, and the executor.

Importing this module does no I/O: the resources read their settings when a run starts.
"""

from pathlib import Path

from multinational_assets.memory import loading_code, use_returning_allocator_for_arrow

# Arrow's allocator is chosen once, here, before anything allocates (see memory.py).
use_returning_allocator_for_arrow()

with loading_code():
    from dagster import Definitions, components, default_loggers, in_process_executor, multiprocess_executor

    import multinational_assets.defs
    from multinational_assets.defs.progress import progress_logger
    from multinational_assets.defs.resources import configured_resources
    from multinational_assets.settings import executor_setting

# In-process is the fastest on one machine (one Python process instead of one per step, ~4 s each
# here); multiprocess runs independent steps in parallel when there are cores to spare.
EXECUTORS = {"in_process": in_process_executor, "multiprocess": multiprocess_executor}


def choose_executor(name: str):
    """The executor named by `MULTINATIONAL_EXECUTOR`, or an error that lists the known ones."""
    if name not in EXECUTORS:
        raise ValueError(f"MULTINATIONAL_EXECUTOR={name!r} is not one of: {', '.join(EXECUTORS)}")
    return EXECUTORS[name]


executor = choose_executor(executor_setting())

with loading_code():
    defs = Definitions.merge(
        # Every module under defs/ is loaded and its definitions collected. The project root is given,
        # not searched for: an installed wheel has no pyproject.toml beside it.
        components.load_defs(multinational_assets.defs, project_root=Path(multinational_assets.defs.__file__).parents[2]),
        Definitions(
            # A read started ahead for a later step only pays when the steps share a process.
            resources=configured_resources(read_ahead=executor is in_process_executor),
            executor=executor,
            # Dagster's own console logger stays; `progress` is on when a run's config names it (the demo).
            loggers={**default_loggers(), "progress": progress_logger},
        ),
    )
