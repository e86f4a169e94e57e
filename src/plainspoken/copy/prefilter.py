"""Skip the parts of a text where a rule's regular expression cannot match.

Python's ``re`` tries every alternative of a pattern at every word boundary, so a rule with a
long alternation costs time in proportion to the whole text even when the words it needs
never occur. Most rule patterns can only match where one of a few literal words occurs
('leading', 'unlock', 'enablement', ...). ``required_literals`` reads those words out of the
parsed pattern; ``Prefilter`` finds every occurrence of every such word in one Aho-Corasick
pass, and the checker then runs a pattern only on the sentences that hold one of its words.

The reading is conservative: when a pattern has a branch with no literal it must contain, the
pattern has no requirement and runs on the whole text.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import ahocorasick

try:  # the parser behind ``re``; private, so any surprise turns the prefilter off
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser as _p  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - other Python versions
    _p = _c = None

_SHORTEST = 3  # a literal shorter than this occurs nearly everywhere: not worth a lookup
_CAP = 2000  # the most strings an exact set may hold before it is summarised

Strings = frozenset[str]
Requirement = Strings | None


@dataclass(frozen=True)
class _Info:
    """What a piece of a pattern matches: exactly one of a few strings (``exact``); text that
    starts with one of ``prefix``; text that contains one of ``need``. Any may be unknown."""

    exact: Strings | None = None
    prefix: Strings | None = None
    need: Requirement = None

    def starts(self) -> Strings | None:
        return self.exact if self.exact is not None else self.prefix

    def as_need(self) -> Requirement:
        if self.exact is not None:
            return None if "" in self.exact else self.exact
        prefix = None if self.prefix is None or "" in self.prefix else self.prefix
        return _better(self.need, prefix)


_EMPTY = _Info(exact=frozenset([""]))
_UNKNOWN = _Info()


def _quality(need: Strings) -> tuple[bool, int, int]:
    shortest = min(map(len, need))
    return (shortest >= _SHORTEST, shortest, -len(need))


def _better(a: Requirement, b: Requirement) -> Requirement:
    """The more selective of two requirements that both hold: longer words, then fewer."""
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b, key=_quality)


def _product(a: Strings, b: Strings) -> Strings | None:
    if len(a) * len(b) > _CAP:
        return None
    return frozenset(x + y for x in a for y in b)


def _sequence(items: Any) -> _Info:
    current: Strings = frozenset([""])  # the exact run being built
    prefix: Strings | None = None  # once the run from the start ends: how matches start
    best: Requirement = None
    for op, av in items:
        info = _item(op, av)
        joined = _product(current, info.exact) if info.exact is not None else None
        if joined is not None:
            current = joined
            continue
        starts = info.starts()
        run = _product(current, starts) if starts is not None else None
        if run is None:
            run = current
        if prefix is None:
            prefix = run
        if "" not in run:
            best = _better(best, run)
        best = _better(best, info.as_need())
        current = frozenset([""]) if info.exact is None else info.exact
    if "" not in current:
        best = _better(best, current)
    if prefix is None:
        return _Info(exact=current, need=best)
    return _Info(prefix=None if "" in prefix else prefix, need=best)


def _item(op: Any, av: Any) -> _Info:
    if op is _c.LITERAL:
        return _Info(exact=frozenset([chr(av).lower()]))
    if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
        return _EMPTY  # zero width: matches nothing of the text
    if op is _c.IN:
        chars = [chr(v).lower() for o, v in av if o is _c.LITERAL]
        return _Info(exact=frozenset(chars)) if len(chars) == len(av) else _UNKNOWN
    if op is _c.SUBPATTERN:
        return _sequence(av[-1])
    if op is _c.ATOMIC_GROUP:
        return _sequence(av)
    if op is _c.BRANCH:
        infos = [_sequence(alternative) for alternative in av[1]]
        exacts = [i.exact for i in infos]
        if all(e is not None for e in exacts):
            union = frozenset().union(*(e for e in exacts if e is not None))
            if len(union) <= _CAP:
                return _Info(exact=union)
        starts = [i.starts() for i in infos]
        prefix = None
        if all(x is not None for x in starts):
            prefix = frozenset().union(*(x for x in starts if x is not None))
            prefix = None if len(prefix) > _CAP or "" in prefix else prefix
        needs = [i.as_need() for i in infos]
        need = None
        if all(n is not None for n in needs):
            need = frozenset().union(*(n for n in needs if n is not None))
        return _Info(prefix=prefix, need=need)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        low, high, body = av
        info = _sequence(body)
        if info.exact is not None and high == 1:
            return _Info(exact=info.exact | ({""} if low == 0 else set()))
        return _Info(prefix=info.starts(), need=info.as_need()) if low >= 1 else _UNKNOWN
    return _UNKNOWN  # classes, any character, back references


def required_literals(pattern: str, flags: int = 0) -> Requirement:
    """Lower-case strings of which every match of ``pattern`` contains at least one.

    ``None`` when no such set was found (the pattern must run everywhere).
    """
    if _p is None:
        return None
    try:
        need = _sequence(_p.parse(pattern, flags)).as_need()
    except Exception:
        return None
    if need is None or min(map(len, need)) < _SHORTEST:
        return None
    return need


class Prefilter:
    """Where each of several patterns may match, found by one pass over the text."""

    def __init__(self, patterns: Sequence[str | None]) -> None:
        """``patterns`` in order; None for one that must always run on the whole text."""
        self.requirements = [None if p is None else required_literals(p) for p in patterns]
        owners: dict[str, list[int]] = {}
        for index, need in enumerate(self.requirements):
            for literal in need or ():
                owners.setdefault(literal, []).append(index)
        self._automaton: Any = ahocorasick.Automaton()
        for literal, indexes in owners.items():
            self._automaton.add_word(literal, (len(literal), tuple(indexes)))
        self._empty = not owners
        if not self._empty:
            self._automaton.make_automaton()

    def windows(self, lower: str, starts: Sequence[int]) -> list[list[tuple[int, int]] | None]:
        """Per pattern, the (start, end) spans to search, or None to search the whole text.

        ``lower`` is the lower-cased text and ``starts`` the sorted offsets where its
        sentences begin; a span runs from one sentence start to the next, so together the
        spans of all sentences cover the text.
        """
        hits: list[set[int]] = [set() for _ in self.requirements]
        if not self._empty:
            for end, (length, indexes) in self._automaton.iter(lower):
                last = bisect.bisect_right(starts, end) - 1
                first = bisect.bisect_right(starts, end - length + 1) - 1
                for index in indexes:
                    hits[index].update(range(first, last + 1))
        result: list[list[tuple[int, int]] | None] = []
        for need, sentences in zip(self.requirements, hits, strict=True):
            if need is None:
                result.append(None)
                continue
            spans: list[tuple[int, int]] = []
            for sentence in sorted(sentences):
                start = starts[sentence] if sentence >= 0 else 0
                end = starts[sentence + 1] if sentence + 1 < len(starts) else len(lower)
                if spans and spans[-1][1] == start:
                    spans[-1] = (spans[-1][0], end)
                else:
                    spans.append((start, end))
            result.append(spans)
        return result
