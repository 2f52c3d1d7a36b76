"""The nine answers as Dagster sees them: one asset per question (`metrics/<name>`, stored as table
`metrics.<name>`), each depending on the star tables its SQL reads, all answered by one step that runs
the queries two at a time while it draws the charts. A run can ask for some of them."""

import pandas as pd
from dagster import AssetExecutionContext, AssetKey, AssetOut, Failure, MetadataValue, Output, multi_asset

from multinational_assets.defs.star.assets import star_key
from multinational_assets.metrics.answers import (
    answer_questions,
    chart_markdown,
    metric_sql,
    result_markdown,
    star_tables_read,
)
from multinational_assets.metrics.registry import METRICS


def metric_key(name: str) -> AssetKey:
    return AssetKey(["metrics", name])


def metric_metadata(name: str, result: pd.DataFrame) -> dict[str, MetadataValue]:
    """What the Dagster UI shows for one answer: the table, its size, its SQL and maybe a chart."""
    metadata: dict[str, MetadataValue] = {
        "result": MetadataValue.md(result_markdown(result)),
        "dagster/row_count": MetadataValue.int(len(result)),
        "query": MetadataValue.md(f"```sql\n{metric_sql(name).strip()}\n```"),
    }
    chart = chart_markdown(name, result)
    if chart is not None:
        metadata["chart"] = MetadataValue.md(chart)
    return metadata


@multi_asset(
    name="answer_business_questions",
    outs={
        m.name: AssetOut(
            key=metric_key(m.name), description=m.description, group_name="metrics", kinds={"postgres", "sql"},
            is_required=False,  # a run can ask for some of the questions
        )
        for m in METRICS
    },
    # Each answer depends on the star tables its SQL reads.
    deps=sorted({star_key(table) for m in METRICS for table in star_tables_read(m.name)}, key=str),
    internal_asset_deps={m.name: {star_key(table) for table in star_tables_read(m.name)} for m in METRICS},
    can_subset=True,
    required_resource_keys={"warehouse"},
)
def metric_answers(context: AssetExecutionContext):
    """Answer the business questions from the star schema, each stored as table `metrics.<name>`."""
    selected = [m.name for m in METRICS if metric_key(m.name) in context.selected_asset_keys]
    failed = {}
    for name, answer in answer_questions(context.resources.warehouse, selected):
        if isinstance(answer, Exception):
            failed[name] = answer
            continue
        yield Output(answer, output_name=name, metadata=metric_metadata(name, answer))
    if failed:
        # The other answers are stored; the failed ones keep their last good table.
        raise Failure(
            description="Some business questions could not be answered:\n"
            + "\n".join(f"metrics/{name}: {type(error).__name__}: {error}" for name, error in failed.items()),
        )
