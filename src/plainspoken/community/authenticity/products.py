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

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
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


_ASCII_SEPARATORS = bytes(c if c < 128 and chr(c).isalnum() else 32 for c in range(256))
_NOT_ALNUM = re.compile(r"[\W_]")  # \w is str.isalnum() plus the underscore


def _separated(text: str) -> str:
    """Lower case, with every character that is not a letter or digit (Unicode) turned into a
    space, so that a name surrounded by spaces is a whole word; same length as ``text.lower()``.
    ASCII text is translated as bytes, which is much faster."""
    lowered = text.lower()
    if lowered.isascii():
        return lowered.encode("ascii").translate(_ASCII_SEPARATORS).decode("ascii")
    return _NOT_ALNUM.sub(" ", lowered)


class ProductIndex:
    """Finds product mentions (whole words, any variant, case-insensitive) in text.

    Text and names are compared with every non-alphanumeric character as a space, and names are
    looked for with a space on each side, so the automaton only reports whole-word matches."""

    def __init__(self, names: Mapping[str, Iterable[str]]) -> None:
        self._automaton: Any = ahocorasick.Automaton()
        self.names = sorted(names)
        found: dict[str, tuple[int, str]] = {}
        for name in self.names:
            for variant in sorted({v for s in names[name] for v in variants_of(s)}):
                key = " " + " ".join(_separated(variant).split()) + " "
                if len(key) > 3:
                    found.setdefault(key, (len(key), name))
        for key, value in found.items():
            self._automaton.add_word(key, value)
        if found:
            self._automaton.make_automaton()
        self._empty = not found

    def mentions(self, text: str, limit: int = 0) -> Iterator[tuple[int, int, str]]:
        """(start, end, product) of whole-word mentions in ``text``, in order, the first
        ``limit`` ones (all when 0), found as they are read."""
        if self._empty:
            return
        padded = " " + _separated(text) + " "
        for seen, (end, (length, name)) in enumerate(self._automaton.iter(padded), 1):
            # The match spans padded[end - length + 1 : end + 1]; without its two spaces and
            # the leading pad, that is text[end - length + 1 : end - 1].
            yield end - length + 1, end - 1, name
            if seen == limit:
                return


def product_names(
    tag_threads: Mapping[str, int],
    texts: Sequence[str],
    vocabulary: Vocabulary,
    min_tag_threads: int = 2,
) -> dict[str, tuple[str, ...]]:
    """Every product name the community uses: tags (given with the number of threads that
    carry them), vocabulary and capitalized names."""
    names: dict[str, tuple[str, ...]] = {}
    for tag, threads in tag_threads.items():
        if threads >= min_tag_threads and len(tag) >= 2:
            names[tag] = (tag,)
    for key, spelled in capitalized_names(texts).items():
        if key not in names:
            names[spelled] = (spelled,)
    for name, spellings in vocabulary.products.items():
        names[name.lower()] = spellings
    return names


_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|[:;=8][-o*']?[)(\]\[dp/\\|]")
_NEGATION_WINDOW = 3
_NEGATION_SCALE = -0.74
_EXCLAMATION = 0.292
_NORMALIZE = 15.0


class Sentiment:
    """A fast lexicon score of a sentence, from VADER's word valences.

    The sum of word valences, where a booster ("really", "extremely") strengthens the next
    word and a negation in the three words before flips and damps it, plus a little emphasis
    per exclamation mark, normalized to -1..1 as VADER does (``s / sqrt(s^2 + 15)``). It skips
    VADER's rarer rules (capitals, "but" clauses, idioms) and runs an order of magnitude faster,
    which matters over millions of posts.
    """

    def __init__(self) -> None:
        from vaderSentiment.vaderSentiment import BOOSTER_DICT, NEGATE, SentimentIntensityAnalyzer

        self.lexicon: dict[str, float] = dict(SentimentIntensityAnalyzer().lexicon)
        self.negations = frozenset(NEGATE)
        self.boosters: dict[str, float] = dict(BOOSTER_DICT)
        self._cache: dict[str, float] = {}

    def _negated(self, word: str) -> bool:
        return word in self.negations or word.endswith("n't")

    def compound(self, sentence: str) -> float:
        """The sentence's score from -1 (very negative) to 1 (very positive)."""
        cached = self._cache.get(sentence)
        if cached is not None:
            return cached
        words = _TOKEN.findall(sentence.lower())
        total = 0.0
        for i, word in enumerate(words):
            value = self.lexicon.get(word)
            if value is None:
                continue
            if i and words[i - 1] in self.boosters:
                value += math.copysign(abs(self.boosters[words[i - 1]]), value)
            if any(self._negated(w) for w in words[max(0, i - _NEGATION_WINDOW) : i]):
                value *= _NEGATION_SCALE
            total += value
        if total:
            total += math.copysign(min(sentence.count("!"), 4) * _EXCLAMATION, total)
        score = total / math.sqrt(total * total + _NORMALIZE)
        if len(self._cache) < 200_000:
            self._cache[sentence] = score
        return score


class StanceReader:
    """Sentiment of the sentences that mention each product in a post."""

    max_products = 3
    max_sentences = 3
    max_sentence_chars = 400

    def __init__(self, index: ProductIndex) -> None:
        self.index = index
        self._sentiment = Sentiment()

    def stances(self, text: str) -> list[Stance]:
        """One stance per product mentioned (at most ``max_products``, the first named): the
        mean score of its first ``max_sentences`` sentences, among the first
        ``2 * max_products * max_sentences`` mentions."""
        sentences: dict[str, list[str]] = {}
        stops: _Stops | None = None
        limit = self.max_products * self.max_sentences * 2
        for start, end, name in self.index.mentions(text, limit):
            found = sentences.get(name)
            if found is None:
                if len(sentences) >= self.max_products:
                    continue
                found = sentences[name] = []
            elif len(found) >= self.max_sentences:
                continue
            if stops is None:
                stops = _Stops(text)
            sentence = stops.around(start, end)[: self.max_sentence_chars]
            if sentence not in found:
                found.append(sentence)
        compound = self._sentiment.compound
        out = []
        for name in sorted(sentences):
            scores = [compound(s) for s in sentences[name]]
            out.append(Stance(name, sum(scores) / len(scores), sentences[name][0]))
        return out


_NEXT_STOP = re.compile(r"[.!?] |\n")


class _Stops:
    """Finds the sentence around a mention: from after the previous '. ', '! ', '? ' or line
    break to the next one (a few searches in C per mention, none over the whole text)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def around(self, start: int, end: int) -> str:
        text = self.text
        left = max(text.rfind(". ", 0, start), text.rfind("! ", 0, start),
                   text.rfind("? ", 0, start))  # fmt: skip
        left = left + 2 if left >= 0 else 0
        line = text.rfind("\n", 0, start)
        left = max(left, line + 1)
        found = _NEXT_STOP.search(text, end)
        right = found.start() if found else len(text)
        return text[left : right + 1].strip()
