"""Multi-line addresses in each country's usual shape, for stores (naming their locality) and users."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from multinational_assets.sandbox import vocabulary as vocab
from multinational_assets.sandbox.generate.draws import choice, format_rows


def _gb_postcodes(rng: np.random.Generator, n: int) -> np.ndarray:
    letters = np.array(list("ABDEFGHJLNPQRSTUWXYZ"), dtype=object)
    area = choice(rng, vocab.GB_POSTCODE_AREAS, n)
    district = rng.integers(1, 30, n).astype(str).astype(object)
    sector = rng.integers(0, 10, n).astype(str).astype(object)
    unit = letters[rng.integers(0, len(letters), n)] + letters[rng.integers(0, len(letters), n)]
    return area + district + " " + sector + unit


def _de_streets(rng: np.random.Generator, n: int) -> np.ndarray:
    stem = choice(rng, vocab.DE_STREET_STEMS, n)
    suffix = choice(rng, vocab.DE_STREET_SUFFIXES, n)
    return np.array([a if a.startswith("Am ") else a + b for a, b in zip(stem, suffix)],
                    dtype=object)


def _street_words(rng: np.random.Generator, words: Sequence[str], suffixes: Sequence[str],
                  n: int) -> np.ndarray:
    return choice(rng, words, n) + " " + choice(rng, suffixes, n)


def store_addresses(rng: np.random.Generator, locality: np.ndarray,
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
    return format_rows(kind, (
        lambda nu, loc, gs, pc, ds, pl, us, st, z: f"{nu} {gs}\n{loc}\n{pc}",
        lambda nu, loc, gs, pc, ds, pl, us, st, z: f"{ds} {nu}\n{pl} {loc}",
        lambda nu, loc, gs, pc, ds, pl, us, st, z: f"{nu} {us}\n{loc}, {st} {z}",
    ), num, locality, gb_street, postcode, de_street, plz, us_street, state, zip5)


def user_addresses(rng: np.random.Generator, country: str, n: int) -> np.ndarray:
    """Multi-line addresses in the country's usual shape."""
    num = rng.integers(1, 300, n).astype(str).astype(object)
    if country == "GB":
        street = _street_words(rng, vocab.GB_STREET_WORDS, vocab.GB_STREET_SUFFIXES, n)
        flat = choice(rng, vocab.GB_FLAT_PREFIXES, n) + " " + \
            rng.integers(1, 90, n).astype(str).astype(object)
        town = choice(rng, vocab.GB_TOWNS, n)
        postcode = _gb_postcodes(rng, n)
        kind = (rng.random(n) < 0.3).astype(int)
        return format_rows(kind, (
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
        return format_rows(kind, (
            lambda nu, st, ex, pl, ci: f"{st} {nu}\n{pl} {ci}",
            lambda nu, st, ex, pl, ci: f"{st} {nu}{ex}\n{pl} {ci}",
        ), num, street, extra, plz, city)
    street = _street_words(rng, vocab.US_STREET_NAMES, vocab.US_STREET_SUFFIXES, n)
    unit = choice(rng, vocab.US_UNITS, n) + " " + rng.integers(1, 999, n).astype(str).astype(object)
    city_idx = rng.integers(0, len(vocab.US_CITIES), n)
    city = np.array([c for c, _ in vocab.US_CITIES], dtype=object)[city_idx]
    state = np.array([s for _, s in vocab.US_CITIES], dtype=object)[city_idx]
    zip5 = np.char.zfill(rng.integers(10000, 99951, n).astype(str), 5).astype(object)
    kind = (rng.random(n) < 0.3).astype(int)
    return format_rows(kind, (
        lambda nu, st, un, ci, sa, z: f"{nu} {st}\n{ci}, {sa} {z}",
        lambda nu, st, un, ci, sa, z: f"{nu} {st} {un}\n{ci}, {sa} {z}",
    ), num, street, unit, city, state, zip5)
