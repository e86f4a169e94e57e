"""The tables a ranking loads on the engine, and the small lookups it makes there.

``infl_relevance`` (the topic's threads and their relevance), ``infl_events`` (reactions to
topic posts in the window, made by ``graph.EVENTS``) and ``infl_excluded`` (accounts whose
reactions do not count) are read by the queries in ``graph``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pyarrow as pa

from plainspoken.community.influence import graph
from plainspoken.community.influence.progress import Progress
from plainspoken.community.influence.topic import Relevance, ThreadText, Topic, parse_topic
from plainspoken.community.influence.topic import relevance as score_relevance
from plainspoken.engine import Engine, Query

TABLES = ("infl_relevance", "infl_events", "infl_excluded", "infl_example_ids")

TITLES = Query(
    "influence_titles",
    "SELECT t.id, t.title FROM threads AS t JOIN infl_candidates AS c ON t.id = c.account_id",
    "Titles of the threads a report shows.",
)


def threads(engine: Engine) -> list[ThreadText]:
    """Every thread's title, tags and question text."""
    table = engine.run(graph.DOCUMENTS)
    ids = table.column("thread_id").to_pylist()
    titles = table.column("title").to_pylist()
    tags = table.column("tags").to_pylist()
    texts = table.column("text").to_pylist()
    return [
        ThreadText(str(i), t or "", tuple(g or ()), x or "")
        for i, t, g, x in zip(ids, titles, tags, texts, strict=True)
        if i is not None
    ]


def topic_relevance(
    engine: Engine, topic: Topic | str, dataset: str, progress: Progress | None = None
) -> Relevance:
    """Resolve a topic against the dataset's tags and score every thread's relevance."""
    parsed = parse_topic(topic) if isinstance(topic, str) else topic
    if progress:
        progress("reading the threads' titles, tags and questions")
    found = threads(engine)
    if progress:
        progress(f"scoring topic relevance of {len(found):,} threads")
    resolved = parsed.resolve({t for thread in found for t in thread.tags})
    examples: dict[str, tuple[str, str]] = {}
    if resolved.posts:
        engine.load("infl_example_ids", pa.table({"id": pa.array(resolved.posts, pa.string())}))
        for row in engine.rows(graph.EXAMPLES):
            examples[str(row["id"])] = (str(row["thread_id"]), row["text"] or "")
    return score_relevance(resolved, found, examples, dataset)


def load_relevance(engine: Engine, scores: Mapping[str, float]) -> None:
    engine.load(
        "infl_relevance",
        pa.table(
            {
                "thread_id": pa.array(list(scores), pa.string()),
                "relevance": pa.array(list(scores.values()), pa.float64()),
            }
        ),
    )


def load_excluded(engine: Engine, accounts: Sequence[str]) -> None:
    # One row that matches no account keeps the table non-empty (Spark infers no empty frame).
    ids = [*accounts, ""]
    engine.load("infl_excluded", pa.table({"account_id": pa.array(ids, pa.string())}))


def drop_tables(engine: Engine) -> None:
    for table in TABLES:
        engine.drop(table)


def column(table: pa.Table, name: str) -> list[Any]:
    values: list[Any] = table.column(name).to_pylist()
    return values


def rows_by_account(engine: Engine, query: Query, **params: Any) -> dict[str, dict[str, Any]]:
    return {str(r["account_id"]): r for r in engine.rows(query, **params)}


def names(engine: Engine, accounts: Sequence[str]) -> dict[str, str]:
    """Display names of the given accounts (those that have one)."""
    engine.load("infl_candidates", pa.table({"account_id": pa.array([*accounts, ""])}))
    try:
        return {
            str(r["account_id"]): str(r["name"])
            for r in engine.rows(graph.ACCOUNTS)
            if r["name"] is not None
        }
    finally:
        engine.drop("infl_candidates")


def titles(engine: Engine, thread_ids: set[str]) -> dict[str, str]:
    """Titles of the given threads."""
    if not thread_ids:
        return {}
    engine.load("infl_candidates", pa.table({"account_id": pa.array(sorted(thread_ids))}))
    try:
        rows = engine.rows(TITLES)
    finally:
        engine.drop("infl_candidates")
    return {str(r["id"]): str(r["title"] or "") for r in rows}
