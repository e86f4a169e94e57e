"""The ground truth of an injection: which accounts, threads, posts and reactions were planted.

Written beside the dataset (``datasets/OUT.truth.json``), never inside it, so that analyses
of the dataset cannot see it. Schema version 1.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from plainspoken.errors import InputError

TRUTH_VERSION = 1


@dataclass(frozen=True)
class CampaignTruth:
    """One planted campaign, with the source's ids of everything it added or took over."""

    campaign_id: str
    preset: str
    parameters: Mapping[str, Any]
    strength: str
    accounts: tuple[str, ...]
    threads: tuple[str, ...]
    posts: tuple[str, ...]
    camouflage_posts: tuple[str, ...]
    reactions: tuple[str, ...]
    product: str | None
    competitor: str | None
    link_domain: str | None
    product_tag: str | None = None
    dormant_accounts: tuple[str, ...] = ()
    new_threads: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CampaignTruth:
        known = cls.__dataclass_fields__
        values = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in known}
        return cls(**values)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Truth:
    """Everything an injection planted, for ``plainspoken community evaluate``."""

    dataset: str
    source_dataset: str
    seed: int
    plan: Mapping[str, Any]
    campaigns: tuple[CampaignTruth, ...]
    updated: Mapping[str, Sequence[str]] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    version: int = TRUTH_VERSION

    @property
    def accounts(self) -> frozenset[str]:
        """Every planted or taken-over account."""
        return frozenset(a for c in self.campaigns for a in c.accounts)

    @property
    def threads(self) -> frozenset[str]:
        """Every thread a campaign acted in."""
        return frozenset(t for c in self.campaigns for t in c.threads)

    def to_dict(self) -> dict[str, Any]:
        """Plain data (the truth file's JSON)."""
        return {
            "version": self.version,
            "dataset": self.dataset,
            "source_dataset": self.source_dataset,
            "seed": self.seed,
            "plan": dict(self.plan),
            "campaigns": [c.to_dict() for c in self.campaigns],
            "updated": {k: list(v) for k, v in self.updated.items()},
            "notes": list(self.notes),
        }

    def write(self, path: Path) -> None:
        """Write the truth file (through a temporary file, so it is whole or absent)."""
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_text(json.dumps(self.to_dict(), indent=2) + "\n", encoding="utf-8")
        temporary.replace(path)

    @classmethod
    def load(cls, path: Path) -> Truth:
        """Read a truth file, or say what is wrong with it."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError(
                str(path), "no such truth file", "write one with `plainspoken community inject`"
            ) from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(str(path), f"not readable JSON ({exc})", "inject again") from None
        if not isinstance(data, dict) or data.get("version") != TRUTH_VERSION:
            shown = data.get("version") if isinstance(data, dict) else type(data).__name__
            raise InputError(
                str(path),
                f"truth version is {shown!r}, this plainspoken reads version {TRUTH_VERSION}",
                "write it again with `plainspoken community inject`",
            )
        try:
            return cls(
                dataset=str(data["dataset"]),
                source_dataset=str(data["source_dataset"]),
                seed=int(data["seed"]),
                plan=dict(data.get("plan") or {}),
                campaigns=tuple(CampaignTruth.from_dict(c) for c in data["campaigns"]),
                updated={k: tuple(v) for k, v in (data.get("updated") or {}).items()},
                notes=tuple(data.get("notes") or ()),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(
                str(path), f"not a truth file: missing or wrong {exc}", "inject again"
            ) from None
