"""The tables of a Stack Exchange dump: one row handler per XML file.

Each handler names the attributes it reads and turns each batch of rows into dataset rows:
``Posts.xml`` into threads, posts and links (text and links worked out by ``derive``, in a
worker process when there is one), ``Comments.xml`` into posts of kind ``comment`` and
links, ``Users.xml`` into accounts, ``Votes.xml`` into reactions, ``PostLinks.xml`` into
links between threads and ``Tags.xml`` into the extra ``tags`` table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import compress
from typing import TYPE_CHECKING, Any

from plainspoken.community.dataset import TARGET_POST, Staging
from plainspoken.community.importers.base import ImportResult
from plainspoken.community.importers.derive import (
    stackexchange_comments,
    stackexchange_posts,
)
from plainspoken.community.importers.linkrows import LinkRows
from plainspoken.community.importers.xmlrows import RowReader
from plainspoken.community.links import domain_of
from plainspoken.community.markup import html_to_text
from plainspoken.community.values import Where, integers, iso_times, strings
from plainspoken.errors import InputError

if TYPE_CHECKING:
    import pyarrow as pa

VOTE_KINDS = {
    "1": "accept",
    "2": "vote-up",
    "3": "vote-down",
    "5": "favorite",
    "6": "close",
    "8": "bounty",
    "9": "bounty",
    "12": "spam",
}
VOTE_VALUES = {"2": 1, "3": -1}
Columns = dict[str, list[str | None]]


def parse_tags(raw: str | None) -> list[str]:
    """Tags as the dump writes them: ``<a><b>`` (older dumps) or ``|a|b|`` (newer ones)."""
    if not raw:
        return []
    if raw.startswith("<") and raw.endswith(">"):
        return [t for t in raw[1:-1].split("><") if t]
    if raw.startswith("|"):
        return [t for t in raw.split("|") if t]
    return raw.split()


@dataclass
class Context:
    site: str | None
    result: ImportResult


def _where(label: str, before: int) -> Where:
    return lambda i: f"{label} row {before + i + 1}"


def _where_of(where: Where, rows: list[int]) -> Where:
    """``where`` for a selection of a batch's rows (``rows`` are their original indexes)."""
    return lambda i: where(rows[i])


def _require_ids(ids: pa.Array[Any], field: str, where: Where) -> None:
    if ids.null_count:
        first = next(i for i, v in enumerate(ids.is_null().to_pylist()) if v)
        raise InputError(where(first), f"has no {field}", "every row of the dump needs one")


class _Posts:
    batch_rows = 20_000  # big rows: smaller batches keep the worker busy and memory flat
    fields = (
        "Id", "PostTypeId", "ParentId", "AcceptedAnswerId", "CreationDate", "Score",
        "ViewCount", "Body", "OwnerUserId", "Title", "Tags", "AnswerCount", "ClosedDate",
    )  # fmt: skip
    root = "posts"

    def __init__(self, staging: Staging, label: str, context: Context) -> None:
        self.label = label
        self.context = context
        self.posts = staging.part("posts", label, id_label="Id")
        self.threads = staging.part("threads", label, id_label="Id")
        self.links = LinkRows(staging.part("links", label))

    def flush(self, c: Columns, before: int) -> None:
        where = _where(self.label, before)
        ids = strings(c["Id"])
        _require_ids(ids, "Id", where)
        types = integers(c["PostTypeId"], "PostTypeId", where).to_pylist()
        kept = [t == 1 or t == 2 for t in types]
        self.context.result.skip("posts that are not questions or answers", len(kept) - sum(kept))
        self._threads(c, ids, [t == 1 for t in types], where)
        if not all(kept):  # drop them before Arrow copies any text
            c = {name: list(compress(values, kept)) for name, values in c.items()}
            types = list(compress(types, kept))
            ids = strings(c["Id"])
            rows = [n for n, k in enumerate(kept) if k]
            where = _where_of(where, rows)
        questions = [t == 1 for t in types]
        id_list, parents, bodies = c["Id"], c["ParentId"], c["Body"]
        columns = {
            "id": ids,
            "thread_id": strings(
                [i if q else p for i, p, q in zip(id_list, parents, questions, strict=True)]
            ),
            "parent_id": strings(
                [None if q else p for p, q in zip(parents, questions, strict=True)]
            ),
            "kind": strings(["question" if q else "answer" for q in questions]),
            "author_id": strings(c["OwnerUserId"]),
            "created_at": iso_times(c["CreationDate"], "CreationDate", where),
            "score": integers(c["Score"], "Score", where),
        }

        html, text, links = stackexchange_posts(bodies, self.context.site)
        self.posts.add({**columns, "html": html, "text": text})
        self.links.add_rows(id_list, links)
        self.links.write()

    def _threads(self, c: Columns, ids: pa.Array[Any], questions: list[bool], where: Where) -> None:
        import pyarrow as pa

        def pick(name: str) -> list[str | None]:
            return list(compress(c[name], questions))

        place = _where_of(where, [n for n, q in enumerate(questions) if q])

        self.threads.add(
            {
                "id": ids.filter(pa.array(questions)),
                "title": strings(pick("Title")),
                "tags": pa.array([parse_tags(t) for t in pick("Tags")], pa.list_(pa.string())),
                "created_at": iso_times(pick("CreationDate"), "CreationDate", place),
                "author_id": strings(pick("OwnerUserId")),
                "accepted_post_id": strings(pick("AcceptedAnswerId")),
                "views": integers(pick("ViewCount"), "ViewCount", place),
                "answer_count": integers(pick("AnswerCount"), "AnswerCount", place),
                "closed_at": iso_times(pick("ClosedDate"), "ClosedDate", place),
            }
        )

    def close(self) -> None:
        self.posts.close()
        self.threads.close()
        self.links.close()


class _Comments:
    fields = ("Id", "PostId", "Score", "Text", "CreationDate", "UserId")
    root = "comments"

    def __init__(self, staging: Staging, label: str, context: Context) -> None:
        self.label = label
        self.posts = staging.part(
            "posts", label, resolve_threads=True, id_label="Id", id_prefix="c"
        )
        self.links = LinkRows(staging.part("links", label))
        self.context = context

    def flush(self, c: Columns, before: int) -> None:
        where = _where(self.label, before)
        _require_ids(strings(c["Id"]), "Id", where)
        ids = [f"c{i}" for i in c["Id"]]
        texts = c["Text"]
        self.posts.add(
            {
                "id": ids,
                "parent_id": strings(c["PostId"]),
                "kind": ["comment"] * len(ids),
                "author_id": strings(c["UserId"]),
                "created_at": iso_times(c["CreationDate"], "CreationDate", where),
                "text": strings(texts),
                "score": integers(c["Score"], "Score", where),
            }
        )
        self.links.add_rows(ids, stackexchange_comments(texts, self.context.site))
        self.links.write()

    def close(self) -> None:
        self.posts.close()
        self.links.close()


class _Users:
    fields = (
        "Id", "DisplayName", "CreationDate", "Reputation", "AboutMe", "WebsiteUrl", "Location",
        "LastAccessDate", "UpVotes", "DownVotes", "Views",
    )  # fmt: skip
    root = "users"

    def __init__(self, staging: Staging, label: str, context: Context) -> None:
        self.label = label
        self.accounts = staging.part("accounts", label, id_label="Id")

    def flush(self, c: Columns, before: int) -> None:
        where = _where(self.label, before)
        ids = strings(c["Id"])
        _require_ids(ids, "Id", where)
        self.accounts.add(
            {
                "id": ids,
                "name": strings(c["DisplayName"]),
                "created_at": iso_times(c["CreationDate"], "CreationDate", where),
                "reputation": integers(c["Reputation"], "Reputation", where),
                "profile": strings([html_to_text(a) for a in c["AboutMe"]]),
                "website": strings(c["WebsiteUrl"]),
                "location": strings(c["Location"]),
                "last_seen": iso_times(c["LastAccessDate"], "LastAccessDate", where),
                "up_votes": integers(c["UpVotes"], "UpVotes", where),
                "down_votes": integers(c["DownVotes"], "DownVotes", where),
                "views": integers(c["Views"], "Views", where),
            }
        )

    def close(self) -> None:
        self.accounts.close()


class _Votes:
    fields = ("Id", "PostId", "VoteTypeId", "UserId", "CreationDate", "BountyAmount")
    root = "votes"

    def __init__(self, staging: Staging, label: str, context: Context) -> None:
        self.label = label
        self.reactions = staging.part("reactions", label, id_label="Id")

    def flush(self, c: Columns, before: int) -> None:
        where = _where(self.label, before)
        ids = strings(c["Id"])
        _require_ids(ids, "Id", where)
        types = c["VoteTypeId"]
        bounty = integers(c["BountyAmount"], "BountyAmount", where).to_pylist()
        values = [
            b if b is not None else VOTE_VALUES.get(t or "")
            for t, b in zip(types, bounty, strict=True)
        ]
        self.reactions.add(
            {
                "id": ids,
                "kind": [VOTE_KINDS.get(t or "", "other") for t in types],
                "post_id": strings(c["PostId"]),
                "actor_id": strings(c["UserId"]),
                "created_at": iso_times(c["CreationDate"], "CreationDate", where),
                "value": integers(values, "BountyAmount", where),
            }
        )

    def close(self) -> None:
        self.reactions.close()


class _PostLinks:
    fields = ("Id", "PostId", "RelatedPostId")
    root = "postlinks"

    def __init__(self, staging: Staging, label: str, context: Context) -> None:
        self.context = context
        self.links = staging.part("links", label, supplement=True)

    def flush(self, c: Columns, before: int) -> None:
        site = self.context.site
        related = c["RelatedPostId"]
        urls = [f"https://{site}/questions/{r}" if site else f"/questions/{r}" for r in related]
        self.links.add(
            {
                "post_id": strings(c["PostId"]),
                "url": urls,
                "canonical_url": urls,
                "domain": [domain_of(site) if site else None] * len(urls),
                TARGET_POST: strings(related),
            }
        )

    def close(self) -> None:
        self.links.close()


class _Tags:
    fields = ("Id", "TagName", "Count")
    root = "tags"

    def __init__(self, staging: Staging, label: str, context: Context) -> None:
        self.label = label
        self.tags = staging.part("tags", label, id_label="Id")

    def flush(self, c: Columns, before: int) -> None:
        where = _where(self.label, before)
        self.tags.add(
            {
                "id": strings(c["Id"]),
                "name": strings(c["TagName"]),
                "count": integers(c["Count"], "Count", where),
            }
        )

    def close(self) -> None:
        self.tags.close()


HANDLERS: dict[str, Callable[[Staging, str, Context], Any]] = {
    "posts.xml": _Posts,
    "comments.xml": _Comments,
    "users.xml": _Users,
    "votes.xml": _Votes,
    "postlinks.xml": _PostLinks,
    "tags.xml": _Tags,
}


class Sink:
    """One dump file: its XML reader feeding its row handler."""

    def __init__(self, handler: Any, label: str, batch_rows: int) -> None:
        self.handler = handler
        batch_rows = min(batch_rows, getattr(handler, "batch_rows", batch_rows))
        self.reader = RowReader(
            label, handler.fields, handler.flush, expected_root=handler.root, batch_rows=batch_rows
        )

    def feed(self, data: bytes) -> None:
        self.reader.feed(data)

    def close(self) -> int:
        rows = self.reader.close()
        self.handler.close()
        return rows
