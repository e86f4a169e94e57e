"""What to plant: one campaign's knobs (``CampaignPlan``) and the run's plan (``InjectionPlan``).

A preset is a distribution over the knobs; ``InjectionPlan.draw`` samples one campaign from it,
with the caller's overrides (a value, or a ``(low, high)`` range for numeric knobs) replacing
single knobs. Every knob is checked against its range, so a plan that cannot be built is
refused with the range it should be in.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from plainspoken.errors import UsageError

AGES = ("new", "aged", "dormant")
WORDINGS = ("verbatim", "template", "paraphrase")
TIMINGS = ("burst", "spread", "office-hours")
THREAD_MODES = ("new", "existing", "mixed")
PRESETS = ("new-accounts", "stealth", "mixed", "ring")
STRENGTHS = ("strong", "medium", "weak")

# knob: (low, high) for numbers, the allowed values for words
RANGES: dict[str, tuple[int | float, int | float]] = {
    "socks": (2, 10),
    "reply_share": (0.0, 1.0),
    "age_hours": (0.0, 720.0),
    "camouflage": (0, 20),
    "threads": (1, 20),
}
CHOICES: dict[str, tuple[str, ...]] = {
    "age": AGES,
    "wording": WORDINGS,
    "timing": TIMINGS,
    "thread_mode": THREAD_MODES,
}
FLAGS = ("shared_links", "mutual_votes")


@dataclass(frozen=True)
class CampaignPlan:
    """One campaign's knobs (see docs/datasets.md, "Injected campaigns")."""

    socks: int
    reply_share: float
    age: str
    age_hours: float
    camouflage: int
    wording: str
    timing: str
    shared_links: bool
    threads: int
    mutual_votes: bool
    thread_mode: str
    product: str | None = None

    def __post_init__(self) -> None:
        for name in RANGES:
            check_knob(name, getattr(self, name))
        for name in CHOICES:
            check_knob(name, getattr(self, name))

    @property
    def strength(self) -> str:
        """``strong``: new accounts, verbatim or templated wording, burst timing; ``weak``: aged
        or dormant accounts with 3+ camouflage posts each, paraphrased, not in a burst;
        ``medium``: every other mix."""
        if self.age == "new" and self.wording != "paraphrase" and self.timing == "burst":
            return "strong"
        if (
            self.age != "new"
            and self.camouflage >= 3
            and self.wording == "paraphrase"
            and self.timing != "burst"
        ):
            return "weak"
        return "medium"

    def to_dict(self) -> dict[str, Any]:
        """The knobs as plain data (the ``parameters`` of a campaign in the truth file)."""
        return asdict(self)


def check_knob(name: str, value: Any) -> Any:
    """``value`` when it fits knob ``name``, else a ``UsageError`` naming the range."""
    if name in RANGES:
        low, high = RANGES[name]
        whole = isinstance(low, int) and not isinstance(low, bool)
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if ok and whole and value != int(value):
            ok = False
        if name == "reply_share":
            ok = ok and 0 < value <= 1
            shown = "above 0 and at most 1"
        else:
            ok = ok and low <= value <= high
            shown = f"{low}..{high}"
        if not ok:
            raise UsageError(f"{name.replace('_', '-')} is {value!r}; it must be {shown}")
    elif name in CHOICES:
        if value not in CHOICES[name]:
            raise UsageError(
                f"{name.replace('_', '-')} '{value}' is not one of: {', '.join(CHOICES[name])}"
            )
    elif name in FLAGS:
        if not isinstance(value, bool):
            raise UsageError(f"{name.replace('_', '-')} must be true or false, not {value!r}")
    elif name == "product":
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise UsageError("product must be a tag or name, not an empty value")
    else:
        known = ", ".join(f.name for f in fields(CampaignPlan))
        raise UsageError(f"unknown campaign knob '{name}' (knobs: {known})")
    return value


def _range_override(name: str, value: Any) -> Any:
    if isinstance(value, tuple | list):
        if len(value) != 2:
            raise UsageError(f"{name} range must be two numbers (low, high), not {value!r}")
        low, high = (check_knob(name, v) for v in value)
        if low > high:
            raise UsageError(f"{name} range {low}-{high} runs backwards; write it as {high}-{low}")
        return (low, high)
    return check_knob(name, value)


@dataclass(frozen=True)
class InjectionPlan:
    """How many campaigns, drawn from which preset, with which knobs fixed by the caller."""

    campaigns: int
    preset: str = "mixed"
    overrides: Mapping[str, Any] = field(default_factory=dict)
    topic_tags: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.campaigns, int) or not 1 <= self.campaigns <= 10_000:
            raise UsageError(f"campaigns is {self.campaigns!r}; it must be 1..10000")
        if self.preset not in PRESETS:
            raise UsageError(f"unknown preset '{self.preset}' (presets: {', '.join(PRESETS)})")
        for name, value in self.overrides.items():
            if name in RANGES:
                _range_override(name, value)
            else:
                check_knob(name, value)

    def draw(self, rng: random.Random) -> CampaignPlan:
        """One campaign's knobs: the preset's draw, then the overrides."""
        knobs = _PRESET_DRAWS[self.preset](rng)
        for name, value in self.overrides.items():
            if isinstance(value, tuple | list):
                low, high = value
                knobs[name] = (
                    rng.randint(int(low), int(high))
                    if isinstance(RANGES[name][0], int)
                    else rng.uniform(low, high)
                )
            else:
                knobs[name] = value
        if knobs["age"] != "new":
            knobs["age_hours"] = 0.0
        knobs["reply_share"] = round(float(knobs["reply_share"]), 3)
        knobs["age_hours"] = round(float(knobs["age_hours"]), 2)
        return CampaignPlan(**knobs)

    def to_dict(self) -> dict[str, Any]:
        """The plan as plain data (the ``plan`` of the truth file)."""
        return {
            "campaigns": self.campaigns,
            "preset": self.preset,
            "overrides": {
                k: list(v) if isinstance(v, tuple) else v for k, v in self.overrides.items()
            },
            "topic_tags": list(self.topic_tags),
        }


def _pick(rng: random.Random, weighted: Mapping[str, float]) -> str:
    return rng.choices(list(weighted), weights=list(weighted.values()))[0]


def _new_accounts(rng: random.Random) -> dict[str, Any]:
    return {
        "socks": rng.randint(3, 8),
        "reply_share": rng.uniform(0.6, 1.0),
        "age": "new",
        "age_hours": rng.choice((rng.uniform(0, 2), rng.uniform(0, 24), rng.uniform(24, 720))),
        "camouflage": rng.choice((0, 0, 0, 1, 2)),
        "wording": _pick(rng, {"verbatim": 0.35, "template": 0.45, "paraphrase": 0.2}),
        "timing": _pick(rng, {"burst": 0.7, "spread": 0.2, "office-hours": 0.1}),
        "shared_links": rng.random() < 0.6,
        "threads": rng.randint(1, 3),
        "mutual_votes": rng.random() < 0.5,
        "thread_mode": _pick(rng, {"new": 0.5, "existing": 0.3, "mixed": 0.2}),
    }


def _stealth(rng: random.Random) -> dict[str, Any]:
    return {
        "socks": rng.randint(2, 6),
        "reply_share": rng.uniform(0.3, 0.7),
        "age": _pick(rng, {"aged": 0.6, "dormant": 0.4}),
        "age_hours": 0.0,
        "camouflage": rng.randint(3, 20),
        "wording": _pick(rng, {"paraphrase": 0.8, "template": 0.2}),
        "timing": _pick(rng, {"spread": 0.6, "office-hours": 0.4}),
        "shared_links": rng.random() < 0.3,
        "threads": rng.randint(2, 6),
        "mutual_votes": rng.random() < 0.4,
        "thread_mode": _pick(rng, {"existing": 0.7, "mixed": 0.3}),
    }


def _mixed(rng: random.Random) -> dict[str, Any]:
    return {
        "socks": rng.randint(2, 10),
        "reply_share": rng.uniform(0.2, 1.0),
        "age": rng.choice(AGES),
        "age_hours": rng.uniform(0, 720) if rng.random() < 0.5 else rng.uniform(0, 24),
        "camouflage": rng.randint(0, 20),
        "wording": rng.choice(WORDINGS),
        "timing": rng.choice(TIMINGS),
        "shared_links": rng.random() < 0.5,
        "threads": rng.randint(1, 6),
        "mutual_votes": rng.random() < 0.5,
        "thread_mode": rng.choice(THREAD_MODES),
    }


def _ring(rng: random.Random) -> dict[str, Any]:
    return {
        "socks": rng.randint(4, 10),
        "reply_share": rng.uniform(0.5, 1.0),
        "age": _pick(rng, {"aged": 0.7, "new": 0.3}),
        "age_hours": rng.uniform(24, 720),
        "camouflage": rng.randint(0, 5),
        "wording": _pick(rng, {"paraphrase": 0.5, "template": 0.5}),
        "timing": _pick(rng, {"spread": 0.7, "office-hours": 0.3}),
        "shared_links": rng.random() < 0.3,
        "threads": rng.randint(8, 20),
        "mutual_votes": True,
        "thread_mode": _pick(rng, {"new": 0.7, "mixed": 0.3}),
    }


_PRESET_DRAWS = {
    "new-accounts": _new_accounts,
    "stealth": _stealth,
    "mixed": _mixed,
    "ring": _ring,
}
