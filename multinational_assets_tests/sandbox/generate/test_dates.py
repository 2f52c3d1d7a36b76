"""The date details JSON at scale 1: its shape, and times that fit their part of the day."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from multinational_assets_tests.sandbox.world_readers import DATE_TEXT, split_dirty, valid_only


def test_date_details_shape(world: Path, dates_raw: pd.DataFrame) -> None:
    text = (world / "s3" / "date_details.json").read_text()
    assert text.startswith('{"timestamp":{"0":"')
    assert list(dates_raw.columns) == DATE_TEXT
    assert dates_raw.index.tolist() == [str(i) for i in range(120161)]
    null, garbage = split_dirty(dates_raw, DATE_TEXT)
    assert (int(null.sum()), int(garbage.sum())) == (15, 23)


def test_date_details_values(dates_raw: pd.DataFrame) -> None:
    valid = valid_only(dates_raw, DATE_TEXT)
    assert len(valid) == 120123 and valid["date_uuid"].is_unique
    assert valid["month"].str.fullmatch(r"[1-9]|1[0-2]").all()
    assert valid["day"].str.fullmatch(r"[1-9]|[12]\d|3[01]").all()
    assert (valid["month"].str.len() == 1).any() and (valid["day"].str.len() == 1).any()
    years = valid["year"].astype(int)
    assert (years.min(), years.max()) == (1992, 2022)
    assert valid["timestamp"].str.fullmatch(r"([01]\d|2[0-3]):[0-5]\d:[0-5]\d").all()
    hour = valid["timestamp"].str[:2].astype(int)
    band = np.select([hour < 5, hour < 11, hour < 17, hour < 22],
                     ["Late_Hours", "Morning", "Midday", "Evening"], "Late_Hours")
    assert (valid["time_period"] == band).all()
    assert set(valid["time_period"]) == {"Morning", "Midday", "Evening", "Late_Hours"}
