"""Weighted, personalized PageRank as SQL: one query per power-iteration step, on any engine.

The graph is two tables the caller has made on the engine (``Engine.load`` or
``Engine.materialize``):

- edges ``(src BIGINT, dst BIGINT, weight DOUBLE)``: a positive weight per directed edge
  (repeated edges add up);
- nodes ``(node BIGINT, teleport DOUBLE)``: every node, with its share of the personalization
  (teleport) vector; any non-negative numbers, normalized here (all zero means uniform).

Each step is ``rank' = alpha * (rank · P + dangling_mass * t) + (1 - alpha) * t`` with ``P``
the row-normalized edge weights and ``t`` the normalized teleport vector: the rank held by
nodes without out-edges is redistributed each step along ``t``, as networkx does by default,
so the ranks always sum to one. Iteration stops when the L1 change of a step is below ``tol``.

The SQL is written once in DuckDB's dialect and runs unchanged on Spark through the engine;
each step is materialized (Spark cuts the lineage), so a long run does not grow one plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from plainspoken.engine.base import Engine
from plainspoken.engine.queries import Query
from plainspoken.errors import EngineError

if TYPE_CHECKING:
    import pyarrow as pa

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class PageRankRun:
    """How a run ended: the table holding ``(node, rank)``, the steps taken, the last L1 change."""

    table: str
    iterations: int
    error: float
    converged: bool


def _name(text: str) -> str:
    if not _IDENTIFIER.fullmatch(text):
        raise EngineError(f"pagerank: '{text}' is not a plain table name (letters, digits, _)")
    return text


def _prepare_queries(edges: str, nodes: str, p: str) -> list[tuple[str, Query]]:
    out = Query(
        f"{p}_out",
        f"SELECT src AS node, SUM(weight) AS out_weight FROM {edges} WHERE weight > 0 GROUP BY src",
        "Total out-weight of each node with out-edges.",
    )
    links = Query(
        f"{p}_links",
        f"SELECT e.src, e.dst, SUM(e.weight) / MAX(o.out_weight) AS share FROM {edges} AS e "
        f"JOIN {p}_out AS o ON e.src = o.node WHERE e.weight > 0 GROUP BY e.src, e.dst",
        "Each edge's share of its source's out-weight (the transition matrix).",
    )
    start = Query(
        f"{p}_rank_0",
        f"""
        WITH total AS (
            SELECT SUM(teleport) AS mass, COUNT(*) AS n FROM {nodes}
        )
        SELECT v.node,
               CASE WHEN total.mass > 0 THEN v.teleport / total.mass
                    ELSE 1.0 / total.n END AS teleport,
               CASE WHEN o.node IS NULL THEN 1 ELSE 0 END AS dangling,
               CASE WHEN total.mass > 0 THEN v.teleport / total.mass
                    ELSE 1.0 / total.n END AS rank,
               CAST(0.0 AS DOUBLE) AS delta
        FROM {nodes} AS v
        CROSS JOIN total
        LEFT JOIN {p}_out AS o ON v.node = o.node
        """,
        "Starting ranks: the normalized teleport vector; which nodes are dangling.",
    )
    return [(out.name, out), (links.name, links), (start.name, start)]


def step_query(current: str, links: str, name: str = "pagerank_step") -> Query:
    """One power-iteration step over rank table ``current`` (see the module text)."""
    return Query(
        name,
        f"""
        WITH dangling AS (
            SELECT COALESCE(SUM(CASE WHEN dangling = 1 THEN rank ELSE 0.0 END), 0.0) AS mass
            FROM {current}
        ),
        flow AS (
            SELECT l.dst AS node, SUM(r.rank * l.share) AS inflow
            FROM {current} AS r
            JOIN {links} AS l ON r.node = l.src
            GROUP BY l.dst
        ),
        stepped AS (
            SELECT c.node, c.teleport, c.dangling, c.rank AS previous,
                   :alpha * (COALESCE(f.inflow, 0.0) + d.mass * c.teleport)
                       + (1.0 - :alpha) * c.teleport AS rank
            FROM {current} AS c
            CROSS JOIN dangling AS d
            LEFT JOIN flow AS f ON c.node = f.node
        )
        SELECT node, teleport, dangling, rank, ABS(rank - previous) AS delta FROM stepped
        """,
        "One PageRank step: inflow along weighted edges, dangling mass and teleport.",
        {"alpha": 0.85},
    )


def pagerank(
    engine: Engine,
    edges: str,
    nodes: str,
    *,
    alpha: float = 0.85,
    tol: float = 1e-10,
    max_iter: int = 200,
    prefix: str = "pagerank",
) -> PageRankRun:
    """Run PageRank over tables ``edges`` and ``nodes`` on ``engine``.

    Leaves the ranks in table ``PREFIX_rank`` (columns ``node``, ``rank``) and returns how
    the run ended; ``drop_tables`` removes the working tables. ``tol`` bounds the L1 change of
    the last step.
    """
    if not 0 < alpha < 1:
        raise EngineError(f"pagerank: alpha is {alpha}, expected a number between 0 and 1")
    edges, nodes, p = _name(edges), _name(nodes), _name(prefix)
    for table, query in _prepare_queries(edges, nodes, p):
        engine.materialize(table, query)
    current, spare = f"{p}_rank_0", f"{p}_rank_1"
    error, steps = float("inf"), 0
    while steps < max_iter and error >= tol:
        engine.materialize(spare, step_query(current, f"{p}_links"), alpha=alpha)
        steps += 1
        change = Query(f"{p}_change", f"SELECT SUM(delta) AS error FROM {spare}", "L1 change.")
        row = engine.rows(change)[0]
        error = float(row["error"] or 0.0)
        current, spare = spare, current
    engine.materialize(
        f"{p}_rank",
        Query(f"{p}_result", f"SELECT node, rank FROM {current}", "The final ranks."),
    )
    return PageRankRun(f"{p}_rank", steps, error, error < tol)


def drop_tables(engine: Engine, prefix: str = "pagerank") -> None:
    """Remove the tables a run with ``prefix`` made (ranks included)."""
    p = _name(prefix)
    for suffix in ("out", "links", "rank_0", "rank_1", "rank"):
        engine.drop(f"{p}_{suffix}")


def ranks(engine: Engine, run: PageRankRun) -> pa.Table:
    """The ranks of a finished run as Arrow ``(node, rank)``, ordered by node."""
    return engine.run(
        Query(f"{run.table}_read", f"SELECT node, rank FROM {run.table} ORDER BY node", "")
    )
