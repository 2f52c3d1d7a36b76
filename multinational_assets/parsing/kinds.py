"""What a clean column is (its *kind*), and the kinds whose values are identifiers or free text.

A kind knows everything that follows from a column's meaning: how to read the spellings people use
(`read`), what a clean value looks like (`check`, for pandera), its pandas dtype and the star's SQL
type, and the words its reasons use. Each clean table declares its columns once with a kind
(`multinational_assets.cleaning.contract`); everything else reads the declaration.

`read` takes normalised text (see `text.normalise`; missing values are null) and returns a `Parsed`:
the clean values, which present values it could not read and why, which values it read from another
spelling (repairs), and which it kept but doubts (warnings). It never drops a row: that is the
table's business.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import pandas as pd
import pandera.pandas as pa_schema
import pyarrow as pa
import pyarrow.compute as pc

from multinational_assets.parsing.text import (
    arrow_text,
    contains,
    flags,
    matches,
    replace,
    strip_edge_junk,
    where,
)
from multinational_assets.schema_types import TEXT, arrow_held


@dataclass
class Parsed:
    """One column read by its kind. Arrays are aligned with the input."""

    values: pa.Array  # clean values; null where the input was missing or could not be read
    rejected: np.ndarray  # bool: a value was present but could not be read
    reasons: np.ndarray  # object: why, where rejected (None elsewhere)
    repairs: dict[str, np.ndarray] = field(default_factory=dict)  # rule -> read from another spelling
    doubts: dict[str, np.ndarray] = field(default_factory=dict)  # rule -> kept, but worth a look

    @classmethod
    def of(
        cls,
        text: pa.Array,
        values: pa.Array,
        reason: str | np.ndarray,
        repairs: dict[str, np.ndarray] | None = None,
        doubts: dict[str, np.ndarray] | None = None,
    ) -> Parsed:
        """The result for `values` read from `text`: whatever was present in `text` and is null in
        `values` is rejected with `reason` (one text, or one per value)."""
        rejected = flags(pc.is_valid(text)) & ~flags(pc.is_valid(values))
        # Written where rejected only (np.where, then a copy as objects: three times as long).
        reasons = np.full(len(rejected), None, dtype=object)
        reasons[rejected] = reason if isinstance(reason, str) else np.asarray(reason, dtype=object)[rejected]
        keep = {rule: mask & ~rejected for rule, mask in (repairs or {}).items()}
        return cls(values, rejected, reasons, {r: m for r, m in keep.items() if m.any()}, dict(doubts or {}))


def _spread(n: int, fast: np.ndarray, fast_values: pa.Array, slow: np.ndarray, other: Parsed) -> Parsed:
    """One `Parsed` for a whole column from the values taken as they are (`fast`) and the rest read
    by the kind (`slow`, read as `other`); every other position is missing."""
    fast_at, slow_at = np.flatnonzero(fast), np.flatnonzero(slow)
    pieces = pa.concat_arrays([fast_values, other.values.cast(fast_values.type), pa.nulls(1, fast_values.type)])
    index = np.full(n, len(pieces) - 1, dtype=np.int64)
    index[fast_at] = np.arange(len(fast_at))
    index[slow_at] = len(fast_at) + np.arange(len(slow_at))

    def scatter(mask: np.ndarray) -> np.ndarray:
        out = np.zeros(n, dtype=bool)
        out[slow_at] = mask
        return out

    reasons = np.full(n, None, dtype=object)
    reasons[slow_at] = other.reasons
    return Parsed(
        pc.take(pieces, pa.array(index)),
        scatter(other.rejected),
        reasons,
        {rule: scatter(mask) for rule, mask in other.repairs.items()},
        {doubt: scatter(mask) for doubt, mask in other.doubts.items()},
    )


def fill_reasons(reasons: np.ndarray, mask: np.ndarray, reason: str) -> np.ndarray:
    """`reasons` with `reason` written where `mask` and nothing was written yet."""
    out = reasons.copy()
    out[mask & np.equal(out, None)] = reason
    return out


class Kind:
    """A semantic type of a clean column (see the module docstring)."""

    label: ClassVar[str] = "value"  # what a value is called in reasons: "not a <label>"
    accepts: ClassVar[str] = ""  # the spellings read, for the README and the UI
    arrow_type: ClassVar[pa.DataType] = pa.string()
    # The star's column type, a Postgres type name (`int2`, `float8`, `uuid`, ...); `varchar` is sized
    # to the longest value in the data.
    sql_type: str = "varchar"
    multiline: ClassVar[bool] = False  # whether line breaks are part of the value

    def read(self, text: pa.Array) -> Parsed:
        """Read a column: values already in the canonical form are taken as they are, in one pass;
        only the others (usually few) go through the kind's full reading (`read_other`)."""
        fast = self.canonical_mask(text)
        if fast is None:
            return self.read_other(text)
        slow = ~fast & flags(pc.is_valid(text))
        if not fast.any():
            return self.read_other(text)
        if not slow.any():  # every value present is written as a clean value is: read in one pass
            return Parsed(self.from_canonical(text), np.zeros(len(text), bool), np.full(len(text), None, dtype=object))
        fast_values = self.from_canonical(pc.filter(text, pa.array(fast)))
        other = self.read_other(pc.filter(text, pa.array(slow))) if slow.any() else None
        if other is None:
            other = Parsed(pa.array([], type=fast_values.type), np.zeros(0, bool), np.zeros(0, object))
        return _spread(len(text), fast, fast_values, slow, other)

    def canonical_mask(self, text: pa.Array) -> np.ndarray | None:
        """Where values are already written as clean values are (None: the kind has no such form)."""
        return None

    def from_canonical(self, text: pa.Array) -> pa.Array:
        """Canonical text as clean values."""
        return text if self.arrow_type == pa.string() else pc.cast(text, self.arrow_type)

    def read_other(self, text: pa.Array) -> Parsed:
        """Read the values not already in the canonical form; each kind says how."""
        raise NotImplementedError(f"{type(self).__name__} must say how it reads its values (read_other)")

    def check(self) -> pa_schema.Check | None:
        """A pandera check every clean value passes (None: the dtype says enough)."""
        return None

    @property
    def pandas_dtype(self):
        return _PANDAS_DTYPES[self.arrow_type]

    def describe(self) -> str:
        """The kind as the UI's column type shows it."""
        return self.label


_PANDAS_DTYPES = {
    pa.string(): TEXT,
    pa.int64(): pd.Int64Dtype(),
    pa.float64(): np.dtype("float64"),
    pa.date32(): np.dtype("datetime64[ns]"),
    pa.bool_(): pd.BooleanDtype(),
}

# The pandas dtypes Arrow's conversion is told (the others, decimals and days, convert by default).
_EXTENSION_DTYPES = {
    arrow: dtype for arrow, dtype in _PANDAS_DTYPES.items() if isinstance(dtype, pd.api.extensions.ExtensionDtype)
}


def pandas_frame(columns: Mapping[str, pa.Array | pa.ChunkedArray], keep: np.ndarray | None = None) -> pd.DataFrame:
    """Clean columns (Arrow arrays of their kinds' types) as the pandas frame a clean table is held
    in, each of its kind's `pandas_dtype`: text Arrow-backed, whole numbers and yes/no as pandas'
    masked columns, decimals as floats (missing: NaN), days as `datetime64[ns]`. `keep`: the rows
    kept (all when None). One conversion by Arrow for the whole table: a column at a time through
    pandas took 7.5-8.9 ms for the six tables at a tenth of the real size, this 4.2-5.4 ms."""
    arrays = [values.cast(pa.timestamp("ns")) if values.type == pa.date32() else values for values in columns.values()]
    table = pa.table(arrays, names=list(columns))
    if keep is not None and not keep.all():
        table = table.filter(pa.array(keep, pa.bool_()))
    return table.to_pandas(types_mapper=_EXTENSION_DTYPES.get)


def fullmatch_check(pattern: str, name: str) -> pa_schema.Check:
    """A pandera check that every present value matches `pattern` whole (RE2, in Arrow)."""

    def _check(values: pd.Series) -> bool | pd.Series:
        # The Arrow text the column holds as it is (RE2 reads `large_string` too): made one `string`
        # array first, a 12,000-row column was copied twice.
        held = arrow_held(values)
        text = arrow_text(values) if held is None else held
        ok = matches(text, pattern) | ~flags(pc.is_valid(text))
        # One answer when every value matches (a clean frame always does): for a column of answers
        # pandera builds its failure cases even when there are none. Value by value otherwise, so the
        # error names the values that do not match.
        return True if ok.all() else pd.Series(ok, index=values.index)

    # Missing values are the check's own to pass (ignore_na=False): pandera would otherwise drop them
    # from a copy of the column first.
    return pa_schema.Check(_check, name=name, error=f"{name}: matches {pattern}", ignore_na=False)


# --------------------------------------------------------------------------------------------------
# Free text


@dataclass(frozen=True)
class Text(Kind):
    """Free text: names, companies, addresses. Already normalised by the table (Unicode NFC, white
    space collapsed, trimmed); a value with no letter or digit at all (`---`, `?`) is not text."""

    multiline_text: bool = False
    label: ClassVar[str] = "text"
    accepts: ClassVar[str] = (
        "any text with a letter or digit; Unicode-normalised (NFC), invisible characters removed, runs "
        "of spaces, tabs and non-breaking spaces made one space, trimmed (multi-line text such as an "
        "address keeps its line breaks, each line trimmed, empty lines dropped)"
    )

    @property
    def multiline(self) -> bool:  # type: ignore[override]
        return self.multiline_text

    def read(self, text: pa.Array) -> Parsed:
        readable = contains(text, r"[\pL\pN]")
        return Parsed.of(text, where(readable, text, None), "has no letter or digit")

    def describe(self) -> str:
        return "multi-line text" if self.multiline_text else "text"


# --------------------------------------------------------------------------------------------------
# Identifiers


@dataclass(frozen=True)
class Uuid(Kind):
    """A UUID, written lower-case with hyphens (8-4-4-4-12)."""

    label: ClassVar[str] = "UUID"
    accepts: ClassVar[str] = (
        "32 hexadecimal digits in any case, with or without hyphens, braces `{...}` or a `urn:uuid:` "
        "prefix; punctuation around it removed"
    )
    sql_type: str = "uuid"
    CANONICAL: ClassVar[str] = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

    def canonical_mask(self, text: pa.Array) -> np.ndarray:
        return matches(text, self.CANONICAL)

    def read_other(self, text: pa.Array) -> Parsed:
        canonical = matches(text, self.CANONICAL)
        if canonical.all():
            return Parsed.of(text, text, "not a UUID")
        low = pc.utf8_lower(strip_edge_junk(text))
        low = replace(low, r"^urn:uuid:", "")
        hexes = replace(low, r"[{}\-\s]", "")
        ok = matches(hexes, "[0-9a-f]{32}") & ~canonical
        parts = [pc.utf8_slice_codeunits(hexes, a, b) for a, b in ((0, 8), (8, 12), (12, 16), (16, 20), (20, 32))]
        rebuilt = pc.binary_join_element_wise(*parts, "-")
        values = where(canonical, text, where(ok, rebuilt, None))
        return Parsed.of(text, values, "not a UUID (32 hexadecimal digits)", {"read from another UUID spelling": ok})

    def check(self):
        return fullmatch_check(self.CANONICAL, "canonical_uuid")


@dataclass(frozen=True)
class Code(Kind):
    """An identifier code such as a store or product code: white space and punctuation around it
    removed, then it must have `shape` (RE2). `case` is `upper` (codes compared without regard to
    case) or `keep` (case is part of the code)."""

    shape: str = r"[A-Za-z0-9]+-[A-Za-z0-9]+"
    example: str = ""
    case: str = "upper"
    label: ClassVar[str] = "code"
    accepts: ClassVar[str] = "the code's shape in any case where case does not matter; spaces and punctuation around it removed"

    def canonical_mask(self, text: pa.Array) -> np.ndarray:
        canonical = matches(text, self.shape)
        return canonical & ~contains(text, r"\p{Ll}") if self.case == "upper" else canonical

    def read_other(self, text: pa.Array) -> Parsed:
        canonical = matches(text, self.shape)
        if self.case == "upper":
            canonical &= ~contains(text, r"\p{Ll}")
        if canonical.all():
            return Parsed.of(text, text, self._reason())
        tidy = strip_edge_junk(replace(text, r"\s+", ""))
        if self.case == "upper":
            tidy = pc.utf8_upper(tidy)
        ok = matches(tidy, self.shape) & ~canonical
        values = where(canonical, text, where(ok, tidy, None))
        rule = "case, spacing or punctuation around the code tidied"
        return Parsed.of(text, values, self._reason(), {rule: ok})

    def _reason(self) -> str:
        return f"not a code like {self.example!r}" if self.example else "not a code of the expected shape"

    def check(self):
        return fullmatch_check(self.shape, "code_shape")


@dataclass(frozen=True)
class Digits(Kind):
    """A number that is an identifier (a card number, an EAN): kept as text, every digit kept. Digit
    groups may be separated by spaces, hyphens or dots; punctuation around it (`?`, `#`, `'`) and a
    trailing `.0` (a number that passed through a spreadsheet) are removed. Letters are never dropped
    from an identifier: a value with letters is rejected. `12345678.00` is not guessed: decimal places
    of a spreadsheet, or a last group of zeros?"""

    min_digits: int = 1
    max_digits: int = 19
    name: str = "number"
    label: ClassVar[str] = "digits"
    accepts: ClassVar[str] = (
        "digits, optionally grouped by spaces, hyphens or dots; punctuation around them and a trailing "
        "`.0` removed; one dot followed by zeros only (`12345678.00`) is ambiguous and rejected"
    )

    def canonical_mask(self, text: pa.Array) -> np.ndarray:
        return matches(text, f"[0-9]{{{self.min_digits},{self.max_digits}}}")

    def read_other(self, text: pa.Array) -> Parsed:
        lengths = f"{{{self.min_digits},{self.max_digits}}}"
        canonical = matches(text, f"[0-9]{lengths}")
        if canonical.all():
            return Parsed.of(text, text, self._reason())
        tidy = strip_edge_junk(text)
        tidy = replace(tidy, r"^([0-9]+)\.0$", r"\1")
        ambiguous = matches(tidy, r"[0-9]+\.00+")  # decimal places, or a group of zeros?
        grouped = matches(tidy, r"[0-9]+(?:[ .\-][0-9]+)*") & ~ambiguous
        digits = replace(where(grouped, tidy, None), r"[ .\-]", "")
        ok = matches(digits, f"[0-9]{lengths}") & ~canonical
        values = where(canonical, text, where(ok, digits, None))
        reasons = np.where(contains(text, r"\pL"), f"not a {self.name}: has letters", self._reason())
        reasons = np.where(ambiguous, f"ambiguous {self.name}: decimal places or a last group of zeros?", reasons)
        return Parsed.of(text, values, reasons, {f"{self.name}: separators or punctuation removed": ok})

    def _reason(self) -> str:
        return f"not a {self.name} of {self.min_digits} to {self.max_digits} digits"

    def check(self):
        return fullmatch_check(f"[0-9]{{{self.min_digits},{self.max_digits}}}", "digits")

    def describe(self) -> str:
        return f"{self.name} (digits as text)"


@dataclass(frozen=True)
class Email(Kind):
    """An e-mail address: one `@`, something before it, a dotted domain after it, no spaces."""

    label: ClassVar[str] = "e-mail address"
    accepts: ClassVar[str] = (
        "`name@domain.tld`; a `mailto:` prefix, spaces around the `@` and a repeated `@` (`@@`) removed"
    )
    SHAPE: ClassVar[str] = r"[^@\s]+@[^@\s]+\.[^@\s]+"

    def canonical_mask(self, text: pa.Array) -> np.ndarray:
        return matches(text, self.SHAPE) & ~contains(text, "(?i)^mailto:")

    def read_other(self, text: pa.Array) -> Parsed:
        canonical = matches(text, self.SHAPE) & ~contains(text, "(?i)^mailto:")
        if canonical.all():
            return Parsed.of(text, text, "not an e-mail address")
        tidy = replace(text, r"(?i)^mailto:", "")
        tidy = replace(tidy, r"\s*@+\s*", "@")
        ok = matches(tidy, self.SHAPE) & ~canonical
        values = where(canonical, text, where(ok, tidy, None))
        return Parsed.of(text, values, "not an e-mail address", {"repeated '@', spaces or mailto: removed": ok})

    def check(self):
        return fullmatch_check(self.SHAPE, "email_shape")
