"""A source's text with a map from every checkable character back to the original file.

``source`` is the decoded file text (what JSON offsets point into). ``text`` is what the
checker reads; for Markdown and plain text it has the same length as ``source`` with skipped
regions (code, URLs, front matter, comments) blanked to spaces, so offsets are identical.
For HTML, DOCX and PDF ``text`` is the extracted visible text and ``offsets`` maps each of its
characters to a position in ``source``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

_NEWLINE = re.compile("\n")


@dataclass(frozen=True)
class Document:
    """Checkable text plus its position map."""

    path: str
    source: str
    text: str
    kind: str = "text"
    offsets: tuple[int, ...] | None = None
    _line_starts: list[int] = field(default_factory=list, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        starts = [0]
        starts.extend(m.end() for m in _NEWLINE.finditer(self.source))
        object.__setattr__(self, "_line_starts", starts)

    def to_source(self, index: int) -> int:
        """Map an index into ``text`` to an index into ``source``."""
        if self.offsets is None:
            return index
        if index >= len(self.offsets):
            return (self.offsets[-1] + 1) if self.offsets else 0
        return self.offsets[index]

    def span_to_source(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of ``text`` to a half-open span of ``source``."""
        if self.offsets is None:
            return start, end
        if end <= start:
            s = self.to_source(start)
            return s, s
        return self.to_source(start), self.to_source(end - 1) + 1

    def line_col(self, source_index: int) -> tuple[int, int]:
        """1-based line and column of a position in ``source``."""
        line = bisect.bisect_right(self._line_starts, source_index) - 1
        return line + 1, source_index - self._line_starts[line] + 1

    @property
    def is_editable(self) -> bool:
        """Whether fixes can be written back into the source file."""
        return self.kind in ("markdown", "text") and self.offsets is None


def blank(text: str, spans: list[tuple[int, int]]) -> str:
    """Replace the characters of ``spans`` with spaces, keeping newlines."""
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        for i in range(start, min(end, len(chars))):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)
