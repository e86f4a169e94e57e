"""How surprising a count is against a base rate: -log10 of the chance of seeing that many or more.

A surprise of 2 means "one in a hundred at the community's own rate"; surprises of independent
signals add. Every signal is judged this way, so a community where a quarter of answers come from
day-old accounts needs far more of them in one thread than a community where almost none do.
"""

from __future__ import annotations

import math

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
