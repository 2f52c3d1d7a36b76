"""Spellings of dates, times of day, and the counts of the date details (month, year, day)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from multinational_assets.sandbox.dialects.forms import padded, per_value, spell_by_forms
from multinational_assets.sandbox.vocabulary import MONTH_NAMES

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


def dates(values: np.ndarray, rng: np.random.Generator, cfg: dict,
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

    spellers = {form: speller(form) for form in cfg["date"] if form != "keep"}
    out = spell_by_forms(values, rng, cfg["date"], spellers)
    return padded(out, rng, cfg) if pad else out


def _time_nopad(v: str) -> str:
    return v[1:] if v[0] == "0" else v


def _time_ampm(v: str, width: int) -> str:
    h = int(v[:2])
    return f"{(h % 12) or 12:0{width}d}{v[2:]} {'AM' if h < 12 else 'PM'}"


TIME = {
    "nopad": per_value(_time_nopad),
    "ampm": per_value(lambda v: _time_ampm(v, 1)),
    "ampm_pad": per_value(lambda v: _time_ampm(v, 2)),
}

COUNT = {
    "zero": per_value(lambda v: "0" + v),
    "float": per_value(lambda v: v + ".0"),
    "thousands": per_value(lambda v: f"{int(v):,}"),
    "name": per_value(lambda v: MONTH_NAMES[int(v) - 1]),
    "abbr": per_value(lambda v: MONTH_NAMES[int(v) - 1][:3]),
}


def _day_or_month_zero(v: str) -> str:
    return v.zfill(2)


DAY_MONTH = {**COUNT, "zero": per_value(_day_or_month_zero)}
