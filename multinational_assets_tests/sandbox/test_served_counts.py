"""Every scale-1 figure of /work/shared/source-world.md, checked against what the servers serve.

The numbers below are copied from source-world.md, not read from the generator's manifest, and the
data is read the way the pipeline reads it: SQL on the legacy database, boto3 on the bucket, HTTP on
the stores API.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

pytestmark = pytest.mark.sandbox

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
GARBAGE = re.compile(r"^[A-Z0-9]{10}$")


def _kind(values: list) -> str:
    """'null', 'garbage' or 'valid' for one row's text fields."""
    if all(v == "NULL" for v in values):
        return "null"
    if all(isinstance(v, str) and GARBAGE.match(v) for v in values):
        return "garbage"
    return "valid"


@pytest.fixture(scope="module", autouse=True)
def _scale_one(sandbox):
    if sandbox.scale != 1:
        pytest.skip("the figures of source-world.md are for scale 1")


# -- users ---------------------------------------------------------------------------------------------
def test_legacy_users(sandbox):
    with sandbox.connect() as conn:
        cur = conn.execute("SELECT * FROM legacy_users")
        names = [d.name for d in cur.description]
        rows = [dict(zip(names, r)) for r in cur.fetchall()]
    text_columns = [c for c in names if c != "index"]
    kinds = Counter(_kind([r[c] for c in text_columns]) for r in rows)
    assert len(rows) == 15_320
    assert kinds == {"valid": 15_284, "null": 21, "garbage": 15}
    valid = [r for r in rows if _kind([r[c] for c in text_columns]) == "valid"]
    assert Counter(r["country"] for r in valid) == {"United Kingdom": 9_371, "Germany": 4_708, "United States": 1_205}
    assert sum(not ISO_DATE.match(r["date_of_birth"]) for r in valid) == 27
    assert sum(not ISO_DATE.match(r["join_date"]) for r in valid) == 23
    assert sum(r["country_code"] == "GGB" for r in valid) == 6
    assert sum("@@" in r["email_address"] for r in valid) == 42
    # Physical order is not sorted by index.
    assert [r["index"] for r in rows] != sorted(r["index"] for r in rows)


# -- orders --------------------------------------------------------------------------------------------
def test_orders_table(sandbox):
    with sandbox.connect() as conn:
        total, uuids, users, cards, stores, products, named, web, qmin, qmax, ones = conn.execute(
            """
            SELECT count(*), count(DISTINCT date_uuid), count(DISTINCT user_uuid), count(DISTINCT card_number),
                   count(DISTINCT store_code), count(DISTINCT product_code),
                   count(first_name), count(*) FILTER (WHERE store_code LIKE 'WEB-%'),
                   min(product_quantity), max(product_quantity), count("1")
            FROM orders_table
            """
        ).fetchone()
    assert total == 120_123 and uuids == 120_123
    # Orders reference every valid user, card, store (web store included) and product.
    assert (users, cards, stores, products) == (15_284, 15_284, 441, 1_846)
    assert 14_000 <= named <= 16_000  # "about 15k"
    assert 0.20 <= web / total <= 0.24  # "about 22%"
    assert (qmin, qmax) == (1, 15)
    assert ones == 0


# -- card details (the PDF, read with tabula as the pipeline does) --------------------------------------
@pytest.mark.slow
def test_card_details_pdf(sandbox, tmp_path):
    import tabula

    data = sandbox.s3_client().get_object(Bucket="data-handling-public", Key="card_details.pdf")["Body"].read()
    path = tmp_path / "card_details.pdf"
    path.write_bytes(data)
    assert len(re.findall(rb"/Type\s*/Page[^s]", data)) == 279
    frames = tabula.read_pdf(str(path), pages="all", lattice=True, pandas_options={"dtype": str})
    columns = ["card_number", "expiry_date", "card_provider", "date_payment_confirmed"]
    assert all(list(f.columns) == columns for f in frames)
    rows = [list(r) for f in frames for r in f.itertuples(index=False, name=None)]
    kinds = Counter(_kind(r) for r in rows)
    assert len(rows) == 15_309
    assert kinds == {"valid": 15_284, "null": 11, "garbage": 14}
    valid = [dict(zip(columns, r)) for r in rows if _kind(r) == "valid"]
    assert Counter(r["card_provider"] for r in valid) == {
        "VISA 16 digit": 2_426, "JCB 16 digit": 2_403, "VISA 13 digit": 1_382, "JCB 15 digit": 1_363,
        "VISA 19 digit": 1_349, "Diners Club / Carte Blanche": 1_312, "American Express": 1_297,
        "Maestro": 1_281, "Discover": 1_260, "Mastercard": 1_211,
    }
    assert sum(r["card_number"].startswith("?") for r in valid) == 26
    assert sum(not ISO_DATE.match(r["date_payment_confirmed"]) for r in valid) == 8
    assert all(re.match(r"^\d{2}/\d{2}$", r["expiry_date"]) for r in valid)


# -- store details (the API) ---------------------------------------------------------------------------
def test_stores_api(sandbox):
    session = requests.Session()
    session.headers["x-api-key"] = sandbox.api_key
    count = session.get(f"{sandbox.api_url}/number_stores", timeout=10).json()
    assert count == {"statusCode": 200, "number_stores": 451}
    with ThreadPoolExecutor(max_workers=16) as pool:
        stores = list(pool.map(lambda n: session.get(f"{sandbox.api_url}/store_details/{n}", timeout=10).json(), range(451)))
    assert session.get(f"{sandbox.api_url}/store_details/451", timeout=10).status_code == 404
    assert all(list(s) == ["index", "address", "longitude", "lat", "locality", "store_code", "staff_numbers",
                           "opening_date", "store_type", "latitude", "country_code", "continent"] for s in stores)

    def kind(store: dict) -> str:
        return _kind([v for k, v in store.items() if k != "index"])

    assert Counter(kind(s) for s in stores) == {"valid": 441, "null": 3, "garbage": 7}
    valid = [s for s in stores if kind(s) == "valid"]
    web = [s for s in valid if s["store_type"] == "Web Portal"]
    assert len(web) == 1 and stores[0] is not None and stores[0]["store_type"] == "Web Portal"
    assert stores[0]["store_code"].startswith("WEB-") and stores[0]["latitude"] is None
    assert (stores[0]["country_code"], stores[0]["continent"]) == ("GB", "Europe")
    physical = [s for s in valid if s["store_type"] != "Web Portal"]
    assert Counter(s["country_code"] for s in physical) == {"GB": 265, "DE": 141, "US": 34}
    assert Counter(s["store_type"] for s in physical) == {"Local": 255, "Super Store": 89, "Mall Kiosk": 51, "Outlet": 45}
    assert [n for _, n in Counter(s["locality"] for s in physical).most_common(7)] == [14, 13, 12, 11, 10, 10, 10]
    assert all(re.match(r"^[A-Z]{2}-[0-9A-F]{8}$", s["store_code"]) for s in physical)
    assert sum(not s["staff_numbers"].isdigit() for s in valid) == 5
    assert sum(not ISO_DATE.match(s["opening_date"]) for s in valid) == 12
    assert sum(s["continent"].startswith("ee") for s in valid) == 26


# -- products ------------------------------------------------------------------------------------------
def test_products_csv(sandbox):
    body = sandbox.s3_client().get_object(Bucket="data-handling-public", Key="products.csv")["Body"].read()
    reader = csv.reader(io.StringIO(body.decode("utf-8"), newline=""))
    header = next(reader)
    assert header == ["", "product_name", "product_price", "weight", "category", "EAN", "date_added", "uuid",
                      "removed", "product_code"]
    rows = [dict(zip(header, r)) for r in reader]
    assert len(rows) == 1_853

    def kind(row: dict) -> str:
        return _kind([v for k, v in row.items() if k != ""])

    assert Counter(kind(r) for r in rows) == {"valid": 1_846, "null": 4, "garbage": 3}
    valid = [r for r in rows if kind(r) == "valid"]
    assert Counter(r["category"] for r in valid) == {
        "homeware": 1_138, "toys-and-games": 257, "food-and-drink": 250, "pets": 93,
        "sports-and-leisure": 40, "health-and-beauty": 40, "diy": 28,
    }
    assert Counter(r["removed"] for r in valid) == {"Still_avaliable": 1_752, "Removed": 94}
    forms = Counter()
    for r in valid:
        w = r["weight"]
        form = ("kg_decimal" if re.fullmatch(r"\d+\.\d+kg", w) else
                "g_whole" if re.fullmatch(r"\d+g", w) else
                "kg_whole" if re.fullmatch(r"\d+kg", w) else
                "multipack" if re.fullmatch(r"\d+ x \d+(\.\d+)?g", w) else
                "g_decimal" if re.fullmatch(r"\d+\.\d+g", w) else
                "ml" if re.fullmatch(r"\d+(\.\d+)?ml", w) else
                "g_dot" if w == "77g ." else
                "oz" if re.fullmatch(r"\d+(\.\d+)?oz", w) else w)
        forms[form] += 1
    assert forms == {"kg_decimal": 852, "g_whole": 835, "kg_whole": 102, "multipack": 28, "g_decimal": 18,
                     "ml": 9, "g_dot": 1, "oz": 1}
    assert all(re.fullmatch(r"£\d+\.\d+", r["product_price"]) for r in valid)
    assert sum(not ISO_DATE.match(r["date_added"]) for r in valid) == 2
    assert all(re.fullmatch(r"\d{10,17}", r["EAN"]) for r in valid)
    assert len({r["product_code"] for r in valid}) == 1_846


# -- date details --------------------------------------------------------------------------------------
def test_date_details_json(sandbox):
    body = sandbox.s3_client().get_object(Bucket="data-handling-public", Key="date_details.json")["Body"].read()
    data = json.loads(body)
    assert list(data) == ["timestamp", "month", "year", "day", "time_period", "date_uuid"]
    labels = list(data["timestamp"])
    assert all(list(column) == labels for column in data.values())
    assert len(labels) == 120_161
    kinds = Counter(_kind([data[c][label] for c in data]) for label in labels)
    assert kinds == {"valid": 120_123, "null": 15, "garbage": 23}
    valid = [label for label in labels if _kind([data[c][label] for c in data]) == "valid"]
    years = {int(data["year"][label]) for label in valid}
    assert min(years) == 1992 and max(years) == 2022
    assert {data["time_period"][label] for label in valid} == {"Morning", "Midday", "Evening", "Late_Hours"}
    with sandbox.connect() as conn:
        order_uuids = {r[0] for r in conn.execute("SELECT date_uuid FROM orders_table")}
    assert order_uuids == {data["date_uuid"][label] for label in valid}  # each order names one date row
