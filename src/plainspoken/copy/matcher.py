"""Compile many phrases into one trie-shaped regular expression.

A naive alternation of thousands of phrases is slow, and a loop of one regex per phrase is
about a hundred times slower still; a trie-shaped pattern lets the regex engine share
prefixes, so one pass over the text finds every phrase.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from typing import Any, Generic, TypeVar

import ahocorasick

T = TypeVar("T")
_SEPARATORS = re.compile(r"[\s-]+")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'"})


def normalize(phrase: str) -> str:
    """Lower case, one space between words, straight apostrophes."""
    return " ".join(phrase.translate(_APOSTROPHES).lower().split())


def inflections(word: str) -> set[str]:
    """Plural and verb forms of an English word (over-generation is harmless here)."""
    forms = {word}
    if not word.isalpha() or len(word) < 3:
        return forms
    if word.endswith("e"):
        forms |= {word + "s", word + "d", word[:-1] + "ing"}
    elif word.endswith("y") and word[-2] not in "aeiou":
        forms |= {word[:-1] + "ies", word[:-1] + "ied", word + "ing"}
    elif word.endswith(("s", "x", "z", "ch", "sh")):
        forms |= {word + "es", word + "ed", word + "ing"}
    else:
        forms |= {word + "s", word + "ed", word + "ing"}
    return forms


def variants(phrase: str, inflect: bool) -> set[str]:
    """Spellings of a phrase: hyphen or space between its parts, and inflected last word."""
    base = normalize(phrase)
    parts = _SEPARATORS.split(base)
    seps = _SEPARATORS.findall(base)
    lasts = inflections(parts[-1]) if inflect else {parts[-1]}
    results: set[str] = set()
    joiners = [("-", " ") if s.strip() == "-" or s == " " else (s,) for s in seps]
    combos: list[list[str]] = [[]]
    for options in joiners:
        combos = [[*c, o] for c in combos for o in options]
    for combo in combos:
        for last in lasts:
            words = [*parts[:-1], last]
            text = words[0]
            for sep, word in zip(combo, words[1:], strict=True):
                text += sep + word
            results.add(text)
    return results


Trie = dict[str, "Trie"]


def _trie_pattern(node: Trie) -> str:
    end = "" in node
    branches = []
    for char in sorted(k for k in node if k):
        child = node[char]
        piece = r"\s+" if char == " " else re.escape(char)
        branches.append(piece + _trie_pattern(child))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if end:
        return f"(?:{body})?"
    return body


def trie_regex(phrases: Iterable[str]) -> str:
    """One regex source that matches any of the phrases (longest first at each branch)."""
    root: Trie = {}
    for phrase in phrases:
        node = root
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_pattern(root)


_SPACES = str.maketrans({c: " " for c in "\t\n\r\f\v\u00a0\u2007\u202f\u2009\u200a\u2002\u2003"})
_SPACE_RUN = re.compile(r" {2,}")


def _folded(text: str) -> str:
    """Lower case, straight apostrophes and plain spaces, keeping every offset."""
    lower = text.lower()
    if len(lower) != len(text):  # a few characters grow in lower case: fold them one by one
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return lower.translate(_APOSTROPHES).translate(_SPACES)


def _word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


class PhraseIndex(Generic[T]):
    """Find every occurrence of many phrases in one pass and say what each belongs to.

    The phrases go into one Aho-Corasick automaton (built in milliseconds, where a regex of
    thousands of phrases takes a third of a second to compile). Matching is on a folded copy of
    the text (lower case, straight apostrophes, one space for any run of white space) whose
    offsets are mapped back; a match must stand as whole words, and where matches overlap the
    leftmost, then the longest, wins.
    """

    def __init__(self) -> None:
        self._owners: dict[str, list[T]] = {}
        self._automaton: Any = None

    def add(self, phrase: str, owner: T, inflect: bool = True) -> None:
        for variant in variants(phrase, inflect):
            self._owners.setdefault(variant, []).append(owner)
        self._automaton = None

    def __len__(self) -> int:
        return len(self._owners)

    def compile(self) -> None:
        """Build the automaton now rather than on the first search."""
        if self._automaton is None:
            automaton = ahocorasick.Automaton()
            for phrase in self._owners:
                automaton.add_word(phrase, (len(phrase), phrase))
            if self._owners:
                automaton.make_automaton()
            self._automaton = automaton

    def finditer(self, text: str) -> Iterator[tuple[int, int, list[T]]]:
        """Yield (start, end, owners) for each match, left to right, longest match first."""
        if not self._owners:
            return
        self.compile()
        folded = _folded(text)
        starts: list[int] = []
        shifts: list[int] = [0]
        if "  " in folded:  # collapse runs of spaces, remembering how far each part moved
            pieces, last, removed = [], 0, 0
            for run in _SPACE_RUN.finditer(folded):
                pieces.append(folded[last : run.start() + 1])
                last = run.end()
                starts.append(run.start() - removed + 1)  # first position after the run
                removed += run.end() - run.start() - 1
                shifts.append(removed)
            pieces.append(folded[last:])
            folded = "".join(pieces)
        found = []
        size = len(folded)
        for last, (length, phrase) in self._automaton.iter(folded):
            start, end = last - length + 1, last + 1
            if start > 0:
                before = folded[start - 1]
                if _word_char(before) or before in "'-":
                    continue
            if end < size:
                after = folded[end]
                if _word_char(after) or after == "'":
                    continue
                if after == "-" and end + 1 < size and _word_char(folded[end + 1]):
                    continue
            found.append((start, -length, phrase))
        found.sort()
        reach = 0
        for start, negative, phrase in found:
            if start < reach:
                continue
            end = start - negative
            reach = end
            if starts:
                first = shifts[bisect.bisect_right(starts, start)]
                final = shifts[bisect.bisect_right(starts, end - 1)]
                yield start + first, end + final, self._owners[phrase]
            else:
                yield start, end, self._owners[phrase]
