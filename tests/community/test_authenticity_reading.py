"""Reading a community in ranges of post numbers gives the same arrays as reading it whole,
and the post times left in the engine come back in post-number order."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from fixtures.community.astroturf import write_astroturf_dataset
from plainspoken.community.authenticity import data
from plainspoken.engine import DuckDBEngine
from plainspoken.workspace import init


def _posts(folder: Path) -> tuple[data.Posts, npt.NDArray[np.float64]]:
    with DuckDBEngine("256MB") as engine:
        engine.register(folder)
        community = data.read(engine)
        return community.posts, community.texts.times()


def test_posts_read_a_few_at_a_time_match_posts_read_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    init(tmp_path)
    folder = tmp_path / "datasets" / "astro"
    write_astroturf_dataset(folder)
    whole, whole_times = _posts(folder)
    monkeypatch.setattr(data, "_COLUMN_BATCH", 7)
    pieces, piece_times = _posts(folder)
    assert len(whole) > 7 * 3  # several ranges, the last one short
    assert pieces.ids.to_pylist() == whole.ids.to_pylist()
    assert pieces.months == whole.months
    for name in ("thread", "author", "question", "month", "since_thread", "since_previous",
                 "account_age", "first_post"):  # fmt: skip
        assert np.array_equal(getattr(pieces, name), getattr(whole, name), equal_nan=True), name
    # Posts are numbered by (time, id): their times never go back, and they are all known.
    assert np.array_equal(piece_times, whole_times) and len(whole_times) == len(whole)
    assert not np.isnan(whole_times).any() and (np.diff(whole_times) >= 0).all()
