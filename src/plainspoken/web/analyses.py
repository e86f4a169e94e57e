"""Analysis jobs: run a community analysis and keep its report's files in the workspace, so
that the pages read them later without running it again."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from plainspoken.copy.runner import write_atomically

Report = Callable[[float, str], None]
REPORTS = "authenticity"
"""The folder of ``reports/`` where authenticity analyses are kept, one set of files per
dataset: NAME.json (for the page), NAME.html, NAME-threads.csv, -accounts.csv, -campaigns.csv."""
SHOWN_THREADS = 25


def authenticity_folder(workspace: Path) -> Path:
    return workspace / "reports" / REPORTS


def run_authenticity(
    params: dict[str, Any], report: Callable[[float, str], None]
) -> dict[str, Any]:
    """An authenticity job: analyse a dataset and keep the report's files in the workspace."""
    from plainspoken.community.authenticity import authenticity
    from plainspoken.reports.authenticity import CSV_TABLES, render_authenticity, timeline_svg

    steps = 0

    def step(message: str) -> None:
        nonlocal steps
        steps += 1
        report(min(0.9, steps / 10), message)

    name, workspace = str(params["name"]), Path(params["workspace"])
    result = authenticity(name, workspace, progress=step)
    shown = [t for t in result.threads if t.flagged][:SHOWN_THREADS]
    cited = {p for t in shown for e in t.evidence for p in e.post_ids[:4]}
    cited |= {p for c in result.campaigns for e in c.evidence for p in e.post_ids[:4]}
    saved = {
        "created_at": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "report": result.to_dict(),
        "posts": {p: text for p, text in result.posts.items() if p in cited},
        "timelines": {
            t.thread_id: timeline_svg(t.timeline, f"Replies to thread {t.thread_id} over time")
            for t in shown
        },
    }
    folder = authenticity_folder(workspace)
    folder.mkdir(parents=True, exist_ok=True)
    report(0.95, "writing the report")
    write_atomically(folder / f"{name}.html", render_authenticity(result, "html"))
    for table in CSV_TABLES:
        write_atomically(folder / f"{name}-{table}.csv", render_authenticity(result, "csv", table))
    write_atomically(folder / f"{name}.json", json.dumps(saved))
    return {
        "dataset": name,
        "analysis": "authenticity",
        "flagged_threads": len(result.flagged_threads),
        "flagged_accounts": len(result.flagged_accounts),
        "campaigns": sum(1 for c in result.campaigns if c.flagged),
    }


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


INFLUENCE = "influence"
TOP = 20
SLUG = re.compile(r"[a-z0-9-]{0,60}-[0-9a-f]{8}")


def influence_folder(workspace: Path, name: str) -> Path:
    return workspace / "reports" / INFLUENCE / name


def topic_slug(topic: str) -> str:
    """A file name for a topic: its words, then a hash of the exact text."""
    words = re.sub(r"[^a-z0-9]+", "-", topic.lower()).strip("-")[:60]
    return f"{words}-{hashlib.sha256(topic.encode()).hexdigest()[:8]}"


def run_influencers(params: dict[str, Any], report: Report) -> dict[str, Any]:
    """An influencer ranking job: rank a dataset's accounts on a topic; keep the ranking."""
    from plainspoken.community.influence import FACETS, influencers
    from plainspoken.reports.influence import ranking_chart, render_influence

    name, topic, workspace = str(params["name"]), str(params["topic"]), Path(params["workspace"])
    report(0.1, f"ranking accounts of '{name}' on {topic}")
    ranking = influencers(name, topic, workspace)
    report(0.9, "writing the ranking")
    shown = ranking.top(TOP)
    saved = {
        "created_at": _now(),
        "dataset": ranking.dataset,
        "topic": ranking.topic,
        "asked": topic,
        "engine": ranking.engine,
        "topic_threads": ranking.topic_threads,
        "ranked": len(ranking.accounts),
        "facets": list(FACETS),
        "notes": list(ranking.notes),
        "chart": ranking_chart(ranking, TOP).to_svg() if shown else "",
        "accounts": [
            {
                "account_id": a.account_id,
                "name": ranking.names.get(a.account_id) or a.name or a.account_id,
                "rank": a.rank,
                "score": a.score,
                "facets": {f: a.facets[f] for f in FACETS},
                "evidence": [e.to_dict() for e in a.evidence],
                "threads": [[t, ranking.thread_titles.get(t, "")] for t in a.threads],
                "reactors": [[r, ranking.names.get(r, ""), count] for r, count in a.reactors],
            }
            for a in shown
        ],
        "excluded": [{"account_id": x.account_id, "reason": x.reason} for x in ranking.excluded],
    }
    slug = topic_slug(topic)
    folder = influence_folder(workspace, name)
    folder.mkdir(parents=True, exist_ok=True)
    write_atomically(folder / f"{slug}.html", render_influence(ranking, "html", TOP))
    write_atomically(folder / f"{slug}.csv", render_influence(ranking, "csv"))
    write_atomically(folder / f"{slug}.ranking.json", render_influence(ranking, "json"))
    write_atomically(folder / f"{slug}.json", json.dumps(saved))
    return {
        "dataset": name,
        "analysis": "influencers",
        "topic": ranking.topic,
        "slug": slug,
        "ranked": len(ranking.accounts),
        "excluded": len(ranking.excluded),
    }
