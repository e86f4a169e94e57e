"""Planted posts in the community's markup: HTML paragraphs with anchors where the source's
posts have them (and ``text`` derived from the HTML as the importers derive it), plain
paragraphs otherwise."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from html import escape

from plainspoken.community.injection.profile import Community
from plainspoken.community.injection.text import paragraphs
from plainspoken.community.markup import html_to_text

_URL = re.compile(r"https?://[^\s<>\"]+")


def _linked(block: str, rel: str) -> str:
    """``block`` escaped for HTML, its URLs made anchors (as Stack Exchange renders them)."""
    out: list[str] = []
    at = 0
    for match in _URL.finditer(block):
        url = match.group(0).rstrip(".,;")
        out.append(escape(block[at : match.start()], quote=False))
        out.append(f'<a href="{escape(url)}"{rel}>{escape(url)}</a>')
        at = match.start() + len(url)
    out.append(escape(block[at:], quote=False))
    return "".join(out)


def render(
    sentences: Sequence[str], c: Community, kind: str, rng: random.Random
) -> tuple[str, str | None]:
    """(text, html) of a post made of ``sentences``."""
    html_kind = c.html_comments if kind == "comment" else c.html_paragraphs
    blocks = [" ".join(sentences)] if kind == "comment" else paragraphs(sentences, rng)
    if not html_kind:
        return "\n\n".join(blocks), None
    parts = []
    for block in blocks:
        parts.append(f"<p>{_linked(block, c.anchor_rel)}</p>")
    html = "\n\n".join(parts) + "\n"
    return html_to_text(html) or "", html
