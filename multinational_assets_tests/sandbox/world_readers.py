"""Independent readers of a generated world, shared by the generator's, the PDF's, the truth's and
the dialects' tests: CSV, JSON, and a small PDF content-stream reader independent of reportlab.

`world_at` generates a world once per test session for each (seed, scale).
"""

from __future__ import annotations

import re
import zlib
from base64 import a85decode
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from multinational_assets.sandbox.generate import generate_world

SEED = 20240
_WORLDS: dict[tuple[int, float], Path] = {}


def world_at(tmp_path_factory: pytest.TempPathFactory, seed: int = SEED, scale: float = 1) -> Path:
    """A generated world, made once per session for each (seed, scale)."""
    key = (seed, scale)
    if key not in _WORLDS:
        out = tmp_path_factory.mktemp(f"world_{seed}_{scale}")
        generate_world(seed, scale, out)
        _WORLDS[key] = out
    return _WORLDS[key]


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
ISO = r"\d{4}-\d{2}-\d{2}"
ODD_FORMATS = (r"\d{4}/\d{2}/\d{2}", rf"(?:{'|'.join(MONTHS)}) \d{{4}} \d{{2}}",
               rf"\d{{4}} (?:{'|'.join(MONTHS)}) \d{{2}}")
GARBAGE = r"[A-Z0-9]{10}"


def parse_any_date(text: str) -> date:
    """A date in ISO or one of the three odd source formats."""
    if re.fullmatch(ISO, text):
        return date.fromisoformat(text)
    if re.fullmatch(ODD_FORMATS[0], text):
        y, m, d = text.split("/")
        return date(int(y), int(m), int(d))
    a, b, c = text.split(" ")
    if a in MONTHS:  # "January 1951 27"
        return date(int(b), MONTHS.index(a) + 1, int(c))
    return date(int(a), MONTHS.index(b) + 1, int(c))  # "1968 October 16"


def odd_format(text: str) -> int | None:
    """Which odd format (0, 1, 2) a date is in; None for ISO."""
    for i, pattern in enumerate(ODD_FORMATS):
        if re.fullmatch(pattern, text):
            return i
    assert re.fullmatch(ISO, text), text
    return None


def read_copy_csv(path: Path) -> pd.DataFrame:
    """A COPY CSV as text: every value a string, an unquoted empty field NaN ("NULL" stays text)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])


def split_dirty(frame: pd.DataFrame, text_columns: list[str]) -> tuple[pd.Series, pd.Series]:
    """Masks of NULL rows and garbage rows over `text_columns`."""
    values = frame[text_columns]
    null = (values == "NULL").all(axis=1)
    garbage = values.apply(lambda c: c.fillna("").str.fullmatch(GARBAGE)).all(axis=1)
    return null, garbage


def _pdf_objects(data: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    """Object number -> (dictionary text, decoded stream or None), for an unencrypted PDF."""
    objects = {}
    for match in re.finditer(rb"(\d+) 0 obj\s*", data):
        number, start = int(match.group(1)), match.end()
        end = data.index(b"endobj", start)
        body = data[start:end]
        stream_at = body.find(b"stream")
        if stream_at < 0:
            objects[number] = (body, None)
            continue
        head = body[:stream_at]
        length = int(re.search(rb"/Length (\d+)", head).group(1))
        begin = start + stream_at + len(b"stream")
        begin += 2 if data[begin:begin + 2] == b"\r\n" else 1
        end = data.index(b"endobj", begin + length)  # the stream may contain the word by chance
        raw = data[begin:begin + length]
        filters = re.findall(rb"/(ASCII85Decode|FlateDecode)", head)
        for name in filters:  # listed in the order they apply when decoding
            raw = a85decode(raw.strip(), adobe=True) if name == b"ASCII85Decode" \
                else zlib.decompress(raw)
        objects[number] = (head, raw)
    return objects


_TOKEN = re.compile(rb"\((?:\\.|[^\\)])*\)|/[^\s/\[\]()<>]+|[-+]?\d*\.?\d+|[A-Za-z*']+")


def read_pdf_pages(path: Path) -> list[dict]:
    """Each page of a PDF: its table rows (cell texts top to bottom, left to right) and the
    number of straight line segments drawn on it."""
    objects = _pdf_objects(path.read_bytes())
    pages_obj = next(head for head, _ in objects.values() if re.search(rb"/Type /Pages\b", head))
    kids = [int(n) for n in re.findall(rb"(\d+) 0 R", re.search(rb"/Kids \[(.*?)\]", pages_obj,
                                                                 re.S).group(1))]
    count = int(re.search(rb"/Count (\d+)", pages_obj).group(1))
    assert count == len(kids)
    pages = []
    for kid in kids:
        head, _ = objects[kid]
        content = objects[int(re.search(rb"/Contents (\d+) 0 R", head).group(1))][1]
        cells, segments = [], 0
        operands: list[bytes] = []
        x = y = leading = 0.0
        for token in _TOKEN.findall(content):
            if token[:1] in b"(/" or re.fullmatch(rb"[-+]?\d*\.?\d+", token):
                operands.append(token)
                continue
            op = token
            if op == b"BT":
                x = y = 0.0
            elif op == b"Tm":
                x, y = float(operands[-2]), float(operands[-1])
            elif op == b"Td":
                x, y = x + float(operands[-2]), y + float(operands[-1])
            elif op == b"TL":
                leading = float(operands[-1])
            elif op == b"T*":
                y -= leading
            elif op == b"Tj":
                text = re.sub(rb"\\(.)", rb"\1", operands[-1][1:-1]).decode("latin-1")
                cells.append((round(y, 1), x, text))
            elif op == b"l":
                segments += 1
            operands = []
        rows: dict[float, list] = {}
        for row_y, cell_x, text in cells:
            rows.setdefault(row_y, []).append((cell_x, text))
        table = [[t for _, t in sorted(rows[k])] for k in sorted(rows, reverse=True)]
        pages.append({"rows": table, "segments": segments})
    return pages


def valid_only(frame: pd.DataFrame, text_columns: list[str]) -> pd.DataFrame:
    null, garbage = split_dirty(frame, text_columns)
    return frame[~null & ~garbage]


USER_TEXT = ["first_name", "last_name", "date_of_birth", "company", "email_address", "address",
             "country", "country_code", "phone_number", "join_date", "user_uuid"]
CARD_TEXT = ["card_number", "expiry_date", "card_provider", "date_payment_confirmed"]
STORE_KEYS = ["index", "address", "longitude", "lat", "locality", "store_code", "staff_numbers",
              "opening_date", "store_type", "latitude", "country_code", "continent"]
PRODUCT_TEXT = ["product_name", "product_price", "weight", "category", "EAN", "date_added", "uuid",
                "removed", "product_code"]
DATE_TEXT = ["timestamp", "month", "year", "day", "time_period", "date_uuid"]
UUID4 = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"


def stores_frame(stores_raw: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(stores_raw)
