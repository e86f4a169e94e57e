"""LSH buckets of MinHash signatures: which rows agree on every value of a band, and the
candidate pairs they make, band by band.

A band's rows are turned into 64-bit keys, sorted (a part of about ``_PART`` rows at a time,
split by the keys' top bits) and cut into buckets of equal keys. Buckets too big to be
useful, or written by more accounts than boilerplate may be, make no pairs; the others' pairs
come about ``_PAIRS`` at a time. ``Offered`` keeps a bit per row and band for the rows of
buckets that made pairs, so a pair met again in a later band is known from the two
signatures alone, with nothing kept per pair.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import numpy.typing as npt

from plainspoken.community.arrays import distinct
from plainspoken.community.authenticity.signature_file import SignatureSource
from plainspoken.community.authenticity.wording import Wording, mix

_KEY_ROWS = 1_000_000  # rows of a band made into keys at a time
_PAIRS = 1_000_000  # candidate pairs made at a time
_NEIGHBOURS = 2_000_000  # positions of a sorted band whose keys are compared at once
_PART = 2_000_000  # rows of a band sorted at a time (about: keys are split by their top bits)


class Offered:
    """Which rows sat in a usable bucket (one that made candidate pairs) in each band so far:
    a bit per band and row. Two rows were offered as a pair in an earlier band exactly when
    both have that band's bit and the same key there, so a pair met again is known from the
    two signatures alone, and nothing is kept per pair (a big community offers hundreds of
    millions)."""

    def __init__(self, size: int, settings: Wording) -> None:
        if settings.bands > 64:
            raise ValueError(f"at most 64 LSH bands are supported, not {settings.bands}")
        kind = next(
            t
            for t in (np.uint8, np.uint16, np.uint32, np.uint64)
            if np.dtype(t).itemsize * 8 >= settings.bands
        )
        self.bits: npt.NDArray[np.unsignedinteger[Any]] = np.zeros(size, dtype=kind)
        self.rows_per_band = settings.rows

    def mark(self, band: int, rows: npt.NDArray[np.integer[Any]]) -> None:
        """``rows`` are in usable buckets of ``band``."""
        self.bits[rows] |= self.bits.dtype.type(1 << band)

    def earlier(
        self,
        band: int,
        x: npt.NDArray[np.int64],
        y: npt.NDArray[np.int64],
        signature_x: npt.NDArray[np.uint16],
        signature_y: npt.NDArray[np.uint16],
    ) -> npt.NDArray[np.bool_]:
        """For each pair (x[i], y[i]) with those signatures, whether a band before ``band``
        offered it."""
        both = self.bits[x] & self.bits[y]
        seen = np.zeros(len(x), dtype=bool)
        width = self.rows_per_band
        for before in range(band):
            there = ((both >> before) & 1) == 1
            if not there.any():
                continue
            part = slice(before * width, (before + 1) * width)
            # The bucket is the band's key, as the search made it (not the raw values).
            same = band_keys(signature_x[there, part]) == band_keys(signature_y[there, part])
            seen[np.flatnonzero(there)[same]] = True
        return seen


def keys_of_band(
    signature: SignatureSource, band: int, rows: npt.NDArray[np.integer[Any]] | None = None
) -> npt.NDArray[np.uint64]:
    """``band_keys`` of one band's values for ``rows`` (ascending; default all), read
    ``_KEY_ROWS`` signatures at a time: the band's values are never held whole, nor copied
    for the chosen rows."""
    size = len(signature)
    key = np.empty(size if rows is None else len(rows), dtype=np.uint64)
    done = 0
    for lo in range(0, size, _KEY_ROWS):
        hi = min(size, lo + _KEY_ROWS)
        values = signature.band_part(band, lo, hi)
        if rows is not None:
            stop = int(np.searchsorted(rows, hi))
            values = values[rows[done:stop] - lo]
        key[done : done + len(values)] = band_keys(values)
        done += len(values)
    return key


def band_keys(part: npt.NDArray[np.uint16]) -> npt.NDArray[np.uint64]:
    """One 64-bit key per row of a band (its values mixed together), made ``_KEY_ROWS`` rows
    at a time so the mixing's passing arrays stay small."""
    key = np.empty(len(part), dtype=np.uint64)
    for lo in range(0, len(part), _KEY_ROWS):
        block = part[lo : lo + _KEY_ROWS]
        made = block[:, 0].astype(np.uint64)
        for column in range(1, block.shape[1]):
            made = mix((made << np.uint64(32)) ^ block[:, column].astype(np.uint64))
        key[lo : lo + len(block)] = made
    return key


def _sorted_runs(
    key: npt.NDArray[np.uint64],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """The stable sort order of ``key``, and for each neighbour pair in that order whether
    their keys are equal; the sorted keys are looked at a stretch at a time, never copied
    whole."""
    order = np.argsort(key, kind="stable")
    same = np.empty(max(len(order) - 1, 0), dtype=bool)
    for lo in range(0, len(same), _NEIGHBOURS):
        stretch = key[order[lo : lo + _NEIGHBOURS + 1]]
        same[lo : lo + len(stretch) - 1] = stretch[1:] == stretch[:-1]
    return order, same


def sorted_parts(
    key: npt.NDArray[np.uint64],
) -> Iterator[tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]]:
    """``_sorted_runs`` of ``key`` a part at a time: the rows whose keys share their top bits,
    about ``_PART`` rows each. Equal keys are always in one part and the parts come in key
    order, so together they are the whole stable sort, without an order of every row held
    at once (a big community's band has tens of millions)."""
    bits = 0
    while bits < 16 and len(key) > _PART << bits:
        bits += 1
    if bits == 0:
        yield _sorted_runs(key)
        return
    top = np.uint64(64 - bits)
    for part in range(1 << bits):
        rows = np.flatnonzero((key >> top) == np.uint64(part))
        order, same = _sorted_runs(key[rows])
        yield rows[order], same


def _shared_buckets(
    same: npt.NDArray[np.bool_],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """From the neighbour equalities of a sorted band: the sorted positions of rows whose
    bucket holds two or more rows, and each such bucket's start (an index into those
    positions) and size."""
    member = np.zeros(len(same) + 1, dtype=bool)
    member[:-1] |= same
    member[1:] |= same
    kept = np.flatnonzero(member)
    del member
    begins = np.ones(len(kept), dtype=bool)
    inner = kept > 0
    begins[inner] = ~same[kept[inner] - 1]
    starts = np.flatnonzero(begins)
    sizes = np.diff(np.r_[starts, len(kept)])
    return kept, starts, sizes


def candidates(
    signature: SignatureSource,
    settings: Wording,
    codes: npt.NDArray[np.integer[Any]] | None = None,
    rows: npt.NDArray[np.integer[Any]] | None = None,
    offered: Offered | None = None,
) -> Iterator[tuple[int, npt.NDArray[np.int64], npt.NDArray[np.int64]]]:
    """Band by band, the row pairs (first < second) among ``rows`` (ascending; default:
    all) that agree on every row of the band, in parts of about ``_PAIRS`` pairs, each with
    its band; the rows of the buckets that make pairs are marked in ``offered`` before the
    band's pairs come.

    A bucket written by more than ``boilerplate_authors`` accounts (``codes``: each row's
    author) is boilerplate by the same rule that drops groups of near-duplicates, and is
    skipped before its pairs are made: the work per bucket stays bounded however often a
    community repeats itself."""
    for band in range(settings.bands):
        # Keys for the chosen rows only, so the band's keys are not held twice.
        key = keys_of_band(signature, band, rows)
        if len(key) < 2:
            continue
        for sort, same in sorted_parts(key):
            # Only rows that share their bucket can pair, and most rows are alone in theirs:
            # keep those (in sorted order) and where each bucket starts among them.
            kept, starts, sizes = _shared_buckets(same)
            del same
            order = sort[kept] if rows is None else rows[sort[kept]]
            del sort, kept
            yield from _bucket_pairs(band, order, starts, sizes, settings, codes, offered)
        del key


def _bucket_pairs(
    band: int,
    order: npt.NDArray[np.integer[Any]],
    starts: npt.NDArray[np.int64],
    sizes: npt.NDArray[np.int64],
    settings: Wording,
    codes: npt.NDArray[np.integer[Any]] | None,
    offered: Offered | None,
) -> Iterator[tuple[int, npt.NDArray[np.int64], npt.NDArray[np.int64]]]:
    """The pairs of a band's usable buckets (rows ``order``, each bucket ``sizes[i]`` rows
    from ``starts[i]``), about ``_PAIRS`` at a time."""
    usable = (sizes >= 2) & (sizes <= settings.max_bucket)
    if codes is not None and usable.any():
        # Writers per bucket, counted over the rows of usable buckets only (most rows are
        # alone in their bucket).
        span = int(codes.max(initial=0)) + 2
        bucket = np.repeat(np.flatnonzero(usable), sizes[usable])
        members = order[np.repeat(usable, sizes)]
        written = distinct(bucket * span + codes[members] + 1)
        del bucket, members
        authors = np.bincount(written // span, minlength=len(starts))
        usable &= authors <= settings.boilerplate_authors
    if offered is not None:
        offered.mark(band, order[np.repeat(usable, sizes)])
    # Buckets of one size at a time, and about ``_PAIRS`` pairs at a time: a band of a big
    # community can make tens of millions of pairs.
    for size in distinct(sizes[usable]).tolist():
        begin = starts[usable & (sizes == size)]
        step = max(1, _PAIRS // (size * (size - 1) // 2))
        for lo in range(0, len(begin), step):
            members = order[begin[lo : lo + step, None] + np.arange(size)[None, :]]
            firsts: list[npt.NDArray[np.int64]] = []
            seconds: list[npt.NDArray[np.int64]] = []
            for i in range(size):
                for j in range(i + 1, size):
                    firsts.append(np.minimum(members[:, i], members[:, j]))
                    seconds.append(np.maximum(members[:, i], members[:, j]))
            yield (
                band,
                np.concatenate(firsts).astype(np.int64),
                np.concatenate(seconds).astype(np.int64),
            )
