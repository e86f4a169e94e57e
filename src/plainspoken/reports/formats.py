"""Pick a renderer by name."""

from __future__ import annotations

from plainspoken.copy.finding import Report
from plainspoken.copy.rule import Rule
from plainspoken.errors import UsageError
from plainspoken.reports import machine, page

FORMATS = ("text", "json", "sarif", "github", "html")


def render(report: Report, fmt: str, rules: list[Rule], version: str, limit: int = 50) -> str:
    """Render a report as JSON, SARIF, GitHub annotations or HTML (text goes to the terminal)."""
    if fmt == "json":
        return machine.to_json(report)
    if fmt == "sarif":
        return machine.to_sarif(report, rules, version)
    if fmt == "github":
        return machine.to_github(report, limit)
    if fmt == "html":
        return page.to_html(report)
    raise UsageError(f"unknown format '{fmt}' (valid formats: {', '.join(FORMATS)})")
