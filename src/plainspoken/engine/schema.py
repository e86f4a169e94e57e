"""The dataset schema: one Arrow schema per table, shared by importers, engines and tests.

Ids keep the source's ids as strings. Times are UTC microseconds. Columns a source does not
record are null. Bump ``SCHEMA_VERSION`` in ``folder.py`` when a column changes meaning.
"""

from __future__ import annotations

import pyarrow as pa

TS = pa.timestamp("us", tz="UTC")


def _schema(columns: list[tuple[str, pa.DataType]]) -> pa.Schema:
    return pa.schema(columns)


SCHEMAS: dict[str, pa.Schema] = {
    "accounts": _schema(
        [
            ("id", pa.string()),
            ("name", pa.string()),
            ("created_at", TS),
            ("reputation", pa.int64()),
            ("profile", pa.string()),
            ("website", pa.string()),
            ("location", pa.string()),
            ("last_seen", TS),
            ("up_votes", pa.int64()),
            ("down_votes", pa.int64()),
            ("views", pa.int64()),
        ]
    ),
    "threads": _schema(
        [
            ("id", pa.string()),
            ("title", pa.string()),
            ("tags", pa.list_(pa.string())),
            ("created_at", TS),
            ("author_id", pa.string()),
            ("accepted_post_id", pa.string()),
            ("views", pa.int64()),
            ("answer_count", pa.int64()),
            ("closed_at", TS),
        ]
    ),
    "posts": _schema(
        [
            ("id", pa.string()),
            ("thread_id", pa.string()),
            ("parent_id", pa.string()),
            ("kind", pa.string()),
            ("author_id", pa.string()),
            ("created_at", TS),
            ("text", pa.string()),
            ("html", pa.string()),
            ("score", pa.int64()),
        ]
    ),
    "reactions": _schema(
        [
            ("id", pa.string()),
            ("kind", pa.string()),
            ("post_id", pa.string()),
            ("actor_id", pa.string()),
            ("created_at", TS),
            ("value", pa.int64()),
        ]
    ),
    "links": _schema(
        [
            ("post_id", pa.string()),
            ("url", pa.string()),
            ("canonical_url", pa.string()),
            ("domain", pa.string()),
            ("target_thread_id", pa.string()),
        ]
    ),
}

POST_KINDS = ("question", "answer", "comment", "reply")
REACTION_KINDS = ("vote-up", "vote-down", "accept", "favorite", "bounty", "close", "spam", "other")
