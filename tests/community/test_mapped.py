"""Rarely read columns kept in a mapped file read back exactly, leave no file behind and hand
their pages back on release."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from plainspoken.community.mapped import Spilled
from plainspoken.community.strings import Strings


@pytest.mark.parametrize(
    "values",
    [
        pa.array(["post-1", "c22", "", "ünïcode ✓"] * 500),
        pa.array([], pa.string()),
        pa.array([3, 1, 2], pa.int64()),
    ],
)
def test_a_spilled_array_reads_back_as_written_and_leaves_no_file(
    tmp_path: Path, values: pa.Array
) -> None:
    spilled = Spilled(values, tmp_path)
    assert spilled.array.equals(values)
    assert list(tmp_path.iterdir()) == []  # the name is gone; the mapping holds the data
    spilled.release()
    assert spilled.array.equals(values)  # read from the file again after the release


def test_spilled_strings_are_not_held_in_arrows_memory(tmp_path: Path) -> None:
    values = pa.array([f"title number {i}" for i in range(20_000)])
    before = pa.total_allocated_bytes()
    spilled = Spilled(values, tmp_path)
    assert pa.total_allocated_bytes() - before < values.nbytes // 10
    titles = Strings(spilled.array, release=spilled.release)
    assert titles[19_999] == "title number 19999"
    titles.release()
    assert list(titles)[:2] == ["title number 0", "title number 1"]
    Strings(["no mapping"]).release()  # strings in memory have nothing to hand back
