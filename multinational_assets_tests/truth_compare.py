"""Compare what the pipeline produced with the sandbox's ground truth, value for value."""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def read_truth_csv(path: Path) -> pd.DataFrame:
    """A truth CSV with every cell as text; an empty cell is a missing value."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    return df.astype(object).where(df != "", None)


def coerce_like(truth: pd.DataFrame, actual: pd.DataFrame) -> pd.DataFrame:
    """The truth's text cells parsed into the dtypes of the pipeline's frame."""
    out = pd.DataFrame(index=truth.index)
    for column in actual.columns:
        if column not in truth.columns:
            raise AssertionError(f"truth has no column {column!r}")
        dtype = actual[column].dtype
        values = truth[column]
        if pd.api.types.is_datetime64_any_dtype(dtype):
            out[column] = pd.to_datetime(values, format="%Y-%m-%d").astype(dtype)
        elif pd.api.types.is_bool_dtype(dtype):
            out[column] = values.map({"True": True, "False": False, "true": True, "false": False}).astype(dtype)
        elif pd.api.types.is_integer_dtype(dtype):
            out[column] = pd.to_numeric(values).astype(dtype)
        elif pd.api.types.is_float_dtype(dtype):
            out[column] = pd.to_numeric(values).astype(dtype)
        else:
            out[column] = values
    return out


def assert_table_equals_truth(actual: pd.DataFrame, truth: pd.DataFrame, key: str) -> None:
    """Same columns, same rows (by key), same values: floats equal to 1e-9 relative."""
    assert list(actual.columns) == list(truth.columns), f"columns {list(actual.columns)} != truth {list(truth.columns)}"
    expected = coerce_like(truth, actual).sort_values(key, ignore_index=True)
    got = actual.sort_values(key, ignore_index=True)
    missing = set(expected[key]) - set(got[key])
    extra = set(got[key]) - set(expected[key])
    assert not missing and not extra, (
        f"{len(missing)} rows missing (e.g. {sorted(missing)[:3]}), {len(extra)} extra (e.g. {sorted(extra)[:3]})"
    )
    for column in got.columns:
        a, e = got[column], expected[column]
        if pd.api.types.is_float_dtype(a.dtype):
            ok = ((a - e).abs() <= 1e-9 * e.abs().clip(lower=1)) | (a.isna() & e.isna())
        else:
            ok = (a == e).fillna(False).astype(bool) | (a.isna() & e.isna())
        if not ok.all():
            bad = got.loc[~ok, [key, column]].head(5).assign(truth=e[~ok].head(5))
            raise AssertionError(f"{(~ok).sum()} wrong values in {column!r}:\n{bad.to_string()}")


def raw_row_tuples(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    """Rows as tuples of text ('' for missing), sorted: for comparing quarantined raw rows."""
    text = frame[columns].astype(object).where(frame[columns].notna(), "")
    return sorted(map(tuple, text.astype(str).to_numpy().tolist()))
