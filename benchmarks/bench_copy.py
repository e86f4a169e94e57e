"""Benchmark plainspoken against proselint and write-good on the same Markdown corpus.

    python benchmarks/bench_copy.py [--corpus DIR] [--only TOOLS] [--repeat N] [--json]

Without --corpus, a ~2 MB corpus of 200 files is generated into a temporary folder by
copy_corpus.py. Each tool runs as a child process with many files per call, so start-up is
paid once per call, not once per file. Wall time is the clock around the call; peak RSS is
the child's ru_maxrss, read by GNU time when /usr/bin/time is GNU's, else by a small Python
wrapper (which puts a floor of about 8 MB under it). A tool that is not installed is skipped
with a note on stderr. The in-process part times ``plainspoken.check(text,
audience="it-practitioner")`` on a document of about 1,000 words. MB means 10**6 bytes.
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
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from importlib import metadata
from pathlib import Path
from typing import Any

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
    """What ``cmd`` prints, or "" when it fails (an error text is no answer)."""
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout + done.stderr if done.returncode == 0 else ""


def version(cmd: list[str], fallback: str = "?") -> str:
    found = re.search(r"\d+\.\d+[\w.+-]*", (output(cmd).strip().splitlines() or [""])[0])
    return found.group(0) if found else fallback


def plainspoken_tool() -> Tool | None:
    exe = find_exe("plainspoken")
    if exe is None:
        return None
    try:  # the CLI has no --version today; the installed distribution knows its own
        known = metadata.version("plainspoken")
    except metadata.PackageNotFoundError:
        known = "?"
    prefix = [exe, "check", "--format", "json", "--no-fail"]
    return Tool("plainspoken", version([exe, "--version"], known), prefix, (0, 1), whole_dir=True)


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


# Peak RSS must come from a small process that spawns the tool: Linux carries the spawning
# process's high-water RSS into the child's ru_maxrss at exec, so os.wait4 on a child of this
# (large) benchmark process would report this process's size, not the tool's.
RSS_WRAPPER = (
    "import os,sys\n"
    "pid=os.posix_spawnp(sys.argv[2],sys.argv[2:],os.environ)\n"
    "_,status,usage=os.wait4(pid,0)\n"
    "open(sys.argv[1],'w').write(str(usage.ru_maxrss*(1 if sys.platform=='darwin' else 1024)))\n"
    "sys.exit(os.waitstatus_to_exitcode(status)%256)\n"
)


def rss_method() -> str:
    if "GNU" in output(["/usr/bin/time", "--version"]):
        return "GNU time"
    return "python wrapper" if hasattr(os, "posix_spawnp") else "none"


def run_measured(
    cmd: list[str], cwd: Path, env: dict[str, str] | None, timeout: float, method: str
) -> tuple[int, float, float | None, str, str]:
    """Run ``cmd``; return exit code, wall seconds, peak RSS in MB, stdout and stderr."""
    with tempfile.TemporaryDirectory() as scratch:
        record, out, err = (Path(scratch) / name for name in ("rss", "out", "err"))
        wrap = {
            "GNU time": ["/usr/bin/time", "-o", str(record), "-f", "%M"],
            "python wrapper": [sys.executable, "-I", "-S", "-c", RSS_WRAPPER, str(record)],
        }.get(method, [])
        with out.open("wb") as out_f, err.open("wb") as err_f:
            start = time.perf_counter()
            proc = subprocess.Popen(
                wrap + cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                stdout=out_f, stderr=err_f, start_new_session=True,
            )  # fmt: skip
            try:
                rc = proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)  # the wrapper and the tool under it
                rc = proc.wait()
            wall = time.perf_counter() - start
        words = record.read_text().split() if record.exists() else []
        rss = None
        if words and words[-1].isdigit():  # GNU time writes KiB, the wrapper bytes
            rss = int(words[-1]) * (1024 if method == "GNU time" else 1) / 1_000_000
        text = [f.read_bytes().decode("utf-8", "replace") for f in (out, err)]
        return rc, wall, rss, text[0], text[1]


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
            cmd = tool.prefix + group
            rc, secs, rss, out, err = run_measured(cmd, corpus, tool.env, args.timeout, args.rss)
            rss_seen += [] if rss is None else [rss]
            if rc not in tool.ok_codes or (tool.bad_stderr and tool.bad_stderr in err):
                tail = (err.strip().splitlines() or ["nothing on stderr"])[-1][:200]
                tail = f"timed out after {args.timeout:g} s" if secs >= args.timeout else tail
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
    return dict(words=len(text.split()), runs=runs, warmup=warmup, median_ms=median, p95_ms=p95)


def render(report: dict[str, Any]) -> str:
    c = report["corpus"]
    lines = [
        "## plainspoken copy benchmark",
        "",
        f"Corpus: {c['files']} files, {c['mb']:.2f} MB ({c['origin']}); "
        f"Python {platform.python_version()}, {os.cpu_count()} CPU(s), {platform.system()}; "
        f"peak RSS measured by {report['peak_rss_by']}.",
    ]
    if report["tools"]:
        lines += [
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
    if report["ratios"]:
        lines.append("")
    for name, value in report["ratios"].items():
        lines.append(f"plainspoken throughput vs {name}: {value:.2f}x")
    if report["tools"]:
        lines += ["", "How each tool was invoked:", ""]
        lines += [f"- {r['tool']}: `{r['invoked']}`" for r in report["tools"]]
    if report["skipped"]:
        lines += ["", "Skipped:", ""]
        lines += [f"- {name}: {why}" for name, why in report["skipped"].items()]
    lat = report["latency"]
    if lat:
        lines += [
            "",
            f'In-process `plainspoken.check(text, audience="it-practitioner")` on '
            f"{lat['words']} words: median {lat['median_ms']:.2f} ms, "
            f"p95 {lat['p95_ms']:.2f} ms ({lat['runs']} runs after {lat['warmup']} warm-up).",
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
    args.rss = rss_method()
    only = {p.strip() for p in args.only.split(",") if p.strip()}
    if only - set(PARTS) or args.repeat < 1:
        ap.error(f"--only takes {', '.join(PARTS)}; --repeat must be at least 1")
    with tempfile.TemporaryDirectory(prefix="plainspoken-bench-") as scratch:
        corpus, origin = args.corpus, str(args.corpus)
        if corpus is None:
            corpus, origin = Path(scratch) / "corpus", "generated by copy_corpus.py, seed default"
            copy_corpus.generate(corpus)
        corpus = corpus.resolve()
        files = sorted(
            p.relative_to(corpus).as_posix() for p in corpus.rglob("*.md") if p.is_file()
        )
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
    info = dict(path=str(corpus), origin=origin, files=len(files), bytes=size, mb=size / 1e6)
    tools = [asdict(r) for r in results]
    report = dict(corpus=info, tools=tools, ratios=ratios, skipped=skipped, latency=latency)
    report["peak_rss_by"] = args.rss
    print(json.dumps(report, indent=2) if args.json else render(report))
    return 0 if all(r.status == "ok" for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
