"""Benchmark PageRank kernels side by side, and a full influencer ranking.

    python benchmarks/bench_influence.py [--nodes 1M] [--edges 10M] [--skip spark,networkx]
                                         [--ranking-posts 1M] [--work DIR]

1. A reaction graph is generated once (seeded; kept in ``WORK/graph-N-M.parquet``): sources
   uniform, targets drawn from a Zipf-like law (a few accounts draw most reactions), weights
   uniform in [0.1, 1.1), 5% of the nodes without out-edges, a teleport vector on a third of
   the nodes. Then each kernel runs in its own child process, one after the other:
   ``default`` (the in-memory scipy kernel, which ``--kernel auto`` picks for a graph this
   size), ``scipy-plain`` (the textbook scipy form, for comparison), ``duckdb`` (the SQL form,
   one query per step), ``spark`` (the same SQL on Spark local[2]) and ``networkx``. Each
   starts from the same edge arrays in memory; reported: seconds from those arrays to the
   ranks (building the kernel's own graph included: the sparse matrix, the engine's tables,
   networkx's DiGraph; that part also apart), seconds reading the Parquet file (apart), peak
   RSS of the child (its JVM too for Spark: the child's RSS is sampled with its process tree),
   iterations, the largest absolute difference from the default kernel's ranks, and each
   kernel's time as a multiple of the default's.
2. With ``--ranking-posts N``: a Stack Exchange dump of N posts is generated with se_dump.py
   (cached in ``WORK/dumps``) and imported (``--ranking-dataset WS:NAME`` reuses a dataset
   already imported instead, and the authenticity benchmark's dataset of the same size is
   reused when it exists; either is only read), and a child process ranks a topic of it (the
   most used tag) the way ``plainspoken community influencers`` does, with the accounts to
   exclude given (none) rather than asked of the authenticity analysis, whose own cost is
   benchmarked with it: wall time and peak RSS.

Results go to stdout as a table and to ``WORK/results.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
KERNELS = ("default", "scipy-plain", "duckdb", "spark", "networkx")
TOL = 1e-10


def _count(text: str) -> int:
    text = text.strip().upper()
    scale = {"K": 1_000, "M": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("KM")) * scale)


def generate(path: Path, nodes: int, edges: int, seed: int = 7) -> None:
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    active = int(nodes * 0.95)
    src = rng.integers(0, active, edges, dtype=np.int64)
    dst = (rng.zipf(1.6, edges) - 1) % nodes
    perm = rng.permutation(nodes)
    dst = perm[dst].astype(np.int64)
    weight = rng.random(edges) + 0.1
    pq.write_table(pa.table({"src": src, "dst": dst, "weight": weight}), path)
    teleport = np.where(rng.random(nodes) < 1 / 3, rng.random(nodes), 0.0)
    pq.write_table(
        pa.table({"node": np.arange(nodes, dtype=np.int64), "teleport": teleport}),
        path.with_suffix(".nodes.parquet"),
    )


def _empty_dataset(root: Path) -> Path:
    sys.path.insert(0, str(REPO / "tests"))
    from fixtures.engine.tiny_community import write_tiny_dataset

    return write_tiny_dataset(root)


def worker(kernel: str, graph: Path, out: Path) -> None:
    """Run one kernel; write ranks (.npy) and timings (.json) next to ``out``."""
    import numpy as np
    import pyarrow.parquet as pq

    began = time.perf_counter()
    edges = pq.read_table(graph)
    nodes = pq.read_table(graph.with_suffix(".nodes.parquet"))
    n = nodes.num_rows
    src = edges.column("src").to_numpy()
    dst = edges.column("dst").to_numpy()
    weight = edges.column("weight").to_numpy()
    teleport = nodes.column("teleport").to_numpy()
    loaded = time.perf_counter() - began
    info: dict[str, Any] = {"read_seconds": loaded, "build_seconds": None}
    if kernel == "default":
        from plainspoken.community.influence.pagerank import SCIPY_MAX_EDGES, pagerank

        if len(src) > SCIPY_MAX_EDGES:  # account_ranks(kernel="auto") would choose SQL
            raise SystemExit(f"{len(src):,} edges: past SCIPY_MAX_EDGES, the default is SQL")
        start = time.perf_counter()
        result = pagerank(n, src, dst, weight, teleport, tol=TOL)
        info["seconds"] = time.perf_counter() - start
        ranks, info["iterations"] = result.ranks, result.iterations
    elif kernel == "scipy-plain":
        start = time.perf_counter()
        ranks, info["iterations"] = plain_scipy(n, src, dst, weight, teleport)
        info["seconds"] = time.perf_counter() - start
    elif kernel in ("duckdb", "spark"):
        from plainspoken.engine import DuckDBEngine, SparkEngine
        from plainspoken.engine.pagerank import pagerank as sql_pagerank
        from plainspoken.engine.pagerank import ranks as sql_ranks

        with tempfile.TemporaryDirectory() as tmp:
            engine = DuckDBEngine("8GB") if kernel == "duckdb" else SparkEngine("local[2]")
            with engine:
                engine.register(_empty_dataset(Path(tmp) / "empty"))
                start = time.perf_counter()
                engine.load("g_edges", edges)
                engine.load("g_nodes", nodes)
                info["build_seconds"] = time.perf_counter() - start
                run = sql_pagerank(engine, "g_edges", "g_nodes", tol=TOL)
                info["seconds"] = time.perf_counter() - start
                table = sql_ranks(engine, run)
                info["iterations"] = run.iterations
                ranks = np.zeros(n)
                ranks[table.column("node").to_numpy()] = table.column("rank").to_numpy()
    elif kernel == "networkx":
        import networkx as nx
        from scipy import sparse

        start = time.perf_counter()
        # A DiGraph keeps one edge per pair: add repeated edges' weights up first.
        summed = sparse.coo_matrix((weight, (src, dst)), shape=(n, n)).tocsr().tocoo()
        g = nx.DiGraph()
        g.add_nodes_from(range(n))
        g.add_weighted_edges_from(
            zip(summed.row.tolist(), summed.col.tolist(), summed.data.tolist(), strict=True)
        )
        info["build_seconds"] = time.perf_counter() - start
        # networkx stops at an L1 change below n * tol: give it the same overall bound.
        found = nx.pagerank(
            g, alpha=0.85, personalization=dict(enumerate(teleport.tolist())), tol=TOL / n
        )
        info["seconds"] = time.perf_counter() - start
        ranks = np.array([found[i] for i in range(n)])
        info["iterations"] = None
    else:
        raise SystemExit(f"unknown kernel {kernel}")
    np.save(out.with_suffix(".npy"), ranks)
    out.with_suffix(".json").write_text(json.dumps(info), encoding="utf-8")


def plain_scipy(n: int, src: Any, dst: Any, weight: Any, teleport: Any) -> tuple[Any, int]:
    """The textbook scipy form, for comparison: ``csr_matrix((share, (dst, src)))`` (which
    sorts every row and sums repeated edges) and the same power iteration."""
    import numpy as np
    from scipy import sparse

    out = np.bincount(src, weights=weight, minlength=n)
    matrix = sparse.csr_matrix((weight / out[src], (dst, src)), shape=(n, n))
    dangling = out == 0
    t = teleport / teleport.sum()
    x, error, steps = t.copy(), float("inf"), 0
    while error >= TOL:
        new = 0.85 * (matrix @ x + x[dangling].sum() * t) + 0.15 * t
        error, x, steps = float(np.abs(new - x).sum()), new, steps + 1
    return x, steps


def _tree_rss(root: int) -> int:
    """Resident set size (kB) of a process and its descendants, from /proc."""
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            total += int(next(x for x in status.splitlines() if x.startswith("VmRSS")).split()[1])
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            todo += [int(c) for c in children]
        except (OSError, StopIteration, ValueError):
            continue
    return total


def measured(command: list[str]) -> tuple[float, float, int, str]:
    """Run a child to the end: wall seconds, peak tree RSS (MB), exit code, last stderr line."""
    began = time.perf_counter()
    child = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, cwd=REPO)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss(child.pid))
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = child.communicate()
    stop.set()
    sampler.join()
    lines = [x for x in err.strip().splitlines() if x.strip()]
    return time.perf_counter() - began, peak / 1000, child.returncode, lines[-1] if lines else ""


def run_kernels(work: Path, nodes: int, edges: int, skip: set[str]) -> list[dict[str, Any]]:
    import numpy as np

    graph = work / f"graph-{nodes}-{edges}.parquet"
    if not graph.is_file():
        print(f"generating {nodes:,} nodes / {edges:,} edges ...", file=sys.stderr)
        generate(graph, nodes, edges)
    rows: list[dict[str, Any]] = []
    reference = None
    for kernel in KERNELS:
        if kernel in skip:
            continue
        out = work / f"ranks-{kernel}"
        command = [sys.executable, __file__, "--worker", kernel, "--graph", str(graph)]
        wall, rss, code, last = measured([*command, "--out", str(out)])
        row: dict[str, Any] = {"kernel": kernel, "wall_seconds": wall, "peak_rss_mb": rss}
        if code != 0:
            row["error"] = last
            rows.append(row)
            continue
        row.update(json.loads(out.with_suffix(".json").read_text()))
        ranks = np.load(out.with_suffix(".npy"))
        if reference is None:
            reference = ranks
        row["max_abs_diff_vs_default"] = float(np.abs(ranks - reference).max())
        rows.append(row)
        print(json.dumps(row), file=sys.stderr)
    return rows


def rank_worker(ws: Path, name: str, topic: str, out: Path) -> None:
    """Rank ``topic`` of dataset ``name`` (no accounts flagged); write the ranking as CSV."""
    from plainspoken.community.influence import influencers
    from plainspoken.reports.influence import render_influence

    began = time.perf_counter()
    ranking = influencers(name, topic, ws, engine="duckdb", excluded={})
    seconds = time.perf_counter() - began
    out.write_text(render_influence(ranking, "csv", 20), encoding="utf-8")
    print(f"ranked {len(ranking.accounts)} accounts in {seconds:.1f} s", file=sys.stderr)


def _linked_workspace(work: Path, source: str) -> tuple[Path, str]:
    """A workspace of our own whose dataset is a link to an imported one (read only)."""
    folder, _, name = source.rpartition(":")
    dataset = Path(folder).resolve() / "datasets" / name
    if not (dataset / "manifest.json").is_file():
        raise SystemExit(f"--ranking-dataset {source}: no dataset at {dataset}")
    ws = work / "ws"
    cli = [sys.executable, "-m", "plainspoken"]
    if not (ws / "plainspoken.toml").is_file():
        subprocess.run([*cli, "init", str(ws)], check=True, capture_output=True)
    link = ws / "datasets" / name
    if not link.exists():
        link.symlink_to(dataset, target_is_directory=True)
    return ws, name


def _authenticity_dataset(posts: int) -> str | None:
    """``WS:NAME`` of the same-size dataset the authenticity benchmark imported, if any: the
    same generator and importer, so it is reused rather than generated again."""
    label = f"{posts // 1_000_000}M" if posts % 1_000_000 == 0 else f"{posts // 1_000}k"
    ws = REPO / ".bench" / "authenticity" / "ws"
    if (ws / "datasets" / f"g{label}" / "manifest.json").is_file():
        return f"{ws}:g{label}"
    return None


def run_ranking(work: Path, posts: int, source: str | None = None) -> dict[str, Any]:
    source = source or _authenticity_dataset(posts)
    if source:
        print(f"ranking dataset {source}", file=sys.stderr)
        ws, name = _linked_workspace(work, source)
        return _rank_dataset(work, ws, name, posts)
    sys.path.insert(0, str(REPO / "benchmarks"))
    dumps = work / "dumps"
    dump = dumps / f"se-{posts}"
    if not (dump / "Posts.xml").is_file():
        dumps.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, str(REPO / "benchmarks" / "se_dump.py"), str(dump),
             "--posts", str(posts)],
            check=True,
        )  # fmt: skip
    ws = work / "ws"
    cli = [sys.executable, "-m", "plainspoken"]
    subprocess.run([*cli, "init", str(ws)], check=True, capture_output=True)
    name = f"se{posts}"
    if not (ws / "datasets" / name).is_dir():
        subprocess.run(
            [*cli, "community", "import", str(dump), "--format", "stackexchange", "--name", name,
             "-w", str(ws)],
            check=True,
        )  # fmt: skip
    return _rank_dataset(work, ws, name, posts)


def _rank_dataset(work: Path, ws: Path, name: str, posts: int) -> dict[str, Any]:
    import duckdb

    found = duckdb.sql(
        f"SELECT t, COUNT(*) n FROM (SELECT unnest(tags) t FROM "
        f"read_parquet('{ws}/datasets/{name}/threads/*.parquet')) GROUP BY t ORDER BY n DESC "
        "LIMIT 1"
    ).fetchall()
    tag = found[0] if found else None
    topic = f"tag:{tag[0]}" if tag else "question"
    command = [sys.executable, __file__, "--rank-worker", topic, "--graph", str(ws),
               "--dataset", name, "--out", str(work / "ranking.csv")]  # fmt: skip
    wall, rss, code, last = measured(command)
    return {"posts": posts, "topic": topic, "wall_seconds": wall, "peak_rss_mb": rss,
            "returncode": code, "last_line": last}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--nodes", type=_count, default=1_000_000)
    parser.add_argument("--edges", type=_count, default=10_000_000)
    parser.add_argument("--skip", default="", help="kernels to skip, comma-separated")
    parser.add_argument("--ranking-posts", type=_count, default=0)
    parser.add_argument(
        "--ranking-dataset", help="WS:NAME, an imported dataset to rank instead of generating one"
    )
    parser.add_argument("--work", type=Path, default=REPO / ".bench" / "influence")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--graph", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--rank-worker", help=argparse.SUPPRESS)
    parser.add_argument("--dataset", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.rank_worker:
        rank_worker(args.graph, args.dataset, args.rank_worker, args.out)
        return 0
    if args.worker:
        worker(args.worker, args.graph, args.out)
        return 0
    args.work.mkdir(parents=True, exist_ok=True)
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    results: dict[str, Any] = {
        "nodes": args.nodes,
        "edges": args.edges,
        "cpus": os.cpu_count(),
        "kernels": run_kernels(args.work, args.nodes, args.edges, skip),
    }
    if args.ranking_posts:
        results["ranking"] = run_ranking(args.work, args.ranking_posts, args.ranking_dataset)
    (args.work / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"PageRank on {args.nodes:,} nodes / {args.edges:,} edges (tol {TOL:g}, L1)")
    print(
        "| kernel | arrays to ranks s | of which graph build s | read s | wall s | peak RSS MB "
        "| iterations | max abs diff vs default | time / default |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    base = next((r["seconds"] for r in results["kernels"] if r["kernel"] == "default"), None)
    for row in results["kernels"]:
        if "error" in row:
            print(f"| {row['kernel']} | failed: {row['error']} | | | | | | | |")
            continue
        ratio = f"{row['seconds'] / base:.1f}x" if base else "—"
        build = "in kernel" if row["build_seconds"] is None else f"{row['build_seconds']:.2f}"
        print(
            f"| {row['kernel']} | {row['seconds']:.2f} | {build} | "
            f"{row['read_seconds']:.1f} | {row['wall_seconds']:.1f} | {row['peak_rss_mb']:.0f} "
            f"| {row['iterations'] or '—'} | {row['max_abs_diff_vs_default']:.1e} | {ratio} |"
        )
    if "ranking" in results:
        r = results["ranking"]
        print(
            f"\nfull ranking, {r['posts']:,} posts, topic {r['topic']}: {r['wall_seconds']:.1f} s, "
            f"peak RSS {r['peak_rss_mb']:.0f} MB, exit {r['returncode']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
