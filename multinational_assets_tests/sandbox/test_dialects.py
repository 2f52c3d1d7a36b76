"""Dialects of the sandbox world: other spellings, the same truth.

Worlds of seed 0 at scale 0.25 in dialects 0, 1 and 2 are generated once per session. The files are
read back with the readers of test_generate.py and lined up row by row (a dialect never reorders
rows); every value of dialects 1 and 2 is then read with this module's own small readers (one per
spelling family of the brief, written here, independent of the generator and of the pipeline)
and must mean exactly what the dialect-0 value means.
"""

from __future__ import annotations

import json
import math
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd
import pytest

from multinational_assets.sandbox.generate import build_tables, generate_world
from multinational_assets_tests.sandbox.test_generate import (
    CARD_TEXT,
    DATE_TEXT,
    PRODUCT_TEXT,
    STORE_KEYS,
    USER_TEXT,
    read_copy_csv,
    read_pdf_pages,
)

SEED = 0
SCALE = 0.25
DIALECTS = (1, 2)
TRUTH_TABLES = ("dim_users", "dim_card_details", "dim_store_details", "dim_products",
                "dim_date_times", "orders_table")
ORDER_TEXT = ["date_uuid", "first_name", "last_name", "user_uuid", "store_code", "product_code"]


@pytest.fixture(scope="module")
def worlds(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    out = {}
    for dialect in (0, *DIALECTS):
        path = tmp_path_factory.mktemp(f"dialect{dialect}")
        generate_world(SEED, SCALE, path, dialect=dialect)
        out[dialect] = path
    return out


def _read_sources(world: Path) -> dict[str, pd.DataFrame]:
    """The six sources as frames of raw values (text, or None / a JSON number where so written)."""
    pdf_rows = [row for page in read_pdf_pages(world / "s3" / "card_details.pdf")
                for row in page["rows"][1:]]
    dates = json.loads((world / "s3" / "date_details.json").read_text(encoding="ascii"))
    return {
        "users": read_copy_csv(world / "legacy" / "legacy_users.csv").astype(object),
        "orders": read_copy_csv(world / "legacy" / "orders_table.csv").astype(object),
        "cards": pd.DataFrame(pdf_rows, columns=CARD_TEXT, dtype=object),
        "stores": pd.DataFrame(json.loads((world / "api" / "stores.json").read_text("utf-8")),
                               dtype=object),
        "products": pd.read_csv(world / "s3" / "products.csv", dtype=str,
                                keep_default_na=False).astype(object),
        "dates": pd.DataFrame(dates, dtype=object),
    }


@pytest.fixture(scope="module")
def sources(worlds: dict[int, Path]) -> dict[int, dict[str, pd.DataFrame]]:
    return {dialect: _read_sources(path) for dialect, path in worlds.items()}


TEXT_COLUMNS = {"users": USER_TEXT, "orders": ORDER_TEXT, "cards": CARD_TEXT,
                "stores": STORE_KEYS[1:], "products": PRODUCT_TEXT, "dates": DATE_TEXT}


# ------------------------------------------------------------------------------------------------
# Independent readers, one per spelling family
# ------------------------------------------------------------------------------------------------

MISSING = object()
HSPACE = " \t\u00a0"
MISSING_TOKENS = {"", "null", "none", "n/a", "nan", "#n/a"}
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december"]
MONTH_OF = {**{m: i + 1 for i, m in enumerate(MONTHS)}, **{m[:3]: i + 1 for i, m in enumerate(MONTHS)}}


def is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or (
        isinstance(value, str) and value.strip(HSPACE).lower() in MISSING_TOKENS)


def text(value: Any) -> str:
    assert isinstance(value, str), repr(value)
    return value.strip(HSPACE)


def free_text(value: Any) -> str:
    lines = str(value).replace("\r\n", "\n").split("\n")
    return "\n".join(re.sub(r"[ \t\u00a0]+", " ", line).strip(" ") for line in lines)


def uuid_value(value: Any) -> str:
    s = text(value).lower().removeprefix("urn:uuid:")
    if s.startswith("{"):
        assert s.endswith("}"), value
        s = s[1:-1]
    assert re.fullmatch(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}", s), value
    return s.replace("-", "")


def date_value(value: Any) -> date:
    """Every date spelling the brief allows; an ambiguous numeric date fails."""
    s = text(value)
    m = re.fullmatch(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ]00:00:00)?", s)
    if m:
        return date(int(m[1]), int(m[2]), int(m[3]))
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", s)
    if m:
        a, b, y = int(m[1]), int(m[2]), int(m[3])
        assert (a > 12) != (b > 12), f"ambiguous numeric date {value!r}"
        return date(y, b, a) if a > 12 else date(y, a, b)
    tokens = [t for t in re.split(r"[ ,\-]+", s) if t]
    assert len(tokens) == 3, value
    month = [t for t in tokens if t.lower() in MONTH_OF]
    year = [t for t in tokens if re.fullmatch(r"\d{4}", t)]
    day = [t for t in tokens if re.fullmatch(r"\d{1,2}(?:st|nd|rd|th)?", t)]
    assert len(month) == len(year) == len(day) == 1, value
    return date(int(year[0]), MONTH_OF[month[0].lower()], int(re.match(r"\d+", day[0])[0]))


def time_value(value: Any) -> str:
    m = re.fullmatch(r"(\d{1,2}):(\d{2}):(\d{2})(?: (AM|PM))?", text(value))
    assert m, value
    h = int(m[1])
    if m[4]:
        assert 1 <= h <= 12, value
        h = h % 12 + (12 if m[4] == "PM" else 0)
    return f"{h:02d}:{m[2]}:{m[3]}"


def count_value(value: Any) -> int:
    s = text(value)
    if s.lower() in MONTH_OF:
        return MONTH_OF[s.lower()]
    m = re.fullmatch(r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.0)?", s)
    assert m, value
    return int(m[1].replace(",", ""))


def staff_value(value: Any) -> int:
    s = text(value)
    if re.fullmatch(r"\d+(?:\.0)?|\d{1,3}(?:,\d{3})+", s):
        return count_value(s)
    assert re.fullmatch(r"[0-9A-Za-z]+", s), value
    letters = sum(ch.isalpha() for ch in s)
    digits = "".join(ch for ch in s if ch.isdigit())
    assert 1 <= letters <= 2 and (letters < len(digits) or (letters, len(digits)) == (1, 1)), value
    return int(digits)


def vocab_value(value: Any) -> str:
    s = re.sub(r"[\s_\-/]+", "", text(value)).lower()
    return {"uk": "unitedkingdom", "greatbritain": "unitedkingdom", "usa": "unitedstates",
            "unitedstatesofamerica": "unitedstates", "deutschland": "germany"}.get(s, s)


def continent_value(value: Any) -> str:
    s = text(value)
    for word in ("Europe", "America"):
        at = s.lower().find(word.lower())
        if at >= 0:
            junk = s[:at] + s[at + len(word):]
            assert len(junk) <= len(word) // 2, value
            return word
    raise AssertionError(value)


def country_code_value(value: Any) -> str:
    s = text(value)
    letters = re.sub(r"[^A-Za-z]", "", s).upper()
    if letters in ("GB", "DE", "US"):
        return letters
    assert letters in ("GGB", "GBR"), value  # the `GGB` dirt: junk around GB
    return "GB"


def money_value(value: Any) -> Decimal:
    s = text(value)
    m = re.fullmatch(r"(?:£ ?|GBP )?(\d{1,3}(?:,\d{3})+|\d+)\.(\d{2})(?: GBP|£)?", s)
    assert m and s.count("£") + s.count("GBP") <= 1, value
    return Decimal(m[1].replace(",", "") + "." + m[2])


_UNIT_KG = {"kg": 1, "kgs": 1, "kilograms": 1, "g": 1e-3, "grams": 1e-3, "mg": 1e-6, "ml": 1e-3,
            "l": 1, "oz": 0.028349523125, "lb": 0.45359237, "lbs": 0.45359237}


def weight_value(value: Any) -> float:
    s = text(value)
    m = re.fullmatch(r"(?:(\d+) ?[xX×] ?)?(\d+(?:\.\d+)?) ?([A-Za-z]+) ?[.,]*", s)
    assert m and m[3].lower() in _UNIT_KG, value
    count = int(m[1]) if m[1] else 1
    return count * float(m[2]) * _UNIT_KG[m[3].lower()]


def card_value(value: Any) -> str:
    s = text(value)
    m = re.fullmatch(r"([?#*']{0,4})(\d{4}(?:[ -]\d{1,4})+|\d+)(\.0)?", s)
    assert m and not (m[3] and re.search(r"[ -]", m[2])), value
    return re.sub(r"[ -]", "", m[2])


def expiry_value(value: Any) -> tuple[int, int]:
    m = re.fullmatch(r"(\d{1,2})[/-](\d{2}|\d{4})", text(value))
    assert m and 1 <= int(m[1]) <= 12, value
    return int(m[1]), int(m[2]) % 100


def still_available_value(value: Any) -> bool:
    s = re.sub(r"[\s_]+", "", text(value)).lower()
    assert s in ("stillavaliable", "stillavailable", "available", "removed"), value
    return s != "removed"


def email_value(value: Any) -> str:
    s = text(value).removeprefix("mailto:")
    s = re.sub(r" ?@{2,3} ?", "@", s)
    assert s.count("@") == 1 and " " not in s, value
    return s


def coordinate_value(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) else float(text(value))


def store_code_value(value: Any) -> str:
    return text(value).upper()


# Each source column's reader (columns not listed are free text).
READERS: dict[str, dict[str, Callable[[Any], Any]]] = {
    "users": {"date_of_birth": date_value, "join_date": date_value, "email_address": email_value,
              "country": vocab_value, "country_code": country_code_value, "phone_number": text,
              "user_uuid": uuid_value},
    "orders": {"date_uuid": uuid_value, "user_uuid": uuid_value, "store_code": store_code_value,
               "product_code": text},
    "cards": {"card_number": card_value, "expiry_date": expiry_value, "card_provider": vocab_value,
              "date_payment_confirmed": date_value},
    "stores": {"longitude": coordinate_value, "latitude": coordinate_value,
               "store_code": store_code_value, "staff_numbers": staff_value,
               "opening_date": date_value, "store_type": vocab_value,
               "country_code": country_code_value, "continent": continent_value},
    "products": {"product_price": money_value, "weight": weight_value, "category": vocab_value,
                 "EAN": text, "date_added": date_value, "uuid": uuid_value,
                 "removed": still_available_value, "product_code": text},
    "dates": {"timestamp": time_value, "month": count_value, "year": count_value,
              "day": count_value, "time_period": vocab_value, "date_uuid": uuid_value},
}


def meaning(source: str, column: str, value: Any) -> Any:
    if is_missing(value):
        return MISSING
    return READERS[source].get(column, free_text)(value)


def same_meaning(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=0.0)
    return a == b


GARBAGE_D0 = re.compile(r"[A-Z0-9]{10}")
GARBAGE_ANY = re.compile(r"[A-Za-z0-9#$%&*+=?!^~_]{8,14}")


def row_kinds(frame: pd.DataFrame, columns: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Masks of NULL rows (every field missing) and garbage rows (every field junk)."""
    values = frame[columns]
    null = values.apply(lambda c: c.map(is_missing)).all(axis=1).to_numpy()
    junk = values.apply(lambda c: c.map(lambda v: isinstance(v, str) and bool(
        GARBAGE_ANY.fullmatch(v)) and sum(ch.isalpha() for ch in v) >= 1)).all(axis=1).to_numpy()
    return null, junk & ~null


# ------------------------------------------------------------------------------------------------
# Truth, counts, determinism
# ------------------------------------------------------------------------------------------------

def _truth_files(world: Path) -> dict[str, bytes]:
    files = [world / "truth" / f"{t}.csv" for t in TRUTH_TABLES]
    files += sorted((world / "truth" / "answers").glob("*.csv"))
    return {str(p.relative_to(world)): p.read_bytes() for p in files}


@pytest.mark.parametrize("dialect", DIALECTS)
def test_truth_and_answers_are_byte_identical(worlds: dict[int, Path], dialect: int) -> None:
    base = _truth_files(worlds[0])
    assert len(base) == 6 + 9
    assert _truth_files(worlds[dialect]) == base


@pytest.mark.parametrize("dialect", DIALECTS)
def test_manifest_counts_and_dialect(worlds: dict[int, Path], dialect: int) -> None:
    base = json.loads((worlds[0] / "manifest.json").read_text())
    manifest = json.loads((worlds[dialect] / "manifest.json").read_text())
    assert "dialect" not in base  # dialect 0 writes the manifest it always wrote
    assert manifest["dialect"] == dialect
    assert (manifest["seed"], manifest["scale"], manifest["counts"]) == (
        base["seed"], base["scale"], base["counts"])
    pdf = read_pdf_pages(worlds[dialect] / "s3" / "card_details.pdf")
    assert len(pdf) == base["counts"]["card_details"]["pages"]


@pytest.mark.parametrize("dialect", DIALECTS)
def test_rows_null_and_garbage_counts(sources: dict, worlds: dict[int, Path], dialect: int) -> None:
    counts = json.loads((worlds[0] / "manifest.json").read_text())["counts"]
    names = {"users": "legacy_users", "orders": "orders_table", "cards": "card_details",
             "stores": "store_details", "products": "products", "dates": "date_details"}
    for source, name in names.items():
        base, frame = sources[0][source], sources[dialect][source]
        assert len(frame) == len(base) == counts[name]["rows"], source
        assert list(frame.columns) == list(base.columns), source
        null, garbage = row_kinds(frame, TEXT_COLUMNS[source])
        null0 = (base[TEXT_COLUMNS[source]] == "NULL").all(axis=1).to_numpy()
        garbage0 = base[TEXT_COLUMNS[source]].apply(
            lambda c: c.map(lambda v: isinstance(v, str) and bool(GARBAGE_D0.fullmatch(v)))
        ).all(axis=1).to_numpy()
        if source == "orders":
            assert not null.any() and not garbage.any()
            continue
        assert (null.sum(), garbage.sum()) == (counts[name]["null"], counts[name]["garbage"]), source
        assert (null == null0).all() and (garbage == garbage0).all(), source


@pytest.mark.parametrize("dialect", DIALECTS)
def test_quarantine_truth_is_the_rows_as_spelled(worlds: dict[int, Path], sources: dict,
                                                 dialect: int) -> None:
    q0 = pd.read_csv(worlds[0] / "truth" / "quarantine" / "dim_products.csv", dtype=str,
                     keep_default_na=False)
    q = pd.read_csv(worlds[dialect] / "truth" / "quarantine" / "dim_products.csv", dtype=str,
                    keep_default_na=False)
    assert list(q.columns) == list(q0.columns) and len(q) == len(q0)
    assert q["row_label"].tolist() == q0["row_label"].tolist()
    raw = sources[dialect]["products"]
    rows = raw.set_index(raw.columns[0]).loc[q["row_label"], PRODUCT_TEXT]
    assert (rows.to_numpy() == q[PRODUCT_TEXT].to_numpy()).all()
    assert (q[PRODUCT_TEXT].to_numpy() != q0[PRODUCT_TEXT].to_numpy()).any()
    for table in TRUTH_TABLES[:-1]:
        q0 = pd.read_csv(worlds[0] / "truth" / "quarantine" / f"{table}.csv", dtype=str)
        q = pd.read_csv(worlds[dialect] / "truth" / "quarantine" / f"{table}.csv", dtype=str)
        assert q.shape == q0.shape and list(q.columns) == list(q0.columns), table
        assert q.iloc[:, 0].tolist() == q0.iloc[:, 0].tolist(), table  # same rows, same order


def test_same_dialect_same_bytes_other_dialect_other_bytes(tmp_path: Path) -> None:
    def files(out: Path) -> dict[str, bytes]:
        return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}

    for dialect in DIALECTS:
        generate_world(3, 0.05, tmp_path / f"a{dialect}", dialect=dialect)
        generate_world(3, 0.05, tmp_path / f"b{dialect}", dialect=dialect)
        assert files(tmp_path / f"a{dialect}") == files(tmp_path / f"b{dialect}")
    one, two = files(tmp_path / "a1"), files(tmp_path / "a2")
    sources_ = ["legacy/legacy_users.csv", "legacy/orders_table.csv", "s3/products.csv",
                "s3/card_details.pdf", "s3/date_details.json", "api/stores.json"]
    assert [name for name in sources_ if one[name] == two[name]] == []
    assert one["legacy/legacy_store_details.csv"] == two["legacy/legacy_store_details.csv"]
    with pytest.raises(ValueError, match="dialect"):
        generate_world(3, 0.05, tmp_path / "bad", dialect=3)


# ------------------------------------------------------------------------------------------------
# Every value means what dialect 0 says
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("source", list(TEXT_COLUMNS))
def test_every_value_means_its_dialect_0_value(sources: dict, source: str, dialect: int) -> None:
    base, frame = sources[0][source], sources[dialect][source]
    columns = TEXT_COLUMNS[source]
    null, garbage = row_kinds(base, columns)
    valid = ~null & ~garbage
    for column in columns:
        wrong = [(a, b) for a, b in zip(base.loc[valid, column], frame.loc[valid, column])
                 if not same_meaning(meaning(source, column, a), meaning(source, column, b))]
        assert wrong == [], (column, wrong[:5])
    # The non-text columns are untouched.
    others = [c for c in base.columns if c not in columns]
    assert frame[others].astype(str).equals(base[others].astype(str))


@pytest.mark.parametrize("dialect", DIALECTS)
def test_garbage_is_never_a_key(sources: dict, dialect: int) -> None:
    for source, columns in TEXT_COLUMNS.items():
        frame = sources[dialect][source]
        _, garbage = row_kinds(frame, columns)
        for value in frame.loc[garbage, columns].to_numpy().ravel():
            assert not re.fullmatch(r"[0-9a-fA-F]{32}", value.replace("-", "")), value
            assert not re.fullmatch(r"\d{8,19}", value), value
            assert not re.fullmatch(r"[A-Za-z]+-[A-Za-z0-9]+", value), value
            assert not GARBAGE_D0.fullmatch(value) or dialect == 0


# The share of valid values a dialect spells differently from dialect 0, by column: at least this.
MIN_CHANGED = {
    "users": {"first_name": 0.03, "last_name": 0.03, "date_of_birth": 0.6, "company": 0.05,
              "email_address": 0.04, "address": 0.1, "country": 0.4, "country_code": 0.04,
              "phone_number": 0.03, "join_date": 0.6, "user_uuid": 0.5},
    "orders": {"date_uuid": 0.5, "user_uuid": 0.5, "store_code": 0.2, "product_code": 0.1},
    "cards": {"card_number": 0.4, "expiry_date": 0.25, "card_provider": 0.4,
              "date_payment_confirmed": 0.6},
    "stores": {"address": 0.1, "longitude": 0.3, "locality": 0.03, "store_code": 0.2,
               "staff_numbers": 0.2, "opening_date": 0.6, "store_type": 0.5, "latitude": 0.3,
               "continent": 0.3},
    "products": {"product_name": 0.05, "product_price": 0.5, "weight": 0.5, "category": 0.5,
                 "date_added": 0.6, "uuid": 0.5, "removed": 0.5, "product_code": 0.1},
    "dates": {"timestamp": 0.3, "month": 0.4, "day": 0.15, "time_period": 0.5, "date_uuid": 0.5},
}


@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_meaningful_share_of_values_is_respelled(sources: dict, dialect: int) -> None:
    shares = {}
    for source, columns in MIN_CHANGED.items():
        base, frame = sources[0][source], sources[dialect][source]
        null, garbage = row_kinds(base, TEXT_COLUMNS[source])
        valid = ~null & ~garbage
        for column, least in columns.items():
            a, b = base.loc[valid, column], frame.loc[valid, column]
            present = a.notna().to_numpy()
            changed = float((a[present].to_numpy() != b[present].to_numpy()).mean())
            shares[f"{source}.{column}"] = round(changed, 3)
            assert changed >= least, (source, column, changed)
    assert len(shares) == sum(len(c) for c in MIN_CHANGED.values())


# ------------------------------------------------------------------------------------------------
# Each family is present
# ------------------------------------------------------------------------------------------------

def _values(sources: dict, dialect: int, pairs: list[tuple[str, str]]) -> pd.Series:
    parts = [sources[dialect][s][c] for s, c in pairs]
    return pd.concat(parts, ignore_index=True).dropna().map(str)


UUIDS = [("users", "user_uuid"), ("orders", "date_uuid"), ("orders", "user_uuid"),
         ("products", "uuid"), ("dates", "date_uuid")]
DATES = [("users", "date_of_birth"), ("users", "join_date"), ("cards", "date_payment_confirmed"),
         ("stores", "opening_date"), ("products", "date_added")]
EVERY_TEXT = [(s, c) for s, cols in TEXT_COLUMNS.items() for c in cols]

FAMILIES = {
    1: {
        "upper-case UUID": (UUIDS, r"[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}"),
        "braced UUID": (UUIDS, r"\{[0-9A-F-]{36}\}"),
        "price with GBP after": ([("products", "product_price")], r"\d+\.\d\d GBP"),
        "price with GBP before": ([("products", "product_price")], r"GBP \d+\.\d\d"),
        "bare price": ([("products", "product_price")], r"\d+\.\d\d"),
        "weight with a space before an upper-case unit": ([("products", "weight")], r"[\d.]+ (KG|G|ML)"),
        "multipack with X": ([("products", "weight")], r"\d+ X \d+ ?G"),
        "pounds": ([("products", "weight")], r"1 LB"),
        "ISO date-time": (DATES, r"\d{4}-\d\d-\d\d[T ]00:00:00"),
        "slashed year-first date": (DATES, r"\d{4}/\d\d/\d\d"),
        "day-month-name-year": (DATES, r"\d{1,2}-[A-Z][a-z]{2}-\d{4}"),
        "day-first numeric date": (DATES, r"(1[3-9]|2\d|3[01])/\d\d/\d{4}"),
        "month-first numeric date": (DATES, r"\d\d/(1[3-9]|2\d|3[01])/\d{4}"),
        "12-hour time": ([("dates", "timestamp")], r"\d{1,2}:\d\d:\d\d (AM|PM)"),
        "hour without leading zero": ([("dates", "timestamp")], r"[1-9]:\d\d:\d\d( [AP]M)?"),
        "zero-padded month": ([("dates", "month")], r"0[1-9]"),
        "month with .0": ([("dates", "month")], r"\d+\.0"),
        "month abbreviation": ([("dates", "month")], r"[A-Z][a-z]{2}"),
        "year with .0": ([("dates", "year")], r"\d{4}\.0"),
        "year with thousands separator": ([("dates", "year")], r"\d,\d{3}"),
        "upper-case vocabulary": ([("stores", "store_type"), ("products", "category"),
                                   ("dates", "time_period")], r"SUPER STORE|TOYS-AND-GAMES|LATE_HOURS"),
        "country synonym": ([("users", "country")], r"UK|USA|Great Britain|United States of America"),
        "card number with .0": ([("cards", "card_number")], r"\d+\.0"),
        "card number in groups of 4": ([("cards", "card_number")], r"\d{4}( \d{1,4})+"),
        "card junk prefix": ([("cards", "card_number")], r"[#*]+\d+.*"),
        "MM/YYYY expiry": ([("cards", "expiry_date")], r"\d\d/20\d\d"),
        "staff with .0": ([("stores", "staff_numbers")], r"\d+\.0"),
        "GGB as GBR or GB.": ([("users", "country_code")], r"GBR|GB\."),
        "continent junk": ([("stores", "continent")], r"eeEUROPE|eeAMERICA|Europe\.|America\."),
        "mailto": ([("users", "email_address")], r"mailto:.+"),
        "@@@": ([("users", "email_address")], r".+@@@.+"),
        "CRLF address": ([("users", "address"), ("stores", "address")], r"(?s).*\r\n.*"),
        "trailing spaces": (EVERY_TEXT, r"(?s)\S.* +"),
        "missing token": (EVERY_TEXT, r"#N/A|NaN"),
        "mixed-case garbage": (EVERY_TEXT, r"(?=.*[a-z])(?=.*[A-Z])(?=.*\d)[A-Za-z\d]{8,14}"),
    },
    2: {
        "UUID without hyphens": (UUIDS, r"[0-9a-f]{32}"),
        "urn:uuid": (UUIDS, r"urn:uuid:[0-9a-f-]{36}"),
        "braced lower-case UUID": (UUIDS, r"\{[0-9a-f-]{36}\}"),
        "pound sign then space": ([("products", "product_price")], r"£ \d+\.\d\d"),
        "pound sign after": ([("products", "product_price")], r"\d+\.\d\d£"),
        "weight with a space before the unit": ([("products", "weight")], r"[\d.]+ (kg|g|ml)"),
        "weight in grams (word)": ([("products", "weight")], r"[\d.]+ ?grams"),
        "weight in kilograms (word)": ([("products", "weight")], r"[\d.]+ ?(kilograms|kgs)"),
        "weight in litres": ([("products", "weight")], r"[\d.]+ ?l"),
        "weight in mg": ([("products", "weight")], r"\d+ mg"),
        "weight in lb": ([("products", "weight")], r"1 ?lbs?"),
        "multipack without spaces": ([("products", "weight")], r"\d+x\d+g"),
        "multipack with ×": ([("products", "weight")], r"\d+ × \d+g"),
        "spelled-out date": (DATES, r"\d{1,2} (%s) \d{4}" % "|".join(m.title() for m in MONTHS)),
        "month-name-first date": (DATES, r"[A-Z][a-z]{2} \d{1,2}, \d{4}"),
        "ordinal date": (DATES, r"[A-Z][a-z]+ \d{1,2}(st|nd|rd|th) \d{4}"),
        "year-first abbreviated date": (DATES, r"\d{4} [A-Z][a-z]{2} \d{1,2}"),
        "unpadded ISO date": (DATES, r"\d{4}-(\d-\d{1,2}|\d{1,2}-\d)"),
        "hour without leading zero": ([("dates", "timestamp")], r"[1-9]:\d\d:\d\d"),
        "12-hour time": ([("dates", "timestamp")], r"\d{1,2}:\d\d:\d\d (AM|PM)"),
        "month name": ([("dates", "month")], r"[A-Z][a-z]{3,8}"),
        "month abbreviation": ([("dates", "month")], r"[A-Z][a-z]{2}"),
        "zero-padded day": ([("dates", "day")], r"0[1-9]"),
        "lower-case vocabulary": ([("stores", "store_type"), ("products", "category"),
                                   ("dates", "time_period")], r"local|toys and games|late hours"),
        "snake-case vocabulary": ([("stores", "store_type"), ("cards", "card_provider")],
                                  r"[a-z]+(_[a-z0-9]+)+"),
        "camel-case vocabulary": ([("stores", "store_type"), ("products", "category"),
                                   ("dates", "time_period")], r"SuperStore|ToysAndGames|LateHours|MallKiosk"),
        "Superstore": ([("stores", "store_type")], r"Superstore"),
        "country synonym": ([("users", "country")], r"Great Britain|Deutschland|United States of America"),
        "lower-case country code": ([("users", "country_code"), ("stores", "country_code")], r"gb|de|us"),
        "lower-case store code": ([("stores", "store_code"), ("orders", "store_code")], r"[a-z]{2,3}-[0-9a-f]+w?"),
        "card number in hyphenated groups": ([("cards", "card_number")], r"\d{4}(-\d{1,4})+"),
        "card junk prefix": ([("cards", "card_number")], r"('|\*|\?\?|#)[\d -]+"),
        "M/YY expiry": ([("cards", "expiry_date")], r"[1-9]/\d\d"),
        "MM-YY expiry": ([("cards", "expiry_date")], r"\d\d-\d\d"),
        "zero-padded staff": ([("stores", "staff_numbers")], r"0\d+"),
        "trailing zeros on coordinates": ([("stores", "longitude"), ("stores", "latitude")], r"-?\d+\.\d{6,8}"),
        "GGB dirt respelled": ([("users", "country_code")], r"gGB|GB\.|ggb"),
        "continent junk": ([("stores", "continent")], r"xEurope|xAmerica|_Europe_|_America_|europe\.|america\."),
        "spaced @@": ([("users", "email_address")], r"\s*\S+ @@ \S+\s*"),
        "padding": (EVERY_TEXT, r"(?s)[ \t\u00a0]+\S.*|.*\S[ \t\u00a0]+"),
        "NBSP": (EVERY_TEXT, r"(?s).*\u00a0.*"),
        "tab": (EVERY_TEXT, r"(?s).*\t.*"),
        "doubled inner space": ([("users", "company"), ("products", "product_name")], r"\S+  \S.*"),
        "missing token": (EVERY_TEXT, r"n/a|None|null|nan"),
        "garbage with symbols": (EVERY_TEXT, r"(?=.*[#$%&*+=?!^~_])[a-z\d#$%&*+=?!^~_]{8,14}"),
    },
}


@pytest.mark.parametrize("dialect", DIALECTS)
def test_each_family_is_present(sources: dict, dialect: int) -> None:
    absent = [name for name, (pairs, pattern) in FAMILIES[dialect].items()
              if not _values(sources, dialect, pairs).str.fullmatch(pattern).any()]
    assert absent == []


@pytest.mark.parametrize("dialect", (0, *DIALECTS))
def test_no_ambiguous_numeric_date_and_no_two_digit_year(sources: dict, dialect: int) -> None:
    values = _values(sources, dialect, DATES)
    numeric = values.str.strip(HSPACE).str.extract(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d+)$").dropna()
    assert len(numeric) > 0 or dialect != 1
    assert ((numeric[0].astype(int) > 12) | (numeric[1].astype(int) > 12)).all()
    assert (numeric[2].str.len() == 4).all()
    kept = values[~values.map(is_missing)]
    kept = kept[~kept.str.fullmatch(GARBAGE_ANY.pattern)]
    assert kept.str.contains(r"\b\d{4}\b").all()


def test_dialect_2_json_escapes_what_needs_escaping(worlds: dict[int, Path]) -> None:
    raw = (worlds[2] / "s3" / "date_details.json").read_bytes()
    assert raw.isascii() and b"\\u00a0" in raw and b"\\t" in raw and b":null" in raw
    assert raw.startswith(b'{"timestamp":{"0":')
    data = json.loads(raw)
    assert list(data) == DATE_TEXT


# ------------------------------------------------------------------------------------------------
# The PDF
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("dialect", DIALECTS)
def test_pdf_values_fit_their_columns(dialect: int) -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from multinational_assets.sandbox import pdf

    _, tables, _ = build_tables(SEED, 1, dialect=dialect)
    raw = tables["dim_card_details"].raw
    for column, width in zip(CARD_TEXT, pdf._COLUMN_WIDTHS):
        widest = max(stringWidth(v, "Helvetica", pdf._FONT_SIZE) for v in set(raw[column]))
        assert widest + 2 * pdf._CELL_PADDING <= width, (column, widest)
        assert raw[column].map(lambda v: isinstance(v, str) and v.isascii() and v.isprintable()).all()


@pytest.mark.slow
def test_tabula_reads_the_dialect_pdf_exactly(worlds: dict[int, Path]) -> None:
    tabula = pytest.importorskip("tabula")
    dialect = 2
    frames = tabula.read_pdf(str(worlds[dialect] / "s3" / "card_details.pdf"), pages="all",
                             lattice=True, pandas_options={"dtype": str})
    _, tables, _ = build_tables(SEED, SCALE, dialect=dialect)
    raw = tables["dim_card_details"].raw
    assert len(frames) == raw["page"].max()
    assert all(list(f.columns) == CARD_TEXT for f in frames)
    table = pd.concat(frames, ignore_index=True).fillna("")  # tabula gives None for an empty cell
    assert table.equals(raw[CARD_TEXT].reset_index(drop=True))


# ------------------------------------------------------------------------------------------------
# Spelling rules that the small world is too small to show every time
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("dialect", DIALECTS)
def test_staff_letter_dirt_keeps_its_rule(dialect: int) -> None:
    from multinational_assets.sandbox import dialects

    values = np.array(["J78", "1a23", "3n", "12Q4", "45", "7"] * 40, dtype=object)
    out = dialects._staff(values, np.random.default_rng(1), {**dialects._CONFIG[dialect],
                                                               "pad_share": 0.0})
    assert [staff_value(v) for v in out] == [staff_value(v) for v in values]
    letters = [sum(ch.isalpha() for ch in v) for v in out]
    assert max(letters) == (2 if dialect == 2 else 1)
    assert all(n == 1 for v, n in zip(values, letters) if not v.isdigit() and len(v) <= 3)


def test_weights_convert_exactly() -> None:
    from multinational_assets.sandbox import dialects

    cases = {"400g": "0.4 kg", "5g": "0.005 kg", "1.6kg": "1600 g", "2kg": "2000 g",
             "1160kg": "1160000 g", "3.5g": "3500 mg", "500ml": "0.5 l", "2000ml": "2 l",
             "16oz": "1 lb"}
    for source, expected in cases.items():
        form = {"g": "to_kg", "kg": "to_g", "g_decimal": "to_mg", "ml": "to_l", "oz": "lb"}[
            dialects._weight_shape(source)]
        assert dialects._weight_form(form)([source]) == [expected]
        assert math.isclose(weight_value(expected), weight_value(source), rel_tol=1e-9)


# ------------------------------------------------------------------------------------------------
# The dialect through control, the CLI and `multinational demo` (no servers)
# ------------------------------------------------------------------------------------------------

@pytest.fixture
def private_sandbox_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MULTINATIONAL_SANDBOX_DIR", str(tmp_path))
    monkeypatch.setenv("MULTINATIONAL_SANDBOX_S3_PORT", "19600")
    monkeypatch.setenv("MULTINATIONAL_SANDBOX_API_PORT", "19601")
    return tmp_path


def test_a_world_of_another_dialect_is_another_world(private_sandbox_dir: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import sys
    import types

    from multinational_assets.sandbox import control
    from multinational_assets_tests.sandbox.test_control import make_tiny_world

    calls: list[dict] = []

    def fake_generate_world(seed, scale, out_dir, progress=None, **options):
        calls.append(options)
        make_tiny_world(out_dir, seed=seed, scale=scale)
        manifest = json.loads((Path(out_dir) / "manifest.json").read_text())
        if options.get("dialect"):
            manifest["dialect"] = options["dialect"]
        (Path(out_dir) / "manifest.json").write_text(json.dumps(manifest))
        return manifest

    monkeypatch.setitem(sys.modules, "multinational_assets.sandbox.generate",
                        types.SimpleNamespace(generate_world=fake_generate_world))
    world = private_sandbox_dir / "world"
    assert control.ensure_world(0, 1) is True and calls == [{}]  # dialect 0: not even passed
    assert control.world_matches(world, 0, 1) and not control.world_matches(world, 0, 1, dialect=2)
    assert control.ensure_world(0, 1, dialect=2) is True and calls[-1] == {"dialect": 2}
    assert control.world_matches(world, 0, 1, dialect=2) and not control.world_matches(world, 0, 1)
    assert control.ensure_world(0, 1, dialect=2) is False and len(calls) == 2
    report = control.status()
    assert report["dialect"] == 2
    assert "world: seed 0, scale 1, dialect 2" in control.format_status(report)


def test_up_refuses_another_dialect_while_up(private_sandbox_dir: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from multinational_assets.sandbox import control

    state = {"sandbox_dir": str(private_sandbox_dir), "seed": 0, "scale": 1, "dialect": 1,
             "started_at": "now", "faults": None}
    monkeypatch.setattr(control, "read_state", lambda: dict(state))
    monkeypatch.setattr(control, "server_health", lambda s: {"postgres": True, "s3": True, "api": True})
    assert control.up(seed=0, scale=1, dialect=1).already_up
    with pytest.raises(control.SandboxError, match="already up with seed 0 and scale 1, dialect 1"):
        control.up(seed=0, scale=1, dialect=2)
    with pytest.raises(control.SandboxError, match="already up"):
        control.up(seed=0, scale=1)


def test_cli_up_and_demo_pass_the_dialect(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from multinational_assets import commands
    from multinational_assets.sandbox import cli, control

    seen: list[dict] = []

    class Stop(Exception):
        pass

    def fake_up(**kwargs):
        seen.append(kwargs)
        if len(seen) > 1:
            raise Stop
        state = {"sandbox_dir": "x", "seed": kwargs["seed"], "scale": kwargs["scale"],
                 "dialect": kwargs["dialect"], "started_at": "now"}
        return control.UpResult(state, already_up=True, seconds=0.0)

    monkeypatch.setattr(control, "up", fake_up)
    runner = CliRunner()
    result = runner.invoke(cli.sandbox, ["up", "--dialect", "2", "--scale", "0.5"])
    assert result.exit_code == 0, result.output
    assert seen[0]["dialect"] == 2 and "dialect 2" in result.output
    assert runner.invoke(cli.sandbox, ["up", "--dialect", "3"]).exit_code == 2
    result = runner.invoke(commands.demo, ["--dialect", "1", "--scale", "0.5"])
    assert isinstance(result.exception, Stop)
    assert (seen[1]["dialect"], seen[1]["scale"]) == (1, 0.5)
