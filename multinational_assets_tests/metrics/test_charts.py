"""Charts for the time-based metrics: real PNGs, small, byte-for-byte reproducible, inlined as markdown."""

import base64
import struct

import matplotlib
import pandas as pd
import pytest

from multinational_assets.metrics.answers import chart_markdown as metric_chart_markdown
from multinational_assets.metrics.charts import bar_chart_png, markdown_image
from multinational_assets.metrics.registry import METRICS, metric


def metric_chart_png(name: str, result: pd.DataFrame) -> bytes | None:
    """The chart the registry declares for the metric, drawn, or None."""
    chart = metric(name).chart
    return None if chart is None else chart.draw(result, chart.title)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

RESULTS = {
    "sales_by_month": pd.DataFrame({"month": [3, 1, 12, 6], "total_sales": [1024.97, 714.98, 37.5, 550.0]}),
    "top_year_months": pd.DataFrame(
        {"year": [2021, 2021, 2022], "month": [3, 1, 6], "total_sales": [1_010_000.0, 699.98, 550.0]}
    ),
    "time_between_sales": pd.DataFrame(
        {
            "year": [2020, 2022, 2021],
            "average_seconds": [10125599.667, 6812775.0, 1480050.25],
            "actual_time_taken": ["hours: 2812, …", "hours: 1892, …", "hours: 411, …"],
        }
    ),
}


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk."""
    return struct.unpack(">II", png[16:24])


def test_the_metrics_with_a_chart_are_the_ones_declared_with_one():
    assert {m.name for m in METRICS if m.chart is not None} == set(RESULTS)


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_time_metrics_get_a_small_reproducible_png(name):
    png = metric_chart_png(name, RESULTS[name])
    assert png.startswith(PNG_SIGNATURE)
    assert len(png) < 60_000  # it travels inside run metadata
    width, height = png_size(png)
    assert 300 <= width <= 800 and 150 <= height <= 400
    assert metric_chart_png(name, RESULTS[name]) == png  # same data, same bytes
    assert b"Software" not in png  # no matplotlib version text to vary between machines


def test_chart_depends_on_the_data():
    other = RESULTS["sales_by_month"].assign(total_sales=[1.0, 2.0, 3.0, 4.0])
    assert metric_chart_png("sales_by_month", other) != metric_chart_png("sales_by_month", RESULTS["sales_by_month"])


def test_other_metrics_have_no_chart():
    frame = pd.DataFrame({"country_code": ["GB"], "total_no_stores": [265]})
    assert metric_chart_png("stores_per_country", frame) is None
    assert metric_chart_markdown("stores_per_country", frame) is None


def test_markdown_embeds_the_png_as_a_data_uri():
    text = metric_chart_markdown("time_between_sales", RESULTS["time_between_sales"])
    title = metric("time_between_sales").chart.title
    prefix = f"![{title}](data:image/png;base64,"
    assert text.startswith(prefix) and text.endswith(")")
    png = base64.b64decode(text[len(prefix) : -1], validate=True)
    assert png == metric_chart_png("time_between_sales", RESULTS["time_between_sales"])
    assert markdown_image(b"abc", "t") == "![t](data:image/png;base64,YWJj)"


def test_charts_leave_matplotlib_settings_alone():
    before = dict(matplotlib.rcParams)
    with matplotlib.rc_context({"lines.linewidth": 9, "axes.facecolor": "red"}):
        styled = metric_chart_png("time_between_sales", RESULTS["time_between_sales"])
    assert styled == metric_chart_png("time_between_sales", RESULTS["time_between_sales"])  # default style forced
    assert dict(matplotlib.rcParams) == before


def test_bar_chart_handles_many_and_no_bars():
    labels = [f"{2000 + n}-01" for n in range(12)]
    assert bar_chart_png(labels, list(range(12)), "many", "sales").startswith(PNG_SIGNATURE)
    assert bar_chart_png([], [], "none", "sales").startswith(PNG_SIGNATURE)


def test_loading_the_definitions_does_not_import_matplotlib():
    import subprocess
    import sys

    probe = "import sys, multinational_assets.definitions; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"  # it is imported when the first chart is drawn
