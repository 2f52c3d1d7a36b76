"""Every spelled value of dialects 1 and 2 means exactly what the dialect-0 value means; garbage is
never a key; each spelling family of the brief is present in a world; numeric dates are never ambiguous.

The worlds' files are read back with the readers of world_readers.py and lined up row by row (a
dialect never reorders rows); every value is then read with the readers of meanings.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from multinational_assets_tests.sandbox.dialects.meanings import (
    DIALECTS,
    GARBAGE_ANY,
    GARBAGE_D0,
    HSPACE,
    MONTHS,
    TEXT_COLUMNS,
    is_missing,
    meaning,
    row_kinds,
    same_meaning,
)
from multinational_assets_tests.sandbox.world_readers import DATE_TEXT


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
        "spelled-out date": (DATES, r"\d{1,2} (" + "|".join(m.title() for m in MONTHS) + r") \d{4}"),
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
