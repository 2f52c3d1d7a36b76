"""Memory: what earlier steps left is let go before a step gets a big input (a cycle is collected, a
small input does not pay for a full collection), no step carries a Dagster hook (which would keep its
outputs alive), the allocator, and the loaded code kept out of collections."""

import gc
import weakref

import pandas as pd

from multinational_assets.defs.io_manager import BIG_INPUT_ROWS, release_before_big_input


def _frame_in_a_cycle():
    holder = {"frame": pd.DataFrame({"n": range(10)})}
    holder["self"] = holder  # a reference cycle keeps the frame alive after the last name goes
    return weakref.ref(holder["frame"])


def test_a_big_input_first_collects_frames_caught_in_cycles_and_a_small_one_does_not():
    gc.disable()
    try:
        small = _frame_in_a_cycle()
        assert release_before_big_input(1_000) is False
        assert small() is not None  # still alive: no collection before a small input
        assert release_before_big_input(BIG_INPUT_ROWS) is True
        assert small() is None
        unknown = _frame_in_a_cycle()
        assert release_before_big_input(None) is True  # a table written without its row count
        assert unknown() is None
    finally:
        gc.enable()


def test_no_step_carries_a_hook():
    """Dagster keeps every output of a step with a hook alive for the hook (at ten times the real
    size, 160 MB more at the run's peak)."""
    from multinational_assets.definitions import defs

    job = defs.resolve_job_def("refresh_everything")
    assert not job.hook_defs
    assert not [node.name for node in job.nodes if node.hook_defs]
    assert not [asset.node_def.name for asset in defs.assets if getattr(asset, "hook_defs", None)]


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
