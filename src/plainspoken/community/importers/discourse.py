"""Discourse: topic JSON (``/t/{id}.json``) and user JSON (``/u/{username}.json``) files.

A topic is a thread (its id is the topic id); its first post is the ``question``, posts that
reply to the topic (or to its first post) are ``answer`` and posts that reply to another post
are ``reply``. A post's score is its like count; each like is a ``vote-up`` reaction (Discourse
shows counts, not who liked or when) and a solved topic's accepted post gets an ``accept``.
Authors that have no user file become accounts with their id and username only.
``/t/{id}.json`` holds a topic's first posts only (about 20): a topic whose ``stream`` lists
more posts than the file holds is imported as far as it goes, with a note.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from plainspoken.community.dataset import BATCH_ROWS, Staging
from plainspoken.community.importers.base import ImportResult, Progress
from plainspoken.community.importers.linkrows import LinkRows
from plainspoken.community.importers.rows import RowBatch
from plainspoken.community.links import canonical
from plainspoken.community.markup import html_to_text
from plainspoken.community.values import Where, integers, iso_times, strings
from plainspoken.errors import InputError

LIKE, SPAM = 2, 8
FLAGS = {3, 4, 6, 7}  # off-topic, inappropriate, notify user, notify moderators
REGULAR_POST_TYPES = {1, 4}  # regular and whisper; 2 and 3 are moderator actions and notices
_TOPIC_PATH = re.compile(r"^https?://[^/]+/t/(?:[^/?#]+/)?(\d+)(?:[/?#]|$)")

POST_FIELDS = ("id", "thread_id", "parent_id", "kind", "author_id", "created_at", "html", "score")
THREAD_FIELDS = ("id", "title", "tags", "created_at", "author_id", "accepted_post_id", "views",
                 "answer_count")  # fmt: skip
ACCOUNT_FIELDS = ("id", "name", "created_at", "reputation", "profile", "website", "location",
                  "last_seen", "views")  # fmt: skip


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _tags(raw: Any) -> list[str]:
    if not isinstance(raw, list):
        return []
    names = [t.get("name") if isinstance(t, dict) else t for t in raw]
    return [str(n) for n in names if n]


def _internal_target(url: str) -> str | None:
    match = _TOPIC_PATH.match(url)
    return match.group(1) if match else None


class _Writer:
    """Batches and staged parts of one Discourse import."""

    def __init__(self, staging: Staging, label: str, batch_rows: int) -> None:
        self.posts_part = staging.part("posts", label)
        self.threads_part = staging.part("threads", label)
        self.accounts_part = staging.part("accounts", label)
        self.authors_part = staging.part("accounts", label, derived=True)
        self.reactions_part = staging.part("reactions", label)
        self.internal: set[str] = set()  # canonical URLs Discourse marks internal (link_counts)
        self.links = LinkRows(staging.part("links", label), self._target)
        self.posts = RowBatch(POST_FIELDS, self._posts, batch_rows)
        self.threads = RowBatch(THREAD_FIELDS, self._threads, batch_rows)
        self.accounts = RowBatch(ACCOUNT_FIELDS, self._accounts, batch_rows)
        self.authors = RowBatch(("id", "name"), self._authors, batch_rows)
        self.reactions = RowBatch(("id", "kind", "post_id", "value"), self._reactions, batch_rows)

    def _target(self, canonical_url: str, domain: str) -> tuple[str | None, str | None]:
        if canonical_url not in self.internal:
            return None, None
        return _internal_target(canonical_url), None

    def _posts(self, c: dict[str, list[Any]], where: Where) -> None:
        html = c["html"]
        texts = [html_to_text(h) for h in html]
        for post_id, h, t in zip(c["id"], html, texts, strict=True):
            if h and ("http" in h or "href" in h):
                self.links.add(post_id, h, t)
        self.links.write()
        self.posts_part.add(
            {
                **{k: strings(c[k]) for k in ("id", "thread_id", "parent_id", "kind", "author_id")},
                "created_at": iso_times(c["created_at"], "created_at", where),
                "text": strings(texts),
                "html": strings(html),
                "score": integers(c["score"], "like count", where),
            }
        )

    def _threads(self, c: dict[str, list[Any]], where: Where) -> None:
        import pyarrow as pa

        self.threads_part.add(
            {
                **{k: strings(c[k]) for k in ("id", "title", "author_id", "accepted_post_id")},
                "tags": pa.array(c["tags"], pa.list_(pa.string())),
                "created_at": iso_times(c["created_at"], "created_at", where),
                "views": integers(c["views"], "views", where),
                "answer_count": integers(c["answer_count"], "posts_count", where),
            }
        )

    def _accounts(self, c: dict[str, list[Any]], where: Where) -> None:
        self.accounts_part.add(
            {
                **{k: strings(c[k]) for k in ("id", "name", "profile", "website", "location")},
                "created_at": iso_times(c["created_at"], "created_at", where),
                "last_seen": iso_times(c["last_seen"], "last_seen_at", where),
                "reputation": integers(c["reputation"], "gamification_score", where),
                "views": integers(c["views"], "profile_view_count", where),
            }
        )

    def _authors(self, c: dict[str, list[Any]], where: Where) -> None:
        self.authors_part.add({"id": strings(c["id"]), "name": strings(c["name"])})

    def _reactions(self, c: dict[str, list[Any]], where: Where) -> None:
        self.reactions_part.add({**c, "value": integers(c["value"], "value", where)})

    def close(self) -> None:
        for batch in (self.posts, self.threads, self.accounts, self.authors, self.reactions):
            batch.emit()
        for part in (self.posts_part, self.threads_part, self.accounts_part, self.authors_part,
                     self.reactions_part):  # fmt: skip
            part.close()
        self.links.close()


def _topic(data: dict[str, Any], name: str, out: _Writer, result: ImportResult) -> None:
    topic_id = _text(data.get("id"))
    if topic_id is None:
        raise InputError(name, "a topic without an id", "export the topic again from /t/ID.json")
    stream = data.get("post_stream") or {}
    posts = [p for p in stream.get("posts") or [] if isinstance(p, dict)]
    by_number = {p.get("post_number"): _text(p.get("id")) for p in posts}
    first_id = by_number.get(1)
    listed = stream.get("stream")
    if isinstance(listed, list) and len(listed) > len(posts):
        result.skip(
            "posts listed in a topic's stream but not in its file", len(listed) - len(posts)
        )
    accepted: str | None = None
    for post in posts:
        post_id = _text(post.get("id"))
        place = f"{name} post {post_id}"
        if post_id is None:
            raise InputError(place, "a post without an id", "export the topic again")
        if post.get("post_type", 1) not in REGULAR_POST_TYPES:
            result.skip("moderator notices (small actions)")
            continue
        number = post.get("post_number")
        replied = post.get("reply_to_post_number")
        if number == 1:
            kind, parent = "question", None
        elif replied in (None, 1):
            kind, parent = "answer", first_id
        else:
            kind, parent = "reply", by_number.get(replied)
        author = _text(post.get("user_id"))
        likes = 0
        for action in post.get("actions_summary") or []:
            count = action.get("count") or 0 if isinstance(action, dict) else 0
            kind_id = action.get("id") if isinstance(action, dict) else None
            if kind_id == LIKE:
                likes = count
            for i in range(count if kind_id in {SPAM, *FLAGS} else 0):
                reaction = "spam" if kind_id == SPAM else "other"
                out.reactions.add(
                    place, id=f"{post_id}-{reaction}-{i + 1}", kind=reaction, post_id=post_id
                )
        for i in range(likes):
            out.reactions.add(
                place, id=f"{post_id}-like-{i + 1}", kind="vote-up", post_id=post_id, value=1
            )
        if post.get("accepted_answer"):
            accepted = post_id
            out.reactions.add(place, id=f"{post_id}-accept", kind="accept", post_id=post_id)
        out.posts.add(
            place, id=post_id, thread_id=topic_id, parent_id=parent, kind=kind,
            author_id=author, created_at=post.get("created_at"), html=post.get("cooked"),
            score=likes,
        )  # fmt: skip
        if author is not None:
            out.authors.add(place, id=author, name=post.get("username"))
        for counted in post.get("link_counts") or []:
            if isinstance(counted, dict) and counted.get("internal") and counted.get("url"):
                link = canonical(str(counted["url"]))
                if link is not None:
                    out.internal.add(link.canonical_url)
    details = data.get("details") or {}
    creator = details.get("created_by") or {}
    solved = data.get("accepted_answer")
    if accepted is None and isinstance(solved, dict):
        accepted = by_number.get(solved.get("post_number"))
    out.threads.add(
        name, id=topic_id, title=data.get("title"), tags=_tags(data.get("tags")),
        created_at=data.get("created_at"),
        author_id=_text(creator.get("id")) or (_text(posts[0].get("user_id")) if posts else None),
        accepted_post_id=accepted, views=data.get("views"), answer_count=data.get("reply_count"),
    )  # fmt: skip


def _user(data: dict[str, Any], name: str, out: _Writer) -> None:
    user = data["user"]
    user_id = _text(user.get("id"))
    if user_id is None:
        raise InputError(name, "a user without an id", "export it again from /u/USERNAME.json")
    bio = user.get("bio_cooked")
    out.accounts.add(
        name, id=user_id, name=user.get("username"), created_at=user.get("created_at"),
        reputation=user.get("gamification_score"),
        profile=html_to_text(bio) if bio else user.get("bio_raw"),
        website=user.get("website"), location=user.get("location"),
        last_seen=user.get("last_seen_at"), views=user.get("profile_view_count"),
    )  # fmt: skip


def _load(path: Path, label: str) -> Any:
    try:
        with path.open("rb") as handle:
            return json.load(handle)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{label} line {exc.lineno}", f"not valid JSON ({exc.msg})", "export the file again"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(label, f"cannot be read ({exc})", "check the file") from None


def _files(source: Path) -> list[Path]:
    if source.is_file():
        return [source]
    return sorted(p for p in source.rglob("*.json") if p.is_file())


def import_discourse(
    source: Path,
    staging: Staging,
    *,
    mapping: Path | None = None,
    progress: Progress | None = None,
    batch_rows: int = BATCH_ROWS,
) -> ImportResult:
    """Stage Discourse topic and user JSON files (a folder searched recursively, or one file)."""
    files = _files(source)
    if not files:
        raise InputError(
            str(source),
            "holds no .json files",
            "save topics from /t/ID.json and users from /u/USERNAME.json into this folder",
        )
    result = ImportResult()
    out = _Writer(staging, str(source), batch_rows)
    total = sum(p.stat().st_size for p in files)
    done = 0
    seen_topics: dict[str, str] = {}
    seen_users: dict[str, str] = {}
    topics = users = 0
    for path in files:
        label = str(path.relative_to(source)) if path != source else path.name
        data = _load(path, label)
        if isinstance(data, dict) and isinstance(data.get("post_stream"), dict):
            _once(seen_topics, _text(data.get("id")), label, "topic")
            _topic(data, label, out, result)
            topics += 1
        elif isinstance(data, dict) and isinstance(data.get("user"), dict):
            _once(seen_users, _text(data["user"].get("id")), label, "user")
            _user(data, label, out)
            users += 1
        else:
            result.skip("JSON files that are neither a topic nor a user")
        done += path.stat().st_size
        if progress is not None:
            progress(done, total)
    out.close()
    if topics == 0:
        raise InputError(
            str(source),
            "holds no Discourse topic (a JSON object with a post_stream)",
            "save topics from /t/ID.json",
        )
    if users == 0:
        result.notes.append("no user files: accounts hold only the authors' ids and usernames")
    result.details["files"] = {"topics": topics, "users": users}
    return result


def _once(seen: dict[str, str], key: str | None, label: str, what: str) -> None:
    if key is None:
        return
    if key in seen:
        raise InputError(
            label,
            f"{what} {key} is also in {seen[key]}",
            "keep one file per " + what + " (a later import updates rows by id)",
        )
    seen[key] = label
