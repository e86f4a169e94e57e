"""Turn library results into what templates draw: highlighted segments, charts, pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import nh3
from fastapi import Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from plainspoken.copy.finding import FileReport, Finding
from plainspoken.reports.chart import LineChart
from plainspoken.store import CheckInfo
from plainspoken.web.context import ctx
from plainspoken.web.security import template_globals


@dataclass(frozen=True)
class Segment:
    """A run of the document's text, with the finding that flags it (None for plain text)."""

    text: str
    finding: Finding | None = None
    number: int = 0


def segments(file: FileReport) -> list[Segment]:
    """The source text cut into plain runs and flagged runs (a finding that overlaps an
    earlier one is listed in the table but not highlighted twice)."""
    spans = sorted(
        (f for f in file.findings if f.start is not None and f.end is not None),
        key=lambda f: (f.start or 0, -(f.end or 0)),
    )
    out: list[Segment] = []
    pos = 0
    for n, finding in enumerate(spans, start=1):
        assert finding.start is not None and finding.end is not None
        if finding.start < pos:
            continue
        if finding.start > pos:
            out.append(Segment(file.source[pos : finding.start]))
        out.append(Segment(file.source[finding.start : finding.end], finding, n))
        pos = finding.end
    if pos < len(file.source):
        out.append(Segment(file.source[pos:]))
    return out


def score_class(score: int | None) -> str:
    if score is None:
        return "none"
    return "good" if score >= 75 else "ok" if score >= 50 else "bad"


def trend_chart(checks: list[CheckInfo]) -> str:
    """The score of each check of one document, oldest first, as an SVG line chart."""
    labels = tuple(f"#{n} {c.created_at:%m-%d %H:%M}" for n, c in enumerate(checks, start=1))
    scores = tuple(float(c.score) for c in checks)
    chart = LineChart("Score by check (0–100)", labels, (("score", scores),), top=100)
    return chart.to_svg()


def clean_html(value: str) -> Markup:
    """User or community HTML made safe to show: nh3 keeps harmless tags, drops the rest."""
    return Markup(nh3.clean(value, link_rel="nofollow noopener noreferrer"))


def when(moment: datetime | None) -> str:
    return "—" if moment is None else moment.strftime("%Y-%m-%d %H:%M UTC")


def page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    """Render a page template with the user and CSRF token every page needs."""
    templates = ctx(request).templates
    merged = {**template_globals(request), **context}
    return templates.TemplateResponse(request, name, merged, status_code=status)


def setup_filters(env: Any) -> None:
    env.filters["clean"] = clean_html
    env.filters["when"] = when
    env.globals["score_class"] = score_class
