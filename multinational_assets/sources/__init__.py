"""The six sources, one folder each: `extract.py` reads the source as it is, `clean.py` declares its
clean table once (columns, kinds, key, references, plausibility rules).

`CLEAN_TABLES` lists the clean tables' contracts in the order the star is built: the dimensions
first, the fact table (which references them) last. Everything that needs a table's columns, key or
references reads them from here.
"""

from multinational_assets.cleaning import TableContract
from multinational_assets.sources.card_details.clean import DIM_CARD_DETAILS
from multinational_assets.sources.date_times.clean import DIM_DATE_TIMES
from multinational_assets.sources.orders.clean import ORDERS_TABLE
from multinational_assets.sources.products.clean import DIM_PRODUCTS
from multinational_assets.sources.store_details.clean import DIM_STORE_DETAILS
from multinational_assets.sources.users.clean import DIM_USERS

CLEAN_TABLES: tuple[TableContract, ...] = (
    DIM_USERS, DIM_CARD_DETAILS, DIM_STORE_DETAILS, DIM_PRODUCTS, DIM_DATE_TIMES, ORDERS_TABLE,
)


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
