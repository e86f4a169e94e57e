"""The parts the authenticity scores are built from: surprise, near-duplicate wording, names."""

from __future__ import annotations

import math

import pytest

from plainspoken.community.authenticity import surprise
from plainspoken.community.authenticity.duplicates import near_duplicates
from plainspoken.community.authenticity.products import capitalized_names, variants_of
from plainspoken.community.authenticity.wording import Wording

PRAISE = (
    "I switched our team to Grafana last year and honestly it is the best monitoring tool we "
    "have ever used, setup took an afternoon and alerts just work."
)
PARAPHRASE = (
    "We moved our team to Grafana last year and honestly it is the best monitoring tool we "
    "have used so far; setup took one afternoon and alerts just work."
)
UNRELATED = (
    "The kernel panics after the firmware update, so roll back the driver and check the "
    "serial console output before you reboot the node again."
)


def test_binomial_surprise_is_minus_log10_of_the_upper_tail() -> None:
    # P(X >= 3) for X ~ Binomial(4, 0.25) = 4 * 0.25^3 * 0.75 + 0.25^4
    tail = 4 * 0.25**3 * 0.75 + 0.25**4
    assert math.isclose(surprise.binomial(3, 4, 0.25), -math.log10(tail), rel_tol=1e-9)
    assert surprise.binomial(0, 4, 0.25) == 0.0
    assert surprise.binomial(4, 4, 0.9) < surprise.binomial(4, 4, 0.1)


def test_poisson_surprise_and_the_cap() -> None:
    # P(X >= 1) for X ~ Poisson(0.01) = 1 - e^-0.01
    assert math.isclose(surprise.poisson(1, 0.01), -math.log10(1 - math.exp(-0.01)), rel_tol=1e-9)
    assert surprise.poisson(50, 1e-6) == surprise.CAP
    assert surprise.chance(0.001) == 3.0


def test_light_paraphrase_is_a_near_duplicate_and_other_text_is_not() -> None:
    found = near_duplicates([PRAISE, PARAPHRASE, UNRELATED], ["a", "b", "c"])
    assert [(d.first, d.second) for d in found] == [(0, 1)]
    assert 0.4 <= found[0].similarity < 1.0


def test_the_same_account_repeating_itself_is_not_a_pair() -> None:
    assert near_duplicates([PRAISE, PRAISE], ["a", "a"]) == []


def test_phrases_written_by_many_accounts_are_boilerplate() -> None:
    texts = [PRAISE] * 6
    authors = [f"user{i}" for i in range(6)]
    assert len(near_duplicates(texts, authors, Wording(boilerplate_authors=10))) == 15
    assert near_duplicates(texts, authors, Wording(boilerplate_authors=5)) == []


def test_a_group_is_boilerplate_by_all_its_writers_and_other_groups_stay() -> None:
    # Three accounts write versions of one post (one group, joined through similar pairs); two
    # others write versions of another.
    third = PRAISE.replace("I switched", "Last year I moved").replace("last year ", "")
    kernel = UNRELATED.replace("roll back", "downgrade").replace("again", "once more")
    texts = [PRAISE, PARAPHRASE, third, UNRELATED, kernel]
    authors = ["a", "b", "c", "d", "e"]
    everything = near_duplicates(texts, authors, Wording(boilerplate_authors=10))
    assert {(d.first, d.second) for d in everything} >= {(0, 1), (0, 2), (3, 4)}
    kept = near_duplicates(texts, authors, Wording(boilerplate_authors=2))
    assert [(d.first, d.second) for d in kept] == [(3, 4)]


def test_short_posts_are_not_compared() -> None:
    assert near_duplicates(["thanks, that worked"] * 2, ["a", "b"]) == []


def test_names_are_found_in_their_written_forms() -> None:
    assert {"raspberry-pi", "raspberry pi", "raspberrypi"} <= variants_of("raspberry-pi")
    texts = [f"we run {name} on the edge nodes" for name in ("Zentrix",) * 3]
    texts += ["the cluster has a kernel", "so the Kernel was patched"]
    names = capitalized_names(texts)
    assert names == {"zentrix": "Zentrix"}


def test_shared_columns_are_the_same_whatever_the_multiplication_budget() -> None:
    import numpy as np

    from plainspoken.community.authenticity import membership

    # Five accounts (rows) and the products (columns) they take a stance toward.
    rows = np.array([0, 0, 0, 1, 1, 2, 3, 3, 4], dtype=np.int64)
    columns = np.array([0, 2, 3, 2, 3, 1, 0, 3, 1], dtype=np.int64)
    matrix = membership.membership(rows * 4 + columns, (5, 4))  # sorted, distinct keys
    assert matrix.toarray().tolist() == [
        [1, 0, 1, 1],
        [0, 0, 1, 1],
        [0, 1, 0, 0],
        [1, 0, 0, 1],
        [0, 1, 0, 0],
    ]
    a = np.array([0, 0, 1, 2, 3], dtype=np.int64)
    b = np.array([1, 3, 3, 4, 4], dtype=np.int64)
    rank = np.array([3, 0, 2, 1], dtype=np.int64)  # product 1 rarest, then 3, 2, 0
    whole = membership.common(matrix, a, b, rank)
    assert whole[0].tolist() == [2, 2, 1, 1, 0]
    assert whole[1].tolist() == [3, 3, 3, 1, -1]
    for budget in (1, 3, 7):  # a pair or a few per multiplication
        chunks = membership._chunks(matrix, a, b, budget)
        assert len(chunks) > 1 and chunks[0].start == 0 and chunks[-1].stop == len(a)
    for budget in (1, 3, 7):
        again = membership.common(matrix, a, b, rank, budget)
        assert all(np.array_equal(x, y) for x, y in zip(again, whole, strict=True)), budget


def test_a_rate_table_by_reply_count_holds_the_rates_summed_reply_by_reply() -> None:
    import numpy as np

    from plainspoken.community.authenticity.analysis import _CountRates

    # Threads with 0 to 2,999 replies judged against one overall rate: each thread's rate,
    # its replies' rates added one at a time and divided by their number, is read from a
    # table by number of replies; the values must be the very same floats.
    rng = np.random.default_rng(7)
    counts = rng.integers(0, 3000, size=500).astype(np.int32)
    for overall in (0.1, 0.013, 1 / 3, 0.07000000000000001, 0.0):
        slot = np.repeat(np.arange(len(counts)), counts)
        summed = np.zeros(len(counts))
        np.add.at(summed, slot, np.full(len(slot), overall))
        wanted = np.where(counts > 0, summed / np.maximum(counts, 1), overall)
        table = _CountRates(counts, overall)
        got = np.array([table[t] for t in range(len(counts))])
        assert got.tobytes() == wanted.tobytes(), overall
    # At 1/3 the running sums drift from count * rate: the table is not that product.
    assert any(_CountRates(counts, 1 / 3)[t] != 1 / 3 for t in range(len(counts)))


def test_co_appearances_are_the_pairs_sharing_two_threads_in_any_blocks() -> None:
    import numpy as np
    import pytest
    from scipy.sparse import csr_matrix

    from plainspoken.community.authenticity import membership

    # 60 accounts in 40 threads, one busy account in most of them.
    rng = np.random.default_rng(3)
    dense = rng.random((60, 40)) < 0.08
    dense[5, :30] = True
    wanted = {}
    for a in range(60):
        for b in range(a + 1, 60):
            shared = int((dense[a] & dense[b]).sum())
            if shared >= 2:
                wanted[a * 60 + b] = shared
    matrix = csr_matrix(dense.astype(np.int32))
    for paths in (10**9, 50, 1):  # one block; a few rows a block; a row a block
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(membership, "_PATHS", paths)
            keys, counts = membership.co_appearances(matrix)
        assert keys.tolist() == sorted(wanted), paths
        assert counts.tolist() == [wanted[k] for k in sorted(wanted)], paths
    assert len(wanted) > 30
    empty = membership.co_appearances(csr_matrix((3, 4), dtype=np.int32))
    assert len(empty[0]) == 0 and len(empty[1]) == 0


def test_a_shared_link_is_a_domain_another_account_links_in_the_same_thread() -> None:
    from types import SimpleNamespace

    import numpy as np

    from plainspoken.community.authenticity.data import Links
    from plainspoken.community.authenticity.signals import shared_links

    rng = np.random.default_rng(11)
    n = 400
    links = Links(
        post=rng.integers(-1, 300, n),  # -1: a link of an undated post
        thread=rng.integers(-1, 12, n).astype(np.int32),  # -1: no known thread
        author=rng.integers(-1, 9, n).astype(np.int32),  # -1: no known author
        domain=rng.integers(0, 6, n).astype(np.int32),
        domains=[f"d{i}.example" for i in range(6)],
    )
    community = SimpleNamespace(links=links, posts=range(300))
    wanted = np.zeros(300, dtype=bool)
    for i in range(n):
        if links.thread[i] < 0 or links.post[i] < 0:
            continue
        others = {
            int(links.author[j])
            for j in range(n)
            if links.thread[j] == links.thread[i] and links.domain[j] == links.domain[i]
        }
        wanted[links.post[i]] |= len(others) >= 2
    got = shared_links(community)  # type: ignore[arg-type]
    assert np.array_equal(got, wanted) and 0 < wanted.sum() < 300


def test_posts_using_an_item_count_each_post_once_in_any_ranges() -> None:
    import numpy as np
    import pytest

    from plainspoken.community.authenticity import campaigns

    rng = np.random.default_rng(5)
    rows = rng.integers(0, 90, 600).astype(np.int32)  # a post may use an item twice
    items = rng.integers(0, 7, 600).astype(np.int32)
    wanted = [len({int(r) for r, i in zip(rows, items, strict=True) if i == k}) for k in range(7)]
    for size in (10**6, 25, 1):  # one range; a few; a post a range
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(campaigns, "_POST_RANGE", size)
            got = campaigns._posts_using(rows, items, 7, 90)
        assert got.tolist() == wanted, size
    assert sum(wanted) < len(rows)  # repeats were there to be left out


def test_evidence_rows_are_found_among_the_edges_keys_whichever_range_they_fall_in(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import numpy as np

    from plainspoken.community.authenticity import edges, pairs

    monkeypatch.setattr(edges, "_ROW_RANGE", 3)
    # Votes between accounts 0..4 (size 5): self-votes and unknown accounts have no key.
    actor = np.array([0, 1, 2, 2, -1, 4, 3, 1, 0, 4], dtype=np.int32)
    target = np.array([1, 0, 2, 3, 1, 0, 2, 4, 4, 3], dtype=np.int32)
    size = 5
    edge_keys = np.array([0 * size + 1, 0 * size + 4, 2 * size + 3], dtype=np.int64)  # sorted

    rows, keys = edges._rows_among(
        edge_keys, len(actor), lambda part: pairs.vote_keys(actor[part], target[part], size)
    )
    # Rows 0 and 1 (0<->1), 3 and 6 (2<->3), 5 and 8 (0<->4); not 2 (self), 4 (unknown),
    # 7 (1->4) or 9 (3<->4), whose pairs are not edges.
    assert rows.tolist() == [0, 1, 3, 5, 6, 8]
    assert keys.tolist() == [1, 1, 13, 4, 13, 4]
    none_rows, none_keys = edges._rows_among(
        np.zeros(0, dtype=np.int64),
        len(actor),
        lambda part: pairs.vote_keys(actor[part], target[part], size),
    )
    assert len(none_rows) == 0 and len(none_keys) == 0
