"""A source as the generator holds it (`SourceTable`: its truth, its raw rows, its quarantine), and
mixing the unrecoverable NULL and garbage rows in among the valid ones."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from multinational_assets.sandbox.generate.draws import garbage_strings

NULL_TEXT = "NULL"


@dataclass
class SourceTable:
    """One source: its clean truth, its raw rows (text, source order) and the rejected raw rows."""

    clean: pd.DataFrame
    raw: pd.DataFrame
    quarantine: pd.DataFrame
    extra: dict = field(default_factory=dict)


def mix_dirty(rng: np.random.Generator, valid_raw: pd.DataFrame, label_cols: Sequence[str],
              n_null: int, n_garbage: int) -> tuple[pd.DataFrame, np.ndarray]:
    """Append NULL and garbage rows (every non-label column) and shuffle all rows together.

    Returns the mixed frame and a boolean mask of its dirty rows.
    """
    text_cols = [c for c in valid_raw.columns if c not in label_cols]
    null = pd.DataFrame({c: [NULL_TEXT] * n_null for c in text_cols})
    garbage = pd.DataFrame(garbage_strings(rng, n_garbage, len(text_cols)), columns=text_cols)
    mixed = pd.concat([valid_raw[text_cols], null, garbage], ignore_index=True)
    dirty = np.r_[np.zeros(len(valid_raw), bool), np.ones(n_null + n_garbage, bool)]
    order = rng.permutation(len(mixed))
    return mixed.iloc[order].reset_index(drop=True), dirty[order]
