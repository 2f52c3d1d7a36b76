"""Independent readers, one per spelling family of the brief, that give each spelled value its meaning.

Written here, independent of the generator and of the pipeline: a dialect-1 or -2 value must mean
exactly what its dialect-0 value means. Also the worlds' settings and the sources read as raw values.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from multinational_assets_tests.sandbox.world_readers import (
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


def read_sources(world: Path) -> dict[str, pd.DataFrame]:
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
