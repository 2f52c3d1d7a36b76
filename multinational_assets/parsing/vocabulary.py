"""Kinds whose values come from a known list: vocabularies (countries, store types, categories, ...)
and yes/no answers.

Values are compared in a *folded* form: accents removed, case ignored, everything but letters and
digits dropped, so `Super Store`, `super_store`, `SUPER-STORE` and `superstore` are one value. A value
that is none of the known ones is then read by three general rules, in order:

1. a declared synonym (`UK` for United Kingdom, `DEU` for DE);
2. junk glued around exactly one known value (`eeEurope`, `Europe.`, `GGB`): at most half the known
   value's length, in the same word (a separate word such as `North` in `North America` changes the
   meaning); around a value of three letters or fewer only a repeated letter counts as junk (`GGB`
   is GB, but `AUS` is not US);
3. a near spelling of exactly one known value of five or more letters: one letter missing, extra,
   wrong or two swapped (`Still_avaliable`, `Europa`), within its words (the extra letter in
   `S America` is a separate word, as in rule 2).

A well-formed value that is still unknown is kept as written and reported as a doubt (a new country
or store type is growth, not dirt); anything else is rejected.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from multinational_assets.parsing.kinds import Kind, Parsed
from multinational_assets.parsing.text import flags

RULE_TIDIED = "case, spacing or punctuation matched to the known value"
RULE_SYNONYM = "synonym read as the known value"
RULE_JUNK = "junk around a known value removed"
RULE_NEAR = "near spelling matched to the known value"
DOUBT_UNKNOWN = "not in the known vocabulary"


def fold(text: str) -> str:
    """The form values are compared in: no accents, no case, only letters and digits."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed.casefold() if ch.isalnum() and not unicodedata.combining(ch))


def _words(text: str) -> int:
    return sum(1 for token in text.split() if any(ch.isalnum() for ch in token))


def near(a: str, b: str) -> bool:
    """Whether `a` and `b` differ by at most one edit: a letter missing, extra, wrong, or two
    neighbouring letters swapped."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


@dataclass(frozen=True)
class _Outcome:
    value: object  # the clean value, or None when rejected
    rule: str | None = None  # the repair rule applied, if any
    unknown: bool = False  # kept, but not a known value
    reason: str | None = None  # why it was rejected


class _KnownValues(Kind):
    """Shared machinery: match each distinct value once, spread the outcomes over the column."""

    def _outcome(self, text: str) -> _Outcome:
        raise NotImplementedError

    def read(self, text: pa.Array) -> Parsed:
        encoded = pc.dictionary_encode(text)
        if isinstance(encoded, pa.ChunkedArray):
            encoded = encoded.combine_chunks()
        outcomes = [self._outcome(v) for v in encoded.dictionary.to_pylist()]
        indices = pc.fill_null(encoded.indices, 0).to_numpy(zero_copy_only=False)
        present = flags(pc.is_valid(text))

        def spread(values: list, dtype=object) -> np.ndarray:
            if not outcomes:
                return np.full(len(text), None if dtype is object else False, dtype=dtype)
            return np.asarray(values, dtype=dtype)[indices]

        # The clean values taken by Arrow from the distinct values' outcomes (a missing value has no
        # code, so stays missing): made from a column of Python objects, 0.6 ms for 12,000 rows.
        values = pc.take(pa.array([o.value for o in outcomes], type=self.arrow_type), encoded.indices)
        rules = spread([o.rule for o in outcomes])
        repairs = {rule: present & (rules == rule) for rule in {o.rule for o in outcomes} if rule}
        unknown = present & spread([o.unknown for o in outcomes], bool)
        reasons = spread([o.reason for o in outcomes])
        return Parsed.of(text, values, reasons, repairs, {DOUBT_UNKNOWN: unknown} if unknown.any() else {})


@dataclass(frozen=True)
class Vocabulary(_KnownValues):
    """One of `values` (canonical spellings). `synonyms` maps other names to a canonical value. A
    value is well-formed when it fits `shape` (RE2 on the value as written, after `case`); `words`
    means words of letters (digits standing alone are allowed: `VISA 16 digit`)."""

    values: tuple[str, ...] = ()
    synonyms: tuple[tuple[str, str], ...] = ()
    shape: str = "words"
    case: str = "keep"  # how an unknown value is kept: "upper" for codes
    name: str = "value"
    label: ClassVar[str] = "vocabulary"
    accepts: ClassVar[str] = (
        "a known value without regard to case, accents, spacing or punctuation; declared synonyms; "
        "junk glued around one known value; a near spelling (one edit) of one known value of five "
        "or more letters. A well-formed unknown value is kept and warned about"
    )
    _index: dict = field(default=None, compare=False, repr=False)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        index = {fold(v): v for v in self.values}
        synonyms = {fold(other): canonical for other, canonical in self.synonyms}
        object.__setattr__(self, "_index", (index, synonyms))

    def _outcome(self, text: str) -> _Outcome:
        known, synonyms = self._index
        folded = fold(text)
        if folded in known:
            value = known[folded]
            return _Outcome(value, None if value == text else RULE_TIDIED)
        if folded in synonyms:
            return _Outcome(synonyms[folded], RULE_SYNONYM)
        glued = [k for k in known if k and self._junk_around(text, folded, k, known[k])]
        if len(glued) == 1:
            return _Outcome(known[glued[0]], RULE_JUNK)
        close = [k for k in known if len(k) >= 5 and near(folded, k) and _words(text) <= _words(known[k])]
        if len(close) == 1:
            return _Outcome(known[close[0]], RULE_NEAR)
        kept = text.upper() if self.case == "upper" else text
        if self._well_formed(kept):
            return _Outcome(kept, unknown=True)
        return _Outcome(None, reason=f"not a {self.name}: unknown and not word-like")

    @staticmethod
    def _junk_around(text: str, folded: str, known: str, canonical: str) -> bool:
        at = folded.find(known)
        if at < 0 or folded.find(known, at + 1) >= 0:
            return False
        before, after = folded[:at], folded[at + len(known):]
        if len(before) + len(after) > max(1, len(known) // 2):
            return False
        if len(known) <= 3 and (set(before) - {known[0]} or set(after) - {known[-1]}):
            return False  # around a short code, only a stutter is junk: GGB is GB, AUS is not US
        return _words(text) <= _words(canonical)

    def _well_formed(self, text: str) -> bool:
        if self.shape != "words":
            return re.fullmatch(self.shape, text) is not None
        tokens = [t for t in re.split(r"[\s\-_/&.,'()]+", text) if t]
        letters = sum(ch.isalpha() for ch in text)
        return bool(tokens) and letters >= 2 and all(t.isalpha() or t.isdigit() for t in tokens)

    def describe(self) -> str:
        return f"{self.name} (one of {', '.join(self.values)})"


@dataclass(frozen=True)
class Boolean(_KnownValues):
    """Yes or no, from the words a source uses for each (`true_words`, `false_words`) and the usual
    answers (`yes`, `no`, `true`, `false`, `y`, `n`, `1`, `0`), which mean `yes_means`."""

    true_words: tuple[str, ...] = ()
    false_words: tuple[str, ...] = ()
    yes_means: bool = True
    sql_type: str = "bool"
    label: ClassVar[str] = "yes/no"
    accepts: ClassVar[str] = (
        "the source's words for yes and no and `yes/no/true/false/y/n/1/0`, without regard to case, "
        "spacing or punctuation; a near spelling (one edit) of a word of five or more letters"
    )
    arrow_type: ClassVar[pa.DataType] = pa.bool_()

    def _outcome(self, text: str) -> _Outcome:
        words = {fold(w): True for w in self.true_words} | {fold(w): False for w in self.false_words}
        answers = {a: self.yes_means for a in ("yes", "y", "true", "t", "1")} | {
            a: not self.yes_means for a in ("no", "n", "false", "f", "0")
        }
        folded = fold(text)
        if folded in words:
            return _Outcome(words[folded], None if text in self.true_words + self.false_words else RULE_TIDIED)
        if folded in answers:
            return _Outcome(answers[folded], RULE_SYNONYM)
        close = {words[w] for w in words if len(w) >= 5 and near(folded, w)}
        if len(close) == 1:
            return _Outcome(close.pop(), RULE_NEAR)
        return _Outcome(None, reason=f"not one of {', '.join(repr(w) for w in self.true_words + self.false_words)}")
