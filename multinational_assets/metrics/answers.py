"""Answering the business questions: each one SQL file in `sql/metrics/`, run against the star."""

from __future__ import annotations

import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed

import pandas as pd
import psycopg

from multinational_assets.metrics.charts import markdown_image
from multinational_assets.metrics.registry import metric
from multinational_assets.sql_files import sql_text

# Columns rounded to 3 decimals by contract; every other decimal column is money or a percentage (2).
THREE_DECIMALS = {"average_seconds"}
# The questions are answered on this many connections at once: Postgres runs the queries on both
# cores (scale 1: 0.3 s for all nine).
QUERY_CONNECTIONS = 2


def metric_sql(name: str) -> str:
    """The SQL text of one metric (a single SELECT against schema `star`)."""
    return sql_text("metrics", metric(name).name)


def star_tables_read(name: str) -> list[str]:
    """The star tables the metric's SQL reads (`star.<table>`), in the order it names them."""
    return list(dict.fromkeys(re.findall(r"\bstar\.([a-z_]+)", metric_sql(name))))


def run_metric(conn: psycopg.Connection, name: str) -> pd.DataFrame:
    """Answer one business question: run `sql/metrics/<name>.sql` and return its rows, in order."""
    cursor = conn.execute(metric_sql(name))
    columns = [d.name for d in cursor.description]
    return pd.DataFrame(cursor.fetchall(), columns=columns)


def result_markdown(result: pd.DataFrame) -> str:
    """The result as a markdown table: numbers right-aligned, money with thousands separators."""
    shown = result.copy()
    for column in shown.columns:
        if pd.api.types.is_float_dtype(shown[column]):
            decimals = 3 if column in THREE_DECIMALS else 2
            shown[column] = shown[column].map(lambda v, d=decimals: "" if pd.isna(v) else f"{v:,.{d}f}")
    align = ["right" if pd.api.types.is_numeric_dtype(result[c]) else "left" for c in result.columns]
    # disable_numparse: keep the formatted strings as they are (tabulate would re-format them).
    return shown.to_markdown(index=False, colalign=align, disable_numparse=True)


def chart_markdown(name: str, result: pd.DataFrame) -> str | None:
    """The metric's chart as markdown (an inlined SVG the UI renders), or None if it has none."""
    chart = metric(name).chart
    return None if chart is None else markdown_image(chart.draw(result, chart.title), chart.title)


def answer_questions(warehouse, names: list[str]) -> Iterator[tuple[str, pd.DataFrame | Exception]]:
    """Each named question's answer (or the error that stopped it), as the answers arrive; the
    queries run concurrently, each on its own connection from `warehouse.connect()`."""

    def answer(name: str) -> pd.DataFrame:
        with warehouse.connect() as conn:
            return run_metric(conn, name)

    with ThreadPoolExecutor(max_workers=QUERY_CONNECTIONS, thread_name_prefix="metric") as pool:
        futures = {pool.submit(answer, name): name for name in names}
        for future in as_completed(futures):
            error = future.exception()
            yield futures[future], (future.result() if error is None else error)
