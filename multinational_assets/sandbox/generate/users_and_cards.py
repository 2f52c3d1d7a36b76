"""The legacy users (`dim_users`) and their cards (`dim_card_details`, the PDF): drawn together because
card i belongs to user i."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from multinational_assets.sandbox import vocabulary as vocab
from multinational_assets.sandbox.generate.addresses import user_addresses
from multinational_assets.sandbox.generate.columns import CLEAN_COLUMNS, USERS_RAW
from multinational_assets.sandbox.generate.draws import (
    choice,
    digit_strings,
    format_rows,
    iso_dates,
    odd_dates,
    pick,
    random_days,
    shuffled_labels,
    unique_uuid4,
)
from multinational_assets.sandbox.generate.tables import SourceTable, mix_dirty
from multinational_assets.sandbox.pdf import ROWS_PER_PAGE

COUNTRY_NAMES = {"GB": "United Kingdom", "DE": "Germany", "US": "United States"}

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
    for name, (_, length) in _CARD_SPECS.items():
        idx = np.flatnonzero(provider == name)
        if length is None:
            lengths[idx] = shuffled_labels(rng, maestro_lengths).astype(int)
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
    eight = digit_strings(rng, n, 8)
    if country == "GB":
        area = choice(rng, vocab.GB_PHONE_AREAS, n)
        # UK numbers have 11 digits with the leading 0: the local part fills up the rest.
        local = np.array([d[:11 - len(a)] for a, d in zip(area, eight)], dtype=object)
        return format_rows(fmt, (
            lambda a, loc: f"+44(0){a[1:]} {loc}", lambda a, loc: f"({a}){loc}",
            lambda a, loc: f"{a} {loc[:3]} {loc[3:]}", lambda a, loc: f"{a}{loc}",
            lambda a, loc: f"+44(0){a[1:]}{loc}", lambda a, loc: f"{a} {loc}",
        ), area, local)
    if country == "DE":
        area = choice(rng, vocab.DE_PHONE_AREAS, n)
        width = rng.integers(5, 9, n)
        local = np.array([d[:w] for d, w in zip(eight, width)], dtype=object)
        return format_rows(fmt, (
            lambda a, loc: f"+49(0) {a}{loc}", lambda a, loc: f"+49 {a[1:]} {loc}",
            lambda a, loc: f"({a}) {loc}", lambda a, loc: f"{a} {loc}", lambda a, loc: f"{a}/{loc}",
            lambda a, loc: f"+49(0){a[1:]} {loc}",
        ), area, local)
    area = rng.integers(201, 990, n).astype(str).astype(object)
    exchange = rng.integers(200, 1000, n).astype(str).astype(object)
    line = np.char.zfill(rng.integers(0, 10000, n).astype(str), 4).astype(object)
    ext = rng.integers(1, 99999, n).astype(str).astype(object)
    return format_rows(fmt, (
        lambda a, x, y, e: f"001-{a}-{x}-{y}x{e}", lambda a, x, y, e: f"{a}.{x}.{y}x{e[:3]}",
        lambda a, x, y, e: f"({a}){x}-{y}", lambda a, x, y, e: f"{a}-{x}-{y}",
        lambda a, x, y, e: f"+1-{a}-{x}-{y}", lambda a, x, y, e: f"{a}.{x}.{y}",
    ), area, exchange, line, ext)


_FIRST_NAMES = {"GB": vocab.GB_FIRST_NAMES, "DE": vocab.DE_FIRST_NAMES, "US": vocab.US_FIRST_NAMES}
_LAST_NAMES = {"GB": vocab.GB_LAST_NAMES, "DE": vocab.DE_LAST_NAMES, "US": vocab.US_LAST_NAMES}
# Trap values placed on the first rows of a country, so they exist at every scale.
_TRAP_FIRST = {"DE": ("Klaus-D.", "Hans D.")}
_TRAP_LAST = {"GB": ("O'Connor",)}


def make_users_and_cards(rng_users: np.random.Generator, rng_cards: np.random.Generator,
                         plan: dict) -> tuple[SourceTable, SourceTable]:
    up, cp = plan["legacy_users"], plan["card_details"]
    rng = rng_users
    parts = []
    for country, n in up["by_country"].items():
        first = choice(rng, _FIRST_NAMES[country], n)
        last = choice(rng, _LAST_NAMES[country], n)
        for i, v in enumerate(_TRAP_FIRST.get(country, ())[:n]):
            first[i] = v
        for i, v in enumerate(_TRAP_LAST.get(country, ())[:n]):
            last[i] = v
        # Companies and e-mails.
        last2 = choice(rng, _LAST_NAMES[country], n)
        suffix = choice(rng, vocab.COMPANY_SUFFIXES[country], n)
        shape = rng.integers(0, 3, size=n)
        company = np.array([f"{a} {s}" if k == 0 else f"{a}-{b} {s}" if k == 1 else
                            f"{a}, {b} and {s.split()[-1]}" if country == "US" else f"{a} & {b} {s}"
                            for a, b, s, k in zip(last, last2, suffix, shape)], dtype=object)
        domain = choice(rng, vocab.EMAIL_DOMAINS[country], n)
        sep = choice(rng, (".", "_", ""), n)
        num = rng.integers(0, 100, size=n)
        email = np.array([
            f"{a.translate(vocab.ASCII_FOLD).lower()}{s}{b.translate(vocab.ASCII_FOLD).lower()}"
            f"{m if m < 60 else ''}@{d}"
            for a, b, s, m, d in zip(first, last, sep, num, domain)], dtype=object)
        parts.append(pd.DataFrame({
            "first_name": first, "last_name": last, "company": company, "email_address": email,
            "address": user_addresses(rng, country, n), "country": COUNTRY_NAMES[country],
            "country_code": country, "phone_number": _phones(rng, country, n),
        }))
    users = pd.concat(parts, ignore_index=True)
    n = len(users)

    # Birth and join dates: a fixed number of users joined "before they were born" (a trap kept as
    # the source says); everyone else joined at 16 or older.
    flipped = np.zeros(n, bool)
    flipped[pick(rng, n, up["join_before_birth"])] = True
    dob = random_days(rng, "1940-01-01", "2006-12-31", n)
    dob[flipped] = random_days(rng, "1995-01-01", "2006-12-31", int(flipped.sum()))
    last_join = np.datetime64("2022-12-31")
    earliest = np.maximum(dob + np.timedelta64(16 * 365 + 4, "D"), np.datetime64("1992-01-01"))
    span = (last_join - earliest).astype(int) + 1
    join = earliest + (rng.random(n) * span).astype(int).astype("timedelta64[D]")
    before = np.datetime64("1992-01-01") + (
        rng.random(n) * ((dob - np.datetime64("1992-01-01")).astype(int))).astype(int).astype(
        "timedelta64[D]")
    join[flipped] = before[flipped]
    users["date_of_birth"] = iso_dates(dob)
    users["join_date"] = iso_dates(join)
    users["user_uuid"] = unique_uuid4(rng, n)
    clean_users = users[CLEAN_COLUMNS["dim_users"]].copy()

    # Dirt.
    dirt = up["dirt"]
    raw = users.copy()
    uk = np.flatnonzero(raw["country_code"].to_numpy() == "GB")
    raw.loc[uk[pick(rng, len(uk), dirt["country_code_GGB"])], "country_code"] = "GGB"
    at = pick(rng, n, dirt["email_double_at"])
    raw.loc[at, "email_address"] = raw.loc[at, "email_address"].str.replace("@", "@@", regex=False)
    for column, key, days in (("date_of_birth", "odd_date_of_birth", dob),
                              ("join_date", "odd_join_date", join)):
        odd = pick(rng, n, dirt[key])
        raw.loc[odd, column] = odd_dates(rng, days[odd])
    text_cols = USERS_RAW[1:]
    mixed, dirty = mix_dirty(rng, raw[text_cols], [], up["null"], up["garbage"])
    mixed.insert(0, "index", rng.permutation(len(mixed)))  # row labels, not in physical order
    quarantine = mixed[dirty].sort_values("index").reset_index(drop=True)
    users_table = SourceTable(clean=clean_users, raw=mixed, quarantine=quarantine,
                              extra={"dirty": dirty, "quarantine_order": "index"})

    # Cards: one per user, in user order (so card i belongs to user i).
    rng = rng_cards
    provider = shuffled_labels(rng, cp["by_provider"])
    number = _card_numbers(rng, provider, cp["maestro_lengths"])
    expiry = np.array([f"{m:02d}/{y:02d}" for m, y in zip(rng.integers(1, 13, n),
                                                           rng.integers(22, 33, n))], dtype=object)
    confirmed = random_days(rng, "1992-01-01", "2022-12-31", n)
    clean_cards = pd.DataFrame({"card_number": number, "expiry_date": expiry,
                                "card_provider": provider,
                                "date_payment_confirmed": iso_dates(confirmed)})
    raw_number = number.copy()
    q = pick(rng, n, cp["dirt"]["question_prefix"])
    raw_number[q] = ["?" * int(k) + v for k, v in zip(rng.integers(1, 5, len(q)), number[q])]
    confirmed_text = iso_dates(confirmed)
    odd = pick(rng, n, cp["dirt"]["odd_date_payment_confirmed"])
    confirmed_text[odd] = odd_dates(rng, confirmed[odd])
    raw_cards = pd.DataFrame({"card_number": raw_number, "expiry_date": expiry,
                              "card_provider": provider, "date_payment_confirmed": confirmed_text})
    mixed, dirty = mix_dirty(rng, raw_cards, [], cp["null"], cp["garbage"])
    mixed.insert(0, "page", np.arange(len(mixed)) // ROWS_PER_PAGE + 1)
    cards_table = SourceTable(clean=clean_cards, raw=mixed,
                              quarantine=mixed[dirty].reset_index(drop=True),
                              extra={"dirty": dirty})
    return users_table, cards_table
