"""What the authenticity analysis reads from a dataset: the relational work done by the engine.

The engine computes, with the same SQL on DuckDB and Spark, every post's context (account age
when posting, whether it is the author's first post, time since the thread opened and since the
previous post), which accounts share threads, who voted for or accepted whom, and the links.
Everything arrives sorted in Python, so both engines feed the scoring the same rows in the same
order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from plainspoken.engine import Engine, Query

_US = 1_000_000

POSTS = Query(
    "authenticity_posts",
    """
WITH authors AS (
    SELECT author_id, MIN(created_at) AS first_post_at
    FROM posts
    WHERE author_id IS NOT NULL AND created_at IS NOT NULL
    GROUP BY author_id
),
ordered AS (
    SELECT id, thread_id, author_id, kind, created_at,
           substr(text, 1, :max_chars) AS text,
           LAG(created_at) OVER (PARTITION BY thread_id ORDER BY created_at, id) AS previous_at
    FROM posts
    WHERE created_at IS NOT NULL
)
SELECT o.id AS post_id,
       o.thread_id,
       o.author_id,
       o.kind,
       strftime(o.created_at, '%Y-%m') AS month,
       date_diff('microsecond', t.created_at, o.created_at) AS since_thread_us,
       date_diff('microsecond', o.previous_at, o.created_at) AS since_previous_us,
       date_diff('microsecond', a.created_at, o.created_at) AS account_age_us,
       date_diff('microsecond', f.first_post_at, o.created_at) AS since_first_post_us,
       date_diff('microsecond', t.created_at, f.first_post_at) AS first_post_offset_us,
       o.created_at,
       o.text
FROM ordered AS o
LEFT JOIN threads AS t ON o.thread_id = t.id
LEFT JOIN accounts AS a ON o.author_id = a.id
LEFT JOIN authors AS f ON o.author_id = f.author_id
""",
    "Every dated post with its context: account age and time since the author's first post "
    "when posting, time since its thread opened and since the thread's previous post; the "
    "first `max_chars` characters of its text.",
    {"max_chars": 3000},
)

THREADS = Query(
    "authenticity_threads",
    """
SELECT id AS thread_id, title, tags, author_id, accepted_post_id, created_at
FROM threads
""",
    "Threads: title, tags, author and accepted post.",
)

ACCOUNTS = Query(
    "authenticity_accounts",
    """
SELECT id AS account_id, name, created_at
FROM accounts
""",
    "Accounts: name and creation time.",
)

CO_APPEARANCES = Query(
    "authenticity_co_appearances",
    """
WITH participants AS (
    SELECT DISTINCT thread_id, author_id
    FROM posts
    WHERE author_id IS NOT NULL AND thread_id IS NOT NULL
)
SELECT x.author_id AS first_id, y.author_id AS second_id, COUNT(*) AS shared
FROM participants AS x
JOIN participants AS y ON x.thread_id = y.thread_id AND x.author_id < y.author_id
GROUP BY x.author_id, y.author_id
HAVING COUNT(*) >= :min_shared
""",
    "Pairs of accounts that posted in at least `min_shared` of the same threads.",
    {"min_shared": 2},
)

VOTES = Query(
    "authenticity_votes",
    """
SELECT r.actor_id, p.author_id AS target_id, r.kind, r.post_id
FROM reactions AS r
JOIN posts AS p ON r.post_id = p.id
WHERE r.actor_id IS NOT NULL AND p.author_id IS NOT NULL AND r.actor_id <> p.author_id
  AND r.kind IN ('vote-up', 'accept', 'favorite', 'bounty')
UNION ALL
SELECT t.author_id AS actor_id, p.author_id AS target_id, 'accept' AS kind, p.id AS post_id
FROM threads AS t
JOIN posts AS p ON t.accepted_post_id = p.id
WHERE t.author_id IS NOT NULL AND p.author_id IS NOT NULL AND t.author_id <> p.author_id
""",
    "Up-votes, accepts, favourites and bounties whose actor is recorded, with the account that "
    "received them; accepted answers count as an accept by the thread's author.",
)

LINKS = Query(
    "authenticity_links",
    """
SELECT l.post_id, p.thread_id, p.author_id, l.domain, l.canonical_url
FROM links AS l
JOIN posts AS p ON l.post_id = p.id
WHERE l.domain IS NOT NULL AND p.author_id IS NOT NULL
""",
    "Links in posts, canonicalized, with the post's thread and author.",
)


def _seconds(column: pa.ChunkedArray[Any] | pa.Array[Any]) -> npt.NDArray[np.float64]:
    """Microsecond differences as float seconds, NaN where unknown."""
    values = column.to_numpy(zero_copy_only=False)
    out = np.asarray(values, dtype=np.float64) / _US
    return out


def _epoch_seconds(column: pa.ChunkedArray[Any] | pa.Array[Any]) -> npt.NDArray[np.float64]:
    as_int = column.cast(pa.timestamp("us")).cast(pa.int64())
    return np.asarray(as_int.to_numpy(zero_copy_only=False), dtype=np.float64) / _US


def _strings(column: pa.ChunkedArray[Any] | pa.Array[Any]) -> list[str | None]:
    values: list[str | None] = column.to_pylist()
    return values


@dataclass
class Posts:
    """Every dated post with its context, sorted by (time, id); arrays share one index."""

    ids: list[str]
    thread: list[str | None]
    author: list[str | None]
    kind: list[str]
    month: list[str]
    at: npt.NDArray[np.float64]
    since_thread: npt.NDArray[np.float64]
    since_previous: npt.NDArray[np.float64]
    account_age: npt.NDArray[np.float64]
    since_first_post: npt.NDArray[np.float64]
    text: list[str]

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def is_reply(self) -> npt.NDArray[np.bool_]:
        """Posts that answer or comment (everything but a thread's opening question)."""
        return np.array([k != "question" for k in self.kind], dtype=bool)

    @property
    def first_post(self) -> npt.NDArray[np.bool_]:
        """Posts that are their author's first post in the dataset."""
        return np.asarray(self.since_first_post == 0, dtype=bool)


@dataclass(frozen=True)
class Thread:
    """A thread's title, tags, opening author and accepted post."""

    thread_id: str
    title: str
    tags: tuple[str, ...]
    author_id: str | None
    accepted_post_id: str | None
    created_at: float | None


@dataclass(frozen=True)
class Vote:
    """A recorded reaction by ``actor_id`` on a post of ``target_id``."""

    actor_id: str
    target_id: str
    kind: str
    post_id: str


@dataclass(frozen=True)
class Link:
    """A canonicalized link in a post."""

    post_id: str
    thread_id: str | None
    author_id: str
    domain: str
    canonical_url: str


@dataclass
class Community:
    """Everything the analysis needs, read once from the engine."""

    dataset: str
    engine: str
    posts: Posts
    threads: dict[str, Thread]
    account_created: dict[str, float]
    account_names: dict[str, str]
    co_appearances: list[tuple[str, str, int]]
    votes: list[Vote]
    links: list[Link]


def _posts(table: pa.Table) -> Posts:
    """Posts sorted by (time, id), converted column by column so the table is never copied."""
    ids = [str(v) for v in _strings(table.column("post_id"))]
    at = _epoch_seconds(table.column("created_at"))
    order = np.lexsort((np.array(ids, dtype=object), at))

    def pick(values: list[Any]) -> list[Any]:
        return [values[i] for i in order]

    return Posts(
        ids=pick(ids),
        thread=pick(_strings(table.column("thread_id"))),
        author=pick(_strings(table.column("author_id"))),
        kind=pick([str(v) for v in _strings(table.column("kind"))]),
        month=pick([str(v) for v in _strings(table.column("month"))]),
        at=at[order],
        since_thread=_seconds(table.column("since_thread_us"))[order],
        since_previous=_seconds(table.column("since_previous_us"))[order],
        account_age=_seconds(table.column("account_age_us"))[order],
        since_first_post=_seconds(table.column("since_first_post_us"))[order],
        text=pick([v or "" for v in _strings(table.column("text"))]),
    )


def _tags(value: Sequence[str] | None) -> tuple[str, ...]:
    return tuple(sorted({t for t in value or () if t}))


def read(engine: Engine, min_shared: int = 2) -> Community:
    """Run the authenticity queries on a registered dataset and gather their rows."""
    if engine.dataset is None:
        raise ValueError("register a dataset on the engine first")
    table = engine.run(POSTS)
    posts = _posts(table)
    del table
    threads: dict[str, Thread] = {}
    table = engine.run(THREADS)
    created = _epoch_seconds(table.column("created_at"))
    for i, row in enumerate(table.to_pylist()):
        moment = None if np.isnan(created[i]) else float(created[i])
        threads[str(row["thread_id"])] = Thread(
            str(row["thread_id"]),
            str(row["title"] or ""),
            _tags(row["tags"]),
            row["author_id"],
            row["accepted_post_id"],
            moment,
        )
    accounts = engine.run(ACCOUNTS)
    account_at = _epoch_seconds(accounts.column("created_at"))
    ids = [str(v) for v in _strings(accounts.column("account_id"))]
    names = _strings(accounts.column("name"))
    account_created = {a: float(t) for a, t in zip(ids, account_at, strict=True) if not np.isnan(t)}
    account_names = {a: n for a, n in zip(ids, names, strict=True) if n}
    pairs = sorted(
        (str(r["first_id"]), str(r["second_id"]), int(r["shared"]))
        for r in engine.rows(CO_APPEARANCES, min_shared=min_shared)
    )
    votes = {
        Vote(str(r["actor_id"]), str(r["target_id"]), str(r["kind"]), str(r["post_id"]))
        for r in engine.rows(VOTES)
    }
    vote_list = sorted(votes, key=lambda v: (v.actor_id, v.target_id, v.kind, v.post_id))
    links = sorted(
        {
            Link(
                str(r["post_id"]),
                r["thread_id"],
                str(r["author_id"]),
                str(r["domain"]).lower(),
                str(r["canonical_url"] or ""),
            )
            for r in engine.rows(LINKS)
        },
        key=lambda link: (link.post_id, link.canonical_url, link.domain),
    )
    return Community(
        dataset=engine.dataset.name,
        engine=engine.name,
        posts=posts,
        threads=threads,
        account_created=account_created,
        account_names=account_names,
        co_appearances=pairs,
        votes=vote_list,
        links=links,
    )
