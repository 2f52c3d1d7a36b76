"""Memory: the hook that lets go of big frames after a step (a cycle is collected after a big step, a
small step does not pay for a full collection), the allocator, and the loaded code kept out of
collections."""

import gc
import weakref

import pandas as pd

from multinational_assets.defs.hooks import BIG_STEP_ROWS, release_if_big


def _frame_in_a_cycle():
    holder = {"frame": pd.DataFrame({"n": range(10)})}
    holder["self"] = holder  # a reference cycle keeps the frame alive after the last name goes
    return weakref.ref(holder["frame"])


class _Step:
    """What the hook reads of a finished step: its outputs' metadata."""

    def __init__(self, rows: int, name: str = "rows"):
        from dagster import MetadataValue

        self.op_output_metadata = {"clean": {name: MetadataValue.int(rows)}, "quarantine": {}}


def test_a_big_step_collects_frames_caught_in_cycles_and_a_small_one_does_not():
    gc.disable()
    try:
        small = _frame_in_a_cycle()
        assert release_if_big(_Step(1_000)) is False
        assert small() is not None  # still alive: no collection for a small step
        assert release_if_big(_Step(BIG_STEP_ROWS, "rows_in")) is True
        assert small() is None
    finally:
        gc.enable()


def test_the_big_steps_carry_the_hook():
    from multinational_assets.defs.clean.assets import clean_assets
    from multinational_assets.defs.hooks import RELEASE_MEMORY
    from multinational_assets.defs.raw.assets import extract_card_details, extract_sources

    for asset in [extract_sources, extract_card_details, *clean_assets]:
        assert RELEASE_MEMORY <= set(asset.hook_defs), asset.node_def.name


def test_arrow_allocates_from_a_pool_that_gives_memory_back():
    import pyarrow

    from multinational_assets.memory import use_returning_allocator_for_arrow

    use_returning_allocator_for_arrow()  # what definitions.py does, once
    assert pyarrow.default_memory_pool().backend_name in ("jemalloc", "system")


def test_code_loaded_in_loading_code_is_frozen_out_of_collections_and_collections_resume():
    from multinational_assets.memory import loading_code

    assert gc.isenabled()
    try:
        with loading_code():
            assert not gc.isenabled()  # no collection walks the half-loaded code
            loaded = [{"definition": n} for n in range(1000)]
        assert gc.isenabled()
        frozen = gc.get_freeze_count()
        assert frozen >= len(loaded)
        assert not any(o is loaded for o in gc.get_objects())  # a collection no longer walks it
        gc.disable()
        with loading_code():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.unfreeze()
        gc.enable()


def test_importing_the_definitions_leaves_a_small_heap_for_collections_to_walk():
    import subprocess
    import sys

    probe = (
        "import gc, multinational_assets.definitions; "
        "print(gc.isenabled(), gc.get_freeze_count(), len(gc.get_objects()))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    enabled, frozen, walked = out[0] == "True", int(out[1]), int(out[2])
    assert enabled
    # Dagster's definitions are some 300,000 objects; a full collection now walks a few thousand.
    assert frozen > 100_000
    assert walked < frozen / 10
