"""Load benchmark of the web workbench: POST /api/check with 1,000-word documents.

Starts ``plainspoken serve`` on the loopback address (uvicorn, ``--workers``), logs in once,
then runs wrk (Debian's ``wrk``) against ``POST /api/check`` for ``--seconds`` after a short
warm-up, and prints requests/s, latency p50/p90/p99, errors (socket errors and non-2xx
answers) and the server's resident memory (all its processes) before and after the run.

    python benchmarks/bench_web.py [--seconds 60] [--workers 2] [--connections 8]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from plainspoken.config import Settings
from plainspoken.store import database_url, open_store
from plainspoken.store import users as store_users
from plainspoken.workspace import init

ROOT = Path(__file__).resolve().parent.parent
# Sentences of a made-up product page, written for this benchmark: most are plain, some are
# the marketing-speak the checker flags, so a document gets a realistic share of findings.
SENTENCES = [
    "The agent backs up each laptop every night and keeps thirty daily copies.",
    "A restore of one user's files takes about four minutes over the office link.",
    "You install it with one package and a token from the admin page.",
    "It does not back up network shares; use your file server's own snapshots for those.",
    "Our next-generation platform empowers teams to leverage seamless synergies.",
    "Reports list every machine that missed two backups in a row.",
    "We utilize a robust, best-in-class engine in order to deliver world-class results.",
    "Encryption keys stay on your server, and we never see them.",
    "The console shows which version each agent runs and when it last checked in.",
    "Pricing is per device, with no charge for storage under one terabyte.",
    "Industry-leading innovation will transform the way you work.",
    "If a laptop is offline for a week, the owner gets one reminder email.",
    "Admins can pause backups for a machine from the command line.",
    "Call us today to unlock the full potential of your data.",
    "Upgrades roll out to ten percent of agents first, then to the rest a day later.",
    "The agent uses under 60 MB of memory and pauses when the battery is low.",
]


def document(words: int, seed: int = 3) -> str:
    rng = random.Random(seed)
    out: list[str] = []
    count = 0
    while count < words:
        paragraph = [rng.choice(SENTENCES) for _ in range(rng.randint(3, 6))]
        count += sum(len(s.split()) for s in paragraph)
        out.append(" ".join(paragraph))
    return "\n\n".join(out) + "\n"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, in kB."""
    total = 0
    pids = [pid]
    while pids:
        current = pids.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            rss = [line for line in status.splitlines() if line.startswith("VmRSS")]
            total += int(rss[0].split()[1]) if rss else 0
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
            pids += [int(c) for c in children]
        except OSError:
            continue
    return total


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process and all its descendants, in seconds."""
    total = 0.0
    pids = [pid]
    tick = os.sysconf("SC_CLK_TCK")
    while pids:
        current = pids.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
            pids += [int(c) for c in children]
        except OSError:
            continue
    return total


LUA = """
wrk.method = "POST"
wrk.body = {body}
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = {cookie}
wrk.headers["X-CSRF-Token"] = {csrf}
function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    "RESULT {{\\"requests\\": %d, \\"seconds\\": %.3f, \\"errors\\": %d, \\"non2xx\\": %d, "
    .. "\\"p50_ms\\": %.2f, \\"p90_ms\\": %.2f, \\"p99_ms\\": %.2f, \\"max_ms\\": %.2f}}\\n",
    summary.requests, summary.duration / 1e6, errors, summary.errors.status,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
"""


def lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string literal is a valid Lua string literal here


def run_wrk(
    url: str, script: Path, seconds: int, connections: int, threads: int
) -> dict[str, float]:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s",
               "-s", str(script), url]  # fmt: skip
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(text for text in out.splitlines() if text.startswith("RESULT "))
    result: dict[str, float] = json.loads(line[len("RESULT ") :])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--words", type=int, default=1000)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench-web: wrk is not installed (apt-get install wrk)")
    folder = Path(tempfile.mkdtemp(prefix="bench-web-"))
    ws = init(folder / "ws")
    store = open_store(database_url(ws, Settings()))
    store_users.add_user(store, "bench", "bench-password", "viewer")
    store.close()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "plainspoken", "serve", "--workspace", str(ws.root),
         "--port", str(port), "--workers", str(args.workers)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    try:
        client = httpx.Client(base_url=base, timeout=30)
        deadline = time.monotonic() + 60
        while True:
            try:
                if client.get("/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                sys.exit("bench-web: the server did not start")
            time.sleep(0.2)
        csrf = client.get("/api/session").json()["csrf_token"]
        login = client.post(
            "/api/session",
            json={"username": "bench", "password": "bench-password"},
            headers={"X-CSRF-Token": csrf},
        )
        login.raise_for_status()
        csrf = login.json()["csrf_token"]
        cookie = f"plainspoken_session={client.cookies['plainspoken_session']}"
        text = document(args.words)
        body = json.dumps({"text": text, "audience": "it-practitioner"})
        probe = client.post("/api/check", content=body, headers={
            "X-CSRF-Token": csrf, "Content-Type": "application/json"})  # fmt: skip
        probe.raise_for_status()
        report = probe.json()["files"][0]
        script = folder / "post.lua"
        script.write_text(
            LUA.format(body=lua_string(body), cookie=lua_string(cookie), csrf=lua_string(csrf)),
            encoding="utf-8",
        )
        url = f"{base}/api/check"
        run_wrk(url, script, args.warmup, args.connections, args.threads)
        rss_start = rss_kb(server.pid)
        load_start = os.getloadavg()[0]
        cpu_start = cpu_seconds(server.pid)
        result = run_wrk(url, script, args.seconds, args.connections, args.threads)
        cpu_end = cpu_seconds(server.pid)
        load_end = os.getloadavg()[0]
        rss_end = rss_kb(server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        shutil.rmtree(folder, ignore_errors=True)
    rate = result["requests"] / result["seconds"]
    print(f"document: {report['words']} words, {len(report['findings'])} findings, "
          f"score {report['score']}")  # fmt: skip
    print(f"server: uvicorn, {args.workers} workers; load: wrk, {args.threads} thread(s), "
          f"{args.connections} connections, {args.seconds} s after a {args.warmup} s "
          "warm-up")  # fmt: skip
    print(f"requests: {int(result['requests']):,}  requests/s: {rate:.1f}")
    print(f"latency ms: p50 {result['p50_ms']:.1f}  p90 {result['p90_ms']:.1f}  "
          f"p99 {result['p99_ms']:.1f}  max {result['max_ms']:.1f}")  # fmt: skip
    print(f"errors: {int(result['errors'])} (non-2xx: {int(result['non2xx'])})")
    print(f"server RSS: {rss_start / 1024:.0f} MB at start, {rss_end / 1024:.0f} MB at end "
          f"({(rss_end - rss_start) / 1024:+.0f} MB)")  # fmt: skip
    per_request = (cpu_end - cpu_start) * 1000 / max(1, result["requests"])
    print(f"server CPU: {per_request:.1f} ms per request, so {args.workers} free cores would "
          f"serve about {args.workers * 1000 / per_request:.0f} requests/s")  # fmt: skip
    print(f"machine: {os.cpu_count()} cores; load average {load_start:.1f} before the run, "
          f"{load_end:.1f} at its end (the run itself raises it)")  # fmt: skip
    met = rate >= 150 and result["p99_ms"] < 100 and result["errors"] == 0
    print(f"target (>= 150 req/s, p99 < 100 ms, no errors): {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
