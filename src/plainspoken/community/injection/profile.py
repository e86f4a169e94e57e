"""What the injector learns from the source dataset, so that planted rows look like its own.

Id styles, the time range, answer and comment lengths, reply latencies, account names, the
markup of posts, how votes are recorded, which tags name products (and how the community
spells them), and sentences of real posts by tag for camouflage. Everything is read in a
deterministic order (samples by a hash of the id), so a seed gives the same injection.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from plainspoken.community.injection.ids import Space, prefix_for, spaces_of
from plainspoken.engine.folder import DatasetFolder
from plainspoken.text.sentences import split, words

SAMPLE = 6000
"""Posts of each kind read for lengths, latencies, spellings and sentences."""
_US = 1_000_000
_DAY = 86_400 * _US
_ANCHOR = re.compile(r"<a href=\"[^\"]*\"( rel=\"[^\"]*\")?>")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9+#.]*[A-Za-z0-9+#]|[A-Za-z]")
_CODEY = re.compile(r"[{}\[\]=<>;`_\\|#$]|\(\)|http|www\.|\.\w{2,4}/")


@dataclass(frozen=True)
class ThreadInfo:
    """A real thread: what the injector needs to reply to it or take it as a model."""

    id: str
    created: int
    tags: tuple[str, ...]
    author_id: str | None
    answers: int
    question_id: str | None


@dataclass(frozen=True)
class AccountInfo:
    """A real account with its activity (for dormant takeovers)."""

    id: str
    name: str | None
    created: int | None
    last_active: int | None
    posts: int


@dataclass
class Community:
    """The source dataset's distributions and styles."""

    first: int
    last: int
    threads: list[ThreadInfo]
    post_spaces: dict[str, Space]
    kind_prefix: dict[str, str]
    thread_spaces: dict[str, Space]
    thread_is_question: bool
    account_spaces: dict[str, Space]
    account_id_is_name: bool
    reaction_spaces: dict[str, Space]
    reaction_prefix: str
    accounts: list[AccountInfo]
    names: list[str]
    answer_words: list[int]
    comment_words: list[int]
    latencies: list[int]
    tags_per_thread: list[int]
    html_paragraphs: bool
    html_comments: bool
    anchor_rel: str
    reaction_kinds: frozenset[str]
    # Kinds of reaction whose voter the source records (for most of its rows of that kind).
    actor_kinds: frozenset[str]
    votes_by_day: bool
    records_accepts: bool
    account_columns: frozenset[str]
    last_seen_max: int | None
    views: list[int]
    tag_threads: Counter[str] = field(default_factory=Counter)
    co_tags: dict[str, Counter[str]] = field(default_factory=dict)
    spellings: dict[str, str] = field(default_factory=dict)
    products: list[str] = field(default_factory=list)
    sentences: dict[str, list[tuple[int, str]]] = field(default_factory=dict)

    @property
    def span(self) -> int:
        return max(self.last - self.first, 1)

    def space(self, table: str, prefix: str) -> Space:
        """The id space for new rows of ``table`` with ``prefix`` (made when none exists)."""
        spaces = {
            "posts": self.post_spaces,
            "threads": self.thread_spaces,
            "accounts": self.account_spaces,
            "reactions": self.reaction_spaces,
        }[table]
        if prefix not in spaces:
            import numpy as np

            from plainspoken.community.injection.ids import IdSpace

            spaces[prefix] = IdSpace(prefix, 10, np.zeros(0, np.int64))
        return spaces[prefix]


def _us(value: Any) -> int | None:
    return None if value is None else int(value)


def _rows(con: Any, sql: str) -> list[tuple[Any, ...]]:
    return list(con.execute(sql).fetchall())


def read_community(folder: DatasetFolder, con: Any) -> Community:
    """Profile the dataset in ``folder`` with DuckDB connection ``con``."""
    t = {name: f"read_parquet('{glob}')" for name, glob in folder.tables.items()}
    first, last = _rows(
        con, f"SELECT epoch_us(min(created_at)), epoch_us(max(created_at)) FROM {t['posts']}"
    )[0]
    if first is None:
        from plainspoken.errors import DatasetError

        raise DatasetError(
            f"{folder.root}: the dataset has no dated posts to plant campaigns among"
        )
    posts = _rows(con, f"SELECT id, kind, epoch_us(created_at) FROM {t['posts']} ORDER BY id")
    kind_ids: dict[str, list[str]] = defaultdict(list)
    for pid, kind, _ in posts:
        kind_ids[str(kind)].append(pid)
    counts = {
        r[0]: (int(r[1]), r[2])
        for r in _rows(
            con,
            f"SELECT thread_id, count(*) FILTER (WHERE kind = 'answer'), "
            f"arg_min(id, created_at) FILTER (WHERE kind = 'question') FROM {t['posts']} "
            "GROUP BY 1",
        )
    }
    thread_rows = _rows(
        con,
        f"SELECT id, epoch_us(created_at), tags, author_id FROM {t['threads']} "
        "WHERE created_at IS NOT NULL ORDER BY created_at, id",
    )
    threads = [
        ThreadInfo(r[0], int(r[1]), tuple(r[2] or ()), r[3], *counts.get(r[0], (0, None)))
        for r in thread_rows
    ]
    question_ids = set(kind_ids.get("question", ()))
    same = sum(1 for th in threads if th.id in question_ids)
    accounts_rows = _rows(
        con,
        f"SELECT a.id, a.name, epoch_us(a.created_at), epoch_us(p.last), coalesce(p.n, 0) "
        f"FROM {t['accounts']} a LEFT JOIN (SELECT author_id, max(created_at) AS last, "
        f"count(*) AS n FROM {t['posts']} GROUP BY 1) p ON p.author_id = a.id ORDER BY a.id",
    )
    accounts = [AccountInfo(r[0], r[1], _us(r[2]), _us(r[3]), int(r[4])) for r in accounts_rows]
    reactions = _rows(
        con,
        f"SELECT id, kind, epoch_us(created_at), actor_id IS NOT NULL FROM {t['reactions']} "
        "ORDER BY id",
    )
    votes = [r for r in reactions if r[1] == "vote-up" and r[2] is not None]
    present = {
        name
        for name in ("name", "reputation", "profile", "website", "location", "last_seen",
                     "up_votes", "down_votes", "views")
        if _rows(con, f"SELECT count({name}) FROM {t['accounts']}")[0][0]
    }  # fmt: skip
    views = [
        int(r[0])
        for r in _rows(
            con,
            f"SELECT views FROM {t['threads']} WHERE views IS NOT NULL ORDER BY md5(id) "
            f"LIMIT {SAMPLE}",
        )
    ]
    last_seen = _rows(con, f"SELECT epoch_us(max(last_seen)) FROM {t['accounts']}")[0][0]
    accepted = _rows(con, f"SELECT count(accepted_post_id) FROM {t['threads']}")[0][0]
    community = Community(
        first=int(first),
        last=int(last),
        threads=threads,
        post_spaces=spaces_of([p[0] for p in posts], [p[2] for p in posts]),
        kind_prefix={k: prefix_for(v) for k, v in kind_ids.items()},
        thread_spaces=spaces_of([th.id for th in threads], [th.created for th in threads]),
        thread_is_question=bool(threads) and same >= 0.9 * len(threads),
        account_spaces=spaces_of([a.id for a in accounts], [a.created for a in accounts]),
        account_id_is_name=bool(accounts)
        and sum(a.id == a.name for a in accounts) >= 0.9 * len(accounts),
        reaction_spaces=spaces_of([r[0] for r in reactions], [r[2] for r in reactions]),
        reaction_prefix=prefix_for([r[0] for r in reactions]),
        accounts=accounts,
        names=[a.name for a in accounts if a.name][:: max(1, len(accounts) // 5000)],
        answer_words=[],
        comment_words=[],
        latencies=[],
        tags_per_thread=[len(th.tags) for th in threads] or [0],
        html_paragraphs=False,
        html_comments=False,
        anchor_rel="",
        reaction_kinds=frozenset(str(r[1]) for r in reactions),
        actor_kinds=_actor_kinds(reactions),
        votes_by_day=bool(votes) and all(r[2] % _DAY == 0 for r in votes[:2000]),
        records_accepts=bool(accepted) or any(r[1] == "accept" for r in reactions),
        account_columns=frozenset(present),
        last_seen_max=_us(last_seen),
        views=views,
        tag_threads=Counter(tag for th in threads for tag in th.tags),
    )
    _read_texts(community, con, t)
    _read_tags(community)
    return community


def _read_texts(c: Community, con: Any, t: dict[str, str]) -> None:
    rows = _rows(
        con,
        f"SELECT p.kind, p.text, p.html, epoch_us(p.created_at) - epoch_us(th.created_at), "
        f"th.tags FROM {t['posts']} p LEFT JOIN {t['threads']} th ON th.id = p.thread_id "
        f"WHERE p.kind IN ('answer', 'comment') AND p.text IS NOT NULL "
        f"ORDER BY md5(p.id) LIMIT {2 * SAMPLE}",
    )
    html_answers = [r[2] for r in rows if r[0] == "answer" and r[2]]
    answers = [r for r in rows if r[0] == "answer"]
    c.html_paragraphs = bool(html_answers) and (
        sum(h.lstrip().startswith("<p>") for h in html_answers) >= 0.5 * len(html_answers)
    )
    comments = [r for r in rows if r[0] == "comment"]
    c.html_comments = bool(comments) and sum(bool(r[2]) for r in comments) >= 0.5 * len(comments)
    rels = Counter(m.group(1) or "" for h in html_answers for m in _ANCHOR.finditer(h))
    c.anchor_rel = rels.most_common(1)[0][0] if rels else ""
    c.answer_words = sorted(len(words(r[1])) for r in answers) or [60]
    c.comment_words = sorted(len(words(r[1])) for r in comments) or [20]
    c.latencies = sorted(int(r[3]) // _US for r in answers if r[3] is not None and r[3] > 0) or [
        3600
    ]
    for n, row in enumerate(answers):
        tags = tuple(row[4] or ()) or ("",)
        for sentence in split(row[1]):
            text = " ".join(sentence.text.split())
            count = len(text.split())
            plain = 6 <= count <= 35 and text[0].isupper() and text[-1] in ".!?"
            if plain and not _CODEY.search(text):
                for tag in tags:
                    c.sentences.setdefault(tag, []).append((n, text))
                c.sentences.setdefault("", []).append((n, text))
    _spellings(c, [r[1] for r in rows])


def _spellings(c: Community, texts: list[str]) -> None:
    """The display spelling of each frequent tag: its most common capitalized form in posts."""
    tags = [tag for tag, n in c.tag_threads.items() if n >= 3]
    if not tags:
        return
    found: dict[str, Counter[str]] = defaultdict(Counter)
    mentions: Counter[str] = Counter()
    keys = {tag.replace("-", "").lower(): tag for tag in tags}
    firsts = {tag.split("-")[0].lower() for tag in tags}
    for text in texts:
        tokens = _TOKEN.findall(text)
        lowered = [t.lower() for t in tokens]
        for i, low in enumerate(lowered):
            if low not in firsts:
                continue
            for n in (1, 2, 3):  # "tensorflow", "neural networks", "turing test"
                tag = keys.get("".join(lowered[i : i + n]))
                if tag is None:
                    continue
                word = " ".join(tokens[i : i + n])
                mentions[tag] += 1
                if (word[0].isupper() and not word.isupper()) or (
                    word.isupper() and len(word) <= 5
                ):
                    found[tag][word] += 1
    for tag in tags:
        capital = found.get(tag)
        if capital:
            spelling, n = capital.most_common(1)[0]
            c.spellings[tag] = spelling
            capitalized = sum(capital.values())
            if n >= 2 and capitalized >= 0.5 * mentions[tag]:
                c.products.append(tag)
    c.products.sort(key=lambda tag: (-c.tag_threads[tag], tag))


def _read_tags(c: Community) -> None:
    for th in c.threads:
        for tag in th.tags:
            co = c.co_tags.setdefault(tag, Counter())
            co.update(x for x in th.tags if x != tag)
    if len(c.products) < 2:
        frequent = [tag for tag, n in c.tag_threads.most_common() if n >= 3]
        c.products = list(dict.fromkeys([*c.products, *frequent]))


def _actor_kinds(reactions: list[tuple[Any, ...]]) -> frozenset[str]:
    """Reaction kinds where at least half the source's rows name their actor."""
    total: Counter[str] = Counter()
    named: Counter[str] = Counter()
    for row in reactions:
        total[str(row[1])] += 1
        if row[3]:
            named[str(row[1])] += 1
    return frozenset(kind for kind, n in total.items() if named[kind] * 2 >= n)
