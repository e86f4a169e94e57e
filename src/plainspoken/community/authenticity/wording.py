"""Near-duplicate wording between posts: MinHash signatures over word pairs, banded into LSH.

Each post becomes the set of its adjacent word pairs (the first ``max_words`` words, lower
case). MinHash estimates the Jaccard similarity of two such sets from ``bands * rows`` hash
minima; posts that agree on every row of some band are candidates, and candidates whose
estimated similarity reaches ``threshold`` are near-duplicates. Swapping a few words or
reordering clauses leaves most pairs intact, so light paraphrase still matches.

Phrases that many different accounts write (greetings, a site's canned review comments) are
community boilerplate, not coordination: a group of near-duplicates written by more than
``boilerplate_authors`` accounts is dropped.

Signatures are computed with numpy in chunks, so memory stays bounded however many posts.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_SHIFT = np.uint64(32)
_CHUNK = 400_000  # word pairs per signature block: bands*rows*8 bytes each


@dataclass(frozen=True)
class Wording:
    """How near-duplicates are found."""

    threshold: float = 0.5
    bands: int = 16
    rows: int = 3
    max_words: int = 120
    min_words: int = 8
    max_bucket: int = 60
    boilerplate_authors: int = 20
    seed: int = 20161202


@dataclass(frozen=True)
class NearDuplicate:
    """Two posts by different accounts with estimated word-pair Jaccard ``similarity``."""

    first: int
    second: int
    similarity: float


def _mix(values: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """Scatter small integers over 64 bits (the splitmix64 finalizer; arithmetic wraps)."""
    x = values + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _shingles(
    texts: Sequence[str], settings: Wording
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """All posts' word-pair hashes concatenated, each post's start offset, and its post index."""
    vocabulary: dict[str, int] = {}
    hashes: list[npt.NDArray[np.uint64]] = []
    starts: list[int] = []
    owners: list[int] = []
    total = 0
    for index, text in enumerate(texts):
        words = _WORD.findall(text.lower())[: settings.max_words]
        if len(words) < settings.min_words:
            continue
        ids = np.fromiter(
            (vocabulary.setdefault(w, len(vocabulary)) for w in words),
            dtype=np.uint64,
            count=len(words),
        )
        pairs = np.unique(_mix(ids[:-1] * np.uint64(1_000_003) + ids[1:]))
        hashes.append(pairs)
        starts.append(total)
        owners.append(index)
        total += len(pairs)
    if not hashes:
        empty = np.zeros(0, dtype=np.int64)
        return np.zeros(0, dtype=np.uint64), empty, empty
    return (
        np.concatenate(hashes),
        np.asarray(starts, dtype=np.int64),
        np.asarray(owners, dtype=np.int64),
    )


def signatures(
    texts: Sequence[str], settings: Wording = Wording()
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64]]:
    """MinHash signatures (one row per post long enough) and the post index of each row."""
    values, starts, owners = _shingles(texts, settings)
    size = settings.bands * settings.rows
    rng = np.random.default_rng(settings.seed)
    # Multiply-shift hashing: odd 64-bit multipliers, wrapping arithmetic, the high 32 bits.
    a = (rng.integers(0, 1 << 63, size=size, dtype=np.uint64) | np.uint64(1))[:, None]
    b = rng.integers(0, 1 << 63, size=size, dtype=np.uint64)[:, None]
    out = np.empty((len(starts), size), dtype=np.uint64)
    ends = np.append(starts[1:], len(values))
    first = 0
    while first < len(starts):
        last = first
        while last < len(starts) and ends[last] - starts[first] <= _CHUNK:
            last += 1
        last = max(last, first + 1)
        lo, hi = int(starts[first]), int(ends[last - 1])
        block = (a * values[lo:hi][None, :] + b) >> _SHIFT
        offsets = starts[first:last] - lo
        out[first:last] = np.minimum.reduceat(block, offsets, axis=1).T
        first = last
    return out, owners


def near_duplicates(
    texts: Sequence[str], authors: Sequence[str | None], settings: Wording = Wording()
) -> list[NearDuplicate]:
    """Pairs of posts by different known authors whose wording nearly matches, sorted."""
    signature, owners = signatures(texts, settings)
    if len(owners) < 2:
        return []
    candidates: set[tuple[int, int]] = set()
    for band in range(settings.bands):
        part = signature[:, band * settings.rows : (band + 1) * settings.rows]
        keys = np.ascontiguousarray(part).view(
            np.dtype((np.void, part.dtype.itemsize * part.shape[1]))
        )
        keys = keys.ravel()
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        edges = np.flatnonzero(sorted_keys[1:] != sorted_keys[:-1]) + 1
        for group in np.split(order, edges):
            if len(group) < 2 or len(group) > settings.max_bucket:
                continue
            members = sorted(int(g) for g in group)
            for i, x in enumerate(members):
                for y in members[i + 1 :]:
                    candidates.add((x, y))
    pairs: list[NearDuplicate] = []
    for x, y in sorted(candidates):
        first, second = int(owners[x]), int(owners[y])
        a, b = authors[first], authors[second]
        if a is None or b is None or a == b:
            continue
        similarity = float(np.mean(signature[x] == signature[y]))
        if similarity >= settings.threshold:
            pairs.append(NearDuplicate(first, second, similarity))
    return _without_boilerplate(pairs, authors, settings.boilerplate_authors)


def _without_boilerplate(
    pairs: list[NearDuplicate], authors: Sequence[str | None], limit: int
) -> list[NearDuplicate]:
    """Drop groups of near-duplicates written by more than ``limit`` distinct accounts."""
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for pair in pairs:
        parent[root(pair.first)] = root(pair.second)
    writers: dict[int, set[str]] = defaultdict(set)
    for post in list(parent):
        author = authors[post]
        if author is not None:
            writers[root(post)].add(author)
    return [p for p in pairs if len(writers[root(p.first)]) <= limit]
