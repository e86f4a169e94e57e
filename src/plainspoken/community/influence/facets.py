"""The four facets of influence, each normalized to 0..1, and the composite score.

Raw measures are counts and sums (relevance-weighted where a thread is only partly on the
topic). The facets read their recency-weighted forms (``recency``: a reaction or post counts
half as much an eighth of the topic's time span before the end of the window), because
influence that is still going on is what predicts the reactions to come. A measure is
normalized as ``log(1 + x) / log(1 + max)`` over the ranked accounts, so the top account on
a measure scores 1, and doubling a large count adds less than doubling a small one.

- **mobilizes**: half the account's topic-sensitive PageRank (relative to the average node;
  edges and teleport recency-weighted), half its uptake: answers accepted, links from other
  threads to its threads, links it shared first that others posted later, and later posts
  by others that reuse terms it introduced (``terms``).
- **reactions**: relevance-weighted reactions received on topic posts: votes up, comments,
  replies, answers to its questions, favourites and bounties (votes down are reported, not
  counted).
- **audience**: distinct accounts that reacted to it on the topic; where the source records
  views, averaged with the views of the topic threads it asked or answered.
- **participation**: 60% its share of the topic's threads, 20% how much more it answers than
  asks (the z-score of its answer share among the ranked accounts, through a logistic curve),
  20% recency (its latest topic post, halving every quarter of the topic's time span).

The composite is the weighted mean of the facets (``FACET_WEIGHTS``): mobilizes 0.3,
reactions 0.2, audience 0.3, participation 0.2. The weights were chosen on the development
split of the evaluation dumps, which ends where the reported split starts: mean NDCG@20 over
ten topics, on the grids of steps 0.1 and 0.125 with every facet at least one step; among the
weightings within 0.005 of the best mean, the one closest to equal weights
(``eval/influence/choose_weights.py``, ``docs/evaluation.md``). The gain over equal weights
is small (0.717 to 0.730 there, 0.710 to 0.715 on the reported split). ``parse_weights``
reads other weights, e.g. from the command line.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from plainspoken.errors import UsageError

FACETS = ("mobilizes", "reactions", "audience", "participation")
FACET_WEIGHTS: Mapping[str, float] = {
    "mobilizes": 0.3,
    "reactions": 0.2,
    "audience": 0.3,
    "participation": 0.2,
}


@dataclass(frozen=True)
class Measures:
    """One account's raw numbers on the topic (before normalization)."""

    account_id: str
    pagerank: float = 0.0
    """PageRank times the number of nodes: 1.0 is the average account."""
    accepted: int = 0
    linked: int = 0
    taken_up: int = 0
    reactions: float = 0.0
    reaction_count: int = 0
    votes_down: int = 0
    reacted_posts: int = 0
    reactors: int = 0
    views: int | None = None
    threads: int = 0
    topic_threads: int = 0
    questions: int = 0
    answers: int = 0
    comments: int = 0
    weighted_posts: float = 0.0
    last_post: datetime | None = None
    terms_taken_up: int = 0
    """Later posts by others that reuse terms this account introduced on the topic."""
    recent_reactions: float = 0.0
    """``reactions`` with each reaction weighted by its recency too (``recency``)."""
    recent_uptake: float = 0.0
    """Accepts, links in, links and terms taken up, each weighted by its recency."""
    recent_reactors: float = 0.0
    """Distinct reactors, each counted by the recency of their latest reaction."""
    recent_threads: float = 0.0
    """Topic threads taken part in, each counted by the recency of their latest post there."""
    recent_topic_threads: float = 0.0
    """The topic's threads, each counted by the recency of its latest post."""

    @property
    def uptake(self) -> int:
        return self.accepted + self.linked + self.taken_up + self.terms_taken_up

    @property
    def recent_thread_share(self) -> float:
        if not self.recent_topic_threads:
            return 0.0
        return self.recent_threads / self.recent_topic_threads

    @property
    def posts(self) -> int:
        return self.questions + self.answers + self.comments

    @property
    def thread_share(self) -> float:
        return self.threads / self.topic_threads if self.topic_threads else 0.0

    @property
    def reactions_per_post(self) -> float:
        return self.reaction_count / self.posts if self.posts else 0.0


def lognorm(values: Sequence[float]) -> list[float]:
    """``log(1 + x) / log(1 + max)``; all zeros when the largest value is zero."""
    top = max((v for v in values), default=0.0)
    if top <= 0:
        return [0.0 for _ in values]
    scale = math.log1p(top)
    return [math.log1p(max(v, 0.0)) / scale for v in values]


def _logistic(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def answer_z(measures: Sequence[Measures]) -> list[float]:
    """Each account's answer share (answers over questions and answers) as a z-score."""
    shares = [
        m.answers / (m.answers + m.questions) if m.answers + m.questions else None for m in measures
    ]
    known = [s for s in shares if s is not None]
    if len(known) < 2:
        return [0.0 for _ in measures]
    mean = sum(known) / len(known)
    spread = math.sqrt(sum((s - mean) ** 2 for s in known) / (len(known) - 1))
    if spread == 0:
        return [0.0 for _ in measures]
    return [0.0 if s is None else (s - mean) / spread for s in shares]


def recency(last: datetime | None, now: datetime | None, half_life_days: float) -> float:
    """1.0 for a post at ``now``, halving every ``half_life_days`` before it; 0 if unknown."""
    if last is None or now is None:
        return 0.0
    age = max(0.0, (now - last).total_seconds() / 86_400)
    return float(0.5 ** (age / max(half_life_days, 1.0)))


def facets(
    measures: Sequence[Measures],
    now: datetime | None,
    half_life_days: float,
) -> list[dict[str, float]]:
    """The four normalized facets of each account, in the order given."""
    pagerank = lognorm([m.pagerank for m in measures])
    uptake = lognorm([m.recent_uptake for m in measures])
    reactions = lognorm([m.recent_reactions for m in measures])
    reactors = lognorm([m.recent_reactors for m in measures])
    has_views = any(m.views for m in measures)
    views = lognorm([float(m.views or 0) for m in measures])
    top_share = max((m.recent_thread_share for m in measures), default=0.0)
    z = answer_z(measures)
    out = []
    for i, m in enumerate(measures):
        share = m.recent_thread_share / top_share if top_share > 0 else 0.0
        out.append(
            {
                "mobilizes": 0.5 * pagerank[i] + 0.5 * uptake[i],
                "reactions": reactions[i],
                "audience": 0.5 * (reactors[i] + views[i]) if has_views else reactors[i],
                "participation": 0.6 * share
                + 0.2 * _logistic(z[i])
                + 0.2 * recency(m.last_post, now, half_life_days),
            }
        )
    return out


def check_weights(weights: Mapping[str, float]) -> None:
    """Weights for exactly the four facets, none negative, not all zero; else a UsageError."""
    unknown = sorted(set(weights) - set(FACETS))
    missing = [f for f in FACETS if f not in weights]
    if unknown or missing:
        problem = f"unknown facet '{unknown[0]}'" if unknown else f"no weight for '{missing[0]}'"
        raise UsageError(f"facet weights: {problem} (give {', '.join(FACETS)})")
    for facet in FACETS:
        value = weights[facet]
        if not math.isfinite(value) or value < 0:
            raise UsageError(f"facet weights: {facet} is {value}, expected 0 or more")
    if sum(weights.values()) <= 0:
        raise UsageError("facet weights: all are zero, give at least one a positive weight")


def parse_weights(text: str) -> dict[str, float]:
    """Facet weights from ``mobilizes=0.3,reactions=0.2,audience=0.3,participation=0.2`` (every
    facet, in any order) or four numbers in the order of ``FACETS``; checked
    (``check_weights``), not rescaled (the composite divides by their sum)."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    named = [p for p in parts if "=" in p]
    if named and len(named) != len(parts):
        raise UsageError(
            f"facet weights '{text}': name every weight (facet=number) or none of them"
        )
    if not named and len(parts) != len(FACETS):
        raise UsageError(
            f"facet weights '{text}': expected {len(FACETS)} numbers ({', '.join(FACETS)}), "
            f"got {len(parts)}"
        )
    pairs = [p.split("=", 1) for p in named] if named else list(zip(FACETS, parts, strict=True))
    weights: dict[str, float] = {}
    for key, raw in pairs:
        facet = key.strip()
        if facet in weights:
            raise UsageError(f"facet weights '{text}': {facet} is given twice")
        try:
            weights[facet] = float(raw)
        except ValueError:
            raise UsageError(
                f"facet weights '{text}': '{raw.strip()}' is not a number (for {facet})"
            ) from None
    check_weights(weights)
    return weights


def composite(values: Mapping[str, float], weights: Mapping[str, float] = FACET_WEIGHTS) -> float:
    """The weighted mean of the facets."""
    total = sum(weights.values())
    return sum(values[f] * weights[f] for f in FACETS) / total if total else 0.0
