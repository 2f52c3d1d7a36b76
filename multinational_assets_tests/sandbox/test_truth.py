"""The sandbox's ground truth: clean tables, quarantine and the nine answers.

The truth is checked three ways: against the contract (columns, keys, cleaning rules), against the
dirty source files (undoing each documented kind of dirt on the raw rows gives the truth), and for
the answers, against hand-computed values on a tiny world and internal consistency on the real one.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import multinational_assets.sandbox.truth as truth_module
from multinational_assets.sandbox.generate import columns as generator
from multinational_assets.sandbox.truth import compute_answers, format_duration, read_truth_tables
from multinational_assets.sources import CLEAN_TABLES
from multinational_assets_tests.sandbox.world_readers import (
    CARD_TEXT,
    DATE_TEXT,
    ISO,
    PRODUCT_TEXT,
    STORE_KEYS,
    USER_TEXT,
    parse_any_date,
    read_copy_csv,
    read_pdf_pages,
    split_dirty,
    valid_only,
)

# The truth is checked against the product's own declarations: the generator writes its own copy
# of the columns (the sandbox stands apart from the product), and this is where the two must agree.
CLEAN_COLUMNS = {contract.table: contract.names for contract in CLEAN_TABLES}
KEYS = {contract.table: contract.key for contract in CLEAN_TABLES}
RAW_COLUMNS = {
    "dim_users": ["index", *USER_TEXT], "dim_card_details": ["page", *CARD_TEXT],
    "dim_store_details": STORE_KEYS, "dim_products": ["row_label", *PRODUCT_TEXT],
    "dim_date_times": ["row_label", *DATE_TEXT],
    "orders_table": ["level_0", "index", "date_uuid", "first_name", "last_name", "user_uuid",
                     "card_number", "store_code", "product_code", "1", "product_quantity"],
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


@pytest.fixture(scope="session")
def tables(world: Path) -> dict[str, pd.DataFrame]:
    return read_truth_tables(world / "truth")


@pytest.fixture(scope="session")
def answers(world: Path) -> dict[str, pd.DataFrame]:
    return {name: pd.read_csv(world / "truth" / "answers" / f"{name}.csv", keep_default_na=False,
                              na_values=[""]) for name in ANSWER_COLUMNS}


# ------------------------------------------------------------------------------------------------
# The answers module stays independent of the pipeline
# ------------------------------------------------------------------------------------------------

def test_truth_module_does_not_import_the_cleaning_code() -> None:
    tree = ast.parse(Path(truth_module.__file__).read_text(encoding="utf-8"))
    imported = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "relative imports could reach the cleaning code"
            imported += [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names]
    assert imported and not [m for m in imported if m.startswith("multinational_assets.sources")]
    assert not [m for m in imported if m.startswith("multinational_assets")]


# ------------------------------------------------------------------------------------------------
# Clean tables and quarantine against the contract
# ------------------------------------------------------------------------------------------------

def test_generator_writes_the_columns_and_keys_the_product_declares() -> None:
    assert generator.CLEAN_COLUMNS == CLEAN_COLUMNS
    assert generator.CLEAN_KEYS == KEYS


def test_the_sandbox_legacy_tables_have_the_types_the_product_expects() -> None:
    from multinational_assets.sandbox.postgres import SOURCE_TABLES
    from multinational_assets.sources.orders.source import SOURCE_COLUMNS as ORDERS
    from multinational_assets.sources.users.source import SOURCE_COLUMNS as USERS

    for table, expected in (("legacy_users", USERS), ("orders_table", ORDERS)):
        served = SOURCE_TABLES[table]
        assert served["columns"] == list(expected)
        assert {c: t.lower() for c, t in served["types"].items()} == expected


def test_truth_tables_columns_keys_and_sizes(tables: dict[str, pd.DataFrame]) -> None:
    sizes = {"dim_users": 15284, "dim_card_details": 15284, "dim_store_details": 441,
             "dim_products": 1846, "dim_date_times": 120123, "orders_table": 120123}
    for name, frame in tables.items():
        assert list(frame.columns) == CLEAN_COLUMNS[name], name
        assert len(frame) == sizes[name], name
        assert frame[KEYS[name]].is_unique and frame[KEYS[name]].notna().all(), name


def test_quarantine_holds_exactly_the_rejected_rows(world: Path) -> None:
    sizes = {"dim_users": 36, "dim_card_details": 25, "dim_store_details": 10,
             "dim_products": 7, "dim_date_times": 38, "orders_table": 0}
    for name, size in sizes.items():
        frame = read_copy_csv(world / "truth" / "quarantine" / f"{name}.csv")
        assert list(frame.columns) == RAW_COLUMNS[name], name
        assert len(frame) == size, name
        if size:
            null, garbage = split_dirty(frame, RAW_COLUMNS[name][1:])
            assert (null | garbage).all(), name


def test_orders_foreign_keys(tables: dict[str, pd.DataFrame]) -> None:
    orders = tables["orders_table"]
    for column, dim in (("user_uuid", "dim_users"), ("card_number", "dim_card_details"),
                        ("store_code", "dim_store_details"), ("product_code", "dim_products"),
                        ("date_uuid", "dim_date_times")):
        assert set(orders[column]) == set(tables[dim][KEYS[dim]]), column
    assert orders["product_quantity"].between(1, 15).all()


def test_cleaning_rules_hold(tables: dict[str, pd.DataFrame]) -> None:
    users = tables["dim_users"]
    assert set(users["country_code"]) == {"GB", "DE", "US"}
    assert not users["email_address"].str.contains("@@", regex=False).any()
    for column in ("date_of_birth", "join_date"):
        assert users[column].str.fullmatch(ISO).all()
    assert (users["join_date"] < users["date_of_birth"]).sum() == 740  # kept as the source says
    assert {"Klaus-D.", "Hans D."} <= set(users["first_name"]) and "O'Connor" in set(users["last_name"])

    cards = tables["dim_card_details"]
    assert cards["card_number"].str.fullmatch(r"[1-9]\d+").all()
    assert cards["date_payment_confirmed"].str.fullmatch(ISO).all()
    assert set(cards.loc[cards["card_provider"] == "Maestro", "card_number"].str.len()) == {9, 11, 12}

    stores = tables["dim_store_details"]
    assert set(stores["continent"]) == {"Europe", "America"}
    assert stores["opening_date"].str.fullmatch(ISO).all()
    assert stores["staff_numbers"].dtype == np.int64
    web = stores[stores["store_type"] == "Web Portal"]
    assert len(web) == 1
    assert web[["address", "locality", "longitude", "latitude"]].isna().all().all()
    assert (web[["country_code", "continent"]].to_numpy() == [["GB", "Europe"]]).all()
    physical = stores[stores["store_type"] != "Web Portal"]
    assert physical[["address", "locality", "longitude", "latitude"]].notna().all().all()
    gb = physical[physical["country_code"] == "GB"]
    assert gb["latitude"].between(49, 59).all() and gb["longitude"].between(-8, 2).all()

    products = tables["dim_products"]
    assert products["still_available"].value_counts().to_dict() == {True: 1752, False: 94}
    assert products["date_added"].str.fullmatch(ISO).all()
    assert (products["weight"] == 1160.0).sum() == 1 and (products["weight"] == 2.0).any()
    assert products["weight"].gt(0).all() and products["product_price"].gt(0).all()
    assert products["ean"].str.fullmatch(r"\d{10,17}").all()

    dates = tables["dim_date_times"]
    assert dates["month"].between(1, 12).all() and dates["year"].between(1992, 2022).all()


# ------------------------------------------------------------------------------------------------
# Truth against the source files: undoing each documented kind of dirt gives the truth
# ------------------------------------------------------------------------------------------------

def _iso(values: pd.Series) -> pd.Series:
    return values.map(lambda v: parse_any_date(v).isoformat())


def test_users_truth_is_the_repaired_source(world: Path, tables: dict[str, pd.DataFrame]) -> None:
    raw = valid_only(read_copy_csv(world / "legacy" / "legacy_users.csv"), USER_TEXT)
    repaired = raw.assign(
        country_code=raw["country_code"].replace("GGB", "GB"),
        email_address=raw["email_address"].str.replace("@@", "@", regex=False),
        date_of_birth=_iso(raw["date_of_birth"]), join_date=_iso(raw["join_date"]),
    )[CLEAN_COLUMNS["dim_users"]].sort_values("user_uuid").reset_index(drop=True)
    expected = tables["dim_users"].sort_values("user_uuid").reset_index(drop=True)
    pd.testing.assert_frame_equal(repaired, expected)


def test_cards_truth_is_the_repaired_source(world: Path, tables: dict[str, pd.DataFrame]) -> None:
    rows = [row for page in read_pdf_pages(world / "s3" / "card_details.pdf")
            for row in page["rows"][1:]]
    raw = valid_only(pd.DataFrame(rows, columns=CARD_TEXT), CARD_TEXT)
    repaired = raw.assign(card_number=raw["card_number"].str.lstrip("?"),
                          date_payment_confirmed=_iso(raw["date_payment_confirmed"]))
    repaired = repaired.sort_values("card_number").reset_index(drop=True)
    expected = tables["dim_card_details"].sort_values("card_number").reset_index(drop=True)
    pd.testing.assert_frame_equal(repaired, expected)


def test_stores_truth_is_the_repaired_source(world: Path, tables: dict[str, pd.DataFrame]) -> None:
    import json

    raw = pd.DataFrame(json.loads((world / "api" / "stores.json").read_text(encoding="utf-8")))
    raw = valid_only(raw.astype({"index": str}), STORE_KEYS[1:])
    raw = raw.mask(raw == "N/A")  # the web store's N/A means "no value"
    repaired = pd.DataFrame({
        "store_code": raw["store_code"], "store_type": raw["store_type"],
        "address": raw["address"], "locality": raw["locality"],
        "longitude": raw["latitude"].astype(float), "latitude": raw["longitude"].astype(float),
        "staff_numbers": raw["staff_numbers"].str.replace(r"\D", "", regex=True).astype("int64"),
        "opening_date": _iso(raw["opening_date"]), "country_code": raw["country_code"],
        "continent": raw["continent"].str.removeprefix("ee"),
    }).sort_values("store_code").reset_index(drop=True)
    expected = tables["dim_store_details"].sort_values("store_code").reset_index(drop=True)
    pd.testing.assert_frame_equal(repaired, expected)


def _kg(weight: str) -> float:
    if weight == "77g .":
        weight = "77g"
    if m := re.fullmatch(r"(\d+) x (\d+)g", weight):
        return int(m[1]) * int(m[2]) / 1000
    number, unit = re.fullmatch(r"([\d.]+)(kg|g|ml|oz)", weight).groups()
    return {"kg": float(number), "g": float(number) / 1000, "ml": float(number) / 1000,
            "oz": float(number) * 28.349523125 / 1000}[unit]


def test_products_truth_is_the_repaired_source(world: Path,
                                               tables: dict[str, pd.DataFrame]) -> None:
    raw = pd.read_csv(world / "s3" / "products.csv", dtype=str, keep_default_na=False)
    raw = valid_only(raw, PRODUCT_TEXT)
    repaired = pd.DataFrame({
        "product_code": raw["product_code"], "product_name": raw["product_name"],
        "product_price": raw["product_price"].str.removeprefix("£").astype(float),
        "weight": raw["weight"].map(_kg), "category": raw["category"], "ean": raw["EAN"],
        "date_added": _iso(raw["date_added"]), "uuid": raw["uuid"],
        "still_available": raw["removed"] == "Still_avaliable",
    }).sort_values("product_code").reset_index(drop=True)
    expected = tables["dim_products"].sort_values("product_code").reset_index(drop=True)
    pd.testing.assert_frame_equal(repaired, expected, rtol=1e-12)


def test_dates_and_orders_truth_are_the_source(world: Path,
                                               tables: dict[str, pd.DataFrame]) -> None:
    import json

    raw = valid_only(pd.DataFrame(json.loads((world / "s3" / "date_details.json").read_text())),
                     DATE_TEXT)
    repaired = raw.astype({"month": "int64", "year": "int64", "day": "int64"})[
        CLEAN_COLUMNS["dim_date_times"]].sort_values("date_uuid").reset_index(drop=True)
    expected = tables["dim_date_times"].sort_values("date_uuid").reset_index(drop=True)
    pd.testing.assert_frame_equal(repaired, expected)

    orders = read_copy_csv(world / "legacy" / "orders_table.csv")
    orders = orders.astype({"product_quantity": "int64"})[CLEAN_COLUMNS["orders_table"]]
    orders = orders.sort_values("date_uuid").reset_index(drop=True)
    expected = tables["orders_table"].sort_values("date_uuid").reset_index(drop=True)
    pd.testing.assert_frame_equal(orders, expected)


# ------------------------------------------------------------------------------------------------
# The nine answers
# ------------------------------------------------------------------------------------------------

def test_answer_files_are_computed_from_the_truth_files(tables, answers) -> None:
    recomputed = compute_answers(tables)
    assert list(recomputed) == list(ANSWER_COLUMNS)
    for name, columns in ANSWER_COLUMNS.items():
        assert list(answers[name].columns) == columns, name
        pd.testing.assert_frame_equal(answers[name], recomputed[name], check_dtype=False,
                                      obj=name)


def test_answers_match_the_source_splits(answers) -> None:
    assert answers["stores_per_country"].to_dict("list") == {
        "country_code": ["GB", "DE", "US"], "total_no_stores": [265, 141, 34]}
    top = answers["top_localities"]
    assert top["total_no_stores"].tolist() == [14, 13, 12, 11, 10, 10, 10]
    assert top["locality"].tolist()[4:] == sorted(top["locality"].tolist()[4:])


def test_answers_are_consistent(tables, answers) -> None:
    orders, products = tables["orders_table"], tables["dim_products"]
    price = orders["product_code"].map(products.set_index("product_code")["product_price"])
    total = round(float((orders["product_quantity"] * price).sum()), 2)

    by_month = answers["sales_by_month"]
    assert sorted(by_month["month"]) == list(range(1, 13))
    assert by_month["total_sales"].is_monotonic_decreasing
    assert by_month["total_sales"].sum() == pytest.approx(total, abs=0.01)

    by_type = answers["sales_by_store_type"]
    assert by_type["total_sales"].sum() == pytest.approx(total, abs=0.01)
    assert by_type["percentage_total"].sum() == pytest.approx(100, abs=0.05)
    assert set(by_type["store_type"]) == {"Local", "Super Store", "Mall Kiosk", "Outlet",
                                          "Web Portal"}
    assert by_type["total_sales"].is_monotonic_decreasing

    online = answers["online_vs_offline"]
    assert online["location"].tolist() == ["Web", "Offline"]
    assert online["number_of_sales"].sum() == len(orders)
    assert online["product_quantity_count"].sum() == orders["product_quantity"].sum()
    assert 0.215 < online["number_of_sales"][0] / len(orders) < 0.225

    top = answers["top_year_months"]
    assert len(top) == 10 and top["total_sales"].is_monotonic_decreasing

    staff = answers["staff_by_country"]
    assert staff["total_staff_numbers"].sum() == tables["dim_store_details"]["staff_numbers"].sum()
    assert staff["total_staff_numbers"].is_monotonic_decreasing

    german = answers["german_sales_by_store_type"]
    assert (german["country_code"] == "DE").all()
    assert german["total_sales"].is_monotonic_increasing
    assert "Web Portal" not in set(german["store_type"])

    gaps = answers["time_between_sales"]
    assert sorted(gaps["year"]) == list(range(1992, 2023))
    assert gaps["average_seconds"].is_monotonic_decreasing
    assert (gaps["actual_time_taken"] == gaps["average_seconds"].map(format_duration)).all()
    # 31 years of distinct seconds shared by every order: the mean gap is about 31 years / orders.
    span = 31 * 365.25 * 86400 / len(orders)
    assert gaps["average_seconds"].between(0.8 * span, 1.2 * span).all()


def test_format_duration() -> None:
    assert format_duration(8232.5) == "hours: 2, minutes: 17, seconds: 12, milliseconds: 500"
    assert format_duration(59.9996) == "hours: 0, minutes: 1, seconds: 0, milliseconds: 0"
    assert format_duration(90061.007) == "hours: 25, minutes: 1, seconds: 1, milliseconds: 7"


def _tiny_world() -> dict[str, pd.DataFrame]:
    """Two physical stores (GB Local, DE Outlet), the web store, two products, five sales."""
    stores = pd.DataFrame({
        "store_code": ["WEB-1", "GB-1", "DE-1"], "store_type": ["Web Portal", "Local", "Outlet"],
        "address": [None, "a", "b"], "locality": [None, "Ayr", "Gießen"],
        "longitude": [np.nan, -4.6, 8.7], "latitude": [np.nan, 55.5, 50.6],
        "staff_numbers": [300, 20, 7], "opening_date": ["2000-01-01"] * 3,
        "country_code": ["GB", "GB", "DE"], "continent": ["Europe"] * 3,
    })
    products = pd.DataFrame({
        "product_code": ["P1", "P2"], "product_name": ["x", "y"], "product_price": [0.1, 2.5],
        "weight": [1.0, 2.0], "category": ["diy", "pets"], "ean": ["1234567890"] * 2,
        "date_added": ["2020-01-01"] * 2, "uuid": ["u1", "u2"], "still_available": [True, False],
    })
    dates = pd.DataFrame({
        "date_uuid": ["d1", "d2", "d3", "d4", "d5"],
        "timestamp": ["23:59:59", "00:00:09", "12:00:00", "12:00:01", "00:00:00"],
        "month": [12, 1, 1, 3, 6], "year": [2020, 2021, 2021, 2021, 2019],
        "day": [31, 1, 1, 15, 1], "time_period": ["Late_Hours", "Late_Hours", "Midday", "Midday",
                                                  "Late_Hours"],
    })
    orders = pd.DataFrame({
        "date_uuid": ["d1", "d2", "d3", "d4", "d5"], "user_uuid": ["a"] * 5,
        "card_number": ["1"] * 5, "store_code": ["WEB-1", "GB-1", "DE-1", "DE-1", "GB-1"],
        "product_code": ["P1", "P2", "P1", "P2", "P2"], "product_quantity": [3, 2, 10, 1, 4],
    })
    return {"dim_store_details": stores, "dim_products": products, "dim_date_times": dates,
            "orders_table": orders, "dim_users": pd.DataFrame(), "dim_card_details": pd.DataFrame()}


def test_answers_on_a_tiny_world() -> None:
    a = compute_answers(_tiny_world())
    # Sales: d1 0.30 (web), d2 5.00 (GB), d3 1.00 (DE), d4 2.50 (DE), d5 10.00 (GB); total 18.80.
    assert a["stores_per_country"].to_dict("list") == {"country_code": ["DE", "GB"],
                                                       "total_no_stores": [1, 1]}
    assert a["top_localities"]["locality"].tolist() == ["Ayr", "Gießen"]
    assert a["sales_by_month"].to_dict("list") == {"month": [6, 1, 3, 12],
                                                   "total_sales": [10.0, 6.0, 2.5, 0.3]}
    assert a["online_vs_offline"].to_dict("list") == {
        "location": ["Web", "Offline"], "number_of_sales": [1, 4],
        "product_quantity_count": [3, 17]}
    assert a["sales_by_store_type"].to_dict("list") == {
        "store_type": ["Local", "Outlet", "Web Portal"], "total_sales": [15.0, 3.5, 0.3],
        "percentage_total": [79.79, 18.62, 1.6]}
    assert a["top_year_months"].to_dict("list") == {
        "year": [2019, 2021, 2021, 2020], "month": [6, 1, 3, 12],
        "total_sales": [10.0, 6.0, 2.5, 0.3]}
    assert a["staff_by_country"].to_dict("list") == {"country_code": ["GB", "DE"],
                                                     "total_staff_numbers": [320, 7]}
    assert a["german_sales_by_store_type"].to_dict("list") == {
        "store_type": ["Outlet"], "country_code": ["DE"], "total_sales": [3.5]}
    # Sorted sales: 2019-06-01 00:00:00, 2020-12-31 23:59:59, 2021-01-01 00:00:09,
    # 2021-01-01 12:00:00, 2021-03-15 12:00:01. 2019 has no gap (first sale).
    gap_2020 = (pd.Timestamp("2020-12-31 23:59:59") - pd.Timestamp("2019-06-01")).total_seconds()
    gaps_2021 = [10, 12 * 3600 - 9,
                 (pd.Timestamp("2021-03-15 12:00:01") - pd.Timestamp("2021-01-01 12:00")).total_seconds()]
    t = a["time_between_sales"]
    assert t["year"].tolist() == [2020, 2021]
    assert t["average_seconds"].tolist() == [round(gap_2020, 3), round(sum(gaps_2021) / 3, 3)]
    assert t["actual_time_taken"][1] == format_duration(sum(gaps_2021) / 3)
