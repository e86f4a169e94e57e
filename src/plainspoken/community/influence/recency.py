"""Per-account numbers weighted by recency, computed with numpy over the ranking's rows.

Influence is judged to help predict what comes next, so a reaction or post counts
``0.5 ** (age / half_life)``, where ``age`` is its distance from the end of the window and the
half-life is a share of the topic's time span (``InfluenceParams.half_life_share``); an
undated row counts fully. Without a half-life every row counts fully.

From the reactions counted (actors not excluded) and the topic's posts in the window:

- ``reactions``: reactions received (votes up, comments, replies, answers, favourites,
  bounties), each weighted by its thread's relevance and its recency;
- ``uptake``: accepts and links from other threads received, by recency;
- ``reactors``: distinct accounts that reacted, each counted by its latest reaction's recency;
- ``threads``: topic threads taken part in, each counted by the recency of the latest post
  there (``topic_threads``: the same over every author, each thread once);
- ``posts``: posts written, weighted by relevance and recency (the PageRank teleport);
- the PageRank edges: one per (actor, receiver), summing kind weight × relevance × recency.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as _compute

pc: Any = _compute
"""pyarrow's compute functions (its stubs' overloads reject calls these modules make)."""

Array = np.ndarray[Any, Any]

REACTION_KINDS = ("vote-up", "comment", "reply", "answer", "favorite", "bounty")
"""The kinds that count as reactions received (votes down are reported, not counted)."""
UPTAKE_KINDS = ("accept", "link")


def micros(times: Any) -> tuple[Array, Array]:
    """Timestamps as microseconds since the epoch (UTC) and a mask of the known ones."""
    kind = times.type
    if not pa.types.is_timestamp(kind):
        raise TypeError(f"expected timestamps, got {kind}")
    if kind.unit != "us":
        times = times.cast(pa.timestamp("us", kind.tz))
    known = pc.is_valid(times).to_numpy(zero_copy_only=False)
    values = pc.fill_null(times.cast(pa.int64()), 0).to_numpy(zero_copy_only=False)
    return np.asarray(values, dtype=np.int64), np.asarray(known, dtype=np.bool_)


def recency_weights(times: Any, now: datetime | None, half_life_days: float | None) -> Array:
    """``0.5 ** (age / half_life)`` per row, age in days before ``now`` (1 when unknown)."""
    count = len(times)
    if half_life_days is None or now is None or count == 0:
        return np.ones(count)
    at, known = micros(times)
    reference = now.timestamp() * 1e6
    age = np.clip((reference - at) / 86_400e6, 0.0, None)
    weights = np.power(0.5, age / max(half_life_days, 1e-9))
    weights[~known] = 1.0
    return np.asarray(weights, dtype=np.float64)


def codes(values: Any, index: Any) -> Array:
    """Each value's position in ``index`` (-1 for nulls and values not in it)."""
    found = pc.index_in(values, value_set=index)
    return np.asarray(pc.fill_null(found, -1).to_numpy(zero_copy_only=False), dtype=np.int64)


def _max_per_pair(first: Array, second: Array, weights: Array, width: int) -> tuple[Array, Array]:
    """The largest weight of each distinct (first, second) pair: the pairs' first codes and
    their weights."""
    if len(first) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    key = first * width + second
    order = np.lexsort((weights, key))
    key, weights = key[order], weights[order]
    last = np.r_[key[1:] != key[:-1], True]
    return key[last] // width, weights[last]


@dataclass(frozen=True)
class Recent:
    """Recency-weighted numbers per account, in the order of ``accounts``."""

    accounts: tuple[str, ...]
    reactions: Array
    uptake: Array
    reactors: Array
    threads: Array
    posts: Array
    topic_threads: float
    edge_src: Array
    edge_dst: Array
    edge_weight: Array

    def of(self, account: str) -> dict[str, float]:
        """One account's numbers by name (zeros for an account not seen)."""
        i = self.position.get(account)
        if i is None:
            return {"reactions": 0.0, "uptake": 0.0, "reactors": 0.0, "threads": 0.0}
        return {
            "reactions": float(self.reactions[i]),
            "uptake": float(self.uptake[i]),
            "reactors": float(self.reactors[i]),
            "threads": float(self.threads[i]),
        }

    @cached_property
    def position(self) -> Mapping[str, int]:
        return {a: i for i, a in enumerate(self.accounts)}


def recent(
    events: pa.Table,
    posts: pa.Table,
    kind_weights: Mapping[str, float],
    now: datetime | None,
    half_life_days: float | None,
) -> Recent:
    """Recency-weighted numbers from ``events`` (kind, receiver, actor, created_at, relevance:
    the reactions that count) and ``posts`` (author_id, thread_id, created_at, relevance)."""
    ids = pa.chunked_array(
        [
            *events.column("receiver").chunks,
            *events.column("actor").chunks,
            *posts.column("author_id").chunks,
        ],
        type=pa.string(),
    )
    index: Any = pc.unique(pc.drop_null(ids)) if len(ids) else pa.array([], pa.string())
    n = len(index)
    receiver = codes(events.column("receiver"), index)
    actor = codes(events.column("actor"), index)
    kind = events.column("kind")
    relevance = np.nan_to_num(
        np.asarray(events.column("relevance").to_numpy(zero_copy_only=False), dtype=np.float64)
    )
    decay = recency_weights(events.column("created_at"), now, half_life_days)
    has_receiver = receiver >= 0

    def sums(kinds: tuple[str, ...], weights: Array) -> Array:
        mask = has_receiver & np.asarray(
            pc.is_in(kind, value_set=pa.array(kinds)).to_numpy(zero_copy_only=False), dtype=bool
        )
        return np.bincount(receiver[mask], weights=weights[mask], minlength=n)

    reactions = sums(REACTION_KINDS, relevance * decay)
    uptake = sums(UPTAKE_KINDS, decay)
    positive = np.asarray(
        pc.not_equal(kind, "vote-down").to_numpy(zero_copy_only=False), dtype=bool
    )
    pairs = has_receiver & (actor >= 0) & positive
    who, latest = _max_per_pair(receiver[pairs], actor[pairs], decay[pairs], max(n, 1))
    reactors = np.bincount(who, weights=latest, minlength=n)
    kind_weight = np.zeros(len(kind))
    for name, value in kind_weights.items():
        hit = np.asarray(pc.equal(kind, name).to_numpy(zero_copy_only=False), dtype=np.bool_)
        kind_weight[hit] = value
    edge = has_receiver & (actor >= 0) & (kind_weight > 0)
    key = actor[edge] * max(n, 1) + receiver[edge]
    unique, inverse = np.unique(key, return_inverse=True)
    edge_weight = np.bincount(inverse, weights=(kind_weight * relevance * decay)[edge])
    author = codes(posts.column("author_id"), index)
    thread_ids = posts.column("thread_id")
    thread_index: Any = pc.unique(pc.drop_null(thread_ids))
    thread = codes(thread_ids, thread_index)
    post_decay = recency_weights(posts.column("created_at"), now, half_life_days)
    post_relevance = np.nan_to_num(
        np.asarray(posts.column("relevance").to_numpy(zero_copy_only=False), dtype=np.float64)
    )
    wrote = (author >= 0) & (thread >= 0)
    width = max(len(thread_index), 1)
    who, latest = _max_per_pair(author[wrote], thread[wrote], post_decay[wrote], width)
    threads = np.bincount(who, weights=latest, minlength=n)
    _, per_thread = _max_per_pair(thread[wrote], np.zeros(int(wrote.sum()), np.int64),
                                  post_decay[wrote], 1)  # fmt: skip
    written = np.bincount(author[wrote], weights=(post_relevance * post_decay)[wrote], minlength=n)
    return Recent(
        accounts=tuple(str(a) for a in index.to_pylist()),
        reactions=reactions,
        uptake=uptake,
        reactors=reactors,
        threads=threads,
        posts=written,
        topic_threads=float(per_thread.sum()),
        edge_src=unique // max(n, 1),
        edge_dst=unique % max(n, 1),
        edge_weight=edge_weight,
    )
