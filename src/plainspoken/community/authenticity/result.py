"""What the authenticity analysis reports: scored threads, accounts and campaigns, with evidence.

Scores are sums of surprises (``surprise.py``): how unlikely the observed signals are at the
community's own base rates. ``flagged`` marks what passes the operating point; the wording is
"signals", never accusations.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, overload

import numpy as np
import numpy.typing as npt


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


ThreadDetail = tuple[tuple[Evidence, ...], tuple[str, ...], tuple[ReplyPoint, ...]]
"""A thread's evidence, campaign ids and timeline (the parts only some threads have)."""


Row = TypeVar("Row")


class RankedRows(Sequence[Row]):
    """Rows in rank order kept as arrays (``_codes``, ``_flagged``), a row's object made by
    ``_make`` when one is asked for: a community of millions holds no object per row."""

    __slots__ = ("_codes", "_flagged")
    _codes: npt.NDArray[np.int64]
    _flagged: npt.NDArray[np.bool_]

    def __len__(self) -> int:
        return len(self._codes)

    @overload
    def __getitem__(self, index: int) -> Row: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Row, ...]: ...

    def __getitem__(self, index: int | slice) -> Row | tuple[Row, ...]:
        if isinstance(index, slice):
            return tuple(self._make(i) for i in range(*index.indices(len(self))))
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("row index out of range")
        return self._make(index)

    def __iter__(self) -> Iterator[Row]:
        return (self._make(i) for i in range(len(self)))

    @abstractmethod
    def _make(self, i: int) -> Row:
        """The object of row ``i``."""

    def flagged(self) -> tuple[Row, ...]:
        """The flagged rows, best first (without making the others)."""
        return tuple(self._make(int(i)) for i in np.flatnonzero(self._flagged))


class ThreadTable(RankedRows[ThreadScore]):
    """Every scored thread, best first, kept as arrays: a ``ThreadScore`` is made when one is
    asked for, so a community of millions of threads holds no object per thread.

    Row ``i`` is the thread coded ``codes[i]`` (an index into ``ids`` and ``titles``) whose
    signals are ``signals(slots[i])``; ``details`` holds, by slot, what only threads with
    evidence have.
    """

    __slots__ = ("_details", "_ids", "_scores", "_signals", "_slots", "_titles")

    def __init__(
        self,
        ids: Sequence[str],
        titles: Sequence[str],
        codes: npt.NDArray[np.int64],
        slots: npt.NDArray[np.int64],
        scores: npt.NDArray[np.float64],
        flagged: npt.NDArray[np.bool_],
        signals: Callable[[int], Mapping[str, Signal]],
        details: Mapping[int, ThreadDetail],
    ) -> None:
        self._ids, self._titles = ids, titles
        self._codes, self._slots = codes, slots
        self._scores, self._flagged = scores, flagged
        self._signals, self._details = signals, details

    def _make(self, i: int) -> ThreadScore:
        code, slot = int(self._codes[i]), int(self._slots[i])
        evidence, campaign_ids, timeline = self._details.get(slot, ((), (), ()))
        return ThreadScore(
            self._ids[code],
            self._titles[code],
            float(self._scores[i]),
            bool(self._flagged[i]),
            self._signals(slot),
            evidence,
            campaign_ids,
            timeline,
        )


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


class AccountTable(RankedRows[AccountScore]):
    """Every posting account, best first, kept as arrays: an ``AccountScore`` (and its
    evidence) is made when one is asked for, so a community of millions of accounts holds no
    object per account.

    Row ``i`` is the account coded ``codes[i]`` (an index into ``ids`` and ``names``);
    ``campaigns`` maps the codes of campaign members to their campaign's id, and
    ``evidence(code)`` makes an account's evidence, strongest first.
    """

    __slots__ = ("_campaigns", "_evidence", "_ids", "_names", "_scores")

    def __init__(
        self,
        ids: Sequence[str],
        names: Sequence[str],
        codes: npt.NDArray[np.int64],
        scores: npt.NDArray[np.float64],
        flagged: npt.NDArray[np.bool_],
        campaigns: Mapping[int, str],
        evidence: Callable[[int], tuple[Evidence, ...]],
    ) -> None:
        self._ids, self._names = ids, names
        self._codes, self._scores, self._flagged = codes, scores, flagged
        self._campaigns, self._evidence = campaigns, evidence

    def _make(self, i: int) -> AccountScore:
        code = int(self._codes[i])
        return AccountScore(
            self._ids[code],
            self._names[code],
            float(self._scores[i]),
            bool(self._flagged[i]),
            self._campaigns.get(code),
            self._evidence(code),
        )


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
    threads: Sequence[ThreadScore]
    accounts: Sequence[AccountScore]
    campaigns: tuple[Campaign, ...]
    base_rates: Mapping[str, float]
    operating_point: Mapping[str, float]
    posts: Mapping[str, str] = field(default_factory=dict)  # evidence post id -> text excerpt

    @property
    def flagged_threads(self) -> tuple[ThreadScore, ...]:
        if isinstance(self.threads, ThreadTable):
            return self.threads.flagged()
        return tuple(t for t in self.threads if t.flagged)

    @property
    def flagged_accounts(self) -> tuple[AccountScore, ...]:
        if isinstance(self.accounts, AccountTable):
            return self.accounts.flagged()
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
