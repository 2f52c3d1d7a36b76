"""Charts for the time-based metrics: well-formed SVG whose bars and points follow the data, small,
byte-for-byte reproducible, inlined as markdown."""

import base64
import math
import subprocess
import sys
import xml.etree.ElementTree as ET

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from multinational_assets.metrics.answers import chart_markdown as metric_chart_markdown
from multinational_assets.metrics.charts import BAR_COLOUR, HEIGHT, WIDTH, bar_chart_svg, markdown_image, nice_ticks
from multinational_assets.metrics.registry import METRICS, metric

SVG = "{http://www.w3.org/2000/svg}"


def metric_chart_svg(name: str, result: pd.DataFrame) -> bytes | None:
    """The chart the registry declares for the metric, drawn, or None."""
    chart = metric(name).chart
    return None if chart is None else chart.draw(result, chart.title)


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


def bars(svg: bytes) -> list[ET.Element]:
    return [e for e in ET.fromstring(svg).iter(f"{SVG}rect") if e.get("fill") == BAR_COLOUR]


def texts(svg: bytes) -> list[str]:
    return [e.text for e in ET.fromstring(svg).iter(f"{SVG}text")]


def test_the_metrics_with_a_chart_are_the_ones_declared_with_one():
    assert {m.name for m in METRICS if m.chart is not None} == set(RESULTS)


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_time_metrics_get_a_small_reproducible_svg(name):
    svg = metric_chart_svg(name, RESULTS[name])
    root = ET.fromstring(svg)  # well-formed XML
    assert root.tag == f"{SVG}svg"
    assert (int(root.get("width")), int(root.get("height"))) == (WIDTH, HEIGHT)
    assert metric(name).chart.title in texts(svg)
    assert len(svg) < 60_000  # it travels inside run metadata
    assert metric_chart_svg(name, RESULTS[name]) == svg  # same data, same bytes


def test_month_bars_are_in_calendar_order_and_as_tall_as_their_sales():
    svg = metric_chart_svg("sales_by_month", RESULTS["sales_by_month"])
    labels = [t for t in texts(svg) if t in {"Jan", "Mar", "Jun", "Dec"}]
    assert labels == ["Jan", "Mar", "Jun", "Dec"]
    heights = [float(b.get("height")) for b in bars(svg)]
    sales = [714.98, 1024.97, 550.0, 37.5]  # Jan, Mar, Jun, Dec
    assert len(heights) == 4
    ratios = [h / s for h, s in zip(heights, sales)]
    assert max(ratios) - min(ratios) < 0.01 * max(ratios)  # height proportional to sales (axis from zero)


def test_money_axis_is_labelled_in_pounds():
    svg = metric_chart_svg("top_year_months", RESULTS["top_year_months"])
    assert any(t.startswith("£") and t.endswith("m") for t in texts(svg))  # £1m at the top


def test_line_chart_has_a_point_per_year_in_year_order():
    svg = metric_chart_svg("time_between_sales", RESULTS["time_between_sales"])
    root = ET.fromstring(svg)
    points = [(float(c.get("cx")), float(c.get("cy"))) for c in root.iter(f"{SVG}circle")]
    assert len(points) == 3
    assert [x for x, _ in points] == sorted(x for x, _ in points)  # 2020, 2021, 2022 left to right
    hours = [10125599.667 / 3600, 1480050.25 / 3600, 6812775.0 / 3600]
    assert sorted(range(3), key=lambda i: points[i][1]) == sorted(range(3), key=lambda i: -hours[i])  # higher is up
    assert {"2020", "2021", "2022"} <= set(texts(svg))


def test_chart_depends_on_the_data():
    other = RESULTS["sales_by_month"].assign(total_sales=[1.0, 2.0, 3.0, 4.0])
    assert metric_chart_svg("sales_by_month", other) != metric_chart_svg("sales_by_month", RESULTS["sales_by_month"])


def test_labels_are_escaped():
    svg = bar_chart_svg(["<b>&</b>"], [1.0], "a < b & c", "sales")
    assert "<b>&</b>" in texts(svg) and "a < b & c" in texts(svg)  # parsed back as text, not markup


def test_other_metrics_have_no_chart():
    frame = pd.DataFrame({"country_code": ["GB"], "total_no_stores": [265]})
    assert metric_chart_svg("stores_per_country", frame) is None
    assert metric_chart_markdown("stores_per_country", frame) is None


def test_markdown_embeds_the_svg_as_a_data_uri():
    text = metric_chart_markdown("time_between_sales", RESULTS["time_between_sales"])
    title = metric("time_between_sales").chart.title
    prefix = f"![{title}](data:image/svg+xml;base64,"
    assert text.startswith(prefix) and text.endswith(")")
    svg = base64.b64decode(text[len(prefix) : -1], validate=True)
    assert svg == metric_chart_svg("time_between_sales", RESULTS["time_between_sales"])
    assert markdown_image(b"abc", "t") == "![t](data:image/svg+xml;base64,YWJj)"


def test_bar_chart_handles_many_negative_and_no_bars():
    labels = [f"{2000 + n}-01" for n in range(12)]
    assert len(bars(bar_chart_svg(labels, list(range(12)), "many", "sales"))) == 12
    negative = bar_chart_svg(["a", "b"], [-5.0, 10.0], "refunds", "sales")
    assert all(float(b.get("height")) > 0 for b in bars(negative))
    assert bars(bar_chart_svg([], [], "none", "sales")) == []


@given(
    st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False),
    st.one_of(st.just(0.0), st.floats(1e-3, 1e12, allow_nan=False, allow_infinity=False)),
)
def test_ticks_cover_the_range_in_a_few_round_steps(low, width):
    high = low + width
    ticks = nice_ticks(low, high)
    assert ticks[0] <= low and ticks[-1] >= high
    assert 2 <= len(ticks) <= 12
    step = (ticks[-1] - ticks[0]) / (len(ticks) - 1)
    mantissa = step / 10 ** math.floor(math.log10(step) + 1e-9)
    assert any(math.isclose(mantissa, m, rel_tol=1e-3) for m in (1, 2, 2.5, 5, 10))


def test_year_ticks_are_whole_numbers():
    assert nice_ticks(2020, 2022, integer=True) == [2020, 2021, 2022]
    assert all(float(t).is_integer() for t in nice_ticks(1993, 2022, integer=True))


def test_loading_the_definitions_imports_no_plotting_library():
    probe = "import sys, multinational_assets.definitions; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
