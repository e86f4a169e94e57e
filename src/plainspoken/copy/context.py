"""What surrounds a match: evidence for a claim, effect on the reader, quotations."""

from __future__ import annotations

import re
from functools import lru_cache

from plainspoken.text.sentences import Sentence

_NUMBER_WORDS = (
    r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    r"forty|fifty|hundred|hundreds|thousand|thousands|million|millions|billion|half|twice|"
    r"double|triple|tenfold|a third|a quarter|dozen"
)
# A cited source: who measured it, or where the figure comes from.
SOURCE = re.compile(
    r"\baccording to\b|\bbenchmark|\bin (?:our|an?|the|independent) (?:[\w-]+ ){0,3}tests?\b|"
    r"\btested\b|\btest (?:by|from|of|results?)\b|\bsurvey|\bstudy\b|\breport(?:ed)? by\b|"
    r"\bsource:|\[\d+\]|\bmeasured\b|\bindependent(?:ly)?\b|\baudit(?:ed)? by\b|"
    r"\b(?:ranked|rated|named|scored)\b[^.!?]{0,40}\bby\b|"
    r"\b(?:named|recogni[sz]ed)\b[^.!?]{0,60}\b(?:Awards?|Quadrant|Wave|MarketScape|report)\b|"
    r"\b(?:Gartner|Forrester|IDC|Tolly|AV-TEST|AV-Comparatives|SE Labs|MITRE|SPEC|TPC)\b",
)
# A number in words counts when it measures something ('two hours', 'twice as fast'), not
# when it is a vague crowd ('thousands of teams') or a count of anything ('the two companies').
_WORD_MEASURE = (
    r"\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    r"forty|fifty|sixty|a hundred)"
    r"(?:[ -](?:to|or)[ -](?:two|three|four|five|six|seven|eight|nine|ten|twelve|twenty))?"
    r"[ -](?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|clicks|times|"
    r"percent|per cent|fold|gigabytes?|terabytes?|megabytes?)\b|"
    r"\b(?:twice|half|a third|a quarter|tenfold|double|triple)\b"
)
# Evidence that is not a digit: an example, a source, a named customer, a test condition.
_CUES = re.compile(
    rf"{_WORD_MEASURE}|\bfor (?:example|instance)\b|\be\.g\.|\bsuch as\b|"
    r"\b(?:from|to) (?:about |around )?(?:an?|one) (?:hour|minute|day|week)\b|"
    r"\bcustomers? (?:like|such as|including)\s+[A-Z]|\b(?:at|for) [A-Z][\w&]+(?: [A-Z][\w&]+)*"
    r"(?:,| said| cut| reduced| saw)",
)
_CURRENCY = re.compile(r"[$£€¥]\s?\d")
# Numbers, with what is glued to them ('20GB', '5x', '14th') and the word in front.
_NUMBER = re.compile(r"(?<![\w.,/:-])(\d[\d,.:/]*)(%|[A-Za-z]*)")
_WORD_BEFORE = re.compile(r"([A-Za-z][\w'’-]*)[ \t]+$")
_UNITS = frozenset(
    "x k m b bn kb mb gb tb pb kbps mbps gbps gbe ms s sec h hr hrs min mins ghz mhz w kw u"
    " ft m cm mm kg".split()
)
# A number after one of these is a label, not a measurement ('version 5', 'Chapter 4').
_LABELS = frozenset(
    "version v release chapter section step phase page wave tier level gen generation model"
    " series part figure fig table appendix no number edition cu sp".split()
)
_YEAR = re.compile(r"(?:19|20)\d\d")
# Capitalised words that open a sentence before a quantity ('Over 40 countries ...').
_LEAD_INS = frozenset(
    "over about around nearly almost roughly approximately only just some all each every under"
    " up more less fewer at in on by for from to with within after before since until the a an"
    " our we its their your these those another first last top both and but so".split()
)


def _is_measure(text: str, match: re.Match[str]) -> bool:
    """Whether a number in ``text`` states a quantity rather than naming something."""
    number, glued = match.group(1).rstrip(".,:/"), match.group(2).lower()
    if glued == "%" or glued in _UNITS:
        return True
    if glued or ":" in number or "/" in number or number.count(".") > 1:
        return False  # '14th', '1200T', '02:14', '24/7', '4.11.2'
    if _YEAR.fullmatch(number):
        return False
    before = _WORD_BEFORE.search(text, max(0, match.start() - 40), match.start())
    if before is None:
        return True
    word = before.group(1)
    if word.lower() in _LABELS:
        return False
    # 'Windows 11', 'VaultSphere 5', 'ITIL 4': a capitalised word before a number names a
    # thing, unless it merely opens the sentence ('Over 40 teams ...').
    if not word[0].isupper():
        return True
    head = text[: before.start()].rstrip()
    opens = not head or head[-1] in '.!?:"“('
    return opens and word.lower() in _LEAD_INS


def has_measure(text: str) -> bool:
    """Whether ``text`` carries a measured quantity, an amount of money or a count."""
    if _CURRENCY.search(text):
        return True
    return any(_is_measure(text, m) for m in _NUMBER.finditer(text))


@lru_cache(maxsize=4096)
@lru_cache(maxsize=4096)
def _sourced(sentence: str) -> bool:
    return SOURCE.search(sentence) is not None


@lru_cache(maxsize=4096)
def _evidenced(sentence: str) -> bool:
    return _sourced(sentence) or _CUES.search(sentence) is not None or has_measure(sentence)


def has_source(sentences: list[Sentence], index: int) -> bool:
    """Whether the sentence at ``index`` or the next one says who measured or ranked it."""
    return any(_sourced(s.text) for s in sentences[index : index + 2])


def has_evidence(sentences: list[Sentence], index: int) -> bool:
    """Whether the sentence at ``index`` or the next one carries a figure, source or example.

    Numbers that only name things (product versions, chapters, years, times of day) do not
    count: 'VaultSphere 5 dramatically reduces risk' is still a claim with nothing behind it.
    """
    return any(_evidenced(s.text) for s in sentences[index : index + 2])


READER_EFFECT = re.compile(
    r"\b(?:you|your|customers?|clients?|colleagues?|staff|team|teams|orders?|sales|invoices?|"
    r"patients?|students?|payroll|branch(?:es)?|stores?|shops?|calls?|tickets?|minutes?|hours?|"
    r"days?|means?|so that|which lets|cost(?:s)?|money|revenue|downtime)\b",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"“[^”]{1,2000}”|\"[^\"\n]{1,2000}\"")


def has_reader_effect(sentence: Sentence) -> bool:
    """Whether a sentence says what something changes for people the reader cares about."""
    return _affects_reader(sentence.text)


@lru_cache(maxsize=4096)
def _affects_reader(text: str) -> bool:
    return READER_EFFECT.search(text) is not None


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


_NEGATION = re.compile(
    r"\b(?:not|never|no|cannot|without|nor|[a-z]+n['’]t)\b(?:\W+[\w'’-]+){0,2}\W*$", re.IGNORECASE
)
_ADVICE = re.compile(r"(?:(?:[-*+]|\d+[.)])\s+)?(?:To|In order to)\s")
_HOW_TO = re.compile(r"\bhow to\s+$", re.IGNORECASE)


def hedged(text: str, sentence: Sentence, start: int) -> bool:
    """Whether a benefit phrase at ``start`` is not promised: a negation among the three
    words before it ('will not save money'), a purpose clause opening the sentence ('To
    reduce risk, take a backup first') or a how-to ('how to cut costs')."""
    window = max(sentence.start, start - 40)
    if _NEGATION.search(text, window, start) or _HOW_TO.search(text, window, start):
        return True
    return start - sentence.start < 40 and _ADVICE.match(text, sentence.start) is not None


def in_name(text: str, sentence: Sentence, start: int, end: int) -> bool:
    """Whether a capitalised match is part of a proper name ('the Cloud Excellence Awards',
    'render Scalable Vector Graphics').

    It must start with a capital, not open its sentence, and have a capitalised word beside
    it; a sentence set in title case throughout (a heading) is not treated as a name.
    """
    if not text[start : start + 1].isupper() or start <= sentence.start:
        return False
    if text[max(sentence.start, start - 3) : start].rstrip()[-1:] in ('"', "“", ":", "‘", "'"):
        return False  # the opening of a quoted title is the writer's own words
    before = re.search(
        r"([A-Za-z][\w&'’.-]*)[ \t]+$", text[max(sentence.start, start - 40) : start]
    )
    after = re.match(r"[ \t]+([A-Za-z][\w&'’.-]*)", text[end : min(sentence.end, end + 40)])
    if not any(m and m.group(1)[0].isupper() for m in (before, after)):
        return False
    return not _title_case(sentence.text)


@lru_cache(maxsize=4096)
def _title_case(sentence: str) -> bool:
    """Whether most longer words of a sentence start with a capital (a heading)."""
    words = re.findall(r"[A-Za-z][\w'’-]{3,}", sentence)
    capitalised = sum(w[0].isupper() for w in words)
    return bool(capitalised >= 0.6 * len(words))
