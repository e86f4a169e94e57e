"""What the authenticity analysis leaves in the engine and reads when a step asks for it.

The engine's numbered-posts table (``queries.POSTS_TABLE``) keeps every post's time and
timing, and its texts table (``queries.TEXTS_TABLE``) every post's text; ``EngineTexts``
hands out texts in batches for the one pass over them or for posts picked by number; the
timing a range of posts at a time (while replies are judged), whole (the evaluation) or for
picked posts (the flagged threads' timelines); and the times (only the evaluation's co-reply
baseline reads them). None of them is held beside the analysis's own arrays from start to
end.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from plainspoken.community.arrays import distinct
from plainspoken.community.authenticity.queries import (
    PICKED_TEXTS,
    PICKED_TIMING,
    POST_TEXTS,
    POST_TIMES,
    POST_TIMING,
    SAMPLE_TEXTS,
)
from plainspoken.engine import Engine, Query

_US = 1_000_000
_PICK_WINDOW = 100_000  # post numbers per query when texts are picked by number
COLUMN_BATCH = 1_000_000  # numbered posts read from the engine at a time
Array = npt.NDArray[Any]


@dataclass(frozen=True)
class Timing:
    """Per post, in seconds (NaN where unknown): since its thread opened, since the previous
    post in the thread, and the age of its author's account when it was written."""

    since_thread: npt.NDArray[np.float64]
    since_previous: npt.NDArray[np.float64]
    account_age: npt.NDArray[np.float64]

    def __len__(self) -> int:
        return len(self.since_thread)


class Texts(Protocol):
    """What stays in the engine until asked for: post texts, in batches for one pass or a
    few picked by number; every post's timing (read once, to judge replies, and for the
    posts of the threads a report shows); when every post was written (the analysis itself
    does not need it)."""

    def batches(self, size: int) -> Iterator[tuple[int, list[str]]]:
        """(number of the first post, texts) for every post in order."""
        ...

    def sample(self, step: int) -> list[str]:
        """Every ``step``-th post's text."""
        ...

    def pick(self, positions: Sequence[int]) -> dict[int, str]:
        """The texts of some posts by number."""
        ...

    def times(self) -> npt.NDArray[np.float64]:
        """Every post's time (seconds since the epoch), by number."""
        ...

    def timing(self, positions: Sequence[int] | Array | None = None) -> Timing:
        """The timing of every post by number, or of the posts at ``positions`` in their
        order, in new arrays the caller may change."""
        ...

    def timing_ranges(self, size: int | None = None) -> Iterator[tuple[int, Timing]]:
        """(number of the first post, timing) for every post in order, ``size`` posts
        (default ``COLUMN_BATCH``) at a time, in new arrays the caller may change."""
        ...


class EngineTexts:
    """Texts kept in the engine's numbered-posts table (the engine must stay open)."""

    def __init__(self, engine: Engine, count: int) -> None:
        self.engine = engine
        self.count = count

    def batches(self, size: int) -> Iterator[tuple[int, list[str]]]:
        for first in range(0, self.count, size):
            table = self.engine.run(POST_TEXTS, first=first, stop=first + size)
            texts = [v or "" for v in table.column("text").to_pylist()]
            del table
            # Each read scans the staged texts; what the engine kept from the scan goes back.
            self.engine.trim()
            yield first, texts

    def sample(self, step: int) -> list[str]:
        table = self.engine.run(SAMPLE_TEXTS, step=max(1, step))
        texts = [v or "" for v in table.column("text").to_pylist()]
        del table
        self.engine.trim()
        return texts

    def pick(self, positions: Sequence[int]) -> dict[int, str]:
        if not len(positions):
            return {}
        found: dict[int, str] = {}
        for table in self._picked(PICKED_TEXTS, np.asarray(positions, dtype=np.int64)):
            for pos, text in zip(
                table.column("pos").to_pylist(), table.column("text").to_pylist(), strict=True
            ):
                found[int(str(pos))] = text or ""
        return found

    def _picked(self, query: Query, positions: Array) -> Iterator[pa.Table]:
        """A query's rows for some post numbers, a window of numbers at a time."""
        wanted = distinct(positions)
        self.engine.load("authenticity_picked", pa.table({"pos": pa.array(wanted, pa.int64())}))
        try:
            # A range of numbers at a time: the staged posts are stored in number order, so
            # each query reads only the part of the file holding that range, not all posts.
            for window in distinct(wanted // _PICK_WINDOW):
                first = int(window) * _PICK_WINDOW
                yield self.engine.run(query, first=first, stop=first + _PICK_WINDOW)
                self.engine.trim()
        finally:
            self.engine.drop("authenticity_picked")

    def timing_ranges(self, size: int | None = None) -> Iterator[tuple[int, Timing]]:
        size = size or COLUMN_BATCH
        for first in range(0, self.count, size):
            table = self.engine.run(POST_TIMING, first=first, stop=first + size)
            part = _timing(table.num_rows)
            _fill_timing(part, slice(0, table.num_rows), table)
            del table
            self.engine.trim()
            yield first, part

    def times(self) -> npt.NDArray[np.float64]:
        out = np.empty(self.count, dtype=np.float64)
        for first in range(0, self.count, COLUMN_BATCH):
            table = self.engine.run(POST_TIMES, first=first, stop=first + COLUMN_BATCH)
            out[first : first + table.num_rows] = epoch_seconds(table.column("created_at"))
            del table
            self.engine.trim()
        return out

    def timing(self, positions: Sequence[int] | Array | None = None) -> Timing:
        if positions is None:
            out = _timing(self.count)
            for first, part in self.timing_ranges():
                for whole, piece in zip(_columns(out), _columns(part), strict=True):
                    whole[first : first + len(part)] = piece
            return out
        wanted = np.asarray(positions, dtype=np.int64)
        if not len(wanted):
            return _timing(0)
        rows = distinct(wanted)
        found = _timing(len(rows))
        done = 0
        for table in self._picked(PICKED_TIMING, wanted):
            _fill_timing(found, slice(done, done + table.num_rows), table)
            done += table.num_rows
        if done != len(rows):
            raise ValueError(f"timing of {len(rows)} posts asked for, {done} found")
        at = np.searchsorted(rows, wanted)
        return Timing(*(column[at] for column in _columns(found)))


def _timing(count: int) -> Timing:
    return Timing(*(np.empty(count, dtype=np.float64) for _ in range(3)))


def _columns(timing: Timing) -> tuple[npt.NDArray[np.float64], ...]:
    return timing.since_thread, timing.since_previous, timing.account_age


def _fill_timing(out: Timing, part: slice, table: pa.Table) -> None:
    names = ("since_thread_us", "since_previous_us", "account_age_us")
    for column, name in zip(_columns(out), names, strict=True):
        column[part] = seconds(table.column(name))


def seconds(column: pa.ChunkedArray[Any] | pa.Array[Any]) -> npt.NDArray[np.float64]:
    """Microsecond differences as float seconds, NaN where unknown."""
    values = column.to_numpy(zero_copy_only=False)
    return np.asarray(values, dtype=np.float64) / _US


def epoch_seconds(column: pa.ChunkedArray[Any] | pa.Array[Any]) -> npt.NDArray[np.float64]:
    as_int = column.cast(pa.timestamp("us")).cast(pa.int64())
    return np.asarray(as_int.to_numpy(zero_copy_only=False), dtype=np.float64) / _US
