"""Draw community statistics as text, JSON or a self-contained HTML page with SVG charts."""

from __future__ import annotations

import json
from collections.abc import Mapping
from html import escape
from typing import Any

from plainspoken.community.stats import SHARES, BaseRates, CommunityStats
from plainspoken.errors import UsageError
from plainspoken.reports.chart import BarChart, LineChart

STATS_FORMATS = ("text", "json", "html")

_UNITS = ((86_400, "d"), (3_600, "h"), (60, "min"))


def duration(seconds: float | None) -> str:
    """A short human duration: '45 s', '12 min', '1 h', '3.5 h', '2 d', '52 d'."""
    if seconds is None:
        return "—"
    for size, unit in _UNITS:
        if seconds >= size:
            value = seconds / size
            if value >= 10 or value == round(value):
                return f"{value:.0f} {unit}"
            return f"{value:.1f} {unit}"
    return f"{seconds:.0f} s"


def bucket_label(lower: int, upper: int | None) -> str:
    """'under 1 min', '1–5 min', '30 min–1 h', …, '30 d and more'."""
    if upper is None:
        return f"{duration(lower)} and more"
    if lower == 0:
        return f"under {duration(upper)}"
    low, high = duration(lower), duration(upper)
    low_number, low_unit = low.split(" ")
    if high.endswith(f" {low_unit}"):
        return f"{low_number}–{high}"
    return f"{low}–{high}"


def percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.1f}%"


def rate_labels(parameters: Mapping[str, Any]) -> dict[str, str]:
    """What each base-rate share measures, in words, for the windows the run used."""
    day = duration(parameters.get("young_day_seconds", 86_400))
    week = duration(parameters.get("young_week_seconds", 604_800))
    window = duration(parameters.get("fast_window_seconds", 3_600))
    several = parameters.get("fast_answers", 2)
    return {
        "share_young_day": f"answers by accounts < {day} old",
        "share_young_week": f"answers by accounts < {week} old",
        "share_first_post": "answers that are the account's first post",
        "share_fast_threads": f"threads with {several}+ answers within {window}",
    }


def _rate_cells(rates: BaseRates) -> list[str]:
    return [percent(rates.share(name)) for name in SHARES]


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    """Columns padded to width: the first (a name) left-aligned, the numbers right-aligned."""
    widths = [max(len(c) for c in col) for col in zip(header, *rows, strict=True)]

    def line(cells: list[str]) -> str:
        padded = [cells[0].ljust(widths[0])]
        padded += [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join(padded).rstrip()

    return [line(header), *(line(row) for row in rows)]


def to_text(result: CommunityStats) -> str:
    """A plain-text summary for the terminal."""
    span = f", {' to '.join(result.time_range)}" if result.time_range else ""
    lines = [f"dataset {result.dataset} (engine {result.engine}{span})", ""]
    lines += _table(["table", "rows"], [[t, f"{n:,}"] for t, n in result.counts.items()])
    kinds = sorted({a.kind for a in result.activity})
    per = {(a.month, a.kind): a.posts for a in result.activity}
    lines += ["", "posts per month"]
    if result.months:
        lines += _table(
            ["month", *kinds],
            [[m, *(f"{per.get((m, k), 0):,}" for k in kinds)] for m in result.months],
        )
    else:
        lines.append("no dated posts or threads")
    lat = result.latency
    lines += ["", f"reply latency ({lat.answers:,} answers)"]
    lines.append("  ".join(f"{p} {duration(v)}" for p, v in lat.percentiles.items()))
    lines += _table(
        ["wait", "answers"],
        [[bucket_label(b.lower_seconds, b.upper_seconds), f"{b.answers:,}"] for b in lat.histogram],
    )
    labels = rate_labels(result.parameters)
    lines += ["", "base rates by month"]
    lines += [
        f"  {column}: share of {labels[name]}" for column, name in zip("ABCD", SHARES, strict=True)
    ]
    header = ["month", "answers", "threads", "A", "B", "C", "D"]
    rows = [
        [r.month, f"{r.answers:,}", f"{r.threads:,}", *_rate_cells(r)]
        for r in (*result.base_rates, result.overall)
    ]
    lines += _table(header, rows)
    return "\n".join(lines) + "\n"


def to_json(result: CommunityStats) -> str:
    return json.dumps(result.to_dict(), indent=2) + "\n"


_CSS = """
body{font:15px/1.5 system-ui,sans-serif;margin:0;background:#f6f6f3;color:#1c1c1c}
main{max-width:62rem;margin:0 auto;padding:1.5rem} h1{font-size:1.5rem}
h2{font-size:1.15rem;margin-top:2rem} svg.chart{width:100%;height:auto;background:#fff;
border:1px solid #ddd;border-radius:.4rem}
table{border-collapse:collapse;background:#fff;margin:.5rem 0}
td,th{border:1px solid #ddd;padding:.3rem .6rem;text-align:right;font-size:.9rem}
th:first-child,td:first-child{text-align:left;white-space:nowrap}
"""


def _html_table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def charts(result: CommunityStats) -> dict[str, BarChart | LineChart]:
    """The charts of the HTML report, as data."""
    months = result.months
    kinds = sorted({a.kind for a in result.activity})
    per = {(a.month, a.kind): a.posts for a in result.activity}
    by_month = {r.month: r for r in result.base_rates}
    labels = rate_labels(result.parameters)
    rate_series = tuple(
        (labels[name], tuple(by_month[m].share(name) if m in by_month else None for m in months))
        for name in SHARES
    )
    return {
        "activity": LineChart(
            "Posts per month by kind",
            months,
            tuple((k, tuple(float(per.get((m, k), 0)) for m in months)) for k in kinds),
        ),
        "latency": BarChart(
            "Answers by time to answer",
            tuple(bucket_label(b.lower_seconds, b.upper_seconds) for b in result.latency.histogram),
            tuple(float(b.answers) for b in result.latency.histogram),
        ),
        "base_rates": LineChart(
            "Base rates by month",
            months,
            rate_series,
            lambda v: f"{v * 100:.3g}%",
            counts=False,
        ),
    }


def to_html(result: CommunityStats) -> str:
    """A self-contained page: tables and inline SVG charts, no script."""
    drawn = {name: chart.to_svg() for name, chart in charts(result).items()}
    lat = result.latency
    counts = _html_table(["table", "rows"], [[t, f"{n:,}"] for t, n in result.counts.items()])
    percentiles = _html_table(
        ["answers", *lat.percentiles],
        [[f"{lat.answers:,}", *map(duration, lat.percentiles.values())]],
    )
    labels = rate_labels(result.parameters)
    rates = _html_table(
        ["month", "answers", "threads", *(labels[name] for name in SHARES)],
        [
            [r.month, f"{r.answers:,}", f"{r.threads:,}", *_rate_cells(r)]
            for r in (*result.base_rates, result.overall)
        ],
    )
    span = " to ".join(result.time_range)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(result.dataset)}: community stats</title><style>{_CSS}</style>"
        f"</head><body><main><h1>{escape(result.dataset)}: community stats</h1>"
        f"<p>Engine {escape(result.engine)}{'; ' + escape(span) if span else ''}.</p>"
        f"<h2>Tables</h2>{counts}"
        f"<h2>Activity</h2>{drawn['activity']}"
        f"<h2>Reply latency</h2>{percentiles}{drawn['latency']}"
        "<h2>Base rates</h2><p>What is normal here: judge a thread's new accounts, first "
        "posts and quick answers against these shares, not against zero.</p>"
        f"{drawn['base_rates']}{rates}</main></body></html>\n"
    )


def render_stats(result: CommunityStats, fmt: str) -> str:
    """Render community statistics as ``text``, ``json`` or ``html``."""
    if fmt == "text":
        return to_text(result)
    if fmt == "json":
        return to_json(result)
    if fmt == "html":
        return to_html(result)
    raise UsageError(f"unknown format '{fmt}' (valid formats: {', '.join(STATS_FORMATS)})")
