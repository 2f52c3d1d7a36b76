"""Properties of the calendar kinds in `multinational_assets.parsing.calendar`: dates, times of day,
months, days of the month, years and card expiry months.

A generated date is written in every documented layout (ISO with `-`, `/` or `.`, `YYYYMMDD`, ISO
date-times, month names in any order with or without ordinal suffixes, weekdays, unambiguous numeric
day-first and month-first dates) and must read back as that date. Ambiguous numeric dates, two-digit
years and dates that are not in the calendar (31 April) are rejected with a reason that says so.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools

import pyarrow as pa
from hypothesis import assume, given
from hypothesis import strategies as st

from multinational_assets.parsing import Date, DayOfMonth, ExpiryMonth, Month, Time, Year
from multinational_assets_tests.parsing import (
    ANY_TEXT,
    COLUMN_SETTINGS,
    OPTIONAL_SPACE,
    SETTINGS,
    any_case,
    check_canonical,
    check_cases,
    check_rejected,
    columns,
    read,
    read_text,
)

KINDS = [Date(), Time(), Month(), DayOfMonth(), Year(), ExpiryMonth()]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
DATES = st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))


@SETTINGS
@given(st.sampled_from(KINDS), st.lists(st.one_of(st.none(), ANY_TEXT), max_size=20))
def test_no_kind_raises_on_arbitrary_text_and_invariants_hold(kind, values):
    parsed = read(kind, values)
    raw = read_text(kind, pa.array(values, type=pa.string()))
    for result in (parsed, raw):
        if kind.arrow_type == pa.string():  # what a kind returns is canonical
            again = read_text(kind, result.values)
            assert again.values.to_pylist() == result.values.to_pylist()
            assert not any(m.any() for m in again.repairs.values())


# --------------------------------------------------------------------------------------------------
# Dates


def ordinal(day: int) -> str:
    if 11 <= day % 100 <= 13:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


@st.composite
def month_name(draw, month: int) -> str:
    full = MONTHS[month - 1]
    names = [full, full[:3]] + (["Sept"] if month == 9 else [])
    name = draw(st.sampled_from(names))
    if name != full and draw(st.booleans()):
        name += "."
    return draw(any_case(name))


@st.composite
def padded(draw, number: int) -> str:
    return f"{number:02d}" if draw(st.booleans()) else str(number)


@st.composite
def iso_spelling(draw, date: dt.date) -> str:
    separator = draw(st.sampled_from(["-", "/", "."]))
    return f"{date.year}{separator}{draw(padded(date.month))}{separator}{draw(padded(date.day))}"


@st.composite
def iso_datetime_spelling(draw, date: dt.date) -> str:
    time = draw(st.times())
    clock = draw(st.sampled_from([
        f"{time.hour:02d}:{time.minute:02d}",
        f"{time.hour:02d}:{time.minute:02d}:{time.second:02d}",
        f"{time.hour:02d}:{time.minute:02d}:{time.second:02d}.{time.microsecond:06d}",
        f"{time.hour}:{time.minute:02d}:{time.second:02d}",
    ]))
    zone = draw(st.sampled_from(["", "Z", "+01:00", "-05:30", "+0100"]))
    return f"{date.isoformat()}{draw(st.sampled_from(['T', ' ']))}{clock}{zone}"


@st.composite
def named_spelling(draw, date: dt.date) -> str:
    day = draw(padded(date.day)) if draw(st.booleans()) else str(date.day) + draw(any_case(ordinal(date.day)))
    tokens = [day, draw(month_name(date.month)), str(date.year)]
    order = draw(st.sampled_from(list(itertools.permutations(range(3)))))
    written = ""
    for i, at in enumerate(order):
        if i:
            written += draw(st.sampled_from([" ", ", ", "-", "/", ".", " - ", "  "]))
        written += tokens[at]
    if draw(st.integers(0, 3)) == 0:  # a weekday in front
        weekday = WEEKDAYS[date.weekday()]
        weekday = draw(any_case(draw(st.sampled_from([weekday, weekday[:3]]))))
        written = weekday + draw(st.sampled_from([", ", " "])) + written
    return written


@st.composite
def numeric_spelling(draw, date: dt.date) -> str:
    """Day-first or month-first, where only one reading is a date (or both readings are the same)."""
    assume(date.day > 12 or date.day == date.month)
    separator = draw(st.sampled_from(["/", "-", "."]))
    day, month = draw(padded(date.day)), draw(padded(date.month))
    first, second = (day, month) if draw(st.booleans()) else (month, day)
    return f"{first}{separator}{second}{separator}{date.year}"


@st.composite
def date_spelling(draw) -> tuple[str, dt.date]:
    date = draw(DATES)
    layout = draw(st.sampled_from(["iso", "compact", "datetime", "named", "named", "numeric"]))
    if layout == "numeric" and not (date.day > 12 or date.day == date.month):
        layout = "named"
    written = {
        "iso": lambda: draw(iso_spelling(date)),
        "compact": lambda: date.strftime("%Y%m%d"),
        "datetime": lambda: draw(iso_datetime_spelling(date)),
        "named": lambda: draw(named_spelling(date)),
        "numeric": lambda: draw(numeric_spelling(date)),
    }[layout]()
    return draw(OPTIONAL_SPACE) + written + draw(OPTIONAL_SPACE), date


@SETTINGS
@given(date_spelling())
def test_date_read_from_any_layout(case):
    check_cases(Date(), [case])


@COLUMN_SETTINGS
@given(columns(date_spelling()))
def test_date_columns(cases):
    check_cases(Date(), cases)


@COLUMN_SETTINGS
@given(st.lists(DATES, min_size=1, max_size=50))
def test_canonical_dates_are_unchanged_and_not_repairs(dates):
    check_canonical(Date(), [d.isoformat() for d in dates], dates)


@SETTINGS
@given(DATES, st.sampled_from(["/", "-", "."]), st.booleans(), st.booleans())
def test_ambiguous_numeric_dates_are_rejected_never_guessed(date, separator, day_first, pad):
    assume(date.day <= 12 and date.day != date.month)
    a, b = (date.day, date.month) if day_first else (date.month, date.day)
    fmt = "{:02d}" if pad else "{}"
    written = f"{fmt.format(a)}{separator}{fmt.format(b)}{separator}{date.year}"
    check_rejected(Date(), [written], "ambiguous")


@SETTINGS
@given(DATES, st.sampled_from(["/", "-", "."]), st.booleans())
def test_two_digit_years_are_rejected(date, separator, day_first):
    a, b = (date.day, date.month) if day_first or date.day > 12 else (date.month, date.day)
    check_rejected(Date(), [f"{a:02d}{separator}{b:02d}{separator}{date.year % 100:02d}"], "two-digit year")


@SETTINGS
@given(DATES, st.data())
def test_two_digit_years_with_a_month_name_are_rejected(date, data):
    day = data.draw(padded(date.day))
    name = data.draw(month_name(date.month))
    order = data.draw(st.sampled_from([(day, name), (name, day)]))
    check_rejected(Date(), [f"{order[0]} {order[1]} {date.year % 100:02d}"], "two-digit year")


@st.composite
def impossible_dates(draw) -> tuple[int, int, int]:
    """A day past the end of its month (31 April, 29 February in a common year, 32 May)."""
    year = draw(st.integers(1900, 2100))
    month = draw(st.integers(1, 12))
    last = calendar.monthrange(year, month)[1]
    day = draw(st.integers(last + 1, max(last + 1, 31)))
    return year, month, day


@SETTINGS
@given(impossible_dates(), st.sampled_from(["iso", "named", "numeric"]), st.data())
def test_days_that_are_not_in_the_calendar_are_rejected(ymd, layout, data):
    year, month, day = ymd
    if layout == "iso":
        written = f"{year}-{month:02d}-{day:02d}"
    elif layout == "named":
        written = f"{day} {data.draw(month_name(month))} {year}"
    else:
        written = f"{day}/{month:02d}/{year}"
    check_rejected(Date(), [written], "calendar date")


@SETTINGS
@given(st.integers(0, 12), st.integers(1970, 2030), st.sampled_from(["/", "-", "."]), st.booleans())
def test_a_zero_day_or_month_is_not_a_calendar_date(other, year, separator, zero_first):
    # `00/05/1971` is no date either way round, not an ambiguous one.
    parts = ("00", f"{other:02d}") if zero_first else (f"{other:02d}", "00")
    check_rejected(Date(), [f"{parts[0]}{separator}{parts[1]}{separator}{year}"], "calendar date")


def test_date_examples():
    parsed = read(Date(), ["1971/10/23", "January 1951 27", "1968 October 16", "Oct 23rd, 1971", "23-Oct-1971",
                           "Monday, 23 October 1972", "1971-10-23T22:00:06Z", "19711023", "23.10.1971", "10/23/1971"])
    assert set(parsed.values.to_pylist()) == {dt.date(1971, 10, 23), dt.date(1951, 1, 27), dt.date(1968, 10, 16),
                                              dt.date(1972, 10, 23)}
    assert check_rejected(Date(), ["31 April 2020", "2021-02-29"], "calendar date")


# --------------------------------------------------------------------------------------------------
# Times of day

FRACTION = st.one_of(
    st.just(""), st.integers(1, 6).flatmap(lambda n: st.text("0123456789", min_size=n, max_size=n).map(lambda d: "." + d))
)


@st.composite
def time_spelling(draw) -> tuple[str, str]:
    time = draw(st.times())
    fraction = draw(FRACTION)
    with_seconds = time.second != 0 or fraction != "" or draw(st.booleans())
    clean = f"{time.hour:02d}:{time.minute:02d}:{time.second:02d}{fraction}"
    seconds = f":{time.second:02d}{fraction}" if with_seconds else ""
    how = draw(st.sampled_from(["24-hour", "12-hour", "datetime"]))
    if how == "12-hour":
        hour = time.hour % 12 or 12
        half = "am" if time.hour < 12 else "pm"
        half = draw(st.sampled_from([half, f"{half[0]}.m.", f"{half[0]}.m"]))
        written = f"{draw(padded(hour))}:{time.minute:02d}{seconds}{draw(OPTIONAL_SPACE)}{draw(any_case(half))}"
    else:
        written = f"{draw(padded(time.hour))}:{time.minute:02d}{seconds}"
        if how == "datetime":
            date = draw(DATES)
            zone = draw(st.sampled_from(["", "Z", "+01:00", "-0530"]))
            written = f"{date.isoformat()}{draw(st.sampled_from(['T', ' ']))}{time.hour:02d}:{time.minute:02d}{seconds}{zone}"
    return draw(OPTIONAL_SPACE) + written + draw(OPTIONAL_SPACE), clean


@SETTINGS
@given(time_spelling())
def test_time_read_from_any_spelling(case):
    check_cases(Time(), [case])


@COLUMN_SETTINGS
@given(columns(time_spelling()))
def test_time_columns(cases):
    check_cases(Time(), cases)


@COLUMN_SETTINGS
@given(st.lists(st.times().map(lambda t: t.strftime("%H:%M:%S")), min_size=1, max_size=50))
def test_canonical_times_are_unchanged_and_not_repairs(times):
    check_canonical(Time(), times, times)


@SETTINGS
@given(
    st.one_of(
        st.integers(24, 99).map(lambda h: f"{h}:00:00"),
        st.integers(60, 99).map(lambda m: f"10:{m}:00"),
        st.integers(60, 99).map(lambda s: f"10:00:{s}"),
        st.integers(13, 23).map(lambda h: f"{h}:00 PM"),
        st.sampled_from(["0:30 am", "noon", "10", "10.30", "1000", "10:0", "10:00:00:00"]),
    )
)
def test_not_a_time_is_rejected(bad):
    check_rejected(Time(), [bad], "not a time of day")


# --------------------------------------------------------------------------------------------------
# Months, days of the month, years


@st.composite
def month_spelling(draw) -> tuple[str, int]:
    month = draw(st.integers(1, 12))
    how = draw(st.sampled_from(["number", "number", "name"]))
    if how == "name":
        return draw(month_name(month)), month
    written = draw(padded(month)) + draw(st.sampled_from(["", "", ".0"]))
    return draw(OPTIONAL_SPACE) + written + draw(OPTIONAL_SPACE), month


@st.composite
def day_spelling(draw) -> tuple[str, int]:
    day = draw(st.integers(1, 31))
    suffix = draw(st.sampled_from(["", "", ".0", "ordinal"]))
    if suffix == "ordinal":
        suffix = draw(any_case(ordinal(day)))
    return draw(padded(day)) + suffix, day


@st.composite
def year_spelling(draw) -> tuple[str, int]:
    year = draw(st.integers(1000, 9999))
    written = draw(st.sampled_from([str(year), f"{year}.0", f"{year // 1000},{year % 1000:03d}"]))
    return draw(OPTIONAL_SPACE) + written, year


@SETTINGS
@given(columns(month_spelling()), columns(day_spelling()), columns(year_spelling()))
def test_month_day_and_year_read_from_any_spelling(months, days, years):
    check_cases(Month(), months)
    check_cases(DayOfMonth(), days)
    check_cases(Year(), years)


@COLUMN_SETTINGS
@given(
    st.lists(st.integers(1, 12), min_size=1, max_size=30),
    st.lists(st.integers(1, 31), min_size=1, max_size=30),
    st.lists(st.integers(1000, 9999), min_size=1, max_size=30),
)
def test_canonical_months_days_and_years_are_unchanged_and_not_repairs(months, days, years):
    check_canonical(Month(), [str(m) for m in months], months)
    check_canonical(DayOfMonth(), [str(d) for d in days], days)
    check_canonical(Year(), [str(y) for y in years], years)


@SETTINGS
@given(st.one_of(st.integers(13, 10**6), st.just(0), st.integers(-100, -1)).map(str))
def test_month_out_of_range_is_rejected(bad):
    check_rejected(Month(), [bad], "not a month")


@SETTINGS
@given(st.one_of(st.integers(32, 10**6), st.just(0)).map(str))
def test_day_out_of_range_is_rejected(bad):
    check_rejected(DayOfMonth(), [bad], "not a day of the month")


@SETTINGS
@given(st.one_of(st.integers(0, 999), st.integers(10000, 10**8)).map(str))
def test_year_without_four_digits_is_rejected(bad):
    check_rejected(Year(), [bad], "four-digit year")


def test_month_names_that_are_not_english_months_are_rejected():
    check_rejected(Month(), ["Octobre", "Mai.", "Janu", "Sep-"], "not a month")


# --------------------------------------------------------------------------------------------------
# Card expiry months


@st.composite
def expiry_spelling(draw) -> tuple[str, str]:
    month, year = draw(st.integers(1, 12)), draw(st.integers(1950, 2149))
    clean = f"{month:02d}/{year % 100:02d}"
    two = f"{year % 100:02d}"
    how = draw(st.sampled_from(["MM/YY", "M/YY", "MM/YYYY", "separator", "YYYY-MM", "name"]))
    if how == "MM/YY":
        written = clean
    elif how == "M/YY":
        written = f"{month}/{two}"
    elif how == "MM/YYYY":
        written = f"{draw(padded(month))}/{year}"
    elif how == "separator":
        separator = draw(OPTIONAL_SPACE) + draw(st.sampled_from(["/", "-", "."])) + draw(OPTIONAL_SPACE)
        written = f"{draw(padded(month))}{separator}{draw(st.sampled_from([two, str(year)]))}"
    elif how == "YYYY-MM":
        written = f"{year}{draw(st.sampled_from(['-', '/', '.']))}{draw(padded(month))}"
    else:
        separator = draw(st.sampled_from([" ", "-", ", ", "/"]))
        written = f"{draw(month_name(month))}{separator}{draw(st.sampled_from([two, str(year)]))}"
    return draw(OPTIONAL_SPACE) + written + draw(OPTIONAL_SPACE), clean


@SETTINGS
@given(expiry_spelling())
def test_expiry_month_read_from_any_spelling(case):
    check_cases(ExpiryMonth(), [case])


@COLUMN_SETTINGS
@given(columns(expiry_spelling()))
def test_expiry_month_columns(cases):
    check_cases(ExpiryMonth(), cases)


@COLUMN_SETTINGS
@given(st.lists(st.tuples(st.integers(1, 12), st.integers(0, 99)), min_size=1, max_size=50))
def test_canonical_expiry_months_are_unchanged_and_not_repairs(months):
    text = [f"{m:02d}/{y:02d}" for m, y in months]
    check_canonical(ExpiryMonth(), text, text)


@SETTINGS
@given(
    st.one_of(
        st.integers(13, 99).map(lambda m: f"{m}/25"),
        st.just("00/25"),
        st.integers(0, 99).map(lambda y: f"10/{y:03d}"),
        st.sampled_from(["10/2", "Octember 2025", "2025", "10 25 30", "1/1/25"]),
    )
)
def test_not_an_expiry_month_is_rejected(bad):
    check_rejected(ExpiryMonth(), [bad], "not an expiry month")
