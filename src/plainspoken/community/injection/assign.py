"""Final ids for planted rows: in the community's style, in time order, then substituted for
the temporary ids everywhere they are referred to; and the links rows of planted posts."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from plainspoken.community.injection.accounts import NameMaker
from plainspoken.community.injection.draft import Draft
from plainspoken.community.injection.ids import IdSpace, Space
from plainspoken.community.injection.profile import Community
from plainspoken.community.links import find_links

_REFERENCES = {
    "posts": ("id", "thread_id", "parent_id", "author_id"),
    "threads": ("id", "author_id", "accepted_post_id"),
    "accounts": ("id",),
    "reactions": ("id", "post_id", "actor_id"),
}


def _main_prefix(spaces: Mapping[str, Space]) -> str:
    def size(space: Space) -> int:
        return len(space.numbers) if isinstance(space, IdSpace) else len(space.used)

    return max(spaces, key=lambda p: (size(spaces[p]), p)) if spaces else ""


def assign(draft: Draft, c: Community, names: NameMaker, rng: random.Random) -> dict[str, str]:
    """Give every planted row its final id; returns temporary id → final id."""
    final: dict[str, str] = {}
    prefix = _main_prefix(c.account_spaces)
    for row in sorted(draft.accounts, key=lambda r: (r["created_at"], r["id"])):
        if c.account_id_is_name:
            new = names.make(rng)
        else:
            new = c.space("accounts", prefix).allocate(row["created_at"], rng)
        row["name"] = new if c.account_id_is_name else names.make(rng, new)
        final[row["id"]] = new
    fallback = c.kind_prefix.get("answer", _main_prefix(c.post_spaces))
    for row in sorted(draft.posts, key=lambda r: (r["created_at"], int(r["id"][2:]))):
        kind_prefix = c.kind_prefix.get(row["kind"], fallback)
        final[row["id"]] = c.space("posts", kind_prefix).allocate(row["created_at"], rng)
    thread_prefix = _main_prefix(c.thread_spaces)
    questions = {p["thread_id"]: p["id"] for p in draft.posts if p["kind"] == "question"}
    for row in sorted(draft.threads, key=lambda r: (r["created_at"], int(r["id"][2:]))):
        if c.thread_is_question and row["id"] in questions:
            final[row["id"]] = final[questions[row["id"]]]
        else:
            space = c.space("threads", thread_prefix)
            final[row["id"]] = space.allocate(row["created_at"], rng)
    for row in sorted(draft.reactions, key=lambda r: (r["created_at"], int(r["id"][2:]))):
        final[row["id"]] = c.space("reactions", c.reaction_prefix).allocate(row["created_at"], rng)
    for table, columns in _REFERENCES.items():
        for row in getattr(draft, table):
            for column in columns:
                value = row.get(column)
                if value is not None and value in final:
                    row[column] = final[value]
    return final


def link_rows(draft: Draft) -> list[dict[str, Any]]:
    """The links of planted posts, found and canonicalized as the importers do it."""
    rows: list[dict[str, Any]] = []
    for post in draft.posts:
        for link in find_links(post.get("html"), post.get("text")):
            rows.append(
                {
                    "post_id": post["id"],
                    "url": link.url,
                    "canonical_url": link.canonical_url,
                    "domain": link.domain,
                    "target_thread_id": None,
                }
            )
    return rows
