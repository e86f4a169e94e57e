"""Near-duplicate posts from their MinHash signatures (``wording.py``), through LSH bands.

Posts whose signatures agree on every row of some band share that band's bucket and are
candidates; candidates by different accounts whose estimated similarity (the share of equal
signature values) reaches ``Wording.threshold`` are near-duplicates. Groups of near-duplicates
written by more than ``Wording.boilerplate_authors`` accounts are community boilerplate, not
coordination, and are dropped.

The search reads the signatures one band at a time, and the rows it compares by number
(``signature_file.SignatureSource``), so they can stay on disk: what it holds at once is one
band's keys and order (``buckets.py``), one band's new candidate pairs and a bit per row and
band. Near-duplicates share many bands, so a pair met again in a later band is not compared
again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from plainspoken.community.arrays import distinct
from plainspoken.community.authenticity.buckets import (
    Offered,
    candidates,
    keys_of_band,
    sorted_parts,
)
from plainspoken.community.authenticity.signature_file import SignatureSource, SignatureTable
from plainspoken.community.authenticity.wording import Wording, signatures

_COMPARE = 50_000  # row pairs compared at a time (each reads two whole signatures)
_NEIGHBOURS = 2_000_000  # positions of a sorted band whose neighbour pairs are compared at once
_DEFAULT = Wording()


@dataclass(frozen=True)
class NearDuplicate:
    """Two posts by different accounts with estimated word-pair Jaccard ``similarity``."""

    first: int
    second: int
    similarity: float


@dataclass(frozen=True)
class Duplicates:
    """Near-duplicate post pairs (post numbers, ``first < second``) as arrays, sorted."""

    first: npt.NDArray[np.int64]
    second: npt.NDArray[np.int64]
    similarity: npt.NDArray[np.float64]

    def __len__(self) -> int:
        return len(self.first)


def find_duplicates(
    signature: SignatureSource,
    owners: npt.NDArray[np.integer[Any]],
    authors: npt.NDArray[Any],
    settings: Wording = _DEFAULT,
) -> Duplicates:
    """Pairs of posts by different known authors (``authors``: a code per post, -1 unknown)
    whose wording nearly matches, without community boilerplate. Row ``i`` of ``signature``
    belongs to post ``owners[i]``."""
    empty = Duplicates(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float64))
    if len(owners) < 2:
        return empty
    codes = np.asarray(authors)[owners]  # the author's code per row (32-bit as given)
    # Groups of near-duplicates written by many accounts are boilerplate: find them first from
    # each bucket's neighbours alone (a bounded number of comparisons), and leave them out
    # before comparing every pair of a bucket.
    rows: npt.NDArray[np.integer[Any]] = np.flatnonzero(
        ~_boilerplate_rows(signature, codes, settings)
    )
    if len(signature) < 2**31:
        rows = rows.astype(np.int32)  # held through every band: 32 bits where they fit
    accepted_a: list[npt.NDArray[np.int64]] = []
    accepted_b: list[npt.NDArray[np.int64]] = []
    similarities: list[npt.NDArray[np.float64]] = []
    offered = Offered(len(signature), settings)
    # Band by band, so only one band's candidate pairs are held at a time; each pair is
    # compared at the first band that offers it, so the accepted pairs of all bands are
    # distinct.
    for band, first, second in candidates(signature, settings, codes, rows, offered):
        a, b = codes[first], codes[second]
        keep = (a >= 0) & (b >= 0) & (a != b)
        first, second, similarity = _first_offers(
            signature, offered, band, first[keep], second[keep]
        )
        similar = similarity >= settings.threshold
        accepted_a.append(first[similar])
        accepted_b.append(second[similar])
        similarities.append(similarity[similar])
    del offered
    if not accepted_a:
        return empty
    rows_a, rows_b = np.concatenate(accepted_a), np.concatenate(accepted_b)
    similarity = np.concatenate(similarities)
    first_post = owners[rows_a].astype(np.int64)
    second_post = owners[rows_b].astype(np.int64)
    keep = _not_boilerplate(first_post, second_post, np.asarray(authors), settings)
    first_post, second_post, similarity = first_post[keep], second_post[keep], similarity[keep]
    low, high = np.minimum(first_post, second_post), np.maximum(first_post, second_post)
    order = np.lexsort((high, low))
    return Duplicates(low[order], high[order], similarity[order])


def near_duplicates(
    texts: Sequence[str], authors: Sequence[str | None], settings: Wording = _DEFAULT
) -> list[NearDuplicate]:
    """Pairs of posts by different known authors whose wording nearly matches, sorted."""
    codes = _author_codes(authors)
    signature, owners = signatures(texts, settings, codes)
    found = find_duplicates(SignatureTable(signature, settings.rows), owners, codes, settings)
    return [
        NearDuplicate(int(x), int(y), float(s))
        for x, y, s in zip(found.first, found.second, found.similarity, strict=True)
    ]


def _author_codes(authors: Sequence[str | None]) -> npt.NDArray[np.int64]:
    """Each post's author as a number (-1 for none)."""
    numbers: dict[str, int] = {}
    return np.fromiter(
        (-1 if a is None else numbers.setdefault(a, len(numbers)) for a in authors),
        dtype=np.int64,
        count=len(authors),
    )


def _similarity(
    signature: SignatureSource, x: npt.NDArray[np.int64], y: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    """The estimated similarity of rows x[i] and y[i]: the share of equal signature values."""
    out = np.zeros(len(x), dtype=np.float64)
    for lo in range(0, len(x), _COMPARE):
        part = slice(lo, lo + _COMPARE)
        at_x, at_y = _rows_of_pairs(signature, x[part], y[part])
        out[part] = (at_x == at_y).mean(axis=1)
    return out


def _rows_of_pairs(
    signature: SignatureSource, x: npt.NDArray[np.integer[Any]], y: npt.NDArray[np.integer[Any]]
) -> tuple[npt.NDArray[np.uint16], npt.NDArray[np.uint16]]:
    """The signatures of rows x[i] and y[i], read in one request (pairs share many rows)."""
    both = signature.rows(np.concatenate((x, y)).astype(np.int64, copy=False))
    return both[: len(x)], both[len(x) :]


def _first_offers(
    signature: SignatureSource,
    offered: Offered,
    band: int,
    x: npt.NDArray[np.int64],
    y: npt.NDArray[np.int64],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """The pairs (x[i], y[i]) that no earlier band offered, with their estimated similarity
    (the share of equal signature values)."""
    new = np.zeros(len(x), dtype=bool)
    similarity = np.zeros(len(x), dtype=np.float64)
    for lo in range(0, len(x), _COMPARE):
        part = slice(lo, lo + _COMPARE)
        at_x, at_y = _rows_of_pairs(signature, x[part], y[part])
        new[part] = ~offered.earlier(band, x[part], y[part], at_x, at_y)
        similarity[part] = (at_x == at_y).mean(axis=1)
    return x[new], y[new], similarity[new]


def _boilerplate_rows(
    signature: SignatureSource, codes: npt.NDArray[np.integer[Any]], settings: Wording
) -> npt.NDArray[np.bool_]:
    """Rows in a group of near-duplicates written by more than ``boilerplate_authors``
    accounts, where groups are joined through neighbours in LSH buckets (sorted by key) whose
    similarity reaches the threshold: at most one comparison per row and band.

    Groups are kept as a forest (each row points toward its group's root), so a pair of rows
    already in one group is not compared again, and nothing is held per pair: in a community
    that repeats itself, buckets of thousands make tens of millions of neighbour pairs."""
    size = len(signature)
    # Row numbers in 32 bits where they fit: the forest and its lookups are community-sized.
    parent: npt.NDArray[np.integer[Any]] = np.arange(
        size, dtype=np.int32 if size < 2**31 else np.int64
    )
    for band in range(settings.bands):
        key = keys_of_band(signature, band)
        for order, same in sorted_parts(key):
            # Neighbour pairs a stretch of the sorted part at a time; a pair joined by an
            # earlier stretch is not compared again.
            for lo in range(0, len(same), _NEIGHBOURS):
                at = np.flatnonzero(same[lo : lo + _NEIGHBOURS]) + lo
                x, y = order[at], order[at + 1]
                root_x, root_y = _roots(parent, x), _roots(parent, y)
                apart = root_x != root_y
                x, y, root_x, root_y = x[apart], y[apart], root_x[apart], root_y[apart]
                linked = _similarity(signature, x, y) >= settings.threshold
                _join(parent, root_x[linked], root_y[linked])
        del key
        # Point every row straight at its root, so the next band's lookups take one step.
        parent[:] = _roots(parent, parent)
    labels = parent  # every row points straight at its group's root now
    known = codes >= 0
    span = int(codes.max(initial=0)) + 1
    # One 64-bit (group, writer) key per row, worked on in place: the row count is a big
    # community's post count, and each spare copy of it is hundreds of megabytes.
    written = labels[known].astype(np.int64)
    written *= span
    written += codes[known]
    del known
    written = distinct(written, overwrite=True)
    written //= span
    many = np.bincount(written, minlength=size) > settings.boilerplate_authors
    del written
    return np.asarray(many[labels], dtype=bool)


def _roots(
    parent: npt.NDArray[np.integer[Any]], rows: npt.NDArray[np.integer[Any]]
) -> npt.NDArray[np.integer[Any]]:
    """The root of each row's group (following ``parent`` until it points to itself)."""
    found: npt.NDArray[np.integer[Any]] = parent[rows]
    while True:
        up = parent[found]
        if np.array_equal(up, found):
            return found
        found = up


def _join(
    parent: npt.NDArray[np.integer[Any]],
    x: npt.NDArray[np.integer[Any]],
    y: npt.NDArray[np.integer[Any]],
) -> None:
    """Merge the groups whose roots are linked by the pairs (x[i], y[i]): every root in a
    connected set of links points to the smallest of them afterwards."""
    if len(x) == 0:
        return
    roots = distinct(np.concatenate([x, y]))
    a, b = np.searchsorted(roots, x), np.searchsorted(roots, y)
    links = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(len(roots),) * 2)
    _, component = connected_components(links, directed=False)
    smallest = np.full(int(component.max()) + 1, len(parent), dtype=np.int64)
    np.minimum.at(smallest, component, roots)
    parent[roots] = smallest[component]


def _not_boilerplate(
    first: npt.NDArray[np.int64],
    second: npt.NDArray[np.int64],
    authors: npt.NDArray[np.int64],
    settings: Wording,
) -> npt.NDArray[np.bool_]:
    """False for pairs in a group of near-duplicates written by more than
    ``boilerplate_authors`` distinct accounts (groups: connected posts)."""
    if len(first) == 0:
        return np.zeros(0, dtype=bool)
    posts, inverse = np.unique(np.r_[first, second], return_inverse=True)
    a, b = inverse[: len(first)], inverse[len(first) :]
    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(len(posts), len(posts)))
    _, group = connected_components(graph, directed=False)
    writers = np.unique(np.c_[group, authors[posts]], axis=0)
    per_group = np.bincount(writers[:, 0], minlength=int(group.max()) + 1)
    return np.asarray(per_group[group[a]] <= settings.boilerplate_authors, dtype=bool)
