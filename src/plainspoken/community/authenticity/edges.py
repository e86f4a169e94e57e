"""Edges between accounts: the pairs whose evidence beat the bound (``pairs.score``), made
objects with that evidence in words, and the posts behind it (the near-duplicate posts, the
posts voted for or accepted) found among the community's rows a range at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from plainspoken.community.arrays import places_in
from plainspoken.community.authenticity.data import Community
from plainspoken.community.authenticity.duplicates import Duplicates
from plainspoken.community.authenticity.pairs import Ints, duplicate_keys, score, vote_keys
from plainspoken.community.authenticity.reading import Stances
from plainspoken.community.authenticity.result import Evidence
from plainspoken.community.memory import give_back

_ROW_RANGE = 1_000_000  # vote or near-duplicate rows whose keys are made at a time


@dataclass(frozen=True)
class Edge:
    """Two linked accounts (codes, ``first < second``) and the evidence between them."""

    first: int
    second: int
    score: float
    evidence: tuple[Evidence, ...]


def _rows_among(
    wanted: Ints, count: int, keys_of: Callable[[slice], tuple[npt.NDArray[np.bool_], Ints]]
) -> tuple[Ints, Ints]:
    """The rows (of ``count``) whose account key is among the sorted ``wanted`` keys, and
    those keys, ``_ROW_RANGE`` rows at a time: ``keys_of(part)`` gives which rows of the
    part have a key and their keys. A big community has tens of millions of votes, and
    testing all their keys at once held several copies of them."""
    rows: list[Ints] = []
    found: list[Ints] = []
    for lo in range(0, count, _ROW_RANGE):
        has_key, keys = keys_of(slice(lo, lo + _ROW_RANGE))
        _, hit = places_in(wanted, keys)
        rows.append(lo + np.flatnonzero(has_key)[hit])
        found.append(keys[hit])
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(rows), np.concatenate(found)


def edges(
    community: Community,
    stances: Stances,
    duplicates: Duplicates,
    family_alpha: float,
) -> tuple[list[Edge], float]:
    """The edges between accounts, and the Bonferroni floor their scores had to reach."""
    scored = score(community, stances, duplicates, family_alpha)
    give_back()  # what the scoring held
    figures = scored.figures
    if not figures or not len(figures["keys"]):
        return [], scored.floor
    posts = community.posts
    size = max(1, len(community.accounts))
    author = posts.author
    keys, a, b, total = figures["keys"], figures["a"], figures["b"], figures["total"]
    shared, co_expected, co_s = figures["shared"], figures["co_expected"], figures["co_s"]
    wording_n, wording_s = figures["wording_n"], figures["wording_s"]
    votes_n, votes_expected = figures["votes_n"], figures["votes_expected"]
    votes_s = figures["votes_s"]
    has_domain, rarest_domain = figures["has_domain"], figures["rarest_domain"]
    domain_s = figures["domain_s"]
    has_praise, rarest_product = figures["has_praise"], figures["rarest_product"]
    praise_s = figures["praise_s"]
    has_attack, rarest_attacked = figures["has_attack"], figures["rarest_attacked"]
    attack_s = figures["attack_s"]

    # Evidence for the edges only: which posts are near-duplicates and which carry votes (the
    # keys made again, a range at a time, and looked up among the edges' sorted keys).
    dup_rows, dup_keys = _rows_among(
        keys,
        len(duplicates),
        lambda part: duplicate_keys(author, duplicates.first[part], duplicates.second[part], size),
    )
    dup_by_key: dict[int, list[int]] = {}
    for row, key in zip(dup_rows.tolist(), dup_keys.tolist(), strict=True):
        dup_by_key.setdefault(key, []).append(row)
    votes = community.votes
    voted_rows, voted_keys = _rows_among(
        keys, len(votes), lambda part: vote_keys(votes.actor[part], votes.target[part], size)
    )
    vote_posts: dict[int, set[str]] = {}
    for row, key in zip(voted_rows.tolist(), voted_keys.tolist(), strict=True):
        vote_posts.setdefault(key, set()).add(str(votes.post_ids[row].as_py()))

    names = community.accounts
    links = community.links
    out: list[Edge] = []
    for i in range(len(keys)):
        x, y = int(a[i]), int(b[i])
        pair = (names[x], names[y])
        evidence: list[Evidence] = []
        if co_s[i] > 0:
            evidence.append(
                Evidence(
                    "co-appearance",
                    f"posted in {shared[i]} of the same threads "
                    f"({co_expected[i]:.2g} expected from their activity)",
                    float(co_s[i]),
                    account_ids=pair,
                )
            )
        if wording_n[i]:
            rows = dup_by_key[int(keys[i])]
            firsts, seconds = duplicates.first[rows], duplicates.second[rows]
            evidence.append(
                Evidence(
                    "similar-wording",
                    f"{wording_n[i]} pair(s) of near-identical posts "
                    f"(word-pair similarity up to {duplicates.similarity[rows].max():.2f})",
                    float(wording_s[i]),
                    post_ids=tuple(sorted(set(posts.ids_of(np.r_[firsts, seconds])))),
                    account_ids=pair,
                )
            )
        if votes_n[i]:
            evidence.append(
                Evidence(
                    "mutual-votes",
                    f"{votes_n[i]} up-vote(s) or accept(s) between them "
                    f"({votes_expected[i]:.2g} expected)",
                    float(votes_s[i]),
                    post_ids=tuple(sorted(vote_posts[int(keys[i])])),
                    account_ids=pair,
                )
            )
        if has_domain[i]:
            domain = int(rarest_domain[i])
            evidence.append(
                Evidence(
                    "shared-domain",
                    f"both link {links.domains[domain]}, which {scored.domain_authors[domain]} "
                    "accounts link in all",
                    float(domain_s[i]),
                    account_ids=pair,
                )
            )
        if has_praise[i]:
            product = int(rarest_product[i])
            evidence.append(
                Evidence(
                    "same-product-praise",
                    f"both praise {stances.products[product]}, which {scored.praisers[product]} "
                    "accounts praise in all",
                    float(praise_s[i]),
                    account_ids=pair,
                )
            )
        if has_attack[i]:
            product = int(rarest_attacked[i])
            evidence.append(
                Evidence(
                    "same-competitor-attack",
                    f"both run down {stances.products[product]} in posts praising another "
                    f"product, which {scored.attackers[product]} accounts do in all",
                    float(attack_s[i]),
                    account_ids=pair,
                )
            )
        out.append(Edge(x, y, float(total[i]), tuple(evidence)))
    return out, scored.floor
