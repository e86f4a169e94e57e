"""PageRank: the SQL form (DuckDB, Spark), the scipy kernel and networkx agree to 1e-9."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pyarrow as pa
import pytest

from fixtures.engine.tiny_community import write_tiny_dataset
from plainspoken.community.influence.pagerank import pagerank
from plainspoken.engine import DuckDBEngine, Engine, SparkEngine
from plainspoken.engine.cluster import session_builder
from plainspoken.engine.pagerank import drop_tables, ranks
from plainspoken.engine.pagerank import pagerank as sql_pagerank

TOL = 1e-13


def _graph(seed: int, n: int, m: int) -> tuple[Any, Any, Any, Any]:
    """Random weighted edges (with repeats, self-loops and dangling nodes) and a teleport
    vector with zeros."""
    rng = np.random.default_rng(seed)
    src = rng.integers(0, n, m)
    dst = rng.integers(0, n, m)
    src[: n // 5] = dst[: n // 5]  # self-loops
    dst[src >= n - n // 4] = 0  # nodes n - n/4 .. n - 1 point only to node 0
    keep = ~(src >= n - n // 8)  # the last eighth of the nodes is dangling
    src, dst = src[keep], dst[keep]
    weight = rng.random(len(src)) + 0.05
    teleport = rng.random(n)
    teleport[: n // 3] = 0.0
    return src, dst, weight, teleport


def _networkx(n: int, src: Any, dst: Any, weight: Any, teleport: Any) -> np.ndarray[Any, Any]:
    graph = nx.DiGraph()
    graph.add_nodes_from(range(n))
    for s, d, w in zip(src.tolist(), dst.tolist(), weight.tolist(), strict=True):
        if graph.has_edge(s, d):
            graph[s][d]["weight"] += w
        else:
            graph.add_edge(s, d, weight=w)
    result = nx.pagerank(
        graph,
        alpha=0.85,
        personalization={i: float(teleport[i]) for i in range(n)},
        tol=1e-16,
        max_iter=10_000,
    )
    return np.array([result[i] for i in range(n)])


def _sql(
    engine: Engine, folder: Path, n: int, src: Any, dst: Any, weight: Any, teleport: Any
) -> Any:
    engine.register(folder)
    engine.load("g_edges", pa.table({"src": src, "dst": dst, "weight": weight}))
    engine.load("g_nodes", pa.table({"node": np.arange(n, dtype=np.int64), "teleport": teleport}))
    run = sql_pagerank(engine, "g_edges", "g_nodes", tol=TOL, max_iter=500, prefix="g")
    assert run.converged and 10 < run.iterations < 500
    table = ranks(engine, run)
    drop_tables(engine, "g")
    assert table.column("node").to_pylist() == list(range(n))
    return np.array(table.column("rank").to_pylist())


@pytest.mark.parametrize(("seed", "n", "m"), [(1, 12, 30), (2, 60, 240), (3, 200, 900)])
def test_scipy_sql_and_networkx_agree(tmp_path: Path, seed: int, n: int, m: int) -> None:
    src, dst, weight, teleport = _graph(seed, n, m)
    ours = pagerank(n, src, dst, weight, teleport, tol=TOL, max_iter=500)
    assert ours.converged
    assert ours.ranks.sum() == pytest.approx(1.0, abs=1e-12)
    reference = _networkx(n, src, dst, weight, teleport)
    with DuckDBEngine("256MB") as engine:
        sql = _sql(engine, write_tiny_dataset(tmp_path / "tiny"), n, src, dst, weight, teleport)
    assert np.abs(ours.ranks - reference).max() < 1e-9
    assert np.abs(sql - ours.ranks).max() < 1e-9
    assert np.abs(sql - reference).max() < 1e-9


def test_uniform_teleport_and_a_known_answer() -> None:
    # A 3-cycle: by symmetry every node has rank 1/3; a sink doubles the dangling case.
    cycle = pagerank(3, [0, 1, 2], [1, 2, 0], [1.0, 1.0, 1.0], tol=1e-15)
    assert np.allclose(cycle.ranks, 1 / 3, atol=1e-12)
    sink = pagerank(2, [0], [1], [1.0], tol=1e-15)
    # Node 1 is dangling: its rank goes back half to each node. x0 = 0.85 * x1/2 + 0.075 and
    # x0 + x1 = 1, so x0 = 0.5 / 1.425.
    assert sink.ranks[0] == pytest.approx(0.5 / 1.425, abs=1e-12)
    assert sink.ranks.sum() == pytest.approx(1.0, abs=1e-12)


def test_personalization_pulls_rank_toward_the_teleport_nodes() -> None:
    line = pagerank(4, [0, 1, 2], [1, 2, 3], [1.0, 1.0, 1.0], [1.0, 0.0, 0.0, 0.0], tol=1e-14)
    biased = pagerank(4, [0, 1, 2], [1, 2, 3], [1.0, 1.0, 1.0], [0.0, 0.0, 0.0, 1.0], tol=1e-14)
    assert line.ranks[0] > biased.ranks[0]
    assert biased.ranks[3] > line.ranks[3]


@pytest.fixture(scope="module")
def spark_session() -> Iterator[Any]:
    logs = Path(tempfile.mkdtemp(prefix="plainspoken-spark-test-"))
    session = session_builder("local[2]", logs).getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    yield session
    shutil.rmtree(logs, ignore_errors=True)


@pytest.mark.spark
def test_the_same_sql_on_spark_matches(tmp_path: Path, spark_session: Any) -> None:
    n, (src, dst, weight, teleport) = 12, _graph(1, 12, 30)
    folder = write_tiny_dataset(tmp_path / "tiny")
    with SparkEngine(session=spark_session) as engine:
        spark = _sql(engine, folder, n, src, dst, weight, teleport)
    reference = _networkx(n, src, dst, weight, teleport)
    assert np.abs(spark - reference).max() < 1e-9


@pytest.mark.spark
def test_the_whole_ranking_is_the_same_on_spark(tmp_path: Path, spark_session: Any) -> None:
    """Relevance, events, recency, terms taken up, PageRank (scipy and SQL) and facets."""
    from dataclasses import asdict

    from fixtures.community.influence_community import write_influence_dataset
    from plainspoken.community.influence import InfluenceParams, rank

    folder = write_influence_dataset(tmp_path / "forum")
    for kernel in ("scipy", "sql"):
        params = InfluenceParams(kernel=kernel)
        with DuckDBEngine("256MB") as duckdb:
            duckdb.register(folder)
            duck = rank(duckdb, "zigbee", excluded={}, params=params)
        with SparkEngine(session=spark_session) as spark_engine:
            spark_engine.register(folder)
            spark = rank(spark_engine, "zigbee", excluded={}, params=params)
        assert [a.account_id for a in duck.accounts] == [a.account_id for a in spark.accounts]
        for a, b in zip(duck.accounts, spark.accounts, strict=True):
            assert a.score == pytest.approx(b.score, abs=1e-9)
            assert a.facets == pytest.approx(b.facets, abs=1e-9)
            ours, theirs = asdict(a.measures), asdict(b.measures)
            for key, value in ours.items():
                if isinstance(value, float):
                    assert value == pytest.approx(theirs[key], abs=1e-9), key
                else:
                    assert value == theirs[key], key
            assert [e.detail for e in a.evidence] == [e.detail for e in b.evidence]
        assert [x.account_id for x in duck.excluded] == [x.account_id for x in spark.excluded]
