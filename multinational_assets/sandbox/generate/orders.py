"""The orders table (`orders_table`): the sales, each naming a date, a user and their card, a store and
a product, so that every valid row of every other table is referenced."""

from __future__ import annotations

import numpy as np
import pandas as pd

from multinational_assets.sandbox.generate.draws import pick
from multinational_assets.sandbox.generate.tables import SourceTable

# How much each physical store type sells, relatively; the decoy draws its store types from here too.
STORE_TYPE_WEIGHT = {"Super Store": 3.0, "Local": 1.5, "Outlet": 1.0, "Mall Kiosk": 0.6}


def _every_then_random(rng: np.random.Generator, n_items: int, n: int,
                       p: np.ndarray | None = None) -> np.ndarray:
    """`n` draws from range(n_items) holding every item at least once (in random order)."""
    if n < n_items:
        raise ValueError("more items than draws")
    draws = np.r_[np.arange(n_items), rng.choice(n_items, size=n - n_items, p=p)]
    return draws[rng.permutation(n)]


def make_orders(rng: np.random.Generator, plan: dict, users: SourceTable, cards: SourceTable,
                stores: SourceTable, products: SourceTable, dates: SourceTable) -> SourceTable:
    op = plan["orders_table"]
    n = op["valid"]
    u, c = users.clean, cards.clean
    user_idx = _every_then_random(rng, len(u), n)  # card i belongs to user i
    physical = stores.clean.iloc[1:]  # row 0 is the web store
    weight = physical["store_type"].map(STORE_TYPE_WEIGHT).to_numpy()
    n_web = op["web"]
    store_pos = np.r_[np.zeros(n_web, dtype=int),
                      1 + _every_then_random(rng, len(physical), n - n_web, weight / weight.sum())]
    store_pos = store_pos[rng.permutation(n)]
    product_idx = _every_then_random(rng, len(products.clean), n)
    quantity = rng.integers(1, 16, size=n)
    date_uuid = dates.clean["date_uuid"].to_numpy()[rng.permutation(n)]

    clean = pd.DataFrame({
        "date_uuid": date_uuid,
        "user_uuid": u["user_uuid"].to_numpy()[user_idx],
        "card_number": c["card_number"].to_numpy()[user_idx],
        "store_code": stores.clean["store_code"].to_numpy()[store_pos],
        "product_code": products.clean["product_code"].to_numpy()[product_idx],
        "product_quantity": quantity,
    })
    first = np.full(n, None, dtype=object)
    last = np.full(n, None, dtype=object)
    named = pick(rng, n, op["named"])
    first[named] = u["first_name"].to_numpy()[user_idx[named]]
    last[named] = u["last_name"].to_numpy()[user_idx[named]]
    raw = pd.DataFrame({
        "level_0": np.arange(n), "index": rng.permutation(n), "date_uuid": clean["date_uuid"],
        "first_name": first, "last_name": last, "user_uuid": clean["user_uuid"],
        "card_number": clean["card_number"], "store_code": clean["store_code"],
        "product_code": clean["product_code"], "1": np.full(n, None, dtype=object),
        "product_quantity": quantity,
    })
    return SourceTable(clean=clean, raw=raw, quarantine=raw.iloc[:0],
                       extra={"dirty": np.zeros(n, dtype=bool)})
