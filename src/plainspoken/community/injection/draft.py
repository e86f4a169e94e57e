"""What the campaigns plant, before the rows get their final ids: the rows drafted so far
(``Draft``), each campaign's account (``Sock``) and what one campaign planted (``Record``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from plainspoken.community.injection.plan import CampaignPlan
from plainspoken.community.injection.profile import AccountInfo


@dataclass
class Sock:
    """A campaign account: made up (``temp``) or a real one taken over (``real``)."""

    temp: str
    real: AccountInfo | None = None
    times: list[int] = field(default_factory=list)
    votes_cast: int = 0
    up_received: int = 0
    accepted: int = 0

    @property
    def id(self) -> str:
        return self.real.id if self.real else self.temp


@dataclass
class Draft:
    """Rows planted by all campaigns so far, with temporary ids."""

    posts: list[dict[str, Any]] = field(default_factory=list)
    threads: list[dict[str, Any]] = field(default_factory=list)
    accounts: list[dict[str, Any]] = field(default_factory=list)
    reactions: list[dict[str, Any]] = field(default_factory=list)
    answers_added: Counter[str] = field(default_factory=Counter)
    last_seen: dict[str, int] = field(default_factory=dict)
    used_threads: set[str] = field(default_factory=set)
    taken_accounts: set[str] = field(default_factory=set)
    borrowed: set[str] = field(default_factory=set)  # real sentences mosaics have used
    count: int = 0

    def temp(self, kind: str) -> str:
        self.count += 1
        return f"~{kind}{self.count}"


@dataclass
class Record:
    """What one campaign planted (temporary ids), for the truth file."""

    plan: CampaignPlan
    socks: list[Sock]
    threads: list[str] = field(default_factory=list)
    new_threads: list[str] = field(default_factory=list)
    posts: list[str] = field(default_factory=list)
    camouflage: list[str] = field(default_factory=list)
    reactions: list[str] = field(default_factory=list)
    product: str | None = None
    product_tag: str | None = None
    competitor: str | None = None
    domain: str | None = None
    notes: list[str] = field(default_factory=list)
