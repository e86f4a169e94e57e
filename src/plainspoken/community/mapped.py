"""Arrow arrays kept in a file and mapped into memory, for columns read rarely.

A big community's post ids, thread titles and account names are hundreds of megabytes each,
but the analysis reads them only at its start (titles, for product names) and for the posts
and threads its evidence and report name. ``Spilled`` writes an array to a file and maps it
back: the pages read come into memory and the others stay on disk; ``release`` hands the
pages read so far back. The file's name is removed at once, so nothing is left behind: its
space is freed when the last array using the mapping goes.
"""

from __future__ import annotations

import mmap
import os
import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa


class Spilled:
    """An array whose buffers live in a mapped file."""

    __slots__ = ("_map", "array")

    def __init__(self, array: pa.Array[Any], folder: Path | None = None) -> None:
        handle, made = tempfile.mkstemp(prefix=".column-", suffix=".arrow", dir=folder)
        path = Path(made)
        try:
            with os.fdopen(handle, "wb") as out:
                schema = pa.schema([pa.field("values", array.type)])
                with pa.ipc.new_file(out, schema) as writer:
                    writer.write_batch(pa.record_batch([array], schema=schema))
            with path.open("rb") as source:
                self._map = mmap.mmap(source.fileno(), 0, access=mmap.ACCESS_READ)
        finally:
            path.unlink()
        # Read without copying: the array's buffers are views of the mapping.
        table = pa.ipc.open_file(pa.py_buffer(self._map)).read_all()
        chunks = table.column(0).chunks
        self.array: pa.Array[Any] = (
            chunks[0] if len(chunks) == 1 else pa.concat_arrays(chunks) if chunks else array[:0]
        )

    def release(self) -> None:
        """Hand back the pages read so far (they are read from the file again when needed)."""
        self._map.madvise(mmap.MADV_DONTNEED)
