"""The star schema as Dagster sees it: one asset per table (the five dimensions and `orders_table`),
built together by one step (`star.build.build_star`) and swapped in as a whole, so each table
shows its own lineage, row count and column schema. Each dimension's check reports its inferred
members: keys the sales name whose rows have not arrived."""

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    Failure,
    MaterializeResult,
    MetadataValue,
    TableColumn,
    TableColumnConstraints,
    TableSchema,
    multi_asset,
)

from multinational_assets.cleaning import TableContract
from multinational_assets.defs.clean.assets import clean_key
from multinational_assets.sources import CLEAN_TABLES, DIMENSIONS, references
from multinational_assets.star.build import INFERRED_FLAG, build_star
from multinational_assets.star.problems import StarBuildError

# Columns the star adds to the clean tables' own, and what they say.
ADDED_COLUMNS = {
    INFERRED_FLAG: "True for a key the sales name whose own row has not arrived (an inferred member).",
    "weight_class": "Light (< 2 kg), Mid_Sized (< 40), Heavy (< 140) or Truck_Required, from the weight.",
}


def star_key(table: str) -> AssetKey:
    return AssetKey(["star", table])


STAR_KEYS = [star_key(contract.table) for contract in CLEAN_TABLES]


def _deps(contract: TableContract) -> list[AssetKey]:
    """A star table is built from its clean table, and points at the dimensions it references."""
    return [clean_key(contract), *[star_key(d.table) for t, _, d in references() if t is contract]]


def inferred_members_check(dimension: TableContract) -> AssetCheckSpec:
    """The check that reports the dimension's inferred members each time the star is built."""
    return AssetCheckSpec(
        "has_no_inferred_members",
        asset=star_key(dimension.table),
        description=(
            f"Every key the sales name has its own row in {dimension.table}. A key whose row has not arrived "
            "(or was quarantined) stands in as an inferred member: listed here with the sales naming it."
        ),
    )


def column_schema(contract: TableContract, types: dict[str, str]) -> TableSchema:
    """The star table's columns as Postgres holds them, described by the clean table's declaration."""
    described = {c.name: c.description for c in contract.columns} | ADDED_COLUMNS
    return TableSchema(
        columns=[
            TableColumn(
                name=name, type=type_, description=described.get(name),
                constraints=TableColumnConstraints(nullable=name != contract.key, unique=name == contract.key),
            )
            for name, type_ in types.items()
        ]
    )


def inferred_member_results(report: dict):
    """One warning-level check result per dimension: passed when it has no inferred member."""
    for dimension in DIMENSIONS:
        count = report["inferred_members"][dimension.table]
        examples = report["inferred_examples"].get(dimension.table, [])
        listed = "\n".join(
            f"- `{key}` ({n:,} rows)" + (f": quarantined as {why}" if why else "") for key, n, why in examples
        )
        yield AssetCheckResult(
            asset_key=star_key(dimension.table),
            check_name="has_no_inferred_members",
            passed=count == 0,
            severity=AssetCheckSeverity.WARN,
            metadata={"inferred_members": MetadataValue.int(count), "examples": MetadataValue.md(listed or "_none_")},
        )


@multi_asset(
    name="star_schema",
    specs=[
        AssetSpec(
            star_key(contract.table), deps=_deps(contract), description=contract.description, group_name="star",
            kinds={"postgres", "sql"},
        )
        for contract in CLEAN_TABLES
    ],
    check_specs=[inferred_members_check(d) for d in DIMENSIONS],
    required_resource_keys={"warehouse"},
)
def star_tables(context: AssetExecutionContext):
    """Rebuild the reporting tables from the cleaned data: customers, cards, stores, products and sale
    times, with every sale linked to each of them, swapped in only when complete."""
    try:
        with context.resources.warehouse.connect() as conn:
            report = build_star(conn)
    except StarBuildError as error:
        # A Failure shows the offending rows in the UI as a list, not buried in a stack trace.
        raise Failure(
            description=str(error),
            metadata={"problems": MetadataValue.md("\n".join(f"- {p}" for p in error.problems))},
        ) from error
    context.log.info(f"star schema built in {report['seconds']} s: {report['rows']}")
    inferred = {table: n for table, n in report["inferred_members"].items() if n}
    if inferred:
        context.log.warning(
            "Sales name keys their dimensions lack; inferred members stand in for them until their rows "
            "arrive: " + ", ".join(f"{n:,} in {table}" for table, n in inferred.items())
        )
    for contract in CLEAN_TABLES:
        table = contract.table
        metadata = {
            "dagster/row_count": MetadataValue.int(report["rows"][table]),
            "dagster/table_name": MetadataValue.text(f"warehouse.star.{table}"),
            "dagster/column_schema": MetadataValue.table_schema(column_schema(contract, report["column_types"][table])),
            "build_seconds": MetadataValue.float(report["seconds"]),
        }
        if table in report["inferred_members"]:
            metadata["inferred_members"] = MetadataValue.int(report["inferred_members"][table])
        yield MaterializeResult(asset_key=star_key(table), metadata=metadata)
    yield from inferred_member_results(report)
