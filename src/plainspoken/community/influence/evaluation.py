"""The influence evaluation harness: predictive validity and the manipulation test.

**Predictive validity.** Rank with the rows dated before a cut-off, then measure how well the
ranking predicts what each ranked account *receives* on the topic after it: reactions (votes
up, comments, replies, answers to its questions, favourites) plus accepted answers, each
counted once, from accounts not excluded. Candidates are the accounts the ranking ranks (they
posted on the topic before the cut-off and are not excluded); every method orders the same
candidates. Metrics: NDCG@k with that count as the gain, and Spearman's rank correlation over
all candidates. These sites are small (a few dozen candidates, a handful of whom receive
anything after the cut-off), so one account can swing NDCG@k by tenths: each topic also gets
a paired bootstrap of the difference between the ranking and each baseline (``margins``:
candidates drawn with replacement, both orderings scored on the same draws), which says
whether a win or a loss is larger than that noise. Baselines:

- ``reputation``: the reputation the source reports, as of the dump (it includes reputation
  earned after the cut-off, so it sees the future: an optimistic baseline);
- ``reputation at cut-off``: Stack Exchange's reputation rules replayed on the votes and
  accepts before the cut-off (+5 question vote up, +10 answer vote up, -2 vote down, +15
  accepted answer, +2 accepting);
- ``post count``: topic posts before the cut-off;
- ``in-degree``: reactions with a known actor received on the topic before the cut-off;
- ``plain PageRank``: PageRank on the topic's reaction graph, one unit per (actor, receiver)
  pair, uniform teleport, no exclusions.

**Manipulation test.** Plant rings of sock accounts on the topic with the authenticity
injector, rank the injected dataset, and count ring accounts in the top 20 of the ranking and
of the plain PageRank and post-count baselines.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pyarrow as pa

from plainspoken.community.influence import graph
from plainspoken.community.influence.margins import Margin, margins
from plainspoken.community.influence.pagerank import pagerank
from plainspoken.community.influence.params import InfluenceParams, Window
from plainspoken.community.influence.progress import Progress
from plainspoken.community.influence.ranking import rank
from plainspoken.community.influence.result import InfluenceRanking
from plainspoken.community.influence.tables import drop_tables
from plainspoken.community.influence.topic import Topic
from plainspoken.engine import Engine, Query
from plainspoken.errors import UsageError

METHOD = "plainspoken influence"
BASELINES = (
    "reputation",
    "reputation at cut-off",
    "post count",
    "in-degree",
    "plain PageRank",
)

OUTCOME = Query(
    "influence_outcome",
    """
    SELECT e.receiver AS account_id,
           COUNT(CASE WHEN e.kind IN ('vote-up', 'comment', 'reply', 'answer', 'favorite')
                 THEN 1 END) AS reactions,
           COUNT(CASE WHEN e.kind = 'accept' THEN 1 END) AS accepts
    FROM infl_events AS e
    LEFT JOIN infl_excluded AS x ON e.actor = x.account_id
    WHERE x.account_id IS NULL
    GROUP BY e.receiver
    """,
    "What each account received on the topic in the window: reactions and accepts.",
)

REPUTATION = Query(
    "influence_reputation",
    f"""
    WITH earned AS (
        SELECT p.author_id AS account_id,
               CASE WHEN x.kind = 'vote-up' AND p.kind = 'question' THEN 5
                    WHEN x.kind = 'vote-up' AND p.kind = 'answer' THEN 10
                    WHEN x.kind = 'vote-down' AND p.kind IN ('question', 'answer') THEN -2
                    WHEN x.kind = 'accept' THEN 15
                    ELSE 0 END AS points
        FROM reactions AS x
        JOIN posts AS p ON x.post_id = p.id
        WHERE {graph._window("x.created_at")}
        UNION ALL
        SELECT t.author_id, 2
        FROM reactions AS x
        JOIN posts AS p ON x.post_id = p.id
        JOIN threads AS t ON p.thread_id = t.id
        WHERE x.kind = 'accept' AND t.author_id <> p.author_id
          AND {graph._window("x.created_at")}
    )
    SELECT c.account_id, a.reputation AS reported, 1 + COALESCE(SUM(e.points), 0) AS replayed
    FROM (SELECT DISTINCT account_id FROM infl_candidates) AS c
    LEFT JOIN accounts AS a ON a.id = c.account_id
    LEFT JOIN earned AS e ON e.account_id = c.account_id
    GROUP BY c.account_id, a.reputation
    """,
    "Per candidate: the reported reputation, and reputation replayed from votes in the window.",
    graph.WINDOW_DEFAULTS,
)


@dataclass(frozen=True)
class MethodScore:
    """How well one ordering predicted the outcome."""

    method: str
    ndcg: float
    spearman: float | None


@dataclass(frozen=True)
class TopicEvaluation:
    """Predictive validity on one topic of one dataset."""

    dataset: str
    topic: str
    cutoff: datetime
    candidates: int
    with_outcome: int
    k: int
    scores: tuple[MethodScore, ...]
    margins: tuple[Margin, ...] = ()
    """The ranking against each baseline, bootstrapped (none without candidates)."""

    @property
    def margin(self) -> Margin | None:
        """The ranking against the best baseline."""
        best = self.best_baseline.method
        return next((m for m in self.margins if m.baseline == best), None)

    @property
    def best_baseline(self) -> MethodScore:
        return max((s for s in self.scores if s.method != METHOD), key=lambda s: s.ndcg)

    @property
    def ours(self) -> MethodScore:
        return next(s for s in self.scores if s.method == METHOD)

    @property
    def wins(self) -> bool:
        """Whether the ranking's NDCG@k beats every baseline's."""
        return self.ours.ndcg > self.best_baseline.ndcg

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "topic": self.topic,
            "cutoff": self.cutoff.isoformat(),
            "candidates": self.candidates,
            "with_outcome": self.with_outcome,
            "k": self.k,
            "scores": [
                {"method": s.method, "ndcg": s.ndcg, "spearman": s.spearman} for s in self.scores
            ],
            "margins": [m.to_dict() for m in self.margins],
        }


def ndcg(order: Sequence[str], gains: Mapping[str, float], k: int) -> float:
    """NDCG@k of an ordering, linear gains, against the best ordering of the same candidates."""

    def dcg(values: Sequence[float]) -> float:
        return sum(v / math.log2(i + 2) for i, v in enumerate(values[:k]))

    ideal = dcg(sorted((gains.get(a, 0.0) for a in order), reverse=True))
    return dcg([gains.get(a, 0.0) for a in order]) / ideal if ideal > 0 else 0.0


def _average_ranks(values: Sequence[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for position in range(i, j + 1):
            ranks[order[position]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Spearman's rho with average ranks for ties; None when either side is constant."""
    if len(xs) < 2:
        return None
    rx, ry = _average_ranks(xs), _average_ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx = math.sqrt(sum((a - mx) ** 2 for a in rx))
    vy = math.sqrt(sum((b - my) ** 2 for b in ry))
    return cov / (vx * vy) if vx > 0 and vy > 0 else None


def order_by(scores: Mapping[str, float], candidates: Sequence[str]) -> list[str]:
    """Candidates by descending score, ties by account id (no method gets lucky ties)."""
    return sorted(candidates, key=lambda a: (-scores.get(a, 0.0), a))


def plain_pagerank(edges: Sequence[tuple[str, str]]) -> dict[str, float]:
    """Unweighted PageRank with a uniform teleport over distinct (actor, receiver) pairs."""
    pairs = sorted(set(edges))
    index: dict[str, int] = {}
    for s, d in pairs:
        index.setdefault(s, len(index))
        index.setdefault(d, len(index))
    if not index:
        return {}
    result = pagerank(
        len(index),
        [index[s] for s, _ in pairs],
        [index[d] for _, d in pairs],
        [1.0] * len(pairs),
    )
    return {a: float(result.ranks[i]) for a, i in index.items()}


def baseline_scores(engine: Engine, ranking: InfluenceRanking) -> dict[str, dict[str, float]]:
    """Each baseline's score per candidate; needs the ranking's tables (``keep_tables``)."""
    candidates = [a.account_id for a in ranking.accounts]
    engine.load("infl_candidates", pa.table({"account_id": pa.array([*candidates, ""])}))
    try:
        reputation = engine.rows(REPUTATION, **ranking.window.params())
    finally:
        engine.drop("infl_candidates")
    edges = engine.rows(graph.EDGES)
    in_degree: dict[str, float] = {}
    for e in edges:
        if e["kind"] != "vote-down":
            in_degree[e["dst"]] = in_degree.get(e["dst"], 0.0) + float(e["reactions"])
    plain = plain_pagerank([(e["src"], e["dst"]) for e in edges if e["kind"] != "vote-down"])
    return {
        "reputation": {str(r["account_id"]): float(r["reported"] or 0) for r in reputation},
        "reputation at cut-off": {str(r["account_id"]): float(r["replayed"]) for r in reputation},
        "post count": {a.account_id: float(a.measures.posts) for a in ranking.accounts},
        "in-degree": in_degree,
        "plain PageRank": plain,
    }


@dataclass(frozen=True)
class TopicOutcome:
    """A ranking made before a cut-off, the baselines' scores of its candidates and what each
    candidate received after the cut-off: enough to score any ordering of the candidates
    (``score_topic``) without ranking again, e.g. the composite under other facet weights."""

    ranking: InfluenceRanking
    cutoff: datetime
    baselines: Mapping[str, Mapping[str, float]]
    outcome: Mapping[str, float]

    @property
    def candidates(self) -> list[str]:
        return [a.account_id for a in self.ranking.accounts]


def topic_outcome(
    engine: Engine,
    topic: Topic | str,
    cutoff: datetime,
    *,
    excluded: Mapping[str, str] | None = None,
    params: InfluenceParams | None = None,
    horizon: datetime | None = None,
    progress: Progress | None = None,
) -> TopicOutcome:
    """Rank before ``cutoff`` on the registered dataset, score the baselines, and count what
    each candidate received after it (up to ``horizon`` when given)."""
    ranking = rank(
        engine,
        topic,
        excluded=excluded,
        params=params,
        window=Window(None, cutoff, undated=False),
        keep_tables=True,
        progress=progress,
    )
    try:
        if not ranking.accounts:
            raise UsageError(
                f"no account posted on topic '{ranking.topic}' before the cut-off "
                f"{cutoff:%Y-%m-%d} (choose a later --cutoff)"
            )
        if progress:
            progress(f"scoring the baselines of {len(ranking.accounts):,} candidates")
        methods = baseline_scores(engine, ranking)
        if progress:
            progress("counting what the candidates received after the cut-off")
        after = Window(cutoff, horizon, undated=False)
        engine.materialize("infl_events", graph.EVENTS, **after.params())
        outcome = {
            str(r["account_id"]): float(r["reactions"]) + float(r["accepts"])
            for r in engine.rows(OUTCOME)
        }
    finally:
        drop_tables(engine)
    return TopicOutcome(ranking, cutoff, methods, outcome)


def score_topic(
    data: TopicOutcome,
    k: int = 20,
    ours: Mapping[str, float] | None = None,
    rounds: int = 2000,
) -> TopicEvaluation:
    """NDCG@k and Spearman of the ranking (or of ``ours``, other scores of the same candidates)
    and of every baseline against the outcome; with ``rounds`` > 0, the bootstrapped margin
    over the best baseline."""
    candidates = data.candidates
    mine = ours if ours is not None else {a.account_id: a.score for a in data.ranking.accounts}
    gains = [data.outcome.get(a, 0.0) for a in candidates]
    scores = []
    for method, values in [(METHOD, mine), *((b, data.baselines[b]) for b in BASELINES)]:
        order = order_by(values, candidates)
        rho = spearman([values.get(a, 0.0) for a in candidates], gains)
        scores.append(MethodScore(method, ndcg(order, data.outcome, k), rho))
    return TopicEvaluation(
        dataset=data.ranking.dataset,
        topic=data.ranking.topic,
        cutoff=data.cutoff,
        candidates=len(candidates),
        with_outcome=sum(1 for g in gains if g > 0),
        k=k,
        scores=tuple(scores),
        margins=margins(
            candidates, mine, {b: data.baselines[b] for b in BASELINES}, data.outcome, k, rounds
        )
        if candidates and rounds > 0
        else (),
    )


def predictive_validity(
    engine: Engine,
    topic: Topic | str,
    cutoff: datetime,
    *,
    excluded: Mapping[str, str] | None = None,
    params: InfluenceParams | None = None,
    k: int = 20,
    horizon: datetime | None = None,
) -> TopicEvaluation:
    """Rank before ``cutoff`` on the registered dataset; score against what came after it
    (up to ``horizon`` when given: a development split ends where the reported one starts)."""
    data = topic_outcome(engine, topic, cutoff, excluded=excluded, params=params, horizon=horizon)
    return score_topic(data, k)


@dataclass(frozen=True)
class ManipulationResult:
    """Planted ring accounts that reached the top ``k`` of the ranking and of the baselines."""

    dataset: str
    topic: str
    campaigns: int
    ring_accounts: int
    k: int
    in_top: Mapping[str, int]
    excluded: int
    """Ring accounts the ranking left out (flagged or in a dense reciprocal cluster)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "topic": self.topic,
            "campaigns": self.campaigns,
            "ring_accounts": self.ring_accounts,
            "k": self.k,
            "in_top": dict(self.in_top),
            "excluded": self.excluded,
        }


def manipulation_counts(
    engine: Engine,
    topic: Topic | str,
    ring: frozenset[str],
    *,
    excluded: Mapping[str, str] | None = None,
    params: InfluenceParams | None = None,
    k: int = 20,
    campaigns: int = 0,
    progress: Progress | None = None,
) -> ManipulationResult:
    """Rank the injected dataset registered on ``engine``; count ring accounts in each top k.

    The baselines rank every topic participant, ring accounts included (they know nothing
    of exclusions); the ranking ranks what it does not exclude.
    """
    ranking = rank(
        engine, topic, excluded=excluded, params=params, keep_tables=True, progress=progress
    )
    if progress:
        progress(f"counting ring accounts in each top {k}")
    try:
        edges = engine.rows(graph.EDGES)
        posts = engine.rows(graph.PARTICIPATION)
    finally:
        drop_tables(engine)
    plain = plain_pagerank([(e["src"], e["dst"]) for e in edges if e["kind"] != "vote-down"])
    participants = [str(r["account_id"]) for r in posts]
    counts = {
        str(r["account_id"]): float(r["questions"] + r["answers"] + r["comments"]) for r in posts
    }
    top = {
        METHOD: sum(1 for a in ranking.top(k) if a.account_id in ring),
        "plain PageRank": sum(1 for a in order_by(plain, participants)[:k] if a in ring),
        "post count": sum(1 for a in order_by(counts, participants)[:k] if a in ring),
    }
    left_out = sum(1 for x in ranking.excluded if x.account_id in ring)
    return ManipulationResult(
        ranking.dataset, ranking.topic, campaigns, len(ring), k, top, left_out
    )
