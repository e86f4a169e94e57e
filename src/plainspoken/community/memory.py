"""Handing freed memory back to the system between the phases of a long analysis.

Freeing an array or a table does not always shrink the process: glibc's allocator keeps freed
heap to reuse it, and Arrow's allocator keeps freed pages for a while. Over a big community the
kept memory adds up to gigabytes that the next phase does not reuse (its pieces have other
sizes). ``give_back`` asks both allocators to return what they hold unused; it frees nothing
that is in use, so calling it only costs the time it takes (milliseconds to a second).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from collections.abc import Callable


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None where the C library has none (macOS, musl)."""
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def give_back() -> None:
    """Return the memory the allocators hold unused to the system."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
