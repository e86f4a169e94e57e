"""Draw an authenticity analysis as text, JSON, CSV or a self-contained HTML page.

The words are "signals" and "unusual for this community", never accusations: a reader decides.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterator, Mapping, Sequence
from html import escape

from plainspoken.community.authenticity import SIGNALS, AuthenticityResult, ThreadScore
from plainspoken.community.authenticity.evaluation import Evaluation, Figures
from plainspoken.community.authenticity.result import AccountScore, Campaign, ReplyPoint
from plainspoken.errors import UsageError
from plainspoken.reports.stats import _table, duration

AUTHENTICITY_FORMATS = ("text", "json", "csv", "html")
CSV_TABLES = ("threads", "accounts", "campaigns")
_SHOWN = 10


def _signal_summary(thread: ThreadScore) -> str:
    strongest = sorted(thread.evidence, key=lambda e: -e.surprise)[:3]
    return ", ".join(f"{e.kind} {e.surprise:.1f}" for e in strongest) or "none"


def to_text(result: AuthenticityResult) -> str:
    """A plain-text summary: what is flagged and why, the base rates it was judged against."""
    flagged = result.flagged_threads
    point = result.operating_point
    lines = [
        f"dataset {result.dataset} (engine {result.engine}): {len(result.threads):,} threads, "
        f"{len(result.accounts):,} posting accounts",
        f"flagged: {len(flagged)} threads, {len(result.flagged_accounts)} accounts, "
        f"{sum(1 for c in result.campaigns if c.flagged)} of {len(result.campaigns)} campaigns "
        f"(at most {point['max_flag_rate'] * 100:g}% of threads; score >= "
        f"{max(point['thread_threshold'], point['thread_floor']):.1f})",
        "",
        "community base rates (share of replies)",
    ]
    lines += _table(
        ["signal", "share"],
        [[name, f"{result.base_rates.get(name, 0.0) * 100:.1f}%"] for name in SIGNALS],
    )
    shown = flagged or result.threads[:_SHOWN]
    title = "threads with signals" if flagged else "highest-scoring threads (none flagged)"
    lines += ["", title]
    lines += _table(
        ["thread", "score", "flagged", "strongest signals", "title"],
        [
            [t.thread_id, f"{t.score:.1f}", "yes" if t.flagged else "no", _signal_summary(t),
             t.title[:48]]
            for t in shown
        ],
    )  # fmt: skip
    campaigns = [c for c in result.campaigns if c.flagged] or list(result.campaigns[:_SHOWN])
    if campaigns:
        lines += ["", "linked accounts (campaign candidates)"]
        lines += _table(
            ["campaign", "score", "flagged", "accounts", "threads", "products"],
            [
                [c.campaign_id, f"{c.score:.1f}", "yes" if c.flagged else "no",
                 " ".join(c.accounts[:8]) + (" …" if len(c.accounts) > 8 else ""),
                 str(len(c.threads)), ", ".join(c.products[:3]) or "—"]
                for c in campaigns
            ],
        )  # fmt: skip
    accounts = result.flagged_accounts
    if accounts:
        lines += ["", "accounts with signals"]
        lines += _table(
            ["account", "score", "campaign", "strongest evidence"],
            [
                [a.account_id, f"{a.score:.1f}", a.campaign_id or "—",
                 (a.evidence[0].detail[:70] if a.evidence else "—")]
                for a in accounts[:50]
            ],
        )  # fmt: skip
    lines += [
        "",
        "Scores add how unusual each signal is at this community's own rates (-log10 of the "
        "chance); they are signals for a person to review, not verdicts.",
    ]
    return "\n".join(lines) + "\n"


def json_parts(result: AuthenticityResult) -> Iterator[str]:
    """The JSON report (schema version 1) in pieces, one thread, account or campaign per line,
    so a big community's report can be written without holding it whole."""
    head = {
        "version": 1,
        "dataset": result.dataset,
        "engine": result.engine,
        "operating_point": {k: round(v, 6) for k, v in result.operating_point.items()},
        "base_rates": {k: round(v, 6) for k, v in result.base_rates.items()},
    }
    yield "{\n"
    for key, value in head.items():
        yield f"  {json.dumps(key)}: {json.dumps(value)},\n"
    lists: tuple[tuple[str, Sequence[ThreadScore | AccountScore | Campaign]], ...] = (
        ("threads", result.threads),
        ("accounts", result.accounts),
        ("campaigns", result.campaigns),
    )
    for n, (key, items) in enumerate(lists):
        yield f"  {json.dumps(key)}: ["
        for i, item in enumerate(items):
            yield ("\n    " if i == 0 else ",\n    ") + json.dumps(item.to_dict())
        yield ("\n  ]" if items else "]") + (",\n" if n < len(lists) - 1 else "\n")
    yield "}\n"


def to_json(result: AuthenticityResult) -> str:
    return "".join(json_parts(result))


def to_csv(result: AuthenticityResult, table: str = "threads") -> str:
    """One table as CSV: ``threads`` (with each signal's count and surprise), ``accounts`` or
    ``campaigns``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if table == "threads":
        header = ["thread_id", "score", "flagged", "campaign_ids", "title"]
        for name in SIGNALS:
            header += [f"{name}_count", f"{name}_of", f"{name}_surprise"]
        writer.writerow(header)
        for t in result.threads:
            row: list[object] = [t.thread_id, f"{t.score:.3f}", t.flagged,
                                 " ".join(t.campaign_ids), t.title]  # fmt: skip
            for name in SIGNALS:
                s = t.signals[name]
                row += [s.count, s.of, f"{s.surprise:.3f}"]
            writer.writerow(row)
    elif table == "accounts":
        writer.writerow(["account_id", "name", "score", "flagged", "campaign_id", "evidence"])
        for a in result.accounts:
            writer.writerow(
                [a.account_id, a.name, f"{a.score:.3f}", a.flagged, a.campaign_id or "",
                 " | ".join(e.detail for e in a.evidence)]
            )  # fmt: skip
    elif table == "campaigns":
        writer.writerow(["campaign_id", "score", "flagged", "accounts", "threads", "products"])
        for c in result.campaigns:
            writer.writerow(
                [c.campaign_id, f"{c.score:.3f}", c.flagged, " ".join(c.accounts),
                 " ".join(c.threads), " ".join(c.products)]
            )  # fmt: skip
    else:
        raise UsageError(f"unknown CSV table '{table}' (tables: {', '.join(CSV_TABLES)})")
    return out.getvalue()


_CSS = """
body{font:15px/1.5 system-ui,sans-serif;margin:0;background:#f6f6f3;color:#1c1c1c}
main{max-width:64rem;margin:0 auto;padding:1.5rem} h1{font-size:1.5rem}
h2{font-size:1.2rem;margin-top:2.2rem} h3{font-size:1.05rem;margin:1.6rem 0 .4rem}
section.thread{background:#fff;border:1px solid #ddd;border-radius:.4rem;padding:.8rem 1rem;
margin:1rem 0} svg.timeline{width:100%;height:auto}
table{border-collapse:collapse;background:#fff;margin:.5rem 0;width:100%}
td,th{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;font-size:.88rem;vertical-align:top}
blockquote{margin:.4rem 0;padding:.4rem .8rem;border-left:4px solid #c5cae9;background:#fafafa;
font-size:.9rem;white-space:pre-wrap} .muted{color:#555} .legend span{margin-right:1rem}
.dot{display:inline-block;width:.8rem;height:.8rem;border-radius:50%;vertical-align:middle}
"""
_AGE_COLOURS = (
    (86_400.0, "#c62828", "under 1 day"),
    (604_800.0, "#ef6c00", "1–7 days"),
    (math.inf, "#1565c0", "older"),
)
_UNKNOWN = "#9e9e9e"


def _colour(age: float | None) -> str:
    if age is None or age < 0:
        return _UNKNOWN
    return next(colour for limit, colour, _ in _AGE_COLOURS if age < limit)


def timeline_svg(points: tuple[ReplyPoint, ...], title: str) -> str:
    """Replies on a log time axis (since the thread opened), coloured by account age; replies
    cited as evidence are ringed."""
    width, height, left, right = 720, 90, 40, 16
    span = max([p.seconds_after_start for p in points] + [60.0])
    top = math.log10(span + 1)

    def x(seconds: float) -> float:
        return left + (width - left - right) * math.log10(max(seconds, 0.0) + 1) / top

    parts = [
        f'<svg class="timeline" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" font-family="system-ui,sans-serif" font-size="10">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{left}" y1="50" x2="{width - right}" y2="50" stroke="#999"/>',
    ]
    for label, seconds in (("1 min", 60), ("1 h", 3600), ("1 d", 86400), ("30 d", 2592000)):
        if seconds <= span:
            parts.append(
                f'<line x1="{x(seconds):.1f}" y1="44" x2="{x(seconds):.1f}" y2="56" '
                f'stroke="#999"/><text x="{x(seconds):.1f}" y="72" text-anchor="middle">'
                f"{label}</text>"
            )
    for i, p in enumerate(points):
        y = 50 - 14 * ((i % 3) - 1)
        ring = ' stroke="#000" stroke-width="2"' if p.in_evidence else ""
        age = "unknown" if p.account_age_seconds is None else duration(p.account_age_seconds)
        parts.append(
            f'<circle cx="{x(p.seconds_after_start):.1f}" cy="{y}" r="6" '
            f'fill="{_colour(p.account_age_seconds)}"{ring}><title>post {escape(p.post_id)} by '
            f"{escape(p.account_id or 'unknown')}, {duration(p.seconds_after_start)} after the "
            f"question, account age {age}</title></circle>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _thread_section(result: AuthenticityResult, thread: ThreadScore) -> str:
    rows = "".join(
        f"<tr><td>{escape(name.replace('_', ' '))}</td><td>{s.count} of {s.of}</td>"
        f"<td>{s.base_rate * 100:.1f}%</td><td>{s.surprise:.1f}</td></tr>"
        for name, s in thread.signals.items()
    )
    table = (
        "<table><thead><tr><th>signal</th><th>this thread</th><th>community rate</th>"
        f"<th>surprise</th></tr></thead><tbody>{rows}</tbody></table>"
    )
    evidence = []
    for item in thread.evidence:
        quotes = "".join(
            f"<blockquote><strong>post {escape(p)}</strong>\n{escape(result.posts[p])}</blockquote>"
            for p in item.post_ids[:4]
            if p in result.posts
        )
        evidence.append(
            f"<li><strong>{escape(item.kind)}</strong> (surprise {item.surprise:.1f}): "
            f"{escape(item.detail)}{quotes}</li>"
        )
    legend = (
        "".join(
            f'<span><i class="dot" style="background:{c}"></i> {escape(label)}</span>'
            for _, c, label in _AGE_COLOURS
        )
        + f'<span><i class="dot" style="background:{_UNKNOWN}"></i> unknown</span>'
    )
    return (
        f'<section class="thread" id="thread-{escape(thread.thread_id)}">'
        f"<h3>Thread {escape(thread.thread_id)}: {escape(thread.title)}</h3>"
        f"<p>Score {thread.score:.1f}{'; ' + escape(', '.join(thread.campaign_ids)) if thread.campaign_ids else ''}.</p>"  # noqa: E501
        f"{timeline_svg(thread.timeline, 'Replies over time, coloured by account age')}"
        f'<p class="legend muted">{legend} — ringed: cited as evidence</p>'
        f"{table}<ul>{''.join(evidence)}</ul></section>"
    )


def to_html(result: AuthenticityResult) -> str:
    """A self-contained page: each flagged thread's timeline, evidence and base-rate comparison."""
    flagged = result.flagged_threads
    sections = "".join(_thread_section(result, t) for t in flagged) or (
        "<p>No thread passes the operating point. The highest scores are listed below.</p>"
    )
    top = "".join(
        f"<tr><td>{escape(t.thread_id)}</td><td>{t.score:.1f}</td>"
        f"<td>{'yes' if t.flagged else 'no'}</td><td>{escape(_signal_summary(t))}</td>"
        f"<td>{escape(t.title)}</td></tr>"
        for t in result.threads[:20]
    )
    campaigns = "".join(
        f"<tr><td>{escape(c.campaign_id)}</td><td>{c.score:.1f}</td>"
        f"<td>{'yes' if c.flagged else 'no'}</td><td>{escape(' '.join(c.accounts))}</td>"
        f"<td>{escape(' '.join(c.threads))}</td><td>{escape(', '.join(c.products))}</td></tr>"
        for c in result.campaigns[:30]
    )
    accounts = "".join(
        f"<tr><td>{escape(a.account_id)}</td><td>{escape(a.name)}</td><td>{a.score:.1f}</td>"
        f"<td>{escape(a.campaign_id or '—')}</td>"
        f"<td>{escape('; '.join(e.detail for e in a.evidence[:3]))}</td></tr>"
        for a in result.flagged_accounts
    )
    rates = "".join(
        f"<tr><td>{escape(name.replace('_', ' '))}</td>"
        f"<td>{result.base_rates.get(name, 0.0) * 100:.1f}%</td></tr>"
        for name in SIGNALS
    )
    point = result.operating_point
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(result.dataset)}: authenticity signals</title><style>{_CSS}</style>"
        f"</head><body><main><h1>{escape(result.dataset)}: authenticity signals</h1>"
        f"<p>{len(result.threads):,} threads and {len(result.accounts):,} posting accounts read "
        f"with {escape(result.engine)}. {len(flagged)} threads and "
        f"{len(result.flagged_accounts)} accounts pass the operating point (at most "
        f"{point['max_flag_rate'] * 100:g}% of threads). These are signals for a person to "
        "review: each is judged against what is normal in this community.</p>"
        "<h2>What is normal here</h2><table><thead><tr><th>signal</th><th>share of replies"
        f"</th></tr></thead><tbody>{rates}</tbody></table>"
        f"<h2>Threads with signals</h2>{sections}"
        "<h2>Highest-scoring threads</h2><table><thead><tr><th>thread</th><th>score</th>"
        "<th>flagged</th><th>strongest signals</th><th>title</th></tr></thead>"
        f"<tbody>{top}</tbody></table>"
        "<h2>Linked accounts</h2><table><thead><tr><th>campaign</th><th>score</th>"
        "<th>flagged</th><th>accounts</th><th>threads together</th><th>products praised</th>"
        f"</tr></thead><tbody>{campaigns}</tbody></table>"
        "<h2>Accounts with signals</h2><table><thead><tr><th>account</th><th>name</th>"
        "<th>score</th><th>campaign</th><th>evidence</th></tr></thead>"
        f"<tbody>{accounts}</tbody></table></main></body></html>\n"
    )


def render_authenticity(result: AuthenticityResult, fmt: str, table: str = "threads") -> str:
    """Render as ``text``, ``json``, ``csv`` (one ``table``) or ``html``."""
    if fmt == "text":
        return to_text(result)
    if fmt == "json":
        return to_json(result)
    if fmt == "csv":
        return to_csv(result, table)
    if fmt == "html":
        return to_html(result)
    raise UsageError(f"unknown format '{fmt}' (valid formats: {', '.join(AUTHENTICITY_FORMATS)})")


def evaluation_text(evaluation: Evaluation) -> str:
    """The evaluation as tables: each method's figures for threads and accounts, then by
    campaign strength."""

    def cell(value: float | None) -> str:
        return "—" if value is None else f"{value:.2f}"

    header = ["method", "unit", "precision", "recall", "PR-AUC", "recall@1% organic", "planted"]

    def rows(methods: Mapping[str, Mapping[str, Figures]]) -> list[list[str]]:
        return [
            [method, unit, cell(f.precision), cell(f.recall), cell(f.pr_auc),
             cell(f.recall_at_organic_rate), f"{f.positives}/{f.positives + f.organic}"]
            for method, units in methods.items()
            for unit, f in units.items()
        ]  # fmt: skip

    evidence = cell(evaluation.evidence_precision)
    lines = [
        f"dataset {evaluation.dataset}: {evaluation.campaigns} planted campaigns; "
        f"evidence precision {evidence}",
        "",
    ]
    lines += _table(header, rows(evaluation.methods))
    for strength, methods in evaluation.by_strength.items():
        lines += ["", f"{strength} campaigns"]
        lines += _table(header, rows(methods))
    return "\n".join(lines) + "\n"
