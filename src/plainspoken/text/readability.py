"""Syllables and reading grade without downloaded dictionaries."""

from __future__ import annotations

import re

from plainspoken.text.sentences import Sentence, words

_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
_SILENT_E = re.compile(r"[^aeiouy]e$")
_ADDS = re.compile(r"(?:[^aeiouy]le|ia|io[un]|eo|ua|uo|iet|ier|iu)")


def syllables(word: str) -> int:
    """Estimate the syllables of an English word from its vowel groups."""
    w = word.lower().strip("'’-")
    if not w or w[0].isdigit():
        return 1
    if len(w) <= 3:
        return 1
    count = len(_VOWEL_GROUPS.findall(w))
    if _SILENT_E.search(w) and not w.endswith("le"):
        count -= 1
    if w.endswith(("ed", "es")) and not w.endswith(("ted", "ded", "ses", "zes", "ces", "ges")):
        count -= 1
    count += len(_ADDS.findall(w)) if w.endswith("le") or "ia" in w or "io" in w else 0
    return max(1, count)


def grade(sentences: list[Sentence]) -> float:
    """Flesch-Kincaid grade level of the given sentences (0 when there are no words)."""
    all_words = [w for s in sentences for w in words(s.text) if not w[0].isdigit()]
    if not all_words or not sentences:
        return 0.0
    syl = sum(syllables(w) for w in all_words)
    return 0.39 * len(all_words) / len(sentences) + 11.8 * syl / len(all_words) - 15.59
