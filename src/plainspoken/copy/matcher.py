"""Compile many phrases into one trie-shaped regular expression.

A naive alternation of thousands of phrases is slow, and a loop of one regex per phrase is
about a hundred times slower still; a trie-shaped pattern lets the regex engine share
prefixes, so one pass over the text finds every phrase.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Generic, TypeVar

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


class PhraseIndex(Generic[T]):
    """Find every occurrence of many phrases in one pass and say what each belongs to."""

    def __init__(self) -> None:
        self._owners: dict[str, list[T]] = {}
        self._regex: re.Pattern[str] | None = None
        self._caseless: re.Pattern[str] | None = None

    def add(self, phrase: str, owner: T, inflect: bool = True) -> None:
        for variant in variants(phrase, inflect):
            self._owners.setdefault(variant, []).append(owner)
        self._regex = self._caseless = None

    def __len__(self) -> int:
        return len(self._owners)

    def _source(self) -> str:
        body = trie_regex(self._owners) if self._owners else r"(?!x)x"
        return rf"(?<![\w'’-])(?:{body})(?![\w'’]|-\w)"

    def compile(self) -> re.Pattern[str]:
        """The regex for lower-case text (matching without case folding is about twice as
        fast); ``finditer`` lower-cases the text itself."""
        if self._regex is None:
            self._regex = re.compile(self._source())
        return self._regex

    def finditer(self, text: str) -> Iterable[tuple[int, int, list[T]]]:
        """Yield (start, end, owners) for each match, left to right, longest match first."""
        lower = text.lower()
        if len(lower) == len(text):
            regex, subject = self.compile(), lower
        else:  # a few characters grow in lower case; keep offsets by folding case instead
            if self._caseless is None:
                self._caseless = re.compile(self._source(), re.IGNORECASE)
            regex, subject = self._caseless, text
        for match in regex.finditer(subject):
            owners = self._owners.get(normalize(match.group()))
            if owners:
                yield match.start(), match.end(), owners
