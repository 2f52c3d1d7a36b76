"""The decoy `legacy_store_details`: an old copy of the store data that nothing should read."""

from __future__ import annotations

import numpy as np
import pandas as pd

from multinational_assets.sandbox.generate.counts import SCALE1, scaled
from multinational_assets.sandbox.generate.draws import choice, iso_dates, pick, random_days
from multinational_assets.sandbox.generate.orders import STORE_TYPE_WEIGHT
from multinational_assets.sandbox.generate.tables import SourceTable


def make_decoy(rng: np.random.Generator, plan: dict, stores: SourceTable) -> pd.DataFrame:
    """`legacy_store_details`: an old copy of the store data that nothing should read.

    Most physical stores as they were years ago (other staff numbers, some other types, coordinates
    not swapped, no web store) plus stores closed since, with codes the API does not know.
    """
    physical = stores.clean.iloc[1:].reset_index(drop=True)
    keep = pick(rng, len(physical), int(round(len(physical) * SCALE1["decoy"]["kept_share"])))
    old = physical.iloc[keep].copy()
    old["staff_numbers"] = np.maximum(1, (old["staff_numbers"] * rng.uniform(0.5, 1.2, len(old)))
                                      .round().astype(int))
    retype = rng.random(len(old)) < 0.1
    old.loc[retype, "store_type"] = choice(rng, list(STORE_TYPE_WEIGHT), int(retype.sum()))
    k = scaled(SCALE1["decoy"]["closed"], plan["scale"])
    closed = physical.iloc[rng.integers(0, len(physical), k)].copy()
    closed["store_code"] = [f"{code[:3]}{v:08X}" for code, v in
                            zip(closed["store_code"], rng.integers(0, 2**32, k))]
    closed["staff_numbers"] = rng.integers(3, 60, k)
    closed["opening_date"] = iso_dates(random_days(rng, "1985-01-01", "2005-12-31", k))
    decoy = pd.concat([old, closed], ignore_index=True)
    decoy = decoy.iloc[rng.permutation(len(decoy))].reset_index(drop=True)
    return pd.DataFrame({
        "index": np.arange(len(decoy)), "address": decoy["address"],
        "longitude": [f"{v:.5f}" for v in decoy["longitude"]], "lat": None,
        "locality": decoy["locality"], "store_code": decoy["store_code"],
        "staff_numbers": decoy["staff_numbers"].astype(str), "opening_date": decoy["opening_date"],
        "store_type": decoy["store_type"], "latitude": [f"{v:.5f}" for v in decoy["latitude"]],
        "country_code": decoy["country_code"], "continent": decoy["continent"],
    })
