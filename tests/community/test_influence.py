"""Influencer ranking on a small community with known answers: facets, exclusions, rings,
topic relevance and the evaluation metrics."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from fixtures.community.influence_community import EXPERT, RING, write_influence_dataset
from plainspoken.community.influence import FACETS, InfluenceParams, parse_topic, rank
from plainspoken.community.influence.clusters import (
    insular_groups,
    reciprocal_clusters,
    size_limit,
    suspect_groups,
)
from plainspoken.community.influence.evaluation import ndcg, predictive_validity, spearman
from plainspoken.community.influence.topic import ThreadText, relevance
from plainspoken.engine import DuckDBEngine
from plainspoken.errors import UsageError


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[DuckDBEngine]:
    with DuckDBEngine("256MB") as started:
        started.register(write_influence_dataset(tmp_path / "forum"))
        yield started


def test_the_expert_ranks_first_with_evidence_for_every_facet(engine: DuckDBEngine) -> None:
    ranking = rank(engine, "zigbee", excluded={})
    top = ranking.accounts[0]
    assert top.account_id == EXPERT and top.rank == 1
    assert set(top.facets) == set(FACETS)
    assert all(0.0 <= v <= 1.0 for v in top.facets.values())
    assert top.facets["mobilizes"] == max(a.facets["mobilizes"] for a in ranking.accounts)
    assert top.measures.accepted == 6 and top.measures.answers == 6
    assert top.measures.reactors == 5  # the five askers, each reacting by comment or vote
    assert {e.facet for e in top.evidence} == set(FACETS)
    assert [a.rank for a in ranking.accounts] == list(range(1, len(ranking.accounts) + 1))
    scores = [a.score for a in ranking.accounts]
    assert scores == sorted(scores, reverse=True)


def test_a_ring_of_sock_accounts_is_excluded_as_a_dense_reciprocal_cluster(
    engine: DuckDBEngine,
) -> None:
    ranking = rank(engine, "zigbee", excluded={})
    ranked = {a.account_id for a in ranking.accounts}
    assert ranked.isdisjoint(RING)
    reasons = {x.account_id: x.reason for x in ranking.excluded}
    assert set(reasons) == set(RING)
    assert all("dense reciprocal cluster" in r for r in reasons.values())
    assert ranking.clusters[0].accounts == RING


def test_given_exclusions_leave_the_account_out_and_their_reactions_uncounted(
    engine: DuckDBEngine,
) -> None:
    before = rank(engine, "zigbee", excluded={})
    expert_before = before.accounts[0].measures
    after = rank(engine, "zigbee", excluded={"a1": "flagged in a test"})
    assert "a1" not in {a.account_id for a in after.accounts}
    assert {"account_id": "a1", "reason": "flagged in a test"} in after.to_dict()["excluded"]
    expert_after = next(a for a in after.accounts if a.account_id == EXPERT).measures
    assert expert_after.reactors == expert_before.reactors - 1
    assert expert_after.accepted == expert_before.accepted - 2  # a1 asked twice and accepted


def test_off_topic_activity_does_not_rank(engine: DuckDBEngine) -> None:
    assert "cook" not in {a.account_id for a in rank(engine, "zigbee", excluded={}).accounts}
    cooking = rank(engine, "tag:cooking", excluded={})
    assert {a.account_id for a in cooking.accounts} == {"a2", "cook"}
    cook = next(a for a in cooking.accounts if a.account_id == "cook")
    assert cook.measures.answers == 2 and cook.measures.reaction_count == 2  # two votes up


def test_sql_and_scipy_kernels_give_the_same_ranking(engine: DuckDBEngine) -> None:
    scipy = rank(engine, "zigbee", excluded={}, params=InfluenceParams(kernel="scipy", tol=1e-13))
    sql = rank(engine, "zigbee", excluded={}, params=InfluenceParams(kernel="sql", tol=1e-13))
    assert sql.kernel == "sql" and scipy.kernel == "scipy"
    for a, b in zip(scipy.accounts, sql.accounts, strict=True):
        assert a.account_id == b.account_id
        assert a.measures.pagerank == pytest.approx(b.measures.pagerank, abs=1e-8)


def test_json_has_schema_version_1(engine: DuckDBEngine) -> None:
    data = rank(engine, "zigbee", excluded={}).to_dict()
    assert list(data) == ["version", "dataset", "topic", "accounts", "excluded"]
    assert data["version"] == 1 and data["topic"] == "tag:zigbee"
    first = data["accounts"][0]
    assert list(first) == ["account_id", "rank", "score", "facets", "evidence"]
    assert list(first["facets"]) == ["mobilizes", "reactions", "audience", "participation"]
    assert all(set(x) == {"account_id", "reason"} for x in data["excluded"])


def test_unknown_tags_and_topics_that_match_nothing_name_the_closest_tags(
    engine: DuckDBEngine,
) -> None:
    with pytest.raises(UsageError, match=r"no tag 'zigbe' \(closest tags: zigbee"):
        rank(engine, "tag:zigbe")
    with pytest.raises(UsageError, match=r"topic 'zwave' matches no posts.*closest tags"):
        rank(engine, "zwave")
    with pytest.raises(UsageError, match="no post 'p999999'"):
        rank(engine, "post:p999999")


def test_keywords_match_phrases_and_related_wording() -> None:
    threads = [
        ThreadText("1", "Zigbee hub pairing", ("hubs",), "The zigbee hub will not pair."),
        ThreadText("2", "Hub pairing fails", ("hubs",), "My zigbee coordinator hub pairing."),
        ThreadText("3", "Bread", ("cooking",), "How long to bake bread?"),
    ]
    topic = parse_topic("hub pairing").resolve({"hubs", "cooking"})
    assert topic.keywords == ("hub pairing",)
    scored = relevance(topic, threads, {}, "forum")
    assert scored.seeds == {"1", "2"}
    assert "3" not in scored.threads
    tagged = relevance(parse_topic("hubs").resolve({"hubs"}), threads, {}, "forum")
    assert tagged.topic.tags == ("hubs",) and tagged.threads["1"] == 1.0


def test_clusters_keep_organic_hubs_out() -> None:
    ring = ["r1", "r2", "r3"]
    edges = [(a, b, 1.0) for a in ring for b in ring if a != b]
    # A hub that trades reactions with two regulars but draws most reactions from outsiders.
    edges += [("hub", "x", 1.0), ("x", "hub", 1.0), ("hub", "y", 1.0), ("y", "hub", 1.0)]
    edges += [("x", "y", 1.0), ("y", "x", 1.0), ("hub", "r1", 1.0), ("r1", "hub", 1.0)]
    edges += [(f"o{i}", "hub", 1.0) for i in range(10)]
    edges += [(f"o{i}", "x", 1.0) for i in range(3)] + [(f"o{i}", "y", 1.0) for i in range(3)]
    clusters = reciprocal_clusters(edges)
    assert [c.accounts for c in clusters] == [("r1", "r2", "r3")]


def _town(people: int) -> list[tuple[str, str, float]]:
    """An organic community: askers t0..t{people-1}; three regulars answer them (and get
    accepts and comments back), and askers comment on each other's questions."""
    edges = []
    for i in range(people):
        regular = f"reg{i % 3}"
        edges += [(regular, f"t{i}", 1.0), (f"t{i}", regular, 1.0)]
        edges.append((f"t{i}", f"t{(i + 1) % people}", 1.0))
    return edges


def _sparse_ring(size: int) -> list[tuple[str, str, float]]:
    """Each sock reacts to the next one and the one three further on: few reciprocal pairs,
    and each also spends two reactions on askers of the town (camouflage)."""
    socks = [f"s{i}" for i in range(size)]
    edges = []
    for i, sock in enumerate(socks):
        edges.append((sock, socks[(i + 1) % size], 2.0))
        edges.append((sock, socks[(i + 3) % size], 1.0))
        edges += [(sock, f"t{i}", 1.0), (sock, f"t{i + 10}", 1.0)]
    return edges


def test_a_sparse_ring_of_ten_is_an_insular_group_but_not_a_dense_cluster() -> None:
    edges = _town(100) + _sparse_ring(10)
    assert reciprocal_clusters(edges) == []  # no sock has two reciprocal partners
    groups = insular_groups(edges)
    assert [g.accounts for g in groups] == [tuple(sorted(f"s{i}" for i in range(10)))]
    group = groups[0]
    assert group.kind == "insular" and group.inside_share == 1.0
    assert group.received == group.received_inside == 30.0
    assert group.reason.startswith("insular group I1: 10 accounts that received 30 of their 30")
    assert suspect_groups(edges) == groups


def test_a_ring_member_that_only_gives_is_in_the_group_and_the_askers_it_answers_are_not() -> None:
    edges = _town(200) + _sparse_ring(10)
    # s10 receives nothing: it reacts to three socks and spends the rest on the town.
    edges += [("s10", "s0", 1.0), ("s10", "s4", 1.0), ("s10", "s7", 1.0), ("s10", "t50", 1.0)]
    # t60 asked a question that four socks answered as camouflage (most of what it
    # received), and never reacted to them.
    edges += [(f"s{i}", "t60", 1.0) for i in range(4)]
    groups = insular_groups(edges)
    assert [g.accounts for g in groups] == [tuple(sorted(f"s{i}" for i in range(11)))]
    assert groups[0].supporters == 1
    assert "with 1 account(s) that receive none" in groups[0].reason


def test_a_commenter_on_one_answer_only_is_not_a_supporter() -> None:
    # The answerer case below, but the commenters also react once elsewhere: still not a
    # group, since each reacts to one member only.
    edges = [("a", "b", 1.0), ("b", "a", 1.0), ("a", "c", 1.0), ("c", "a", 1.0)]
    edges += [("d", "a", 1.0), ("e", "a", 1.0), ("d", "t1", 1.0), ("e", "t2", 1.0), *_town(40)]
    assert insular_groups(edges) == []


def test_an_organic_hub_with_many_outside_reactors_is_not_insular() -> None:
    edges = _town(100)
    # The hub trades reactions with a few regulars, who also answer it, but most of its
    # reactions come from forty askers it never reacts to.
    edges += [("hub", f"reg{i}", 2.0) for i in range(3)] + [
        (f"reg{i}", "hub", 2.0) for i in range(3)
    ]
    edges += [(f"t{i}", "hub", 1.0) for i in range(40)]
    assert insular_groups(edges) == []
    assert reciprocal_clusters(edges) == []


def test_an_answerer_with_two_askers_and_two_commenters_is_not_insular() -> None:
    # a answered b and c, who accepted; d and e only commented on a's answers.
    edges = [("a", "b", 1.0), ("b", "a", 1.0), ("a", "c", 1.0), ("c", "a", 1.0)]
    edges += [("d", "a", 1.0), ("e", "a", 1.0), *_town(40)]
    assert insular_groups(edges) == []


def test_insular_groups_must_be_small_next_to_the_community() -> None:
    edges = _town(20) + _sparse_ring(10)  # 33 accounts, a third of them socks
    assert insular_groups(edges) == []
    assert len(insular_groups(edges, max_share=0.5)) == 1


def test_a_ring_of_ten_is_looked_for_in_a_small_community_while_under_a_fifth_of_it() -> None:
    # 70 organic accounts and 10 socks: the ring is an eighth of the community, more than the
    # tenth a group may be in a big one, but the largest ring the specification names.
    edges = _town(67) + _sparse_ring(10)
    groups = insular_groups(edges)
    assert [g.accounts for g in groups] == [tuple(sorted(f"s{i}" for i in range(10)))]
    assert size_limit(80) == 10  # a tenth alone would allow 7
    assert size_limit(33) == 6  # 10 would be a third of it: under a fifth only
    assert size_limit(1000) == 50  # a tenth (99), capped by the search's largest group
    assert size_limit(20) == 3


def test_part_of_a_ring_flagged_already_leaves_the_rest_insular() -> None:
    edges = _town(100) + _sparse_ring(10)
    flagged = {f"s{i}" for i in range(0, 10, 2)}
    groups = suspect_groups(edges, excluded=flagged)
    assert [g.kind for g in groups] == ["insular"]
    assert set(groups[0].accounts) >= {f"s{i}" for i in range(1, 10, 2)}
    everyone = {f"s{i}" for i in range(10)}
    assert suspect_groups(edges, excluded=everyone) == []


def test_ndcg_and_spearman() -> None:
    gains = {"a": 3.0, "b": 2.0, "c": 0.0}
    assert ndcg(["a", "b", "c"], gains, 20) == pytest.approx(1.0)
    assert ndcg(["c", "b", "a"], gains, 20) < ndcg(["b", "a", "c"], gains, 20) < 1.0
    assert spearman([1, 2, 3], [10, 20, 30]) == pytest.approx(1.0)
    assert spearman([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    assert spearman([1, 1, 1], [1, 2, 3]) is None


def test_predictive_validity_scores_the_ranking_and_every_baseline(engine: DuckDBEngine) -> None:
    cutoff = datetime(2021, 2, 15, tzinfo=UTC)
    result = predictive_validity(engine, "zigbee", cutoff, excluded={})
    methods = [s.method for s in result.scores]
    assert methods == [
        "plainspoken influence", "reputation", "reputation at cut-off", "post count",
        "in-degree", "plain PageRank",
    ]  # fmt: skip
    assert result.candidates >= 2 and result.with_outcome >= 1
    assert all(0.0 <= s.ndcg <= 1.0 for s in result.scores)
    # The expert, ranked first, keeps receiving votes and accepts after the cut-off.
    assert result.ours.ndcg > 0.0
    with pytest.raises(UsageError, match="no account posted on topic"):
        predictive_validity(engine, "zigbee", datetime(2020, 1, 1, tzinfo=UTC), excluded={})
