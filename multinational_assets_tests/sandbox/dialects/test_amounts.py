"""Spelling rules of amounts that a small world is too small to show every time: the stray-letter
staff dirt keeps its rule, and weights convert exactly."""

from __future__ import annotations

import math

import numpy as np
import pytest

from multinational_assets.sandbox.dialects import amounts
from multinational_assets.sandbox.dialects.spellings import SPELLINGS
from multinational_assets_tests.sandbox.dialects.meanings import DIALECTS, staff_value, weight_value


@pytest.mark.parametrize("dialect", DIALECTS)
def test_staff_letter_dirt_keeps_its_rule(dialect: int) -> None:
    values = np.array(["J78", "1a23", "3n", "12Q4", "45", "7"] * 40, dtype=object)
    out = amounts.staff(values, np.random.default_rng(1), {**SPELLINGS[dialect], "pad_share": 0.0})
    assert [staff_value(v) for v in out] == [staff_value(v) for v in values]
    letters = [sum(ch.isalpha() for ch in v) for v in out]
    assert max(letters) == (2 if dialect == 2 else 1)
    assert all(n == 1 for v, n in zip(values, letters) if not v.isdigit() and len(v) <= 3)


def test_weights_convert_exactly() -> None:
    cases = {"400g": "0.4 kg", "5g": "0.005 kg", "1.6kg": "1600 g", "2kg": "2000 g",
             "1160kg": "1160000 g", "3.5g": "3500 mg", "500ml": "0.5 l", "2000ml": "2 l",
             "16oz": "1 lb"}
    for source, expected in cases.items():
        form = {"g": "to_kg", "kg": "to_g", "g_decimal": "to_mg", "ml": "to_l", "oz": "lb"}[
            amounts.weight_shape(source)]
        assert amounts.weight_form(form)([source]) == [expected]
        assert math.isclose(weight_value(expected), weight_value(source), rel_tol=1e-9)
