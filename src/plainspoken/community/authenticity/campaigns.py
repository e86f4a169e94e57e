"""Campaigns: accounts connected by edges, the threads they post in together, what they praise.

Threads where two or more members of a campaign post add the surprise of the edges between
them; members linked only through other members count with the campaign's weakest edge.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from plainspoken.community.authenticity import surprise
from plainspoken.community.authenticity.data import Community
from plainspoken.community.authenticity.pairs import Edge
from plainspoken.community.authenticity.reading import Stances
from plainspoken.community.authenticity.result import Campaign, Evidence


@dataclass
class Groups:
    """Campaign membership: ``members[c]`` are account codes; ``of`` maps a code to its
    campaign's index."""

    members: list[list[int]]
    of: dict[int, int]
    edges: list[Edge]
    weakest: dict[int, float]

    def name(self, index: int) -> str:
        return f"campaign-{index + 1}"


def groups(edges: Sequence[Edge]) -> Groups:
    """Connected accounts (two or more), in the order of their smallest account code."""
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for edge in edges:
        ra, rb = root(edge.first), root(edge.second)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    found: dict[int, list[int]] = defaultdict(list)
    for x in parent:
        found[root(x)].append(x)
    members = [sorted(g) for _, g in sorted(found.items()) if len(g) >= 2]
    of = {a: i for i, group in enumerate(members) for a in group}
    weakest: dict[int, float] = {}
    for edge in edges:
        c = of[edge.first]
        weakest[c] = min(weakest.get(c, math.inf), edge.score)
    return Groups(members, of, list(edges), weakest)


def thread_parts(
    community: Community, found: Groups
) -> dict[int, tuple[float, tuple[int, ...], tuple[int, ...]]]:
    """Per thread code where campaign members post together: the summed edge surprise, the
    campaigns and the member accounts present."""
    posts = community.posts
    if not found.members:
        return {}
    members = np.array(sorted(found.of), dtype=np.int64)
    author = posts.author.astype(np.int64)
    mask = np.isin(author, members) & (posts.thread >= 0)
    present: dict[int, set[int]] = defaultdict(set)
    for thread, account in zip(posts.thread[mask], author[mask], strict=True):
        present[int(thread)].add(int(account))
    edge_of = {(e.first, e.second): e for e in found.edges}
    out: dict[int, tuple[float, tuple[int, ...], tuple[int, ...]]] = {}
    for thread, accounts in present.items():
        here = sorted(accounts)
        total = 0.0
        campaigns: set[int] = set()
        for j, a in enumerate(here):
            for b in here[j + 1 :]:
                if found.of[a] != found.of[b]:
                    continue
                direct = edge_of.get((a, b))
                total += direct.score if direct is not None else found.weakest[found.of[a]]
                campaigns.add(found.of[a])
        if total:
            out[thread] = (min(total, 3 * surprise.CAP), tuple(sorted(campaigns)), tuple(here))
    return out


def campaigns(
    community: Community,
    found: Groups,
    stances: Stances,
    praise: float,
    flagged_threads: set[str],
) -> list[Campaign]:
    """One ``Campaign`` per group: shared threads, products praised, evidence by kind."""
    posts = community.posts
    names = community.accounts
    threads_of: dict[int, set[int]] = defaultdict(set)
    author = posts.author.astype(np.int64)
    members = np.array(sorted(found.of), dtype=np.int64)
    mask = np.isin(author, members)
    for account, thread in zip(author[mask], posts.thread[mask], strict=True):
        if thread >= 0:
            threads_of[int(account)].add(int(thread))
    strong = stances.compound >= praise
    praised: dict[int, Counter[str]] = defaultdict(Counter)
    for post, product in zip(stances.post[strong], stances.product[strong], strict=True):
        account = int(author[post])
        if account in found.of:
            praised[found.of[account]][stances.products[int(product)]] += 1
    edges_of: dict[int, list[Edge]] = defaultdict(list)
    for edge in found.edges:
        edges_of[found.of[edge.first]].append(edge)
    out: list[Campaign] = []
    for index, group in enumerate(found.members):
        seen: Counter[int] = Counter(t for a in group for t in threads_of[a])
        shared = sorted(community.threads.ids[t] for t, n in seen.items() if n >= 2)
        group_edges = edges_of[index]
        kinds: Counter[str] = Counter(p.kind for e in group_edges for p in e.evidence)
        accounts = tuple(names[a] for a in group)
        evidence = tuple(
            Evidence(
                kind,
                f"{count} linked pair(s) of accounts share {kind.replace('-', ' ')}",
                sum(p.surprise for e in group_edges for p in e.evidence if p.kind == kind),
                post_ids=tuple(
                    sorted(
                        {
                            x
                            for e in group_edges
                            for p in e.evidence
                            if p.kind == kind
                            for x in p.post_ids
                        }
                    )
                ),
                account_ids=accounts,
            )
            for kind, count in sorted(kinds.items())
        )
        out.append(
            Campaign(
                found.name(index),
                accounts,
                tuple(shared),
                tuple(
                    p
                    for p, n in sorted(praised[index].items(), key=lambda x: (-x[1], x[0]))
                    if n >= 2
                ),
                sum(e.score for e in group_edges),
                any(t in flagged_threads for t in shared),
                evidence,
            )
        )
    return out
