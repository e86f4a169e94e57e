"""Dense reciprocal clusters: groups of accounts that mostly react to each other.

Sock-puppet rings answer, comment on and vote for each other; genuine experts draw most of
their reactions from people they never react to. A *cluster* is a set of at least
``min_size`` accounts in which every member has at least two reciprocal partners inside the
set (each reacted to the other) and receives at least ``min_inside`` of its attributed
reactions (relevance-weighted) from the other members. Clusters are found by peeling: start
from the connected groups of accounts linked by reciprocal reactions, repeatedly drop the
member that draws the smallest share of its reactions from inside, until every member meets
both conditions. Organic hubs, whose reactions come mostly from outside, peel away first.

Only reactions with a known actor count (Stack Exchange votes have none).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Cluster:
    """A dense reciprocal cluster and how insular it is."""

    cluster_id: str
    accounts: tuple[str, ...]
    inside_share: float
    """The smallest share of a member's reactions that came from other members."""
    reciprocal_pairs: int

    @property
    def reason(self) -> str:
        """Why its members are left out, in words."""
        return (
            f"dense reciprocal cluster {self.cluster_id}: {len(self.accounts)} accounts, "
            f"{self.reciprocal_pairs} reciprocal pairs, each drawing at least "
            f"{self.inside_share:.0%} of its reactions from the others"
        )


def _components(nodes: Iterable[str], partners: Mapping[str, set[str]]) -> list[set[str]]:
    left, found = set(nodes), []
    while left:
        start = left.pop()
        group, todo = {start}, [start]
        while todo:
            for other in partners[todo.pop()]:
                if other in left:
                    left.discard(other)
                    group.add(other)
                    todo.append(other)
        found.append(group)
    return found


def _peel(
    group: set[str],
    incoming: Mapping[str, Mapping[str, float]],
    outgoing: Mapping[str, Mapping[str, float]],
    partners: Mapping[str, set[str]],
    received: Mapping[str, float],
    min_inside: float,
    min_density: float,
) -> set[str]:
    """The largest subset in which every member meets both conditions (may be empty)."""
    members = set(group)
    inside = {u: sum(w for v, w in incoming[u].items() if v in members) for u in members}
    mates = {u: len(partners[u] & members) for u in members}

    def share(u: str) -> float:
        return inside[u] / received[u] if received[u] > 0 else 0.0

    def remove(u: str) -> None:
        members.discard(u)
        for v, w in outgoing[u].items():
            if v in members:
                inside[v] -= w
                heapq.heappush(heap, (share(v), v))
        for v in partners[u] & members:
            mates[v] -= 1

    heap = [(share(u), u) for u in members]
    heapq.heapify(heap)
    while heap:
        value, u = heapq.heappop(heap)
        if u not in members or value != share(u):
            continue  # removed already, or a stale entry
        if value < min_inside:
            remove(u)
            continue
        # The smallest share meets the bar, so every member does: drop the poorly tied ones.
        heapq.heappush(heap, (value, u))
        needed = max(2, math.ceil(min_density * (len(members) - 1) - 1e-9))
        lonely = sorted(v for v in members if mates[v] < needed)
        if not lonely:
            break
        for v in lonely:
            remove(v)
    return members


def reciprocal_clusters(
    edges: Iterable[tuple[str, str, float]],
    *,
    min_size: int = 3,
    min_inside: float = 0.5,
    min_density: float = 0.5,
) -> list[Cluster]:
    """Find dense reciprocal clusters in weighted reactions ``(actor, receiver, weight)``."""
    weights: dict[tuple[str, str], float] = {}
    for src, dst, weight in edges:
        if src != dst and weight > 0:
            weights[(src, dst)] = weights.get((src, dst), 0.0) + weight
    incoming: dict[str, dict[str, float]] = {}
    outgoing: dict[str, dict[str, float]] = {}
    received: dict[str, float] = {}
    for (src, dst), weight in weights.items():
        incoming.setdefault(dst, {})[src] = weight
        outgoing.setdefault(src, {})[dst] = weight
        received[dst] = received.get(dst, 0.0) + weight
    partners: dict[str, set[str]] = {}
    for src, dst in weights:
        if (dst, src) in weights:
            partners.setdefault(src, set()).add(dst)
    candidates = {u for u, mates in partners.items() if len(mates) >= 2}
    for u in list(partners):
        partners[u] &= candidates
    for u in candidates:
        incoming.setdefault(u, {})
        outgoing.setdefault(u, {})
        received.setdefault(u, 0.0)
    found: list[set[str]] = []
    todo = _components(candidates, partners)
    while todo:
        group = todo.pop()
        kept = _peel(group, incoming, outgoing, partners, received, min_inside, min_density)
        if len(kept) < min_size:
            continue
        pieces = _components(kept, {u: partners[u] & kept for u in kept})
        if len(pieces) == 1:
            found.append(kept)
        else:
            todo.extend(p for p in pieces if len(p) >= min_size)
    clusters = []
    for number, members in enumerate(sorted(found, key=lambda m: sorted(m)), start=1):
        ordered = tuple(sorted(members))
        shares = [
            sum(w for v, w in incoming[u].items() if v in members) / received[u] for u in ordered
        ]
        pairs = sum(len(partners[u] & members) for u in ordered) // 2
        clusters.append(Cluster(f"R{number}", ordered, min(shares), pairs))
    return clusters
