"""Weighted, personalized PageRank in memory with scipy.sparse (the default kernel).

Same definition as the SQL form in ``plainspoken.engine.pagerank``: edge weights are
normalized per source, the rank of dangling nodes is redistributed along the teleport vector
every step, and iteration stops when the L1 change of a step is below ``tol``. The parity
tests hold this kernel, the SQL form and networkx to the same ranks. ``account_ranks`` picks
the kernel for a ranking's graph.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse

from plainspoken.engine import Engine

try:  # scipy's own counting sort from (row, col) pairs to compressed rows, when it has one
    from scipy.sparse._sparsetools import coo_tocsr as _coo_tocsr
except ImportError:  # pragma: no cover - every scipy release so far has it
    _coo_tocsr = None
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
    if len(w) and not w.min() > 0:
        keep = w > 0
        src_a, dst_a, w = src_a[keep], dst_a[keep], w[keep]
    out = np.bincount(src_a, weights=w, minlength=n)
    # M @ x with M's column j holding node j's out-shares is W @ (x / out): the weights'
    # matrix W is built once, and the division is by node (n values) each step rather than
    # by edge (m values) once; dangling nodes (out == 0) give nothing along edges.
    matrix = _weights_matrix(n, src_a, dst_a, w)
    dangling = np.flatnonzero(out == 0)
    spread = np.divide(1.0, out, out=np.zeros(n), where=out > 0)
    t = np.ones(n) if teleport is None else np.asarray(teleport, dtype=np.float64).copy()
    total = t.sum()
    t = t / total if total > 0 else np.full(n, 1.0 / n)
    x = t.copy()
    error, steps = float("inf"), 0
    rest = (1.0 - alpha) * t
    while steps < max_iter and error >= tol:
        new = matrix @ (x * spread)
        new *= alpha
        new += (alpha * x[dangling].sum()) * t
        new += rest
        error = float(np.abs(new - x).sum())
        x = new
        steps += 1
    return PageRankResult(x, steps, error, error < tol)


def _weights_matrix(
    n: int, src: np.ndarray[Any, Any], dst: np.ndarray[Any, Any], weight: np.ndarray[Any, Any]
) -> Any:
    """The n x n matrix whose entry (i, j) is the weight of the edges from j to i.

    Built with two counting passes instead of ``csr_matrix((weight, (dst, src)))``, whose
    canonical form sorts every row: the edges are grouped by source (rows of the
    transpose), and transposing that gives the rows already in column order, so repeated
    edges are then added up in one linear pass. On a 10M-edge graph the sort was most of
    the kernel's time.
    """
    index = np.int32 if max(n, len(src)) < np.iinfo(np.int32).max else np.int64
    if _coo_tocsr is None:  # pragma: no cover - every scipy release so far has it
        return sparse.csr_matrix((weight, (dst, src)), shape=(n, n))
    indptr = np.empty(n + 1, dtype=index)
    indices = np.empty(len(src), dtype=index)
    data = np.empty(len(src), dtype=np.float64)
    _coo_tocsr(n, n, len(src), src.astype(index), dst.astype(index), weight, indptr, indices, data)
    by_source = sparse.csr_matrix((data, indices, indptr), shape=(n, n))
    matrix = by_source.T.tocsr()
    matrix.sum_duplicates()
    return matrix


def account_ranks(
    engine: Engine,
    n: int,
    src: np.ndarray[Any, Any],
    dst: np.ndarray[Any, Any],
    weight: np.ndarray[Any, Any],
    teleport: np.ndarray[Any, Any],
    *,
    kernel: str = "auto",
    alpha: float = 0.85,
    tol: float = 1e-10,
    max_iter: int = 200,
) -> tuple[np.ndarray[Any, np.dtype[np.float64]], str, int]:
    """PageRank of nodes ``0..n-1`` scaled so the average node has 1.0, with the kernel used
    (``auto``: scipy up to ``SCIPY_MAX_EDGES`` edges, the engine's SQL past it) and its steps."""
    if n == 0:
        return np.zeros(0), "scipy", 0
    chosen = kernel
    if chosen == "auto":
        chosen = "scipy" if len(src) <= SCIPY_MAX_EDGES else "sql"
    if chosen == "scipy":
        result = pagerank(n, src, dst, weight, teleport, alpha=alpha, tol=tol, max_iter=max_iter)
        return result.ranks * n, chosen, result.iterations
    ranks, steps = _sql_ranks(engine, n, src, dst, weight, teleport, alpha, tol, max_iter)
    return ranks * n, chosen, steps


def _sql_ranks(
    engine: Engine,
    n: int,
    src: np.ndarray[Any, Any],
    dst: np.ndarray[Any, Any],
    weight: np.ndarray[Any, Any],
    teleport: np.ndarray[Any, Any],
    alpha: float,
    tol: float,
    max_iter: int,
) -> tuple[np.ndarray[Any, np.dtype[np.float64]], int]:
    import pyarrow as pa

    from plainspoken.engine.pagerank import drop_tables as drop_pagerank
    from plainspoken.engine.pagerank import pagerank as sql_pagerank
    from plainspoken.engine.pagerank import ranks as sql_ranks

    engine.load("infl_pr_edges", pa.table({"src": src, "dst": dst, "weight": weight}))
    nodes = pa.table({"node": np.arange(n, dtype=np.int64), "teleport": teleport})
    engine.load("infl_pr_nodes", nodes)
    try:
        run = sql_pagerank(
            engine,
            "infl_pr_edges",
            "infl_pr_nodes",
            alpha=alpha,
            tol=tol,
            max_iter=max_iter,
            prefix="infl_pr",
        )
        table = sql_ranks(engine, run)
    finally:
        drop_pagerank(engine, "infl_pr")
        engine.drop("infl_pr_edges")
        engine.drop("infl_pr_nodes")
    ranks = np.zeros(n)
    ranks[np.asarray(table.column("node").to_pylist(), dtype=np.int64)] = table.column(
        "rank"
    ).to_pylist()
    return ranks, run.iterations
