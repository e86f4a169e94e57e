"""The sort-based helpers give exactly what numpy's own functions give; grouped rows come back
by key."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from plainspoken.community.arrays import Grouped, distinct, merge_distinct, places_in


def test_distinct_matches_numpy_unique() -> None:
    rng = np.random.default_rng(3)
    for values in (
        rng.integers(-50, 50, 1_000),
        rng.integers(0, 1 << 62, 10_000, dtype=np.int64),
        np.array([7], dtype=np.int32),
        np.zeros(0, dtype=np.int64),
    ):
        found = distinct(values)
        assert found.dtype == values.dtype
        assert np.array_equal(found, np.unique(values))
        # In place: the same answer, the input sorted rather than copied.
        mine = values.copy()
        assert np.array_equal(distinct(mine, overwrite=True), np.unique(values))
        assert np.array_equal(mine, np.sort(values))


def test_merge_distinct_matches_union1d() -> None:
    a = np.array([5, 1, 1, 9], dtype=np.int64)
    b = np.array([9, 2], dtype=np.int64)
    assert np.array_equal(merge_distinct(a, b), np.union1d(a, b))
    assert len(merge_distinct()) == 0


def test_grouped_rows_come_back_by_key_in_their_given_order() -> None:
    rows = np.array([3, 8, 10, 11, 20, 21], dtype=np.int64)
    keys = np.array([5, 2, 5, 9, 2, 5], dtype=np.int32)
    grouped = Grouped(rows, keys)
    assert grouped.of(5).tolist() == [3, 10, 21]
    assert grouped.of(2).tolist() == [8, 20]
    assert grouped.of(9).tolist() == [11]
    assert grouped.of(4).tolist() == []


def test_grouped_lookups_search_the_keys_as_they_are(monkeypatch: pytest.MonkeyPatch) -> None:
    """A lookup is a binary search in the keys' own type: searching 32-bit keys for 64-bit
    bounds made numpy convert all the keys at every lookup (hours for a 10M-post report)."""
    searched: list[tuple[np.dtype[Any], np.dtype[Any]]] = []
    real = np.searchsorted

    def watched(keys: Any, bounds: Any, *args: Any, **kwargs: Any) -> Any:
        searched.append((np.asarray(keys).dtype, np.asarray(bounds).dtype))
        return real(keys, bounds, *args, **kwargs)

    for dtype in (np.int32, np.int64):
        grouped = Grouped(np.arange(4, dtype=np.int64), np.array([1, 0, 1, 2], dtype=dtype))
        monkeypatch.setattr(np, "searchsorted", watched)
        assert grouped.of(1).tolist() == [0, 2] and grouped.of(3).tolist() == []
        monkeypatch.undo()
    assert searched and all(keys == bounds for keys, bounds in searched)


def test_places_in_matches_isin_and_points_at_the_value() -> None:
    rng = np.random.default_rng(3)
    ordered = np.unique(rng.integers(0, 1_000, 300))
    keys = rng.integers(-5, 1_005, 2_000)
    place, found = places_in(ordered, keys)
    assert np.array_equal(found, np.isin(keys, ordered))
    assert np.array_equal(ordered[place[found]], keys[found])
    none_place, none_found = places_in(np.zeros(0, dtype=np.int64), keys)
    assert len(none_place) == len(keys) and not none_found.any()
