"""Strings kept in files and read back with positioned reads, for columns read rarely.

A big community's post ids, thread titles and account names are hundreds of megabytes each,
but the analysis reads them only at its start (titles, for product names) and for the posts,
threads and accounts its evidence and report name. ``StoredStrings`` appends them to two files
beside the datasets (the strings' bytes, and where each one ends) whose names are removed at
once, so nothing is left behind: their space is freed when the strings go.

They are read with ``os.pread``, not through a memory map. On Linux 6.x the page cache holds
large folios, and one read through a map brings the whole folio (up to megabytes of the file)
into the process: a thousand scattered reads of a mapped 200 MB file made all of it resident,
and at 22.7M posts the evidence's scattered reads did the same to every mapped column
(600 MB). A positioned read copies only the bytes asked for.
"""

from __future__ import annotations

import os
import tempfile
import weakref
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, overload

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from plainspoken.community.arrays import distinct

_PART = 65_536  # strings read at a time when they are read in order
_WRITE = 1_000_000  # strings written at a time


def _temporary(folder: Path | None, suffix: str) -> int:
    """A file opened for reading and writing whose name is already gone."""
    handle, name = tempfile.mkstemp(prefix=".strings-", suffix=suffix, dir=folder)
    Path(name).unlink()
    return handle


def _close(*handles: int) -> None:
    for handle in handles:
        os.close(handle)


class StoredStrings(Sequence[str]):
    """Strings by position, kept on disk; a null is stored as ``""``.

    ``extend`` appends; reading (``[i]``, ``take``, ``part``, iteration) may start at any time.
    """

    __slots__ = ("__weakref__", "_count", "_data", "_ends", "_size")

    def __init__(
        self,
        values: pa.Array[Any] | pa.ChunkedArray[Any] | Iterable[str] = (),
        folder: Path | None = None,
    ) -> None:
        self._data = _temporary(folder, ".bytes")
        try:
            self._ends = _temporary(folder, ".ends")
        except OSError:
            os.close(self._data)
            raise
        weakref.finalize(self, _close, self._data, self._ends)
        self._count = 0
        self._size = 0
        self.extend(values)

    def extend(self, values: pa.Array[Any] | pa.ChunkedArray[Any] | Iterable[str]) -> None:
        """Append strings (an Arrow string column, or any strings) after those stored."""
        if not isinstance(values, pa.Array | pa.ChunkedArray):
            values = pa.array(list(values), pa.string())
        for lo in range(0, len(values), _WRITE):
            part = values.slice(lo, _WRITE)
            if isinstance(part, pa.ChunkedArray):
                part = part.combine_chunks()
            part = part.cast(pa.large_string()).fill_null("")
            offsets, data = part.buffers()[1:3]
            if offsets is None:  # no strings in this part
                continue
            bounds = np.frombuffer(memoryview(offsets), dtype=np.int64)
            bounds = bounds[part.offset : part.offset + len(part) + 1]
            first, last = int(bounds[0]), int(bounds[-1])
            if last > first and data is not None:
                os.pwrite(self._data, memoryview(data)[first:last], self._size)
            ends = (bounds[1:] - first + self._size).astype(np.int64)
            os.pwrite(self._ends, ends.tobytes(), 8 * self._count)
            self._count += len(part)
            self._size += last - first

    def __len__(self) -> int:
        return self._count

    def _bounds(self, lo: int, hi: int) -> npt.NDArray[np.int64]:
        """Where strings ``lo`` to ``hi`` (excluded) start, and where the last one ends."""
        if lo == 0:
            ends = os.pread(self._ends, 8 * hi, 0)
            return np.concatenate([np.zeros(1, np.int64), np.frombuffer(ends, dtype=np.int64)])
        return np.frombuffer(os.pread(self._ends, 8 * (hi - lo + 1), 8 * (lo - 1)), np.int64)

    def part(self, lo: int, hi: int) -> pa.Array[Any]:
        """Strings ``lo`` to ``hi`` (excluded) as an Arrow string array."""
        lo, hi = max(0, lo), min(hi, self._count)
        if hi <= lo:
            return pa.array([], pa.string())
        bounds = self._bounds(lo, hi)
        start = int(bounds[0])
        data = os.pread(self._data, int(bounds[-1]) - start, start)
        array = pa.LargeStringArray.from_buffers(
            hi - lo, pa.py_buffer((bounds - start).tobytes()), pa.py_buffer(data)
        )
        return array.cast(pa.string())

    def parts(self, size: int | None = None) -> Iterator[pa.Array[Any]]:
        """Every string in order, ``size`` (default ``_PART``) at a time."""
        size = size or _PART
        for lo in range(0, self._count, size):
            yield self.part(lo, lo + size)

    def _one(self, position: int) -> str:
        bounds = self._bounds(position, position + 1)
        start, stop = int(bounds[0]), int(bounds[1])
        return os.pread(self._data, stop - start, start).decode("utf-8")

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            start, stop, step = index.indices(self._count)
            if step == 1:
                return [str(v) for v in self.part(start, stop).to_pylist()]
            return self.take(range(start, stop, step))
        position = index.__index__()
        if position < 0:
            position += self._count
        if not 0 <= position < self._count:
            raise IndexError("string index out of range")
        return self._one(position)

    def take(self, positions: Sequence[int] | npt.NDArray[np.integer[Any]]) -> list[str]:
        """The strings at some positions, in the order given (each distinct one read once)."""
        wanted = np.asarray(positions, dtype=np.int64)
        if len(wanted) == 0:
            return []
        if wanted.min() < 0 or wanted.max() >= self._count:
            raise IndexError("string index out of range")
        each = distinct(wanted)
        found = [self._one(p) for p in each.tolist()]
        return [found[i] for i in np.searchsorted(each, wanted).tolist()]

    def __iter__(self) -> Iterator[str]:
        for part in self.parts():
            yield from (str(v) for v in part.to_pylist())

    def where(self, values: Sequence[str]) -> npt.NDArray[np.int64]:
        """The positions holding any of ``values``, ascending (one pass over the strings)."""
        chosen = pa.array(list(values), pa.string())
        found: list[npt.NDArray[np.int64]] = []
        lo = 0
        for part in self.parts():
            hit = pc.is_in(part, value_set=chosen).to_numpy(zero_copy_only=False)
            found.append(np.flatnonzero(np.asarray(hit, dtype=bool)) + lo)
            lo += len(part)
        return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)
