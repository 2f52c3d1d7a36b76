"""The sandbox generator: determinism, and every scale-1 figure of source-world.md.

Every check reads the generated files back with its own parsers (CSV, JSON, and a small PDF
content-stream reader independent of reportlab); the expected figures are written out here from
source-world.md, not taken from the generator's tables. The scale-1 world is generated once per
test session (`scale1_world`, shared with test_truth.py).
"""

from __future__ import annotations

import json
import re
import zlib
from base64 import a85decode
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from multinational_assets.sandbox.generate import generate_world, scaled

SEED = 20240
_WORLDS: dict[tuple[int, float], Path] = {}


def world_at(tmp_path_factory: pytest.TempPathFactory, seed: int = SEED, scale: float = 1) -> Path:
    """A generated world, made once per session for each (seed, scale)."""
    key = (seed, scale)
    if key not in _WORLDS:
        out = tmp_path_factory.mktemp(f"world_{seed}_{scale}")
        generate_world(seed, scale, out)
        _WORLDS[key] = out
    return _WORLDS[key]


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return world_at(tmp_path_factory)


# ------------------------------------------------------------------------------------------------
# Independent readers
# ------------------------------------------------------------------------------------------------

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
ISO = r"\d{4}-\d{2}-\d{2}"
ODD_FORMATS = (r"\d{4}/\d{2}/\d{2}", rf"(?:{'|'.join(MONTHS)}) \d{{4}} \d{{2}}",
               rf"\d{{4}} (?:{'|'.join(MONTHS)}) \d{{2}}")
GARBAGE = r"[A-Z0-9]{10}"


def parse_any_date(text: str) -> date:
    """A date in ISO or one of the three odd source formats."""
    if re.fullmatch(ISO, text):
        return date.fromisoformat(text)
    if re.fullmatch(ODD_FORMATS[0], text):
        y, m, d = text.split("/")
        return date(int(y), int(m), int(d))
    a, b, c = text.split(" ")
    if a in MONTHS:  # "January 1951 27"
        return date(int(b), MONTHS.index(a) + 1, int(c))
    return date(int(a), MONTHS.index(b) + 1, int(c))  # "1968 October 16"


def odd_format(text: str) -> int | None:
    """Which odd format (0, 1, 2) a date is in; None for ISO."""
    for i, pattern in enumerate(ODD_FORMATS):
        if re.fullmatch(pattern, text):
            return i
    assert re.fullmatch(ISO, text), text
    return None


def read_copy_csv(path: Path) -> pd.DataFrame:
    """A COPY CSV as text: every value a string, an unquoted empty field NaN ("NULL" stays text)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])


def split_dirty(frame: pd.DataFrame, text_columns: list[str]) -> tuple[pd.Series, pd.Series]:
    """Masks of NULL rows and garbage rows over `text_columns`."""
    values = frame[text_columns]
    null = (values == "NULL").all(axis=1)
    garbage = values.apply(lambda c: c.fillna("").str.fullmatch(GARBAGE)).all(axis=1)
    return null, garbage


def _pdf_objects(data: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    """Object number -> (dictionary text, decoded stream or None), for an unencrypted PDF."""
    objects = {}
    for match in re.finditer(rb"(\d+) 0 obj\s*", data):
        number, start = int(match.group(1)), match.end()
        end = data.index(b"endobj", start)
        body = data[start:end]
        stream_at = body.find(b"stream")
        if stream_at < 0:
            objects[number] = (body, None)
            continue
        head = body[:stream_at]
        length = int(re.search(rb"/Length (\d+)", head).group(1))
        begin = start + stream_at + len(b"stream")
        begin += 2 if data[begin:begin + 2] == b"\r\n" else 1
        end = data.index(b"endobj", begin + length)  # the stream may contain the word by chance
        raw = data[begin:begin + length]
        filters = re.findall(rb"/(ASCII85Decode|FlateDecode)", head)
        for name in filters:  # listed in the order they apply when decoding
            raw = a85decode(raw.strip(), adobe=True) if name == b"ASCII85Decode" \
                else zlib.decompress(raw)
        objects[number] = (head, raw)
    return objects


_TOKEN = re.compile(rb"\((?:\\.|[^\\)])*\)|/[^\s/\[\]()<>]+|[-+]?\d*\.?\d+|[A-Za-z*']+")


def read_pdf_pages(path: Path) -> list[dict]:
    """Each page of a PDF: its table rows (cell texts top to bottom, left to right) and the
    number of straight line segments drawn on it."""
    objects = _pdf_objects(path.read_bytes())
    pages_obj = next(head for head, _ in objects.values() if re.search(rb"/Type /Pages\b", head))
    kids = [int(n) for n in re.findall(rb"(\d+) 0 R", re.search(rb"/Kids \[(.*?)\]", pages_obj,
                                                                 re.S).group(1))]
    count = int(re.search(rb"/Count (\d+)", pages_obj).group(1))
    assert count == len(kids)
    pages = []
    for kid in kids:
        head, _ = objects[kid]
        content = objects[int(re.search(rb"/Contents (\d+) 0 R", head).group(1))][1]
        cells, segments = [], 0
        operands: list[bytes] = []
        x = y = leading = 0.0
        for token in _TOKEN.findall(content):
            if token[:1] in b"(/" or re.fullmatch(rb"[-+]?\d*\.?\d+", token):
                operands.append(token)
                continue
            op = token
            if op == b"BT":
                x = y = 0.0
            elif op == b"Tm":
                x, y = float(operands[-2]), float(operands[-1])
            elif op == b"Td":
                x, y = x + float(operands[-2]), y + float(operands[-1])
            elif op == b"TL":
                leading = float(operands[-1])
            elif op == b"T*":
                y -= leading
            elif op == b"Tj":
                text = re.sub(rb"\\(.)", rb"\1", operands[-1][1:-1]).decode("latin-1")
                cells.append((round(y, 1), x, text))
            elif op == b"l":
                segments += 1
            operands = []
        rows: dict[float, list] = {}
        for row_y, cell_x, text in cells:
            rows.setdefault(row_y, []).append((cell_x, text))
        table = [[t for _, t in sorted(rows[k])] for k in sorted(rows, reverse=True)]
        pages.append({"rows": table, "segments": segments})
    return pages


@pytest.fixture(scope="session")
def pdf_pages(world: Path) -> list[dict]:
    return read_pdf_pages(world / "s3" / "card_details.pdf")


@pytest.fixture(scope="session")
def cards_raw(pdf_pages: list[dict]) -> pd.DataFrame:
    rows = [[page_no, *row] for page_no, page in enumerate(pdf_pages, 1) for row in page["rows"][1:]]
    return pd.DataFrame(rows, columns=["page", "card_number", "expiry_date", "card_provider",
                                       "date_payment_confirmed"])


@pytest.fixture(scope="session")
def users_raw(world: Path) -> pd.DataFrame:
    return read_copy_csv(world / "legacy" / "legacy_users.csv")


@pytest.fixture(scope="session")
def orders_raw(world: Path) -> pd.DataFrame:
    return read_copy_csv(world / "legacy" / "orders_table.csv")


@pytest.fixture(scope="session")
def stores_raw(world: Path) -> list[dict]:
    return json.loads((world / "api" / "stores.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def products_raw(world: Path) -> pd.DataFrame:
    return pd.read_csv(world / "s3" / "products.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="session")
def dates_raw(world: Path) -> pd.DataFrame:
    data = json.loads((world / "s3" / "date_details.json").read_text())
    return pd.DataFrame(data)


def valid_only(frame: pd.DataFrame, text_columns: list[str]) -> pd.DataFrame:
    null, garbage = split_dirty(frame, text_columns)
    return frame[~null & ~garbage]


USER_TEXT = ["first_name", "last_name", "date_of_birth", "company", "email_address", "address",
             "country", "country_code", "phone_number", "join_date", "user_uuid"]
CARD_TEXT = ["card_number", "expiry_date", "card_provider", "date_payment_confirmed"]
STORE_KEYS = ["index", "address", "longitude", "lat", "locality", "store_code", "staff_numbers",
              "opening_date", "store_type", "latitude", "country_code", "continent"]
PRODUCT_TEXT = ["product_name", "product_price", "weight", "category", "EAN", "date_added", "uuid",
                "removed", "product_code"]
DATE_TEXT = ["timestamp", "month", "year", "day", "time_period", "date_uuid"]
UUID4 = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"


# ------------------------------------------------------------------------------------------------
# Determinism and scale
# ------------------------------------------------------------------------------------------------

def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    first = _files(_generate(tmp_path / "a", 7))
    again = _files(_generate(tmp_path / "b", 7))
    other = _files(_generate(tmp_path / "c", 8))
    assert first.keys() == again.keys() == other.keys()
    assert [name for name in first if first[name] != again[name]] == []
    sources = ["legacy/legacy_users.csv", "legacy/orders_table.csv",
               "legacy/legacy_store_details.csv", "s3/products.csv", "s3/card_details.pdf",
               "s3/date_details.json", "api/stores.json"]
    assert [name for name in sources if first[name] == other[name]] == []


def _generate(out: Path, seed: int) -> Path:
    generate_world(seed, 0.05, out)
    return out


def test_layout_and_manifest(world: Path) -> None:
    expected = {"manifest.json", "legacy/legacy_users.csv", "legacy/orders_table.csv",
                "legacy/legacy_store_details.csv", "s3/products.csv", "s3/card_details.pdf",
                "s3/date_details.json", "api/stores.json"}
    tables = ["dim_users", "dim_card_details", "dim_store_details", "dim_products",
              "dim_date_times", "orders_table"]
    expected |= {f"truth/{t}.csv" for t in tables} | {f"truth/quarantine/{t}.csv" for t in tables}
    expected |= {f"truth/answers/{m}.csv" for m in (
        "stores_per_country", "top_localities", "sales_by_month", "online_vs_offline",
        "sales_by_store_type", "top_year_months", "staff_by_country", "german_sales_by_store_type",
        "time_between_sales")}
    assert set(_files(world)) == expected
    manifest = json.loads((world / "manifest.json").read_text())
    assert manifest["seed"] == SEED and manifest["scale"] == 1
    rows = {name: c["rows"] for name, c in manifest["counts"].items()}
    assert rows == {"legacy_users": 15320, "orders_table": 120123, "card_details": 15309,
                    "store_details": 451, "products": 1853, "date_details": 120161,
                    "legacy_store_details": rows["legacy_store_details"]}


def test_scaling_rule() -> None:
    assert scaled(15284, 10) == 152840
    assert scaled(21, 0.05) == 1  # 1.05 rounds to 1
    assert scaled(1, 0.05) == 1  # at least 1 where non-zero
    assert scaled(0, 3) == 0
    assert scaled(5, 0.5) == 3  # half up


def test_small_scale_counts_follow_the_rule(tmp_path_factory: pytest.TempPathFactory) -> None:
    out = world_at(tmp_path_factory, seed=7, scale=0.05)
    users = read_copy_csv(out / "legacy" / "legacy_users.csv")
    null, garbage = split_dirty(users, USER_TEXT)
    assert (int(null.sum()), int(garbage.sum())) == (scaled(21, 0.05), scaled(15, 0.05))
    assert len(users) == sum(scaled(n, 0.05) for n in (9371, 4708, 1205, 21, 15))
    stores = json.loads((out / "api" / "stores.json").read_text(encoding="utf-8"))
    assert sum(s["store_type"] == "Web Portal" for s in stores) == 1  # one web store at any scale
    assert len(stores) == 1 + sum(scaled(n, 0.05) for n in (265, 141, 34, 3, 7))


# ------------------------------------------------------------------------------------------------
# users
# ------------------------------------------------------------------------------------------------

def test_users_shape_and_dirty_rows(users_raw: pd.DataFrame) -> None:
    assert list(users_raw.columns) == ["index", *USER_TEXT]
    assert len(users_raw) == 15320
    null, garbage = split_dirty(users_raw, USER_TEXT)
    assert (int(null.sum()), int(garbage.sum())) == (21, 15)
    index = users_raw["index"].astype(int)
    assert index.is_unique and not index.is_monotonic_increasing


def test_users_copy_csv_quoting(world: Path) -> None:
    text = (world / "legacy" / "legacy_users.csv").read_text(encoding="utf-8")
    header, body = text.split("\n", 1)
    assert header == "index," + ",".join(USER_TEXT)
    # Every record: a bare integer, then 11 quoted strings (no NULLs among users).
    record = r'\d+(?:,"(?:[^"]|"")*"){11}\n'
    assert re.fullmatch(f"(?:{record})*", body)


def test_users_splits_and_dirt(users_raw: pd.DataFrame) -> None:
    valid = valid_only(users_raw, USER_TEXT)
    assert len(valid) == 15284
    assert valid["country"].value_counts().to_dict() == {
        "United Kingdom": 9371, "Germany": 4708, "United States": 1205}
    for column, odd_count in (("date_of_birth", 27), ("join_date", 23)):
        formats = valid[column].map(odd_format)
        assert formats.notna().sum() == odd_count
        assert set(formats.dropna()) == {0, 1, 2}
    ggb = valid["country_code"] == "GGB"
    assert ggb.sum() == 6 and (valid.loc[ggb, "country"] == "United Kingdom").all()
    assert set(valid["country_code"]) == {"GB", "GGB", "DE", "US"}
    assert valid["email_address"].str.contains("@@", regex=False).sum() == 42
    assert (valid["email_address"].str.count("@") >= 1).all()
    assert valid["user_uuid"].str.fullmatch(UUID4).all() and valid["user_uuid"].is_unique


def test_users_traps(users_raw: pd.DataFrame) -> None:
    valid = valid_only(users_raw, USER_TEXT)
    assert {"Klaus-D.", "Hans D."} <= set(valid["first_name"])
    assert "O'Connor" in set(valid["last_name"])
    assert valid["address"].str.contains("Gießen", regex=False).any()
    assert valid["address"].str.contains("\n", regex=False).all()
    dob = valid["date_of_birth"].map(parse_any_date)
    joined = valid["join_date"].map(parse_any_date)
    assert (joined < dob).sum() == 740
    phones = valid["phone_number"]
    for sample in (r"\+44\(0\)\d+ \d+", r"\(0\d+\)\d+", r"\+49\(0\) \d+", r"001-\d{3}-\d{3}-\d{4}x\d+",
                   r"\d{3}\.\d{3}\.\d{4}x\d+"):
        assert phones.str.fullmatch(sample).any(), sample


# ------------------------------------------------------------------------------------------------
# card details (PDF)
# ------------------------------------------------------------------------------------------------

def test_pdf_pages_and_rules(pdf_pages: list[dict]) -> None:
    assert len(pdf_pages) == 279
    header = ["card_number", "expiry_date", "card_provider", "date_payment_confirmed"]
    for page in pdf_pages:
        assert page["rows"][0] == header
        data_rows = len(page["rows"]) - 1
        assert 1 <= data_rows <= 55 and all(len(r) == 4 for r in page["rows"])
        # Ruled: a line above, below and between every row, and one at every column edge.
        assert page["segments"] == (data_rows + 2) + 5
    assert [len(p["rows"]) - 1 for p in pdf_pages[:-1]] == [55] * 278


def test_cards_counts_and_dirt(cards_raw: pd.DataFrame) -> None:
    assert len(cards_raw) == 15309
    null, garbage = split_dirty(cards_raw, CARD_TEXT)
    assert (int(null.sum()), int(garbage.sum())) == (11, 14)
    valid = cards_raw[~null & ~garbage]
    assert valid["card_provider"].value_counts().to_dict() == {
        "VISA 16 digit": 2426, "JCB 16 digit": 2403, "VISA 13 digit": 1382, "JCB 15 digit": 1363,
        "VISA 19 digit": 1349, "Diners Club / Carte Blanche": 1312, "American Express": 1297,
        "Maestro": 1281, "Discover": 1260, "Mastercard": 1211}
    prefixed = valid["card_number"].str.fullmatch(r"\?{1,4}\d+")
    assert prefixed.sum() == 26
    assert valid["card_number"].str.fullmatch(r"\?{0,4}\d+").all()
    assert valid["expiry_date"].str.fullmatch(r"(0[1-9]|1[0-2])/\d{2}").all()
    formats = valid["date_payment_confirmed"].map(odd_format)
    assert formats.notna().sum() == 8


def test_card_numbers_follow_their_provider(cards_raw: pd.DataFrame) -> None:
    valid = valid_only(cards_raw, CARD_TEXT)
    digits = valid["card_number"].str.lstrip("?")
    assert digits.is_unique
    lengths = digits.str.len().groupby(valid["card_provider"]).agg(lambda s: set(s))
    assert lengths["Maestro"] == {12, 11, 9}
    expected = {"VISA 16 digit": 16, "JCB 16 digit": 16, "VISA 13 digit": 13, "JCB 15 digit": 15,
                "VISA 19 digit": 19, "Diners Club / Carte Blanche": 14, "American Express": 15,
                "Discover": 16, "Mastercard": 16}
    for provider, length in expected.items():
        assert lengths[provider] == {length}, provider
    starts = {"VISA 16 digit": r"4", "VISA 13 digit": r"4", "VISA 19 digit": r"4",
              "American Express": r"3[47]", "Mastercard": r"(5[1-5]|2[2-7])",
              "Discover": r"6", "JCB 16 digit": r"35", "JCB 15 digit": r"(2131|1800)"}
    for provider, prefix in starts.items():
        assert digits[valid["card_provider"] == provider].str.match(prefix).all(), provider
    assert not digits.str.startswith("0").any()  # stays exact as a BIGINT in orders_table


# ------------------------------------------------------------------------------------------------
# store details (API)
# ------------------------------------------------------------------------------------------------

def test_stores_shape_and_web_store(stores_raw: list[dict]) -> None:
    assert len(stores_raw) == 451
    assert all(list(s) == STORE_KEYS for s in stores_raw)
    assert [s["index"] for s in stores_raw] == list(range(451))
    web = stores_raw[0]
    assert re.fullmatch(r"WEB-\d{7}W", web["store_code"])
    assert (web["store_type"], web["address"], web["longitude"], web["lat"], web["locality"],
            web["latitude"], web["country_code"], web["continent"]) == (
        "Web Portal", "N/A", "N/A", "N/A", "N/A", None, "GB", "Europe")
    assert web["staff_numbers"].isdigit()
    assert sum(s["store_type"] == "Web Portal" for s in stores_raw) == 1


def _stores_frame(stores_raw: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(stores_raw)


def test_stores_counts_and_splits(stores_raw: list[dict]) -> None:
    frame = _stores_frame(stores_raw)
    text = STORE_KEYS[1:]
    values = frame[text]
    null = (values == "NULL").all(axis=1)
    garbage = values.apply(lambda c: c.astype(str).str.fullmatch(GARBAGE)).all(axis=1)
    assert (int(null.sum()), int(garbage.sum())) == (3, 7)
    physical = frame[~null & ~garbage].iloc[1:]
    assert len(physical) == 440 and physical["lat"].isna().all()
    assert physical["country_code"].value_counts().to_dict() == {"GB": 265, "DE": 141, "US": 34}
    assert physical["store_type"].value_counts().to_dict() == {
        "Local": 255, "Super Store": 89, "Mall Kiosk": 51, "Outlet": 45}
    top = physical["locality"].value_counts().sort_values(ascending=False).tolist()
    assert top[:7] == [14, 13, 12, 11, 10, 10, 10] and top[7] < 10
    codes = physical["store_code"]
    assert codes.str.fullmatch(r"[A-Z]{2}-[0-9A-F]{8}").all() and codes.is_unique
    assert (codes.str[:2] == physical["locality"].str[:2].str.upper()).all()


def test_stores_dirt_and_swapped_coordinates(stores_raw: list[dict]) -> None:
    frame = _stores_frame(stores_raw)
    physical = valid_only(frame.astype({"index": str}), STORE_KEYS[1:]).iloc[1:]
    staff = physical["staff_numbers"]
    lettered = ~staff.str.fullmatch(r"\d+")
    assert lettered.sum() == 5 and staff[lettered].str.fullmatch(r"\d*[A-Za-z]\d*").all()
    assert physical["opening_date"].map(odd_format).notna().sum() == 12
    assert physical["continent"].str.startswith("ee").sum() == 26
    assert set(physical["continent"].str.removeprefix("ee")) == {"Europe", "America"}
    # The field named `longitude` holds the latitude: UK and German latitudes are 47-58 degrees.
    europe = physical[physical["country_code"].isin(["GB", "DE"])]
    assert europe["longitude"].astype(float).between(47, 59).all()
    assert europe["latitude"].astype(float).between(-8, 16).all()
    us = physical[physical["country_code"] == "US"]
    assert us["latitude"].astype(float).lt(-60).all()
    assert physical["longitude"].str.fullmatch(r"-?\d+\.\d{5}").all()


def test_decoy_table_is_another_copy(world: Path, stores_raw: list[dict]) -> None:
    decoy = read_copy_csv(world / "legacy" / "legacy_store_details.csv")
    assert list(decoy.columns) == STORE_KEYS
    assert 0 < len(decoy) != 451
    api_codes = {s["store_code"] for s in stores_raw}
    assert not set(decoy["store_code"]) <= api_codes


# ------------------------------------------------------------------------------------------------
# products
# ------------------------------------------------------------------------------------------------

def test_products_shape_and_dirty_rows(world: Path, products_raw: pd.DataFrame) -> None:
    first_line = (world / "s3" / "products.csv").read_text(encoding="utf-8").split("\n", 1)[0]
    assert first_line == ",product_name,product_price,weight,category,EAN,date_added,uuid,removed,product_code"
    assert len(products_raw) == 1853
    assert products_raw.iloc[:, 0].tolist() == [str(i) for i in range(1853)]
    null, garbage = split_dirty(products_raw, PRODUCT_TEXT)
    assert (int(null.sum()), int(garbage.sum())) == (4, 3)


def test_products_splits_and_forms(products_raw: pd.DataFrame) -> None:
    valid = valid_only(products_raw, PRODUCT_TEXT)
    assert len(valid) == 1846
    assert valid["category"].value_counts().to_dict() == {
        "homeware": 1138, "toys-and-games": 257, "food-and-drink": 250, "pets": 93,
        "sports-and-leisure": 40, "health-and-beauty": 40, "diy": 28}
    assert valid["removed"].value_counts().to_dict() == {"Still_avaliable": 1752, "Removed": 94}
    assert valid["product_price"].str.fullmatch(r"£\d+\.\d{2}").all()
    forms = {r"\d+\.\d+kg": 852, r"\d+g": 835, r"\d+kg": 102, r"\d+ x \d+g": 28,
             r"\d+\.\d+g": 18, r"\d+ml": 9, r"77g \.": 1, r"16oz": 1}
    weight = valid["weight"]
    assert {p: int(weight.str.fullmatch(p).sum()) for p in forms} == forms
    assert (weight == "1160kg").sum() == 1 and (weight == "2kg").sum() >= 1
    assert valid["date_added"].map(odd_format).notna().sum() == 2
    ean_lengths = valid["EAN"].str.len()
    assert valid["EAN"].str.fullmatch(r"\d+").all()
    assert (ean_lengths.min(), ean_lengths.max()) == (10, 17)
    assert valid["product_code"].is_unique and valid["uuid"].str.fullmatch(UUID4).all()
    assert valid["product_name"].duplicated().any()  # one name under several codes


# ------------------------------------------------------------------------------------------------
# date details
# ------------------------------------------------------------------------------------------------

def test_date_details_shape(world: Path, dates_raw: pd.DataFrame) -> None:
    text = (world / "s3" / "date_details.json").read_text()
    assert text.startswith('{"timestamp":{"0":"')
    assert list(dates_raw.columns) == DATE_TEXT
    assert dates_raw.index.tolist() == [str(i) for i in range(120161)]
    null, garbage = split_dirty(dates_raw, DATE_TEXT)
    assert (int(null.sum()), int(garbage.sum())) == (15, 23)


def test_date_details_values(dates_raw: pd.DataFrame) -> None:
    valid = valid_only(dates_raw, DATE_TEXT)
    assert len(valid) == 120123 and valid["date_uuid"].is_unique
    assert valid["month"].str.fullmatch(r"[1-9]|1[0-2]").all()
    assert valid["day"].str.fullmatch(r"[1-9]|[12]\d|3[01]").all()
    assert (valid["month"].str.len() == 1).any() and (valid["day"].str.len() == 1).any()
    years = valid["year"].astype(int)
    assert (years.min(), years.max()) == (1992, 2022)
    assert valid["timestamp"].str.fullmatch(r"([01]\d|2[0-3]):[0-5]\d:[0-5]\d").all()
    hour = valid["timestamp"].str[:2].astype(int)
    band = np.select([hour < 5, hour < 11, hour < 17, hour < 22],
                     ["Late_Hours", "Morning", "Midday", "Evening"], "Late_Hours")
    assert (valid["time_period"] == band).all()
    assert set(valid["time_period"]) == {"Morning", "Midday", "Evening", "Late_Hours"}


# ------------------------------------------------------------------------------------------------
# orders and references
# ------------------------------------------------------------------------------------------------

def test_orders_shape_and_text(world: Path, orders_raw: pd.DataFrame) -> None:
    assert list(orders_raw.columns) == ["level_0", "index", "date_uuid", "first_name",
                                        "last_name", "user_uuid", "card_number", "store_code",
                                        "product_code", "1", "product_quantity"]
    assert len(orders_raw) == 120123
    assert orders_raw["1"].isna().all()
    named = orders_raw["first_name"].notna()
    assert named.sum() == 15000 and (named == orders_raw["last_name"].notna()).all()
    quantity = orders_raw["product_quantity"].astype(int)
    assert (quantity.min(), quantity.max()) == (1, 15)
    body = (world / "legacy" / "orders_table.csv").read_text(encoding="utf-8").split("\n", 1)[1]
    name = r'(?:"(?:[^"]|"")*")?'
    record = (rf'\d+,\d+,"{UUID4}",{name},{name},"{UUID4}",\d+,"[^"]+","[^"]+",,\d+\n')
    assert re.fullmatch(f"(?:{record})*", body)


def test_orders_reference_every_valid_row(orders_raw: pd.DataFrame, users_raw: pd.DataFrame,
                                          cards_raw: pd.DataFrame, stores_raw: list[dict],
                                          products_raw: pd.DataFrame,
                                          dates_raw: pd.DataFrame) -> None:
    users = valid_only(users_raw, USER_TEXT)
    cards = valid_only(cards_raw, CARD_TEXT)
    stores = valid_only(_stores_frame(stores_raw).astype({"index": str}), STORE_KEYS[1:])
    products = valid_only(products_raw, PRODUCT_TEXT)
    dates = valid_only(dates_raw, DATE_TEXT)
    assert orders_raw["date_uuid"].is_unique
    assert set(orders_raw["date_uuid"]) == set(dates["date_uuid"])
    assert set(orders_raw["user_uuid"]) == set(users["user_uuid"])
    assert set(orders_raw["card_number"]) == set(cards["card_number"].str.lstrip("?"))
    assert set(orders_raw["store_code"]) == set(stores["store_code"])
    assert set(orders_raw["product_code"]) == set(products["product_code"])
    web_share = (orders_raw["store_code"] == stores_raw[0]["store_code"]).mean()
    assert 0.215 < web_share < 0.225
    # One card per user, and orders pay with it.
    pairs = orders_raw[["user_uuid", "card_number"]].drop_duplicates()
    assert pairs["user_uuid"].is_unique and pairs["card_number"].is_unique
    # Names, where given, are the user's.
    named = orders_raw[orders_raw["first_name"].notna()].merge(
        users[["user_uuid", "first_name", "last_name"]], on="user_uuid", suffixes=("", "_user"))
    assert (named["first_name"] == named["first_name_user"]).all()
    assert (named["last_name"] == named["last_name_user"]).all()


# ------------------------------------------------------------------------------------------------
# tabula (slow)
# ------------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_tabula_lattice_reads_every_row(world: Path) -> None:
    tabula = pytest.importorskip("tabula")
    frames = tabula.read_pdf(str(world / "s3" / "card_details.pdf"), pages="all", lattice=True,
                             pandas_options={"dtype": str})
    assert len(frames) == 279
    assert all(list(f.columns) == CARD_TEXT for f in frames)
    table = pd.concat(frames, ignore_index=True)
    assert len(table) == 15309
    assert table.notna().all().all()
    truth = pd.read_csv(world / "truth" / "dim_card_details.csv", dtype=str)
    assert set(truth["card_number"]) <= set(table["card_number"].str.lstrip("?"))
