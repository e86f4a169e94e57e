"""Where MinHash signatures wait between the text pass and the near-duplicate search.

A community of millions of posts has a signature of ``bands * rows`` 16-bit values per post
(96 bytes with the default 16 x 3): 2 GB for 22 million posts, more than the whole analysis
may hold. ``SignatureFile`` keeps them on disk instead, written once in two layouts:

- one file per band (``rows`` values per post), read one band at a time, a part at a time,
  by the LSH bucket search, which needs nothing else;
- one file of whole signatures, row after row, from which the similarity check reads the rows
  it compares, each with a positioned read (a memory map would count whole blocks of the file
  around every row read in this process).

``SignatureTable`` answers the same questions from an array in memory, for small inputs and
tests.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO, Protocol

import numpy as np
import numpy.typing as npt

from plainspoken.community.arrays import distinct
from plainspoken.community.scratch import Owned

Rows = npt.NDArray[np.uint16]


class SignatureSource(Protocol):
    """Signatures that the near-duplicate search reads by band and by row."""

    def __len__(self) -> int: ...

    def band_part(self, band: int, lo: int, hi: int) -> Rows:
        """Signatures ``lo`` to ``hi`` (excluded) of one band: shape (hi - lo, rows_per_band)."""
        ...

    def rows(self, index: npt.NDArray[np.int64]) -> Rows:
        """Whole signatures of the rows ``index`` (in that order)."""
        ...


class SignatureTable:
    """Signatures held in one array (a row per post)."""

    def __init__(self, signature: Rows, rows_per_band: int) -> None:
        self.signature = signature
        self.rows_per_band = rows_per_band

    def __len__(self) -> int:
        return len(self.signature)

    def band_part(self, band: int, lo: int, hi: int) -> Rows:
        width = self.rows_per_band
        return self.signature[lo:hi, band * width : (band + 1) * width]

    def rows(self, index: npt.NDArray[np.int64]) -> Rows:
        return self.signature[index]


class SignatureFile:
    """Signatures appended block by block to files in a private folder under ``parent``
    (default: the system's temporary folder); ``close`` removes them."""

    def __init__(self, bands: int, rows_per_band: int, parent: Path | None = None) -> None:
        self.rows_per_band = rows_per_band
        self.width = bands * rows_per_band
        self._owned = Owned(parent, ".signatures-")  # swept if a killed run leaves it
        self.folder = self._owned.path
        self._count = 0
        self._open = True
        self._rows: IO[bytes] | None = None
        self._whole: IO[bytes] = (self.folder / "rows.u16").open("wb")
        self._bands: list[IO[bytes]] = [
            (self.folder / f"band-{b:03d}.u16").open("wb") for b in range(bands)
        ]

    def __len__(self) -> int:
        return self._count

    def append(self, block: Rows) -> None:
        """Add signatures (shape (n, bands * rows_per_band)) after those already written."""
        if not self._open:
            raise ValueError("signatures can no longer be added once they are read")
        if block.ndim != 2 or block.shape[1] != self.width:
            raise ValueError(f"signature block of shape {block.shape}; {self.width} columns wanted")
        data = np.ascontiguousarray(block, dtype=np.uint16)
        self._whole.write(data.tobytes())
        width = self.rows_per_band
        for b, out in enumerate(self._bands):
            out.write(np.ascontiguousarray(data[:, b * width : (b + 1) * width]).tobytes())
        self._count += len(data)

    def _finish_writing(self) -> None:
        for out in (self._whole, *self._bands):
            out.close()
        self._open, self._bands = False, []

    def band_part(self, band: int, lo: int, hi: int) -> Rows:
        self._finish_writing()
        lo, hi = max(0, lo), min(hi, self._count)
        if hi <= lo:
            return np.zeros((0, self.rows_per_band), dtype=np.uint16)
        width = self.rows_per_band
        path = self.folder / f"band-{band:03d}.u16"
        part = np.fromfile(path, dtype=np.uint16, count=(hi - lo) * width, offset=lo * width * 2)
        if len(part) != (hi - lo) * width:
            raise ValueError(f"signature rows are missing from {self.folder}")
        return part.reshape(-1, width)

    def rows(self, index: npt.NDArray[np.int64]) -> Rows:
        self._finish_writing()
        if len(index) == 0 or self._count == 0:
            return np.zeros((len(index), self.width), dtype=np.uint16)
        if self._rows is None:
            self._rows = (self.folder / "rows.u16").open("rb")
        # Row by row with positioned reads, not through a memory map: the kernel maps whole
        # blocks of a cached file around every page touched, so a few thousand scattered rows
        # of a mapped 2 GB file made the process gigabytes bigger for a moment.
        wanted = distinct(np.asarray(index, dtype=np.int64))
        size = self.width * 2
        handle, read = self._rows.fileno(), os.pread
        data = b"".join([read(handle, size, at) for at in (wanted * size).tolist()])
        if len(data) != len(wanted) * size:
            raise ValueError(f"signature rows are missing from {self.folder}")
        found = np.frombuffer(data, dtype=np.uint16).reshape(len(wanted), self.width)
        return found[np.searchsorted(wanted, index)]

    def close(self) -> None:
        self._finish_writing()
        if self._rows is not None:
            self._rows.close()
            self._rows = None
        self._owned.close()

    def __enter__(self) -> SignatureFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
