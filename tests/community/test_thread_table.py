"""The thread table makes each thread's score on demand, in rank order, from shared arrays."""

from __future__ import annotations

import numpy as np
import pytest

from plainspoken.community.authenticity.result import Evidence, Signal, ThreadTable


def _table() -> ThreadTable:
    evidence = (Evidence("burst", "2 of 3 replies arrived fast", 2.5, post_ids=("p9",)),)
    return ThreadTable(
        ids=["t1", "t2", "t3"],
        titles=["first", "second", "third"],
        codes=np.array([2, 0, 1], dtype=np.int64),  # rank order: t3, t1, t2
        slots=np.array([1, 0, 2], dtype=np.int64),
        scores=np.array([9.0, 4.0, 0.5]),
        flagged=np.array([True, False, False]),
        signals=lambda slot: {"burst": Signal(slot, 3, 0.1, float(slot))},
        details={1: (evidence, ("c1",), ())},
    )


def test_rows_come_in_rank_order_with_their_own_title_signals_and_evidence() -> None:
    table = _table()
    assert len(table) == 3
    assert [t.thread_id for t in table] == ["t3", "t1", "t2"]
    top = table[0]
    assert (top.title, top.score, top.flagged) == ("third", 9.0, True)
    assert top.signals["burst"].count == 1  # slot 1's signals
    assert top.evidence[0].post_ids == ("p9",) and top.campaign_ids == ("c1",)
    assert table[-1].thread_id == "t2" and table[-1].evidence == ()
    assert [t.thread_id for t in table[1:]] == ["t1", "t2"]
    assert [t.thread_id for t in table.flagged()] == ["t3"]
    with pytest.raises(IndexError):
        table[3]


def test_a_table_renders_as_the_same_dicts_as_its_rows() -> None:
    table = _table()
    assert [t.to_dict() for t in table] == [table[i].to_dict() for i in range(len(table))]
