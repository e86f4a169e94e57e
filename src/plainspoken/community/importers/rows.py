"""Row batches for record-by-record sources (JSON files, NDJSON lines): columns grow, flush.

Each row also keeps where it came from (``file line 12``, ``t/42.json post 7``), so that a value
that fails conversion can be reported at its place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from plainspoken.community.dataset import BATCH_ROWS
from plainspoken.community.values import Where

Flush = Callable[[dict[str, list[Any]], Where], None]


class RowBatch:
    """Rows of one kind, as columns, handed to ``flush`` every ``batch_rows`` rows."""

    def __init__(self, fields: Iterable[str], flush: Flush, batch_rows: int = BATCH_ROWS) -> None:
        self.fields = tuple(fields)
        self.flush = flush
        self.batch_rows = batch_rows
        self._columns: dict[str, list[Any]] = {f: [] for f in self.fields}
        self._places: list[str] = []

    def add(self, place: str, **values: Any) -> None:
        """One row; fields not given are null."""
        for name, column in self._columns.items():
            column.append(values.get(name))
        self._places.append(place)
        if len(self._places) >= self.batch_rows:
            self.emit()

    def emit(self) -> None:
        """Hand over the rows collected so far."""
        if not self._places:
            return
        columns, places = self._columns, self._places
        self._columns = {f: [] for f in self.fields}
        self._places = []
        self.flush(columns, places.__getitem__)

    def __len__(self) -> int:
        return len(self._places)
