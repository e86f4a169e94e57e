"""The account table makes each account's score and evidence on demand, in rank order."""

from __future__ import annotations

import numpy as np
import pytest

from plainspoken.community.authenticity.result import AccountTable, AuthenticityResult, Evidence

_MADE: list[int] = []


def _evidence(code: int) -> tuple[Evidence, ...]:
    _MADE.append(code)
    if code == 2:
        return (Evidence("praise", "3 of 3 posts strongly praise a named product", 4.0),)
    return ()


def _table() -> AccountTable:
    return AccountTable(
        ids=["a1", "a2", "a3", "a4"],
        names=["Ann", "Bo", "Cy", "Di"],
        codes=np.array([2, 0, 3], dtype=np.int64),  # rank order: a3, a1, a4 (a2 never posted)
        scores=np.array([6.0, 1.5, 0.0]),
        flagged=np.array([True, False, True]),
        campaigns={2: "campaign-1", 3: "campaign-1"},
        evidence=_evidence,
    )


def test_rows_come_in_rank_order_with_their_own_name_campaign_and_evidence() -> None:
    table = _table()
    assert len(table) == 3
    assert [a.account_id for a in table] == ["a3", "a1", "a4"]
    top = table[0]
    assert (top.name, top.score, top.flagged, top.campaign_id) == ("Cy", 6.0, True, "campaign-1")
    assert top.evidence[0].kind == "praise"
    assert (table[1].campaign_id, table[1].evidence) == (None, ())
    assert table[-1].account_id == "a4"
    assert [a.account_id for a in table[1:]] == ["a1", "a4"]
    with pytest.raises(IndexError):
        table[3]


def test_flagged_accounts_are_made_without_making_the_others() -> None:
    table = _table()
    result = AuthenticityResult("d", "duckdb", (), table, (), {}, {})
    _MADE.clear()
    assert [a.account_id for a in result.flagged_accounts] == ["a3", "a4"]
    assert _MADE == [2, 3]
    assert [a.to_dict() for a in table] == [table[i].to_dict() for i in range(len(table))]


@pytest.mark.parametrize("post_range", [1, 3, 4, 1_000])
def test_post_counts_and_first_rows_do_not_depend_on_the_range_size(
    monkeypatch: pytest.MonkeyPatch, post_range: int
) -> None:
    from plainspoken.community.authenticity import accounts

    monkeypatch.setattr(accounts, "_POST_RANGE", post_range)
    # Posts in time order by author code; -1 is a post without a known author; account 4
    # never posts.
    author = np.array([2, -1, 0, 2, 3, -1, 0, 0, 1, 3, 2], dtype=np.int32)
    counts, firsts = accounts._counts_and_firsts(author, 5)
    assert counts.tolist() == [3, 1, 3, 2, 0]
    assert firsts.tolist() == [2, 8, 0, 4, -1]


@pytest.mark.parametrize("stance_range", [1, 2, 5, 1_000])
def test_one_product_accounts_name_it_in_every_post_whatever_the_range_size(
    monkeypatch: pytest.MonkeyPatch, stance_range: int
) -> None:
    from plainspoken.community.authenticity import accounts
    from plainspoken.community.authenticity.reading import Stances

    monkeypatch.setattr(accounts, "_STANCE_RANGE", stance_range)
    # Posts 0-7 by author code (-1: no known author). Account 0 names product 1 in all three
    # posts (and product 0 in one); account 1 names 0 and 2 in both posts: both complete, the
    # first in name order wins; account 2 names product 2 in one post of two; account 3 has
    # one post only; the post without an author names product 2. A repeated row (post 2) counts
    # once, also across ranges.
    author = np.array([0, 1, 2, 0, 1, 3, -1, 0, 2], dtype=np.int32)
    rows = [
        (0, 1), (1, 0), (1, 2), (2, 2), (2, 2), (3, 0),
        (3, 1), (4, 0), (4, 2), (5, 1), (6, 2), (7, 1),
    ]  # fmt: skip
    stances = Stances(
        np.array([p for p, _ in rows], dtype=np.int32),
        np.array([q for _, q in rows], dtype=np.int32),
        np.zeros(len(rows), dtype=np.int8),
        ["Alpha", "Beta", "Gamma"],
    )
    counts, firsts = accounts._counts_and_firsts(author, 4)
    one_of, mentions = accounts._one_product(author, counts, firsts, stances, 3)
    assert one_of == {0: 1, 1: 0}
    assert mentions.tolist() == [3.0, 4.0, 4.0]
