"""The date details JSON (`dim_date_times`): one moment per sale, its parts and its part of the day."""

from __future__ import annotations

import numpy as np
import pandas as pd

from multinational_assets.sandbox.generate.draws import unique_uuid4
from multinational_assets.sandbox.generate.tables import SourceTable, mix_dirty

_PERIOD_OF_HOUR = np.array(["Late_Hours"] * 5 + ["Morning"] * 6 + ["Midday"] * 6
                           + ["Evening"] * 5 + ["Late_Hours"] * 2, dtype=object)


def make_dates(rng: np.random.Generator, plan: dict) -> SourceTable:
    dp = plan["date_details"]
    n = dp["valid"]
    start = np.datetime64("1992-01-01T00:00:00", "s")
    span = int((np.datetime64("2023-01-01T00:00:00", "s") - start).astype(int))
    # Distinct seconds, so "the sale before" is always well defined.
    secs = rng.integers(0, span, size=n)
    while (dup := pd.Series(secs).duplicated().to_numpy()).any():
        secs[dup] = rng.integers(0, span, size=int(dup.sum()))
    moments = start + secs.astype("timedelta64[s]")
    days = moments.astype("datetime64[D]")
    years = days.astype("datetime64[Y]").astype(int) + 1970
    months = days.astype("datetime64[M]").astype(int) % 12 + 1
    dom = (days - days.astype("datetime64[M]")).astype(int) + 1
    sod = (moments - days).astype(int)
    hour, minute, second = sod // 3600, sod % 3600 // 60, sod % 60
    chars = np.full((n, 8), ord(":"), dtype=np.uint8)
    for pos, part in ((0, hour), (3, minute), (6, second)):
        chars[:, pos] = 48 + part // 10
        chars[:, pos + 1] = 48 + part % 10
    stamp = chars.view("S8").ravel().astype("U8").astype(object)
    period = _PERIOD_OF_HOUR[hour]
    uuid = unique_uuid4(rng, n)
    clean = pd.DataFrame({"date_uuid": uuid, "timestamp": stamp, "month": months, "year": years,
                          "day": dom, "time_period": period})
    valid_raw = pd.DataFrame({"timestamp": stamp, "month": months.astype(str).astype(object),
                              "year": years.astype(str).astype(object),
                              "day": dom.astype(str).astype(object), "time_period": period,
                              "date_uuid": uuid})
    raw, dirty = mix_dirty(rng, valid_raw, [], dp["null"], dp["garbage"])
    raw.insert(0, "row_label", np.arange(len(raw)))
    return SourceTable(clean=clean, raw=raw, quarantine=raw[dirty].reset_index(drop=True),
                       extra={"dirty": dirty})
