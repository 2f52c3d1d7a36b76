"""Shared, Dagster-free pieces of the cleaning layer.

Every source's `clean.py` turns its raw frame (every value text or None) into a `CleanResult`: the
clean table, the rejected raw rows with every reason they were rejected, and a count of the values
each repair rule changed. The pieces here are the ones all six sources share:

- vectorised parsers: dates (ISO plus the three odd formats), integers, decimals;
- detection of the two kinds of unrecoverable rows every source carries (NULL rows, garbage rows);
- `Reasons`, which accumulates per-row rejection reasons without looping over rows;
- pandera helpers: row-level failures become quarantine reasons, anything else becomes a readable
  report in a `CleanSchemaError`;
- `TableCleaning`, the skeleton one clean function runs through (reject dirty rows, repair, validate,
  drop duplicate keys, split, validate the final clean frame, check the row accounting).

Nothing here loops over rows in Python: work is done with pandas `.str` methods, `pd.to_datetime`
with one explicit format at a time, and boolean masks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow
import pyarrow.compute as pc
from pandera.errors import SchemaErrors

__all__ = [
    "COUNTRY_CODES",
    "DATE_FORMATS",
    "EARLIEST_DATE",
    "GARBAGE_ROW_REASON",
    "IS_TEXT",
    "LATEST_DATE",
    "NOT_EMPTY",
    "NULL_ROW_REASON",
    "REASON_SEPARATOR",
    "UUID_PATTERN",
    "CleanResult",
    "CleanSchemaError",
    "ParsedDates",
    "Reasons",
    "RowFailures",
    "TableCleaning",
    "as_text",
    "calendar_date_checks",
    "format_schema_failures",
    "garbage_row_mask",
    "null_row_mask",
    "parse_dates",
    "parse_decimals",
    "parse_integers",
    "row_failures",
    "show_value",
    "str_fullmatch",
    "text_column",
    "validate_clean",
]

REASON_SEPARATOR = "; "
# Raw text as the raw layer holds it: Arrow-backed strings.
_ARROW_TEXT = pd.StringDtype("pyarrow")
NULL_LITERAL = "NULL"
GARBAGE_PATTERN = r"[A-Z0-9]{10}"
NULL_ROW_REASON = "NULL row: every field is the literal 'NULL'"
GARBAGE_ROW_REASON = "garbage row: every field is a random 10-character [A-Z0-9] string"

UUID_PATTERN = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
COUNTRY_CODES = ("GB", "DE", "US")
# Plausibility bounds for calendar dates (births, joins, payments, openings, additions): wide enough
# for any real value, narrow enough to catch a mis-parsed century.
EARLIEST_DATE = pd.Timestamp("1900-01-01")
LATEST_DATE = pd.Timestamp("2099-12-31")

_MONTH_NAMES = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
# (description, shape the whole value must have, strptime format). The shape is checked first so a
# value is only ever read by the one format it looks like: pandas' format parsing alone would accept
# e.g. single-digit months in "ISO" and never say which format it used.
DATE_FORMATS: tuple[tuple[str, str, str], ...] = (
    ("ISO YYYY-MM-DD", r"[0-9]{4}-[0-9]{2}-[0-9]{2}", "%Y-%m-%d"),
    ("YYYY/MM/DD", r"[0-9]{4}/[0-9]{2}/[0-9]{2}", "%Y/%m/%d"),
    ("Month YYYY DD", rf"(?:{_MONTH_NAMES}) [0-9]{{4}} [0-9]{{1,2}}", "%B %Y %d"),
    ("YYYY Month DD", rf"[0-9]{{4}} (?:{_MONTH_NAMES}) [0-9]{{1,2}}", "%Y %B %d"),
)


class CleanSchemaError(ValueError):
    """A frame the cleaning code produced does not satisfy its clean schema.

    This is a bug in the cleaning code (or a contract change), never dirty data: dirty data is
    quarantined. The message says which column, which check, and shows example values.
    """


@dataclass
class CleanResult:
    """What one clean function returns.

    - `clean`: the clean table, columns and dtypes exactly as docs/architecture.md says.
    - `quarantine`: the rejected raw rows (raw columns as text) plus `reasons`, every reason the row
      was rejected joined with `"; "`.
    - `repairs`: human-readable repair rule -> number of values it repaired in the clean table.
    - `rows_in`: raw rows read; always `len(clean) + len(quarantine)`.
    """

    clean: pd.DataFrame
    quarantine: pd.DataFrame
    repairs: dict[str, int]
    rows_in: int

    def __post_init__(self) -> None:
        if self.rows_in != len(self.clean) + len(self.quarantine):
            raise AssertionError(
                f"row accounting broken: {self.rows_in} rows in, {len(self.clean)} clean + "
                f"{len(self.quarantine)} quarantined"
            )

    @property
    def rows_clean(self) -> int:
        return len(self.clean)

    @property
    def rows_quarantined(self) -> int:
        return len(self.quarantine)


# --------------------------------------------------------------------------------------------------
# Text helpers


def _true(mask: pd.Series) -> pd.Series:
    """A `.str` result (True/False/NaN, object dtype) as a plain bool mask, NaN counting as False."""
    return mask.eq(True)


def as_text(frame: pd.DataFrame, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """`frame` (or its `columns`, in that order) with a fresh RangeIndex and object columns holding
    only `str` or `None` (NaN/NA become None, anything else its `str`)."""
    data = {}
    for column in frame.columns if columns is None else columns:
        values = frame[column]
        if values.dtype != object:
            values = values.astype(object)
        # infer_dtype is one C loop: a column of nothing but str (the usual case) needs no work.
        if pd.api.types.infer_dtype(values, skipna=False) != "string":
            missing = values.isna()
            if pd.api.types.infer_dtype(values, skipna=True) not in ("string", "empty"):
                values = values.where(missing, values.astype(str))
            if missing.any():
                values = values.where(~missing, None)
        data[column] = values.to_numpy()
    return pd.DataFrame(data, index=pd.RangeIndex(len(frame)), dtype=object)


def _flag(mask: pd.Series) -> pd.Series:
    """A comparison's result (bool, or nullable boolean from Arrow-backed text) as plain bools,
    missing counting as False."""
    return mask.fillna(False).astype(bool)


def _compact_text(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """`frame`'s `columns` as Arrow-backed text (the values `as_text` gives), with a fresh RangeIndex."""
    data = {}
    for column in columns:
        values = frame[column]
        if values.dtype != _ARROW_TEXT:
            values = as_text(frame, [column])[column].astype(_ARROW_TEXT)
        data[column] = values.array
    return pd.DataFrame(data, index=pd.RangeIndex(len(frame)))


def _python_text(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Arrow-backed text as Python strings with None for missing (what the repairs work on), keeping
    the row positions as the index."""
    return pd.DataFrame({c: _python_strings(frame[c]) for c in columns}, index=frame.index, dtype=object)


def _python_strings(values: pd.Series) -> np.ndarray:
    """One Arrow-backed text column as an object array of `str` and None. A column that repeats its
    values (user ids on orders, months, store codes) gets one `str` object per distinct value, shared
    by its rows: a fraction of the memory of one object per row."""
    if len(values) == 0:
        return np.array([], dtype=object)
    arrow = values.array.__arrow_array__()
    if _looks_distinct(arrow):  # ids: encoding a million distinct strings costs a second, for nothing
        return values.astype(object).where(values.notna(), None).to_numpy()
    encoded = pc.dictionary_encode(arrow)
    encoded = encoded.combine_chunks() if isinstance(encoded, pyarrow.ChunkedArray) else encoded
    if len(encoded.dictionary) > len(values) // 2:  # mostly distinct values: nothing to share
        return values.astype(object).where(values.notna(), None).to_numpy()
    words = np.array([*encoded.dictionary.to_pylist(), None], dtype=object)
    return words[encoded.indices.fill_null(len(encoded.dictionary)).to_numpy()]


_SAMPLE_ROWS = 20_000


def _looks_distinct(arrow) -> bool:
    """Whether a sample of rows spread over the column are almost all different values. A column with
    repeats (a user id on a tenth of the orders) shows repeats in a 20,000-row sample of 1.2M rows;
    a unique id shows none."""
    if len(arrow) <= _SAMPLE_ROWS * 2:
        return False
    step = len(arrow) // _SAMPLE_ROWS
    sample = arrow.take(pyarrow.array(np.arange(0, len(arrow), step)[:_SAMPLE_ROWS]))
    return pc.count_distinct(sample).as_py() > 0.99 * len(sample)


def show_value(value: object, limit: int = 60) -> str:
    """A value as a reason shows it: strings quoted (so blanks and newlines are visible), dates as
    ISO, missing as `missing`, anything long shortened."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "missing"
    if isinstance(value, pd.Timestamp):
        text = value.strftime("%Y-%m-%d") if value == value.normalize() else value.isoformat()
    elif isinstance(value, str):
        text = repr(value)
    else:
        text = str(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


# --------------------------------------------------------------------------------------------------
# Parsers


@dataclass(frozen=True)
class ParsedDates:
    """Result of `parse_dates`, three Series aligned with the input."""

    dates: pd.Series  # datetime64[ns] at midnight, NaT where missing or unparseable
    odd_format: pd.Series  # True where the date came in one of the three odd formats
    unparseable: pd.Series  # True where a value was given but is no date in a known format


def parse_dates(values: pd.Series) -> ParsedDates:
    """Parse text dates given as ISO `1971-10-23` or one of the three odd formats the sources use
    (`1971/10/23`, `October 1971 23`, `1971 October 23`).

    Returns `datetime64[ns]` dates at midnight; anything else (another format, an impossible date,
    surrounding blanks) is NaT, so it can be quarantined rather than guessed.
    """
    text = values.astype(object)
    dates = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    odd = pd.Series(False, index=text.index)
    pending = text.notna()
    for position, (_, shape, fmt) in enumerate(DATE_FORMATS):
        if not pending.any():
            break
        candidates = text[pending]
        looks_like = _true(candidates.str.fullmatch(shape))
        if not looks_like.any():
            continue
        parsed = pd.to_datetime(candidates[looks_like], format=fmt, errors="coerce")
        dates.loc[parsed.index] = parsed
        if position > 0:
            odd.loc[parsed.index[parsed.notna().to_numpy()]] = True
        pending.loc[looks_like.index[looks_like.to_numpy()]] = False
    dates = dates.dt.normalize()
    return ParsedDates(dates=dates, odd_format=odd, unparseable=dates.isna() & text.notna())


def parse_integers(values: pd.Series, max_digits: int = 9) -> pd.Series:
    """Parse text of plain ASCII digits (1 to `max_digits` of them) into `Int64`; anything else
    (signs, blanks, decimals, other scripts' digits, missing) is NA."""
    text = values.to_numpy(dtype=object)
    missing = pd.isna(text)
    if missing.any():
        text = np.where(missing, "", text)
    width = max_digits + 1
    # numpy's fixed-width strings and `np.strings` ufuncs run in C, several times faster than
    # `.str.fullmatch` on a million values. A longer value is cut to `width` characters, which is
    # still too long, so it is rejected below.
    fixed = text.astype(f"U{width}")
    length = np.strings.str_len(fixed)
    ascii_only = fixed.view(np.uint32).reshape(len(fixed), width).max(axis=1, initial=0) < 128
    ok = np.strings.isdecimal(fixed) & ascii_only & (length >= 1) & (length <= max_digits)
    parsed = np.zeros(len(fixed), dtype=np.int64)
    if ok.any():
        # From the object array: numpy parses its own fixed-width strings several times slower.
        parsed[ok] = text[ok].astype(np.int64)
    return pd.Series(pd.arrays.IntegerArray(parsed, ~ok), index=values.index)


_DECIMAL = r"-?[0-9]+(?:\.[0-9]+)?"


def parse_decimals(values: pd.Series, pattern: str = _DECIMAL) -> pd.Series:
    """Parse text decimals (`-1.25`, `39`) into float64; anything else (blanks, `1e5`, `inf`,
    `N/A`) is NaN. `pattern` may narrow the accepted shape (it must capture nothing)."""
    text = values.astype(object)
    ok = _true(text.str.fullmatch(pattern))
    out = pd.Series(np.nan, index=text.index, dtype="float64")
    if ok.any():
        out.loc[ok] = text[ok].astype("float64").to_numpy()
    return out


# --------------------------------------------------------------------------------------------------
# Unrecoverable rows


def _all_fields(frame: pd.DataFrame, columns: Sequence[str], field_ok) -> pd.Series:
    """True where every given field is either missing or passes `field_ok`, and at least half of
    them are present. Narrows column by column, so on a big frame only the first column is scanned
    in full."""
    columns = list(columns)
    present = pd.Series(0, index=frame.index)
    alive = pd.Series(True, index=frame.index)
    for column in columns:
        idx = alive.index[alive.to_numpy()]
        if len(idx) == 0:
            break
        values = frame.loc[idx, column]
        missing = values.isna()
        passes = field_ok(values)
        alive.loc[idx] = (missing | passes).to_numpy()
        present.loc[idx] += (~missing).to_numpy().astype(int)
    # A missing field (e.g. a column the source leaves null) does not disqualify the row, but a row
    # that is mostly missing is not evidence of a NULL or garbage row.
    return alive & (present * 2 >= len(columns)) & (present > 0)


def null_row_mask(frame: pd.DataFrame, columns: Sequence[str]) -> pd.Series:
    """Rows whose every field (among `columns`) is the literal text `NULL`."""
    return _all_fields(frame, columns, lambda values: _flag(values.eq(NULL_LITERAL)))


def garbage_row_mask(frame: pd.DataFrame, columns: Sequence[str]) -> pd.Series:
    """Rows whose every field (among `columns`) is a 10-character `[A-Z0-9]` string."""

    def is_garbage(values: pd.Series) -> pd.Series:
        # The length test is cheap and rules out almost every real value before the regex runs.
        ten = _flag(values.str.len().eq(10))
        out = pd.Series(False, index=values.index)
        if ten.any():
            out.loc[ten] = _flag(values[ten].str.fullmatch(GARBAGE_PATTERN)).to_numpy()
        return out

    return _all_fields(frame, columns, is_garbage)


# --------------------------------------------------------------------------------------------------
# Reasons


class Reasons:
    """Accumulates, for the rows of one raw frame, every reason each row cannot be cleaned.

    Reasons are added a whole mask at a time; a reason may name the clean column it is about, so a
    later schema check of that column on that row (which would only say "missing") can be skipped.
    """

    def __init__(self, index: pd.Index):
        self.index = index
        self._parts: list[pd.Series] = []
        self._flagged: dict[str, pd.Series] = {}

    def add(self, mask: pd.Series, message: str | pd.Series, column: str | None = None) -> None:
        """Reject the rows where `mask` is True with `message` (one text, or a Series of texts
        aligned with the mask giving each row its own)."""
        mask = mask.reindex(self.index, fill_value=False).astype(bool)
        rows = self.index[mask.to_numpy()]
        if len(rows) == 0:
            return
        if isinstance(message, pd.Series):
            texts = message.reindex(rows).astype(object)
        else:
            texts = pd.Series(message, index=rows, dtype=object)
        self._parts.append(texts)
        if column is not None:
            previous = self._flagged.get(column, pd.Series(False, index=self.index))
            self._flagged[column] = previous | mask

    def add_messages(self, messages: pd.Series) -> None:
        """Add reasons given as a Series indexed by row (a row may appear several times)."""
        if len(messages):
            self._parts.append(messages.astype(object))

    def flagged(self, column: str) -> pd.Series:
        """Rows already rejected for a reason about `column`."""
        return self._flagged.get(column, pd.Series(False, index=self.index))

    @property
    def failed(self) -> pd.Series:
        """True for every row with at least one reason."""
        out = pd.Series(False, index=self.index)
        for part in self._parts:
            out.loc[part.index] = True
        return out

    def joined(self) -> pd.Series:
        """Each rejected row's reasons, in the order they were added, joined with `"; "`."""
        if not self._parts:
            return pd.Series(dtype=object)
        long = pd.concat(self._parts)
        frame = pd.DataFrame({"row": long.index, "reason": long.to_numpy()}).drop_duplicates()
        frame["nth"] = frame.groupby("row", sort=False).cumcount()
        wide = frame.pivot(index="row", columns="nth", values="reason")
        # Join column by column (a handful of columns), never row by row.
        out = wide[0].astype(object)
        for nth in wide.columns[1:]:
            more = wide[nth]
            has = more.notna()
            out = out.where(~has, out + REASON_SEPARATOR + more)
        return out


# --------------------------------------------------------------------------------------------------
# pandera helpers


def str_fullmatch(pattern: str) -> pa.Check:
    """A check that the whole text matches `pattern`.

    pandera's `str_matches` uses `re.match`, so `$` there still lets a trailing newline through;
    this one uses `fullmatch`.
    """
    return pa.Check(
        lambda values: _fullmatch(values, pattern),
        name="str_fullmatch",
        error=f"str_fullmatch('{pattern}')",
    )


# Arrow's regular expressions (RE2) run on a whole column in C++, about ten times faster than Python's
# `re` value by value. They agree with `re` on patterns without escapes (literal characters, ASCII
# classes, repetition, alternation); a pattern with one (`\s`, `\d`, ...) keeps Python's Unicode-aware
# meaning and runs in `re`.


def _fullmatch(values: pd.Series, pattern: str) -> pd.Series:
    if "\\" not in pattern and pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
        # Grouped: pandas anchors Arrow patterns as `^pattern$`, which binds to the first and last
        # alternatives only.
        return values.astype(_ARROW_TEXT).str.fullmatch(f"(?:{pattern})").fillna(False).astype(bool)
    return _true(values.str.fullmatch(pattern))


def calendar_date_checks() -> list[pa.Check]:
    """Checks for a clean calendar-date column: a plausible date, at midnight."""
    return [
        pa.Check.in_range(EARLIEST_DATE, LATEST_DATE),
        pa.Check(
            lambda values: values.eq(values.dt.normalize()),
            name="at_midnight",
            error="a date without a time of day (at midnight)",
        ),
    ]


def _is_text(values: pd.Series) -> bool:
    # infer_dtype is one C loop; pandera's own `str` dtype check maps isinstance over every value,
    # which dominated validation time on the 1.2M-row tables.
    return pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty")


IS_TEXT = pa.Check(_is_text, name="is_text", error="every value is a str (or missing)")
NOT_EMPTY = pa.Check.str_length(min_value=1)


def text_column(*checks: pa.Check, nullable: bool = False, unique: bool = False) -> pa.Column:
    """A clean text column: object dtype holding `str` (or None where `nullable`), plus `checks`.
    With no format check given, the text must at least not be empty."""
    return pa.Column(
        object,
        [IS_TEXT, *(checks or (NOT_EMPTY,))],
        nullable=nullable,
        unique=unique,
    )


@dataclass(frozen=True)
class RowFailures:
    """Failures of one lazy schema validation, split into what can be pinned on rows and the rest."""

    reasons: pd.Series  # indexed by row label, one text per failed (row, check); may repeat rows
    columns: pd.Series  # the column each reason is about (None for whole-row checks), same index
    checks: pd.Series  # the check each reason comes from, same index
    other: pd.DataFrame  # failure cases with no row (missing column, wrong dtype, column order, ...)

    @property
    def any(self) -> bool:
        return len(self.reasons) > 0 or len(self.other) > 0


def row_failures(frame: pd.DataFrame, schema: pa.DataFrameSchema) -> RowFailures:
    """Validate `frame` lazily and turn row-level failure cases into reasons such as
    `email_address: fails str_fullmatch('...') ('foo@')`, `country_code: missing`, or (for a
    whole-row check) the check's own description."""
    empty = pd.Series(dtype=object)
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as error:
        cases = error.failure_cases
    else:
        return RowFailures(empty, empty, empty, pd.DataFrame())
    has_row = cases["index"].notna()
    other = cases[~has_row].reset_index(drop=True)
    cases = cases[has_row]
    whole_row = cases["schema_context"].eq("DataFrameSchema")
    # A whole-row check reports each value of the failing row; one reason per row is enough.
    cases = pd.concat(
        [
            cases[~whole_row],
            cases[whole_row].drop_duplicates(["index", "check"]).assign(column=None),
        ]
    )
    # Reasons in the table's column order, whole-row checks last.
    position = cases["column"].map({c: i for i, c in enumerate(frame.columns)})
    cases = cases.iloc[np.argsort(position.fillna(len(frame.columns)).to_numpy(), kind="stable")]
    shown = cases["failure_case"].map(show_value)
    column = cases["column"].astype(object)
    check = cases["check"].astype(str)
    messages = np.where(
        column.isna().to_numpy(),  # only whole-row checks have no column
        check,
        np.where(
            check.eq("not_nullable").to_numpy(),
            column.astype(str) + ": missing",
            column.astype(str) + ": fails " + check + " (" + shown + ")",
        ),
    )
    index = pd.Index(cases["index"].to_numpy()).astype(frame.index.dtype)
    return RowFailures(
        reasons=pd.Series(messages, index=index, dtype=object),
        columns=pd.Series(column.to_numpy(), index=index, dtype=object),
        checks=pd.Series(check.to_numpy(), index=index, dtype=object),
        other=other,
    )


def format_schema_failures(failure_cases: pd.DataFrame, max_examples: int = 3) -> str:
    """A readable report of pandera failure cases: one line per (column, check) with the number of
    failures and a few example values (and rows, when the failure is row-level)."""
    if failure_cases.empty:
        return "no failures"
    cases = failure_cases.copy()
    # Table-level failures (a missing or extra column, the column order) name the schema, not a
    # column; say "table" so the report does not send the reader looking for a column.
    table_level = cases["schema_context"].eq("DataFrameSchema") & cases["index"].isna()
    cases["where"] = ("column " + cases["column"].astype(str)).where(~table_level, "table")
    lines = []
    for (where, check), group in cases.groupby(["where", "check"], sort=False, dropna=False):
        examples = ", ".join(show_value(v) for v in group["failure_case"].head(max_examples))
        rows = group["index"].dropna().head(max_examples).tolist()
        at = f" at rows {rows}" if rows else ""
        lines.append(f"- {where}: check {check} failed {len(group)} time(s); e.g. {examples}{at}")
    return "\n".join(lines)


def validate_clean(frame: pd.DataFrame, schema: pa.DataFrameSchema, table: str) -> pd.DataFrame:
    """Validate a final clean frame; raise `CleanSchemaError` with a readable report if it fails."""
    try:
        return schema.validate(frame, lazy=True)
    except SchemaErrors as error:
        raise CleanSchemaError(
            f"the clean {table} frame does not satisfy its schema:\n"
            + format_schema_failures(error.failure_cases)
        ) from None


# --------------------------------------------------------------------------------------------------
# The skeleton every clean function runs through


class TableCleaning:
    """One run of one table's cleaning.

    Create it with the raw frame: it checks the columns, keeps the raw rows as text, and rejects
    NULL and garbage rows. `candidate` is the raw text of the remaining rows, for the source's
    repairs. The repairs record what they changed (`repaired`) and reject what they cannot repair
    (`reject`); `finish` validates the repaired frame, rejects every row-level failure, keeps the
    first row of each duplicate key, and returns the `CleanResult`.

    Rows are identified by their position in the raw frame throughout.
    """

    def __init__(
        self,
        raw: pd.DataFrame,
        *,
        table: str,
        raw_columns: Sequence[str],
        label_columns: Iterable[str] = (),
        reads: Sequence[str] | None = None,
    ):
        self.table = table
        self.raw_columns = list(raw_columns)
        _require_columns(raw, self.raw_columns, table)
        # The raw text is held Arrow-backed (compact, and scanned for NULL and garbage rows in C++);
        # only the columns the repairs read (`reads`, default all) become Python strings, for the
        # candidate rows. At a million rows that is the difference between gigabytes and hundreds of MB.
        self.raw = _compact_text(raw, self.raw_columns)
        self.reasons = Reasons(self.raw.index)
        self._repairs: dict[str, pd.Series] = {}

        labels = set(label_columns)
        content = [c for c in self.raw_columns if c not in labels]
        null_rows = null_row_mask(self.raw, content)
        garbage_rows = garbage_row_mask(self.raw, content) & ~null_rows
        self.reasons.add(null_rows, NULL_ROW_REASON)
        self.reasons.add(garbage_rows, GARBAGE_ROW_REASON)
        # NULL and garbage rows carry nothing to repair or check field by field.
        dirty = null_rows | garbage_rows
        candidate = self.raw[~dirty.to_numpy()] if dirty.any() else self.raw
        self.candidate = _python_text(candidate, self.raw_columns if reads is None else list(reads))

    # -- repairs ----------------------------------------------------------------------------------

    def repaired(self, rule: str, mask: pd.Series) -> None:
        """Record that `rule` changed the value on the rows where `mask` is True."""
        mask = mask.reindex(self.raw.index, fill_value=False).astype(bool)
        previous = self._repairs.get(rule)
        self._repairs[rule] = mask if previous is None else previous | mask

    def reject(self, mask: pd.Series, column: str, problem: str, values: pd.Series) -> None:
        """Reject rows where `mask` is True with `"<column>: <problem> (<value>)"`."""
        mask = mask.reindex(self.raw.index, fill_value=False).astype(bool)
        rows = self.raw.index[mask.to_numpy()]
        if len(rows) == 0:
            return
        shown = values.reindex(rows).map(show_value)
        self.reasons.add(mask, f"{column}: {problem} (" + shown + ")", column=column)

    def dates(self, values: pd.Series, column: str) -> pd.Series:
        """Parse a date column: odd formats are repaired, other text is rejected."""
        parsed = parse_dates(values)
        self.repaired(f"{column}: dates in odd formats repaired", parsed.odd_format)
        self.reject(parsed.unparseable, column, "not a date in a known format", values)
        return parsed.dates

    def integers(self, values: pd.Series, column: str) -> pd.Series:
        """Parse an integer column (`Int64`); other text is rejected."""
        parsed = parse_integers(values)
        self.reject(parsed.isna() & values.notna(), column, "not a whole number", values)
        return parsed

    def decimals(self, values: pd.Series, column: str, problem: str = "not a number") -> pd.Series:
        """Parse a float column; other text is rejected with `problem`."""
        parsed = parse_decimals(values)
        self.reject(parsed.isna() & values.notna(), column, problem, values)
        return parsed

    # -- the end ----------------------------------------------------------------------------------

    def finish(
        self, frame: pd.DataFrame, schema: pa.DataFrameSchema, key: str
    ) -> CleanResult:
        """Validate the repaired `frame` (rows of `candidate`, clean columns), quarantine every row
        that fails, keep the first of each duplicate `key`, and return the result."""
        frame = _none_for_missing(frame)
        failures = row_failures(frame, schema)
        if len(failures.other):
            raise CleanSchemaError(
                f"the repaired {self.table} frame does not fit its schema (a bug in the cleaning "
                "code, not dirty data):\n" + format_schema_failures(failures.other)
            )
        # Duplicate keys are settled below among rows that pass everything else, so that a rejected
        # row never costs a valid row its key.
        keep = ~failures.checks.eq("field_uniqueness").to_numpy()
        for column in failures.columns.dropna().unique():
            on_column = failures.columns.eq(column).to_numpy()
            already = self.reasons.flagged(column).reindex(failures.reasons.index).to_numpy()
            keep &= ~(on_column & already)
        self.reasons.add_messages(failures.reasons[keep])

        rejected = self.reasons.failed.reindex(frame.index).to_numpy()
        passing = frame[~rejected] if rejected.any() else frame
        duplicate = passing[key].duplicated(keep="first")
        if duplicate.any():
            shown = passing.loc[duplicate.to_numpy(), key].map(show_value)
            self.reasons.add(duplicate, f"duplicate {key} " + shown + ": its first row is kept")
            clean = passing[~duplicate.to_numpy()]
        else:
            clean = passing
        kept = pd.Series(False, index=self.raw.index)
        kept.loc[clean.index] = True

        # A row subset of a frame that passed every check passes them too; only validate again when
        # something was taken out for failing.
        if failures.any or duplicate.any():
            clean = validate_clean(clean, schema, self.table)
        clean = clean.set_axis(pd.RangeIndex(len(clean)), axis=0)

        failed = self.reasons.failed
        quarantine = _python_text(self.raw[failed.to_numpy()], self.raw_columns)
        quarantine["reasons"] = self.reasons.joined().reindex(quarantine.index)
        quarantine = quarantine.reset_index(drop=True)

        repairs = {rule: int((mask & kept).sum()) for rule, mask in self._repairs.items()}
        if len(clean) + len(quarantine) != len(self.raw) or (kept & failed).any():
            raise AssertionError(
                f"{self.table}: {len(self.raw)} raw rows but {len(clean)} clean and "
                f"{len(quarantine)} quarantined"
            )
        return CleanResult(clean=clean, quarantine=quarantine, repairs=repairs, rows_in=len(self.raw))


def _require_columns(raw: pd.DataFrame, columns: list[str], table: str) -> None:
    missing = [c for c in columns if c not in raw.columns]
    extra = [c for c in raw.columns if c not in columns]
    if missing or extra:
        raise ValueError(
            f"raw frame for {table} does not have the raw contract's columns: missing {missing}, "
            f"unexpected {extra}; expected {columns}"
        )


def _none_for_missing(frame: pd.DataFrame) -> pd.DataFrame:
    """Object columns hold None (not NaN) for missing values, as the contract's text columns do."""
    copied = False
    for column in frame.columns:
        if frame[column].dtype == object:
            if pd.api.types.infer_dtype(frame[column], skipna=False) == "string":
                continue  # no missing value at all
            missing = frame[column].isna()
            if missing.any():
                if not copied:
                    frame, copied = frame.copy(), True
                frame[column] = frame[column].where(~missing, None)
    return frame

