"""Properties of the quantity kinds in `multinational_assets.parsing.numbers`: counts, money, weights
and coordinates.

Clean values are generated exactly (integers, pence, `Decimal` amounts), written in any documented
spelling, and must read back equal (floats within 1e-9 relative).
"""

from __future__ import annotations

from decimal import Decimal

import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from multinational_assets.parsing import Coordinate, Count, Money, Weight
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

KINDS = [Count(), Money(), Weight(), Coordinate("latitude"), Coordinate("longitude")]
# Thousands separators: comma, apostrophe, space, thin and narrow no-break spaces.
THOUSANDS = st.sampled_from([",", "'", " ", "\u2009", "\u202f"])


def group(digits: str, separator: str) -> str:
    """Digits in groups of three from the right."""
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)]
    return separator.join(parts)


@SETTINGS
@given(st.sampled_from(KINDS), st.lists(st.one_of(st.none(), ANY_TEXT), max_size=20))
def test_no_kind_raises_on_arbitrary_text_and_invariants_hold(kind, values):
    read(kind, values)
    read_text(kind, pa.array(values, type=pa.string()))


# --------------------------------------------------------------------------------------------------
# Counts


@st.composite
def count_spelling(draw) -> tuple[str, int]:
    n = draw(st.one_of(st.integers(0, 99), st.integers(-10**15, 10**15)))
    digits = str(abs(n))
    how = draw(st.sampled_from(["plain", "padded", "grouped", "stray letters"]))
    if how == "stray letters" and n >= 0 and len(digits) >= 2:
        letters = draw(st.lists(st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"),
                                min_size=1, max_size=min(2, len(digits) - 1)))
        written = digits
        for letter in letters:
            at = draw(st.integers(0, len(written)))
            written = written[:at] + letter + written[at:]
        return written, n
    if how == "padded":
        digits = "0" * draw(st.integers(1, 3)) + digits
    elif how == "grouped":
        digits = group(digits, draw(THOUSANDS))
    if draw(st.booleans()):
        digits += "." + "0" * draw(st.integers(1, 3))
    sign = "-" if n < 0 else draw(st.sampled_from(["", "", "+"]))
    if sign:
        sign += draw(OPTIONAL_SPACE)
    return draw(OPTIONAL_SPACE) + sign + digits + draw(OPTIONAL_SPACE), n


@SETTINGS
@given(count_spelling())
def test_count_read_from_any_spelling(case):
    check_cases(Count(), [case])


@COLUMN_SETTINGS
@given(columns(count_spelling()))
def test_count_columns(cases):
    check_cases(Count(), cases)


@COLUMN_SETTINGS
@given(st.lists(st.integers(0, 10**17), min_size=1, max_size=50))
def test_canonical_counts_are_unchanged_and_not_repairs(numbers):
    check_canonical(Count(), [str(n) for n in numbers], numbers)


@SETTINGS
@given(st.one_of(
    st.tuples(st.integers(0, 10**6), st.integers(1, 99)).map(lambda p: f"{p[0]}.{p[1]}"),  # a fraction
    st.from_regex(r"[a-z]{3,5}[0-9]{4,8}", fullmatch=True),  # more than two letters
    st.from_regex(r"[a-z]{2}", fullmatch=True).flatmap(  # letters outnumbering the digits
        lambda letters: st.sampled_from("0123456789").map(lambda d: letters + d)),
    st.sampled_from(["twelve", "1/2", "12-13", "--4", "1 2", "1,23", "١٢"]),
))
def test_not_a_whole_number_is_rejected(bad):
    check_rejected(Count(), [bad], "not a whole number")


# --------------------------------------------------------------------------------------------------
# Money

POUND_SIGNS = ["£", "UK£", "GBP", "gbp", "Gbp"]
FOREIGN = {"$": "USD", "US$": "USD", "€": "EUR", "¥": "JPY", "USD": "USD", "EUR": "EUR", "JPY": "JPY",
           "CHF": "CHF", "CAD": "CAD", "AUD": "AUD", "usd": "USD", "eur": "EUR"}


@st.composite
def decimal_text(draw, pence: int) -> str:
    """`pence` as a decimal number of pounds, with or without thousands separators and decimals."""
    pounds, rest = divmod(pence, 100)
    whole = str(pounds)
    grouped = pounds >= 1000 and draw(st.booleans())
    if grouped:
        whole = group(whole, draw(THOUSANDS))
    decimals = ["2"] + (["1"] if rest % 10 == 0 else []) + (["0"] if rest == 0 else [])
    how = draw(st.sampled_from(decimals))
    # A decimal comma, where the comma cannot be a thousands separator.
    point = "." if grouped else draw(st.sampled_from([".", ".", ","]))
    if how == "2":
        return f"{whole}{point}{rest:02d}"
    if how == "1":
        return f"{whole}{point}{rest // 10}"
    return whole


@st.composite
def money_spelling(draw) -> tuple[str, float]:
    pence = draw(st.one_of(st.integers(0, 9999), st.integers(0, 10**11)))
    expected = float(Decimal(pence) / 100)
    where = draw(st.sampled_from(["none", "before", "after", "pence"]))
    if where == "pence":
        number = group(str(pence), draw(THOUSANDS)) if pence >= 1000 and draw(st.booleans()) else str(pence)
        unit = draw(any_case(draw(st.sampled_from(["p", "pence"]))))
        written = number + draw(OPTIONAL_SPACE) + unit
    else:
        number = draw(decimal_text(pence))
        sign = draw(any_case(draw(st.sampled_from(POUND_SIGNS))))
        written = {"none": number, "before": sign + draw(OPTIONAL_SPACE) + number,
                   "after": number + draw(OPTIONAL_SPACE) + sign}[where]
    return draw(OPTIONAL_SPACE) + written + draw(OPTIONAL_SPACE), expected


@SETTINGS
@given(money_spelling())
def test_money_read_from_any_spelling(case):
    check_cases(Money(), [case])


@COLUMN_SETTINGS
@given(columns(money_spelling()))
def test_money_columns(cases):
    check_cases(Money(), cases)


@COLUMN_SETTINGS
@given(st.lists(st.integers(0, 10**9), min_size=1, max_size=50), st.booleans())
def test_canonical_amounts_are_unchanged_and_not_repairs(pence, whole_pounds):
    if whole_pounds:
        pence = [p - p % 100 for p in pence]
        text = [str(p // 100) for p in pence]
    else:
        text = [f"{p // 100}.{p % 100:02d}" for p in pence]
    check_canonical(Money(), text, [float(Decimal(p) / 100) for p in pence])


@SETTINGS
@given(st.sampled_from(sorted(FOREIGN)), st.integers(0, 10**7), st.booleans(), OPTIONAL_SPACE)
def test_an_amount_in_another_currency_is_rejected_naming_it(sign, pence, before, space):
    number = f"{pence // 100}.{pence % 100:02d}"
    written = sign + space + number if before else number + space + sign
    check_rejected(Money(), [written], FOREIGN[sign], "GBP")


@SETTINGS
@given(st.sampled_from(sorted(FOREIGN)), st.integers(0, 10**7))
def test_two_different_currencies_are_rejected(sign, pence):
    check_rejected(Money(), [f"£{pence // 100}.{pence % 100:02d} {sign}"], "currenc")


def test_not_money_is_rejected():
    check_rejected(Money(), ["free", "39.99.99", "£", "£ 3 9", "12 kg"], "not an amount of money in GBP")


# --------------------------------------------------------------------------------------------------
# Weights

# Grams per unit, and every documented way of writing the unit.
GRAMS = {"kg": Decimal(1000), "g": Decimal(1), "mg": Decimal("0.001"), "l": Decimal(1000), "ml": Decimal(1),
         "oz": Decimal("28.349523125"), "lb": Decimal("453.59237")}
SPELLINGS = {
    "kg": ["kg", "kgs", "kilo", "kilos", "kilogram", "kilograms", "kilogramme", "kilogrammes"],
    "g": ["g", "gram", "grams", "gramme", "grammes"],
    "mg": ["mg", "milligram", "milligrams", "milligramme", "milligrammes"],
    "l": ["l", "litre", "litres", "liter", "liters"],
    "ml": ["ml", "millilitre", "millilitres", "milliliter", "milliliters"],
    "oz": ["oz", "ounce", "ounces"],
    "lb": ["lb", "lbs", "pound", "pounds"],
}
AFTER_UNIT = st.sampled_from(["", "", ".", " .", "!", ",", ";", " ..", ")"])


@st.composite
def number_text(draw, value: Decimal) -> str:
    """`value` (>= 0) in the shared number grammar: decimal point or comma, thousands separators."""
    whole, _, fraction = format(value, "f").partition(".")
    grouped = int(whole) >= 1000 and draw(st.booleans())
    if grouped:
        whole = group(whole, draw(st.sampled_from([",", "'", " "])))
    if not fraction:
        return whole
    # A comma followed by exactly three digits is a thousands separator, so it is a decimal comma only
    # before another number of decimals.
    point = "." if grouped or len(fraction) == 3 else draw(st.sampled_from([".", ","]))
    if whole == "0" and draw(st.booleans()):
        whole = ""  # `.5kg`
    return f"{whole}{point}{fraction}"


DECIMALS = st.tuples(st.integers(0, 20000), st.integers(0, 4)).flatmap(
    lambda p: st.integers(0, 10 ** p[1] - 1).map(lambda f: Decimal(p[0]) + Decimal(f) / 10 ** p[1] if p[1] else Decimal(p[0]))
)


@st.composite
def weight_spelling(draw) -> tuple[str, float]:
    unit = draw(st.sampled_from(sorted(GRAMS)))
    amount = draw(DECIMALS)
    written = draw(number_text(amount)) + draw(OPTIONAL_SPACE) + draw(any_case(draw(st.sampled_from(SPELLINGS[unit]))))
    count = 1
    pack = draw(st.sampled_from(["single", "single", "count first", "count after"]))
    if pack != "single":
        count = draw(st.integers(1, 48))
        times = draw(OPTIONAL_SPACE) + draw(st.sampled_from(["x", "X", "×", "*"])) + draw(OPTIONAL_SPACE)
        written = f"{count}{times}{written}" if pack == "count first" else f"{written}{times}{count}"
    written += draw(AFTER_UNIT)
    kg = amount * GRAMS[unit] * count / 1000
    return draw(OPTIONAL_SPACE) + written + draw(OPTIONAL_SPACE), float(kg)


@SETTINGS
@given(weight_spelling())
def test_weight_read_from_any_unit_and_spelling(case):
    check_cases(Weight(), [case])


@COLUMN_SETTINGS
@given(columns(weight_spelling()))
def test_weight_columns(cases):
    check_cases(Weight(), cases)


@COLUMN_SETTINGS
@given(st.lists(DECIMALS, min_size=1, max_size=50))
def test_canonical_weights_are_unchanged_and_not_repairs(amounts):
    check_canonical(Weight(), [f"{format(a, 'f')}kg" for a in amounts], [float(a) for a in amounts])


def test_weight_examples():
    parsed = read(Weight(), ["1.6kg", "400g", "12 x 100g", "3.5g", "500ml", "77g .", "16oz", "2 lbs", "1,160kg"])
    assert parsed.values.to_pylist() == [1.6, 0.4, 1.2, 0.0035, 0.5, 0.077, 0.45359237, 0.90718474, 1160.0]


@SETTINGS
@given(DECIMALS, st.sampled_from(["", " stone", "st", " bananas", " cups", " m", " kgx", " items", " k g"]))
def test_weight_without_a_known_unit_is_rejected(amount, unit):
    check_rejected(Weight(), [format(amount, "f") + unit], "not a weight with a unit")


# --------------------------------------------------------------------------------------------------
# Coordinates

HEMISPHERES = {"latitude": ("N", "S"), "longitude": ("E", "W")}


@st.composite
def degrees(draw, axis: str) -> Decimal:
    places = draw(st.integers(0, 7))
    limit = (90 if axis == "latitude" else 180) * 10**places
    return Decimal(draw(st.integers(-limit, limit))) / 10**places


@st.composite
def coordinate_spelling(draw, axis: str) -> tuple[str, float]:
    value = draw(degrees(axis))
    number = format(abs(value), "f")
    if "." in number and draw(st.booleans()):
        number = number.replace(".", ",")  # a decimal comma
    degree = draw(st.sampled_from(["", "°"]))
    how = draw(st.sampled_from(["sign", "hemisphere"]))
    if how == "sign":
        sign = "-" if value < 0 else draw(st.sampled_from(["", "+"]))
        written = sign + draw(OPTIONAL_SPACE) + number + degree
    else:
        north, south = HEMISPHERES[axis]
        letter = draw(any_case(south if value < 0 else north))
        written = number + degree + draw(OPTIONAL_SPACE) + letter
    return draw(OPTIONAL_SPACE) + written + draw(OPTIONAL_SPACE), float(value)


@SETTINGS
@given(st.sampled_from(["latitude", "longitude"]).flatmap(lambda a: st.tuples(st.just(a), coordinate_spelling(a))))
def test_coordinate_read_from_any_spelling(axis_case):
    axis, case = axis_case
    check_cases(Coordinate(axis), [case])


@COLUMN_SETTINGS
@given(columns(coordinate_spelling("latitude")), columns(coordinate_spelling("longitude")))
def test_coordinate_columns(latitudes, longitudes):
    check_cases(Coordinate("latitude"), latitudes)
    check_cases(Coordinate("longitude"), longitudes)


@COLUMN_SETTINGS
@given(st.lists(degrees("longitude"), min_size=1, max_size=50))
def test_canonical_coordinates_are_unchanged_and_not_repairs(values):
    check_canonical(Coordinate("longitude"), [format(v, "f") for v in values], [float(v) for v in values])


@SETTINGS
@given(degrees("latitude"), st.sampled_from(["latitude", "longitude"]), st.booleans())
def test_a_hemisphere_of_the_other_axis_is_rejected(value, axis, lower):
    letter = HEMISPHERES["longitude" if axis == "latitude" else "latitude"][value < 0]
    check_rejected(Coordinate(axis), [f"{format(abs(value), 'f')}{letter.lower() if lower else letter}"], "hemisphere")


@SETTINGS
@given(degrees("latitude"), st.sampled_from(["latitude", "longitude"]), st.sampled_from(["-", "+"]), st.booleans())
def test_a_sign_and_a_hemisphere_letter_together_are_rejected(value, axis, sign, south):
    # `-51.5 S` may mean south (said twice) or north (minus south): it is not guessed.
    letter = HEMISPHERES[axis][south]
    check_rejected(Coordinate(axis), [f"{sign}{format(abs(value), 'f')} {letter}"], "sign", "hemisphere")


def test_not_a_coordinate_is_rejected():
    check_rejected(Coordinate("latitude"), ["N/A here", "51°30'N", "fifty", "1.2.3"], "not a latitude")
