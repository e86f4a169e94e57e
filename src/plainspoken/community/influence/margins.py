"""Whether one ordering beats another on NDCG@k by more than sampling noise.

The evaluation sites are small: a topic has a few dozen candidates, a handful of whom receive
anything after the cut-off, so one account can swing NDCG@k by tenths. A paired bootstrap
draws the candidates with replacement and scores every ordering on the same draws; the spread
of the differences says whether a win or a loss is larger than that noise. Over several
topics, draw r of every topic taken together is one draw of the mean (a stratified bootstrap).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True)
class Margin:
    """The ranking's NDCG@k minus one baseline's, with a paired bootstrap interval."""

    baseline: str
    difference: float
    low: float
    """5th percentile of the difference over the bootstrap draws."""
    high: float
    """95th percentile."""
    ahead: float
    """Share of draws in which the ranking scores higher than the baseline."""
    draws: npt.NDArray[np.float64] = field(repr=False, compare=False)
    """The difference on each draw (pooled over topics by ``pooled_margins``)."""

    @property
    def rounds(self) -> int:
        return len(self.draws)

    @property
    def clear(self) -> bool:
        """Whether the 90% interval leaves out zero (a win or loss beyond sampling noise)."""
        return self.low > 0 or self.high < 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "baseline": self.baseline,
            "difference": self.difference,
            "interval": [self.low, self.high],
            "ahead": self.ahead,
            "rounds": self.rounds,
        }


def _ndcg_draws(
    scores: npt.NDArray[np.float64],
    tie: npt.NDArray[np.int64],
    gains: npt.NDArray[np.float64],
    draws: npt.NDArray[np.int64],
    k: int,
) -> npt.NDArray[np.float64]:
    """NDCG@k of ordering by ``scores`` (ties by ``tie``, as ``order_by`` breaks them) on each
    row of ``draws`` (candidate indices drawn with replacement); 0 where a draw has no gain."""
    discount = 1.0 / np.log2(np.arange(2, k + 2))
    out = np.zeros(len(draws))
    for row, drawn in enumerate(draws):
        order = np.lexsort((tie[drawn], -scores[drawn]))[:k]
        got = gains[drawn]
        ideal = np.sort(got)[::-1][:k]
        best = float(ideal @ discount[: len(ideal)])
        if best > 0:
            out[row] = float(got[order] @ discount[: len(order)]) / best
    return out


def margins(
    candidates: Sequence[str],
    ours: Mapping[str, float],
    baselines: Mapping[str, Mapping[str, float]],
    gains: Mapping[str, float],
    k: int,
    rounds: int = 2000,
    seed: int = 0,
) -> tuple[Margin, ...]:
    """Paired bootstrap of NDCG@k(ours) - NDCG@k(baseline) over the candidates, for each
    baseline: each draw takes as many candidates as there are, with replacement, and scores
    every ordering on the same draw."""
    n = len(candidates)
    tie = np.empty(n, dtype=np.int64)
    tie[np.argsort(np.array(candidates, dtype=object), kind="stable")] = np.arange(n)
    gain = np.array([gains.get(a, 0.0) for a in candidates], dtype=np.float64)
    draws = np.random.default_rng(seed).integers(0, n, size=(rounds, n))
    whole = np.arange(n)[None, :]

    def scored(values: Mapping[str, float]) -> tuple[float, npt.NDArray[np.float64]]:
        order = np.array([values.get(a, 0.0) for a in candidates], dtype=np.float64)
        return float(_ndcg_draws(order, tie, gain, whole, k)[0]), _ndcg_draws(
            order, tie, gain, draws, k
        )

    mine, mine_draws = scored(ours)
    out = []
    for name, values in baselines.items():
        theirs, their_draws = scored(values)
        diff = mine_draws - their_draws
        low, high = np.quantile(diff, [0.05, 0.95])
        out.append(
            Margin(name, mine - theirs, float(low), float(high), float(np.mean(diff > 0)), diff)
        )
    return tuple(out)


@dataclass(frozen=True)
class PooledMargin:
    """The ranking's mean NDCG@k over several topics minus one baseline's, with a stratified
    bootstrap interval (each draw resamples every topic's candidates)."""

    baseline: str
    topics: int
    difference: float
    low: float
    high: float


def pooled_margins(topics: Sequence[Sequence[Margin]]) -> tuple[PooledMargin, ...]:
    """Per baseline (in the order they first appear), the mean over topics of the ranking's
    margin, and the 90% interval of that mean over the topics' bootstrap draws taken together
    (draw r of every topic)."""
    names = list(dict.fromkeys(m.baseline for margins in topics for m in margins))
    out = []
    for name in names:
        found = [m for margins in topics for m in margins if m.baseline == name]
        if not found or len({m.rounds for m in found}) != 1:
            continue
        mean = np.mean([m.draws for m in found], axis=0)
        low, high = np.quantile(mean, [0.05, 0.95])
        point = float(np.mean([m.difference for m in found]))
        out.append(PooledMargin(name, len(found), point, float(low), float(high)))
    return tuple(out)
