"""Reading a community in ranges of post numbers gives the same arrays as reading it whole,
and the post times left in the engine come back in post-number order."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from fixtures.community.astroturf import write_astroturf_dataset
from plainspoken.community.authenticity import data, texts
from plainspoken.engine import DuckDBEngine
from plainspoken.workspace import init


def _astro(root: Path) -> Path:
    """A workspace at ``root`` with the astroturf fixture as dataset ``astro``; its folder."""
    init(root)
    folder = root / "datasets" / "astro"
    write_astroturf_dataset(folder)
    return folder


def _posts(folder: Path) -> tuple[data.Posts, npt.NDArray[np.float64], texts.Timing]:
    with DuckDBEngine("256MB") as engine:
        engine.register(folder)
        community = data.read(engine)
        return community.posts, community.texts.times(), community.texts.timing()


def test_posts_read_a_few_at_a_time_match_posts_read_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _astro(tmp_path)
    whole, whole_times, whole_timing = _posts(folder)
    monkeypatch.setattr(texts, "COLUMN_BATCH", 7)
    pieces, piece_times, piece_timing = _posts(folder)
    assert len(whole) > 7 * 3  # several ranges, the last one short
    assert list(pieces.ids) == list(whole.ids) and len(set(whole.ids)) == len(whole)
    assert pieces.months == whole.months
    for name in ("thread", "author", "question", "month", "first_post"):
        assert np.array_equal(getattr(pieces, name), getattr(whole, name)), name
    for name in ("since_thread", "since_previous", "account_age"):
        got, wanted = getattr(piece_timing, name), getattr(whole_timing, name)
        assert len(got) == len(whole) and np.array_equal(got, wanted, equal_nan=True), name
    # Posts are numbered by (time, id): their times never go back, and they are all known.
    assert np.array_equal(piece_times, whole_times) and len(whole_times) == len(whole)
    assert not np.isnan(whole_times).any() and (np.diff(whole_times) >= 0).all()


def test_the_timing_of_picked_posts_is_theirs_in_the_order_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _astro(tmp_path)
    # Small windows of post numbers, so the picked posts come from several queries.
    monkeypatch.setattr(texts, "_PICK_WINDOW", 5)
    with DuckDBEngine("256MB") as engine:
        engine.register(folder)
        kept = data.read(engine).texts
        whole = kept.timing()
        wanted = np.array([17, 3, 3, 40, 0, 22, 9], dtype=np.int64)
        picked = kept.timing(wanted)
        assert len(kept.timing([])) == 0
    assert len(whole) > 40
    for name in ("since_thread", "since_previous", "account_age"):
        assert np.array_equal(
            getattr(picked, name), getattr(whole, name)[wanted], equal_nan=True
        ), name
    # Replies have a known time since their thread opened; the values are not all one number.
    assert np.isfinite(whole.since_thread).sum() > len(whole) // 2
    assert len(np.unique(whole.account_age[np.isfinite(whole.account_age)])) > 3


def test_stance_rows_wait_on_disk_and_nothing_is_left_behind(tmp_path: Path) -> None:
    from plainspoken.community.authenticity.analysis import Options
    from plainspoken.community.authenticity.reading import _StanceFile, read_texts

    folder = tmp_path / "spill"
    folder.mkdir()
    waiting = _StanceFile(folder, ["Acme", "Bolt", "Crate"])
    # Batches arrive in post order, each sorted; a batch out of order is sorted on the way back.
    waiting.append(
        (np.array([0, 0], np.int32), np.array([1, 2], np.int32), np.array([1, 0], np.int8))
    )
    waiting.append((np.array([9], np.int32), np.array([1], np.int32), np.array([1], np.int8)))
    waiting.append((np.array([5], np.int32), np.array([0], np.int32), np.array([-1], np.int8)))
    back = waiting.back()
    assert back.products == ["Acme", "Bolt", "Crate"]
    assert back.post.tolist() == [0, 0, 5, 9] and back.post.dtype == np.int32
    assert back.product.tolist() == [1, 2, 0, 1] and back.product.dtype == np.int32
    assert back.tone.tolist() == [1, 0, -1, 1] and back.tone.dtype == np.int8
    with pytest.raises(ValueError, match="no longer"):
        waiting.append((np.zeros(1, np.int32), np.zeros(1, np.int32), np.zeros(1, np.int8)))

    dataset = _astro(tmp_path / "ws")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    options = Options()
    with DuckDBEngine("256MB") as engine:
        engine.register(dataset)
        stances, _ = read_texts(
            data.read(engine),
            options.wording,
            options.vocabulary,
            (options.praise, options.attack),
            scratch=scratch,
        )
    assert len(stances) > 0 and stances.praised.any()
    assert list(scratch.iterdir()) == []  # signatures and stance rows removed
