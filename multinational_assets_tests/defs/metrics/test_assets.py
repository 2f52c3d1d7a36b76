"""The answers' Dagster assets: one per question, each depending on the star tables its SQL reads,
answered together or alone, with their tables and charts in the metadata."""

import base64

import dagster as dg

from multinational_assets.defs.metrics.assets import metric_answers
from multinational_assets.metrics.answers import star_tables_read
from multinational_assets.metrics.registry import METRIC_NAMES, metric
from multinational_assets_tests.metrics.test_answers import EXPECTED, markdown_cells, star  # noqa: F401 - fixture
from multinational_assets_tests.star_fixtures import StandInWarehouse, conn, database  # noqa: F401 - fixtures


def test_metric_asset_definitions():
    keys = [dg.AssetKey(["metrics", name]) for name in METRIC_NAMES]
    assert set(metric_answers.keys) == set(keys)
    for key in keys:
        assert metric_answers.group_names_by_key[key] == "metrics"
        # Each answer depends on the star tables its SQL reads, and on nothing else.
        assert set(metric_answers.asset_deps[key]) == {dg.AssetKey(["star", t]) for t in star_tables_read(key.path[-1])}
        assert metric_answers.descriptions_by_key[key] == metric(key.path[-1]).description
    assert metric_answers.can_subset  # one question can be answered alone


def test_a_subset_of_the_questions_is_answered_alone(star):
    _, database = star
    result = dg.materialize_to_memory(
        [metric_answers], resources={"warehouse": StandInWarehouse(database)}, selection=["metrics/top_localities"]
    )
    assert result.success
    assert [e.asset_key for e in result.get_asset_materialization_events()] == [dg.AssetKey(["metrics", "top_localities"])]


def test_metric_assets_return_the_answers_with_metadata(star):
    _, database = star
    result = dg.materialize_to_memory([metric_answers], resources={"warehouse": StandInWarehouse(database)})
    assert result.success
    for name, (columns, rows) in EXPECTED.items():
        key = dg.AssetKey(["metrics", name])
        output = result.asset_value(key)
        assert list(output.columns) == columns and output.values.tolist() == rows
        (event,) = [e for e in result.get_asset_materialization_events() if e.asset_key == key]
        metadata = event.materialization.metadata
        assert metadata["dagster/row_count"].value == len(rows)
        assert metadata["result"].value.startswith("| ")
        assert metadata["query"].value.startswith("```sql")
        has_chart = name in {"sales_by_month", "top_year_months", "time_between_sales"}
        assert ("chart" in metadata) == has_chart
        if has_chart:
            chart = metadata["chart"].value
            assert chart.startswith("![") and "](data:image/svg+xml;base64," in chart
            svg = base64.b64decode(chart.split("base64,", 1)[1].rstrip(")"))
            assert svg.startswith(b"<svg ") and svg.endswith(b"</svg>")
    (sales_event,) = [
        e for e in result.get_asset_materialization_events() if e.asset_key == dg.AssetKey(["metrics", "sales_by_store_type"])
    ]
    sales = sales_event.materialization.metadata["result"].value
    assert markdown_cells(sales)[2] == ["Web Portal", "1,022.50", "43.24"]
