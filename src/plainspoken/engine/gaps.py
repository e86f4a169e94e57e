"""Known differences between engines, declared as data.

A gap names a query and an engine on which that query is known not to match the reference
engine (DuckDB). The parity suite marks each declared gap as an expected failure (strict, so a
gap that gets fixed fails the suite until its entry is removed), and `Engine.run` refuses a
gapped query with a message instead of returning numbers that disagree.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Gap:
    """One query that does not give the reference results on one engine, and why."""

    query: str
    engine: str
    reason: str


GAPS: tuple[Gap, ...] = ()


def gap_for(query: str, engine: str) -> Gap | None:
    """The declared gap of ``query`` on ``engine``, if there is one."""
    for gap in GAPS:
        if gap.query == query and gap.engine == engine:
            return gap
    return None
