"""The products CSV (`dim_products`): names, prices, weights in the source's many forms, EANs, codes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from multinational_assets.sandbox import vocabulary as vocab
from multinational_assets.sandbox.generate.counts import SCALE1, scaled
from multinational_assets.sandbox.generate.draws import (
    choice,
    digit_strings,
    iso_dates,
    odd_dates,
    pick,
    random_days,
    shuffled_labels,
    unique_uuid4,
)
from multinational_assets.sandbox.generate.tables import SourceTable, mix_dirty


def make_products(rng: np.random.Generator, plan: dict) -> SourceTable:
    pp = plan["products"]
    n = pp["valid"]
    category = shuffled_labels(rng, pp["by_category"])
    form = shuffled_labels(rng, pp["by_weight_form"])
    removed = shuffled_labels(rng, pp["by_removed"])

    # Names: brand + item + variant of the category; some with a comma (CSV quoting), and some
    # names deliberately shared by several product codes.
    names = np.empty(n, dtype=object)
    for cat in pp["by_category"]:
        idx = np.flatnonzero(category == cat)
        brands, items, variants = vocab.PRODUCT_WORDS[cat]
        b, it, v = (choice(rng, w, len(idx)) for w in (brands, items, variants))
        comma = rng.random(len(idx)) < 0.15
        names[idx] = [f"{x} {y}, {z}" if c else f"{x} {y} {z}"
                      for x, y, z, c in zip(b, it, v, comma)]
    for i in pick(rng, n, min(scaled(SCALE1["products"]["duplicate_names"], plan["scale"]), n)):
        same = np.flatnonzero(category == category[i])
        names[i] = names[same[rng.integers(0, len(same))]]

    # Prices in pence, log-uniform within a range per category.
    price_range = {"homeware": (300, 90000), "toys-and-games": (300, 20000),
                   "food-and-drink": (50, 1500), "pets": (200, 8000),
                   "sports-and-leisure": (500, 60000), "health-and-beauty": (100, 6000),
                   "diy": (500, 30000)}
    lo = np.array([price_range[c][0] for c in category], dtype=float)
    hi = np.array([price_range[c][1] for c in category], dtype=float)
    pence = np.exp(rng.uniform(np.log(lo), np.log(hi))).round().astype(np.int64)
    price_text = np.array([f"£{p // 100}.{p % 100:02d}" for p in pence], dtype=object)

    weight_text, weight_kg = _weights(rng, form, pp)

    ean_lengths = np.array([10, 11, 12, 13, 14, 15, 16, 17])
    lengths = rng.choice(ean_lengths, size=n, p=[.02, .02, .10, .78, .03, .02, .02, .01])
    lengths[rng.permutation(n)[:min(n, 8)]] = ean_lengths[:min(n, 8)]  # every length present
    ean = np.empty(n, dtype=object)
    for length in ean_lengths:
        idx = np.flatnonzero(lengths == length)
        first = rng.integers(1, 10, size=len(idx)).astype(str).astype(object)
        ean[idx] = first + digit_strings(rng, len(idx), int(length) - 1)

    added = random_days(rng, "2017-01-01", "2023-12-31", n)
    added_text = iso_dates(added)
    odd = pick(rng, n, pp["dirt"]["odd_date_added"])
    added_text[odd] = odd_dates(rng, added[odd])
    uuid = unique_uuid4(rng, n)

    def codes(k):
        letters = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), dtype=object)
        lower = np.array(list("abcdefghijklmnopqrstuvwxyz"), dtype=object)
        return (letters[rng.integers(0, 26, k)] + rng.integers(0, 10, k).astype(str).astype(object)
                + "-" + rng.integers(1, 10, k).astype(str).astype(object) + digit_strings(rng, k, 6)
                + lower[rng.integers(0, 26, k)])

    code = codes(n)
    while (dup := pd.Series(code).duplicated().to_numpy()).any():
        code[dup] = codes(int(dup.sum()))

    clean = pd.DataFrame({
        "product_code": code, "product_name": names, "product_price": pence / 100,
        "weight": weight_kg, "category": category, "ean": ean, "date_added": iso_dates(added),
        "uuid": uuid, "still_available": removed == "Still_avaliable",
    })
    valid_raw = pd.DataFrame({
        "product_name": names, "product_price": price_text, "weight": weight_text,
        "category": category, "EAN": ean, "date_added": added_text, "uuid": uuid,
        "removed": removed, "product_code": code,
    })
    raw, dirty = mix_dirty(rng, valid_raw, [], pp["null"], pp["garbage"])
    raw.insert(0, "row_label", np.arange(len(raw)))
    return SourceTable(clean=clean, raw=raw, quarantine=raw[dirty].reset_index(drop=True),
                       extra={"dirty": dirty})


def _weights(rng: np.random.Generator, form: np.ndarray, pp: dict) -> tuple[np.ndarray, np.ndarray]:
    """Source text and truth (kg) of each product's weight, by weight form."""
    n = len(form)
    text = np.empty(n, dtype=object)
    kg = np.empty(n, dtype=float)

    idx = np.flatnonzero(form == "kg_decimal")
    hundredths = rng.integers(10, 2500, size=len(idx))
    hundredths[hundredths % 100 == 0] += 7  # keep them decimal
    t = [f"{h // 100}.{h % 100:02d}".rstrip("0") for h in hundredths]
    text[idx] = [f"{x}kg" for x in t]
    kg[idx] = [float(x) for x in t]

    idx = np.flatnonzero(form == "g_whole")
    grams = rng.integers(5, 1000, size=len(idx))
    text[idx] = [f"{g}g" for g in grams]
    kg[idx] = grams / 1000

    idx = np.flatnonzero(form == "kg_whole")
    whole = rng.integers(1, 31, size=len(idx))
    k1160, k2 = min(pp["kg_1160"], len(idx)), min(pp["kg_2"], len(idx))
    whole[:k1160] = 1160  # `form` is already shuffled, so the first ones are random products
    whole[k1160:k1160 + k2] = 2
    text[idx] = [f"{w}kg" for w in whole]
    kg[idx] = whole.astype(float)

    idx = np.flatnonzero(form == "multipack")
    count = rng.choice([2, 3, 4, 6, 8, 10, 12, 16, 24], size=len(idx))
    each = rng.choice([25, 40, 50, 75, 80, 100, 125, 150, 200, 250, 330, 400], size=len(idx))
    text[idx] = [f"{c} x {e}g" for c, e in zip(count, each)]
    kg[idx] = count * each / 1000

    idx = np.flatnonzero(form == "g_decimal")
    tenths = rng.integers(5, 1000, size=len(idx))
    tenths[tenths % 10 == 0] += 3
    t = [f"{x // 10}.{x % 10}" for x in tenths]
    text[idx] = [f"{x}g" for x in t]
    kg[idx] = [float(x) / 1000 for x in t]

    idx = np.flatnonzero(form == "ml")
    ml = rng.integers(2, 41, size=len(idx)) * 50
    text[idx] = [f"{m}ml" for m in ml]
    kg[idx] = ml / 1000  # 1 ml counts as 1 g

    idx = np.flatnonzero(form == "g_dot")
    text[idx] = "77g ."
    kg[idx] = 77 / 1000

    idx = np.flatnonzero(form == "oz")
    text[idx] = "16oz"
    kg[idx] = 16 * 28.349523125 / 1000
    return text, kg
