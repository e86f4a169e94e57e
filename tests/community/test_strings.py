"""Strings kept in one Arrow array read like a list of str."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from plainspoken.community.strings import Concat, Strings


def test_strings_read_like_the_list_they_hold() -> None:
    values = ["t1", "", "How do I pair a Zigbee bulb?", "t4"]
    strings = Strings(pa.array(["t1", None, "How do I pair a Zigbee bulb?", "t4"]))
    assert len(strings) == 4 and list(strings) == values and strings == values
    assert strings[2] == values[2] and strings[-1] == "t4" and strings[np.int64(0)] == "t1"
    assert list(strings[1:3]) == values[1:3] and list(strings[::2]) == values[::2]
    assert "t4" in strings and "t5" not in strings and 4 not in strings
    assert strings.index("t4") == 3
    with pytest.raises(IndexError):
        strings[4]


def test_strings_from_other_columns_and_iterables() -> None:
    chunked = pa.chunked_array([pa.array(["a", "b"]), pa.array(["c"])])
    assert list(Strings(chunked)) == ["a", "b", "c"]
    assert list(Strings(pa.array([7, 8]))) == ["7", "8"]
    assert list(Strings(iter(["x", "y"]))) == ["x", "y"]
    assert Strings(["x"]) != ["y"] and Strings(["x"]) == Strings(pa.array(["x"]))


def test_iteration_crosses_batches() -> None:
    many = [f"id{i}" for i in range(70_000)]
    assert list(Strings(pa.array(many))) == many


def test_concat_reads_parts_in_order_and_twice() -> None:
    joined = Concat(Strings(["a", "b"]), ["c"], [])
    assert len(joined) == 3 and list(joined) == ["a", "b", "c"] and list(joined) == ["a", "b", "c"]
    assert joined[2] == "c" and joined[-3] == "a" and joined[0:2] == ["a", "b"]
    with pytest.raises(IndexError):
        joined[3]
