"""Which family of spellings respells which column of each of the six sources, and `respell`, which
rewrites the sources' dialect-0 raw rows in a dialect, row for row."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from multinational_assets.sandbox.dialects.amounts import MONEY, coordinates, staff, weights
from multinational_assets.sandbox.dialects.dates import COUNT, DAY_MONTH, TIME, dates
from multinational_assets.sandbox.dialects.forms import (
    address,
    free_text,
    junk_strings,
    missing_tokens,
    padded,
    spell_by_forms,
)
from multinational_assets.sandbox.dialects.identifiers import EXPIRY, card_numbers, codes, emails, uuids
from multinational_assets.sandbox.dialects.spellings import DIALECTS, SPELLINGS
from multinational_assets.sandbox.dialects.vocabularies import continents, country_codes, removed, vocab

SOURCES = ("users", "orders", "cards", "stores", "products", "dates")

VALID, NULL, GARBAGE = 0, 1, 2


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
            values[null] = padded(missing_tokens(rng, len(null), tokens), rng, cfg)
        if len(garbage):
            values[garbage] = junk_strings(rng, len(garbage), cfg)
        out[column] = values


def _respell_columns(out: pd.DataFrame, rows: np.ndarray,
                     spellers: Mapping[str, Callable[[np.ndarray], np.ndarray]]) -> None:
    for column, speller in spellers.items():
        values = out[column].to_numpy(dtype=object).copy()
        values[rows] = speller(values[rows])
        out[column] = values


def _valid_rows_respelled(raw: pd.DataFrame, kinds: np.ndarray, rng: np.random.Generator, cfg: dict,
                          spellers: Mapping[str, Callable[[np.ndarray], np.ndarray]]) -> pd.DataFrame:
    """The common case: valid rows respelled column by column, then the NULL and garbage rows
    rewritten in the dialect's tokens."""
    out = raw.copy()
    _respell_columns(out, np.flatnonzero(kinds == VALID), spellers)
    _dirty_rows(out, kinds, list(raw.columns[1:]), rng, cfg)
    return out


def _users(raw: pd.DataFrame, kinds: np.ndarray, rng: np.random.Generator, cfg: dict) -> pd.DataFrame:
    return _valid_rows_respelled(raw, kinds, rng, cfg, {
        "first_name": lambda v: free_text(v, rng, cfg),
        "last_name": lambda v: free_text(v, rng, cfg),
        "date_of_birth": lambda v: dates(v, rng, cfg),
        "company": lambda v: free_text(v, rng, cfg),
        "email_address": lambda v: emails(v, rng, cfg),
        "address": lambda v: address(v, rng, cfg),
        "country": lambda v: vocab(v, rng, cfg["country"], cfg, cfg["country_syn"]),
        "country_code": lambda v: country_codes(v, rng, cfg),
        "phone_number": lambda v: padded(v, rng, cfg),
        "join_date": lambda v: dates(v, rng, cfg),
        "user_uuid": lambda v: uuids(v, rng, cfg),
    })


def _orders(raw: pd.DataFrame, kinds: np.ndarray, rng: np.random.Generator, cfg: dict) -> pd.DataFrame:
    out = raw.copy()
    _respell_columns(out, np.arange(len(raw)), {
        "date_uuid": lambda v: uuids(v, rng, cfg),
        "user_uuid": lambda v: uuids(v, rng, cfg),
        "store_code": lambda v: codes(v, rng, cfg, cfg["store_code_lower"], cfg["store_code_pad"]),
        "product_code": lambda v: codes(v, rng, cfg, 0.0, cfg["code_pad"]),
    })
    named = np.flatnonzero(raw["first_name"].notna().to_numpy())
    _respell_columns(out, named, {
        "first_name": lambda v: free_text(v, rng, cfg),
        "last_name": lambda v: free_text(v, rng, cfg),
    })
    return out


def _cards(raw: pd.DataFrame, kinds: np.ndarray, rng: np.random.Generator, cfg: dict) -> pd.DataFrame:
    """The PDF: printable ASCII only, no padding (a PDF cell shows none), no null."""
    out = raw.copy()
    text = list(raw.columns[1:])
    valid = np.flatnonzero(kinds == VALID)
    no_pad = {**cfg, "pad_share": 0.0}
    _respell_columns(out, valid, {
        "card_number": lambda v: card_numbers(v, rng, cfg),
        "expiry_date": lambda v: spell_by_forms(v, rng, cfg["expiry"], EXPIRY),
        "card_provider": lambda v: vocab(v, rng, cfg["card_provider"], no_pad),
        "date_payment_confirmed": lambda v: dates(v, rng, cfg, pad=False),
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
        "address": lambda v: address(v, rng, cfg),
        "longitude": lambda v: coordinates(v, rng, cfg),
        "lat": lambda v: _lat(v, rng, cfg),
        "locality": lambda v: free_text(v, rng, cfg),
        "latitude": lambda v: coordinates(v, rng, cfg),
    })
    both = np.flatnonzero(valid)
    _respell_columns(out, both, {
        "store_code": lambda v: codes(v, rng, cfg, cfg["store_code_lower"], cfg["store_code_pad"]),
        "staff_numbers": lambda v: staff(v, rng, cfg),
        "opening_date": lambda v: dates(v, rng, cfg),
        "store_type": lambda v: vocab(v, rng, cfg["store_type"], cfg),
        "country_code": lambda v: country_codes(v, rng, cfg),
        "continent": lambda v: continents(v, rng, cfg),
    })
    # The web store's location fields (`N/A`, and null `latitude`) in the dialect's missing tokens.
    for column in ("address", "longitude", "lat", "locality", "latitude"):
        out.at[0, column] = missing_tokens(rng, 1, cfg["missing"])[0]
    _dirty_rows(out, kinds, text, rng, cfg)
    return out


def _lat(values: np.ndarray, rng: np.random.Generator, cfg: dict) -> np.ndarray:
    """`lat` is null on physical stores: a share of them spelled as a missing token."""
    out = values.copy()
    chosen = np.flatnonzero(rng.random(len(values)) < cfg["lat_missing"])
    out[chosen] = missing_tokens(rng, len(chosen), cfg["missing"])
    return out


def _products(raw: pd.DataFrame, kinds: np.ndarray, rng: np.random.Generator,
              cfg: dict) -> pd.DataFrame:
    return _valid_rows_respelled(raw, kinds, rng, cfg, {
        "product_name": lambda v: free_text(v, rng, cfg),
        "product_price": lambda v: padded(spell_by_forms(v, rng, cfg["money"], MONEY), rng, cfg),
        "weight": lambda v: weights(v, rng, cfg),
        "category": lambda v: vocab(v, rng, cfg["category"], cfg),
        "EAN": lambda v: padded(v, rng, cfg),
        "date_added": lambda v: dates(v, rng, cfg),
        "uuid": lambda v: uuids(v, rng, cfg),
        "removed": lambda v: removed(v, rng, cfg),
        "product_code": lambda v: codes(v, rng, cfg, 0.0, cfg["code_pad"]),
    })


def _dates_source(raw: pd.DataFrame, kinds: np.ndarray, rng: np.random.Generator,
                  cfg: dict) -> pd.DataFrame:
    return _valid_rows_respelled(raw, kinds, rng, cfg, {
        "timestamp": lambda v: padded(spell_by_forms(v, rng, cfg["time"], TIME), rng, cfg),
        "month": lambda v: padded(spell_by_forms(v, rng, cfg["month"], DAY_MONTH), rng, cfg),
        "year": lambda v: padded(spell_by_forms(v, rng, cfg["year"], COUNT), rng, cfg),
        "day": lambda v: padded(spell_by_forms(v, rng, cfg["day"], DAY_MONTH), rng, cfg),
        "time_period": lambda v: vocab(v, rng, cfg["time_period"], cfg),
        "date_uuid": lambda v: uuids(v, rng, cfg),
    })


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
    cfg = SPELLINGS[dialect]
    streams = dict(zip(SOURCES, np.random.default_rng([seed, dialect]).spawn(len(SOURCES))))
    out = {}
    for source in SOURCES:
        raw = raws[source]
        text = list(raw.columns[_LABEL_COLUMNS[source]:])
        kinds = _row_kinds(raw, text, dirty[source]) if source != "orders" else \
            np.zeros(len(raw), dtype=np.int8)
        out[source] = _SOURCE_SPELLERS[source](raw, kinds, streams[source], cfg)
    return out
