"""Kinds whose values are quantities: counts, money, weights and coordinates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from multinational_assets.parsing.kinds import Kind, Parsed
from multinational_assets.parsing.text import flags, matches, replace, where

# A decimal number with optional thousands separators (commas, apostrophes or thin spaces in groups
# of three). A comma followed by other than three digits is a decimal comma (`1,5`).
_GROUPED = r"[0-9]{1,3}(?:[,'\x{202F}\x{2009} ][0-9]{3})+"
_NUMBER = rf"(?:{_GROUPED}|[0-9]+)(?:[.,][0-9]+)?|[.,][0-9]+"


def decimal_values(numbers: pa.Array) -> pa.Array:
    """Text that matches `_NUMBER` as float64: thousands separators removed, a decimal comma read as
    a point (a comma followed by exactly three digits is a thousands separator). Separators are
    removed from the whole part only: `1,2345` is 1.2345, not 12345. A number too large for a float
    is null, not infinity."""
    parts = pc.extract_regex(numbers, rf"^(?P<whole>{_GROUPED}|[0-9]*)(?:[.,](?P<fraction>[0-9]+))?$")
    whole = replace(pc.struct_field(parts, "whole"), r"[,'\x{202F}\x{2009} ]", "")
    whole = pc.if_else(pc.equal(whole, ""), "0", whole)
    fraction = pc.struct_field(parts, "fraction")
    fraction = pc.if_else(pc.equal(fraction, ""), "0", fraction)
    values = pc.cast(pc.binary_join_element_wise(whole, fraction, "."), pa.float64())
    return pc.if_else(pc.is_finite(values), values, pa.scalar(None, pa.float64()))


def significant(values: np.ndarray, digits: int = 12) -> np.ndarray:
    """`values` rounded to `digits` significant digits, whatever their magnitude."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        magnitude = np.floor(np.log10(np.abs(values)))
        places = np.where(np.isfinite(magnitude), digits - 1 - magnitude, 0)
        up, down = 10.0 ** np.maximum(places, 0), 10.0 ** np.maximum(-places, 0)  # exact powers of ten
        return np.round(values * up / down) / up * down


@dataclass(frozen=True)
class Count(Kind):
    """A whole number of things (staff, items). Reads thousands separators, zero padding, a sign and
    a trailing `.0`; up to two stray letters among the digits (`J78`, `3n9`, `8e`) are removed when
    at least as many digits remain to say what the number is."""

    sql_type: str = "int4"
    label: ClassVar[str] = "whole number"
    accepts: ClassVar[str] = (
        "digits with optional sign, zero padding, thousands separators (`1,234`) and a trailing `.0`; "
        "up to two stray letters among the digits removed (`J78` is 78, `8e` is 8) when there are no "
        "fewer digits than letters"
    )
    arrow_type: ClassVar[pa.DataType] = pa.int64()

    def canonical_mask(self, text: pa.Array) -> np.ndarray:
        return matches(text, r"[0-9]{1,18}")

    def read_other(self, text: pa.Array) -> Parsed:
        canonical = matches(text, r"[0-9]{1,18}")
        if canonical.all():
            return Parsed.of(text, pc.cast(text, pa.int64()), "not a whole number")
        tidy = replace(text, r"^([+-])\s+", r"\1")
        tidy = replace(tidy, r"^([+-]?[0-9,'\x{202F}\x{2009} ]+)\.0+$", r"\1")
        grouped = matches(tidy, r"[+-]?[0-9]{1,3}(?:[,'\x{202F}\x{2009} ][0-9]{3})+")
        tidy = where(grouped, replace(tidy, r"[,'\x{202F}\x{2009} ]", ""), tidy)
        letters = pc.count_substring_regex(tidy, r"\pL")
        digits = pc.count_substring_regex(tidy, "[0-9]")
        stray = (
            matches(tidy, r"[+-]?[0-9A-Za-z]+")
            & flags(pc.greater(letters, 0)) & flags(pc.less_equal(letters, 2)) & flags(pc.greater_equal(digits, letters))
        )
        tidy = where(stray, replace(tidy, "[A-Za-z]", ""), tidy)
        tidy = replace(tidy, r"^([+-]?)0+([0-9])", r"\1\2")  # zero padding does not count as digits
        ok = matches(tidy, r"[+-]?[0-9]{1,18}") & ~canonical
        values = pc.cast(where(canonical, text, where(ok, replace(tidy, r"^\+", ""), None)), pa.int64())
        return Parsed.of(
            text, values, "not a whole number",
            {"stray letters among the digits removed": stray & ok,
             "separators, padding or a trailing .0 removed": ok & ~stray},
        )


_CURRENCY_SIGNS = {"£": "GBP", "$": "USD", "€": "EUR", "¥": "JPY"}
_CURRENCY_CODES = ("GBP", "USD", "EUR", "JPY", "CHF", "CAD", "AUD")
_CURRENCY = r"UK£|US\$|[£$€¥]|GBP|USD|EUR|JPY|CHF|CAD|AUD"


@dataclass(frozen=True)
class Money(Kind):
    """An amount of money in `currency` (GBP), as a decimal. The currency may be written before or
    after the number, as a sign or a code; an amount in another currency is rejected, never
    converted or taken as pounds."""

    currency: str = "GBP"
    sql_type: str = "float8"
    label: ClassVar[str] = "amount of money"
    accepts: ClassVar[str] = (
        "a decimal with optional thousands separators and the currency as a sign or code before or "
        "after it (`£39.99`, `39.99`, `GBP 39.99`, `39.99 GBP`, `£1,299.00`), or pence (`99p`); "
        "another currency is rejected"
    )
    arrow_type: ClassVar[pa.DataType] = pa.float64()

    def read(self, text: pa.Array) -> Parsed:
        parts = pc.extract_regex(
            text,
            rf"(?i)^(?P<before>{_CURRENCY})?\s*(?P<sign>-)?\s*(?P<number>{_NUMBER})\s*"
            rf"(?P<after>{_CURRENCY}|p|pence)?$",
        )
        found = flags(pc.is_valid(parts))
        before = pc.utf8_upper(pc.struct_field(parts, "before"))
        after = pc.utf8_upper(pc.struct_field(parts, "after"))
        number = pc.struct_field(parts, "number")
        currency_before = self._codes(before)
        currency_after = self._codes(after)
        pence = flags(pc.is_in(after, value_set=pa.array(["P", "PENCE"])))
        signs = np.stack([currency_before, np.where(pence, self.currency, currency_after)])
        named = signs != ""
        clash = named.all(axis=0) & (signs[0] != signs[1])
        foreign = named.any(axis=0) & ~clash & ((signs[0] != self.currency) & named[0] | (signs[1] != self.currency) & named[1])
        ok = found & ~clash & ~foreign
        amount = decimal_values(where(ok, number, None))
        amount = pc.if_else(pa.array(pence), pc.divide(amount, 100.0), amount)
        amount = pc.if_else(pa.array(flags(pc.equal(pc.struct_field(parts, "sign"), "-"))), pc.negate(amount), amount)
        reasons = np.where(
            foreign, np.char.add(np.char.add("an amount in ", np.where(named[0], signs[0], signs[1]).astype(str)),
                                 f", not {self.currency}").astype(object),
            np.where(clash, "two different currencies", f"not an amount of money in {self.currency}"),
        )
        plain = matches(text, r"[0-9]+(?:\.[0-9]+)?")
        return Parsed.of(text, amount, reasons, {f"currency sign or code removed, read as {self.currency}": ok & ~plain})

    def _codes(self, written: pa.Array) -> np.ndarray:
        """The currency code each written sign or code stands for ('' where none is written)."""
        text = np.asarray(pc.fill_null(written, "").to_pylist(), dtype=object)
        out = np.full(len(text), "", dtype=object)
        for sign, code in {**_CURRENCY_SIGNS, "UK£": "GBP", "US$": "USD"}.items():
            out[text == sign] = code
        for code in _CURRENCY_CODES:
            out[text == code] = code
        return out


# kg per unit. A litre of product counts as a kilogram (1 ml as 1 g), as the business weighs it.
_KG_PER_UNIT = {
    "kg": 1.0, "kgs": 1.0, "kilo": 1.0, "kilos": 1.0, "kilogram": 1.0, "kilograms": 1.0,
    "kilogramme": 1.0, "kilogrammes": 1.0, "l": 1.0, "lt": 1.0, "ltr": 1.0, "litre": 1.0,
    "litres": 1.0, "liter": 1.0, "liters": 1.0, "lb": 0.45359237, "lbs": 0.45359237,
    "pound": 0.45359237, "pounds": 0.45359237,
}
# Grams per unit of the small units (divided by 1000 at the end, so 400 g is exactly 0.4 kg).
_GRAMS_PER_UNIT = {
    "g": 1.0, "gr": 1.0, "grs": 1.0, "gram": 1.0, "grams": 1.0, "gramme": 1.0, "grammes": 1.0,
    "ml": 1.0, "millilitre": 1.0, "millilitres": 1.0, "milliliter": 1.0, "milliliters": 1.0,
    "mg": 0.001, "milligram": 0.001, "milligrams": 0.001, "milligramme": 0.001, "milligrammes": 0.001,
    "oz": 28.349523125, "ounce": 28.349523125, "ounces": 28.349523125,
}
_UNITS = "|".join(sorted([*_KG_PER_UNIT, *_GRAMS_PER_UNIT], key=len, reverse=True))


@dataclass(frozen=True)
class Weight(Kind):
    """A weight, in kilograms. Units in any case, with or without a space; multipacks are multiplied
    out; punctuation after the unit (`77g .`) is ignored."""

    sql_type: str = "float8"
    label: ClassVar[str] = "weight"
    accepts: ClassVar[str] = (
        f"a number and a unit ({', '.join(['kg', 'g', 'mg', 'l', 'ml', 'oz', 'lb'])}, also spelled out "
        "or plural) in any case, with or without a space; multipacks `N x M unit` with `x`, `X`, `×` or "
        "`*`; punctuation after the unit ignored. 1 l counts as 1 kg"
    )
    arrow_type: ClassVar[pa.DataType] = pa.float64()

    def read(self, text: pa.Array) -> Parsed:
        tidy = pc.utf8_lower(replace(text, r"[^\pL\pN]+$", ""))
        parts = pc.extract_regex(
            tidy,
            rf"^(?:(?P<count>[0-9]+)\s*[x×*]\s*)?(?P<amount>{_NUMBER})\s*(?P<unit>{_UNITS})\.?"
            rf"(?:\s*[x×*]\s*(?P<times>[0-9]+))?$",
        )
        ok = flags(pc.is_valid(parts))
        unit = np.asarray(pc.fill_null(pc.struct_field(parts, "unit"), "").to_pylist(), dtype=object)
        amount = decimal_values(where(ok, pc.struct_field(parts, "amount"), None)).to_numpy(zero_copy_only=False)
        count = np.ones(len(text))
        for field in ("count", "times"):
            given = pc.struct_field(parts, field)
            has = flags(pc.greater(pc.utf8_length(given), 0))
            if has.any():
                count[has] *= pc.cast(pc.filter(given, pa.array(has)), pa.float64()).to_numpy()
        kg_factor = np.array([_KG_PER_UNIT.get(u, np.nan) for u in unit])
        grams = np.array([_GRAMS_PER_UNIT.get(u, np.nan) for u in unit])
        kg = np.where(np.isnan(kg_factor), count * amount * grams / 1000.0, count * amount * kg_factor)
        # Rounded to 12 significant digits: removes the float noise of the ounce and pound conversions
        # (16 oz is 0.45359237 kg) without losing the precision of small weights (1 oz, 0.5 mg).
        values = pa.array(significant(kg), mask=~ok | ~np.isfinite(kg))
        in_kg = matches(text, r"[0-9]+(?:\.[0-9]+)?kg")
        return Parsed.of(text, values, "not a weight with a unit (kg, g, mg, l, ml, oz, lb)",
                         {"converted to kg from another unit or spelling": ok & ~in_kg})


@dataclass(frozen=True)
class Coordinate(Kind):
    """A latitude or longitude in decimal degrees. Reads a degree sign and a hemisphere letter (S and
    W are negative) and a decimal comma; the range is a plausibility check, not a parse. A sign and a
    hemisphere letter together are not guessed: `-0.12 W` may mean west said twice, or east."""

    axis: str = "latitude"
    sql_type: str = "float8"
    label: ClassVar[str] = "coordinate"
    accepts: ClassVar[str] = (
        "decimal degrees with an optional sign or hemisphere letter (`-0.12`, `51.5°N`, `0.12 W`) and "
        "degree sign; a decimal comma. A sign and a hemisphere letter together (`-0.12 W`) are rejected"
    )
    arrow_type: ClassVar[pa.DataType] = pa.float64()

    def read(self, text: pa.Array) -> Parsed:
        hemispheres = "NS" if self.axis == "latitude" else "EW"
        parts = pc.extract_regex(
            text, rf"(?i)^(?P<sign>[-+])?\s*(?P<number>[0-9]+(?:[.,][0-9]+)?)\s*°?\s*(?P<hemisphere>[{hemispheres}])?$"
        )
        signed = flags(pc.greater(pc.utf8_length(pc.struct_field(parts, "sign")), 0))
        lettered = flags(pc.greater(pc.utf8_length(pc.struct_field(parts, "hemisphere")), 0))
        both = signed & lettered
        ok = flags(pc.is_valid(parts)) & ~both
        number = pc.cast(replace(where(ok, pc.struct_field(parts, "number"), None), ",", "."), pa.float64())
        negative = flags(pc.equal(pc.struct_field(parts, "sign"), "-")) | flags(
            pc.is_in(pc.utf8_upper(pc.struct_field(parts, "hemisphere")), value_set=pa.array(["S", "W"]))
        )
        values = pc.if_else(pa.array(negative), pc.negate(number), number)
        values = pc.if_else(pc.is_finite(values), values, pa.scalar(None, pa.float64()))
        plain = matches(text, r"-?[0-9]+(?:\.[0-9]+)?")
        other = "EW" if self.axis == "latitude" else "NS"
        wrong_axis = matches(text, rf"(?i)[-+]?\s*[0-9]+(?:[.,][0-9]+)?\s*°?\s*[{other}]")
        reasons = np.where(
            wrong_axis, f"a hemisphere letter that does not belong to a {self.axis}", f"not a {self.axis} in degrees"
        )
        reasons = np.where(both, "both a sign and a hemisphere letter: which is meant?", reasons)
        return Parsed.of(text, values, reasons, {"degree sign, hemisphere or decimal comma read": ok & ~plain})

    def describe(self) -> str:
        return f"{self.axis} (degrees)"
