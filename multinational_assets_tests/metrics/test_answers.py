"""The nine business questions, answered on the small hand-made world (expected values worked out by
hand from the rows in star_fixtures.py), their Dagster assets, and (slow) the sandbox's ground truth."""

import threading
import time

import pandas as pd
import pytest

from multinational_assets.metrics.answers import answer_questions, result_markdown, run_metric, star_tables_read
from multinational_assets.metrics.registry import METRIC_NAMES
from multinational_assets.star.build import build_star
from multinational_assets_tests.star_fixtures import (  # noqa: F401  (conn, database: fixtures)
    StandInWarehouse,
    conn,
    database,
    load_clean_tables,
    read_truth_tables,
    small_clean_tables,
)

# Orders of the small world, by sales value (quantity x price):
#   2020-01-15 10:00:00 web 5.00 | 10:00:10 London Local 10.00 | 2020-03-01 Berlin Local 14.97 |
#   2020-12-31 23:59:59 Berlin Outlet 20.00 | 2021-01-01 00:00:09 Gießen Super Store 199.98 |
#   00:00:10 London Super Store 500.00 | 2021-03-10 12:30:00 web 1000.00 and New York Local 10.00 |
#   2022-06-01 08:00 Manchester Mall Kiosk 50.00 | 09:00:01 Berlin Local 500.00 |
#   2022-07..12 on the 1st/4th at 08:00: Local London 2.50, Oxford 5.00, Aachen 7.50, Zwickau 10.00,
#   Öhringen 12.50, web 17.50.
EXPECTED = {
    "stores_per_country": (
        ["country_code", "total_no_stores"],
        [["DE", 6], ["GB", 4], ["US", 1]],
    ),
    # Berlin and London have two stores; then the singles by code point: Aachen, Gießen, Manchester,
    # New York, Oxford (Zwickau and Öhringen miss out).
    "top_localities": (
        ["locality", "total_no_stores"],
        [["Berlin", 2], ["London", 2], ["Aachen", 1], ["Gießen", 1], ["Manchester", 1], ["New York", 1], ["Oxford", 1]],
    ),
    "sales_by_month": (
        ["month", "total_sales"],
        [
            [3, 1024.97],  # 14.97 + 1000 + 10
            [1, 714.98],  # 5 + 10 + 199.98 + 500
            [6, 550.0],
            [12, 37.5],  # 20 + 17.50
            [11, 12.5],
            [10, 10.0],
            [9, 7.5],
            [8, 5.0],
            [7, 2.5],
        ],
    ),
    "online_vs_offline": (
        ["location", "number_of_sales", "product_quantity_count"],
        [["Web", 3, 10], ["Offline", 13, 33]],  # web quantities 2 + 1 + 7
    ),
    # All sales 2364.95; each share from the unrounded totals (they add up to 100.01).
    "sales_by_store_type": (
        ["store_type", "total_sales", "percentage_total"],
        [
            ["Web Portal", 1022.5, 43.24],  # 5 + 1000 + 17.50
            ["Super Store", 699.98, 29.6],
            ["Local", 572.47, 24.21],
            ["Mall Kiosk", 50.0, 2.11],
            ["Outlet", 20.0, 0.85],
        ],
    ),
    "top_year_months": (
        ["year", "month", "total_sales"],
        [
            [2021, 3, 1010.0],
            [2021, 1, 699.98],
            [2022, 6, 550.0],
            [2020, 12, 20.0],
            [2022, 12, 17.5],
            [2020, 1, 15.0],
            [2020, 3, 14.97],
            [2022, 11, 12.5],
            [2022, 10, 10.0],
            [2022, 9, 7.5],
        ],
    ),
    "staff_by_country": (
        ["country_code", "total_staff_numbers"],
        [["GB", 432], ["DE", 150], ["US", 12]],  # GB includes the web store's 300
    ),
    "german_sales_by_store_type": (
        ["store_type", "country_code", "total_sales"],
        [["Outlet", "DE", 20.0], ["Super Store", "DE", 199.98], ["Local", "DE", 544.97]],
    ),
    # 2020: gaps 10 s, 3,938,390 s (to 1 March, a leap year), 26,438,399 s (to 31 Dec 23:59:59);
    #       mean 30,376,799 / 3 = 10,125,599.667 s.
    # 2021: 10 s (across new year: counts for 2021), 1 s, 5,920,190 s, 0 s (same second);
    #       mean 5,920,201 / 4 = 1,480,050.25 s.
    # 2022: from 2021-03-10 12:30:00 to 2022-06-01 08:00:00 = 365 d + 83 d - 4.5 h = 38,691,000 s,
    #       then 3,601 s, 2,847,599 s (to 4 July 08:00), and 28, 31, 30, 31, 30 days
    #       (2,419,200 + 2,678,400 + 2,592,000 + 2,678,400 + 2,592,000 s);
    #       mean 54,502,200 / 8 = 6,812,775 s = 1,892 h 26 min 15 s.
    "time_between_sales": (
        ["year", "average_seconds", "actual_time_taken"],
        [
            [2020, 10125599.667, "hours: 2812, minutes: 39, seconds: 59, milliseconds: 667"],
            [2022, 6812775.0, "hours: 1892, minutes: 26, seconds: 15, milliseconds: 0"],
            [2021, 1480050.25, "hours: 411, minutes: 7, seconds: 30, milliseconds: 250"],
        ],
    ),
}


@pytest.fixture
def star(conn, database):
    """The star built from the small world; yields a connection and the database's conninfo."""
    load_clean_tables(conn, small_clean_tables())
    build_star(conn)
    return conn, database


def test_every_question_has_an_expected_answer():
    assert list(EXPECTED) == METRIC_NAMES


@pytest.mark.parametrize("name", list(EXPECTED))
def test_metric_answers_the_question(star, name):
    conn, _ = star
    result = run_metric(conn, name)
    columns, rows = EXPECTED[name]
    assert list(result.columns) == columns
    assert result.values.tolist() == rows


def test_metric_dtypes_are_plain_numbers(star):
    conn, _ = star
    # Decimal objects would reach the metrics table as text; floats and ints must come back as such.
    assert run_metric(conn, "sales_by_store_type").dtypes.tolist() == [object, "float64", "float64"]
    assert run_metric(conn, "online_vs_offline").dtypes.tolist() == [object, "int64", "int64"]
    assert run_metric(conn, "time_between_sales").dtypes.tolist() == ["int64", "float64", object]


def test_each_metric_reads_the_star_tables_its_sql_names():
    assert star_tables_read("stores_per_country") == ["dim_store_details"]
    assert star_tables_read("sales_by_month") == ["orders_table", "dim_date_times", "dim_products"]
    assert all(star_tables_read(name) for name in METRIC_NAMES)


def test_unknown_metric_is_refused(star):
    conn, _ = star
    with pytest.raises(KeyError, match="unknown metric 'nope'"):
        run_metric(conn, "nope")


def markdown_cells(text: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.split("|")[1:-1]] for line in text.splitlines()]


def test_result_markdown_is_readable():
    frame = pd.DataFrame({"store_type": ["Local", "Web Portal"], "total_sales": [1234567.5, 3.0], "n": [2020, 7]})
    cells = markdown_cells(result_markdown(frame))
    assert cells[0] == ["store_type", "total_sales", "n"]
    assert cells[1][0].startswith(":") and cells[1][1].endswith(":")  # text left, numbers right
    assert cells[2:] == [["Local", "1,234,567.50", "2020"], ["Web Portal", "3.00", "7"]]  # years not 2,020


def test_the_questions_are_answered_at_once_and_a_failed_one_names_its_error(star):
    _, database = star
    warehouse = StandInWarehouse(database)
    calls = 0
    lock = threading.Lock()
    # The first two connections wait for each other: reached only if two questions run at once
    # (one at a time, the barrier times out and the test fails).
    both_open = threading.Barrier(2, timeout=30)
    connect = warehouse.connect

    def counting_connect():
        nonlocal calls
        with lock:
            calls += 1
            first_two = calls <= 2
        if first_two:
            both_open.wait()
        return connect()

    warehouse.connect = counting_connect
    answers = dict(answer_questions(warehouse, ["top_localities", "nope", "sales_by_month"]))
    assert calls == 3 and not both_open.broken  # two connections were open at once
    assert answers["top_localities"].values.tolist() == EXPECTED["top_localities"][1]
    assert answers["sales_by_month"].values.tolist() == EXPECTED["sales_by_month"][1]
    assert isinstance(answers["nope"], KeyError)


# ---------------------------------------------------------------------------------------------
# Ground truth from the sandbox generator

DECIMALS = {"average_seconds": 3}


def assert_matches_truth(name: str, result: pd.DataFrame, truth: pd.DataFrame):
    """Same columns, same rows in the same order; decimals compared after the documented rounding."""
    assert list(result.columns) == list(truth.columns), name
    assert len(result) == len(truth), name
    for column in truth.columns:
        ours, theirs = result[column], truth[column]
        if pd.api.types.is_float_dtype(theirs) or pd.api.types.is_float_dtype(ours):
            places = DECIMALS.get(column, 2)
            assert ours.astype(float).round(places).tolist() == theirs.astype(float).round(places).tolist(), (
                name,
                column,
            )
        elif pd.api.types.is_integer_dtype(theirs):
            assert ours.astype("int64").tolist() == theirs.astype("int64").tolist(), (name, column)
        else:
            assert ours.astype(str).tolist() == theirs.astype(str).tolist(), (name, column)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1])
def test_every_metric_equals_the_sandbox_truth(conn, tmp_path, seed):
    from multinational_assets.sandbox.generate import generate_world

    generate_world(seed=seed, scale=1, out_dir=tmp_path)
    truth_dir = next(p for p in [tmp_path / "truth", tmp_path / "world" / "truth"] if p.is_dir())
    load_clean_tables(conn, read_truth_tables(truth_dir))

    started = time.perf_counter()
    report = build_star(conn)
    build_seconds = time.perf_counter() - started
    assert report["rows"]["orders_table"] == 120_123

    timings = {}
    for name in METRIC_NAMES:
        started = time.perf_counter()
        result = run_metric(conn, name)
        timings[name] = time.perf_counter() - started
        truth = pd.read_csv(truth_dir / "answers" / f"{name}.csv", keep_default_na=False, na_values=[""])
        assert_matches_truth(name, result, truth)
    metrics = ", ".join(f"{k} {v:.3f} s" for k, v in timings.items())
    print(f"\nseed {seed}: star built in {build_seconds:.2f} s; metrics {metrics}")
