"""What a topic is, and how relevant every thread of a dataset is to it.

A topic is written as comma-separated items: ``tag:NAME`` (a tag), ``post:ID`` (an example
post), or words and phrases (``mqtt, home assistant``). A bare item that is one of the
dataset's tags (compared without case, spaces read as hyphens) is that tag; anything else is
a keyword or phrase.

Relevance: threads carrying a topic tag, containing a topic phrase or holding an example post
are the topic's *seeds* (relevance 1). Every thread is a TF-IDF vector (title, tags and
question text); the topic is the centroid of its seeds plus the topic's own words. A thread
that is not a seed is relevant by its cosine similarity to that centroid, measured against
the typical (median) seed's similarity: at ``RELEVANCE_FLOOR`` of it or below it counts for
nothing, at the typical seed's it counts fully, linearly in between. So related wording
counts, loosely related threads count a little, and the scale does not depend on the topic.
"""

from __future__ import annotations

import difflib
import math
import re
import string
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as _compute
from scipy import sparse

from plainspoken.errors import UsageError

pc: Any = _compute
"""pyarrow's compute functions (its stubs' overloads reject calls these modules make)."""

RELEVANCE_FLOOR = 0.5
"""Similarity, as a share of the typical seed's, below which a thread is off the topic."""

_SPLIT = r"[^a-z0-9+#.\-]+"
_LEAD = ".-+#"
_TRAIL = ".-"
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
CHUNK = 50_000
"""Texts split into words at a time."""
STOP_WORDS = frozenset(
    "a an and are as at be but by can could do does for from has have how i if in into is it "
    "its me my no not of on or our so some such than that the their them then there these "
    "they this to was we were what when where which who why will with would you your any all "
    "also am been being did just more most other should only very get got use using used one "
    "would like about out up there here know want need way make thanks".split()
)


@dataclass(frozen=True)
class Topic:
    """A topic as the user wrote it: tags, keywords or phrases, example post ids."""

    tags: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    posts: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    """Bare items not yet known to be tags or keywords (``resolve`` decides)."""

    @property
    def label(self) -> str:
        """The topic in the syntax ``parse_topic`` reads."""
        items = [f"tag:{t}" for t in self.tags] + [f"post:{p}" for p in self.posts]
        return ", ".join([*items, *self.keywords, *self.terms])

    def resolve(self, known_tags: Iterable[str]) -> Topic:
        """Bare items that name a known tag become tags; the rest become keywords."""
        lookup = {_tag_key(t): t for t in known_tags}
        tags, keywords = list(self.tags), list(self.keywords)
        for term in self.terms:
            found = lookup.get(_tag_key(term))
            (tags if found else keywords).append(found or term)
        return Topic(tuple(dict.fromkeys(tags)), tuple(dict.fromkeys(keywords)), self.posts)


def _tag_key(text: str) -> str:
    return re.sub(r"[\s_]+", "-", text.strip().lower())


def parse_topic(text: str) -> Topic:
    """Read ``tag:NAME, post:ID, words or phrases`` (comma-separated)."""
    items = [item.strip() for item in text.split(",") if item.strip()]
    if not items:
        raise UsageError(
            "the topic is empty (give tags, keywords or example posts, e.g. "
            "--topic 'tag:mqtt, home assistant, post:1234')"
        )
    tags, posts, terms = [], [], []
    for item in items:
        prefix, _, rest = item.partition(":")
        if rest and prefix.lower() == "tag":
            tags.append(_tag_key(rest))
        elif rest and prefix.lower() == "post":
            posts.append(rest.strip())
        else:
            terms.append(item)
    return Topic(tuple(tags), (), tuple(posts), tuple(terms))


def tokens(text: str) -> list[str]:
    """Lower-case word tokens without stop words or one-character tokens; keeps c++, c#,
    node.js and wi-fi whole (the rule ``split_words`` applies to many texts at once)."""
    lowered = text.translate(_ASCII_LOWER)  # only ASCII letters are word characters
    found = (w.lstrip(_LEAD).rstrip(_TRAIL) for w in re.split(_SPLIT, lowered))
    return [t for t in found if len(t) > 1 and t not in STOP_WORDS]


def _byte_table(characters: bytes) -> np.ndarray[Any, np.dtype[np.bool_]]:
    table = np.zeros(256, dtype=np.bool_)
    table[np.frombuffer(characters, dtype=np.uint8)] = True
    return table


_WORD_BYTES = _byte_table(b"abcdefghijklmnopqrstuvwxyz0123456789+#.-")
_LEAD_BYTES = _byte_table(_LEAD.encode())
_TRAIL_BYTES = _byte_table(_TRAIL.encode())
_ASCII_LOWER_BYTES = np.arange(256, dtype=np.uint8)
_ASCII_LOWER_BYTES[65:91] += 32


def split_words(texts: Any) -> tuple[Any, np.ndarray[Any, Any]]:
    """Every word of every text, lower-cased (split on characters other than letters,
    digits and ``+#.-``; leading ``.-+#`` and trailing ``.-`` trimmed), and the text each
    came from. Stop words are kept; empty words are not.

    The same rule as ``tokens``, run on the texts' UTF-8 bytes with numpy: word boundaries
    from a byte table, then one string array of the words. Letters outside ASCII are
    not word characters (as in ``tokens``, whose pattern names ASCII letters only)."""
    column: Any = pc.fill_null(texts, "")
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if column.type != pa.string():
        column = column.cast(pa.string())
    n = len(column)
    offsets = np.frombuffer(
        column.buffers()[1], dtype=np.int32, count=n + 1, offset=column.offset * 4
    )
    data = column.buffers()[2]
    raw = (
        np.frombuffer(data, dtype=np.uint8)[offsets[0] : offsets[-1]]
        if data is not None
        else np.zeros(0, dtype=np.uint8)
    )
    bounds = (offsets - offsets[0]).astype(np.int64)
    low = _ASCII_LOWER_BYTES[raw]
    word = _WORD_BYTES[low]
    opens = np.zeros(len(low) + 1, dtype=np.bool_)
    opens[bounds] = True  # a word never runs from one text into the next
    starts = np.flatnonzero(word & ~(np.r_[False, word[:-1]] & ~opens[:-1]))
    ends = np.flatnonzero(word & ~(np.r_[word[1:], False] & ~opens[1:])) + 1
    last = max(len(low) - 1, 0)
    moving = np.flatnonzero(_LEAD_BYTES[low[starts]]) if len(starts) else starts
    while len(moving):
        starts[moving] += 1
        moving = moving[starts[moving] < ends[moving]]
        moving = moving[_LEAD_BYTES[low[np.minimum(starts[moving], last)]]]
    moving = np.flatnonzero((ends > starts) & _TRAIL_BYTES[low[np.maximum(ends - 1, 0)]])
    while len(moving):
        ends[moving] -= 1
        moving = moving[ends[moving] > starts[moving]]
        moving = moving[_TRAIL_BYTES[low[ends[moving] - 1]]]
    kept = ends > starts
    starts, ends = starts[kept], ends[kept]
    parent = np.searchsorted(bounds, starts, side="right") - 1
    # One string array over the lowered bytes whose items are word, gap, word, gap, ...,
    # word (offsets start, end, start, end, ...): no copy; taking every other item gathers
    # the words' bytes in one pass.
    places = np.empty(2 * len(starts), dtype=np.int64)
    places[0::2], places[1::2] = starts, ends
    if len(starts) == 0:
        places = np.zeros(1, dtype=np.int64)
    buffers = [None, pa.py_buffer(places.data), pa.py_buffer(low.data)]
    spans: Any = pa.Array.from_buffers(pa.large_string(), max(len(places) - 1, 0), buffers)
    even = pa.array(np.arange(0, len(spans), 2, dtype=np.int64))
    words = spans.take(even).cast(pa.string())
    return words, parent


def tag_tokens(tag: str) -> list[str]:
    """A tag as tokens: the whole tag and its hyphen-separated parts."""
    parts = [p for p in tag.lower().split("-") if p and p not in STOP_WORDS]
    return [tag.lower(), *parts] if len(parts) > 1 else [tag.lower()]


def _token_ids(texts: Sequence[str]) -> tuple[Any, np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """The vocabulary of ``texts`` (``tokens``' rule) and a (text, token) row per use, the
    texts read ``CHUNK`` at a time."""
    stop = pa.array(sorted(STOP_WORDS))
    vocabularies: list[Any] = []
    local: list[np.ndarray[Any, Any]] = []
    rows: list[np.ndarray[Any, Any]] = []
    for start in range(0, len(texts), CHUNK):
        flat, parent = split_words(pa.array(texts[start : start + CHUNK], pa.string()))
        keep: Any = pc.and_(pc.greater(pc.utf8_length(flat), 1), pc.invert(pc.is_in(flat, stop)))
        mask = np.asarray(keep.to_numpy(zero_copy_only=False), dtype=np.bool_)
        encoded: Any = pc.dictionary_encode(flat.filter(keep))
        vocabularies.append(encoded.dictionary)
        local.append(np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64))
        rows.append(parent[mask] + start)
    if not vocabularies:
        return pa.array([], pa.string()), np.zeros(0, np.int64), np.zeros(0, np.int64)
    joined: Any = pc.dictionary_encode(pa.chunked_array(vocabularies, pa.string()))
    columns = [
        np.asarray(chunk.indices.to_numpy(zero_copy_only=False), dtype=np.int64)[ids]
        for chunk, ids in zip(joined.chunks, local, strict=True)
    ]
    return joined.chunks[0].dictionary, np.concatenate(rows), np.concatenate(columns)


@dataclass(frozen=True)
class ThreadText:
    """What relevance reads of a thread."""

    thread_id: str
    title: str
    tags: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class Relevance:
    """Relevance of threads to a topic: the seeds, every relevant thread's weight in (0, 1]."""

    topic: Topic
    threads: Mapping[str, float]
    seeds: frozenset[str]
    reasons: Mapping[str, str] = field(default_factory=dict)
    """Why each seed is a seed: 'tag mqtt', 'phrase "home assistant"', 'example post 12'."""


def closest_tags(words: Sequence[str], tag_counts: Mapping[str, int], n: int = 5) -> list[str]:
    """Tags most like the given words (by spelling), else the most used tags."""
    found: list[str] = []
    for word in words:
        for tag in difflib.get_close_matches(_tag_key(word), list(tag_counts), n=n, cutoff=0.5):
            if tag not in found:
                found.append(tag)
    for word in words:
        key = _tag_key(word)
        for tag in sorted(tag_counts, key=lambda t: -tag_counts[t]):
            if (key in tag or tag in key) and tag not in found and len(key) > 2:
                found.append(tag)
    if not found:
        found = sorted(tag_counts, key=lambda t: (-tag_counts[t], t))
    return found[:n]


def _phrase_pattern(phrase: str) -> str:
    """A phrase as an RE2 pattern: its words in order, any spaces, hyphens or underscores
    between them, and no letter or digit right before or after."""
    words = [re.escape(w) for w in phrase.lower().split()]
    return r"(^|[^a-z0-9])" + r"[\s\-_]+".join(words) + r"([^a-z0-9]|$)"


def _tag_words() -> Callable[[str], str]:
    """A tag's tokens as words to add to its threads' text (remembered per tag)."""
    known: dict[str, str] = {}

    def words(tag: str) -> str:
        if tag not in known:
            known[tag] = " ".join(tag_tokens(tag))
        return known[tag]

    return words


def _matrix(
    n: int, rows: np.ndarray[Any, Any], columns: np.ndarray[Any, Any], width: int
) -> tuple[sparse.csr_matrix, np.ndarray[Any, Any]]:
    """TF-IDF rows (``log(1 + count)`` times smoothed IDF, unit length) and the IDF."""
    width = max(1, width)
    pairs, counts = np.unique(rows * width + columns, return_counts=True)
    row, column = pairs // width, pairs % width
    df = np.bincount(column, minlength=width)
    idf = np.log((1 + n) / (1 + df)) + 1.0
    data = np.log1p(counts.astype(np.float64)) * idf[column]
    norms = np.sqrt(np.bincount(row, weights=data * data, minlength=n))
    norms[norms == 0] = 1.0
    data /= norms[row]
    return sparse.csr_matrix((data, (row, column)), shape=(n, width)), idf


def relevance(
    topic: Topic,
    threads: Sequence[ThreadText],
    examples: Mapping[str, tuple[str, str]],
    dataset: str,
) -> Relevance:
    """Score every thread's relevance to a resolved topic (see the module text).

    ``examples`` maps each example post id found in the dataset to ``(thread_id, text)``.
    Raises ``UsageError`` for an unknown tag or example post and for a topic no thread matches,
    naming the closest tags.
    """
    tag_counts: dict[str, int] = {}
    for thread in threads:
        for tag in thread.tags:
            tag_counts[tag] = tag_counts.get(tag, 0) + 1
    for tag in topic.tags:
        if tag not in tag_counts:
            near = ", ".join(closest_tags([tag], tag_counts)) or "the dataset has no tags"
            raise UsageError(f"dataset '{dataset}' has no tag '{tag}' (closest tags: {near})")
    for post in topic.posts:
        if post not in examples:
            raise UsageError(
                f"dataset '{dataset}' has no post '{post}' (give an example post by its id, "
                "as the source numbered it)"
            )
    reasons: dict[str, str] = {}
    wanted = set(topic.tags)
    texts = pc.utf8_lower(
        pa.array([f"{thread.title}\n{thread.text}" for thread in threads], pa.string())
    )
    found = [
        (k, np.asarray(pc.match_substring_regex(texts, _phrase_pattern(k)).to_numpy(
            zero_copy_only=False)))
        for k in topic.keywords
    ]  # fmt: skip
    tagged = _tag_words()
    docs: list[str] = []
    for i, thread in enumerate(threads):
        hit = next((t for t in thread.tags if t in wanted), None)
        if hit is not None:
            reasons[thread.thread_id] = f"tag {hit}"
        else:
            phrase = next((k for k, matches in found if matches[i]), None)
            if phrase is not None:
                reasons[thread.thread_id] = f'phrase "{phrase}"'
        tag_words = " ".join(tagged(tag) for tag in thread.tags)
        docs.append(f"{thread.title}\n{thread.text}\n{tag_words}")
    for post, (thread_id, _) in examples.items():
        if post in topic.posts:
            reasons.setdefault(thread_id, f"example post {post}")
    if not reasons:
        words = [*topic.keywords, *topic.tags]
        near = ", ".join(closest_tags(words, tag_counts)) or "the dataset has no tags"
        raise UsageError(
            f"topic '{topic.label}' matches no posts in dataset '{dataset}' "
            f"(closest tags: {near}; write a tag as tag:NAME)"
        )
    if not docs:
        return Relevance(topic, {}, frozenset(), {})
    return _score(topic, threads, docs, reasons, examples)


def _score(
    topic: Topic,
    threads: Sequence[ThreadText],
    docs: list[str],
    reasons: dict[str, str],
    examples: Mapping[str, tuple[str, str]],
) -> Relevance:
    words, rows, columns = _token_ids(docs)
    matrix, idf = _matrix(len(docs), rows, columns, len(words))
    row_of = {t.thread_id: i for i, t in enumerate(threads)}
    seed_rows = sorted(row_of[t] for t in reasons if t in row_of)
    centroid = np.asarray(matrix[seed_rows].mean(axis=0)).ravel()
    own: dict[int, float] = {}
    own_words = [*topic.keywords, *topic.tags]
    own_words += [examples[p][1] for p in topic.posts if p in examples]
    wanted = [t for word in own_words for t in tokens(word.replace("-", " ")) + tag_tokens(word)]
    places = pc.index_in(pa.array(wanted, pa.string()), value_set=words).to_pylist()
    for column in places:
        if column is not None:
            own[column] = own.get(column, 0.0) + float(idf[column])
    if own:
        extra = np.zeros(matrix.shape[1])
        for column, value in own.items():
            extra[column] = value
        extra /= math.sqrt(float((extra * extra).sum()))
        centroid = centroid + extra * float(np.linalg.norm(centroid))
    norm = float(np.linalg.norm(centroid))
    similarity = matrix @ (centroid / norm) if norm > 0 else np.zeros(matrix.shape[0])
    reference = float(np.median(similarity[seed_rows])) if seed_rows else 0.0
    scores: dict[str, float] = {}
    for i, thread in enumerate(threads):
        if thread.thread_id in reasons:
            scores[thread.thread_id] = 1.0
        elif reference > 0:
            ratio = float(similarity[i]) / reference
            value = (ratio - RELEVANCE_FLOOR) / (1.0 - RELEVANCE_FLOOR)
            if value > 0:
                scores[thread.thread_id] = min(1.0, value)
    return Relevance(topic, scores, frozenset(reasons), reasons)
