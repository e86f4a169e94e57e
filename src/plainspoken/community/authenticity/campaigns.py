"""Campaigns: accounts connected by edges, the threads where they act, what they praise.

A campaign acts in a thread where its members post its own marks (``marked_posts``: wording
shared among members, praise of its products, links to its domains), not merely where members
post: a careful campaign's members also post ordinary answers elsewhere (camouflage), and an
old account taken over brings its ordinary history. Threads where two or more members act add
the surprise of the edges between them (members linked only through other members count with
the campaign's weakest edge); one member acting alone adds the campaign's weakest edge.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from plainspoken.community.arrays import distinct
from plainspoken.community.authenticity import surprise
from plainspoken.community.authenticity.data import Community
from plainspoken.community.authenticity.duplicates import Duplicates
from plainspoken.community.authenticity.edges import Edge
from plainspoken.community.authenticity.reading import Stances
from plainspoken.community.authenticity.result import Campaign, Evidence

Ints = npt.NDArray[np.int64]
_POST_RANGE = 2_000_000  # posts whose (post, item) pairs are sorted at a time
ThreadParts = dict[int, tuple[float, tuple[int, ...], tuple[int, ...]]]
"""Per thread code: (surprise added to its score, campaign indexes, acting member accounts)."""


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


def marked_posts(
    community: Community,
    found: Groups,
    stances: Stances,
    duplicates: Duplicates,
    family_alpha: float,
) -> npt.NDArray[np.bool_]:
    """Posts by campaign members that carry their campaign's own marks, as opposed to a
    member's other posts (camouflage elsewhere, an old account's ordinary history):

    - near-duplicate wording with another member's post;
    - strong praise of one of the campaign's products, or a link to one of its domains: an
      item two or more members use, in far more of the campaign's posts than the community's
      rate predicts (binomial surprise of at least ``log10(items) + log10(1 / family_alpha)``).
    """
    posts = community.posts
    out = np.zeros(len(posts), dtype=bool)
    if not found.members:
        return out
    campaign_of = np.full(max(1, len(community.accounts)), -1, dtype=np.int32)
    for account, index in found.of.items():
        campaign_of[account] = index
    author = posts.author  # 32-bit codes: a post-sized array is not copied to 64 bits
    # A -1 code reads the last account's campaign, replaced after.
    post_campaign = campaign_of[author]
    post_campaign[author < 0] = -1
    campaign_posts = np.bincount(post_campaign[post_campaign >= 0], minlength=len(found.members))

    first, second = duplicates.first, duplicates.second
    same = (
        (post_campaign[first] >= 0)
        & (post_campaign[first] == post_campaign[second])
        & (author[first] != author[second])
    )
    out[first[same]] = True
    out[second[same]] = True

    def theirs(rows: npt.NDArray[Any], items: npt.NDArray[Any], count: int) -> None:
        """Mark the posts (``rows``) using an item (``items``, codes below ``count``) that is
        their campaign's."""
        share = _posts_using(rows, items, count, len(posts)) / max(1, len(posts))
        # Only the campaigns' posts are marked: their (post, item) pairs alone are sorted. A
        # post uses an item once. Pairs are kept as one number (row * count + item), whose
        # sorted distinct values are the pairs in (row, item) order.
        mine = post_campaign[rows] >= 0
        if not mine.any():
            return
        used = distinct(rows[mine].astype(np.int64) * count + items[mine])
        rows, items = used // count, used % count
        del used, mine
        c = post_campaign[rows].astype(np.int64)
        place = c * count + items
        places, uses = np.unique(place, return_counts=True)
        span = int(author.max(initial=0)) + 2
        writers = distinct(place * span + author[rows].astype(np.int64) + 1) // span
        members = np.bincount(np.searchsorted(places, writers), minlength=len(places))
        s = surprise.binomial_many(
            uses.astype(np.float64),
            campaign_posts[places // count].astype(np.float64),
            share[places % count],
        )
        floor = math.log10(max(count, 1)) + math.log10(1 / family_alpha)
        out[rows[np.isin(place, places[(members >= 2) & (s >= floor)])]] = True

    strong = stances.praised
    if strong.any():
        theirs(stances.post[strong], stances.product[strong], max(1, len(stances.products)))
    links = community.links
    dated = links.post >= 0
    if dated.any():
        theirs(links.post[dated], links.domain[dated], max(1, len(links.domains)))
    return out


def _posts_using(rows: npt.NDArray[Any], items: npt.NDArray[Any], count: int, posts: int) -> Ints:
    """How many posts (``rows``, below ``posts``) use each item (``items``, codes below
    ``count``; a post using an item twice counts once), a range of posts at a time: a big
    community's (post, item) pairs are not all sorted at once."""
    found = np.zeros(count, dtype=np.int64)
    for lo in range(0, posts, _POST_RANGE):
        here = (rows >= lo) & (rows < lo + _POST_RANGE)
        used = distinct(rows[here].astype(np.int64) * count + items[here])
        found += np.bincount(used % count, minlength=count)
    return found


def thread_parts(community: Community, found: Groups, marked: npt.NDArray[np.bool_]) -> ThreadParts:
    """Per thread code where a campaign acts: the campaign surprise added to the thread's
    score, the campaigns and the member accounts that act there.

    A member acts in a thread when one of its posts there is ``marked`` (``marked_posts``),
    or when it opened the thread and another member of its campaign acts there (a campaign
    answering its own question). Two or more acting members of one campaign add the edges
    between them (members linked only through other members count with the campaign's
    weakest edge); one acting member alone adds its campaign's weakest edge.
    """
    posts = community.posts
    if not found.members:
        return {}
    # Marked posts first (few), then whether their author is a member: no copy of the
    # community's author column.
    rows = np.flatnonzero(marked & (posts.thread >= 0))
    author = posts.author[rows]
    member = np.zeros(max(1, len(community.accounts)), dtype=bool)
    member[np.fromiter(found.of, np.int64, len(found.of))] = True
    keep = (author >= 0) & member[author]  # a -1 code is masked by the first test
    acting: dict[int, set[int]] = defaultdict(set)
    for thread, account in zip(posts.thread[rows[keep]], author[keep], strict=True):
        acting[int(thread)].add(int(account))
    opener = community.threads.author
    for thread, accounts in acting.items():
        asker = int(opener[thread])
        if asker in found.of and any(found.of[a] == found.of[asker] for a in accounts):
            accounts.add(asker)
    edge_of = {(e.first, e.second): e for e in found.edges}
    out: ThreadParts = {}
    for thread, accounts in acting.items():
        by_campaign: dict[int, list[int]] = defaultdict(list)
        for a in sorted(accounts):
            by_campaign[found.of[a]].append(a)
        total = 0.0
        for index, here in by_campaign.items():
            if len(here) == 1:
                total += found.weakest[index]
            for j, a in enumerate(here):
                for b in here[j + 1 :]:
                    direct = edge_of.get((a, b))
                    total += direct.score if direct is not None else found.weakest[index]
        out[thread] = (
            min(total, 3 * surprise.CAP),
            tuple(sorted(by_campaign)),
            tuple(sorted(accounts)),
        )
    return out


def campaigns(
    community: Community,
    found: Groups,
    stances: Stances,
    together: ThreadParts,
    flagged_threads: set[str],
) -> list[Campaign]:
    """One ``Campaign`` per group: the threads where it acts (``thread_parts``), products
    praised, evidence by kind."""
    posts = community.posts
    names = community.accounts
    author = posts.author.astype(np.int64)
    acts_in: dict[int, list[str]] = defaultdict(list)
    for thread, (_, indexes, _) in together.items():
        for index in indexes:
            acts_in[index].append(community.threads.ids[thread])
    strong = stances.praised
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
        shared = sorted(acts_in[index])
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
