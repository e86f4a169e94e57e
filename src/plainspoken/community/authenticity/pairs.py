"""Pairs of accounts linked by evidence that is rare between two random accounts.

Candidates are pairs that replied in at least two of the same threads (dated posts, counted
on the accounts-by-threads matrix: ``membership.co_appearances``), wrote near-duplicate
posts, voted for or accepted each other, or both link a rare domain. Each kind of evidence
is judged against what the two accounts' own activity predicts:

- co-appearance: threads both replied in (a thread's asker meets its answerers by
  construction, so askers do not count) against activity x activity x sum(size^2) /
  sum(size)^2 over thread sizes (busy threads gather many accounts);
- similar wording: near-duplicate pairs against posts x posts x the community's duplicate rate;
- mutual votes: votes between them against votes cast x votes received / all votes;
- shared domain: the rarest rare domain both link, by each one's number of links;
- same-product praise: the rarest product both praise, by each one's number of praises;
- same-competitor attack: the rarest product both attack in posts where they praise another
  (praise of one product and attacks on a competitor), by each one's number of such attacks.

A pair whose summed surprise beats the number of pairs that could have been tested (a
Bonferroni bound at ``family_alpha``), with at least two kinds of evidence, is an edge. Each
other kind has an ordinary cause on its own (two experts answer the same threads, a popular
domain or product, regulars voting for each other); near-duplicate wording does not, so it
makes an edge alone when it beats the bound by itself and is repeated (two or more pairs of
posts). All of it is computed on arrays of account codes, a block of pairs at a time; what
the edges cite is kept as arrays (``Scored``), and ``edges.edges`` makes them objects.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.special import gammainc

from plainspoken.community.arrays import distinct, merge_distinct, places_in
from plainspoken.community.authenticity import surprise
from plainspoken.community.authenticity.data import Community
from plainspoken.community.authenticity.duplicates import Duplicates
from plainspoken.community.authenticity.membership import co_appearances, common, membership
from plainspoken.community.authenticity.reading import Stances
from plainspoken.community.memory import give_back

RARE_DOMAIN_AUTHORS = 50  # domains linked by more accounts than this are common references
_PAIR_BLOCK = 250_000  # candidate pairs scored at a time (a few dozen numbers each)
_POST_RANGE = 1_000_000  # posts read at a time for their reply places

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]


def poisson_many(k: Floats, expected: Floats) -> Floats:
    """``surprise.poisson`` for arrays."""
    k = np.asarray(k, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    out = np.zeros(len(k), dtype=np.float64)
    some = k > 0
    out[some & (expected <= 0)] = surprise.CAP
    live = some & (expected > 0)
    if live.any():
        with np.errstate(divide="ignore"):
            out[live] = np.clip(-np.log10(gammainc(k[live], expected[live])), 0.0, surprise.CAP)
    return out


def chance_many(p: Floats) -> Floats:
    """``surprise.chance`` for arrays."""
    p = np.asarray(p, dtype=np.float64)
    out = np.full(len(p), surprise.CAP)
    positive = p > 0
    with np.errstate(divide="ignore"):
        out[positive] = np.clip(-np.log10(p[positive]), 0.0, surprise.CAP)
    return out


def _lookup(values: Ints, counts: Ints, keys: Ints) -> Ints:
    """Each key's count where it is among the sorted ``values``, else 0."""
    out = np.zeros(len(keys), dtype=np.int64)
    place, found = places_in(values, keys)
    out[found] = counts[place[found]]
    return out


class _StanceKind:
    """Who takes one kind of stance (praise, attack) toward which product: the stance rows
    picked by ``rows``, counted by product and by account."""

    def __init__(
        self, community: Community, stances: Stances, rows: npt.NDArray[np.bool_], size: int
    ) -> None:
        products = max(1, len(stances.products))
        who = community.posts.author[stances.post[rows]].astype(np.int64)
        product = stances.product[rows][who >= 0]
        who = who[who >= 0]
        self.count = np.bincount(product, minlength=products).astype(np.float64)
        self.by = _tally(who, size)
        self.total = max(1.0, float(self.count.sum()))
        pairs = distinct(who * products + product)
        self.accounts = np.bincount(pairs % products, minlength=products)
        self.matrix = membership(pairs, (size, products))
        # The rarest product first (fewest rows), then by name (product codes are in order).
        self.rank = (self.count * products).astype(np.int64) + np.arange(products)

    def shared(self, a: Ints, b: Ints) -> tuple[npt.NDArray[np.bool_], Ints, Floats]:
        """For each pair: whether both take this stance toward some product, the rarest such
        product, and the surprise of that (by each one's number of such rows)."""
        n, rarest = common(self.matrix, a, b, self.rank)
        share = self.count[np.maximum(rarest, 0)] / self.total
        p = np.minimum(1.0, self.by[a] * share) * np.minimum(1.0, self.by[b] * share)
        return n > 0, rarest, np.where(n > 0, chance_many(p), 0.0)


def duplicate_keys(
    author: npt.NDArray[np.int32], first: Ints, second: Ints, size: int
) -> tuple[npt.NDArray[np.bool_], Ints]:
    """Which near-duplicate pairs (posts ``first[i]``, ``second[i]``) join two different known
    accounts, and those pairs' account keys (``first * size + second``, ``first < second``)
    in the pairs' order."""
    dup_a = author[first].astype(np.int64)
    dup_b = author[second].astype(np.int64)
    usable = (dup_a >= 0) & (dup_b >= 0) & (dup_a != dup_b)
    keys = np.minimum(dup_a, dup_b)[usable] * size + np.maximum(dup_a, dup_b)[usable]
    return usable, keys


def vote_keys(
    actor: npt.NDArray[Any], target: npt.NDArray[Any], size: int
) -> tuple[npt.NDArray[np.bool_], Ints]:
    """Which votes join two different known accounts, and those votes' account keys."""
    ok = (actor >= 0) & (target >= 0) & (actor != target)
    va, vb = actor[ok].astype(np.int64), target[ok].astype(np.int64)
    return ok, np.minimum(va, vb) * size + np.maximum(va, vb)


def _tally(values: npt.NDArray[Any], size: int) -> npt.NDArray[np.int32]:
    """How often each of ``size`` codes occurs, in 32 bits: per-account counts of a big
    community are millions of numbers, and the pair scoring makes them float a block at a
    time (exactly: they are whole numbers far below 2**53)."""
    return np.bincount(values, minlength=size).astype(np.int32)


def _group(keys: Ints) -> tuple[Ints, Ints]:
    """Distinct keys and how often each occurs."""
    values, counts = np.unique(keys, return_counts=True)
    return values, counts.astype(np.int64)


def _reply_places(community: Community, threads: int) -> Ints:
    """Sorted distinct ``account * threads + thread`` of every reply, a range of posts at a
    time. Co-appearance is replying in the same threads: an asker and the people who answer
    them meet by construction, so a thread's opening author does not count in it."""
    posts = community.posts
    asker_of = community.threads.author
    parts: list[Ints] = []
    for lo in range(0, len(posts), _POST_RANGE):
        part = slice(lo, lo + _POST_RANGE)
        author, thread = posts.author[part], posts.thread[part]
        seen = (author >= 0) & (thread >= 0) & ~posts.question[part]
        author, thread = author[seen].astype(np.int64), thread[seen].astype(np.int64)
        own = author != asker_of[thread]
        parts.append(distinct(author[own] * threads + thread[own]))
    return merge_distinct(*parts)


@dataclass(frozen=True)
class Scored:
    """The edges' figures (one array per figure, one entry per edge, by ascending key), the
    Bonferroni floor, and the per-domain and per-product counts their evidence cites."""

    figures: dict[str, npt.NDArray[Any]]
    floor: float
    domain_authors: Ints
    praisers: Ints
    attackers: Ints


def score(
    community: Community, stances: Stances, duplicates: Duplicates, family_alpha: float
) -> Scored:
    """Every candidate pair scored, a block at a time; the figures of the edges kept. What the
    scoring holds (the accounts-by-threads matrix, the candidates, per-account counts) is let
    go when this returns, before the edges' evidence is gathered."""
    posts = community.posts
    size = max(1, len(community.accounts))
    threads = max(1, len(community.threads.ids))
    author = posts.author  # codes per post (32-bit)
    post_count = _tally(author[author >= 0], size)
    replied = membership(_reply_places(community, threads), (size, threads))
    give_back()  # the reply places' passing arrays
    in_threads = np.asarray(replied.sum(axis=1)).ravel().astype(np.int32)
    sizes = np.bincount(replied.indices, minlength=threads).astype(np.float64)
    meet = float((sizes**2).sum()) / max(1.0, float(sizes.sum())) ** 2
    del sizes
    accounts = int((post_count > 0).sum())
    all_pairs = accounts * (accounts - 1) / 2
    floor = math.log10(max(all_pairs, 1.0)) + math.log10(1 / family_alpha)
    total_posts = max(1, int(post_count.sum()))
    dup_rate = len(duplicates) / max(1.0, total_posts * (total_posts - 1) / 2)
    votes = community.votes
    cast = _tally(votes.actor[votes.actor >= 0], size)
    received = _tally(votes.target[votes.target >= 0], size)
    total_votes = max(1, len(votes))
    links = community.links
    domains = max(1, len(links.domains))
    linked = distinct(links.author.astype(np.int64) * domains + links.domain)
    domain_authors = np.bincount(linked % domains, minlength=domains)
    domain_links = np.bincount(links.domain, minlength=domains).astype(np.float64)
    links_by = _tally(links.author, size)
    total_links = max(1, len(links))
    rare = (domain_authors >= 2) & (domain_authors <= RARE_DOMAIN_AUTHORS)
    rare_rows = linked[rare[linked % domains]]
    del linked  # (an account and domain per distinct link)
    rare_matrix = membership(rare_rows, (size, domains))
    strong = stances.praised
    praised = _StanceKind(community, stances, strong, size)
    # Attacks on one product in posts that praise another.
    praising = np.zeros(len(posts), dtype=bool)
    praising[stances.post[strong]] = True
    attacked = _StanceKind(community, stances, stances.attacked & praising[stances.post], size)
    del praising

    # Candidate pairs: key = first * size + second with first < second.
    co_keys, co_counts = co_appearances(replied)
    give_back()  # the matrix products' passing blocks
    # Each kind of candidate is grouped (distinct keys and their counts) as soon as it is
    # made, and what made it let go: the pair scoring below holds only the groups.
    dup_values, dup_counts = _group(
        duplicate_keys(author, duplicates.first, duplicates.second, size)[1]
    )
    vote_values, vote_counts = _group(vote_keys(votes.actor, votes.target, size)[1])
    domain_keys: list[Ints] = []
    rare_sorted = np.sort(rare_rows)
    del rare_rows
    by_domain = rare_sorted % domains
    for d in np.flatnonzero(rare):
        writers = np.sort(rare_sorted[by_domain == d] // domains)
        upper, lower = np.triu_indices(len(writers), k=1)
        domain_keys.append(writers[upper] * size + writers[lower])
    del rare_sorted, by_domain
    # Sorted in place: every candidate key of a big community is tens of millions of numbers,
    # and a sorted copy (and a 64-bit copy of what already is 64-bit) would hold them twice.
    every = np.concatenate([co_keys, dup_values, vote_values, *domain_keys]).astype(
        np.int64, copy=False
    )
    del domain_keys
    keys = distinct(every, overwrite=True)
    del every
    domain_rank = (domain_links * domains).astype(np.int64) + np.arange(domains)
    no_rank = np.zeros(threads, np.int64)

    # The candidate pairs are scored a block at a time (a big community has millions, and a
    # score takes a few dozen numbers per pair); only the edges' figures are kept. Counts
    # per account are 32-bit and made float per block (whole numbers: exactly).
    kept: dict[str, list[npt.NDArray[Any]]] = {}
    for lo in range(0, len(keys), _PAIR_BLOCK):
        block = keys[lo : lo + _PAIR_BLOCK]
        a, b = block // size, block % size
        shared = _lookup(co_keys, co_counts, block)
        unknown = np.flatnonzero(shared == 0)
        shared[unknown], _ = common(replied, a[unknown], b[unknown], no_rank)
        co_expected = in_threads[a].astype(np.float64) * in_threads[b] * meet
        co_s = poisson_many(shared.astype(np.float64), co_expected)
        co_s[co_s <= 0.5] = 0.0

        wording_n = _lookup(dup_values, dup_counts, block)
        wording_expected = post_count[a].astype(np.float64) * post_count[b] * dup_rate
        wording_s = np.where(
            wording_n > 0, poisson_many(wording_n.astype(np.float64), wording_expected), 0.0
        )

        votes_n = _lookup(vote_values, vote_counts, block)
        cast_a, cast_b = cast[a].astype(np.float64), cast[b].astype(np.float64)
        votes_expected = (cast_a * received[b] + cast_b * received[a]) / total_votes
        votes_s = np.where(
            votes_n > 0, poisson_many(votes_n.astype(np.float64), votes_expected), 0.0
        )

        # The rarest shared domain: fewest links, then name (domain codes are in name order).
        domain_n, rarest_domain = common(rare_matrix, a, b, domain_rank)
        has_domain = domain_n > 0
        share = domain_links[np.maximum(rarest_domain, 0)] / total_links
        p = np.minimum(1.0, links_by[a] * share) * np.minimum(1.0, links_by[b] * share)
        domain_s = np.where(has_domain, chance_many(p), 0.0)

        has_praise, rarest_product, praise_s = praised.shared(a, b)
        has_attack, rarest_attacked, attack_s = attacked.shared(a, b)

        parts = (
            (co_s > 0).astype(np.int64)
            + (wording_n > 0)
            + (votes_n > 0)
            + has_domain.astype(np.int64)
            + has_praise.astype(np.int64)
            + has_attack.astype(np.int64)
        )
        total = co_s + wording_s + votes_s + domain_s + praise_s + attack_s
        # Near-duplicate wording is the one kind that is coordination on its own (one author
        # or one script behind both accounts): repeated (two or more pairs of posts) and
        # beyond the bound, it links two accounts without a second kind.
        edge = (total >= floor) & ((parts >= 2) | ((wording_s >= floor) & (wording_n >= 2)))
        for name, values in (
            ("keys", block), ("a", a), ("b", b), ("total", total),
            ("shared", shared), ("co_expected", co_expected), ("co_s", co_s),
            ("wording_n", wording_n), ("wording_s", wording_s),
            ("votes_n", votes_n), ("votes_expected", votes_expected), ("votes_s", votes_s),
            ("has_domain", has_domain), ("rarest_domain", rarest_domain), ("domain_s", domain_s),
            ("has_praise", has_praise), ("rarest_product", rarest_product), ("praise_s", praise_s),
            ("has_attack", has_attack), ("rarest_attacked", rarest_attacked),
            ("attack_s", attack_s),
        ):  # fmt: skip
            kept.setdefault(name, []).append(values[edge])
    figures = {name: np.concatenate(parts) for name, parts in kept.items()}
    return Scored(figures, floor, domain_authors, praised.accounts, attacked.accounts)
