"""The one hook: memory given back after a step that held big frames (see `memory.release_memory`).

Attached to the raw and clean layers' steps. It reads the size of the step's frames from the row
counts the step put in its outputs' metadata (`rows` or `rows_in`): a full collection costs about
0.3 s, paid only after a step of at least `BIG_STEP_ROWS` rows.
"""

from dagster import HookContext, failure_hook, success_hook

from multinational_assets.memory import release_memory

BIG_STEP_ROWS = 100_000
ROW_COUNTS = ("rows", "rows_in")


def step_rows(context: HookContext) -> int:
    """The largest row count among the step's outputs (0 when none says)."""
    counts = [
        int(metadata[name].value)
        for metadata in context.op_output_metadata.values()
        for name in ROW_COUNTS
        if name in metadata
    ]
    return max(counts, default=0)


def release_if_big(context: HookContext) -> bool:
    if step_rows(context) < BIG_STEP_ROWS:
        return False
    release_memory()
    return True


@success_hook(name="release_memory_after_success")
def _after_success(context: HookContext) -> None:
    release_if_big(context)


@failure_hook(name="release_memory_after_failure")
def _after_failure(context: HookContext) -> None:
    release_memory()  # a failed step's frames are garbage whatever their size


RELEASE_MEMORY = {_after_success, _after_failure}
