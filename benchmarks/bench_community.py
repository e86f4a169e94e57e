"""Benchmark the Stack Exchange importer and `community stats` on generated dumps.

    python benchmarks/bench_community.py [--sizes 1M,10M] [--work DIR] [--skip-spark]

For each size, a dump of that many posts is generated once by se_dump.py and kept under
``WORK/dumps`` (keyed by size, seed and generator version). Then, in one run, side by side:

- the floor: ``lxml.etree.iterparse`` over the six files the importer reads (Posts, Users,
  Comments, Votes, PostLinks, Tags), reading every attribute of every row, in a child process;
- ``plainspoken community import DUMP --format stackexchange`` in a child process: wall time,
  posts/s, its ratio to the floor, peak RSS and the dataset's size on disk;
- ``plainspoken community stats`` on DuckDB and on Spark local: wall time and peak RSS.

Peak RSS is GNU time's "Maximum resident set size" (the largest single process) when
/usr/bin/time is GNU's; the whole process tree (for Spark, Python plus the JVM) is also
sampled every 0.2 s. Wall times include interpreter start-up. Results go to stdout as a
table and to ``WORK-results.json`` beside the work folder (one entry per size: the
latest run of that size). MB means 10**6 bytes.
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
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import se_dump

REPO = Path(__file__).resolve().parents[1]
READ_FILES = ("Posts.xml", "Users.xml", "Comments.xml", "Votes.xml", "PostLinks.xml", "Tags.xml")
SITE = "bench.stackexchange.com"
TARGET_RATIO = 0.5  # import posts/s over floor posts/s
TARGET_10M_SECONDS = 15 * 60
TARGET_RSS_MB = 2000.0
GNU_RSS = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")


@dataclass
class Run:
    """One child process: how long it took, how much memory, how it ended."""

    command: str
    seconds: float
    peak_rss_mb: float | None  # GNU time: the largest process
    tree_rss_mb: float | None  # sampled: the whole process tree
    returncode: int
    error: str = ""


@dataclass
class SizeResult:
    posts: int
    label: str
    dump: str
    dump_mb: float
    rows: dict[str, int]
    generated_seconds: float | None  # None when the dump came from the cache
    floor: Run | None = None
    floor_parse_seconds: float | None = None
    floor_posts_per_s: float | None = None
    floor_from: str | None = None  # when the floor was reused: the run it was measured in
    import_run: Run | None = None
    import_posts_per_s: float | None = None
    import_ratio: float | None = None
    output_mb: float | None = None
    stats: dict[str, Run] = field(default_factory=dict)
    loads: list[str] = field(default_factory=list)  # before each step: other jobs show here


def note(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


# -- the floor: a raw parse ------------------------------------------------------------------


def floor(dump: Path) -> dict[str, Any]:
    """Parse the files the importer reads with lxml's iterparse, reading every attribute."""
    from lxml import etree

    rows: dict[str, int] = {}
    began = time.perf_counter()
    for name in READ_FILES:
        path = dump / name
        if not path.is_file():
            continue
        n = 0
        values = 0
        context = etree.iterparse(
            str(path),
            events=("end",),
            tag="row",
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
        )
        for _, element in context:
            values += len(element.items())
            element.clear()
            parent = element.getparent()
            while element.getprevious() is not None:
                del parent[0]
            n += 1
        rows[name] = n
    seconds = time.perf_counter() - began
    return {"seconds": seconds, "rows": rows}


# -- running and measuring children ----------------------------------------------------------


def gnu_time() -> str | None:
    path = shutil.which("time", path="/usr/bin:/bin") or ""
    if not path:
        return None
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)
    except OSError:
        return None
    return path if "GNU" in (out.stdout + out.stderr) else None


def _tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and all its descendants."""
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with Path(f"/proc/{entry.name}/stat").open("rb") as f:
                stat = f.read().rsplit(b")", 1)[1].split()
            parents[int(entry.name)] = int(stat[1])
        except (OSError, IndexError, ValueError):
            continue
    tree = {root}
    grew = True
    while grew:
        grew = False
        for pid, ppid in parents.items():
            if ppid in tree and pid not in tree:
                tree.add(pid)
                grew = True
    page = os.sysconf("SC_PAGE_SIZE")
    total = 0
    for pid in tree:
        try:
            with Path(f"/proc/{pid}/statm").open("rb") as f:
                total += int(f.read().split()[1]) * page
        except (OSError, IndexError, ValueError):
            continue
    return total


def run_measured(
    command: list[str], log: Path, env: dict[str, str] | None = None, stdout: Path | None = None
) -> Run:
    """Run ``command`` to the end under GNU time (when there), sampling its tree's RSS."""
    timer = gnu_time()
    report = log.with_suffix(".time")
    full = [timer, "-v", "-o", str(report), *command] if timer else command
    peak = 0
    began = time.perf_counter()
    with log.open("wb") as err, (stdout or Path(os.devnull)).open("wb") as out:
        child = subprocess.Popen(full, stdout=out, stderr=err, env=env, cwd=REPO)
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.wait(0.2):
                peak = max(peak, _tree_rss(child.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        code = child.wait()
        done.set()
        sampler.join()
    seconds = time.perf_counter() - began
    rss = None
    if timer and report.is_file():
        text = report.read_text(encoding="utf-8", errors="replace")
        found = GNU_RSS.search(text)
        rss = int(found.group(1)) / 1000 if found else None
        if "Command exited with non-zero status" in text or "Command terminated" in text:
            code = code or 1
    error = ""
    if code:
        tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-5:]
        error = " | ".join(tail)[-600:]
    return Run(" ".join(command), round(seconds, 2), rss, round(peak / 1e6, 1) or None, code, error)


# -- the machine ---------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = round(int(line.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    try:
        version = metadata.version("plainspoken")
    except metadata.PackageNotFoundError:
        version = "unknown"
    return {
        "cores": os.cpu_count(),
        "ram_gib": ram,
        "cpu": cpu,
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "plainspoken": version,
        "gnu_time": gnu_time() is not None,
    }


def load() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def step_load(result: SizeResult) -> str:
    """The load average now, kept with the result (before a step, it is other jobs' load)."""
    now = load()
    result.loads.append(now)
    return now


def shared(loads: list[str]) -> bool:
    """Whether other jobs were running: a 1-minute load above 0.5 before the run started.

    (Later loads include this run's own previous step, so they are printed, not judged.)
    """
    return loads[0] != "unknown" and float(loads[0].split()[0]) > 0.5


# -- the benchmark ---------------------------------------------------------------------------


def label_of(posts: int) -> str:
    if posts % 1_000_000 == 0:
        return f"{posts // 1_000_000}M"
    if posts % 1_000 == 0:
        return f"{posts // 1_000}K"
    return str(posts)


def folder_mb(folder: Path) -> float:
    total = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    return round(total / 1e6, 1)


def dump_for(work: Path, posts: int, seed: int, jobs: int) -> tuple[Path, dict[str, Any], bool]:
    """The cached dump of ``posts`` posts, generated first when missing."""
    key = f"se-{label_of(posts)}-seed{seed}-v{se_dump.GENERATOR_VERSION}"
    dump = work / "dumps" / key / SITE  # a host name: the importer takes the site from it
    done = dump / ".complete.json"
    if done.is_file():
        return dump, json.loads(done.read_text(encoding="utf-8")), False
    for stale in (work / "dumps").glob(f"se-{label_of(posts)}-seed{seed}-v*"):
        shutil.rmtree(stale)  # older generator versions, or an interrupted run
    note(f"generating {posts:,} posts into {dump} ({jobs} processes)")
    counts = se_dump.generate(dump, posts, seed, jobs=jobs, progress=True)
    info = asdict(counts)
    done.write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    return dump, info, True


def results_path(work: Path) -> Path:
    return work.parent / f"{work.name}-results.json"


def previous_floor(args: argparse.Namespace, label: str, dump: Path) -> dict[str, Any] | None:
    """The floor an earlier run measured on this very dump, if there is one."""
    try:
        entry = json.loads(results_path(args.work).read_text(encoding="utf-8"))["sizes"][label]
    except (OSError, ValueError, KeyError):
        return None
    if entry.get("dump") != str(dump) or not entry.get("floor_posts_per_s"):
        return None
    if entry.get("floor_from"):  # reused there too: keep the original's date
        entry["run"] = {"started": entry["floor_from"]}
    return dict(entry)


def plainspoken_command() -> list[str]:
    exe = Path(sys.executable).parent / "plainspoken"
    if exe.is_file():
        return [str(exe)]
    found = shutil.which("plainspoken")
    return [found] if found else [sys.executable, "-m", "plainspoken"]


def has_import_command() -> bool:
    probe = subprocess.run(
        [*plainspoken_command(), "community", "import", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    return probe.returncode == 0


def bench_size(posts: int, args: argparse.Namespace, workspace: Path, logs: Path) -> SizeResult:
    label = label_of(posts)
    dump, info, generated = dump_for(args.work, posts, args.seed, args.jobs)
    rows = {
        "Posts.xml": info["posts"],
        "Users.xml": info["users"],
        "Comments.xml": info["comments"],
        "Votes.xml": info["votes"],
        "PostLinks.xml": info["post_links"],
        "Tags.xml": info["tags"],
    }
    result = SizeResult(
        posts=posts,
        label=label,
        dump=str(dump),
        dump_mb=round(info["bytes"] / 1e6, 1),
        rows=rows,
        generated_seconds=info["seconds"] if generated else None,
    )
    env = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1"}

    earlier = previous_floor(args, label, dump) if args.reuse_floor else None
    if earlier is not None:
        note(f"{label}: reusing the floor measured on this dump at {earlier['run']['started']}")
        result.floor = Run(**earlier["floor"])
        result.floor_parse_seconds = earlier["floor_parse_seconds"]
        result.floor_posts_per_s = earlier["floor_posts_per_s"]
        result.floor_from = earlier["run"]["started"]
    else:
        note(f"{label}: floor (lxml iterparse), load {step_load(result)}")
        floor_json = logs / f"floor-{label}.json"
        result.floor = run_measured(
            [sys.executable, str(Path(__file__).resolve()), "--floor", str(dump)],
            logs / f"floor-{label}.log",
            env,
            stdout=floor_json,
        )
    if result.floor_from is None and not result.floor.returncode:
        parsed = json.loads(floor_json.read_text(encoding="utf-8"))
        result.floor_parse_seconds = round(parsed["seconds"], 2)
        result.floor_posts_per_s = round(posts / parsed["seconds"])

    if args.skip_import:
        return result
    name = f"bench-{label}"
    shutil.rmtree(workspace / "datasets" / name, ignore_errors=True)
    note(f"{label}: plainspoken community import, load {step_load(result)}")
    if has_import_command():
        command = [
            *plainspoken_command(),
            "community",
            "import",
            str(dump),
            "--format",
            "stackexchange",
            "--name",
            name,
            "--workspace",
            str(workspace),
        ]
    else:  # the library call, while the command is not there yet
        note("no `plainspoken community import` command: calling import_dataset")
        code = (
            "import sys; from pathlib import Path; "
            "from plainspoken.community.importing import import_dataset; "
            "import_dataset(Path(sys.argv[1]), 'stackexchange', sys.argv[2], Path(sys.argv[3]))"
        )
        command = [sys.executable, "-c", code, str(dump), name, str(workspace)]
    result.import_run = run_measured(command, logs / f"import-{label}.log", env)
    if result.import_run.returncode:
        note(f"{label}: import failed: {result.import_run.error}")
        return result
    result.import_posts_per_s = round(posts / result.import_run.seconds)
    if result.floor_posts_per_s:
        result.import_ratio = round(result.import_posts_per_s / result.floor_posts_per_s, 3)
    result.output_mb = folder_mb(workspace / "datasets" / name)

    engines = ["duckdb"] if args.skip_spark else ["duckdb", "spark"]
    for engine in engines:
        note(f"{label}: community stats on {engine}, load {step_load(result)}")
        out = logs / f"stats-{label}-{engine}.json"
        run = run_measured(
            [
                *plainspoken_command(),
                "community",
                "stats",
                name,
                "--workspace",
                str(workspace),
                "--engine",
                engine,
                "--format",
                "json",
            ],
            logs / f"stats-{label}-{engine}.log",
            env,
            stdout=out,
        )
        if not run.returncode:
            try:
                json.loads(out.read_text(encoding="utf-8"))
            except ValueError as exc:
                run.returncode, run.error = 1, f"stats printed no JSON ({exc})"
        result.stats[engine] = run
    return result


# -- the report ------------------------------------------------------------------------------


def _num(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "-"
    return f"{value:,.{digits}f}"


def _mb(run: Run | None) -> str:
    if run is None:
        return "-"
    return f"{_num(run.peak_rss_mb)} / {_num(run.tree_rss_mb)}"


def table(results: list[SizeResult]) -> str:
    lines = [
        "| posts | step | wall s | posts/s | vs floor | peak RSS MB (process / tree) | output MB |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        gen = "cached" if r.generated_seconds is None else f"{r.generated_seconds:,.1f}"
        lines.append(
            f"| {r.label} | generate dump ({r.dump_mb:,.0f} MB XML) | {gen} | - | - | - | - |"
        )
        if r.floor is not None:
            status = "" if not r.floor.returncode else " FAILED"
            if r.floor_from:
                status += f" (measured in an earlier run, {r.floor_from})"
            lines.append(
                f"| {r.label} | floor: lxml iterparse{status} | {_num(r.floor_parse_seconds)} | "
                f"{_num(r.floor_posts_per_s, 0)} | 1.00 | {_mb(r.floor)} | - |"
            )
        if r.import_run is not None:
            run = r.import_run
            status = "" if not run.returncode else " FAILED"
            ratio = "-" if r.import_ratio is None else f"{r.import_ratio:.2f}"
            lines.append(
                f"| {r.label} | plainspoken community import{status} | {_num(run.seconds)} | "
                f"{_num(r.import_posts_per_s, 0)} | {ratio} | {_mb(run)} | "
                f"{_num(r.output_mb)} |"
            )
        for engine, run in r.stats.items():
            status = "" if not run.returncode else " FAILED"
            lines.append(
                f"| {r.label} | community stats, {engine}{status} | {_num(run.seconds)} | - | - | "
                f"{_mb(run)} | - |"
            )
    return "\n".join(lines)


def targets(results: list[SizeResult]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for r in results:
        if r.import_ratio is not None:
            out.append(
                {
                    "target": f"{r.label}: import >= 50% of raw parse speed",
                    "value": f"{r.import_ratio:.0%}",
                    "pass": r.import_ratio >= TARGET_RATIO,
                }
            )
    ten = [
        r for r in results if r.posts == 10_000_000 and r.import_run and not r.import_run.returncode
    ]
    if ten and ten[0].import_run is not None:
        seconds = ten[0].import_run.seconds
        out.append(
            {
                "target": "10M posts imported in <= 15 min (2 cores)",
                "value": f"{seconds / 60:.1f} min",
                "pass": seconds <= TARGET_10M_SECONDS,
            }
        )
    else:
        measured = [r for r in results if r.import_posts_per_s]
        if measured:
            best = max(measured, key=lambda r: r.posts)
            assert best.import_posts_per_s is not None
            minutes = 10_000_000 / best.import_posts_per_s / 60
            out.append(
                {
                    "target": "10M posts imported in <= 15 min (2 cores)",
                    "value": f"not run; {minutes:.1f} min at the {best.label} rate",
                    "pass": None,
                }
            )
    for r in results:
        if r.import_run is not None and r.import_run.peak_rss_mb is not None:
            rss = max(r.import_run.peak_rss_mb, r.import_run.tree_rss_mb or 0.0)
            out.append(
                {
                    "target": f"{r.label}: import peak RSS <= 2 GB",
                    "value": f"{rss:,.0f} MB",
                    "pass": rss <= TARGET_RSS_MB,
                }
            )
    return out


def report(results: list[SizeResult], info: dict[str, Any], loads: list[str]) -> str:
    lines = [
        f"Machine: {info['cores']} cores ({info['cpu']}), {info['ram_gib']} GiB RAM, "
        f"{info['system']}, Python {info['python']}, plainspoken {info['plainspoken']}",
        f"Load average (1/5/15 min) at start and end: {loads[0]}; {loads[-1]}"
        + (
            " — the machine was shared with other jobs, so wall times are inflated"
            if shared(loads)
            else ""
        ),
        "Load average before each step: "
        + "; ".join(f"{r.label}: {', '.join(x.split()[0] for x in r.loads)}" for r in results),
        "",
        table(results),
        "",
        "Targets:",
    ]
    for t in targets(results):
        verdict = {True: "PASS", False: "FAIL", None: "not measured"}[t["pass"]]
        lines.append(f"- {t['target']}: {t['value']} — {verdict}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--sizes", default="1M,10M", help="posts per dump, comma-separated")
    parser.add_argument("--work", type=Path, default=REPO / ".bench" / "community")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="to generate")
    parser.add_argument("--skip-spark", action="store_true", help="time stats on DuckDB only")
    parser.add_argument("--skip-import", action="store_true", help="generate and parse only")
    parser.add_argument(
        "--reuse-floor",
        action="store_true",
        help="take the floor from an earlier run on the same cached dump (saves a long parse)",
    )
    parser.add_argument("--floor", type=Path, help=argparse.SUPPRESS)  # the child's job
    args = parser.parse_args(argv)
    if args.floor is not None:
        print(json.dumps(floor(args.floor)))
        return 0
    sizes = [se_dump._count(s.strip()) for s in args.sizes.split(",") if s.strip()]
    args.work = args.work.resolve()
    args.work.mkdir(parents=True, exist_ok=True)
    logs = args.work / "logs"
    logs.mkdir(exist_ok=True)
    workspace = args.work / "workspace"
    if not args.skip_import:
        subprocess.run(
            [*plainspoken_command(), "init", str(workspace)], check=True, capture_output=True
        )
    info = machine()
    loads = [load()]
    began = datetime.now(UTC)
    results: list[SizeResult] = []
    for posts in sizes:
        results.append(bench_size(posts, args, workspace, logs))
        loads.append(load())
    text = report(results, info, loads)
    print(text)
    out = results_path(args.work)
    run = {
        "started": began.isoformat(timespec="seconds"),
        "command": " ".join(["bench_community.py", *(sys.argv[1:] if argv is None else argv)]),
        "machine": info,
        "load_averages": loads,
        "targets": targets(results),
        "table": table(results),
    }
    # One entry per size, the latest run's: runs of other sizes are kept.
    payload: dict[str, Any] = {"sizes": {}}
    if out.is_file():
        with contextlib.suppress(ValueError):
            payload = json.loads(out.read_text(encoding="utf-8"))
    for r in results:
        payload.setdefault("sizes", {})[r.label] = {**asdict(r), "run": run}
    payload["latest"] = run
    tmp = Path(tempfile.mkstemp(dir=out.parent, prefix=out.name, suffix=".tmp")[1])
    tmp.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    tmp.replace(out)
    note(f"results written to {out}")
    failed = [r for r in results if r.import_run is not None and r.import_run.returncode]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
