"""Kinds whose values are points in the calendar or on the clock: dates, times of day, months, days,
years and card expiry months.

Numeric dates are read only where one reading is possible: `23/10/1971` can only be day-first, but
`05/06/1971` could be 5 June or 6 May and is rejected with that reason, never guessed. Two-digit
years are rejected for the same reason (which century?).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from multinational_assets.parsing.kinds import Kind, Parsed, fill_reasons, fullmatch_check
from multinational_assets.parsing.numbers import Count
from multinational_assets.parsing.text import flags, matches, per_distinct, replace, where

MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
)
# Every English way of naming a month: the full name, its first three letters, and `sept`.
MONTH_NUMBERS = {
    **{name: i for i, name in enumerate(MONTH_NAMES, start=1)},
    **{name[:3]: i for i, name in enumerate(MONTH_NAMES, start=1)},
    "sept": 9,
}
WEEKDAYS = {
    *("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    *("mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"),
}
# pandas' nanosecond timestamps end in 2262; no date in this business comes near either end.
FIRST_YEAR, LAST_YEAR = 1678, 2261

_TIME = r"[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?"
_ZONE = r"(?:Z|[+-][0-9]{2}:?[0-9]{2})?"
AMBIGUOUS = "ambiguous: could be day-first or month-first"
TWO_DIGIT_YEAR = "a two-digit year (which century?)"
NOT_IN_CALENDAR = "not a calendar date"


def _calendar_dates(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> tuple[pa.Array, np.ndarray]:
    """Dates from parts (0 where unknown) and a mask of the ones that are real calendar dates."""
    ok = (year >= FIRST_YEAR) & (year <= LAST_YEAR) & (month >= 1) & (month <= 12) & (day >= 1)
    y, m, d = np.where(ok, year, 2000), np.where(ok, month, 1), np.where(ok, day, 1)
    first = (y - 1970).astype("datetime64[Y]").astype("datetime64[M]") + (m - 1).astype("timedelta64[M]")
    days = first.astype("datetime64[D]") + (d - 1).astype("timedelta64[D]")
    ok &= days.astype("datetime64[M]") == first  # the 31st of a 30-day month spills into the next
    return pa.array(days, type=pa.date32(), mask=~ok), ok


def _ints(values: pa.Array) -> np.ndarray:
    """Digits as int64, 0 where null or empty."""
    empty = flags(pc.equal(values, ""))
    return pc.fill_null(pc.cast(where(~empty, values, None), pa.int64()), 0).to_numpy(zero_copy_only=False)


def _named_date(text: str) -> tuple[int, int, int] | None:
    """(year, month, day) from a date with its month named in any order (`23 October 1971`, `Oct 23,
    1971`, `1968 October 16th`, `Monday, 23-Oct-1971`), or None. A two-digit year (`23 Oct 71`, which
    century? which number is the day?) is (0, month, 0)."""
    tokens = [t for t in re.split(r"[\s,./\-]+", text.lower()) if t]
    tokens = [re.sub(r"^([0-9]{1,2})(?:st|nd|rd|th)$", r"\1", t) for t in tokens if t not in WEEKDAYS]
    months = [MONTH_NUMBERS[t] for t in tokens if t in MONTH_NUMBERS]
    years = [int(t) for t in tokens if re.fullmatch(r"[0-9]{4}", t)]
    days = [int(t) for t in tokens if re.fullmatch(r"[0-9]{1,2}", t)]
    if len(tokens) == 3 and len(months) == len(years) == len(days) == 1:
        return years[0], months[0], days[0]
    if len(tokens) == 3 and len(months) == 1 and len(days) == 2:
        return 0, months[0], 0
    return None


@dataclass(frozen=True)
class Date(Kind):
    """A calendar date."""

    sql_type: str = "date"
    label: ClassVar[str] = "date"
    accepts: ClassVar[str] = (
        "ISO `YYYY-MM-DD` with `-`, `/` or `.` (zero padding optional), `YYYYMMDD`, ISO date-times "
        "(the date is kept), English month names spelled out or abbreviated in any order with a "
        "4-digit year and the day (`23 October 1971`, `Oct 23rd, 1971`, `1971 Oct 23`, `23-Oct-1971`), "
        "and numeric day-first or month-first dates where only one reading is a date (`23/10/1971`). "
        "Ambiguous numeric dates and two-digit years are rejected with that reason"
    )
    arrow_type: ClassVar[pa.DataType] = pa.date32()

    def canonical_mask(self, text: pa.Array) -> np.ndarray:
        iso = matches(text, "[0-9]{4}-[0-9]{2}-[0-9]{2}")
        if not iso.any():
            return iso
        # Arrow's strptime rolls 29 February 2021 over to 1 March: a date counts only if it prints back
        # as it was written.
        stamps = pc.strptime(text, "%Y-%m-%d", unit="s", error_is_null=True)
        return iso & flags(pc.equal(pc.strftime(stamps, "%Y-%m-%d"), text))

    def from_canonical(self, text: pa.Array) -> pa.Array:
        return pc.strptime(text, "%Y-%m-%d", unit="s").cast(pa.date32())

    def read_other(self, text: pa.Array) -> Parsed:
        n = len(text)
        year, month, day = np.zeros(n, np.int64), np.zeros(n, np.int64), np.zeros(n, np.int64)
        reasons = np.full(n, None, dtype=object)
        iso = pc.extract_regex(
            text, rf"^(?P<y>[0-9]{{4}})[-/.](?P<m>[0-9]{{1,2}})[-/.](?P<d>[0-9]{{1,2}})(?:[T ]{_TIME}{_ZONE})?$"
        )
        compact = pc.extract_regex(text, r"^(?P<y>[0-9]{4})(?P<m>[0-9]{2})(?P<d>[0-9]{2})$")
        for found in (iso, compact):
            hit = flags(pc.is_valid(found)) & (year == 0)
            if hit.any():
                for part, out in (("y", year), ("m", month), ("d", day)):
                    out[hit] = _ints(pc.struct_field(found, part))[hit]
        numeric = pc.extract_regex(text, r"^(?P<a>[0-9]{1,2})[-/.](?P<b>[0-9]{1,2})[-/.](?P<y>[0-9]{2}|[0-9]{4})$")
        hit = flags(pc.is_valid(numeric)) & (year == 0)
        if hit.any():
            a, b = _ints(pc.struct_field(numeric, "a")), _ints(pc.struct_field(numeric, "b"))
            y_text = pc.struct_field(numeric, "y")
            four = flags(pc.equal(pc.utf8_length(y_text), 4))
            y = _ints(y_text)
            day_first = hit & four & (a > 12) & (b <= 12)
            month_first = hit & four & (b > 12) & (a <= 12)
            same = hit & four & (a == b)
            for mask, d, m in ((day_first, a, b), (month_first, b, a), (same, a, a)):
                year[mask], month[mask], day[mask] = y[mask], m[mask], d[mask]
            reasons = fill_reasons(reasons, hit & ~four, TWO_DIGIT_YEAR)
            reasons = fill_reasons(reasons, hit & four & ((a == 0) | (b == 0)), NOT_IN_CALENDAR)  # no reading
            reasons = fill_reasons(reasons, hit & four & (a <= 12) & (b <= 12) & (a != b), AMBIGUOUS)
        rest = flags(pc.is_valid(text)) & (year == 0) & np.equal(reasons, None) & flags(
            pc.match_substring_regex(text, r"\pL")
        )
        if rest.any():
            named = per_distinct(pc.filter(text, pa.array(rest)), _named_date_as_number, pa.int64())
            packed = pc.fill_null(named, 0).to_numpy(zero_copy_only=False)
            year[rest], month[rest], day[rest] = packed // 10000, packed // 100 % 100, packed % 100
            reasons = fill_reasons(reasons, rest & (year == 0) & (month != 0), TWO_DIGIT_YEAR)
        dates, ok = _calendar_dates(year, month, day)
        reasons = fill_reasons(reasons, (year != 0) & ~ok, NOT_IN_CALENDAR)
        reasons = fill_reasons(reasons, np.ones(n, bool), "not a date in a known format")
        iso_plain = matches(text, "[0-9]{4}-[0-9]{2}-[0-9]{2}")
        return Parsed.of(text, dates, reasons, {"read from another date format": ok & ~iso_plain})


def _named_date_as_number(text: str) -> int | None:
    found = _named_date(text)
    return None if found is None else found[0] * 10000 + found[1] * 100 + found[2]


@dataclass(frozen=True)
class Time(Kind):
    """A time of day, written `HH:MM:SS` (a fraction of a second is kept)."""

    sql_type: str = "time"
    label: ClassVar[str] = "time of day"
    accepts: ClassVar[str] = (
        "`H:MM`, `H:MM:SS` and `HH:MM:SS.fff`, with or without a leading zero, 12-hour times with "
        "`AM`/`PM` (also `a.m.`), and ISO date-times (the time is kept)"
    )
    CANONICAL: ClassVar[str] = r"(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?"

    def canonical_mask(self, text: pa.Array) -> np.ndarray:
        return matches(text, self.CANONICAL)

    def read_other(self, text: pa.Array) -> Parsed:
        canonical = matches(text, self.CANONICAL)
        if canonical.all():
            return Parsed.of(text, text, "not a time of day")
        parts = pc.extract_regex(
            text,
            r"(?i)^(?:[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}[T ])?(?P<h>[0-9]{1,2}):(?P<m>[0-9]{2})"
            r"(?::(?P<s>[0-9]{2})(?P<f>\.[0-9]+)?)?\s*(?P<half>[ap])?(?:\.?m\.?)?" + _ZONE + "$",
        )
        found = flags(pc.is_valid(parts))
        h, m, s = (_ints(pc.struct_field(parts, p)) for p in ("h", "m", "s"))
        half = np.asarray(pc.utf8_lower(pc.fill_null(pc.struct_field(parts, "half"), "")).to_pylist(), dtype=object)
        twelve = half != ""
        ok = found & (m < 60) & (s < 60) & np.where(twelve, (h >= 1) & (h <= 12), h < 24)
        hour = np.where(twelve, h % 12 + np.where(half == "p", 12, 0), h)
        stamp = np.char.add(
            np.char.add(np.char.add(np.char.zfill(hour.astype(str), 2), ":"), np.char.zfill(m.astype(str), 2)),
            np.char.add(":", np.char.zfill(s.astype(str), 2)),
        ).astype(object)
        fraction = np.asarray(pc.fill_null(pc.struct_field(parts, "f"), "").to_pylist(), dtype=object)
        rebuilt = pa.array(stamp + fraction, type=pa.string())
        values = where(canonical, text, where(ok & ~canonical, rebuilt, None))
        return Parsed.of(text, values, "not a time of day", {"read from another time format": ok & ~canonical})

    def check(self):
        return fullmatch_check(self.CANONICAL, "time_of_day")


@dataclass(frozen=True)
class Month(Kind):
    """A month of the year, 1 to 12, written as a number or an English name."""

    sql_type: str = "int2"
    label: ClassVar[str] = "month"
    accepts: ClassVar[str] = "1 to 12 as a whole number (zero padding, `.0`), or an English month name or abbreviation"
    arrow_type: ClassVar[pa.DataType] = pa.int64()

    def read(self, text: pa.Array) -> Parsed:
        parsed = Count().read(text)
        values = parsed.values
        named = flags(pc.is_null(values)) & flags(pc.match_substring_regex(text, r"^\pL+\.?$"))
        if named.any():
            by_name = per_distinct(pc.utf8_lower(replace(text, r"\.$", "")), MONTH_NUMBERS.get, pa.int64())
            values = pc.if_else(pa.array(named), by_name, values)
        in_range = flags(pc.and_(pc.greater_equal(values, 1), pc.less_equal(values, 12)))
        values = where(in_range, values, None)
        return Parsed.of(text, values, "not a month (1 to 12 or a month name)",
                         {"read from a month name or another spelling": in_range & ~matches(text, "[0-9]{1,2}")})


@dataclass(frozen=True)
class DayOfMonth(Kind):
    """A day of the month, 1 to 31."""

    sql_type: str = "int2"
    label: ClassVar[str] = "day of the month"
    accepts: ClassVar[str] = "1 to 31 as a whole number (zero padding, `.0`, an ordinal suffix `3rd`)"
    arrow_type: ClassVar[pa.DataType] = pa.int64()

    def read(self, text: pa.Array) -> Parsed:
        values = Count().read(replace(text, r"(?i)^([0-9]{1,2})(?:st|nd|rd|th)$", r"\1")).values
        in_range = flags(pc.and_(pc.greater_equal(values, 1), pc.less_equal(values, 31)))
        return Parsed.of(text, where(in_range, values, None), "not a day of the month (1 to 31)",
                         {"zero padding or another spelling read": in_range & ~matches(text, "[1-9][0-9]?")})


@dataclass(frozen=True)
class Year(Kind):
    """A calendar year, written with four digits."""

    sql_type: str = "int2"
    label: ClassVar[str] = "year"
    accepts: ClassVar[str] = "a four-digit year (`.0` and thousands separators read)"
    arrow_type: ClassVar[pa.DataType] = pa.int64()

    def read(self, text: pa.Array) -> Parsed:
        values = Count().read(text).values
        four = flags(pc.and_(pc.greater_equal(values, 1000), pc.less_equal(values, 9999)))
        return Parsed.of(text, where(four, values, None), "not a four-digit year",
                         {"another spelling of the year read": four & ~matches(text, "[0-9]{4}")})


@dataclass(frozen=True)
class ExpiryMonth(Kind):
    """The month a card expires, written `MM/YY`."""

    label: ClassVar[str] = "expiry month"
    accepts: ClassVar[str] = (
        "`MM/YY`, `M/YY`, `MM/YYYY`, `MM-YY`, `MM.YY`, `YYYY-MM`, or an English month name with the year "
        "(`Oct 2025`)"
    )
    CANONICAL: ClassVar[str] = "(?:0[1-9]|1[0-2])/[0-9]{2}"

    def canonical_mask(self, text: pa.Array) -> np.ndarray:
        return matches(text, self.CANONICAL)

    def read_other(self, text: pa.Array) -> Parsed:
        canonical = matches(text, self.CANONICAL)
        if canonical.all():
            return Parsed.of(text, text, "not an expiry month (MM/YY)")
        month_first = pc.extract_regex(text, r"^(?P<m>[0-9]{1,2})\s*[/\-.]\s*(?P<y>[0-9]{2}|[0-9]{4})$")
        year_first = pc.extract_regex(text, r"^(?P<y>[0-9]{4})[/\-.](?P<m>[0-9]{1,2})$")
        m, y = np.zeros(len(text), np.int64), np.full(len(text), -1, np.int64)
        for found in (month_first, year_first):
            hit = flags(pc.is_valid(found)) & (y < 0)
            m[hit] = _ints(pc.struct_field(found, "m"))[hit]
            y[hit] = _ints(pc.struct_field(found, "y"))[hit]
        rest = (y < 0) & flags(pc.match_substring_regex(text, r"\pL"))
        if rest.any():
            named = per_distinct(pc.filter(text, pa.array(rest)), _named_expiry, pa.int64())
            packed = pc.fill_null(named, -1).to_numpy(zero_copy_only=False)
            m[rest], y[rest] = np.where(packed >= 0, packed // 10000, 0), np.where(packed >= 0, packed % 10000, -1)
        ok = (m >= 1) & (m <= 12) & ((y >= 0) & (y < 100) | (y >= 1950) & (y < 2150)) & ~canonical
        stamp = np.char.add(np.char.add(np.char.zfill(m.astype(str), 2), "/"), np.char.zfill((y % 100).astype(str), 2))
        values = where(canonical, text, where(ok, pa.array(stamp.astype(object), type=pa.string()), None))
        return Parsed.of(text, values, "not an expiry month (MM/YY)", {"read from another expiry spelling": ok})

    def check(self):
        return fullmatch_check(self.CANONICAL, "expiry_month")


def _named_expiry(text: str) -> int | None:
    tokens = [t for t in re.split(r"[\s,./\-]+", text.lower()) if t]
    if len(tokens) == 2 and tokens[0] in MONTH_NUMBERS and re.fullmatch(r"[0-9]{2}|[0-9]{4}", tokens[1]):
        return MONTH_NUMBERS[tokens[0]] * 10000 + int(tokens[1])
    return None
