"""The stores a stores API serves: read from a JSON list of objects or a CSV, and checked."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any


def load_stores_file(path: str | Path) -> list[dict[str, Any]]:
    """Read stores from a JSON list of objects or from a CSV with a header.

    CSV rows become objects with the header as keys, values as text and empty fields as null (CSV has
    no other way to say "missing").
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"stores file not found: {path}")
    if path.suffix.lower() == ".csv":
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames:
                raise ValueError(f"{path}: the CSV has no header row")
            return [{k: (v if v != "" else None) for k, v in row.items()} for row in reader]
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not valid JSON ({exc})") from None
    return validate_stores(data, str(path))


def validate_stores(data: Any, where: str = "stores") -> list[dict[str, Any]]:
    """Check that `data` is a list of JSON objects and return it."""
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ValueError(f"{where}: expected a JSON list of objects")
    return data
