"""Letting go of big frames between steps: a cycle is collected after a big step, and a small step
does not pay for a full collection."""

import gc
import weakref

import pandas as pd

from multinational_assets.memory import BIG_STEP_ROWS, release_after_step


def _frame_in_a_cycle():
    holder = {"frame": pd.DataFrame({"n": range(10)})}
    holder["self"] = holder  # a reference cycle keeps the frame alive after the last name goes
    return weakref.ref(holder["frame"])


def test_a_big_step_collects_frames_caught_in_cycles_and_a_small_one_does_not():
    gc.disable()
    try:
        small = _frame_in_a_cycle()
        assert release_after_step(1_000) is False
        assert small() is not None  # still alive: no collection for a small step
        assert release_after_step(BIG_STEP_ROWS) is True
        assert small() is None
    finally:
        gc.enable()


def test_arrow_allocates_from_a_pool_that_gives_memory_back():
    import pyarrow

    import multinational_assets.memory  # noqa: F401 - sets the pool on import

    assert pyarrow.default_memory_pool().backend_name in ("jemalloc", "system")
