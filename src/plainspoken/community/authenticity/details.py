"""The evidence, campaigns and timeline of threads where something stands out, made when asked.

A big community has hundreds of thousands of threads where some signal stands out (a fifth
of the threads of the generated benchmark data); an evidence list with post and account ids
for each, held until the report was written, took more memory than any other step.
``ThreadDetails`` keeps what making them needs (post ids and authors, each signal's per-post
values, those threads' replies grouped by thread) and makes a thread's details when the
report reaches it. Flagged threads' details are made once, up front: the account scores cite
the accounts their evidence names, and their timelines need the replies' timing, which stays
in the engine and is read for all of them at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from plainspoken.community.arrays import Grouped
from plainspoken.community.authenticity.campaigns import ThreadParts
from plainspoken.community.authenticity.data import Community, ids_of
from plainspoken.community.authenticity.result import Evidence, ReplyPoint, ThreadDetail
from plainspoken.community.authenticity.signals import SIGNALS, describe

# Per signal, per thread slot: count, replies measured, rate, surprise.
SignalArrays = Mapping[str, tuple[npt.NDArray[Any], ...]]


class ThreadDetails(Mapping[int, ThreadDetail]):
    """Details by thread slot, for the slots marked ``strong``."""

    def __init__(
        self,
        community: Community,
        values: Mapping[str, npt.NDArray[np.int8]],
        arrays: SignalArrays,
        wording: tuple[float, float],
        threads: tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_], npt.NDArray[np.bool_]],
        replies: tuple[npt.NDArray[np.int64], npt.NDArray[Any]],
        together: ThreadParts,
        campaign_name: Callable[[int], str],
    ) -> None:
        """``wording``: (young_seconds, fast_quantile) for the evidence's words; ``threads``:
        each slot's thread code, whether it is strong and whether it is flagged; ``replies``:
        the reply rows (in post order) and each post's thread slot."""
        posts = community.posts
        self._ids, self._author, self._accounts = posts.ids, posts.author, community.accounts
        self._values, self._arrays, self._wording = values, arrays, wording
        order, strong, flagged = threads
        self._order, self._together, self._name = order, together, campaign_name
        self._slots = np.flatnonzero(strong)
        rows, post_slot = replies
        wanted = rows[strong[post_slot[rows]]]
        self._replies = Grouped(wanted, post_slot[wanted]).of  # in post order within a thread
        del wanted
        self._made: dict[int, ThreadDetail] = {}
        shown = [int(t) for t in np.flatnonzero(strong & flagged)]
        # The timing of the flagged threads' replies, from the engine in one go.
        replied = [self._replies(t) for t in shown]
        timing = community.texts.timing(np.concatenate(replied) if replied else [])
        done = 0
        for t, rows in zip(shown, replied, strict=True):
            evidence, campaign_ids = self._parts(t)
            cited = {p for e in evidence for p in e.post_ids}
            at = slice(done, done + len(rows))
            done += len(rows)
            self._made[t] = (
                evidence,
                campaign_ids,
                _timeline(community, rows, timing.since_thread[at], timing.account_age[at], cited),
            )

    def _parts(self, t: int) -> tuple[tuple[Evidence, ...], tuple[str, ...]]:
        evidence = self._signal_evidence(t, self._replies(t))
        campaign_ids: tuple[str, ...] = ()
        code = int(self._order[t])
        if code in self._together:
            part, indexes, present = self._together[code]
            campaign_ids = tuple(self._name(c) for c in indexes)
            evidence.append(
                Evidence(
                    "campaign",
                    f"{len(present)} account(s) linked as {', '.join(campaign_ids)} act "
                    "here (the campaign's own wording, products or links, or the question "
                    "it answers)",
                    part,
                    account_ids=tuple(self._accounts[a] for a in present),
                )
            )
        evidence.sort(key=lambda e: -e.surprise)
        return tuple(evidence), campaign_ids

    def _signal_evidence(self, slot: int, replies: npt.NDArray[np.int64]) -> list[Evidence]:
        young_seconds, fast_quantile = self._wording
        out: list[Evidence] = []
        for name in SIGNALS:
            k, n, p, s = (float(a[slot]) for a in self._arrays[name])
            if not k or s < 1.0:
                continue
            hits = replies[self._values[name][replies] == 1]
            authors = sorted(
                {self._accounts[int(a)] for a in self._author[hits].tolist() if a >= 0}
            )
            out.append(
                Evidence(
                    name.replace("_", "-"),
                    f"{int(k)} of {int(n)} {describe(name, young_seconds, fast_quantile)} "
                    f"(community: {p * 100:.1f}%)",
                    s,
                    post_ids=ids_of(self._ids, hits),
                    account_ids=tuple(authors),
                    base_rate=p,
                )
            )
        return out

    def __getitem__(self, slot: int) -> ThreadDetail:
        made = self._made.get(slot)
        if made is not None:
            return made
        at = int(np.searchsorted(self._slots, slot))
        if at >= len(self._slots) or self._slots[at] != slot:
            raise KeyError(slot)
        evidence, campaign_ids = self._parts(slot)
        return evidence, campaign_ids, ()

    def __iter__(self) -> Iterator[int]:
        return iter(self._slots.tolist())

    def __len__(self) -> int:
        return len(self._slots)


def _timeline(
    community: Community,
    replies: npt.NDArray[np.int64],
    since_thread: npt.NDArray[np.float64],
    account_age: npt.NDArray[np.float64],
    cited: set[str],
) -> tuple[ReplyPoint, ...]:
    """The replies' points, given each one's time since the thread opened and account age."""
    posts = community.posts
    points = []
    for i, since, age in zip(replies.tolist(), since_thread, account_age, strict=True):
        post_id = posts.id_of(i)
        points.append(
            ReplyPoint(
                post_id,
                community.account(int(posts.author[i])),
                0.0 if np.isnan(since) else float(since),
                None if np.isnan(age) else float(age),
                post_id in cited,
            )
        )
    return tuple(points)
