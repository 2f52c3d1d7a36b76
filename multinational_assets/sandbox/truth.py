"""The answers to the nine business questions, computed from the truth tables with plain pandas.

This module is the independent reference the pipeline's metric SQL is checked against, so it
reads only the truth CSVs (docs/architecture.md "Clean tables") and never imports the pipeline's
cleaning code (`multinational_assets.sources`); a test checks that.

Money is summed exactly, in integer pence (every price has two decimals), and then turned back
into pounds, so the two-decimal rounding never depends on float summation order. Ties are broken
by the grouping key, so every answer has one order.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

WEB_STORE_TYPE = "Web Portal"

TRUTH_TABLES = ("dim_users", "dim_card_details", "dim_store_details", "dim_products",
                "dim_date_times", "orders_table")

# Column types of the truth CSVs; columns not listed are text.
_TRUTH_DTYPES = {
    "dim_store_details": {"longitude": "float64", "latitude": "float64", "staff_numbers": "int64"},
    "dim_products": {"product_price": "float64", "weight": "float64", "still_available": "bool"},
    "dim_date_times": {"month": "int64", "year": "int64", "day": "int64"},
    "orders_table": {"product_quantity": "int64"},
}

ANSWER_COLUMNS = {
    "stores_per_country": ["country_code", "total_no_stores"],
    "top_localities": ["locality", "total_no_stores"],
    "sales_by_month": ["month", "total_sales"],
    "online_vs_offline": ["location", "number_of_sales", "product_quantity_count"],
    "sales_by_store_type": ["store_type", "total_sales", "percentage_total"],
    "top_year_months": ["year", "month", "total_sales"],
    "staff_by_country": ["country_code", "total_staff_numbers"],
    "german_sales_by_store_type": ["store_type", "country_code", "total_sales"],
    "time_between_sales": ["year", "average_seconds", "actual_time_taken"],
}


def read_truth_table(path: Path | str, table: str) -> pd.DataFrame:
    """One truth CSV with its column types (text stays text: card numbers, EANs keep every digit)."""
    header = pd.read_csv(path, nrows=0).columns
    typed = _TRUTH_DTYPES.get(table, {})
    dtypes = {column: typed.get(column, "str") for column in header}
    return pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values=[""])


def read_truth_tables(truth_dir: Path | str) -> dict[str, pd.DataFrame]:
    """The six truth tables of a generated world (`<world>/truth`), by clean table name."""
    truth_dir = Path(truth_dir)
    return {name: read_truth_table(truth_dir / f"{name}.csv", name) for name in TRUTH_TABLES}


def _pounds(pence: pd.Series) -> pd.Series:
    return (pence / 100).round(2)


def _sales(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per order with its value in pence and the store, product and date it refers to."""
    orders = tables["orders_table"]
    products = tables["dim_products"][["product_code", "product_price"]]
    stores = tables["dim_store_details"][["store_code", "store_type", "country_code"]]
    dates = tables["dim_date_times"][["date_uuid", "year", "month", "day", "timestamp"]]
    for frame, key in ((products, "product_code"), (stores, "store_code"), (dates, "date_uuid")):
        if not frame[key].is_unique:
            raise ValueError(f"{key} is not unique in its dimension table")
    sales = (orders.merge(products, on="product_code", how="inner")
             .merge(stores, on="store_code", how="inner")
             .merge(dates, on="date_uuid", how="inner"))
    if len(sales) != len(orders) or not sales["date_uuid"].is_unique:
        raise ValueError("orders do not match the dimension tables one to one")
    price_pence = (sales["product_price"] * 100).round().astype("int64")
    sales["pence"] = sales["product_quantity"].astype("int64") * price_pence
    return sales


def _ordered(frame: pd.DataFrame, by: list[str], ascending: list[bool]) -> pd.DataFrame:
    return frame.sort_values(by, ascending=ascending, kind="stable").reset_index(drop=True)


def format_duration(seconds: float) -> str:
    """`hours: 2, minutes: 17, seconds: 12, milliseconds: 500` for 8232.5 seconds.

    Whole milliseconds of the seconds rounded to 3 decimals; hours are not wrapped into days.
    """
    total_ms = int(round(round(seconds, 3) * 1000))
    hours, rest = divmod(total_ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, ms = divmod(rest, 1000)
    return f"hours: {hours}, minutes: {minutes}, seconds: {secs}, milliseconds: {ms}"


def compute_answers(tables: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The nine answers (docs/architecture.md "The nine answers"), by metric name, from the truth
    tables as `read_truth_tables` returns them. Physical stores are those whose type is not
    `Web Portal`; sales = product_quantity x product_price."""
    stores = tables["dim_store_details"]
    physical = stores[stores["store_type"] != WEB_STORE_TYPE]
    sales = _sales(tables)
    total_pence = int(sales["pence"].sum())
    answers: dict[str, pd.DataFrame] = {}

    per_country = physical.groupby("country_code").size().rename("total_no_stores").reset_index()
    answers["stores_per_country"] = _ordered(per_country, ["total_no_stores", "country_code"],
                                             [False, True])

    per_locality = physical.groupby("locality").size().rename("total_no_stores").reset_index()
    answers["top_localities"] = _ordered(per_locality, ["total_no_stores", "locality"],
                                         [False, True]).head(7)

    by_month = sales.groupby("month")["pence"].sum().reset_index()
    by_month["total_sales"] = _pounds(by_month["pence"])
    answers["sales_by_month"] = _ordered(by_month, ["pence", "month"], [False, True])[
        ["month", "total_sales"]]

    is_web = sales["store_type"] == WEB_STORE_TYPE
    answers["online_vs_offline"] = pd.DataFrame({
        "location": ["Web", "Offline"],
        "number_of_sales": [int(is_web.sum()), int((~is_web).sum())],
        "product_quantity_count": [int(sales.loc[is_web, "product_quantity"].sum()),
                                   int(sales.loc[~is_web, "product_quantity"].sum())],
    })

    by_type = sales.groupby("store_type")["pence"].sum().reset_index()
    by_type["total_sales"] = _pounds(by_type["pence"])
    by_type["percentage_total"] = (by_type["pence"] * 100 / total_pence).round(2)
    answers["sales_by_store_type"] = _ordered(by_type, ["pence", "store_type"], [False, True])[
        ["store_type", "total_sales", "percentage_total"]]

    by_year_month = sales.groupby(["year", "month"])["pence"].sum().reset_index()
    by_year_month["total_sales"] = _pounds(by_year_month["pence"])
    answers["top_year_months"] = _ordered(by_year_month, ["pence", "year", "month"],
                                          [False, True, True]).head(10)[
        ["year", "month", "total_sales"]]

    staff = stores.groupby("country_code")["staff_numbers"].sum().rename(
        "total_staff_numbers").reset_index()
    answers["staff_by_country"] = _ordered(staff, ["total_staff_numbers", "country_code"],
                                           [False, True])

    german = sales[sales["country_code"] == "DE"].groupby("store_type")["pence"].sum().reset_index()
    german["country_code"] = "DE"
    german["total_sales"] = _pounds(german["pence"])
    answers["german_sales_by_store_type"] = _ordered(german, ["pence", "store_type"],
                                                     [True, True])[
        ["store_type", "country_code", "total_sales"]]

    answers["time_between_sales"] = _time_between_sales(sales)
    return {name: frame[ANSWER_COLUMNS[name]].reset_index(drop=True)
            for name, frame in answers.items()}


def _time_between_sales(sales: pd.DataFrame) -> pd.DataFrame:
    """Per year, the mean gap from each sale to the sale before it (the first sale has none)."""
    # Whole seconds since the epoch as integers, so each year's mean is one exact division.
    day = pd.to_datetime(sales[["year", "month", "day"]]).to_numpy().astype("datetime64[s]")
    stamp = sales["timestamp"].to_numpy().astype("U8")
    if not (np.char.str_len(stamp) == 8).all():
        raise ValueError("timestamps must be HH:MM:SS")
    # "HH:MM:SS" as code points; digits are code point - 48.
    digits = stamp.view(np.uint32).reshape(-1, 8).astype(np.int64) - 48
    if not ((digits[:, [2, 5]] == ord(":") - 48).all() and (digits[:, [0, 1, 3, 4, 6, 7]] >= 0).all()
            and (digits[:, [0, 1, 3, 4, 6, 7]] <= 9).all()):
        raise ValueError("timestamps must be HH:MM:SS")
    second_of_day = ((digits[:, 0] * 10 + digits[:, 1]) * 3600 + (digits[:, 3] * 10 + digits[:, 4]) * 60
                     + digits[:, 6] * 10 + digits[:, 7])
    seconds = day.astype(np.int64) + second_of_day
    order = np.argsort(seconds, kind="stable")
    seconds = seconds[order]
    years = sales["year"].to_numpy()[order]
    gaps = pd.DataFrame({"year": years[1:], "gap": np.diff(seconds)})
    per_year = gaps.groupby("year")["gap"].agg(["sum", "count"]).reset_index()
    per_year["average_seconds"] = (per_year["sum"] / per_year["count"]).round(3)
    per_year["actual_time_taken"] = per_year["average_seconds"].map(format_duration)
    return _ordered(per_year, ["average_seconds", "year"], [False, True])
