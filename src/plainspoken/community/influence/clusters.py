"""Groups of accounts whose support comes mostly from each other.

Sock-puppet rings answer, comment on and vote for each other; genuine experts draw most of
their reactions from people they never react to. Two kinds of group are found, in weighted
reactions ``(actor, receiver, weight)``; only reactions with a known actor count (Stack
Exchange votes have none).

A *dense reciprocal cluster* is a set of at least ``min_size`` accounts in which every
member has at least two reciprocal partners inside the set (each reacted to the other) and
receives at least ``min_inside`` of its attributed reactions (relevance-weighted) from the
other members. Clusters are found by peeling: start from the connected groups of accounts
linked by reciprocal reactions, repeatedly drop the member that draws the smallest share of
its reactions from inside, until every member meets both conditions. Organic hubs, whose
reactions come mostly from outside, peel away first.

An *insular group* (``insular_groups``) needs no reciprocity, so it also catches sparse
rings whose members rarely react back to the same partner: a set of accounts, small next to
the community, in which every member receives reactions, at least ``min_inside`` of them
from other members, beside any *supporters* (accounts that receive nothing and react to two
or more members). See ``insular_groups`` for how such groups are found and why the cut-offs
are what they are.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Cluster:
    """A dense reciprocal cluster or an insular group, and how insular it is."""

    cluster_id: str
    accounts: tuple[str, ...]
    inside_share: float
    """The smallest share of a member's reactions that came from other members."""
    reciprocal_pairs: int
    kind: str = "reciprocal"
    """``reciprocal`` (a dense reciprocal cluster) or ``insular`` (an insular group)."""
    received: float = 0.0
    """Reactions the members received in all (insular groups only)."""
    received_inside: float = 0.0
    """Of those, the reactions given by other members (insular groups only)."""
    supporters: int = 0
    """Members that receive nothing and give to two or more of the others (insular groups)."""

    @property
    def reason(self) -> str:
        """Why its members are left out, in words."""
        if self.kind == "insular":
            takers = len(self.accounts) - self.supporters
            backing = (
                f", with {self.supporters} account(s) that receive none and react to two "
                "or more of them"
                if self.supporters
                else ""
            )
            return (
                f"insular group {self.cluster_id}: {takers} accounts that received "
                f"{self.received_inside:g} of their {self.received:g} reactions from each "
                f"other{backing}, each receiving at least {self.inside_share:.0%} of its "
                "reactions from the others"
            )
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


INSULAR_MAX_SHARE = 0.1
"""An insular group has fewer members than this share of the accounts in the reaction graph."""
INSULAR_MAX_SIZE = 50
"""... and at most this many members (the search for groups stops growing there)."""
RING_SIZE = 10
"""The largest ring the specification names: a group this size is looked for even where it is
more than ``INSULAR_MAX_SHARE`` of a small community ..."""
RING_MAX_SHARE = 0.2
"""... as long as it stays under this share of the community."""


def size_limit(
    community: int, max_share: float = INSULAR_MAX_SHARE, max_size: int = INSULAR_MAX_SIZE
) -> int:
    """The most members an insular group may have in a community of ``community`` accounts:
    fewer than ``max_share`` of it, or up to ``RING_SIZE`` while under ``RING_MAX_SHARE`` of it
    (in a community of 79 accounts a tenth is 7, and a ten-account ring would be out of reach),
    and at most ``max_size``."""
    share = math.ceil(max_share * community) - 1
    ring = min(RING_SIZE, math.ceil(RING_MAX_SHARE * community) - 1)
    return min(max_size, max(share, ring))


def _reaction_graph(
    edges: Iterable[tuple[str, str, float]],
) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, float]], dict[str, float], int]:
    """Incoming and outgoing weights per account, weight received, and the number of accounts."""
    incoming: dict[str, dict[str, float]] = {}
    outgoing: dict[str, dict[str, float]] = {}
    received: dict[str, float] = {}
    accounts: set[str] = set()
    for src, dst, weight in edges:
        if src == dst or weight <= 0:
            continue
        accounts.update((src, dst))
        incoming.setdefault(dst, {})[src] = incoming.get(dst, {}).get(src, 0.0) + weight
        outgoing.setdefault(src, {})[dst] = outgoing.get(src, {}).get(dst, 0.0) + weight
        received[dst] = received.get(dst, 0.0) + weight
    return incoming, outgoing, received, len(accounts)


def _grow(
    seed: str,
    incoming: Mapping[str, Mapping[str, float]],
    outgoing: Mapping[str, Mapping[str, float]],
    need: Mapping[str, float],
    limit: int,
    hopeless: set[str],
) -> set[str] | None:
    """The group around ``seed`` in which every member draws at least its ``need`` of the
    reactions it receives from the others, grown by taking in all the reactors of members
    short of that; None once it would exceed ``limit`` or take in a hopeless account.

    Accounts that only give (no ``need``) may be taken in as the group's *supporters*; a
    group closes only if each supporter gives to at least two of its other members, so a
    supporter is tied to the group rather than to one account in it."""
    members = {seed}
    inside = {seed: 0.0}
    short = [seed]
    while short:
        added = {v for u in short for v in incoming[u]} - members
        if len(members) + len(added) > limit or not hopeless.isdisjoint(added):
            return None
        members |= added
        for v in added:
            inside[v] = sum(w for x, w in incoming.get(v, {}).items() if x in members)
            for m, w in outgoing.get(v, {}).items():
                if m in members and m not in added:
                    inside[m] += w
        # Members short before have all their reactors inside now, and inside shares only
        # grow as the group does: only the accounts just taken in can fall short.
        short = [v for v in added if v in need and inside[v] < need[v]]
    for v in members:
        if v not in need and len(members.intersection(outgoing.get(v, {}))) < 2:
            return None
    return members


def _attach(
    group: set[str],
    incoming: Mapping[str, Mapping[str, float]],
    outgoing: Mapping[str, Mapping[str, float]],
    need: Mapping[str, float],
    limit: int,
    hopeless: set[str],
) -> None:
    """Take into ``group`` the accounts it reacts to that draw their ``need`` from it and
    react to two or more of its members themselves, while it has room (the group stays one
    in which every member draws its need from the others). Growth only follows reactors, so
    a ring member whose reactors all sit in the group is reached only this way; an outsider
    the group merely answers (an asker whose question drew the ring's camouflage) gives
    nothing back to it and stays out."""
    changed = True
    while changed:  # in id order, so a group that reaches ``limit`` is the same every run
        changed = False
        for u in sorted({u for m in group for u in outgoing.get(m, {})} - group):
            if len(group) >= limit:
                return
            if u in hopeless or u not in need:
                continue
            tied = len(group.intersection(outgoing.get(u, {}))) >= 2
            if tied and sum(w for v, w in incoming[u].items() if v in group) >= need[u]:
                group.add(u)
                changed = True


def _hopeless(
    incoming: Mapping[str, Mapping[str, float]],
    outgoing: Mapping[str, Mapping[str, float]],
    received: Mapping[str, float],
    min_inside: float,
    limit: int,
) -> set[str]:
    """Accounts that belong to no group of at most ``limit`` members: those that receive
    nothing and give to a single account (a supporter must give to two members), those that
    would need more than ``limit - 1`` reactors inside, and, in turn, those whose reactors
    that are not hopeless give them less than ``min_inside``."""
    hopeless = {u for u, given in outgoing.items() if u not in received and len(given) < 2}
    support: dict[str, float] = {}
    for u, reactors in incoming.items():
        heaviest = sorted(reactors.values(), reverse=True)[: limit - 1]
        if sum(heaviest) < min_inside * received[u] - 1e-9:
            hopeless.add(u)
        else:
            support[u] = sum(w for v, w in reactors.items() if v not in hopeless)
    todo = list(hopeless)
    while todo:
        v = todo.pop()
        for u, w in outgoing.get(v, {}).items():
            if u in hopeless or u not in support:
                continue
            support[u] -= w
            if support[u] < min_inside * received[u] - 1e-9:
                hopeless.add(u)
                todo.append(u)
    return hopeless


def insular_groups(
    edges: Iterable[tuple[str, str, float]],
    *,
    min_size: int = 3,
    min_inside: float = 0.5,
    max_share: float = INSULAR_MAX_SHARE,
    max_size: int = INSULAR_MAX_SIZE,
    community: int | None = None,
) -> list[Cluster]:
    """Insular groups in weighted reactions ``(actor, receiver, weight)``.

    A group is a set of at least ``min_size`` accounts in which every member receives
    reactions and at least ``min_inside`` of them (by weight) from other members, with fewer
    members than ``max_share`` of the ``community`` (the accounts in the reaction graph
    unless given) and at most ``max_size``.

    Why these conditions. The ranking rewards reactions *received*, so that is what a ring has
    to manufacture, and it cannot make outsiders react to it: a ring's members get (nearly) all
    of their support from each other, however sparsely each pair is tied. What they *give* is
    free to spend, and a camouflaged ring spends it on outsiders, so outgoing reactions are not
    required to stay inside. But every member must *receive* from the others: without that
    condition an organic answerer, the two askers who accepted its answers and two commenters on
    them would form a group. The one exception is a *supporter*, an account that receives
    nothing at all and reacts to two or more members: a ring member nobody happened to react to,
    tied to the group rather than to one account (the commenters each react to one account, and
    end the search). "At least half" (the default ``min_inside``, shared with dense reciprocal
    clusters) means the group, not the rest of the community, is where most of each member's
    support comes from; it is the majority line, not fitted to any data. Three members is the
    smallest group that is more than a pair trading reactions. An organic account draws
    reactions from people who are themselves answered by others, so every group closed around it
    takes in a sizeable part of the community; in a whole community everyone's support is inside
    by definition. Hence the size limit: a group must be a small minority of the community,
    under a tenth of it, or, in a small community, up to the largest ring the specification
    names while under a fifth of it (``size_limit``). ``max_size`` bounds the search (and its
    cost) at five times the largest ring the specification describes (10 accounts).

    How groups are found. From each account that receives reactions, grow a group: while
    some member receives less than ``min_inside`` of its reactions from the others, take in
    all of that member's reactors; give up once the group would exceed the size limit or take
    in an account that could not reach ``min_inside`` even with its heaviest reactors inside
    (one that receives nothing, or a hub with many reactors). Around an organic account the
    growth runs into the community and gives up; around a ring it stops at the ring.
    Overlapping groups are merged. Then each group takes in the accounts it reacts to that
    draw at least ``min_inside`` of their reactions from it and react to two or more of its
    members (growth follows reactors only, so such a member may not have been needed by
    anyone short); an outsider the ring merely answers reacts to none of them and stays out.
    """
    incoming, outgoing, received, accounts = _reaction_graph(edges)
    size = accounts if community is None else community
    limit = size_limit(size, max_share, max_size)
    if limit < min_size:
        return []
    hopeless = _hopeless(incoming, outgoing, received, min_inside, limit)
    need = {u: min_inside * r - 1e-9 for u, r in received.items()}
    groups: list[set[str]] = []
    covered: set[str] = set()
    for seed in sorted(received):
        if seed in covered or seed in hopeless:
            continue
        found = _grow(seed, incoming, outgoing, need, limit, hopeless)
        if found is None or len(found) < min_size:
            continue
        covered |= found
        for other in [g for g in groups if g & found]:
            groups.remove(other)
            found |= other
        groups.append(found)
    for group in groups:
        _attach(group, incoming, outgoing, need, limit, hopeless)
    clusters = []
    kept = sorted((g for g in groups if len(g) <= limit), key=lambda g: sorted(g))
    for number, members in enumerate(kept, start=1):
        ordered = tuple(sorted(members))
        takers = [u for u in ordered if u in received]
        inside = {u: sum(w for v, w in incoming[u].items() if v in members) for u in takers}
        clusters.append(
            Cluster(
                f"I{number}",
                ordered,
                min(inside[u] / received[u] for u in takers),
                0,
                kind="insular",
                received=sum(received[u] for u in takers),
                received_inside=sum(inside.values()),
                supporters=len(ordered) - len(takers),
            )
        )
    return clusters


def suspect_groups(
    edges: Iterable[tuple[str, str, float]],
    *,
    excluded: Collection[str] = (),
    min_size: int = 3,
    min_inside: float = 0.5,
    min_density: float = 0.5,
) -> list[Cluster]:
    """Dense reciprocal clusters among the reactions of accounts not ``excluded`` already,
    then insular groups with at least one account not left out yet.

    Insular groups are looked for in all the reactions, the excluded accounts' included: a
    ring is as insular when the authenticity analysis has caught some of its members, and
    leaving those out would strip the rest of the support that gives them away (while
    reactions with no known actor, such as Stack Exchange votes, still count for them)."""
    kept = [(s, d, w) for s, d, w in edges if s != d and w > 0]
    left_out = set(excluded)
    dense = reciprocal_clusters(
        [(s, d, w) for s, d, w in kept if s not in left_out],
        min_size=min_size,
        min_inside=min_inside,
        min_density=min_density,
    )
    taken = left_out.union(*(c.accounts for c in dense))
    insular = insular_groups(kept, min_size=min_size, min_inside=min_inside)
    return dense + [g for g in insular if not taken.issuperset(g.accounts)]
