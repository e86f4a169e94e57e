"""Weighted, personalized PageRank in memory with scipy.sparse (the default kernel).

Same definition as the SQL form in ``plainspoken.engine.pagerank``: edge weights are
normalized per source, the rank of dangling nodes is redistributed along the teleport vector
every step, and iteration stops when the L1 change of a step is below ``tol``. The parity
tests hold this kernel, the SQL form and networkx to the same ranks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse

from plainspoken.errors import UsageError

KERNELS = ("auto", "scipy", "sql")
"""``auto`` uses scipy while the graph fits in memory (``SCIPY_MAX_EDGES``), SQL past it."""

SCIPY_MAX_EDGES = 200_000_000


@dataclass(frozen=True)
class PageRankResult:
    """Ranks by node number (they sum to one), the steps taken and the last L1 change."""

    ranks: np.ndarray[Any, np.dtype[np.float64]]
    iterations: int
    error: float
    converged: bool


def pagerank(
    n: int,
    src: Any,
    dst: Any,
    weight: Any,
    teleport: Any = None,
    *,
    alpha: float = 0.85,
    tol: float = 1e-10,
    max_iter: int = 200,
) -> PageRankResult:
    """PageRank of a graph of nodes ``0..n-1`` given as parallel arrays of edges.

    ``weight`` must be positive (repeated edges add up); ``teleport`` is any non-negative
    vector of length ``n`` (None or all zero: uniform).
    """
    if not 0 < alpha < 1:
        raise UsageError(f"pagerank: alpha is {alpha}, expected a number between 0 and 1")
    if n == 0:
        return PageRankResult(np.zeros(0), 0, 0.0, True)
    src_a = np.asarray(src, dtype=np.int64)
    dst_a = np.asarray(dst, dtype=np.int64)
    w = np.asarray(weight, dtype=np.float64)
    keep = w > 0
    src_a, dst_a, w = src_a[keep], dst_a[keep], w[keep]
    out = np.bincount(src_a, weights=w, minlength=n)
    share = w / out[src_a]
    # Column j holds node j's out-shares: rank' = M @ rank.
    matrix = sparse.csr_matrix((share, (dst_a, src_a)), shape=(n, n))
    dangling = out == 0
    t = np.ones(n) if teleport is None else np.asarray(teleport, dtype=np.float64).copy()
    total = t.sum()
    t = t / total if total > 0 else np.full(n, 1.0 / n)
    x = t.copy()
    error, steps = float("inf"), 0
    while steps < max_iter and error >= tol:
        new = alpha * (matrix @ x + x[dangling].sum() * t) + (1.0 - alpha) * t
        error = float(np.abs(new - x).sum())
        x = new
        steps += 1
    return PageRankResult(x, steps, error, error < tol)
