"""The facts and helpers several clean tables' rules share."""

import pandas as pd

from multinational_assets.cleaning.domain import COUNTRY_NAME_OF, disagrees_with
from multinational_assets.schema_types import TEXT


def test_disagrees_with_flags_a_known_value_that_differs_from_what_its_key_expects():
    code_of = {name: code for code, name in COUNTRY_NAME_OF.items()}
    codes = pd.Series(["GB", "DE", None, "US", "FR", "GB", "gb"], dtype=TEXT, index=range(10, 17))
    countries = pd.Series(
        ["United Kingdom", "United Kingdom", "Germany", None, "France", "Atlantis", "United Kingdom"], dtype=TEXT,
        index=range(10, 17),
    )
    flagged = disagrees_with(codes, countries, code_of)
    # A missing value or key, or a key not listed, is not a disagreement (reported elsewhere); a
    # differently written value is (the clean value is what is compared).
    assert flagged.tolist() == [False, True, False, False, False, False, True]
    assert flagged.index.equals(codes.index)
