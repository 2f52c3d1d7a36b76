"""The one Dagster `Definitions` of the project: assets, checks, resources, jobs, schedules, sensors.

Importing this module does no I/O: every resource reads its connection details from settings when a
run needs them.
"""

from multinational_assets.memory import loading_code

with loading_code():
    from dagster import Definitions, in_process_executor, multiprocess_executor

    from multinational_assets.checks import clean_checks
    from multinational_assets.clean import clean_assets
    from multinational_assets.extract import extract_card_details, extract_sources
    from multinational_assets.jobs import jobs, schedules
    from multinational_assets.metrics import metric_answers
    from multinational_assets.resources import LegacyDatabaseResource, PdfTableReader, SourceBucket, StoresApiResource
    from multinational_assets.sensors import s3_source_files
    from multinational_assets.settings import executor_setting
    from multinational_assets.star import star_schema
    from multinational_assets.warehouse import PostgresDataFrameIOManager, WarehouseResource

warehouse = WarehouseResource()

# Every resource leaves its connection details empty: they are read from settings at run time, so
# no secret is ever part of run config.
resources = {
    "io_manager": PostgresDataFrameIOManager(warehouse=warehouse),
    "warehouse": warehouse,
    "legacy_database": LegacyDatabaseResource(),
    "source_bucket": SourceBucket(),
    "stores_api": StoresApiResource(),
    "pdf_reader": PdfTableReader(),
}

# In-process is the fastest on one machine (one Python process instead of one per step, ~4 s each
# here); multiprocess runs independent steps in parallel when there are cores to spare.
EXECUTORS = {"in_process": in_process_executor, "multiprocess": multiprocess_executor}


def choose_executor(name: str):
    """The executor named by `MULTINATIONAL_EXECUTOR`, or an error that lists the known ones."""
    if name not in EXECUTORS:
        raise ValueError(f"MULTINATIONAL_EXECUTOR={name!r} is not one of: {', '.join(EXECUTORS)}")
    return EXECUTORS[name]


executor = choose_executor(executor_setting())

defs = Definitions(
    assets=[extract_sources, extract_card_details, *clean_assets, star_schema, metric_answers],
    asset_checks=clean_checks,
    resources=resources,
    jobs=jobs,
    schedules=schedules,
    sensors=[s3_source_files],
    executor=executor,
)
