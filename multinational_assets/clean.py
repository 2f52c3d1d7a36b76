"""The clean layer: one step per table that repairs the raw rows it can and quarantines the rest.

Each step is a thin Dagster multi-asset around a plain cleaning function from
`multinational_assets.sources.<source>.clean`; it writes two tables: `clean.<table>` and
`quarantine.<table>` (the rejected raw rows with every reason and the run id).
"""


from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd
from dagster import AssetExecutionContext, AssetIn, AssetKey, AssetOut, MetadataValue, Output, multi_asset

from multinational_assets.memory import release_after_step
from multinational_assets.sources.card_details.clean import clean_card_details
from multinational_assets.sources.date_times.clean import clean_date_times
from multinational_assets.sources.orders.clean import clean_orders
from multinational_assets.sources.products.clean import clean_products
from multinational_assets.sources.store_details.clean import clean_store_details
from multinational_assets.sources.users.clean import clean_users
from multinational_assets.warehouse import STATISTICS_COLUMNS


# orders_table column → the dimension whose key it references (same column name there).
ORDER_REFERENCES = {
    "user_uuid": "dim_users",
    "card_number": "dim_card_details",
    "store_code": "dim_store_details",
    "product_code": "dim_products",
    "date_uuid": "dim_date_times",
}


@dataclass(frozen=True)
class CleanTable:
    """One clean table: where its raw rows come from, how they are cleaned, its key, and the keys of
    other tables it references (column → dimension)."""

    table: str
    raw_asset: str
    clean: Callable
    key: str
    description: str
    quarantine_description: str
    references: Mapping[str, str] = field(default_factory=dict)

    @property
    def joined_on(self) -> list[str]:
        """The columns the checks join and group on: the key, and the references."""
        return list(dict.fromkeys([self.key, *self.references]))


CLEAN_TABLES = [
    CleanTable(
        "dim_users", "legacy_users", clean_users, "user_uuid",
        "One row per customer, with dates, emails and country codes repaired.",
        "Customer records that could not be repaired, with the reasons they were set aside.",
    ),
    CleanTable(
        "dim_card_details", "card_details", clean_card_details, "card_number",
        "One row per payment card, with card numbers and payment dates repaired.",
        "Card rows from the PDF that could not be repaired, with the reasons they were set aside.",
    ),
    CleanTable(
        "dim_store_details", "store_details", clean_store_details, "store_code",
        "One row per store (including the web store), with locations, staff numbers and continents repaired.",
        "Store records that could not be repaired, with the reasons they were set aside.",
    ),
    CleanTable(
        "dim_products", "products", clean_products, "product_code",
        "One row per product, with prices in pounds, weights in kilograms and availability as yes/no.",
        "Product rows that could not be repaired, with the reasons they were set aside.",
    ),
    CleanTable(
        "dim_date_times", "date_details", clean_date_times, "date_uuid",
        "The date and time of every sale, one row per sale.",
        "Date rows that could not be repaired, with the reasons they were set aside.",
    ),
    CleanTable(
        "orders_table", "orders_table", clean_orders, "date_uuid",
        "Every sale: who bought which product, with which card, in which store, and how many.",
        "Order rows that could not be repaired, with the reasons they were set aside.",
        references=ORDER_REFERENCES,
    ),
]


def reason_counts(quarantine: pd.DataFrame) -> pd.DataFrame:
    """How many quarantined rows each reason applies to (a row can have several)."""
    if quarantine.empty:
        return pd.DataFrame({"reason": [], "rows": []})
    reasons = quarantine["reasons"].str.split("; ").explode()
    counts = reasons.value_counts()
    return pd.DataFrame({"reason": counts.index, "rows": counts.to_numpy()})


def _md(df: pd.DataFrame) -> MetadataValue:
    return MetadataValue.md(df.to_markdown(index=False) if not df.empty else "_none_")


def build_clean_asset(spec: CleanTable):
    @multi_asset(
        name=f"clean_{spec.table}",
        ins={"raw": AssetIn(key=AssetKey(["raw", spec.raw_asset]))},
        outs={
            "clean": AssetOut(
                key=AssetKey(["clean", spec.table]), group_name="clean", description=spec.description,
                metadata={STATISTICS_COLUMNS: spec.joined_on},
            ),
            "quarantine": AssetOut(
                key=AssetKey(["quarantine", spec.table]), group_name="quarantine",
                description=spec.quarantine_description,
            ),
        },
        compute_kind="pandas",
    )
    def _clean(context: AssetExecutionContext, raw: pd.DataFrame):
        """Repair what can be repaired and set the rest aside in quarantine with its reasons."""
        result = spec.clean(raw)
        quarantine = result.quarantine.assign(run_id=context.run.run_id)
        repairs = pd.DataFrame({"rule": list(result.repairs), "values repaired": list(result.repairs.values())})
        by_reason = reason_counts(quarantine)
        context.log.info(
            f"{spec.table}: {len(raw):,} raw rows -> {len(result.clean):,} clean + {len(quarantine):,} quarantined"
        )
        yield Output(
            result.clean,
            "clean",
            metadata={
                "rows_in": MetadataValue.int(len(raw)),
                "rows_out": MetadataValue.int(len(result.clean)),
                "rows_quarantined": MetadataValue.int(len(quarantine)),
                "repairs": _md(repairs),
                **{f"repaired: {rule}": MetadataValue.int(int(n)) for rule, n in result.repairs.items()},
            },
        )
        yield Output(
            quarantine,
            "quarantine",
            metadata={"rows_quarantined": MetadataValue.int(len(quarantine)), "reasons": _md(by_reason)},
        )
        rows = len(raw)
        del raw, result, quarantine
        release_after_step(rows)  # both tables are stored: see memory.py

    return _clean


clean_assets = [build_clean_asset(spec) for spec in CLEAN_TABLES]
