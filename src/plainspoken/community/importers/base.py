"""What every importer receives and returns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from plainspoken.community.dataset import Staging

Progress = Callable[[int, int | None], None]
"""Called with (units done, units in all or None); importers count input bytes."""


@dataclass
class ImportResult:
    """What an importer tells the manifest besides the rows: notes and rows it left out."""

    notes: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)

    def skip(self, reason: str, count: int = 1) -> None:
        """Count ``count`` source rows left out for ``reason``."""
        if count:
            self.skipped[reason] = self.skipped.get(reason, 0) + count


class Importer(Protocol):
    """Reads ``source`` and stages its rows; raises ``InputError`` on bad input."""

    def __call__(
        self, source: Path, staging: Staging, *, mapping: Path | None, progress: Progress | None
    ) -> ImportResult: ...
