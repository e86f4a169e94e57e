"""Regions of Markdown and plain text that are never checked."""

from __future__ import annotations

import re

FRONT_MATTER = re.compile(r"\A(?:---|\+\+\+)[ \t]*\n.*?\n(?:---|\+\+\+)[ \t]*(?:\n|\Z)", re.DOTALL)
FENCE = re.compile(r"^([ \t]*)(`{3,}|~{3,})[^\n]*\n.*?(?:^\1?[ \t]*\2[ \t]*$|\Z)", re.M | re.S)
INDENTED_CODE = re.compile(r"(?:\n\n|\A)((?:(?:    |\t)[^\n]*\n?)+)")
INLINE_CODE = re.compile(r"(`+)(?!`).+?(?<!`)\1", re.DOTALL)
URL = re.compile(r"\b(?:https?://|ftp://|www\.)[^\s<>()\"'`]+")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+\b")
LINK_TARGET = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)|^\s*\[[^\]]+\]:\s*\S+.*$", re.M)
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_GATED = (
    (FENCE, ("```", "~~~")),
    (INLINE_CODE, ("`",)),
    (LINK_TARGET, ("](", "]:")),
    (URL, ("://", "www.")),
    (HTML_COMMENT, ("<!--",)),
    (HTML_TAG, ("<",)),
)


def markdown_skips(text: str) -> list[tuple[int, int]]:
    """Spans of front matter, code, URLs, link targets, comments and inline HTML tags."""
    spans: list[tuple[int, int]] = []
    front = FRONT_MATTER.match(text)
    if front:
        spans.append(front.span())
    # Each pattern runs only when the characters it starts with occur at all: Python's regex
    # engine tries a pattern at every position, which is most of the cost on plain prose.
    if "\n    " in text or "\n\t" in text or text.startswith(("    ", "\t")):
        spans.extend(m.span(1) for m in INDENTED_CODE.finditer(text))
    for pattern, needles in _GATED:
        if any(needle in text for needle in needles):
            spans.extend(m.span() for m in pattern.finditer(text))
    spans.extend(_emails(text))
    return spans


def _emails(text: str) -> list[tuple[int, int]]:
    """E-mail addresses; the regex runs only around each '@' (fast on text without any)."""
    spans = []
    at = text.find("@")
    while at != -1:
        start = at
        while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "._+-"):
            start -= 1
        match = EMAIL.match(text, start)
        if match and match.end() > at:
            spans.append(match.span())
            at = text.find("@", match.end())
        else:
            at = text.find("@", at + 1)
    return spans


def plain_skips(text: str) -> list[tuple[int, int]]:
    """Spans of URLs and e-mail addresses in plain text."""
    return [m.span() for m in URL.finditer(text)] + _emails(text)
