"""Kinds of clean columns and the tolerant, vectorised parsers that read them (no Dagster here).

Each kind documents the families of spellings it reads in its `accepts`; the README's cleaning
section lists them all.
"""

from multinational_assets.parsing.calendar import Date, DayOfMonth, ExpiryMonth, Month, Time, Year
from multinational_assets.parsing.kinds import Code, Digits, Email, Kind, Parsed, Text, Uuid
from multinational_assets.parsing.numbers import Coordinate, Count, Money, Weight
from multinational_assets.parsing.vocabulary import Boolean, Vocabulary

__all__ = [
    "Boolean", "Code", "Coordinate", "Count", "Date", "DayOfMonth", "Digits", "Email", "ExpiryMonth",
    "Kind", "Money", "Month", "Parsed", "Text", "Time", "Uuid", "Vocabulary", "Weight", "Year",
]
