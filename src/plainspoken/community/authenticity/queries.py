"""The SQL the authenticity analysis runs, in DuckDB's dialect, unchanged on Spark.

``POSTS`` numbers every dated post by (time, id) with its context and is staged by the engine
as ``POSTS_TABLE``; ``TEXTS`` stages their texts by number beside it as ``TEXTS_TABLE``, in
small row groups; the other queries read those tables or the dataset's own tables.
"""

from __future__ import annotations

from plainspoken.engine import Query

POSTS_TABLE = "authenticity_posts"
TEXTS_TABLE = "authenticity_texts"
# Rows per row group of the staged texts: picking a few texts by number decodes the whole
# row groups holding them (at DuckDB's default of 122,880 rows, hundreds of MB of text for
# each window of picked numbers), while whole ranges read the same either way.
TEXT_GROUP_ROWS = 16_384
LINKS_TABLE = "authenticity_links"

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
           LAG(created_at) OVER (PARTITION BY thread_id ORDER BY created_at, id) AS previous_at
    FROM posts
    WHERE created_at IS NOT NULL
),
numbered AS (
    SELECT ROW_NUMBER() OVER (ORDER BY o.created_at, o.id) - 1 AS pos,
           o.id AS post_id,
           o.thread_id,
           o.author_id,
           o.kind,
           strftime(o.created_at, '%Y-%m') AS month,
           date_diff('microsecond', t.created_at, o.created_at) AS since_thread_us,
           date_diff('microsecond', o.previous_at, o.created_at) AS since_previous_us,
           date_diff('microsecond', a.created_at, o.created_at) AS account_age_us,
           date_diff('microsecond', f.first_post_at, o.created_at) AS since_first_post_us,
           o.created_at
    FROM ordered AS o
    LEFT JOIN threads AS t ON o.thread_id = t.id
    LEFT JOIN accounts AS a ON o.author_id = a.id
    LEFT JOIN authors AS f ON o.author_id = f.author_id
)
SELECT pos, post_id, thread_id, author_id, kind, month, since_thread_us, since_previous_us,
       account_age_us, since_first_post_us, created_at
FROM numbered
ORDER BY pos
""",
    "Every dated post, numbered by (time, id), with its context: account age and time since "
    "the author's first post when posting, time since its thread opened and since the "
    "thread's previous post. The texts are staged apart (`TEXTS`).",
)

TEXTS = Query(
    "authenticity_texts",
    f"""
SELECT n.pos, substr(p.text, 1, :max_chars) AS text
FROM {POSTS_TABLE} AS n
JOIN posts AS p ON p.id = n.post_id
ORDER BY n.pos
""",
    "The first `max_chars` characters of every numbered post's text, by number: the text "
    "joins the staged numbers once, by post id (ids are unique in a dataset), so only this "
    "sort carries it.",
    {"max_chars": 3000},
)

POST_COLUMNS = Query(
    "authenticity_post_columns",
    f"""
SELECT pos, post_id, thread_id, author_id, kind, month, since_first_post_us
FROM {POSTS_TABLE}
WHERE pos >= :first AND pos < :stop
ORDER BY pos
""",
    "The numbered posts `first` up to `stop`, without their text, time and timing.",
    {"first": 0, "stop": 0},
)

POST_TIMING = Query(
    "authenticity_post_timing",
    f"""
SELECT pos, since_thread_us, since_previous_us, account_age_us
FROM {POSTS_TABLE}
WHERE pos >= :first AND pos < :stop
ORDER BY pos
""",
    "How long after the thread opened and after the previous post the numbered posts `first` "
    "up to `stop` came, and how old their author's account was.",
    {"first": 0, "stop": 0},
)

PICKED_TIMING = Query(
    "authenticity_picked_timing",
    f"""
SELECT p.pos, p.since_thread_us, p.since_previous_us, p.account_age_us
FROM {POSTS_TABLE} AS p
JOIN authenticity_picked AS k ON p.pos = k.pos
WHERE p.pos >= :first AND p.pos < :stop
ORDER BY p.pos
""",
    "The timing of the posts numbered `first` up to `stop` whose numbers were loaded as "
    "`authenticity_picked`.",
    {"first": 0, "stop": 0},
)

POST_TIMES = Query(
    "authenticity_post_times",
    f"""
SELECT pos, created_at
FROM {POSTS_TABLE}
WHERE pos >= :first AND pos < :stop
ORDER BY pos
""",
    "When the numbered posts `first` up to `stop` were written.",
    {"first": 0, "stop": 0},
)

POST_SUMMARY = Query(
    "authenticity_post_summary",
    f"""
SELECT COUNT(*) AS posts FROM {POSTS_TABLE}
""",
    "How many posts are numbered.",
)

POST_THREAD_IDS = Query(
    "authenticity_post_thread_ids",
    f"""
SELECT DISTINCT thread_id FROM {POSTS_TABLE} WHERE thread_id IS NOT NULL
""",
    "The threads the numbered posts belong to.",
)

POST_MONTHS = Query(
    "authenticity_post_months",
    f"""
SELECT DISTINCT month FROM {POSTS_TABLE} WHERE month IS NOT NULL
""",
    "The months the numbered posts were written in.",
)

POST_TEXTS = Query(
    "authenticity_post_texts",
    f"""
SELECT pos, text
FROM {TEXTS_TABLE}
WHERE pos >= :first AND pos < :stop
ORDER BY pos
""",
    "The text of the posts numbered `first` up to `stop`.",
    {"first": 0, "stop": 0},
)

SAMPLE_TEXTS = Query(
    "authenticity_sample_texts",
    f"""
SELECT pos, text
FROM {TEXTS_TABLE}
WHERE pos % :step = 0
ORDER BY pos
""",
    "Every `step`-th post's text: the sample where product names are looked for.",
    {"step": 1},
)

PICKED_TEXTS = Query(
    "authenticity_picked_texts",
    f"""
SELECT p.pos, p.text
FROM {TEXTS_TABLE} AS p
JOIN authenticity_picked AS k ON p.pos = k.pos
WHERE p.pos >= :first AND p.pos < :stop
ORDER BY p.pos
""",
    "The text of the posts numbered `first` up to `stop` whose numbers were loaded as "
    "`authenticity_picked`.",
    {"first": 0, "stop": 0},
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

ACTORS = Query(
    "authenticity_actors",
    """
SELECT DISTINCT author_id AS account_id FROM posts WHERE author_id IS NOT NULL
UNION
SELECT DISTINCT actor_id AS account_id FROM reactions WHERE actor_id IS NOT NULL
""",
    "Every account that posted or reacted (some are missing from the accounts table).",
)

VOTES = Query(
    "authenticity_votes",
    """
SELECT DISTINCT actor_id, target_id, kind, post_id FROM (
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
) AS given
""",
    "Up-votes, accepts, favourites and bounties whose actor is recorded, with the account that "
    "received them; accepted answers count as an accept by the thread's author.",
)

LINKS = Query(
    "authenticity_links",
    f"""
SELECT pos, thread_id, author_id, domain FROM (
    SELECT DISTINCT l.post_id, ap.pos, p.thread_id, p.author_id, lower(l.domain) AS domain,
           coalesce(l.canonical_url, '') AS canonical_url
    FROM links AS l
    JOIN posts AS p ON l.post_id = p.id
    LEFT JOIN {POSTS_TABLE} AS ap ON ap.post_id = l.post_id
    WHERE l.domain IS NOT NULL AND p.author_id IS NOT NULL
) AS distinct_links
""",
    "Each distinct canonicalized link of a post (one row per post and URL) with the post's "
    "number, thread and author, and the link's domain (the URL itself is not needed after).",
)

LINK_SUMMARY = Query(
    "authenticity_link_summary",
    f"""
SELECT COUNT(*) AS links FROM {LINKS_TABLE}
""",
    "How many distinct links were staged.",
)

LINK_DOMAINS = Query(
    "authenticity_link_domains",
    f"""
SELECT DISTINCT domain FROM {LINKS_TABLE} WHERE domain IS NOT NULL
""",
    "The domains the staged links point to.",
)

LINK_PART = Query(
    "authenticity_link_part",
    f"""
SELECT pos, thread_id, author_id, domain
FROM {LINKS_TABLE}
WHERE pos >= :first AND pos < :stop
""",
    "The staged links of the posts numbered `first` up to `stop`.",
    {"first": 0, "stop": 0},
)

UNDATED_LINKS = Query(
    "authenticity_undated_links",
    f"""
SELECT pos, thread_id, author_id, domain
FROM {LINKS_TABLE}
WHERE pos IS NULL
""",
    "The staged links of posts without a number (undated posts).",
)
