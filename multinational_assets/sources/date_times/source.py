"""Date details: `date_details.json` in S3, read as it is into `raw.date_details`."""

import json
import re
import sys

import pandas as pd
import pyarrow

from multinational_assets.clients import SourceUnavailable
from multinational_assets.sources.source import TEXT, Origin, RawExtract, Source, SourceClients, as_text_series

KEY_SETTING = "DATE_DETAILS_KEY"
RAW_COLUMNS = ("row_label", "timestamp", "month", "year", "day", "time_period", "date_uuid")


def parse_date_details(body: bytes) -> pd.DataFrame:
    """The JSON object of columns (each a map from row label to value) as a table, with the row
    label as the first column.

    The columns are decoded one at a time and each is turned into compact text before the next is
    decoded: decoding the whole file at once held 1.2M-entry dictionaries for every column together
    (about 0.9 GB at ten times the real size)."""
    return parse_date_details_text(_decoded(body))


def _decoded(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SourceUnavailable(f"date_details.json is not valid JSON: {error}") from None


def parse_date_details_text(text: str) -> pd.DataFrame:
    """`parse_date_details` on the file's text."""
    try:
        columns, labels = {}, None
        for name, values in _object_members(text):
            if not isinstance(values, dict):
                raise ValueError(f"the top-level member {name!r} is not a map from row labels to values")
            # Row labels (JSON keys: always text) are kept once, Arrow-backed; a column whose labels
            # differ keeps its own, to be aligned.
            keys = pyarrow.array(list(values.keys()), type=pyarrow.string())
            labels = keys if labels is None else labels
            columns[name] = (as_text_series(list(values.values())), None if keys.equals(labels) else keys)
            del values, keys
    except ValueError as error:
        raise SourceUnavailable(f"date_details.json is not valid JSON: {error}") from None
    except RecursionError:
        # A column is a map of plain values (two levels in all); Python's reader stops at about a
        # thousand levels, before memory or the stack run out.
        raise SourceUnavailable(
            f"date_details.json nests values deeper than the JSON reader's limit ({sys.getrecursionlimit():,} levels); "
            "its columns should be maps of plain values."
        ) from None
    if labels is None:
        return pd.DataFrame({"row_label": pd.Series(dtype=TEXT)})
    if all(own is None for _, own in columns.values()):
        # Every column lists the same row labels in the same order (the usual case): no alignment.
        df = pd.DataFrame({name: values for name, (values, _) in columns.items()})
    else:
        df = pd.DataFrame({
            name: pd.Series(values.array, index=pd.Index((labels if own is None else own).to_pylist(), dtype=object))
            for name, (values, own) in columns.items()
        })
        labels = list(df.index)
        df = df.reset_index(drop=True)
    df.insert(0, "row_label", pd.array(labels, dtype=TEXT))
    return df


_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def _object_members(text: str):
    """The (name, value) members of the JSON object that is the whole text, decoded one by one."""
    def skip(at: int) -> int:
        return _WHITESPACE.match(text, at).end()

    def expect(char: str, at: int) -> int:
        if text[at : at + 1] != char:
            found = repr(text[at]) if at < len(text) else "the end of the file"
            raise ValueError(f"expected {char!r} at character {at}, found {found}")
        return skip(at + 1)

    at = expect("{", skip(0))
    if text[at : at + 1] != "}":
        while True:
            name, at = _DECODER.raw_decode(text, at)
            if not isinstance(name, str):
                raise ValueError(f"a member name that is not a string before character {at}")
            value, at = _DECODER.raw_decode(text, expect(":", skip(at)))
            yield name, value
            at = skip(at)
            if text[at : at + 1] != ",":
                break
            at = skip(at + 1)
    at = expect("}", at)
    if at != len(text):
        raise ValueError(f"extra data after the object at character {at}")


def read_date_details(clients: SourceClients) -> RawExtract:
    """The date-details JSON from S3."""
    body, facts = clients.read_object(KEY_SETTING)
    text = _decoded(body)
    del body  # the text is all that is needed: at ten times the real size, 157 MB less held while decoding
    return RawExtract(parse_date_details_text(text), facts)


SOURCE = Source(
    raw_table="date_details",
    raw_columns=RAW_COLUMNS,
    read=read_date_details,
    description="The date and time of every sale, as the date-details file records them, before any cleaning.",
    origin=Origin(("source", "s3", "date_details_json"), "date_details.json in the source bucket.", "s3", KEY_SETTING),
    decodes_in_python=True,
    large=True,
)
