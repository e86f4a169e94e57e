"""Reading a community in ranges of post numbers gives the same arrays as reading it whole."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fixtures.community.astroturf import write_astroturf_dataset
from plainspoken.community.authenticity import data
from plainspoken.engine import DuckDBEngine
from plainspoken.workspace import init


def _posts(folder: Path) -> data.Posts:
    with DuckDBEngine("256MB") as engine:
        engine.register(folder)
        return data.read(engine).posts


def test_posts_read_a_few_at_a_time_match_posts_read_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    init(tmp_path)
    folder = tmp_path / "datasets" / "astro"
    write_astroturf_dataset(folder)
    whole = _posts(folder)
    monkeypatch.setattr(data, "_COLUMN_BATCH", 7)
    pieces = _posts(folder)
    assert len(whole) > 7 * 3  # several ranges, the last one short
    assert pieces.ids.to_pylist() == whole.ids.to_pylist()
    assert pieces.months == whole.months
    for name in ("thread", "author", "question", "month", "at", "since_thread",
                 "since_previous", "account_age", "first_post"):  # fmt: skip
        assert np.array_equal(getattr(pieces, name), getattr(whole, name), equal_nan=True), name
