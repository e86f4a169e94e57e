"""The knobs of a ranking (``InfluenceParams``) and its time window (``Window``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from plainspoken.community.influence import graph
from plainspoken.community.influence.facets import FACET_WEIGHTS, check_weights
from plainspoken.community.influence.pagerank import KERNELS
from plainspoken.errors import UsageError

KIND_WEIGHTS: Mapping[str, float] = {
    "answer": 1.0,
    "comment": 1.0,
    "reply": 1.0,
    "vote-up": 1.0,
    "favorite": 1.0,
    "bounty": 1.0,
    "accept": 2.0,
    "link": 1.0,
    "vote-down": 0.0,
}
"""How much one reaction of each kind endorses its receiver in the PageRank graph."""

HALF_LIFE_SHARE = 0.125
"""The default half-life of recency weighting, as a share of the topic's time span: chosen
among 1/16, 1/8, 1/4, 1/2 and none by mean NDCG@20 on a development split of the evaluation
dumps that ends where the reported one starts (``docs/evaluation.md``)."""


@dataclass(frozen=True)
class InfluenceParams:
    """The knobs of a ranking, with their defaults."""

    alpha: float = 0.85
    tol: float = 1e-10
    max_iter: int = 200
    kernel: str = "auto"
    kind_weights: Mapping[str, float] = field(default_factory=lambda: dict(KIND_WEIGHTS))
    facet_weights: Mapping[str, float] = field(default_factory=lambda: dict(FACET_WEIGHTS))
    half_life_share: float | None = HALF_LIFE_SHARE
    """Recency weighting: a reaction or post counts half as much this share of the topic's
    time span before the end of the window (None: every one counts fully)."""
    term_uptake: bool = True
    """Count later posts by others that reuse terms an account introduced (``terms``)."""
    cluster_min_size: int = 3
    cluster_min_inside: float = 0.5
    cluster_min_density: float = 0.5
    evidence: int = 3

    def check(self) -> None:
        check_weights(self.facet_weights)
        if self.kernel not in KERNELS:
            raise UsageError(
                f"unknown PageRank kernel '{self.kernel}' (valid kernels: {', '.join(KERNELS)})"
            )
        if not 0 < self.alpha < 1:
            raise UsageError(f"alpha is {self.alpha}, expected a number between 0 and 1")
        if self.half_life_share is not None and self.half_life_share <= 0:
            raise UsageError(
                f"half_life_share is {self.half_life_share}, expected a positive share of the "
                "topic's time span (or None for no recency weighting)"
            )


@dataclass(frozen=True)
class Window:
    """Rank on the rows dated in [start, end) (None: unbounded), undated rows if ``undated``."""

    start: datetime | None = None
    end: datetime | None = None
    undated: bool = True

    def __post_init__(self) -> None:
        # A time given without a zone is UTC, as the datasets' times are (``--until
        # 2017-02-01T12:00`` on the command line); comparing it with the data's times needs a
        # zone either way.
        object.__setattr__(self, "start", utc(self.start))
        object.__setattr__(self, "end", utc(self.end))

    def params(self) -> dict[str, Any]:
        defaults = graph.WINDOW_DEFAULTS
        return {
            "start": sql_time(self.start) if self.start else defaults["start"],
            "end": sql_time(self.end) if self.end else defaults["end"],
            "undated": 1 if self.undated else 0,
        }


def utc(moment: Any) -> datetime | None:
    """``moment`` with a time zone (UTC when it has none, as the datasets' times are); None
    when it is not a time (a missing value from the engine)."""
    if not isinstance(moment, datetime):
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def sql_time(moment: datetime) -> str:
    """A moment as a UTC timestamp literal both engines read."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
