"""Post wording as MinHash signatures over word pairs (the near-duplicate search that reads
them is ``duplicates.py``).

Each post becomes the set of its adjacent word pairs (the first ``max_words`` words, lower
case, split on white space with punctuation trimmed). MinHash estimates the Jaccard similarity
of two such sets from ``bands * rows`` hash minima; posts that agree on every row of some band
are candidates, and candidates whose estimated similarity reaches ``threshold`` are
near-duplicates. Swapping a few words or reordering clauses leaves most pairs intact, so light
paraphrase still matches.

Word pairs that many different accounts write in a sample of posts ("it is", "thanks for":
at least ``common_accounts`` accounts, and as many as ``common_share`` of the sampled posts)
are left out before hashing, as a search index leaves out stop words: they make unrelated
short posts look alike. Accounts are counted, not posts, so a few accounts repeating one text
cannot make their own wording "common" and hide it.

Words are split in Arrow and hashed in numpy (no Python loop over words), and signatures are
built batch by batch, so texts never need to be held all at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from plainspoken.community.arrays import places_in

_P = np.uint64(1_099_511_628_211)  # an odd multiplier for the byte-polynomial word hash
_CHARS_PER_WORD = 12  # texts are cut to max_words * this many characters before splitting
_SHIFT = np.uint64(32)
_CHUNK = 100_000  # word pairs per signature block: bands*rows*8 bytes each (38 MB)


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
    common_share: float = 0.01
    common_accounts: int = 20
    seed: int = 20161202


def mix(values: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """Scatter small integers over 64 bits (the splitmix64 finalizer; arithmetic wraps)."""
    x = values + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


_PUNCTUATION = "".join(chr(c) for c in range(33, 127) if not chr(c).isalnum())


def _bytes_hash(words: pa.Array[Any]) -> npt.NDArray[np.uint64]:
    """A 64-bit hash of each string (bytes weighted by powers of an odd number, then mixed);
    it depends only on the string, so batches and processes agree."""
    binary: Any = words.cast(pa.large_binary())
    buffers: list[Any] = binary.buffers()
    offsets = np.frombuffer(buffers[1], dtype=np.int64)[
        binary.offset : binary.offset + len(binary) + 1
    ]
    first, last = int(offsets[0]), int(offsets[-1])
    raw = np.frombuffer(buffers[2], dtype=np.uint8)[first:last].astype(np.uint64)
    begins = offsets[:-1] - first
    lengths = np.diff(offsets)
    position = np.arange(len(raw), dtype=np.int64) - np.repeat(begins, lengths)
    powers = np.cumprod(
        np.r_[np.uint64(1), np.full(int(position.max(initial=0)), _P, dtype=np.uint64)],
        dtype=np.uint64,
    )
    with np.errstate(over="ignore"):
        summed = np.add.reduceat(raw * powers[position], begins) if len(raw) else raw
    return mix(summed ^ (lengths.astype(np.uint64) << np.uint64(48)))


def _word_hashes(
    texts: Sequence[str], settings: Wording
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64]]:
    """A 64-bit hash of each of the first ``max_words`` words of each post (lower case, split
    on white space, punctuation trimmed from both ends), and each post's word count.

    Words are split in Arrow and only the distinct words of a batch are hashed, so there is no
    Python loop over words."""
    column = pa.array(texts, pa.large_string())
    column = pc.utf8_lower(pc.utf8_slice_codeunits(column, 0, settings.max_words * _CHARS_PER_WORD))
    split: Any = pc.utf8_split_whitespace(column, max_splits=settings.max_words)
    owner = np.asarray(pc.list_parent_indices(split).to_numpy(), dtype=np.int64)
    words: Any = pc.utf8_trim(pc.list_flatten(split), _PUNCTUATION)
    encoded: Any = words.dictionary_encode()
    distinct = encoded.dictionary
    codes = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    keep = np.asarray(pc.binary_length(distinct).to_numpy(zero_copy_only=False) > 0)[codes]
    owner, codes = owner[keep], codes[keep]
    # Each word's place in its post; words past max_words are dropped.
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]]) if len(owner) else owner
    rank = np.arange(len(owner)) - np.repeat(starts, np.diff(np.r_[starts, len(owner)]))
    keep = rank < settings.max_words
    owner, codes = owner[keep], codes[keep]
    if len(codes) == 0:
        return np.zeros(0, dtype=np.uint64), np.zeros(len(texts), dtype=np.int64)
    hashes = _bytes_hash(distinct)[codes]
    return hashes, np.bincount(owner, minlength=len(texts)).astype(np.int64)


def _shingles(
    texts: Sequence[str],
    settings: Wording,
    common: npt.NDArray[np.uint64] | None = None,
    distinct: bool = True,
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The word-pair hashes of some posts (grouped by post; each post's pairs distinct when
    ``distinct``, which a minimum does not need), each post's start offset among them, and its
    index in ``texts``; pairs in ``common`` (sorted) are left out."""
    ids, counts = _word_hashes(texts, settings)
    long_enough = counts >= settings.min_words
    ends = np.cumsum(counts)
    # A pair joins each word with the next one in the same post: drop each post's last word.
    post_of = np.repeat(np.arange(len(counts)), counts)
    follows = np.ones(len(ids), dtype=bool)
    follows[ends[counts > 0] - 1] = False
    keep = follows & long_enough[post_of]
    left = np.flatnonzero(keep)
    if len(left) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return np.zeros(0, dtype=np.uint64), empty, empty
    with np.errstate(over="ignore"):
        pairs = mix(ids[left] * np.uint64(1_000_003) + ids[left + 1])
    owner_of = post_of[left]
    if common is not None and len(common):
        rare = ~places_in(common, pairs)[1]
        pairs, owner_of = pairs[rare], owner_of[rare]
        if len(pairs) == 0:
            empty = np.zeros(0, dtype=np.int64)
            return np.zeros(0, dtype=np.uint64), empty, empty
    if distinct:
        order = np.lexsort((pairs, owner_of))
        pairs, owner_of = pairs[order], owner_of[order]
        fresh = np.r_[True, (pairs[1:] != pairs[:-1]) | (owner_of[1:] != owner_of[:-1])]
        pairs, owner_of = pairs[fresh], owner_of[fresh]
    first_rows = np.flatnonzero(np.r_[True, owner_of[1:] != owner_of[:-1]])
    return pairs, first_rows.astype(np.int64), owner_of[first_rows].astype(np.int64)


_POSTS_PER_BATCH = 20_000


class Signatures:
    """MinHash signatures built batch by batch (one row per post long enough to compare).

    Only the signatures outlive a batch; the texts do not. Each hash keeps the low 16 bits of
    its minimum (b-bit MinHash): two posts' values then also agree by chance once in 65,536,
    which adds at most 0.00002 to an estimated similarity, and a million posts' signatures take
    half the memory of 32-bit ones.
    """

    def __init__(
        self, settings: Wording = Wording(), common: npt.NDArray[np.uint64] | None = None
    ) -> None:
        self.settings = settings
        self.common = common
        size = settings.bands * settings.rows
        rng = np.random.default_rng(settings.seed)
        # Multiply-shift hashing: odd 64-bit multipliers, wrapping arithmetic, high 32 bits.
        self._a = (rng.integers(0, 1 << 63, size=size, dtype=np.uint64) | np.uint64(1))[:, None]
        self._b = rng.integers(0, 1 << 63, size=size, dtype=np.uint64)[:, None]
        self._blocks: list[npt.NDArray[np.uint16]] = []
        self._owners: list[npt.NDArray[np.int64]] = []

    def add(self, first: int, texts: Sequence[str]) -> None:
        """Add the posts numbered ``first``, ``first + 1``, ... with these texts."""
        for batch in range(0, len(texts), _POSTS_PER_BATCH):
            self._add(first + batch, texts[batch : batch + _POSTS_PER_BATCH])

    def block(
        self, first: int, texts: Sequence[str]
    ) -> tuple[npt.NDArray[np.uint16], npt.NDArray[np.int64]]:
        """The signatures and post numbers of these posts alone (nothing is kept)."""
        kept, owners = self._blocks, self._owners
        self._blocks, self._owners = [], []
        try:
            self.add(first, texts)
            return self.result()
        finally:
            self._blocks, self._owners = kept, owners

    def _add(self, first_post: int, texts: Sequence[str]) -> None:
        size = self.settings.bands * self.settings.rows
        values, starts, owners = _shingles(texts, self.settings, self.common, distinct=False)
        out = np.empty((len(starts), size), dtype=np.uint16)
        ends = np.append(starts[1:], len(values))
        first = 0
        while first < len(starts):
            last = first
            while last < len(starts) and ends[last] - starts[first] <= _CHUNK:
                last += 1
            last = max(last, first + 1)
            lo, hi = int(starts[first]), int(ends[last - 1])
            with np.errstate(over="ignore"):
                block = ((self._a * values[lo:hi][None, :] + self._b) >> _SHIFT).astype(np.uint32)
            offsets = starts[first:last] - lo
            # The minimum of the full hashes, then its low 16 bits (``astype`` wraps).
            out[first:last] = np.minimum.reduceat(block, offsets, axis=1).T.astype(np.uint16)
            first = last
        self._blocks.append(out)
        self._owners.append(owners + first_post)

    def result(self) -> tuple[npt.NDArray[np.uint16], npt.NDArray[np.int64]]:
        """The signature rows and the post number of each row."""
        size = self.settings.bands * self.settings.rows
        if not self._blocks:
            return np.zeros((0, size), dtype=np.uint16), np.zeros(0, dtype=np.int64)
        signature, owners = np.concatenate(self._blocks), np.concatenate(self._owners)
        self._blocks, self._owners = [signature], [owners]
        return signature, owners


def common_pairs(
    texts: Sequence[str],
    settings: Wording = Wording(),
    authors: npt.NDArray[Any] | None = None,
) -> npt.NDArray[np.uint64]:
    """Word pairs so common in these posts (a sample of the community) that sharing them says
    nothing: written by at least ``common_accounts`` different accounts, and by as many as
    ``common_share`` of the posts. ``authors`` gives each text's account code (-1 unknown: such
    a post counts as an account of its own); without it every post is its own account. They
    are left out of signatures, as stop words are left out of a search index."""
    pairs, starts, owners = _shingles(texts, settings)
    if len(pairs) == 0:
        return np.zeros(0, dtype=np.uint64)
    post_of = np.repeat(owners, np.diff(np.append(starts, len(pairs))))
    if authors is None:
        writer = post_of
    else:
        codes = np.asarray(authors, dtype=np.int64)
        if len(codes) != len(texts):
            raise ValueError(f"{len(codes)} authors for {len(texts)} texts")
        # An unknown author is told apart from every account and every other unknown one.
        top = int(codes.max(initial=-1)) + 1
        writer = np.where(codes >= 0, codes, top + np.arange(len(codes)))[post_of]
    by_writer = np.unique(np.stack([pairs, writer.astype(np.uint64)]), axis=1)[0]
    values, counts = np.unique(by_writer, return_counts=True)
    need = max(settings.common_accounts, settings.common_share * len(texts))
    return np.asarray(values[counts >= need], dtype=np.uint64)


def signatures(
    texts: Sequence[str],
    settings: Wording = Wording(),
    authors: npt.NDArray[Any] | None = None,
) -> tuple[npt.NDArray[np.uint16], npt.NDArray[np.int64]]:
    """MinHash signatures (one row per post long enough) and the post index of each row; word
    pairs common in ``texts`` themselves (``common_pairs``, by ``authors``) are left out."""
    built = Signatures(settings, common_pairs(texts, settings, authors))
    built.add(0, texts)
    return built.result()
