"""Sock account names in the community's style, and the choice of dormant accounts to take over.

Names are made up (never copied from the dataset) in the styles the community's own names
show, in the same shares: Stack Exchange's default ``user12345``, first and last name, a
single name, a handle, a handle with digits.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Sequence

from plainspoken.community.injection.profile import AccountInfo

FIRST = tuple(
    (
        "Alex Maria Daniel Priya Tom Elena Jonas Aisha Marco Lena Ravi Sofia Ben Chen "
        "Omar Julia Pavel Nina Lucas Hana Arjun Clara Felix Mei Samuel Ines Viktor Yuki "
        "David Zoe Karim Anna Leo Fatima Erik Rosa Nikhil Sara Hugo Lin"
    ).split()
)
LAST = tuple(
    (
        "Miller Novak Kumar Schmidt Rossi Tanaka Silva Berg Khan Dubois Ivanov Park "
        "Lopez Weber Jansen Sato Costa Nowak Singh Fischer Moreau Olsen Haddad Wong "
        "Petrov Meyer Garcia Kowalski Ahmed Larsen Romano Young Baker Cruz Horvat Ng"
    ).split()
)
WORDS = tuple(
    (
        "pixel quant byte delta vector lambda orbit cipher tensor kernel nova echo "
        "matrix sigma falcon ember comet atlas proto zenith flux rook maple cobalt onyx "
        "sparrow tango lumen raven helix nimbus quark vertex cinder harbor willow"
    ).split()
)
STYLES = ("user-digits", "full-name", "single-name", "handle-digits", "handle")
_USER = re.compile(r"user\d{2,}")
_FULL = re.compile(r"[A-Z][a-z]+(?: [A-Z]\.?)? [A-Z][A-Za-z'-]+")
_SINGLE = re.compile(r"[A-Z][a-z]+")
_HANDLE_DIGITS = re.compile(r"[A-Za-z_.-]+\d+")
_HANDLE = re.compile(r"[a-z][a-z0-9_.-]*")


def style_of(name: str) -> str:
    """Which of ``STYLES`` a name follows (``handle`` for anything else)."""
    for style, pattern in (
        ("user-digits", _USER),
        ("full-name", _FULL),
        ("single-name", _SINGLE),
        ("handle-digits", _HANDLE_DIGITS),
    ):
        if pattern.fullmatch(name):
            return style
    return "handle"


class NameMaker:
    """Draws names in the styles of ``names`` (a sample of the community's), never one in use."""

    def __init__(self, names: Sequence[str], ids_as_user_names: bool) -> None:
        counts = Counter(style_of(n) for n in names)
        self.styles = [s for s in STYLES if counts[s]] or ["handle-digits"]
        self.weights = [counts[s] or 1 for s in self.styles]
        self.ids_as_user_names = ids_as_user_names
        self.used = set(names)

    def make(self, rng: random.Random, account_id: str | None = None) -> str:
        """A new name; ``user<id>`` when the community names default accounts by their id."""
        for _ in range(100):
            style = rng.choices(self.styles, weights=self.weights)[0]
            name = self._one(style, rng, account_id)
            if name not in self.used:
                self.used.add(name)
                return name
        return f"{rng.choice(WORDS)}{rng.randint(10_000, 99_999)}"

    def _one(self, style: str, rng: random.Random, account_id: str | None) -> str:
        if style == "user-digits":
            if self.ids_as_user_names and account_id and account_id.isdigit():
                return f"user{account_id}"
            return f"user{rng.randint(1000, 9_999_999)}"
        if style == "full-name":
            return f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if style == "single-name":
            return rng.choice(FIRST)
        if style == "handle-digits":
            stem = rng.choice((rng.choice(WORDS), rng.choice(FIRST).lower()))
            return f"{stem}{rng.choice(('', '_'))}{rng.randint(1, 9999)}"
        return rng.choice(
            (
                f"{rng.choice(WORDS)}_{rng.choice(WORDS)}",
                f"{rng.choice(FIRST).lower()}{rng.choice(LAST).lower()}",
                f"{rng.choice(FIRST)[0].lower()}{rng.choice(LAST).lower()}",
            )
        )


def ids_name_users(accounts: Sequence[AccountInfo]) -> bool:
    """Whether ``userNNN`` names carry the account's own id (Stack Exchange's default)."""
    users = [a for a in accounts if a.name and _USER.fullmatch(a.name)]
    return bool(users) and sum(a.name == f"user{a.id}" for a in users) >= 0.5 * len(users)


def dormant_candidates(
    accounts: Sequence[AccountInfo], moment: int, silence: int, taken: set[str]
) -> list[AccountInfo]:
    """Real accounts silent for ``silence`` microseconds before ``moment``: those with posts
    before first (a history to hide behind), then those that never posted."""
    with_posts: list[AccountInfo] = []
    without: list[AccountInfo] = []
    for account in accounts:
        if account.id in taken or account.created is None or account.created > moment - silence:
            continue
        if account.last_active is None:
            without.append(account)
        elif account.last_active <= moment - silence:
            with_posts.append(account)
    return with_posts + without
