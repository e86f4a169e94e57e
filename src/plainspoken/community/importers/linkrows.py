"""Links of a batch of posts, found, canonicalized and written as one batch of link rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from plainspoken.community.dataset import TARGET_POST, PartWriter
from plainspoken.community.links import find_links

Target = Callable[[str, str], tuple[str | None, str | None]]
"""(canonical url, domain) → (thread id, post id) the link points to in this community."""


def no_target(canonical_url: str, domain: str) -> tuple[str | None, str | None]:
    """For sources whose links never point inside the community."""
    return None, None


class LinkRows:
    """Collects link rows, then writes them with ``write`` (once per batch of posts)."""

    def __init__(self, writer: PartWriter, target: Target = no_target, base: str | None = None):
        self.writer = writer
        self.target = target
        self.base = base
        self.columns: dict[str, list[Any]] = {
            k: [] for k in ("post_id", "url", "canonical_url", "domain", "target_thread_id")
        }
        self.columns[TARGET_POST] = []

    def add(self, post_id: str, html: str | None, text: str | None) -> None:
        """The links of one post: ``href`` targets in ``html``, bare URLs in ``text``."""
        for link in find_links(html, text, self.base):
            self.add_link(post_id, link.url, link.canonical_url, link.domain)

    def add_link(self, post_id: str, url: str, canonical_url: str, domain: str | None) -> None:
        """One link row (its target looked up with ``target``)."""
        thread, post = self.target(canonical_url, domain or "")
        c = self.columns
        c["post_id"].append(post_id)
        c["url"].append(url)
        c["canonical_url"].append(canonical_url)
        c["domain"].append(domain)
        c["target_thread_id"].append(thread)
        c[TARGET_POST].append(post)

    def add_rows(self, post_ids: Sequence[str | None], rows: list[Any]) -> None:
        """Links found elsewhere, as (index in ``post_ids``, url, canonical, domain, thread,
        post) rows."""
        c = self.columns
        for index, url, canonical_url, domain, thread, post in rows:
            c["post_id"].append(post_ids[index])
            c["url"].append(url)
            c["canonical_url"].append(canonical_url)
            c["domain"].append(domain)
            c["target_thread_id"].append(thread)
            c[TARGET_POST].append(post)

    def write(self) -> None:
        """Write the rows collected so far as one batch."""
        if self.columns["post_id"]:
            self.writer.add(self.columns)
        for values in self.columns.values():
            values.clear()

    def close(self) -> None:
        self.write()
        self.writer.close()
