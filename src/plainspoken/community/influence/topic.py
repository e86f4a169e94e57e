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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse

from plainspoken.errors import UsageError

RELEVANCE_FLOOR = 0.5
"""Similarity, as a share of the typical seed's, below which a thread is off the topic."""

_TOKEN = re.compile(r"[a-z0-9][a-z0-9+#]*(?:[.\-][a-z0-9+#]+)*")
_STOP = frozenset(
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
    """Lower-case word tokens without stop words; keeps c++, c#, node.js and wi-fi whole."""
    return [t for t in _TOKEN.findall(text.lower()) if t not in _STOP and len(t) > 1]


def tag_tokens(tag: str) -> list[str]:
    """A tag as tokens: the whole tag and its hyphen-separated parts."""
    parts = [p for p in tag.lower().split("-") if p and p not in _STOP]
    return [tag.lower(), *parts] if len(parts) > 1 else [tag.lower()]


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


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in phrase.lower().split()]
    return re.compile(r"(?<![a-z0-9])" + r"[\s\-_]+".join(words) + r"(?![a-z0-9])")


def _matrix(
    docs: list[list[str]],
) -> tuple[sparse.csr_matrix, dict[str, int], np.ndarray[Any, Any]]:
    vocabulary: dict[str, int] = {}
    indptr: list[int] = [0]
    indices: list[int] = []
    counts: list[int] = []
    for doc in docs:
        seen: dict[int, int] = {}
        for token in doc:
            column = vocabulary.setdefault(token, len(vocabulary))
            seen[column] = seen.get(column, 0) + 1
        indices.extend(seen)
        counts.extend(seen.values())
        indptr.append(len(indices))
    tf = sparse.csr_matrix(
        (np.log1p(np.asarray(counts, dtype=np.float64)), indices, indptr),
        shape=(len(docs), max(1, len(vocabulary))),
    )
    df = np.bincount(np.asarray(indices, dtype=np.int64), minlength=tf.shape[1])
    idf = np.log((1 + len(docs)) / (1 + df)) + 1.0
    weighted = tf.multiply(idf[np.newaxis, :]).tocsr()
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    normalized = sparse.diags(1.0 / norms) @ weighted
    return sparse.csr_matrix(normalized), vocabulary, idf


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
    patterns = [(k, _phrase_pattern(k)) for k in topic.keywords]
    docs: list[list[str]] = []
    for thread in threads:
        lowered = f"{thread.title}\n{thread.text}".lower()
        hit = next((t for t in thread.tags if t in wanted), None)
        if hit is not None:
            reasons[thread.thread_id] = f"tag {hit}"
        else:
            phrase = next((k for k, p in patterns if p.search(lowered)), None)
            if phrase is not None:
                reasons[thread.thread_id] = f'phrase "{phrase}"'
        docs.append(tokens(lowered) + [t for tag in thread.tags for t in tag_tokens(tag)])
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
    docs: list[list[str]],
    reasons: dict[str, str],
    examples: Mapping[str, tuple[str, str]],
) -> Relevance:
    matrix, vocabulary, idf = _matrix(docs)
    row_of = {t.thread_id: i for i, t in enumerate(threads)}
    seed_rows = sorted(row_of[t] for t in reasons if t in row_of)
    centroid = np.asarray(matrix[seed_rows].mean(axis=0)).ravel()
    own: dict[int, float] = {}
    own_words = [*topic.keywords, *topic.tags]
    own_words += [examples[p][1] for p in topic.posts if p in examples]
    for word in own_words:
        for token in tokens(word.replace("-", " ")) + tag_tokens(word):
            column = vocabulary.get(token)
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
