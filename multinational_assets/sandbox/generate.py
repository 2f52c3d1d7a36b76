"""The sandbox's deterministic world generator and its ground truth.

`generate_world(seed, scale, out_dir)` writes the six sources exactly as docs/architecture.md
("Sandbox world on disk") and /work/shared/source-world.md describe them, plus the truth: the clean
tables, the rows a correct cleaner rejects and the answers to the nine business questions.

How it works: every table is first generated *clean* (the truth), then dirtied into its source form
(odd date formats, `GGB`, `@@`, `?` card prefixes, swapped coordinates, ...), and the unrecoverable
NULL and garbage rows are mixed in. The truth is therefore never derived by cleaning the dirty output.

Determinism: one `np.random.default_rng(seed)` is split (`spawn`) into one stream per source, so
one seed gives byte-identical files (the PDF too, written with reportlab's `invariant=1`), and
changing how one source is drawn does not reshuffle the others. Nothing iterates over a Python `set`
(its order changes between processes).

Scale: every count of source-world.md (scale 1) is multiplied by `scale` and rounded half up, with
at least 1 where the scale-1 count is non-zero (`scaled`). Splits (countries, providers, categories,
weight forms, ...) are scaled part by part and then fitted to their table's total (`fit_split`), so
at scale 1 every figure is exact. Two choices the brief leaves open:

* the web store stays exactly **one** store at every scale (a business has one website), and
* the top-7 locality counts scale like any count; below about scale 0.2 they round to equal values,
  so the top 7 is only unambiguous (8th strictly fewer than 7th) from there up.

The smallest supported scale is 0.02 (below it the seven top localities no longer fit in the
scaled store counts).

Value formats chosen here (documented for the servers and the cleaners):

* stores API objects: `index` is a JSON int; every other value is a JSON string (numbers too, as
  the original API sends them) or JSON null (`lat` on physical stores, `latitude` on the web store);
  coordinates have 5 decimals; `staff_numbers` is a string of digits.
* date details: `time_period` follows the hour: Morning 05:00-10:59, Midday 11:00-16:59,
  Evening 17:00-21:59, Late_Hours 22:00-04:59.
* odd date formats: `1971/10/23`, `January 1951 27`, `1968 October 16` (day always two digits).
* truth weights: grams / 1000 computed in float64 (`400g` -> 400 / 1000, `12 x 100g` ->
  12 * 100 / 1000, `16oz` -> 16 * 28.349523125 / 1000); compare weights with a tolerance.

Dialects (`generate_world(..., dialect=N)`, `multinational sandbox up --dialect N`): the same world
spelled by other people and programs. The truth (truth/<table>.csv, truth/answers) and every count
are those of dialect 0, byte for byte; only the raw text of the six sources changes (the decoy
table is never respelled), and truth/quarantine holds the rejected rows as the dialect spelled
them. Every respelled value means exactly its dialect-0 value. `sandbox/dialects.py` respells the
finished dialect-0 raw rows with its own random stream (`default_rng([seed, dialect])`), so dialect
0 draws nothing extra and its files are unchanged; its docstring has the full table.

* 0 -- source-world.md: the spellings above.
* 1 -- "spreadsheet export": upper-case vocabularies (`SUPER STORE`, `TOYS-AND-GAMES`, `LATE_HOURS`,
  `UK`, `USA`), upper-case and braced UUIDs, ISO date-times (`1971-10-23 00:00:00`), slashes
  (`1971/10/23`, `23/10/1971` only when the day is over 12), `23-Oct-1971`, 12-hour times
  (`9:05:06 PM`), `.0` and zero-padded counts (`34.0`, `09`, `Sep`, `2015.0`), prices with currency
  codes (`39.99 GBP`, `GBP 39.99`, `39.99`), upper-case weight units (`1.6 KG`, `12 X 100 G`,
  `1 LB`), card numbers with `.0` or in groups of four, `MM/YYYY` expiries, JSON-number
  coordinates, CRLF line breaks in addresses, trailing spaces, `#N/A`/`NaN`/`NULL`/empty/null for
  missing values, mixed-case garbage.
* 2 -- "hand-typed": lower-case vocabularies (`super_store`, `toys and games`, `late hours`,
  `Great Britain`, `Deutschland`, `United States of America`), UUIDs without hyphens, with
  `urn:uuid:` or in braces, spelled-out dates (`23 October 1971`, `Oct 23, 1971`,
  `October 23rd 1971`, `1971 Oct 23`, `1971-1-3`), hours without a leading zero (`9:05:06`),
  month names (`September`, `Sep`), `£ 39.99` and `39.99£`, weights in words or other units
  (`400 grams`, `1.6 kilograms`, `0.4 kg`, `1600 g`, `0.5 l`, `3500 mg`, `1 lb`, `12x100g`,
  `12 × 100g`), card numbers grouped by hyphens or spaces, `M/YY` and `MM-YY` expiries, trailing
  zeros on coordinates, padding with spaces, tabs and NBSPs, doubled spaces or NBSPs inside free
  text, `n/a`/`None`/`null`/`nan` for missing values, lower-case garbage with symbols.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass, field
from json.encoder import encode_basestring_ascii as _encode_json_string
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
import pandas as pd

from multinational_assets.sandbox import dialects as dialects_module
from multinational_assets.sandbox import truth as truth_module
from multinational_assets.sandbox import vocabulary as vocab
from multinational_assets.sandbox.pdf import HEADER as PDF_HEADER
from multinational_assets.sandbox.pdf import ROWS_PER_PAGE, write_card_details_pdf

MIN_SCALE = 0.02

# Every figure of source-world.md at scale 1.
SCALE1 = {
    "users": {
        "countries": {"GB": 9371, "DE": 4708, "US": 1205},
        "null": 21, "garbage": 15,
        "odd_date_of_birth": 27, "odd_join_date": 23, "country_code_GGB": 6,
        "email_double_at": 42, "join_before_birth": 740,
    },
    "orders": {"rows": 120123, "named": 15000, "web_share": 0.22},
    "cards": {
        "providers": {
            "VISA 16 digit": 2426, "JCB 16 digit": 2403, "VISA 13 digit": 1382,
            "JCB 15 digit": 1363, "VISA 19 digit": 1349, "Diners Club / Carte Blanche": 1312,
            "American Express": 1297, "Maestro": 1281, "Discover": 1260, "Mastercard": 1211,
        },
        "null": 11, "garbage": 14, "question_prefix": 26, "odd_date_payment_confirmed": 8,
        # Share of Maestro numbers by length (our choice; the source only says 12, 11 or 9 digits).
        "maestro_lengths": {12: 897, 11: 320, 9: 64},
    },
    "stores": {
        "countries": {"GB": 265, "DE": 141, "US": 34},
        "types": {"Local": 255, "Super Store": 89, "Mall Kiosk": 51, "Outlet": 45},
        "null": 3, "garbage": 7,
        "staff_letter": 5, "odd_opening_date": 12, "continent_ee": 26,
        "top_localities": (14, 13, 12, 11, 10, 10, 10),
    },
    "products": {
        "categories": {
            "homeware": 1138, "toys-and-games": 257, "food-and-drink": 250, "pets": 93,
            "sports-and-leisure": 40, "health-and-beauty": 40, "diy": 28,
        },
        "weight_forms": {
            "kg_decimal": 852, "g_whole": 835, "kg_whole": 102, "multipack": 28,
            "g_decimal": 18, "ml": 9, "g_dot": 1, "oz": 1,
        },
        "removed": {"Still_avaliable": 1752, "Removed": 94},
        "null": 4, "garbage": 3, "odd_date_added": 2,
        # Traps among the whole-kg weights: one 1,160 kg product and a few of exactly 2 kg.
        "kg_1160": 1, "kg_2": 6, "duplicate_names": 40,
    },
    "dates": {"null": 15, "garbage": 23},
    # The decoy table: an old copy holding most physical stores plus some long closed ones.
    "decoy": {"kept_share": 0.85, "closed": 56},
}

COUNTRY_NAMES = {"GB": "United Kingdom", "DE": "Germany", "US": "United States"}
WEB_STORE_TYPE = "Web Portal"
NULL_TEXT = "NULL"
_ALNUM = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"))
_HEX_UPPER = np.array(list("0123456789ABCDEF"))
_STREAMS = ("stores", "products", "users", "cards", "dates", "orders", "decoy")

# Column lists of the contracts (docs/architecture.md).
USERS_RAW = ["index", "first_name", "last_name", "date_of_birth", "company", "email_address",
             "address", "country", "country_code", "phone_number", "join_date", "user_uuid"]
ORDERS_RAW = ["level_0", "index", "date_uuid", "first_name", "last_name", "user_uuid",
              "card_number", "store_code", "product_code", "1", "product_quantity"]
CARDS_RAW = ["page", *PDF_HEADER]
STORES_RAW = ["index", "address", "longitude", "lat", "locality", "store_code", "staff_numbers",
              "opening_date", "store_type", "latitude", "country_code", "continent"]
PRODUCTS_RAW = ["row_label", "product_name", "product_price", "weight", "category", "EAN",
                "date_added", "uuid", "removed", "product_code"]
DATES_RAW = ["row_label", "timestamp", "month", "year", "day", "time_period", "date_uuid"]

CLEAN_COLUMNS = {
    "dim_users": ["user_uuid", "first_name", "last_name", "date_of_birth", "company",
                  "email_address", "address", "country", "country_code", "phone_number",
                  "join_date"],
    "dim_card_details": ["card_number", "expiry_date", "card_provider", "date_payment_confirmed"],
    "dim_store_details": ["store_code", "store_type", "address", "locality", "longitude",
                          "latitude", "staff_numbers", "opening_date", "country_code", "continent"],
    "dim_products": ["product_code", "product_name", "product_price", "weight", "category", "ean",
                     "date_added", "uuid", "still_available"],
    "dim_date_times": ["date_uuid", "timestamp", "month", "year", "day", "time_period"],
    "orders_table": ["date_uuid", "user_uuid", "card_number", "store_code", "product_code",
                     "product_quantity"],
}
CLEAN_KEYS = {"dim_users": "user_uuid", "dim_card_details": "card_number",
              "dim_store_details": "store_code", "dim_products": "product_code",
              "dim_date_times": "date_uuid", "orders_table": "date_uuid"}
RAW_COLUMNS_OF_CLEAN = {"dim_users": USERS_RAW, "dim_card_details": CARDS_RAW,
                        "dim_store_details": STORES_RAW, "dim_products": PRODUCTS_RAW,
                        "dim_date_times": DATES_RAW, "orders_table": ORDERS_RAW}


# ------------------------------------------------------------------------------------------------
# Counting
# ------------------------------------------------------------------------------------------------

def scaled(count: int, scale: float) -> int:
    """`count` (a scale-1 figure) at `scale`: rounded half up, at least 1 where `count` > 0."""
    if count <= 0:
        return 0
    return max(1, int(math.floor(count * scale + 0.5)))


def fit_split(parts: dict, total: int, scale: float) -> dict:
    """Scale each part of a split, then move the rounding difference onto the largest parts so the
    parts sum to `total`. At scale 1, with `total` the sum of the parts, nothing moves."""
    counts = {key: scaled(value, scale) for key, value in parts.items()}
    diff = total - sum(counts.values())
    order = sorted(counts, key=lambda key: (-counts[key], list(parts).index(key)))
    i = 0
    while diff != 0:
        key = order[i % len(order)]
        step = 1 if diff > 0 else -1
        if counts[key] + step >= 1:
            counts[key] += step
            diff -= step
        i += 1
        if i > 100 * len(order):
            raise ValueError(f"cannot fit split {parts} to {total}")
    return counts


def plan_counts(scale: float) -> dict:
    """Every count of the world at `scale` (the manifest's "counts" without the file-derived ones)."""
    s = scale
    u, o, c, st, p, d = (SCALE1[k] for k in ("users", "orders", "cards", "stores", "products",
                                             "dates"))
    users_by_country = {k: scaled(v, s) for k, v in u["countries"].items()}
    n_users = sum(users_by_country.values())
    stores_by_country = {k: scaled(v, s) for k, v in st["countries"].items()}
    n_physical = sum(stores_by_country.values())
    n_products = scaled(sum(p["categories"].values()), s)
    n_orders = scaled(o["rows"], s)
    providers = fit_split(c["providers"], n_users, s)
    plan = {
        "legacy_users": {
            "valid": n_users, "null": scaled(u["null"], s), "garbage": scaled(u["garbage"], s),
            "by_country": users_by_country,
            "dirt": {k: scaled(u[k], s) for k in ("odd_date_of_birth", "odd_join_date",
                                                   "country_code_GGB", "email_double_at")},
            "join_before_birth": scaled(u["join_before_birth"], s),
        },
        "orders_table": {
            "valid": n_orders, "null": 0, "garbage": 0,
            "named": min(scaled(o["named"], s), n_orders),
            "web": int(math.floor(n_orders * o["web_share"] + 0.5)),
        },
        "card_details": {
            "valid": n_users, "null": scaled(c["null"], s), "garbage": scaled(c["garbage"], s),
            "by_provider": providers,
            "maestro_lengths": fit_split(c["maestro_lengths"], providers["Maestro"], s),
            "dirt": {k: scaled(c[k], s) for k in ("question_prefix",
                                                   "odd_date_payment_confirmed")},
        },
        "store_details": {
            "valid": n_physical + 1, "null": scaled(st["null"], s),
            "garbage": scaled(st["garbage"], s),
            "web": 1,
            "physical_by_country": stores_by_country,
            "physical_by_type": fit_split(st["types"], n_physical, s),
            "top_localities": [scaled(v, s) for v in st["top_localities"]],
            "dirt": {k: scaled(st[k], s) for k in ("staff_letter", "odd_opening_date",
                                                    "continent_ee")},
        },
        "products": {
            "valid": n_products, "null": scaled(p["null"], s), "garbage": scaled(p["garbage"], s),
            "by_category": fit_split(p["categories"], n_products, s),
            "by_weight_form": fit_split(p["weight_forms"], n_products, s),
            "by_removed": fit_split(p["removed"], n_products, s),
            "kg_1160": scaled(p["kg_1160"], s), "kg_2": scaled(p["kg_2"], s),
            "dirt": {"odd_date_added": scaled(p["odd_date_added"], s)},
        },
        "date_details": {
            "valid": n_orders, "null": scaled(d["null"], s), "garbage": scaled(d["garbage"], s),
        },
    }
    for counts in plan.values():
        counts["rows"] = counts["valid"] + counts["null"] + counts["garbage"]
    plan["card_details"]["pages"] = max(1, math.ceil(plan["card_details"]["rows"] / ROWS_PER_PAGE))
    return plan


# ------------------------------------------------------------------------------------------------
# Small vectorised helpers
# ------------------------------------------------------------------------------------------------

def _garbage(rng: np.random.Generator, rows: int, cols: int) -> np.ndarray:
    """`rows` x `cols` random 10-character `[A-Z0-9]` strings (object array)."""
    chars = _ALNUM[rng.integers(0, len(_ALNUM), size=(rows, cols, 10))]
    return np.ascontiguousarray(chars).view("<U10").reshape(rows, cols).astype(object)


def _uuid4(rng: np.random.Generator, n: int) -> np.ndarray:
    """`n` random version-4 UUIDs as lower-case text (object array), built without a Python loop."""
    raw = rng.integers(0, 256, size=(n, 16), dtype=np.uint8)
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40  # version 4
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80  # RFC 4122 variant
    hex_digits = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
    nibbles = np.empty((n, 32), dtype=np.uint8)
    nibbles[:, 0::2] = hex_digits[raw >> 4]
    nibbles[:, 1::2] = hex_digits[raw & 0x0F]
    out = np.full((n, 36), ord("-"), dtype=np.uint8)
    for dst, src in ((0, 0), (9, 8), (14, 12), (19, 16), (24, 20)):
        width = {0: 8, 8: 4, 12: 4, 16: 4, 20: 12}[src]
        out[:, dst:dst + width] = nibbles[:, src:src + width]
    return out.view("S36").ravel().astype("U36").astype(object)


def _unique_uuid4(rng: np.random.Generator, n: int) -> np.ndarray:
    values = _uuid4(rng, n)
    while True:
        dup = pd.Series(values).duplicated().to_numpy()
        if not dup.any():
            return values
        values[dup] = _uuid4(rng, int(dup.sum()))


def _digits(rng: np.random.Generator, n: int, width: int) -> np.ndarray:
    """`n` strings of `width` random decimal digits (leading zeros kept)."""
    if width == 0:
        return np.full(n, "", dtype=object)
    chars = rng.integers(48, 58, size=(n, width), dtype=np.uint8)
    return chars.view(f"S{width}").ravel().astype(f"U{width}").astype(object)


def _random_days(rng: np.random.Generator, start: str, end: str, n: int) -> np.ndarray:
    """`n` uniform dates in [start, end] as datetime64[D]."""
    lo, hi = np.datetime64(start, "D"), np.datetime64(end, "D")
    return lo + rng.integers(0, (hi - lo).astype(int) + 1, size=n).astype("timedelta64[D]")


def _iso(days: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(days, unit="D").astype(object)


def _odd_dates(rng: np.random.Generator, days: np.ndarray) -> list[str]:
    """The three odd source formats, spread evenly over `days` in random order."""
    formats = rng.permutation(np.arange(len(days)) % 3)
    out = []
    for day, fmt in zip(days.astype(object), formats):
        month = vocab.MONTH_NAMES[day.month - 1]
        if fmt == 0:
            out.append(f"{day.year}/{day.month:02d}/{day.day:02d}")
        elif fmt == 1:
            out.append(f"{month} {day.year} {day.day:02d}")
        else:
            out.append(f"{day.year} {month} {day.day:02d}")
    return out


def _pick(rng: np.random.Generator, n: int, k: int) -> np.ndarray:
    """`k` distinct positions out of `n`, sorted."""
    return np.sort(rng.choice(n, size=k, replace=False)) if k else np.empty(0, dtype=int)


def _choice(rng: np.random.Generator, words: Sequence[str], n: int) -> np.ndarray:
    return np.asarray(words, dtype=object)[rng.integers(0, len(words), size=n)]


def _shuffled_labels(rng: np.random.Generator, counts: dict) -> np.ndarray:
    """An array holding each key `counts[key]` times, in random order."""
    labels = np.repeat(np.asarray(list(counts), dtype=object), list(counts.values()))
    return labels[rng.permutation(len(labels))]


# ------------------------------------------------------------------------------------------------
# The tables
# ------------------------------------------------------------------------------------------------

@dataclass
class SourceTable:
    """One source: its clean truth, its raw rows (text, source order) and the rejected raw rows."""

    clean: pd.DataFrame
    raw: pd.DataFrame
    quarantine: pd.DataFrame
    extra: dict = field(default_factory=dict)


def _mix_dirty(rng: np.random.Generator, valid_raw: pd.DataFrame, label_cols: Sequence[str],
               n_null: int, n_garbage: int) -> tuple[pd.DataFrame, np.ndarray]:
    """Append NULL and garbage rows (every non-label column) and shuffle all rows together.

    Returns the mixed frame and a boolean mask of its dirty rows.
    """
    text_cols = [c for c in valid_raw.columns if c not in label_cols]
    null = pd.DataFrame({c: [NULL_TEXT] * n_null for c in text_cols})
    garbage = pd.DataFrame(_garbage(rng, n_garbage, len(text_cols)), columns=text_cols)
    mixed = pd.concat([valid_raw[text_cols], null, garbage], ignore_index=True)
    dirty = np.r_[np.zeros(len(valid_raw), bool), np.ones(n_null + n_garbage, bool)]
    order = rng.permutation(len(mixed))
    return mixed.iloc[order].reset_index(drop=True), dirty[order]


def _make_stores(rng: np.random.Generator, plan: dict) -> SourceTable:
    sp = plan["store_details"]
    top_counts = sp["top_localities"]
    cap = max(1, min(top_counts) - 1)  # the 8th locality must have strictly fewer stores

    localities, countries = [], []
    for country, total in sp["physical_by_country"].items():
        tops = [(name, n) for (name, c), n in zip(vocab.TOP_LOCALITIES, top_counts) if c == country]
        rest = total - sum(n for _, n in tops)
        if rest < 0:
            raise ValueError(f"scale too small: {country} has {total} stores, fewer than its top "
                             f"localities need (minimum scale {MIN_SCALE})")
        names = list(vocab.OTHER_LOCALITIES[country])
        k = 0
        if rest:
            lo = math.ceil(rest / cap)
            k = min(max(math.ceil(rest / ((1 + cap) / 2)), lo), rest, len(names))
            if k < lo:
                raise ValueError(f"not enough {country} locality names for scale")
        chosen = [names[i] for i in rng.permutation(len(names))[:k]]
        sizes = np.ones(k, dtype=int)
        for _ in range(rest - k):  # hand the remaining stores out, never above the cap
            open_ = np.flatnonzero(sizes < cap)
            sizes[open_[rng.integers(0, len(open_))]] += 1
        for name, n in [*tops, *zip(chosen, sizes.tolist())]:
            localities += [name] * n
            countries += [country] * n

    n = len(localities)
    order = rng.permutation(n)
    locality = np.asarray(localities, dtype=object)[order]
    country = np.asarray(countries, dtype=object)[order]
    store_type = _shuffled_labels(rng, sp["physical_by_type"])

    # Coordinates: one centre per locality, stores scattered around it.
    unique_loc, loc_idx = np.unique(locality.astype(str), return_inverse=True)
    loc_country = {name: c for name, c in zip(locality, country)}
    centre = np.empty((len(unique_loc), 2))
    for i, name in enumerate(unique_loc):
        lat0, lat1, lon0, lon1 = vocab.COUNTRY_BOXES[loc_country[name]]
        centre[i] = rng.uniform(lat0, lat1), rng.uniform(lon0, lon1)
    lat = centre[loc_idx, 0] + rng.normal(0, 0.03, n)
    lon = centre[loc_idx, 1] + rng.normal(0, 0.03, n)
    lat_text = np.array([f"{v:.5f}" for v in lat], dtype=object)
    lon_text = np.array([f"{v:.5f}" for v in lon], dtype=object)

    # Store codes: locality prefix + 8 hex digits, unique (web store code has another shape).
    def hex8(k):
        return _HEX_UPPER[rng.integers(0, 16, size=(k, 8))].view("<U8").ravel().astype(object)

    codes = np.array([loc[:2].upper() + "-" for loc in locality], dtype=object) + hex8(n)
    while (dup := pd.Series(codes).duplicated().to_numpy()).any():
        codes[dup] = np.array([loc[:2].upper() + "-" for loc in locality[dup]], dtype=object) \
            + hex8(int(dup.sum()))

    address = _store_addresses(rng, locality, country)
    staff_range = {"Local": (8, 70), "Super Store": (60, 140), "Mall Kiosk": (3, 25),
                   "Outlet": (10, 45)}
    staff = np.array([rng.integers(*staff_range[t]) for t in store_type], dtype=int)
    opening = _random_days(rng, "1990-01-01", "2022-12-31", n)
    continent = np.array([vocab.CONTINENTS[c] for c in country], dtype=object)

    web_code = f"WEB-{rng.integers(1_000_000, 10_000_000)}W"
    web_staff = int(rng.integers(250, 400))
    web_opening = _random_days(rng, "1990-01-01", "2022-12-31", 1)

    clean = pd.DataFrame({
        "store_code": np.r_[[web_code], codes],
        "store_type": np.r_[[WEB_STORE_TYPE], store_type],
        "address": np.r_[[None], address],
        "locality": np.r_[[None], locality],
        "longitude": np.r_[[np.nan], lon_text.astype(float)],
        "latitude": np.r_[[np.nan], lat_text.astype(float)],
        "staff_numbers": np.r_[[web_staff], staff],
        "opening_date": np.r_[_iso(web_opening), _iso(opening)],
        "country_code": np.r_[["GB"], country],
        "continent": np.r_[["Europe"], continent],
    })

    # Dirty the physical stores (the web store is left as the source describes it).
    dirt = sp["dirt"]
    staff_text = np.array([str(v) for v in staff], dtype=object)
    for i in _pick(rng, n, dirt["staff_letter"]):
        pos = int(rng.integers(0, len(staff_text[i]) + 1))
        letter = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"[rng.integers(0, 52)]
        staff_text[i] = staff_text[i][:pos] + letter + staff_text[i][pos:]
    opening_text = _iso(opening)
    odd = _pick(rng, n, dirt["odd_opening_date"])
    opening_text[odd] = _odd_dates(rng, opening[odd])
    continent_text = continent.copy()
    ee = _pick(rng, n, dirt["continent_ee"])
    continent_text[ee] = "ee" + continent_text[ee]

    physical_raw = pd.DataFrame({
        "address": address,
        "longitude": lat_text,  # swapped in the source: `longitude` holds the latitude
        "lat": np.full(n, None, dtype=object),
        "locality": locality,
        "store_code": codes,
        "staff_numbers": staff_text,
        "opening_date": opening_text,
        "store_type": store_type,
        "latitude": lon_text,  # ... and `latitude` the longitude
        "country_code": country,
        "continent": continent_text,
    })
    mixed, dirty = _mix_dirty(rng, physical_raw, [], sp["null"], sp["garbage"])
    web_raw = pd.DataFrame([{
        "address": "N/A", "longitude": "N/A", "lat": "N/A", "locality": "N/A",
        "store_code": web_code, "staff_numbers": str(web_staff),
        "opening_date": str(_iso(web_opening)[0]), "store_type": WEB_STORE_TYPE, "latitude": None,
        "country_code": "GB", "continent": "Europe",
    }])
    raw = pd.concat([web_raw, mixed], ignore_index=True)
    raw.insert(0, "index", np.arange(len(raw)))
    dirty = np.r_[[False], dirty]
    return SourceTable(clean=clean, raw=raw, quarantine=raw[dirty].reset_index(drop=True),
                       extra={"dirty": dirty})


def _format_rows(kind: np.ndarray, templates: Sequence[Callable[..., str]],
                 *columns: np.ndarray) -> np.ndarray:
    """Row i formatted by `templates[kind[i]]` applied to the i-th values of `columns`."""
    out = np.empty(len(kind), dtype=object)
    for k, template in enumerate(templates):
        idx = np.flatnonzero(kind == k)
        if len(idx):
            out[idx] = [template(*values) for values in zip(*(c[idx] for c in columns))]
    return out


def _gb_postcodes(rng: np.random.Generator, n: int) -> np.ndarray:
    letters = np.array(list("ABDEFGHJLNPQRSTUWXYZ"), dtype=object)
    area = _choice(rng, vocab.GB_POSTCODE_AREAS, n)
    district = rng.integers(1, 30, n).astype(str).astype(object)
    sector = rng.integers(0, 10, n).astype(str).astype(object)
    unit = letters[rng.integers(0, len(letters), n)] + letters[rng.integers(0, len(letters), n)]
    return area + district + " " + sector + unit


def _de_streets(rng: np.random.Generator, n: int) -> np.ndarray:
    stem = _choice(rng, vocab.DE_STREET_STEMS, n)
    suffix = _choice(rng, vocab.DE_STREET_SUFFIXES, n)
    return np.array([a if a.startswith("Am ") else a + b for a, b in zip(stem, suffix)],
                    dtype=object)


def _street_words(rng: np.random.Generator, words: Sequence[str], suffixes: Sequence[str],
                  n: int) -> np.ndarray:
    return _choice(rng, words, n) + " " + _choice(rng, suffixes, n)


def _store_addresses(rng: np.random.Generator, locality: np.ndarray,
                     country: np.ndarray) -> np.ndarray:
    """Multi-line store addresses, each naming the store's locality."""
    n = len(locality)
    num = rng.integers(1, 400, n).astype(str).astype(object)
    gb_street = _street_words(rng, vocab.GB_STREET_WORDS, vocab.GB_STREET_SUFFIXES, n)
    postcode = _gb_postcodes(rng, n)
    de_street = _de_streets(rng, n)
    plz = np.char.zfill(rng.integers(1067, 100000, n).astype(str), 5).astype(object)
    us_street = _street_words(rng, vocab.US_STREET_NAMES, vocab.US_STREET_SUFFIXES, n)
    state = np.array([c[1] for c in vocab.US_CITIES], dtype=object)[
        rng.integers(0, len(vocab.US_CITIES), n)]
    zip5 = np.char.zfill(rng.integers(10000, 99951, n).astype(str), 5).astype(object)
    kind = np.select([country == "GB", country == "DE"], [0, 1], 2)
    return _format_rows(kind, (
        lambda nu, loc, gs, pc, ds, pl, us, st, z: f"{nu} {gs}\n{loc}\n{pc}",
        lambda nu, loc, gs, pc, ds, pl, us, st, z: f"{ds} {nu}\n{pl} {loc}",
        lambda nu, loc, gs, pc, ds, pl, us, st, z: f"{nu} {us}\n{loc}, {st} {z}",
    ), num, locality, gb_street, postcode, de_street, plz, us_street, state, zip5)


def _make_products(rng: np.random.Generator, plan: dict) -> SourceTable:
    pp = plan["products"]
    n = pp["valid"]
    category = _shuffled_labels(rng, pp["by_category"])
    form = _shuffled_labels(rng, pp["by_weight_form"])
    removed = _shuffled_labels(rng, pp["by_removed"])

    # Names: brand + item + variant of the category; some with a comma (CSV quoting), and some
    # names deliberately shared by several product codes.
    names = np.empty(n, dtype=object)
    for cat in pp["by_category"]:
        idx = np.flatnonzero(category == cat)
        brands, items, variants = vocab.PRODUCT_WORDS[cat]
        b, it, v = (_choice(rng, w, len(idx)) for w in (brands, items, variants))
        comma = rng.random(len(idx)) < 0.15
        names[idx] = [f"{x} {y}, {z}" if c else f"{x} {y} {z}"
                      for x, y, z, c in zip(b, it, v, comma)]
    for i in _pick(rng, n, min(scaled(SCALE1["products"]["duplicate_names"], plan["scale"]), n)):
        same = np.flatnonzero(category == category[i])
        names[i] = names[same[rng.integers(0, len(same))]]

    # Prices in pence, log-uniform within a range per category.
    price_range = {"homeware": (300, 90000), "toys-and-games": (300, 20000),
                   "food-and-drink": (50, 1500), "pets": (200, 8000),
                   "sports-and-leisure": (500, 60000), "health-and-beauty": (100, 6000),
                   "diy": (500, 30000)}
    lo = np.array([price_range[c][0] for c in category], dtype=float)
    hi = np.array([price_range[c][1] for c in category], dtype=float)
    pence = np.exp(rng.uniform(np.log(lo), np.log(hi))).round().astype(np.int64)
    price_text = np.array([f"£{p // 100}.{p % 100:02d}" for p in pence], dtype=object)

    weight_text, weight_kg = _weights(rng, form, pp)

    ean_lengths = np.array([10, 11, 12, 13, 14, 15, 16, 17])
    lengths = rng.choice(ean_lengths, size=n, p=[.02, .02, .10, .78, .03, .02, .02, .01])
    lengths[rng.permutation(n)[:min(n, 8)]] = ean_lengths[:min(n, 8)]  # every length present
    ean = np.empty(n, dtype=object)
    for length in ean_lengths:
        idx = np.flatnonzero(lengths == length)
        first = rng.integers(1, 10, size=len(idx)).astype(str).astype(object)
        ean[idx] = first + _digits(rng, len(idx), int(length) - 1)

    added = _random_days(rng, "2017-01-01", "2023-12-31", n)
    added_text = _iso(added)
    odd = _pick(rng, n, pp["dirt"]["odd_date_added"])
    added_text[odd] = _odd_dates(rng, added[odd])
    uuid = _unique_uuid4(rng, n)

    def codes(k):
        letters = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), dtype=object)
        lower = np.array(list("abcdefghijklmnopqrstuvwxyz"), dtype=object)
        return (letters[rng.integers(0, 26, k)] + rng.integers(0, 10, k).astype(str).astype(object)
                + "-" + rng.integers(1, 10, k).astype(str).astype(object) + _digits(rng, k, 6)
                + lower[rng.integers(0, 26, k)])

    code = codes(n)
    while (dup := pd.Series(code).duplicated().to_numpy()).any():
        code[dup] = codes(int(dup.sum()))

    clean = pd.DataFrame({
        "product_code": code, "product_name": names, "product_price": pence / 100,
        "weight": weight_kg, "category": category, "ean": ean, "date_added": _iso(added),
        "uuid": uuid, "still_available": removed == "Still_avaliable",
    })
    valid_raw = pd.DataFrame({
        "product_name": names, "product_price": price_text, "weight": weight_text,
        "category": category, "EAN": ean, "date_added": added_text, "uuid": uuid,
        "removed": removed, "product_code": code,
    })
    raw, dirty = _mix_dirty(rng, valid_raw, [], pp["null"], pp["garbage"])
    raw.insert(0, "row_label", np.arange(len(raw)))
    return SourceTable(clean=clean, raw=raw, quarantine=raw[dirty].reset_index(drop=True),
                       extra={"dirty": dirty})


def _weights(rng: np.random.Generator, form: np.ndarray, pp: dict) -> tuple[np.ndarray, np.ndarray]:
    """Source text and truth (kg) of each product's weight, by weight form."""
    n = len(form)
    text = np.empty(n, dtype=object)
    kg = np.empty(n, dtype=float)

    idx = np.flatnonzero(form == "kg_decimal")
    hundredths = rng.integers(10, 2500, size=len(idx))
    hundredths[hundredths % 100 == 0] += 7  # keep them decimal
    t = [f"{h // 100}.{h % 100:02d}".rstrip("0") for h in hundredths]
    text[idx] = [f"{x}kg" for x in t]
    kg[idx] = [float(x) for x in t]

    idx = np.flatnonzero(form == "g_whole")
    grams = rng.integers(5, 1000, size=len(idx))
    text[idx] = [f"{g}g" for g in grams]
    kg[idx] = grams / 1000

    idx = np.flatnonzero(form == "kg_whole")
    whole = rng.integers(1, 31, size=len(idx))
    k1160, k2 = min(pp["kg_1160"], len(idx)), min(pp["kg_2"], len(idx))
    whole[:k1160] = 1160  # `form` is already shuffled, so the first ones are random products
    whole[k1160:k1160 + k2] = 2
    text[idx] = [f"{w}kg" for w in whole]
    kg[idx] = whole.astype(float)

    idx = np.flatnonzero(form == "multipack")
    count = rng.choice([2, 3, 4, 6, 8, 10, 12, 16, 24], size=len(idx))
    each = rng.choice([25, 40, 50, 75, 80, 100, 125, 150, 200, 250, 330, 400], size=len(idx))
    text[idx] = [f"{c} x {e}g" for c, e in zip(count, each)]
    kg[idx] = count * each / 1000

    idx = np.flatnonzero(form == "g_decimal")
    tenths = rng.integers(5, 1000, size=len(idx))
    tenths[tenths % 10 == 0] += 3
    t = [f"{x // 10}.{x % 10}" for x in tenths]
    text[idx] = [f"{x}g" for x in t]
    kg[idx] = [float(x) / 1000 for x in t]

    idx = np.flatnonzero(form == "ml")
    ml = rng.integers(2, 41, size=len(idx)) * 50
    text[idx] = [f"{m}ml" for m in ml]
    kg[idx] = ml / 1000  # 1 ml counts as 1 g

    idx = np.flatnonzero(form == "g_dot")
    text[idx] = "77g ."
    kg[idx] = 77 / 1000

    idx = np.flatnonzero(form == "oz")
    text[idx] = "16oz"
    kg[idx] = 16 * 28.349523125 / 1000
    return text, kg


# --- users and cards ------------------------------------------------------------------------------

_CARD_SPECS = {
    "VISA 16 digit": (("4",), 16),
    "JCB 16 digit": (tuple(str(p) for p in range(3528, 3590)), 16),
    "VISA 13 digit": (("4",), 13),
    "JCB 15 digit": (("2131", "1800"), 15),
    "VISA 19 digit": (("4",), 19),
    "Diners Club / Carte Blanche": (("300", "301", "302", "303", "304", "305", "36", "38"), 14),
    "American Express": (("34", "37"), 15),
    "Maestro": (("5018", "5020", "5038", "6304", "6759", "6761", "6762", "6763"), None),
    "Discover": (("6011", "65", "644", "645", "646", "647", "648", "649"), 16),
    "Mastercard": (("51", "52", "53", "54", "55", "2221", "2720"), 16),
}


def _luhn_numbers(rng: np.random.Generator, prefixes: Sequence[str], length: int,
                  n: int) -> np.ndarray:
    """`n` card numbers of `length` digits starting with one of `prefixes`, Luhn check digit last."""
    pre = np.asarray(prefixes, dtype=object)[rng.integers(0, len(prefixes), size=n)]
    out = np.empty(n, dtype=object)
    for p in dict.fromkeys(pre.tolist()):  # ordered distinct prefixes
        idx = np.flatnonzero(pre == p)
        body = np.empty((len(idx), length - 1), dtype=np.int64)
        body[:, :len(p)] = [int(ch) for ch in p]
        body[:, len(p):] = rng.integers(0, 10, size=(len(idx), length - 1 - len(p)))
        # Luhn: from the right of the body, double every other digit starting with the last one.
        weights = np.where(np.arange(length - 1)[::-1] % 2 == 0, 2, 1)
        doubled = body * weights
        doubled = np.where(doubled > 9, doubled - 9, doubled)
        check = (10 - doubled.sum(axis=1) % 10) % 10
        digits = np.concatenate([body, check[:, None]], axis=1).astype(np.uint8) + 48
        out[idx] = digits.view(f"S{length}").ravel().astype(f"U{length}").astype(object)
    return out


def _card_numbers(rng: np.random.Generator, provider: np.ndarray, maestro_lengths: dict) -> np.ndarray:
    """A unique card number for each row, of its provider's length and prefix."""
    numbers = np.empty(len(provider), dtype=object)
    lengths = np.zeros(len(provider), dtype=int)
    for name, (prefixes, length) in _CARD_SPECS.items():
        idx = np.flatnonzero(provider == name)
        if length is None:
            lengths[idx] = _shuffled_labels(rng, maestro_lengths).astype(int)
        else:
            lengths[idx] = length
    for name, (prefixes, _) in _CARD_SPECS.items():
        for length in sorted(set(lengths[provider == name].tolist())):
            idx = np.flatnonzero((provider == name) & (lengths == length))
            numbers[idx] = _luhn_numbers(rng, prefixes, length, len(idx))
    while (dup := pd.Series(numbers).duplicated().to_numpy()).any():
        for i in np.flatnonzero(dup):
            numbers[i] = _luhn_numbers(rng, _CARD_SPECS[provider[i]][0], int(lengths[i]), 1)[0]
    return numbers


def _phones(rng: np.random.Generator, country: str, n: int) -> np.ndarray:
    """Phone numbers in the country's many local formats (varied, but not dirt)."""
    fmt = rng.integers(0, 6, size=n)
    eight = _digits(rng, n, 8)
    if country == "GB":
        area = _choice(rng, vocab.GB_PHONE_AREAS, n)
        # UK numbers have 11 digits with the leading 0: the local part fills up the rest.
        local = np.array([d[:11 - len(a)] for a, d in zip(area, eight)], dtype=object)
        return _format_rows(fmt, (
            lambda a, l: f"+44(0){a[1:]} {l}", lambda a, l: f"({a}){l}",
            lambda a, l: f"{a} {l[:3]} {l[3:]}", lambda a, l: f"{a}{l}",
            lambda a, l: f"+44(0){a[1:]}{l}", lambda a, l: f"{a} {l}",
        ), area, local)
    if country == "DE":
        area = _choice(rng, vocab.DE_PHONE_AREAS, n)
        width = rng.integers(5, 9, n)
        local = np.array([d[:w] for d, w in zip(eight, width)], dtype=object)
        return _format_rows(fmt, (
            lambda a, l: f"+49(0) {a}{l}", lambda a, l: f"+49 {a[1:]} {l}",
            lambda a, l: f"({a}) {l}", lambda a, l: f"{a} {l}", lambda a, l: f"{a}/{l}",
            lambda a, l: f"+49(0){a[1:]} {l}",
        ), area, local)
    area = rng.integers(201, 990, n).astype(str).astype(object)
    exchange = rng.integers(200, 1000, n).astype(str).astype(object)
    line = np.char.zfill(rng.integers(0, 10000, n).astype(str), 4).astype(object)
    ext = rng.integers(1, 99999, n).astype(str).astype(object)
    return _format_rows(fmt, (
        lambda a, x, y, e: f"001-{a}-{x}-{y}x{e}", lambda a, x, y, e: f"{a}.{x}.{y}x{e[:3]}",
        lambda a, x, y, e: f"({a}){x}-{y}", lambda a, x, y, e: f"{a}-{x}-{y}",
        lambda a, x, y, e: f"+1-{a}-{x}-{y}", lambda a, x, y, e: f"{a}.{x}.{y}",
    ), area, exchange, line, ext)


def _user_addresses(rng: np.random.Generator, country: str, n: int) -> np.ndarray:
    """Multi-line addresses in the country's usual shape."""
    num = rng.integers(1, 300, n).astype(str).astype(object)
    if country == "GB":
        street = _street_words(rng, vocab.GB_STREET_WORDS, vocab.GB_STREET_SUFFIXES, n)
        flat = _choice(rng, vocab.GB_FLAT_PREFIXES, n) + " " + \
            rng.integers(1, 90, n).astype(str).astype(object)
        town = _choice(rng, vocab.GB_TOWNS, n)
        postcode = _gb_postcodes(rng, n)
        kind = (rng.random(n) < 0.3).astype(int)
        return _format_rows(kind, (
            lambda nu, st, fl, tw, pc: f"{nu} {st}\n{tw}\n{pc}",
            lambda nu, st, fl, tw, pc: f"{fl}\n{nu} {st}\n{tw}\n{pc}",
        ), num, street, flat, town, postcode)
    if country == "DE":
        city_idx = rng.integers(0, len(vocab.DE_CITIES), n)
        city_idx[:1] = 0  # the first German user lives in Gießen: a sure non-ASCII trap
        city = np.array([c for c, _ in vocab.DE_CITIES], dtype=object)[city_idx]
        plz = np.array([p for _, p in vocab.DE_CITIES], dtype=object)[city_idx]
        street = _de_streets(rng, n)
        extra = "/" + rng.integers(1, 9, n).astype(str).astype(object)
        kind = (rng.random(n) < 0.2).astype(int)
        return _format_rows(kind, (
            lambda nu, st, ex, pl, ci: f"{st} {nu}\n{pl} {ci}",
            lambda nu, st, ex, pl, ci: f"{st} {nu}{ex}\n{pl} {ci}",
        ), num, street, extra, plz, city)
    street = _street_words(rng, vocab.US_STREET_NAMES, vocab.US_STREET_SUFFIXES, n)
    unit = _choice(rng, vocab.US_UNITS, n) + " " + rng.integers(1, 999, n).astype(str).astype(object)
    city_idx = rng.integers(0, len(vocab.US_CITIES), n)
    city = np.array([c for c, _ in vocab.US_CITIES], dtype=object)[city_idx]
    state = np.array([s for _, s in vocab.US_CITIES], dtype=object)[city_idx]
    zip5 = np.char.zfill(rng.integers(10000, 99951, n).astype(str), 5).astype(object)
    kind = (rng.random(n) < 0.3).astype(int)
    return _format_rows(kind, (
        lambda nu, st, un, ci, sa, z: f"{nu} {st}\n{ci}, {sa} {z}",
        lambda nu, st, un, ci, sa, z: f"{nu} {st} {un}\n{ci}, {sa} {z}",
    ), num, street, unit, city, state, zip5)


_FIRST_NAMES = {"GB": vocab.GB_FIRST_NAMES, "DE": vocab.DE_FIRST_NAMES, "US": vocab.US_FIRST_NAMES}
_LAST_NAMES = {"GB": vocab.GB_LAST_NAMES, "DE": vocab.DE_LAST_NAMES, "US": vocab.US_LAST_NAMES}
# Trap values placed on the first rows of a country, so they exist at every scale.
_TRAP_FIRST = {"DE": ("Klaus-D.", "Hans D.")}
_TRAP_LAST = {"GB": ("O'Connor",)}


def _make_users_and_cards(rng_users: np.random.Generator, rng_cards: np.random.Generator,
                          plan: dict) -> tuple[SourceTable, SourceTable]:
    up, cp = plan["legacy_users"], plan["card_details"]
    rng = rng_users
    parts = []
    for country, n in up["by_country"].items():
        first = _choice(rng, _FIRST_NAMES[country], n)
        last = _choice(rng, _LAST_NAMES[country], n)
        for i, v in enumerate(_TRAP_FIRST.get(country, ())[:n]):
            first[i] = v
        for i, v in enumerate(_TRAP_LAST.get(country, ())[:n]):
            last[i] = v
        # Companies and e-mails.
        last2 = _choice(rng, _LAST_NAMES[country], n)
        suffix = _choice(rng, vocab.COMPANY_SUFFIXES[country], n)
        shape = rng.integers(0, 3, size=n)
        company = np.array([f"{a} {s}" if k == 0 else f"{a}-{b} {s}" if k == 1 else
                            f"{a}, {b} and {s.split()[-1]}" if country == "US" else f"{a} & {b} {s}"
                            for a, b, s, k in zip(last, last2, suffix, shape)], dtype=object)
        domain = _choice(rng, vocab.EMAIL_DOMAINS[country], n)
        sep = _choice(rng, (".", "_", ""), n)
        num = rng.integers(0, 100, size=n)
        email = np.array([
            f"{a.translate(vocab.ASCII_FOLD).lower()}{s}{b.translate(vocab.ASCII_FOLD).lower()}"
            f"{m if m < 60 else ''}@{d}"
            for a, b, s, m, d in zip(first, last, sep, num, domain)], dtype=object)
        parts.append(pd.DataFrame({
            "first_name": first, "last_name": last, "company": company, "email_address": email,
            "address": _user_addresses(rng, country, n), "country": COUNTRY_NAMES[country],
            "country_code": country, "phone_number": _phones(rng, country, n),
        }))
    users = pd.concat(parts, ignore_index=True)
    n = len(users)

    # Birth and join dates: a fixed number of users joined "before they were born" (a trap kept as
    # the source says); everyone else joined at 16 or older.
    flipped = np.zeros(n, bool)
    flipped[_pick(rng, n, up["join_before_birth"])] = True
    dob = _random_days(rng, "1940-01-01", "2006-12-31", n)
    dob[flipped] = _random_days(rng, "1995-01-01", "2006-12-31", int(flipped.sum()))
    last_join = np.datetime64("2022-12-31")
    earliest = np.maximum(dob + np.timedelta64(16 * 365 + 4, "D"), np.datetime64("1992-01-01"))
    span = (last_join - earliest).astype(int) + 1
    join = earliest + (rng.random(n) * span).astype(int).astype("timedelta64[D]")
    before = np.datetime64("1992-01-01") + (
        rng.random(n) * ((dob - np.datetime64("1992-01-01")).astype(int))).astype(int).astype(
        "timedelta64[D]")
    join[flipped] = before[flipped]
    users["date_of_birth"] = _iso(dob)
    users["join_date"] = _iso(join)
    users["user_uuid"] = _unique_uuid4(rng, n)
    clean_users = users[CLEAN_COLUMNS["dim_users"]].copy()

    # Dirt.
    dirt = up["dirt"]
    raw = users.copy()
    uk = np.flatnonzero(raw["country_code"].to_numpy() == "GB")
    raw.loc[uk[_pick(rng, len(uk), dirt["country_code_GGB"])], "country_code"] = "GGB"
    at = _pick(rng, n, dirt["email_double_at"])
    raw.loc[at, "email_address"] = raw.loc[at, "email_address"].str.replace("@", "@@", regex=False)
    for column, key, days in (("date_of_birth", "odd_date_of_birth", dob),
                              ("join_date", "odd_join_date", join)):
        odd = _pick(rng, n, dirt[key])
        raw.loc[odd, column] = _odd_dates(rng, days[odd])
    text_cols = USERS_RAW[1:]
    mixed, dirty = _mix_dirty(rng, raw[text_cols], [], up["null"], up["garbage"])
    mixed.insert(0, "index", rng.permutation(len(mixed)))  # row labels, not in physical order
    quarantine = mixed[dirty].sort_values("index").reset_index(drop=True)
    users_table = SourceTable(clean=clean_users, raw=mixed, quarantine=quarantine,
                              extra={"dirty": dirty, "quarantine_order": "index"})

    # Cards: one per user, in user order (so card i belongs to user i).
    rng = rng_cards
    provider = _shuffled_labels(rng, cp["by_provider"])
    number = _card_numbers(rng, provider, cp["maestro_lengths"])
    expiry = np.array([f"{m:02d}/{y:02d}" for m, y in zip(rng.integers(1, 13, n),
                                                           rng.integers(22, 33, n))], dtype=object)
    confirmed = _random_days(rng, "1992-01-01", "2022-12-31", n)
    clean_cards = pd.DataFrame({"card_number": number, "expiry_date": expiry,
                                "card_provider": provider,
                                "date_payment_confirmed": _iso(confirmed)})
    raw_number = number.copy()
    q = _pick(rng, n, cp["dirt"]["question_prefix"])
    raw_number[q] = ["?" * int(k) + v for k, v in zip(rng.integers(1, 5, len(q)), number[q])]
    confirmed_text = _iso(confirmed)
    odd = _pick(rng, n, cp["dirt"]["odd_date_payment_confirmed"])
    confirmed_text[odd] = _odd_dates(rng, confirmed[odd])
    raw_cards = pd.DataFrame({"card_number": raw_number, "expiry_date": expiry,
                              "card_provider": provider, "date_payment_confirmed": confirmed_text})
    mixed, dirty = _mix_dirty(rng, raw_cards, [], cp["null"], cp["garbage"])
    mixed.insert(0, "page", np.arange(len(mixed)) // ROWS_PER_PAGE + 1)
    cards_table = SourceTable(clean=clean_cards, raw=mixed,
                              quarantine=mixed[dirty].reset_index(drop=True),
                              extra={"dirty": dirty})
    return users_table, cards_table


# --- date details and orders ----------------------------------------------------------------------

_PERIOD_OF_HOUR = np.array(["Late_Hours"] * 5 + ["Morning"] * 6 + ["Midday"] * 6
                           + ["Evening"] * 5 + ["Late_Hours"] * 2, dtype=object)


def _make_dates(rng: np.random.Generator, plan: dict) -> SourceTable:
    dp = plan["date_details"]
    n = dp["valid"]
    start = np.datetime64("1992-01-01T00:00:00", "s")
    span = int((np.datetime64("2023-01-01T00:00:00", "s") - start).astype(int))
    # Distinct seconds, so "the sale before" is always well defined.
    secs = rng.integers(0, span, size=n)
    while (dup := pd.Series(secs).duplicated().to_numpy()).any():
        secs[dup] = rng.integers(0, span, size=int(dup.sum()))
    moments = start + secs.astype("timedelta64[s]")
    days = moments.astype("datetime64[D]")
    years = days.astype("datetime64[Y]").astype(int) + 1970
    months = days.astype("datetime64[M]").astype(int) % 12 + 1
    dom = (days - days.astype("datetime64[M]")).astype(int) + 1
    sod = (moments - days).astype(int)
    hour, minute, second = sod // 3600, sod % 3600 // 60, sod % 60
    chars = np.full((n, 8), ord(":"), dtype=np.uint8)
    for pos, part in ((0, hour), (3, minute), (6, second)):
        chars[:, pos] = 48 + part // 10
        chars[:, pos + 1] = 48 + part % 10
    stamp = chars.view("S8").ravel().astype("U8").astype(object)
    period = _PERIOD_OF_HOUR[hour]
    uuid = _unique_uuid4(rng, n)
    clean = pd.DataFrame({"date_uuid": uuid, "timestamp": stamp, "month": months, "year": years,
                          "day": dom, "time_period": period})
    valid_raw = pd.DataFrame({"timestamp": stamp, "month": months.astype(str).astype(object),
                              "year": years.astype(str).astype(object),
                              "day": dom.astype(str).astype(object), "time_period": period,
                              "date_uuid": uuid})
    raw, dirty = _mix_dirty(rng, valid_raw, [], dp["null"], dp["garbage"])
    raw.insert(0, "row_label", np.arange(len(raw)))
    return SourceTable(clean=clean, raw=raw, quarantine=raw[dirty].reset_index(drop=True),
                       extra={"dirty": dirty})


_STORE_TYPE_WEIGHT = {"Super Store": 3.0, "Local": 1.5, "Outlet": 1.0, "Mall Kiosk": 0.6}


def _every_then_random(rng: np.random.Generator, n_items: int, n: int,
                       p: np.ndarray | None = None) -> np.ndarray:
    """`n` draws from range(n_items) holding every item at least once (in random order)."""
    if n < n_items:
        raise ValueError("more items than draws")
    draws = np.r_[np.arange(n_items), rng.choice(n_items, size=n - n_items, p=p)]
    return draws[rng.permutation(n)]


def _make_orders(rng: np.random.Generator, plan: dict, users: SourceTable, cards: SourceTable,
                 stores: SourceTable, products: SourceTable, dates: SourceTable) -> SourceTable:
    op = plan["orders_table"]
    n = op["valid"]
    u, c = users.clean, cards.clean
    user_idx = _every_then_random(rng, len(u), n)  # card i belongs to user i
    physical = stores.clean.iloc[1:]  # row 0 is the web store
    weight = physical["store_type"].map(_STORE_TYPE_WEIGHT).to_numpy()
    n_web = op["web"]
    store_pos = np.r_[np.zeros(n_web, dtype=int),
                      1 + _every_then_random(rng, len(physical), n - n_web, weight / weight.sum())]
    store_pos = store_pos[rng.permutation(n)]
    product_idx = _every_then_random(rng, len(products.clean), n)
    quantity = rng.integers(1, 16, size=n)
    date_uuid = dates.clean["date_uuid"].to_numpy()[rng.permutation(n)]

    clean = pd.DataFrame({
        "date_uuid": date_uuid,
        "user_uuid": u["user_uuid"].to_numpy()[user_idx],
        "card_number": c["card_number"].to_numpy()[user_idx],
        "store_code": stores.clean["store_code"].to_numpy()[store_pos],
        "product_code": products.clean["product_code"].to_numpy()[product_idx],
        "product_quantity": quantity,
    })
    first = np.full(n, None, dtype=object)
    last = np.full(n, None, dtype=object)
    named = _pick(rng, n, op["named"])
    first[named] = u["first_name"].to_numpy()[user_idx[named]]
    last[named] = u["last_name"].to_numpy()[user_idx[named]]
    raw = pd.DataFrame({
        "level_0": np.arange(n), "index": rng.permutation(n), "date_uuid": clean["date_uuid"],
        "first_name": first, "last_name": last, "user_uuid": clean["user_uuid"],
        "card_number": clean["card_number"], "store_code": clean["store_code"],
        "product_code": clean["product_code"], "1": np.full(n, None, dtype=object),
        "product_quantity": quantity,
    })
    return SourceTable(clean=clean, raw=raw, quarantine=raw.iloc[:0],
                       extra={"dirty": np.zeros(n, dtype=bool)})


def _make_decoy(rng: np.random.Generator, plan: dict, stores: SourceTable) -> pd.DataFrame:
    """`legacy_store_details`: an old copy of the store data that nothing should read.

    Most physical stores as they were years ago (other staff numbers, some other types, coordinates
    not swapped, no web store) plus stores closed since, with codes the API does not know.
    """
    physical = stores.clean.iloc[1:].reset_index(drop=True)
    keep = _pick(rng, len(physical), int(round(len(physical) * SCALE1["decoy"]["kept_share"])))
    old = physical.iloc[keep].copy()
    old["staff_numbers"] = np.maximum(1, (old["staff_numbers"] * rng.uniform(0.5, 1.2, len(old)))
                                      .round().astype(int))
    retype = rng.random(len(old)) < 0.1
    old.loc[retype, "store_type"] = _choice(rng, list(_STORE_TYPE_WEIGHT), int(retype.sum()))
    k = scaled(SCALE1["decoy"]["closed"], plan["scale"])
    closed = physical.iloc[rng.integers(0, len(physical), k)].copy()
    closed["store_code"] = [f"{code[:3]}{v:08X}" for code, v in
                            zip(closed["store_code"], rng.integers(0, 2**32, k))]
    closed["staff_numbers"] = rng.integers(3, 60, k)
    closed["opening_date"] = _iso(_random_days(rng, "1985-01-01", "2005-12-31", k))
    decoy = pd.concat([old, closed], ignore_index=True)
    decoy = decoy.iloc[rng.permutation(len(decoy))].reset_index(drop=True)
    return pd.DataFrame({
        "index": np.arange(len(decoy)), "address": decoy["address"],
        "longitude": [f"{v:.5f}" for v in decoy["longitude"]], "lat": None,
        "locality": decoy["locality"], "store_code": decoy["store_code"],
        "staff_numbers": decoy["staff_numbers"].astype(str), "opening_date": decoy["opening_date"],
        "store_type": decoy["store_type"], "latitude": [f"{v:.5f}" for v in decoy["latitude"]],
        "country_code": decoy["country_code"], "continent": decoy["continent"],
    })


# ------------------------------------------------------------------------------------------------
# Writers
# ------------------------------------------------------------------------------------------------

_CHUNK = 200_000  # rows formatted at a time: bounds the memory the writers need


def _copy_fields(series: pd.Series, kind: str) -> list[str]:
    """COPY CSV fields: "text" quoted (inner `"` doubled), "number" bare; NULL is empty."""
    missing = series.isna().to_numpy()
    if missing.all():
        return [""] * len(series)
    values = series.tolist()
    if kind != "text":
        if missing.any():
            return ["" if m else str(v) for v, m in zip(values, missing)]
        return [str(v) for v in values]
    present = [v for v, m in zip(values, missing) if not m] if missing.any() else values
    if '"' in "".join(present):
        values = [v if m else v.replace('"', '""') for v, m in zip(values, missing)]
    if missing.any():
        return ["" if m else '"' + v + '"' for v, m in zip(values, missing)]
    return ['"' + v + '"' for v in values]  # the common case: no NULL, no inner quote


def _write_copy_csv(path: Path, columns: Sequence[str], kinds: Sequence[str],
                    frame: pd.DataFrame) -> None:
    """A table in Postgres `COPY ... (FORMAT csv, HEADER true)` form with every string quoted.

    The header is written as COPY writes it (bare names); SQL NULL is an unquoted empty field.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(columns) + "\n")
        for start in range(0, len(frame), _CHUNK):
            part = frame.iloc[start:start + _CHUNK]
            fields = [_copy_fields(part[c], k) for c, k in zip(columns, kinds)]
            handle.write("\n".join(map(",".join, zip(*fields))) + "\n")


def _truth_fields(series: pd.Series) -> list[str]:
    """Truth CSV fields, quoted only where CSV needs it (as pandas' `to_csv` does)."""
    values = series.tolist()
    if series.dtype == bool:
        return ["True" if v else "False" for v in values]
    if series.dtype.kind == "f":
        return ["" if v != v else repr(v) for v in values]
    if series.dtype.kind in "iu":
        return [str(v) for v in values]
    missing = series.isna().to_numpy()
    out = ["" if m else v for v, m in zip(values, missing)] if missing.any() else values
    joined = "".join(out)
    if any(ch in joined for ch in ',"\n\r'):
        out = ['"' + v.replace('"', '""') + '"' if any(ch in v for ch in ',"\n\r') else v
               for v in out]
    return out


def _write_truth_csv(path: Path, frame: pd.DataFrame) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(frame.columns) + "\n")
        for start in range(0, len(frame), _CHUNK):
            part = frame.iloc[start:start + _CHUNK]
            fields = [_truth_fields(part[c]) for c in frame.columns]
            handle.write("\n".join(map(",".join, zip(*fields))) + "\n")


def _write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)


def _products_csv_text(raw: pd.DataFrame) -> str:
    """products.csv as pandas' `to_csv` wrote it: unnamed label column, minimal quoting."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["", *PRODUCTS_RAW[1:]])
    writer.writerows(raw[PRODUCTS_RAW].itertuples(index=False, name=None))
    return buffer.getvalue()


def _json_value(value) -> str:
    """One JSON value as pandas' `to_json` writes it (non-ASCII escaped as \\uXXXX)."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return _encode_json_string(value)
    return json.dumps(value)


def _write_date_details_json(path: Path, raw: pd.DataFrame) -> None:
    """date_details.json: `{"column":{"0":value,...},...}` in compact form (as pandas wrote it).

    Built by hand (json.dumps of million-entry dicts is slow). A column of plain printable ASCII
    strings (every column of dialect 0) is written as it is; any other column (null, NBSP, tab, a
    quote) has each value encoded by the json module's C string encoder, still fast.
    """
    labels = raw["row_label"].tolist()
    keys = [f'"{label}":"' for label in labels]
    bare_keys: list[str] | None = None
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="ascii", newline="") as handle:
        for i, column in enumerate(DATES_RAW[1:]):
            values = raw[column].tolist()
            handle.write(("{" if i == 0 else ",") + f'"{column}":{{')
            plain = all(isinstance(v, str) for v in values)
            if plain:
                joined = "".join(values)
                plain = not ('"' in joined or "\\" in joined or not joined.isascii()
                             or not joined.isprintable())
            if plain:
                handle.write(",".join([k + v + '"' for k, v in zip(keys, values)]))
            else:
                bare_keys = bare_keys or [f'"{label}":' for label in labels]
                handle.write(",".join([k + _json_value(v) for k, v in zip(bare_keys, values)]))
            handle.write("}")
        handle.write("}")


def _stores_json_text(raw: pd.DataFrame) -> str:
    """api/stores.json: one store object per line, keys in the API's order."""
    objects = []
    for row in raw[STORES_RAW].itertuples(index=False, name=None):
        obj = dict(zip(STORES_RAW, row))
        obj["index"] = int(obj["index"])
        objects.append(json.dumps(obj, ensure_ascii=False))
    return "[\n" + ",\n".join(objects) + "\n]\n"


_DIALECT_SOURCES = {"users": "dim_users", "orders": "orders_table", "cards": "dim_card_details",
                    "stores": "dim_store_details", "products": "dim_products",
                    "dates": "dim_date_times"}


def _respell(tables: dict[str, SourceTable], seed: int, dialect: int) -> None:
    """Replace each table's raw rows by their `dialect` spelling and re-slice its quarantine."""
    raws = {source: tables[name].raw for source, name in _DIALECT_SOURCES.items()}
    dirty = {source: tables[name].extra["dirty"] for source, name in _DIALECT_SOURCES.items()}
    respelled = dialects_module.respell(raws, dirty, seed, dialect)
    for source, name in _DIALECT_SOURCES.items():
        table = tables[name]
        table.raw = respelled[source]
        quarantine = table.raw[table.extra["dirty"]]
        if "quarantine_order" in table.extra:
            quarantine = quarantine.sort_values(table.extra["quarantine_order"])
        table.quarantine = quarantine.reset_index(drop=True)


def _sorted_by_key(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    # numpy's sort of fixed-width text is several times faster than pandas' sort of objects.
    order = np.argsort(frame[key].to_numpy().astype(str), kind="stable")
    return frame.iloc[order].reset_index(drop=True)


# ------------------------------------------------------------------------------------------------
# Entry point
# ------------------------------------------------------------------------------------------------

def build_tables(seed: int, scale: int | float, *, dialect: int = 0,
                 progress: Callable[[str], None] | None = None
                 ) -> tuple[dict, dict[str, SourceTable], pd.DataFrame]:
    """Everything `generate_world` writes, in memory: the plan (counts), the six tables by clean
    table name (truth, raw rows spelled in `dialect`, quarantine) and the decoy table."""
    if not scale >= MIN_SCALE:
        raise ValueError(f"scale must be at least {MIN_SCALE}, got {scale}")
    if dialect not in dialects_module.DIALECTS:
        raise ValueError(f"dialect must be one of {dialects_module.DIALECTS}, got {dialect!r}")
    say = progress or (lambda message: None)
    plan = plan_counts(scale)
    plan["scale"] = scale
    streams = dict(zip(_STREAMS, np.random.default_rng(seed).spawn(len(_STREAMS))))

    say("generating stores and products")
    stores = _make_stores(streams["stores"], plan)
    products = _make_products(streams["products"], plan)
    say(f"generating {plan['legacy_users']['valid']:,} users and their cards")
    users, cards = _make_users_and_cards(streams["users"], streams["cards"], plan)
    say(f"generating {plan['orders_table']['valid']:,} date details and orders")
    dates = _make_dates(streams["dates"], plan)
    orders = _make_orders(streams["orders"], plan, users, cards, stores, products, dates)
    decoy = _make_decoy(streams["decoy"], plan, stores)
    tables = {"dim_users": users, "dim_card_details": cards, "dim_store_details": stores,
              "dim_products": products, "dim_date_times": dates, "orders_table": orders}
    if dialect:
        say(f"respelling the sources in dialect {dialect} "
            f"({dialects_module.DIALECT_NAMES[dialect]})")
        _respell(tables, seed, dialect)
    return plan, tables, decoy


def generate_world(seed: int, scale: int | float = 1, out_dir: Path | str = Path("world"),
                   progress: Callable[[str], None] | None = None, *, dialect: int = 0) -> dict:
    """Generate the sandbox world for `seed` at `scale` into `out_dir`; return the manifest.

    Writes exactly the layout of docs/architecture.md ("Sandbox world on disk"): manifest.json,
    legacy/*.csv, s3/products.csv, s3/card_details.pdf, s3/date_details.json, api/stores.json,
    truth/<table>.csv, truth/quarantine/<table>.csv and truth/answers/<metric>.csv. Files of an
    earlier world in `out_dir` are overwritten. `progress`, if given, receives short messages.
    Same seed, scale and dialect, same bytes. The manifest is `{"seed", "scale", "counts"}`, counts
    by source (`rows`, `valid`, `null`, `garbage`, splits and dirt counts), plus `"dialect"` when it
    is not 0 (so a dialect-0 manifest is byte for byte what it always was). `dialect` (see the
    module docstring) changes only the spellings of the raw sources: the truth, the answers and
    every count stay those of dialect 0; truth/quarantine holds the rejected rows as spelled.
    """
    say = progress or (lambda message: None)
    out = Path(out_dir)
    plan, tables, decoy = build_tables(seed, scale, dialect=dialect, progress=say)
    users, cards, stores, products, dates, orders = (tables[name] for name in (
        "dim_users", "dim_card_details", "dim_store_details", "dim_products", "dim_date_times",
        "orders_table"))

    say("writing the legacy database tables")
    _write_copy_csv(out / "legacy" / "legacy_users.csv", USERS_RAW, ["number"] + ["text"] * 11,
                    users.raw)
    _write_copy_csv(out / "legacy" / "orders_table.csv", ORDERS_RAW,
                    ["number", "number", "text", "text", "text", "text", "number", "text", "text",
                     "number", "number"], orders.raw)
    _write_copy_csv(out / "legacy" / "legacy_store_details.csv", STORES_RAW,
                    ["number"] + ["text"] * 11, decoy)

    say("writing the S3 objects and the stores API")
    _write_text(out / "s3" / "products.csv", _products_csv_text(products.raw))
    _write_date_details_json(out / "s3" / "date_details.json", dates.raw)
    _write_text(out / "api" / "stores.json", _stores_json_text(stores.raw))
    say(f"writing card_details.pdf ({plan['card_details']['pages']:,} pages)")
    pages = write_card_details_pdf(out / "s3" / "card_details.pdf",
                                   [cards.raw[c].tolist() for c in PDF_HEADER])
    if pages != plan["card_details"]["pages"]:
        raise RuntimeError(f"card_details.pdf has {pages} pages, expected "
                           f"{plan['card_details']['pages']}")

    say("writing the truth")
    clean = {}
    for name, table in tables.items():
        clean[name] = _sorted_by_key(table.clean[CLEAN_COLUMNS[name]], CLEAN_KEYS[name])
        _write_truth_csv(out / "truth" / f"{name}.csv", clean[name])
        _write_truth_csv(out / "truth" / "quarantine" / f"{name}.csv",
                         table.quarantine[RAW_COLUMNS_OF_CLEAN[name]])

    # The answers come from the truth tables just written, held in memory with the types
    # `truth.read_truth_tables` gives them (a test checks the two agree).
    say("computing the nine answers")
    for metric, frame in truth_module.compute_answers(clean).items():
        _write_truth_csv(out / "truth" / "answers" / f"{metric}.csv", frame)

    counts = {key: value for key, value in plan.items() if key != "scale"}
    counts["legacy_store_details"] = {"rows": len(decoy)}
    manifest = {"seed": seed, "scale": scale, "counts": counts}
    if dialect:
        manifest = {"seed": seed, "scale": scale, "dialect": dialect, "counts": counts}
    _write_text(out / "manifest.json", json.dumps(manifest, indent=2) + "\n")
    say("done")
    return manifest
