"""A read-only sequence of strings kept in one Arrow array.

A Python list of millions of ids or titles costs about 60 bytes of object header per string
on top of its characters; an Arrow string array costs 4 bytes of offset. ``Strings`` keeps
the array and makes a ``str`` only when one is asked for (or a batch of them, when iterated).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, SupportsIndex, overload

import pyarrow as pa
import pyarrow.compute as pc

_BATCH = 65_536  # strings made at a time when iterating


class Strings(Sequence[str]):
    """Strings by position; a null reads as ``""``."""

    __slots__ = ("_array",)

    def __init__(self, values: pa.Array[Any] | pa.ChunkedArray[Any] | Iterable[str]) -> None:
        if isinstance(values, pa.ChunkedArray):
            values = values.combine_chunks()
        if not isinstance(values, pa.Array):
            values = pa.array(list(values), pa.string())
        if not pa.types.is_string(values.type) and not pa.types.is_large_string(values.type):
            values = values.cast(pa.string())
        self._array: pa.Array[Any] = values.fill_null("")

    @property
    def array(self) -> pa.Array[Any]:
        return self._array

    def __len__(self) -> int:
        return len(self._array)

    @overload
    def __getitem__(self, index: SupportsIndex) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> Strings: ...

    def __getitem__(self, index: SupportsIndex | slice) -> str | Strings:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step == 1:
                return Strings(self._array.slice(start, max(0, stop - start)))
            return Strings(self._array.take(pa.array(range(start, stop, step), pa.int64())))
        size = len(self._array)
        position = index.__index__()
        if position < 0:
            position += size
        if not 0 <= position < size:
            raise IndexError("string index out of range")
        return str(self._array[position].as_py())

    def __iter__(self) -> Iterator[str]:
        for start in range(0, len(self._array), _BATCH):
            for value in self._array.slice(start, _BATCH).to_pylist():
                yield str(value)

    def __contains__(self, value: object) -> bool:
        if not isinstance(value, str):
            return False
        return bool(pc.index(self._array, pa.scalar(value, self._array.type)).as_py() >= 0)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Strings):
            return bool(self._array.equals(other._array))
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(other) == len(self) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        shown = ", ".join(repr(s) for s in self[:3])
        more = ", ..." if len(self) > 3 else ""
        return f"Strings([{shown}{more}], {len(self)} strings)"


class Concat(Sequence[str]):
    """Several sequences of strings read as one, without copying them."""

    __slots__ = ("_parts",)

    def __init__(self, *parts: Sequence[str]) -> None:
        self._parts = parts

    def __len__(self) -> int:
        return sum(len(p) for p in self._parts)

    @overload
    def __getitem__(self, index: SupportsIndex) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: SupportsIndex | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        position = index.__index__()
        if position < 0:
            position += len(self)
        for part in self._parts:
            if 0 <= position < len(part):
                return part[position]
            position -= len(part)
        raise IndexError("string index out of range")

    def __iter__(self) -> Iterator[str]:
        for part in self._parts:
            yield from part
