"""The 0-100 plain-talk score and its breakdown by category."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

from plainspoken.copy.finding import Finding

LEVEL_POINTS = {"suggestion": 1.0, "warning": 2.0, "error": 3.0}
# Penalty points per 100 words that take a document from 100 to about 37.
DENSITY_SCALE = 12.0
# Points a document-level finding costs, per level point.
DOCUMENT_POINTS = 2.5
MIN_WORDS = 30
QUOTE_FACTOR = 0.5


def score(
    findings: Iterable[Finding], words: int, weight: Callable[[Finding], float]
) -> tuple[int, dict[str, float]]:
    """Score a document and say how many points each category cost."""
    span_points: dict[str, float] = {}
    doc_points: dict[str, float] = {}
    for f in findings:
        points = LEVEL_POINTS[f.level] * weight(f) * (QUOTE_FACTOR if f.quoted else 1.0)
        if f.start is None:
            key = f.rule
            doc_points[key] = doc_points.get(key, 0.0) + points * DOCUMENT_POINTS
        else:
            span_points[f.category] = span_points.get(f.category, 0.0) + points
    total = sum(span_points.values())
    density = total * 100.0 / max(words, MIN_WORDS)
    lost = 100.0 * (1.0 - math.exp(-density / DENSITY_SCALE))
    breakdown = (
        {c: round(lost * p / total, 1) for c, p in sorted(span_points.items())} if total else {}
    )
    breakdown.update({k: round(v, 1) for k, v in sorted(doc_points.items())})
    value = 100.0 - lost - sum(doc_points.values())
    return max(0, min(100, round(value))), breakdown


def verdict(value: int) -> str:
    """A one-line verdict for a score."""
    if value >= 90:
        return "Plain: reads like a person who knows the product talking to a peer."
    if value >= 75:
        return "Mostly plain: a few phrases IT readers will skim past."
    if value >= 50:
        return "Needs work: marketing-speak gets in the way of what the product does."
    return "Marketing-speak: IT readers will tune this out; say what it does, with numbers."
