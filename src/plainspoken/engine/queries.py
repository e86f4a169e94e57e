"""The named queries: one SQL text each, written in DuckDB's dialect, run on every engine.

Parameters are written ``:name`` and bound as literals when the query runs (see
``dialect.bind``); each query declares its parameters with their defaults. Results are plain
counts and measures: ratios and labels are computed by the callers, so every engine returns
the same integers and the floats differ only by rounding.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from plainspoken.errors import EngineError


@dataclass(frozen=True)
class Query:
    """A named SQL query, its parameters (with defaults) and what it answers."""

    name: str
    sql: str
    doc: str
    params: Mapping[str, Any] = field(default_factory=dict)


# Answer latency: seconds from the thread's creation (its question) to each answer.
_LATENCY = """
latency AS (
    SELECT p.thread_id,
           CAST(date_diff('microsecond', t.created_at, p.created_at) AS DOUBLE) / 1e6 AS seconds
    FROM posts AS p
    JOIN threads AS t ON p.thread_id = t.id
    WHERE p.kind = 'answer' AND p.created_at >= t.created_at
)"""

# Buckets of answer latency, with edges a reader thinks in: 1, 5, 15 and 30 minutes, 1, 2, 6
# and 12 hours, 1, 2 and 7 days, 30 days, then one open bucket.
LATENCY_EDGES: tuple[int, ...] = (
    0, 60, 300, 900, 1_800, 3_600, 7_200, 21_600, 43_200, 86_400, 172_800, 604_800, 2_592_000,
)  # fmt: skip
_BUCKETS = ", ".join(
    f"({i}, {lo}, {LATENCY_EDGES[i + 1] if i + 1 < len(LATENCY_EDGES) else 'NULL'})"
    for i, lo in enumerate(LATENCY_EDGES)
)

_TABLE_COUNTS = """
SELECT 'accounts' AS table_name, COUNT(*) AS row_count FROM accounts
UNION ALL SELECT 'threads', COUNT(*) FROM threads
UNION ALL SELECT 'posts', COUNT(*) FROM posts
UNION ALL SELECT 'reactions', COUNT(*) FROM reactions
UNION ALL SELECT 'links', COUNT(*) FROM links
"""

_POSTS_BY_MONTH = """
SELECT strftime(created_at, '%Y-%m') AS month, kind, COUNT(*) AS posts
FROM posts
WHERE created_at IS NOT NULL
GROUP BY strftime(created_at, '%Y-%m'), kind
ORDER BY month, kind
"""

_LATENCY_PERCENTILES = f"""
WITH {_LATENCY}
SELECT COUNT(*) AS answers,
       quantile_cont(seconds, 0.10) AS p10,
       quantile_cont(seconds, 0.25) AS p25,
       quantile_cont(seconds, 0.50) AS p50,
       quantile_cont(seconds, 0.75) AS p75,
       quantile_cont(seconds, 0.90) AS p90
FROM latency
"""

_LATENCY_HISTOGRAM = f"""
WITH {_LATENCY},
buckets AS (
    SELECT * FROM (VALUES {_BUCKETS}) AS b(bucket, lower_seconds, upper_seconds)
)
SELECT b.bucket, b.lower_seconds, b.upper_seconds, COUNT(l.seconds) AS answers
FROM buckets AS b
LEFT JOIN latency AS l
  ON l.seconds >= b.lower_seconds
 AND (b.upper_seconds IS NULL OR l.seconds < b.upper_seconds)
GROUP BY b.bucket, b.lower_seconds, b.upper_seconds
ORDER BY b.bucket
"""

_BASE_RATES = f"""
WITH {_LATENCY},
answers AS (
    SELECT p.id,
           strftime(p.created_at, '%Y-%m') AS month,
           CASE WHEN a.created_at <= p.created_at
                THEN date_diff('microsecond', a.created_at, p.created_at) END AS age_us
    FROM posts AS p
    LEFT JOIN accounts AS a ON p.author_id = a.id
    WHERE p.kind = 'answer' AND p.created_at IS NOT NULL
),
first_posts AS (
    SELECT id FROM (
        SELECT id, ROW_NUMBER() OVER (PARTITION BY author_id ORDER BY created_at, id) AS n
        FROM posts
        WHERE author_id IS NOT NULL AND created_at IS NOT NULL
    ) AS ranked
    WHERE n = 1
),
answer_rates AS (
    SELECT x.month,
           COUNT(*) AS answers,
           COUNT(x.age_us) AS answers_with_account_age,
           COUNT(CASE WHEN x.age_us < CAST(:young_day_seconds AS BIGINT) * 1000000 THEN 1 END)
               AS answers_young_day,
           COUNT(CASE WHEN x.age_us < CAST(:young_week_seconds AS BIGINT) * 1000000 THEN 1 END)
               AS answers_young_week,
           COUNT(f.id) AS answers_first_post
    FROM answers AS x
    LEFT JOIN first_posts AS f ON x.id = f.id
    GROUP BY x.month
),
fast AS (
    SELECT thread_id, COUNT(*) AS n
    FROM latency
    WHERE seconds < :fast_window_seconds
    GROUP BY thread_id
),
thread_rates AS (
    SELECT strftime(t.created_at, '%Y-%m') AS month,
           COUNT(*) AS threads,
           COUNT(CASE WHEN fast.n >= :fast_answers THEN 1 END) AS threads_fast_answers
    FROM threads AS t
    LEFT JOIN fast ON fast.thread_id = t.id
    WHERE t.created_at IS NOT NULL
    GROUP BY strftime(t.created_at, '%Y-%m')
)
SELECT COALESCE(r.month, t.month) AS month,
       COALESCE(r.answers, 0) AS answers,
       COALESCE(r.answers_with_account_age, 0) AS answers_with_account_age,
       COALESCE(r.answers_young_day, 0) AS answers_young_day,
       COALESCE(r.answers_young_week, 0) AS answers_young_week,
       COALESCE(r.answers_first_post, 0) AS answers_first_post,
       COALESCE(t.threads, 0) AS threads,
       COALESCE(t.threads_fast_answers, 0) AS threads_fast_answers
FROM answer_rates AS r
FULL OUTER JOIN thread_rates AS t ON r.month = t.month
ORDER BY month
"""

QUERIES: dict[str, Query] = {
    q.name: q
    for q in (
        Query("table_counts", _TABLE_COUNTS, "Rows in each dataset table."),
        Query("posts_by_month", _POSTS_BY_MONTH, "Posts per calendar month (UTC) and kind."),
        Query(
            "reply_latency_percentiles",
            _LATENCY_PERCENTILES,
            "Seconds from a question to each of its answers: count and p10/p25/p50/p75/p90 "
            "(linear interpolation).",
        ),
        Query(
            "reply_latency_histogram",
            _LATENCY_HISTOGRAM,
            "Answers per latency bucket (edges in LATENCY_EDGES, from under a minute to 30 days "
            "and more); bounds in seconds, the upper bound null for the last, open bucket.",
        ),
        Query(
            "base_rates_by_month",
            _BASE_RATES,
            "Per month: answers, answers by accounts younger than a day / a week when posting, "
            "answers that are the account's first post, threads, and threads with at least "
            "`fast_answers` answers inside `fast_window_seconds`.",
            {
                "young_day_seconds": 86_400,
                "young_week_seconds": 604_800,
                "fast_window_seconds": 3_600,
                "fast_answers": 2,
            },
        ),
    )
}


def query(name: str) -> Query:
    """The named query, or a message listing the names that exist."""
    try:
        return QUERIES[name]
    except KeyError:
        valid = ", ".join(sorted(QUERIES))
        raise EngineError(f"unknown query '{name}' (named queries: {valid})") from None
