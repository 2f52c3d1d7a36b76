"""The dtype text is held in, and the column types of the pandera schemas (raw and clean) that pandera
has no cheap check for."""

from __future__ import annotations

import numpy as np
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


@pandas_engine.Engine.register_dtype(equivalents=[np.dtype("datetime64[ns]")])
class NaiveNanoseconds(pandas_engine.DateTime):
    """pandera's `datetime64[ns]`, found also by the `np.dtype` object a date column reports.

    pandera's engine knows the type by its name but not by that object, so every validation of a date
    column fell through to a fallback that first tries to import geopandas: absent, a search of every
    folder on `sys.path` each time (32 us a try, eleven tries in the six cleanings).
    Registered as pandera's own extension point allows; it checks exactly what `DateTime` checks."""


def pandera_dtype(dtype):
    """The type a schema column of this pandas dtype is declared with."""
    if dtype == TEXT:
        return ARROW_TEXT
    return dtype
