"""The definitions load as the webserver and daemon load them (every job, schedule and sensor
resolved), and the daily schedule is what the README says."""

from __future__ import annotations

from dagster import Definitions

from multinational_assets.definitions import defs


def test_the_definitions_load_like_the_code_server_loads_them():
    # Resolves every job against the asset graph: a job named like an op, or a selection that names
    # no asset, fails here rather than in `dagster dev`.
    Definitions.validate_loadable(defs)
    repository = defs.get_repository_def()
    names = {job.name for job in repository.get_all_jobs()}
    assert {"refresh_everything", "copy_sources", "clean_tables", "build_star", "answer_questions"} <= names


def test_each_layer_job_selects_its_layer():
    graph = defs.resolve_asset_graph()
    groups = {
        "copy_sources": {"raw"}, "clean_tables": {"clean", "quarantine"}, "build_star": {"star"},
        "answer_questions": {"metrics"},
    }
    for job_name, expected in groups.items():
        job = defs.resolve_job_def(job_name)
        keys = job.asset_layer.selected_asset_keys
        assert keys and {graph.get(k).group_name for k in keys} == expected, job_name
    assert defs.resolve_job_def("refresh_everything").asset_layer.selected_asset_keys == set(graph.materializable_asset_keys)


def test_the_daily_schedule_refreshes_everything_at_five_london_time():
    schedule = defs.get_schedule_def("daily_refresh")
    assert schedule.cron_schedule == "0 5 * * *"
    assert schedule.execution_timezone == "Europe/London"
    assert schedule.job_name == "refresh_everything"
