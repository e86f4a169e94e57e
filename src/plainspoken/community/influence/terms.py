"""Terms taken up: words and two-word phrases an account brought to the topic that other
accounts' later posts reuse.

A *term* is a word (``topic.split_words``) of three or more characters with a letter in it
that is not a stop word (``topic.STOP_WORDS``), or two such words in a row. Every topic post
in the window is split into its distinct terms (pyarrow string kernels, ``TERM_CHUNK`` posts
at a time; no Python loop over words). A term is
*introduced* by the author of the first post on the topic that uses it, unless that post is
among the first ``TERM_BURN_IN`` share of the topic's posts: the words of the topic's early
posts are its starting vocabulary, nobody's contribution. It is *taken up* when later posts
(dated after the introducing post) by at least ``TERM_MIN_ADOPTERS`` other accounts, none of
them excluded, use it. An account's uptake is the number of distinct later posts by others
that use one of the terms it introduced; the evidence names each term, the post that
introduced it and the later posts.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as _compute

from plainspoken.community.arrays import distinct
from plainspoken.community.influence.recency import codes, micros, recency_weights
from plainspoken.community.influence.topic import STOP_WORDS, split_words

pc: Any = _compute
"""pyarrow's compute functions (its stubs' overloads reject calls these modules make)."""

Array = np.ndarray[Any, Any]

TERM_BURN_IN = 0.1
"""The share of the topic's earliest posts whose terms count as its starting vocabulary."""
TERM_MIN_ADOPTERS = 2
"""Other accounts that must reuse a term before it counts as taken up."""
TERM_CHUNK = 100_000
"""Posts split into terms at a time."""


@dataclass(frozen=True)
class TakenUpTerm:
    """One term an account introduced and the later posts by others that reused it."""

    term: str
    post_id: str
    thread_id: str
    later_posts: tuple[str, ...]
    adopters: int


@dataclass(frozen=True)
class TermUptake:
    """Per account: distinct later posts reusing its terms, recency-weighted, and the terms."""

    posts: dict[str, int]
    recent: dict[str, float]
    terms: dict[str, tuple[TakenUpTerm, ...]]


def _terms(text: Any) -> tuple[Any, Array]:
    """Every term of every text, and the text each came from (duplicates kept)."""
    flat, parent = split_words(text)
    word = np.asarray(
        pc.and_(
            pc.and_(
                pc.greater_equal(pc.utf8_length(flat), 3),
                pc.match_substring_regex(flat, "[a-z]"),
            ),
            pc.invert(pc.is_in(flat, value_set=pa.array(sorted(STOP_WORDS)))),
        ).to_numpy(zero_copy_only=False),
        dtype=np.bool_,
    )
    if len(flat) < 2:
        return flat.filter(pa.array(word)), parent[word]
    where = np.flatnonzero(word[:-1] & word[1:] & (parent[:-1] == parent[1:]))
    chosen = pa.array(where, pa.int64())
    pairs = pc.binary_join_element_wise(flat.take(chosen), flat.take(pc.add(chosen, 1)), " ")
    terms = pa.concat_arrays([flat.filter(pa.array(word)), pairs])
    return terms, np.concatenate([parent[word], parent[where]])


def _introduced(text: Any, order: Array, burn: int) -> tuple[Any, Array, Array]:
    """The terms of the posts after the first ``burn`` (in ``order``) that none of those
    first posts uses: the vocabulary, and a (term, post position) row per use.

    Posts are read ``TERM_CHUNK`` at a time, and the starting vocabulary is dropped from each
    chunk at once, so memory follows the rarer terms, not the whole text."""
    in_order = bool(np.all(order == np.arange(len(order))))

    def texts(start: int, stop: int) -> Any:
        if in_order:  # the rows came sorted: slices, not a gather over the whole text
            return text.slice(start, stop - start)
        return text.take(pa.array(order[start:stop]))

    starting: list[Any] = []
    for at in range(0, burn, TERM_CHUNK):
        found, _ = _terms(texts(at, min(at + TERM_CHUNK, burn)))
        starting.append(pc.unique(found))
    common: Any = pc.unique(pa.chunked_array(starting, pa.string())) if starting else None
    words: list[Any] = []
    uses: list[Array] = []
    where: list[Array] = []
    for at in range(burn, len(order), TERM_CHUNK):
        found, parent = _terms(texts(at, min(at + TERM_CHUNK, len(order))))
        if common is not None and len(common):
            fresh: Any = pc.invert(pc.is_in(found, value_set=common))
            keep = np.asarray(fresh.to_numpy(zero_copy_only=False), dtype=np.bool_)
            found, parent = found.filter(fresh), parent[keep]
        encoded: Any = pc.dictionary_encode(found)
        words.append(encoded.dictionary)
        uses.append(np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64))
        where.append(parent + at)
    if not words:
        return pa.array([], pa.string()), np.zeros(0, np.int64), np.zeros(0, np.int64)
    # One vocabulary for all chunks: encode the chunks' own vocabularies together.
    joined: Any = pc.dictionary_encode(pa.chunked_array(words, pa.string()))
    term = []
    for chunk, local in zip(joined.chunks, uses, strict=True):
        term.append(np.asarray(chunk.indices.to_numpy(zero_copy_only=False))[local])
    vocabulary = joined.chunks[0].dictionary
    return vocabulary, np.concatenate(term).astype(np.int64), np.concatenate(where)


def terms_taken_up(
    posts: pa.Table,
    excluded: Collection[str],
    *,
    now: datetime | None = None,
    half_life_days: float | None = None,
    burn_in: float = TERM_BURN_IN,
    min_adopters: int = TERM_MIN_ADOPTERS,
    evidence: int = 3,
) -> TermUptake:
    """Terms taken up per account from the topic's posts (id, author_id, thread_id,
    created_at, text); later posts by ``excluded`` accounts do not count."""
    known = np.flatnonzero(
        np.asarray(pc.is_valid(posts.column("created_at")).to_numpy(zero_copy_only=False))
    )
    keys = posts.select(["created_at", "id"]).take(pa.array(known, pa.int64()))
    order = known[np.asarray(pc.sort_indices(keys, [("created_at", "ascending"),
                                                     ("id", "ascending")]))]  # fmt: skip
    m = len(order)
    if m == 0:
        return TermUptake({}, {}, {})
    taken = pa.array(order, pa.int64())
    dated = posts.select(["id", "author_id", "thread_id", "created_at"]).take(taken)
    authors = pc.unique(dated.column("author_id"))
    author = codes(dated.column("author_id"), authors)
    left_out = np.asarray(
        pc.is_in(authors, value_set=pa.array(sorted(excluded), pa.string())).to_numpy(
            zero_copy_only=False
        ),
        dtype=np.bool_,
    )
    at, _ = micros(dated.column("created_at"))
    vocabulary, term, post = _introduced(posts.column("text"), order, int(np.ceil(burn_in * m)))
    if len(term) == 0:
        return TermUptake({}, {}, {})
    key = distinct(term * m + post)  # distinct (term, post), by term then by time
    term, post = key // m, key % m
    starts = np.flatnonzero(np.r_[True, term[1:] != term[:-1]])
    first = np.repeat(post[starts], np.diff(np.r_[starts, len(term)]))
    origin = author[first]
    later = (at[post] > at[first]) & (author[post] != origin) & ~left_out[author[post]]
    # Distinct adopting accounts per term: keep the terms with enough of them.
    adopter_key = distinct(term[later] * len(authors) + author[post[later]])
    adopters = np.bincount(adopter_key // len(authors), minlength=len(vocabulary))
    later &= adopters[term] >= min_adopters
    decay = recency_weights(dated.column("created_at"), now, half_life_days)
    by_post = distinct(origin[later] * m + post[later])
    counted = np.bincount(by_post // m, minlength=len(authors))
    recent = np.bincount(by_post // m, weights=decay[by_post % m], minlength=len(authors))
    names = [str(a) for a in authors.to_pylist()]
    found = _evidence(dated, vocabulary, term[later], first[later], post[later], adopters,
                      names, origin[later], evidence)  # fmt: skip
    return TermUptake(
        {names[i]: int(counted[i]) for i in np.flatnonzero(counted)},
        {names[i]: float(recent[i]) for i in np.flatnonzero(counted)},
        found,
    )


def _evidence(
    posts: pa.Table,
    vocabulary: Any,
    term: Array,
    first: Array,
    later: Array,
    adopters: Array,
    names: list[str],
    origin: Array,
    limit: int,
) -> dict[str, tuple[TakenUpTerm, ...]]:
    """Each originator's most taken-up terms, ``limit`` at most, with up to five later posts."""
    if len(term) == 0 or limit <= 0:
        return {}
    uses = np.bincount(term, minlength=len(vocabulary))
    starts = np.flatnonzero(np.r_[True, term[1:] != term[:-1]])
    ids = posts.column("id").to_pylist()
    threads = posts.column("thread_id").to_pylist()
    chosen: dict[int, list[int]] = {}
    for start in sorted(starts, key=lambda s: (-uses[term[s]], int(term[s]))):
        mine = chosen.setdefault(int(origin[start]), [])
        if len(mine) < limit:
            mine.append(int(start))
    found: dict[str, tuple[TakenUpTerm, ...]] = {}
    for who, picked in chosen.items():
        items = []
        for s in picked:
            t = int(term[s])
            n = int(uses[t])
            items.append(
                TakenUpTerm(
                    term=str(vocabulary[t].as_py()),
                    post_id=str(ids[first[s]]),
                    thread_id=str(threads[first[s]]),
                    later_posts=tuple(str(ids[p]) for p in later[s : s + min(n, 5)]),
                    adopters=int(adopters[t]),
                )
            )
        found[names[who]] = tuple(items)
    return found
