"""Properties of `multinational_assets.parsing.vocabulary`: vocabularies and yes/no answers.

The vocabularies here mirror the pipeline's (continents, store types, categories, card providers,
country codes and names, time periods), declared in this module so the tests stand alone. The
documented rules are checked one by one: tidied spellings (case, accents, spacing, punctuation,
underscores, hyphens), synonyms, junk glued around exactly one known value (only a stutter around a
short code; a separate word is not junk), near spellings of values of five or more letters, and
well-formed unknown values kept as a doubt while non-word-like junk is rejected.
"""

from __future__ import annotations

import unicodedata

import pyarrow as pa
from hypothesis import assume, given
from hypothesis import strategies as st

from multinational_assets.parsing import Boolean, Vocabulary
from multinational_assets.parsing.vocabulary import (
    DOUBT_UNKNOWN,
    RULE_JUNK,
    RULE_SYNONYM,
    RULE_TIDIED,
    fold,
    near,
)
from multinational_assets_tests.parsing import (
    ANY_TEXT,
    COLUMN_SETTINGS,
    SETTINGS,
    any_case,
    check_canonical,
    check_cases,
    check_rejected,
    columns,
    pipeline_text,
    read,
    read_text,
    repaired,
)

CONTINENT = Vocabulary(values=("America", "Europe"), name="continent")
STORE_TYPE = Vocabulary(values=("Local", "Super Store", "Mall Kiosk", "Outlet", "Web Portal"), name="store type")
CATEGORY = Vocabulary(
    values=("homeware", "toys-and-games", "food-and-drink", "pets", "sports-and-leisure", "health-and-beauty", "diy"),
    name="category",
)
CARD_PROVIDER = Vocabulary(
    values=("VISA 16 digit", "JCB 16 digit", "VISA 13 digit", "JCB 15 digit", "VISA 19 digit",
            "Diners Club / Carte Blanche", "American Express", "Maestro", "Discover", "Mastercard"),
    synonyms=(("Amex", "American Express"),),
    name="card provider",
)
COUNTRY_CODE = Vocabulary(
    values=("GB", "DE", "US"),
    synonyms=(("GBR", "GB"), ("UK", "GB"), ("DEU", "DE"), ("USA", "US")),
    shape="[A-Z]{2}",
    case="upper",
    name="country code",
)
COUNTRY = Vocabulary(
    values=("United Kingdom", "Germany", "United States"),
    synonyms=(("UK", "United Kingdom"), ("Great Britain", "United Kingdom"), ("Deutschland", "Germany"),
              ("USA", "United States"), ("United States of America", "United States")),
    name="country",
)
TIME_PERIOD = Vocabulary(values=("Morning", "Midday", "Evening", "Late_Hours"), name="time period")
VOCABULARIES = [CONTINENT, STORE_TYPE, CATEGORY, CARD_PROVIDER, COUNTRY_CODE, COUNTRY, TIME_PERIOD]
STILL_AVAILABLE = Boolean(
    true_words=("Still_available", "Still available", "available", "in stock", "active"),
    false_words=("Removed", "discontinued", "unavailable", "not available", "out of stock"),
    yes_means=False,
)
KINDS = [*VOCABULARIES, STILL_AVAILABLE]

VOCABULARY = st.sampled_from(VOCABULARIES)
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def synonyms_of(vocabulary: Vocabulary) -> dict[str, str]:
    return {fold(other): canonical for other, canonical in vocabulary.synonyms}


def reads_as(vocabulary: Vocabulary, folded: str) -> set[str]:
    """The known values `folded` is exactly, or is within one edit of (for the ambiguity checks)."""
    out = {v for v in vocabulary.values if fold(v) == folded or (len(fold(v)) >= 5 and near(folded, fold(v)))}
    if folded in synonyms_of(vocabulary):
        out.add(synonyms_of(vocabulary)[folded])
    return out


def contains_known(vocabulary: Vocabulary, folded: str, but: str | None = None) -> bool:
    return any(fold(v) in folded for v in vocabulary.values if v != but)


@SETTINGS
@given(st.sampled_from(KINDS), st.lists(st.one_of(st.none(), ANY_TEXT), max_size=20))
def test_no_kind_raises_on_arbitrary_text_and_invariants_hold(kind, values):
    parsed = read(kind, values)
    raw = read_text(kind, pa.array(values, type=pa.string()))
    for result in (parsed, raw):
        if isinstance(kind, Vocabulary):  # what a vocabulary returns is canonical
            again = read_text(kind, result.values)
            assert again.values.to_pylist() == result.values.to_pylist()
            assert not repaired(again).any(), again.repairs


# --------------------------------------------------------------------------------------------------
# Tidied spellings and synonyms


@st.composite
def tidied(draw, value: str) -> str:
    """`value` in any case, with accents, spaces, underscores, hyphens or punctuation between and
    around its words, or its words run together."""
    words = [w for w in value.replace("_", " ").replace("-", " ").split(" ") if w]
    joiner = st.sampled_from([" ", "  ", "_", "-", " - ", "", "/", ". "])
    written = words[0]
    for word in words[1:]:
        written += draw(joiner) + word
    written = draw(any_case(written))
    if draw(st.booleans()):  # accents on some letters (as a careless keyboard or autocorrect adds)
        marks = draw(st.lists(st.sampled_from(["", "", "\u0301", "\u0308"]), min_size=len(written), max_size=len(written)))
        written = unicodedata.normalize("NFC", "".join(c + m if c.isalpha() else c for c, m in zip(written, marks)))
    before = draw(st.sampled_from(["", "", " ", '"', "(", "'", "* "]))
    after = draw(st.sampled_from(["", "", " ", '"', ")", ".", "!", "?", " ;"]))
    return before + written + after


@st.composite
def tidied_case(draw) -> tuple[Vocabulary, str, str]:
    vocabulary = draw(VOCABULARY)
    value = draw(st.sampled_from(vocabulary.values))
    return vocabulary, draw(tidied(value)), value


@SETTINGS
@given(tidied_case())
def test_known_value_read_without_regard_to_case_accents_spacing_or_punctuation(case):
    vocabulary, written, value = case
    parsed = check_cases(vocabulary, [(written, value)])
    if pipeline_text([written])[0].as_py() == value:
        assert not repaired(parsed).any()
    else:
        assert parsed.repairs[RULE_TIDIED].tolist() == [True]
    assert not parsed.doubts


@COLUMN_SETTINGS
@given(VOCABULARY.flatmap(lambda v: st.tuples(st.just(v), columns(st.sampled_from(v.values).flatmap(
    lambda value: st.tuples(tidied(value), st.just(value)))))))
def test_vocabulary_columns(case):
    vocabulary, cases = case
    check_cases(vocabulary, cases)


@COLUMN_SETTINGS
@given(VOCABULARY.flatmap(lambda v: st.tuples(st.just(v), st.lists(st.sampled_from(v.values), min_size=1, max_size=50))))
def test_canonical_values_are_unchanged_and_not_repairs(case):
    vocabulary, values = case
    check_canonical(vocabulary, values, values)
    assert not read(vocabulary, values).doubts


@SETTINGS
@given(st.sampled_from([v for v in VOCABULARIES if v.synonyms]).flatmap(
    lambda v: st.tuples(st.just(v), st.sampled_from(v.synonyms))), st.data())
def test_synonyms_read_as_their_known_value(case, data):
    vocabulary, (other, canonical) = case
    parsed = check_cases(vocabulary, [(data.draw(tidied(other)), canonical)])
    assert parsed.repairs[RULE_SYNONYM].tolist() == [True]


# --------------------------------------------------------------------------------------------------
# Junk glued around one known value


@st.composite
def glued(draw) -> tuple[Vocabulary, str, str]:
    """Letters or digits glued onto a known value of four or more letters, in the same word, at most
    half the value's length."""
    vocabulary = draw(VOCABULARY)
    value = draw(st.sampled_from([v for v in vocabulary.values if len(fold(v)) >= 4] or ["-"]))
    assume(value != "-")
    budget = len(fold(value)) // 2
    before = draw(st.text(alphabet=LETTERS + LETTERS.upper() + "0123456789", max_size=budget))
    after = draw(st.text(alphabet=LETTERS + "0123456789", max_size=budget - len(before)))
    assume(before or after)
    written = before + value + after
    folded = fold(written)
    # Exactly one known value is there, and the whole is not another value, synonym or near spelling.
    assume(not contains_known(vocabulary, folded, but=value))
    assume(folded not in synonyms_of(vocabulary))
    return vocabulary, written, value


@SETTINGS
@given(glued())
def test_junk_glued_around_one_known_value_is_removed(case):
    vocabulary, written, value = case
    parsed = check_cases(vocabulary, [(written, value)])
    assert parsed.repairs[RULE_JUNK].tolist() == [True]


def test_junk_examples():
    read_back = read(CONTINENT, ["eeEurope", "eeAmerica", "Europe.", "Europeee"]).values.to_pylist()
    assert read_back == ["Europe", "America", "Europe", "Europe"]
    assert read(COUNTRY_CODE, ["GGB", "GBB", "DDE", "USS"]).values.to_pylist() == ["GB", "GB", "DE", "US"]


@SETTINGS
@given(st.sampled_from(COUNTRY_CODE.values), st.sampled_from(LETTERS.upper()), st.booleans())
def test_around_a_short_code_only_a_stutter_is_junk(code, letter, before):
    written = letter + code if before else code + letter
    stutter = letter == (code[0] if before else code[-1])
    folded = fold(written)
    assume(folded not in synonyms_of(COUNTRY_CODE))  # `USA` is a synonym of US, not junk
    value = read(COUNTRY_CODE, [written]).values.to_pylist()[0]
    if stutter:
        assert value == code, f"{written!r} read as {value!r}"
    else:
        assert value != code, f"{written!r} read as {code!r}: AUS is not US"


def test_aus_is_not_us():
    parsed = read(COUNTRY_CODE, ["AUS", "XGB", "GBX"])
    assert parsed.values.to_pylist() == [None, None, None]
    assert parsed.rejected.all()


WORD = st.text(alphabet=LETTERS, min_size=1, max_size=9)


@SETTINGS
@given(VOCABULARY, st.data(), WORD, st.booleans())
def test_a_separate_extra_word_is_not_junk(vocabulary, data, word, before):
    # `North America` is not America: a separate word changes the meaning, whatever its length.
    value = data.draw(st.sampled_from([v for v in vocabulary.values if fold(v).isalpha()]))
    word = data.draw(any_case(word))
    written = f"{word} {value}" if before else f"{value} {word}"
    folded = fold(written)
    # Not another value, a synonym, near another value, or junk around another value.
    assume(reads_as(vocabulary, folded) <= {value} and not contains_known(vocabulary, folded, but=value))
    parsed = read(vocabulary, [written])
    assert parsed.values.to_pylist()[0] != value, f"{written!r} read as {value!r}"


def test_north_america_stays_unknown():
    parsed = read(CONTINENT, ["North America", "South  America", "S America", "America 2"])
    assert parsed.values.to_pylist() == ["North America", "South America", "S America", "America 2"]
    assert parsed.doubts[DOUBT_UNKNOWN].tolist() == [True] * 4
    assert not parsed.rejected.any() and not repaired(parsed).any()


# --------------------------------------------------------------------------------------------------
# Near spellings


def edits(folded: str) -> st.SearchStrategy[str]:
    """One edit: a letter missing, extra, wrong, or two neighbours swapped."""
    at = st.integers(0, len(folded) - 1)
    letter = st.sampled_from(LETTERS)
    return st.one_of(
        at.map(lambda i: folded[:i] + folded[i + 1 :]),
        st.tuples(st.integers(1, len(folded) - 1), letter).map(lambda p: folded[: p[0]] + p[1] + folded[p[0] :]),
        st.tuples(at, letter).map(lambda p: folded[: p[0]] + p[1] + folded[p[0] + 1 :]),
        st.integers(0, len(folded) - 2).map(lambda i: folded[:i] + folded[i + 1] + folded[i] + folded[i + 2 :]),
    )


@st.composite
def near_spelling(draw) -> tuple[Vocabulary, str, str]:
    vocabulary = draw(VOCABULARY)
    value = draw(st.sampled_from([v for v in vocabulary.values if len(fold(v)) >= 5] or ["-"]))
    assume(value != "-")
    edited = draw(edits(fold(value)))
    # Not another value (or within one edit of one), a synonym, or junk around another value.
    assume(reads_as(vocabulary, edited) <= {value})
    assume(not contains_known(vocabulary, edited, but=value))
    return vocabulary, draw(any_case(edited)), value


@SETTINGS
@given(near_spelling())
def test_near_spellings_of_values_of_five_or_more_letters_are_matched(case):
    vocabulary, written, value = case
    check_cases(vocabulary, [(written, value)])


def test_near_spelling_examples():
    assert read(CONTINENT, ["Europa", "Amercia", "Eurpe"]).values.to_pylist() == ["Europe", "America", "Europe"]
    assert read(STILL_AVAILABLE, ["Still_avaliable", "Removd"]).values.to_pylist() == [True, False]


@SETTINGS
@given(st.sampled_from(["pets", "diy"]), st.data())
def test_values_shorter_than_five_letters_have_no_near_spellings(value, data):
    edited = data.draw(edits(value))
    assume(edited != value and not contains_known(CATEGORY, edited) and value not in edited)
    parsed = read(CATEGORY, [edited])
    assert parsed.values.to_pylist()[0] != value


# --------------------------------------------------------------------------------------------------
# Unknown values: kept when well-formed, rejected otherwise


@st.composite
def unknown_words(draw, vocabulary: Vocabulary) -> str:
    words = draw(st.lists(st.text(alphabet=LETTERS, min_size=2, max_size=10), min_size=1, max_size=3))
    written = draw(any_case(" ".join(words)))
    folded = fold(written)
    assume(not reads_as(vocabulary, folded) and not contains_known(vocabulary, folded))
    assume(written.lower() not in ("nan", "nil", "null", "none"))  # missing-value markers
    return written


@SETTINGS
@given(
    st.sampled_from([v for v in VOCABULARIES if v.shape == "words"]).flatmap(lambda v: st.tuples(st.just(v), unknown_words(v)))
)
def test_a_well_formed_unknown_value_is_kept_as_written_and_doubted(case):
    vocabulary, written = case
    parsed = read(vocabulary, [written, None])
    assert parsed.values.to_pylist() == [written, None]
    assert not parsed.rejected.any() and not repaired(parsed).any()
    assert parsed.doubts[DOUBT_UNKNOWN].tolist() == [True, False]


@SETTINGS
@given(st.text(alphabet="ACEFHIJKLMNOPQRTVWXYZ", min_size=2, max_size=2), st.booleans())
def test_an_unknown_code_of_the_right_shape_is_kept_in_upper_case_and_doubted(code, lower):
    assume(fold(code) not in synonyms_of(COUNTRY_CODE))
    parsed = read(COUNTRY_CODE, [code.lower() if lower else code])
    assert parsed.values.to_pylist() == [code]
    assert parsed.doubts[DOUBT_UNKNOWN].tolist() == [True]


@SETTINGS
@given(
    VOCABULARY,
    st.one_of(
        st.text(alphabet="0123456789#%&*+=!?;:<>[]{}|~^$@", min_size=1, max_size=8),  # no letters
        st.tuples(st.sampled_from(LETTERS), st.text(alphabet="0123456789#%*=!?", min_size=1, max_size=6)).map("".join),
        st.from_regex(r"[a-z]{1,3}[0-9]{1,3}[a-z]{1,3}", fullmatch=True),  # letters and digits in one token
    ),
)
def test_junk_that_is_not_word_like_is_rejected(vocabulary, junk):
    folded = fold(junk)
    assume(not reads_as(vocabulary, folded) and not contains_known(vocabulary, folded))
    assume(junk.lower() not in ("nan", "nil", "n/a", "null", "none"))
    check_rejected(vocabulary, [junk], "not word-like")


# --------------------------------------------------------------------------------------------------
# Yes/no answers

ANSWERS = {
    "yes": True,
    "y": True,
    "true": True,
    "t": True,
    "1": True,
    "no": False,
    "n": False,
    "false": False,
    "f": False,
    "0": False,
}


@st.composite
def boolean_spelling(draw) -> tuple[str, bool]:
    how = draw(st.sampled_from(["word", "answer", "near"]))
    if how == "answer":
        answer = draw(st.sampled_from(sorted(ANSWERS)))
        return draw(tidied(answer)), ANSWERS[answer] == STILL_AVAILABLE.yes_means
    words = {w: True for w in STILL_AVAILABLE.true_words} | {w: False for w in STILL_AVAILABLE.false_words}
    word = draw(st.sampled_from(sorted(words)))
    if how == "near" and len(fold(word)) >= 5:
        edited = draw(edits(fold(word)))
        close = {meaning for w, meaning in words.items() if len(fold(w)) >= 5 and near(edited, fold(w))}
        exact = {meaning for w, meaning in words.items() if fold(w) == edited}
        assume(close | exact == {words[word]} and edited not in ANSWERS)
        return draw(any_case(edited)), words[word]
    return draw(tidied(word)), words[word]


@SETTINGS
@given(boolean_spelling())
def test_boolean_read_from_words_answers_and_near_spellings(case):
    check_cases(STILL_AVAILABLE, [case])


@COLUMN_SETTINGS
@given(columns(boolean_spelling()))
def test_boolean_columns(cases):
    check_cases(STILL_AVAILABLE, cases)


def test_boolean_canonical_words_are_not_repairs():
    words = [*STILL_AVAILABLE.true_words, *STILL_AVAILABLE.false_words]
    check_canonical(STILL_AVAILABLE, words, [True] * 5 + [False] * 5)


@SETTINGS
@given(unknown_words(CONTINENT))
def test_boolean_rejects_what_it_cannot_read(written):
    words = [*STILL_AVAILABLE.true_words, *STILL_AVAILABLE.false_words]
    folded = fold(written)
    assume(folded not in ANSWERS and not any(fold(w) == folded or near(folded, fold(w)) for w in words))
    check_rejected(STILL_AVAILABLE, [written], "not one of")
