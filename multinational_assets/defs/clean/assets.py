"""The clean layer: one step per table that reads every raw row it can and sets aside what cannot be a
row.

Each step is a thin Dagster multi-asset around `clean_table` with the table's contract
(`multinational_assets.sources`). It writes three things: `clean.<table>`, `quarantine.<table>` (the
raw rows that cannot be a row, with why and the run id) and its slice of
`quarantine.rejected_values` (values set to null in kept rows, with why). Its non-blocking checks
report the table's doubts: plausibility rules and unknown vocabulary, counted with examples.
"""


import pandas as pd
from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetIn,
    AssetKey,
    AssetOut,
    MetadataValue,
    Output,
    TableColumn,
    TableColumnConstraints,
    TableSchema,
    multi_asset,
)

from multinational_assets.cleaning import REASON_SEPARATOR, CleanResult, TableContract, clean_table
from multinational_assets.defs.io_manager import STATISTICS_COLUMNS, stored_as_slice
from multinational_assets.sources import CLEAN_TABLES
from multinational_assets.warehouse.tables import markdown_preview

REJECTED_VALUES = "rejected_values"


def clean_key(contract: TableContract) -> AssetKey:
    return AssetKey(["clean", contract.table])


def quarantine_key(contract: TableContract) -> AssetKey:
    return AssetKey(["quarantine", contract.table])


def rejected_values_key(contract: TableContract) -> AssetKey:
    """The table's slice of `quarantine.rejected_values` (rows whose `table_name` is the table), named
    so that the lineage view tells it from the table's quarantine."""
    return AssetKey(["quarantine", f"{contract.table}_{REJECTED_VALUES}"])


def raw_key(contract: TableContract) -> AssetKey:
    return AssetKey(["raw", contract.raw_table])


def column_schema(contract: TableContract) -> TableSchema:
    """The clean table's columns as the UI shows them: kind and description, from the contract."""
    return TableSchema(
        columns=[
            TableColumn(
                name=c.name,
                type=c.kind.describe(),
                description=c.description,
                constraints=TableColumnConstraints(nullable=c.name != contract.key, unique=c.name == contract.key),
            )
            for c in contract.columns
        ]
    )


def reason_counts(quarantine: pd.DataFrame) -> pd.DataFrame:
    """How many quarantined rows each reason applies to (a row can have several)."""
    if quarantine.empty:
        return pd.DataFrame({"reason": [], "rows": []})
    reasons = quarantine["reasons"].str.split(REASON_SEPARATOR).explode()
    # One line per kind of reason (what comes before the colon), without the values it quotes.
    kinds = reasons.str.split(":").str[0].str.replace(r"'[^']*'", "…", regex=True)
    counts = kinds.value_counts()
    return pd.DataFrame({"reason": counts.index, "rows": counts.to_numpy()})


def rejected_value_counts(rejected: pd.DataFrame) -> pd.DataFrame:
    if rejected.empty:
        return pd.DataFrame({"column": [], "reason": [], "values": []})
    counts = rejected.groupby(["column_name", "reason"], sort=True).size().sort_values(ascending=False)
    return pd.DataFrame({
        "column": counts.index.get_level_values(0), "reason": counts.index.get_level_values(1), "values": counts.to_numpy(),
    })


def _md(df: pd.DataFrame | None) -> MetadataValue:
    return MetadataValue.md(markdown_preview(df, rows=len(df)) if df is not None and not df.empty else "_none_")


def doubt_results(contract: TableContract, result: CleanResult):
    """One non-blocking check result per doubt of the table: passed when no row is flagged."""
    for doubt in result.doubts:
        yield AssetCheckResult(
            asset_key=clean_key(contract),
            check_name=doubt.name,
            passed=doubt.rows == 0,
            severity=AssetCheckSeverity.WARN,
            metadata={"flagged_rows": MetadataValue.int(doubt.rows), "examples": _md(doubt.examples)},
        )


def build_clean_asset(contract: TableContract):
    @multi_asset(
        name=f"clean_{contract.table}",
        ins={"raw": AssetIn(key=raw_key(contract))},
        outs={
            "clean": AssetOut(
                key=clean_key(contract), group_name="clean", description=contract.description,
                metadata={STATISTICS_COLUMNS: contract.joined_on, "dagster/column_schema": column_schema(contract)},
            ),
            "quarantine": AssetOut(
                key=quarantine_key(contract), group_name="quarantine", description=contract.quarantine_description,
            ),
            REJECTED_VALUES: AssetOut(
                key=rejected_values_key(contract), group_name="quarantine",
                description=f"Values of {contract.table} that could not be read: set to null in their row, "
                "listed here with the row's key, the raw value and why.",
                metadata=stored_as_slice("quarantine", REJECTED_VALUES, "table_name", contract.table),
            ),
        },
        check_specs=[
            AssetCheckSpec(d.name, asset=clean_key(contract), description=d.description) for d in contract.doubts
        ],
        compute_kind="pandas",
    )
    def _clean(context: AssetExecutionContext, raw: pd.DataFrame):
        """Read every value that can be read, null the rest, and set aside rows that cannot be rows."""
        result = clean_table(raw, contract)
        run_id = context.run.run_id
        quarantine = result.quarantine.assign(run_id=run_id)
        rejected = result.rejected_values.assign(run_id=run_id)
        repairs = pd.DataFrame({"rule": list(result.repairs), "values": list(result.repairs.values())})
        context.log.info(
            f"{contract.table}: {len(raw):,} raw rows -> {len(result.clean):,} kept + {len(quarantine):,} "
            f"quarantined; {len(rejected):,} values rejected; {result.warnings:,} warnings"
        )
        yield Output(
            result.clean,
            "clean",
            metadata={
                "rows_in": MetadataValue.int(len(raw)),
                "rows_kept": MetadataValue.int(len(result.clean)),
                "rows_quarantined": MetadataValue.int(len(quarantine)),
                "values_rejected": MetadataValue.int(len(rejected)),
                "warnings": MetadataValue.int(result.warnings),
                "repairs": _md(repairs),
            },
        )
        yield Output(
            quarantine, "quarantine",
            metadata={"rows_quarantined": MetadataValue.int(len(quarantine)), "reasons": _md(reason_counts(quarantine))},
        )
        yield Output(
            rejected, REJECTED_VALUES,
            metadata={"values_rejected": MetadataValue.int(len(rejected)), "by_reason": _md(rejected_value_counts(rejected))},
        )
        yield from doubt_results(contract, result)

    return _clean


clean_assets = [build_clean_asset(contract) for contract in CLEAN_TABLES]
