"""ArrowText: the pandera column type of Arrow-backed text accepts exactly that dtype, with one check
per column (pandera's own check for `string[pyarrow]` judged every value)."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pytest
from pandera.errors import SchemaErrors

from multinational_assets.schema_types import ARROW_TEXT, TEXT, pandera_dtype

SCHEMA = pa.DataFrameSchema({"a": pa.Column(ARROW_TEXT, nullable=True)})


def test_arrow_backed_text_passes():
    frame = pd.DataFrame({"a": pd.array(["x", None, ""], dtype=TEXT)})
    assert SCHEMA.validate(frame, lazy=True) is not None


@pytest.mark.parametrize(
    "values",
    [pd.array(["x", None], dtype="string[python]"), pd.Series(["x", 1], dtype=object), pd.Series([1.0, 2.0])],
    ids=["python-backed text", "objects", "numbers"],
)
def test_anything_else_is_refused(values):
    with pytest.raises(SchemaErrors, match="string\\[pyarrow\\]"):
        SCHEMA.validate(pd.DataFrame({"a": values}), lazy=True)


def test_the_check_answers_once_for_the_column():
    values = pd.Series(pd.array(["x"] * 1000, dtype=TEXT))
    assert ARROW_TEXT.check(ARROW_TEXT, values) is True


def test_only_arrow_text_is_declared_with_it():
    assert pandera_dtype(TEXT) is ARROW_TEXT
    assert pandera_dtype(pd.Int64Dtype()) == pd.Int64Dtype()


def test_a_date_columns_dtype_is_found_by_the_engine_without_its_fallback_and_still_checked():
    """The `np.dtype` a date column reports is known to pandera's engine itself (the fallback tried to
    import geopandas on every validation), and a column of another type is still refused."""
    import numpy as np
    from pandera.engines import engine, pandas_engine

    assert str(engine.Engine.dtype(pandas_engine.Engine, np.dtype("datetime64[ns]"))) == "datetime64[ns]"
    dates = pa.DataFrameSchema({"d": pa.Column(np.dtype("datetime64[ns]"), nullable=True)})
    assert dates.validate(pd.DataFrame({"d": pd.to_datetime(["2020-01-02", None])}), lazy=True) is not None
    for wrong in (pd.Series(["2020-01-02"], dtype=object), pd.to_datetime(pd.Series(["2020-01-02"])).dt.tz_localize("UTC")):
        with pytest.raises(SchemaErrors):
            dates.validate(pd.DataFrame({"d": wrong}), lazy=True)
