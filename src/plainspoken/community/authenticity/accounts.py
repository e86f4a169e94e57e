"""Account scores: an account's own signals plus the campaign edges it is part of.

Own signals: a first post made when the account was young (against the share of accounts that
did so), strong praise of named products (against the community's praise rate), and every post
naming the same product (against that product's share of posts). Accounts are flagged with
their campaign, or, outside campaigns, when their own score passes the operating point and a
flagged thread's evidence cites them.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from plainspoken.community.authenticity import surprise
from plainspoken.community.authenticity.campaigns import Groups
from plainspoken.community.authenticity.data import Community
from plainspoken.community.authenticity.pairs import Edge
from plainspoken.community.authenticity.reading import Stances
from plainspoken.community.authenticity.result import AccountScore, Evidence
from plainspoken.community.authenticity.signals import Replies

OperatingPoint = Callable[[Sequence[float], float, float], float]


def _linked(edges: Sequence[Edge], names: Sequence[str]) -> dict[int, list[Evidence]]:
    out: dict[int, list[Evidence]] = defaultdict(list)
    for edge in edges:
        posts = tuple(sorted({x for p in edge.evidence for x in p.post_ids}))
        detail = "; ".join(p.detail for p in edge.evidence)
        for me, other in ((edge.first, edge.second), (edge.second, edge.first)):
            out[me].append(
                Evidence(
                    "linked-account",
                    f"linked to account {names[other]}: {detail}",
                    edge.score,
                    post_ids=posts,
                    account_ids=(names[other],),
                )
            )
    return out


def account_scores(
    community: Community,
    flags: Replies,
    stances: Stances,
    found: Groups,
    flagged_campaigns: set[str],
    cited_accounts: set[str],
    young_seconds: float,
    max_flag_rate: float,
    family_alpha: float,
    operating_point: OperatingPoint,
) -> tuple[AccountScore, ...]:
    posts = community.posts
    names = community.accounts
    author = posts.author  # 32-bit codes, not copied: a big community has tens of millions
    size = max(1, len(names))
    counted = author >= 0
    post_count = np.bincount(author[counted], minlength=size)
    active = np.flatnonzero(post_count > 0)
    # Posts are in time order: an account's first post is its first row.
    rows = np.flatnonzero(counted)
    seen, first_row = np.unique(author[rows], return_index=True)
    first_of = np.full(size, -1, dtype=np.int64)
    first_of[seen] = rows[first_row]
    young_first = np.zeros(size, dtype=bool)
    young_first[active] = flags.young[first_of[active]] == 1
    p_young_first = float(young_first[active].sum()) / max(1, len(active))
    young_s = surprise.chance(p_young_first)

    praise = flags.praise
    p_praise = float(praise.mean()) if len(posts) else 0.0
    praising = np.bincount(author[counted & praise], minlength=size).astype(np.float64)
    praise_s = _binomial(praising, post_count.astype(np.float64), p_praise)

    # One product: every post names the same product.
    products = max(1, len(stances.products))
    one_of, mentions = _one_product(posts.author, post_count, stances, products)
    total_posts = max(1, len(posts))

    linked = _linked(found.edges, names)
    edge_sum = np.zeros(size, dtype=np.float64)
    for edge in found.edges:
        edge_sum[edge.first] += edge.score
        edge_sum[edge.second] += edge.score

    praise_rows: dict[int, list[int]] = defaultdict(list)
    wanted = praise_s >= 1.0  # by account
    for row in np.flatnonzero(praise & counted & wanted[np.maximum(author, 0)]):
        praise_rows[int(author[row])].append(int(row))
    rows_of: dict[int, list[int]] = defaultdict(list)
    # A table of the one-product accounts, not np.isin, whose sort would copy the whole
    # author column several times over.
    is_one = np.zeros(size, dtype=bool)
    is_one[np.fromiter(one_of, np.int64, len(one_of))] = True
    for row in np.flatnonzero(counted & is_one[np.maximum(author, 0)]):
        rows_of[int(author[row])].append(int(row))

    scores: list[tuple[int, float, list[Evidence]]] = []
    for account in map(int, active):
        evidence: list[Evidence] = []
        if young_first[account]:
            evidence.append(
                Evidence(
                    "young-first-post",
                    f"first post came less than {young_seconds / 3600:g} h after the account "
                    f"was created (community: {p_young_first * 100:.1f}% of accounts)",
                    young_s,
                    post_ids=(posts.id_of(int(first_of[account])),),
                    base_rate=p_young_first,
                )
            )
        if praising[account] and praise_s[account] >= 1.0:
            evidence.append(
                Evidence(
                    "praise",
                    f"{int(praising[account])} of {post_count[account]} posts strongly praise a "
                    f"named product (community: {p_praise * 100:.1f}%)",
                    float(praise_s[account]),
                    post_ids=posts.ids_of(praise_rows[account]),
                    base_rate=p_praise,
                )
            )
        if account in one_of:
            product = one_of[account]
            k = int(post_count[account])
            p = mentions[product] / total_posts
            s = surprise.binomial(k, k, p)
            if s >= 1.0:
                evidence.append(
                    Evidence(
                        "one-product",
                        f"all {k} posts name {stances.products[product]} "
                        f"(community: {p * 100:.1f}% of posts)",
                        s,
                        post_ids=posts.ids_of(rows_of[account]),
                        base_rate=p,
                    )
                )
        score = sum(e.surprise for e in evidence) + min(float(edge_sum[account]), 3 * surprise.CAP)
        scores.append((account, score, evidence + sorted(linked.get(account, []),
                                                          key=lambda e: -e.surprise)))  # fmt: skip
    floor = math.log10(max(len(scores), 1)) + math.log10(1 / family_alpha)
    outside = [score for account, score, _ in scores if account not in found.of]
    cut = operating_point(outside, max_flag_rate, floor)
    out = []
    for account, score, evidence in scores:
        index = found.of.get(account)
        campaign_id = None if index is None else found.name(index)
        if campaign_id:
            flagged = campaign_id in flagged_campaigns
        else:
            flagged = bool(score >= cut) and names[account] in cited_accounts
        evidence.sort(key=lambda e: -e.surprise)
        out.append(
            AccountScore(
                names[account],
                community.account_names[account],
                score,
                flagged,
                campaign_id,
                tuple(evidence),
            )
        )
    return tuple(sorted(out, key=lambda a: (-a.score, a.account_id)))


def _one_product(
    author: npt.NDArray[np.int32],
    post_count: npt.NDArray[np.int64],
    stances: Stances,
    products: int,
) -> tuple[dict[int, int], npt.NDArray[np.float64]]:
    """Accounts with two or more posts that all name one product (the first such product in
    name order), and how many posts name each product.

    A big community has several stance rows per post, so this works on 32-bit columns and one
    64-bit key per row, sorted in place, rather than on copies of every row."""
    # Stance rows are sorted by post, then product: the distinct (post, product) pairs are the
    # rows that differ from the one before.
    fresh = np.ones(len(stances.post), dtype=bool)
    fresh[1:] = (stances.post[1:] != stances.post[:-1]) | (
        stances.product[1:] != stances.product[:-1]
    )
    named_product = stances.product[fresh]
    mentions = np.bincount(named_product, minlength=products).astype(np.float64)
    owner = author[stances.post[fresh]]
    del fresh
    keep = owner >= 0
    key = owner[keep].astype(np.int64) * products + named_product[keep]
    del owner, named_product, keep
    key.sort()
    if len(key) == 0:
        return {}, mentions
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    counts = np.diff(np.r_[starts, len(key)])
    values = key[starts]
    del key
    one_account, one_product = values // products, values % products
    complete = (counts == post_count[one_account]) & (post_count[one_account] >= 2)
    one_of: dict[int, int] = {}
    for account, product in zip(one_account[complete], one_product[complete], strict=True):
        one_of.setdefault(int(account), int(product))  # the first name in name order
    return one_of, mentions


def _binomial(
    k: npt.NDArray[np.float64], n: npt.NDArray[np.float64], p: float
) -> npt.NDArray[np.float64]:
    return surprise.binomial_many(k, n, np.full(len(k), p))
