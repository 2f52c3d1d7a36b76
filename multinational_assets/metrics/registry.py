"""The nine business questions, each declared once: its name (the table `metrics.<name>` and the SQL
file `sql/metrics/<name>.sql`), its title, what it tells a business user, and its chart, if a picture
says more. Everything else (the assets, the command's answers, the pipeline's summary) reads this."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from multinational_assets.metrics import charts


@dataclass(frozen=True)
class Chart:
    """How a metric's result is drawn: a title and a function from the result to SVG bytes."""

    title: str
    draw: Callable[[pd.DataFrame, str], bytes]


@dataclass(frozen=True)
class Metric:
    name: str
    title: str
    description: str
    chart: Chart | None = None


METRICS: tuple[Metric, ...] = (
    Metric("stores_per_country", "Physical stores per country",
           "How many physical shops we have in each country (the web store is not counted)."),
    Metric("top_localities", "The seven localities with the most stores",
           "The seven towns and cities with the most shops."),
    Metric("sales_by_month", "Sales per month of the year",
           "Total sales for each month of the year, added up over all years, best month first: which months "
           "sell the most.", Chart("Sales by month of the year", charts.month_bars)),
    Metric("online_vs_offline", "Online (web store) vs offline sales",
           "How much we sell through the website compared with our physical shops: number of sales and "
           "number of items."),
    Metric("sales_by_store_type", "Sales per store type, with share of all sales",
           "Total sales for each kind of shop (local, super store, mall kiosk, outlet, web), with each kind's "
           "share of all sales in percent."),
    Metric("top_year_months", "The ten year-months with the highest sales",
           "The ten calendar months (month of a given year) in which we sold the most.",
           Chart("The ten best months", charts.year_month_bars)),
    Metric("staff_by_country", "Staff headcount per country",
           "How many staff work for us in each country (the website team counts in GB)."),
    Metric("german_sales_by_store_type", "Sales per store type in Germany",
           "Total sales in Germany for each kind of shop, smallest first."),
    Metric("time_between_sales", "Average time between consecutive sales, per year",
           "For each year, how long on average passed between one sale and the next: a measure of how busy "
           "the business was.", Chart("Average time between sales, per year", charts.gap_hours_line)),
)
METRIC_NAMES = [m.name for m in METRICS]


def metric(name: str) -> Metric:
    for found in METRICS:
        if found.name == name:
            return found
    raise KeyError(f"unknown metric {name!r}; known: {', '.join(METRIC_NAMES)}")


def numbered_title(name: str) -> str:
    """`3. Sales per month of the year`: the title with the question's number."""
    return f"{METRIC_NAMES.index(name) + 1}. {metric(name).title}"
