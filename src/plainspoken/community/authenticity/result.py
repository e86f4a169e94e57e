"""What the authenticity analysis reports: scored threads, accounts and campaigns, with evidence.

Scores are sums of surprises (``surprise.py``): how unlikely the observed signals are at the
community's own base rates. ``flagged`` marks what passes the operating point; the wording is
"signals", never accusations.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Evidence:
    """One piece of support for a score: what was seen, where, and how unusual it is."""

    kind: str
    detail: str
    surprise: float
    post_ids: tuple[str, ...] = ()
    account_ids: tuple[str, ...] = ()
    base_rate: float | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": self.kind,
            "detail": self.detail,
            "surprise": round(self.surprise, 3),
            "post_ids": list(self.post_ids),
            "account_ids": list(self.account_ids),
        }
        if self.base_rate is not None:
            out["base_rate"] = round(self.base_rate, 6)
        return out


@dataclass(frozen=True, slots=True)
class Signal:
    """A thread-level signal: ``count`` of ``of`` replies showed it, against ``base_rate``."""

    count: int
    of: int
    base_rate: float
    surprise: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "of": self.of,
            "base_rate": round(self.base_rate, 6),
            "surprise": round(self.surprise, 3),
        }


@dataclass(frozen=True, slots=True)
class ReplyPoint:
    """One reply on a thread's timeline (for the HTML report)."""

    post_id: str
    account_id: str | None
    seconds_after_start: float
    account_age_seconds: float | None
    in_evidence: bool


@dataclass(frozen=True, slots=True)
class ThreadScore:
    thread_id: str
    title: str
    score: float
    flagged: bool
    signals: Mapping[str, Signal]
    evidence: tuple[Evidence, ...]
    campaign_ids: tuple[str, ...] = ()
    timeline: tuple[ReplyPoint, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "thread_id": self.thread_id,
            "title": self.title,
            "score": round(self.score, 3),
            "flagged": self.flagged,
            "campaign_ids": list(self.campaign_ids),
            "signals": {name: s.to_dict() for name, s in self.signals.items()},
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass(frozen=True, slots=True)
class AccountScore:
    account_id: str
    name: str
    score: float
    flagged: bool
    campaign_id: str | None
    evidence: tuple[Evidence, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "account_id": self.account_id,
            "name": self.name,
            "score": round(self.score, 3),
            "flagged": self.flagged,
            "campaign_id": self.campaign_id,
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass(frozen=True, slots=True)
class Campaign:
    campaign_id: str
    accounts: tuple[str, ...]
    threads: tuple[str, ...]
    products: tuple[str, ...]
    score: float
    flagged: bool
    evidence: tuple[Evidence, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "campaign_id": self.campaign_id,
            "accounts": list(self.accounts),
            "threads": list(self.threads),
            "products": list(self.products),
            "score": round(self.score, 3),
            "flagged": self.flagged,
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass(frozen=True, slots=True)
class AuthenticityResult:
    """The whole analysis of one dataset."""

    dataset: str
    engine: str
    threads: tuple[ThreadScore, ...]
    accounts: tuple[AccountScore, ...]
    campaigns: tuple[Campaign, ...]
    base_rates: Mapping[str, float]
    operating_point: Mapping[str, float]
    posts: Mapping[str, str] = field(default_factory=dict)  # evidence post id -> text excerpt

    @property
    def flagged_threads(self) -> tuple[ThreadScore, ...]:
        return tuple(t for t in self.threads if t.flagged)

    @property
    def flagged_accounts(self) -> tuple[AccountScore, ...]:
        return tuple(a for a in self.accounts if a.flagged)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON (schema version 1), threads and accounts by descending score."""
        return {
            "version": 1,
            "dataset": self.dataset,
            "engine": self.engine,
            "operating_point": {k: round(v, 6) for k, v in self.operating_point.items()},
            "base_rates": {k: round(v, 6) for k, v in self.base_rates.items()},
            "threads": [t.to_dict() for t in self.threads],
            "accounts": [a.to_dict() for a in self.accounts],
            "campaigns": [c.to_dict() for c in self.campaigns],
        }
