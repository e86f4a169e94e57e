"""Rank the accounts of a dataset on a topic by four explained facets.

``rank`` does the work on an engine that has the dataset registered: topic relevance, the
reaction events, exclusions (given as data, plus dense reciprocal clusters and insular
groups found here), the recency-weighted numbers (``recency``), terms taken up (``terms``),
the topic-sensitive PageRank and the per-account measures, then facets, score and evidence,
naming each step to ``progress`` when given. ``influencers`` (in
``plainspoken.community.influence``) opens the workspace and the engine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from plainspoken.community.arrays import distinct
from plainspoken.community.influence import graph
from plainspoken.community.influence.clusters import Cluster, suspect_groups
from plainspoken.community.influence.evidence import account_evidence
from plainspoken.community.influence.facets import Measures, composite, facets
from plainspoken.community.influence.pagerank import account_ranks
from plainspoken.community.influence.params import InfluenceParams, Window, utc
from plainspoken.community.influence.progress import Progress
from plainspoken.community.influence.recency import Recent, recent
from plainspoken.community.influence.result import AccountInfluence, Exclusion, InfluenceRanking
from plainspoken.community.influence.tables import (
    column,
    drop_tables,
    load_excluded,
    load_relevance,
    names,
    rows_by_account,
    titles,
    topic_relevance,
)
from plainspoken.community.influence.terms import TermUptake, terms_taken_up
from plainspoken.community.influence.topic import Relevance, Topic
from plainspoken.engine import Engine
from plainspoken.errors import UsageError

RECENCY_SHARE = 0.25
"""The participation facet's recency: a latest post this share of the topic's span old
counts half."""


def _edges(engine: Engine) -> list[tuple[str, str, str, float, int]]:
    table = engine.run(graph.EDGES)
    return list(
        zip(
            column(table, "src"),
            column(table, "dst"),
            column(table, "kind"),
            column(table, "weight"),
            column(table, "reactions"),
            strict=True,
        )
    )


def find_clusters(
    engine: Engine,
    excluded: Mapping[str, str],
    params: InfluenceParams,
    window_params: Mapping[str, Any],
    progress: Progress | None = None,
) -> list[Cluster]:
    """Dense reciprocal clusters and insular groups among the dataset's reactions in the
    window (whole site: more of an organic account's outside support is seen there than on
    one topic)."""
    table = engine.run(graph.SITE_EDGES, **window_params)
    if progress:
        progress(
            f"finding reciprocal clusters and insular groups among {table.num_rows:,} pairs "
            "of accounts"
        )
    edges = (
        (s, d, float(n))
        for s, d, n in zip(
            column(table, "src"), column(table, "dst"), column(table, "reactions"), strict=True
        )
    )
    return suspect_groups(
        edges,
        excluded=excluded.keys(),
        min_size=params.cluster_min_size,
        min_inside=params.cluster_min_inside,
        min_density=params.cluster_min_density,
    )


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
    progress: Progress | None = None,
) -> InfluenceRanking:
    """Rank the accounts of the dataset registered on ``engine`` on ``topic``.

    ``excluded`` maps account ids to the reason they are left out (flagged by the
    authenticity analysis, say); their reactions do not count either. Accounts in dense
    reciprocal clusters and insular groups are left out the same way. With ``keep_tables``
    the engine keeps ``infl_relevance``, ``infl_events`` and ``infl_excluded`` for further
    queries. ``progress`` is called with the name of each step as it begins.
    """
    chosen = params or InfluenceParams()
    chosen.check()
    when = window or Window()
    if engine.dataset is None:
        raise UsageError("rank: register the dataset on the engine first")
    name = dataset or engine.dataset.name
    rel = topic_relevance(engine, topic, name, progress)
    load_relevance(engine, rel.threads)
    window_params = when.params()
    if progress:
        progress(f"collecting reactions to the posts of {len(rel.threads):,} topic threads")
    engine.materialize("infl_events", graph.EVENTS, **window_params)
    left_out = dict(excluded or {})
    clusters = find_clusters(engine, left_out, chosen, window_params, progress)
    for cluster in clusters:
        for account in cluster.accounts:
            left_out.setdefault(account, cluster.reason)
    load_excluded(engine, sorted(left_out))
    try:
        result = _measure(engine, rel, left_out, chosen, when, window_params, progress)
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


def _pagerank(
    engine: Engine,
    rec: Recent,
    candidates: Sequence[str],
    params: InfluenceParams,
    progress: Progress | None = None,
) -> tuple[dict[str, float], str, int]:
    """Topic-sensitive PageRank over the recency-weighted edges, teleport on the candidates'
    weighted posts; nodes are the edges' ends and the candidates."""
    where = rec.position
    wanted = np.asarray([where[a] for a in candidates if a in where], dtype=np.int64)
    nodes = distinct(np.concatenate([rec.edge_src, rec.edge_dst, wanted]))
    if progress:
        progress(f"PageRank on {len(nodes):,} accounts and {len(rec.edge_src):,} edges")
    if len(nodes) == 0:
        return {}, "scipy", 0
    renumber = np.full(len(rec.accounts), -1, dtype=np.int64)
    renumber[nodes] = np.arange(len(nodes))
    teleport = np.zeros(len(nodes))
    teleport[renumber[wanted]] = rec.posts[wanted]
    ranks, kernel, steps = account_ranks(
        engine,
        len(nodes),
        renumber[rec.edge_src],
        renumber[rec.edge_dst],
        rec.edge_weight,
        teleport,
        kernel=params.kernel,
        alpha=params.alpha,
        tol=params.tol,
        max_iter=params.max_iter,
    )
    return {rec.accounts[n]: float(ranks[i]) for i, n in enumerate(nodes)}, kernel, steps


def _measure(
    engine: Engine,
    rel: Relevance,
    left_out: Mapping[str, str],
    params: InfluenceParams,
    window: Window,
    window_params: Mapping[str, Any],
    progress: Progress | None = None,
) -> dict[str, Any]:
    if progress:
        progress("measuring participation, audience and link uptake")
    participation = rows_by_account(engine, graph.PARTICIPATION, **window_params)
    audience = rows_by_account(engine, graph.AUDIENCE)
    uptake = rows_by_account(engine, graph.LINK_UPTAKE, **window_params)
    span = engine.rows(graph.TOPIC_THREADS, **window_params)[0]
    topic_threads = int(span["threads"] or 0)
    per_post: dict[str, list[dict[str, Any]]] = {}
    for row in engine.rows(graph.POST_REACTIONS):
        per_post.setdefault(str(row["account_id"]), []).append(row)
    reactors: dict[str, dict[str, int]] = {}
    for src, dst, kind, _, count in _edges(engine):
        if src not in left_out and params.kind_weights.get(kind, 0.0) > 0:
            reactors.setdefault(dst, {})[src] = reactors.get(dst, {}).get(src, 0) + count
    now = window.end or utc(span["last_post"])
    first = utc(span["first_post"])
    span_days = (now - first).total_seconds() / 86_400 if now and first else None
    share = params.half_life_share
    half_life = span_days * share if span_days is not None and share is not None else None
    posts = engine.run(graph.TOPIC_POSTS, **window_params)
    counted = engine.run(graph.COUNTED_EVENTS)
    if progress:
        progress(f"building the reaction graph of {counted.num_rows:,} reactions")
    rec = recent(counted, posts, params.kind_weights, now, half_life)
    if params.term_uptake and progress:
        progress(f"finding terms taken up in {posts.num_rows:,} topic posts")
    terms = (
        terms_taken_up(posts, left_out, now=now, half_life_days=half_life, evidence=params.evidence)
        if params.term_uptake
        else TermUptake({}, {}, {})
    )
    candidates = sorted(a for a in participation if a not in left_out)
    ranks, kernel, steps = _pagerank(engine, rec, candidates, params, progress)
    if progress:
        progress(f"facets, scores and evidence of {len(candidates):,} accounts")
    measures = [
        _measures(
            a, participation[a], per_post.get(a, []), audience.get(a), uptake.get(a), rec, terms
        )
        for a in candidates
    ]
    measures = [
        replace(
            m,
            pagerank=ranks.get(m.account_id, 0.0),
            topic_threads=topic_threads,
            recent_topic_threads=rec.topic_threads,
        )
        for m in measures
    ]
    recency_days = span_days * RECENCY_SHARE if span_days is not None else 30.0
    values = facets(measures, now, recency_days)
    scored = sorted(
        (
            (composite(v, params.facet_weights), m.account_id, m, v)
            for m, v in zip(measures, values, strict=True)
        ),
        key=lambda item: (-item[0], item[1]),
    )
    known = names(engine, [m.account_id for m in measures])
    accounts = []
    referenced: set[str] = set()
    for position, (score, account, m, v) in enumerate(scored, start=1):
        written = per_post.get(account, [])
        evidence = account_evidence(
            m, written, reactors.get(account, {}), params.evidence, terms.terms.get(account, ())
        )
        threads = _their_threads(written)
        referenced.update(threads[:10])
        referenced.update(e.thread_id for e in evidence if e.thread_id)
        top_reactors = sorted(reactors.get(account, {}).items(), key=lambda kv: (-kv[1], kv[0]))
        accounts.append(
            AccountInfluence(
                account, known.get(account), position, score, v, m, evidence,
                tuple(top_reactors[:10]), tuple(threads[:10]),
            )
        )  # fmt: skip
    return {
        "accounts": tuple(accounts),
        "topic_threads": topic_threads,
        "titles": titles(engine, referenced),
        "names": known,
        "kernel": kernel,
        "iterations": steps,
    }


def _measures(
    account: str,
    part: Mapping[str, Any],
    posts: Sequence[Mapping[str, Any]],
    audience: Mapping[str, Any] | None,
    uptake: Mapping[str, Any] | None,
    rec: Recent,
    terms: TermUptake,
) -> Measures:
    reacted = [p for p in posts if p["post_id"] is not None]
    weighted = 0.0
    count = 0
    for p in reacted:
        n = int(p["votes_up"]) + int(p["comments"]) + int(p["answers"]) + int(p["favorites"])
        weighted += n * float(p["relevance"] or 0.0)
        count += n
    views = part.get("views")
    links = int(uptake["taken_up"]) if uptake else 0
    mine = rec.of(account)
    return Measures(
        account_id=account,
        accepted=sum(int(p["accepts"]) for p in reacted),
        linked=sum(int(p["links_in"]) for p in reacted),
        taken_up=links,
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
        last_post=utc(part["last_post"]),
        terms_taken_up=terms.posts.get(account, 0),
        recent_reactions=mine["reactions"],
        recent_uptake=mine["uptake"] + links + terms.recent.get(account, 0.0),
        recent_reactors=mine["reactors"],
        recent_threads=mine["threads"],
    )


def _their_threads(posts: Sequence[Mapping[str, Any]]) -> list[str]:
    score: dict[str, int] = {}
    for p in posts:
        if p["thread_id"] is not None:
            total = int(p["votes_up"]) + int(p["comments"]) + int(p["answers"])
            score[str(p["thread_id"])] = score.get(str(p["thread_id"]), 0) + total + 1
    return sorted(score, key=lambda t: (-score[t], t))
