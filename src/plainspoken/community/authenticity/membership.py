"""Accounts-by-items 0/1 matrices (accounts by threads, by domains, by products) and what
pairs of accounts share in them.

``membership`` builds one straight in compressed rows; ``common`` counts, for given pairs of
rows, their shared columns and the rarest one, a bounded number of entries multiplied at a
time; ``co_appearances`` finds every pair of rows sharing at least a few columns (the matrix
times its transpose, a bounded block of rows at a time).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix

_CHUNK = 200_000  # pairs multiplied at most at a time
# Matrix entries of the pairs' rows multiplied at once: 20M made about 300 MB of passing
# sparse arrays at every size, and at 5M the multiplication was still where a 10M-post
# community's linking step peaked; the answers do not depend on it.
_ENTRIES = 2_000_000
_ROWS = 1_000_000  # keys placed at a time when a matrix is built
_MIN_SHARED = 2  # threads two accounts must share to be a co-appearance candidate
# Account-thread-account paths followed at a time when counting the threads pairs of accounts
# share (the product's entries are at most that many, a dozen bytes each in the product and
# as many again while its pairs are picked): 20M made a 10M-post community's peak.
_PATHS = 5_000_000

Ints = npt.NDArray[np.int64]


def membership(keys: Ints, shape: tuple[int, int]) -> csr_matrix:
    """A 0/1 matrix with ones at (key // width, key % width) for sorted, distinct ``keys``
    (``width = shape[1]``), made directly in compressed rows: a big community's reply places
    are tens of millions, and coordinate arrays for them would be several copies."""
    rows, width = shape
    counts = np.zeros(rows, dtype=np.int64)
    indices = np.empty(len(keys), dtype=np.int32 if width < 2**31 else np.int64)
    for lo in range(0, len(keys), _ROWS):
        part = keys[lo : lo + _ROWS]
        counts += np.bincount(part // width, minlength=rows)
        indices[lo : lo + len(part)] = part % width
    indptr = np.zeros(rows + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    data = np.ones(len(keys), dtype=np.int32)
    return csr_matrix((data, indices, indptr), shape=shape)


def _chunks(matrix: csr_matrix, a: Ints, b: Ints, budget: int = _ENTRIES) -> list[slice]:
    """Slices of the pairs whose rows hold at most ``budget`` entries together (at least one
    pair per slice), so busy accounts do not blow up one multiplication."""
    weight = np.diff(matrix.indptr)
    cost = np.cumsum(weight[a] + weight[b])
    out: list[slice] = []
    lo = 0
    while lo < len(a):
        base = cost[lo - 1] if lo else 0
        hi = int(np.searchsorted(cost, base + budget, side="right"))
        hi = min(len(a), max(hi, lo + 1))
        hi = min(hi, lo + _CHUNK)
        out.append(slice(lo, hi))
        lo = hi
    return out


def common(
    matrix: csr_matrix, a: Ints, b: Ints, rank: Ints, budget: int = _ENTRIES
) -> tuple[Ints, Ints]:
    """For each pair (a[i], b[i]): how many columns both rows have, and the common column with
    the lowest ``rank`` (-1 when none); ``budget`` matrix entries multiplied at a time."""
    counts = np.zeros(len(a), dtype=np.int64)
    best = np.full(len(a), -1, dtype=np.int64)
    for part in _chunks(matrix, a, b, budget):
        both = matrix[a[part]].multiply(matrix[b[part]]).tocsr()
        both.eliminate_zeros()
        per_row = np.diff(both.indptr)
        counts[part] = per_row
        if both.nnz:
            row = np.repeat(np.arange(len(per_row)), per_row)
            order = np.lexsort((rank[both.indices], row))
            starts = np.r_[0, np.cumsum(per_row)[:-1]][per_row > 0]
            best[part.start + np.flatnonzero(per_row > 0)] = both.indices[order][starts]
    return counts, best


def co_appearances(membership: csr_matrix, least: int = _MIN_SHARED) -> tuple[Ints, Ints]:
    """Pairs of accounts (rows) that share at least ``least`` threads (columns): their keys
    ``first * accounts + second`` (``first < second``) in ascending order, and how many
    threads each pair shares.

    The product of the matrix with its transpose, a block of rows at a time: each block
    follows at most ``_PATHS`` account-thread-account paths (one account in thousands of busy
    threads is a block of its own), so the passing entries stay bounded whatever the size."""
    size = membership.shape[0]
    if membership.nnz == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    by_thread = membership.T.tocsr()
    thread_size = np.diff(by_thread.indptr)
    # Paths from each account: the sizes of its threads, summed.
    paths = np.zeros(size, dtype=np.int64)
    filled = np.flatnonzero(np.diff(membership.indptr) > 0)
    paths[filled] = np.add.reduceat(
        thread_size[membership.indices].astype(np.int64), membership.indptr[filled]
    )
    reach = np.cumsum(paths)
    keys: list[Ints] = []
    counts: list[Ints] = []
    lo = 0
    while lo < size:
        spent = int(reach[lo - 1]) if lo else 0
        hi = int(np.searchsorted(reach, spent + _PATHS, side="right"))
        hi = min(size, max(hi, lo + 1))
        product = (membership[lo:hi] @ by_thread).tocoo()
        first = product.row.astype(np.int64) + lo
        keep = (product.data >= least) & (first < product.col)
        keys.append(first[keep] * size + product.col[keep])
        counts.append(product.data[keep].astype(np.int64))
        del product, first, keep
        lo = hi
    del by_thread
    key = np.concatenate(keys)
    count = np.concatenate(counts)
    order = np.argsort(key)
    return key[order], count[order]
