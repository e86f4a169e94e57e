"""Score threads, accounts and campaigns for signs of coordinated inauthentic posting.

The steps, each in its own module:

1. ``reading``: one pass over the post texts (stance toward named products, MinHash wording);
2. ``signals``: reply signals per post, each judged against the community's own base rate;
3. ``pairs``: pairs of accounts linked by rare evidence (edges, with a Bonferroni floor);
4. ``campaigns``: connected accounts, and the threads where they post together;
5. ``accounts``: account scores from their own signals and their edges.

A thread's score adds the binomial surprise of each signal's count among its replies and the
campaign edges among the accounts acting in it as their campaign (``campaigns.thread_parts``).

``flagged`` follows an operating point set on the community itself: at most
``max_flag_rate`` of threads, and only scores above the same kind of Bonferroni bound.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from plainspoken.community.authenticity import surprise
from plainspoken.community.authenticity.accounts import account_scores, one_product_accounts
from plainspoken.community.authenticity.campaigns import (
    Groups,
    campaigns,
    groups,
    marked_posts,
    thread_parts,
)
from plainspoken.community.authenticity.data import Community
from plainspoken.community.authenticity.details import ThreadDetails
from plainspoken.community.authenticity.edges import edges
from plainspoken.community.authenticity.products import Vocabulary
from plainspoken.community.authenticity.reading import read_texts
from plainspoken.community.authenticity.result import (
    AuthenticityResult,
    Signal,
    ThreadScore,
    ThreadTable,
)
from plainspoken.community.authenticity.signals import SIGNALS, OverallRate, Replies, reply_flags
from plainspoken.community.authenticity.wording import Wording
from plainspoken.community.memory import give_back

Progress = Callable[[str], None]
_EXCERPT_CHARS = 400
_REPLY_RANGE = 2_000_000  # replies measured at a time


@dataclass(frozen=True)
class Options:
    """The analysis's knobs; the defaults are the documented operating point."""

    max_flag_rate: float = 0.01
    young_seconds: float = 86_400.0
    fast_quantile: float = 0.10
    praise: float = 0.5
    attack: float = -0.3
    family_alpha: float = 0.01
    wording: Wording = field(default_factory=Wording)
    vocabulary: Vocabulary = field(default_factory=Vocabulary)


class _Measured:
    """Each signal's count, replies measured, rate and surprise for every thread (arrays)."""

    def __init__(
        self, flags: Replies, index: npt.NDArray[np.int64], slot: npt.NDArray[Any], size: int
    ) -> None:
        """``index``: the rows of replies in known threads; ``slot``: each post's thread slot."""
        # A community of millions of threads holds these until the report is written: counts
        # in the smallest integers that hold them, surprises only where they are not 0.
        self.arrays: dict[str, tuple[Any, ...]] = {}
        self.total = np.zeros(size, dtype=np.float64)
        for name in SIGNALS:
            total = np.zeros(size, dtype=np.int64)
            hit = np.zeros(size, dtype=np.int64)
            rates = flags.rates[name]
            summed = None if isinstance(rates, OverallRate) else np.zeros(size, dtype=np.float64)
            # A range of replies at a time: a big community has tens of millions. The rates
            # are added in reply order, as one pass would add them, so the sums are the same.
            for lo in range(0, len(index), _REPLY_RANGE):
                rows = index[lo : lo + _REPLY_RANGE]
                values = flags.values[name][rows]
                known = values >= 0
                at = slot[rows][known]
                total += np.bincount(at, minlength=size)
                # Known values are 0 or 1: counting the ones gives the same sums as weighing
                # by the values, without a float copy of them.
                hit += np.bincount(at[values[known] == 1], minlength=size)
                if summed is not None:
                    np.add.at(summed, at, rates[rows[known]])
            counts = _narrow(total)
            hits = _narrow(hit)
            del total, hit
            # Signals known for every reply measure the same replies: one array serves them.
            for earlier in self.arrays.values():
                if np.array_equal(earlier[1], counts):
                    counts = earlier[1]
                    break
            rate: npt.NDArray[np.float64] | _CountRates
            if summed is None:
                rate = _CountRates(counts, float(flags.base[name]))
            else:
                rate = np.where(counts > 0, summed / np.maximum(counts, 1), flags.base[name])
            del summed
            # The surprise is 0 where no reply shows the signal: computed and kept for the
            # others only.
            some = np.flatnonzero(hits > 0).astype(np.int32 if size < 2**31 else np.int64)
            found = surprise.binomial_many(
                hits[some].astype(np.float64),
                counts[some].astype(np.float64),
                rate.table[counts[some]] if isinstance(rate, _CountRates) else rate[some],
            )
            # Adding 0 leaves a float as it is: the same totals as adding every thread's.
            self.total[some] += found
            self.arrays[name] = (hits, counts, rate, _Surprises(hits, some, found))

    def strong(self) -> npt.NDArray[np.bool_]:
        """Threads where some signal is shown and stands out (a surprise of at least 1)."""
        out = np.zeros(len(self.total), dtype=bool)
        for _, _, _, found in self.arrays.values():
            out[found.slots[found.values >= 1.0]] = True
        return out


def _narrow(counts: npt.NDArray[np.int64]) -> npt.NDArray[Any]:
    """Whole non-negative counts in the smallest unsigned integers that hold the largest."""
    return counts.astype(np.min_scalar_type(int(counts.max()) if len(counts) else 0))


class _Surprises:
    """A signal's surprise by thread slot, kept only for the ``slots`` (ascending) where some
    reply shows the signal (``hits`` above 0): it is 0 elsewhere."""

    __slots__ = ("hits", "slots", "values")

    def __init__(
        self, hits: npt.NDArray[Any], slots: npt.NDArray[Any], values: npt.NDArray[np.float64]
    ) -> None:
        self.hits, self.slots, self.values = hits, slots, values

    def __getitem__(self, slot: int) -> np.float64:
        if not self.hits[slot]:
            return np.float64(0.0)
        # A number of the slots' own type: another would make numpy convert the whole array
        # for every look-up (millions of threads are looked up when a report is written).
        return np.float64(self.values[self.slots.searchsorted(self.slots.dtype.type(slot))])


class _CountRates:
    """A thread's rate for a signal judged against one overall rate, by its number of
    replies measured: their rates (all the same) added one at a time and divided by their
    number depend on that number alone, so a table by number stands for an array of a float
    per thread, and holds the same values."""

    __slots__ = ("counts", "table")

    def __init__(self, counts: npt.NDArray[Any], overall: float) -> None:
        most = int(counts.max()) if len(counts) else 0
        # A running sum adds one value at a time in order, as adding each reply's rate does.
        sums = np.cumsum(np.full(most, overall, dtype=np.float64))
        self.table = np.empty(most + 1, dtype=np.float64)
        self.table[0] = overall
        self.table[1:] = sums / np.arange(1, most + 1)
        self.counts = counts

    def __getitem__(self, slot: int) -> np.float64:
        return np.float64(self.table[self.counts[slot]])


class _Signals(Mapping[str, Signal]):
    """One thread's signals, read from the shared arrays when asked (no objects per thread)."""

    __slots__ = ("_measured", "_slot")

    def __init__(self, measured: _Measured, slot: int) -> None:
        self._measured, self._slot = measured, slot

    def __getitem__(self, name: str) -> Signal:
        k, n, p, s = self._measured.arrays[name]
        t = self._slot
        return Signal(int(k[t]), int(n[t]), float(p[t]), float(s[t]))

    def __iter__(self) -> Iterator[str]:
        return iter(SIGNALS)

    def __len__(self) -> int:
        return len(SIGNALS)


def _rows_where(mask: npt.NDArray[np.bool_]) -> npt.NDArray[Any]:
    """``np.flatnonzero(mask)`` in 32-bit integers where they hold every row, a range at a
    time (tens of millions of 64-bit row numbers, and their copy, are hundreds of megabytes)."""
    kind = np.int32 if len(mask) < np.iinfo(np.int32).max else np.int64
    out = np.empty(int(np.count_nonzero(mask)), dtype=kind)
    done = 0
    for lo in range(0, len(mask), _REPLY_RANGE):
        found = np.flatnonzero(mask[lo : lo + _REPLY_RANGE])
        out[done : done + len(found)] = found + lo
        done += len(found)
    return out


def operating_point(
    scores: Sequence[float] | npt.NDArray[np.float64], rate: float, floor: float
) -> float:
    """The lowest score flagged: above ``floor`` and within the top ``rate`` share (rounded up,
    so a small community can still show its one most unusual thread)."""
    budget = math.ceil(rate * len(scores))
    if budget <= 0:
        return math.inf
    threshold = max(floor, 1e-9)
    if len(scores) > budget:
        ordered = np.sort(np.asarray(scores, dtype=np.float64))[::-1]
        # Ties at the boundary stay out, so the share is never exceeded.
        threshold = max(threshold, math.nextafter(float(ordered[budget]), math.inf))
    return threshold


def analyse(
    community: Community,
    options: Options = Options(),
    progress: Progress | None = None,
    scratch: Path | None = None,
) -> AuthenticityResult:
    """Score every thread, account and campaign of a community read by ``data.read``;
    working files go to a folder made under ``scratch`` (default: the system's temporary
    folder) and removed when done."""
    posts = community.posts
    if progress:
        progress(f"measuring signals on {len(posts):,} posts")
    stances, duplicates = read_texts(
        community,
        options.wording,
        options.vocabulary,
        (options.praise, options.attack),
        progress,
        scratch,
    )
    # One-product accounts need every stance row; all that is read of stance after them is
    # the rows with a tone (a few in a hundred).
    one = one_product_accounts(community, stances)
    stances = stances.toned()
    give_back()  # each phase's passing arrays are freed before the next one starts
    if progress:
        progress("judging replies against the community's base rates")
    flags = reply_flags(
        community,
        stances,
        duplicates,
        options.young_seconds,
        options.fast_quantile,
    )
    if progress:
        progress("linking accounts into campaigns")
    found_edges, pair_floor = edges(community, stances, duplicates, options.family_alpha)
    found = groups(found_edges)
    give_back()
    if progress:
        progress(f"scoring threads and accounts ({len(found.members):,} linked groups)")

    # Threads: reply signals, then the campaign edges among accounts posting in them.
    threads = community.threads
    order = np.flatnonzero(threads.known)  # thread codes are in id order
    slot_of = np.full(len(threads.ids), -1, dtype=np.int32)  # post-sized once spread below
    slot_of[order] = np.arange(len(order))
    # A -1 code reads the last slot, replaced after (clipping would copy the column).
    post_slot = slot_of[posts.thread]
    post_slot[posts.thread < 0] = -1
    reply_rows = _rows_where(flags.reply & (post_slot >= 0))
    measured = _Measured(flags, reply_rows, post_slot, len(order))
    # Between these steps the allocators are asked to give back what their passing arrays
    # left: glibc keeps freed blocks below its (rising) mapping threshold, which added up to
    # about a gigabyte over the steps of a 10M-post community.
    give_back()
    marked = marked_posts(community, found, stances, duplicates, options.family_alpha)
    give_back()
    together = thread_parts(community, found, marked)
    scores = measured.total.copy()
    for thread, (part, _, _) in together.items():
        if slot_of[thread] >= 0:
            scores[slot_of[thread]] += part
    thread_floor = math.log10(max(len(order), 1)) + math.log10(1 / options.family_alpha)
    thread_cut = operating_point(scores, options.max_flag_rate, thread_floor)

    # Evidence for threads where some signal stands out or a campaign posts.
    strong = measured.strong()
    for thread in together:
        if slot_of[thread] >= 0:
            strong[slot_of[thread]] = True
    flagged = scores >= thread_cut
    if progress:
        progress(f"gathering the evidence of {int(flagged.sum()):,} flagged threads")
    # Evidence, campaigns and timelines for the threads that have them, made when the report
    # asks (flagged threads' up front); the other threads are the shared arrays alone
    # (``ThreadTable``).
    details = ThreadDetails(
        community,
        flags.values,
        measured.arrays,
        (options.young_seconds, options.fast_quantile),
        (order, strong, flagged),
        (reply_rows, post_slot),
        together,
        found.name,
    )
    del reply_rows, post_slot  # post-sized; the details keep what they need of them
    give_back()
    flagged_slots = np.flatnonzero(flagged)
    flagged_threads = {threads.ids[int(order[t])] for t in flagged_slots}
    if progress:
        progress(f"describing {len(found.members):,} linked groups")
    found_campaigns = campaigns(community, found, stances, together, flagged_threads)
    flagged_campaigns = {c.campaign_id for c in found_campaigns if c.flagged}
    give_back()
    if progress:
        progress(f"scoring {len(community.accounts):,} accounts")
    cited_accounts = {
        a
        for t in map(int, flagged_slots)
        for e in details.get(t, ((), (), ()))[0]
        for a in e.account_ids
    }
    accounts = account_scores(
        community,
        flags,
        one,
        found,
        flagged_campaigns,
        cited_accounts,
        options.young_seconds,
        options.max_flag_rate,
        options.family_alpha,
        operating_point,
    )
    give_back()
    # Best first; ties by thread id (thread codes are in id order).
    ranked = np.lexsort((order, -scores))
    ordered_threads = ThreadTable(
        threads.ids,
        threads.titles,
        order[ranked].astype(np.int64),
        ranked.astype(np.int64),
        scores[ranked],
        flagged[ranked],
        lambda slot: _Signals(measured, slot),
        details,
    )
    return AuthenticityResult(
        dataset=community.dataset,
        engine=community.engine,
        threads=ordered_threads,
        accounts=accounts,
        campaigns=tuple(sorted(found_campaigns, key=lambda c: (-c.score, c.campaign_id))),
        base_rates=flags.base,
        operating_point={
            "max_flag_rate": options.max_flag_rate,
            "thread_threshold": thread_cut if math.isfinite(thread_cut) else -1.0,
            "thread_floor": thread_floor,
            "pair_floor": pair_floor,
        },
        posts=_excerpts(community, ordered_threads.flagged()),
    )


def _excerpts(community: Community, threads: Sequence[ThreadScore]) -> dict[str, str]:
    """The opening characters of every post cited by these (flagged) threads' evidence."""
    cited = sorted({p for t in threads if t.flagged for e in t.evidence for p in e.post_ids})
    if not cited:
        return {}
    # Look the few cited ids up among all posts, read in order a part at a time (a hash table
    # of the cited ids only; the other way round would hash every post id of the community).
    ids = community.posts.ids
    rows = ids.where(cited)
    positions = dict(zip(rows.tolist(), ids.take(rows), strict=True))
    texts = community.texts.pick(list(positions))
    return {positions[i]: text[:_EXCERPT_CHARS] for i, text in sorted(texts.items())}


__all__ = ["SIGNALS", "Groups", "Options", "analyse", "operating_point"]
