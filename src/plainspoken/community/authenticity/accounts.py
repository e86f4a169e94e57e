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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from plainspoken.community.arrays import Grouped, distinct, places_in
from plainspoken.community.authenticity import surprise
from plainspoken.community.authenticity.campaigns import Groups
from plainspoken.community.authenticity.data import Community, ids_of
from plainspoken.community.authenticity.edges import Edge
from plainspoken.community.authenticity.reading import Stances
from plainspoken.community.authenticity.result import AccountTable, Evidence
from plainspoken.community.authenticity.signals import Replies

_POST_RANGE = 1_000_000  # posts looked at a time when counting by account
_STANCE_RANGE = 2_000_000  # stance rows looked at a time for one-product accounts

OperatingPoint = Callable[[Sequence[float] | npt.NDArray[np.float64], float, float], float]


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


class _Evidence:
    """An account's evidence, made when the report asks for it: a big community has millions
    of accounts, and a list of evidence objects for each would be the analysis's largest
    holding."""

    def __init__(
        self,
        community: Community,
        young_first: npt.NDArray[np.bool_],
        first_of: npt.NDArray[np.int32],
        rates: tuple[float, float, float],
        praise: tuple[dict[int, tuple[int, int, float]], Grouped],
        one_product: tuple[dict[int, tuple[str, int, float, float]], Grouped],
        linked: dict[int, list[Evidence]],
        young_seconds: float,
    ) -> None:
        """``first_of``: each account's first post's number; ``praise``: for the accounts
        whose praise stands out, (posts praising, posts, surprise), and their praising
        posts; ``one_product``: for one-product accounts, (product, posts, rate, surprise),
        and their posts."""
        # Only the post ids: the report is written while this is held, and the other post
        # columns (tens of millions of rows each) can go once the scores are made.
        self.ids = community.posts.ids
        self.young_first, self.first_of = young_first, first_of
        self.p_young_first, self.young_s, self.p_praise = rates
        self.praise_of, self.praise_rows = praise
        self.one_of, self.one_rows = one_product
        self.linked = linked
        self.young_seconds = young_seconds

    def __call__(self, account: int) -> tuple[Evidence, ...]:
        evidence: list[Evidence] = []
        if self.young_first[account]:
            evidence.append(
                Evidence(
                    "young-first-post",
                    f"first post came less than {self.young_seconds / 3600:g} h after the "
                    f"account was created (community: {self.p_young_first * 100:.1f}% of "
                    "accounts)",
                    self.young_s,
                    post_ids=ids_of(self.ids, [int(self.first_of[account])]),
                    base_rate=self.p_young_first,
                )
            )
        if account in self.praise_of:
            praising, posts, praise_s = self.praise_of[account]
            evidence.append(
                Evidence(
                    "praise",
                    f"{praising} of {posts} posts strongly praise a named product "
                    f"(community: {self.p_praise * 100:.1f}%)",
                    praise_s,
                    post_ids=ids_of(self.ids, self.praise_rows.of(account)),
                    base_rate=self.p_praise,
                )
            )
        if account in self.one_of:
            product, k, p, s = self.one_of[account]
            evidence.append(
                Evidence(
                    "one-product",
                    f"all {k} posts name {product} (community: {p * 100:.1f}% of posts)",
                    s,
                    post_ids=ids_of(self.ids, self.one_rows.of(account)),
                    base_rate=p,
                )
            )
        evidence += sorted(self.linked.get(account, []), key=lambda e: -e.surprise)
        evidence.sort(key=lambda e: -e.surprise)
        return tuple(evidence)


@dataclass(frozen=True)
class OneProduct:
    """Accounts with two or more posts that all name one product (account code to product
    code), how many posts name each product, and the product names. Found while every
    stance row is at hand; the rest of the analysis keeps only the rows with a tone."""

    of: dict[int, int]
    mentions: npt.NDArray[np.float64]
    products: list[str]


def one_product_accounts(community: Community, stances: Stances) -> OneProduct:
    """``OneProduct`` from every stance row (several per post on a big community, read a
    range at a time)."""
    author = community.posts.author
    post_count, first_of = _counts_and_firsts(author, max(1, len(community.accounts)))
    products = max(1, len(stances.products))
    one_of, mentions = _one_product(author, post_count, first_of, stances, products)
    return OneProduct(one_of, mentions, stances.products)


def account_scores(
    community: Community,
    flags: Replies,
    one: OneProduct,
    found: Groups,
    flagged_campaigns: set[str],
    cited_accounts: set[str],
    young_seconds: float,
    max_flag_rate: float,
    family_alpha: float,
    operating_point: OperatingPoint,
) -> AccountTable:
    """Every posting account's score, best first (ties by account id), as a table whose
    evidence is made when asked for."""
    posts = community.posts
    names = community.accounts
    author = posts.author  # 32-bit codes, not copied: a big community has tens of millions
    size = max(1, len(names))
    counted = author >= 0
    post_count, first_of = _counts_and_firsts(author, size)
    active = np.flatnonzero(post_count > 0)
    young_first = np.zeros(size, dtype=bool)
    young_first[active] = flags.young[first_of[active]] == 1
    p_young_first = float(young_first[active].sum()) / max(1, len(active))
    young_s = surprise.chance(p_young_first)

    praise = flags.praise
    p_praise = float(praise.mean()) if len(posts) else 0.0
    praising = np.bincount(author[counted & praise], minlength=size).astype(np.float64)
    praise_s = _binomial(praising, post_count.astype(np.float64), p_praise)
    praise_on = (praising > 0) & (praise_s >= 1.0)
    # Indexing with the codes as they are: -1 (no author) reads the last account's value,
    # which ``counted`` masks; clipping them first would copy the whole column.
    praising_row = praise & counted & praise_on[author]
    praise_rows = _grouped(np.flatnonzero(praising_row), author)
    del praising_row

    # One product: every post names the same product.
    one_of, mentions = one.of, one.mentions
    total_posts = max(1, len(posts))
    one_s = np.zeros(size, dtype=np.float64)
    one_shown: dict[int, tuple[str, int, float, float]] = {}
    for account, product in one_of.items():
        k = int(post_count[account])
        p = mentions[product] / total_posts
        s = surprise.binomial(k, k, p)
        if s >= 1.0:
            one_s[account] = s
            one_shown[account] = (one.products[product], k, p, s)
    # A table of the one-product accounts, not np.isin, whose sort would copy the whole
    # author column several times over.
    is_one = np.zeros(size, dtype=bool)
    is_one[np.fromiter(one_shown, np.int64, len(one_shown))] = True
    one_rows = _grouped(np.flatnonzero(counted & is_one[author]), author)  # -1 masked
    del counted, is_one

    edge_sum = np.zeros(size, dtype=np.float64)
    for edge in found.edges:
        edge_sum[edge.first] += edge.score
        edge_sum[edge.second] += edge.score

    # The own evidence's surprises in the order the evidence lists them (young first post,
    # praise, one product), then the campaign edges, capped: a sum per account without
    # making the evidence (adding 0.0 where a piece is missing leaves the sum as it was).
    score = np.zeros(size, dtype=np.float64)
    score += np.where(young_first, young_s, 0.0)
    score += np.where(praise_on, praise_s, 0.0)
    score += one_s
    score += np.minimum(edge_sum, 3 * surprise.CAP)
    del one_s, edge_sum

    floor = math.log10(max(len(active), 1)) + math.log10(1 / family_alpha)
    in_campaign = np.zeros(size, dtype=bool)
    in_campaign[np.fromiter(found.of, np.int64, len(found.of))] = True
    cut = operating_point(score[active[~in_campaign[active]]], max_flag_rate, floor)
    flagged = np.zeros(size, dtype=bool)
    campaign_of = {code: found.name(index) for code, index in found.of.items()}
    for code, campaign_id in campaign_of.items():
        flagged[code] = campaign_id in flagged_campaigns
    # Outside campaigns: past the operating point and cited by a flagged thread's evidence.
    passing = active[~in_campaign[active] & (score[active] >= cut)]
    for code in map(int, passing):
        flagged[code] = names[code] in cited_accounts
    # Best first; ties by account id (account codes are in id order).
    ranked = active[np.lexsort((active, -score[active]))].astype(np.int64)
    # The evidence keeps per account only what it shows (a big community has millions).
    praise_shown = {
        code: (int(praising[code]), int(post_count[code]), float(praise_s[code]))
        for code in map(int, np.flatnonzero(praise_on))
    }
    del praising, praise_s, praise_on, post_count
    evidence = _Evidence(
        community,
        young_first,
        first_of.astype(np.int32 if len(posts) < 2**31 else np.int64),
        (p_young_first, young_s, p_praise),
        (praise_shown, praise_rows),
        (one_shown, one_rows),
        _linked(found.edges, names),
        young_seconds,
    )
    return AccountTable(
        names,
        community.account_names,
        ranked,
        score[ranked],
        flagged[ranked],
        campaign_of,
        evidence,
    )


def _counts_and_firsts(
    author: npt.NDArray[np.int32], size: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Each account's number of posts and the row of its first post (-1 for none), a range
    of posts at a time: the author column of a big community is tens of millions of rows,
    and sorting all of it at once to find first rows took several copies of it."""
    post_count = np.zeros(size, dtype=np.int64)
    first_of = np.full(size, -1, dtype=np.int64)
    for lo in range(0, len(author), _POST_RANGE):
        part = author[lo : lo + _POST_RANGE]
        # Posts are in time order: an account's first post is its first row, so the first
        # range where it appears holds it, at the first place there.
        seen, at, count = np.unique(part, return_index=True, return_counts=True)
        known = seen >= 0
        seen, at, count = seen[known], at[known], count[known]
        post_count[seen] += count
        new = first_of[seen] < 0
        first_of[seen[new]] = lo + at[new]
    return post_count, first_of


def _grouped(rows: npt.NDArray[np.int64], author: npt.NDArray[np.int32]) -> Grouped:
    """Some posts' rows grouped by author (in time order within an account)."""
    return Grouped(rows, author[rows])


def _one_product(
    author: npt.NDArray[np.int32],
    post_count: npt.NDArray[np.int64],
    first_of: npt.NDArray[np.int64],
    stances: Stances,
    products: int,
) -> tuple[dict[int, int], npt.NDArray[np.float64]]:
    """Accounts with two or more posts that all name one product (the first such product in
    name order), and how many posts name each product.

    A product every post of an account names is named in its first post, so the candidates
    are the (account, product) pairs of first posts: a few per account. The stance rows (a
    big community has several per post) are then read a range at a time and only the
    candidates are counted, so nothing post-sized is made."""
    mentions = np.zeros(products, dtype=np.int64)
    found: list[npt.NDArray[np.int64]] = []
    for post, product, owner in _owned_rows(author, post_count, stances):
        mentions += np.bincount(product, minlength=products)
        first = owner >= 0
        first[first] = first_of[owner[first]] == post[first]
        found.append(owner[first].astype(np.int64) * products + product[first])
    candidate = distinct(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)
    del found
    if len(candidate) == 0:
        return {}, mentions.astype(np.float64)
    counts = np.zeros(len(candidate), dtype=np.int64)
    for _, product, owner in _owned_rows(author, post_count, stances):
        known = owner >= 0
        key = owner[known].astype(np.int64) * products + product[known]
        place, hit = places_in(candidate, key)
        counts += np.bincount(place[hit], minlength=len(candidate))
    one_account, one_product = candidate // products, candidate % products
    complete = counts == post_count[one_account]
    one_of: dict[int, int] = {}
    for account, product in zip(one_account[complete], one_product[complete], strict=True):
        one_of.setdefault(int(account), int(product))  # the first name in name order
    return one_of, mentions.astype(np.float64)


def _owned_rows(
    author: npt.NDArray[np.int32], post_count: npt.NDArray[np.int64], stances: Stances
) -> Iterator[tuple[npt.NDArray[np.int32], npt.NDArray[np.int32], npt.NDArray[np.int32]]]:
    """The distinct (post, product) stance rows ``_STANCE_RANGE`` at a time, with each post's
    owner: its author, or -1 where there is none or the author has fewer than two posts."""
    post, product = stances.post, stances.product
    for lo in range(0, len(post), _STANCE_RANGE):
        hi = min(lo + _STANCE_RANGE, len(post))
        # Rows are sorted by post, then product: a repeat equals the row before it, which
        # for a range's first row is the last row of the range before.
        at_post, at_product = post[lo:hi], product[lo:hi]
        fresh = np.ones(hi - lo, dtype=bool)
        fresh[1:] = (at_post[1:] != at_post[:-1]) | (at_product[1:] != at_product[:-1])
        if lo > 0:
            fresh[0] = (post[lo] != post[lo - 1]) | (product[lo] != product[lo - 1])
        part_post, part_product = at_post[fresh], at_product[fresh]
        owner = author[part_post]
        owned = owner >= 0
        owned[owned] = post_count[owner[owned]] >= 2
        yield part_post, part_product, np.where(owned, owner, -1).astype(np.int32)


def _binomial(
    k: npt.NDArray[np.float64], n: npt.NDArray[np.float64], p: float
) -> npt.NDArray[np.float64]:
    return surprise.binomial_many(k, n, np.full(len(k), p))
