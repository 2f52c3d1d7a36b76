"""The nine business questions, each answered by one SQL file in `sql/metrics/` run against the star.

`run_metric` is plain Python over a psycopg connection; `metric_answers` is one Dagster step that
answers the selected questions concurrently, one asset per question (key `["metrics", name]`) whose
output the warehouse IO manager stores as table `metrics.<name>`, and whose metadata shows the answer
as a table (and, for the questions about time, a chart).
"""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed

import dagster as dg
import pandas as pd
import psycopg
from dagster import AssetExecutionContext

from multinational_assets.charts import metric_chart_markdown
from multinational_assets.sql_files import sql_text
from multinational_assets.star import STAR_ASSET_KEY


# Each question, in the order the business asked them, with the description a business user sees.
METRICS: dict[str, str] = {
    "stores_per_country": "How many physical shops we have in each country (the web store is not "
    "counted).",
    "top_localities": "The seven towns and cities with the most shops.",
    "sales_by_month": "Total sales for each month of the year, added up over all years, best month "
    "first: which months sell the most.",
    "online_vs_offline": "How much we sell through the website compared with our physical shops: "
    "number of sales and number of items.",
    "sales_by_store_type": "Total sales for each kind of shop (local, super store, mall kiosk, outlet, "
    "web), with each kind's share of all sales in percent.",
    "top_year_months": "The ten calendar months (month of a given year) in which we sold the most.",
    "staff_by_country": "How many staff work for us in each country (the website team counts in GB).",
    "german_sales_by_store_type": "Total sales in Germany for each kind of shop, smallest first.",
    "time_between_sales": "For each year, how long on average passed between one sale and the next: "
    "a measure of how busy the business was.",
}

# Columns rounded to 3 decimals by contract; every other decimal column is money or a percentage (2).
THREE_DECIMALS = {"average_seconds"}


def metric_sql(name: str) -> str:
    """The SQL text of one metric (a single SELECT against schema `star`)."""
    if name not in METRICS:
        raise KeyError(f"unknown metric {name!r}; known: {', '.join(METRICS)}")
    return sql_text("metrics", name)


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


def metric_metadata(name: str, result: pd.DataFrame) -> dict[str, dg.MetadataValue]:
    """What the Dagster UI shows for one answer: the table, its size, its SQL and maybe a chart."""
    metadata: dict[str, dg.MetadataValue] = {
        "result": dg.MetadataValue.md(result_markdown(result)),
        "dagster/row_count": dg.MetadataValue.int(len(result)),
        "query": dg.MetadataValue.md(f"```sql\n{metric_sql(name).strip()}\n```"),
    }
    chart = metric_chart_markdown(name, result)
    if chart is not None:
        metadata["chart"] = dg.MetadataValue.md(chart)
    return metadata


# The questions are answered on this many connections at once: Postgres runs the queries on both
# cores while this process draws the charts (scale 1: 1.0 s for all nine instead of 1.5 s one by one).
QUERY_CONNECTIONS = 2


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


@dg.multi_asset(
    name="answer_business_questions",
    outs={
        name: dg.AssetOut(
            key=["metrics", name], group_name="metrics", description=description, kinds={"postgres", "sql"},
            is_required=False,  # a run can ask for some of the questions
        )
        for name, description in METRICS.items()
    },
    deps=[STAR_ASSET_KEY],
    can_subset=True,
    required_resource_keys={"warehouse"},
)
def metric_answers(context: AssetExecutionContext):
    """Answer the business questions from the star schema, each stored as table `metrics.<name>`."""
    selected = [name for name in METRICS if dg.AssetKey(["metrics", name]) in context.selected_asset_keys]
    failed = {}
    for name, answer in answer_questions(context.resources.warehouse, selected):
        if isinstance(answer, Exception):
            failed[name] = answer
            continue
        yield dg.Output(answer, output_name=name, metadata=metric_metadata(name, answer))
    if failed:
        # The other answers are stored; the failed ones keep their last good table.
        raise dg.Failure(
            description="Some business questions could not be answered:\n"
            + "\n".join(f"metrics/{name}: {type(error).__name__}: {error}" for name, error in failed.items()),
        )
