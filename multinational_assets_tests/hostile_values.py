"""Values that break naive loaders: separators, escapes, quotes, SQL, emoji, extremes and nulls
spelled five ways. Every path that writes a frame to Postgres must bring these back exactly."""

import pandas as pd


def hostile_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "index": ["1", None, "", "NULL", "\\N"],
            "EAN": ["a\tb", "c\nd\\e\r\n", "'; DROP TABLE raw.t; --", 'Gießen 😀 "q"', "back\\slash\\"],
            "1": [1.5, None, 0.1, 1e300, -0.0],
            "select": pd.array([1, None, 3, -2, 2**62], dtype="Int64"),
            'we"ird col': [True, False, True, False, True],
            "day": pd.to_datetime(["2020-01-01", None, "1951-01-27", "2262-01-01", "1999-12-31"]),
            "at": pd.to_datetime(
                ["2020-01-01 10:00:01.5", None, "1951-01-27 00:00:00", "2000-02-29 23:59:59", "1999-12-31 00:00:00"],
                format="ISO8601",
            ),
        }
    )
