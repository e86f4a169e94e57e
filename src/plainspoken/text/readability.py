"""Syllables and reading grade without downloaded dictionaries."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from plainspoken.text.sentences import Sentence, words

_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
_SILENT_E = re.compile(r"[^aeiouy]e$")
_SOUNDED_ENDINGS = ("ted", "ded", "ses", "zes", "ces", "ges")


def syllables(word: str) -> int:
    """Estimate the syllables of an English word from its vowel groups."""
    return _syllables(word.lower())


@lru_cache(maxsize=65536)
def _syllables(lowered: str) -> int:
    w = lowered.strip("'’-")
    if not w or w[0].isdigit():
        return 1
    if len(w) <= 3:
        return 1
    count = len(_VOWEL_GROUPS.findall(w))
    silent_e = _SILENT_E.search(w) and not (w.endswith("le") and w[-3] not in "aeiouy")
    silent_ending = w.endswith(("ed", "es")) and not w.endswith(_SOUNDED_ENDINGS)
    if silent_e or silent_ending:
        count -= 1
    return max(1, count)


def grade(sentences: list[Sentence], found: list[str] | None = None) -> float:
    """Flesch-Kincaid grade level of the given sentences (0 when there are no words).

    ``found`` may pass the words of those sentences when the caller has them already.
    """
    if found is None:
        found = words("\n".join(s.text for s in sentences))
    counts = Counter(w.lower() for w in found)
    n = sum(c for w, c in counts.items() if not w[0].isdigit())
    if not n or not sentences:
        return 0.0
    syl = sum(_syllables(w) * c for w, c in counts.items() if not w[0].isdigit())
    return 0.39 * n / len(sentences) + 11.8 * syl / n - 15.59
