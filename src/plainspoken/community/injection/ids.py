"""New ids in the community's own style, never colliding with an id it has.

Ids are read as a prefix and a number: ``123`` and ``c123`` (Stack Exchange posts and
comments) in base 10, ``t1_k3xq2`` (Reddit) in base 36. Each prefix is its own space. When a
space's numbers rise with time (ids handed out in order), a new row takes a free number among
the ids of its own time — dumps are full of gaps left by deleted rows — so ids and times keep
their order; otherwise, and when no gap is free, numbers continue above the maximum with the
small steps real sites show. Ids that are neither (hashes, names) get random tokens of the
same length and alphabet.
"""

from __future__ import annotations

import random
import re
import string
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

_DECIMAL = re.compile(r"([^0-9]*?)([1-9][0-9]{0,17}|0)")
_BASE36 = re.compile(r"(.*[_:\-])([0-9a-z]{1,12})")
_DIGITS36 = string.digits + string.ascii_lowercase


def to_base36(number: int) -> str:
    """``number`` written in lower-case base 36 (Reddit's id alphabet)."""
    if number == 0:
        return "0"
    out = []
    while number:
        number, rest = divmod(number, 36)
        out.append(_DIGITS36[rest])
    return "".join(reversed(out))


def parse(value: str) -> tuple[str, int, int] | None:
    """(prefix, base, number) of an id, or None when it is not a prefixed number."""
    match = _DECIMAL.fullmatch(value)
    if match:
        return match.group(1), 10, int(match.group(2))
    match = _BASE36.fullmatch(value)
    if match and not match.group(2).startswith("0"):
        return match.group(1), 36, int(match.group(2), 36)
    return None


@dataclass
class IdSpace:
    """The numbers of one prefix, with the times of their rows (when known)."""

    prefix: str
    base: int
    numbers: npt.NDArray[np.int64]  # sorted
    by_time: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    times: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    taken: set[int] = field(default_factory=set)
    ordered: bool = False

    def __post_init__(self) -> None:
        if len(self.times) > 20:
            rising = np.count_nonzero(np.diff(self.by_time) > 0)
            self.ordered = bool(rising >= 0.9 * (len(self.by_time) - 1))
        self._top = int(self.numbers[-1]) if len(self.numbers) else 0

    def _free(self, number: int) -> bool:
        if number <= 0 or number in self.taken:
            return False
        at = int(np.searchsorted(self.numbers, number))
        return not (at < len(self.numbers) and int(self.numbers[at]) == number)

    def _gap(self, start: int, stop: int) -> int | None:
        """The first number from ``start`` below ``stop`` that no row has."""
        at = int(np.searchsorted(self.numbers, start))
        number = max(start, 1)
        while number < stop:
            if at < len(self.numbers) and int(self.numbers[at]) == number:
                at += 1
                number += 1
            elif number in self.taken:
                number += 1
                at = int(np.searchsorted(self.numbers, number))
            else:
                return number
        return None

    def _write(self, number: int) -> str:
        self.taken.add(number)
        self._top = max(self._top, number)
        body = str(number) if self.base == 10 else to_base36(number)
        return self.prefix + body

    def allocate(self, moment: int | None, rng: random.Random) -> str:
        """A new id for a row created at ``moment`` (epoch microseconds)."""
        if self.ordered and moment is not None and len(self.times):
            at = int(np.searchsorted(self.times, moment))
            for width in (1, 4, 16, 64):  # the nearest gap among the ids of the same time
                low = int(self.by_time[at - width]) if at >= width else 0
                end = min(at + width - 1, len(self.by_time) - 1)
                high = int(self.by_time[end]) if at < len(self.by_time) else self._top + 1
                number = self._gap(low + 1, high)
                if number is not None:
                    return self._write(number)
        number = self._top + rng.randint(1, 3)
        while not self._free(number):
            number += 1
        return self._write(number)


@dataclass
class OpaqueSpace:
    """Ids that are not numbers: random tokens shaped like the community's."""

    used: set[str]
    length: int
    alphabet: str
    prefix: str = ""

    def allocate(self, moment: int | None, rng: random.Random) -> str:
        del moment
        while True:
            token = self.prefix + "".join(rng.choice(self.alphabet) for _ in range(self.length))
            if token not in self.used:
                self.used.add(token)
                return token


Space = IdSpace | OpaqueSpace


def spaces_of(ids: Sequence[str], times: Sequence[int | None] | None = None) -> dict[str, Space]:
    """The id spaces of a column, keyed by prefix (``"*"`` for ids that are not numbers)."""
    grouped: dict[tuple[str, int], list[tuple[int, int | None]]] = {}
    opaque: list[str] = []
    for n, value in enumerate(ids):
        parsed = parse(value)
        when = times[n] if times is not None else None
        if parsed is None:
            opaque.append(value)
        else:
            grouped.setdefault((parsed[0], parsed[1]), []).append((parsed[2], when))
    spaces: dict[str, Space] = {}
    for (prefix, base), rows in grouped.items():
        numbers = np.array(sorted(r[0] for r in rows), dtype=np.int64)
        dated = sorted((t, num) for num, t in rows if t is not None)
        spaces[prefix] = IdSpace(
            prefix,
            base,
            numbers,
            by_time=np.array([num for _, num in dated], dtype=np.int64),
            times=np.array([t for t, _ in dated], dtype=np.int64),
        )
    if opaque:
        lengths = Counter(len(v) for v in opaque)
        chars = set("".join(opaque[:5000]))
        alphabet = (
            "0123456789abcdef"
            if chars <= set("0123456789abcdef-")
            else "".join(sorted(c for c in chars if c.isalnum())) or _DIGITS36
        )
        spaces["*"] = OpaqueSpace(set(opaque), lengths.most_common(1)[0][0], alphabet)
    return spaces


def prefix_for(ids: Sequence[str]) -> str:
    """The prefix most of these ids carry (``"*"`` for non-numbers, ``""`` when none)."""
    found = Counter((parse(v) or ("*", 0, 0))[0] for v in ids)
    return found.most_common(1)[0][0] if found else ""
