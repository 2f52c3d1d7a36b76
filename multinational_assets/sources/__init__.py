"""The six sources, one folder each: `source.py` declares the source once (its raw table and columns,
how it is read, where it lives), `clean.py` declares its clean table once (columns with their kinds,
key, references, plausibility rules). Plain Python: no Dagster here.

`SOURCES` and `CLEAN_TABLES` are the registry everything else reads: the raw and clean assets, the
external assets, the S3 sensor, the checks, the star. `CLEAN_TABLES` is in the order the star is
built: the dimensions first, the fact table (which references them) last.
"""

from multinational_assets.cleaning import TableContract
from multinational_assets.sources.card_details import clean as card_details
from multinational_assets.sources.card_details import source as card_details_source
from multinational_assets.sources.date_times import clean as date_times
from multinational_assets.sources.date_times import source as date_times_source
from multinational_assets.sources.orders import clean as orders
from multinational_assets.sources.orders import source as orders_source
from multinational_assets.sources.products import clean as products
from multinational_assets.sources.products import source as products_source
from multinational_assets.sources.source import Source
from multinational_assets.sources.store_details import clean as store_details
from multinational_assets.sources.store_details import source as store_details_source
from multinational_assets.sources.users import clean as users
from multinational_assets.sources.users import source as users_source

SOURCES: tuple[Source, ...] = (
    users_source.SOURCE, orders_source.SOURCE, card_details_source.SOURCE, store_details_source.SOURCE,
    products_source.SOURCE, date_times_source.SOURCE,
)

CLEAN_TABLES: tuple[TableContract, ...] = (
    users.DIM_USERS, card_details.DIM_CARD_DETAILS, store_details.DIM_STORE_DETAILS, products.DIM_PRODUCTS,
    date_times.DIM_DATE_TIMES, orders.ORDERS_TABLE,
)


def source_of(raw_table: str) -> Source:
    """The source whose raw table is `raw_table`."""
    for source in SOURCES:
        if source.raw_table == raw_table:
            return source
    raise KeyError(f"no source reads into raw.{raw_table}; known: {', '.join(s.raw_table for s in SOURCES)}")


def contract_of(table: str) -> TableContract:
    """The contract of the clean table `table`."""
    for contract in CLEAN_TABLES:
        if contract.table == table:
            return contract
    raise KeyError(f"no clean table {table!r}; known: {', '.join(c.table for c in CLEAN_TABLES)}")


def references() -> list[tuple[TableContract, str, TableContract]]:
    """Every (table, column, dimension) where a column of `table` names a row of `dimension`."""
    return [
        (contract, column, contract_of(dimension))
        for contract in CLEAN_TABLES
        for column, dimension in contract.references.items()
    ]


DIMENSIONS = tuple(c for c in CLEAN_TABLES if any(d.table == c.table for _, _, d in references()))
