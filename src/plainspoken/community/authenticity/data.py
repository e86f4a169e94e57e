"""What the authenticity analysis reads from a dataset: the relational work done by the engine.

The engine computes, with the same SQL on DuckDB and Spark (``queries.py``), every post's
context (account age when posting, whether it is the author's first post, time since the thread
opened and since the previous post), who voted for or accepted whom, and the links. Which
accounts share threads is counted from the post columns (``membership.co_appearances``): as a
self-join in the engine it was the read's biggest memory cost.
Posts are numbered by (time, id) in the engine, so both engines feed the scoring the same rows
in the same order.

Nothing here holds one Python object per post: accounts, threads and months become integer
codes in numpy arrays, post ids stay in one Arrow array, and post texts, times and timing stay
in the engine (``texts.EngineTexts`` hands them out when a step asks), so memory grows with
the number of posts by a few dozen bytes each rather than by their text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from plainspoken.community.authenticity import texts as engine_texts
from plainspoken.community.authenticity.queries import (
    ACCOUNTS,
    ACTORS,
    LINK_DOMAINS,
    LINK_PART,
    LINK_SUMMARY,
    LINKS,
    LINKS_TABLE,
    POST_COLUMNS,
    POST_MONTHS,
    POST_SUMMARY,
    POST_THREAD_IDS,
    POSTS,
    POSTS_TABLE,
    TEXT_GROUP_ROWS,
    TEXTS,
    TEXTS_TABLE,
    THREADS,
    UNDATED_LINKS,
    VOTES,
)
from plainspoken.community.authenticity.texts import EngineTexts, Texts, Timing, seconds
from plainspoken.community.memory import give_back
from plainspoken.community.stored import StoredStrings
from plainspoken.community.strings import Strings
from plainspoken.engine import Engine

Array = npt.NDArray[Any]


def _codes(column: pa.ChunkedArray[Any] | pa.Array[Any], values: pa.Array[Any]) -> Array:
    """Each value's index in ``values`` (-1 for null or absent), as int32."""
    found = pc.index_in(column.cast(pa.string()), value_set=values)
    return np.asarray(found.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int32)


def _is_kind(kinds: Any, kind: str) -> npt.NDArray[np.bool_]:
    found: Any = pc.equal(kinds.cast(pa.string()).fill_null(""), pa.scalar(kind))
    return np.asarray(found.to_numpy(zero_copy_only=False), dtype=np.bool_)


def _filled(column: Any) -> Any:
    return column.fill_null(-1)


def _sorted_unique(*columns: pa.ChunkedArray[Any] | pa.Array[Any]) -> pa.Array[Any]:
    """The distinct non-null strings of some columns, in code-point order."""
    chunks: list[pa.Array[Any]] = []
    for column in columns:
        if isinstance(column, pa.ChunkedArray):
            chunks.extend(c.cast(pa.string()) for c in column.chunks)
        else:
            chunks.append(column.cast(pa.string()))
    if not chunks:
        return pa.array([], pa.string())
    merged = pc.unique(pa.chunked_array(chunks, pa.string()).combine_chunks()).drop_null()
    return merged.take(pc.sort_indices(merged))


@dataclass
class Posts:
    """Every dated post with its context, numbered by (time, id); arrays share one index.

    ``thread`` and ``author`` are codes into ``Community.threads`` / ``Community.accounts``
    (-1 when unknown); ``month`` is a code into ``months``.
    """

    ids: StoredStrings
    thread: Array
    author: Array
    question: npt.NDArray[np.bool_]
    month: Array
    months: list[str]
    first_post: npt.NDArray[np.bool_]  # the author's first post in the dataset

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def is_reply(self) -> npt.NDArray[np.bool_]:
        """Posts that answer or comment (everything but a thread's opening question)."""
        return ~self.question

    def id_of(self, index: int) -> str:
        return self.ids[index]

    def ids_of(self, indexes: Sequence[int] | Array) -> tuple[str, ...]:
        return ids_of(self.ids, indexes)


def ids_of(ids: StoredStrings, indexes: Sequence[int] | Array) -> tuple[str, ...]:
    """The post ids at some post numbers, in their order."""
    return tuple(ids.take(np.asarray(indexes)))


@dataclass
class Threads:
    """Thread ids in code order; title where the threads table has the thread, and how many
    of those threads carry each tag (product names come from tags; nothing else reads them)."""

    ids: Strings
    known: npt.NDArray[np.bool_]
    titles: StoredStrings
    tag_threads: dict[str, int]
    author: Array  # the opening author's account code, -1 when unknown


@dataclass
class Votes:
    """Recorded reactions: ``actor`` reacted to a post of ``target`` (account codes)."""

    actor: Array
    target: Array
    post_ids: pa.Array[Any]
    accept: npt.NDArray[np.bool_]  # an accepted answer (the asker's choice), not a vote

    def __len__(self) -> int:
        return len(self.actor)


@dataclass
class Links:
    """Canonicalized links: post number (-1 for undated posts), thread and author codes, and a
    code into ``domains``."""

    post: Array
    thread: Array
    author: Array
    domain: Array
    domains: list[str]

    def __len__(self) -> int:
        return len(self.post)


@dataclass
class Community:
    """Everything the analysis needs, read once from the engine (texts on demand)."""

    dataset: str
    engine: str
    posts: Posts
    threads: Threads
    accounts: Strings
    account_names: StoredStrings
    votes: Votes
    links: Links
    texts: Texts

    def account(self, code: int) -> str | None:
        return None if code < 0 else self.accounts[code]


def _tags(value: Sequence[str] | None) -> set[str]:
    return {t for t in value or () if t}


def _by_code(column: pa.ChunkedArray[Any], codes: Array, count: int) -> pa.ChunkedArray[Any]:
    """A table column's strings placed at their rows' codes (null where no row has the code;
    rows coded -1 are left out)."""
    row_of = np.full(count, -1, dtype=np.int64)
    known = codes >= 0
    row_of[codes[known]] = np.flatnonzero(known)
    return column.take(pa.array(row_of, pa.int64(), mask=row_of < 0))


def _posts(
    engine: Engine,
    thread_ids: pa.Array[Any],
    account_ids: pa.Array[Any],
    months: pa.Array[Any],
    total: int,
    scratch: Path | None,
) -> Posts:
    """The ``total`` numbered posts' columns, read a range of post numbers at a time into
    arrays made once (a big community's rows are never all held as Arrow columns at once)."""
    # The ids are read only for the posts that evidence names: they wait on disk, written a
    # range at a time as they come (never all held here).
    ids = StoredStrings(folder=scratch)
    thread = np.empty(total, dtype=np.int32)
    author = np.empty(total, dtype=np.int32)
    question = np.empty(total, dtype=np.bool_)
    month = np.empty(total, dtype=np.int16)  # a code per calendar month: 16 bits are plenty
    first_post = np.empty(total, dtype=np.bool_)
    batch = engine_texts.COLUMN_BATCH  # one setting for all reads of the numbered posts
    for first in range(0, total, batch):
        table = engine.run(POST_COLUMNS, first=first, stop=first + batch)
        part = slice(first, first + table.num_rows)
        if table.num_rows != min(batch, total - first):
            raise ValueError(f"numbered posts from {first}: {table.num_rows} rows read")
        ids.extend(table.column("post_id").cast(pa.string()))
        thread[part] = _codes(table.column("thread_id"), thread_ids)
        author[part] = _codes(table.column("author_id"), account_ids)
        question[part] = _is_kind(table.column("kind").cast(pa.string()), "question")
        month[part] = _codes(table.column("month"), months)
        # Only whether it is the first is used: one byte, not a float, per post.
        first_post[part] = seconds(table.column("since_first_post_us")) == 0
        del table
        # Each read scans the staged posts; what the engine keeps from the scan goes back
        # while the arrays here fill up.
        engine.trim()
    return Posts(
        ids=ids,
        thread=thread,
        author=author,
        question=question,
        month=month,
        months=[str(m) for m in months.to_pylist()],
        first_post=first_post,
    )


def _post_count(engine: Engine) -> int:
    return int(engine.run(POST_SUMMARY).column("posts")[0].as_py() or 0)


def _links(
    engine: Engine, thread_ids: pa.Array[Any], account_ids: pa.Array[Any], posts: int
) -> Links:
    """The staged links as codes, read a range of post numbers at a time (then the undated
    posts' links) into arrays made once."""
    total = int(engine.run(LINK_SUMMARY).column("links")[0].as_py() or 0)
    domains = _sorted_unique(engine.run(LINK_DOMAINS).column("domain"))
    post = np.empty(total, dtype=np.int32)  # post numbers in 32 bits, like the post columns
    thread = np.empty(total, dtype=np.int32)
    author = np.empty(total, dtype=np.int32)
    domain = np.empty(total, dtype=np.int32)
    batch = engine_texts.COLUMN_BATCH
    parts = [(LINK_PART, {"first": lo, "stop": lo + batch}) for lo in range(0, posts, batch)]
    done = 0
    for query, params in [*parts, (UNDATED_LINKS, {})]:
        table = engine.run(query, **params)
        end = done + table.num_rows
        if end > total:
            raise ValueError(f"links: more than the {total} staged were read")
        post[done:end] = _filled(table.column("pos")).to_numpy(zero_copy_only=False)
        thread[done:end] = _codes(table.column("thread_id"), thread_ids)
        author[done:end] = _codes(table.column("author_id"), account_ids)
        domain[done:end] = _codes(table.column("domain"), domains)
        done = end
        del table
        engine.trim()
    if done != total:
        raise ValueError(f"links: {done} read of the {total} staged")
    return Links(post, thread, author, domain, [str(d) for d in domains.to_pylist()])


def read(engine: Engine, max_chars: int = 3000, scratch: Path | None = None) -> Community:
    """Run the authenticity queries on a registered dataset and gather their rows.

    The numbered posts stay in the engine as a table while the analysis reads their texts, so
    the engine must stay open until the analysis is done. Post ids, thread titles and account
    names, read rarely, are kept in files made in ``scratch`` (default: the system's
    temporary folder; ``stored.StoredStrings``) and gone with the community.
    """
    if engine.dataset is None:
        raise ValueError("register a dataset on the engine first")
    engine.stage(POSTS_TABLE, POSTS)
    # The texts apart, in small row groups: the posts' other columns are read in whole
    # ranges, while texts are also picked a few at a time (the cited posts' excerpts).
    engine.stage(TEXTS_TABLE, TEXTS, group_rows=TEXT_GROUP_ROWS, max_chars=max_chars)
    # The links are staged too (one row per post and URL: distinct over the URLs is the
    # engine's other big piece of work), before anything is held here, and read back a range
    # of post numbers at a time below: as one result, a big community's millions of rows of
    # strings came out of the engine twice over.
    engine.stage(LINKS_TABLE, LINKS)
    # Numbering and staging the posts is the engine's biggest sort: what it cached for it
    # goes back before the rows below are held here.
    engine.trim()
    threads_table = engine.run(THREADS)
    accounts_table = engine.run(ACCOUNTS)
    actors = engine.run(ACTORS)
    account_ids = _sorted_unique(accounts_table.column("account_id"), actors.column("account_id"))
    thread_ids = _sorted_unique(
        threads_table.column("thread_id"), engine.run(POST_THREAD_IDS).column("thread_id")
    )
    months = _sorted_unique(engine.run(POST_MONTHS).column("month"))
    engine.trim()
    count = len(thread_ids)
    # Threads per tag, not each thread's tags: a big community's millions of tag lists were
    # held from start to end for one count at the start of the text pass.
    tag_threads: Counter[str] = Counter()
    known = np.zeros(count, dtype=bool)
    slots = _codes(threads_table.column("thread_id"), thread_ids)
    thread_author = np.full(count, -1, dtype=np.int32)
    done = 0
    # A batch of rows at a time: Python lists of every tag list at once would be a big
    # community's largest passing cost here.
    for batch in threads_table.select(["tags"]).to_batches(max_chunksize=100_000):
        batch_slots = slots[done : done + batch.num_rows]
        done += batch.num_rows
        for slot, tag_list in zip(batch_slots, batch.column(0).to_pylist(), strict=True):
            if not known[slot]:  # a thread is counted once
                known[slot] = True
                tag_threads.update(_tags(tag_list))
    thread_author[slots] = _codes(threads_table.column("author_id"), account_ids)
    # Titles are read once in order (for product names) and then for the report; names only
    # for the report: both wait on disk.
    titles = StoredStrings(_by_code(threads_table.column("title"), slots, count), scratch)
    names = StoredStrings(
        _by_code(
            accounts_table.column("name"),
            _codes(accounts_table.column("account_id"), account_ids),
            len(account_ids),
        ),
        scratch,
    )
    # Each big result is turned into codes and let go before the next one arrives, and what
    # the allocators kept of it goes back too: at 22.7M posts the threads' titles and tags
    # left about 500 MB with Arrow's allocator while the votes query ran.
    del threads_table, accounts_table, actors
    give_back()
    # The engine's heaviest queries (votes, links) run before the post columns are held here,
    # so its working memory and theirs are not needed at one time.
    table = engine.run(VOTES)
    votes = Votes(
        _codes(table.column("actor_id"), account_ids),
        _codes(table.column("target_id"), account_ids),
        table.column("post_id").cast(pa.string()).combine_chunks(),
        _is_kind(table.column("kind"), "accept"),
    )
    del table
    total = _post_count(engine)
    links = _links(engine, thread_ids, account_ids, total)
    engine.drop(LINKS_TABLE)
    engine.trim()
    posts = _posts(engine, thread_ids, account_ids, months, total, scratch)
    # The big queries are done: what the engine cached for them is not needed while the
    # analysis works through the rows and the texts, nor what the allocators kept.
    engine.trim()
    give_back()
    return Community(
        dataset=engine.dataset.name,
        engine=engine.name,
        posts=posts,
        threads=Threads(Strings(thread_ids), known, titles, dict(tag_threads), thread_author),
        accounts=Strings(account_ids),
        account_names=names,
        votes=votes,
        links=links,
        texts=EngineTexts(engine, len(posts)),
    )


__all__ = ["Community", "Links", "Posts", "Texts", "Threads", "Timing", "Votes", "ids_of", "read"]
