"""Working folders beside the datasets, and the ones that killed runs left behind.

Analyses spill into folders made next to the datasets (``/tmp`` is often small or held in
memory): DuckDB's spill files, the near-duplicate signatures. A run removes its folder when it
ends, but a killed run (out of memory, Ctrl-C twice, a machine shut down) cannot, and at 10M
posts such a folder holds gigabytes. Each folder therefore holds a lock file locked by its
owner for as long as it lives (``flock``: the system lets go of it when the process ends, however
it ends). ``sweep`` removes the folders whose lock it can take: their owner is gone. Folders
without a lock file (made by an older version, or being made right now) are left alone.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from pathlib import Path
from types import TracebackType

PREFIXES = (".spill-", ".signatures-")
_LOCK = ".owner.lock"


class Owned:
    """A new folder under ``parent`` whose name starts with ``prefix``, locked while it lives;
    ``close`` (or leaving the ``with`` block) removes it."""

    def __init__(self, parent: Path | None, prefix: str) -> None:
        self.path = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
        # Locked before it takes its name: a sweep never sees an unlocked lock file of a
        # live folder.
        making = self.path / f"{_LOCK}.making"
        self._handle: int | None = os.open(making, os.O_CREAT | os.O_WRONLY, 0o600)
        fcntl.flock(self._handle, fcntl.LOCK_EX)
        making.replace(self.path / _LOCK)

    def close(self) -> None:
        if self._handle is not None:
            shutil.rmtree(self.path, ignore_errors=True)
            os.close(self._handle)
            self._handle = None

    def __enter__(self) -> Path:
        return self.path

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def sweep(parent: Path, prefixes: tuple[str, ...] = PREFIXES) -> list[Path]:
    """Remove the working folders under ``parent`` whose owner has gone; return them."""
    removed: list[Path] = []
    if not parent.is_dir():
        return removed
    for folder in sorted(parent.iterdir()):
        if not folder.name.startswith(prefixes) or not folder.is_dir():
            continue
        try:
            handle = os.open(folder / _LOCK, os.O_RDONLY)
        except OSError:
            continue  # no lock file: an older version's folder, or one being made
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # its owner is alive
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
        finally:
            os.close(handle)
    return removed
