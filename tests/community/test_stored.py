"""Strings kept on disk read back as they were written, by position, part or value, and leave
nothing behind; reading a few of many does not bring the file into the process."""

from __future__ import annotations

import gc
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from plainspoken.community import stored
from plainspoken.community.stored import StoredStrings


def _values() -> list[str | None]:
    return ["alpha", "", None, "Zentrix — fast", "ü" * 3, *(f"post-{i}" for i in range(200))]


def test_strings_read_back_as_written_in_any_number_of_appends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stored, "_WRITE", 7)  # several writes per append
    monkeypatch.setattr(stored, "_PART", 11)  # several parts per pass
    values = _values()
    wanted = ["" if v is None else v for v in values]
    kept = StoredStrings(folder=tmp_path)
    kept.extend(pa.chunked_array([pa.array(values[:50]), pa.array(values[50:120])]))
    kept.extend(pa.array(values[120:]).slice(0))  # a plain array
    kept.extend([])  # nothing
    assert len(kept) == len(values)
    assert list(kept) == wanted
    assert [kept[i] for i in range(len(kept))] == wanted and kept[-1] == wanted[-1]
    assert kept[3:9] == wanted[3:9] and kept[::50] == wanted[::50]
    assert kept.take([150, 2, 2, 0]) == [wanted[150], "", "", "alpha"]
    assert kept.take(np.array([], dtype=np.int64)) == []
    assert kept.part(100, 110).to_pylist() == wanted[100:110]
    assert "Zentrix — fast" in kept and "nope" not in kept
    assert kept.where(["post-7", "alpha", "missing"]).tolist() == [0, 12]
    with pytest.raises(IndexError):
        kept[len(values)]
    with pytest.raises(IndexError):
        kept.take([len(values)])
    # From Python strings too.
    assert list(StoredStrings(["x", "yz"], tmp_path)) == ["x", "yz"]


def test_the_files_have_no_name_and_close_with_the_strings(tmp_path: Path) -> None:
    kept = StoredStrings(pa.array(["a", "b"]), tmp_path)
    assert list(tmp_path.iterdir()) == []  # unlinked at once: nothing to clean after a crash
    handles = set(Path("/proc/self/fd").iterdir())
    del kept
    gc.collect()
    assert set(Path("/proc/self/fd").iterdir()) < handles  # its two files are closed


def test_reading_a_few_of_many_strings_keeps_the_file_out_of_the_process(
    tmp_path: Path,
) -> None:
    def file_pages_kb() -> int:
        with Path("/proc/self/status").open() as status:
            for line in status:
                if line.startswith("RssFile:"):
                    return int(line.split()[1])
        return 0

    kept = StoredStrings(pa.array([f"{i:040d}" for i in range(500_000)]), tmp_path)  # ~24 MB
    before = file_pages_kb()
    rng = np.random.default_rng(1)
    picked = rng.integers(0, len(kept), size=2_000)
    assert kept.take(picked) == [f"{i:040d}" for i in picked.tolist()]
    # Through a memory map, 2,000 scattered reads brought most of such a file in.
    assert file_pages_kb() - before < 2_048


def test_stored_strings_are_not_held_in_memory(tmp_path: Path) -> None:
    values = pa.array([f"thread title number {i}" for i in range(200_000)])  # ~5 MB
    before = pa.total_allocated_bytes()
    kept = StoredStrings(values, tmp_path)
    del values
    assert pa.total_allocated_bytes() < before - 4_000_000  # only the source was in memory
    assert kept[123_456] == "thread title number 123456"
    empty = StoredStrings(pa.array([], pa.string()), tmp_path)
    assert len(empty) == 0 and list(empty) == [] and empty.part(0, 5).to_pylist() == []
