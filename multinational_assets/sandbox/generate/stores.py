"""The stores API's stores (`dim_store_details`): one web store, physical stores around their
localities, and the source's dirt (stray letters in staff numbers, odd dates, `ee` continents,
swapped coordinates)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from multinational_assets.sandbox import vocabulary as vocab
from multinational_assets.sandbox.generate.addresses import store_addresses
from multinational_assets.sandbox.generate.counts import MIN_SCALE
from multinational_assets.sandbox.generate.draws import (
    iso_dates,
    odd_dates,
    pick,
    random_days,
    shuffled_labels,
)
from multinational_assets.sandbox.generate.tables import SourceTable, mix_dirty

WEB_STORE_TYPE = "Web Portal"

_HEX_UPPER = np.array(list("0123456789ABCDEF"))


def make_stores(rng: np.random.Generator, plan: dict) -> SourceTable:
    sp = plan["store_details"]
    top_counts = sp["top_localities"]
    cap = max(1, min(top_counts) - 1)  # the 8th locality must have strictly fewer stores

    localities, countries = [], []
    for country, total in sp["physical_by_country"].items():
        tops = [(name, n) for (name, c), n in zip(vocab.TOP_LOCALITIES, top_counts) if c == country]
        rest = total - sum(n for _, n in tops)
        if rest < 0:
            raise ValueError(f"scale too small: {country} has {total} stores, fewer than its top "
                             f"localities need (minimum scale {MIN_SCALE})")
        names = list(vocab.OTHER_LOCALITIES[country])
        k = 0
        if rest:
            lo = math.ceil(rest / cap)
            k = min(max(math.ceil(rest / ((1 + cap) / 2)), lo), rest, len(names))
            if k < lo:
                raise ValueError(f"not enough {country} locality names for scale")
        chosen = [names[i] for i in rng.permutation(len(names))[:k]]
        sizes = np.ones(k, dtype=int)
        for _ in range(rest - k):  # hand the remaining stores out, never above the cap
            open_ = np.flatnonzero(sizes < cap)
            sizes[open_[rng.integers(0, len(open_))]] += 1
        for name, n in [*tops, *zip(chosen, sizes.tolist())]:
            localities += [name] * n
            countries += [country] * n

    n = len(localities)
    order = rng.permutation(n)
    locality = np.asarray(localities, dtype=object)[order]
    country = np.asarray(countries, dtype=object)[order]
    store_type = shuffled_labels(rng, sp["physical_by_type"])

    # Coordinates: one centre per locality, stores scattered around it.
    unique_loc, loc_idx = np.unique(locality.astype(str), return_inverse=True)
    loc_country = {name: c for name, c in zip(locality, country)}
    centre = np.empty((len(unique_loc), 2))
    for i, name in enumerate(unique_loc):
        lat0, lat1, lon0, lon1 = vocab.COUNTRY_BOXES[loc_country[name]]
        centre[i] = rng.uniform(lat0, lat1), rng.uniform(lon0, lon1)
    lat = centre[loc_idx, 0] + rng.normal(0, 0.03, n)
    lon = centre[loc_idx, 1] + rng.normal(0, 0.03, n)
    lat_text = np.array([f"{v:.5f}" for v in lat], dtype=object)
    lon_text = np.array([f"{v:.5f}" for v in lon], dtype=object)

    # Store codes: locality prefix + 8 hex digits, unique (web store code has another shape).
    def hex8(k):
        return _HEX_UPPER[rng.integers(0, 16, size=(k, 8))].view("<U8").ravel().astype(object)

    codes = np.array([loc[:2].upper() + "-" for loc in locality], dtype=object) + hex8(n)
    while (dup := pd.Series(codes).duplicated().to_numpy()).any():
        codes[dup] = np.array([loc[:2].upper() + "-" for loc in locality[dup]], dtype=object) \
            + hex8(int(dup.sum()))

    address = store_addresses(rng, locality, country)
    staff_range = {"Local": (8, 70), "Super Store": (60, 140), "Mall Kiosk": (3, 25),
                   "Outlet": (10, 45)}
    staff = np.array([rng.integers(*staff_range[t]) for t in store_type], dtype=int)
    opening = random_days(rng, "1990-01-01", "2022-12-31", n)
    continent = np.array([vocab.CONTINENTS[c] for c in country], dtype=object)

    web_code = f"WEB-{rng.integers(1_000_000, 10_000_000)}W"
    web_staff = int(rng.integers(250, 400))
    web_opening = random_days(rng, "1990-01-01", "2022-12-31", 1)

    clean = pd.DataFrame({
        "store_code": np.r_[[web_code], codes],
        "store_type": np.r_[[WEB_STORE_TYPE], store_type],
        "address": np.r_[[None], address],
        "locality": np.r_[[None], locality],
        "longitude": np.r_[[np.nan], lon_text.astype(float)],
        "latitude": np.r_[[np.nan], lat_text.astype(float)],
        "staff_numbers": np.r_[[web_staff], staff],
        "opening_date": np.r_[iso_dates(web_opening), iso_dates(opening)],
        "country_code": np.r_[["GB"], country],
        "continent": np.r_[["Europe"], continent],
    })

    # Dirty the physical stores (the web store is left as the source describes it).
    dirt = sp["dirt"]
    staff_text = np.array([str(v) for v in staff], dtype=object)
    for i in pick(rng, n, dirt["staff_letter"]):
        pos = int(rng.integers(0, len(staff_text[i]) + 1))
        letter = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"[rng.integers(0, 52)]
        staff_text[i] = staff_text[i][:pos] + letter + staff_text[i][pos:]
    opening_text = iso_dates(opening)
    odd = pick(rng, n, dirt["odd_opening_date"])
    opening_text[odd] = odd_dates(rng, opening[odd])
    continent_text = continent.copy()
    ee = pick(rng, n, dirt["continent_ee"])
    continent_text[ee] = "ee" + continent_text[ee]

    physical_raw = pd.DataFrame({
        "address": address,
        "longitude": lat_text,  # swapped in the source: `longitude` holds the latitude
        "lat": np.full(n, None, dtype=object),
        "locality": locality,
        "store_code": codes,
        "staff_numbers": staff_text,
        "opening_date": opening_text,
        "store_type": store_type,
        "latitude": lon_text,  # ... and `latitude` the longitude
        "country_code": country,
        "continent": continent_text,
    })
    mixed, dirty = mix_dirty(rng, physical_raw, [], sp["null"], sp["garbage"])
    web_raw = pd.DataFrame([{
        "address": "N/A", "longitude": "N/A", "lat": "N/A", "locality": "N/A",
        "store_code": web_code, "staff_numbers": str(web_staff),
        "opening_date": str(iso_dates(web_opening)[0]), "store_type": WEB_STORE_TYPE, "latitude": None,
        "country_code": "GB", "continent": "Europe",
    }])
    raw = pd.concat([web_raw, mixed], ignore_index=True)
    raw.insert(0, "index", np.arange(len(raw)))
    dirty = np.r_[[False], dirty]
    return SourceTable(clean=clean, raw=raw, quarantine=raw[dirty].reset_index(drop=True),
                       extra={"dirty": dirty})
