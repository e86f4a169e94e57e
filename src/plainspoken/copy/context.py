"""What surrounds a match: evidence for a claim, effect on the reader, quotations."""

from __future__ import annotations

import re

from plainspoken.text.sentences import Sentence

_NUMBER_WORDS = (
    r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    r"forty|fifty|hundred|hundreds|thousand|thousands|million|millions|billion|half|twice|"
    r"double|triple|tenfold|a third|a quarter|dozen"
)
EVIDENCE = re.compile(
    rf"\d|\b(?:{_NUMBER_WORDS})\b|\bfor (?:example|instance)\b|\be\.g\.|\bsuch as\b|"
    r"\baccording to\b|\bmeasured\b|\bbenchmark|\bin (?:our|a|an|independent) tests?\b|"
    r"\btested\b|\bsurvey|\bstudy\b|\breport(?:ed)? by\b|\bsource:|\[\d+\]|"
    r"\b(?:from|to) (?:about |around )?(?:an?|one) (?:hour|minute|day|week)\b|"
    r"\bcustomers? (?:like|such as|including)\s+[A-Z]|\b(?:at|for) [A-Z][\w&]+(?: [A-Z][\w&]+)*"
    r"(?:,| said| cut| reduced| saw)",
)
READER_EFFECT = re.compile(
    r"\b(?:you|your|customers?|clients?|colleagues?|staff|team|teams|orders?|sales|invoices?|"
    r"patients?|students?|payroll|branch(?:es)?|stores?|shops?|calls?|tickets?|minutes?|hours?|"
    r"days?|means?|so that|which lets|cost(?:s)?|money|revenue|downtime)\b",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"“[^”]{1,2000}”|\"[^\"\n]{1,2000}\"")


def has_evidence(sentences: list[Sentence], index: int) -> bool:
    """Whether the sentence at ``index`` or the next one carries a number, source or example."""
    return any(EVIDENCE.search(s.text) for s in sentences[index : index + 2])


def has_reader_effect(sentence: Sentence) -> bool:
    """Whether a sentence says what something changes for people the reader cares about."""
    return READER_EFFECT.search(sentence.text) is not None


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans of quoted speech in the checkable text."""
    return [m.span() for m in _QUOTED.finditer(text)]


def word_after(text: str, end: int) -> str:
    """The word that follows position ``end`` (after spaces or hyphens), lower case."""
    match = re.match(r"[\s-]*([\w'’]+)", text[end : end + 60])
    return match.group(1).lower() if match else ""


def word_before(text: str, start: int) -> str:
    """The word that precedes position ``start``, lower case."""
    match = re.search(r"([\w'’]+)[\s-]*$", text[max(0, start - 60) : start])
    return match.group(1).lower() if match else ""
