"""Sentences and words with their offsets."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]|\d[\d,.]*")
_ABBREVIATIONS = (
    "e.g.",
    "i.e.",
    "etc.",
    "vs.",
    "approx.",
    "Inc.",
    "Ltd.",
    "Corp.",
    "Dr.",
    "Mr.",
    "Ms.",
    "Mrs.",
    "No.",
    "Fig.",
    "U.S.",
)
_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s)|\n[ \t]*\n|\n(?=[ \t]*(?:[#>*+-]|\d+[.)])\s)")
_HEADING_LINE = re.compile(r"^[ \t]*#{1,6}[ \t].*$", re.M)


@dataclass(frozen=True)
class Sentence:
    """A sentence's span in a document's checkable text."""

    start: int
    end: int
    text: str


def split(text: str) -> list[Sentence]:
    """Split text into sentences at end punctuation, blank lines, list items and headings."""
    cuts = {0, len(text)}
    for match in _END.finditer(text):
        if text[match.start()] == "." and text[
            max(0, match.start() - 7) : match.start() + 1
        ].endswith(_ABBREVIATIONS):
            continue
        cuts.add(match.end())
    for match in _HEADING_LINE.finditer(text):
        cuts.add(match.start())
        cuts.add(match.end())
    points = sorted(cuts)
    result: list[Sentence] = []
    for start, end in itertools.pairwise(points):
        chunk = text[start:end]
        stripped = chunk.strip()
        if not stripped or not (stripped[0].isalnum() or WORD.search(stripped)):
            continue
        lead = len(chunk) - len(chunk.lstrip())
        s = start + lead
        e = s + len(stripped)
        result.append(Sentence(s, e, text[s:e]))
    return result


def words(text: str) -> list[str]:
    """Words (letters, apostrophes, inner hyphens) and numbers."""
    return WORD.findall(text)
