"""Small PNG charts of the time-based metrics, embedded in markdown for the Dagster UI.

Charts are drawn with matplotlib's Agg canvas on a standalone `Figure` (never pyplot), so nothing
global changes, no display is needed, and the same data always gives the same bytes: the default
style is forced and the PNG carries no software/version text.
"""

from __future__ import annotations

import base64
import io
from typing import TYPE_CHECKING

import pandas as pd

# matplotlib is imported where a chart is drawn, not with the Definitions: every run and the UI's code
# server load them, and matplotlib took 0.5 to 0.9 s of that, ahead of the first step.
if TYPE_CHECKING:
    from matplotlib.figure import Figure

MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Small enough to sit in run metadata (a few tens of kB), big enough to read.
FIGSIZE = (6.4, 3.2)
DPI = 90
BAR_COLOUR = "#2f6f9f"

# The metrics that get a chart, and the chart's title.
CHART_TITLES = {
    "sales_by_month": "Sales by month of the year",
    "top_year_months": "The ten best months",
    "time_between_sales": "Average time between sales, per year",
}


def _money(value: float, _pos=None) -> str:
    for size, suffix in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if abs(value) >= size:
            return f"£{value / size:,.3g}{suffix}"
    return f"£{value:,.0f}"


def _png(fig: Figure) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415 - see the imports

    FigureCanvasAgg(fig)
    fig.tight_layout()
    buffer = io.BytesIO()
    # No "Software" text chunk: the bytes then depend on the data only (and matplotlib's drawing).
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _figure() -> tuple[Figure, object]:
    from matplotlib.figure import Figure  # noqa: PLC0415

    fig = Figure(figsize=FIGSIZE, dpi=DPI)
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def bar_chart_png(
    labels: list[str], values: list[float], title: str, ylabel: str, money: bool = True
) -> bytes:
    """A vertical bar chart as PNG bytes; bars in the order given."""
    import matplotlib.style  # noqa: PLC0415
    from matplotlib.ticker import FuncFormatter  # noqa: PLC0415

    with matplotlib.style.context("default"):
        fig, ax = _figure()
        ax.bar(range(len(values)), values, color=BAR_COLOUR)
        slanted = len(labels) > 8  # long label rows would overlap
        ax.set_xticks(
            range(len(labels)),
            labels,
            rotation=45 if slanted else 0,
            ha="right" if slanted else "center",
            rotation_mode="anchor",
            fontsize=8,
        )
        ax.set_title(title, fontsize=10)
        ax.set_ylabel(ylabel, fontsize=8)
        ax.tick_params(axis="y", labelsize=8)
        if money:
            ax.yaxis.set_major_formatter(FuncFormatter(_money))
        return _png(fig)


def line_chart_png(x: list[float], y: list[float], title: str, ylabel: str) -> bytes:
    """A line chart with markers as PNG bytes; points joined in the order given."""
    import matplotlib.style  # noqa: PLC0415
    from matplotlib.ticker import MaxNLocator  # noqa: PLC0415

    with matplotlib.style.context("default"):
        fig, ax = _figure()
        ax.plot(x, y, marker="o", markersize=3, color=BAR_COLOUR)
        ax.set_title(title, fontsize=10)
        ax.set_ylabel(ylabel, fontsize=8)
        ax.tick_params(labelsize=8)
        ax.grid(axis="y", alpha=0.3)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # years, not 1999.5
        return _png(fig)


def markdown_image(png: bytes, title: str) -> str:
    """The PNG inlined as a markdown image (a data URI), which the Dagster UI renders."""
    return f"![{title}](data:image/png;base64,{base64.b64encode(png).decode('ascii')})"


def metric_chart_png(name: str, result: pd.DataFrame) -> bytes | None:
    """The chart for one metric's result, or None if the metric has no chart."""
    title = CHART_TITLES.get(name)
    if title is None:
        return None
    if name == "sales_by_month":
        # The table ranks months by sales; the chart shows them in calendar order, which is what
        # the eye expects of a seasonal pattern.
        by_month = result.sort_values("month")
        labels = [MONTH_NAMES[int(m) - 1] for m in by_month["month"]]
        return bar_chart_png(labels, by_month["total_sales"].tolist(), title, "sales")
    if name == "top_year_months":
        labels = [f"{int(y)}-{int(m):02d}" for y, m in zip(result["year"], result["month"])]
        return bar_chart_png(labels, result["total_sales"].tolist(), title, "sales")
    by_year = result.sort_values("year")
    hours = (by_year["average_seconds"] / 3600).tolist()
    return line_chart_png(by_year["year"].astype(int).tolist(), hours, title, "hours between sales")


def metric_chart_markdown(name: str, result: pd.DataFrame) -> str | None:
    """The metric's chart as markdown (for `MetadataValue.md`), or None if it has no chart."""
    png = metric_chart_png(name, result)
    return None if png is None else markdown_image(png, CHART_TITLES[name])
