"""Jobs (one per layer and one for everything) and the daily refresh schedule."""


from dagster import AssetSelection, DefaultScheduleStatus, ScheduleDefinition, define_asset_job

everything = AssetSelection.all()
raw_layer = AssetSelection.groups("raw")
clean_layer = AssetSelection.groups("clean", "quarantine")
star_layer = AssetSelection.groups("star")
metrics_layer = AssetSelection.groups("metrics")

refresh_everything = define_asset_job(
    "refresh_everything", selection=everything, description="Read every source again and rebuild every table."
)
# Not "extract_sources": that is the name of the raw layer's multi-asset (its op), and a job may not
# share a name with an op of the same repository.
copy_sources = define_asset_job(
    "copy_sources", selection=raw_layer, description="Copy every source, as it is, into the raw layer."
)
clean_tables = define_asset_job(
    "clean_tables", selection=clean_layer, description="Clean the raw tables and quarantine what cannot be repaired."
)
build_star = define_asset_job(
    "build_star", selection=star_layer, description="Rebuild the star schema from the clean tables."
)
answer_questions = define_asset_job(
    "answer_questions", selection=metrics_layer, description="Answer the business questions from the star schema."
)

daily_refresh = ScheduleDefinition(
    name="daily_refresh",
    job=refresh_everything,
    cron_schedule="0 5 * * *",
    execution_timezone="Europe/London",
    default_status=DefaultScheduleStatus.STOPPED,
    description="Every morning at 05:00 London time, refresh every table from the sources.",
)

jobs = [refresh_everything, copy_sources, clean_tables, build_star, answer_questions]
schedules = [daily_refresh]
