"""Reply signals, computed once for every post as arrays, with the community's base rates.

- ``young_account``: the account was younger than ``young_seconds`` when it replied;
- ``first_post``: the reply is the account's first post in the community;
- ``burst``: the reply came faster after the question, or after the previous post, than
  ``fast_quantile`` of the community's replies do;
- ``praise``: a sentence naming a product is strongly positive about it;
- ``duplicate``: another account wrote nearly the same words (``wording.py``);
- ``shared_link``: another account in the same thread links the same domain.

Young accounts and first posts are judged against their month's rate (communities change as
they age); the others against the whole community's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from plainspoken.community.authenticity.data import Community
from plainspoken.community.authenticity.duplicates import Duplicates
from plainspoken.community.authenticity.reading import Stances
from plainspoken.community.memory import give_back

SIGNALS = ("young_account", "first_post", "burst", "praise", "duplicate", "shared_link")
_DESCRIBE = {
    "young_account": "replies from accounts younger than {age} when posting",
    "first_post": "replies that are the account's first post",
    "burst": "replies arriving faster than {fast} of the community's replies",
    "praise": "replies with strong praise of a named product",
    "duplicate": "replies nearly matching another account's wording",
    "shared_link": "replies linking a domain another account in the thread also links",
}
_MONTH_PRIOR = 20  # a month with few replies borrows strength from the overall rate


def describe(name: str, young_seconds: float, fast_quantile: float) -> str:
    age = f"{young_seconds / 3600:g} h"
    fast = f"{(1 - fast_quantile) * 100:.0f}%"
    return _DESCRIBE[name].format(age=age, fast=fast)


@dataclass
class Replies:
    """Per-post flags (arrays over all posts) and the rates each post is judged against."""

    reply: npt.NDArray[np.bool_]
    values: dict[str, npt.NDArray[np.int8]]  # per signal: 1, 0 or -1 (unknown)
    # Per signal: the rate for each post, indexed by post numbers (the community's overall
    # rate, or a rate per month: no array per post either way).
    rates: dict[str, OverallRate | MonthRates]
    base: dict[str, float]

    @property
    def young(self) -> npt.NDArray[np.int8]:
        return self.values["young_account"]

    @property
    def praise(self) -> npt.NDArray[np.bool_]:
        return np.asarray(self.values["praise"] == 1, dtype=bool)


def _share(values: npt.NDArray[np.int8]) -> float:
    known = values[values >= 0]
    return float(known.mean(dtype=np.float64)) if len(known) else 0.0


class OverallRate:
    """One rate for every post (the community's overall share)."""

    __slots__ = ("size", "value")

    def __init__(self, value: float, size: int) -> None:
        self.value, self.size = value, size

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, index: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        return np.full(len(index), self.value, dtype=np.float64)


class MonthRates:
    """Each post's month's rate, looked up when asked for (a rate per month, not per post)."""

    __slots__ = ("month", "overall", "table")

    def __init__(
        self, table: npt.NDArray[np.float64], overall: float, month: npt.NDArray[np.int16]
    ) -> None:
        self.table, self.overall, self.month = table, overall, month

    def __len__(self) -> int:
        return len(self.month)

    def __getitem__(self, index: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        month = self.month[index]
        rates = np.full(len(month), self.overall, dtype=np.float64)
        known = month >= 0
        rates[known] = self.table[month[known]]
        return rates


def by_month(
    flags: npt.NDArray[np.int8],
    month: npt.NDArray[np.int16],
    months: int,
    mask: npt.NDArray[np.bool_],
) -> MonthRates:
    """Each post's month's share of ``flags`` among masked posts (shrunk toward the overall
    share by ``_MONTH_PRIOR`` pseudo-replies)."""
    overall = _share(flags[mask])
    use = mask & (flags >= 0) & (month >= 0)
    counts = np.bincount(month[use], minlength=months)
    # Known flags are 0 or 1: counting the ones gives the weighted sums without a float copy
    # of every reply's flag.
    use &= flags == 1
    sums = np.bincount(month[use], minlength=months)
    rates = (sums + _MONTH_PRIOR * overall) / (counts + _MONTH_PRIOR)
    rates = np.where(counts > 0, rates, overall)
    return MonthRates(np.asarray(rates, dtype=np.float64), overall, month)


def shared_links(community: Community) -> npt.NDArray[np.bool_]:
    """Posts linking a domain that another account also links in the same thread."""
    links = community.links
    out = np.zeros(len(community.posts), dtype=bool)
    usable = np.flatnonzero(links.thread >= 0)
    if not len(usable):
        return out
    # Links sorted by place (thread and domain), then author: a place's distinct authors are
    # where the author changes within it. (Distinct rows of a two-column array, as
    # ``np.unique(axis=0)`` finds them, took several copies of every link at once.)
    place = links.thread[usable].astype(np.int64) * (len(links.domains) + 1)
    place += links.domain[usable]
    author = links.author[usable]
    order = np.lexsort((author, place))
    place, author = place[order], author[order]
    new_place = np.ones(len(place), dtype=bool)
    new_place[1:] = place[1:] != place[:-1]
    new_writer = new_place.copy()
    new_writer[1:] |= author[1:] != author[:-1]
    del place, author
    group = np.cumsum(new_place) - 1
    writers = np.bincount(group[new_writer], minlength=int(group[-1]) + 1)
    shared = np.empty(len(order), dtype=bool)
    shared[order] = writers[group] >= 2
    post = links.post[usable]
    out[post[shared & (post >= 0)]] = True
    return out


def _quantile(values: npt.NDArray[np.float64], q: float) -> float:
    """The ``q`` quantile of some values (0.0 where there are none), reordering them."""
    if not len(values):
        return 0.0
    return float(np.quantile(values, q, overwrite_input=True))


def _timed(
    community: Community,
    reply: npt.NDArray[np.bool_],
    young_seconds: float,
    fast_quantile: float,
) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.int8], dict[str, float]]:
    """The young-account and burst flags, and the burst bounds, from the timing the engine
    keeps, read a range of posts at a time: three passes over it (ages and latencies, gaps,
    then the flags) hold one reply-sized array beside the flags rather than three post-sized
    ones (a big community's timing is half a gigabyte)."""
    texts = community.texts
    n = len(reply)
    young = np.empty(n, dtype=np.int8)
    fast = np.full(n, -1, dtype=np.int8)
    base: dict[str, float] = {}
    # The replies' known latencies (since the question), then their known gaps (since the
    # previous post), gathered in one buffer for their quantiles. Negative latencies are
    # unknown; negative gaps count as they are.
    gathered = np.empty(int(np.count_nonzero(reply)), dtype=np.float64)
    filled = 0
    for lo, part in texts.timing_ranges():
        rows = slice(lo, lo + len(part))
        age = part.account_age
        young[rows] = age < young_seconds
        young[rows][np.isnan(age) | (age < 0)] = -1
        known = part.since_thread[reply[rows] & (part.since_thread >= 0)]
        gathered[filled : filled + len(known)] = known
        filled += len(known)
    if not len(gathered):
        return young, fast, base
    latency = _quantile(gathered[:filled], fast_quantile)
    filled = 0
    for lo, part in texts.timing_ranges():
        known = part.since_previous[reply[lo : lo + len(part)] & ~np.isnan(part.since_previous)]
        gathered[filled : filled + len(known)] = known
        filled += len(known)
    gap = _quantile(gathered[:filled], fast_quantile)
    del gathered
    for lo, part in texts.timing_ranges():
        rows = slice(lo, lo + len(part))
        since_thread, since_previous = part.since_thread, part.since_previous
        since_thread[~(since_thread >= 0)] = np.nan
        timed = reply[rows] & ~(np.isnan(since_thread) & np.isnan(since_previous))
        # An unknown time (NaN) is never fast: NaN compares false.
        quick = (since_thread < latency) | (since_previous < gap)
        fast[rows][timed] = quick[timed]
    base["burst_latency_seconds"] = latency
    base["burst_gap_seconds"] = gap
    return young, fast, base


def reply_flags(
    community: Community,
    stances: Stances,
    duplicates: Duplicates,
    young_seconds: float,
    fast_quantile: float,
) -> Replies:
    posts = community.posts
    n = len(posts)
    reply = posts.is_reply & (posts.thread >= 0)
    young, fast, base = _timed(community, reply, young_seconds, fast_quantile)
    give_back()  # what reading the timing left with the allocators
    # Flags are 1, 0 or -1 (unknown): one byte per post and signal.
    i8 = np.int8
    first = posts.first_post.astype(i8)
    praised = np.zeros(n, dtype=i8)
    praised[stances.post[stances.praised]] = 1
    duplicate = np.zeros(n, dtype=i8)
    duplicate[duplicates.first] = 1
    duplicate[duplicates.second] = 1
    values = {
        "young_account": young,
        "first_post": first,
        "burst": fast,
        "praise": praised,
        "duplicate": duplicate,
        "shared_link": shared_links(community).astype(i8),
    }
    months = len(posts.months)
    rates: dict[str, OverallRate | MonthRates] = {}
    for name in SIGNALS:
        base[name] = _share(values[name][reply])
        if name in ("young_account", "first_post"):
            rates[name] = by_month(values[name], posts.month, months, reply)
        else:
            rates[name] = OverallRate(base[name], n)
    return Replies(reply, values, rates, base)
