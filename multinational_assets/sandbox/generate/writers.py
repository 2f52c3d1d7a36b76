"""The world's file formats, byte for byte: Postgres COPY CSV (legacy tables), the truth CSVs, the
products CSV and date details JSON as pandas wrote them, and the stores API's JSON list."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from json.encoder import encode_basestring_ascii as _encode_json_string
from pathlib import Path

import pandas as pd

from multinational_assets.sandbox.generate.columns import DATES_RAW, PRODUCTS_RAW, STORES_RAW

_CHUNK = 200_000  # rows formatted at a time: bounds the memory the writers need


def _copy_fields(series: pd.Series, kind: str) -> list[str]:
    """COPY CSV fields: "text" quoted (inner `"` doubled), "number" bare; NULL is empty."""
    missing = series.isna().to_numpy()
    if missing.all():
        return [""] * len(series)
    values = series.tolist()
    if kind != "text":
        if missing.any():
            return ["" if m else str(v) for v, m in zip(values, missing)]
        return [str(v) for v in values]
    present = [v for v, m in zip(values, missing) if not m] if missing.any() else values
    if '"' in "".join(present):
        values = [v if m else v.replace('"', '""') for v, m in zip(values, missing)]
    if missing.any():
        return ["" if m else '"' + v + '"' for v, m in zip(values, missing)]
    return ['"' + v + '"' for v in values]  # the common case: no NULL, no inner quote


def write_copy_csv(path: Path, columns: Sequence[str], kinds: Sequence[str],
                   frame: pd.DataFrame) -> None:
    """A table in Postgres `COPY ... (FORMAT csv, HEADER true)` form with every string quoted.

    The header is written as COPY writes it (bare names); SQL NULL is an unquoted empty field.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(columns) + "\n")
        for start in range(0, len(frame), _CHUNK):
            part = frame.iloc[start:start + _CHUNK]
            fields = [_copy_fields(part[c], k) for c, k in zip(columns, kinds)]
            handle.write("\n".join(map(",".join, zip(*fields))) + "\n")


def _truth_fields(series: pd.Series) -> list[str]:
    """Truth CSV fields, quoted only where CSV needs it (as pandas' `to_csv` does)."""
    values = series.tolist()
    if series.dtype == bool:
        return ["True" if v else "False" for v in values]
    if series.dtype.kind == "f":
        return ["" if v != v else repr(v) for v in values]
    if series.dtype.kind in "iu":
        return [str(v) for v in values]
    missing = series.isna().to_numpy()
    out = ["" if m else v for v, m in zip(values, missing)] if missing.any() else values
    joined = "".join(out)
    if any(ch in joined for ch in ',"\n\r'):
        out = ['"' + v.replace('"', '""') + '"' if any(ch in v for ch in ',"\n\r') else v
               for v in out]
    return out


def write_truth_csv(path: Path, frame: pd.DataFrame) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(frame.columns) + "\n")
        for start in range(0, len(frame), _CHUNK):
            part = frame.iloc[start:start + _CHUNK]
            fields = [_truth_fields(part[c]) for c in frame.columns]
            handle.write("\n".join(map(",".join, zip(*fields))) + "\n")


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)


def products_csv_text(raw: pd.DataFrame) -> str:
    """products.csv as pandas' `to_csv` wrote it: unnamed label column, minimal quoting."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["", *PRODUCTS_RAW[1:]])
    writer.writerows(raw[PRODUCTS_RAW].itertuples(index=False, name=None))
    return buffer.getvalue()


def _json_value(value) -> str:
    """One JSON value as pandas' `to_json` writes it (non-ASCII escaped as \\uXXXX)."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return _encode_json_string(value)
    return json.dumps(value)


def write_date_details_json(path: Path, raw: pd.DataFrame) -> None:
    """date_details.json: `{"column":{"0":value,...},...}` in compact form (as pandas wrote it).

    Built by hand (json.dumps of million-entry dicts is slow). A column of plain printable ASCII
    strings (every column of dialect 0) is written as it is; any other column (null, NBSP, tab, a
    quote) has each value encoded by the json module's C string encoder, still fast.
    """
    labels = raw["row_label"].tolist()
    keys = [f'"{label}":"' for label in labels]
    bare_keys: list[str] | None = None
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="ascii", newline="") as handle:
        for i, column in enumerate(DATES_RAW[1:]):
            values = raw[column].tolist()
            handle.write(("{" if i == 0 else ",") + f'"{column}":{{')
            plain = all(isinstance(v, str) for v in values)
            if plain:
                joined = "".join(values)
                plain = not ('"' in joined or "\\" in joined or not joined.isascii()
                             or not joined.isprintable())
            if plain:
                handle.write(",".join([k + v + '"' for k, v in zip(keys, values)]))
            else:
                bare_keys = bare_keys or [f'"{label}":' for label in labels]
                handle.write(",".join([k + _json_value(v) for k, v in zip(bare_keys, values)]))
            handle.write("}")
        handle.write("}")


def stores_json_text(raw: pd.DataFrame) -> str:
    """api/stores.json: one store object per line, keys in the API's order."""
    objects = []
    for row in raw[STORES_RAW].itertuples(index=False, name=None):
        obj = dict(zip(STORES_RAW, row))
        obj["index"] = int(obj["index"])
        objects.append(json.dumps(obj, ensure_ascii=False))
    return "[\n" + ",\n".join(objects) + "\n]\n"
