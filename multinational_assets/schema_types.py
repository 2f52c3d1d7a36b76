"""The dtype text is held in, and the column types of the pandera schemas (raw and clean) that pandera
has no cheap check for."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
from pandera.engines import pandas_engine

# Text, raw and clean, is held Arrow-backed: a million-row table of short strings takes a fraction of
# the memory of Python string objects, and goes to COPY without a per-value pass.
TEXT = pd.StringDtype("pyarrow")


def arrow_held(values: pd.Series) -> pa.ChunkedArray | None:
    """The Arrow array a column of Arrow-backed text holds, as it is (shared, not copied; pandas keeps
    it as `large_string`); None for any other column."""
    if values.dtype == TEXT:
        return values.array.__arrow_array__()
    return None


class ArrowText(pandas_engine.STRING):
    """Arrow-backed text (`string[pyarrow]`), checked once per column.

    pandera's own `string[pyarrow]` answers a column of the right dtype with one True per value, which
    it then turns into an (empty) table of failure cases and a message: about 2 ms a column on every
    validation, most of the time a small table's cleaning spends in pandera. Here the answer is the
    dtype's alone: exactly Arrow-backed text passes; Python-backed text or objects do not."""

    def check(self, pandera_dtype, data_container=None) -> bool:
        try:
            return pandas_engine.Engine.dtype(pandera_dtype).type == self.type
        except TypeError:
            return False


ARROW_TEXT = ArrowText("pyarrow")


def pandera_dtype(dtype):
    """The type a schema column of this pandas dtype is declared with."""
    if dtype == TEXT:
        return ARROW_TEXT
    return dtype
