"""Time `community authenticity` on generated Stack Exchange dumps, on DuckDB and Spark local.

    python benchmarks/bench_authenticity.py [--sizes 1M,10M] [--skip-spark]

Each size (rows of Posts.xml; comments come on top, about 2.2 posts per row) is generated
once with benchmarks/se_dump.py and imported once (cached under .bench/authenticity; once
imported, the dump itself may be deleted to save disk: 10M takes 28 GB), then
scored in a fresh process per engine, timed with /usr/bin/time for peak RSS; each run's log
(beside the results) has its steps with the time since the start (`--progress plain`). The
two engines' JSON results are compared (same flags, scores within 1e-9). Prints one line per
run and a table to paste into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _count(text: str) -> int:
    match = re.fullmatch(r"(\d+)([kKmM]?)", text)
    if not match:
        raise argparse.ArgumentTypeError(f"{text}: give a count such as 100k, 1M or 10M")
    return int(match.group(1)) * {"": 1, "k": 1_000, "m": 1_000_000}[match.group(2).lower()]


def _tree_pss(process: psutil.Process) -> int:
    """Proportional set size of a process and all its descendants (worker processes, a JVM):
    each shared page counts once, split between the processes that share it, so the sum is
    the memory the whole run takes."""
    total = 0
    for each in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += each.memory_full_info().pss
    return total


def _run(command: list[str], log: Path) -> tuple[float, int | None, int]:
    """Run a command; return wall seconds, the peak RSS in MB of its largest process (from
    /usr/bin/time -v) and the peak in MB of its whole process tree's proportional set size
    (sampled 5 times a second), which counts worker processes too."""
    timer = ["/usr/bin/time", "-v"] if Path("/usr/bin/time").exists() else []
    started = time.perf_counter()
    tree_peak = 0
    with log.open("w") as sink:
        child = subprocess.Popen([*timer, *command], stdout=sink, stderr=subprocess.STDOUT)
        watched = psutil.Process(child.pid)
        while child.poll() is None:
            tree_peak = max(tree_peak, _tree_pss(watched))
            time.sleep(0.2)
    seconds = time.perf_counter() - started
    text = log.read_text(errors="replace")
    if child.returncode != 0:
        raise SystemExit(f"failed ({child.returncode}): {' '.join(command)}; see {log}")
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    return seconds, int(peak.group(1)) // 1024 if peak else None, tree_peak // 2**20


def prepare(size: int, work: Path) -> tuple[Path, str]:
    label = f"{size // 1_000_000}M" if size % 1_000_000 == 0 else f"{size // 1000}k"
    dump, ws = work / "dumps" / label, work / "ws"
    name = f"g{label}"
    if (ws / "datasets" / name / "manifest.json").exists():
        return ws, name  # imported already: the dump is not needed (and may be deleted)
    if not (dump / "Posts.xml").exists():
        print(f"generating a {label}-post dump", flush=True)
        dump.mkdir(parents=True, exist_ok=True)
        _run([str(BIN / "python"), str(REPO / "benchmarks/se_dump.py"), str(dump), "--posts",
              str(size), "--quiet"], work / f"generate-{label}.log")  # fmt: skip
    print(f"importing {label}", flush=True)
    subprocess.run([str(BIN / "plainspoken"), "init", str(ws)], check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    seconds, _, _ = _run([str(BIN / "plainspoken"), "community", "import", str(dump),
                       "--format", "stackexchange", "--name", name, "-w", str(ws),
                       "--progress", "plain"],
                      work / f"import-{label}.log")  # fmt: skip
    print(f"  imported in {seconds:.0f} s", flush=True)
    return ws, name


def score(ws: Path, name: str, engine: str, work: Path) -> dict[str, Any]:
    out = work / f"{name}-{engine}.json"
    seconds, peak, tree = _run(
        [str(BIN / "plainspoken"), "community", "authenticity", name, "-w", str(ws),
         "--engine", engine, "-f", "json", "-o", str(out), "--progress", "plain"],
        work / f"{name}-{engine}.log",
    )  # fmt: skip
    threads = dict(_threads(out))
    flagged = sum(1 for is_flagged, _ in threads.values() if is_flagged)
    return {"engine": engine, "seconds": seconds, "peak_mb": peak, "tree_mb": tree,
            "threads": threads, "flagged": flagged}  # fmt: skip


def _threads(report: Path) -> Iterator[tuple[str, tuple[bool, float]]]:
    """Each thread's (flagged, score) from a JSON report, read a line at a time: the report
    writes one thread per line, and a big community's report (2.7 GB at 10M) made into Python
    objects whole would need several times its size in memory."""
    inside = False
    with report.open(encoding="utf-8") as lines:
        for line in lines:
            if not inside:
                inside = line.startswith('  "threads": [')
                if inside and line.rstrip().rstrip(",").endswith("]"):  # an empty list
                    return
                continue
            text = line.strip()
            if text.startswith("]"):
                return
            thread = json.loads(text.removesuffix(","))
            yield thread["thread_id"], (thread["flagged"], thread["score"])


def same(a: dict[str, tuple[bool, float]], b: dict[str, tuple[bool, float]]) -> bool:
    return a.keys() == b.keys() and all(
        a[k][0] == b[k][0] and abs(a[k][1] - b[k][1]) < 1e-9 for k in a
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--sizes", default="1M", help="Posts.xml rows, comma-separated")
    parser.add_argument("--work", type=Path, default=REPO / ".bench" / "authenticity")
    parser.add_argument("--skip-spark", action="store_true")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    cpu = os.cpu_count()
    print(f"machine: {platform.machine()}, {cpu} cores, Python {platform.python_version()}")
    rows = []
    for size in (_count(s) for s in args.sizes.split(",")):
        ws, name = prepare(size, args.work)
        manifest = json.loads((ws / "datasets" / name / "manifest.json").read_text())
        posts = manifest.get("counts", {}).get("posts", 0)
        runs = [score(ws, name, "duckdb", args.work)]
        if not args.skip_spark and shutil.which("java"):
            runs.append(score(ws, name, "spark", args.work))
        agree = len(runs) < 2 or same(runs[0]["threads"], runs[1]["threads"])
        for run in runs:
            flagged = run["flagged"]
            line = (
                f"{name}: {posts:,} posts, {run['engine']}: {run['seconds']:.0f} s, "
                f"peak RSS {run['peak_mb']} MB (largest process), {run['tree_mb']} MB (all "
                f"processes, PSS), {flagged} threads flagged"
            )
            print(line, flush=True)
            figures = (run["seconds"], run["peak_mb"], run["tree_mb"])
            rows.append((name, posts, run["engine"], *figures, flagged))
        print(f"{name}: engines agree: {agree}", flush=True)
    print(
        "\n| dataset | posts | engine | seconds | peak RSS MB, largest process "
        "| peak PSS MB, all processes | threads flagged |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, posts, engine, seconds, peak, tree, flagged in rows:
        print(f"| {name} | {posts:,} | {engine} | {seconds:.0f} | {peak} | {tree} | {flagged} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
