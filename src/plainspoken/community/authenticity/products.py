"""Products named in a community and the stance of each post toward them.

Names come from three places: the community's tags (``raspberry-pi`` is also written
"raspberry pi" and "raspberrypi"), a workspace vocabulary file, and capitalized names that
writers use mid-sentence more often than in lower case (``Grafana``, ``TensorFlow``). A post
mentions a product when one of its variants appears as whole words; its stance toward the
product is the sentiment (VADER compound score) of the sentences that mention it. A post
*praises* a product at a compound score of ``praise`` or more and *attacks* it at ``attack``
or less.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ahocorasick
import yaml

from plainspoken.errors import InputError

_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_CAPITALIZED = re.compile(
    r"(?<=[a-z,;:] )([A-Z][a-z]+[A-Z]?[A-Za-z0-9]*|[A-Z][a-z0-9]*[A-Z][A-Za-z0-9]*)"
)
_LOWER_WORD = re.compile(r"(?<![A-Za-z0-9])[a-z][a-z0-9]*")
_BOUNDARY = re.compile(r"[a-z0-9]")


@dataclass(frozen=True)
class Stance:
    """A post's sentiment toward one product it mentions."""

    product: str
    compound: float
    sentence: str


@dataclass(frozen=True)
class Vocabulary:
    """Product names from a workspace file: canonical name -> spelling variants (and vendor)."""

    products: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    vendors: Mapping[str, str] = field(default_factory=dict)


def load_vocabulary(path: Path) -> Vocabulary:
    """Read a vocabulary YAML file::

        products:
          - name: Grafana
            variants: [grafana cloud]
            vendor: Grafana Labs

    Errors name the file, the line and the fix.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot read the vocabulary ({exc})") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise InputError(where, "not valid YAML", "fix the indentation or quoting") from exc
    if data is None:
        return Vocabulary()
    if not isinstance(data, dict) or not isinstance(data.get("products", []), list):
        raise InputError(
            str(path), "expected a top-level 'products:' list", "see docs/authenticity.md"
        )
    lines = _item_lines(text)
    products: dict[str, tuple[str, ...]] = {}
    vendors: dict[str, str] = {}
    for number, item in enumerate(data.get("products") or []):
        where = f"{path}:{lines[number] if number < len(lines) else 1}"
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise InputError(where, "a product needs a 'name' (text)", "write '- name: Product'")
        unknown = sorted(set(item) - {"name", "variants", "vendor"})
        if unknown:
            raise InputError(
                where, f"unknown key '{unknown[0]}'", "product keys are name, variants and vendor"
            )
        variants = item.get("variants") or []
        if not isinstance(variants, list) or not all(isinstance(v, str) for v in variants):
            raise InputError(where, "'variants' must be a list of names", "write [name, name]")
        vendor = item.get("vendor")
        if vendor is not None and not isinstance(vendor, str):
            raise InputError(where, "'vendor' must be text", "write 'vendor: Company'")
        name = item["name"].strip()
        products[name] = tuple(dict.fromkeys([name, *variants]))
        if vendor:
            vendors[name] = vendor
    return Vocabulary(products, vendors)


def _item_lines(text: str) -> list[int]:
    """1-based line numbers of the top-level list items under ``products:``."""
    return [n for n, line in enumerate(text.splitlines(), 1) if re.match(r"\s*-\s", line)]


def variants_of(name: str) -> set[str]:
    """Lower-case spellings of a name: 'raspberry-pi' -> raspberry-pi, raspberry pi, raspberrypi."""
    base = name.lower().strip()
    out = {base}
    for sep in ("-", "_", " ", "."):
        if sep in base:
            out.add(base.replace(sep, " "))
            out.add(base.replace(sep, ""))
            out.add(base.replace(sep, "-"))
    return {v for v in out if len(v) >= 2}


def capitalized_names(texts: Sequence[str], min_posts: int = 3) -> dict[str, str]:
    """Names written capitalized mid-sentence in ``min_posts`` posts or more, and in more posts
    that way than in lower case: lower-case form -> the most common spelling."""
    capital: Counter[str] = Counter()
    spelling: dict[str, Counter[str]] = defaultdict(Counter)
    for text in texts:
        seen = set()
        for match in _CAPITALIZED.finditer(text):
            word = match.group(1)
            seen.add(word.lower())
            spelling[word.lower()][word] += 1
        capital.update(seen)
    candidates = {k for k, n in capital.items() if n >= min_posts and len(k) >= 3}
    lower: Counter[str] = Counter()
    for text in texts:
        lower.update({w for w in _LOWER_WORD.findall(text) if w in candidates})
    return {
        key: spelling[key].most_common(1)[0][0]
        for key in sorted(candidates)
        if lower[key] < capital[key]
    }


class ProductIndex:
    """Finds product mentions (whole words, any variant, case-insensitive) in text."""

    def __init__(self, names: Mapping[str, Iterable[str]]) -> None:
        self._automaton: Any = ahocorasick.Automaton()
        self.names = sorted(names)
        for name, spellings in names.items():
            for variant in {v for s in spellings for v in variants_of(s)}:
                self._automaton.add_word(variant, (len(variant), name))
        if self.names:
            self._automaton.make_automaton()

    def mentions(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, product) of every whole-word mention in ``text``."""
        if not self.names:
            return []
        lowered = text.lower()
        found: list[tuple[int, int, str]] = []
        for end, (length, name) in self._automaton.iter(lowered):
            start = end - length + 1
            before = lowered[start - 1] if start > 0 else " "
            after = lowered[end + 1] if end + 1 < len(lowered) else " "
            if _BOUNDARY.match(before) or _BOUNDARY.match(after):
                continue
            found.append((start, end + 1, name))
        return found


def product_names(
    tags: Iterable[str], texts: Sequence[str], vocabulary: Vocabulary, min_tag_threads: int = 2
) -> dict[str, tuple[str, ...]]:
    """Every product name the community uses: tags, vocabulary and capitalized names."""
    names: dict[str, tuple[str, ...]] = {}
    counts = Counter(tags)
    for tag, threads in counts.items():
        if threads >= min_tag_threads and len(tag) >= 2:
            names[tag] = (tag,)
    for key, spelled in capitalized_names(texts).items():
        if key not in names:
            names[spelled] = (spelled,)
    for name, spellings in vocabulary.products.items():
        names[name.lower()] = spellings
    return names


class StanceReader:
    """Sentiment of the sentences that mention each product in a post."""

    def __init__(self, index: ProductIndex) -> None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self.index = index
        self._vader = SentimentIntensityAnalyzer()

    def stances(self, text: str) -> list[Stance]:
        """One stance per product mentioned: the mean compound score of its sentences."""
        mentions = self.index.mentions(text)
        if not mentions:
            return []
        sentences: dict[str, list[str]] = defaultdict(list)
        for start, end, name in mentions:
            sentence = _sentence_around(text, start, end)
            if sentence not in sentences[name]:
                sentences[name].append(sentence)
        out = []
        for name in sorted(sentences):
            scores = [self._vader.polarity_scores(s)["compound"] for s in sentences[name]]
            out.append(Stance(name, sum(scores) / len(scores), sentences[name][0]))
        return out


def _sentence_around(text: str, start: int, end: int) -> str:
    left = max((m.end() for m in _SENTENCE.finditer(text, 0, start)), default=0)
    right_match = _SENTENCE.search(text, end)
    right = right_match.start() if right_match else len(text)
    return text[left:right].strip()
