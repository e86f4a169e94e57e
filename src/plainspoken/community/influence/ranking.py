"""Rank the accounts of a dataset on a topic by four explained facets.

``rank`` does the work on an engine that has the dataset registered: topic relevance, the
reaction events, exclusions (given as data, plus dense reciprocal clusters found here), the
topic-sensitive PageRank and the per-account measures, then facets, score and evidence.
``influencers`` (in ``plainspoken.community.influence``) opens the workspace and the engine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pyarrow as pa

from plainspoken.community.influence import graph
from plainspoken.community.influence.clusters import Cluster, reciprocal_clusters
from plainspoken.community.influence.evidence import Evidence, account_evidence
from plainspoken.community.influence.facets import (
    FACET_WEIGHTS,
    FACETS,
    Measures,
    composite,
    facets,
)
from plainspoken.community.influence.pagerank import KERNELS, SCIPY_MAX_EDGES, pagerank
from plainspoken.community.influence.topic import (
    Relevance,
    ThreadText,
    Topic,
    parse_topic,
    relevance,
)
from plainspoken.engine import Engine, Query
from plainspoken.errors import UsageError

KIND_WEIGHTS: Mapping[str, float] = {
    "answer": 1.0,
    "comment": 1.0,
    "reply": 1.0,
    "vote-up": 1.0,
    "favorite": 1.0,
    "bounty": 1.0,
    "accept": 2.0,
    "link": 1.0,
    "vote-down": 0.0,
}
"""How much one reaction of each kind endorses its receiver in the PageRank graph."""

_TABLES = ("infl_relevance", "infl_events", "infl_excluded", "infl_example_ids")


@dataclass(frozen=True)
class InfluenceParams:
    """The knobs of a ranking, with their defaults."""

    alpha: float = 0.85
    tol: float = 1e-10
    max_iter: int = 200
    kernel: str = "auto"
    kind_weights: Mapping[str, float] = field(default_factory=lambda: dict(KIND_WEIGHTS))
    facet_weights: Mapping[str, float] = field(default_factory=lambda: dict(FACET_WEIGHTS))
    cluster_min_size: int = 3
    cluster_min_inside: float = 0.5
    cluster_min_density: float = 0.5
    evidence: int = 3

    def check(self) -> None:
        if self.kernel not in KERNELS:
            raise UsageError(
                f"unknown PageRank kernel '{self.kernel}' (valid kernels: {', '.join(KERNELS)})"
            )
        if not 0 < self.alpha < 1:
            raise UsageError(f"alpha is {self.alpha}, expected a number between 0 and 1")


@dataclass(frozen=True)
class Window:
    """Rank on the rows dated in [start, end) (None: unbounded), undated rows if ``undated``."""

    start: datetime | None = None
    end: datetime | None = None
    undated: bool = True

    def params(self) -> dict[str, Any]:
        defaults = graph.WINDOW_DEFAULTS
        return {
            "start": _sql_time(self.start) if self.start else defaults["start"],
            "end": _sql_time(self.end) if self.end else defaults["end"],
            "undated": 1 if self.undated else 0,
        }


def _sql_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


@dataclass(frozen=True)
class AccountInfluence:
    """One ranked account: its rank, score, facets, raw measures and evidence."""

    account_id: str
    name: str | None
    rank: int
    score: float
    facets: Mapping[str, float]
    measures: Measures
    evidence: tuple[Evidence, ...]
    reactors: tuple[tuple[str, int], ...] = ()
    """Who reacts to them on the topic (account id, reactions), most first."""
    threads: tuple[str, ...] = ()
    """The topic threads they took part in, most active first."""


@dataclass(frozen=True)
class Exclusion:
    """An account left out of the ranking, and why."""

    account_id: str
    reason: str


@dataclass(frozen=True)
class InfluenceRanking:
    """Everything ``plainspoken community influencers`` reports (numbers and evidence)."""

    dataset: str
    engine: str
    topic: str
    topic_threads: int
    seeds: int
    accounts: tuple[AccountInfluence, ...]
    excluded: tuple[Exclusion, ...]
    clusters: tuple[Cluster, ...] = ()
    thread_titles: Mapping[str, str] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)
    kernel: str = "scipy"
    iterations: int = 0
    window: Window = field(default_factory=Window)
    notes: tuple[str, ...] = ()

    def top(self, n: int) -> tuple[AccountInfluence, ...]:
        return self.accounts[:n]

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON, schema version 1."""
        return {
            "version": 1,
            "dataset": self.dataset,
            "topic": self.topic,
            "accounts": [
                {
                    "account_id": a.account_id,
                    "rank": a.rank,
                    "score": round(a.score, 6),
                    "facets": {f: round(a.facets[f], 6) for f in FACETS},
                    "evidence": [e.to_dict() for e in a.evidence],
                }
                for a in self.accounts
            ],
            "excluded": [{"account_id": x.account_id, "reason": x.reason} for x in self.excluded],
        }


def _threads(engine: Engine) -> list[ThreadText]:
    table = engine.run(graph.DOCUMENTS)
    ids = table.column("thread_id").to_pylist()
    titles = table.column("title").to_pylist()
    tags = table.column("tags").to_pylist()
    texts = table.column("text").to_pylist()
    return [
        ThreadText(str(i), t or "", tuple(g or ()), x or "")
        for i, t, g, x in zip(ids, titles, tags, texts, strict=True)
        if i is not None
    ]


def topic_relevance(engine: Engine, topic: Topic | str, dataset: str) -> Relevance:
    """Resolve a topic against the dataset's tags and score every thread's relevance."""
    parsed = parse_topic(topic) if isinstance(topic, str) else topic
    threads = _threads(engine)
    resolved = parsed.resolve({t for thread in threads for t in thread.tags})
    examples: dict[str, tuple[str, str]] = {}
    if resolved.posts:
        engine.load("infl_example_ids", pa.table({"id": pa.array(resolved.posts, pa.string())}))
        for row in engine.rows(graph.EXAMPLES):
            examples[str(row["id"])] = (str(row["thread_id"]), row["text"] or "")
    return relevance(resolved, threads, examples, dataset)


def load_relevance(engine: Engine, scores: Mapping[str, float]) -> None:
    engine.load(
        "infl_relevance",
        pa.table(
            {
                "thread_id": pa.array(list(scores), pa.string()),
                "relevance": pa.array(list(scores.values()), pa.float64()),
            }
        ),
    )


def load_excluded(engine: Engine, accounts: Sequence[str]) -> None:
    # One row that matches no account keeps the table non-empty (Spark infers no empty frame).
    ids = [*accounts, ""]
    engine.load("infl_excluded", pa.table({"account_id": pa.array(ids, pa.string())}))


def drop_tables(engine: Engine) -> None:
    for table in _TABLES:
        engine.drop(table)


def _column(table: pa.Table, name: str) -> list[Any]:
    values: list[Any] = table.column(name).to_pylist()
    return values


def _edges(engine: Engine) -> list[tuple[str, str, str, float, int]]:
    table = engine.run(graph.EDGES)
    return list(
        zip(
            _column(table, "src"),
            _column(table, "dst"),
            _column(table, "kind"),
            _column(table, "weight"),
            _column(table, "reactions"),
            strict=True,
        )
    )


def find_clusters(
    engine: Engine,
    excluded: Mapping[str, str],
    params: InfluenceParams,
    window_params: Mapping[str, Any],
) -> list[Cluster]:
    """Dense reciprocal clusters among the dataset's reactions in the window (whole site:
    more of an organic account's outside support is seen there than on one topic)."""
    table = engine.run(graph.SITE_EDGES, **window_params)
    edges = (
        (s, d, float(n))
        for s, d, n in zip(
            _column(table, "src"), _column(table, "dst"), _column(table, "reactions"), strict=True
        )
        if s not in excluded
    )
    return reciprocal_clusters(
        edges,
        min_size=params.cluster_min_size,
        min_inside=params.cluster_min_inside,
        min_density=params.cluster_min_density,
    )


def run_pagerank(
    engine: Engine,
    edges: Sequence[tuple[str, str, float]],
    teleport: Mapping[str, float],
    params: InfluenceParams,
) -> tuple[dict[str, float], str, int]:
    """PageRank over weighted account edges; ranks scaled so the average node has 1.0."""
    index: dict[str, int] = {}
    for source, target, _ in edges:
        index.setdefault(source, len(index))
        index.setdefault(target, len(index))
    for account in teleport:
        index.setdefault(account, len(index))
    n = len(index)
    if n == 0:
        return {}, "scipy", 0
    src = np.fromiter((index[e[0]] for e in edges), dtype=np.int64, count=len(edges))
    dst = np.fromiter((index[e[1]] for e in edges), dtype=np.int64, count=len(edges))
    weight = np.fromiter((e[2] for e in edges), dtype=np.float64, count=len(edges))
    tele = np.zeros(n)
    for account, value in teleport.items():
        tele[index[account]] = value
    kernel = params.kernel
    if kernel == "auto":
        kernel = "scipy" if len(edges) <= SCIPY_MAX_EDGES else "sql"
    if kernel == "scipy":
        result = pagerank(
            n, src, dst, weight, tele, alpha=params.alpha, tol=params.tol, max_iter=params.max_iter
        )
        ranks, steps = result.ranks, result.iterations
    else:
        ranks, steps = _sql_pagerank(engine, n, src, dst, weight, tele, params)
    names = list(index)
    return {names[i]: float(ranks[i]) * n for i in range(n)}, kernel, steps


def _sql_pagerank(
    engine: Engine,
    n: int,
    src: np.ndarray[Any, Any],
    dst: np.ndarray[Any, Any],
    weight: np.ndarray[Any, Any],
    tele: np.ndarray[Any, Any],
    params: InfluenceParams,
) -> tuple[np.ndarray[Any, Any], int]:
    from plainspoken.engine.pagerank import drop_tables as drop_pagerank
    from plainspoken.engine.pagerank import pagerank as sql_pagerank
    from plainspoken.engine.pagerank import ranks as sql_ranks

    engine.load("infl_pr_edges", pa.table({"src": src, "dst": dst, "weight": weight}))
    engine.load("infl_pr_nodes", pa.table({"node": np.arange(n, dtype=np.int64), "teleport": tele}))
    try:
        run = sql_pagerank(
            engine,
            "infl_pr_edges",
            "infl_pr_nodes",
            alpha=params.alpha,
            tol=params.tol,
            max_iter=params.max_iter,
            prefix="infl_pr",
        )
        table = sql_ranks(engine, run)
    finally:
        drop_pagerank(engine, "infl_pr")
        engine.drop("infl_pr_edges")
        engine.drop("infl_pr_nodes")
    ranks = np.zeros(n)
    ranks[np.asarray(table.column("node").to_pylist(), dtype=np.int64)] = table.column(
        "rank"
    ).to_pylist()
    return ranks, run.iterations


def _rows_by_account(engine: Engine, query: Query, **params: Any) -> dict[str, dict[str, Any]]:
    return {str(r["account_id"]): r for r in engine.rows(query, **params)}


def rank(
    engine: Engine,
    topic: Topic | str,
    *,
    excluded: Mapping[str, str] | None = None,
    params: InfluenceParams | None = None,
    window: Window | None = None,
    dataset: str | None = None,
    keep_tables: bool = False,
    notes: Sequence[str] = (),
) -> InfluenceRanking:
    """Rank the accounts of the dataset registered on ``engine`` on ``topic``.

    ``excluded`` maps account ids to the reason they are left out (flagged by the
    authenticity analysis, say); their reactions do not count either. Accounts in dense
    reciprocal clusters are left out the same way. With ``keep_tables`` the engine keeps
    ``infl_relevance``, ``infl_events`` and ``infl_excluded`` for further queries.
    """
    chosen = params or InfluenceParams()
    chosen.check()
    when = window or Window()
    if engine.dataset is None:
        raise UsageError("rank: register the dataset on the engine first")
    name = dataset or engine.dataset.name
    rel = topic_relevance(engine, topic, name)
    load_relevance(engine, rel.threads)
    window_params = when.params()
    engine.materialize("infl_events", graph.EVENTS, **window_params)
    edges = _edges(engine)
    left_out = dict(excluded or {})
    clusters = find_clusters(engine, left_out, chosen, window_params)
    for cluster in clusters:
        for account in cluster.accounts:
            left_out.setdefault(account, cluster.reason)
    load_excluded(engine, sorted(left_out))
    try:
        result = _measure(engine, rel, name, edges, left_out, chosen, when, window_params)
    finally:
        if not keep_tables:
            drop_tables(engine)
    return InfluenceRanking(
        dataset=name,
        engine=engine.name,
        topic=rel.topic.label,
        topic_threads=result["topic_threads"],
        seeds=len(rel.seeds),
        accounts=result["accounts"],
        excluded=tuple(Exclusion(a, r) for a, r in sorted(left_out.items())),
        clusters=tuple(clusters),
        thread_titles=result["titles"],
        names=result["names"],
        kernel=result["kernel"],
        iterations=result["iterations"],
        window=when,
        notes=tuple(notes),
    )


def _measure(
    engine: Engine,
    rel: Relevance,
    dataset: str,
    edges: Sequence[tuple[str, str, str, float, int]],
    left_out: Mapping[str, str],
    params: InfluenceParams,
    window: Window,
    window_params: Mapping[str, Any],
) -> dict[str, Any]:
    participation = _rows_by_account(engine, graph.PARTICIPATION, **window_params)
    audience = _rows_by_account(engine, graph.AUDIENCE)
    uptake = _rows_by_account(engine, graph.LINK_UPTAKE, **window_params)
    span = engine.rows(graph.TOPIC_THREADS, **window_params)[0]
    topic_threads = int(span["threads"] or 0)
    per_post: dict[str, list[dict[str, Any]]] = {}
    for row in engine.rows(graph.POST_REACTIONS):
        per_post.setdefault(str(row["account_id"]), []).append(row)
    weights = params.kind_weights
    counted = [e for e in edges if e[0] not in left_out and weights.get(e[2], 0.0) > 0]
    merged: dict[tuple[str, str], float] = {}
    reactors: dict[str, dict[str, int]] = {}
    for src, dst, kind, weight, count in counted:
        merged[(src, dst)] = merged.get((src, dst), 0.0) + weight * weights[kind]
        reactors.setdefault(dst, {})[src] = reactors.get(dst, {}).get(src, 0) + count
    candidates = sorted(a for a in participation if a not in left_out)
    teleport = {a: float(participation[a]["weighted_posts"] or 0.0) for a in candidates}
    ranks, kernel, steps = run_pagerank(
        engine, [(s, d, w) for (s, d), w in merged.items()], teleport, params
    )
    measures = [
        _measures(a, participation[a], per_post.get(a, []), audience.get(a), uptake.get(a))
        for a in candidates
    ]
    measures = [
        replace(m, pagerank=ranks.get(m.account_id, 0.0), topic_threads=topic_threads)
        for m in measures
    ]
    now = window.end or _as_time(span["last_post"])
    first = _as_time(span["first_post"])
    half_life = ((now - first).total_seconds() / 86_400 / 4) if now and first else 30.0
    values = facets(measures, now, half_life)
    scored = sorted(
        (
            (composite(v, params.facet_weights), m.account_id, m, v)
            for m, v in zip(measures, values, strict=True)
        ),
        key=lambda item: (-item[0], item[1]),
    )
    names = _names(engine, [m.account_id for m in measures])
    accounts = []
    referenced: set[str] = set()
    for position, (score, account, m, v) in enumerate(scored, start=1):
        posts = per_post.get(account, [])
        evidence = account_evidence(m, posts, reactors.get(account, {}), params.evidence)
        threads = _their_threads(posts)
        referenced.update(threads[:10])
        referenced.update(e.thread_id for e in evidence if e.thread_id)
        top_reactors = sorted(reactors.get(account, {}).items(), key=lambda kv: (-kv[1], kv[0]))
        accounts.append(
            AccountInfluence(
                account, names.get(account), position, score, v, m, evidence,
                tuple(top_reactors[:10]), tuple(threads[:10]),
            )
        )  # fmt: skip
    return {
        "accounts": tuple(accounts),
        "topic_threads": topic_threads,
        "titles": _titles(engine, referenced),
        "names": names,
        "kernel": kernel,
        "iterations": steps,
    }


def _as_time(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return None


def _measures(
    account: str,
    part: Mapping[str, Any],
    posts: Sequence[Mapping[str, Any]],
    audience: Mapping[str, Any] | None,
    uptake: Mapping[str, Any] | None,
) -> Measures:
    reacted = [p for p in posts if p["post_id"] is not None]
    weighted = 0.0
    count = 0
    for p in reacted:
        n = int(p["votes_up"]) + int(p["comments"]) + int(p["answers"]) + int(p["favorites"])
        weighted += n * float(p["relevance"] or 0.0)
        count += n
    views = part.get("views")
    return Measures(
        account_id=account,
        accepted=sum(int(p["accepts"]) for p in reacted),
        linked=sum(int(p["links_in"]) for p in reacted),
        taken_up=int(uptake["taken_up"]) if uptake else 0,
        reactions=weighted,
        reaction_count=count,
        votes_down=sum(int(p["votes_down"]) for p in reacted),
        reacted_posts=len(reacted),
        reactors=int(audience["reactors"]) if audience else 0,
        views=None if views is None else int(views),
        threads=int(part["threads"] or 0),
        questions=int(part["questions"] or 0),
        answers=int(part["answers"] or 0),
        comments=int(part["comments"] or 0),
        weighted_posts=float(part["weighted_posts"] or 0.0),
        last_post=_as_time(part["last_post"]),
    )


def _their_threads(posts: Sequence[Mapping[str, Any]]) -> list[str]:
    score: dict[str, int] = {}
    for p in posts:
        if p["thread_id"] is not None:
            total = int(p["votes_up"]) + int(p["comments"]) + int(p["answers"])
            score[str(p["thread_id"])] = score.get(str(p["thread_id"]), 0) + total + 1
    return sorted(score, key=lambda t: (-score[t], t))


def _names(engine: Engine, accounts: Sequence[str]) -> dict[str, str]:
    engine.load("infl_candidates", pa.table({"account_id": pa.array([*accounts, ""])}))
    try:
        return {
            str(r["account_id"]): str(r["name"])
            for r in engine.rows(graph.ACCOUNTS)
            if r["name"] is not None
        }
    finally:
        engine.drop("infl_candidates")


def _titles(engine: Engine, threads: set[str]) -> dict[str, str]:
    if not threads:
        return {}
    engine.load("infl_candidates", pa.table({"account_id": pa.array(sorted(threads))}))
    try:
        rows = engine.rows(
            Query(
                "influence_titles",
                "SELECT t.id, t.title FROM threads AS t "
                "JOIN infl_candidates AS c ON t.id = c.account_id",
                "Titles of the threads a report shows.",
            )
        )
    finally:
        engine.drop("infl_candidates")
    return {str(r["id"]): str(r["title"] or "") for r in rows}
