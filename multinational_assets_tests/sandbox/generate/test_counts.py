"""The scaling rule, and a small world's counts following it."""

from __future__ import annotations

import json

import pytest

from multinational_assets.sandbox.generate import scaled
from multinational_assets_tests.sandbox.world_readers import USER_TEXT, read_copy_csv, split_dirty, world_at


def test_scaling_rule() -> None:
    assert scaled(15284, 10) == 152840
    assert scaled(21, 0.05) == 1  # 1.05 rounds to 1
    assert scaled(1, 0.05) == 1  # at least 1 where non-zero
    assert scaled(0, 3) == 0
    assert scaled(5, 0.5) == 3  # half up


def test_small_scale_counts_follow_the_rule(tmp_path_factory: pytest.TempPathFactory) -> None:
    out = world_at(tmp_path_factory, seed=7, scale=0.05)
    users = read_copy_csv(out / "legacy" / "legacy_users.csv")
    null, garbage = split_dirty(users, USER_TEXT)
    assert (int(null.sum()), int(garbage.sum())) == (scaled(21, 0.05), scaled(15, 0.05))
    assert len(users) == sum(scaled(n, 0.05) for n in (9371, 4708, 1205, 21, 15))
    stores = json.loads((out / "api" / "stores.json").read_text(encoding="utf-8"))
    assert sum(s["store_type"] == "Web Portal" for s in stores) == 1  # one web store at any scale
    assert len(stores) == 1 + sum(scaled(n, 0.05) for n in (265, 141, 34, 3, 7))
