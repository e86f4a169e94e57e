"""The per-post work of a Stack Exchange batch: markup to text, and the posts' links.

Plain functions of plain values; a batch's html and text come back as Arrow columns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from plainspoken.community.links import domain_of, find_links
from plainspoken.community.markup import html_to_text
from plainspoken.community.values import strings

if TYPE_CHECKING:
    import pyarrow as pa

LinkRow = tuple[int, str, str, str, str | None, str | None]
"""(index of the post in its batch, url, canonical url, domain, thread id, post id)."""

_SITE_LINK = re.compile(r"^https?://[^/]+/(questions|q|a)/(\d+)")


def stackexchange_target(
    site: str | None, canonical_url: str, domain: str
) -> tuple[str | None, str | None]:
    """(thread id, post id) a link points to on the same Stack Exchange site, if it does."""
    if site is None or domain != domain_of(site):
        return None, None
    match = _SITE_LINK.match(canonical_url)
    if match is None:
        return None, None
    kind, number = match.groups()
    return (None, number) if kind == "a" else (number, None)


def stackexchange_posts(
    bodies: Sequence[str | None], site: str | None
) -> tuple[pa.Array[Any], pa.Array[Any], list[LinkRow]]:
    """Each post body's html and text as Arrow columns, and the links in the bodies (same-site
    links with their targets)."""
    base = f"https://{site}" if site else None
    texts = [html_to_text(b) for b in bodies]
    links: list[LinkRow] = []
    for index, (body, text) in enumerate(zip(bodies, texts, strict=True)):
        if body and ("http" in body or "href" in body):
            for link in find_links(body, text, base):
                thread, post = stackexchange_target(site, link.canonical_url, link.domain)
                links.append((index, link.url, link.canonical_url, link.domain, thread, post))
    return strings(bodies), strings(texts), links


def stackexchange_comments(texts: Sequence[str | None], site: str | None) -> list[LinkRow]:
    """The links in comment texts (bare URLs; comments are not HTML)."""
    links: list[LinkRow] = []
    for index, text in enumerate(texts):
        if text and "http" in text:
            for link in find_links(None, text, None):
                thread, post = stackexchange_target(site, link.canonical_url, link.domain)
                links.append((index, link.url, link.canonical_url, link.domain, thread, post))
    return links
