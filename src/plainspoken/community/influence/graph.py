"""The reaction graph and the per-account measures, as SQL run by the engine.

Every query is written in DuckDB's dialect and runs unchanged on Spark. They read the dataset
tables and three tables the ranking makes on the engine:

- ``infl_relevance (thread_id, relevance)``: the topic's threads (``topic.relevance``);
- ``infl_events``: one row per reaction to a topic post inside the time window (``EVENTS``);
- ``infl_excluded (account_id)``: accounts whose reactions do not count.

A *reaction* is an answer to a question, a comment or reply to a post, a vote, favourite or
bounty on a post, an accept, or a link from another thread to the thread. ``receiver`` is
the author of the post reacted to and ``actor`` who reacted (null when the source does not
say, as for Stack Exchange votes); an accept's actor is the thread's author when not
recorded. Reactions to one's own posts are left out.
"""

from __future__ import annotations

from plainspoken.engine import Query

# The window: rows dated in [start, end), plus undated rows when :undated is 1.
_WINDOW = (
    "(({col} IS NULL AND :undated = 1) OR ({col} >= CAST(:start AS TIMESTAMP) "
    "AND {col} < CAST(:end AS TIMESTAMP)))"
)
WINDOW_DEFAULTS = {"start": "1000-01-01 00:00:00", "end": "9999-12-31 00:00:00", "undated": 1}


def _window(column: str) -> str:
    return _WINDOW.format(col=column)


DOCUMENTS = Query(
    "influence_documents",
    """
    SELECT t.id AS thread_id, t.title, t.tags, q.text
    FROM threads AS t
    LEFT JOIN (
        SELECT thread_id, MIN(id) AS id FROM posts WHERE kind = 'question' GROUP BY thread_id
    ) AS first_question ON first_question.thread_id = t.id
    LEFT JOIN posts AS q ON q.id = first_question.id
    ORDER BY t.id
    """,
    "Per thread: title, tags and the question's text, for topic relevance.",
)

EXAMPLES = Query(
    "influence_examples",
    "SELECT p.id, p.thread_id, p.text FROM posts AS p JOIN infl_example_ids AS e ON p.id = e.id",
    "The example posts of a topic, by id.",
)

EVENTS = Query(
    "influence_events",
    f"""
    WITH topic_posts AS (
        SELECT p.id, p.thread_id, p.parent_id, p.kind, p.author_id, p.created_at, r.relevance
        FROM posts AS p
        JOIN infl_relevance AS r ON p.thread_id = r.thread_id
    ),
    replies AS (
        SELECT c.kind, c.id AS source_post_id, c.parent_id AS post_id, c.thread_id,
               COALESCE(parent.author_id, CASE WHEN c.kind = 'answer' THEN t.author_id END)
                   AS receiver,
               c.author_id AS actor, c.created_at, c.relevance
        FROM topic_posts AS c
        LEFT JOIN posts AS parent ON c.parent_id = parent.id
        LEFT JOIN threads AS t ON c.thread_id = t.id
        WHERE c.kind IN ('answer', 'comment', 'reply') AND {_window("c.created_at")}
    ),
    votes AS (
        SELECT x.kind, CAST(NULL AS VARCHAR) AS source_post_id, x.post_id, p.thread_id,
               p.author_id AS receiver,
               CASE WHEN x.kind = 'accept' THEN COALESCE(x.actor_id, t.author_id)
                    ELSE x.actor_id END AS actor,
               x.created_at, p.relevance
        FROM reactions AS x
        JOIN topic_posts AS p ON x.post_id = p.id
        LEFT JOIN threads AS t ON p.thread_id = t.id
        WHERE x.kind IN ('vote-up', 'vote-down', 'favorite', 'bounty', 'accept')
          AND {_window("x.created_at")}
    ),
    recorded_accepts AS (
        SELECT DISTINCT post_id FROM reactions WHERE kind = 'accept'
    ),
    thread_accepts AS (
        SELECT 'accept' AS kind, CAST(NULL AS VARCHAR) AS source_post_id, p.id AS post_id,
               p.thread_id, p.author_id AS receiver, t.author_id AS actor, p.created_at,
               p.relevance
        FROM threads AS t
        JOIN topic_posts AS p ON t.accepted_post_id = p.id
        LEFT JOIN recorded_accepts AS ra ON ra.post_id = p.id
        WHERE ra.post_id IS NULL AND {_window("p.created_at")}
    ),
    questions AS (
        SELECT thread_id, MIN(id) AS id FROM posts WHERE kind = 'question' GROUP BY thread_id
    ),
    link_targets AS (
        SELECT t.id AS thread_id, t.author_id AS receiver, q.id AS post_id FROM threads AS t
        LEFT JOIN questions AS q ON q.thread_id = t.id
        UNION ALL
        SELECT t.id, a.author_id, a.id FROM threads AS t
        JOIN posts AS a ON t.accepted_post_id = a.id
    ),
    linked AS (
        SELECT 'link' AS kind, l.post_id AS source_post_id, lt.post_id, lt.thread_id,
               lt.receiver, s.author_id AS actor, s.created_at, r.relevance
        FROM links AS l
        JOIN posts AS s ON l.post_id = s.id
        JOIN link_targets AS lt ON l.target_thread_id = lt.thread_id
        JOIN infl_relevance AS r ON r.thread_id = lt.thread_id
        WHERE s.thread_id <> lt.thread_id AND {_window("s.created_at")}
    ),
    everything AS (
        SELECT * FROM replies
        UNION ALL SELECT * FROM votes
        UNION ALL SELECT * FROM thread_accepts
        UNION ALL SELECT * FROM linked
    )
    SELECT kind, source_post_id, post_id, thread_id, receiver, actor, created_at, relevance
    FROM everything
    WHERE receiver IS NOT NULL AND (actor IS NULL OR actor <> receiver)
    """,
    "One row per reaction to a topic post in the window: who reacted to whom, how, when.",
    WINDOW_DEFAULTS,
)

EDGES = Query(
    "influence_edges",
    """
    SELECT actor AS src, receiver AS dst, kind, SUM(relevance) AS weight, COUNT(*) AS reactions
    FROM infl_events
    WHERE actor IS NOT NULL
    GROUP BY actor, receiver, kind
    """,
    "Reactions with a known actor, per (actor, receiver, kind): relevance-weighted and counted.",
)

_COUNTED = """
    counted AS (
        SELECT e.* FROM infl_events AS e
        LEFT JOIN infl_excluded AS x ON e.actor = x.account_id
        WHERE x.account_id IS NULL
    )"""

POST_REACTIONS = Query(
    "influence_post_reactions",
    f"""
    WITH {_COUNTED}
    SELECT receiver AS account_id, post_id, thread_id,
           MAX(relevance) AS relevance,
           COUNT(CASE WHEN kind = 'vote-up' THEN 1 END) AS votes_up,
           COUNT(CASE WHEN kind = 'vote-down' THEN 1 END) AS votes_down,
           COUNT(CASE WHEN kind IN ('comment', 'reply') THEN 1 END) AS comments,
           COUNT(CASE WHEN kind = 'answer' THEN 1 END) AS answers,
           COUNT(CASE WHEN kind IN ('favorite', 'bounty') THEN 1 END) AS favorites,
           COUNT(CASE WHEN kind = 'accept' THEN 1 END) AS accepts,
           COUNT(CASE WHEN kind = 'link' THEN 1 END) AS links_in,
           COUNT(DISTINCT actor) AS reactors
    FROM counted
    GROUP BY receiver, post_id, thread_id
    """,
    "Reactions received per topic post (actors in infl_excluded left out), by kind.",
)

AUDIENCE = Query(
    "influence_audience",
    f"""
    WITH {_COUNTED}
    SELECT receiver AS account_id, COUNT(DISTINCT actor) AS reactors
    FROM counted
    WHERE kind <> 'vote-down'
    GROUP BY receiver
    """,
    "Distinct accounts that reacted to each account's topic posts.",
)

PARTICIPATION = Query(
    "influence_participation",
    f"""
    WITH topic_posts AS (
        SELECT p.id, p.thread_id, p.kind, p.author_id, p.created_at, r.relevance
        FROM posts AS p
        JOIN infl_relevance AS r ON p.thread_id = r.thread_id
        WHERE p.author_id IS NOT NULL AND {_window("p.created_at")}
    ),
    seen AS (
        SELECT t.views, p.thread_id, p.author_id
        FROM topic_posts AS p JOIN threads AS t ON p.thread_id = t.id
        WHERE p.kind IN ('question', 'answer')
        GROUP BY t.views, p.thread_id, p.author_id
    ),
    views AS (
        SELECT author_id, SUM(views) AS views FROM seen GROUP BY author_id
    ),
    per_author AS (
        SELECT author_id,
               COUNT(DISTINCT thread_id) AS threads,
               COUNT(CASE WHEN kind = 'question' THEN 1 END) AS questions,
               COUNT(CASE WHEN kind = 'answer' THEN 1 END) AS answers,
               COUNT(CASE WHEN kind IN ('comment', 'reply') THEN 1 END) AS comments,
               SUM(relevance) AS weighted_posts,
               MAX(created_at) AS last_post
        FROM topic_posts
        GROUP BY author_id
    )
    SELECT a.author_id AS account_id, a.threads, a.questions, a.answers, a.comments,
           a.weighted_posts, a.last_post, v.views
    FROM per_author AS a
    LEFT JOIN views AS v ON a.author_id = v.author_id
    """,
    "Per author: topic threads taken part in, posts by kind, relevance-weighted posts, the "
    "latest topic post, and the views of topic threads they asked or answered.",
    WINDOW_DEFAULTS,
)

TOPIC_THREADS = Query(
    "influence_topic_threads",
    f"""
    SELECT COUNT(DISTINCT p.thread_id) AS threads, MIN(p.created_at) AS first_post,
           MAX(p.created_at) AS last_post
    FROM posts AS p
    JOIN infl_relevance AS r ON p.thread_id = r.thread_id
    WHERE {_window("p.created_at")}
    """,
    "How many topic threads have posts in the window, and the window's first and last post.",
    WINDOW_DEFAULTS,
)

LINK_UPTAKE = Query(
    "influence_link_uptake",
    f"""
    WITH shared AS (
        SELECT p.id, p.author_id, p.thread_id, p.created_at, l.canonical_url
        FROM links AS l
        JOIN posts AS p ON l.post_id = p.id
        WHERE l.canonical_url IS NOT NULL AND l.target_thread_id IS NULL
          AND p.author_id IS NOT NULL AND p.created_at IS NOT NULL
          AND {_window("p.created_at")}
    ),
    earliest AS (
        SELECT canonical_url, MIN(created_at) AS first_at FROM shared GROUP BY canonical_url
    ),
    originators AS (
        SELECT DISTINCT s.author_id, s.canonical_url, s.created_at
        FROM shared AS s
        JOIN earliest AS e ON s.canonical_url = e.canonical_url AND s.created_at = e.first_at
        JOIN infl_relevance AS r ON s.thread_id = r.thread_id
    ),
    later AS (
        SELECT o.author_id, s.id
        FROM originators AS o
        JOIN shared AS s ON s.canonical_url = o.canonical_url
        LEFT JOIN infl_excluded AS x ON s.author_id = x.account_id
        WHERE s.author_id <> o.author_id AND s.created_at > o.created_at
          AND x.account_id IS NULL
    )
    SELECT author_id AS account_id, COUNT(DISTINCT id) AS taken_up
    FROM later
    GROUP BY author_id
    """,
    "Links first shared on the topic by an account and posted again later by others: "
    "how many later posts took each account's links up.",
    WINDOW_DEFAULTS,
)

ACCOUNTS = Query(
    "influence_accounts",
    """
    SELECT a.id AS account_id, a.name, a.reputation, a.created_at
    FROM accounts AS a
    JOIN (SELECT DISTINCT account_id FROM infl_candidates) AS c ON a.id = c.account_id
    """,
    "Name, reputation and creation time of the accounts in infl_candidates.",
)

SITE_EDGES = Query(
    "influence_site_edges",
    f"""
    WITH replies AS (
        SELECT c.author_id AS actor,
               COALESCE(parent.author_id, CASE WHEN c.kind = 'answer' THEN t.author_id END)
                   AS receiver
        FROM posts AS c
        LEFT JOIN posts AS parent ON c.parent_id = parent.id
        LEFT JOIN threads AS t ON c.thread_id = t.id
        WHERE c.kind IN ('answer', 'comment', 'reply') AND {_window("c.created_at")}
    ),
    votes AS (
        SELECT CASE WHEN x.kind = 'accept' THEN COALESCE(x.actor_id, t.author_id)
                    ELSE x.actor_id END AS actor,
               p.author_id AS receiver
        FROM reactions AS x
        JOIN posts AS p ON x.post_id = p.id
        LEFT JOIN threads AS t ON p.thread_id = t.id
        WHERE x.kind IN ('vote-up', 'favorite', 'bounty', 'accept')
          AND {_window("x.created_at")}
    ),
    everything AS (
        SELECT * FROM replies UNION ALL SELECT * FROM votes
    )
    SELECT actor AS src, receiver AS dst, COUNT(*) AS reactions
    FROM everything
    WHERE actor IS NOT NULL AND receiver IS NOT NULL AND actor <> receiver
    GROUP BY actor, receiver
    """,
    "Reactions with a known actor across the whole dataset in the window, per (actor, "
    "receiver): the graph dense reciprocal clusters are looked for in.",
    WINDOW_DEFAULTS,
)

COUNTED_EVENTS = Query(
    "influence_counted_events",
    f"""
    WITH {_COUNTED}
    SELECT kind, post_id, receiver, actor, created_at, relevance FROM counted
    """,
    "The reactions to topic posts in the window whose actor is not excluded, one row each.",
)

TOPIC_POSTS = Query(
    "influence_topic_posts",
    f"""
    SELECT p.id, p.author_id, p.thread_id, p.kind, p.created_at, r.relevance, p.text
    FROM posts AS p
    JOIN infl_relevance AS r ON p.thread_id = r.thread_id
    WHERE p.author_id IS NOT NULL AND {_window("p.created_at")}
    ORDER BY p.created_at, p.id
    """,
    "The topic's posts in the window with their authors, times, relevance and text, oldest first.",
    WINDOW_DEFAULTS,
)
