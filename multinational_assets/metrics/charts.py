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


def month_bars(result: pd.DataFrame, title: str) -> bytes:
    """Sales per month of the year as bars, in calendar order (the table ranks months by sales; the
    chart shows the seasonal pattern the eye expects)."""
    by_month = result.sort_values("month")
    labels = [MONTH_NAMES[int(m) - 1] for m in by_month["month"]]
    return bar_chart_png(labels, by_month["total_sales"].tolist(), title, "sales")


def year_month_bars(result: pd.DataFrame, title: str) -> bytes:
    """Sales of the best year-months as bars, best first."""
    labels = [f"{int(y)}-{int(m):02d}" for y, m in zip(result["year"], result["month"])]
    return bar_chart_png(labels, result["total_sales"].tolist(), title, "sales")


def gap_hours_line(result: pd.DataFrame, title: str) -> bytes:
    """The average time between sales, in hours, per year, as a line."""
    by_year = result.sort_values("year")
    hours = (by_year["average_seconds"] / 3600).tolist()
    return line_chart_png(by_year["year"].astype(int).tolist(), hours, title, "hours between sales")
