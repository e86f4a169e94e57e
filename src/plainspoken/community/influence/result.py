"""What a ranking returns: ranked accounts with facets and evidence, and the exclusions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from plainspoken.community.influence.clusters import Cluster
from plainspoken.community.influence.evidence import Evidence
from plainspoken.community.influence.facets import FACETS, Measures
from plainspoken.community.influence.params import Window


@dataclass(frozen=True)
class AccountInfluence:
    """One ranked account: its rank, score, facets, raw measures and evidence."""

    account_id: str
    name: str | None
    rank: int
    score: float
    facets: Mapping[str, float]
    measures: Measures
    evidence: tuple[Evidence, ...]
    reactors: tuple[tuple[str, int], ...] = ()
    """Who reacts to them on the topic (account id, reactions), most first."""
    threads: tuple[str, ...] = ()
    """The topic threads they took part in, most active first."""


@dataclass(frozen=True)
class Exclusion:
    """An account left out of the ranking, and why."""

    account_id: str
    reason: str


@dataclass(frozen=True)
class InfluenceRanking:
    """Everything ``plainspoken community influencers`` reports (numbers and evidence)."""

    dataset: str
    engine: str
    topic: str
    topic_threads: int
    seeds: int
    accounts: tuple[AccountInfluence, ...]
    excluded: tuple[Exclusion, ...]
    clusters: tuple[Cluster, ...] = ()
    thread_titles: Mapping[str, str] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)
    kernel: str = "scipy"
    iterations: int = 0
    window: Window = field(default_factory=Window)
    notes: tuple[str, ...] = ()

    def top(self, n: int) -> tuple[AccountInfluence, ...]:
        return self.accounts[:n]

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON, schema version 1."""
        return {
            "version": 1,
            "dataset": self.dataset,
            "topic": self.topic,
            "accounts": [
                {
                    "account_id": a.account_id,
                    "rank": a.rank,
                    "score": round(a.score, 6),
                    "facets": {f: round(a.facets[f], 6) for f in FACETS},
                    "evidence": [e.to_dict() for e in a.evidence],
                }
                for a in self.accounts
            ],
            "excluded": [{"account_id": x.account_id, "reason": x.reason} for x in self.excluded],
        }
