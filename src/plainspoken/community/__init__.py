"""Community listening: normalized datasets from community dumps, and their analyses.

The injector's names load on first use (it needs numpy), so commands that never plant
campaigns start quickly.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from plainspoken.community.importing import import_dataset
from plainspoken.community.stats import CommunityStats, stats

if TYPE_CHECKING:
    from plainspoken.community.injection import CampaignPlan, InjectionPlan, Truth, inject

_LAZY = {
    name: "plainspoken.community.injection"
    for name in ("CampaignPlan", "InjectionPlan", "Truth", "inject")
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'plainspoken.community' has no attribute '{name}'")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "CampaignPlan",
    "CommunityStats",
    "InjectionPlan",
    "Truth",
    "import_dataset",
    "inject",
    "stats",
]
