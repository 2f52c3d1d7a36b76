"""The one Dagster `Definitions` of the project: everything under `defs/` (assets, checks, sensors,
jobs, schedules), the resources, and the executor.

Importing this module does no I/O: the resources read their settings when a run starts.
"""

import warnings

from multinational_assets.memory import loading_code, use_returning_allocator_for_arrow

# Arrow's allocator is chosen once, here, before anything allocates (see memory.py).
use_returning_allocator_for_arrow()

with loading_code():
    from dagster import (
        Definitions,
        PreviewWarning,
        default_loggers,
        in_process_executor,
        load_definitions_from_package_module,
        multiprocess_executor,
    )

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

with loading_code(), warnings.catch_warnings():
    # Every module under defs/ is loaded and its definitions collected. Of Dagster 1.13's three ways,
    # `load_defs` is deprecated and `load_from_defs_folder` needs a pyproject.toml that an installed
    # wheel does not have; this one works installed and only warns that it is marked "preview".
    warnings.simplefilter("ignore", PreviewWarning)
    defs = Definitions.merge(
        load_definitions_from_package_module(multinational_assets.defs),
        Definitions(
            # A read started ahead for a later step only pays when the steps share a process.
            resources=configured_resources(read_ahead=executor is in_process_executor),
            executor=executor,
            # Dagster's own console logger stays; `progress` is on when a run's config names it (the demo).
            loggers={**default_loggers(), "progress": progress_logger},
        ),
    )
