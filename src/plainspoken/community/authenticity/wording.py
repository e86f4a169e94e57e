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
from collections.abc import Iterator, Sequence
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
    texts: Sequence[str], settings: Wording, vocabulary: dict[str, int]
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The distinct word-pair hashes of some posts (grouped by post), each post's start offset
    among them, and its index in ``texts``. Words are numbered through ``vocabulary``."""
    lists = [_WORD.findall(text.lower())[: settings.max_words] for text in texts]
    counts = np.fromiter((len(w) for w in lists), dtype=np.int64, count=len(lists))
    ids = np.fromiter(
        (vocabulary.setdefault(w, len(vocabulary)) for words in lists for w in words),
        dtype=np.uint64,
        count=int(counts.sum()),
    )
    del lists
    owners = np.flatnonzero(counts >= settings.min_words)
    ends = np.cumsum(counts)
    # A pair joins each word with the next one in the same post: drop each post's last word.
    post_of = np.repeat(np.arange(len(counts)), counts)
    follows = np.ones(len(ids), dtype=bool)
    follows[ends[counts > 0] - 1] = False
    keep = follows & np.isin(post_of, owners)
    left = np.flatnonzero(keep)
    if len(left) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return np.zeros(0, dtype=np.uint64), empty, empty
    pairs = _mix(ids[left] * np.uint64(1_000_003) + ids[left + 1])
    owner_of = post_of[left]
    # Distinct pairs within each post, posts in order.
    order = np.lexsort((pairs, owner_of))
    pairs, owner_of = pairs[order], owner_of[order]
    fresh = np.r_[True, (pairs[1:] != pairs[:-1]) | (owner_of[1:] != owner_of[:-1])]
    pairs, owner_of = pairs[fresh], owner_of[fresh]
    first_rows = np.flatnonzero(np.r_[True, owner_of[1:] != owner_of[:-1]])
    return pairs, first_rows.astype(np.int64), owner_of[first_rows].astype(np.int64)


_POSTS_PER_BATCH = 20_000


def signatures(
    texts: Sequence[str], settings: Wording = Wording()
) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64]]:
    """MinHash signatures (one row per post long enough) and the post index of each row.

    Posts are read in batches, so only the signatures (4 bytes per hash) outlive a batch.
    """
    size = settings.bands * settings.rows
    rng = np.random.default_rng(settings.seed)
    # Multiply-shift hashing: odd 64-bit multipliers, wrapping arithmetic, the high 32 bits.
    a = (rng.integers(0, 1 << 63, size=size, dtype=np.uint64) | np.uint64(1))[:, None]
    b = rng.integers(0, 1 << 63, size=size, dtype=np.uint64)[:, None]
    vocabulary: dict[str, int] = {}
    blocks: list[npt.NDArray[np.uint32]] = []
    owners_all: list[npt.NDArray[np.int64]] = []
    for batch in range(0, len(texts), _POSTS_PER_BATCH):
        values, starts, owners = _shingles(
            texts[batch : batch + _POSTS_PER_BATCH], settings, vocabulary
        )
        out = np.empty((len(starts), size), dtype=np.uint32)
        ends = np.append(starts[1:], len(values))
        first = 0
        while first < len(starts):
            last = first
            while last < len(starts) and ends[last] - starts[first] <= _CHUNK:
                last += 1
            last = max(last, first + 1)
            lo, hi = int(starts[first]), int(ends[last - 1])
            block = ((a * values[lo:hi][None, :] + b) >> _SHIFT).astype(np.uint32)
            offsets = starts[first:last] - lo
            out[first:last] = np.minimum.reduceat(block, offsets, axis=1).T
            first = last
        blocks.append(out)
        owners_all.append(owners + batch)
    if not blocks:
        return np.zeros((0, size), dtype=np.uint32), np.zeros(0, dtype=np.int64)
    return np.concatenate(blocks), np.concatenate(owners_all)


def near_duplicates(
    texts: Sequence[str], authors: Sequence[str | None], settings: Wording = Wording()
) -> list[NearDuplicate]:
    """Pairs of posts by different known authors whose wording nearly matches, sorted."""
    signature, owners = signatures(texts, settings)
    if len(owners) < 2:
        return []
    codes = _author_codes(authors)[owners]
    accepted: list[npt.NDArray[np.int64]] = []
    # Band by band, so only one band's candidate pairs are held at a time.
    for first, second in _candidates(signature, settings):
        a, b = codes[first], codes[second]
        keep = (a >= 0) & (b >= 0) & (a != b)
        first, second = first[keep], second[keep]
        for lo in range(0, len(first), 200_000):
            x, y = first[lo : lo + 200_000], second[lo : lo + 200_000]
            similar = (signature[x] == signature[y]).mean(axis=1) >= settings.threshold
            accepted.append(x[similar] * len(signature) + y[similar])
    if not accepted:
        return []
    keys = np.unique(np.concatenate(accepted))
    first, second = keys // len(signature), keys % len(signature)
    similarity = (signature[first] == signature[second]).mean(axis=1)
    pairs = [
        NearDuplicate(int(owners[x]), int(owners[y]), float(sim))
        for x, y, sim in zip(first, second, similarity, strict=True)
    ]
    pairs.sort(key=lambda d: (d.first, d.second))
    return _without_boilerplate(pairs, authors, settings.boilerplate_authors)


def _author_codes(authors: Sequence[str | None]) -> npt.NDArray[np.int64]:
    """Each post's author as a number (-1 for none)."""
    numbers: dict[str, int] = {}
    return np.fromiter(
        (-1 if a is None else numbers.setdefault(a, len(numbers)) for a in authors),
        dtype=np.int64,
        count=len(authors),
    )


def _candidates(
    signature: npt.NDArray[np.uint32], settings: Wording
) -> Iterator[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]]:
    """For each band, the row pairs (first < second) that agree on every row of the band."""
    for band in range(settings.bands):
        part = signature[:, band * settings.rows : (band + 1) * settings.rows]
        key = part[:, 0].astype(np.uint64)
        for column in range(1, part.shape[1]):
            key = _mix((key << np.uint64(32)) ^ part[:, column].astype(np.uint64))
        order = np.argsort(key, kind="stable")
        ordered = key[order]
        starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
        sizes = np.diff(np.r_[starts, len(ordered)])
        usable = (sizes >= 2) & (sizes <= settings.max_bucket)
        firsts: list[npt.NDArray[np.int64]] = []
        seconds: list[npt.NDArray[np.int64]] = []
        for size in np.unique(sizes[usable]):
            begin = starts[usable & (sizes == size)]
            members = order[begin[:, None] + np.arange(size)[None, :]]
            for i in range(size):
                for j in range(i + 1, size):
                    firsts.append(np.minimum(members[:, i], members[:, j]))
                    seconds.append(np.maximum(members[:, i], members[:, j]))
        if firsts:
            yield np.concatenate(firsts).astype(np.int64), np.concatenate(seconds).astype(np.int64)


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
