"""Letting go of big frames between steps.

Frames caught in reference cycles outlive their step until Python's occasional full collection; after
a step over a million rows that kept over 500 MB alive into the next step. A full collection costs
about 0.3 s (some 300,000 tracked objects once Dagster is imported), so it is only worth running after
a step that held big frames.
"""

import gc

BIG_STEP_ROWS = 100_000


def release_after_step(rows: int) -> bool:
    """Collect reference cycles if the step just finished handled at least `BIG_STEP_ROWS` rows;
    returns whether it did."""
    if rows < BIG_STEP_ROWS:
        return False
    gc.collect()
    return True
