"""Dialects: the same world, spelled by other people and programs.

`generate.generate_world(..., dialect=N)` first builds every table exactly as dialect 0 does (the
truth and the dialect-0 raw text), then, for N > 0, `respell` rewrites the raw text of the six
sources column by column. Every respelled value means exactly what the dialect-0 value means, so
the truth, the counts and the answers do not change; only spellings do. The rows keep their order.

Randomness: dialect 0 never gets here, so it draws nothing and stays byte-identical. Dialect N uses
its own `np.random.default_rng([seed, N])`, spawned into one stream per source, so the same (seed,
scale, dialect) gives the same bytes and the world's own draws are never disturbed.

This module knows only the generator's own dialect-0 formats (it parses the text it is given,
which the generator wrote); it never imports the pipeline's cleaning code.

The spellings each dialect writes (rough shares of the valid values; "keep" = the dialect-0
spelling; `_choose` also gives every spelling of a column, or of a kind of dirt, to at least one
value where there are values enough, so a small world still shows each of them):

================  ==========================================  ==========================================
column(s)         1 = spreadsheet export                      2 = hand-typed
================  ==========================================  ==========================================
any text value    5% trailing `" "`, `"  "` or `"   "`          12% leading/trailing space, tab or NBSP
 (not the PDF)
names, company,   5%: every space an NBSP; addresses: CRLF    12%: every space doubled or an NBSP;
 address,           line breaks 60%                             addresses: a space before each line
 locality,                                                      break 15%
 product_name
missing values    `#N/A`, `NULL`, ``, null, `NaN` per field   `n/a`, `N/A`, `None`, `null`, ``, null,
 (NULL rows, web    (PDF: no null)                              `nan`, `NULL` per field (PDF: no null)
 store's N/A)
garbage rows      8-14 of [A-Za-z0-9], >= 2 letters, a digit  8-14 of [a-z0-9#$%&*+=?!^~_], >= 2 letters
UUIDs             keep 40, `UPPER` 40, `{UPPER}` 20           keep 42, 32 hex 21, `urn:uuid:` 16,
                                                                `UPPER` 10.5, `{lower}` 10.5
store_code        30% trailing spaces (API and orders)        40% lower-case, 10% padded
product_code      15% trailing spaces                         15% padded
dates             keep 10, `1971-10-23 00:00:00` 30,          keep 20, `23 October 1971` 20,
                    `1971-10-23T00:00:00` 10, `1971/10/23` 20,  `Oct 23, 1971` 15, `October 23rd 1971` 10,
                    `23-Oct-1971` 15, `23/10/1971` 10,          `1971 Oct 23` 10, `23 Oct 1971` 5,
                    `10/23/1971` 5 (numeric day/month order     `1971-1-3` 15, `23/10/1971` 5 (only when
                    only when day > 12, else `1971/10/23`)      day > 12, else `23 October 1971`)
timestamp         keep 50, `9:05:06 PM` 40, `09:05:06 PM` 10  keep 30, `9:05:06` 60, `9:05:06 PM` 10
month             keep 35, `09` 30, `9.0` 20, `Sep` 15        keep 50, `September` 20, `Sep` 20, `09` 10
year, day         year keep 70, `2015.0` 25, `2,015` 5;       year keep; day keep 80, `07` 20
                    day keep 50, `07` 30, `7.0` 20
store_type        keep 35, `SUPER STORE` 50, `SUPER_STORE`    keep 20, `super store` 40, `super_store` 10,
                    10, `Superstore` 5 (only Super Store)       `Super-Store` 10, `SuperStore` 10,
                                                                `Superstore` 10 (only Super Store)
category          keep 30, `TOYS-AND-GAMES` 50,               keep 30, `toys and games` 30,
                    `TOYS_AND_GAMES` 10, `Toys And Games` 10    `Toys-And-Games` 20, `ToysAndGames` 10,
                                                                `toys_and_games` 10
card_provider     keep 30, `VISA 16 DIGIT` 50,                keep 40, `visa 16 digit` 40,
                    `Visa 16 Digit` 15, `Diners Club/Carte      `visa_16_digit` 10, `Diners Club/Carte
                    Blanche` 5 (only Diners)                    Blanche` 10 (only Diners)
time_period       keep 30, `LATE_HOURS` 50, `LATE HOURS` 10,  keep 30, `late hours` 40, `late_hours` 10,
                    `Late Hours` 10                             `LateHours` 10, `Late-Hours` 10
continent         keep 50, `EUROPE` 50; `ee` dirt: thirds     keep 60, `europe` 40; `ee` dirt: quarters
                    keep, `eeEUROPE`, `Europe.`                 keep, `xEurope`, `_Europe_`, `europe.`
country           keep 30, `UNITED KINGDOM` 40, synonyms 30   keep 40, `united kingdom` 20, synonyms 40
                    (`UK`, `Great Britain`, `USA`, `United      (`Great Britain`, `UK`, `United States of
                    States of America`, `GERMANY`)              America`, `USA`, `Deutschland`)
country_code      padding only; `GGB` dirt: thirds keep,      keep 70, `gb` 30; `GGB` dirt: quarters
                    `GBR`, `GB.`                                keep, `gGB`, `GB.`, `ggb`
removed           `Still_avaliable` 40 / `Still Available` 60;  `Still_avaliable` 40 / `still_available` 30
                    `Removed` 40 / `REMOVED` 60                 / `available` 30; `Removed` 40 / `removed` 60
staff_numbers     keep 60, `34.0` 40; letter dirt: keep 25,   keep 75, `034` 25; letter dirt: keep 25,
                    letter case swapped 50, letter moved 25     moved 25, a second letter 50 (3+ digits;
                    (2+ digits)                                 never more letters than digits - 1)
product_price     keep 30, `39.99 GBP` 30, `GBP 39.99` 15,    keep 40, `£ 39.99` 25, `39.99£` 15,
                    `39.99` 25                                  `39.99` 20
weight            per shape: keep 35, `1.6KG`/`400G`/`500ML`  kg: keep 25, `1.6 kg` 25, `1.6 kilograms` 10,
                    35, `1.6 KG`/`400 G`/`500 ML` 30;           `1.6kgs` 10, `1600 g` 30; g: keep 25,
                    `12 X 100G`, `12 X 100 G`; `77G .`,         `400 g` 25, `400 grams` 10, `400grams` 10,
                    `77 G .`; `16oz` -> `1 LB` (halves)         `0.4 kg` 15, `0.4kg` 15; `3.5g`: `3.5 g`,
                                                                `3.5 grams`, `3500 mg`; ml: `500 ml`,
                                                                `0.5 l`, `0.5l`; `12x100g`, `12 × 100g`,
                                                                `12 x 100 g`; `77 g.`, `77g ..`; `16oz` ->
                                                                `1 lb`, `1lb`, `1 lbs`
card_number       keep 50, `4111111111111111.0` 30,           keep 50, `4111-1111-1111-1111` 30,
 (PDF)              `4111 1111 1111 1111` 20; `?` dirt: digits  `4111 1111 1111 1111` 20; `?` dirt: digits
                    kept or spaced, prefix `#`, `##`, `*`,      kept, hyphened or spaced, prefix `'`, `*`,
                    `??` or `?`                                 `??`, `#` or `?`
expiry_date       keep 60, `05/2024` 40                       keep 40, `5/24` 30, `05-24` 30
 (PDF)
coordinates       keep 30, JSON number 70                     keep 60, 1-3 more trailing zeros 40
 (API)
lat (physical)    null                                        30% a missing token
email_address     keep 90, `mailto:` 10; `@@` dirt: halves    padding; `@@` dirt: thirds keep, ` @@ `,
                    keep, `@@@`                                 `@@@`
phone, EAN        padding only                                padding only
================  ==========================================  ==========================================

Not respelled in any dialect: BIGINT columns of the legacy tables (index, level_0, card_number,
product_quantity, and the null `1`), row labels, EAN digits (padding only), phone numbers
(padding only), the decoy table `legacy_store_details`, and nothing in the PDF is padded (PDF
text is printable ASCII, and a ruled cell has no visible padding).
"""

from __future__ import annotations

import re
import string
from decimal import Decimal
from typing import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from multinational_assets.sandbox.vocabulary import MONTH_NAMES

DIALECTS = (0, 1, 2)
DIALECT_NAMES = {0: "source-world.md", 1: "spreadsheet export", 2: "hand-typed"}
SOURCES = ("users", "orders", "cards", "stores", "products", "dates")
NBSP = "\u00a0"

VALID, NULL, GARBAGE = 0, 1, 2

Forms = Mapping[str, float]


# ------------------------------------------------------------------------------------------------
# The two dialects, family by family
# ------------------------------------------------------------------------------------------------

_CONFIG: dict[int, dict] = {
    1: {
        "missing": ("#N/A", "NULL", "", None, "NaN"),
        "garbage_chars": string.ascii_letters + string.digits,
        "garbage_digit": True,
        "pad_share": 0.05,
        "pads": (("", " "), ("", "  "), ("", "   ")),
        "inner_share": 0.05, "inner": (NBSP,),
        "crlf_share": 0.6, "line_pad_share": 0.0,
        "uuid": {"keep": 4, "upper": 4, "braces_upper": 2},
        "date": {"keep": 1, "iso_space": 3, "iso_t": 1, "ymd_slash": 2, "d-mon-y": 1.5,
                 "dmy_slash": 1, "mdy_slash": 0.5},
        "date_fallback": "ymd_slash",
        "time": {"keep": 5, "ampm": 4, "ampm_pad": 1},
        "month": {"keep": 35, "zero": 30, "float": 20, "abbr": 15},
        "year": {"keep": 70, "float": 25, "thousands": 5},
        "day": {"keep": 50, "zero": 30, "float": 20},
        "staff": {"keep": 6, "float": 4},
        "staff_dirt": {"keep": 1, "case": 2, "move": 1},
        "store_type": {"keep": 3.5, "upper": 5, "upper_snake": 1, "syn": 0.5},
        "category": {"keep": 3, "upper": 5, "upper_snake": 1, "title_space": 1},
        "card_provider": {"keep": 3, "upper": 5, "title": 1.5, "syn": 0.5},
        "time_period": {"keep": 3, "upper": 5, "upper_space": 1, "title_space": 1},
        "continent": {"keep": 5, "upper": 5},
        "continent_dirt": {"keep": 1, "ee_upper": 1, "dot": 1},
        "country": {"keep": 3, "upper": 4, "syn": 3},
        "country_syn": {"United Kingdom": ("UK", "UK", "Great Britain"),
                        "United States": ("USA", "USA", "United States of America"),
                        "Germany": ("GERMANY",)},
        "country_code": {"keep": 1},
        "country_code_dirt": {"keep": 1, "GBR": 1, "GB.": 1},
        "removed": {"Still_avaliable": {"Still_avaliable": 4, "Still Available": 6},
                    "Removed": {"Removed": 4, "REMOVED": 6}},
        "money": {"keep": 3, "code_after": 3, "code_before": 1.5, "bare": 2.5},
        "weight": {
            "kg": {"keep": 35, "upper": 35, "upper_space": 30},
            "g": {"keep": 35, "upper": 35, "upper_space": 30},
            "g_decimal": {"keep": 35, "upper": 35, "upper_space": 30},
            "ml": {"keep": 35, "upper": 35, "upper_space": 30},
            "multipack": {"keep": 1, "upper": 1, "upper_space": 1},
            "junk": {"keep": 1, "upper": 1, "upper_space": 1},
            "oz": {"keep": 1, "upper": 1},
        },
        "card": {"keep": 5, "float": 3, "spaces": 2},
        "card_prefix": ("#", "##", "*", "??", "?"),
        "expiry": {"keep": 6, "mm_yyyy": 4},
        "coordinate": {"keep": 3, "number": 7},
        "email": {"keep": 9, "mailto": 1},
        "email_dirt": {"keep": 1, "@@@": 1},
        "store_code_lower": 0.0, "store_code_pad": 0.3,
        "code_pad": 0.15,
        "lat_missing": 0.0,
    },
    2: {
        "missing": ("n/a", "N/A", "None", "null", "", None, "nan", "NULL"),
        "garbage_chars": string.ascii_lowercase + string.digits + "#$%&*+=?!^~_",
        "garbage_digit": False,
        "pad_share": 0.12,
        "pads": ((" ", ""), ("", " "), (" ", " "), ("\t", ""), ("", "\t"), (NBSP, ""),
                 ("", NBSP), ("  ", NBSP)),
        "inner_share": 0.12, "inner": ("  ", NBSP),
        "crlf_share": 0.0, "line_pad_share": 0.15,
        "uuid": {"keep": 4, "hex": 2, "urn": 1.5, "upper": 1, "braces": 1},
        "date": {"keep": 2, "d_month_y": 2, "mon_d,_y": 1.5, "month_dth_y": 1, "y_mon_d": 1,
                 "d_mon_y": 0.5, "ymd_nopad": 1.5, "dmy_slash": 0.5},
        "date_fallback": "d_month_y",
        "time": {"keep": 3, "nopad": 6, "ampm": 1},
        "month": {"keep": 5, "name": 2, "abbr": 2, "zero": 1},
        "year": {"keep": 1},
        "day": {"keep": 8, "zero": 2},
        "staff": {"keep": 3, "zero": 1},
        "staff_dirt": {"keep": 1, "move": 1, "two": 2},
        "store_type": {"keep": 2, "lower": 4, "lower_snake": 1, "title_dash": 1, "camel": 1,
                       "syn": 1},
        "category": {"keep": 3, "lower_space": 3, "title_dash": 2, "camel": 1, "lower_snake": 1},
        "card_provider": {"keep": 4, "lower": 4, "lower_snake": 1, "syn": 1},
        "time_period": {"keep": 3, "lower_space": 4, "lower": 1, "camel": 1, "title_dash": 1},
        "continent": {"keep": 6, "lower": 4},
        "continent_dirt": {"keep": 1, "x": 1, "underscores": 1, "lower_dot": 1},
        "country": {"keep": 4, "lower": 2, "syn": 4},
        "country_syn": {"United Kingdom": ("Great Britain", "UK", "united kingdom"),
                        "United States": ("United States of America", "USA"),
                        "Germany": ("Deutschland",)},
        "country_code": {"keep": 7, "lower": 3},
        "country_code_dirt": {"keep": 1, "gGB": 1, "GB.": 1, "ggb": 1},
        "removed": {"Still_avaliable": {"Still_avaliable": 4, "still_available": 3, "available": 3},
                    "Removed": {"Removed": 4, "removed": 6}},
        "money": {"keep": 4, "pound_space": 2.5, "pound_after": 1.5, "bare": 2},
        "weight": {
            "kg": {"keep": 25, "space": 25, "kilograms": 10, "kgs": 10, "to_g": 30},
            "g": {"keep": 25, "space": 25, "grams": 10, "grams_nospace": 10, "to_kg": 15,
                  "to_kg_nospace": 15},
            "g_decimal": {"keep": 2, "space": 2, "grams": 1, "to_mg": 3},
            "ml": {"keep": 2, "space": 3, "to_l": 3, "to_l_nospace": 2},
            "multipack": {"keep": 1, "x_nospace": 1, "times": 1, "spaced_unit": 1},
            "junk": {"keep": 1, "junk_space": 1, "junk_double": 1},
            "oz": {"keep": 1, "lb": 1, "lb_nospace": 1, "lbs": 1},
        },
        "card": {"keep": 5, "hyphens": 3, "spaces": 2},
        "card_prefix": ("'", "*", "??", "#", "?"),
        "expiry": {"keep": 4, "m_yy": 3, "mm-yy": 3},
        "coordinate": {"keep": 6, "zeros": 4},
        "email": {"keep": 1},
        "email_dirt": {"keep": 1, " @@ ": 1, "@@@": 1},
        "store_code_lower": 0.4, "store_code_pad": 0.1,
        "code_pad": 0.15,
        "lat_missing": 0.3,
    },
}


# ------------------------------------------------------------------------------------------------
# Generic machinery
# ------------------------------------------------------------------------------------------------

def _obj(values) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = list(values)
    return out


def _choose(rng: np.random.Generator, n: int, forms: Forms) -> tuple[list[str], np.ndarray]:
    """A form for each of `n` values, drawn by weight; where there are values enough, every form is
    given to at least one (spellings before "keep"), so even rare dirt shows each of its spellings."""
    names = list(forms)
    p = np.asarray([forms[k] for k in names], dtype=float)
    kind = rng.choice(len(names), size=n, p=p / p.sum())
    order = [k for k in rng.permutation(len(names)).tolist() if names[k] != "keep"]
    order += [k for k, name in enumerate(names) if name == "keep"]
    m = min(n, len(order))
    if m:
        kind[rng.permutation(n)[:m]] = order[:m]
    return names, kind


def _spell(values: np.ndarray, rng: np.random.Generator, forms: Forms,
           spellers: Mapping[str, Callable]) -> np.ndarray:
    """Each value rewritten by one form drawn from `forms` (weights); "keep" leaves it as it is.

    `spellers[form]` maps an object array of values to the new values (same length)."""
    out = values.copy()
    if not len(values):
        return out
    names, kind = _choose(rng, len(values), forms)
    for k, name in enumerate(names):
        if name == "keep":
            continue
        idx = np.flatnonzero(kind == k)
        if len(idx):
            out[idx] = _obj(spellers[name](values[idx]))
    return out


def _per_value(func: Callable[[str], str]) -> Callable[[np.ndarray], list]:
    return lambda values: [func(v) for v in values]


def _pad(values: np.ndarray, rng: np.random.Generator, cfg: dict) -> np.ndarray:
    """Surround a share of the text values with spaces, tabs or NBSPs (dialect's choice)."""
    out = values.copy()
    chosen = np.flatnonzero(rng.random(len(values)) < cfg["pad_share"])
    pads = cfg["pads"]
    which = rng.integers(0, len(pads), len(chosen))
    for i, w in zip(chosen.tolist(), which.tolist()):
        v = out[i]
        if isinstance(v, str):
            out[i] = pads[w][0] + v + pads[w][1]
    return out


def _inner_spaces(values: np.ndarray, rng: np.random.Generator, cfg: dict) -> np.ndarray:
    """Free text: on a share of values every space becomes a double space or an NBSP."""
    out = values.copy()
    chosen = np.flatnonzero(rng.random(len(values)) < cfg["inner_share"])
    reps = cfg["inner"]
    which = rng.integers(0, len(reps), len(chosen))
    for i, w in zip(chosen.tolist(), which.tolist()):
        v = out[i]
        if isinstance(v, str):
            out[i] = v.replace(" ", reps[w])
    return out


def _free_text(values: np.ndarray, rng: np.random.Generator, cfg: dict) -> np.ndarray:
    return _pad(_inner_spaces(values, rng, cfg), rng, cfg)


def _address(values: np.ndarray, rng: np.random.Generator, cfg: dict) -> np.ndarray:
    """Multi-line addresses: CRLF line breaks, or spaces before the line breaks, then free text."""
    out = values.copy()
    crlf = rng.random(len(values)) < cfg["crlf_share"]
    line_pad = rng.random(len(values)) < cfg["line_pad_share"]
    for i in np.flatnonzero(crlf | line_pad).tolist():
        v = out[i]
        if crlf[i]:
            v = v.replace("\n", "\r\n")
        if line_pad[i]:
            v = v.replace("\n", " \n")
        out[i] = v
    return _free_text(out, rng, cfg)


def _missing(rng: np.random.Generator, n: int, tokens: Sequence) -> np.ndarray:
    return _obj([tokens[i] for i in rng.integers(0, len(tokens), n).tolist()])


_NOT_GARBAGE = re.compile(r"[0-9a-fA-F]{32}|\d{8,19}|[A-Za-z]+-[A-Za-z0-9]+")


def _garbage(rng: np.random.Generator, n: int, cfg: dict) -> np.ndarray:
    """Junk strings: never a UUID, a card number, a letters-dash-code, a number or a missing token."""
    chars = cfg["garbage_chars"]
    out = []
    while len(out) < n:
        length = int(rng.integers(8, 15))
        text = "".join(chars[i] for i in rng.integers(0, len(chars), length).tolist())
        letters = sum(ch.isalpha() for ch in text)
        if letters < 2 or (cfg["garbage_digit"] and not any(ch.isdigit() for ch in text)):
            continue
        if _NOT_GARBAGE.fullmatch(text):
            continue
        try:
            float(text)
            continue
        except ValueError:
            pass
        out.append(text)
    return _obj(out)


# ------------------------------------------------------------------------------------------------
# Families
# ------------------------------------------------------------------------------------------------

_UUID = {
    "upper": _per_value(str.upper),
    "braces": _per_value(lambda v: "{" + v + "}"),
    "braces_upper": _per_value(lambda v: "{" + v.upper() + "}"),
    "hex": _per_value(lambda v: v.replace("-", "")),
    "urn": _per_value(lambda v: "urn:uuid:" + v),
}


def _uuids(values: np.ndarray, rng: np.random.Generator, cfg: dict) -> np.ndarray:
    return _pad(_spell(values, rng, cfg["uuid"], _UUID), rng, cfg)


# --- dates and times ---

_MONTH_NUMBER = {name: i + 1 for i, name in enumerate(MONTH_NAMES)}


def _parse_source_date(text: str) -> tuple[int, int, int]:
    """(year, month, day) of a dialect-0 date: ISO, `1971/10/23`, `January 1951 27`,
    `1968 October 16`."""
    if len(text) == 10 and text[4] in "-/":
        return int(text[:4]), int(text[5:7]), int(text[8:10])
    a, b, c = text.split(" ")
    if a in _MONTH_NUMBER:
        return int(b), _MONTH_NUMBER[a], int(c)
    return int(a), _MONTH_NUMBER[b], int(c)


def _ordinal(d: int) -> str:
    if d % 100 in (11, 12, 13):
        return f"{d}th"
    return f"{d}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(d % 10, 'th')}"


_DATE_FORMS: dict[str, Callable[[int, int, int], str]] = {
    "iso": lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}",
    "ymd_slash": lambda y, m, d: f"{y:04d}/{m:02d}/{d:02d}",
    "ymd_nopad": lambda y, m, d: f"{y}-{m}-{d}",
    "iso_t": lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}T00:00:00",
    "iso_space": lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d} 00:00:00",
    "d_month_y": lambda y, m, d: f"{d} {MONTH_NAMES[m - 1]} {y}",
    "mon_d,_y": lambda y, m, d: f"{MONTH_NAMES[m - 1][:3]} {d}, {y}",
    "d-mon-y": lambda y, m, d: f"{d}-{MONTH_NAMES[m - 1][:3]}-{y}",
    "month_dth_y": lambda y, m, d: f"{MONTH_NAMES[m - 1]} {_ordinal(d)} {y}",
    "y_mon_d": lambda y, m, d: f"{y} {MONTH_NAMES[m - 1][:3]} {d}",
    "d_mon_y": lambda y, m, d: f"{d} {MONTH_NAMES[m - 1][:3]} {y}",
    # Numeric day-first and month-first: only unambiguous ones (day > 12) are ever written.
    "dmy_slash": lambda y, m, d: f"{d:02d}/{m:02d}/{y}",
    "mdy_slash": lambda y, m, d: f"{m:02d}/{d:02d}/{y}",
}
_NEEDS_DAY_OVER_12 = ("dmy_slash", "mdy_slash")


def _dates(values: np.ndarray, rng: np.random.Generator, cfg: dict,
           pad: bool = True) -> np.ndarray:
    fallback = _DATE_FORMS[cfg["date_fallback"]]

    def speller(form: str) -> Callable[[np.ndarray], list]:
        fmt = _DATE_FORMS[form]
        if form in _NEEDS_DAY_OVER_12:
            def spell(vals):
                out = []
                for v in vals:
                    y, m, d = _parse_source_date(v)
                    out.append(fmt(y, m, d) if d > 12 else fallback(y, m, d))
                return out
            return spell
        return lambda vals: [fmt(*_parse_source_date(v)) for v in vals]

    out = _spell(values, rng, cfg["date"], {form: speller(form) for form in cfg["date"]
                                             if form != "keep"})
    return _pad(out, rng, cfg) if pad else out


def _time_nopad(v: str) -> str:
    return v[1:] if v[0] == "0" else v


def _time_ampm(v: str, width: int) -> str:
    h = int(v[:2])
    return f"{(h % 12) or 12:0{width}d}{v[2:]} {'AM' if h < 12 else 'PM'}"


_TIME = {
    "nopad": _per_value(_time_nopad),
    "ampm": _per_value(lambda v: _time_ampm(v, 1)),
    "ampm_pad": _per_value(lambda v: _time_ampm(v, 2)),
}

_COUNT = {
    "zero": _per_value(lambda v: "0" + v),
    "float": _per_value(lambda v: v + ".0"),
    "thousands": _per_value(lambda v: f"{int(v):,}"),
    "name": _per_value(lambda v: MONTH_NAMES[int(v) - 1]),
    "abbr": _per_value(lambda v: MONTH_NAMES[int(v) - 1][:3]),
}


def _day_or_month_zero(v: str) -> str:
    return v.zfill(2)


_DAY_MONTH = {**_COUNT, "zero": _per_value(_day_or_month_zero)}


# --- vocabularies ---

_WORD_SPLIT = re.compile(r"[ _-]+")
_VOCAB_FORMS = {  # form -> (case, separator)
    "upper": ("upper", None), "lower": ("lower", None), "title": ("title", None),
    "upper_snake": ("upper", "_"), "upper_space": ("upper", " "), "lower_snake": ("lower", "_"),
    "title_dash": ("title", "-"),
    "lower_space": ("lower", " "), "title_space": ("title", " "), "camel": ("title", ""),
}


def _words_respelled(value: str, case: str, sep: str | None) -> str:
    if " / " in value:  # "Diners Club / Carte Blanche": respell each half, keep the slash
        return " / ".join(_words_respelled(part, case, " ") for part in value.split(" / "))
    words = _WORD_SPLIT.split(value)
    if sep is None:  # keep the value's own separators, change only the case
        pieces = re.split(r"([ _-]+)", value)
        words, seps = pieces[0::2], pieces[1::2]
    if case == "upper":
        words = [w.upper() for w in words]
    elif case == "lower":
        words = [w.lower() for w in words]
    else:
        words = [w[:1].upper() + w[1:].lower() for w in words]
    if sep is None:
        return "".join(w + s for w, s in zip(words, [*seps, ""]))
    return sep.join(words)


_VOCAB_SYNONYMS = {
    "Super Store": ("Superstore",),
    "Diners Club / Carte Blanche": ("Diners Club/Carte Blanche",),
}


def _vocab(values: np.ndarray, rng: np.random.Generator, forms: Forms, cfg: dict,
           synonyms: Mapping[str, Sequence[str]] = _VOCAB_SYNONYMS) -> np.ndarray:
    """A closed vocabulary in other case and separators, or a synonym, then padded."""
    cache: dict[tuple[str, str], str] = {}

    def speller(form: str) -> Callable[[np.ndarray], list]:
        case, sep = _VOCAB_FORMS[form]

        def spell(vals):
            out = []
            for v in vals:
                key = (v, form)
                if key not in cache:
                    cache[key] = _words_respelled(v, case, sep)
                out.append(cache[key])
            return out
        return spell

    def synonym(vals):
        picks = rng.integers(0, 1 << 30, len(vals)).tolist()
        return [synonyms[v][p % len(synonyms[v])] if v in synonyms else v
                for v, p in zip(vals, picks)]

    spellers = {form: speller(form) for form in forms if form in _VOCAB_FORMS}
    spellers["syn"] = synonym
    out = values.copy()
    for value in pd.unique(values):  # each word of the vocabulary gets each spelling
        idx = np.flatnonzero(values == value)
        out[idx] = _spell(values[idx], rng, forms, spellers)
    return _pad(out, rng, cfg)


# --- money and weights ---

def _pounds(v: str) -> str:
    """`£1234.50` -> `1,234.50` (thousands separated), `£39.99` -> `39.99`."""
    whole, pence = v[1:].split(".")
    return f"{int(whole):,}.{pence}"


_MONEY = {
    "pound_space": _per_value(lambda v: "£ " + _pounds(v)),
    "bare": _per_value(_pounds),
    "code_after": _per_value(lambda v: _pounds(v) + " GBP"),
    "code_before": _per_value(lambda v: "GBP " + _pounds(v)),
    "pound_after": _per_value(lambda v: _pounds(v) + "£"),
}

_WEIGHT_RE = re.compile(r"(?:(\d+) x )?(\d+(?:\.\d+)?)(kg|g|ml|oz)( \.)?")


def _dec(value: Decimal) -> str:
    """A Decimal as plain text without trailing zeros (`Decimal('1.600')` -> `1.6`)."""
    return format(value.normalize(), "f")


def _weight_shape(v: str) -> str:
    """The dialect-0 shape of a weight: multipack, junk (`77g .`), oz, ml, g_decimal, g or kg."""
    count, number, unit, junk = _WEIGHT_RE.fullmatch(v).groups()
    if count:
        return "multipack"
    if junk:
        return "junk"
    if unit == "g" and "." in number:
        return "g_decimal"
    return unit


def _weight_form(form: str) -> Callable[[str], str]:
    """One spelling of a weight, always the same kg (conversions only where they are exact)."""
    def spell(v: str) -> str:
        count, number, unit, junk = _WEIGHT_RE.fullmatch(v).groups()
        amount = Decimal(number)
        if form in ("upper", "upper_space"):
            space = " " if form == "upper_space" else ""
            if unit == "oz":
                return "1 LB"  # 16 oz is exactly 1 lb
            text = f"{number}{space}{unit.upper()}"
            return (f"{count} X {text}" if count else text) + (" ." if junk else "")
        simple = {
            "space": f"{number} {unit}",
            "grams": f"{number} grams", "grams_nospace": f"{number}grams",
            "kilograms": f"{number} kilograms", "kgs": f"{number}kgs",
            "to_kg": f"{_dec(amount / 1000)} kg", "to_kg_nospace": f"{_dec(amount / 1000)}kg",
            "to_g": f"{_dec(amount * 1000)} g", "to_mg": f"{_dec(amount * 1000)} mg",
            "to_l": f"{_dec(amount / 1000)} l", "to_l_nospace": f"{_dec(amount / 1000)}l",
            "lb": "1 lb", "lb_nospace": "1lb", "lbs": "1 lbs",
            "x_nospace": f"{count}x{number}{unit}", "times": f"{count} × {number}{unit}",
            "spaced_unit": f"{count} x {number} {unit}",
            "junk_space": f"{number} {unit}.", "junk_double": f"{number}{unit} ..",
        }
        return simple[form]
    return _per_value(spell)


def _weights(values: np.ndarray, rng: np.random.Generator, cfg: dict) -> np.ndarray:
    """Weights respelled shape by shape (see `_weight_shape`), each shape with its own forms."""
    out = values.copy()
    shapes = np.array([_weight_shape(v) for v in values], dtype=object)
    for shape, forms in cfg["weight"].items():
        idx = np.flatnonzero(shapes == shape)
        spellers = {form: _weight_form(form) for form in forms if form != "keep"}
        out[idx] = _spell(values[idx], rng, forms, spellers)
    return _pad(out, rng, cfg)


# --- cards ---

def _groups(digits: str, sep: str) -> str:
    return sep.join(digits[i:i + 4] for i in range(0, len(digits), 4))


_CARD = {
    "float": _per_value(lambda v: v + ".0"),
    "spaces": _per_value(lambda v: _groups(v, " ")),
    "hyphens": _per_value(lambda v: _groups(v, "-")),
}


def _card_numbers(values: np.ndarray, rng: np.random.Generator, cfg: dict) -> np.ndarray:
    """Card numbers grouped in fours or with `.0`; the `?` prefix dirt becomes other junk."""
    prefixed = np.array([v.startswith("?") for v in values], dtype=bool)
    out = values.copy()
    plain = np.flatnonzero(~prefixed)
    out[plain] = _spell(values[plain], rng, cfg["card"], _CARD)
    dirty = np.flatnonzero(prefixed)
    grouping = {k: w for k, w in cfg["card"].items() if k != "float"}
    digits = _obj([v.lstrip("?") for v in values[dirty]])
    grouped = _spell(digits, rng, grouping, _CARD)
    junk = {prefix: 1.0 for prefix in cfg["card_prefix"]}
    out[dirty] = _spell(grouped, rng, junk, {
        prefix: _per_value(lambda v, p=prefix: p + v) for prefix in junk})
    return out


_EXPIRY = {
    "m_yy": _per_value(lambda v: str(int(v[:2])) + v[2:]),
    "mm_yyyy": _per_value(lambda v: f"{v[:3]}20{v[3:]}"),
    "mm-yy": _per_value(lambda v: v.replace("/", "-")),
}


# --- stores ---

def _staff(values: np.ndarray, rng: np.random.Generator, cfg: dict) -> np.ndarray:
    """Staff counts: zero-padded or `.0`; the stray-letter dirt with its letter in another case or
    place, or (3 digits or more) a second letter: never more than 2 letters, always fewer letters
    than digits."""
    lettered = np.array([not v.isdigit() for v in values], dtype=bool)
    out = values.copy()
    clean = np.flatnonzero(~lettered)
    out[clean] = _spell(values[clean], rng, cfg["staff"], _COUNT)
    dirty = np.flatnonzero(lettered)
    names, kind = _choose(rng, len(dirty), cfg["staff_dirt"])
    letters = string.ascii_letters
    for i, k in zip(dirty.tolist(), kind.tolist()):
        v = values[i]
        digits = "".join(ch for ch in v if ch.isdigit())
        letter = next(ch for ch in v if ch.isalpha())
        form = names[k]
        if form == "case":
            out[i] = v.swapcase()
        elif form == "move" and len(digits) >= 2:
            pos = int(rng.integers(0, len(digits) + 1))
            out[i] = digits[:pos] + letter + digits[pos:]
        elif form == "two" and len(digits) >= 3:
            extra = letters[int(rng.integers(0, len(letters)))]
            pos = int(rng.integers(0, len(v) + 1))
            out[i] = v[:pos] + extra + v[pos:]
        else:
            out[i] = v.swapcase()
    return _pad(out, rng, cfg)


_CONTINENT_DIRT = {
    "ee_upper": lambda w: "ee" + w.upper(),
    "dot": lambda w: w + ".",
    "x": lambda w: "x" + w,
    "underscores": lambda w: "_" + w + "_",
    "lower_dot": lambda w: w.lower() + ".",
}


def _continents(values: np.ndarray, rng: np.random.Generator, cfg: dict) -> np.ndarray:
    """The continent vocabulary; the `ee` prefix dirt becomes other short junk around the word
    (at most half the word's length, never letters that would make another word)."""
    dirty_mask = np.array([v.startswith("ee") for v in values], dtype=bool)
    out = values.copy()
    clean = np.flatnonzero(~dirty_mask)
    out[clean] = _vocab(values[clean], rng, cfg["continent"], cfg)
    dirty = np.flatnonzero(dirty_mask)
    spellers = {k: _per_value(lambda v, f=f: f(v[2:])) for k, f in _CONTINENT_DIRT.items()}
    out[dirty] = _pad(_spell(values[dirty], rng, cfg["continent_dirt"], spellers), rng, cfg)
    return out


def _coordinates(values: np.ndarray, rng: np.random.Generator, cfg: dict) -> np.ndarray:
    def zeros(vals):
        extra = rng.integers(1, 4, len(vals)).tolist()
        return [v + "0" * k for v, k in zip(vals, extra)]
    out = _spell(values, rng, cfg["coordinate"], {"number": _per_value(float), "zeros": zeros})
    return _pad(out, rng, cfg)


def _codes(values: np.ndarray, rng: np.random.Generator, cfg: dict, lower_share: float,
           pad_share: float) -> np.ndarray:
    """Store codes (lower-case or padded) and product codes (padded only: their case matters)."""
    out = values.copy()
    lower = np.flatnonzero(rng.random(len(values)) < lower_share)
    out[lower] = _obj([v.lower() for v in values[lower]])
    return _pad(out, rng, {**cfg, "pad_share": pad_share})


# --- users ---

def _emails(values: np.ndarray, rng: np.random.Generator, cfg: dict) -> np.ndarray:
    doubled = np.array(["@@" in v for v in values], dtype=bool)
    out = values.copy()
    clean = np.flatnonzero(~doubled)
    out[clean] = _spell(values[clean], rng, cfg["email"],
                        {"mailto": _per_value(lambda v: "mailto:" + v)})
    dirty = np.flatnonzero(doubled)
    out[dirty] = _spell(values[dirty], rng, cfg["email_dirt"], {
        "@@@": _per_value(lambda v: v.replace("@@", "@@@")),
        " @@ ": _per_value(lambda v: v.replace("@@", " @@ ")),
    })
    return _pad(out, rng, cfg)


_COUNTRY_CODE_DIRT = {"GBR": "GBR", "GB.": "GB.", "gGB": "gGB", "ggb": "ggb"}


def _country_codes(values: np.ndarray, rng: np.random.Generator, cfg: dict) -> np.ndarray:
    dirty_mask = np.array([v == "GGB" for v in values], dtype=bool)
    out = values.copy()
    clean = np.flatnonzero(~dirty_mask)
    out[clean] = _spell(values[clean], rng, cfg["country_code"],
                        {"lower": _per_value(str.lower)})
    dirty = np.flatnonzero(dirty_mask)
    out[dirty] = _spell(values[dirty], rng, cfg["country_code_dirt"],
                        {k: _per_value(lambda v, t=t: t) for k, t in _COUNTRY_CODE_DIRT.items()})
    return _pad(out, rng, cfg)


def _removed(values: np.ndarray, rng: np.random.Generator, cfg: dict) -> np.ndarray:
    out = values.copy()
    for original, forms in cfg["removed"].items():  # each value's own list of spellings
        idx = np.flatnonzero(values == original)
        names, kind = _choose(rng, len(idx), forms)
        out[idx] = _obj([names[k] for k in kind.tolist()])
    return _pad(out, rng, cfg)


# ------------------------------------------------------------------------------------------------
# The sources
# ------------------------------------------------------------------------------------------------

def _row_kinds(raw: pd.DataFrame, text_columns: Sequence[str], dirty: np.ndarray) -> np.ndarray:
    """VALID, NULL or GARBAGE for each row (NULL rows hold the text `NULL` in every field)."""
    kinds = np.full(len(raw), VALID, dtype=np.int8)
    dirty = np.asarray(dirty, dtype=bool)
    is_null = (raw[text_columns[0]].to_numpy(dtype=object) == "NULL")
    kinds[dirty & is_null] = NULL
    kinds[dirty & ~is_null] = GARBAGE
    return kinds


def _dirty_rows(out: pd.DataFrame, kinds: np.ndarray, text_columns: Sequence[str],
                rng: np.random.Generator, cfg: dict, tokens: Sequence | None = None) -> None:
    """NULL rows: every field some missing token (mixed within a row). Garbage rows: new junk."""
    tokens = cfg["missing"] if tokens is None else tokens
    null = np.flatnonzero(kinds == NULL)
    garbage = np.flatnonzero(kinds == GARBAGE)
    for column in text_columns:
        values = out[column].to_numpy(dtype=object).copy()
        if len(null):
            values[null] = _pad(_missing(rng, len(null), tokens), rng, cfg)
        if len(garbage):
            values[garbage] = _garbage(rng, len(garbage), cfg)
        out[column] = values


def _respell_columns(out: pd.DataFrame, rows: np.ndarray,
                     spellers: Mapping[str, Callable[[np.ndarray], np.ndarray]]) -> None:
    for column, speller in spellers.items():
        values = out[column].to_numpy(dtype=object).copy()
        values[rows] = speller(values[rows])
        out[column] = values


def _users(raw: pd.DataFrame, kinds: np.ndarray, rng: np.random.Generator, cfg: dict) -> pd.DataFrame:
    out = raw.copy()
    text = list(raw.columns[1:])
    valid = np.flatnonzero(kinds == VALID)
    _respell_columns(out, valid, {
        "first_name": lambda v: _free_text(v, rng, cfg),
        "last_name": lambda v: _free_text(v, rng, cfg),
        "date_of_birth": lambda v: _dates(v, rng, cfg),
        "company": lambda v: _free_text(v, rng, cfg),
        "email_address": lambda v: _emails(v, rng, cfg),
        "address": lambda v: _address(v, rng, cfg),
        "country": lambda v: _vocab(v, rng, cfg["country"], cfg, cfg["country_syn"]),
        "country_code": lambda v: _country_codes(v, rng, cfg),
        "phone_number": lambda v: _pad(v, rng, cfg),
        "join_date": lambda v: _dates(v, rng, cfg),
        "user_uuid": lambda v: _uuids(v, rng, cfg),
    })
    _dirty_rows(out, kinds, text, rng, cfg)
    return out


def _orders(raw: pd.DataFrame, kinds: np.ndarray, rng: np.random.Generator, cfg: dict) -> pd.DataFrame:
    out = raw.copy()
    _respell_columns(out, np.arange(len(raw)), {
        "date_uuid": lambda v: _uuids(v, rng, cfg),
        "user_uuid": lambda v: _uuids(v, rng, cfg),
        "store_code": lambda v: _codes(v, rng, cfg, cfg["store_code_lower"], cfg["store_code_pad"]),
        "product_code": lambda v: _codes(v, rng, cfg, 0.0, cfg["code_pad"]),
    })
    named = np.flatnonzero(raw["first_name"].notna().to_numpy())
    _respell_columns(out, named, {
        "first_name": lambda v: _free_text(v, rng, cfg),
        "last_name": lambda v: _free_text(v, rng, cfg),
    })
    return out


def _cards(raw: pd.DataFrame, kinds: np.ndarray, rng: np.random.Generator, cfg: dict) -> pd.DataFrame:
    """The PDF: printable ASCII only, no padding (a PDF cell shows none), no null."""
    out = raw.copy()
    text = list(raw.columns[1:])
    valid = np.flatnonzero(kinds == VALID)
    no_pad = {**cfg, "pad_share": 0.0}
    _respell_columns(out, valid, {
        "card_number": lambda v: _card_numbers(v, rng, cfg),
        "expiry_date": lambda v: _spell(v, rng, cfg["expiry"], _EXPIRY),
        "card_provider": lambda v: _vocab(v, rng, cfg["card_provider"], no_pad),
        "date_payment_confirmed": lambda v: _dates(v, rng, cfg, pad=False),
    })
    tokens = tuple(t for t in cfg["missing"] if t is not None)
    _dirty_rows(out, kinds, text, rng, no_pad, tokens)
    # A PDF row whose every cell is empty would be no row at all to a reader: keep one token.
    for i in np.flatnonzero(kinds == NULL).tolist():
        if all(out.at[i, c] == "" for c in text):
            out.at[i, text[0]] = next(t for t in tokens if t)
    return out


def _stores(raw: pd.DataFrame, kinds: np.ndarray, rng: np.random.Generator, cfg: dict) -> pd.DataFrame:
    out = raw.copy()
    text = list(raw.columns[1:])
    valid = kinds == VALID
    web = np.zeros(len(raw), dtype=bool)
    web[0] = True  # row 0 is the web store
    physical = np.flatnonzero(valid & ~web)
    _respell_columns(out, physical, {
        "address": lambda v: _address(v, rng, cfg),
        "longitude": lambda v: _coordinates(v, rng, cfg),
        "lat": lambda v: _lat(v, rng, cfg),
        "locality": lambda v: _free_text(v, rng, cfg),
        "latitude": lambda v: _coordinates(v, rng, cfg),
    })
    both = np.flatnonzero(valid)
    _respell_columns(out, both, {
        "store_code": lambda v: _codes(v, rng, cfg, cfg["store_code_lower"], cfg["store_code_pad"]),
        "staff_numbers": lambda v: _staff(v, rng, cfg),
        "opening_date": lambda v: _dates(v, rng, cfg),
        "store_type": lambda v: _vocab(v, rng, cfg["store_type"], cfg),
        "country_code": lambda v: _country_codes(v, rng, cfg),
        "continent": lambda v: _continents(v, rng, cfg),
    })
    # The web store's location fields (`N/A`, and null `latitude`) in the dialect's missing tokens.
    for column in ("address", "longitude", "lat", "locality", "latitude"):
        out.at[0, column] = _missing(rng, 1, cfg["missing"])[0]
    _dirty_rows(out, kinds, text, rng, cfg)
    return out


def _lat(values: np.ndarray, rng: np.random.Generator, cfg: dict) -> np.ndarray:
    """`lat` is null on physical stores: a share of them spelled as a missing token."""
    out = values.copy()
    chosen = np.flatnonzero(rng.random(len(values)) < cfg["lat_missing"])
    out[chosen] = _missing(rng, len(chosen), cfg["missing"])
    return out


def _products(raw: pd.DataFrame, kinds: np.ndarray, rng: np.random.Generator,
              cfg: dict) -> pd.DataFrame:
    out = raw.copy()
    text = list(raw.columns[1:])
    valid = np.flatnonzero(kinds == VALID)
    _respell_columns(out, valid, {
        "product_name": lambda v: _free_text(v, rng, cfg),
        "product_price": lambda v: _pad(_spell(v, rng, cfg["money"], _MONEY), rng, cfg),
        "weight": lambda v: _weights(v, rng, cfg),
        "category": lambda v: _vocab(v, rng, cfg["category"], cfg),
        "EAN": lambda v: _pad(v, rng, cfg),
        "date_added": lambda v: _dates(v, rng, cfg),
        "uuid": lambda v: _uuids(v, rng, cfg),
        "removed": lambda v: _removed(v, rng, cfg),
        "product_code": lambda v: _codes(v, rng, cfg, 0.0, cfg["code_pad"]),
    })
    _dirty_rows(out, kinds, text, rng, cfg)
    return out


def _dates_source(raw: pd.DataFrame, kinds: np.ndarray, rng: np.random.Generator,
                  cfg: dict) -> pd.DataFrame:
    out = raw.copy()
    text = list(raw.columns[1:])
    valid = np.flatnonzero(kinds == VALID)
    _respell_columns(out, valid, {
        "timestamp": lambda v: _pad(_spell(v, rng, cfg["time"], _TIME), rng, cfg),
        "month": lambda v: _pad(_spell(v, rng, cfg["month"], _DAY_MONTH), rng, cfg),
        "year": lambda v: _pad(_spell(v, rng, cfg["year"], _COUNT), rng, cfg),
        "day": lambda v: _pad(_spell(v, rng, cfg["day"], _DAY_MONTH), rng, cfg),
        "time_period": lambda v: _vocab(v, rng, cfg["time_period"], cfg),
        "date_uuid": lambda v: _uuids(v, rng, cfg),
    })
    _dirty_rows(out, kinds, text, rng, cfg)
    return out


_SOURCE_SPELLERS = {"users": _users, "orders": _orders, "cards": _cards, "stores": _stores,
                    "products": _products, "dates": _dates_source}
# The columns each source's raw frame starts with that are not text (left alone).
_LABEL_COLUMNS = {"users": 1, "orders": 0, "cards": 1, "stores": 1, "products": 1, "dates": 1}


def respell(raws: Mapping[str, pd.DataFrame], dirty: Mapping[str, np.ndarray], seed: int,
            dialect: int) -> dict[str, pd.DataFrame]:
    """The six sources' raw frames (dialect 0) in `dialect`'s spellings, row for row.

    `raws` and `dirty` are keyed by `SOURCES`; `dirty[source]` marks the NULL and garbage rows.
    Frames are copied, never changed in place.
    """
    if dialect not in DIALECTS:
        raise ValueError(f"dialect must be one of {DIALECTS}, got {dialect!r}")
    if dialect == 0:
        return dict(raws)
    cfg = _CONFIG[dialect]
    streams = dict(zip(SOURCES, np.random.default_rng([seed, dialect]).spawn(len(SOURCES))))
    out = {}
    for source in SOURCES:
        raw = raws[source]
        text = list(raw.columns[_LABEL_COLUMNS[source]:])
        kinds = _row_kinds(raw, text, dirty[source]) if source != "orders" else \
            np.zeros(len(raw), dtype=np.int8)
        out[source] = _SOURCE_SPELLERS[source](raw, kinds, streams[source], cfg)
    return out
