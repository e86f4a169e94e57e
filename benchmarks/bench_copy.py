"""Benchmark plainspoken against proselint and write-good on the same Markdown corpus.

    python benchmarks/bench_copy.py [--corpus DIR] [--only TOOLS] [--repeat N] [--json]

Without --corpus, a ~2 MB corpus of 200 files is generated into a temporary folder by
copy_corpus.py. Each tool runs as a child process with many files per call, so start-up is
paid once per call, not once per file. Wall time is the clock around the call; peak RSS comes
from os.wait4 on that one child. A tool that is not installed is skipped with a note on
stderr. The in-process part times ``plainspoken.check(text, audience="it-practitioner")``
on a document of about 1,000 words. MB means 10**6 bytes.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import IO, Any

import copy_corpus

REPO = Path(__file__).resolve().parents[1]
PARTS = ("plainspoken", "proselint", "write-good", "latency")
ARGV_BUDGET = 100_000  # characters of file names per call, well under Linux's ARG_MAX
MISSING = {
    "plainspoken": "no `plainspoken` on PATH or beside this Python (pip install -e .)",
    "proselint": "no `proselint` on PATH or beside this Python (pip install proselint)",
    "write-good": "no .bench/node_modules/.bin/write-good, or no node (make bench)",
}
FINDING_LINE = re.compile(r"^\S.*:\d+:\d+:")


@dataclass
class Tool:
    name: str
    version: str
    prefix: list[str]  # the command before the file arguments
    ok_codes: tuple[int, ...]  # exit codes that mean "ran to the end"
    bad_stderr: str = ""  # text on stderr that means a failure whatever the exit code
    env: dict[str, str] | None = None
    whole_dir: bool = False  # give the corpus folder instead of the file list


@dataclass
class Result:
    tool: str
    version: str
    invoked: str
    calls: int
    seconds: float
    mb_per_s: float
    peak_rss_mb: float | None
    findings: int | None
    status: str


def note(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def find_exe(name: str, *candidates: Path) -> str | None:
    for path in (*candidates, Path(sys.executable).parent / name):
        if path.is_file() and os.access(path, os.X_OK):
            return str(path)
    return shutil.which(name)


def output(cmd: list[str]) -> str:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout + done.stderr


def version(cmd: list[str]) -> str:
    found = re.search(r"\d+\.\d+[\w.+-]*", output(cmd))
    return found.group(0) if found else "?"


def plainspoken_tool() -> Tool | None:
    exe = find_exe("plainspoken")
    if exe is None:
        return None
    prefix = [exe, "check", "--format", "json", "--no-fail"]
    return Tool("plainspoken", version([exe, "--version"]), prefix, (0, 1), whole_dir=True)


def proselint_tool(cache_dir: Path) -> Tool | None:
    exe = find_exe("proselint")
    if exe is None:
        return None
    if re.search(r"^\s+check\s", output([exe, "--help"]), re.MULTILINE):  # 0.16+: subcommands
        # A file it cannot read is reported on stderr, and the exit code stays 0 or 1.
        prefix = [exe, "check", "--output-format", "compact"]
        return Tool("proselint", version([exe, "version"]), prefix, (0, 1), "Error encountered")
    # 0.14 and older: flags only, and results memoised on disk under $XDG_CACHE_HOME; point
    # that at an empty folder so a second benchmark run does not read cached answers.
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_dir)}
    return Tool("proselint", version([exe, "--version"]), [exe, "--compact"], (0, 1), env=env)


def write_good_tool(explicit: Path | None) -> Tool | None:
    local = REPO / ".bench" / "node_modules" / ".bin" / "write-good"
    exe = find_exe("write-good", *([explicit] if explicit else []), local)
    if exe is None or shutil.which("node") is None:
        return None
    # --parse: one "file:line:col:message" line per finding, exit 0 (none) or 255 (some).
    # Without it the exit code is the number of findings modulo 256. A crash prints a stack.
    return Tool("write-good", version([exe, "--version"]), [exe, "--parse"], (0, 255), "\n    at ")


def run_measured(
    cmd: list[str], cwd: Path, env: dict[str, str] | None, timeout: float
) -> tuple[int, float, float | None, str, str]:
    """Run ``cmd``; return exit code, wall seconds, peak RSS in MB, stdout and stderr."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err
        )
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            if hasattr(os, "wait4"):
                _, status, usage = os.wait4(proc.pid, 0)
                proc.returncode = os.waitstatus_to_exitcode(status)
                unit = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes vs KiB
                rss: float | None = usage.ru_maxrss * unit / 1_000_000
            else:
                proc.wait()
                rss = None
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
        return proc.returncode, wall, rss, _read(out), _read(err)


def _read(handle: IO[bytes]) -> str:
    handle.seek(0)
    return handle.read().decode("utf-8", "replace")


def batches(files: list[str], budget: int = ARGV_BUDGET) -> list[list[str]]:
    groups: list[list[str]] = [[]]
    used = 0
    for name in files:
        if groups[-1] and used + len(name) + 1 > budget:
            groups.append([])
            used = 0
        groups[-1].append(name)
        used += len(name) + 1
    return groups


def count_findings(tool: str, stdout: str) -> int | None:
    if tool != "plainspoken":
        return sum(1 for line in stdout.splitlines() if FINDING_LINE.match(line))
    try:
        data = json.loads(stdout)
    except ValueError:
        return None

    def walk(node: Any) -> int:
        if isinstance(node, dict):
            own = len(node["findings"]) if isinstance(node.get("findings"), list) else 0
            return own + sum(walk(v) for k, v in node.items() if k != "findings")
        return sum(walk(v) for v in node) if isinstance(node, list) else 0

    return walk(data)


def bench_tool(tool: Tool, corpus: Path, files: list[str], size: int, args: Any) -> Result:
    groups = [["."]] if tool.whole_dir else batches(files)
    shown = " ".join(Path(p).name if i == 0 else p for i, p in enumerate(tool.prefix))
    target = "." if tool.whole_dir else f"FILE x{len(files)}"
    invoked = f"{shown} {target} (cwd=corpus, {len(groups)} call(s))"
    result = Result(tool.name, tool.version, invoked, len(groups), 0.0, 0.0, None, None, "ok")
    walls: list[float] = []
    found: int | None = 0
    rss_seen: list[float] = []
    for _ in range(args.repeat):
        wall, found = 0.0, 0
        for group in groups:
            rc, secs, rss, out, err = run_measured(
                tool.prefix + group, corpus, tool.env, args.timeout
            )
            rss_seen += [] if rss is None else [rss]
            if rc not in tool.ok_codes or (tool.bad_stderr and tool.bad_stderr in err):
                tail = (err.strip().splitlines() or ["nothing on stderr"])[-1][:200]
                return replace(result, seconds=secs, status=f"failed (exit {rc}): {tail}")
            wall += secs
            n = count_findings(tool.name, out)
            found = None if n is None or found is None else found + n
        walls.append(wall)
    secs = statistics.median(walls)
    peak = max(rss_seen, default=None)
    return replace(
        result, seconds=secs, mb_per_s=size / 1e6 / secs, peak_rss_mb=peak, findings=found
    )


def latency_text(words: int = 1000) -> str:
    rng = random.Random("latency")
    parts = [copy_corpus.heading(rng, 1)]
    while sum(len(p.split()) for p in parts) < words:
        parts.append(
            copy_corpus.bullet_list(rng) if rng.random() < 0.2 else copy_corpus.paragraph(rng)
        )
    return "\n\n".join(parts) + "\n"


def bench_latency(runs: int, warmup: int) -> dict[str, Any]:
    try:
        from plainspoken import check
    except ImportError:
        sys.path.insert(0, str(REPO / "src"))
        from plainspoken import check
    text = latency_text()
    for _ in range(warmup):
        check(text, audience="it-practitioner")
    samples: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        check(text, audience="it-practitioner")
        samples.append((time.perf_counter() - start) * 1000)
    ranked = sorted(samples)
    p95 = ranked[math.ceil(0.95 * len(ranked)) - 1]
    median = statistics.median(ranked)
    return {
        "words": len(text.split()),
        "runs": runs,
        "warmup": warmup,
        "median_ms": median,
        "p95_ms": p95,
    }


def render(report: dict[str, Any]) -> str:
    c = report["corpus"]
    lines = [
        "## plainspoken copy benchmark",
        "",
        f"Corpus: {c['files']} files, {c['mb']:.2f} MB ({c['origin']}); "
        f"Python {platform.python_version()}, {os.cpu_count()} CPU(s), {platform.system()}.",
        "",
        "| tool | version | wall s | MB/s | peak RSS MB | calls | findings | status |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in report["tools"]:
        rss = "?" if r["peak_rss_mb"] is None else f"{r['peak_rss_mb']:.1f}"
        found = "?" if r["findings"] is None else str(r["findings"])
        lines.append(
            f"| {r['tool']} | {r['version']} | {r['seconds']:.2f} | "
            f"{r['mb_per_s']:.3f} | {rss} | {r['calls']} | {found} | {r['status']} |"
        )
    for name, value in report["ratios"].items():
        lines += ["", f"plainspoken throughput vs {name}: {value:.2f}x"]
    lines += ["", "How each tool was invoked:", ""]
    lines += [f"- {r['tool']}: `{r['invoked']}`" for r in report["tools"]]
    lines += [f"- {name}: skipped, {why}" for name, why in report["skipped"].items()]
    lat = report["latency"]
    if lat:
        lines += [
            "",
            f'In-process `plainspoken.check(text, audience="it-practitioner")` on '
            f"{lat['words']} words: median {lat['median_ms']:.2f} ms, "
            f"p95 {lat['p95_ms']:.2f} ms ({lat['runs']} runs after {lat['warmup']} "
            "warm-up).",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--corpus", type=Path, help="folder of .md files (default: generate one)")
    ap.add_argument("--only", default=",".join(PARTS), help=f"comma list of {', '.join(PARTS)}")
    ap.add_argument("--repeat", type=int, default=1, help="runs per tool; median wall is kept")
    ap.add_argument("--timeout", type=float, default=900.0, help="seconds per call")
    ap.add_argument("--write-good", type=Path, help="path to the write-good executable")
    ap.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    args = ap.parse_args(argv)
    only = {p.strip() for p in args.only.split(",") if p.strip()}
    if only - set(PARTS) or args.repeat < 1:
        ap.error(f"--only takes {', '.join(PARTS)}; --repeat must be at least 1")
    with tempfile.TemporaryDirectory(prefix="plainspoken-bench-") as scratch:
        corpus, origin = args.corpus, str(args.corpus)
        if corpus is None:
            corpus, origin = Path(scratch) / "corpus", "generated by copy_corpus.py, seed default"
            copy_corpus.generate(corpus)
        corpus = corpus.resolve()
        files = sorted(p.relative_to(corpus).as_posix() for p in corpus.rglob("*.md"))
        if not files:
            ap.error(f"{corpus} has no .md files")
        size = sum((corpus / f).stat().st_size for f in files)
        only_md = all(p.suffix == ".md" for p in corpus.rglob("*") if p.is_file())
        makers: dict[str, Callable[[], Tool | None]] = {
            "plainspoken": plainspoken_tool,
            "proselint": lambda: proselint_tool(Path(scratch) / "xdg-cache"),
            "write-good": lambda: write_good_tool(args.write_good),
        }
        results: list[Result] = []
        skipped: dict[str, str] = {}
        for name in (n for n in PARTS[:3] if n in only):
            tool = makers[name]()
            if tool is None:
                skipped[name] = MISSING[name]
                note(f"{name} {skipped[name]}")
                continue
            tool.whole_dir = tool.whole_dir and only_md
            note(f"running {name} {tool.version} on {len(files)} files ...")
            results.append(bench_tool(tool, corpus, files, size, args))
    by_name = {r.tool: r for r in results if r.status == "ok"}
    ratios = {
        n: by_name["plainspoken"].mb_per_s / by_name[n].mb_per_s
        for n in ("proselint", "write-good")
        if "plainspoken" in by_name and n in by_name
    }
    latency: dict[str, Any] | None = None
    if "latency" in only:
        try:
            latency = bench_latency(runs=50, warmup=5)
        except Exception as exc:  # the library is young; report, do not crash the table
            skipped["latency"] = f"{type(exc).__name__}: {exc}"
            note(f"latency skipped: {skipped['latency']}")
    info = {
        "path": str(corpus),
        "origin": origin,
        "files": len(files),
        "bytes": size,
        "mb": size / 1e6,
    }
    tools = [asdict(r) for r in results]
    report = {
        "corpus": info,
        "tools": tools,
        "ratios": ratios,
        "skipped": skipped,
        "latency": latency,
    }
    print(json.dumps(report, indent=2) if args.json else render(report))
    return 0 if all(r.status == "ok" for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
