"""How surprising a count is against a base rate: -log10 of the chance of seeing that many or more.

A surprise of 2 means "one in a hundred at the community's own rate"; surprises of independent
signals add. Every signal is judged this way, so a community where a quarter of answers come from
day-old accounts needs far more of them in one thread than a community where almost none do.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from scipy.special import betainc, gammainc

CAP = 12.0  # beyond one in a trillion the number no longer ranks anything


def _surprise(p: float) -> float:
    if p <= 0.0:
        return CAP
    return min(CAP, max(0.0, -math.log10(p)))


def binomial(k: int, n: int, p: float) -> float:
    """Surprise of ``k`` or more successes in ``n`` trials at rate ``p``."""
    if k <= 0 or n <= 0:
        return 0.0
    if p <= 0.0:
        return CAP
    if p >= 1.0:
        return 0.0
    return _surprise(float(betainc(k, n - k + 1, p)))


def poisson(k: int, expected: float) -> float:
    """Surprise of ``k`` or more events when ``expected`` are expected."""
    if k <= 0:
        return 0.0
    if expected <= 0.0:
        return CAP
    return _surprise(float(gammainc(k, expected)))


def chance(p: float) -> float:
    """Surprise of one event of probability ``p``."""
    return _surprise(p)


def binomial_many(
    k: npt.NDArray[np.float64], n: npt.NDArray[np.float64], p: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """``binomial`` for arrays of counts, totals and rates at once."""
    k = np.asarray(k, dtype=np.float64)
    n = np.asarray(n, dtype=np.float64)
    p = np.clip(np.asarray(p, dtype=np.float64), 0.0, 1.0)
    out = np.zeros(len(k), dtype=np.float64)
    some = (k > 0) & (n > 0)
    certain = some & (p <= 0.0)
    out[certain] = CAP
    live = some & (p > 0.0) & (p < 1.0)
    if live.any():
        tail = betainc(k[live], n[live] - k[live] + 1, p[live])
        with np.errstate(divide="ignore"):
            out[live] = np.clip(-np.log10(tail), 0.0, CAP)
    return out
