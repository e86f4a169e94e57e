"""Write a synthetic Stack Exchange data dump: the real dumps' XML layout, made-up text.

    python benchmarks/se_dump.py OUT_DIR --posts N [--seed S] [--tags angle|pipe] [--jobs N]

OUT_DIR receives Posts.xml (exactly N rows), Users.xml, Comments.xml, Votes.xml,
PostLinks.xml, Tags.xml and Badges.xml, laid out as in the public dumps: a UTF-8 byte order
mark, CRLF line ends, one ``<row .../>`` per line, attributes in the dumps' order, optional
attributes left out rather than empty, dates as ``2019-05-12T10:01:02.123`` (UTC, votes on
whole days), post bodies as HTML escaped into the attribute (``&lt;p&gt;``, ``&quot;``,
``&#xA;`` for new lines, ``&amp;lt;`` inside code), tags as ``<a><b>`` (the dumps in
../shared/data/stackexchange; ``--tags pipe`` writes ``|a|b|`` as newer dumps do).

All text is random words from a vocabulary of made-up syllable words; nothing comes from the
real dumps. Every reference resolves: ParentId, AcceptedAnswerId, OwnerUserId,
LastEditorUserId, comment, vote and link post ids, tag names, ExcerptPostId and WikiPostId
all name rows that exist, and every account is created before its first post, comment, edit
or favourite.

Distributions, measured on the three dumps in ../shared/data/stackexchange (ai, iot,
meta.devops: 2,652 posts, 5,476 users, 3,167 comments, 13,756 votes) with lxml; lengths are
characters of the unescaped attribute value, mu and sigma are of the natural log:

- post types: questions 28-35%, answers 45-62%, tag excerpts and wikis 3-27% (small sites
  have many tags per post; here 0.6 wiki posts per 8*sqrt(N) tags, under 1% at 1M posts).
- answers per question (pooled histogram, mean 1.70): 0: 11%, 1: 47%, 2: 22%, 3: 12%,
  4: 4%, 5: 2%, 6+: 2% (up to 14); accepted answer on 50-58% of questions.
- body length lognormal: questions mu 6.2-6.8 (median 500-940), sigma 0.70-0.80; answers
  mu 6.5-7.0 (median 680-1,130), sigma 0.72-0.93; titles mu 4.0, sigma 0.36 (median 59).
- body markup, share of posts: <p> 100% (3.6-4.0 per post), <a href> 38-71% (1.2-1.8 per
  post), <blockquote> 10-32%, <ul> 6-24%, <strong> 11-34%, <em> 12-32%, <code> 3-12%,
  <pre> 0-4%, <img> 4-10%; 78-98% of bodies end with a new line.
- tags per question: 1: 22%, 2: 37%, 3: 28%, 4: 10%, 5: 3%.
- comments per post: mean 0.9-1.7; 62% of posts have none, the rest about geometric
  (p 0.30); comment length mu 5.05, sigma 0.77 (median 160, at most 600); delay after the
  post mu 10.0, sigma 2.5 (seconds); every comment has a UserId.
- votes per post: mean 4.2-6.4; types: up 80%, down 7.5%, approve edit (16) 5.5%,
  favourite (5) 3.5%, accept (1) 3%, deletion (10) 1.3%, review (15) 0.9%, others < 0.2%;
  vote times are whole days; only favourite and bounty votes carry a UserId (1-5% of votes).
- answer delay after its question lognormal mu 9.9-10.4, sigma 2.6-3.2 seconds (median
  5-9 hours, 22-24% within an hour).
- PostLinks 0.08-0.14 per post (pooled 0.083), 95% linked (1), 5% duplicate (3).
- users: 1.6-2.5 per post on these young sites (about 0.4 on a mature one; here 0.4 per
  post), of whom 10-13% ever post; posts per poster follow Zipf's law (rank-frequency slope
  -0.92 to -1.14; the top 1% of users write 35-71% of posts): here Zipf with s = 1 over 12%
  of users, the same draw for commenters and editors.
- account creation before the first post: lognormal mu 7.4-7.7, sigma 3.5-3.9 seconds on
  the two main sites (15% within a minute, 65-69% within an hour, 79-84% within a day);
  reputation 1 for 19-59% of users; Location 48-72%, AboutMe 43-72%, WebsiteUrl 25-49%,
  ProfileImageUrl 90-96%, Age 32-47%; 1.0-1.6 badges per user.
- optional post attributes: LastEditorUserId/LastEditDate 47-72%, FavoriteCount on 16-36% of
  questions, ClosedDate 1-4% of questions, OwnerDisplayName without OwnerUserId 0.1%.

Measured the same way on a generated dump (100,000 posts, seed 1): 36% questions, 1.72
answers per question (0: 11%, 1: 47%, 2: 22%), 52% of questions accepted; body mu 6.57 /
6.88, sigma 0.81 (questions / answers); <a href> in 51-60% of bodies, <blockquote> 20%,
<code> 11-14%; 1.24 comments per post (63% none), comment mu 5.11; 5.0 votes per post (up
78%, down 7.5%); PostLinks 0.081 per post; 12% of users post, Zipf slope -1.11, the top 1%
write 71% of posts; first post within an hour of the account for 43% of posters, within a
day for 66% (an account's first act is sometimes a comment or an edit); 62% of users have
reputation 1; 1.04 badges per user. About 3 KB of XML per post, 2.97 GB per million posts.

Dates spread over eight years (2012-2019) with activity growing over time. Post ids rise with
time; a thread's answers take the ids right after their question (real dumps interleave
threads), and ids skip now and then as deleted posts do, and between chunks (below): the
highest post id is about 1.5 N. 6% of bodies link to an earlier question on the site's own
host (the output folder's name when it is a host name, as the importer reads it).

Rows are made in chunks of 10,000 posts, each from its own random stream and id ranges, by
``--jobs`` forked processes; the parent writes the chunks in order, so the files do not depend
on ``--jobs``. Memory stays bounded: a few chunks of rows in flight plus arrays of numbers per
account and tag (about 250-300 MB per process at 10M posts). 10M posts (29.9 GB of XML) took
602 s with two processes on a shared 2-core machine.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import random
import re
import sys
import time
import traceback
from array import array
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from statistics import NormalDist
from typing import Any

GENERATOR_VERSION = 3  # bump when the output changes, so cached dumps are rebuilt
FILES = (
    "Posts.xml",
    "Users.xml",
    "Comments.xml",
    "Votes.xml",
    "PostLinks.xml",
    "Tags.xml",
    "Badges.xml",
)
START = datetime(2012, 1, 1, tzinfo=UTC)
SPAN = 8 * 365 * 86400  # seconds from START to the dump's last activity
END = float(SPAN - 1)
GROWTH = 0.75  # time = SPAN * (share of posts written) ** GROWTH: activity grows
CRLF = "\r\n"
CHUNK_POSTS = 10_000  # posts per chunk (and accounts per chunk of Users.xml)
# Id ranges reserved per chunk, per post (per user for badges): the means are 1.12 post ids,
# 1.4 comment ids, 5.5 vote ids, 0.09 link ids and 1.4 badges, so a chunk never overflows.
POST_ID_BUDGET = 6  # quarters
COMMENT_ID_BUDGET = 3
VOTE_ID_BUDGET = 10
LINK_ID_BUDGET = 1  # quarter
BADGE_ID_BUDGET = 4

# Measured figures (see the module docstring), as the generator's parameters.
ANSWER_PMF = (92, 383, 182, 98, 33, 16, 7, 5, 1, 2, 2, 0, 1, 0, 1)
TAGS_PMF = (0, 185, 306, 227, 79, 26)
ACCEPT_SHARE = 0.58  # of answered questions
Q_BODY = (6.35, 0.75)
A_BODY = (6.7, 0.80)
TITLE = (4.0, 0.36)
COMMENT_TEXT = (5.05, 0.77)
COMMENT_NONE = 0.62
COMMENT_GEOMETRIC = 0.30
COMMENT_DELAY = (10.0, 2.5)
ANSWER_DELAY = (10.2, 2.8)
ACCOUNT_DELAY = (7.6, 3.7)
EDIT_DELAY = (8.5, 2.5)
UP_VOTES = (0.9, 1.1)  # floor of a lognormal: mean about 4 up votes per post
DOWN_NONE = 0.85
DOWN_GEOMETRIC = 0.4
VOTE_DAYS = (1.0, 1.8)
FAVORITE_SHARE = 0.3  # of questions
LINKS_PER_POST = 0.083
SITE_LINK_SHARE = 0.06  # posts whose body links to an earlier question of the site
DEFAULT_SITE = "example.stackexchange.com"
DUPLICATE_SHARE = 0.06
USERS_PER_POST = 0.4
POSTER_SHARE = 0.12
RECENT_AUTHORS = 4096  # authors remembered per chunk
RECENT_SHARE = 0.8  # comments, edits and favourites by a recent author
EDITED_SHARE = 0.55
CLOSED_SHARE = 0.03
DELETED_OWNER_SHARE = 0.001
TAGS_PER_SQRT_POST = 8
WIKI_TAG_SHARE = 0.3
ID_GAP_SHARE = 0.08  # ids skipped, as deleted rows leave them
# Other vote types, at most one per post: (VoteTypeId, probability).
OTHER_VOTES = ((16, 0.2), (10, 0.05), (15, 0.035), (11, 0.005), (4, 0.002), (12, 0.002))
BADGES = (
    ("Autobiographer", 3),
    ("Supporter", 3),
    ("Informed", 3),
    ("Student", 3),
    ("Teacher", 3),
    ("Editor", 3),
    ("Critic", 3),
    ("Scholar", 3),
    ("Nice Question", 3),
    ("Nice Answer", 3),
    ("Commentator", 3),
    ("Yearling", 2),
    ("Enthusiast", 2),
    ("Good Answer", 2),
    ("Notable Question", 2),
    ("Great Answer", 1),
    ("Famous Question", 1),
)

ONSETS = (
    *("b", "c", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br"),
    *("st", "tr", "pl", "gr", "sh", "th", "ch", "qu", "fl", "cr", "dr", "sn", "", "", ""),
)
VOWELS = ("a", "e", "i", "o", "u", "a", "e", "o", "ai", "ou", "ea", "y")
CODAS = ("", "", "", "", "n", "r", "s", "t", "l", "m", "x", "nd", "rk", "st", "ng")
ACCENTED = ("é", "ü", "ø", "ñ", "ç", "å", "ö", "ß")


@dataclass
class Counts:
    """Rows written to each file, and the dump's size and time range."""

    posts: int = 0
    questions: int = 0
    answers: int = 0
    wiki_posts: int = 0
    users: int = 0
    comments: int = 0
    votes: int = 0
    post_links: int = 0
    tags: int = 0
    badges: int = 0
    bytes: int = 0
    seconds: float = 0.0
    first_date: str = ""
    last_date: str = ""


def _escape(text: str) -> str:
    """Escape plain text for an XML attribute as the dumps do (``'`` stays as it is)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;").replace("\n", "&#xA;")


class Words:
    """A made-up vocabulary, sentences and snippets built from it, all XML-escaped."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        vocabulary: set[str] = set()
        while len(vocabulary) < 6000:
            syllables = rng.choice((1, 2, 2, 2, 3, 3, 4))
            word = "".join(
                rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS)
                for _ in range(syllables)
            )
            if len(word) > 1:
                vocabulary.add(word)
        self.vocabulary = sorted(vocabulary)
        rng.shuffle(self.vocabulary)
        # Word frequency is Zipf-like, as in any language.
        self.cumulative = list(accumulate(1.0 / (rank + 1) for rank in range(6000)))
        self.domains = [
            f"{self.word()}{self.word()}.{rng.choice(('com', 'org', 'net', 'io', 'dev'))}"
            for _ in range(400)
        ]

    def word(self) -> str:
        x = self.rng.random() * self.cumulative[-1]
        return self.vocabulary[bisect_right(self.cumulative, x)]

    def words(self, n: int) -> list[str]:
        return [self.word() for _ in range(n)]

    def url(self, with_tracking: bool) -> str:
        rng = self.rng
        index = int(len(self.domains) ** rng.random()) - 1  # a few domains get most links
        path = "/".join(self.words(rng.randint(1, 3)))
        url = f"https://{'www.' if rng.random() < 0.3 else ''}{self.domains[index]}/{path}"
        if rng.random() < 0.2:
            url += f"?id={rng.randint(1, 99999)}"
        if with_tracking:
            sep = "&" if "?" in url else "?"
            url += f"{sep}utm_source={self.word()}&utm_medium=social"
        return url

    def sentence_html(self) -> str:
        """One sentence of a post body as escaped HTML, sometimes with inline markup."""
        rng = self.rng
        words = self.words(rng.randint(5, 24))
        words[0] = words[0].capitalize()
        if rng.random() < 0.03:
            words[rng.randrange(len(words))] += rng.choice(ACCENTED) + self.word()
        if rng.random() < 0.08:
            i = rng.randrange(len(words))
            words[i] = f"&quot;{words[i]}&quot;"
        if rng.random() < 0.06:
            i = rng.randrange(len(words))
            words[i] = f"{words[i]}n't" if rng.random() < 0.5 else f"{words[i]}'s"
        if rng.random() < 0.01:
            words.insert(rng.randrange(len(words)), "&amp;amp;")
        if rng.random() < 0.045:
            i = rng.randrange(len(words))
            words[i] = f"&lt;strong&gt;{words[i]}&lt;/strong&gt;"
        if rng.random() < 0.06:
            i = rng.randrange(len(words))
            words[i] = f"&lt;em&gt;{words[i]}&lt;/em&gt;"
        if rng.random() < 0.012:
            i = rng.randrange(len(words))
            words[i] = f"&lt;code&gt;{words[i]}_{self.word()}()&lt;/code&gt;"
        if rng.random() < 0.13:
            i = rng.randrange(len(words))
            href = _escape(self.url(rng.random() < 0.1))
            words[i] = (
                f"&lt;a href=&quot;{href}&quot; rel=&quot;nofollow noreferrer&quot;&gt;"
                f"{words[i]}&lt;/a&gt;"
            )
        return " ".join(words) + rng.choice((".", ".", ".", ".", "?", "!", ":"))

    def sentence_text(self) -> str:
        """One sentence of a comment: plain text with Markdown-like bits, escaped."""
        rng = self.rng
        words = self.words(rng.randint(4, 20))
        words[0] = words[0].capitalize()
        if rng.random() < 0.1:
            i = rng.randrange(len(words))
            words[i] = f"&quot;{words[i]}&quot;"
        if rng.random() < 0.05:
            i = rng.randrange(len(words))
            words[i] = f"[{words[i]}]({_escape(self.url(rng.random() < 0.1))})"
        if rng.random() < 0.04:
            i = rng.randrange(len(words))
            words[i] = f"`{words[i]}()`"
        if rng.random() < 0.06:
            words[0] = "@" + words[0]
        return " ".join(words) + rng.choice((".", ".", "?", "!"))

    def title(self, length: int) -> str:
        words: list[str] = []
        size = -1
        while size < length:
            words.append(self.word())
            size += len(words[-1]) + 1
        words[0] = words[0].capitalize()
        if self.rng.random() < 0.05:
            words[-1] = f"&quot;{words[-1]}&quot;"
        return " ".join(words) + ("?" if self.rng.random() < 0.6 else "")

    def code_block(self) -> str:
        rng = self.rng
        lines = []
        for _ in range(rng.randint(2, 14)):
            a, b, c = self.words(3)
            lines.append(
                rng.choice(
                    (
                        f"{a} = {b}({c}, {rng.randint(0, 99)})",
                        f"if {a} &amp;lt; {b}: {c}()",
                        f"&amp;lt;{a} {b}=&quot;{c}&quot;&amp;gt;",
                        f"    {a}.{b}({c!r})".replace("'", "&quot;"),
                        f"$ {a} --{b} {c}",
                    )
                )
            )
        return "&lt;pre&gt;&lt;code&gt;" + "&#xA;".join(lines) + "&#xA;&lt;/code&gt;&lt;/pre&gt;"


TABLE_BITS = 16  # draws from precomputed tables of 65,536 values: fast, and plenty for sizes
TABLE_SIZE = 1 << TABLE_BITS


class Pool:
    """Strings drawn by slicing a long random list at a random place: fast and varied."""

    def __init__(self, rng: random.Random, items: list[str], longest: int) -> None:
        self.rnd = rng.random
        self.items = items + items[:longest]
        self.size = len(items)
        self.mean = sum(len(s) for s in items) / len(items)

    def take(self, n: int) -> list[str]:
        start = int(self.rnd() * self.size)
        return self.items[start : start + n]


class Clock:
    """``2019-05-12T10:01:02.123`` for seconds since START, from precomputed pieces."""

    def __init__(self) -> None:
        days = SPAN // 86400 + 2
        self.days = [(START + timedelta(days=d)).strftime("%Y-%m-%dT") for d in range(days)]
        self.hms = [
            f"{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60) for s in range(60)
        ]
        self.ms = [f".{i:03d}" for i in range(1000)]
        # Vote rows end with their day: the row's tail, ready to append.
        self.vote_tails = [f'CreationDate="{day}00:00:00.000" />{CRLF}' for day in self.days]

    def __call__(self, t: float) -> str:
        s = int(t)
        d, r = divmod(s, 86400)
        return self.days[d] + self.hms[r] + self.ms[int((t - s) * 1000)]


class Out:
    """Rows of one chunk of a dump file, collected as strings."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.rows: list[str] = []
        self.add = self.rows.append
        self.count = 0  # rows beyond len(rows): some entries hold several rows

    def encoded(self) -> tuple[str, bytes, int]:
        return self.name, "".join(self.rows).encode(), len(self.rows) + self.count


class Generator:
    def __init__(
        self, posts: int, seed: int, tags_format: str, chunk_posts: int, site: str
    ) -> None:
        self.site = site
        self.seed = seed
        self.chunk_posts = max(1, chunk_posts)
        self.n_chunks = math.ceil(posts / self.chunk_posts)
        self.chunk_users = max(1, chunk_posts)
        self.rng = rng = random.Random(seed)
        self.rnd = rng.random
        self.bits = rng.getrandbits
        self.n_posts = posts
        self.pipe_tags = tags_format == "pipe"
        self.clock = Clock()
        words = Words(random.Random(seed * 7919 + 1))
        self.words = words
        self.html = Pool(
            rng, [words.sentence_html() for _ in range(_clamp(posts * 8, 2048, 1 << 15))], 64
        )
        self.text = Pool(
            rng, [words.sentence_text() for _ in range(_clamp(posts * 4, 1024, 1 << 14))], 16
        )
        self.titles = [
            words.title(max(10, min(150, int(rng.lognormvariate(*TITLE))))) for _ in range(1 << 13)
        ]
        self.codes = [words.code_block() for _ in range(1 << 10)]
        self.names = [_escape(self._name()) for _ in range(1 << 13)]
        self.places = [
            _escape(f"{words.word().capitalize()}, {words.word().capitalize()}")
            for _ in range(1000)
        ]
        # Tables of draws.
        quantile = NormalDist().inv_cdf
        self.normal = [quantile((i + 0.5) / TABLE_SIZE) for i in range(TABLE_SIZE)]
        self.t_answer_delay = self._lognormals(ANSWER_DELAY)
        self.t_comment_delay = self._lognormals(COMMENT_DELAY)
        self.t_edit_delay = self._lognormals(EDIT_DELAY)
        self.t_account_delay = self._lognormals(ACCOUNT_DELAY)
        self.t_q_sentences = [max(1, round(x / self.html.mean)) for x in self._lognormals(Q_BODY)]
        self.t_a_sentences = [max(1, round(x / self.html.mean)) for x in self._lognormals(A_BODY)]
        self.t_comment_sentences = [
            max(1, round(min(600.0, x) / self.text.mean)) for x in self._lognormals(COMMENT_TEXT)
        ]
        self.t_ups = [int(x) for x in self._lognormals(UP_VOTES)]
        self.t_downs = [
            0 if rng.random() < DOWN_NONE else 1 + self._geometric(DOWN_GEOMETRIC)
            for _ in range(TABLE_SIZE)
        ]
        self.t_comments = [
            0 if rng.random() < COMMENT_NONE else 1 + self._geometric(COMMENT_GEOMETRIC)
            for _ in range(TABLE_SIZE)
        ]
        self.t_vote_days = [int(x - 1) for x in self._lognormals(VOTE_DAYS)]
        self.t_views = [int(x) for x in self._lognormals((4.4, 0.95))]
        self.t_paragraphs = [rng.randint(1, 4) for _ in range(TABLE_SIZE)]
        answer_cum = _cumulative(ANSWER_PMF)
        self.t_answers = [bisect_right(answer_cum, rng.random()) for _ in range(TABLE_SIZE)]
        tags_cum = _cumulative(TAGS_PMF)
        self.t_tags = [bisect_right(tags_cum, rng.random()) for _ in range(TABLE_SIZE)]
        self.t_id_step = [
            1 + (int(rng.expovariate(0.5)) if rng.random() < ID_GAP_SHARE else 0)
            for _ in range(TABLE_SIZE)
        ]
        self.other_cum = list(accumulate(p for _, p in OTHER_VOTES))
        self.badge_cum = _cumulative([w for _, w in BADGES])
        # Accounts: Zipf-ranked posters are a random subset of the ids.
        self.n_users = max(20, int(posts * USERS_PER_POST))
        self.n_posters = max(5, int(self.n_users * POSTER_SHARE))
        self.poster_ids = array("l", rng.sample(range(1, self.n_users + 1), self.n_posters))
        self.log_posters = math.log(self.n_posters + 1)
        self.first_seen = array("d", [math.inf]) * (self.n_users + 1)
        self.reputation = array("l", [0]) * (self.n_users + 1)
        # Tags: Zipf-popular names; a share gets an excerpt and a wiki post.
        self.n_tags = max(20, int(TAGS_PER_SQRT_POST * math.sqrt(posts)))
        tag_names: set[str] = set()
        while len(tag_names) < self.n_tags:
            name = words.word()
            if rng.random() < 0.4:
                name += "-" + (words.word() if rng.random() < 0.8 else str(rng.randint(2, 12)))
            tag_names.add(name)
        self.tag_names = sorted(tag_names)
        rng.shuffle(self.tag_names)
        self.log_tags = math.log(self.n_tags + 1)
        self.tag_counts = array("l", [0]) * self.n_tags
        self.excerpt_ids = array("l", [0]) * self.n_tags
        self.wiki_ids = array("l", [0]) * self.n_tags
        self.wiki_order = rng.sample(range(self.n_tags), int(self.n_tags * WIKI_TAG_SHARE))
        self.question_ids = array("l")
        self.recent = array("l")
        self.next_post = 0
        self.next_comment = 0
        self.next_vote = 0
        self.next_link = 0
        self.counts = Counts()

    # -- small draws -----------------------------------------------------------------------

    def _lognormals(self, mu_sigma: tuple[float, float]) -> list[float]:
        """A table of lognormal draws: the exact quantiles, drawn by random index."""
        mu, sigma = mu_sigma
        return [math.exp(mu + sigma * z) for z in self.normal]

    def _geometric(self, p: float) -> int:
        return int(math.log(1.0 - self.rnd()) / math.log(1.0 - p))

    def _name(self) -> str:
        rng, words = self.rng, self.words
        kind = rng.random()
        if kind < 0.15:
            return f"user{rng.randint(1000, 9999999)}"
        first = words.word().capitalize()
        if kind < 0.55:
            return f"{first} {words.word().capitalize()}"
        if kind < 0.6:
            return f"{first}{rng.choice(ACCENTED)}{words.word()}"
        return first + (str(rng.randint(1, 999)) if rng.random() < 0.3 else "")

    def _user(self) -> int:
        """A Zipf-ranked poster (s = 1): rank k with probability about 1 / (k ln n)."""
        rank = int(math.exp(self.rnd() * self.log_posters)) - 1
        return self.poster_ids[min(rank, self.n_posters - 1)]

    def _recent_user(self) -> int:
        """Who comments, edits or favourites: mostly someone who posted lately, else anyone.

        People are active for a while around their first post, so drawing from recent authors
        keeps most accounts' first activity at their first post, as in the real dumps.
        """
        recent = self.recent
        if len(recent) > 64 and self.rnd() < RECENT_SHARE:
            return recent[int(self.rnd() * len(recent))]
        return self._user()

    def _seen(self, user: int, t: float) -> None:
        if t < self.first_seen[user]:
            self.first_seen[user] = t

    def _site_link(self) -> str:
        """Now and then, a first paragraph linking to an earlier question of the same site."""
        ids = self.question_ids
        if len(ids) < 3 or self.rnd() >= SITE_LINK_SHARE:
            return ""
        target = ids[int(self.rnd() * (len(ids) - 2))]
        slug = "-".join(self.words.vocabulary[self.bits(12)] for _ in range(3))
        return (
            f"&lt;p&gt;&lt;a href=&quot;https://{self.site}/questions/{target}/{slug}&quot;&gt;"
            f"{slug.replace('-', ' ')}&lt;/a&gt;&lt;/p&gt;&#xA;&#xA;"
        )

    def _body(self, sentence_table: list[int]) -> str:
        rnd = self.rnd
        n = sentence_table[self.bits(TABLE_BITS)]
        sentences = self.html.take(min(n, 64))
        paragraphs = self.t_paragraphs
        bits = self.bits
        blocks: list[str] = []
        i = 0
        while i < len(sentences):
            step = paragraphs[bits(TABLE_BITS)]
            blocks.append("&lt;p&gt;" + " ".join(sentences[i : i + step]) + "&lt;/p&gt;")
            i += step
        u = rnd()
        if u < 0.4:  # one draw decides which rarer blocks this body gets
            if u < 0.2:
                quote = " ".join(self.html.take(1 + int(u * 15)))
                blocks.insert(
                    int(rnd() * (len(blocks) + 1)),
                    f"&lt;blockquote&gt;&#xA;  &lt;p&gt;{quote}&lt;/p&gt;&#xA;&lt;/blockquote&gt;",
                )
            if 0.13 < u < 0.27:
                items = "".join(
                    f"&lt;li&gt;{s}&lt;/li&gt;&#xA;" for s in self.html.take(2 + int(u * 20) % 5)
                )
                blocks.insert(int(rnd() * (len(blocks) + 1)), f"&lt;ul&gt;&#xA;{items}&lt;/ul&gt;")
            if 0.25 < u < 0.3:
                blocks.insert(
                    int(rnd() * (len(blocks) + 1)), self.codes[int(rnd() * len(self.codes))]
                )
            if u > 0.33:
                blocks.insert(
                    int(rnd() * (len(blocks) + 1)),
                    f"&lt;p&gt;&lt;img src=&quot;https://i.imgur.com/{self.bits(30):x}.png&quot; "
                    f"alt=&quot;enter image description here&quot;&gt;&lt;/p&gt;",
                )
        return "&#xA;&#xA;".join(blocks) + ("&#xA;" if rnd() < 0.9 else "")

    def _tags(self) -> str:
        rnd = self.rnd
        n = self.t_tags[self.bits(TABLE_BITS)]
        chosen: set[int] = set()
        last = self.n_tags - 1
        while len(chosen) < n:
            chosen.add(min(int(math.exp(rnd() * self.log_tags)) - 1, last))
        for tag in chosen:
            self.tag_counts[tag] += 1
        names = [self.tag_names[tag] for tag in chosen]
        if self.pipe_tags:
            return "|" + "|".join(names) + "|"
        return "".join(f"&lt;{name}&gt;" for name in names)

    # -- rows ------------------------------------------------------------------------------

    def _comments(self, post: int, owner: int, t: float) -> int:
        bits = self.bits
        n = self.t_comments[bits(TABLE_BITS)]
        if not n:
            return 0
        rnd, clock, add = self.rnd, self.clock, self.comments_out.add
        steps, delays = self.t_id_step, self.t_comment_delay
        sizes, take = self.t_comment_sentences, self.text.take
        cid = self.next_comment
        for _ in range(n):
            cid += steps[bits(TABLE_BITS)]
            when = t + delays[bits(TABLE_BITS)]
            if when > END:
                when = END
            user = owner if owner > 0 and rnd() < 0.3 else self._recent_user()
            if when < self.first_seen[user]:
                self.first_seen[user] = when
            text = " ".join(take(sizes[bits(TABLE_BITS)]))
            if len(text) > 600:
                text = text[:600].rsplit(" ", 1)[0].rstrip("&")
            u = rnd()
            score = 0 if u < 0.8 else 1 + int((u - 0.8) * 15) % 4
            add(
                f'  <row Id="{cid}" PostId="{post}" Score="{score}" Text="{text}" '
                f'CreationDate="{clock(when)}" UserId="{user}" />{CRLF}'
            )
        self.next_comment = cid
        return n

    def _vote(self, post: int, kind: int, t: float, extra: str = "") -> None:
        self.next_vote += 1
        day = min(int(t) // 86400, int(END) // 86400)
        self.votes_out.add(
            f'  <row Id="{self.next_vote}" PostId="{post}" VoteTypeId="{kind}" '
            f"{extra}{self.clock.vote_tails[day]}"
        )

    def _votes(self, post: int, owner: int, t: float) -> int:
        """Up, down and other votes on a post; returns the score (up minus down)."""
        bits = self.bits
        ups = self.t_ups[bits(TABLE_BITS)]
        downs = self.t_downs[bits(TABLE_BITS)]
        tails, offsets = self.clock.vote_tails, self.t_vote_days
        day0 = int(t) // 86400
        last_day = int(END) // 86400
        vid = self.next_vote
        rows = []
        for kind, n in ((2, ups), (3, downs)):
            head = f'PostId="{post}" VoteTypeId="{kind}" '
            for _ in range(n):
                vid += 1
                day = day0 + offsets[bits(TABLE_BITS)]
                rows.append(f'  <row Id="{vid}" {head}{tails[min(day, last_day)]}')
        self.next_vote = vid
        if rows:
            self.votes_out.add("".join(rows))
            self.votes_out.count += len(rows) - 1
        u = self.rnd()
        if u < self.other_cum[-1]:
            kind = OTHER_VOTES[bisect_right(self.other_cum, u)][0]
            self._vote(post, kind, t + 86400 * (1 + self.t_vote_days[bits(TABLE_BITS)]))
        if owner > 0:
            self.reputation[owner] += 10 * ups - 2 * downs
        return ups - downs

    def _edit(self, owner: int, t: float) -> tuple[str, float]:
        """LastEditorUserId and LastEditDate attributes (or none) and the last activity."""
        if self.rnd() >= EDITED_SHARE:
            return "", t
        editor = owner if owner > 0 and self.rnd() < 0.6 else self._recent_user()
        when = min(END, t + self.t_edit_delay[self.bits(TABLE_BITS)])
        self._seen(editor, when)
        return f'LastEditorUserId="{editor}" LastEditDate="{self.clock(when)}" ', when

    def _owner(self, t: float) -> tuple[int, str]:
        if self.rnd() < DELETED_OWNER_SHARE:
            return 0, f'OwnerDisplayName="{self.rng.choice(self.names)}" '
        user = self._user()
        self._seen(user, t)
        recent = self.recent
        if len(recent) < RECENT_AUTHORS:
            recent.append(user)
        else:
            recent[int(self.rnd() * RECENT_AUTHORS)] = user
        return user, f'OwnerUserId="{user}" '

    def _next_post(self) -> int:
        self.next_post += self.t_id_step[self.bits(TABLE_BITS)]
        return self.next_post

    def _wiki_pair(self, tag: int, t: float) -> None:
        owner = self._user()
        self._seen(owner, t)
        clock = self.clock
        for kind in (4, 5):
            pid = self._next_post()
            if kind == 4:
                self.excerpt_ids[tag] = pid
                body = " ".join(self.text.take(self.rng.randint(1, 3)))
            else:
                self.wiki_ids[tag] = pid
                body = "" if self.rnd() < 0.3 else self._body(self.t_q_sentences)
            self.posts_out.add(
                f'  <row Id="{pid}" PostTypeId="{kind}" CreationDate="{clock(t)}" Score="0" '
                f'Body="{body}" OwnerUserId="{owner}" LastActivityDate="{clock(t)}" '
                f'CommentCount="0" />{CRLF}'
            )
        self.counts.wiki_posts += 2

    def _thread(self, t: float, remaining: int) -> int:
        """One question and its answers, their comments, votes and links; rows written."""
        rnd, bits, clock = self.rnd, self.bits, self.clock
        answers = min(self.t_answers[bits(TABLE_BITS)], remaining - 1)
        qid = self._next_post()
        self.question_ids.append(qid)
        # Answers first: the question row names the accepted one and the last activity.
        delays = self.t_answer_delay
        answer_rows: list[tuple[int, float]] = [
            (self._next_post(), when)
            for when in sorted(min(END, t + delays[bits(TABLE_BITS)]) for _ in range(answers))
        ]
        accepted = 0
        if answers and rnd() < ACCEPT_SHARE:
            accepted = answer_rows[min(int(-math.log(1.0 - rnd()) / 1.5), answers - 1)][0]
        owner, owner_attr = self._owner(t)
        edit_attrs, edited = self._edit(owner, t)
        last = max([edited] + [w for _, w in answer_rows])
        score = self._votes(qid, owner, t)
        favorites = 0
        if rnd() < FAVORITE_SHARE:
            favorites = 1 + self._geometric(0.5)
            for _ in range(favorites):
                fan = self._recent_user()
                when = min(END, t + 86400 * (1 + self.t_vote_days[bits(TABLE_BITS)]))
                self._seen(fan, when - when % 86400)
                self._vote(qid, 5, when, f'UserId="{fan}" ')
        if owner > 0 and rnd() < 0.004:
            self._vote(qid, 8, t + 86400, f'UserId="{owner}" BountyAmount="50" ')
        comments = self._comments(qid, owner, t)
        views = self.t_views[bits(TABLE_BITS)] + 3 * score
        optional = f'FavoriteCount="{favorites}" ' if favorites else ""
        if rnd() < CLOSED_SHARE:
            optional += f'ClosedDate="{clock(min(END, t + self.t_edit_delay[bits(16)]))}" '
        self.posts_out.add(
            f'  <row Id="{qid}" PostTypeId="1" '
            + (f'AcceptedAnswerId="{accepted}" ' if accepted else "")
            + f'CreationDate="{clock(t)}" Score="{score}" ViewCount="{max(views, 1)}" '
            f'Body="{self._site_link()}{self._body(self.t_q_sentences)}" {owner_attr}{edit_attrs}'
            f'LastActivityDate="{clock(last)}" '
            f'Title="{self.titles[bits(13)]}" Tags="{self._tags()}" '
            f'AnswerCount="{answers}" CommentCount="{comments}" {optional}/>{CRLF}'
        )
        self._links(qid, t)
        for aid, when in answer_rows:
            a_owner, a_owner_attr = self._owner(when)
            a_edit, a_last = self._edit(a_owner, when)
            a_score = self._votes(aid, a_owner, when)
            if aid == accepted:
                self._vote(aid, 1, when + 86400 * (1 + self.t_vote_days[bits(TABLE_BITS)]))
                if a_owner > 0:
                    self.reputation[a_owner] += 15
            a_comments = self._comments(aid, a_owner, when)
            self.posts_out.add(
                f'  <row Id="{aid}" PostTypeId="2" ParentId="{qid}" CreationDate="{clock(when)}" '
                f'Score="{a_score}" Body="{self._site_link()}{self._body(self.t_a_sentences)}" '
                f"{a_owner_attr}{a_edit}"
                f'LastActivityDate="{clock(a_last)}" CommentCount="{a_comments}" />{CRLF}'
            )
            self._links(qid, when)
        self.counts.questions += 1
        self.counts.answers += answers
        return 1 + answers

    def _links(self, qid: int, t: float) -> None:
        """PostLinks from this thread's question to an earlier question, now and then."""
        rnd = self.rnd
        if rnd() >= LINKS_PER_POST or len(self.question_ids) < 2:
            return
        target = self.question_ids[int(rnd() * (len(self.question_ids) - 1))]
        kind = 3 if rnd() < DUPLICATE_SHARE else 1
        self.next_link += self.t_id_step[self.bits(TABLE_BITS)]
        when = min(END, t + self.t_comment_delay[self.bits(TABLE_BITS)])
        self.links_out.add(
            f'  <row Id="{self.next_link}" CreationDate="{self.clock(when)}" PostId="{qid}" '
            f'RelatedPostId="{target}" LinkTypeId="{kind}" />{CRLF}'
        )

    def _users(self, lo: int, hi: int) -> None:
        """Users lo..hi-1 (and -1, the Community account, in the first part) and badges."""
        rnd, bits, clock = self.rnd, self.bits, self.clock
        out, badges = self.users_out, self.badges_out
        if lo == 1:
            about = (
                "&lt;p&gt;Hi, I'm not really a person.&lt;/p&gt;&#xD;&#xA;"
                "&lt;p&gt;I'm a background process that helps keep this site clean!&lt;/p&gt;"
            )
            out.add(
                f'  <row Id="-1" Reputation="1" CreationDate="{clock(0.0)}" '
                f'DisplayName="Community" LastAccessDate="{clock(0.0)}" '
                f'Location="on the server farm" AboutMe="{about}" Views="0" '
                f'UpVotes="{self.n_posts}" DownVotes="{self.n_posts // 10}" AccountId="-1" />{CRLF}'
            )
        badge_id = lo * BADGE_ID_BUDGET
        for uid in range(lo, hi):
            first = self.first_seen[uid]
            active = first <= END
            if active:
                created = max(0.0, first - self.t_account_delay[bits(TABLE_BITS)])
                seen = min(END, first + rnd() * 86400 * 90)
            else:
                created = SPAN * rnd() ** GROWTH
                seen = min(END, created + rnd() * 86400 * 30)
            rep = 1 + max(0, self.reputation[uid]) + (100 if rnd() < 0.3 else 0)
            attrs = [
                f'  <row Id="{uid}" Reputation="{rep}" CreationDate="{clock(created)}" '
                f'DisplayName="{self.names[bits(13)]}" LastAccessDate="{clock(seen)}" '
            ]
            if rnd() < 0.3:
                attrs.append(f'WebsiteUrl="https://{self.words.domains[bits(8)]}" ')
            if rnd() < 0.5:
                attrs.append(f'Location="{self.places[int(rnd() * len(self.places))]}" ')
            if rnd() < 0.45:
                paragraphs = [
                    "&lt;p&gt;" + " ".join(self.html.take(self.t_paragraphs[i])) + "&lt;/p&gt;"
                    for i in range(self.t_paragraphs[bits(TABLE_BITS)])
                ]
                attrs.append(f'AboutMe="{"&#xA;&#xA;".join(paragraphs)}&#xA;" ')
            views = ups = downs = 0
            if active:
                views = self.t_views[bits(TABLE_BITS)] // 20
                ups = self.t_ups[bits(TABLE_BITS)] * 3
                downs = self.t_downs[bits(TABLE_BITS)]
            attrs.append(f'Views="{views}" UpVotes="{ups}" DownVotes="{downs}" ')
            if rnd() < 0.95:
                attrs.append(
                    f'ProfileImageUrl="https://www.gravatar.com/avatar/{bits(128):032x}'
                    f'?s=128&amp;d=identicon&amp;r=PG" '
                )
            if rnd() < 0.35:
                attrs.append(f'Age="{16 + bits(6) % 55}" ')
            attrs.append(f'AccountId="{uid * 3 + 17}" />{CRLF}')
            out.add("".join(attrs))
            for _ in range(self._geometric(0.42 if active else 0.5)):
                badge_id += 1
                name, klass = BADGES[bisect_right(self.badge_cum, rnd())]
                when = created + rnd() * (END - created)
                badges.add(
                    f'  <row Id="{badge_id}" UserId="{uid}" Name="{name}" Date="{clock(when)}" '
                    f'Class="{klass}" TagBased="False" />{CRLF}'
                )
        if hi <= self.n_users and badge_id >= hi * BADGE_ID_BUDGET:
            raise RuntimeError("badge ids overflowed their range: use fewer shards")

    def tags_file(self) -> tuple[str, bytes, int]:
        self.tags_out = Out("Tags.xml")
        for index, name in enumerate(self.tag_names):
            wiki = ""
            if self.wiki_ids[index]:
                wiki = (
                    f'ExcerptPostId="{self.excerpt_ids[index]}" '
                    f'WikiPostId="{self.wiki_ids[index]}" '
                )
            self.tags_out.add(
                f'  <row Id="{index + 1}" TagName="{name}" Count="{self.tag_counts[index]}" '
                f"{wiki}/>{CRLF}"
            )
        return self.tags_out.encoded()

    def reseed(self, phase: int, chunk: int) -> None:
        """A random stream of its own for each chunk, so chunks can run in any process."""
        self.rng = rng = random.Random(f"{self.seed}/{phase}/{chunk}")
        self.rnd = self.html.rnd = self.text.rnd = rng.random
        self.bits = rng.getrandbits

    def posts_chunk(self, chunk: int) -> list[tuple[str, bytes, int]]:
        """Posts rows of one chunk, with their comments, votes and links, encoded."""
        self.reseed(1, chunk)
        n = self.n_posts
        lo, hi = chunk * self.chunk_posts, min(n, (chunk + 1) * self.chunk_posts)
        self.next_post = lo * POST_ID_BUDGET // 4
        self.next_comment = lo * COMMENT_ID_BUDGET
        self.next_vote = lo * VOTE_ID_BUDGET
        self.next_link = lo * LINK_ID_BUDGET // 4
        # Links and recent authors stay inside a chunk: the same output for any jobs.
        self.question_ids = array("l")
        self.recent = array("l")
        self.posts_out, self.comments_out = Out("Posts.xml"), Out("Comments.xml")
        self.votes_out, self.links_out = Out("Votes.xml"), Out("PostLinks.xml")
        rnd = self.rnd
        wiki = self.wiki_order[chunk :: self.n_chunks]
        # Wiki pairs spread evenly over the chunk's questions (about 2.7 posts per thread).
        wiki_chance = len(wiki) * 2.75 / max(hi - lo, 1)
        written = lo
        while written < hi:
            t = min(SPAN * (written / n) ** GROWTH + rnd() * 60, END - 1)
            if wiki and hi - written > 2 and rnd() < wiki_chance:
                self._wiki_pair(wiki.pop(), t)
                written += 2
            written += self._thread(t, hi - written)
        limits = (
            (self.next_post, hi * POST_ID_BUDGET // 4),
            (self.next_comment, hi * COMMENT_ID_BUDGET),
            (self.next_vote, hi * VOTE_ID_BUDGET),
            (self.next_link, hi * LINK_ID_BUDGET // 4),
        )
        if hi < n and any(last >= limit for last, limit in limits):
            raise RuntimeError(f"chunk {chunk}: ids overflowed the chunk's range")
        return [
            o.encoded() for o in (self.posts_out, self.comments_out, self.votes_out, self.links_out)
        ]

    def users_chunk(self, chunk: int) -> list[tuple[str, bytes, int]]:
        """Users rows of one chunk of account ids, with their badges, encoded."""
        self.reseed(2, chunk)
        lo = 1 + chunk * self.chunk_users
        hi = min(self.n_users + 1, lo + self.chunk_users)
        self.users_out, self.badges_out = Out("Users.xml"), Out("Badges.xml")
        self._users(lo, hi)
        return [self.users_out.encoded(), self.badges_out.encoded()]

    def state(self) -> PostsState:
        return PostsState(
            self.counts,
            self.first_seen,
            self.reputation,
            self.tag_counts,
            self.excerpt_ids,
            self.wiki_ids,
        )

    def merge(self, other: PostsState) -> None:
        """Add what another process learnt while writing its chunks of posts."""
        for key, value in asdict(other.counts).items():
            if isinstance(value, int):
                setattr(self.counts, key, getattr(self.counts, key) + value)
        mine = self.first_seen
        for i, value in enumerate(other.first_seen):
            if value < mine[i]:
                mine[i] = value
        for ours, theirs in (
            (self.reputation, other.reputation),
            (self.tag_counts, other.tag_counts),
            (self.excerpt_ids, other.excerpt_ids),
            (self.wiki_ids, other.wiki_ids),
        ):
            for i, value in enumerate(theirs):
                if value:
                    ours[i] += value


@dataclass
class PostsState:
    """What a process learnt writing posts, needed by the users and tags passes."""

    counts: Counts
    first_seen: array[float]
    reputation: array[int]
    tag_counts: array[int]
    excerpt_ids: array[int]
    wiki_ids: array[int]


ChunkFn = Callable[[Generator, int], list[tuple[str, bytes, int]]]


def _worker(world: Generator, job: ChunkFn, chunks: range, queue: Any, with_state: bool) -> None:
    try:
        for chunk in chunks:
            queue.put(("chunk", job(world, chunk)))
        queue.put(("state", world.state() if with_state else None))
    except BaseException:
        queue.put(("error", traceback.format_exc()))


class Writer:
    """The dump's files, open for appending encoded chunks in order."""

    def __init__(self, out_dir: Path, names: Sequence[str]) -> None:
        self.files = {}
        for name in names:
            root = name.removesuffix(".xml").lower()
            f = (out_dir / name).open("wb")
            f.write(f'\ufeff<?xml version="1.0" encoding="utf-8"?>{CRLF}<{root}>{CRLF}'.encode())
            self.files[name] = (f, root)
        self.rows = dict.fromkeys(names, 0)

    def write(self, parts: list[tuple[str, bytes, int]]) -> None:
        for name, data, rows in parts:
            self.files[name][0].write(data)
            self.rows[name] += rows

    def close(self) -> None:
        for f, root in self.files.values():
            f.write(f"</{root}>".encode())
            f.close()


def _run_chunks(
    world: Generator,
    job: ChunkFn,
    chunks: int,
    writer: Writer,
    jobs: int,
    with_state: bool,
    progress: Callable[[int], None],
) -> None:
    """Run ``job`` on every chunk, in order or on ``jobs`` forked processes, and write them."""
    if jobs <= 1 or chunks == 1:
        for chunk in range(chunks):
            writer.write(job(world, chunk))
            progress(chunk + 1)
        return
    context = multiprocessing.get_context("fork")
    queues = [context.Queue(maxsize=2) for _ in range(jobs)]
    workers = [
        context.Process(
            target=_worker,
            args=(world, job, range(i, chunks, jobs), queues[i], with_state),
            daemon=True,
        )
        for i in range(jobs)
    ]
    for w in workers:
        w.start()
    try:
        for chunk in range(chunks):
            kind, payload = queues[chunk % jobs].get()
            if kind == "error":
                raise RuntimeError(f"se_dump worker failed:\n{payload}")
            writer.write(payload)
            progress(chunk + 1)
        for queue in queues:
            kind, payload = queue.get()
            if kind == "error":
                raise RuntimeError(f"se_dump worker failed:\n{payload}")
            if payload is not None:
                world.merge(payload)
    finally:
        for w in workers:
            w.join(timeout=60)
            if w.is_alive():
                w.terminate()


def _site_of(out_dir: Path) -> str:
    """The site's host: the folder's name when it is one (as the importer reads it)."""
    name = out_dir.resolve().name.lower()
    return name if re.fullmatch(r"(?:[a-z0-9-]+\.)+[a-z]{2,}", name) else DEFAULT_SITE


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def _cumulative(weights: Sequence[float]) -> list[float]:
    total = float(sum(weights))
    out = list(accumulate(w / total for w in weights))
    out[-1] = 1.0
    return out


def generate(
    out_dir: Path,
    posts: int,
    seed: int = 1,
    tags_format: str = "angle",
    *,
    jobs: int = 1,
    chunk_posts: int = CHUNK_POSTS,
    site: str | None = None,
    progress: bool = False,
) -> Counts:
    """Write a dump of ``posts`` rows in Posts.xml (and the files that go with it).

    Rows are made in chunks of ``chunk_posts`` posts, each from a random stream of its own
    and with its own id ranges, so ``jobs`` processes can make them and the parent write them
    in order: the same posts, seed and chunk size give the same files for any ``jobs``.
    ``site`` is the host that bodies link to (default: ``out_dir``'s name when it is a host).
    """
    if posts < 1:
        raise ValueError("posts must be at least 1")
    if tags_format not in ("angle", "pipe"):
        raise ValueError("tags_format must be 'angle' or 'pipe'")
    began = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    world = Generator(posts, seed, tags_format, chunk_posts, site or _site_of(out_dir))
    post_chunks = world.n_chunks
    step = max(1, post_chunks // 10)

    def report(phase: str, total: int) -> Callable[[int], None]:
        def show(done: int) -> None:
            if progress and (done % step == 0 or done == total):
                seconds = time.perf_counter() - began
                print(
                    f"se_dump: {phase} {done}/{total} chunks, {seconds:.0f} s",
                    file=sys.stderr,
                    flush=True,
                )

        return show

    writer = Writer(out_dir, ("Posts.xml", "Comments.xml", "Votes.xml", "PostLinks.xml"))
    try:
        _run_chunks(
            world,
            Generator.posts_chunk,
            post_chunks,
            writer,
            jobs,
            True,
            report("posts", post_chunks),
        )
    finally:
        writer.close()
    counts = writer.rows
    user_chunks = math.ceil(world.n_users / world.chunk_users)
    writer = Writer(out_dir, ("Users.xml", "Badges.xml"))
    try:
        _run_chunks(
            world,
            Generator.users_chunk,
            user_chunks,
            writer,
            jobs,
            False,
            report("users", user_chunks),
        )
    finally:
        writer.close()
    counts.update(writer.rows)
    writer = Writer(out_dir, ("Tags.xml",))
    try:
        writer.write([world.tags_file()])
    finally:
        writer.close()
    counts.update(writer.rows)
    c = world.counts
    result = Counts(
        posts=counts["Posts.xml"],
        questions=c.questions,
        answers=c.answers,
        wiki_posts=c.wiki_posts,
        users=counts["Users.xml"],
        comments=counts["Comments.xml"],
        votes=counts["Votes.xml"],
        post_links=counts["PostLinks.xml"],
        tags=counts["Tags.xml"],
        badges=counts["Badges.xml"],
        bytes=sum((out_dir / name).stat().st_size for name in FILES),
        seconds=round(time.perf_counter() - began, 2),
        first_date=world.clock(0.0),
        last_date=world.clock(END),
    )
    return result


def _count(text: str) -> int:
    value = float(text.upper().rstrip("KM")) * {"K": 1e3, "M": 1e6}.get(text[-1:].upper(), 1)
    return int(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("out_dir", type=Path, help="folder to write the XML files into")
    parser.add_argument("--posts", type=_count, required=True, help="rows in Posts.xml (1M, 10M…)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tags", choices=("angle", "pipe"), default="angle")
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="processes (default: all cores)"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    args = parser.parse_args(argv)
    counts = generate(
        args.out_dir, args.posts, args.seed, args.tags, jobs=args.jobs, progress=not args.quiet
    )
    for key, value in asdict(counts).items():
        print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
