"""Score threads, accounts and campaigns for signs of coordinated inauthentic posting.

Reply signals (each judged against the community's own base rate; month by month where the
rate moves with the community's age):

- ``young_account``: the account was younger than ``young_seconds`` when it replied;
- ``first_post``: the reply is the account's first post in the community;
- ``burst``: the reply came faster after the question, or after the previous post, than
  ``fast_quantile`` of the community's replies do;
- ``praise``: a sentence naming a product is strongly positive about it;
- ``duplicate``: another account wrote nearly the same words (``wording.py``);
- ``shared_link``: another account in the same thread links the same domain.

A thread's individual score adds the binomial surprise of each signal's count among its replies.

Groups are easier to see than single accounts. Pairs of accounts are linked by evidence that
is rare between two random accounts: sharing threads more often than their activity predicts,
near-duplicate wording, up-votes and accepts between them, a rare link domain, praise of the
same product. A pair whose summed surprise beats the number of pairs that could have been tested
(a Bonferroni bound at ``family_alpha``), with at least two kinds of evidence, is an edge;
connected accounts form a campaign. Threads where two or more members of a campaign post add
the surprise of the edges between them (members linked only through other members count with
the campaign's weakest edge); accounts add the surprise of their own edges.

``flagged`` follows an operating point set on the community itself: at most
``max_flag_rate`` of threads, and only scores above the same Bonferroni bound. Accounts are
flagged with their campaign, or, outside campaigns, when their own score passes the same kind
of operating point and a flagged thread's evidence cites them.
"""

from __future__ import annotations

import math
import multiprocessing
import os
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from plainspoken.community.authenticity import surprise
from plainspoken.community.authenticity.data import Community
from plainspoken.community.authenticity.products import (
    ProductIndex,
    Stance,
    StanceReader,
    Vocabulary,
    product_names,
)
from plainspoken.community.authenticity.result import (
    AccountScore,
    AuthenticityResult,
    Campaign,
    Evidence,
    ReplyPoint,
    Signal,
    ThreadScore,
)
from plainspoken.community.authenticity.wording import NearDuplicate, Wording, near_duplicates

SIGNALS = ("young_account", "first_post", "burst", "praise", "duplicate", "shared_link")
_DESCRIBE = {
    "young_account": "replies from accounts younger than {age} when posting",
    "first_post": "replies that are the account's first post",
    "burst": "replies arriving faster than {fast} of the community's replies",
    "praise": "replies with strong praise of a named product",
    "duplicate": "replies nearly matching another account's wording",
    "shared_link": "replies linking a domain another account in the thread also links",
}
_VALUES: dict[str, Callable[[_Replies], npt.NDArray[np.float64]]] = {
    "young_account": lambda f: f.young,
    "first_post": lambda f: f.first.astype(np.float64),
    "burst": lambda f: f.fast,
    "praise": lambda f: f.praise.astype(np.float64),
    "duplicate": lambda f: f.duplicate.astype(np.float64),
    "shared_link": lambda f: f.shared_link.astype(np.float64),
}
_RARE_DOMAIN_AUTHORS = 50  # domains linked by more accounts than this are common references
_STANCE_CHARS = 4_000
_SAMPLE_FOR_NAMES = 50_000

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Options:
    """The analysis's knobs; the defaults are the documented operating point."""

    max_flag_rate: float = 0.01
    young_seconds: float = 86_400.0
    fast_quantile: float = 0.10
    praise: float = 0.5
    attack: float = -0.3
    family_alpha: float = 0.01
    wording: Wording = field(default_factory=Wording)
    vocabulary: Vocabulary = field(default_factory=Vocabulary)


@dataclass
class _Replies:
    """Per-post flags computed once (arrays over all posts)."""

    reply: npt.NDArray[np.bool_]
    young: npt.NDArray[np.float64]  # 1, 0 or NaN (age unknown)
    first: npt.NDArray[np.bool_]
    fast: npt.NDArray[np.float64]
    praise: npt.NDArray[np.bool_]
    duplicate: npt.NDArray[np.bool_]
    shared_link: npt.NDArray[np.bool_]
    stances: list[list[Stance]]
    p_young: npt.NDArray[np.float64]  # the base rate each post is judged against
    p_first: npt.NDArray[np.float64]


def _share(values: npt.NDArray[np.float64]) -> float:
    known = values[~np.isnan(values)]
    return float(known.mean()) if len(known) else 0.0


def _by_month(
    flags: npt.NDArray[np.float64], months: Sequence[str], mask: npt.NDArray[np.bool_]
) -> tuple[npt.NDArray[np.float64], dict[str, float]]:
    """Each post's month's share of ``flags`` among masked posts (overall where a month is thin)."""
    overall = _share(flags[mask])
    sums: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    for i in map(int, np.flatnonzero(mask & ~np.isnan(flags))):
        sums[months[i]] += float(flags[i])
        counts[months[i]] += 1
    # A month with few replies borrows strength from the overall rate (20 pseudo-replies).
    rates = {m: (sums[m] + 20 * overall) / (counts[m] + 20) for m in counts}
    out = np.array([rates.get(m, overall) for m in months], dtype=np.float64)
    return out, rates


def _stances(
    community: Community, options: Options, progress: Progress | None
) -> list[list[Stance]]:
    """Each post's stance toward the products it names (names found in this community)."""
    posts = community.posts
    tags = [t for thread in community.threads.values() for t in thread.tags]
    openers = [t.title for t in community.threads.values()]
    openers += [
        text for text, kind in zip(posts.text, posts.kind, strict=True) if kind == "question"
    ]
    others = [text for text, kind in zip(posts.text, posts.kind, strict=True) if kind != "question"]
    step = max(1, len(others) // _SAMPLE_FOR_NAMES)
    names = product_names(tags, openers + others[::step], options.vocabulary)
    reader = StanceReader(ProductIndex(names))
    if progress:
        progress(f"reading stance toward {len(names):,} product names")
    return [reader.stances(text[:_STANCE_CHARS]) for text in posts.text]


_FORK_POSTS = 100_000
_JOB: tuple[Community, Options] | None = None


def _stance_job() -> list[list[Stance]]:
    assert _JOB is not None
    return _stances(_JOB[0], _JOB[1], None)


def _start_stance_worker(
    community: Community, options: Options
) -> tuple[ProcessPoolExecutor, Future[list[list[Stance]]]] | None:
    """Read stance in a forked process when the community is big and a second core is free."""
    global _JOB
    if len(community.posts) < _FORK_POSTS or (os.cpu_count() or 1) < 2:
        return None
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    _JOB = (community, options)
    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
    try:
        return pool, pool.submit(_stance_job)
    finally:
        _JOB = None


def _reply_flags(
    community: Community, options: Options, progress: Progress | None
) -> tuple[_Replies, list[NearDuplicate], dict[str, float]]:
    posts = community.posts
    n = len(posts)
    reply = posts.is_reply & np.array([t is not None for t in posts.thread], dtype=bool)
    age = posts.account_age
    young = np.where(np.isnan(age) | (age < 0), np.nan, (age < options.young_seconds) * 1.0)
    first = posts.first_post
    since_thread = np.where(posts.since_thread >= 0, posts.since_thread, np.nan)
    since_previous = posts.since_previous
    fast = np.full(n, np.nan)
    base: dict[str, float] = {}
    if reply.any():
        known = reply & ~np.isnan(since_thread)
        q = options.fast_quantile
        latency = float(np.quantile(since_thread[known], q)) if known.any() else 0.0
        gaps = reply & ~np.isnan(since_previous)
        gap = float(np.quantile(since_previous[gaps], q)) if gaps.any() else 0.0
        timed = reply & ~(np.isnan(since_thread) & np.isnan(since_previous))
        quick = (np.nan_to_num(since_thread, nan=np.inf) < latency) | (
            np.nan_to_num(since_previous, nan=np.inf) < gap
        )
        fast = np.where(timed, quick * 1.0, np.nan)
        base["burst_latency_seconds"] = latency
        base["burst_gap_seconds"] = gap
    if progress:
        progress("comparing wording and reading stance toward products")
    # Stance and wording are independent: on a big community with a spare core, a forked
    # worker reads stance while this process compares wording.
    helper = _start_stance_worker(community, options)
    duplicates = near_duplicates(posts.text, posts.author, options.wording)
    duplicate = np.zeros(n, dtype=bool)
    for pair in duplicates:
        duplicate[pair.first] = duplicate[pair.second] = True
    if helper is not None:
        with helper[0]:
            stances = helper[1].result()
    else:
        stances = _stances(community, options, progress)
    praise = np.array([any(s.compound >= options.praise for s in st) for st in stances], dtype=bool)
    shared_link = _shared_links(community)
    p_young, _ = _by_month(young, posts.month, reply)
    p_first, _ = _by_month(first.astype(np.float64), posts.month, reply)
    base.update(
        {
            "young_account": _share(young[reply]),
            "first_post": float(first[reply].mean()) if reply.any() else 0.0,
            "burst": _share(fast[reply]),
            "praise": float(praise[reply].mean()) if reply.any() else 0.0,
            "duplicate": float(duplicate[reply].mean()) if reply.any() else 0.0,
            "shared_link": float(shared_link[reply].mean()) if reply.any() else 0.0,
        }
    )
    flags = _Replies(
        reply, young, first, fast, praise, duplicate, shared_link, stances, p_young, p_first
    )
    return flags, duplicates, base


def _shared_links(community: Community) -> npt.NDArray[np.bool_]:
    posts = community.posts
    position = {post_id: i for i, post_id in enumerate(posts.ids)}
    authors: dict[tuple[str, str], set[str]] = defaultdict(set)
    for link in community.links:
        if link.thread_id is not None:
            authors[(link.thread_id, link.domain)].add(link.author_id)
    out = np.zeros(len(posts), dtype=bool)
    for link in community.links:
        if link.thread_id is not None and len(authors[(link.thread_id, link.domain)]) >= 2:
            i = position.get(link.post_id)
            if i is not None:
                out[i] = True
    return out


def _describe(name: str, options: Options) -> str:
    age = f"{options.young_seconds / 3600:g} h"
    fast = f"{(1 - options.fast_quantile) * 100:.0f}%"
    return _DESCRIBE[name].format(age=age, fast=fast)


@dataclass
class _Pair:
    shared: int = 0
    wording: list[NearDuplicate] = field(default_factory=list)
    votes: list[str] = field(default_factory=list)
    domains: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class _Edge:
    first: str
    second: str
    score: float
    evidence: tuple[Evidence, ...]


def _pairs(
    community: Community, duplicates: Sequence[NearDuplicate], thread_sets: Mapping[str, set[str]]
) -> dict[tuple[str, str], _Pair]:
    posts = community.posts
    pairs: dict[tuple[str, str], _Pair] = defaultdict(_Pair)
    for a, b, shared in community.co_appearances:
        pairs[(a, b)].shared = shared
    for dup in duplicates:
        x, y = posts.author[dup.first], posts.author[dup.second]
        if x is not None and y is not None and x != y:
            pairs[(min(x, y), max(x, y))].wording.append(dup)
    for vote in community.votes:
        a, b = vote.actor_id, vote.target_id
        pairs[(min(a, b), max(a, b))].votes.append(vote.post_id)
    by_domain: dict[str, set[str]] = defaultdict(set)
    for link in community.links:
        by_domain[link.domain].add(link.author_id)
    for domain, authors in by_domain.items():
        if 2 <= len(authors) <= _RARE_DOMAIN_AUTHORS:
            ordered = sorted(authors)
            for i, a in enumerate(ordered):
                for b in ordered[i + 1 :]:
                    pairs[(a, b)].domains.add(domain)
    for (a, b), pair in pairs.items():
        if pair.shared == 0:
            pair.shared = len(thread_sets.get(a, set()) & thread_sets.get(b, set()))
    return pairs


def _edges(
    community: Community,
    flags: _Replies,
    duplicates: Sequence[NearDuplicate],
    options: Options,
) -> tuple[list[_Edge], float, dict[str, set[str]]]:
    posts = community.posts
    thread_sets: dict[str, set[str]] = defaultdict(set)
    post_count: Counter[str] = Counter()
    for author, thread in zip(posts.author, posts.thread, strict=True):
        if author is not None:
            post_count[author] += 1
            if thread is not None:
                thread_sets[author].add(thread)
    accounts = len(post_count)
    # Threads are not picked uniformly: busy threads gather many accounts. The chance that two
    # accounts meet is their activity times sum(size^2) / sum(size)^2 over thread sizes.
    sizes = Counter(t for threads_of in thread_sets.values() for t in threads_of)
    total_size = max(1, sum(sizes.values()))
    meet = sum(v * v for v in sizes.values()) / total_size**2
    total_posts = max(1, sum(post_count.values()))
    all_pairs = accounts * (accounts - 1) / 2
    floor = math.log10(max(all_pairs, 1.0)) + math.log10(1 / options.family_alpha)
    post_pairs = max(1.0, total_posts * (total_posts - 1) / 2)
    dup_rate = len(duplicates) / post_pairs
    # Votes and accepts go to some accounts far more than others: expect them by share received.
    cast: Counter[str] = Counter(v.actor_id for v in community.votes)
    received: Counter[str] = Counter(v.target_id for v in community.votes)
    total_votes = max(1, len(community.votes))
    # Links and praise: an account that links (praises) often shares a domain (product) with
    # others often; expect by its number of links (praises) times the domain's (product's) share.
    domain_authors: dict[str, set[str]] = defaultdict(set)
    domain_links: Counter[str] = Counter()
    links_by: Counter[str] = Counter()
    for link in community.links:
        domain_authors[link.domain].add(link.author_id)
        domain_links[link.domain] += 1
        links_by[link.author_id] += 1
    total_links = max(1, len(community.links))
    praisers: dict[str, set[str]] = defaultdict(set)
    praise_count: Counter[str] = Counter()
    praises_by: Counter[str] = Counter()
    for i in np.flatnonzero(flags.praise):
        author = posts.author[i]
        if author is not None:
            for stance in flags.stances[i]:
                if stance.compound >= options.praise:
                    praisers[stance.product].add(author)
                    praise_count[stance.product] += 1
                    praises_by[author] += 1
    total_praise = max(1, sum(praise_count.values()))

    def both(share: float, first: int, second: int) -> float:
        """Chance that two accounts with these many tries each hit an item of this share."""
        return min(1.0, first * share) * min(1.0, second * share)

    praised: dict[str, set[str]] = defaultdict(set)
    for product, authors in praisers.items():
        for author in authors:
            praised[author].add(product)
    edges: list[_Edge] = []
    for (a, b), pair in sorted(_pairs(community, duplicates, thread_sets).items()):
        parts: list[Evidence] = []
        n_a, n_b = len(thread_sets.get(a, ())), len(thread_sets.get(b, ()))
        if pair.shared:
            expected = n_a * n_b * meet
            s = surprise.poisson(pair.shared, expected)
            if s > 0.5:
                parts.append(
                    Evidence(
                        "co-appearance",
                        f"posted in {pair.shared} of the same threads "
                        f"({expected:.2g} expected from their activity)",
                        s,
                        account_ids=(a, b),
                    )
                )
        if pair.wording:
            expected = post_count[a] * post_count[b] * dup_rate
            s = surprise.poisson(len(pair.wording), expected)
            ids = tuple(
                sorted(
                    {posts.ids[d.first] for d in pair.wording}
                    | {posts.ids[d.second] for d in pair.wording}
                )
            )
            best = max(d.similarity for d in pair.wording)
            parts.append(
                Evidence(
                    "similar-wording",
                    f"{len(pair.wording)} pair(s) of near-identical posts "
                    f"(word-pair similarity up to {best:.2f})",
                    s,
                    post_ids=ids,
                    account_ids=(a, b),
                )
            )
        if pair.votes:
            expected = (cast[a] * received[b] + cast[b] * received[a]) / total_votes
            s = surprise.poisson(len(pair.votes), expected)
            parts.append(
                Evidence(
                    "mutual-votes",
                    f"{len(pair.votes)} up-vote(s) or accept(s) between them "
                    f"({expected:.2g} expected)",
                    s,
                    post_ids=tuple(sorted(set(pair.votes))),
                    account_ids=(a, b),
                )
            )
        if pair.domains:
            rarest = min(pair.domains, key=lambda d: (domain_links[d], d))
            k = len(domain_authors[rarest])
            p = both(domain_links[rarest] / total_links, links_by[a], links_by[b])
            parts.append(
                Evidence(
                    "shared-domain",
                    f"both link {rarest}, which {k} accounts link in all",
                    surprise.chance(p),
                    account_ids=(a, b),
                )
            )
        common = praised.get(a, set()) & praised.get(b, set())
        if common:
            rarest = min(common, key=lambda d: (praise_count[d], d))
            k = len(praisers[rarest])
            p = both(praise_count[rarest] / total_praise, praises_by[a], praises_by[b])
            parts.append(
                Evidence(
                    "same-product-praise",
                    f"both praise {rarest}, which {k} accounts praise in all",
                    surprise.chance(p),
                    account_ids=(a, b),
                )
            )
        total = sum(e.surprise for e in parts)
        if total >= floor and len(parts) >= 2:
            edges.append(_Edge(a, b, total, tuple(parts)))
    return edges, floor, thread_sets


def _components(edges: Iterable[_Edge]) -> list[list[str]]:
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for edge in edges:
        ra, rb = root(edge.first), root(edge.second)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = defaultdict(list)
    for x in parent:
        groups[root(x)].append(x)
    return [sorted(g) for g in groups.values() if len(g) >= 2]


def _operating_point(scores: Sequence[float], rate: float, floor: float) -> float:
    """The lowest score flagged: above ``floor`` and within the top ``rate`` share (rounded up,
    so a small community can still show its one most unusual thread)."""
    budget = math.ceil(rate * len(scores))
    if budget <= 0:
        return math.inf
    ordered = sorted(scores, reverse=True)
    threshold = max(floor, 1e-9)
    if len(ordered) > budget:
        # Ties at the boundary stay out, so the share is never exceeded.
        threshold = max(threshold, math.nextafter(ordered[budget], math.inf))
    return threshold


def analyse(
    community: Community, options: Options = Options(), progress: Progress | None = None
) -> AuthenticityResult:
    """Score every thread, account and campaign of a community read by ``data.read``."""
    posts = community.posts
    if progress:
        progress(f"measuring signals on {len(posts):,} posts")
    flags, duplicates, base = _reply_flags(community, options, progress)
    if progress:
        progress("linking accounts into campaigns")
    edges, pair_floor, _ = _edges(community, flags, duplicates, options)
    members = _components(edges)
    edge_of: dict[frozenset[str], _Edge] = {frozenset((e.first, e.second)): e for e in edges}
    campaign_of: dict[str, int] = {a: i for i, group in enumerate(members) for a in group}
    weakest: dict[int, float] = {}
    for edge in edges:
        c = campaign_of[edge.first]
        weakest[c] = min(weakest.get(c, math.inf), edge.score)

    # Threads: reply signals, then the campaign edges among accounts posting in them.
    by_thread: dict[str, list[int]] = defaultdict(list)
    for i in np.flatnonzero(flags.reply):
        thread = posts.thread[i]
        if thread is not None:
            by_thread[thread].append(int(i))
    participants: dict[str, set[str]] = defaultdict(set)
    for author, thread in zip(posts.author, posts.thread, strict=True):
        if author is not None and thread is not None:
            participants[thread].add(author)
    rows: list[tuple[str, float, dict[str, Signal], list[Evidence], tuple[str, ...]]] = []
    order = sorted(community.threads)
    slot = {thread_id: n for n, thread_id in enumerate(order)}
    reply_index = np.flatnonzero(flags.reply)
    reply_slot = np.array(
        [slot.get(posts.thread[i] or "", -1) for i in reply_index], dtype=np.int64
    )
    in_threads = reply_slot >= 0
    reply_index, reply_slot = reply_index[in_threads], reply_slot[in_threads]
    measured: dict[str, tuple[npt.NDArray[np.float64], ...]] = {}
    for name, values, rates in (
        ("young_account", flags.young, flags.p_young),
        ("first_post", flags.first.astype(np.float64), flags.p_first),
        ("burst", flags.fast, None),
        ("praise", flags.praise.astype(np.float64), None),
        ("duplicate", flags.duplicate.astype(np.float64), None),
        ("shared_link", flags.shared_link.astype(np.float64), None),
    ):
        v = values[reply_index]
        known = ~np.isnan(v)
        size = len(order)
        total = np.bincount(reply_slot[known], minlength=size).astype(np.float64)
        hit = np.bincount(reply_slot[known], weights=v[known], minlength=size).astype(np.float64)
        if rates is not None:
            summed = np.bincount(
                reply_slot[known], weights=rates[reply_index][known], minlength=size
            )
            rate = np.where(total > 0, summed / np.maximum(total, 1), base[name])
        else:
            rate = np.full(size, base[name])
        rate = np.asarray(rate, dtype=np.float64)
        measured[name] = (hit, total, rate, surprise.binomial_many(hit, total, rate))
    for t, thread_id in enumerate(order):
        signals: dict[str, Signal] = {}
        evidence: list[Evidence] = []
        for name, (k, n, p, s) in measured.items():
            signals[name] = Signal(int(k[t]), int(n[t]), float(p[t]), float(s[t]))
            if k[t] and s[t] >= 1.0:
                values = _VALUES[name](flags)
                hits = [i for i in by_thread.get(thread_id, []) if values[i] == 1.0]
                evidence.append(
                    Evidence(
                        name.replace("_", "-"),
                        f"{int(k[t])} of {int(n[t])} {_describe(name, options)} "
                        f"(community: {p[t] * 100:.1f}%)",
                        float(s[t]),
                        post_ids=tuple(posts.ids[i] for i in hits),
                        account_ids=tuple(sorted({a for i in hits if (a := posts.author[i])})),
                        base_rate=float(p[t]),
                    )
                )
        campaign_part = 0.0
        in_campaigns: set[int] = set()
        present = sorted(a for a in participants.get(thread_id, ()) if a in campaign_of)
        for j, a in enumerate(present):
            for b in present[j + 1 :]:
                if campaign_of[a] != campaign_of[b]:
                    continue
                # Members linked only through others count with their campaign's weakest edge.
                direct = edge_of.get(frozenset((a, b)))
                campaign_part += direct.score if direct is not None else weakest[campaign_of[a]]
                in_campaigns.add(campaign_of[a])
        campaign_ids = tuple(f"campaign-{c + 1}" for c in sorted(in_campaigns))
        if campaign_part:
            campaign_part = min(campaign_part, 3 * surprise.CAP)
            evidence.append(
                Evidence(
                    "campaign",
                    f"accounts linked as {', '.join(campaign_ids)} post here together",
                    campaign_part,
                    account_ids=tuple(present),
                )
            )
        score = sum(s.surprise for s in signals.values()) + campaign_part
        evidence.sort(key=lambda e: -e.surprise)
        rows.append((thread_id, score, signals, evidence, campaign_ids))
    thread_floor = math.log10(max(len(rows), 1)) + math.log10(1 / options.family_alpha)
    thread_cut = _operating_point([r[1] for r in rows], options.max_flag_rate, thread_floor)

    thread_scores = []
    for thread_id, score, signals, evidence, campaign_ids in rows:
        flagged = score >= thread_cut
        timeline: tuple[ReplyPoint, ...] = ()
        if flagged:
            cited = {p for e in evidence for p in e.post_ids}
            timeline = tuple(
                ReplyPoint(
                    posts.ids[i],
                    posts.author[i],
                    float(posts.since_thread[i]) if not np.isnan(posts.since_thread[i]) else 0.0,
                    None if np.isnan(posts.account_age[i]) else float(posts.account_age[i]),
                    posts.ids[i] in cited,
                )
                for i in by_thread.get(thread_id, [])
            )
        info = community.threads[thread_id]
        thread_scores.append(
            ThreadScore(
                thread_id,
                info.title,
                score,
                flagged,
                signals,
                tuple(evidence),
                campaign_ids,
                timeline,
            )
        )
    flagged_threads = {t.thread_id for t in thread_scores if t.flagged}

    # Campaigns: connected accounts, the threads they post in together, the products they praise.
    campaigns: list[Campaign] = []
    threads_of: dict[str, set[str]] = defaultdict(set)
    posts_of: dict[str, list[int]] = defaultdict(list)
    for m, (author, thread) in enumerate(zip(posts.author, posts.thread, strict=True)):
        if author is not None and author in campaign_of:
            posts_of[author].append(m)
            if thread is not None:
                threads_of[author].add(thread)
    edges_of: dict[int, list[_Edge]] = defaultdict(list)
    for edge in edges:
        edges_of[campaign_of[edge.first]].append(edge)
    for index, group in enumerate(members):
        seen: Counter[str] = Counter(t for a in group for t in threads_of[a])
        shared_threads = sorted(t for t, n in seen.items() if n >= 2)
        products: Counter[str] = Counter()
        for author in group:
            for m in posts_of[author]:
                for stance in flags.stances[m]:
                    if stance.compound >= options.praise:
                        products[stance.product] += 1
        group_edges = edges_of[index]
        kinds: Counter[str] = Counter(p.kind for e in group_edges for p in e.evidence)
        campaign_evidence = tuple(
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
                account_ids=tuple(group),
            )
            for kind, count in sorted(kinds.items())
        )
        campaigns.append(
            Campaign(
                f"campaign-{index + 1}",
                tuple(group),
                tuple(shared_threads),
                tuple(p for p, n in products.most_common() if n >= 2),
                sum(e.score for e in group_edges),
                any(t in flagged_threads for t in shared_threads),
                campaign_evidence,
            )
        )
    flagged_campaigns = {c.campaign_id for c in campaigns if c.flagged}

    # Accounts: their own signals plus the campaign edges they are part of.
    # Accounts cited in a flagged thread's evidence can be flagged on their own signals too.
    cited_accounts = {
        a for t in thread_scores if t.flagged for e in t.evidence for a in e.account_ids
    }
    accounts = _account_scores(
        community, flags, base, edges, campaign_of, flagged_campaigns, cited_accounts, options
    )
    ordered_threads = tuple(sorted(thread_scores, key=lambda t: (-t.score, t.thread_id)))
    cited_posts = {p for t in ordered_threads if t.flagged for e in t.evidence for p in e.post_ids}
    position = {post_id: i for i, post_id in enumerate(posts.ids)}
    excerpts = {p: posts.text[position[p]][:400] for p in sorted(cited_posts) if p in position}
    return AuthenticityResult(
        dataset=community.dataset,
        engine=community.engine,
        threads=ordered_threads,
        accounts=accounts,
        campaigns=tuple(sorted(campaigns, key=lambda c: (-c.score, c.campaign_id))),
        base_rates=base,
        operating_point={
            "max_flag_rate": options.max_flag_rate,
            "thread_threshold": thread_cut if math.isfinite(thread_cut) else -1.0,
            "thread_floor": thread_floor,
            "pair_floor": pair_floor,
        },
        posts=excerpts,
    )


def _account_scores(
    community: Community,
    flags: _Replies,
    base: Mapping[str, float],
    edges: Sequence[_Edge],
    campaign_of: Mapping[str, int],
    flagged_campaigns: set[str],
    cited_accounts: set[str],
    options: Options,
) -> tuple[AccountScore, ...]:
    posts = community.posts
    mine: dict[str, list[int]] = defaultdict(list)
    for i, author in enumerate(posts.author):
        if author is not None:
            mine[author].append(i)
    young_first = 0
    for indexes in mine.values():
        if flags.young[indexes[0]] == 1.0:
            young_first += 1
    p_young_first = young_first / max(1, len(mine))
    mentions: Counter[str] = Counter()
    for stances in flags.stances:
        mentions.update({s.product for s in stances})
    p_praise = float(flags.praise.mean()) if len(posts) else 0.0
    total = max(1, len(posts))
    edge_parts: dict[str, list[Evidence]] = defaultdict(list)
    edge_sum: dict[str, float] = defaultdict(float)
    for edge in edges:
        for me, other in ((edge.first, edge.second), (edge.second, edge.first)):
            edge_sum[me] += edge.score
            edge_parts[me].append(
                Evidence(
                    "linked-account",
                    f"linked to account {other}: " + "; ".join(p.detail for p in edge.evidence),
                    edge.score,
                    post_ids=tuple(sorted({x for p in edge.evidence for x in p.post_ids})),
                    account_ids=(other,),
                )
            )
    rows: list[tuple[str, float, list[Evidence]]] = []
    for author in sorted(mine):
        indexes = mine[author]
        evidence: list[Evidence] = []
        if flags.young[indexes[0]] == 1.0:
            evidence.append(
                Evidence(
                    "young-first-post",
                    f"first post came less than {options.young_seconds / 3600:g} h after the "
                    f"account was created (community: {p_young_first * 100:.1f}% of accounts)",
                    surprise.chance(p_young_first),
                    post_ids=(posts.ids[indexes[0]],),
                    base_rate=p_young_first,
                )
            )
        praising = [i for i in indexes if flags.praise[i]]
        s = surprise.binomial(len(praising), len(indexes), p_praise)
        if praising and s >= 1.0:
            evidence.append(
                Evidence(
                    "praise",
                    f"{len(praising)} of {len(indexes)} posts strongly praise a named product "
                    f"(community: {p_praise * 100:.1f}%)",
                    s,
                    post_ids=tuple(posts.ids[i] for i in praising),
                    base_rate=p_praise,
                )
            )
        named: Counter[str] = Counter()
        for i in indexes:
            named.update({st.product for st in flags.stances[i]})
        if len(indexes) >= 2 and named:
            product, k = named.most_common(1)[0]
            if k == len(indexes):
                p = mentions[product] / total
                s = surprise.binomial(k, len(indexes), p)
                if s >= 1.0:
                    evidence.append(
                        Evidence(
                            "one-product",
                            f"all {k} posts name {product} (community: {p * 100:.1f}% of posts)",
                            s,
                            post_ids=tuple(posts.ids[i] for i in indexes),
                            base_rate=p,
                        )
                    )
        linked = sorted(edge_parts.get(author, []), key=lambda e: -e.surprise)
        score = sum(e.surprise for e in evidence) + min(edge_sum.get(author, 0.0), 3 * surprise.CAP)
        rows.append((author, score, evidence + linked))
    floor = math.log10(max(len(rows), 1)) + math.log10(1 / options.family_alpha)
    outside = [score for author, score, _ in rows if author not in campaign_of]
    cut = _operating_point(outside, options.max_flag_rate, floor)
    out = []
    for author, score, evidence in rows:
        index = campaign_of.get(author)
        campaign_id = None if index is None else f"campaign-{index + 1}"
        if campaign_id:
            flagged = campaign_id in flagged_campaigns
        else:
            flagged = score >= cut and author in cited_accounts
        evidence.sort(key=lambda e: -e.surprise)
        out.append(
            AccountScore(
                author,
                community.account_names.get(author, ""),
                score,
                flagged,
                campaign_id,
                tuple(evidence),
            )
        )
    return tuple(sorted(out, key=lambda a: (-a.score, a.account_id)))
