"""Visible text of an HTML page, with each character mapped back to the page source."""

from __future__ import annotations

import re
from html import unescape
from html.entities import name2codepoint
from html.parser import HTMLParser

SKIPPED = frozenset(
    {
        "script",
        "style",
        "nav",
        "header",
        "footer",
        "noscript",
        "template",
        "svg",
        "head",
        "code",
        "pre",
        "kbd",
        "samp",
        "select",
        "button",
        "iframe",
        "object",
    }
)
BLOCKS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "br",
        "tr",
        "td",
        "th",
        "table",
        "blockquote",
        "figcaption",
        "dd",
        "dt",
        "hr",
        "title",
        "aside",
        "form",
        "label",
    }
)


class _Extractor(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.line_starts = [0]
        self.line_starts.extend(m.end() for m in re.finditer("\n", source))
        self.chars: list[str] = []
        self.offsets: list[int] = []
        self.skip_depth = 0

    def _here(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def _break(self) -> None:
        if self.chars and self.chars[-1] != "\n":
            self.chars.append("\n")
            self.offsets.append(self._here())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED:
            self.skip_depth += 1
        elif tag in BLOCKS:
            self._break()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCKS:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in BLOCKS:
            self._break()

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        start = self._here()
        self.chars.extend(data)
        self.offsets.extend(range(start, start + len(data)))

    def _entity(self, raw: str, char: str) -> None:
        if self.skip_depth:
            return
        start = self._here()
        for ch in char:
            self.chars.append(ch)
            self.offsets.append(start)
        del raw

    def handle_entityref(self, name: str) -> None:
        code = name2codepoint.get(name)
        self._entity(name, chr(code) if code else unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self._entity(name, unescape(f"&#{name};"))


def extract(source: str) -> tuple[str, tuple[int, ...]]:
    """Return the visible text and, per character, its offset in ``source``."""
    parser = _Extractor(source)
    parser.feed(source)
    parser.close()
    return "".join(parser.chars), tuple(parser.offsets)
