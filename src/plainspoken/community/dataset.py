"""The dataset writer: rows in the dataset schema, written as Parquet parts in row-group batches.

Importers hand over batches of columns (Python lists or Arrow arrays); a ``PartWriter`` turns
each batch into one Arrow table in the table's schema and a background thread writes it as a
Parquet row group, so parsing goes on while the previous batch is compressed and written.
Each source file becomes one staged part; ``merge.finish`` then checks and assembles the parts
into the dataset folder.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plainspoken.engine.schema import SCHEMAS

if TYPE_CHECKING:
    import pyarrow as pa
    import pyarrow.parquet as pq

BATCH_ROWS = 50_000
"""Rows per batch and Parquet row group: big enough for Arrow, small enough for flat memory."""
_IN_FLIGHT = 2

TARGET_POST = "_target_post_id"
"""Staged links only: a linked post whose thread is looked up once every post is known."""


def extra_schemas() -> dict[str, pa.Schema]:
    """Tables beyond the dataset schema that some formats add (Stack Exchange tags)."""
    import pyarrow as pa

    fields: list[pa.Field[Any]] = [
        pa.field("id", pa.string()),
        pa.field("name", pa.string()),
        pa.field("count", pa.int64()),
    ]
    return {"tags": pa.schema(fields)}


def staged_schema(table: str) -> pa.Schema:
    """The schema a table is staged in: the dataset schema, plus internal columns for links."""
    import pyarrow as pa

    if table == "links":
        return SCHEMAS["links"].append(pa.field(TARGET_POST, pa.string()))
    if table in SCHEMAS:
        return SCHEMAS[table]
    return extra_schemas()[table]


@dataclass
class Part:
    """One staged Parquet file: the rows of ``table`` read from ``source``.

    ``resolve_threads``: posts whose ``thread_id`` is looked up from their parent post.
    ``supplement``: links that only count when the post's own links lack the same target.
    ``derived``: accounts seen as post authors, kept only where no real account row exists.
    ``id_label``/``id_prefix``: how the source names the id column, for messages.
    ``increasing``: every id so far is a number above the one before (dumps written in id
    order), which proves the part has no repeated id without a check after staging.
    """

    table: str
    path: Path
    source: str
    rows: int = 0
    resolve_threads: bool = False
    supplement: bool = False
    derived: bool = False
    id_label: str = "id"
    id_prefix: str = ""
    increasing: bool = True
    last_id: int | None = None

    def follow_ids(self, ids: pa.Array[Any] | pa.ChunkedArray[Any]) -> None:
        """Keep ``increasing`` true only while the ids are numbers in increasing order."""
        import pyarrow as pa
        import pyarrow.compute as pc

        if not self.increasing:
            return
        try:
            if self.id_prefix:
                ids = pc.utf8_slice_codeunits(ids, len(self.id_prefix))
            numbers = ids.cast(pa.int64())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            self.increasing = False
            return
        if numbers.null_count or len(numbers) == 0:
            self.increasing = self.increasing and len(numbers) == 0
            return
        first, last = numbers[0].as_py(), numbers[-1].as_py()
        rising = len(numbers) < 2 or pc.all(pc.greater(numbers[1:], numbers[:-1])).as_py()
        self.increasing = bool(rising) and (self.last_id is None or first > self.last_id)
        self.last_id = last

    def source_id(self, value: str) -> str:
        """An id as the source wrote it (without the prefix the importer added)."""
        prefix = self.id_prefix
        return value[len(prefix) :] if prefix and value.startswith(prefix) else value


def table_from(columns: Mapping[str, Any] | pa.Table, schema: pa.Schema) -> pa.Table:
    """A table in ``schema`` from lists or arrays (or a table); absent columns are null."""
    import pyarrow as pa

    if isinstance(columns, pa.Table):
        columns = {name: columns.column(name) for name in columns.column_names}
    lengths = {len(v) for v in columns.values() if v is not None}
    if len(lengths) > 1:
        raise ValueError(f"columns differ in length: {sorted(lengths)}")
    rows = lengths.pop() if lengths else 0
    arrays: list[pa.Array[Any] | pa.ChunkedArray[Any]] = []
    for f in schema:
        values = columns.get(f.name)
        if values is None:
            arrays.append(pa.nulls(rows, f.type))
            continue
        array = values if isinstance(values, pa.Array | pa.ChunkedArray) else pa.array(values)
        if array.type != f.type:
            array = array.cast(f.type)
        arrays.append(array)
    return pa.Table.from_arrays(arrays, schema=schema)


@dataclass
class PartWriter:
    """Writes the batches of one part; ``close`` finishes the file (an empty one if no rows)."""

    part: Part
    schema: pa.Schema
    staging: Staging
    _writer: pq.ParquetWriter | None = None

    def add(self, columns: Mapping[str, Any] | pa.Table) -> None:
        """Append one batch of rows."""
        table = table_from(columns, self.schema)
        if table.num_rows == 0:
            return
        self.part.rows += table.num_rows
        if self.part.increasing and "id" in table.column_names:
            self.part.follow_ids(table.column("id"))
        if self._writer is None:
            import pyarrow.parquet as pq

            self._writer = pq.ParquetWriter(self.part.path, self.schema, compression="snappy")
        self.staging.submit(self._writer.write_table, table)

    def close(self) -> Part:
        """Wait for this part's batches, then close its file."""
        self.staging.drain()
        if self._writer is None:
            import pyarrow.parquet as pq

            pq.write_table(table_from({}, self.schema), self.part.path)
        else:
            self._writer.close()
        return self.part


@dataclass
class Staging:
    """The staged parts of one import, in a folder of its own."""

    folder: Path
    parts: list[Part] = field(default_factory=list)
    _pool: ThreadPoolExecutor | None = None
    _pending: deque[Future[None]] = field(default_factory=deque)

    def part(self, table: str, source: str, **flags: Any) -> PartWriter:
        """Start the part of ``table`` read from ``source`` (see ``Part`` for the flags)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{len(self.parts):04d}-{table}.parquet"
        part = Part(table, path, source, **flags)
        self.parts.append(part)
        return PartWriter(part, staged_schema(table), self)

    def submit(self, write: Any, table: pa.Table) -> None:
        """Write a batch on the background thread, at most two batches behind."""
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="parquet")
        self._pending.append(self._pool.submit(write, table))
        while len(self._pending) > _IN_FLIGHT:
            self._pending.popleft().result()

    def drain(self) -> None:
        """Wait until every submitted batch is written (re-raising a write error)."""
        while self._pending:
            self._pending.popleft().result()

    def close(self) -> None:
        """Stop the writer thread (pending writes are abandoned on error)."""
        if self._pool is not None:
            for future in self._pending:
                future.cancel()
            self._pool.shutdown(wait=True)
            self._pool = None
        self._pending.clear()

    def of(self, table: str) -> list[Part]:
        """The staged parts of ``table``."""
        return [p for p in self.parts if p.table == table]
