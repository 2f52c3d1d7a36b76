"""Memory: the allocator Arrow uses, the loaded code kept out of garbage collections, collections
paused while a table's rows are made, and memory given back before a step is handed a big input. Each
is called explicitly: the allocator and the freeze by `definitions.py`, the pause by the PDF reader,
the release by the IO manager (`release_before_big_input`).

Frames caught in reference cycles outlive their step until Python's occasional full collection; after
a step over a million rows that kept over 500 MB alive into the next step. A full collection walks
every tracked object, so the code loaded with the Definitions is frozen out of collections first.
"""

import contextlib
import ctypes
import ctypes.util
import gc

import pyarrow


def _malloc_trim():
    """glibc's malloc_trim, or None elsewhere (musl, macOS): it gives the heap's free pages back."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):
        return None


_TRIM = _malloc_trim()


def use_returning_allocator_for_arrow() -> None:
    """Have Arrow allocate with jemalloc, which `release_memory` can empty. The raw step builds Arrow
    tables in worker threads and the main thread frees them; Arrow's default allocator (mimalloc) kept
    those threads' pages for the rest of the run: 370 MB after reading the 1.2M orders alone, 500 MB
    after the raw step at scale 10 (jemalloc: 230 MB). The C library's malloc gives memory back as
    well, but in the one scale-10 run measured the clean steps were slower with it."""
    try:
        pool = pyarrow.jemalloc_memory_pool()
    except NotImplementedError:  # ArrowNotImplementedError is one
        pool = pyarrow.system_memory_pool()  # a pyarrow build without jemalloc
    pyarrow.set_memory_pool(pool)


@contextlib.contextmanager
def loading_code():
    """Around the import of the Definitions: no collections while the code loads, then every object
    alive (modules, classes, Dagster's definitions: some 300,000) is frozen out of the reach of later
    collections. A full collection walks every tracked object: a scale-1 run made ten, 3.1 s of its
    22 s, six of them while the code loaded. What exists then is code that lives as long as the
    process anyway (the few garbage objects of the imports are kept, a few kilobytes)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


@contextlib.contextmanager
def collection_paused():
    """No collections while a table's rows are made as Python lists (lists of strings: no cycles to
    find). A collection walks every tracked object of the process: cutting the card PDF's cells into
    rows at ten times the real size took 0.27 to 0.35 s with collections and 0.06 s without, in a
    process holding 20,000 small frames (a run's process holds more)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def release_memory() -> None:
    """Collect reference cycles and give freed memory back to the system. Freed memory stays with the
    process unless handed back: Arrow's allocator keeps it for reuse, and glibc keeps the free pages
    of its heap; without this the process stayed at its high-water mark (1.4 GB at scale 10) for the
    rest of the run. A full collection of what is not frozen costs about 25 ms at scale 1, so only a
    step about to get a big input calls it."""
    gc.collect()
    pyarrow.default_memory_pool().release_unused()
    if _TRIM is not None:
        _TRIM(0)
